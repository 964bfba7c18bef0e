# test_helper.bash: loaded by every .bats file with `_common_setup`.

_common_setup() {
	# bats traces every command (its DEBUG trap, which -T hands down to
	# every function) to name a failing line: that made each command of
	# the library 60 times slower and each process it started twice as
	# dear. Commands of a test itself are still traced; a failure inside
	# a function is named at the test's line that called it.
	set +T
	load_library bats-support
	load_library bats-assert
	ROOT=${BASH_SOURCE[0]%/*}	# .../tests/suite, as a rule: no cd in a subshell
	[[ $ROOT == /*/tests/suite ]] && ROOT=${ROOT%/tests/suite} || ROOT=$(cd "$ROOT/../.." && pwd)
	source "$ROOT/tests/lib/harness.bash"
	source "$ROOT/tests/lib/scenarios.bash"
	ASM=$BATS_TEST_TMPDIR/asm
	C=$BATS_TEST_TMPDIR/c
	# the test's scratch folder (in setup_file, which has no test's, the file's)
	SCRATCH=${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}
	assert_program_built
}

# The same for tests/suite/per_program/WHAT.bats, which tests/tools/run links
# as NAME.WHAT.bats for each program it tests: PROGRAM is the link's NAME.
_per_program_setup() {
	_common_setup
	PROGRAM=${BATS_TEST_FILENAME##*/}
	PROGRAM=${PROGRAM%%.*}
}

# A library from BATS_LIB_PATH, as bats_load_library finds it, but its
# src/*.bash sourced here: the load.bash of bats-support and bats-assert
# starts a dirname process per file, fifteen a test, which cost a test
# more than anything else it does before its own work.
load_library() { # <name>
	local dirs dir file
	IFS=: read -ra dirs <<<"$BATS_LIB_PATH"
	for dir in "${dirs[@]}"; do
		[ -d "$dir/$1/src" ] || continue
		for file in "$dir/$1"/src/*.bash; do
			source "$file"
		done
		return 0
	done
	bats_load_library "$1"
}

# In a program's tests (its NAME.bats, its scenarios' NAME.scenarios.bats),
# both builds of the program must be there: a
# student's file that did not build (make test C=DIR) fails its own tests,
# with the compiler's message above the TAP.
assert_program_built() {
	local program=${BATS_TEST_FILENAME##*/} build
	program=${program%%.*}	# NAME.bats, or NAME.scenarios.bats
	is_program "$program" || return 0
	for build in asm c; do
		[ -x "$BUILD/$build/$program" ] ||
			fail "$BUILD/$build/$program was not built: make's message is above the tests"
	done
}

# Kills whatever a test's runs left behind (a run that failed half-way).
_common_teardown() {
	local pid
	for pid in $(cat "$ASM/pids" "$C/pids" 2>/dev/null); do
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
}

# Runs a function in a namespace of its own, once with $BUILD/asm into $ASM,
# once with $BUILD/c into $C; then asserts both left the same files. A
# suite run makes each such run once (run_function: a graded run, nested
# or one of a class, reuses the asm's), so the function may read nothing
# but its arguments, this file, its .bats file and the library.
run_both() { # <function> [args...]
	KEEP_RUN=1 run_with asm "$ASM" "$@"
	KEEP_RUN=1 run_with c "$C" "$@"
	assert_same_files "$ASM" "$C"
}

run_with() { # <asm|c> <out folder> <function> [args...]
	library_sum	# once a test, not once a run
	# not bats' run: its subshell is a process a run (what the run says
	# goes to a file, read when it fails); status is set as run sets it
	local said=$SCRATCH/said.$1
	status=0
	if [ "$3" = run_steps ]; then	# steps as data: run_scenario makes each run once
		BIN=$BUILD/$1 OUT=$2 run_scenario "$4" >"$said" 2>&1 || status=$?
	elif [ -n "${KEEP_RUN:-}" ]; then
		BIN=$BUILD/$1 OUT=$2 KEY_FILES="$BATS_TEST_FILENAME ${BASH_SOURCE[0]}" run_function "${@:3}" >"$said" 2>&1 ||
			status=$?
	else
		BIN=$BUILD/$1 OUT=$2 netns_call run_in "${@:3}" >"$said" 2>&1 || status=$?
	fi
	[ "$status" -eq 0 ] || fail "$(shown "$(run_failure "$1" "$2" "$said")")"
}

