#!/usr/bin/env bats
# func: the helpers of func.asm and their C twins, through a driver program
# (tests/drivers/func_driver.*) that calls each once: same bytes, same syscalls.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

# Runs the driver with this input on stdin, traced.
drive() { # <printf format for stdin>
	# shellcheck disable=SC2059
	printf "$1" | prog func_driver >"$OUT/stdout"
}

# The tests that type "abc\n" share one run of each build, made once.
setup_file() {
	load test_helper
	_common_setup
	ASM=$BATS_FILE_TMPDIR/asm C=$BATS_FILE_TMPDIR/c TRACE=1 run_both drive 'abc\n'
}

# Points ASM and C at the shared runs, which must have left the same files.
abc_typed() {
	ASM=$BATS_FILE_TMPDIR/asm
	C=$BATS_FILE_TMPDIR/c
	assert_same_files "$ASM" "$C"
}

@test "func: number_str writes 0, 7, 10 and 2^64-1 in decimal, and -24 unsigned" {
	abc_typed
	run head -n 5 "$ASM/stdout"
	assert_output - <<'OUT'
0
7
10
18446744073709551615
18446744073709551592
OUT
}

@test "func: number_str, print_str and new_line make one write each" {
	abc_typed
	run sed -n '3,8p' "$ASM/trace"
	assert_output - <<'OUT'
write(1, "0", 1) = 1
write(1, "\n", 1) = 1
write(1, "7", 1) = 1
write(1, "\n", 1) = 1
write(1, "10", 2) = 2
write(1, "\n", 1) = 1
OUT
}

@test "func: print_str of an empty string still makes one write of 0 bytes" {
	abc_typed
	run grep -c '^write(1, "", 0) = 0$' "$ASM/trace"
	assert_output 1
}

@test "func: input_keyboard reads 255 bytes at most and turns the newline into a NUL" {
	abc_typed
	run grep '^read' "$ASM/trace"
	assert_output 'read(0, "abc\n", 255) = 4'
	run visible "$ASM/stdout"
	assert_line --index 5 'abc$'
}

@test "func: input_keyboard keeps the CR of a CRLF line" {
	TRACE=1 run_both drive 'abc\r\n'
	run visible "$ASM/stdout"
	assert_line --index 5 'abc^M$'
}

@test "func: input_keyboard on a 300-byte line scans past the data to the next 0x0A" {
	TRACE=1 run_both drive "$(repeat x 300)\n"
	run visible "$ASM/stdout"
	# 255 bytes read, no newline among them: the scan runs on to marker's
	# 0x0A, so buffer prints up to marker's X, and marker loses its newline
	assert_line --index 5 "$(repeat x 255)X\$"
	assert_line --index 6 'X$'
}

@test "func: input_keyboard at EOF leaves the buffer's old contents" {
	TRACE=1 run_both drive ''
	run visible "$ASM/stdout"
	# read returns 0 and the scan runs from the buffer's old contents (the
	# last number printed) on to marker's 0x0A
	assert_line --index 5 '18446744073709551592$'
	assert_line --index 6 'X$'
}
