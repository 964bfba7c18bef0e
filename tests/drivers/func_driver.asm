;; func_driver.asm: calls each helper of func.asm once, for tests/suite/func.bats.
;; The C twin is func_driver.c; both must make the same syscalls.

format elf64
public _start
include 'func.asm'

macro show_number n
{
    mov rax, n
    mov rsi, buffer
    call number_str
    call print_str
    call new_line
}

section '.data' writeable

  empty db 0

section '.bss' writable

  buffer rb 255
  marker db 'X', 0x0A, 0        ; where a scan that runs past 255 bytes stops

section '.text' executable

_start:
    show_number 0
    show_number 7
    show_number 10
    show_number 0xFFFFFFFFFFFFFFFF
    show_number -24

    mov rsi, empty              ; one write of 0 bytes
    call print_str

    mov rsi, buffer
    call input_keyboard
    call print_str
    call new_line

    mov rsi, marker
    call print_str
    call new_line

    call exit
