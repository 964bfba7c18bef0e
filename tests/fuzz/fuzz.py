#!/usr/bin/python3
"""fuzz.py: generated scenarios against both builds; a difference is shrunk.

Usage: fuzz.py [--seconds S] [--seed N] [PROGRAM...]   (make fuzz)
       fuzz.py --replay FILE...                        (a saved case, both builds)

Hypothesis draws each scenario as a list of steps (tests/lib/steps.bash runs
them), both builds run it at once, each in a namespace of its own, and their
stdout, wire bytes, syscall traces and exit statuses are compared. The first
difference is shrunk by Hypothesis and printed as a runnable case. BUILD is
the build folder (make passes its B=); scratch files go to BUILD/fuzz.
"""
import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time

try:
    from hypothesis import HealthCheck, given, seed, settings, strategies as st
except ImportError:
    sys.exit("fuzz.py needs Hypothesis for /usr/bin/python3 (Debian's python3-hypothesis):\n"
             "  sudo make deps   or   sudo apt-get install python3-hypothesis")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
WORK = os.path.join(BUILD, "fuzz")
COMPARED = ("stdout", "wire", "trace", "status", "errors")

SERVERS = {"listen_accept_1", "server", "server_2", "server_3", "server_4"}
CLIENTS = {"client_connect", "client_2"}
STDIN_MATTERS = {"client_connect", "client_2", "server_4"}	# closed: a socket gets fd 0
READS_STDIN = {"client_2", "server_4"}
FORKS = {"server_3", "server_4"}
ONE_SHOT = {"open_sock_1", "open_sock_2", "bind_sock"}


def lecture_programs():
    """PROGRAMS, from the harness: the one list."""
    return subprocess.run(
        ["bash", "-c", 'source "$1"; echo "${PROGRAMS[@]}"', "-",
         os.path.join(ROOT, "tests/lib/harness.bash")],
        check=True, capture_output=True, text=True).stdout.split()


# --- Scenarios ------------------------------------------------------------------

# Bytes biased toward what the programs treat apart: line ends, NUL, and
# the 100-byte buffer's and input_keyboard's 255-byte edges.
special = st.sampled_from([b"\n", b"\r", b"\0", b"\r\n"])
edge = st.sampled_from([99, 100, 101, 254, 255, 256]).map(lambda n: b"x" * n)
piece = st.one_of(special, st.binary(min_size=1, max_size=12), edge)
payload = st.lists(piece, max_size=6).map(lambda p: b"".join(p)[:300])

signal = st.sampled_from(["TERM", "INT", "HUP", "USR1", "PIPE", "CHLD", "URG"])


def maybe(*choices):
    """One of these, or (as often as all of them together) nothing."""
    return st.sampled_from([None] * len(choices) + list(choices))


def faults(program):
    """The faults a run starts with, at most one of each kind: stdout
    closed or broken, stdin closed or at EOF, a descriptor limit, a
    process limit. A limit of 3 descriptors leaves none for the socket; 4,
    none for a dup. A server's accept is never made to fail: the accept
    loops then spin without end, and a spin never settles."""
    nofile = ["nofile=3"] if program in SERVERS else ["nofile=3", "nofile=4"]
    kinds = [maybe("stdout=closed", "stdout=full", "stdout=broken"),
             st.sampled_from([None] * 3 + nofile)]	# most runs keep their socket
    if program in STDIN_MATTERS:
        kinds.append(maybe("stdin=closed", "stdin=null"))
    if program in FORKS and os.getuid() == 0:	# see exec_limited
        # a failed fork is what a forking server is fuzzed for
        kinds.append(st.sampled_from([None, "nproc=1", "nproc=2", "nproc=3"]))
    some = st.tuples(*kinds).map(lambda f: " ".join(x for x in f if x))
    return st.one_of(st.just(""), st.just(""), some)	# most runs start as usual


def start(program):
    return faults(program).map(lambda f: f"start {f}".strip())


def client_step(program):
    """One step of a server scenario: a client peer, stdin, or a signal.
    server_4's clients never hang up: its reader spins on read's 0 for
    ever (je _read), and a spin never settles."""
    n = st.integers(1, 5)
    connect = n.map(lambda i: f"connect {i}")
    send = st.tuples(n, payload).map(lambda t: f"send {t[0]} {t[1].hex()}".strip())
    # most signals end the server: one step in ten or so
    steps = [connect, connect, send, send, send, signal.map(lambda s: f"signal {s}")]
    if program != "server_4":
        end = st.tuples(st.sampled_from(["shut", "close", "rst"]), n).map(
            lambda t: f"{t[0]} {t[1]}")
        steps += [end, end, n.map(lambda i: f"connect {i}\nclose {i}")]
    if program in READS_STDIN:
        steps += [payload.map(lambda b: f"type {b.hex()}".strip()), st.just("eof")]
    return st.one_of(steps)


