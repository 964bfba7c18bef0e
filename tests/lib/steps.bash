# steps.bash: a scenario as plain data, one step a line, and the one
# executor of such a list. The fuzzer (tests/tools/fuzz) writes them; every
# scenario in tests/scenarios/NAME/ is replayed by make test (per_program).
# Sourced by scenarios.bash; runs inside netns_call run_in, as a scenario.
#
#   program NAME        the program under test (the first step)
#   mask sigchld        the trace leaves out SIGCHLD and each syscall it
#                       interrupts (the fuzzer's cases: children that end
#                       at once raise one SIGCHLD or two, as the scheduler
#                       has it, and the programs ignore it either way)
#   listen MODE         a peer listens on the server port, in place of any
#                       earlier one: accept, noread, close or rst (peer.py),
#                       or a real one: nc (nc -l: one connection), nc-k
#                       (nc -l -k: one after another)
#   start [FAULT...]    a new run of the program, in the background; faults:
#                       nofile=N (descriptors), nproc=N (processes),
#                       stdin=closed|null, stdout=closed|full|broken (a pipe
#                       with no reader)
#   connect N [PEER]    client N connects to the server port from port
#                       40000+N: peer.py's socket, or a real peer: nc,
#                       socat (which can reset), telnet (from a port its
#                       kernel picks; it sends CRLF for a newline), or a
#                       program of the table, from the same build
#   send N HEX          it sends these bytes (a real peer: written to its
#                       stdin in one write)
#   shut N | close N | rst N   it half-closes, closes (FIN), resets (RST);
#                       a real peer: shut and close are EOF on its stdin
#   type HEX            these bytes to the latest run's stdin
#   eof                 closes the latest run's stdin
#   signal NAME         a signal to the latest run's first process
#   wait time-wait PORT until a connection from this port is in TIME_WAIT
#                       (the kernel still holds the port)
#
# After each step that acts (all but program and mask) the executor waits
# until all has settled (settled), never for a fixed time, so that both
# builds see the same reads, and writes how many steps are done to
# $OUT/steps.done: the file of steps may be a FIFO that a tool (make try)
# feeds as it goes. At the end it leaves stdout (each run's output), wire
# (what each peer received) and status (how each run ended) in $OUT.

FUZZ_PEER=$HARNESS_LIB/peer.py
CLIENT_PEER_PORT=40000

# Runs the steps in a file (or a FIFO, until EOF), then ends every run and
# peer.
run_steps() { # <steps file>
	local verb args done=0
	STEP_RUNS=() STEP_PEERS=() STEP_PROGRAM="" PEER_ACKS=0 REAL_PEER=()
	while read -r verb args; do
		case $verb in
		'' | '#'*) continue ;;
		program | mask | listen | start | connect | send | shut | close | rst | type | eof | signal | wait) ;;
		*) echo "unknown step: $verb $args" >>"$OUT/errors"; return 1 ;;
		esac
		# shellcheck disable=SC2086
		"step_$verb" $args
		case $verb in
		program | mask) ;;	# they start nothing: nothing to settle
		*) settle ;;
		esac
		echo "$((done += 1))" >"$OUT/steps.done"
	done <"$1"
	end_steps
}

step_program() { # <name>
	STEP_PROGRAM=$1
}

step_mask() { # sigchld
	# shellcheck disable=SC2034	# read by run_in's trace_join (mask_trace)
	[ "$1" != sigchld ] || TRACE_QUIET_SIGCHLD=1
}

# The real peers of this scenario: client number (or listener) -> kind.
declare -gA REAL_PEER=()

step_listen() { # <mode>
	case $1 in
	nc | nc-k)
		[ -z "${REAL_PEER[listener]:-}" ] || bg_stop listener
		REAL_PEER[listener]=$1
		[[ " ${STEP_PEERS[*]} " == *" listener "* ]] || STEP_PEERS+=(listener)
		bg_peer listener nc -l ${1#nc} 127.0.0.1 "$SERVER_PORT" ;;
	*) peer_command listener "listen $SERVER_PORT $1" ;;
	esac
}

