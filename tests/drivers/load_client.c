/* load_client.c: the load that tests/tools/bench puts on the lecture's servers,
 * over loopback to 127.0.0.1:55555 only. Every mode is bounded in count
 * and in time, and prints what it did on one line.
 *
 *   load_client connect COUNT SECONDS CONCURRENCY
 *	Connects and closes, COUNT times or for SECONDS, whichever comes
 *	first, with CONCURRENCY connections open at once. Each connection is
 *	held until the server closes its end: that proves the server accepted
 *	it, and keeps at most CONCURRENCY connections waiting in the accept
 *	queue, so a backlog of 3 never overflows (an overflow drops the SYN,
 *	and the client's retry comes a second later). Prints
 *	"connections N elapsed S".
 *
 *   load_client lines CLIENTS LINES SECONDS FILE
 *	Opens CLIENTS connections, each once the server's accept queue has
 *	fewer than 5 waiting (so a backlog of 10 never overflows), then,
 *	timed: sends LINES lines of 100 bytes (99 'x' and '\n') on each,
 *	closes each, and polls FILE, the server's output, until it holds
 *	every 'x' sent. Prints "lines N bytes B elapsed S waits W" (W: how
 *	many 1 ms naps it took for room in the queue).
 *
 * Exits 1 on an error; lines exits 2 when time ran out before the server's
 * output held every line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PORT 55555
#define LINE 100		/* bytes a line, as server_3 reads them */
#define CHUNK (640 * LINE)	/* bytes a write, at most */
#define MAX_SOCKETS 256

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static int ms_left(double deadline)
{
	double left = deadline - now();

	return left <= 0 ? 0 : left > 1 ? 1000 : (int)(left * 1000) + 1;
}

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

static long number(const char *text, long min, long max)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (*text == 0 || *end != 0 || n < min || n > max) {
		fprintf(stderr, "load_client: %s: not a number in %ld..%ld\n",
			text, min, max);
		exit(1);
	}
	return n;
}

static double seconds(const char *text)
{
	char *end;
	double s = strtod(text, &end);

	if (*text == 0 || *end != 0 || !(s > 0 && s <= 600)) {
		fprintf(stderr, "load_client: %s: not a time in seconds\n", text);
		exit(1);
	}
	return s;
}

static struct sockaddr_in server_address(void)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(PORT);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A blocking connect: the server's backlog has room, the caller made sure. */
static int connect_blocking(void)
{
	struct sockaddr_in a = server_address();
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		fail("connect");
	return fd;
}

/* --- connect ------------------------------------------------------------- */

static int run_connect(long count, double limit, int concurrency)
{
	struct pollfd p[MAX_SOCKETS];
	long opened = 0, done = 0;
	int open_now = 0, i;
	char byte;
	double start = now(), deadline = start + limit;

	for (i = 0; i < concurrency && opened < count; i++, opened++, open_now++)
		p[i] = (struct pollfd){ connect_blocking(), POLLIN, 0 };
	for (; i < concurrency; i++)
		p[i] = (struct pollfd){ -1, 0, 0 };

	while (open_now > 0) {
		int ready = poll(p, concurrency, ms_left(deadline));

		if (ready < 0 && errno != EINTR)
			fail("poll");
		if (now() >= deadline)
			break;
		for (i = 0; ready > 0 && i < concurrency; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			if (read(p[i].fd, &byte, 1) > 0)
				continue;	/* the lecture's servers send nothing */
			close(p[i].fd);	/* EOF or reset: the server is done */
			done++;
			if (opened < count && now() < deadline) {
				p[i].fd = connect_blocking();
				opened++;
			} else {
				p[i].fd = -1;
				open_now--;
			}
		}
	}
	printf("connections %ld elapsed %.6f\n", done, now() - start);
	return 0;
}

/* --- lines --------------------------------------------------------------- */

/* How many connections wait in the accept queue of the listener on PORT,
 * in this network namespace: /proc/net/tcp shows it as a listener's
 * rx_queue. -1 when there is no such listener. */
static long accept_queue(void)
{
	char line[256];
	unsigned port, state;
	unsigned long queued;
	long found = -1;
	FILE *f = fopen("/proc/net/tcp", "r");

	if (!f)
		fail("/proc/net/tcp");
	while (found < 0 && fgets(line, sizeof line, f))
		if (sscanf(line, " %*u: %*x:%x %*x:%*x %x %*x:%lx",
			   &port, &state, &queued) == 3
		    && port == PORT && state == 0x0A /* TCP_LISTEN */)
			found = (long)queued;
	fclose(f);
	return found;
}

