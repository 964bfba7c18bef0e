#!/usr/bin/env bats
# The harness itself (tests/lib/harness.bash): the limit that keeps a stuck
# run from stalling the suite, or from leaving its processes behind, and what
# it says of a group that will not stop.

bats_require_minimum_version 1.5.0

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

# A server in the background, and a foreground wait that never ends.
stuck_run() {
	start_server server_2
	sleep infinity
}

@test "harness: a run stuck past RUN_LIMIT is stopped, and its background server with it" {
	RUN_LIMIT=1 BIN=$BUILD/asm OUT=$ASM run netns_call run_in stuck_run
	assert_failure 124
	local pid
	run cat "$ASM/pids"
	assert_success
	for pid in $output; do
		is_gone "$pid" || fail "process $pid outlived its run"
	done
}

rfc1337_setting() {
	cat /proc/sys/net/ipv4/tcp_rfc1337 >"$OUT/stdout"
}

@test "harness: a run's namespace keeps a TIME_WAIT through a reset (tcp_rfc1337), and the machine's setting is left alone" {
	local machine
	machine=$(cat /proc/sys/net/ipv4/tcp_rfc1337)
	BIN=$BUILD/asm OUT=$ASM run netns_call run_in rfc1337_setting
	assert_success
	assert_equal "$(cat "$ASM/stdout")" 1
	assert_equal "$(cat /proc/sys/net/ipv4/tcp_rfc1337)" "$machine"
}

# A background group that ignores SIGTERM, its child too.
deaf_group() {
	bg_start deaf bash -c 'trap "" TERM; sleep infinity & wait'
	wait_live_in_group deaf 2
	WAIT_LIMIT=1 bg_stop deaf
}

@test "harness: a group that outlives SIGTERM is killed, and each of its processes named" {
	BIN=$BUILD/asm OUT=$ASM run netns_call run_in deaf_group
	assert_failure 1	# a wait ran out
	assert_line --regexp '^timed out waiting for: is_gone [0-9]+$'
	assert_line --regexp '^  deaf: pid [0-9]+ bash, state S, wchan do_wait$'
	assert_line --regexp '^  deaf: pid [0-9]+ sleep, state S, wchan \S+$'
	run cat "$ASM/pids"
	is_gone "$output" || fail "the group's leader outlived bg_stop"
}

@test "harness: a stop ends a marked process that starts while it waits, in a session of its own, with SIGTERM, not SIGKILL" {
	local mark=$BATS_TEST_TMPDIR
	# on SIGTERM, it starts a sleep in a session of its own, then exits: as
	# GNU parallel, stopped, starts the next file's tests and their runs
	STOP_TEST=$mark setsid bash -c 'trap "setsid sleep 60 & echo \$! >\"$0/late\"; exit" TERM
		: >"$0/ready"; while :; do sleep 0.1; done' "$mark" &
	wait_until test -e "$mark/ready"
	WAIT_LIMIT=3 run stop_marked "$mark" STOP_TEST
	assert_success
	refute_output --partial 'still running'	# so none needed SIGKILL
	[ -s "$mark/late" ] || fail "the stopped process started nothing"
	# (a process TERM'd may still be on its way out: its environment gone)
	wait_until is_gone "$(cat "$mark/late")" || fail "the sleep started during the stop is still running"
}

# Two of a test's own functions: one named to netns_call, one it calls.
says_hello() { helper_of_hello; }
helper_of_hello() { echo hello; }

@test "harness: netns_call carries the functions its arguments name and those in NETNS_CARRY, no others" {
	run -127 netns_call says_hello
	assert_output --partial 'helper_of_hello: command not found'
	# an argument "--" (prlimit's, say) names no function: it carries none
	run -127 netns_call says_hello --
	NETNS_CARRY=helper_of_hello run netns_call says_hello
	assert_success
	assert_output hello
	run netns_call bash -c 'declare -F assert_output || echo "not here"'
	assert_output 'not here'
}

