"""The modules of tests/tools/syscall_sites: common (paths, running
commands), annotate (which line made each syscall), align (the two sources,
statement by statement), view (both side by side, and where they first
differ)."""
