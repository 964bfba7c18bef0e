# scenarios.bash: each program's lecture scenario, defined once. The tests
# pin what they print (tests/NAME.bats), tests/tools/compare tabulates them.
#
# A scenario runs inside a network namespace of its own (netns_call run_in),
# with BIN = build/asm or build/c and OUT = a fresh folder.
# It leaves the program's stdout in $OUT/stdout, the bytes its peers
# received in $OUT/wire, and with TRACE set, the joined trace in $OUT/trace
# (with TRACE_SITES too, $OUT/trace.ip: the same unmasked, each syscall with
# its instruction pointer).

# --- Peers --------------------------------------------------------------------

# A client on the lecture's server port: nc, telnet or socat.
nc_client() { # <name> [nc options...]
	bg_start "$1" nc -N "${@:2}" 127.0.0.1 "$SERVER_PORT"
}

telnet_client() { # <name>
	bg_start "$1" telnet 127.0.0.1 "$SERVER_PORT"
}

# A client that can end its connection with a reset (RST): socat, with
# SO_LINGER 0, from a port of its own; reset_client kills it, and its
# kernel resets the connection.
socat_client() { # <name> <source port>
	bg_start "$1" socat -t 86400 STDIO \
		"TCP:127.0.0.1:$SERVER_PORT,sourceport=$2,linger=0"
}

reset_client() { # <name>
	kill -KILL "${BG_PID[$1]}" 2>/dev/null || true
	bg_stop "$1"
}

# A server for the lecture's clients: nc -l, one connection (-k: many).
nc_server() { # <name> [nc options...]
	bg_start "$1" nc -l "${@:2}" 127.0.0.1 "$SERVER_PORT"
	wait_listening "$SERVER_PORT"
}

# A connection from this port has closed, and the kernel still holds the port.
in_time_wait() { # <port>
	count_tcp 06 local "$1"
	((TCP_COUNT > 0))
}

# At least this many clients are connected to the server port.
has_connections() { # <count>
	count_tcp 01 remote "$SERVER_PORT"
	((TCP_COUNT >= $1))
}

# Waits until this many clients have connected to the server port.
wait_connections() { # <count>
	wait_until has_connections "$1"
}

# At least this many clients call, unanswered by the server's kernel (SYN
# sent, 02).
has_calling() { # <count>
	count_tcp 02 remote "$SERVER_PORT"
	((TCP_COUNT >= $1))
}

lines_in() { # <file> <text>
	cat "$1" 2>/dev/null | grep -cF -- "$2"
}

has_lines() { # <file> <text> <count>
	[ "$(lines_in "$1" "$2")" -ge "$3" ]
}

# Waits until a file holds a line this many times: wait_for_lines f 'New' 2
wait_for_lines() { # <file> <text> <count>
	wait_until has_lines "$@"
}

# Waits until the server is down to this many live processes, its children
# having ended; traced, also until strace has shown their parents as many
# SIGCHLDs. strace writes that line a moment after the child's end, and a
# stop before then would leave it out of one build's trace.
wait_children_ended() { # <live processes left> <children ended so far>
	wait_live_in_group server "$1" || return 1
	[ -z "${TRACE:-}" ] || wait_until trace_has '--- SIGCHLD' "$2"
}

# Starts a lecture server and waits until it listens.
start_server() { # <program>
	bg_prog server "$1"
	wait_listening "$SERVER_PORT"
}

# A server that starts, listens and is stopped: nothing else.
server_only() { # <program>
	start_server "$1"
	finish
}

# The same, with a descriptor limit: with a limit of 4, accept finds no descriptor.
start_server_limited() { # <program> <descriptor limit>
	FD_LIMIT=$2 start_server "$1"
}

# Stops the program under test first, at a point it reached by itself, then
# its peers: the order keeps traces the same from run to run.
finish() { # <peer names...>
	bg_stop server
	local peer
	for peer in "$@"; do bg_stop "$peer"; done
}

# A bad-input scenario for the servers: one nc client sends these bytes and
# hangs up; waits until the server has printed this many bytes after its
# "Successfull bind\n".
client_sends_and_hangs_up() { # <program> <printf format> <bytes printed>
	start_server "$1"
	nc_client client
	bg_send client "$2"
	bg_close client
	wait_until file_size_at_least "$OUT/server.out" $((17 + $3))
	finish client
	cp "$OUT/server.out" "$OUT/stdout"
}

# Two clients in turn each send a line and hang up; then notes in
# $OUT/left what the server still holds: its descriptors, the connections
# it never closed, its zombie children.
two_clients_come_and_go() { # <program>
	start_server "$1"
	local client children=0
	for client in one two; do
		nc_client "$client"
		bg_send "$client" "$client\n"
		bg_close "$client"
		wait_for_line "$OUT/server.out" "$client"
		# server_3: the client's child read 0 and exited
		[ "$1" != server_3 ] || wait_children_ended 1 $((children += 1))
	done
	local pid=${BG_PID[server]}
	{
		echo "descriptors: $(ls "/proc/$pid/fd" | sort -n | paste -sd ' ')"
		count_tcp 08 local "$SERVER_PORT"	# close-wait
		echo "connections it never closed: $TCP_COUNT"
		echo "zombie children: $(ps -o stat= --ppid "$pid" | grep -c '^Z')"
	} >"$OUT/left"
	finish one two
}

