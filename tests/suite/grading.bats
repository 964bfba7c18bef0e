#!/usr/bin/env bats
# make test C=DIR / ASM=DIR / P=NAME: grading a student's translation (or
# asm variant) with the whole suite, one program's tests, the JUnit report.

setup() { load test_helper; _common_setup; }

# A student's folder: copies of the project's files, and nothing else.
student_folder() { # <asm|c> <programs...>
	STUDENT=$BATS_TEST_TMPDIR/student
	mkdir -p "$STUDENT"
	local program
	for program in "${@:2}"; do
		cp "$ROOT/$1/$program.$1" "$STUDENT"
	done
}

# make test, graded, into a build folder of the test's own, which starts
# as a copy of the suite's build: make rebuilds what the hand-in changes.
# No fuzz session, unless the test asks for one (FUZZ_S=).
graded_test() { # <make arguments...>
	[ -d "$BATS_TEST_TMPDIR/build" ] || copy_build "$BATS_TEST_TMPDIR/build"
	run make_outside_bats -C "$ROOT" B="$BATS_TEST_TMPDIR/build" test FUZZ_S=0 "$@"
}

# The names of the tests that failed, in a TAP.
failed_tests() {
	sed -nE 's/^not ok [0-9]+ ([^#]*[^ #]).*/\1/p' <<<"$output"
}

@test "grading: a copy of c/ with one defect fails exactly that program's tests" {
	student_folder c "${PROGRAMS[@]}"
	# the clearing loop starts one byte short: addrstr's first byte stays 2
	sed -i 's/^\trcx = 100;$/\trcx = 99;/' "$STUDENT/server_3.c"
	# a graded run takes every program's suite and scenarios; func's tests
	# and the project's own checks are left out (func/ is the project's)
	run make_outside_bats -n -C "$ROOT" B="$BATS_TEST_TMPDIR/build" test C="$STUDENT"
	local program suites=
	for program in "${PROGRAMS[@]}"; do
		[ ! -e "$ROOT/tests/suite/$program.bats" ] || suites+="tests/suite/$program.bats "
	done
	assert_line --regexp "tests/tools/run --jobs [0-9]+ --programs '${PROGRAMS[*]}' +${suites% }( \\\\)?\$"
	refute_output --regexp 'tests/suite/(func|build|compare|originals|grading)\.bats'
	# each program with a fuzz session of 10 s, unless FUZZ_S= says otherwise
	assert_line --regexp '(^| )SANDBOX=1 GRADE_FUZZ_S=10 '
	# server_3's, run for real on the hand-in, fails
	REPORT=$BATS_TEST_TMPDIR/junit.xml graded_test C="$STUDENT" P=server_3
	assert_failure
	refute_line --regexp '^(not )?ok [0-9]+ func: '
	# the teacher sees the harness's diff of the two builds' files
	assert_line '# asm and C differ:'
	assert_line --regexp '^# diff .*/asm/stdout .*/c/stdout$'
	# and a JUnit report, which lists every test that ran
	assert_line "report: $BATS_TEST_TMPDIR/junit.xml (JUnit)"
	assert_equal "$(grep -c '<testcase ' "$BATS_TEST_TMPDIR/junit.xml")" \
		"$(grep -cE '^(not )?ok ' <<<"$output")"
	assert_equal "$(grep -c '<failure' "$BATS_TEST_TMPDIR/junit.xml")" \
		"$(grep -c '^not ok ' <<<"$output")"
	# server_3's tests fail, and no other's
	assert_line --regexp '^not ok [0-9]+ server_3: '
	run grep -v '^server_3: ' <<<"$(failed_tests)"
	assert_output ''
	run grep -A9 '<failure' "$BATS_TEST_TMPDIR/junit.xml"
	assert_line 'asm and C differ:'
	run tail -n 1 "$BATS_TEST_TMPDIR/junit.xml"
	assert_output '</testsuites>'
	# the same hand-in's open_sock_1, built from the same folder, passes
	graded_test C="$STUDENT" P=open_sock_1
	assert_success
	assert_line --regexp '^ok [0-9]+ open_sock_1: '
}

@test "grading: a folder holding only an intact bind_sock.c passes, built beside build/, the rest from the project" {
	student_folder c bind_sock
	local before
	before=$(ls -l --time-style=+%s.%N "$BUILD/c" 2>/dev/null || true)
	# its runs its own, not the suite's (RESULTS): made for its page too
	RESULTS='' run make_outside_bats -C "$ROOT" test C="$STUDENT" P=bind_sock FUZZ_S=0
	local graded
	graded=$(sed -nE 's|^report: (.*)/report.xml \(JUnit\)$|\1|p' <<<"$output")
	[ -z "$graded" ] || echo "$graded" >"$BATS_TEST_TMPDIR/graded"
	assert_success
	assert_line --regexp '^tests: [0-9]+ passed, 0 failed, 0 skipped$'
	assert_line --regexp '^ok [0-9]+ bind_sock: '
	refute_line --regexp '^ok [0-9]+ (server_2|func): '
	[[ $graded == "$ROOT/build/graded-"* ]]
	[ -x "$graded/c/server_2" ]
	# and gone with it, once its page has drawn them
	run compgen -G "$graded/runs.*"
	assert_output ''
	[ "$(ls -l --time-style=+%s.%N "$BUILD/c" 2>/dev/null || true)" = "$before" ]
}

