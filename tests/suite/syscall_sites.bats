#!/usr/bin/env bats
# make compare's annotations (tests/tools/syscall_sites): each syscall of a trace
# names the asm line and the C line that made it, and the first difference
# between the builds is pointed at. The expected lines are looked up in the
# sources here, never copied from the tool's output.

setup() { load test_helper; _common_setup; }

# The number of the first line of a file that holds a text, at or after the
# first line that holds another text (or from the top).
line_number() { # <file> <text> [after text]
	awk -v want="$2" -v after="${3-}" '
		after == "" || index($0, after) { seen = 1 }
		seen && index($0, want) { print NR; exit }' "$1"
}

# Asserts the row under the Nth trace row that starts with a text: the asm's
# line and the C's line that made that syscall ("at FILE:LINE [...]").
assert_made_at() { # <trace row start> <occurrence> <asm line> <c line>
	local k seen=0
	for k in "${!lines[@]}"; do
		[[ ${lines[k]} == "$1"* ]] || continue
		seen=$((seen + 1))
		[ "$seen" -eq "$2" ] || continue
		[[ ${lines[k + 1]} =~ ^\ {4}at\ (.*[^ ])\ {2,}at\ (.*)$ ]] ||
			fail "no annotation under '${lines[k]}': '${lines[k + 1]}'"
		[ "${BASH_REMATCH[1]}" = "$3" ] && [ "${BASH_REMATCH[2]}" = "$4" ] ||
			fail "'$1' (#$2) is annotated '${BASH_REMATCH[1]}' | '${BASH_REMATCH[2]}', not '$3' | '$4'"
		return 0
	done
	fail "no trace row #$2 starts with '$1'"
}

# Where func.asm's and func.c's helpers make their syscalls.
helper_sites() {
	asm_print_str=func.asm:$(line_number "$ROOT/func/func.asm" syscall 'print_str:')
	asm_new_line=func.asm:$(line_number "$ROOT/func/func.asm" syscall 'new_line:')
	asm_exit=func.asm:$(line_number "$ROOT/func/func.asm" syscall 'exit:')
	asm_input=func.asm:$(line_number "$ROOT/func/func.asm" syscall 'input_keyboard:')
	c_print_str=func.c:$(line_number "$ROOT/func/func.c" 'sys(1, 1' 'void print_str(')
	c_new_line=func.c:$(line_number "$ROOT/func/func.c" 'sys(1, 1' 'void new_line(')
	c_exit=func.c:$(line_number "$ROOT/func/func.c" 'sys(60' 'void exit0(')
	c_input=func.c:$(line_number "$ROOT/func/func.c" 'sys(0, 0' 'void input_keyboard(')
}

@test "compare P=server_3: each syscall names the asm and C lines that made it, in the forked children too" {
	helper_sites
	local asm=$ROOT/asm/server_3.asm c=$ROOT/c/server_3.c
	COLUMNS=200 run make -s -C "$ROOT" B="$BUILD" compare P=server_3
	assert_success
	assert_made_at 'socket(' 1 "server_3.asm:$(line_number "$asm" syscall 'mov rax, 41')" \
		"server_3.c:$(line_number "$c" 'sys(41')"
	assert_made_at 'write(1, "Successfull bind\n"' 1 \
		"$asm_print_str print_str <- server_3.asm:$(line_number "$asm" 'call print_str' 'mov rsi, msg_2')" \
		"$c_print_str print_str <- server_3.c:$(line_number "$c" 'print_str(msg_2)')"
	assert_made_at 'fork()' 2 "server_3.asm:$(line_number "$asm" syscall 'mov rax, 57')" \
		"server_3.c:$(line_number "$c" 'sys(57')"
	# the children: nc's, then telnet's
	local asm_read c_read
	asm_read=server_3.asm:$(line_number "$asm" syscall '_read:')
	c_read=server_3.c:$(line_number "$c" 'sys(0' '_read:')
	assert_made_at 'read(4, "hello from nc\n", 100)' 1 "$asm_read" "$c_read"
	assert_made_at 'write(1, "\n", 1)' 1 \
		"$asm_new_line new_line <- server_3.asm:$(line_number "$asm" 'call new_line')" \
		"$c_new_line new_line <- server_3.c:$(line_number "$c" 'new_line()')"
	assert_made_at 'read(4, "", 100) = 0' 1 "$asm_read" "$c_read"
	assert_made_at 'exit(0)' 1 \
		"$asm_exit exit <- server_3.asm:$(line_number "$asm" 'call exit' '.exit:')" \
		"$c_exit exit0 <- server_3.c:$(line_number "$c" 'exit0()' 'exit: /* .exit */')"
	assert_made_at 'read(5, "hello from telnet\r\n", 100)' 1 "$asm_read" "$c_read"
	assert_made_at 'write(1, "hello from telnet\r\n", 19)' 1 \
		"$asm_print_str print_str <- server_3.asm:$(line_number "$asm" 'call print_str' '_read:')" \
		"$c_print_str print_str <- server_3.c:$(line_number "$c" 'print_str(buffer)')"
}