# A listening peer for the clients: mostly one that reads, at times one
# that never reads, or none (connect is refused). Not drawn: peer.py's
# close and rst, which close or reset as soon as they accept, while the
# client runs on: whether its shutdown sees the RST is a race.
listen = st.sampled_from([None, "accept", "accept", "noread"])


def run_steps(program):
    """A run of a client or one-shot program: started, typed into, ended."""
    if program not in READS_STDIN:
        return start(program).map(lambda s: [s])
    typed = payload.map(lambda b: f"type {b.hex()}".strip())
    typing = [typed, typed, typed, st.just("eof"), signal.map(lambda s: f"signal {s}")]
    return st.tuples(start(program), st.lists(st.one_of(typing), max_size=3)).map(
        lambda t: [t[0], *t[1]])


def connect_first(steps):
    """A client is connected before its first other step: "send 2" with
    no client 2 yet becomes "connect 2", "send 2"."""
    connected, out = set(), []
    for step in steps:
        words = step.split()
        if words[0] in ("send", "shut", "close", "rst") and words[1] not in connected:
            out.append(f"connect {words[1]}")
        if words[0] in ("connect", "send", "shut", "close", "rst"):
            connected.add(words[1])
        out.append(step)
    return out


@st.composite
def scenario(draw, programs):
    # the one-shot programs have few scenarios: a third of the others' share
    weighted = [p for p in programs for _ in range(1 if p in ONE_SHOT else 3)]
    program = draw(st.sampled_from(weighted))
    steps = [f"program {program}"]
    if program in SERVERS:
        steps.append(draw(start(program)))
        for step in draw(st.lists(client_step(program), max_size=8)):
            steps += step.split("\n")
        steps = connect_first(steps)
    else:
        for _ in range(draw(st.integers(1, 3))):
            mode = None if program in ("open_sock_1", "open_sock_2") else draw(listen)
            if mode:
                steps.append(f"listen {mode}")
            steps += draw(run_steps(program))
    return steps


# --- Running both builds -------------------------------------------------------------


def run_build(build, steps_file, out, log):
    """Starts one build's run of a step list, through the harness."""
    env = dict(os.environ, BIN=os.path.join(BUILD, build), OUT=out, TRACE="1", BUILD=BUILD)
    return subprocess.Popen(
        ["bash", "-c", 'source "$1/tests/lib/harness.bash"; netns_call run_in run_steps "$2"',
         "-", ROOT, steps_file], env=env, stdout=log, stderr=log)


class HarnessFailed(BaseException):
    """A run ended neither well nor by a missed wait (status 0 or 1): this
    stops the fuzzer at once (Hypothesis passes BaseExceptions on)."""


