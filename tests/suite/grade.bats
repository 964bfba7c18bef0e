#!/usr/bin/env bats
# make grade SUBMISSIONS=DIR: a class, one folder a student, graded as make
# test C=DIR grades one, several at once, kept by checksum.

setup() { load test_helper; _common_setup; }
teardown() {	# a grade the test left running, where it failed early
	[ -z "${GRADE_TEST_MARK:-}" ] || stop_marked "$GRADE_TEST_MARK" GRADE_TEST_MARK
}

# The program a class hands in: the grading's workings are the same for
# every program, and this one's graded run is among the quickest (what
# each program's graded run finds is grading.bats's).
GRADED=open_sock_1

# A class of the test's own, in $CLASS: one folder a student, each holding
# a $GRADED.c (intact, or changed by a sed expression) or nothing.
student() { # <name> [sed expression | -: no file]
	mkdir -p "$CLASS/$1"
	[ "${2:-}" = - ] || sed -e "${2:-}" "$ROOT/c/$GRADED.c" >"$CLASS/$1/$GRADED.c"
}

# make grade P=$GRADED without a fuzz session, into a build of the test's
# own (a copy of the suite's), from a fresh environment; GRADE_TEST_MARK
# marks every process it starts.
grade() { # [make arguments...]
	[ -d "$BATS_TEST_TMPDIR/build" ] || copy_build "$BATS_TEST_TMPDIR/build"
	outside_bats_env
	run "${OUTSIDE_BATS_ENV[@]}" GRADE_TEST_MARK="$GRADE_TEST_MARK" make -s -C "$ROOT" \
		B="$BATS_TEST_TMPDIR/build" grade SUBMISSIONS="$CLASS" P="$GRADED" FUZZ_S=0 "$@"
}

setup_class() {
	CLASS=$BATS_TEST_TMPDIR/class GRADE_TEST_MARK=grade.$$.$BATS_TEST_NUMBER
	student ann
	student ben 's/number_str(rax, buffer)/number_str(rax + 1, buffer)/'	# prints 4, not 3
	student cat 's|^int main(void) /\* _start: \*/$|int main(void) x|'
	student dan -
}

@test "grade: the class table and CSV: ok, FAIL with its first difference, no build, nothing handed in; a JUnit file each; a rerun grades what changed" {
	setup_class
	grade JOBS=2
	assert_failure
	# the progress, said once the next hand-in has started: two at once
	assert_line --regexp '^grading: 1 of 3 graded \(0 reused\), 2 running, about [0-9]+ (s|min) left$'
	local csv=$BATS_TEST_TMPDIR/build/grade/class.csv
	run cat "$csv"
	assert_line --index 0 'student,program,verdict,detail'
	assert_line "ann,$GRADED,ok,\"\""
	assert_line --regexp "^ben,$GRADED,FAIL,\"[0-9a-z-]+\\.steps, (stdout|trace): asm .*\"\$"
	assert_line --regexp "^cat,$GRADED,no build,\".*/cat/$GRADED\\.c:[0-9]+:[0-9]+: error: .*\"\$"
	assert_line 'dan,,nothing,"no NAME.c or NAME.asm"'
	assert_equal "$(wc -l <"$csv")" 5
	local student
	for student in ann ben cat; do
		grep -q '<testsuites>' "$BATS_TEST_TMPDIR/build/grade/junit/$student.xml"
	done
	[ ! -e "$BATS_TEST_TMPDIR/build/grade/junit/dan.xml" ]
	# and each its page, cat's saying its program did not run
	grep -q "<section id='$GRADED'>" "$BATS_TEST_TMPDIR/build/grade/junit/ann.html"
	grep -q "<section id='$GRADED'>" "$BATS_TEST_TMPDIR/build/grade/junit/ben.html"
	grep -q "$GRADED: the scenario did not run</a> for the c build (not built)" "$BATS_TEST_TMPDIR/build/grade/junit/cat.html"
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=3 reused=0 seconds=[0-9]+$'
	# a rerun grades only the hand-ins that changed, and the same files once
	cp "$CLASS/ann/$GRADED.c" "$CLASS/ben/$GRADED.c"	# ben fixes it: ann's files
	student eve 's/^\tprint_str(buffer);$/\tprint_str(buffer) ;/'	# a space: still ok
	grade
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=1 reused=3 seconds=[0-9]+$'	# eve; ann, ben (ann's), cat
	run cat "$BATS_TEST_TMPDIR/build/grade/class.csv"
	assert_line "ben,$GRADED,ok,\"\""
	assert_line "eve,$GRADED,ok,\"\""
}

@test "grade: SUBMISSIONS must be a folder of folders; C= is not for a class" {
	CLASS=$BATS_TEST_TMPDIR/none GRADE_TEST_MARK=unused
	grade
	assert_failure
	assert_output --partial "SUBMISSIONS=$CLASS: no such folder"
	mkdir -p "$CLASS"
	grade
	assert_failure
	assert_line "grade: SUBMISSIONS=$CLASS has no sub-folders: make one per student, holding their NAME.c files"
	grade C="$CLASS"
	assert_failure
	assert_output --partial 'make grade takes SUBMISSIONS=DIR'
}

