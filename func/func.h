/* func.h: the C twin of func.asm, the helpers every lecture program includes.
 * Register contract of the asm twins: see func.asm. */
#ifndef FUNC_H
#define FUNC_H

/* syscall(2) returns -1 and sets errno; the asm sees the kernel's raw value
 * in rax: the result, or -errno. sys() gives back what rax would hold. */
long sys(long rax, long rdi, long rsi, long rdx);

/* exit: exit(0), syscall 60. Named exit0 to stay clear of libc's exit(3). */
void exit0(void) __attribute__((noreturn));

/* len_str: rax = address in, length up to the first NUL out */
long len_str(const char *rax);

/* print_str: write(1, rsi, len_str(rsi)); "" still writes 0 bytes */
void print_str(const char *rsi);

/* new_line: write(1, "\n", 1), the byte taken from the stack */
void new_line(void);

/* number_str: rax as an unsigned decimal at rsi, then a NUL */
void number_str(unsigned long rax, char *rsi);

/* input_keyboard: read(0, rsi, 255), then the first 0x0A from rsi on -> 0 */
void input_keyboard(char *rsi);

/* The asm's '.bss' comes last in its program's memory image, so a scan in
 * input_keyboard that finds no 0x0A runs to the end of that page and faults
 * there. A C section object marked LAST_PAGE gets a page of its own at the
 * very end of the image (ld places .ldata last), and the same scan ends the
 * same way: at the page's end, with SIGSEGV. */
#define LAST_PAGE __attribute__((section(".ldata.lecture"), aligned(4096)))

#endif
