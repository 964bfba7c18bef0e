#!/usr/bin/env bats
# The program table (tests/programs): the one list of programs. A program
# is its asm/NAME.asm, its c/NAME.c, its row and its scenarios; nothing
# else names it.

setup() { load test_helper; _common_setup; }

@test "programs: every program of the table has its asm, its C and its lecture scenario, and nothing else lists them" {
	local program
	for program in "${PROGRAMS[@]}"; do
		assert [ -f "$ROOT/asm/$program.asm" ]
		assert [ -f "$ROOT/c/$program.c" ]
		assert [ -f "$ROOT/tests/scenarios/$program/lecture.steps" ]
	done
	assert_equal "$(ls "$ROOT/tests/scenarios" | paste -sd ' ')" \
		"$(printf '%s\n' "${PROGRAMS[@]}" | sort | paste -sd ' ')"
	# no file of make's, the harness's or a tool's spells out the list
	run grep -rlE 'server_2.{1,40}server_3|open_sock_2.{1,40}bind_sock' \
		"$ROOT/Makefile" "$ROOT/tests/lib" "$ROOT/tests/tools"
	assert_output ''
}

@test "programs: an eleventh program, added as its asm, its C, its row and its scenarios alone, builds, shows in make compare and passes make test P=" {
	local copy=$BATS_TEST_TMPDIR/project
	copy_project "$copy"
	cp "$copy/asm/server_4.asm" "$copy/asm/server_5.asm"
	cp "$copy/c/server_4.c" "$copy/c/server_5.c"
	echo 'server_5          server  55555  reads  fork' >>"$copy/tests/programs"
	mkdir "$copy/tests/scenarios/server_5"
	cp "$copy/tests/scenarios/server_4/lecture".* "$copy/tests/scenarios/server_5/"
	sed -i 's/^program server_4$/program server_5/' "$copy/tests/scenarios/server_5/lecture.steps"
	run make_outside_bats -C "$copy" -s compare
	assert_success
	run grep -P '^server_5\t' "$copy/build/compare.tsv"
	assert_output "$(printf 'server_5\tran\tsame\tsame\tsame')"
	run make_outside_bats -C "$copy" test P=server_5
	assert_success
	assert_line --regexp '^ok [0-9]+ server_5: every scenario in tests/scenarios/server_5/ '
	assert_line --regexp '^tests: [1-9][0-9]* passed, 0 failed'
}
