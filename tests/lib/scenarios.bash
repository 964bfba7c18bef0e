# scenarios.bash: the peers, waits and runner of the scenarios written in
# bash, which the pinned tests (tests/suite/NAME.bats) build theirs from;
# and the step language's executor (steps.bash), which runs every scenario
# written as data (tests/scenarios/NAME/*.steps), the lecture's among them.
#
# A scenario runs inside a network namespace of its own (netns_call run_in),
# with BIN = build/asm or build/c and OUT = a fresh folder.
# It leaves the program's stdout in $OUT/stdout, the bytes its peers
# received in $OUT/wire, and with TRACE set, the joined trace in $OUT/trace
# and in $OUT/trace.ip the same unmasked, each syscall with its instruction
# pointer (for tests/tools/syscall_sites).

# --- Peers --------------------------------------------------------------------

# A client on the lecture's server port: nc, telnet or socat.
nc_client() { # <name> [nc options...]
	bg_peer "$1" nc -N "${@:2}" 127.0.0.1 "$SERVER_PORT"
}

telnet_client() { # <name>
	bg_peer "$1" telnet 127.0.0.1 "$SERVER_PORT"
}

# A client that can end its connection with a reset (RST): socat, with
# SO_LINGER 0, from a port of its own; reset_client kills it, and its
# kernel resets the connection.
socat_client() { # <name> <source port>
	bg_peer "$1" socat -t 86400 STDIO \
		"TCP:127.0.0.1:$SERVER_PORT,sourceport=$2,linger=0"
}

reset_client() { # <name>
	kill -KILL "${BG_PID[$1]}" 2>/dev/null || true
	bg_stop "$1"
}

# A server for the lecture's clients: nc -l, one connection (-k: many).
nc_server() { # <name> [nc options...]
	bg_peer "$1" nc -l "${@:2}" 127.0.0.1 "$SERVER_PORT"
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

# At least this many connections wait, complete, in the server's queue: the
# server's side of each (established, 01, on the server port).
has_queued() { # <count>
	count_tcp 01 local "$SERVER_PORT"
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
	first_process server
	local pid=$FIRST_PID
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
	local peer parts=()
	for peer in "$@"; do	# (one cat for all: a process a peer cost a run more)
		printf '== %s\n' "$peer" >"$OUT/$peer.head"
		parts+=("$OUT/$peer.head" "$OUT/$peer.out")
	done
	cat "${parts[@]}" >"$OUT/wire"
	rm -f "$OUT"/*.head
}

# --- Runner -------------------------------------------------------------------

# Runs a scenario (or any function) with BIN and OUT set, stops whatever it
# left running, and joins its traces. Fails if any wait ran out of time.
run_in() { # <function> [args...]
	# a run with no folder to write in has nothing to show: it fails here
	# (it passed once, with every file missing, for it had no errors file)
	# (traced, with its trace.d: one mkdir; open to the sandbox's uid there)
	mkdir -p ${TRACE:+${SANDBOX:+-m 1777}} "$OUT${TRACE:+/trace.d}" &&
		: >"$OUT/stdout" && : >"$OUT/wire" || return 1
	"$@"
	bg_stop_all
	if [ -n "${TRACE:-}" ]; then
		trace_join "$OUT/trace.d" "$OUT/trace.ip" "$OUT/trace"
	fi
	[ ! -e "$OUT/errors" ]	# every wait was met
}

# --- Scenarios as data --------------------------------------------------------

# The step language and its one executor.
source "$HARNESS_LIB/steps.bash"
