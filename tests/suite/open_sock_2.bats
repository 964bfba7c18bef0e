#!/usr/bin/env bats
# open_sock_2: a socket and its dup, shut down one way each, then closed.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "open_sock_2: prints the socket's descriptor and its copy's, 3 and 4" {
	run_lecture_scenario open_sock_2
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
3$
4$
OUT
}

@test "open_sock_2: both builds make the same syscalls" {
	TRACE=1 run_lecture_scenario open_sock_2
	run cat "$ASM/trace"
	assert_output - <<'OUT'
== open_sock_2
-- process
socket(0x2, 0x1, 0x6) = 3
write(1, "3", 1) = 1
write(1, "\n", 1) = 1
dup(3) = 4
write(1, "4", 1) = 1
write(1, "\n", 1) = 1
shutdown(3, 0) = -1 ENOTCONN (Transport endpoint is not connected)
shutdown(4, 0x1) = -1 ENOTCONN (Transport endpoint is not connected)
close(3) = 0
close(4) = 0
exit(0) = ?
+++ exited with 0 +++
OUT
}

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