step_start() { # [fault...]
	local name=run$((${#STEP_RUNS[@]} + 1)) fault
	local -x FD_LIMIT="" PROC_LIMIT="" STDIN_FAULT="" STDOUT_FAULT=""
	for fault in "$@"; do
		case $fault in
		nofile=*) FD_LIMIT=${fault#*=} ;;
		nproc=*) PROC_LIMIT=${fault#*=} ;;
		stdin=*) STDIN_FAULT=${fault#*=} ;;
		stdout=*) STDOUT_FAULT=${fault#*=} ;;
		esac
	done
	STEP_RUNS+=("$name")
	bg_prog "$name" "$STEP_PROGRAM"
	# Under strace, the program is strace's to start, and settle watches
	# the program, not strace: wait until strace has it (its trace begun),
	# or has given up (a process limit can refuse it the fork).
	[ -z "${TRACE:-}" ] ||
		wait_until trace_begun "$TRACE_PREFIX" "${BG_PID[$name]}"
}

# Whether strace has begun the trace files of a run, or has ended.
trace_begun() { # <trace file prefix> <strace's pid>
	local files=("$1".*)
	[ -e "${files[0]}" ] || is_gone "$2"
}

step_connect() { # <n> [peer]
	local name=client$1 port=$((CLIENT_PEER_PORT + $1))
	[ -z "${REAL_PEER[$1]:-}" ] || return 0	# each connects once
	[[ " ${STEP_PEERS[*]} " != *" $name "* ]] || return 0
	case ${2:-} in
	'') peer_command "$name" "connect $1 $SERVER_PORT $port"; return ;;
	nc | socat | telnet) ;;
	*) is_program "$2" || { echo "connect $1: no peer $2" >>"$OUT/errors"; return 1; } ;;
	esac
	REAL_PEER[$1]=$2
	case $2 in
	nc) bg_peer "$name" nc -N -p "$port" 127.0.0.1 "$SERVER_PORT" ;;
	socat) socat_client "$name" "$port" ;;
	# what telnet prints is a terminal's, its own lines among it, and a
	# program's output is its own: neither is the wire
	telnet) telnet_client "$name"; return ;;
	*) bg_prog "$name" "$2"; return ;;
	esac
	STEP_PEERS+=("$name")
}

step_send() { # <n> [hex]
	if [ -n "${REAL_PEER[$1]:-}" ]; then
		write_hex "${2:-}" "client$1"
	else
		peer_command "" "send $1 ${2:-}"
	fi
}

step_shut() { # <n>
	if [ -n "${REAL_PEER[$1]:-}" ]; then
		bg_close "client$1"	# nc -N, socat: EOF on stdin shuts their side
	else
		peer_command "" "shut $1"
	fi
}

step_close() { # <n>
	if [ -n "${REAL_PEER[$1]:-}" ]; then
		bg_close "client$1"
	else
		peer_command "" "close $1"
	fi
}

step_rst() { # <n>
	if [ "${REAL_PEER[$1]:-}" = socat ]; then
		reset_client "client$1"
	elif [ -z "${REAL_PEER[$1]:-}" ]; then
		peer_command "" "rst $1"
	fi
}

step_wait() { # time-wait <port>
	case $1 in
	time-wait) wait_until in_time_wait "$2" || ss -tan >>"$OUT/errors" ;;
	*) echo "wait $1: no such condition" >>"$OUT/errors"; return 1 ;;
	esac
}

step_type() { # [hex]
	local name=${STEP_RUNS[-1]:-}
	[ -n "$name" ] || return 0
	write_hex "${1:-}" "$name"
}

# Writes the bytes of a hex string to a descriptor in one write(2), so that
# a reader sees them at once, as a line typed at a terminal comes. bash's
# printf writes a line at a time, and at most 4096 bytes a write: bytes
# with no newline before their last, and fewer than that, it writes in
# one; others go through a file, and cat writes them in one (a process).
write_hex() { # <hex> <background process's name>
	local fd=${BG_IN[$2]:-} body=${1%0a}
	[ -n "$fd" ] || return 0	# its stdin is closed
	# shellcheck disable=SC2059	# each byte as \xHH (& is the match: bash 5.2)
	if [ "${#1}" -le 8000 ] && [[ " ${body//??/& }" != *" 0a "* ]]; then
		printf "${1//??/\\x&}" >&"$fd"
	else
		printf "${1//??/\\x&}" >"$OUT/typed"
		cat "$OUT/typed" >&"$fd"
	fi
}

