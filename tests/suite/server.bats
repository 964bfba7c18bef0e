#!/usr/bin/env bats
# server: like listen_accept_1, and prints each client's port, read from the
# address accept fills in.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

clients_from_another_host() {
	start_two_hosts
	start_server server
	on_host_b nc -N -w 2 -p 40001 "$HOST_A" "$SERVER_PORT" </dev/null
	wait_for_lines "$OUT/server.out" 'New connection on port' 1
	on_host_b nc -N -w 2 -p 40002 "$HOST_A" "$SERVER_PORT" </dev/null
	wait_for_lines "$OUT/server.out" 'New connection on port' 2
	finish
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "server: reports the port of a client on another host" {
	run_both clients_from_another_host
	run visible "$ASM/stdout"
	assert_line --index 3 'New connection on port 0$'
	assert_line --index 4 'New connection on port 40002$'
}

@test "server: binds port 55555, where its comment says port 60000" {
	run grep -c '; port 60000$' "$ROOT/asm/server.asm"
	assert_output 1
	TRACE=1 run_both server_only server
	run cat "$ASM/trace"
	assert_line 'bind(3, {sa_family=0x2, sin_port="\xd9\x03", sin_addr="\x00\x00\x00\x00"}, 16) = 0'
}
