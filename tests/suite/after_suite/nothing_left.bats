#!/usr/bin/env bats
# Runs after the whole suite (tests/tools/run, which sets LEFT_BY_RUN to the mark
# it gave the suite's processes): nothing this run started is left. Other
# processes on the machine, anyone's, are none of its business.

setup() {
	load ../test_helper
	_common_setup
	[ -n "${LEFT_BY_RUN:-}" ] || skip "run by tests/tools/run, after the suite"
}

@test "after the suite: no lecture program this run started is still running" {
	run processes_marked "$LEFT_BY_RUN"
	refute_output --partial "$BUILD/"
}

@test "after the suite: no peer, tracer or namespace this run started is left" {
	run processes_marked "$LEFT_BY_RUN"
	assert_output ''
}

is_marked() { # <pid>
	processes_marked "$LEFT_BY_RUN" | grep -q "^$1 "
}

@test "after the suite: the check sees a process the run left, and only that run's" {
	RUN_MARK=$LEFT_BY_RUN setsid sleep 60 </dev/null >/dev/null 2>&1 &
	local left=$!
	RUN_MARK=another.run setsid sleep 60 </dev/null >/dev/null 2>&1 &
	local other=$!
	wait_until is_marked "$left"
	run processes_marked "$LEFT_BY_RUN"
	kill "$left" "$other"
	assert_line "$left sleep 60 "
	refute_line --partial "$other"
}
