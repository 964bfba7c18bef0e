/* with_nofile.c: with_nofile N PROGRAM [ARGS...] runs PROGRAM with at most
 * N descriptors open (RLIMIT_NOFILE), as `ulimit -n N` would, but with no
 * shell in between and on PROGRAM alone: under strace, its own start-up
 * makes none of the lecture's syscalls (no read, write or close), so the
 * trace is PROGRAM's, and the tracer keeps the descriptors it needs.
 * Exits 2 on a bad count, 127 when PROGRAM cannot be run.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rlimit limit;
	char *end;

	if (argc < 3)
		return 2;
	limit.rlim_cur = limit.rlim_max = strtoul(argv[1], &end, 10);
	if (*end || setrlimit(RLIMIT_NOFILE, &limit))
		return 2;
	execv(argv[2], argv + 2);
	return 127;
}