# Why a run failed, for its test: the verdicts of its limits and the
# first of its errors (run_verdicts), the rest of them (a wait that ran
# out: the sockets then), what the run said besides, and the first lines
# each of its processes wrote to stderr.
run_failure() { # <asm|c> <out folder> <what the run said>
	local build=asm first="" err output=""
	[ "$1" = asm ] || build=C
	echo "the $build build's run failed (status $status):"
	run_verdicts "$2" "$build"
	if [ -s "$2/errors" ]; then
		IFS= read -r first <"$2/errors"
		sed 1d "$2/errors"
	fi
	[ ! -s "$3" ] || IFS= read -r -d '' output <"$3" || true
	output=${output%$'\n'}
	[ -z "$output" ] || [ "$output" = "$first" ] || echo "$build: $output"
	for err in "$2"/*.err; do
		[ ! -s "$err" ] || { echo "$build ${err##*/}:"; head -n 5 "$err"; }
	done
}

# Both runs' files, byte for byte, with a readable diff when they differ.
assert_same_files() { # <asm folder> <c folder>
	local differences=$SCRATCH/differences	# a file: $(diff) is a process more
	diff -r --text -x trace.d -x trace.ip -x '*.in' -x pids -x errors "$1" "$2" >"$differences" ||
		fail "asm and C differ:
$(run_verdicts "$1" asm; run_verdicts "$2" C)
$(shown "$(cat "$differences")")"
}

# A failure's text as a test shows it: at most SHOWN_BYTES (8 KiB) of it. A
# program that prints megabytes must not make a log (and bats' formatters,
# which read it) of megabytes.
shown() { # <text>
	local limit=${SHOWN_BYTES:-8192}
	if [ "${#1}" -le "$limit" ]; then
		printf '%s\n' "$1"
	else
		printf '%s\n[output cut at %d bytes of %d]\n' "${1:0:limit}" "$limit" "${#1}"
	fi
}

# A file as cat -A shows it: ^@ for NUL, ^M for CR, $ at each line's end.
visible() { # <file>
	cat -A "$1"
}

# A text this many times over: repeat x 100, repeat '^@' 95.
repeat() { # <text> <count>
	local spaces
	printf -v spaces '%*s' "$2" ''
	printf '%s' "${spaces// /"$1"}"
}

# make, as from a fresh shell: none of the variables this bats run exports,
# nor bats' own folder in PATH, which would lead the inner run's bats astray.
# Its waits get more time: it runs beside the rest of the suite. It shares
# the suite run's RESULTS: a run of the same steps on the same binary is
# made once.
make_outside_bats() { # <make arguments...>
	outside_bats_env
	"${OUTSIDE_BATS_ENV[@]}" make "$@"
}

# That environment, as a command line to run a command in, into
# OUTSIDE_BATS_ENV: env -i and its variables.
outside_bats_env() {
	local path
	path=$(tr ':' '\n' <<<"$PATH" | grep -v '/bats-core' | paste -sd ':')
	OUTSIDE_BATS_ENV=(env -i PATH="$path" HOME="$HOME" WAIT_LIMIT=20 RUN_LIMIT=120
		RESULTS="${RESULTS:-}" ${REPORT:+REPORT="$REPORT"})
}

# A copy of the project with its build, up to date: a change made to the
# copy's sources then rebuilds only what depends on it.
copy_project() { # <folder>
	mkdir -p "$1"
	cp -a "$ROOT"/{asm,c,func,tests,Makefile} "$1"
	copy_build "$1/build"
}

# The suite's build, what make made of the project's sources alone: not
# the graded builds or tool results that tests running beside this one
# write into it meanwhile.
copy_build() { # <folder>
	local part
	mkdir -p "$1"
	for part in asm c c-g; do
		[ ! -d "$BUILD/$part" ] || cp -a "$BUILD/$part" "$1"
	done
	cp -a "$BUILD"/.deps-* "$1"
}
