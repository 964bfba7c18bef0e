#!/usr/bin/env bats
# make report: the comparison as one HTML page, checked in a real browser
# (headless Chromium through Selenium: tests/suite/commands/browse, whose
# JSON the tests read).

setup() { load test_helper; _common_setup; }

# The page of make report (P=...), into $PAGE.
make_page() { # [make arguments...]
	PAGE=$BATS_TEST_TMPDIR/report.html
	run make -s -C "$ROOT" B="$BUILD" report PAGE="$PAGE" "$@"
}

# server_3's page, made once for the tests that only read it: $PAGE.
setup_file() {
	load test_helper
	_common_setup
	make -s -C "$ROOT" B="$BUILD" report PAGE="$BATS_FILE_TMPDIR/server_3.html" P=server_3 >/dev/null
}

server_3_page() {
	PAGE=$BATS_FILE_TMPDIR/server_3.html
}

# Loads a page in the browser; its facts (JSON) into $output.
browse() { # <page> [browse options...]
	BROWSE_PROFILE=$BATS_TEST_TMPDIR/profile run "$ROOT/tests/suite/commands/browse" "$@"
	assert_success
}

# One fact of the browser's JSON, as JSON.
fact() { # <key>
	/usr/bin/python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)[sys.argv[1]]))' "$1" <<<"$output"
}

# The planted difference of the issue: a copy of the C whose server_3 reads
# 99 bytes where the asm reads 100.
plant_short_read() {
	PLANTED=$BATS_TEST_TMPDIR/hand-in
	mkdir -p "$PLANTED"
	sed '/how many bytes to read/s/\b100\b/99/' "$ROOT/c/server_3.c" >"$PLANTED/server_3.c"
	! cmp -s "$ROOT/c/server_3.c" "$PLANTED/server_3.c" || fail "the plant took nothing"
}

@test "report: one page for the ten programs and func, every program with its row, sources, trace, stdout and wire" {
	make_page
	assert_success
	assert_line "report: $PAGE"
	local program
	for program in "${PROGRAMS[@]}"; do
		grep -q "<section id='$program'>" "$PAGE" || fail "no section for $program"
		grep -q "<td><a href='#$program'>$program</a><td class=same>same<td class=same>same<td class=same>same" "$PAGE" ||
			fail "no row of the table for $program"
		grep -q "id='$program-stdout'" "$PAGE" && grep -q "id='$program-wire'" "$PAGE" ||
			fail "no stdout or wire for $program"
	done
	grep -q "<section id=func>" "$PAGE"
	grep -q "id=all-same" "$PAGE"
}

@test "report: the page names nothing outside itself: no URL, no linked file, no import" {
	server_3_page
	# a scheme, a protocol-relative URL, or a src= or stylesheet link of any kind
	run grep -noE "(https?|ftp|wss?):|//[a-z0-9.-]+\.[a-z]{2,}/|src=|<link|@import|url\(" "$PAGE"
	assert_failure 1
	assert_output ''
}

@test "report: from file:// the page asks for nothing and logs no error, in light and in dark; screenshots of both" {
	server_3_page
	browse "$PAGE" --screenshot "$BUILD/report-light.png"
	assert_equal "$(fact requests)" '[]'
	assert_equal "$(fact console)" '[]'
	local light
	light=$(fact background)
	browse "$PAGE" --dark --screenshot "$BUILD/report-dark.png"
	assert_equal "$(fact requests)" '[]'
	assert_equal "$(fact console)" '[]'
	[ "$(fact background)" != "$light" ] || fail "dark looks as light: $light"
	[ -s "$BUILD/report-light.png" ] && [ -s "$BUILD/report-dark.png" ]
}

@test "report: clicking server_3's listen, or Enter on it, marks the asm syscall and the C sys(50) that made it" {
	server_3_page
	local row
	row=$(grep -o "<tr id='server_3-trace-[0-9]*'[^>]*><td class=n>[0-9]*<td><span class=sc>listen<" "$PAGE" |
		grep -o "server_3-trace-[0-9]*")
	[ -n "$row" ] || fail "no listen in server_3's trace"
	browse "$PAGE" --click "$row"
	local asm c marked
	marked=$(fact highlighted)
	asm=$(grep -o 'server_3-asm-[0-9]*' <<<"$marked" | grep -o '[0-9]*$')
	c=$(grep -o 'server_3-c-[0-9]*' <<<"$marked" | grep -o '[0-9]*$')
	# from the keyboard (Tab to the row, Enter), the same
	browse "$PAGE" --enter "$row"
	assert_equal "$(fact highlighted)" "$marked"
	# the lines themselves, read from the sources: the asm's syscall of
	# listen (its group sets rax to 50), the C's sys(50, ...)
	[[ $(sed -n "${asm}p" "$ROOT/asm/server_3.asm") == *syscall* ]] || fail "asm line $asm is no syscall"
	sed -n "$((asm - 4)),${asm}p" "$ROOT/asm/server_3.asm" | grep -qE 'mov +rax, *50\b' ||
		fail "asm line $asm is not listen's syscall"
	sed -n "$c,$((c + 1))p" "$ROOT/c/server_3.c" | grep -q 'sys(50' || fail "C line $c is no sys(50)"
}

@test "report: on a narrow screen (400 px) the page is no wider than the window" {
	server_3_page
	browse "$PAGE" --width 400
	assert_equal "$(fact overflow)" false
}

@test "report: the page's structure is the kept one, but for what varies" {
	server_3_page
	local kept=$ROOT/tests/suite/fixtures/report/server_3.html
	# what varies from run to run and machine to machine: none yet (pids and
	# addresses are PID and ADDR in the traces), but the project's folder
	sed "s|$ROOT/||g" "$PAGE" >"$BATS_TEST_TMPDIR/scrubbed.html"
	run diff -u "$kept" "$BATS_TEST_TMPDIR/scrubbed.html"
	assert_success	# a change on purpose: cp the scrubbed page to $kept
}

@test "report: a planted difference (server_3.c reads 99 bytes) heads the page, and its link scrolls to it" {
	plant_short_read
	copy_build "$BATS_TEST_TMPDIR/graded"
	make_page C="$PLANTED" P=server_3 B="$BATS_TEST_TMPDIR/graded"
	assert_failure	# the builds differ; the page is written all the same
	assert_line "report: $PAGE"
	browse "$PAGE" --follow first-1
	fact first_differences | grep -q '^\["server_3: trace first differs at syscall [0-9]* (trace line [0-9]*): asm: read(4, \\"hello from nc\\\\n\\", 100) = 14 at server_3.asm:[0-9]*; C: read(4, \\"hello from nc\\\\n\\", 99) = 14 at server_3.c:[0-9]*"\]$' ||
		fail "not the read at the top: $(fact first_differences)"
	assert_equal "$(fact in_view)" true
	[[ $(fact target) == '"server_3-trace-'* ]] || fail "the link goes to $(fact target)"
}

@test "report: make test C=DIR writes the student's page beside the JUnit report, the difference on top" {
	plant_short_read
	local graded=$BATS_TEST_TMPDIR/graded
	copy_build "$graded"
	run make_outside_bats -s -C "$ROOT" B="$graded" test C="$PLANTED" P=server_3 FUZZ_S=0
	assert_failure
	assert_line --regexp '^not ok [0-9]+ server_3: '	# the suite ran, and failed
	assert_line "page: $graded/report.html"
	[ -s "$graded/report.xml" ]
	browse "$graded/report.html"
	fact first_differences | grep -q '^\["server_3: trace first differs at .* read(4, .*, 99) = 14 ' ||
		fail "not the read at the top: $(fact first_differences)"
}
