# run_uid.bash: who runs a program that must not run as its caller (a
# hand-in's, or one under a process limit). Sourced by tests/lib/sandbox.

# A uid of the run's own, which owns no file and runs nothing else. A
# process limit counts all of a uid's processes, machine-wide: runs side by
# side (both builds, parallel tests, a class graded on all cores) must not
# share one. It is made from the pid of the process that lasts as long as
# the run: no two live processes have the same. Into RUN_UID (no subshell:
# it is worked out at every run).
run_uid() { # <pid>
	RUN_UID=$((1000000000 + $1))	# below 2^31: bwrap takes no more
}

# Whether this user namespace has the uid: the first one has them all; an
# ordinary user's `unshare -r` maps one, its root, which is that user.
uid_is_mapped() { # <uid>
	local inside outside count
	while read -r inside outside count; do
		((inside <= $1 && $1 < inside + count)) && return 0
	done </proc/self/uid_map
	return 1
}
