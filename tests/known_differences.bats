#!/usr/bin/env bats
# Outside a normal start the builds differ, through the C runtime's start-up
# (musl) or the images' layout, never through input: the README's table,
# "Known differences", one test a row, each pinning both behaviours. The
# fuzzer (make fuzz) stays within a normal start.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

RESTRICT=$BATS_TEST_DIRNAME/drivers/restrict.py

# Runs a program as prog does, under a command that changes how it starts;
# $OUT/status gets how it ended.
prog_under() { # <program> <command...>
	command_for "$1"
	local status=0
	(exec_program "${@:2}" "${CMD[@]}") >>"$OUT/stdout" || status=$?
	echo "exit $status" >"$OUT/status"
}

# The same, with stdout closed.
prog_under_stdout_closed() { # <program> <command...>
	command_for "$1"
	local status=0
	(exec_program "${@:2}" "${CMD[@]}") >&- || status=$?
	echo "exit $status" >"$OUT/status"
}

# Runs a scenario function once against each build, without comparing them.
run_each() { # <function> [args...]
	run_with asm "$ASM" "$@"
	run_with c "$C" "$@"
}

@test "AT_SECURE: with stdout closed, musl's secure start-up gives the C /dev/null there; the asm's socket takes fd 1 and dies of SIGPIPE" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: setpriv --ruid=65534 --euid=0 makes a secure (AT_SECURE) start"
	run_each prog_under_stdout_closed open_sock_1 setpriv --ruid=65534 --euid=0 --
	assert_equal "$(cat "$ASM/status")" 'exit 141'
	assert_equal "$(cat "$C/status")" 'exit 0'
	# with the same start, but not secure, the C dies as the asm does
	run_each prog_under_stdout_closed open_sock_1 setpriv --ruid=0 --euid=0 --
	assert_equal "$(cat "$ASM/status") $(cat "$C/status")" 'exit 141 exit 141'
}

# client_2, with stdin closed, in a secure start, to nc -l, which says "hi".
secure_client_2_without_stdin() {
	nc_server peer
	bg_send peer 'hi\n'
	command_for client_2
	local status=0
	(exec_program setpriv --ruid=65534 --euid=0 -- "${CMD[@]}") <&- >"$OUT/stdout" || status=$?
	echo "exit $status" >"$OUT/status"
	bg_stop peer
	collect_wire peer
}

@test "AT_SECURE: with stdin closed, client_2's asm reads its own socket (fd 0) and sends back what the server said; the C reads /dev/null" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: setpriv --ruid=65534 --euid=0 makes a secure (AT_SECURE) start"
	run_each secure_client_2_without_stdin
	assert_equal "$(cat "$ASM/status")" 'exit 0'
	run visible "$ASM/wire"
	assert_line --index 1 "hi$(repeat '^@' 98)"
	assert_equal "$(cat "$C/status")" 'exit 139'
	run visible "$C/wire"
	assert_output '== peer$'
}

# client_2, typed "hi", with no server: it binds, fails to connect, exits.
client_2_typed_hi() { # <command...>
	printf 'hi\n' | prog_under client_2 "$@"
}

@test "memory limits: under a 4 KiB data limit, client_2's asm runs and its C (LAST_PAGE's page) dies at exec; open_sock_1 runs in both" {
	run_each client_2_typed_hi prlimit --data=4096 --
	assert_equal "$(cat "$ASM/status")" 'exit 0'
	run cat "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind
Error connect
OUT
	assert_equal "$(cat "$C/status") $(cat "$C/stdout")" 'exit 139 '
	run_each prog_under open_sock_1 prlimit --data=4096 --
	assert_equal "$(cat "$ASM/status") $(cat "$ASM/stdout")" 'exit 0 3'
	assert_equal "$(cat "$C/status") $(cat "$C/stdout")" 'exit 0 3'
}

# A 4 KiB stack limit, the stack filled up to 3,360 bytes (environment,
# argv[0] and the program's path, both as long as $BIN/PROGRAM), at a fixed
# address (setarch -R): 400 bytes below the start are too few for musl's
# start-up, and enough for the asm's. (The asm still runs up to ~3,520.)
prog_on_a_full_stack() { # <program>
	local path=$BIN/$1 filler
	printf -v filler '%*s' $((3360 - 2 * ${#path})) ''
	command_for "$1"
	local status=0
	(exec_program setarch -R env -i "FILL=${filler// /x}" prlimit --stack=4096 -- \
		"${CMD[@]}") >>"$OUT/stdout" || status=$?
	echo "exit $status" >"$OUT/status"
}

@test "stack: with 4 KiB of stack nearly filled by the environment, the asm runs and musl's start-up dies" {
	run_each prog_on_a_full_stack open_sock_1
	assert_equal "$(cat "$ASM/status") $(cat "$ASM/stdout")" 'exit 0 3'
	assert_equal "$(cat "$C/status") $(cat "$C/stdout")" 'exit 139 '
}

@test "MDWE: refusing writable-and-executable mappings stops the asm at exec (func.asm's RWX section); the C runs" {
	run "$RESTRICT" mdwe /bin/true
	[ "$status" -eq 0 ] || skip "this kernel has no PR_SET_MDWE (Linux 6.3+): $output"
	run_each prog_under open_sock_1 "$RESTRICT" mdwe
	assert_equal "$(cat "$ASM/status") $(cat "$ASM/stdout")" 'exit 139 '
	assert_equal "$(cat "$C/status") $(cat "$C/stdout")" 'exit 0 3'
}

@test "seccomp: with arch_prctl refused, musl cannot set its thread pointer and the C dies; the asm runs" {
	run_each prog_under open_sock_1 "$RESTRICT" no-arch-prctl
	assert_equal "$(cat "$ASM/status") $(cat "$ASM/stdout")" 'exit 0 3'
	assert_equal "$(cat "$C/status") $(cat "$C/stdout")" 'exit 139 '
}