def kill_left(pids_file):
    """Kills what a run cut short by its time limit left (bg_start's groups)."""
    for pid in (read(pids_file) or b"").split():
        try:
            os.killpg(int(pid), 9)
        except OSError:
            pass


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def run_both(steps):
    """Runs a step list against both builds at once; returns each build's
    compared files, asm's first."""
    os.makedirs(WORK, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        os.chmod(tmp, 0o711)	# a process-limited run's strace is not root's
        steps_file = os.path.join(tmp, "case.steps")
        with open(steps_file, "w") as f:
            f.write("\n".join(steps) + "\n")
        logs = [open(os.path.join(tmp, b + ".log"), "w+") for b in ("asm", "c")]
        runs = [run_build(b, steps_file, os.path.join(tmp, b), log)
                for b, log in zip(("asm", "c"), logs)]
        for r in runs:
            r.wait()
        for b in ("asm", "c"):
            kill_left(os.path.join(tmp, b, "pids"))
        for b, r, log in zip(("asm", "c"), runs, logs):
            if r.returncode not in (0, 1):
                log.seek(0)
                raise HarnessFailed(f"the {b} run of this scenario ended with status "
                                    f"{r.returncode}:\n" + "\n".join(steps) + "\n"
                                    + log.read()[-2000:])
        return [{name: read(os.path.join(tmp, b, name)) for name in COMPARED}
                for b in ("asm", "c")]


def differences(asm, c):
    return [name for name in COMPARED if asm[name] != c[name]]


def show(files, name):
    data = files[name]
    if data is None:
        return "(none)"
    text = data.decode(errors="backslashreplace")
    return text if len(text) < 3000 else text[:3000] + "\n..."


def report_difference(steps, asm, c, seed_value=None):
    if seed_value is None:
        print("\nDIFFERENCE between asm and C:")
    else:
        print("\nDIFFERENCE between asm and C, shrunk to %d steps (SEED=%d):"
              % (len(steps) - 1, seed_value))
        print(f"---- case (to keep it: tests/fuzz_cases/{steps[0].split()[1]}.NAME.steps; "
              f"replay: tests/fuzz/fuzz.py --replay FILE, or SEED={seed_value} make fuzz)")
    print("\n".join(steps))
    for name in differences(asm, c):
        print(f"---- {name}, asm:\n{show(asm, name)}\n---- {name}, C:\n{show(c, name)}")


class OutOfTime(BaseException):
    """The budget is spent: ends Hypothesis's run (it passes BaseExceptions on)."""


class Difference(Exception):
    pass


def fuzz(programs, seconds, seed_value, shrink_seconds, verbose):
    started = time.monotonic()
    traces = {p: set() for p in programs}
    state = {"runs": 0, "repeats": 0, "found": None, "smallest": None}
    seen = {}
    os.makedirs(os.path.join(WORK, "new"), exist_ok=True)

    @seed(seed_value)
    @settings(max_examples=10**6, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(scenario(programs))
    def one_scenario(steps):
        now = time.monotonic() - started
        if state["found"] is None and now > seconds:
            raise OutOfTime
        if state["found"] is not None and now > state["found"] + shrink_seconds:
            raise OutOfTime
        key = "\n".join(steps)
        if key in seen:		# drawn before: the same steps give the same runs
            asm, c = seen[key]
            state["repeats"] += 1
            if state["repeats"] > 1000 and state["found"] is None:
                raise OutOfTime	# no new scenarios left to draw
        else:
            state["repeats"] = 0
            took = time.monotonic()
            asm, c = seen[key] = run_both(steps)
            state["runs"] += 1
            if verbose:
                print(f"{time.monotonic() - took:5.1f} s  " + " / ".join(steps), flush=True)
        program = steps[0].split()[1]
        digest = hashlib.sha1(asm["trace"] or b"").hexdigest()[:12]
        if digest not in traces[program]:
            traces[program].add(digest)
            with open(os.path.join(WORK, "new", f"{program}.{digest}.steps"), "w") as f:
                f.write("\n".join(steps) + "\n")
        if differences(asm, c):
            if state["found"] is None:
                state["found"] = time.monotonic() - started
                print(f"difference found after {state['found']:.1f} s "
                      f"({state['runs']} scenarios); shrinking", flush=True)
            size = (len(steps), sum(map(len, steps)))
            if state["smallest"] is None or size < state["smallest"][0]:
                state["smallest"] = (size, steps, asm, c)
            raise Difference()

    try:
        one_scenario()
    except (OutOfTime, Difference):
        pass
    except HarnessFailed as e:
        print(f"fuzz: {e}", file=sys.stderr)
        return 2
    spent = time.monotonic() - started
    print(f"scenarios run: {state['runs']} in {spent:.0f} s "
          f"({state['runs'] / spent:.2f}/s), SEED={seed_value}")
    print("distinct traces: " + ", ".join(f"{p} {len(traces[p])}" for p in programs))
    if state["smallest"] is None:
        print("no difference")
        return 0
    _, steps, asm, c = state["smallest"]
    report_difference(steps, asm, c, seed_value)
    with open(os.path.join(WORK, f"difference.{seed_value}.steps"), "w") as f:
        f.write("\n".join(steps) + "\n")
    print(f"found after {state['found']:.1f} s; "
          f"saved in {os.path.join(WORK, f'difference.{seed_value}.steps')}")
    return 1


def replay(files):
    status = 0
    for path in files:
        with open(path) as f:
            steps = [line for line in f.read().splitlines()
                     if line.strip() and not line.startswith("#")]
        asm, c = run_both(steps)
        diff = differences(asm, c)
        print(f"{path}: {'DIFFERS in ' + ', '.join(diff) if diff else 'same'}")
        if diff:
            report_difference(steps, asm, c)
            status = 1
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--shrink-seconds", type=float, default=300)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--replay", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="a line a scenario")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args()
    if opts.replay:
        return replay(opts.args)
    known = lecture_programs()
    unknown = [p for p in opts.args if p not in known]
    if unknown:
        print(f"fuzz: no program {' '.join(unknown)}; P= takes one of: {' '.join(known)}",
              file=sys.stderr)
        return 2
    if subprocess.run(["bash", "-c", 'source "$1"; netns_available', "-",
                       os.path.join(ROOT, "tests/lib/harness.bash")]).returncode != 0:
        return 2
    seed_value = opts.seed if opts.seed is not None else random.randrange(10**6)
    return fuzz(opts.args or known, opts.seconds, seed_value, opts.shrink_seconds, opts.verbose)


sys.exit(main())