teardown() {
	[ ! -e "$BATS_TEST_TMPDIR/graded" ] || rm -rf "$(cat "$BATS_TEST_TMPDIR/graded")"
}

@test "grading: ASM=DIR grades a student's asm variant against the project's C" {
	student_folder asm bind_sock
	sed -i "s/'Successfull bind'/'Successful bind'/" "$STUDENT/bind_sock.asm"
	graded_test ASM="$STUDENT" P=bind_sock
	assert_failure
	assert_line '# < Successful bind'
	assert_line '# > Successfull bind'
	run failed_tests
	assert_line --regexp '^bind_sock: '
	refute_line --regexp '^func: '
}

@test "grading: a student's file that does not build fails its program's tests, not the run" {
	student_folder c bind_sock
	echo 'int broken = ;' >>"$STUDENT/bind_sock.c"
	graded_test C="$STUDENT" P=bind_sock
	assert_failure
	assert_line --partial 'bind_sock.c'
	assert_line --partial "c/bind_sock was not built: make's message is above the tests"
	# the run goes on to its end: the after-suite checks, the report
	assert_line --regexp '^ok [0-9]+ after the suite: '
	assert_line --regexp '^report: .*\(JUnit\)$'
	assert_line --regexp '^tests: [0-9]+ passed, [1-9][0-9]* failed, 0 skipped$'
}

@test "grading: P= with a name that is no program's is an error listing the names" {
	run make -C "$ROOT" test P=server_5
	assert_failure
	assert_output --partial "P=server_5 is not one of the lecture's programs; P is one of: ${PROGRAMS[*]}, or func"
	refute_output --partial 'tests:'
}

@test "grading: a server_2.c that prints only when its read returned data fails its graded run, by a kept fuzz case" {
	student_folder c server_2
	sed -i 's/^\tprint_str(buffer);$/\tif (rax > 0) print_str(buffer);/' "$STUDENT/server_2.c"
	run grep -c 'if (rax > 0) print_str(buffer);' "$STUDENT/server_2.c"
	assert_output 1
	graded_test C="$STUDENT" P=server_2
	assert_failure
	assert_line --regexp '^not ok [0-9]+ server_2: every scenario in tests/scenarios/server_2/ '
	# a kept fuzz case catches it (defect-7.steps is the one kept for it):
	# the lecture's scenario does not, where every client sends a line
	assert_line --regexp '^# diff .*/[0-9a-z-]+\.steps/asm/[a-z]+ '
	refute_line --partial '/lecture.steps/'
}

@test "grading: a server_3.c that takes a failed fork for the child fails its graded run, by the fork-fails scenario" {
	student_folder c server_3
	sed -i '/^\trax = sys(57, 0, 0, 0);$/,/goto _read;/ s/^\tif (rax == 0)$/\tif (rax <= 0)/' "$STUDENT/server_3.c"
	run grep -c '^	if (rax <= 0)$' "$STUDENT/server_3.c"
	assert_output 1
	graded_test C="$STUDENT" P=server_3
	assert_failure
	assert_line --regexp '^not ok [0-9]+ server_3: every scenario in tests/scenarios/server_3/ '
	assert_line --regexp '^# diff .*/fork-fails\.steps/asm/[a-z0-9.]+ '
}

@test "grading: a graded run fuzzes the program from a seed its test names; a difference is kept, and make try replays it" {
	student_folder c client_2
	sed -i 's/^\tprint_str(msg_4);$/\tprint_str(msg_4 + 6);/' "$STUDENT/client_2.c"
	run grep -c 'print_str(msg_4 + 6);' "$STUDENT/client_2.c"
	assert_output 1
	graded_test C="$STUDENT" P=client_2 FUZZ_S=5 SEED=1
	assert_failure
	assert_line --regexp '^not ok [0-9]+ client_2: a fuzz session of 5 s \(SEED=1\) finds no difference between the builds'
	local kept=$BATS_TEST_TMPDIR/build/fuzz-finds/client_2.1.steps
	assert_line "#   make try C=$STUDENT STEPS=$kept"
	assert_equal "$(head -n 1 "$kept")" 'program client_2'
	run make_outside_bats -s -C "$ROOT" B="$BATS_TEST_TMPDIR/build" try C="$STUDENT" STEPS="$kept"
	assert_failure
	assert_line --regexp '^Error connect\$ +≠ connect\$ +$'
}

@test "grading: an intact hand-in passes its fuzz session; without SEED= the run picks one and names it" {
	student_folder c open_sock_1
	graded_test C="$STUDENT" P=open_sock_1 FUZZ_S=2
	assert_success
	assert_line --regexp '^ok [0-9]+ open_sock_1: a fuzz session of 2 s \(SEED=[0-9]+\) finds no difference between the builds'
}
