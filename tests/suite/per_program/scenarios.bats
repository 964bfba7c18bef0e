#!/usr/bin/env bats
# Every scenario of one program, as data: tests/scenarios/PROGRAM/*.steps,
# kept fuzz finds included, each run through the one executor
# (tests/lib/steps.bash) against both builds. Both must leave the same
# stdout, wire bytes, trace and exit status; where an expectation sits next
# to a scenario (X.stdout, X.wire or X.status beside X.steps), the asm's
# file must also be that, byte for byte.
#
# tests/tools/run links this file as PROGRAM.scenarios.bats for each program
# it tests: the program is the link's name.

setup() {
	load "$(dirname "$(readlink -f "$BATS_TEST_FILENAME")")/../test_helper"
	_common_setup
	PROGRAM=${BATS_TEST_FILENAME##*/}
	PROGRAM=${PROGRAM%%.*}
}
teardown() { _common_teardown; }

@test "${BATS_TEST_FILENAME##*/}: every scenario in tests/scenarios/ runs the same in both builds, as expected" {
	local scenario expected count=0
	for scenario in "$ROOT/tests/scenarios/$PROGRAM"/*.steps; do
		[ -e "$scenario" ] || continue
		ASM=$BATS_TEST_TMPDIR/${scenario##*/}/asm
		C=$BATS_TEST_TMPDIR/${scenario##*/}/c
		TRACE=1 run_both run_steps "$scenario"
		for expected in "${scenario%.steps}".{stdout,wire,status}; do
			[ -e "$expected" ] || continue
			cmp -s "$expected" "$ASM/${expected##*.}" ||
				fail "${scenario#"$ROOT/"}: the asm's ${expected##*.} is not ${expected#"$ROOT/"}:
$(diff "$expected" "$ASM/${expected##*.}" | cat -A)"
		done
		count=$((count + 1))
	done
	[ "$count" -gt 0 ] || fail "no scenarios in tests/scenarios/$PROGRAM/"
}
