# harness.bash: the one definition of how a lecture program is run here:
# in a network namespace of its own, in the background, waited for, driven
# by real peers, traced, stopped with its children. Sourced by the tests
# (tests/suite/test_helper.bash) and by the tools (tests/tools/compare, tests/tools/bench).
# Callers set, inside a run, BIN ($BUILD/asm or $BUILD/c) and OUT (a folder
# for the run's files).

HARNESS_LIB=${BASH_SOURCE[0]%/*}
[[ $HARNESS_LIB == /* ]] || HARNESS_LIB=$PWD/$HARNESS_LIB
export HARNESS_LIB

# The build under test: make passes its B= as BUILD.
BUILD=${BUILD:-${HARNESS_LIB%/tests/lib}/build}
export BUILD

# The lecture's programs: PROGRAMS and each one's kind (tests/programs).
source "$HARNESS_LIB/programs.bash"

# bash's own mkfifo, rm and ln (Debian's bash-builtins), where they are
# installed: every run makes FIFOs, removes files and links its output, and
# each such command was a process. Where they are not, the programs of the
# same names do the same. (Not its mkdir: its -p fails when another process
# makes a parent folder at the same moment, as make compare's two runs of a
# program do, and its -m drops the sticky bit.)
for _builtin in mkfifo rm ln; do
	[ ! -e "/usr/lib/bash/$_builtin" ] || enable -f "/usr/lib/bash/$_builtin" "$_builtin" 2>/dev/null || true
done
unset _builtin

# The lecture's ports, and the syscalls its programs make.
SERVER_PORT=55555
CLIENT_PORT=55556
LECTURE_SYSCALLS=socket,bind,listen,accept,connect,read,write,close,shutdown,dup,fork,exit

# How long any wait may take, and any one run of a scenario, in seconds.
WAIT_LIMIT=${WAIT_LIMIT:-5}
RUN_LIMIT=${RUN_LIMIT:-30}

# Runs a command in a new network namespace with its own loopback up. Root
# gets a plain network namespace; anyone else a user namespace around it.
# Its TIME_WAITs ignore resets (tcp_rfc1337, the namespace's own): a peer's
# delayed ACK can reach a client's TIME_WAIT after the peer has closed, the
# TIME_WAIT answers it, and the peer's kernel resets that answer. The reset
# then ended the TIME_WAIT (RFC 1337's "assassination"), and with it the
# port the lecture's client_connect finds still held when run again at once
# (captured: about one run in 150, under load).
in_netns() { # <command> [args...]
	unshare "$NETNS_FLAGS" -- sh -c "$NETNS_SETUP"' && exec "$@"' in_netns "$@"
}

# unshare's options for it, and the shell commands that set it up.
NETNS_FLAGS=-n
[ "$EUID" -eq 0 ] || NETNS_FLAGS=-rn
NETNS_SETUP='ip link set lo up && echo 1 >/proc/sys/net/ipv4/tcp_rfc1337'

# Whether this user can make a network namespace here; where not, says once
# what failed, why, and what to do.
netns_available() {
	local error
	error=$(unshare "$NETNS_FLAGS" true 2>&1) && return 0
	echo "Cannot make a network namespace: 'unshare $NETNS_FLAGS true' says: ${error:-nothing}" >&2
	if [ "$NETNS_FLAGS" = -n ]; then
		cat >&2 <<-'EOF'
		Every lecture program runs in a network namespace of its own, and even
		root may not make one here (a container without CAP_SYS_ADMIN?).
		Run the suite on a machine or VM where 'unshare -n true' works as root.
		EOF
	else
		cat >&2 <<-'EOF'
		Every lecture program runs in a network namespace of its own; an
		ordinary user gets one inside a user namespace, which this machine
		refuses. Either allow unprivileged user namespaces (as root):
		  sysctl -w user.max_user_namespaces=15000               (if it is 0)
		  sysctl -w kernel.apparmor_restrict_unprivileged_userns=0  (Ubuntu 23.10+)
		  sysctl -w kernel.unprivileged_userns_clone=1             (older Debian)
		or run as root, in a checkout of root's own (inside a chroot, only
		root can make namespaces). Check with: unshare -rn true
		EOF
	fi
	return 1
}

# Whether the sandbox (tests/lib/sandbox) starts here: a graded run's
# programs and every run under a process limit start in it. Where it does
# not, says once what it said.
sandbox_available() {
	local error
	error=$("$HARNESS_LIB/sandbox" -- true 2>&1) && return 0
	echo "Cannot start the sandbox that runs under a process limit and graded runs need: ${error:-it says nothing}" >&2
	return 1
}

# Whether what runs is what was built: no binary in a BUILD that make made
# is older than what it is built from (make -q, on the binaries there: a
# hand-in's file that does not build has none). Where one is, says which and what to do.
# The entry points (tests/tools/run, compare, try, demo, fuzz) call it
# first; make's goals have rebuilt by then.
build_is_fresh() {
	local binaries=() binary stale=()
	[ -e "$BUILD/.deps-build" ] || return 0	# not a build make made
	for binary in "$BUILD"/asm/* "$BUILD"/c/*; do
		[[ -x $binary && $binary != *.* ]] && binaries+=("$binary")
	done
	[ "${#binaries[@]}" -gt 0 ] || return 0
	up_to_date "${binaries[@]}" && return 0
	for binary in "${binaries[@]}"; do
		up_to_date "$binary" || stale+=("${binary#"$BUILD"/}")
	done
	echo "${stale[*]:-the build} in $BUILD: older than its source; rebuild with make (make test, compare, try and demo rebuild first)" >&2
	return 1
}

# Calls a shell function in a new network namespace. There, the library
# (this file, scenarios.bash, steps.bash) is defined, and of the caller's
# own functions exactly these: each argument that names one, and each name
# in NETNS_CARRY (the helpers those call). After RUN_LIMIT seconds the call
# is stopped (status 124), and with it the background processes it
# started, which live in sessions of their own.
netns_call() { # <function> [args...]
	local name names=() functions=""
	for name in "$@" ${NETNS_CARRY:-}; do
		[[ $name == [A-Za-z_]* ]] && declare -F -- "$name" >/dev/null && names+=("$name")
	done
	[ "${#names[@]}" -eq 0 ] || functions=$(declare -f -- "${names[@]}")	# one process for all
	netns_exec "$functions" "$@"
}

# The same, with the functions to define there given as text: "" where the
# library's own are called, which the namespace's shell has from sourcing
# it (printing a function to carry it is a process). The namespace is
# in_netns's, set up by the shell that runs the call (in_netns's sh would be
# a process more a run).
netns_exec() { # <functions> <function> [args...]
	unshare "$NETNS_FLAGS" -- timeout -k 5 "$RUN_LIMIT" bash -c "$NETNS_SETUP"' || exit
		source "$HARNESS_LIB/harness.bash"
		source "$HARNESS_LIB/scenarios.bash"
		'"$1"'
		trap "bg_stop_all; exit 124" TERM
		"$@"' netns_call "${@:2}"
}

# Runs a file of steps (tests/lib/steps.bash) against the build in BIN in a
# namespace of its own, as run_scenario does, but never kept (the fuzzer's
# cases, make try's steps as typed).
run_steps_in_netns() { # <steps file>
	netns_exec "" run_in run_steps "$1"
}

# Whether make has nothing to do for these files (quietly: a make that
# called this one would have it print its folders).
up_to_date() { # <files...>
	make -s -q --no-print-directory -C "${HARNESS_LIB%/tests/lib}" B="$BUILD" \
		${STUDENT_C:+C="$STUDENT_C"} ${STUDENT_ASM:+ASM="$STUDENT_ASM"} "$@" >/dev/null 2>&1
}

# Runs a file of steps (tests/lib/steps.bash) against the build in BIN,
# traced where TRACE is set, in a namespace of its own; its files land in
# OUT. Such a run depends on the steps, the binaries it starts, this
# library and TRACE, and on nothing else. Where RESULTS names a folder
# (tests/tools/run makes one a suite run, shared with the runs it nests),
# the first run with the same of each is kept there, and the next gets a
# link to its files: one suite run makes each run once, though the
# per-program replays, make compare and the graded runs all want the
# asm's. Runs that fail are never kept.
run_scenario() { # <steps file>
	[ -n "${RESULTS:-}" ] || { run_steps_in_netns "$1"; return; }
	scenario_key "$1"
	run_kept "$SCENARIO_KEY" run_steps_in_netns "$1"
}

# A run of a function of the caller's (netns_call run_in FUNCTION), kept
# the same way. What it depends on: the function and its arguments, the
# variables that steer a run, the files that define functions (this
# library; the caller names its own in KEY_FILES), every binary of BIN's
# build. A caller whose function reads anything else does not keep it.
run_function() { # <function> [args...]
	[ -n "${RESULTS:-}" ] || { netns_call run_in "$@"; return; }
	local key args
	library_sum
	printf -v args '%s\n' "$@"
	# shellcheck disable=SC2086	# KEY_FILES: a list
	key=$(cat - ${KEY_FILES:-} "$BIN"/* "$BUILD/c/with_nofile" 2>&1 <<<"$args
TRACE=${TRACE:+1} SANDBOX=${SANDBOX:+1} TRACE_SYSCALLS=${TRACE_SYSCALLS:-} \
NETNS_CARRY=${NETNS_CARRY:-} WAIT_LIMIT=$WAIT_LIMIT RUN_LIMIT=$RUN_LIMIT $LIBRARY_SUM" | sha256sum)
	run_kept "${key%% *}" netns_call run_in "$@"
}

# Runs a command that fills OUT, unless a run with the same key was kept in
# RESULTS: then OUT is a link to its files (copy_kept). A run that fails
# is not kept.
run_kept() { # <key> <command> [args...]
	local key=$RESULTS/$1 lock status=0
	[ ! -d "$key" ] || { copy_kept "$key"; return; }	# kept whole (keep_result)
	exec {lock}>>"$key.lock"
	flock "$lock"	# the same run asked for twice at once is made once
	if [ -d "$key" ]; then
		copy_kept "$key"
	else
		"${@:2}" || status=$?
		[ "$status" -ne 0 ] || keep_result "$key"
	fi
	exec {lock}>&-
	return "$status"
}

# OUT, for a kept run: a link to its folder (by bash's own ln, where
# loaded), not a copy, which was a cp process of a run's dozen files: a
# run's files are only read once it has ended, and a kept one is never
# written again. Where OUT is a folder already, its files are copied in.
copy_kept() { # <kept folder>
	local kept=$1
	[[ $kept == /* ]] || kept=$PWD/$kept
	if [ -d "$OUT" ] && [ ! -L "$OUT" ]; then
		cp -R "$kept/." "$OUT"
	else
		[ ! -L "$OUT" ] || rm "$OUT"	# (ln -n is not bash's ln's)
		[ -d "${OUT%/*}" ] || mkdir -p "${OUT%/*}"
		ln -s "$kept" "$OUT"
	fi
}

# OUT, kept: less its pids (a later kill by them would hit other processes)
# and FIFOs.
keep_result() { # <folder to keep it in>
	cp -R "$OUT" "$1.part"
	rm -f "$1.part/pids" "$1.part"/*.in
	mv "$1.part" "$1"
}

# What a run of a file of steps depends on, into SCENARIO_KEY: the steps,
# the program and any program peer in BIN (the table of programs says which
# peers are programs), the descriptor-limit driver, this library (its hash:
# library_sum), TRACE and SANDBOX. The key is the first 16 hex digits of
# each one's sum (file_sums), "none" for a file that is not there.
scenario_key() { # <steps file>
	local verb first second _ files=("$1" "$BUILD/c/with_nofile") file line
	while read -r verb first second _; do
		case $verb in
		program) files+=("$BIN/$first") ;;
		connect) ! is_program "${second:-}" || files+=("$BIN/$second") ;;
		esac
	done <"$1"
	library_sum
	line="TRACE=${TRACE:+1} SANDBOX=${SANDBOX:+1} $LIBRARY_SUM"
	file_sums "$line" "${files[@]}"
	SCENARIO_KEY=${FILE_SUM[" $line"]}
	for file in "${files[@]}"; do SCENARIO_KEY+=-${FILE_SUM[$file]}; done
}

# The sums of a line and of files, into FILE_SUM (the line's under " LINE"):
# the first 16 hex digits of each one's sha256, "none" for a file that is
# not there. One sha256sum for all those not yet known: a caller whose
# files do not change meanwhile (a program's scenarios, one after another)
# sets FILE_SUMS_KEPT, and FILE_SUM keeps them; else each call starts anew.
declare -gA FILE_SUM=()
file_sums() { # <line> <files...>
	local file todo=() present=() sums=() i=1
	[ -n "${FILE_SUMS_KEPT:-}" ] || FILE_SUM=()
	for file in "${@:2}"; do
		[ -n "${FILE_SUM[$file]:-}" ] || todo+=("$file")
	done
	[ -z "${FILE_SUM[" $1"]:-}" ] || [ "${#todo[@]}" -gt 0 ] || return 0
	for file in "${todo[@]}"; do
		[ -f "$file" ] && present+=("$file") || FILE_SUM[$file]=none
	done
	mapfile -t sums < <(sha256sum - "${present[@]}" 2>/dev/null <<<"$1")
	FILE_SUM[" $1"]=${sums[0]:0:16}
	for file in "${present[@]}"; do
		FILE_SUM[$file]=${sums[i]:0:16}
		i=$((i + 1))
	done
}

# The hash of this library's files, into LIBRARY_SUM: worked out once a
# process (a key is worked out for every run; the library does not change
# while it runs), or once a suite run (tests/tools/run exports it), again
# where HARNESS_LIB names another copy.
library_sum() {
	[ "${LIBRARY_SUM_OF:-}" != "$HARNESS_LIB" ] || return 0
	LIBRARY_SUM=$(cat "$HARNESS_LIB"/*.bash "$HARNESS_LIB"/*.py "$HARNESS_LIB/sandbox" 2>&1 | sha256sum)
	LIBRARY_SUM=${LIBRARY_SUM%% *} LIBRARY_SUM_OF=$HARNESS_LIB
}

# What became of a build's runs, where a limit ended them (see
# tests/lib/sandbox) or a wait ran out, one line each, for a failing test.
run_verdicts() { # <out folder> <build's name>
	local name code refused
	if [ ! -e "$1/status" ]; then
		echo "$2: timed out: the scenario did not end in $RUN_LIMIT s, and was stopped"
	fi
	while read -r name code; do	# run1: exit 152
		case ${code#exit } in
		running) echo "$2 ${name%:}: did not end: stopped at the scenario's end" ;;
		152) echo "$2 ${name%:}: killed: CPU time limit (SIGXCPU)" ;;
		153) echo "$2 ${name%:}: killed: file size limit (SIGXFSZ): output cut at $(stat -c %s "$1/stdout" 2>/dev/null || echo '?') bytes" ;;
		esac
	done 2>/dev/null < <(cat "$1/status" 2>/dev/null)
	# each process's own trace: a run cut short has no joined one
	refused=$(cat "$1"/trace.d/* 2>/dev/null | grep -cE 'fork\(\) += -1 EAGAIN') || true
	[ "${refused:-0}" -eq 0 ] || echo "$2: fork refused $refused times: the process limit"
	[ ! -s "$1/errors" ] || sed -n "1s/^/$2: /p" "$1/errors"
}

# A descriptor that never has data: read -t on it waits without starting a
# process, as sleep would at every poll. A FIFO open at both ends, made and
# unlinked by bash's own mkfifo and rm where they are loaded (a process
# substitution is a process each time the library is sourced: every run).
if help mkfifo >/dev/null 2>&1 && help rm >/dev/null 2>&1; then	# loaded (help: no process)
	_nap=${TMPDIR:-/tmp}/nap.$BASHPID.$RANDOM
	mkfifo -m 600 "$_nap" && exec {NAP_FD}<>"$_nap" && rm -f "$_nap"
	unset _nap
fi
[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<> <(:)

# Polls a condition every 10 ms until it holds or WAIT_LIMIT seconds have
# passed (by the clock: a slow condition does not stretch the bound).
wait_until() { # <command> [args...]
	local deadline=$((${EPOCHREALTIME/./} + WAIT_LIMIT * 1000000))
	until "$@"; do
		if ((${EPOCHREALTIME/./} >= deadline)); then
			echo "timed out waiting for: $*" >&2
			[ -z "${OUT:-}" ] || echo "timed out waiting for: $*" >>"$OUT/errors"
			return 1
		fi
		read -rt 0.01 -u "$NAP_FD" _ || true
	done
}

# Whether a file's first line is whole (ends in a newline): a writer may
# write a line in more than one write(2), and Python's print does (the
# text, then the newline), so that a file that is not empty may hold half
# a line. Its line into LINE.
has_line() { # <file>
	IFS= read -r LINE 2>/dev/null <"$1"
}

# Counts this namespace's TCP sockets in a state, on a local or a remote
# port, into TCP_COUNT. It reads the kernel's tables itself: a poll that
# started ss each time would cost a process a poll. States: 01 established,
# 06 time-wait, 0A listen.
count_tcp() { # <state> <local|remote> <port>
	local port table _ local_addr remote_addr state
	printf -v port ':%04X' "$3"
	TCP_COUNT=0
	for table in /proc/net/tcp /proc/net/tcp6; do
		while read -r _ local_addr remote_addr state _; do
			[ "$state" = "$1" ] || continue
			if [ "$2" = local ]; then
				[[ $local_addr == *"$port" ]] || continue
			else
				[[ $remote_addr == *"$port" ]] || continue
			fi
			TCP_COUNT=$((TCP_COUNT + 1))
		done <"$table"
	done
}

is_listening() { # <port>
	count_tcp 0A local "$1"
	((TCP_COUNT > 0))
}

wait_listening() { # <port>
	wait_until is_listening "$1"
}

file_has() { # <file> <text>
	[ -f "$1" ] && grep -qF -- "$2" "$1"
}

# This text in the traces, on at least this many lines (one by default).
trace_has() { # <text> [count]
	[ "$(cat "$OUT"/trace.d/* 2>/dev/null | grep -m "${2:-1}" -cF -- "$1")" -ge "${2:-1}" ]
}

# This exact line, as trace_join shows it, in the traces at least this
# many times. (grep stops reading there: a process in a loop may be
# writing its trace fast.)
trace_has_lines() { # <line> <count>
	[ "$(cat "$OUT"/trace.d/* 2>/dev/null | mask_trace | grep -m "$2" -cxF -- "$1")" -ge "$2" ]
}

file_size_at_least() { # <file> <bytes>
	[ -f "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ]
}

# A printed line, waited for: wait_for_line out/server.out 'Successfull bind'
wait_for_line() { # <file> <text>
	wait_until file_has "$1" "$2"
}

# Closes every descriptor above 2, so that a program starts as it would from
# a terminal: the descriptors the lecture shows (3, then 4) depend on it.
close_extra_fds() {
	local fd
	for fd in /proc/"$BASHPID"/fd/*; do
		fd=${fd##*/}
		[ "$fd" -le 2 ] || exec {fd}>&- 2>/dev/null || true
	done
}

