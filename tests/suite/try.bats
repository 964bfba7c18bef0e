#!/usr/bin/env bats
# tests/tools/try (make try): both builds driven by the same steps, side by side.

setup() { load test_helper; _common_setup; }

@test "try: SEND and SEND2 drive both builds of server_2; rows and traces the same" {
	COLUMNS=100 run make -C "$ROOT" B="$BUILD" try P=server_2 SEND='hello\n' SEND2=''
	assert_success
	assert_line --regexp '^── server_2: .*/asm +│ .*/c ─+$'
	assert_line --regexp '^Successfull bind\$ +│ Successfull bind\$ +$'
	assert_line 'A> :send hello\n'
	assert_line --regexp '^hello\$ +│ hello\$ +$'
	assert_line 'A> :open B'
	assert_line 'B> :send '
	assert_line --regexp '^accept\(3, NULL, NULL\) = 5 +accept\(3, NULL, NULL\) = 5$'
	assert_line "the same: output, peers' bytes and syscalls"
	refute_output --partial $'\e['
}

@test "try: a file of steps: typed lines, a second client, a reset, EOF" {
	cat >"$BATS_TEST_TMPDIR/steps" <<-'EOF'
	# server_3: a child per client
	hello
	:open B
	:send a\0b\n
	:reset B
	:close A
	EOF
	COLUMNS=160 run make -C "$ROOT" B="$BUILD" try P=server_3 STEPS="$BATS_TEST_TMPDIR/steps"
	assert_success
	assert_line --regexp '^hello\$ +│ hello\$ +$'
	assert_line 'B> :reset B'
	# B's child prints "a" (the line's first NUL ends it), and again after the reset
	assert_equal "$(grep -cE '^a\$ +│ a\$ +$' <<<"$output")" 2
	assert_line --regexp '^read\(5, ADDR, 100\) = -1 ECONNRESET \(Connection reset by peer\) +read\(5, ADDR, 100\) = -1 ECONNRESET \(Connection reset by peer\)$'
	assert_line --regexp '^read\(4, "", 100\) = 0 +read\(4, "", 100\) = 0$'
}

@test "try: a case in the executor's own steps (a kept scenario, a fuzz find) replays as it is, for its own program" {
	local case=$ROOT/tests/scenarios/server_3/fork-fails.steps
	COLUMNS=160 run make -C "$ROOT" B="$BUILD" try STEPS="$case"
	assert_success
	assert_line 'case> start nproc=2'
	assert_line --regexp '^Successfull bind\$ +│ Successfull bind\$ +$'
	assert_equal "$(grep -cE '^fork\(\) = -1 EAGAIN .* +fork\(\) = -1 EAGAIN ' <<<"$output")" 2
	run make -C "$ROOT" B="$BUILD" try P=server STEPS="$case"
	assert_failure
	assert_output --partial "is a case of server_3's, not of server's: leave P= out"
}

@test "try: the steps may come on stdin; server_4's typed lines go to its stdin, then to the client" {
	COLUMNS=100 run bash -c "printf 'pong\n:to A\nping\n' | '$ROOT/tests/tools/try' server_4"
	assert_success
	assert_line --regexp '^\[A\] pong\^@×96 +│ \[A\] pong\^@×96 +$'
	assert_line --regexp '^ping\$ +│ ping\$ +$'
}

@test "try: a 10 KB line reaches both builds in the same reads, run after run" {
	local line i
	line=$(printf 'x%.0s' {1..10240})
	for i in 1 2 3; do
		COLUMNS=100 SEND="$line\n" run "$ROOT/tests/tools/try" server_2
		assert_success
		assert_line 'the same: output, peers'"'"' bytes and syscalls'
	done
}

@test "try: a row where the builds differ is marked, and try fails" {
	# a "C build" whose server_2 is the asm's server_3
	local fake=$BATS_TEST_TMPDIR/build
	mkdir -p "$fake/c"
	ln -s "$BUILD/asm" "$fake/asm"
	ln -s "$BUILD/asm/server_3" "$fake/c/server_2"
	COLUMNS=100 BUILD=$fake SEND='hello\n' run "$ROOT/tests/tools/try" server_2
	assert_failure 1
	assert_line --regexp '^hello\$ +│ hello\$ +$'
	assert_line --regexp '^ +> \$ +$'
	assert_line --regexp '^asm and C differ'
}

@test "try: an unknown program, or SEND2 for a program that is no server, gets the usage" {
	run "$ROOT/tests/tools/try" server_5
	assert_failure 2
	assert_line --partial 'usage: make try P=PROGRAM'
	SEND2=x run "$ROOT/tests/tools/try" client_2
	assert_failure 2
	assert_output 'try: SEND2 is for a second client, and client_2 is no server'
}

@test "try: without a network namespace it runs nothing" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n' \
		>"$BATS_TEST_TMPDIR/bin/unshare"
	chmod +x "$BATS_TEST_TMPDIR/bin/unshare"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH SEND='hello\n' run "$ROOT/tests/tools/try" server_2
	assert_failure 1
	assert_line --index 0 --partial "Cannot make a network namespace"
	refute_output --partial 'Successfull bind'
}
