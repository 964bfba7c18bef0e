#!/usr/bin/python3
"""peer.py: a TCP peer of the fuzzer's scenarios, driven by commands on stdin.

  peer.py connect PORT SOURCE_PORT ACK_FILE   a client of a lecture server
  peer.py listen PORT MODE ACK_FILE           a server for the lecture's clients;
      MODE: accept (reads all), noread (never reads), close (closes each
            connection at once), rst (resets each at once)

Commands, one a line: "send HEX", "shut" (half-close: FIN, still reading),
"close" (FIN), "rst" (SO_LINGER 0, then close: RST). Each command done
appends a line to ACK_FILE. Every byte received goes to stdout. On EOF on
stdin the peer reads what is left until the far end closes (at most 2 s),
then exits.
"""
import os
import select
import socket
import struct
import sys

LINGER_0 = struct.pack("ii", 1, 0)


def out(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def receive(sock):
    """Reads what is there; False once the far end is done."""
    try:
        data = sock.recv(65536)
    except OSError:
        return False
    out(data)
    return bool(data)


def end(sock, how):
    if how == "rst":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_0)
    sock.close()


def run(mode, listener, sock, ack):
    reading = [] if sock is None else [sock]
    pending = b""
    while True:
        ready, _, _ = select.select([0, *reading, *filter(None, [listener])], [], [])
        if listener in ready:
            conn, _ = listener.accept()
            if mode in ("close", "rst"):
                end(conn, mode)
            elif mode == "accept":
                reading.append(conn)
            else:
                sock = conn	# noread: held open, never read
        for s in [s for s in reading if s in ready]:
            if not receive(s):
                reading.remove(s)
        if 0 in ready:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                sock = command(line.decode().split(), sock, reading)
                with open(ack, "a") as f:
                    f.write("done\n")
    for s in reading:
        s.settimeout(2)
        while receive(s):
            pass


def command(words, sock, reading):
    """Does one command on the client socket; returns it (None once closed)."""
    if sock is None or sock.fileno() < 0:
        return None
    try:
        if words[0] == "send":
            sock.sendall(bytes.fromhex(words[1] if len(words) > 1 else ""))
        elif words[0] == "shut":
            sock.shutdown(socket.SHUT_WR)
        elif words[0] in ("close", "rst"):
            if sock in reading:
                reading.remove(sock)
            end(sock, words[0])
            return None
    except OSError as e:
        print(f"{words[0]}: {e}", file=sys.stderr)
    return sock


def main():
    role, port, arg, ack = sys.argv[1:5]
    if role == "connect":
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", int(arg)))
        try:
            sock.connect(("127.0.0.1", int(port)))
        except OSError as e:
            print(f"connect: {e}", file=sys.stderr)
            sock.close()
            sock = None
        with open(ack, "a") as f:
            f.write("connected\n")
        run(None, None, sock, ack)
    else:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(port)))
        listener.listen(10)
        with open(ack, "a") as f:
            f.write("listening\n")
        run(arg, listener, None, ack)


main()
