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

# Whether a program of the copy's build runs.
copy_program_runs() {
	pgrep -f "^$COPY/build/(asm|c)/" >/dev/null
}

# make in a copy of the project, as from a terminal: a session and process
# group of its own, SIGINT not ignored (as it is for a background job), and
# this test's mark in its environment. Sets MAKE_PID.
start_make() { # <make arguments...>
	COPY=$BATS_TEST_TMPDIR/copy
	copy_project "$COPY"
	local RESULTS=""	# its runs are made, not copied from the suite's
	outside_bats_env
	setsid env --default-signal=INT "${OUTSIDE_BATS_ENV[@]}" \
		INTERRUPT_TEST="$BATS_TEST_TMPDIR" make -C "$COPY" "$@" \
		>"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null &
	MAKE_PID=$!
}

# Signals the command's process group once a program runs; then its end,
# what it said, and what it left.
interrupt_make() { # <signal>
	WAIT_LIMIT=30 wait_until copy_program_runs || fail "no program ran: $(cat "$BATS_TEST_TMPDIR/out")"
	kill -s "$1" -- "-$MAKE_PID"
	wait_until is_gone "$MAKE_PID"	# at once: within WAIT_LIMIT
	local status=0
	wait "$MAKE_PID" || status=$?
	[ "$status" -ne 0 ] || fail "make ended well after SIG$1"
	# the processes that carry this test's mark (INTERRUPT_TEST)
	wait_until none_marked "$BATS_TEST_TMPDIR" INTERRUPT_TEST ||
		fail "left running: $(ps -o pid=,args= -p "${MARKED[*]}")"
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
