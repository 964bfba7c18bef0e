#!/usr/bin/env bats
# Runs after the whole suite (tests/run): nothing the tests started is left.

setup() { load ../test_helper; _common_setup; }

@test "after the suite: no lecture program is still running" {
	run pgrep -af "$ROOT/build/(asm|c)/"
	assert_output ''
}

@test "after the suite: no peer the tests started is still running" {
	run pgrep -af "^(nc|telnet|socat|strace|unshare|sleep infinity)( |$)"
	assert_output ''
}

@test "after the suite: nothing listens on the lecture's ports" {
	run ss -Hltn "( sport = :$SERVER_PORT or sport = :$CLIENT_PORT )"
	assert_output ''
}

@test "after the suite: no network namespace is left" {
	run ip netns list
	assert_output ''
}
