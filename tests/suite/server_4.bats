#!/usr/bin/env bats
# server_4: duplex. Two children a client: one prints what the client sends
# (as server_3's does, but it spins on EOF), one sends each line typed at
# the server to the client, always 100 bytes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

@test "server_4: prints 100 bytes of a long line, then addrstr's first byte (0x02); the clearing loop zeroes it" {
	run_both client_sends_and_hangs_up server_4 "$(repeat x 300)\n" $((102 + 101 + 101 + 2))
	run visible "$ASM/stdout"
	assert_output - <<OUT
Successfull bind\$
$(repeat x 100)^B\$
$(repeat x 100)\$
$(repeat x 100)\$
\$
\$
OUT
}

telnet_says_hi() {
	start_server server_4
	telnet_client telnet
	wait_connections 1
	bg_send telnet 'hi\n'
	wait_for_line "$OUT/server.out" 'hi'
	finish telnet
	cp "$OUT/server.out" "$OUT/stdout"
}

@test "server_4: telnet's CRLF shows in the output" {
	run_both telnet_says_hi
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
Successfull bind$
hi^M$
$
OUT
}

server_types() { # <printf format>
	start_server server_4
	nc_client nc
	wait_connections 1
	bg_send server "$1"
	wait_until file_size_at_least "$OUT/nc.out" 100
	finish nc
	collect_wire nc
}

@test "server_4: sends the first 100 bytes of a long typed line" {
	run_both server_types "$(repeat y 150)\n"
	run visible "$ASM/wire"
	assert_line --index 1 "$(repeat y 100)"
}

# Two lines typed at the server, the second once the first has been sent
# (typed together, one read would take both, and the second be lost).
server_types_twice() { # <printf format> <printf format>
	start_server server_4
	nc_client nc
	wait_connections 1
	bg_send server "$1"
	wait_until file_size_at_least "$OUT/nc.out" 100
	bg_send server "$2"
	wait_until file_size_at_least "$OUT/nc.out" 200
	finish nc
	collect_wire nc
}

@test "server_4: the writer never clears its buffer: a short line after a long one sends the long one's tail" {
	run_both server_types_twice "$(repeat y 150)\n" 'ab\n'
	run visible "$ASM/wire"
	assert_output - <<OUT
== nc\$
$(repeat y 100)ab^@$(repeat y 97)
OUT
}

stdin_at_eof() {
	start_server server_4
	nc_client nc
	wait_connections 1
	# EOF once the writer waits on stdin and the parent in accept again: the
	# writer's end then interrupts that accept in both builds, never an
	# earlier moment of one of them
	wait_until group_in_syscall server '0 0x0'	# read(0, ...)
	wait_until group_in_syscall server 43	# accept
	bg_close server
	wait_children_ended 2 1	# the writer is gone
	finish nc
}

@test "server_4: EOF on the server's stdin: the writer's scan runs off its page, SIGSEGV" {
	TRACE=1 run_both stdin_at_eof
	run cat "$ASM/trace"
	assert_line 'read(0, "", 255) = 0'
	assert_line '--- SIGSEGV ---'
	assert_line '+++ killed by SIGSEGV +++'
}

client_goes_away() {
	start_server server_4
	nc_client nc
	wait_connections 1
	bg_stop nc
	bg_send server 'one\n'
	wait_until trace_has 'one'
	bg_send server 'two\n'
	wait_children_ended 2 1	# the writer is gone; the reader spins
	finish
}

@test "server_4: a client gone while the server writes: the writer dies of SIGPIPE" {
	TRACE=1 TRACE_SYSCALLS=fork,write run_both client_goes_away
	run cat "$ASM/trace"
	assert_line --regexp '^write\(4, "two\\0.*, 100\) = -1 EPIPE \(Broken pipe\)$'
	assert_line '+++ killed by SIGPIPE +++'
}

# The client leaves; the reader reads 0 bytes and jumps back to read.
reader_left_alone() {
	TRACE=1 TRACE_SYSCALLS=read start_server server_4
	nc_client nc
	wait_connections 1
	bg_stop nc
	wait_until trace_has_lines 'read(4, "", 100) = 0' 100
	echo "live processes: $(live_in_group server)" >"$OUT/spin"
	finish
}

@test "server_4: when its client leaves, the reader spins on read() = 0 and never exits" {
	run_both reader_left_alone
	run cat "$ASM/spin"
	assert_output 'live processes: 3'
}
