#!/usr/bin/env bats
# tests/tools/demo (make demo): a lecture scenario played in tmux panes. With no
# terminal, it plays headless and prints each pane's screen.

setup() { load test_helper; _common_setup; }

@test "demo: server_3's lecture scenario, typed into its server, nc and telnet panes (C build)" {
	PACE=0 PAUSE=0 run make -C "$ROOT" B="$BUILD" demo P=server_3 BUILD=c
	assert_success
	assert_output --partial - <<'OUT'
== server_3
$ ./server_3
Successfull bind
hello from nc

hello from telnet

bye
== nc 1
$ nc -N -p 40001 127.0.0.1 55555
hello from nc
bye
== telnet 2
$ telnet 127.0.0.1 55555
OUT
	# telnet's pane: its banner, then the typed line
	assert_line 'hello from telnet'
}

@test "demo: client_connect's second run, at once, says Error bind (asm build)" {
	PACE=0 PAUSE=0 run "$ROOT/tests/tools/demo" client_connect asm
	assert_success
	assert_output --partial - <<'OUT'
== nc -l
$ nc -l -k 127.0.0.1 55555
== client_connect
$ ./client_connect
Successfull bind
Successful connect
$ ./client_connect
Error bind
OUT
}

@test "demo: outside a namespace of its own it refuses, and starts nothing" {
	run "$ROOT/tests/tools/demo" --play server_3 asm
	assert_failure 1
	assert_output 'demo: not in a namespace of its own: refusing'
}

@test "demo: without network namespaces it runs nothing" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n' \
		>"$BATS_TEST_TMPDIR/bin/unshare"
	chmod +x "$BATS_TEST_TMPDIR/bin/unshare"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$ROOT/tests/tools/demo" server_3
	assert_failure 1
	assert_line --index 0 --partial "Cannot make a network namespace"
}

@test "demo: a build other than asm or c gets one message" {
	run "$ROOT/tests/tools/demo" server_3 rust
	assert_failure 2
	assert_output 'demo: BUILD=rust: the demo plays the asm build or the c build (BUILD=c)'
}

@test "demo: on a terminal that cannot clear its screen (TERM=dumb) it says so, and starts nothing" {
	# script(1) gives the demo a terminal of its own
	TERM=dumb run script -qec "'$ROOT/tests/tools/demo' server_2" /dev/null
	assert_failure 2
	assert_output --partial 'demo: TERM=dumb cannot clear the screen, which tmux needs: run it in a terminal such as xterm, or as TERM=xterm-256color make demo'
}
