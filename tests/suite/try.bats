#!/usr/bin/env bats
# tests/tools/try (make try): both builds driven by the same steps, side by side.

setup() { load test_helper; _common_setup; }

# The session as try leaves it for programs (TRY_RESULT): RESULT/asm and
# RESULT/c, each build's files, and RESULT/verdicts.
result() { RESULT=$BATS_TEST_TMPDIR/result; export TRY_RESULT=$RESULT; }

# Each line of the expected text is a line of a file of both builds.
assert_both_have_line() { # <file in asm/ and c/> <line>
	local build
	for build in asm c; do
		grep -qxF -- "$2" "$RESULT/$build/$1" ||
			fail "$build/$1 has no line '$2':
$(shown "$(cat -A "$RESULT/$build/$1")")"
	done
}

# How many lines of a file of both builds match a pattern: the same, this many.
assert_both_count() { # <file in asm/ and c/> <extended regexp> <count>
	local build
	for build in asm c; do
		assert_equal "$build/$1: $(grep -cE -- "$2" "$RESULT/$build/$1")" "$build/$1: $3"
	done
}

@test "try: SEND and SEND2 drive both builds of server_2; outputs and traces the same" {
	result
	COLUMNS=100 run make -C "$ROOT" B="$BUILD" try P=server_2 SEND='hello\n' SEND2=''
	assert_success
	run cat "$RESULT/verdicts"
	assert_output $'run1\tsame\nclient1\tsame\nclient2\tsame\ntrace\tsame'
	assert_both_have_line run1.out 'Successfull bind'
	assert_both_have_line run1.out 'hello'
	assert_both_count trace '^accept\(3, NULL, NULL\) = 5$' 1	# B, the second client
}

@test "try: the screen shows both builds under one header, each step as typed, no colour off a terminal" {
	COLUMNS=100 run make -C "$ROOT" B="$BUILD" try P=server_2 SEND='hello\n' SEND2=''
	assert_success
	assert_line --regexp '^── server_2: .*/asm +│ .*/c (─)+$'
	assert_line --regexp '^Successfull bind\$ +│ Successfull bind\$ +$'
	assert_line 'A> :send hello\n'
	assert_line 'A> :open B'
	assert_line 'B> :send '
	assert_line "the same: output, peers' bytes and syscalls"
	refute_output --partial $'\e['
}

@test "try: a file of steps: typed lines, a second client, a reset, EOF" {
	cat >"$BATS_TEST_TMPDIR/steps" <<-'EOF'
	# server_3: a child per client
	hello
	:open B
	:send a\0b\n
	:reset B
	:close A
	EOF
	result
	run make -C "$ROOT" B="$BUILD" try P=server_3 STEPS="$BATS_TEST_TMPDIR/steps"
	assert_success
	run grep -c differs "$RESULT/verdicts"
	assert_output 0
	assert_both_have_line run1.out 'hello'
	# B's child prints "a" (the line's first NUL ends it), and again after the reset
	assert_both_count run1.out '^a$' 2
	assert_both_have_line trace 'read(5, ADDR, 100) = -1 ECONNRESET (Connection reset by peer)'
	assert_both_have_line trace 'read(4, "", 100) = 0'
}

@test "try: a case in the executor's own steps (a kept scenario, a fuzz find) replays as it is, for its own program" {
	local case=$ROOT/tests/scenarios/server_3/fork-fails.steps
	result
	run make -C "$ROOT" B="$BUILD" try STEPS="$case"
	assert_success
	assert_line 'case> start nproc=2'
	run grep -c differs "$RESULT/verdicts"
	assert_output 0
	assert_both_have_line run1.out 'Successfull bind'
	assert_both_count trace '^fork\(\) = -1 EAGAIN ' 2
	run make -C "$ROOT" B="$BUILD" try P=server STEPS="$case"
	assert_failure
	assert_output --partial "is a case of server_3's, not of server's: leave P= out"
}

@test "try: the steps may come on stdin; server_4's typed lines go to its stdin, then to the client" {
	result
	run bash -c "printf 'pong\n:to A\nping\n' | '$ROOT/tests/tools/try' server_4"
	assert_success
	run cat "$RESULT/verdicts"
	assert_output $'run1\tsame\nclient1\tsame\ntrace\tsame'
	# the writer sends its whole buffer: the line, its newline made NUL, the rest NULs
	{ printf 'pong'; head -c 96 /dev/zero; } >"$BATS_TEST_TMPDIR/pong"
	cmp "$BATS_TEST_TMPDIR/pong" "$RESULT/asm/client1.out"
	cmp "$BATS_TEST_TMPDIR/pong" "$RESULT/c/client1.out"
	assert_both_have_line run1.out 'ping'
}

@test "try: a 10 KB line reaches both builds in the same reads, run after run" {
	local line i
	line=$(printf 'x%.0s' {1..10240})
	result
	for i in 1 2 3; do
		SEND="$line\n" run "$ROOT/tests/tools/try" server_2
		assert_success
		run cat "$RESULT/verdicts"
		assert_output $'run1\tsame\nclient1\tsame\ntrace\tsame'
		assert_both_count trace '^read\(4, "x{100}", 100\) = 100$' 1	# one read a client: the first 100 bytes
	done
}

@test "try: where the builds differ, the row is marked, the verdict says so, and try fails" {
	# a "C build" whose server_2 is the asm's server_3
	local fake=$BATS_TEST_TMPDIR/build
	mkdir -p "$fake/c"
	ln -s "$BUILD/asm" "$fake/asm"
	ln -s "$BUILD/asm/server_3" "$fake/c/server_2"
	result
	COLUMNS=100 BUILD=$fake SEND='hello\n' run "$ROOT/tests/tools/try" server_2
	assert_failure 1
	assert_line --regexp '^ +> \$ +$'
	assert_line --regexp '^asm and C differ'
	run cat "$RESULT/verdicts"
	assert_output $'run1\tdiffers\nclient1\tsame\ntrace\tdiffers'
	assert_both_have_line run1.out 'hello'
}

@test "try: TRY_RESULT never writes into a folder try did not make" {
	mkdir -p "$BATS_TEST_TMPDIR/mine/asm"
	echo keep >"$BATS_TEST_TMPDIR/mine/asm/notes"
	TRY_RESULT=$BATS_TEST_TMPDIR/mine SEND='hello\n' run "$ROOT/tests/tools/try" server_2
	assert_failure 2
	assert_output "try: TRY_RESULT=$BATS_TEST_TMPDIR/mine holds files try did not write; name a new or empty folder"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/mine/asm/notes")" keep
}

@test "try: an unknown program, or SEND2 for a program that is no server, gets the usage" {
	run "$ROOT/tests/tools/try" server_5
	assert_failure 2
	assert_line --partial 'usage: make try P=PROGRAM'
	SEND2=x run "$ROOT/tests/tools/try" client_2
	assert_failure 2
	assert_output 'try: SEND2 is for a second client, and client_2 is no server'
}

@test "try: without a network namespace it runs nothing" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n' \
		>"$BATS_TEST_TMPDIR/bin/unshare"
	chmod +x "$BATS_TEST_TMPDIR/bin/unshare"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH SEND='hello\n' run "$ROOT/tests/tools/try" server_2
	assert_failure 1
	assert_line --index 0 --partial "Cannot make a network namespace"
	refute_output --partial 'Successfull bind'
}
