#!/usr/bin/python3
"""restrict.py: runs a command under a restriction that a normal start does
not have, for the known-differences tests (tests/suite/known_differences.bats).

  restrict.py mdwe COMMAND...     memory-deny-write-execute (Linux 6.3+):
                                  no mapping may be both writable and executable
  restrict.py no-arch-prctl COMMAND...   a seccomp filter: arch_prctl fails (EPERM)

Exits 2, saying why, when the kernel refuses the restriction itself.
"""
import ctypes
import os
import struct
import sys

PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS, PR_SET_MDWE = 22, 38, 65
SECCOMP_MODE_FILTER, PR_MDWE_REFUSE_EXEC_GAIN = 2, 1
SYS_ARCH_PRCTL = 158
libc = ctypes.CDLL(None, use_errno=True)


def prctl(*args):
    if libc.prctl(*map(ctypes.c_ulong, args)) != 0:
        print(f"restrict.py: prctl{args}: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        sys.exit(2)


def refuse_arch_prctl():
    # BPF: load the syscall number; arch_prctl -> ERRNO(EPERM), else ALLOW
    insns = [(0x20, 0, 0, 0), (0x15, 0, 1, SYS_ARCH_PRCTL),
             (0x06, 0, 0, 0x00050000 | 1), (0x06, 0, 0, 0x7fff0000)]
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in insns))
    fprog = ctypes.create_string_buffer(struct.pack("HxxxxxxQ", len(insns), ctypes.addressof(code)))
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0)


how, command = sys.argv[1], sys.argv[2:]
if how == "mdwe":
    prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)
elif how == "no-arch-prctl":
    refuse_arch_prctl()
else:
    sys.exit(f"usage: restrict.py mdwe|no-arch-prctl COMMAND...")
os.execv(command[0], command)
