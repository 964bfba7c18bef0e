#!/usr/bin/env bats
# Outside a normal start the builds differ, through the C runtime's start-up
# (musl) or the images' layout, never through input: tests/README.md's table,
# "Known differences", one test a row, each pinning both behaviours. The
# fuzzer (make fuzz) stays within a normal start.

setup() { load test_helper; _common_setup; }
teardown() {
	_common_teardown
	[ ! -e "$BATS_TEST_TMPDIR/copies" ] || rm -rf "$(cat "$BATS_TEST_TMPDIR/copies")"
}

RESTRICT=$BATS_TEST_DIRNAME/../drivers/restrict.py

# The helpers that the functions run in a namespace call (netns_call).
NETNS_CARRY="prog_under prog_under_stdout_closed"

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

# A secure start (AT_SECURE), as a setuid or setcap'd program gets, for
# root and ordinary users alike: copies of a program's builds that carry a
# file capability (one the lecture's programs never use), started by a user
# who is not root where it runs. copy_builds makes the copies, under
# $COPIES/secure (or /plain: without it), a folder any user may enter;
# AS_UID_1 starts a command as such a user: for root, uid 65534 (setpriv:
# no user namespace, which a chroot refuses even root); for an ordinary
# user, uid 1 of a user namespace of its own, where it sets the capability
# as root.
copy_builds() { # <secure|plain> <program>
	if [ -z "${COPIES:-}" ]; then
		COPIES=$(mktemp -d)
		echo "$COPIES" >"$BATS_TEST_TMPDIR/copies"
		chmod 755 "$COPIES"
	fi
	local folder=$COPIES/$1 build as_root=()
	[ "$EUID" -eq 0 ] || as_root=(unshare -r)
	! findmnt -no OPTIONS -T "$COPIES" | grep -qw nosuid ||
		fail "$COPIES is on a nosuid mount, where file capabilities do nothing: set TMPDIR to a folder elsewhere"
	for build in asm c; do
		mkdir -p "$folder/$build"
		cp "$BUILD/$build/$2" "$folder/$build/"
		[ "$1" = plain ] ||
			"${as_root[@]}" /usr/sbin/setcap cap_net_bind_service+ep "$folder/$build/$2"
	done
}
if [ "$EUID" -eq 0 ]; then
	AS_UID_1=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
else
	AS_UID_1=(unshare --map-user=1 --map-group=1 --)
fi

@test "AT_SECURE: with stdout closed, musl's secure start-up gives the C /dev/null there; the asm's socket takes fd 1 and dies of SIGPIPE" {
	copy_builds secure open_sock_1
	BUILD=$COPIES/secure run_each prog_under_stdout_closed open_sock_1 "${AS_UID_1[@]}"
	assert_equal "$(cat "$ASM/status")" 'exit 141'
	assert_equal "$(cat "$C/status")" 'exit 0'
	# with the same start, but not secure, the C dies as the asm does
	copy_builds plain open_sock_1
	BUILD=$COPIES/plain run_each prog_under_stdout_closed open_sock_1 "${AS_UID_1[@]}"
	assert_equal "$(cat "$ASM/status") $(cat "$C/status")" 'exit 141 exit 141'
}

# client_2, with stdin closed, to nc -l, which says "hi"; started by a
# command (AS_UID_1).
client_2_without_stdin() { # <command...>
	nc_server peer
	bg_send peer 'hi\n'
	command_for client_2
	local status=0
	(exec_program "$@" "${CMD[@]}") <&- >"$OUT/stdout" || status=$?
	echo "exit $status" >"$OUT/status"
	bg_stop peer
	collect_wire peer
}

@test "AT_SECURE: with stdin closed, client_2's asm reads its own socket (fd 0) and sends back what the server said; the C reads /dev/null" {
	copy_builds secure client_2
	BUILD=$COPIES/secure run_each client_2_without_stdin "${AS_UID_1[@]}"
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
