#!/usr/bin/env bats
# client_2: binds 55556, connects to 55555, reads a line from the keyboard
# (input_keyboard: 255 bytes into a 100-byte buffer) and sends 100 bytes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

# Types this into client_2, connected to nc -l; keeps its exit status.
type_into_client_2() { # <printf format>
	nc_server peer
	# shellcheck disable=SC2059
	printf "$1" | prog client_2 >"$OUT/stdout"
	echo "exit $?" >"$OUT/status"
	bg_wait peer
	collect_wire peer
}

@test "client_2: sends the first 100 bytes of a line longer than its buffer" {
	run_both type_into_client_2 "$(repeat x 150)\n"
	run visible "$ASM/wire"
	assert_line --index 1 "$(repeat x 100)"
	assert_equal "$(cat "$ASM/status")" 'exit 0'
}

@test "client_2: keeps the CR of a CRLF line" {
	run_both type_into_client_2 'hi\r\n'
	run visible "$ASM/wire"
	assert_line --index 1 "hi^M$(repeat '^@' 97)"
}

@test "client_2: sends a NUL inside a line as it is" {
	run_both type_into_client_2 'a\0b\n'
	run visible "$ASM/wire"
	assert_line --index 1 "a^@b$(repeat '^@' 97)"
}

@test "client_2: an empty line sends 100 NULs" {
	run_both type_into_client_2 '\n'
	run visible "$ASM/wire"
	assert_line --index 1 "$(repeat '^@' 100)"
}

@test "client_2: with no newline in 255 bytes, the scan runs off its page: SIGSEGV, nothing sent" {
	run_both type_into_client_2 "$(repeat x 300)\n"
	assert_equal "$(cat "$ASM/status")" 'exit 139'
	run visible "$ASM/wire"
	assert_output '== peer$'
}

@test "client_2: EOF with no newline: SIGSEGV, nothing sent" {
	run_both type_into_client_2 'abc'
	assert_equal "$(cat "$ASM/status")" 'exit 139'
	run visible "$ASM/wire"
	assert_output '== peer$'
}

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
