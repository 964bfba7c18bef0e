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

#endif