/* Connects once the accept queue is below `room` (the server has taken the
 * earlier connections), so that a backlog of 10 never overflows: a full
 * queue drops the SYN, or the handshake's last ACK, and the kernel tries
 * again only a second later. Bounded by the deadline; counts the waits. */
static int connect_paced(long room, double deadline, long *waits)
{
	struct sockaddr_in a = server_address();
	struct pollfd p;
	int fd, error = 0;
	socklen_t len = sizeof error;

	while (accept_queue() >= room) {
		if (now() >= deadline)
			return -1;
		++*waits;
		sleep_ms(1);
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		fail("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return fd;
	if (errno != EINPROGRESS)
		fail("connect");
	p = (struct pollfd){ fd, POLLOUT, 0 };
	while (poll(&p, 1, ms_left(deadline)) == 0)
		if (now() >= deadline)
			return -1;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
	if (error != 0) {
		errno = error;
		fail("connect");
	}
	return fd;
}

/* How many times a byte occurs in a file, from an offset on. */
static long count_in_file(const char *path, off_t from, char byte)
{
	static char buf[1 << 16];
	long n = 0;
	ssize_t got, i;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		fail(path);
	if (lseek(fd, from, SEEK_SET) < 0)
		fail("lseek");
	while ((got = read(fd, buf, sizeof buf)) > 0)
		for (i = 0; i < got; i++)
			n += buf[i] == byte;
	close(fd);
	return n;
}

static off_t size_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail(path);
	return st.st_size;
}

/* Polls a server's output each millisecond until it holds the lines' x's
 * past `from`, its size before they were sent. The server prints at least
 * 101 bytes a 100-byte line (a newline after each read), so the x's are
 * counted only once the size says they may all be there. Sets *seen to the
 * time of the look that found them, the count itself left out. */
static int wait_for_output(const char *path, off_t from, long lines,
			   double deadline, double *seen)
{
	long want = lines * (LINE - 1);

	while ((*seen = now()) < deadline) {
		if (size_of(path) - from >= lines * (LINE + 1)
		    && count_in_file(path, from, 'x') >= want)
			return 0;
		sleep_ms(1);
	}
	return 2;
}

static int run_lines(int clients, long lines, double limit, const char *path)
{
	static char chunk[CHUNK];
	struct pollfd p[MAX_SOCKETS];
	long left[MAX_SOCKETS], waits = 0;
	long per_client = lines * LINE;
	int i, open_now = clients, status;
	double deadline = now() + limit, start, seen;
	off_t from;

	for (i = 0; i < CHUNK; i++)
		chunk[i] = i % LINE == LINE - 1 ? '\n' : 'x';
	for (i = 0; i < clients; i++) {
		p[i] = (struct pollfd){ connect_paced(5, deadline, &waits), POLLOUT, 0 };
		if (p[i].fd < 0) {
			fprintf(stderr, "load_client: timed out connecting\n");
			return 2;
		}
		left[i] = per_client;
	}

	from = size_of(path);
	start = now();
	while (open_now > 0 && now() < deadline) {
		if (poll(p, clients, ms_left(deadline)) < 0 && errno != EINTR)
			fail("poll");
		for (i = 0; i < clients; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			long at = (per_client - left[i]) % LINE;
			long size = left[i] < CHUNK - at ? left[i] : CHUNK - at;
			ssize_t sent = write(p[i].fd, chunk + at, size);

			if (sent < 0 && errno != EAGAIN)
				fail("write");
			if (sent > 0)
				left[i] -= sent;
			if (left[i] == 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_now--;
			}
		}
	}
	seen = now();
	status = open_now > 0 ? 2
		 : wait_for_output(path, from, lines * clients, deadline, &seen);
	printf("lines %ld bytes %ld elapsed %.6f waits %ld\n", lines * clients,
	       per_client * clients, seen - start, waits);
	return status;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: load_client connect COUNT SECONDS CONCURRENCY\n"
		"       load_client lines CLIENTS LINES SECONDS FILE\n");
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "connect") == 0)
		return run_connect(number(argv[2], 1, 10000000), seconds(argv[3]),
				   number(argv[4], 1, MAX_SOCKETS));
	if (argc == 6 && strcmp(argv[1], "lines") == 0)
		return run_lines(number(argv[2], 1, MAX_SOCKETS),
				 number(argv[3], 1, 10000000), seconds(argv[4]),
				 argv[5]);
	return usage();
}
