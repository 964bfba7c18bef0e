#!/usr/bin/env bats
# client_connect: binds port 55556, connects to 55555, shuts down, closes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

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
