"""annotate: which source line made each syscall of a traced run (trace.ip,
strace -i), in the asm build and in the C build; see syscall_sites."""

import os
import re
import struct
from collections import deque

from .common import BUILD, ROOT, fail, read_lines, run

# --- Syscall numbers, from musl's headers (musl-tools) -------------------------

def syscall_numbers():
    """name -> number, from musl's bits/syscall.h (what the C's sys() takes)."""
    numbers = {}
    for path in ("/usr/include/x86_64-linux-musl/bits/syscall.h",
                 "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"):
        try:
            with open(path) as header:
                for line in header:
                    match = re.match(r"#define __NR_(\w+)\s+(\d+)\s*$", line)
                    if match:
                        numbers.setdefault(match.group(1), int(match.group(2)))
        except OSError:
            continue
        if numbers:
            break
    return numbers


# --- ELF ---------------------------------------------------------------------------

def section_headers(data):
    """An ELF64 file's section headers: (name, type, flags, address, offset,
    size, link, info, align, entry size) each, the name read."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = headers[shstrndx][4]
    return [(string_at(data, names + h[0]),) + h[1:] for h in headers]


def string_at(data, offset):
    """The NUL-ended string at offset."""
    return data[offset:data.index(b"\0", offset)].decode("utf-8", "replace")


def elf_sections(path):
    """name -> (address, file offset, size) of an ELF64 file's sections."""
    with open(path, "rb") as f:
        data = f.read()
    return {h[0]: (h[3], h[4], h[5]) for h in section_headers(data)}


def defined_symbols(path):
    """The symbols an ELF64 file defines, as nm --defined-only lists them
    (no section or file symbols): (name, address, in code) each, in code
    where nm says T or t (a local or global symbol of a code section). Read
    here: nm loads its plugins (LLVM's among them) at each start, 0.13 s,
    three times a program of every page."""
    with open(path, "rb") as f:
        data = f.read()
    headers = section_headers(data)
    symbols = []
    for h in headers:
        if h[1] != 2:	# SHT_SYMTAB
            continue
        strings = headers[h[6]][4]
        for at in range(h[4] + h[9], h[4] + h[5], h[9]):	# entry 0 is the null symbol
            name, info, _, index, value, _ = struct.unpack_from("<IBBHQQ", data, at)
            kind, bind = info & 0xF, info >> 4
            if index == 0 or kind in (3, 4) or not name:	# undefined, section, file
                continue
            in_code = bind in (0, 1) and kind != 10 and index < 0xFF00 and headers[index][2] & 0x4
            symbols.append((string_at(data, strings + name), value, bool(in_code)))
    return symbols