@test "compare P=client_2: input_keyboard's read names the helper and the line that called it" {
	helper_sites
	local asm=$ROOT/asm/client_2.asm c=$ROOT/c/client_2.c
	COLUMNS=200 run make -s -C "$ROOT" B="$BUILD" compare P=client_2
	assert_success
	assert_made_at 'read(0, "hello\n", 255)' 1 \
		"$asm_input input_keyboard <- client_2.asm:$(line_number "$asm" 'call input_keyboard')" \
		"$c_input input_keyboard <- client_2.c:$(line_number "$c" 'input_keyboard(buffer)')"
	assert_made_at 'write(3, "hello\0' 1 \
		"client_2.asm:$(line_number "$asm" syscall 'call input_keyboard')" \
		"client_2.c:$(line_number "$c" 'sys(1, r9')"
	assert_made_at 'shutdown(3, 0x2)' 1 "client_2.asm:$(line_number "$asm" syscall 'mov rax, 48')" \
		"client_2.c:$(line_number "$c" 'sys(48')"
}

@test "compare P=server_4: each fork, and each child's syscalls, name their own lines" {
	helper_sites
	local asm=$ROOT/asm/server_4.asm c=$ROOT/c/server_4.c
	COLUMNS=200 run make -s -C "$ROOT" B="$BUILD" compare P=server_4
	assert_success
	assert_made_at 'fork()' 1 "server_4.asm:$(line_number "$asm" syscall 'mov rax, 57')" \
		"server_4.c:$(line_number "$c" 'sys(57')"
	assert_made_at 'fork()' 2 "server_4.asm:$(line_number "$asm" syscall 'je _read')" \
		"server_4.c:$(line_number "$c" 'sys(57' 'goto _read')"
	# the first child reads the client, the second the keyboard
	assert_made_at 'read(4, "ping\n", 100)' 1 "server_4.asm:$(line_number "$asm" syscall '_read:')" \
		"server_4.c:$(line_number "$c" 'sys(0' '_read:')"
	assert_made_at 'write(1, "ping\n", 5)' 1 \
		"$asm_print_str print_str <- server_4.asm:$(line_number "$asm" 'call print_str' '_read:')" \
		"$c_print_str print_str <- server_4.c:$(line_number "$c" 'print_str(buffer)')"
	assert_made_at 'read(0, "pong\n", 255)' 1 \
		"$asm_input input_keyboard <- server_4.asm:$(line_number "$asm" 'call input_keyboard')" \
		"$c_input input_keyboard <- server_4.c:$(line_number "$c" 'input_keyboard(buffer)')"
	assert_made_at 'write(4, "pong\0' 1 \
		"server_4.asm:$(line_number "$asm" syscall 'call input_keyboard')" \
		"server_4.c:$(line_number "$c" 'sys(1, r12')"
}

@test "compare P=server_3: a line moved in a copy of the C moves its annotation, and the asm's stays" {
	local copy=$BATS_TEST_TMPDIR/copy before after
	copy_project "$copy"
	before=$(line_number "$copy/c/server_3.c" 'sys(0' '_read:')
	sed -i 's|^_read:$|/* a comment that moves the block down */\n_read:|' "$copy/c/server_3.c"
	after=$(line_number "$copy/c/server_3.c" 'sys(0' '_read:')
	[ "$after" -eq $((before + 1)) ]
	COLUMNS=200 run make -s -C "$copy" compare P=server_3
	assert_success
	assert_made_at 'read(4, "hello from nc\n", 100)' 1 \
		"server_3.asm:$(line_number "$ROOT/asm/server_3.asm" syscall '_read:')" "server_3.c:$after"
}

