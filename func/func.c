/* func.c: the C twin of func.asm. Each helper makes the asm's syscalls,
 * with the same lengths, in the same order. */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include "func.h"

/* sys: what rax holds after a syscall: the result, or -errno. syscall(2)
 * returns -1 and sets errno instead, so sys() turns that back. */
long sys(long rax, long rdi, long rsi, long rdx)
{
	long ret = syscall(rax, rdi, rsi, rdx, 0L, 0L, 0L);	/* musl reads six */

	return ret == -1 ? -errno : ret;
}

/* exit: exit(0), syscall 60; never returns. Named exit0 to stay clear of
 * libc's exit(3). */
void exit0(void)
{
	sys(60, 0, 0, 0);
	__builtin_unreachable();
}

/* len_str: rax = address in, length up to the first NUL out */
long len_str(const char *rax)
{
	const char *rdx = rax;

	while (*rax != 0)
		rax++;
	return rax - rdx;
}

/* print_str: write(1, rsi, len_str(rsi)); "" still writes 0 bytes */
void print_str(const char *rsi)
{
	sys(1, 1, (long)rsi, len_str(rsi));
}

/* new_line: write(1, "\n", 1), the byte taken from the stack */
void new_line(void)
{
	char nl = 0x0A;

	sys(1, 1, (long)&nl, 1);
}

/* number_str: rax as an unsigned decimal at rsi, then a NUL */
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

/* input_keyboard: read(0, rsi, 255), then the first 0x0A from rsi on -> 0 */
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