@test "grade: hand-ins graded at once start at other places in the list of test files (TEST_ROTATE=K/N)" {
	local files=(tests/suite/originals.bats tests/suite/open_sock_1.bats) rotate
	outside_bats_env
	for rotate in 0/2 1/2; do
		run "${OUTSIDE_BATS_ENV[@]}" BUILD="$BUILD" TEST_ROTATE="$rotate" \
			REPORT="$BATS_TEST_TMPDIR/report.xml" "$ROOT/tests/tools/run" "${files[@]}"
		assert_success
		case $rotate in
		0/2) assert_line --index 1 --regexp '^ok 1 originals: ' ;;
		1/2) assert_line --index 1 --regexp '^ok 1 open_sock_1: ' ;;
		esac
	done
}

@test "grade: Ctrl-C stops every run at once, says so, and keeps what was graded for the next run" {
	setup_class
	[ -d "$BATS_TEST_TMPDIR/build" ] || copy_build "$BATS_TEST_TMPDIR/build"
	outside_bats_env
	setsid env --default-signal=INT "${OUTSIDE_BATS_ENV[@]}" GRADE_TEST_MARK="$GRADE_TEST_MARK" \
		make -s -C "$ROOT" B="$BATS_TEST_TMPDIR/build" grade SUBMISSIONS="$CLASS" P="$GRADED" \
		FUZZ_S=0 JOBS=1 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local make=$!
	# once one hand-in is graded and the next is running
	WAIT_LIMIT=60 wait_until grep -q '^grading: 1 of 3 graded' "$BATS_TEST_TMPDIR/out"
	kill -INT -- "-$make"
	local status=0
	wait "$make" || status=$?
	[ "$status" -ne 0 ]
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --partial 'interrupted'
	assert_line 'ann     ok       '
	WAIT_LIMIT=10 wait_until none_marked "$GRADE_TEST_MARK" GRADE_TEST_MARK
	run find "$BATS_TEST_TMPDIR/build/grade/results" -mindepth 1 -maxdepth 1 ! -name '*.part'
	assert_equal "${#lines[@]}" 1	# ann's alone: nothing finished after the interrupt
	grade
	run cat "$BATS_TEST_TMPDIR/build/grade/last-run"
	assert_output --regexp '^graded=2 reused=1 seconds=[0-9]+$'
}

HOST_HELPERS="start_ssh_host port_listens host_processes host_is_idle stop_ssh_host host_grade remote_suite_running"

# A second host, in a network namespace of the test's own: an sshd on its
# loopback, in a mount namespace of its own (SSHD_PID's), whose /run (for its
# privilege separation folder) and /tmp ($tmp/host_tmp) are its own, as
# another machine's would be; reached with a key of the test's. Writes
# $tmp/hosts, GNU parallel's --sshloginfile, whose first login has no sshd
# behind it. Whatever that host left is then the test's to see: its /tmp,
# and each process in its mount namespace.
start_ssh_host() { # <folder of the test>
	local tmp=$1
	ip link set lo up
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
	cp "$tmp/id.pub" "$tmp/authorized_keys"
	mkdir -m 1777 "$tmp/host_tmp"
	# its files, copied to its /run: the host's /tmp hides the test's
	cat >"$tmp/sshd_config" <<-CONFIG
	Port 2222
	ListenAddress 127.0.0.1
	HostKey /run/host/host_key
	PidFile none
	AuthorizedKeysFile /run/host/authorized_keys
	StrictModes no
	UsePAM no
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	CONFIG
	unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd /run/host &&
		cp "$1"/sshd_config "$1"/host_key "$1"/authorized_keys /run/host &&
		mount --bind "$1/host_tmp" /tmp && exec /usr/sbin/sshd -D -e -f /run/host/sshd_config' - "$tmp" \
		>"$tmp/sshd.log" 2>&1 &
	SSHD_PID=$!
	wait_until port_listens 2222
	local ssh="ssh -i $tmp/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=5"
	printf '1/%s -p 2299 root@127.0.0.1\n2/%s -p 2222 root@127.0.0.1\n' "$ssh" "$ssh" >"$tmp/hosts"	# 2299: down
}

port_listens() { # <port>
	count_tcp 0A local "$1"
	[ "$TCP_COUNT" -gt 0 ]
}

