/* func_driver.c: tests/drivers/func_driver.asm in C, for tests/suite/func.bats. */
#include "func.h"

/* section '.data' writeable */
static char empty[] = "";

/* section '.bss' writable */
static struct {
	char buffer[255];
	char marker[3];		/* where a scan that runs past 255 bytes stops */
} bss = {
	.marker = { 'X', 0x0A, 0 },
};

/* The asm's labels: byte addresses into the section (LABEL, func.h) */
#define buffer	LABEL(bss, buffer)
#define marker	LABEL(bss, marker)

static void show_number(unsigned long n)
{
	number_str(n, buffer);
	print_str(buffer);
	new_line();
}

int main(void) /* _start: */
{
	show_number(0);
	show_number(7);
	show_number(10);
	show_number(0xFFFFFFFFFFFFFFFF);
	show_number(-24);

	print_str(empty);	/* one write of 0 bytes */

	input_keyboard(buffer);
	print_str(buffer);
	new_line();

	print_str(marker);
	new_line();

	exit0();
}