# Replaces this (sub)shell with a command that starts as from a terminal:
# descriptors 0-2 only. The fuzzer's faults (tests/lib/steps.bash) come in
# the same way: STDIN_FAULT and STDOUT_FAULT; FD_LIMIT, a descriptor limit,
# and PROC_LIMIT, a process limit, are the program's alone (see command_for).
exec_program() { # <command> [args...]
	[ -z "${STDIN_FAULT:-}${STDOUT_FAULT:-}" ] || redirect_faults
	close_extra_fds
	exec "$@"
}

# Stdin closed or /dev/null (STDIN_FAULT=closed|null); stdout closed, to
# /dev/full, or to a pipe whose reader has gone (STDOUT_FAULT=closed|full|
# broken): a write there fails with EPIPE and raises SIGPIPE.
redirect_faults() {
	case ${STDIN_FAULT:-} in
	closed) exec 0<&- ;;
	null) exec 0</dev/null ;;
	esac
	case ${STDOUT_FAULT:-} in
	closed) exec 1>&- ;;
	full) exec 1>/dev/full ;;
	broken) exec 1> >(exit 0); wait "$!" ;;
	esac
}

# --- Processes in the background -----------------------------------------
# Each runs in a process group of its own (setsid), stdin from a FIFO that
# this shell holds open, stdout to $OUT/NAME.out, stderr to $OUT/NAME.err.

