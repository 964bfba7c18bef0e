#!/usr/bin/env bats
# server_2: accepts a client, makes one read of 100 bytes, prints the buffer
# as a string, and goes back to accept. The buffer is never cleared.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

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