def loaded_bytes(path):
    """What the kernel maps of an ELF64 executable: each PT_LOAD's header and
    bytes, less the ELF header's pointers to the section headers (which -s moves)."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[0x28:0x30] = bytes(8)	# e_shoff
    data[0x3C:0x40] = bytes(4)	# e_shnum, e_shstrndx
    entry, phoff = struct.unpack_from("<QQ", data, 0x18)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segments = [entry]
    for i in range(phnum):
        ptype, flags, offset, vaddr, _, filesz, memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if ptype == 1:
            segments.append((flags, vaddr, filesz, memsz, data[offset:offset + filesz]))
    return segments


# --- Code: instructions and the control flow between them ---------------------------

JUMP = re.compile(r"^(j[a-z]+|loop[a-z]*|call|jrcxz|jecxz)$")


def disassemble(binary):
    """address -> (mnemonic, direct target or None, next address), every code section."""
    code = {}
    previous = None
    for line in run("objdump", "-d", "--no-show-raw-insn", binary).splitlines():
        match = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
        if not match:
            if line.startswith("Disassembly"):
                previous = None
            continue
        address = int(match.group(1), 16)
        words = match.group(2).split()
        while words and words[0] in ("bnd", "notrack", "rep", "repz", "repnz", "lock", "data16", "cs"):
            words = words[1:]
        mnemonic = words[0] if words else "(bad)"
        target = None
        if JUMP.match(mnemonic) and len(words) > 1:
            operand = re.match(r"^(?:0x)?([0-9a-f]+)$", words[1])
            if operand:
                target = int(operand.group(1), 16)
            else:
                mnemonic += "*"		# indirect: not followed
        code[address] = [mnemonic, target, None]
        if previous is not None:
            code[previous][2] = address
        previous = address
    return code


class Program:
    """One build of one program: its code, its syscall sites, its lines."""

    def successors(self, pc, stack):
        """The (pc, stack) states one instruction leads to, less sites."""
        mnemonic, target, following = self.code[pc]
        if mnemonic == "ret":
            return [(stack[-1], stack[:-1])] if stack else []
        if mnemonic == "call":
            if target in self.own_code and len(stack) < 8:
                return [(target, stack + (following,))]
            return [(following, stack)] if target is not None and following else []
        if mnemonic == "jmp":
            return [(target, stack)] if target is not None else []
        if mnemonic.endswith("*") or mnemonic in ("hlt", "ud2", "(bad)"):
            return []
        if target is not None:	# conditional jumps, loop
            return [(target, stack)] + ([(following, stack)] if following else [])
        return [(following, stack)] if following else []

    def sites_reached(self, state):
        """The (site, stack) pairs reachable from a state without passing a site."""
        if state in self.reach_cache:
            return self.reach_cache[state]
        found, seen, queue = [], {state}, deque([state])
        while queue:
            pc, stack = queue.popleft()
            if pc not in self.code:
                continue
            if self.is_site(pc):
                found.append((pc, stack))
                continue
            for successor in self.successors(pc, stack):
                if successor not in seen:
                    seen.add(successor)
                    queue.append(successor)
        self.reach_cache[state] = found
        return found

    def caller_of(self, return_address):
        """The call instruction that pushed a return address."""
        for address, (_, _, following) in self.code.items():
            if following == return_address:
                return address
        return return_address - 1

    def describe(self, site, stack):
        """'func.c:38 print_str <- server_3.c:58': the site, then its callers."""
        frames = [site] + [self.caller_of(r) for r in reversed(stack)]
        parts = []
        for k, address in enumerate(frames):
            where = self.line_name(address)
            if k + 1 < len(frames):
                where += " " + self.function_name(frames[k], frames[k + 1])
            parts.append(where)
        return " <- ".join(parts)


class AsmProgram(Program):
    def __init__(self, name):
        self.name = name
        binary = os.path.join(BUILD, "asm", name)
        fas = binary + ".fas"
        for path in (binary, fas):
            if not os.path.exists(path):
                fail("%s is missing: run 'make compare' (it builds it)" % path)
        self.code = disassemble(binary)
        self.own_code = self.code
        self.reach_cache = {}
        self.lines = read_fas(fas, elf_sections(binary))

    def is_site(self, pc):
        return self.code[pc][0] == "syscall"

    def site_matches(self, site, event):
        return self.code[site][2] == event.ip

    def entry(self):
        with open(os.path.join(BUILD, "asm", self.name), "rb") as f:
            return struct.unpack_from("<Q", f.read(0x20), 0x18)[0]

    def line_of(self, address):
        """(file, line number, text) of the instruction at an address."""
        best = None
        for start in self.lines:
            if start <= address and (best is None or start > best):
                best = start
        return self.lines.get(best, ("?", 0, ""))

    def line_name(self, address):
        path, number, _ = self.line_of(address)
        return "%s:%d" % (os.path.basename(path), number)

    def function_name(self, inner, caller):
        """A helper's name, as the asm's call names it: 'call print_str'."""
        match = re.match(r"\s*call\s+([\w.]+)", self.line_of(caller)[2])
        return match.group(1) if match else "?"


def read_fas(path, sections):
    """address in the linked binary -> (file, line, text) of the line assembled
    there (the last such line: a label shares its address with what follows)."""
    with open(path, "rb") as f:
        data = f.read()
    (signature, _, _, _, input_name, _, strings, _, _, _, source, _, dump, dump_length,
     section_names, section_names_length) = struct.unpack_from("<IBBHIIIIIIIIIIII", data, 0)
    if signature != 0x1A736166:
        fail("%s is not a fasm symbolic information file" % path)

    main_file = string_at(data, strings + input_name)
    names = [string_at(data, strings + struct.unpack_from("<I", data, section_names + 4 * i)[0])
             for i in range(section_names_length // 4)]
    texts = {}
    lines = {}
    for row in range(dump_length // 28):
        _, line_offset, address, _, section = struct.unpack_from("<IIQII", data, dump + 28 * row)
        if section & 0x80000000 or not 1 <= section <= len(names) or names[section - 1] not in sections:
            continue
        file_offset, number = struct.unpack_from("<II", data, source + line_offset)
        while number & 0x80000000:	# made by a macro: the line that invoked it
            line_offset, = struct.unpack_from("<I", data, source + line_offset + 8)
            file_offset, number = struct.unpack_from("<II", data, source + line_offset)
        file = string_at(data, source + file_offset) if file_offset else main_file
        if file not in texts:
            try:
                with open(os.path.join(ROOT, file), encoding="utf-8", errors="replace") as f:
                    texts[file] = f.read().splitlines()
            except OSError:
                texts[file] = []
        text = texts[file][number - 1] if number <= len(texts[file]) else ""
        linked = sections[names[section - 1]][0] + address
        if text.split(";")[0].strip():	# an instruction or a label, not a blank line
            lines[linked] = (file, number, text)
    return lines


class CProgram(Program):
    def __init__(self, name, numbers):
        self.name = name
        binary = os.path.join(BUILD, "c", name)
        twin = os.path.join(BUILD, "c-g", name)
        for path in (binary, twin):
            if not os.path.exists(path):
                fail("%s is missing: run 'make compare' (it builds it)" % path)
        if loaded_bytes(binary) != loaded_bytes(twin):
            fail("%s and its -g twin %s load different bytes: its lines would be wrong. "
                 "Rebuild both: make clean compare" % (binary, twin))
        self.numbers = numbers
        self.code = disassemble(binary)
        self.reach_cache = {}
        symbols = {symbol: address for symbol, address, _ in defined_symbols(twin)}
        self.main = symbols.get("main")
        own = set()
        for obj in (os.path.join(BUILD, "c-g", name + ".o"), os.path.join(BUILD, "c-g", "func.o")):
            for symbol, _, in_code in defined_symbols(obj):
                if in_code and symbol in symbols:
                    own.add(symbols[symbol])
        ends = sorted(set(symbols.values()) | {max(self.code) + 1})
        self.own_code = {}
        for start in own:
            end = min(e for e in ends if e > start)
            for address in self.code:
                if start <= address < end:
                    self.own_code[address] = start
        self.site_targets = {symbols[s] for s in ("sys", "syscall") if s in symbols}
        calls = [a for a in self.own_code if self.code[a][0] in ("call", "jmp")]
        self.where = {}
        output = run("addr2line", "-a", "-f", "-e", twin, *["%x" % a for a in calls]).splitlines()
        for k in range(0, len(output) - 2, 3):
            path, _, number = output[k + 2].rpartition(":")
            number = re.match(r"\d+", number)
            self.where[int(output[k], 16)] = (output[k + 1], path, int(number.group()) if number else 0)
        self.site_number = {}
        texts = {}
        for address in calls:
            if self.code[address][1] in self.site_targets and address in self.where:
                _, path, number = self.where[address]
                if path not in texts:
                    try:
                        with open(path, encoding="utf-8") as f:
                            texts[path] = f.read().splitlines()
                    except OSError:
                        texts[path] = []
                for k in range(number - 1, max(number - 4, -1), -1):
                    match = re.search(r"\bsys\(\s*(\d+)", texts[path][k] if k < len(texts[path]) else "")
                    if match:
                        self.site_number[address] = int(match.group(1))
                        break

    def is_site(self, pc):
        return pc in self.own_code and self.code[pc][0] in ("call", "jmp") and \
            self.code[pc][1] in self.site_targets

    def site_matches(self, site, event):
        return self.site_number.get(site) == self.numbers.get(event.name)

    def entry(self):
        return self.main

    def line_name(self, address):
        _, path, number = self.where.get(address, ("?", "?", 0))
        return "%s:%d" % (os.path.basename(path), number)

    def function_name(self, inner, caller):
        return self.where.get(inner, ("?",))[0]


# --- Traces ---------------------------------------------------------------------------

class Event:
    def __init__(self, index, name, ip, interrupted):
        self.index, self.name, self.ip, self.interrupted = index, name, ip, interrupted


LINE = re.compile(r"^\[([0-9a-f]{16}|\?{16})\] (.*)$")


def processes(lines):
    """The joined trace's runs: [(program, [process])], a process being
    (list of Events, [indices of its successful forks])."""
    runs = []
    for index, line in enumerate(lines):
        if line.startswith("== "):
            runs.append((line[3:].strip(), []))
        elif line.startswith("-- process") and runs:
            runs[-1][1].append(([], []))
        elif runs and runs[-1][1]:
            match = LINE.match(line)
            if not match:
                continue
            call = re.match(r"^([a-z_0-9]+)\(.*\)\s*=\s*(.*)$", match.group(2))
            if not call:
                continue
            ip = int(match.group(1), 16) if "?" not in match.group(1) else None
            events, forks = runs[-1][1][-1]
            events.append(Event(index, call.group(1), ip, call.group(2).startswith("? ERESTART")))
            if call.group(1) == "fork" and re.match(r"^\d+$", call.group(2).strip()) and int(call.group(2)) > 0:
                forks.append(len(events) - 1)
    return runs


def after(program, site, stack):
    """Where a site's code goes once its syscall returns."""
    mnemonic, _, following = program.code[site]
    if mnemonic == "jmp":	# a tail call into sys(): it returns to our caller
        return (stack[-1], stack[:-1]) if stack else None
    return (following, stack)


