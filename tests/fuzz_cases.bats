#!/usr/bin/env bats
# The fuzzer's kept cases (tests/fuzz_cases/PROGRAM.NAME.steps: every
# difference it found, and a set of diverse scenarios), replayed against
# both builds through the one step executor (tests/lib/steps.bash).

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

# Runs each kept case of a program against both builds, traced, and asserts
# that both left the same stdout, wire bytes, trace and exit status.
replay_kept_cases() { # <program>
	local case count=0
	for case in "$ROOT/tests/fuzz_cases/$1".*.steps; do
		[ -e "$case" ] || continue
		ASM=$BATS_TEST_TMPDIR/${case##*/}/asm
		C=$BATS_TEST_TMPDIR/${case##*/}/c
		TRACE=1 run_both run_steps "$case"
		count=$((count + 1))
	done
	[ "$count" -gt 0 ] || fail "no kept cases for $1 in tests/fuzz_cases/"
}

@test "open_sock_1: every kept fuzz case runs the same in both builds" {
	replay_kept_cases open_sock_1
}

@test "open_sock_2: every kept fuzz case runs the same in both builds" {
	replay_kept_cases open_sock_2
}

@test "bind_sock: every kept fuzz case runs the same in both builds" {
	replay_kept_cases bind_sock
}

@test "listen_accept_1: every kept fuzz case runs the same in both builds" {
	replay_kept_cases listen_accept_1
}

@test "client_connect: every kept fuzz case runs the same in both builds" {
	replay_kept_cases client_connect
}

@test "server: every kept fuzz case runs the same in both builds" {
	replay_kept_cases server
}

@test "server_2: every kept fuzz case runs the same in both builds" {
	replay_kept_cases server_2
}

@test "server_3: every kept fuzz case runs the same in both builds" {
	replay_kept_cases server_3
}

@test "client_2: every kept fuzz case runs the same in both builds" {
	replay_kept_cases client_2
}

@test "server_4: every kept fuzz case runs the same in both builds" {
	replay_kept_cases server_4
}
