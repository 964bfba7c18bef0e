#!/usr/bin/env bats
# server_3: a child process a client (fork); the child reads 100 bytes at a
# time, prints them and a newline, and clears buffer[1..100] after each.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "server_3: prints 100 bytes of a long line, then addrstr's first byte (0x02)" {
	run_both client_sends_and_hangs_up server_3 "$(repeat x 150)\n" $((102 + 52))
	run visible "$ASM/stdout"
	assert_output - <<OUT
Successfull bind\$
$(repeat x 100)^B\$
$(repeat x 50)\$
\$
OUT
}

@test "server_3: the clearing loop zeroes addrstr's first byte, so later reads stop at 100" {
	run_both client_sends_and_hangs_up server_3 "$(repeat x 300)\n" $((102 + 101 + 101 + 2))
	run visible "$ASM/stdout"
	assert_output - <<OUT
Successfull bind\$
$(repeat x 100)^B\$
$(repeat x 100)\$
$(repeat x 100)\$
\$
\$
OUT
}

@test "server_3: an empty line prints two newlines" {
	run_both client_sends_and_hangs_up server_3 '\n' 2
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
$
$
OUT
}

@test "server_3: stops printing at a NUL inside a line" {
	run_both client_sends_and_hangs_up server_3 'ab\0cd\n' 3
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
ab$
OUT
}

@test "server_3: a line cut off by EOF is printed with a newline of its own" {
	run_both client_sends_and_hangs_up server_3 'abc' 4
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
abc$
OUT
}

silent_client() {
	start_server server_3
	nc_client silent
	wait_connections 1
	bg_close silent
	wait_children_ended 1 1	# the child read 0 and exited
	finish silent
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "server_3: a client that connects and sends nothing ends its child quietly" {
	run_both silent_client
	run visible "$ASM/stdout"
	assert_output 'Successfull bind$'
}

forty_clients() {
	start_server server_3
	local i clients=()
	for i in $(seq -w 1 40); do
		printf 'client %s\n' "$i" |
			timeout "$WAIT_LIMIT" socat -u STDIN "TCP:127.0.0.1:$SERVER_PORT" &
		clients+=($!)
	done
	WAIT_LIMIT=15 wait_for_lines "$OUT/server.out" 'client ' 40
	wait "${clients[@]}"
	finish
	# children print in the order the kernel runs them: compare sorted
	grep -v '^$' "$OUT/server.out" | sort >"$OUT/stdout"
	rm "$OUT/server.out"
}

@test "server_3: 40 clients at once: every message arrives, none mixed" {
	run_both forty_clients
	run cat "$ASM/stdout"
	assert_output - <<OUT
Successfull bind
$(printf 'client %s\n' $(seq -w 1 40))
OUT
}

@test "server_3: never waits for a child nor closes a client's descriptor: zombies, and 4, 5... stay open" {
	run_both two_clients_come_and_go server_3
	run cat "$ASM/left"
	assert_output - <<'OUT'
descriptors: 0 1 2 3 4 5
connections it never closed: 2
zombie children: 2
OUT
}

client_resets() {
	start_server server_3
	socat_client client 40001
	wait_connections 1
	bg_send client 'abc\n'
	wait_for_line "$OUT/server.out" 'abc'
	reset_client client
	wait_children_ended 1 1	# the child read 0 after the error, and exited
	finish
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "server_3: after a client's reset, read's -ECONNRESET is not 0: the child prints buffer[0], never cleared" {
	TRACE=1 run_both client_resets
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
abc$
$
a$
OUT
	run cat "$ASM/trace"
	assert_line 'read(4, ADDR, 100) = -1 ECONNRESET (Connection reset by peer)'
}
