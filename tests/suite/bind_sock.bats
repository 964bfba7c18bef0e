#!/usr/bin/env bats
# bind_sock: a socket bound to 0.0.0.0:55555, then closed.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "bind_sock: binds a free port, and says Error bind on a busy one" {
	run_lecture_scenario bind_sock
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
3$
Successfull bind$
3$
Error bind$
OUT
}

@test "bind_sock: both builds make the same syscalls" {
	TRACE=1 run_lecture_scenario bind_sock
	run cat "$ASM/trace"
	assert_line 'bind(3, {sa_family=0x2, sin_port="\xd9\x03", sin_addr="\x00\x00\x00\x00"}, 16) = 0'
	assert_line 'bind(3, {sa_family=0x2, sin_port="\xd9\x03", sin_addr="\x00\x00\x00\x00"}, 16) = -1 EADDRINUSE (Address already in use)'
}

no_descriptors_left() {
	FD_LIMIT=3 prog bind_sock >"$OUT/stdout"
}

@test "bind_sock: with no descriptor left, prints -EMFILE and then Error bind" {
	run_both no_descriptors_left
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
18446744073709551592$
Error bind$
OUT
}