# The state of a process, as /proc shows it (Z: ended, not yet reaped).
state_of() { # <pid>
	local stat
	read -r stat <"/proc/$1/stat"
	stat=${stat##*) }
	echo "${stat%% *}"
}

is_zombie() { # <pid>
	[ "$(state_of "$1" 2>/dev/null)" = Z ]
}

# A process that has become sleep 60 (by exec): no shell is left to reap.
became_sleep() { # <pid>
	[[ $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) == 'sleep 60 ' ]]
}

@test "harness: a process that has ended is gone, even before its parent reaps it" {
	# a child whose parent, once it has exec'd sleep, never reaps it
	local file=$BATS_TEST_TMPDIR/child parent child
	( sleep 60 & echo "$!" >"$file"; exec sleep 60 ) &
	parent=$!
	wait_until has_line "$file"
	child=$LINE
	wait_until became_sleep "$parent"
	kill "$child"
	wait_until is_zombie "$child"
	run kill -0 "$child"
	assert_success	# kill -0 still sees it
	is_gone "$child" || fail "a zombie counts as alive"
	! is_gone "$parent" || fail "a sleeping process counts as gone"
	kill "$parent"
	wait "$parent" || true
}

@test "harness: a wait for a line takes no half line, as Python's print leaves one between its writes" {
	local file=$BATS_TEST_TMPDIR/line
	! has_line "$file" || fail "a missing file holds a line"
	printf '4432' >"$file"	# print's first write: the text
	! has_line "$file" || fail "half a line taken for a line: $LINE"
	printf '1\n' >>"$file"	# its second: the newline
	has_line "$file"
	assert_equal "$LINE" 44321
}

@test "harness: a suite run makes a run of the same steps on the same binary once; other steps, another binary or a failed run are made anew" {
	local RESULTS=$BATS_TEST_TMPDIR/results steps=$ROOT/tests/scenarios/bind_sock/lecture.steps
	mkdir "$RESULTS"
	BIN=$BUILD/asm OUT=$BATS_TEST_TMPDIR/first run run_scenario "$steps"
	assert_success
	[ -s "$BATS_TEST_TMPDIR/first/pids" ]	# a run made: its processes listed
	BIN=$BUILD/asm OUT=$BATS_TEST_TMPDIR/again run run_scenario "$steps"
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/again/pids" ]	# a copy: no processes of its own
	assert_same_files "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/again"
	# the C binary, traced, and other steps: each a run of its own
	BIN=$BUILD/c OUT=$BATS_TEST_TMPDIR/c run run_scenario "$steps"
	[ -s "$BATS_TEST_TMPDIR/c/pids" ]
	TRACE=1 BIN=$BUILD/asm OUT=$BATS_TEST_TMPDIR/traced run run_scenario "$steps"
	[ -s "$BATS_TEST_TMPDIR/traced/pids" ]
	[ -s "$BATS_TEST_TMPDIR/traced/trace" ]
	printf 'program bind_sock\nstart\nwait time-wait 1\n' >"$BATS_TEST_TMPDIR/fails.steps"
	WAIT_LIMIT=1 BIN=$BUILD/asm OUT=$BATS_TEST_TMPDIR/failed run run_scenario "$BATS_TEST_TMPDIR/fails.steps"
	assert_failure
	run find "$RESULTS" -mindepth 1 -maxdepth 1 -type d
	assert_equal "${#lines[@]}" 3
}

@test "harness: a run under a process limit reaches a build in a folder only its owner may enter, as a checkout in root's home is" {
	local private=$BATS_TEST_TMPDIR/private steps=$ROOT/tests/scenarios/server_3/fork-fails.steps
	mkdir -m 700 "$private"
	copy_build "$private/build"
	# made anew (no RESULTS): its files are the binaries the suite runs
	RESULTS='' BUILD=$private/build BIN=$private/build/asm OUT=$BATS_TEST_TMPDIR/out TRACE=1 \
		run run_scenario "$steps"
	assert_success
	run cat "$BATS_TEST_TMPDIR/out/stdout"
	assert_output "$(cat "${steps%.steps}.stdout")"
	run cat "$BATS_TEST_TMPDIR/out/trace"
	assert_line 'fork() = -1 EAGAIN (Resource temporarily unavailable)'
}
