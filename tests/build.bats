#!/usr/bin/env bats
# The build: fasm natively or under qemu-i386, the same objects either way.

setup() { load test_helper; _common_setup; }

asm_objects() { # <build folder>
	printf "$1/asm/%s.o\n" open_sock_1 open_sock_2 bind_sock listen_accept_1 \
		client_connect server server_2 server_3 client_2 server_4
}

@test "build: FASM_VIA=qemu assembles the ten objects byte for byte as native fasm" {
	local qemu=$BATS_TEST_TMPDIR/qemu
	run make -C "$ROOT" B="$qemu" FASM_VIA=qemu $(asm_objects "$qemu")
	assert_success
	local object
	for object in $(asm_objects build); do
		cmp "$ROOT/$object" "$qemu/${object#build/}"
	done
}

@test "build: where the kernel refuses fasm (Exec format error), tools/fasm uses qemu-i386" {
	# an i386 fasm the kernel cannot run: its e_machine says ARM
	local fake=$BATS_TEST_TMPDIR/fasm
	cp "$(command -v fasm)" "$fake"
	printf '\x28' | dd of="$fake" bs=1 seek=18 conv=notrunc status=none
	# a qemu-i386 that notes its use and runs the real fasm
	mkdir "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/qemu-i386" <<-EOF
	#!/bin/sh
	echo "qemu-i386 \$*" >>"$BATS_TEST_TMPDIR/qemu.log"
	shift
	exec $(command -v fasm) "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/qemu-i386"
	cd "$ROOT"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH FASM=$fake INCLUDE=func \
		run tools/fasm asm/server_3.asm "$BATS_TEST_TMPDIR/server_3.o"
	assert_success
	run cat "$BATS_TEST_TMPDIR/qemu.log"
	assert_output "qemu-i386 $fake asm/server_3.asm $BATS_TEST_TMPDIR/server_3.o"
	cmp build/asm/server_3.o "$BATS_TEST_TMPDIR/server_3.o"
}

@test "build: a second make has nothing to do" {
	run make -C "$ROOT"
	assert_output --partial "Nothing to be done for 'all'"
}