# The host's processes, its sshd aside, into HOST_PIDS: those in its mount
# namespace (a login's, and all it started, in whatever session).
host_processes() {
	local ns=/proc/$SSHD_PID/ns/mnt pid
	HOST_PIDS=()
	for pid in /proc/[0-9]*; do
		pid=${pid#/proc/}
		[ "$pid" != "$SSHD_PID" ] && [ "/proc/$pid/ns/mnt" -ef "$ns" ] && HOST_PIDS+=("$pid")
	done 2>/dev/null
	return 0
}

host_is_idle() {
	host_processes
	[ "${#HOST_PIDS[@]}" -eq 0 ]
}

# What the host has left, into $tmp/left: its /tmp's files, and a line a
# process still running there; then its sshd is stopped.
stop_ssh_host() { # <folder of the test>
	local pid
	ls -A "$1/host_tmp" >"$1/left"
	host_processes
	for pid in "${HOST_PIDS[@]}"; do
		echo "running: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done >>"$1/left"
	kill "$SSHD_PID"
	wait "$SSHD_PID" || true
}

# Replaces this (sub)shell with make grade HOSTS=FILE, from a fresh
# environment, its output in $tmp/out; run by the command given first, where
# one is.
host_grade() { # <folder of the test> <project> <mark> [command...]
	exec "${@:4}" env -i PATH="$PATH" HOME="$HOME" GRADE_TEST_MARK="$3" make -s -C "$2" B="$1/build" \
		grade SUBMISSIONS="$1/class" P="$GRADED" FUZZ_S=0 HOSTS="$1/hosts" >"$1/out" 2>&1
}

# make grade HOSTS=FILE, in the host's network namespace.
grade_on_hosts() { # <folder of the test> <project> <mark>
	local tmp=$1
	start_ssh_host "$tmp"
	(host_grade "$@") || true
	WAIT_LIMIT=10 wait_until host_is_idle || true	# a login's processes end as it closes
	stop_ssh_host "$tmp"
}

# The same, stopped by Ctrl-C once the suite of a hand-in is running on the
# host; then how long the host took to be idle.
grade_on_hosts_interrupted() { # <folder of the test> <project> <mark>
	local tmp=$1 root=$2 mark=$3 make status=0 stopped
	start_ssh_host "$tmp"
	host_grade "$tmp" "$root" "$mark" setsid env --default-signal=INT &
	make=$!
	WAIT_LIMIT=120 wait_until remote_suite_running "$tmp/host_tmp"
	kill -INT -- "-$make"
	wait "$make" || status=$?
	echo "$status" >"$tmp/status"
	stopped=$EPOCHREALTIME
	WAIT_LIMIT=10 wait_until host_is_idle || true
	echo "$(((${EPOCHREALTIME/./} - ${stopped/./}) / 1000))" >"$tmp/idle_ms"
	stop_ssh_host "$tmp"
}

# A hand-in's suite, on the host, has run a test.
remote_suite_running() { # <the host's /tmp>
	local taps=("$1"/lecture13-grade.*/p/build/grade/results/*.part/tap)
	[ -e "${taps[0]}" ] && grep -q '^ok ' "${taps[@]}"
}

@test "grade: HOSTS= grades on the machines a file names, over ssh, past one that is down, and leaves nothing there" {
	[ "$EUID" -eq 0 ] || skip "an sshd of the test's own needs root (its privilege separation), as a user it cannot run"
	setup_class
	rm -r "$CLASS/cat" "$CLASS/dan"	# ann: ok, ben: FAIL
	copy_build "$BATS_TEST_TMPDIR/build"
	GRADED=$GRADED NETNS_CARRY="$HOST_HELPERS" RUN_LIMIT=600 netns_call grade_on_hosts "$BATS_TEST_TMPDIR" "$ROOT" "$GRADE_TEST_MARK"
	[ -e "$BATS_TEST_TMPDIR/build/grade/class.csv" ] ||
		fail "no class table: $(cat "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/sshd.log")"
	run cat "$BATS_TEST_TMPDIR/build/grade/class.csv"
	assert_line "ann,$GRADED,ok,\"\""
	assert_line --regexp "^ben,$GRADED,FAIL,\"[0-9a-z-]+\\.steps, (stdout|trace): asm .*\"\$"
	# parallel's joblog: both graded on the host that is up (exit 0 there),
	# and nothing graded on the one that is down
	run awk -F '\t' 'NR > 1 && $7 == 0 { print ($2 ~ /-p 2222 /) ? "up" : "down" }' \
		"$BATS_TEST_TMPDIR/build/grade/hosts.joblog"
	assert_output $'up\nup'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/left")" ''
	[ ! -e "$BATS_TEST_TMPDIR/build/grade/remote" ]
}

@test "grade: Ctrl-C on HOSTS= stops the hand-ins' suites on the hosts too, and leaves nothing there" {
	[ "$EUID" -eq 0 ] || skip "an sshd of the test's own needs root (its privilege separation), as a user it cannot run"
	setup_class
	rm -r "$CLASS/cat" "$CLASS/dan"
	copy_build "$BATS_TEST_TMPDIR/build"
	GRADED=$GRADED NETNS_CARRY="$HOST_HELPERS" RUN_LIMIT=600 netns_call grade_on_hosts_interrupted "$BATS_TEST_TMPDIR" "$ROOT" "$GRADE_TEST_MARK"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line 'interrupted'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/status")" 130
	assert_equal "$(cat "$BATS_TEST_TMPDIR/left")" ''
	# at once: the host is idle within a few seconds of the grade's end
	[ "$(cat "$BATS_TEST_TMPDIR/idle_ms")" -lt 5000 ]
	[ ! -e "$BATS_TEST_TMPDIR/build/grade/remote" ]
}
