#!/usr/bin/env bats
# server_3: a child process a client (fork); the child reads 100 bytes at a
# time, prints them and a newline, and clears buffer[1..100] after each.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

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
