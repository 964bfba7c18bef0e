#!/usr/bin/env bats
# The originals in asm/ are the lecture's code cells, byte for byte: their
# checksums, taken from the lecture, are in tests/suite/fixtures/originals.sha256.

setup() { load test_helper; _common_setup; }

@test "originals: the ten asm files are the lecture's code cells, byte for byte" {
	cd "$ROOT/asm"
	run sha256sum --strict -c <(grep -v '^#' "$ROOT/tests/suite/fixtures/originals.sha256")
	assert_success
	assert_equal "${#lines[@]}" "${#PROGRAMS[@]}"
	local program
	for program in "${PROGRAMS[@]}"; do
		assert_line "$program.asm: OK"
	done
}

@test "originals: a changed byte in an original is caught" {
	cp -r "$ROOT/asm" "$BATS_TEST_TMPDIR/asm"
	sed -i 's/Successfull bind/Successful bind/' "$BATS_TEST_TMPDIR/asm/server_3.asm"
	cd "$BATS_TEST_TMPDIR/asm"
	run sha256sum --strict -c <(grep -v '^#' "$ROOT/tests/suite/fixtures/originals.sha256")
	assert_failure
	assert_line 'server_3.asm: FAILED'
}