@test "compare: a one-line change planted in a copy of the C: the table and the view point at its syscall and line" {
	local copy=$BATS_TEST_TMPDIR/copy asm_read c_read
	copy_project "$copy"
	sed -i 's|100 /\* how many bytes to read \*/|99 /* how many bytes to read */|' "$copy/c/server_3.c"
	asm_read=server_3.asm:$(line_number "$ROOT/asm/server_3.asm" syscall '_read:')
	c_read=server_3.c:$(line_number "$copy/c/server_3.c" 'sys(0' '_read:')
	grep -qF '99 /* how many' "$copy/c/server_3.c"	# the change is in
	local where='syscall [0-9]+ \(trace line [0-9]+\): asm: read\(4, "hello from nc\\n", 100\) = 14 at '$asm_read'; C: read\(4, "hello from nc\\n", 99\) = 14 at '$c_read
	make -s -C "$copy" all sites
	BUILD=$copy/build run "$copy/tests/tools/compare" --table server_3 server_4
	assert_failure
	assert_line --regexp '^server_3 +[0-9]+ B +[0-9]+ B +ran +same, 57 B +same, 0 B +DIFFERS$'
	assert_line --regexp "^  trace: +first differs at $where\$"
	assert_line --regexp '^server_4 .* same, [0-9]+ calls$'
	COLUMNS=200 run make -s -C "$copy" compare P=server_3
	assert_failure
	assert_line --regexp "^>>> the first difference: $where\$"
	assert_made_at 'read(4, "hello from nc\n", 100)' 1 "$asm_read" "$c_read"
	# the rest of the view still shows
	assert_made_at 'exit(0)' 1 "func.asm:$(line_number "$ROOT/func/func.asm" syscall 'exit:') exit <- server_3.asm:$(line_number "$ROOT/asm/server_3.asm" 'call exit' '.exit:')" \
		"func.c:$(line_number "$ROOT/func/func.c" 'sys(60') exit0 <- server_3.c:$(line_number "$copy/c/server_3.c" 'exit0()' 'exit: /* .exit */')"
	assert_line 'trace:  DIFFERS'
	assert_line --regexp "^  trace: +first differs at $where\$"
}

@test "compare: where stdout first differs, the table gives the offset and both bytes" {
	run "$ROOT/tests/tools/syscall_sites" first-difference /dev/null /dev/null no_such_file
	assert_failure
	mkdir -p "$BATS_TEST_TMPDIR"/{asm,c}
	printf '3\nSuccessfull bind\n' >"$BATS_TEST_TMPDIR/asm/stdout"
	printf '3\nSuccessful bind\n' >"$BATS_TEST_TMPDIR/c/stdout"
	run "$ROOT/tests/tools/syscall_sites" first-difference "$BATS_TEST_TMPDIR/asm" "$BATS_TEST_TMPDIR/c" stdout
	assert_success
	assert_output "offset 12: asm 0x6c 'l', C 0x20 ' '"
}

