#!/usr/bin/env bats
# What a user types, checked at the door: a wrong P, B, C, ASM or SEND stops
# the command before any work, in one line that names the value, what is
# wrong and what to do; no remedy removes what the project did not make.

setup() { load test_helper; _common_setup; }

# make, its message's line alone (make's "Makefile:N: *** ...  Stop.").
make_refuses() { # <make arguments...>
	run make --no-print-directory -C "$ROOT" "$@"
	assert_failure
	assert_equal "${#lines[@]}" 1
	[[ ${lines[0]} == "Makefile:"*": *** "*".  Stop." ]] || fail "not make's one line: ${lines[0]}"
}

@test "inputs: B= a folder this project did not make is refused, never offered for removal, and make clean leaves it" {
	local theirs=$BATS_TEST_TMPDIR/theirs
	mkdir "$theirs"
	echo 'not the build' >"$theirs/notes.txt"
	make_refuses B="$theirs" compare
	assert_output --partial "B=$theirs is a folder this project did not make (it has no .deps-build); name a new or empty folder to build in"
	refute_output --partial 'rm '
	make_refuses B=/etc test
	refute_output --partial 'rm '
	run make -C "$ROOT" B="$theirs" clean
	assert_failure
	[ -f "$theirs/notes.txt" ]
	# a folder the project made is cleaned
	mkdir "$BATS_TEST_TMPDIR/ours"
	touch "$BATS_TEST_TMPDIR/ours/.deps-build"
	run make -C "$ROOT" B="$BATS_TEST_TMPDIR/ours" clean
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/ours" ]
	# and an empty one is built in
	mkdir "$BATS_TEST_TMPDIR/empty"
	run make -C "$ROOT" -n B="$BATS_TEST_TMPDIR/empty"
	assert_success
}

@test "inputs: B= a file, a path with a space, or nothing: one line each" {
	touch "$BATS_TEST_TMPDIR/file"
	make_refuses B="$BATS_TEST_TMPDIR/file" test
	assert_output --partial "B=$BATS_TEST_TMPDIR/file is a file; B= names a folder to build in"
	make_refuses B="$BATS_TEST_TMPDIR/a b" test
	assert_output --partial "B='$BATS_TEST_TMPDIR/a b': a path with a space (make cannot build in one)"
	make_refuses B= test
	assert_output --partial 'B= is empty; name a build folder without spaces, or leave B out for build/'
}

@test "inputs: REPORT= and PAGE= in a missing folder, a folder, or nothing: a message each, before any work" {
	make_refuses REPORT="$BATS_TEST_TMPDIR/none/r.xml" test P=server
	assert_output --partial "REPORT=$BATS_TEST_TMPDIR/none/r.xml: there is no folder $BATS_TEST_TMPDIR/none/; make it first"
	make_refuses REPORT="$BATS_TEST_TMPDIR" test P=server
	assert_output --partial "REPORT=$BATS_TEST_TMPDIR is a folder; REPORT= names the file to write, such as $BATS_TEST_TMPDIR/report.xml"
	make_refuses PAGE= report
	assert_output --partial 'PAGE= is empty; PAGE= names the file to write, such as report.html'
}

@test "inputs: C= a missing folder, a file, a folder without the programs' files, or nothing: a message each" {
	make_refuses C="$BATS_TEST_TMPDIR/none" test
	assert_output --partial "C=$BATS_TEST_TMPDIR/none: no such folder"
	touch "$BATS_TEST_TMPDIR/file"
	make_refuses C="$BATS_TEST_TMPDIR/file" test
	assert_output --partial "C=$BATS_TEST_TMPDIR/file is a file; C= names the folder that holds the NAME.c files"
	mkdir "$BATS_TEST_TMPDIR/empty"
	make_refuses C="$BATS_TEST_TMPDIR/empty" test
	assert_output --partial "C=$BATS_TEST_TMPDIR/empty holds none of the programs' files; they are named open_sock_1.c"
	make_refuses C= test
	assert_output --partial 'C= is empty; C= names the folder that holds the NAME.c files'
	make_refuses ASM="$BATS_TEST_TMPDIR/file" test
	assert_output --partial "ASM=$BATS_TEST_TMPDIR/file is a file; ASM= names the folder that holds the NAME.asm files"
}

@test "inputs: C=~/DIR, the ~ left to make, is the home folder for the build and for make compare alike" {
	local home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home/alice"
	cp "$ROOT/c/server_3.c" "$home/alice"
	HOME=$home run make -C "$ROOT" -n compare 'C=~/alice' P=server_3
	assert_success
	assert_output --regexp "STUDENT_C=$home/alice "
	assert_output --regexp "BUILD=$ROOT/build/graded-[0-9]+ "
	refute_output --partial '~'
}

@test "inputs: P= with nothing is refused with the list, as any other name is" {
	make_refuses P= test
	assert_output --partial "P= is empty; P is one of: ${PROGRAMS[*]}, or func"
}

@test "inputs: make try's SEND is data: a % is sent as it is, escapes as bytes" {
	COLUMNS=100 run make -C "$ROOT" B="$BUILD" try P=server_2 SEND='50% %s %d\x21\n'
	assert_success
	assert_line --regexp '^50% %s %d! *\$ +│ 50% %s %d! *\$ +$'
}

@test "inputs: a tool run on a build older than its source refuses, naming the binary and the remedy" {
	local copy=$BATS_TEST_TMPDIR/copy
	copy_project "$copy"
	touch "$copy/c/server_2.c"
	tools_refuse "$copy/tests/tools" \
		"c/server_2 in $copy/build: older than its source; rebuild with make (make test, compare, try and demo rebuild first)" \
		BUILD="$copy/build"
}

# The entry points (tools/run, compare, try) each stop before any work, with
# this message alone, in an environment with these variables.
tools_refuse() { # <tools folder> <message> [variable=value...]
	local tool
	for tool in run "compare server_2" "try server_2"; do
		# shellcheck disable=SC2086	# the tool, then its argument
		run env "${@:3}" $1/$tool </dev/null
		assert_failure
		assert_output "$2"
	done
}

@test "inputs: where / is no mount point (a chroot entered so), the tools say in one line why the sandbox cannot start, and what to do" {
	# a mount table without /, as a chroot of a plain folder shows it
	grep -v '^[0-9]* [0-9]* [0-9:]* [^ ]* / ' /proc/self/mountinfo >"$BATS_TEST_TMPDIR/mountinfo"
	tools_refuse "$ROOT/tests/tools" \
		"Cannot start the sandbox that runs under a process limit and graded runs need: sandbox: / is not a mount point (a chroot entered without making it one?), and bubblewrap needs one. Make the chroot's folder a mount point before entering it, as root: mount --bind DIR DIR" \
		SANDBOX_MOUNTINFO="$BATS_TEST_TMPDIR/mountinfo"
	# with the machine's own table, it starts
	run "$ROOT/tests/lib/sandbox" -- true
	assert_success
}
