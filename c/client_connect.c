/* client_connect.c: asm/client_connect.asm in C, block for block. */
#include "func.h"

/* section '.data' writeable */
static char msg_1[] = "Error bind\n";
static char msg_2[] = "Successfull bind\n";
static char msg_3[] = "Successful connect\n";
static char msg_4[] = "Error connect\n";

/* section '.bss' writable */
struct sockaddr_client {
	unsigned short sin_family;	/* AF_INET */
	unsigned short sin_port;	/* port 55556 */
	unsigned int sin_addr;		/* localhost */
	unsigned int sin_zero_1;
	unsigned int sin_zero_2;
};

struct sockaddr_server {
	unsigned short sin_family;	/* AF_INET */
	unsigned short sin_port;	/* port 55555 */
	unsigned int sin_addr;		/* localhost */
	unsigned int sin_zero_1;
	unsigned int sin_zero_2;
};

static struct {
	char buffer[100];
	struct sockaddr_client addrstr_client;
	struct sockaddr_server addrstr_server;
} bss = {
	.addrstr_client = { 2, 0x4d9, 0, 0, 0 },
	.addrstr_server = { 2, 0x3d9, 0, 0, 0 },
};

/* The asm's labels: byte addresses into the section (LABEL, func.h) */
#define addrstr_client	LABEL(bss, addrstr_client)
#define addrlen_client	sizeof(struct sockaddr_client)
#define addrstr_server	LABEL(bss, addrstr_server)
#define addrlen_server	sizeof(struct sockaddr_server)

/* section '.text' executable */
int main(void) /* _start: */
{
	long rax, r9;

	/* Create the client socket */
	rax = sys(41, 2 /* AF_INET - IP v4 */, 1 /* SOCK_STREAM */, 6 /* TCP */);

	/* Save the client socket descriptor */
	r9 = rax;

	/* Bind the socket to the address */

	rax = sys(49 /* SYS_BIND */, r9 /* server descriptor */,
		  (long)addrstr_client /* sockaddr_in struct */,
		  addrlen_client /* length of sockaddr_in */);

	/* Check that the call succeeded */
	if (rax < 0)
		goto _bind_error;

	print_str(msg_2);

	/* Connect to the server */
	rax = sys(42 /* sys_connect */, r9 /* descriptor */,
		  (long)addrstr_server, addrlen_server);

	if (rax < 0)
		goto _connect_error;

	print_str(msg_3);

	/* Shut down reading and writing on the client socket */
	sys(48, r9, 2, 0);

	/* Close the client socket */
	sys(3, r9, 0, 0);

	exit0();

_bind_error:
	print_str(msg_1);
	exit0();

_connect_error:
	print_str(msg_4);
	exit0();
}
