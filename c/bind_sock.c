/* bind_sock.c: asm/bind_sock.asm in C, block for block. */
#include "func.h"

/* section '.data' writeable */
static char msg_1[] = "Error bind\n";
static char msg_2[] = "Successfull bind\n";

/* section '.bss' writable */
struct sockaddr_in {
	unsigned short sin_family;	/* AF_INET */
	unsigned short sin_port;	/* port 55555 */
	unsigned int sin_addr;		/* localhost */
	unsigned int sin_zero_1;
	unsigned int sin_zero_2;
};

static struct {
	char buffer[100];
	struct sockaddr_in addrstr;
} bss = {
	.addrstr = { 2, 0x3d9, 0, 0, 0 },
};

/* The asm's labels: byte addresses into the section (LABEL, func.h) */
#define buffer	LABEL(bss, buffer)
#define addrstr	LABEL(bss, addrstr)
#define addrlen	sizeof(struct sockaddr_in)

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax, r9;

	/* Create the socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Save the socket descriptor */
	r9 = rax;

	number_str(rax, buffer);
	print_str(buffer);
	new_line();

	/* Bind the socket to the address */

	rax = sys(49 /* SYS_BIND */, r9 /* listening socket fd */,
		  (long)addrstr /* sockaddr_in struct */,
		  addrlen /* length of sockaddr_in */);

	/* Check that the call succeeded */
	if (rax < 0)
		goto _bind_error;

	print_str(msg_2);

	/* Close the socket */

	sys(3, r9, 0, 0);

	exit0();

_bind_error:
	print_str(msg_1);
	exit0();
}
