/* open_sock_2.c: asm/open_sock_2.asm in C, block for block. */
#include "func.h"

/* section '.bss' writable */
static char buffer[100];

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax, r9, r10;

	/* Create the socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Save the socket descriptor */
	r9 = rax;

	number_str(rax, buffer);
	print_str(buffer);
	new_line();

	/* Duplicate the socket */
	rax = sys(32, r9, 0, 0);

	/* Save the second socket descriptor */
	r10 = rax;

	number_str(rax, buffer);
	print_str(buffer);
	new_line();

	/* Change the access rights to the socket */
	sys(48, r9, 0 /* no more reading */, 0);

	sys(48, r10, 1 /* no more writing */, 0);

	/* Close the socket */

	sys(3, r9, 0, 0);

	sys(3, r10, 0, 0);

	exit0();
}
