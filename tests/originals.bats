#!/usr/bin/env bats
# The originals in asm/ are the lecture's code cells, byte for byte.

setup() { load test_helper; _common_setup; }

@test "originals: all ten asm files are verbatim from the lecture" {
	local check=$ROOT/../shared/tools/check-originals
	[ -x "$check" ] || skip "no ../shared/tools/check-originals beside this clone"
	run "$check" "$ROOT"
	assert_success
	assert_output --partial '10 of 10 originals verbatim'
}
