#!/usr/bin/env bats
# server_4: duplex. Two children a client: one prints what the client sends
# (as server_3's does, but it spins on EOF), one sends each line typed at
# the server to the client, always 100 bytes.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

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
