#!/usr/bin/env bats
# Ctrl-C (SIGINT to the terminal's process group), or SIGTERM as timeout(1)
# sends it to its group: a command stops every process it started, at once,
# says "interrupted", shows what finished, exits non-zero, and the next run
# uses the build as it is.

setup() { load test_helper; _common_setup; }

teardown() {	# whatever the test's command left, should a check fail
	marked_pids "$BATS_TEST_TMPDIR" INTERRUPT_TEST
	[ "${#MARKED[@]}" -eq 0 ] || kill -KILL "${MARKED[@]}" 2>/dev/null || true
}

# Whether a program of the copy's build runs (by its binary: demo starts
# them as ./NAME).
copy_program_runs() {
	[ -n "$(find /proc/[0-9]*/exe -maxdepth 0 \( -lname "$COPY/build/asm/*" \
		-o -lname "$COPY/build/c/*" \) -print -quit 2>/dev/null)" ]
}

# make in a copy of the project, as from a terminal: a session and process
# group of its own, SIGINT not ignored (as it is for a background job), and
# this test's mark in its environment; stdin MAKE_STDIN, or nothing. Sets
# MAKE_PID.
start_make() { # <make arguments...>
	COPY=$BATS_TEST_TMPDIR/copy
	copy_project "$COPY"
	local RESULTS=""	# its runs are made, not copied from the suite's
	outside_bats_env
	setsid env --default-signal=INT "${OUTSIDE_BATS_ENV[@]}" \
		INTERRUPT_TEST="$BATS_TEST_TMPDIR" make -C "$COPY" "$@" \
		>"$BATS_TEST_TMPDIR/out" 2>&1 <"${MAKE_STDIN:-/dev/null}" &
	MAKE_PID=$!
}

# Whether the command has said this line, or shows this text.
said() { # <line>
	grep -qxF "$1" "$BATS_TEST_TMPDIR/out"
}

shows() { # <text>
	grep -qF "$1" "$BATS_TEST_TMPDIR/out"
}

# Fails, naming each process that carries this test's mark, and with the
# command's last words.
fail_with_what_runs() { # <what went wrong>
	marked_pids "$BATS_TEST_TMPDIR" INTERRUPT_TEST
	fail "$1:
$(describe_pids "${MARKED[@]}")
the command's last words:
$(tail -n 12 "$BATS_TEST_TMPDIR/out")"
}

# Signals the command's process group once a program runs (or once the
# command holds: copy_program_runs, said...); then its end, what it said,
# and what it left.
interrupt_make() { # <signal> [condition...]
	local ready=("${@:2}")
	[ "${#ready[@]}" -gt 0 ] || ready=(copy_program_runs)
	WAIT_LIMIT=30 wait_until "${ready[@]}" || fail "not ready (${ready[*]}): $(cat "$BATS_TEST_TMPDIR/out")"
	kill -s "$1" -- "-$MAKE_PID"
	wait_until is_gone "$MAKE_PID" ||	# at once: within WAIT_LIMIT
		fail_with_what_runs "make has not ended $WAIT_LIMIT s after SIG$1"
	local status=0
	wait "$MAKE_PID" || status=$?
	[ "$status" -ne 0 ] || fail "make ended well after SIG$1"
	# the processes that carry this test's mark (INTERRUPT_TEST)
	wait_until none_marked "$BATS_TEST_TMPDIR" INTERRUPT_TEST ||
		fail_with_what_runs "left running"
	# the next run uses the build as it is
	make -s -q -C "$COPY" all drivers || fail "the build is not up to date"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line 'interrupted'
}

@test "interrupt: Ctrl-C on make test stops every process of the run at once, and shows the tests finished before" {
	start_make test P=server_3
	interrupt_make INT
	assert_line 'interrupted: stopping every process this run started'
	assert_line --regexp '^before the interrupt, tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped; no report written$'
}

@test "interrupt: SIGTERM to make test's group, as timeout sends it, stops the run the same way" {
	start_make test P=server_2
	interrupt_make TERM
	assert_line --regexp '^before the interrupt, tests: '
}

@test "interrupt: Ctrl-C on make compare stops it at once" {
	start_make compare
	interrupt_make INT
	refute_line --partial 'All the same'
}

@test "interrupt: Ctrl-C on make try, waiting for typed lines, stops both sessions at once" {
	local fifo=$BATS_TEST_TMPDIR/typed
	mkfifo "$fifo"
	exec {typing}<>"$fifo"	# held open: try waits for a line
	MAKE_STDIN=$fifo start_make try P=server_3
	interrupt_make INT shows 'Successfull bind'	# then it reads the steps (IFS= read)
	exec {typing}>&-
}

@test "interrupt: Ctrl-C on make demo, headless, stops the programs, the peers and tmux" {
	start_make demo P=server_3
	interrupt_make INT
}

@test "interrupt: Ctrl-C on make fuzz stops the scenarios it runs" {
	start_make fuzz P=server_3 FUZZ_S=60
	interrupt_make INT
	assert_line --regexp '^before the interrupt: [0-9]+ scenarios in [0-9]+ s, no difference, SEED=[0-9]+$'
	refute_line --partial 'scenarios run'
}

@test "interrupt: Ctrl-C on make bench stops its serving namespaces and clients" {
	start_make bench
	interrupt_make INT said 'bench: start-up: bind_sock'
}
