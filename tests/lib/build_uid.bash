# build_uid.bash: who runs a build's programs when they must not run as the
# caller (a graded run's sandbox, a process limit). Sourced by
# tests/lib/sandbox and tests/lib/harness.bash.

# A uid for each build that nothing else runs as: a process limit then
# counts only that build's processes, and the program may read nothing of
# root's. Root (the real one) switches to it with setpriv.
build_uid() { # <build: asm|c>
	[ "$1" = asm ] && echo 65534 || echo 65533
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
