#!/usr/bin/env bats
# Hostile hand-ins (tests/suite/fixtures/hostile/NAME.c, each handed in as
# open_sock_1.c): a graded build compiles them, and a graded run starts
# them, in tests/lib/sandbox. Each attack is shown contained, and where it
# is safe, shown to work without the sandbox.

setup() { load test_helper; _common_setup; }
teardown() {
	[ -z "${LISTENER:-}" ] || kill "$LISTENER" 2>/dev/null || true
	_common_teardown
}

# Builds a hostile hand-in, its placeholders filled by sed, into a graded
# build of the test's own.
hand_in() { # <fixture> [sed expression]
	HAND_IN=$BATS_TEST_TMPDIR/hand-in
	mkdir -p "$HAND_IN"
	sed -e "${2:-}" "$ROOT/tests/suite/fixtures/hostile/$1.c" >"$HAND_IN/open_sock_1.c"
	copy_build "$BATS_TEST_TMPDIR/build"
	run make -s -C "$ROOT" B="$BATS_TEST_TMPDIR/build" C="$HAND_IN" graded
}

# A graded build goes on past a hand-in that does not build, and leaves no
# binary for it (not even the project's).
assert_hand_in_built() {
	[ -x "$BATS_TEST_TMPDIR/build/c/open_sock_1" ] || fail "the hand-in did not build:
$(shown "$output")"
}

# open_sock_1's lecture scenario on the hand-in, traced and in the sandbox
# as a graded run has it (TRACE= , SANDBOX= : without), into
# $BATS_TEST_TMPDIR/NAME.
run_hand_in() { # <name>
	OUT=$BATS_TEST_TMPDIR/$1
	TRACE=${TRACE-1} OUT=$OUT SANDBOX=${SANDBOX-1} BUILD=$BATS_TEST_TMPDIR/build BIN=$BATS_TEST_TMPDIR/build/c \
		run run_scenario "$ROOT/tests/scenarios/open_sock_1/lecture.steps"
}

@test "hostile: an #include of the grader's file puts none of it into the log" {
	echo 'the-secret-7f3a' >"$BATS_TEST_TMPDIR/secret"
	hand_in includes-secret "s|@PATH@|$BATS_TEST_TMPDIR/secret|"
	assert_output --partial "$BATS_TEST_TMPDIR/secret: No such file or directory"
	refute_output --partial 'the-secret-7f3a'
	[ ! -e "$BATS_TEST_TMPDIR/build/c/open_sock_1" ]	# nor the project's in its place
}

@test "hostile: a file written outside the sandbox is not written (without it, it is)" {
	hand_in writes-outside "s|@PATH@|$BATS_TEST_TMPDIR/written|"
	assert_hand_in_built
	run_hand_in sandboxed
	assert_equal "$(head -n 1 "$OUT/stdout")" 'open refused'
	[ ! -e "$BATS_TEST_TMPDIR/written" ]
	SANDBOX='' run_hand_in bare
	assert_equal "$(head -n 1 "$OUT/stdout")" 'written'
	[ -e "$BATS_TEST_TMPDIR/written" ]
}

@test "hostile: the grader's files are not there to read (without the sandbox, they are)" {
	echo 'the-secret-7f3a' >"$BATS_TEST_TMPDIR/secret"
	hand_in reads-secrets "s|@PATH@|$BATS_TEST_TMPDIR/secret|"
	assert_hand_in_built
	run_hand_in sandboxed
	run cat "$OUT/stdout"
	assert_output '3'	# /etc/shadow is not there either
	SANDBOX='' run_hand_in bare
	run cat "$OUT/stdout"
	assert_line 'the-secret-7f3a'
}

@test "hostile: kill(-1, SIGKILL) reaches only the sandbox: a process of the grader's lives on" {
	hand_in kills-everyone
	assert_hand_in_built
	setsid env RUN_MARK="$RUN_MARK" sleep 60 &
	local bystander=$!
	run_hand_in sandboxed
	run cat "$OUT/status"
	assert_output 'run1: exit 137'	# it, and its sandbox's strace
	kill -0 "$bystander"
	kill "$bystander"
	wait "$bystander" || true
}

@test "hostile: an output flood is cut at the file size limit, and the verdict says so" {
	hand_in output-flood
	assert_hand_in_built
	SANDBOX_FSIZE=65536 run_hand_in sandboxed
	run run_verdicts "$OUT" C
	assert_output 'C run1: killed: file size limit (SIGXFSZ): output cut at 65536 bytes'
}

