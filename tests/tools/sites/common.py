"""What every module of syscall_sites shares: the project's and the build's
folders, failing with one message, running a command, reading a file's lines."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get("BUILD") or os.path.join(ROOT, "build")


def fail(message):
    sys.stderr.write("tests/tools/syscall_sites: %s\n" % message)
    sys.exit(2)


def run(*command):
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        fail("%s failed: %s" % (command[0], getattr(error, "stderr", "") or error))


def read_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []
