/* func.h: the C twin of func.asm, the helpers every lecture program includes.
 * The asm twins' register contract is at the top of func.asm. */
#ifndef FUNC_H
#define FUNC_H

#include <stddef.h>

/* The helpers; what each does is said above its definition in func.c. */
long sys(long rax, long rdi, long rsi, long rdx);
void exit0(void) __attribute__((noreturn));
long len_str(const char *rax);
void print_str(const char *rsi);
void new_line(void);
void number_str(unsigned long rax, char *rsi);
void input_keyboard(char *rsi);

/* An asm label in a section: the address of a field, as a byte pointer into
 * the whole section object rather than into the field. C may then read on
 * past a field within its section, as the asm does: print_str runs from a
 * 100-byte buffer left without a NUL on into the address after it. */
#define LABEL(section, field) \
	((char *)&(section) + offsetof(__typeof__(section), field))

/* The asm's '.bss' comes last in its program's memory image, so a scan in
 * input_keyboard that finds no 0x0A runs to the end of that page and faults
 * there. A C section object marked LAST_PAGE gets a page of its own at the
 * very end of the image (ld places .ldata last), and the same scan ends the
 * same way: at the page's end, with SIGSEGV. */
#define LAST_PAGE __attribute__((section(".ldata.lecture"), aligned(4096)))

#endif
