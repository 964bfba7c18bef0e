#!/usr/bin/python3
"""peer.py: the TCP peers of a fuzzer's scenario, driven by commands on stdin.

Usage: peer.py OUT_DIR ACK_FILE

Commands, one a line; each, once done, appends a line to ACK_FILE:
  connect N PORT SOURCE_PORT   client N connects to 127.0.0.1:PORT
  send N HEX                   it sends these bytes
  shut N | close N | rst N     it half-closes (FIN, still reading), closes
                               (FIN), or resets (SO_LINGER 0, then close: RST)
  listen PORT MODE             a server on 127.0.0.1:PORT, in place of any
                               earlier one: accept (reads all), noread (never
                               reads), close or rst (each connection at once)
What client N receives goes to OUT_DIR/clientN.out, what the server's
connections receive to OUT_DIR/listener.out. On EOF on stdin every peer
reads what is left until its far end closes (at most 2 s), then all exit.
"""
import os
import select
import socket
import struct
import sys

LINGER_0 = struct.pack("ii", 1, 0)


class Peers:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.clients = {}	# N -> socket, None once closed
        self.reading = {}	# socket -> output file
        self.listener = None
        self.mode = None

    def output(self, name):
        return open(os.path.join(self.out_dir, name + ".out"), "ab", buffering=0)

    def receive(self, sock):
        """Reads what is there; stops reading once the far end is done."""
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if data:
            self.reading[sock].write(data)
        else:
            del self.reading[sock]

    def end(self, sock, how):
        self.reading.pop(sock, None)
        if how == "rst":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_0)
        sock.close()

    def accept(self):
        conn, _ = self.listener.accept()
        if self.mode in ("close", "rst"):
            self.end(conn, self.mode)
        elif self.mode == "accept":
            self.reading[conn] = self.output("listener")
        else:
            self.held = conn	# noread: held open, never read

    def connect(self, n, port, source_port):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", int(source_port)))
        self.output("client" + n).close()
        try:
            sock.connect(("127.0.0.1", int(port)))
        except OSError as e:
            print(f"client {n}: connect: {e}", file=sys.stderr)
            sock.close()
            sock = None
        self.clients[n] = sock
        if sock:
            self.reading[sock] = self.output("client" + n)

    def listen(self, port, mode):
        if self.listener:
            self.listener.close()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", int(port)))
        self.listener.listen(10)
        self.mode = mode
        self.output("listener").close()

    def command(self, words):
        verb, args = words[0], words[1:]
        if verb == "connect":
            return self.connect(*args)
        if verb == "listen":
            return self.listen(*args)
        sock = self.clients.get(args[0])
        if sock is None:
            return
        if verb == "send":
            sock.sendall(bytes.fromhex(args[1] if len(args) > 1 else ""))
        elif verb == "shut":
            sock.shutdown(socket.SHUT_WR)
        elif verb in ("close", "rst"):
            self.end(sock, verb)
            self.clients[args[0]] = None

    def serve(self, ack):
        pending = b""
        while True:
            watched = [0, *self.reading, *([self.listener] if self.listener else [])]
            ready, _, _ = select.select(watched, [], [])
            if self.listener in ready:
                self.accept()
            for sock in [s for s in ready if s in self.reading]:
                self.receive(sock)
            if 0 in ready:
                chunk = os.read(0, 65536)
                if not chunk:
                    break
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    try:
                        self.command(line.decode().split())
                    except OSError as e:
                        print(f"{line.decode()}: {e}", file=sys.stderr)
                    with open(ack, "a") as f:
                        f.write("done\n")
        for sock in list(self.reading):
            sock.settimeout(2)
            while sock in self.reading:
                self.receive(sock)


Peers(sys.argv[1]).serve(sys.argv[2])
