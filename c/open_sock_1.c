/* open_sock_1.c: asm/open_sock_1.asm in C, block for block.
 * SOCK_STREAM */
#include "func.h"

/* section '.bss' writable */
static char buffer[100];

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax;

	/* Create the socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Print the socket descriptor */
	number_str(rax, buffer);
	print_str(buffer);
	new_line();

	exit0();
}