# The peers' received bytes, one block a peer.
collect_wire() { # <peer names...>
	local peer
	for peer in "$@"; do
		printf '== %s\n' "$peer"
		cat "$OUT/$peer.out"
	done >"$OUT/wire"
}

# --- Runner -------------------------------------------------------------------

# Runs a scenario (or any function) with BIN and OUT set, stops whatever it
# left running, and joins its traces. Fails if any wait ran out of time.
run_in() { # <function> [args...]
	mkdir -p "$OUT"
	: >"$OUT/stdout"
	: >"$OUT/wire"
	"$@"
	bg_stop_all
	if [ -n "${TRACE:-}" ]; then
		if [ -n "${TRACE_SITES:-}" ]; then	# also kept unmasked, for tests/tools/syscall_sites
			trace_join_unmasked "$OUT/trace.d" >"$OUT/trace.ip"
			mask_trace <"$OUT/trace.ip" >"$OUT/trace"
		else
			trace_join "$OUT/trace.d" >"$OUT/trace"
		fi
	fi
	[ ! -e "$OUT/errors" ]	# every wait was met
}

# --- The lecture's scenarios --------------------------------------------------

# open_sock_1: run once; it prints its socket's descriptor, 3.
scenario_open_sock_1() {
	prog open_sock_1 >>"$OUT/stdout"
}

# open_sock_2: run once; it prints the socket's descriptor and its dup's.
scenario_open_sock_2() {
	prog open_sock_2 >>"$OUT/stdout"
}

# bind_sock: once on a free port, once while nc listens on 55555.
scenario_bind_sock() {
	prog bind_sock >>"$OUT/stdout"
	nc_server busy
	prog bind_sock >>"$OUT/stdout"
	bg_stop busy
}

# listen_accept_1: telnet connects twice; each connection is reported.
scenario_listen_accept_1() {
	start_server listen_accept_1
	telnet_client telnet_1
	wait_for_lines "$OUT/server.out" 'New connection' 1
	telnet_client telnet_2
	wait_for_lines "$OUT/server.out" 'New connection' 2
	finish telnet_1 telnet_2
	cp "$OUT/server.out" "$OUT/stdout"
}

# client_connect: connects to nc -l; run again at once, its port 55556 is
# still held by the first connection (TIME_WAIT): "Error bind".
scenario_client_connect() {
	nc_server peer -k
	prog client_connect >>"$OUT/stdout"
	wait_until in_time_wait "$CLIENT_PORT" || ss -tan >&2	# what became of it
	prog client_connect >>"$OUT/stdout"
	bg_stop peer
	collect_wire peer
}

# server: telnet, then client_connect (port 55556), then nc from port 40000.
# len_client starts at 0, so the first accept reports port 0.
scenario_server() {
	start_server server
	telnet_client telnet
	wait_for_lines "$OUT/server.out" 'New connection on port' 1
	prog client_connect >"$OUT/client_connect.out"
	wait_for_lines "$OUT/server.out" 'New connection on port' 2
	nc_client nc -p 40000
	wait_for_lines "$OUT/server.out" 'New connection on port' 3
	finish telnet nc
	cp "$OUT/server.out" "$OUT/stdout"
}

# server_2: one read per client. A connects and says nothing; B connects and
# writes, unread until A writes; A's second line is never read; C's short
# line overwrites the start of B's, whose tail still shows.
scenario_server_2() {
	start_server server_2
	nc_client A
	wait_connections 1
	nc_client B
	wait_connections 2
	bg_send B 'second client\n'
	bg_send A 'first client\n'
	wait_for_line "$OUT/server.out" 'second client'
	bg_send A 'again\n'
	nc_client C
	bg_send C 'bye\n'
	wait_for_line "$OUT/server.out" 'bye'
	finish A B C
	cp "$OUT/server.out" "$OUT/stdout"
	collect_wire A B C
}

# server_3: a child per client. nc and telnet (which sends CRLF) take turns;
# nc's second line, then nc hangs up and its child exits.
scenario_server_3() {
	start_server server_3
	nc_client nc
	wait_connections 1		# accepted in this order: nc first
	telnet_client telnet
	wait_connections 2
	bg_send nc 'hello from nc\n'
	wait_for_line "$OUT/server.out" 'hello from nc'
	bg_send telnet 'hello from telnet\n'
	wait_for_line "$OUT/server.out" 'hello from telnet'
	bg_send nc 'bye\n'
	wait_for_line "$OUT/server.out" 'bye'
	bg_close nc
	wait_children_ended 2 1	# nc's child is gone: the parent and telnet's child
	finish nc telnet
	cp "$OUT/server.out" "$OUT/stdout"
}

# client_2: sends one typed line to nc -l: always 100 bytes, NULs included.
scenario_client_2() {
	nc_server peer
	printf 'hello\n' | prog client_2 >>"$OUT/stdout"
	bg_wait peer
	collect_wire peer
}

# server_4: duplex. The client's line is printed; the line typed at the
# server goes back to the client as 100 bytes.
scenario_server_4() {
	start_server server_4
	nc_client nc
	wait_connections 1
	bg_send nc 'ping\n'
	wait_for_line "$OUT/server.out" 'ping'
	bg_send server 'pong\n'
	wait_until file_size_at_least "$OUT/nc.out" 100
	finish nc
	cp "$OUT/server.out" "$OUT/stdout"
	collect_wire nc
}

# --- Scenarios as data --------------------------------------------------------

# The fuzzer's step lists and their executor.
source "$HARNESS_LIB/steps.bash"
