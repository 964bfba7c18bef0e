#!/usr/bin/env bats
# A graded run's fuzz session against one program: generated scenarios
# (tests/tools/fuzz) on the original and on the student's build, for
# GRADE_FUZZ_S seconds, from FUZZ_SEED (the same for every program of the
# run, and named in the test's name: the same seed draws the same
# scenarios again). A difference is shrunk, kept in the build folder, and
# shown as steps that make try replays.
#
# tests/tools/run links this file as PROGRAM.fuzz.bats for each program it
# tests, when GRADE_FUZZ_S is set (make test C=DIR, FUZZ_S=).

# The program, from the link's name, and the suite's folder (tests/tools/run
# exports SUITE): no process to work either out, in every test.
PROGRAM=${BATS_TEST_FILENAME##*/}
PROGRAM=${PROGRAM%%.*}

setup() {
	load "${SUITE:-$(dirname "$(readlink -f "$BATS_TEST_FILENAME")")/..}/test_helper"
	_per_program_setup
}
teardown() { _common_teardown; }

@test "$PROGRAM: a fuzz session of $GRADE_FUZZ_S s (SEED=$FUZZ_SEED) finds no difference between the builds" {
	local work=$BATS_TEST_TMPDIR/fuzz kept=$BUILD/fuzz-finds/$PROGRAM.$FUZZ_SEED.steps
	FUZZ_WORK=$work run "$ROOT/tests/tools/fuzz" --seconds "$GRADE_FUZZ_S" \
		--shrink-seconds "$GRADE_FUZZ_S" --seed "$FUZZ_SEED" "$PROGRAM"
	[ "$status" -ne 0 ] || return 0
	[ -s "$work/difference.$FUZZ_SEED.steps" ] ||
		fail "the fuzz session did not run to its end (status $status):
$(shown "$output")"
	mkdir -p "${kept%/*}"
	cp "$work/difference.$FUZZ_SEED.steps" "$kept"
	fail "a generated scenario runs differently in the two builds; its steps:
$(cat "$kept")
Replay it, both builds side by side:
  make try ${STUDENT_C:+C=$STUDENT_C }${STUDENT_ASM:+ASM=$STUDENT_ASM }STEPS=$kept
The fuzzer's report:
$(shown "$output")"
}
