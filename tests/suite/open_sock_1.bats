#!/usr/bin/env bats
# open_sock_1: socket(AF_INET, SOCK_STREAM, TCP), then print the descriptor.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

every_syscall() {
	mkdir "$OUT/trace.d"
	CMD=(strace -X raw -qq -o "$OUT/trace.d/all" "$BIN/open_sock_1")
	[ -z "${SANDBOX:-}" ] || TRACE=1 sandbox_command	# a graded run's
	(exec_program "${CMD[@]}") >/dev/null
	mask_trace <"$OUT/trace.d/all" >"$OUT/stdout"
}

@test "open_sock_1: musl's start-up adds arch_prctl and set_tid_address before the asm's first syscall (known difference)" {
	run_with asm "$ASM" every_syscall
	run_with c "$C" every_syscall
	run cut -d'(' -f1 "$ASM/stdout"
	assert_output - <<'OUT'
execve
socket
write
write
exit
OUT
	run cut -d'(' -f1 "$C/stdout"
	assert_output - <<'OUT'
execve
arch_prctl
set_tid_address
socket
write
write
exit
OUT
}