step_eof() {
	[ -z "${STEP_RUNS[-1]:-}" ] || bg_close "${STEP_RUNS[-1]}"
}

step_signal() { # <name>
	local name=${STEP_RUNS[-1]:-}
	[ -n "$name" ] && [ -n "${BG_PID[$name]:-}" ] || return 0
	first_process "$name"
	# under strace or in the sandbox, the program's first process, never
	# the launcher (the leader) where the program's has ended
	[ -z "${TRACE:-}${SANDBOX:-}" ] || [ "$FIRST_PID" != "${BG_PID[$name]}" ] || return 0
	kill -s "$1" "$FIRST_PID" 2>/dev/null || true
}

# --- Peers and runs ------------------------------------------------------------

# One command to the peers (tests/lib/peer.py, one process for all,
# started at the first command), waited for until they say it is done. A
# peer named here gets a part of the wire.
peer_command() { # <peer name, or ""> <command>
	[ -n "${BG_PID[peers]:-}" ] ||
		bg_peer peers /usr/bin/python3 "$FUZZ_PEER" "$OUT" "$OUT/peers.ack"
	[ -z "$1" ] || [[ " ${STEP_PEERS[*]} " == *" $1 "* ]] || STEP_PEERS+=("$1")
	PEER_ACKS=$((PEER_ACKS + 1))
	bg_send peers '%s\n' "$2"
	wait_until peers_acked
}

PEER_ACKS=0

peers_acked() {
	local acks=()
	[ ! -f "$OUT/peers.ack" ] || mapfile -t acks <"$OUT/peers.ack"
	[ "${#acks[@]}" -ge "$PEER_ACKS" ]
}

# Ends the scenario: each run that is still going is stopped, then each peer
# reads what is left. Writes stdout, wire and status.
end_steps() {
	local name pid status
	for name in "${STEP_RUNS[@]}"; do
		pid=${BG_PID[$name]}
		if has_live_in_group "$name" 0 && wait_until is_gone "$pid"; then
			wait "$pid" && status=0 || status=$?
			bg_close "$name"
			BG_PID[$name]=
			echo "$name: exit $status"
		else
			bg_stop "$name"
			echo "$name: running"
		fi
	done >"$OUT/status"
	for name in "${!REAL_PEER[@]}"; do	# what they received is written
		[ "$name" = listener ] && bg_stop listener || bg_stop "client$name"
	done
	if [ -n "${BG_PID[peers]:-}" ]; then	# they read what is left, then exit
		bg_close peers
		bg_wait peers
	fi
	local outputs=()	# as a terminal shows them, one after another (one cat)
	for name in "${STEP_RUNS[@]}"; do outputs+=("$OUT/$name.out"); done
	if [ "${#outputs[@]}" -eq 1 ]; then	# one run's: a link, by bash's ln where loaded
		ln -f "${outputs[0]}" "$OUT/stdout"
	elif [ "${#outputs[@]}" -gt 1 ]; then
		cat "${outputs[@]}" >"$OUT/stdout"
	fi
	[ "${#STEP_PEERS[@]}" -eq 0 ] || collect_wire "${STEP_PEERS[@]}"
}

# --- Quiescence ---------------------------------------------------------------
# Settled: every process of the runs (strace aside) and every peer sleeps in
# a syscall, a read or accept has nothing queued on its socket (ss Recv-Q),
# and nothing has changed since the last look, 20 ms before: no process
# woke (context switches), none started or ended.

# The processes watched, into WATCHED: each live run's, launchers (strace,
# the sandbox) aside, and the peers'. LAUNCHING is set when a launcher has
# had no child yet: the program it starts has not started, and nothing of
# it can be settled. One that had a child and has none now saw its program
# end: strace stays while it traces that program's orphans (server_3's
# children, after SIGPIPE ended their parent). (From /proc, not ps, and with
# no subshell: settle looks often.)
declare -gA LAUNCHED=()	# launchers seen with a child, by pid.starttime
watch_pids() {
	local name
	WATCHED=() LAUNCHING=""
	for name in "${STEP_RUNS[@]}" peers listener client{1..9}; do
		[ -z "${BG_PID[$name]:-}" ] || watch_tree "${BG_PID[$name]}"
	done
}