declare -gA BG_PID BG_IN BG_SOLE

bg_start() { # <name> <command> [args...]
	local name=$1; shift
	local fifo="$OUT/$name.in" fd
	mkfifo "$fifo"
	exec {fd}<>"$fifo"
	exec_program setsid "$@" <"$fifo" >"$OUT/$name.out" 2>"$OUT/$name.err" &
	BG_PID[$name]=$!
	BG_IN[$name]=$fd
	BG_SOLE[$name]=
	echo "$!" >>"$OUT/pids"
}

# The same for a peer that never forks (nc, socat, telnet, peer.py): its
# group is its leader alone, and looking at it (group_members) reads that
# process, not all of /proc. (A program's group may hold orphans, which
# only the session shows: those are looked for.)
bg_peer() { # <name> <command> [args...]
	bg_start "$@"
	BG_SOLE[$1]=1
}

# Writes bytes to a background process's stdin, as printf's format does.
bg_send() { # <name> <printf format> [args...]
	local name=$1; shift
	# shellcheck disable=SC2059
	printf "$@" >&"${BG_IN[$name]}"
}

# Closes its stdin: the process reads EOF.
bg_close() { # <name>
	local fd=${BG_IN[$1]:-}
	[ -n "$fd" ] || return 0
	exec {fd}>&-
	BG_IN[$1]=
}

