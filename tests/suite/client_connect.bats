#!/usr/bin/env bats
# client_connect: binds port 55556, connects to 55555, shuts down, closes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "client_connect: connects, and run again at once gets Error bind (TIME_WAIT on 55556)" {
	run_lecture_scenario client_connect
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
Successful connect$
Error bind$
OUT
}

@test "client_connect: both builds make the same syscalls" {
	TRACE=1 run_lecture_scenario client_connect
	run cat "$ASM/trace"
	assert_output - <<'OUT'
== client_connect
-- process
socket(0x2, 0x1, 0x6) = 3
bind(3, {sa_family=0x2, sin_port="\xd9\x04", sin_addr="\x00\x00\x00\x00"}, 16) = 0
write(1, "Successfull bind\n", 17) = 17
connect(3, {sa_family=0x2, sin_port="\xd9\x03", sin_addr="\x00\x00\x00\x00"}, 16) = 0
write(1, "Successful connect\n", 19) = 19
shutdown(3, 0x2) = 0
close(3) = 0
exit(0) = ?
+++ exited with 0 +++
== client_connect
-- process
socket(0x2, 0x1, 0x6) = 3
bind(3, {sa_family=0x2, sin_port="\xd9\x04", sin_addr="\x00\x00\x00\x00"}, 16) = -1 EADDRINUSE (Address already in use)
write(1, "Error bind\n", 11) = 11
exit(0) = ?
+++ exited with 0 +++
OUT
}

no_server() {
	prog client_connect >"$OUT/stdout"
}

@test "client_connect: with no server listening says Error connect" {
	run_both no_server
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
Error connect$
OUT
}

no_descriptors_left() {
	FD_LIMIT=3 prog client_connect >"$OUT/stdout"
}

@test "client_connect: with no descriptor left, bind gets -EBADF: Error bind" {
	run_both no_descriptors_left
	run visible "$ASM/stdout"
	assert_output 'Error bind$'
}
