/* func.c: the C twin of func.asm. Each helper makes the asm's syscalls,
 * with the same lengths, in the same order. */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include "func.h"

long sys(long rax, long rdi, long rsi, long rdx)
{
	long ret = syscall(rax, rdi, rsi, rdx, 0L, 0L, 0L);	/* musl reads six */

	return ret == -1 ? -errno : ret;
}

void exit0(void)
{
	sys(60, 0, 0, 0);
	__builtin_unreachable();
}

long len_str(const char *rax)
{
	const char *rdx = rax;

	while (*rax != 0)
		rax++;
	return rax - rdx;
}

void print_str(const char *rsi)
{
	sys(1, 1, (long)rsi, len_str(rsi));
}

void new_line(void)
{
	char nl = 0x0A;

	sys(1, 1, (long)&nl, 1);
}

void number_str(unsigned long rax, char *rsi)
{
	char digits[20];	/* 2^64-1 has 20 */
	int rcx = 0, rbx = 0;

	do {			/* unsigned: -24 prints as 18446744073709551592 */
		digits[rcx++] = rax % 10;
		rax /= 10;
	} while (rax != 0);
	while (rcx > 0)		/* digits come out last first */
		rsi[rbx++] = '0' + digits[--rcx];
	rsi[rbx] = 0;
}

void input_keyboard(char *rsi)
{
	unsigned long rax = sys(0, 0, (long)rsi, 255);	/* 255 whatever the buffer's size */
	unsigned long rcx = 0;

	/* mov al, [rsi+rcx] / cmp rax, 0x0A: only al is loaded, so after a
	 * failed read (rax = -errno) nothing matches. With no 0x0A read, the
	 * scan runs on past the data, as the asm's does. */
	for (;;) {
		rax = (rax & ~0xFFUL) | (unsigned char)rsi[rcx];
		if (rax == 0x0A)
			break;
		rcx++;
	}
	rsi[rcx] = 0;
}
