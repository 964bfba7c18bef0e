#!/usr/bin/env bats
# Every scenario of one program, as data: tests/scenarios/PROGRAM/*.steps,
# kept fuzz finds included, each run through the one executor
# (tests/lib/steps.bash) against both builds. Both must leave the same
# stdout, wire bytes, trace and exit status. Where an expectation sits next
# to a scenario, beside X.steps, the asm's run must meet it: X.stdout,
# X.wire and X.status are its files byte for byte; each line of X.trace is
# a line of its trace, as often as X.trace has it (at least).
#
# tests/tools/run links this file as PROGRAM.scenarios.bats for each program
# it tests: the program is the link's name.

# The program, from the link's name, and the suite's folder (tests/tools/run
# exports SUITE): no process to work either out, in every test.
PROGRAM=${BATS_TEST_FILENAME##*/}
PROGRAM=${PROGRAM%%.*}

setup() {
	load "${SUITE:-$(dirname "$(readlink -f "$BATS_TEST_FILENAME")")/..}/test_helper"
	_per_program_setup
}
teardown() { _common_teardown; }

# Each line of the expected file is a line of the trace, as many times (at
# least). Counted by the shell: a grep a line cost a graded run 200 processes.
assert_trace_has_lines() { # <expected lines> <trace>
	local line expected=() lines=()
	local -A want=() have=()	# by " line" (a key may not be empty)
	mapfile -t expected <"$1"
	for line in "${expected[@]}"; do want[" $line"]=$((${want[" $line"]:-0} + 1)); done
	mapfile -t lines <"$2"
	for line in "${lines[@]}"; do
		[ -z "${want[" $line"]:-}" ] || have[" $line"]=$((${have[" $line"]:-0} + 1))
	done
	for line in "${expected[@]}"; do
		[ "${have[" $line"]:-0}" -ge "${want[" $line"]}" ] ||
			fail "${1#"$ROOT/"}: the asm's trace has '$line' ${have[" $line"]:-0} times, not ${want[" $line"]}:
$(cat "$2")"
	done
}

@test "$PROGRAM: every scenario in tests/scenarios/$PROGRAM/ runs the same in both builds, as expected" {
	local scenario expected count=0 FILE_SUMS_KEPT=1	# (scenario_key: none of them changes)
	local scenarios=("$ROOT/tests/scenarios/$PROGRAM"/*.steps)
	library_sum
	file_sums "TRACE=1 SANDBOX=${SANDBOX:+1} $LIBRARY_SUM" "${scenarios[@]}" \
		"$BUILD"/{asm,c}/"$PROGRAM" "$BUILD/c/with_nofile"	# one sha256sum for the lot
	# each one's folder, for its runs' (one mkdir for the lot: a kept run is then copied in by one cp)
	mkdir "${scenarios[@]/#"$ROOT/tests/scenarios/$PROGRAM"/"$BATS_TEST_TMPDIR"}" 2>/dev/null || true
	for scenario in "${scenarios[@]}"; do
		[ -e "$scenario" ] || continue
		ASM=$BATS_TEST_TMPDIR/${scenario##*/}/asm
		C=$BATS_TEST_TMPDIR/${scenario##*/}/c
		TRACE=1 run_both run_steps "$scenario"
		for expected in "${scenario%.steps}".{stdout,wire,status}; do
			[ -e "$expected" ] || continue
			cmp -s "$expected" "$ASM/${expected##*.}" ||
				fail "${scenario#"$ROOT/"}: the asm's ${expected##*.} is not ${expected#"$ROOT/"}:
$(shown "$(diff "$expected" "$ASM/${expected##*.}" | cat -A)")"
		done
		expected=${scenario%.steps}.trace
		[ ! -e "$expected" ] || assert_trace_has_lines "$expected" "$ASM/trace"
		count=$((count + 1))
	done
	[ "$count" -gt 0 ] || fail "no scenarios in tests/scenarios/$PROGRAM/"
}
