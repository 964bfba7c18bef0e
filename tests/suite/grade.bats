#!/usr/bin/env bats
# make grade SUBMISSIONS=DIR: a class, one folder a student, graded as make
# test C=DIR grades one, several at once, kept by checksum.

setup() { load test_helper; _common_setup; }
teardown() {	# a grade the test left running, where it failed early
	[ -z "${GRADE_TEST_MARK:-}" ] || stop_marked "$GRADE_TEST_MARK" GRADE_TEST_MARK
}

# A class of the test's own, in $CLASS: one folder a student, each holding
# a server_2.c (intact, or changed by a sed expression) or nothing.
student() { # <name> [sed expression | -: no file]
	mkdir -p "$CLASS/$1"
	[ "${2:-}" = - ] || sed -e "${2:-}" "$ROOT/c/server_2.c" >"$CLASS/$1/server_2.c"
}

# make grade P=server_2 without a fuzz session, into a build of the test's
# own (a copy of the suite's), from a fresh environment; GRADE_TEST_MARK
# marks every process it starts.
grade() { # [make arguments...]
	[ -d "$BATS_TEST_TMPDIR/build" ] || copy_build "$BATS_TEST_TMPDIR/build"
	outside_bats_env
	run "${OUTSIDE_BATS_ENV[@]}" GRADE_TEST_MARK="$GRADE_TEST_MARK" make -s -C "$ROOT" \
		B="$BATS_TEST_TMPDIR/build" grade SUBMISSIONS="$CLASS" P=server_2 FUZZ_S=0 "$@"
}

setup_class() {
	CLASS=$BATS_TEST_TMPDIR/class GRADE_TEST_MARK=grade.$$.$BATS_TEST_NUMBER
	student ann
	student ben 's/^\tprint_str(buffer);$/\tif (rax > 0) print_str(buffer);/'
	student cat 's|^int main(void) /\* _start: \*/$|int main(void) x|'
	student dan -
}

@test "grade: the class table and CSV: ok, FAIL with its first difference, no build, nothing handed in; a JUnit file each; a rerun grades what changed" {
	setup_class
	grade
	assert_failure
	local csv=$BATS_TEST_TMPDIR/build/grade/class.csv
	run cat "$csv"
	assert_line --index 0 'student,program,verdict,detail'
	assert_line 'ann,server_2,ok,""'
	assert_line --regexp '^ben,server_2,FAIL,"[0-9a-z-]+\.steps, (stdout|trace): asm .*"$'
	assert_line --regexp '^cat,server_2,no build,".*/cat/server_2\.c:[0-9]+:[0-9]+: error: .*"$'
	assert_line 'dan,,nothing,"no NAME.c or NAME.asm"'
	assert_equal "$(wc -l <"$csv")" 5
	local student
	for student in ann ben cat; do
		grep -q '<testsuites>' "$BATS_TEST_TMPDIR/build/grade/junit/$student.xml"
	done
	[ ! -e "$BATS_TEST_TMPDIR/build/grade/junit/dan.xml" ]
	# and each its page, cat's saying its program did not run
	grep -q "<section id='server_2'>" "$BATS_TEST_TMPDIR/build/grade/junit/ann.html"
	grep -q "<section id='server_2'>" "$BATS_TEST_TMPDIR/build/grade/junit/ben.html"
	grep -q "server_2: the scenario did not run</a> for the c build (not built)" "$BATS_TEST_TMPDIR/build/grade/junit/cat.html"
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=3 reused=0 seconds=[0-9]+$'
	# a rerun grades only the hand-ins that changed, and the same files once
	cp "$CLASS/ann/server_2.c" "$CLASS/ben/server_2.c"	# ben fixes it: ann's files
	student eve 's/^\tprint_str(buffer);$/\tprint_str(buffer) ;/'
	grade
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=1 reused=3 seconds=[0-9]+$'	# eve; ann, ben (ann's), cat
	run cat "$BATS_TEST_TMPDIR/build/grade/class.csv"
	assert_line 'ben,server_2,ok,""'
	assert_line 'eve,server_2,ok,""'
}

@test "grade: SUBMISSIONS must be a folder of folders; C= is not for a class" {
	CLASS=$BATS_TEST_TMPDIR/none GRADE_TEST_MARK=unused
	grade
	assert_failure
	assert_output --partial "SUBMISSIONS=$CLASS: no such folder"
	mkdir -p "$CLASS"
	grade
	assert_failure
	assert_line "grade: SUBMISSIONS=$CLASS has no sub-folders: make one per student, holding their NAME.c files"
	grade C="$CLASS"
	assert_failure
	assert_output --partial 'make grade takes SUBMISSIONS=DIR'
}

@test "grade: Ctrl-C stops every run at once, says so, and keeps what was graded for the next run" {
	setup_class
	[ -d "$BATS_TEST_TMPDIR/build" ] || copy_build "$BATS_TEST_TMPDIR/build"
	outside_bats_env
	setsid env --default-signal=INT "${OUTSIDE_BATS_ENV[@]}" GRADE_TEST_MARK="$GRADE_TEST_MARK" \
		make -s -C "$ROOT" B="$BATS_TEST_TMPDIR/build" grade SUBMISSIONS="$CLASS" P=server_2 \
		FUZZ_S=0 JOBS=1 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local make=$!
	# once one hand-in is graded and the next is running
	WAIT_LIMIT=60 wait_until grep -q '^grading: 1 of 3 graded' "$BATS_TEST_TMPDIR/out"
	kill -INT -- "-$make"
	local status=0
	wait "$make" || status=$?
	[ "$status" -ne 0 ]
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --partial 'interrupted'
	assert_line 'ann     ok       '
	WAIT_LIMIT=10 wait_until none_marked "$GRADE_TEST_MARK" GRADE_TEST_MARK
	run find "$BATS_TEST_TMPDIR/build/grade/results" -mindepth 1 -maxdepth 1 ! -name '*.part'
	assert_equal "${#lines[@]}" 1	# ann's alone: nothing finished after the interrupt
	grade
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=2 reused=1 seconds=[0-9]+$'
}
