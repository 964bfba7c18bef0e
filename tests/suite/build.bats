#!/usr/bin/env bats
# The build: fasm natively or under qemu-i386, the same objects either way,
# checked against the objects' checksums in tests/suite/fixtures/asm_objects.sha256.

setup() { load test_helper; _common_setup; }

# Checks a build folder's ten objects against the committed checksums.
assert_committed_objects() { # <build folder>
	cd "$1/asm"
	run sha256sum --strict -c <(grep -v '^#' "$ROOT/tests/suite/fixtures/asm_objects.sha256")
	assert_success
	assert_equal "${#lines[@]}" "${#PROGRAMS[@]}"
}

@test "build: the ten objects are byte for byte the committed ones" {
	assert_committed_objects "$BUILD"
}

@test "build: FASM_VIA=qemu assembles the same ten objects" {
	local qemu=$BATS_TEST_TMPDIR/qemu
	run make -C "$ROOT" B="$qemu" FASM_VIA=qemu $(printf "$qemu/asm/%s.o " "${PROGRAMS[@]}")
	assert_success
	assert_committed_objects "$qemu"
}

@test "build: where the kernel refuses fasm (Exec format error), fasm runs under qemu-i386" {
	# a fasm no kernel runs: its ELF header's e_machine says EM_NONE
	local fake=$BATS_TEST_TMPDIR/fasm real_fasm real_qemu
	real_fasm=$(command -v fasm)
	real_qemu=$(command -v qemu-i386)
	cp "$real_fasm" "$fake"
	printf '\x00' | dd of="$fake" bs=1 seek=18 conv=notrunc status=none
	# a qemu-i386 that notes its use, then emulates the real fasm
	mkdir "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/qemu-i386" <<-EOF
	#!/bin/sh
	echo "qemu-i386 \$*" >>"$BATS_TEST_TMPDIR/qemu.log"
	shift
	exec $real_qemu $real_fasm "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/qemu-i386"
	local out=$BATS_TEST_TMPDIR/out
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run make -C "$ROOT" B="$out" FASM="$fake" "$out/asm/server_3.o"
	assert_success
	run cat "$BATS_TEST_TMPDIR/qemu.log"
	# (into files of its own, renamed once whole)
	assert_output --regexp "^qemu-i386 $fake asm/server_3.asm $out/asm/server_3.o.([0-9]+) -s $out/asm/server_3.fas.\\1\$"
	cmp "$BUILD/asm/server_3.o" "$out/asm/server_3.o"
}

@test "build: a second make has nothing to do" {
	make -C "$ROOT" B="$BUILD" >/dev/null
	MAKEFLAGS='' run make -C "$ROOT" B="$BUILD"	# (make -s test: not silenced)
	assert_output --partial "Nothing to be done for 'all'"
}

@test "build: touching the package script rebuilds nothing; a new config.mak rebuilds all" {
	local copy=$BATS_TEST_TMPDIR/copy
	copy_project "$copy"
	touch "$copy/tests/tools/deps"
	run make -C "$copy"
	refute_output --regexp '(FASM|CC|LD) '
	echo 'CFLAGS = -O2' >"$copy/config.mak"
	run make -C "$copy" -j2
	assert_equal "$(grep -c '^  FASM ' <<<"$output")" "${#PROGRAMS[@]}"
	assert_equal "$(grep -c '^  CC ' <<<"$output")" $((${#PROGRAMS[@]} + 1))
}

# Runs a command as an ordinary user: as itself, or as nobody when root.
as_ordinary_user() { # <command> [args...]
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

# A folder any user may enter (the test's own may be closed to others),
# holding copies of the named project files. Sets SHARED.
make_shared_folder() { # <project files...>
	SHARED=$(mktemp -d /tmp/lecture-test.XXXXXX)
	echo "$SHARED" >"$BATS_TEST_TMPDIR/shared"
	(cd "$ROOT" && cp --parents "$@" "$SHARED")
	chmod -R a+rX "$SHARED"
}

teardown() {
	[ ! -e "$BATS_TEST_TMPDIR/shared" ] || rm -rf "$(cat "$BATS_TEST_TMPDIR/shared")"
}

@test "build: an ordinary user without the packages gets one command that installs them all" {
	make_shared_folder tests/tools/deps
	# a PATH with the shell's tools but none of the packages' commands
	local tool
	mkdir "$SHARED/bin"
	for tool in bash env id sort cat mktemp; do ln -s "$(command -v "$tool")" "$SHARED/bin/$tool"; done
	# where there is no sudo (a minimal image), su
	run as_ordinary_user env PATH="$SHARED/bin" "$SHARED/tests/tools/deps" test
	assert_failure 1
	assert_line --index 0 --regexp '^Missing packages: .*fasm.*musl-tools.*qemu-user.*socat.*strace'
	assert_line "  su -c 'make deps'"
	assert_line --regexp "^  su -c 'apt-get update && apt-get install -y --no-install-recommends .*bats.*fasm.*telnet.*'\$"
	assert_equal "$(grep -c 'apt-get' <<<"$output")" 1
	# where there is (a stand-in: it is only looked for)
	ln -s "$(type -P true)" "$SHARED/bin/sudo"
	run as_ordinary_user env PATH="$SHARED/bin" "$SHARED/tests/tools/deps" test
	assert_failure 1
	assert_line '  sudo make deps'
	assert_line --regexp '^  sudo apt-get update && sudo apt-get install -y --no-install-recommends .*bats.*fasm.*telnet'
}

@test "build: make deps with every package there says so; a goal's own check stays quiet" {
	run "$ROOT/tests/tools/deps" all
	assert_success
	assert_output 'deps: every package the goals need is installed'
	run "$ROOT/tests/tools/deps" test
	assert_success
	assert_output ''
}

@test "build: a build folder its user cannot write gets one message naming the remedy" {
	make_shared_folder Makefile
	mkdir -p "$SHARED/build/asm"
	touch "$SHARED/build/.deps-build"	# the project's mark: 'sudo make' made it
	chmod a-w "$SHARED/build/asm"
	run as_ordinary_user make -C "$SHARED"
	assert_failure
	assert_output --partial "build/ holds files you cannot write (left by 'sudo make'?)"
	assert_output --regexp "chown -R [a-z0-9_-]+: build"
	assert_output --partial "rm -rf build"
	refute_output --partial 'FASM'
}

@test "build: two makes at once in one new build folder both succeed, and build what one would" {
	local out=$BATS_TEST_TMPDIR/out first=0 second=0
	make -s -C "$ROOT" B="$out" all >"$BATS_TEST_TMPDIR/first.log" 2>&1 & local pid=$!
	make -s -C "$ROOT" B="$out" all >"$BATS_TEST_TMPDIR/second.log" 2>&1 || second=$?
	wait "$pid" || first=$?
	[ "$first" -eq 0 ] && [ "$second" -eq 0 ] ||
		fail "$(cat "$BATS_TEST_TMPDIR/first.log" "$BATS_TEST_TMPDIR/second.log")"
	local program
	for program in "${PROGRAMS[@]}"; do
		cmp "$BUILD/asm/$program" "$out/asm/$program"
		cmp "$BUILD/c/$program" "$out/c/$program"
	done
	run find "$out" -name '*.[0-9]*'	# no file of a make left half-way
	assert_output ''
}
