#!/usr/bin/env bats
# client_2: binds 55556, connects to 55555, reads a line from the keyboard
# (input_keyboard: 255 bytes into a 100-byte buffer) and sends 100 bytes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

no_server() {
	printf 'hello\n' | prog client_2 >"$OUT/stdout"
}

@test "client_2: with no server listening says Error connect and reads nothing" {
	TRACE=1 run_both no_server
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
Error connect$
OUT
	run grep -c '^read' "$ASM/trace.d"/*
	assert_output 0
}
