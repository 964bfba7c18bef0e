#!/usr/bin/env bats
# The harness itself (tests/lib/harness.bash): the limit that keeps a stuck
# run from stalling the suite, or from leaving its processes behind.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

# A server in the background, and a foreground wait that never ends.
stuck_run() {
	start_server server_2
	sleep infinity
}

@test "harness: a run stuck past RUN_LIMIT is stopped, and its background server with it" {
	RUN_LIMIT=1 BIN=$BUILD/asm OUT=$ASM run netns_call run_in stuck_run
	assert_failure 124
	local pid
	run cat "$ASM/pids"
	assert_success
	for pid in $output; do
		is_gone "$pid" || fail "process $pid outlived its run"
	done
}