def infer(program, events, start):
    """For each event, the (site, stack) hypotheses that explain the whole
    sequence: the control flow walked from start, one syscall to the next."""
    forward = []
    links = []
    previous = None
    for k, event in enumerate(events):
        candidates = {}
        if previous is None:
            sources = [(None, start)]
        elif events[k - 1].interrupted:	# the same syscall, restarted
            sources = [(h, None) for h in previous]
        else:
            sources = [(h, after(program, *h)) for h in previous]
        for h, state in sources:
            reached = [h] if state is None else (program.sites_reached(state) if state else [])
            for site in reached:
                if program.site_matches(site[0], event):
                    candidates.setdefault(site, set()).add(h)
        if not candidates:	# the walk is lost: the asm's pointer still names the site
            candidates = {(a, ()): set() for a in program.code
                          if program.is_site(a) and program.site_matches(a, event)}
        forward.append(set(candidates))
        links.append(candidates)
        previous = candidates
    kept = [set() for _ in events]
    if events:
        kept[-1] = forward[-1]
        for k in range(len(events) - 1, 0, -1):
            for h in kept[k]:
                kept[k - 1] |= links[k][h] - {None}
            if not kept[k - 1]:
                kept[k - 1] = forward[k - 1]
    return kept


ANNOTATED = {}


