/* server.c: asm/server.asm in C, block for block. */
#include "func.h"

/* section '.data' writeable */
static char msg_1[] = "Error bind\n";
static char msg_2[] = "Successfull bind\n";
static char msg_3[] = "New connection on port ";
static char msg_4[] = "Successfull listen\n";

/* section '.bss' writable */
struct sockaddr_in {
	unsigned short sin_family;	/* AF_INET */
	unsigned short sin_port;	/* port 60000 (sic: 0x3d9 is port 55555) */
	unsigned int sin_addr;		/* localhost */
	unsigned int sin_zero_1;
	unsigned int sin_zero_2;
};

static struct {
	char buffer[100];
	/* Memory reserved for the server's address parameters */
	char client[16];
	char len_client[8];	/* rq 1: 0 at first, so the first accept gets no address */
	/* Structure for the client */
	struct sockaddr_in addrstr;
} bss = {
	.addrstr = { 2, 0x3d9, 0, 0, 0 },
};

/* The asm's labels: byte addresses into the section (LABEL, func.h) */
#define buffer		LABEL(bss, buffer)
#define client		LABEL(bss, client)
#define len_client	LABEL(bss, len_client)
#define addrstr		LABEL(bss, addrstr)
#define addrlen		sizeof(struct sockaddr_in)

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax, r9, r12;

	/* Create the socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Save the socket descriptor */
	r9 = rax;

	number_str(rax, buffer);
	print_str(buffer);
	new_line();


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

	print_str(msg_4);

	/* Main loop, waiting for connections */
main_loop: /* .main_loop */

	/* accept */
	rax = sys(43, r9, (long)client, (long)len_client);

	/* Save the client socket descriptor */
	r12 = rax;

	/* Print the message about the connection */
	print_str(msg_3);

	/* Swap the port's bytes: network order in memory to a number */
	rax = (unsigned char)client[2] << 8 | (unsigned char)client[3];
	number_str(rax, buffer);
	print_str(buffer);
	new_line();

	/* Shut down reading and writing on the client socket */
	sys(48, r12, 2, 0);

	/* Close the client socket */
	sys(3, r12, 0, 0);

	goto main_loop;

_bind_error:
	print_str(msg_1);
	exit0();
}