# Whether a process has ended: there is none of this pid, or a zombie that
# its parent (this shell, for bg_start's) has yet to reap. (kill -0 counts
# a zombie as alive: a wait for one that the shell was slow to reap ran out
# while nc -l, ended by itself, lay unreaped.)
is_gone() { # <pid>
	local stat
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
	stat=${stat##*) }
	[ "${stat%% *}" = Z ]
}

# Waits for a background process to end by itself.
bg_wait() { # <name>
	local pid=${BG_PID[$1]}
	wait_until is_gone "$pid" || return 1
	wait "$pid" || true
	bg_close "$1"
}

# The processes of a background group, into GROUP_PID, GROUP_STATE and
# GROUP_COMM, one entry a process: those in its session, which setsid made
# one with the group. Read from /proc by the shell itself: ps would start
# a process at every poll.
group_members() { # <name>
	local session=${BG_PID[$1]:-} stat line fields stats=(/proc/[0-9]*/stat)
	GROUP_PID=() GROUP_STATE=() GROUP_COMM=() GROUP_PPID=()
	[ -n "$session" ] || return 0
	[ -z "${BG_SOLE[$1]:-}" ] || stats=("/proc/$session/stat")	# a peer: bg_peer
	for stat in "${stats[@]}"; do
		{ read -r line <"$stat"; } 2>/dev/null || continue
		[[ $line == *" $session "* ]] || continue	# most are not: a quick look first
		# shellcheck disable=SC2206	# after the comm: state ppid pgrp session ...
		fields=(${line##*) })
		[ "${fields[3]}" = "$session" ] || continue
		line=${line#*(}
		stat=${stat#/proc/}
		GROUP_PID+=("${stat%/stat}")
		GROUP_STATE+=("${fields[0]}")
		GROUP_PPID+=("${fields[1]}")
		GROUP_COMM+=("${line%)*}")
	done
}

# Whether a process of a background group sleeps in a syscall, as its
# /proc/PID/syscall begins: "43" accept, "0 0x0" a read from descriptor 0.
group_in_syscall() { # <name> <syscall number and first arguments>
	local pid call
	group_members "$1"
	for pid in "${GROUP_PID[@]}"; do
		{ read -r call <"/proc/$pid/syscall"; } 2>/dev/null || continue
		[[ $call != "$2 "* ]] || return 0
	done
	return 1
}

# How many processes of a background group are alive, into LIVE: neither
# zombies nor strace.
count_live_in_group() { # <name>
	local i
	group_members "$1"
	LIVE=0
	for i in "${!GROUP_PID[@]}"; do
		[ "${GROUP_STATE[i]}" = Z ] || is_launcher "${GROUP_COMM[i]}" || LIVE=$((LIVE + 1))
	done
}

live_in_group() { # <name>
	count_live_in_group "$1"
	echo "$LIVE"
}

has_live_in_group() { # <name> <count>
	count_live_in_group "$1"
	[ "$LIVE" -eq "$2" ]
}

# Waits until a group is down to this many live processes (children ended).
wait_live_in_group() { # <name> <count>
	wait_until has_live_in_group "$@"
}

# A background group's processes, a line each: pid, command, state, and
# the kernel function it sleeps in. Said when a wait for the group runs out.
describe_group() { # <name>
	local i wchan
	group_members "$1"
	for i in "${!GROUP_PID[@]}"; do
		if ((i == 20)); then	# a fork bomb's thousand are not read
			echo "  $1: and $((${#GROUP_PID[@]} - 20)) processes more"
			break
		fi
		wchan=$(cat "/proc/${GROUP_PID[i]}/wchan" 2>/dev/null || true)
		echo "  $1: pid ${GROUP_PID[i]} ${GROUP_COMM[i]}, state ${GROUP_STATE[i]}, wchan ${wchan:-?}"
	done
}

# Stops a background process and its children (its process group), one at
# a time, children first, in the order they were forked: each gets SIGTERM
# once the one before has ended and the program's first process (strace's
# child, where strace leads the group) has taken its SIGCHLD; that first
# process goes last. So every run's trace shows the same ends in the same
# order: stopped all at once, a parent's SIGTERM raced its children's
# SIGCHLD, and two children's ends raised one SIGCHLD or two. strace itself
# is never signalled: it writes the ends, then goes.
bg_stop() { # <name>
	local name=$1 pid=${BG_PID[$1]:-}
	[ -n "$pid" ] || return 0
	local i first child children=()
	first_process "$name"
	first=$FIRST_PID
	for i in "${!GROUP_PID[@]}"; do
		is_launcher "${GROUP_COMM[i]}" || [ "${GROUP_PID[i]}" = "$first" ] ||
			[ "${GROUP_STATE[i]}" = Z ] || children+=("${GROUP_PID[i]}")
	done
	[ "${#children[@]}" -le 1 ] || mapfile -t children < <(printf '%s\n' "${children[@]}" | sort -n)
	# a child not taken in time (a runaway, a fork bomb) ends the order:
	# the rest go with the group, at once
	for child in "${children[@]}"; do
		kill -TERM "$child" 2>/dev/null || true
		wait_until child_taken "$child" "$first" || { describe_group "$name" >&2; break; }
	done
	kill -TERM "$first" 2>/dev/null || true
	wait_until is_gone "$pid" || describe_group "$name" >&2
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	bg_close "$name"
	BG_PID[$name]=
}

# The first process of a group's program, into FIRST_PID: the leader, or
# where launchers lead (strace, the sandbox), the first process below them
# that is none. (Leaves the group in GROUP_*.)
first_process() { # <name>
	local i at=${BG_PID[$1]} comm next
	group_members "$1"
	FIRST_PID=$at
	while :; do
		comm='' next=''
		for i in "${!GROUP_PID[@]}"; do
			[ "${GROUP_PID[i]}" != "$at" ] || comm=${GROUP_COMM[i]}
			[ -n "$next" ] || [ "${GROUP_PPID[i]}" != "$at" ] || next=${GROUP_PID[i]}
		done
		is_launcher "$comm" || { FIRST_PID=$at; return 0; }
		[ -n "$next" ] || return 0
		at=$next
	done
}

# Processes that start a program and are not it: strace, the sandbox's
# bwrap (and what it runs before the program: setpriv, prlimit).
is_launcher() { # <comm>
	case $1 in
	strace | bwrap | setpriv | prlimit | unshare) return 0 ;;
	*) return 1 ;;
	esac
}

# A child has ended, and the first process has taken the signal its end
# sent it: none pending, and asleep again. A traced child's end is told
# its parent only when strace has reaped it: until then it is a zombie
# that still has its tracer, and its parent has no signal yet (so seen,
# the parent's SIGTERM once came before its SIGCHLD in one build's trace).
child_taken() { # <child> <first process>
	local key value
	is_gone "$1" || return 1
	! is_traced "$1" || return 1
	is_gone "$2" && return 0
	while read -r key value; do
		case $key in
		State:) [ "$value" = S ] || [[ $value == "S "* ]] || return 1 ;;
		SigPnd: | ShdPnd:) [[ $value != *[1-9a-f]* ]] || return 1 ;;
		esac
	done 2>/dev/null <"/proc/$2/status"
}

# Whether a process (a zombie too) still has a tracer.
is_traced() { # <pid>
	local key value
	while read -r key value; do
		[ "$key" != TracerPid: ] || { [ "$value" != 0 ]; return; }
	done 2>/dev/null <"/proc/$1/status"
	return 1
}

bg_stop_all() {
	local name
	for name in "${!BG_PID[@]}"; do bg_stop "$name"; done
}

# --- A run's mark, and its stop ------------------------------------------------
# Each command that runs programs (tests/tools/run, compare, try, demo, fuzz,
# bench) gives what it starts RUN_MARK=<id> in its environment (mark_run):
# what one run left can then be told from any other process on the machine
# (another user's, another checkout's). Ctrl-C, SIGTERM or SIGHUP stop all
# of it at once (stop_on_signal); tests/suite/after_suite/ checks that a
# suite run left none of it.

# A tool inside a marked run (make compare in the suite) keeps that mark;
# "new" takes a mark of its own (tests/tools/run: a suite run checks its own).
mark_run() { # [new]
	[ -z "${RUN_MARK:-}" ] || [ "${1:-}" = new ] || return 0
	RUN_MARK=$$.${EPOCHREALTIME/./}
	export RUN_MARK
}

# The pids of the processes that carry this mark, into MARKED: RUN_MARK=id
# in their environment (or another variable's). The shell that marked a
# run is not among them (/proc shows the environment a process began
# with), nor are the looks' own processes: they start unmarked.
marked_pids() { # <id> [variable]
	local environ environs variable=${2:-RUN_MARK}
	MARKED=()
	mapfile -t environs < <(env "$variable=" grep -lsxzF "$variable=$1" /proc/[0-9]*/environ)
	for environ in "${environs[@]}"; do
		environ=${environ#/proc/}
		MARKED+=("${environ%/environ}")
	done
}

none_marked() { # <id> [variable]
	marked_pids "$@"
	[ "${#MARKED[@]}" -eq 0 ]
}

# The processes that carry this mark, as "pid command line".
processes_marked() { # <id>
	local pid cmdline
	marked_pids "$1"
	for pid in "${MARKED[@]}"; do
		cmdline=$(RUN_MARK='' tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue	# ended since
		echo "$pid $cmdline"
	done
}

# Ends every process that carries the mark: SIGTERM (a run's timeout passes
# it on to its run, which stops its programs and peers), then what is left
# after WAIT_LIMIT, SIGKILL; those it kills are named on stderr, each with
# its state and what it waits in (describe_pids): whatever outlives SIGTERM
# so long is a fault to find. A process that starts while it waits gets
# SIGTERM at the next look: GNU parallel (bats --jobs), TERM'd with its
# jobs, starts the next file's tests, whose runs' timeout and programs
# (groups and sessions of their own) nothing else would signal. Done when
# two looks in a row find none: a process in the midst of execve shows no
# environment for a moment.
stop_marked() { # <id> [variable]
	local -A termed=()
	local empty_looks=0
	wait_until none_marked_once_termed "$@" 2>/dev/null && return 0
	echo "still running $WAIT_LIMIT s after SIGTERM, so killed:" >&2
	describe_pids "${MARKED[@]}" >&2
	kill -KILL "${MARKED[@]}" 2>/dev/null || true
	wait_until none_marked "$@"
}

# For stop_marked: whether this look, and the one before, found none that
# carries the mark; each found that has had no SIGTERM from it (its termed)
# gets one.
none_marked_once_termed() { # <id> [variable]
	local pid new=()
	marked_pids "$@"
	for pid in "${MARKED[@]}"; do
		[ -n "${termed[$pid]:-}" ] || { termed[$pid]=1; new+=("$pid"); }
	done
	[ "${#new[@]}" -eq 0 ] || kill -TERM "${new[@]}" 2>/dev/null || true
	if [ "${#MARKED[@]}" -eq 0 ]; then empty_looks=$((empty_looks + 1)); else empty_looks=0; fi
	[ "$empty_looks" -ge 2 ]
}

# Processes, a line each: pid, state, the kernel function it sleeps in,
# command line.
describe_pids() { # <pid...>
	local pid stat wchan cmdline
	for pid in "$@"; do
		{ read -r stat <"/proc/$pid/stat"; } 2>/dev/null || continue	# ended since
		{ read -r wchan <"/proc/$pid/wchan"; } 2>/dev/null || true	# (no newline)
		stat=${stat##*) }
		cmdline=$(RUN_MARK='' tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
		echo "  pid $pid, state ${stat%% *}, wchan ${wchan:-?}: $cmdline"
	done
}

# On Ctrl-C, SIGTERM or SIGHUP: stop everything this run started, say so,
# run a function that shows what finished before (if given), exit 130. A
# shell runs its trap only once its foreground command has ended: the
# command should wait for its long work in the background (work & wait).
stop_on_signal() { # [function that shows what finished]
	STOP_REPORT=${1:-}
	trap stopped_by_signal INT TERM HUP
}

stopped_by_signal() {
	trap '' INT TERM HUP
	IFS=$' \t\n'	# a signal that came during "IFS= read" runs this with IFS empty
	echo "interrupted: stopping every process this run started" >&2
	stop_marked "$RUN_MARK"
	[ -z "${STOP_REPORT:-}" ] || "$STOP_REPORT" || true
	echo "interrupted" >&2
	exit 130
}

# --- Two hosts ----------------------------------------------------------------
# The namespace a run starts in is host A; start_two_hosts makes host B, a
# network namespace of its own, joined to A by a veth pair. The addresses
# are TEST-NET-1's (RFC 5737) and exist only inside these namespaces.

HOST_A=192.0.2.1
HOST_B=192.0.2.2

in_own_netns() { # <pid>
	[ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ]
}

start_two_hosts() {
	bg_start host_b unshare -n sleep infinity
	wait_until in_own_netns "${BG_PID[host_b]}"
	ip link add veth_a type veth peer name veth_b netns "${BG_PID[host_b]}"
	ip addr add "$HOST_A/24" dev veth_a
	ip link set veth_a up
	on_host_b ip link set lo up
	on_host_b ip addr add "$HOST_B/24" dev veth_b
	on_host_b ip link set veth_b up
}

on_host_b() { # <command> [args...]
	nsenter -t "${BG_PID[host_b]}" -n "$@"
}

# --- The programs under test ------------------------------------------------
# prog runs $BIN/NAME in the foreground, bg_prog in the background; with
# TRACE set, each run is traced into $OUT/trace.d/ (one file a process).

TRACE_RUNS=0

# Sets CMD to the command line that runs a program: with FD_LIMIT set, with
# at most that many descriptors (the driver with_nofile, which the trace
# does not see); under strace when TRACE is set, writing $OUT/trace.d/NN.PROGRAM.PID (NN: the run's number), of
# the lecture's syscalls or of TRACE_SYSCALLS (keep fork in it: trace_join
# finds a run's processes by what fork returned). Each line starts with the
# syscall's instruction pointer (strace -i), for tests/tools/syscall_sites
# to name the source line that made it.
command_for() { # <program> [args...]
	CMD=("$BIN/$1" "${@:2}")
	[ -z "${FD_LIMIT:-}" ] || CMD=("$BUILD/c/with_nofile" "$FD_LIMIT" "${CMD[@]}")
	if [ -n "${TRACE:-}" ]; then
		TRACE_RUNS=$((TRACE_RUNS + 1))
		# in the sandbox, strace runs as the sandbox's uid: the folder is open to it
		[ -d "$OUT/trace.d" ] || mkdir ${SANDBOX:+-m 1777} ${PROC_LIMIT:+-m 1777} "$OUT/trace.d"
		printf -v TRACE_PREFIX '%s/trace.d/%02d.%s' "$OUT" "$TRACE_RUNS" "$1"
		CMD=(strace -q -ff --seccomp-bpf -X raw -s 300 -i -o "$TRACE_PREFIX"
			-e trace="${TRACE_SYSCALLS:-$LECTURE_SYSCALLS}" "${CMD[@]}")
	fi
	[ -z "${SANDBOX:-}${PROC_LIMIT:-}" ] || sandbox_command
}

# With SANDBOX set (a graded run: the binaries are built from a hand-in),
# CMD, strace and all, runs in tests/lib/sandbox: it sees the build, read
# only, and may write its traces alone. Both builds run so, each as a uid of
# its own when root. So does a run under a process limit (PROC_LIMIT), for
# fork to fail (EAGAIN) once the run has that many processes: the limit
# counts a uid's processes machine-wide, and exempts root's; the sandbox's
# uid is the run's own, and reaches the build wherever it is (a checkout in
# root's home, which that uid could not enter, too).
sandbox_command() {
	local options=(--ro "$BUILD")
	if [[ $BIN != "$BUILD"/* ]]; then
		options+=(--ro "$BIN")
	elif [ -L "$BIN" ]; then	# a link out of the build (fuzz-check's asm/)
		options+=(--ro "$(readlink -f "$BIN")")
	fi
	[ -z "${PROC_LIMIT:-}" ] || options+=(--nproc "$PROC_LIMIT")
	if [ -n "${TRACE:-}" ]; then	# strace's, who runs as the sandbox's uid
		[ -k "$OUT/trace.d" ] || chmod 1777 "$OUT/trace.d"	# (command_for makes it so)
		options+=(--rw "$OUT/trace.d")
	fi
	CMD=("$HARNESS_LIB/sandbox" "${options[@]}" -- "${CMD[@]}")
}

prog() { # <program> [args...]
	command_for "$@"
	(exec_program "${CMD[@]}")
}

bg_prog() { # <name> <program>
	command_for "$2"
	bg_start "$1" "${CMD[@]}"
}

# strace's output, less what differs from run to run or between builds
# (and less the instruction pointers): an awk function, mask(line). With
# quiet set (TRACE_QUIET_SIGCHLD: the fuzzer's step lists), emit(line) also
# leaves out SIGCHLD and each syscall it interrupts (ERESTARTSYS, then run
# again): children that end at once raise one SIGCHLD or two, as the
# scheduler has it, and the programs ignore it either way. (mawk: no {n}.)
MASK_AWK='
function mask(line,   head, sig) {
	sub(/^\[[0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?][0-9a-f?]\] /, "", line)
	if (match(line, /^.*\) +=/)) {	# the last ") =", its spaces one
		head = substr(line, 1, RLENGTH)
		sub(/ +=$/, " =", head)
		line = head substr(line, RLENGTH + 1)
	}
	if (line ~ /^fork\(\) = [0-9]+$/) line = "fork() = PID"
	gsub(/0x[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*/, "ADDR", line)
	if (line ~ /^--- SIG[A-Z0-9]+ \{.*\} ---$/) {
		sig = substr(line, 5)
		sub(/ .*/, "", sig)
		line = "--- " sig " ---"
	}
	return line
}
function emit(line) {	# masked, to the file masked
	line = mask(line)
	if (quiet && held) {	# the line after an interrupted syscall
		held = 0
		if (line == "--- SIGCHLD ---") return
		print interrupted > masked
	} else if (quiet && line ~ / = \? ERESTART/) {
		held = 1; interrupted = line; return
	} else if (quiet && line == "--- SIGCHLD ---") return
	print line > masked
}
function emitted() { if (held) print interrupted > masked }
'

mask_trace() {
	awk -v quiet="${TRACE_QUIET_SIGCHLD:+1}" -v masked=/dev/stdout "$MASK_AWK"'
	{ emit($0) }
	END { emitted() }'
}

# Joins the per-process traces of each run, in run order: the first process,
# then its children in fork() order, into a file as they are and a file
# masked (mask_trace). One awk, however many processes.
trace_join() { # <trace.d folder> <joined file> <joined and masked file>
	local files=("$1"/*)
	: >"$2" && : >"$3"
	[ -e "${files[0]}" ] || return 0
	awk -v quiet="${TRACE_QUIET_SIGCHLD:+1}" -v joined="$2" -v masked="$3" "$MASK_AWK"'
	BEGIN {
		for (i = 1; i < ARGC; i++) {
			file = ARGV[i]; sub(/.*\//, "", file)
			pid = file; sub(/.*\./, "", pid)
			run = file; sub(/\.[0-9]+$/, "", run)
			if (!(run in pids)) runs[++nruns] = run
			pids[run] = pids[run] " " pid
			path[run, pid] = ARGV[i]
		}
	}
	FNR == 1 { run = FILENAME; sub(/.*\//, "", run); sub(/\.[0-9]+$/, "", run) }
	{ text[FILENAME] = text[FILENAME] $0 "\n" }
	/^(\[[0-9a-f?]+\] )?fork\(\) += [0-9]+$/ { kids[FILENAME] = kids[FILENAME] " " $NF; forked[run, $NF] = 1 }
	function out(line) {
		print line > joined
		emit(line)
	}
	function show(run, pid,   file, kid, n, i, lines) {
		file = path[run, pid]
		out("-- process")
		n = split(text[file], lines, "\n")
		for (i = 1; i < n; i++) out(lines[i])
		n = split(kids[file], kid, " ")
		for (i = 1; i <= n; i++)
			if ((run, kid[i]) in path) show(run, kid[i])
	}
	END {
		for (r = 1; r <= nruns; r++) {
			title = runs[r]; sub(/^[0-9]+\./, "", title)
			out("== " title)
			n = split(pids[runs[r]], member, " ")
			for (i = 1; i <= n; i++)		# the process no fork() returned
				if (!((runs[r], member[i]) in forked)) show(runs[r], member[i])
		}
		emitted()
	}' "${files[@]}"
}
