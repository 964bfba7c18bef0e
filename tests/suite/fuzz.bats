#!/usr/bin/env bats
# tests/tools/fuzz (make fuzz): what it draws, and how it replays a case.

setup() { load test_helper; _common_setup; }

@test "fuzz: a server with stdin closed is never drawn with a limit of 3 descriptors, where its accept would spin for ever" {
	run "$ROOT/tests/tools/fuzz" --draw 300 --seed 1 server_4
	assert_success
	assert_equal "${#lines[@]}" 300
	# both faults are drawn, only never together
	assert_line --regexp 'start .*stdin=closed'
	assert_line --regexp 'start .*nofile=3'
	refute_line --regexp 'start .*(stdin=closed.*nofile=3|nofile=3.*stdin=closed)'
}

@test "fuzz: a line typed at once reaches the program in one read, in both builds, replay after replay" {
	local case=$ROOT/tests/scenarios/server_4/typed-at-once.steps i
	for i in 1 2 3 4 5; do
		run "$ROOT/tests/tools/fuzz" --replay "$case"
		assert_success
		assert_output "$case: same"
	done
}
