#!/usr/bin/env bats
# tests/tools/compare (make compare): the table, the side-by-side view, the verdict.

setup() { load test_helper; _common_setup; }

@test "compare: prints a row per program, each scenario run and every column the same" {
	run "$ROOT/tests/tools/compare"
	assert_success
	local program
	for program in "${PROGRAMS[@]}"; do
		assert_line --regexp "^$program +[0-9]+ B +[0-9]+ B +ran +same, [0-9]+ B +same, [0-9]+ B +same, [0-9]+ calls\$"
	done
	assert_line --partial 'All the same'
}

@test "compare: a deliberately broken C build fails it, and its row says what differs" {
	local copy=$BATS_TEST_TMPDIR/copy
	copy_project "$copy"
	sed -i 's/"Successfull bind\\n"/"Successful bind\\n"/' "$copy/c/bind_sock.c"
	make -s -C "$copy" all sites
	BUILD=$copy/build run "$copy/tests/tools/compare" --table bind_sock open_sock_1
	assert_failure
	run cat "$copy/build/compare.tsv"
	assert_line "$(printf 'bind_sock\tran\tdiffers\tsame\tdiffers')"
	assert_line "$(printf 'open_sock_1\tran\tsame\tsame\tsame')"
	BUILD=$copy/build run "$copy/tests/tools/compare" --table bind_sock open_sock_1
	assert_line --regexp '^bind_sock +[0-9]+ B +[0-9]+ B +ran +DIFFERS +same, 0 B +DIFFERS$'
	# "3\nSuccessfull bind\n" against "3\nSuccessful bind\n"
	assert_line "  stdout: first differs at offset 12: asm 0x6c 'l', C 0x20 ' '"
	assert_line --regexp '^open_sock_1 .* same, 4 calls$'
}

@test "compare P=server_3: the sources side by side, aligned on their labels, then the traces" {
	COLUMNS=160 run make -C "$ROOT" B="$BUILD" compare P=server_3
	assert_success
	assert_line --regexp '^_start: +│ int main\(void\) /\* _start: \*/ +$'
	assert_line --regexp '^    \.main_loop: +│ main_loop: /\* \.main_loop \*/ +$'
	assert_line --regexp '^_read: +│ _read: +$'
	assert_line --regexp '^      \.lab: +│ lab: /\* \.lab \*/ +$'
	assert_line --regexp '^--- SIGCHLD --- +--- SIGCHLD ---$'
	# 23: each child's end (nc's at EOF, telnet's at the stop, one at a time)
	# interrupts accept, which starts again
	assert_line 'trace:  same, 23 calls'
}

@test "compare: no colour when its output is not a terminal" {
	run "$ROOT/tests/tools/compare" open_sock_1
	assert_success
	refute_output --partial $'\e['
}

@test "compare: an unknown program gets the usage" {
	run "$ROOT/tests/tools/compare" no_such_program
	assert_failure 2
	assert_output --partial 'usage: tests/tools/compare [PROGRAM|func|--table PROGRAM...|--runs PROGRAM...]'
}

@test "compare: without network namespaces, one message names the cause and the remedy" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/unshare" <<-'EOF'
	#!/bin/sh
	echo "unshare: unshare failed: Operation not permitted" >&2
	exit 1
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/unshare"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$ROOT/tests/tools/compare"
	assert_failure 1
	assert_line --index 0 --partial "Cannot make a network namespace: 'unshare -"
	assert_line --index 0 --partial 'says: unshare: unshare failed: Operation not permitted'
	assert_line --index 1 --regexp '^Every lecture program runs in a network namespace of its own(, and even|; an)$'
	[ "${#lines[@]}" -le 12 ]	# one message, not a row a program
	refute_output --partial 'DIFFERS'
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$ROOT/tests/tools/run" tests/suite/open_sock_1.bats
	assert_failure 1
	assert_line --index 0 --partial "Cannot make a network namespace"
	refute_output --partial 'not ok'
}

@test "compare: two at once on one build both finish, and the table they write is whole" {
	local build=$BATS_TEST_TMPDIR/build
	copy_build "$build"
	BUILD=$build "$ROOT/tests/tools/compare" --table server open_sock_1 bind_sock >"$BATS_TEST_TMPDIR/one" 2>&1 &
	local one=$!
	BUILD=$build run "$ROOT/tests/tools/compare" --table server open_sock_1 bind_sock
	assert_success
	wait "$one" || fail "the other compare failed: $(cat "$BATS_TEST_TMPDIR/one")"
	run cat "$build/compare.tsv"
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 "$(printf 'program\tscenario\tstdout\twire\ttrace')"
	assert_line --index 1 "$(printf 'server\tran\tsame\tsame\tsame')"
	assert_line --index 3 "$(printf 'bind_sock\tran\tsame\tsame\tsame')"
}
