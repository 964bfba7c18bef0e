#!/usr/bin/env bats
# server_2: accepts a client, makes one read of 100 bytes, prints the buffer
# as a string, and goes back to accept. The buffer is never cleared.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "server_2: prints 100 bytes of a long line, then addrstr's first byte (0x02)" {
	run_both client_sends_and_hangs_up server_2 "$(repeat x 150)\n" 101
	run visible "$ASM/stdout"
	assert_line --index 1 "$(repeat x 100)^B"
}

@test "server_2: stops printing at a NUL inside a line" {
	run_both client_sends_and_hangs_up server_2 'ab\0cd\n' 2
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
ab
OUT
}

@test "server_2: prints a line without its newline when the client hangs up mid-line" {
	run_both client_sends_and_hangs_up server_2 'abc' 3
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
abc
OUT
}

silent_client_then_talker() {
	start_server server_2
	nc_client silent
	wait_connections 1
	bg_close silent			# EOF at once: read returns 0
	nc_client talker
	bg_send talker 'hello\n'
	wait_for_line "$OUT/server.out" 'hello'
	finish silent talker
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "server_2: a client that sends nothing prints nothing, and the next is read" {
	run_both silent_client_then_talker
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
hello$
OUT
}

@test "server_2: never closes a client's descriptor: 4, 5... stay open, the clients never get EOF" {
	run_both two_clients_come_and_go server_2
	run cat "$ASM/left"
	assert_output - <<'OUT'
descriptors: 0 1 2 3 4 5
connections it never closed: 2
zombie children: 0
OUT
}

@test "server_2: binds port 55555, where its comment says port 60000" {
	run grep -c '; port 60000$' "$ROOT/asm/server_2.asm"
	assert_output 1
	TRACE=1 run_both server_only server_2
	run cat "$ASM/trace"
	assert_line 'bind(3, {sa_family=0x2, sin_port="\xd9\x03", sin_addr="\x00\x00\x00\x00"}, 16) = 0'
}
