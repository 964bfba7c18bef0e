#!/usr/bin/env bats
# bind_sock: a socket bound to 0.0.0.0:55555, then closed.

setup() { load test_helper; _common_setup; }
teardown() { _common_teardown; }

no_descriptors_left() {
	FD_LIMIT=3 prog bind_sock >"$OUT/stdout"
}

@test "bind_sock: with no descriptor left, prints -EMFILE and then Error bind" {
	run_both no_descriptors_left
	run visible "$ASM/stdout"
	assert_output - <<'OUT'
18446744073709551592$
Error bind$
OUT
}
