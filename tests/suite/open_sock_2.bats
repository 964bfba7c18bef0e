#!/usr/bin/env bats
# open_sock_2: a socket and its dup, shut down one way each, then closed.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

one_descriptor_left() {
	FD_LIMIT=4 prog open_sock_2 >"$OUT/stdout"
}

@test "open_sock_2: with one descriptor left, dup fails and prints -EMFILE unsigned" {
	run_both one_descriptor_left
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
3$
18446744073709551592$
OUT
}