watch_tree() { # <pid>
	local comm children child stat
	read -r comm 2>/dev/null <"/proc/$1/comm" || return 0
	read -r children 2>/dev/null <"/proc/$1/task/$1/children" || true	# no newline
	if ! is_launcher "$comm"; then
		WATCHED+=("$1")
	else
		# a launcher is known by its pid and start time (a pid comes back)
		read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
		set -- "$1" ${stat##*) }
		if [ -n "$children" ]; then
			LAUNCHED[$1.${21}]=1
		elif [ -z "${LAUNCHED[$1.${21}]:-}" ] && [ "$2" != Z ]; then
			LAUNCHING=1	# its program has not started yet
		fi	# else its program has ended (strace may stay, tracing orphans)
	fi
	for child in $children; do watch_tree "$child"; done
}

# Whether a socket that one of these waits to read or accept on has bytes
# (or, listening, connections) queued, as ss shows Recv-Q: then it is about
# to wake. Each descriptor's inode (fdinfo's ino:) is looked up in the
# kernel's TCP tables, read by the shell: no process started at a look.
any_queued() { # <pid/fd...>
	local wait info line fields inodes=" "
	for wait in "$@"; do
		mapfile -t info 2>/dev/null <"/proc/${wait%/*}/fdinfo/${wait#*/}" || continue
		for line in "${info[@]}"; do
			[[ $line != ino:* ]] || inodes+="${line##*[[:space:]]} "
		done
	done
	[ "$inodes" != " " ] || return 1
	mapfile -t info </proc/net/tcp
	mapfile -t -O "${#info[@]}" info 2>/dev/null </proc/net/tcp6 || true	# no IPv6
	for line in "${info[@]}"; do
		# shellcheck disable=SC2206	# sl local remote st tx:rx tr retr uid timeout inode
		fields=($line)
		[[ ${fields[4]:-} == *:* && ${fields[4]#*:} != 00000000 ]] || continue
		[[ $inodes == *" ${fields[9]} "* ]] && return 0
	done
	return 1
}

# ACTIVITY: one line a process, pid, syscall, context switches; WAITS:
# pid/fd of those that wait in read or accept. Fails when a process runs.
activity() {
	local pid stat call switches status
	ACTIVITY="" WAITS=()
	watch_pids
	[ -z "$LAUNCHING" ] || return 1
	for pid in "${WATCHED[@]}"; do
		read -r stat 2>/dev/null <"/proc/$pid/stat" || continue
		stat=${stat##*) }
		case ${stat%% *} in
		Z) continue ;;
		S) ;;
		*) return 1 ;;
		esac
		read -r call 2>/dev/null <"/proc/$pid/syscall" || return 1
		[ "$call" != running ] || return 1
		# shellcheck disable=SC2086	# its fields: number, then arguments
		set -- $call
		case $1 in
		0 | 43 | 288) WAITS+=("$pid/$(($2))") ;;	# read, accept, accept4
		esac
		# the whole file in one read, its fields by one pattern each (a loop
		# over its 55 lines cost a look more than all its reads)
		status=""
		read -r -d '' status 2>/dev/null <"/proc/$pid/status" || true
		# a signal pending: about to wake
		[[ $status =~ $'\n'SigPnd:[[:space:]]*0+$'\n'ShdPnd:[[:space:]]*0+$'\n' ]] || return 1
		[[ $status =~ $'\n'voluntary_ctxt_switches:[[:space:]]*([0-9]+)$'\n'nonvoluntary_ctxt_switches:[[:space:]]*([0-9]+) ]] ||
			return 1
		switches=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
		ACTIVITY+="$pid $1 $switches"$'\n'
	done
}

SETTLED_LAST=""

# Settled when two looks 20 ms apart see the same, and no socket waited on
# has bytes queued.
is_settled() {
	local now
	activity || { SETTLED_LAST=""; return 1; }
	now="at: $ACTIVITY"
	if [ "$now" != "$SETTLED_LAST" ]; then
		SETTLED_LAST=$now
		return 1
	fi
	[ "${#WAITS[@]}" -eq 0 ] || ! any_queued "${WAITS[@]}"
}

settle() {
	SETTLED_LAST=""
	wait_until is_settled
}
