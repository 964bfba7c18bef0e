;; func.asm: the helpers every lecture program pulls in with include 'func.asm'.
;; The lecture uses them but never prints them; this file writes them to what
;; the programs' output in the lecture depends on, and func/func.c is its C
;; twin. It is included before the first 'section', so fasm puts the helpers
;; in its default section (.flat, writable and executable).
;;
;; Register contract. The programs keep their descriptors in r9, r10 and r12
;; across calls, so no helper touches r8-r15 (a syscall still clobbers r11).
;;   exit            exit(0), never returns
;;   len_str         rax = address in, length up to the first NUL out
;;   print_str       rsi = string; keeps rax, rcx, rdx, rdi, rsi
;;   new_line        keeps rax, rcx, rdx, rsi, rdi
;;   number_str      rax = number, rsi = buffer; unsigned decimal + NUL;
;;                   keeps rbx, rcx, rdx, rsi; rax ends as the last digit byte
;;   input_keyboard  rsi = buffer; read(0, rsi, 255), first 0x0A -> 0;
;;                   keeps rax, rdi, rdx, rsi; clobbers rcx

exit:
    mov rdi, 0
    mov rax, 60
    syscall

len_str:
    push rdx
    mov rdx, rax
  .next:
    cmp byte [rax], 0
    je .done
    inc rax
    jmp .next
  .done:
    sub rax, rdx
    pop rdx
    ret

print_str:
    push rax
    push rcx
    push rdx
    push rdi
    mov rax, rsi
    call len_str
    mov rdx, rax
    mov rdi, 1
    mov rax, 1
    syscall                     ; an empty string still writes 0 bytes
    pop rdi
    pop rdx
    pop rcx
    pop rax
    ret

new_line:
    push rax
    push rcx
    push rdx
    push rsi
    push rdi
    push 0x0A                   ; the byte to write lives on the stack
    mov rsi, rsp
    mov rdx, 1
    mov rdi, 1
    mov rax, 1
    syscall
    add rsp, 8
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rax
    ret

number_str:
    push rbx
    push rcx
    push rdx
    mov rbx, 10
    xor rcx, rcx
  .divide:                      ; unsigned: -24 prints as 18446744073709551592
    xor rdx, rdx
    div rbx
    push rdx                    ; digits come out last first
    inc rcx
    cmp rax, 0
    jne .divide
    xor rbx, rbx
  .store:
    pop rax
    add rax, '0'
    mov [rsi+rbx], al
    inc rbx
    loop .store
    mov byte [rsi+rbx], 0
    pop rdx
    pop rcx
    pop rbx
    ret

input_keyboard:
    push rax
    push rdi
    push rdx
    mov rax, 0
    mov rdi, 0
    mov rdx, 255                ; 255 whatever the buffer's size
    syscall
    mov rcx, 0
  .scan:                        ; no 0x0A read: the scan runs on past the data
    mov al, [rsi+rcx]
    cmp rax, 0x0A               ; only al was loaded: relies on rax < 256
    je .found
    inc rcx
    jmp .scan
  .found:
    mov byte [rsi+rcx], 0
    pop rdx
    pop rdi
    pop rax
    ret
