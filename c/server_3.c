/* server_3.c: asm/server_3.asm in C, block for block. */
#include "func.h"

/* section '.data' writeable */
static char msg_1[] = "Error bind\n";
static char msg_2[] = "Successfull bind\n";
/* msg_3 and msg_4 are defined but never printed, as in the asm */
static char msg_3[] __attribute__((unused)) = "New connection on port ";
static char msg_4[] __attribute__((unused)) = "Successfull listen\n";

/* section '.bss' writable */
/* Structure for the client */
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

/* The asm's labels: byte addresses into the section (LABEL, func.h). A
 * 100-byte read leaves buffer without a NUL, and print_str runs on into
 * addrstr, as in the asm; the clearing loop writes buffer[100..1]:
 * addrstr's first byte, never buffer[0]. */
#define buffer	LABEL(bss, buffer)
#define addrstr	LABEL(bss, addrstr)
#define addrlen	sizeof(struct sockaddr_in)

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax, rcx, r9, r12;

	/* Create the socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Save the socket descriptor */
	r9 = rax;


	/* Bind the socket to the address */

	rax = sys(49 /* SYS_BIND */, r9 /* server descriptor */,
		  (long)addrstr /* sockaddr_in struct */,
		  addrlen /* length of sockaddr_in */);

	/* Check that the call succeeded */
	if (rax < 0)
		goto _bind_error;

	print_str(msg_2);

	/* Start listening on the socket */
	rax = sys(50 /* sys_listen */, r9 /* descriptor */, 10 /* number of clients */, 0);
	if (rax < 0)
		goto _bind_error;

	/* Main loop, waiting for connections */
main_loop: /* .main_loop */

	/* accept */
	rax = sys(43, r9, 0, 0);

	/* Save the client socket descriptor */
	r12 = rax;

	/* fork */
	rax = sys(57, 0, 0, 0);

	if (rax == 0)
		goto _read;

	goto main_loop;

_bind_error:
	print_str(msg_1);
	exit0();

_read:
	rax = sys(0 /* the read system call's number */,
		  r12 /* load the file descriptor */,
		  (long)buffer /* where to put what is read */,
		  100 /* how many bytes to read */);	/* perform the read system call */

	/* If the client sent nothing (connection lost), end its process */
	if (rax == 0)
		goto exit;

	print_str(buffer);
	new_line();

	/* Clear the buffer so it keeps no old values */
	rcx = 100;
	rax = 0;
lab: /* .lab */
	buffer[rcx] = 0;
	if (--rcx != 0)		/* loop .lab */
		goto lab;
	goto _read;
exit: /* .exit */
	exit0();
}