# Asserts that a row of the side-by-side view has this asm text on its left
# and this C text on its right (the Nth such asm row, by default the first).
assert_beside() { # <asm text> <c text> [occurrence]
	local line seen=0
	for line in "${lines[@]}"; do
		[[ ${line%%│*} == *"$1"* ]] || continue
		seen=$((seen + 1))
		[ "$seen" -eq "${3:-1}" ] || continue
		[[ ${line#*│} == *"$2"* ]] && return 0
		fail "beside '$1' (#${3:-1}) is not '$2': '$line'"
	done
	fail "no row #${3:-1} has '$1' on its asm side"
}

sources_side_by_side() { # <asm source> <c source>
	run "$ROOT/tests/tools/syscall_sites" sources "$1" "$2" 200
	assert_success
}

@test "sources side by side: server_4's two forks, each beside its own sys(57)" {
	sources_side_by_side "$ROOT/asm/server_4.asm" "$ROOT/c/server_4.c"
	assert_beside 'mov rax, 57' 'rax = sys(57, 0, 0, 0);' 1
	assert_beside 'mov rax, 57' 'rax = sys(57, 0, 0, 0);' 2
	assert_beside 'je _read' 'goto _read;'
	assert_beside 'je _write' 'goto _write;'
	assert_beside 'mov rsi, buffer' 'input_keyboard(buffer);' 2
	assert_beside 'jmp _write' 'goto _write;'
}

@test "sources side by side: server's byte swap beside its C statement, the calls beside theirs" {
	sources_side_by_side "$ROOT/asm/server.asm" "$ROOT/c/server.c"
	assert_beside 'xor rax, rax' 'rax = (unsigned char)client[2] << 8'
	assert_beside 'mov rsi, buffer' 'number_str(rax, buffer);'
	assert_beside 'call print_str' 'print_str(buffer);' 5
	assert_beside 'call new_line' 'new_line();' 2
}

@test "sources side by side: server_3's clearing loop, line for line" {
	sources_side_by_side "$ROOT/asm/server_3.asm" "$ROOT/c/server_3.c"
	assert_beside 'mov rcx, 100' 'rcx = 100;'
	assert_beside 'mov rax, 0' 'rax = 0;' 2
	assert_beside '.lab:' 'lab: /* .lab */'
	assert_beside 'mov [buffer+rcx], 0' 'buffer[rcx] = 0;'
	assert_beside 'loop .lab' 'if (--rcx != 0)'
	assert_beside 'jmp _read' 'goto _read;'
	assert_beside 'cmp rax,0' 'if (rax == 0)'
}

@test "sources side by side: in every pair and func, each sys() call starts beside its asm group, each syscall has its name" {
	local asm c line number name
	for asm in "${PROGRAMS[@]/#/$ROOT/asm/}" "$ROOT/func/func"; do
		c=${asm/\/asm\//\/c\/}
		sources_side_by_side "${asm%.asm}.asm" "${c%.c}.c"
		for line in "${lines[@]}"; do
			if [[ ${line#*│} =~ sys\(([0-9]+) ]]; then
				number=${BASH_REMATCH[1]}
				[[ ${line%%│*} =~ ^\ *(mov|xor|lea)\  ]] ||
					fail "${asm##*/}: sys($number) is not beside its asm group: '$line'"
			fi
			if [[ ${line%%│*} =~ ^\ *syscall ]]; then
				[[ ${line%%│*} =~ \ ([0-9]+)\ ([a-z_0-9]+)\ *$ ]] ||
					fail "${asm##*/}: a syscall without its name: '$line'"
				name=$(sed -nE "s/^#define __NR_([a-z_0-9]+)[[:space:]]+${BASH_REMATCH[1]}\$/\\1/p" \
					/usr/include/x86_64-linux-musl/bits/syscall.h)
				[ "$name" = "${BASH_REMATCH[2]}" ] ||
					fail "${asm##*/}: syscall ${BASH_REMATCH[1]} is named '${BASH_REMATCH[2]}', not '$name'"
			fi
		done
	done
}

@test "compare: where the wire first differs, the table names the peer and its byte" {
	mkdir -p "$BATS_TEST_TMPDIR"/{asm,c}
	printf '== A\nfirst client\n== B\nsecond client\n' >"$BATS_TEST_TMPDIR/asm/wire"
	printf '== A\nfirst client\n== B\nsecond clienT\n' >"$BATS_TEST_TMPDIR/c/wire"
	run "$ROOT/tests/tools/syscall_sites" first-difference "$BATS_TEST_TMPDIR/asm" "$BATS_TEST_TMPDIR/c" wire
	assert_success
	assert_output "offset 35 (peer B, its byte 12): asm 0x74 't', C 0x54 'T'"
}

@test "syscall_sites: a -g twin that does not load the real binary's bytes is refused, with the remedy" {
	local build=$BATS_TEST_TMPDIR/build
	mkdir -p "$build/c" "$build/c-g"
	cp "$BUILD/c/server_3" "$build/c/server_3"
	cp "$BUILD/c-g/server_2" "$build/c-g/server_3"	# another program's twin
	printf '== server_3\n-- process\n[0000000000401000] socket(0x2, 0x1, 0x6) = 3\n' >"$BATS_TEST_TMPDIR/trace.ip"
	BUILD=$build run "$ROOT/tests/tools/syscall_sites" annotate c "$BATS_TEST_TMPDIR/trace.ip"
	assert_failure 2
	assert_output --partial "$build/c/server_3 and its -g twin $build/c-g/server_3 load different bytes"
	assert_output --partial 'make clean compare'
	refute_output --partial Traceback
}