@test "hostile: an endless loop is killed at its CPU time limit, and the verdict says so" {
	hand_in endless-loop
	assert_hand_in_built
	SANDBOX_CPU=1 run_hand_in sandboxed
	run run_verdicts "$OUT" C
	assert_output 'C run1: killed: CPU time limit (SIGXCPU)'
}

@test "hostile: a child left in a session of its own ends with the run (without the sandbox, it stays)" {
	hand_in leaves-a-child
	assert_hand_in_built
	local binary=$BATS_TEST_TMPDIR/build/c/open_sock_1
	run_hand_in sandboxed
	run pgrep -f "^$binary"
	assert_failure
	# untraced: strace would wait for the child
	TRACE='' SANDBOX='' run_hand_in bare
	run pgrep -f "^$binary"
	assert_success
	pkill -KILL -f "^$binary"
}

@test "hostile: a fork bomb meets the process limit, the verdict says so, and it is stopped with its run" {
	hand_in fork-bomb
	assert_hand_in_built
	local binary=$BATS_TEST_TMPDIR/build/c/open_sock_1
	SANDBOX_NPROC=16 RUN_LIMIT=2 run_hand_in sandboxed
	run run_verdicts "$OUT" C
	assert_line --regexp '^C: fork refused [0-9]+ times: the process limit$'
	run pgrep -f "^$binary"
	assert_failure
}

@test "hostile: sleeping forever is stopped at the scenario's end, and the verdict says so" {
	hand_in sleeps-forever
	assert_hand_in_built
	local binary=$BATS_TEST_TMPDIR/build/c/open_sock_1
	run_hand_in sandboxed
	run run_verdicts "$OUT" C
	assert_output "C run1: did not end: stopped at the scenario's end"
	run pgrep -f "^$binary"
	assert_failure
}

@test "hostile: nothing outside its network namespace is reachable (without the namespace, it is)" {
	# the grader's server, on this machine's loopback, at a port the kernel
	# picks; it waits at most 10 s for its one connection. Debian's python:
	# a python3 earlier on PATH may be pyenv's shim, a chain of scripts
	# that once took longer than WAIT_LIMIT to start on a loaded machine.
	local said=$BATS_TEST_TMPDIR/listener port
	/usr/bin/python3 -c 'import socket
s = socket.create_server(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True)
s.settimeout(10); s.accept(); print("accepted", flush=True)' >"$said" &
	LISTENER=$!
	wait_until has_line "$said"	# print writes the port, then the newline
	port=$LINE
	hand_in connects-outside "s|@PORT_HI@|$((port >> 8))|; s|@PORT_LO@|$((port & 255))|"
	assert_hand_in_built
	run_hand_in sandboxed
	assert_equal "$(cat "$OUT/stdout")" 'refused'
	run "$BATS_TEST_TMPDIR/build/c/open_sock_1"	# bare, on this machine's loopback
	assert_output 'connected'
	wait "$LISTENER"
	assert_equal "$(sed -n 2p "$said")" 'accepted'
}

@test "hostile: holding the lecture's ports keeps them from no other run" {
	hand_in binds-ports
	assert_hand_in_built
	local steps=$BATS_TEST_TMPDIR/steps feed hostile
	mkfifo "$steps"
	OUT=$BATS_TEST_TMPDIR/sandboxed
	# its run is fed by a FIFO, and holds the ports until the FIFO closes
	TRACE='' SANDBOX=1 RESULTS='' OUT=$OUT BUILD=$BATS_TEST_TMPDIR/build BIN=$BATS_TEST_TMPDIR/build/c \
		run_scenario "$steps" &
	hostile=$!
	exec {feed}>"$steps"
	printf 'program open_sock_1\nstart\n' >&"$feed"
	wait_for_lines "$OUT/run1.out" bound 1
	# meanwhile the project's server on the same ports: its lecture run, as kept
	BIN=$BUILD/c OUT=$C RESULTS='' run run_scenario "$ROOT/tests/scenarios/server/lecture.steps"
	assert_success
	assert_equal "$(cat "$C/stdout")" "$(cat "$ROOT/tests/scenarios/server/lecture.stdout")"
	exec {feed}>&-
	wait "$hostile"
	assert_equal "$(cat "$OUT/stdout")" 'bound'
}
