#!/usr/bin/env bats
# listen_accept_1: listens on 55555 (backlog 3), reports and closes each
# connection.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

client_from_another_host() {
	start_two_hosts
	start_server listen_accept_1
	on_host_b nc -N -w 2 "$HOST_A" "$SERVER_PORT" </dev/null
	wait_for_lines "$OUT/server.out" 'New connection' 1
	finish
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "listen_accept_1: reports a client from another host" {
	run_both client_from_another_host
	run visible "$ASM/stdout"
	assert_line --index 3 'New connection$'
}

no_descriptor_for_accept() {
	start_server_limited listen_accept_1 4
	nc_client client
	wait_for_lines "$OUT/server.out" 'New connection' 5
	finish client
	# the endless output's length differs from run to run: keep its head
	head -n 7 "$OUT/server.out" >"$OUT/stdout"
	rm "$OUT/server.out"
}

@test "listen_accept_1: when accept finds no descriptor, it reports connections without end" {
	run_both no_descriptor_for_accept
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
3$
Successfull bind$
Successfull listen$
New connection$
New connection$
New connection$
New connection$
OUT
}

# Six clients call while the server is stopped (SIGSTOP), so that nothing
# accepts: the kernel completes backlog + 1 connections and queues them; the
# others' SYNs go unanswered until the queue has room (they retry after 1 s).
# The clients call one at a time, each once the server's kernel has queued
# the last: two handshakes at once can both pass the check for a full queue,
# and leave 5 clients connected and 1 calling (2 of 300 tries, 2 cores).
six_clients_while_stopped() {
	start_server listen_accept_1
	first_process server
	local server=$FIRST_PID
	kill -STOP "$server"
	local i
	for i in 1 2 3 4; do
		nc_client "client_$i"
		wait_until has_queued "$i"
	done
	for i in 5 6; do
		nc_client "client_$i"
		wait_until has_calling $((i - 4))
	done
	wait_connections 4
	count_tcp 01 remote "$SERVER_PORT"
	local queued=$TCP_COUNT
	count_tcp 02 remote "$SERVER_PORT"
	echo "queued: $queued, still calling: $TCP_COUNT" >"$OUT/queue"
	kill -CONT "$server"
	wait_for_lines "$OUT/server.out" 'New connection' 6
	finish client_{1..6}
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "listen_accept_1: a backlog of 3 queues 4 calls while nothing accepts, and limits no clients" {
	run_both six_clients_while_stopped
	run cat "$ASM/queue"
	assert_output 'queued: 4, still calling: 2'
	run grep -c 'New connection' "$ASM/stdout"
	assert_output 6
}