def annotate(language, path):
    """The notes of a trace.ip file, a line each (worked out once a file)."""
    if (language, path) not in ANNOTATED:
        ANNOTATED[language, path] = annotate_trace(language, path)
    return ANNOTATED[language, path]


def annotate_trace(language, path):
    if not os.path.exists(path):
        fail("%s is missing: the run was not traced (TRACE=1)" % path)
    lines = read_lines(path)
    numbers = syscall_numbers()
    notes = [""] * len(lines)
    built = {}
    for name, procs in processes(lines):
        if name not in built:
            built[name] = AsmProgram(name) if language == "asm" else CProgram(name, numbers)
        program = built[name]
        starts = deque([(program.entry(), ())])
        for events, forks in procs:
            start = starts.popleft() if starts else None
            kept = infer(program, events, start) if start else [set() for _ in events]
            children = []
            for k in forks:	# a child starts where its fork returned
                states = {after(program, *h) for h in kept[k]}
                children.append(states.pop() if len(states) == 1 else None)
            starts.extendleft(reversed(children))
            for event, hypotheses in zip(events, kept):
                texts = sorted({program.describe(*h) for h in hypotheses})
                notes[event.index] = " or ".join(texts[:2]) + (" or ..." if len(texts) > 2 else "") \
                    if texts else "?"
    return notes


def is_syscall(line):
    return re.match(r"^[a-z_0-9]+\(", line) is not None
