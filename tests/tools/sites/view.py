"""view: the two builds side by side (traces with the line that made each
syscall, or the two sources), and where a run's file first differs."""

import difflib
import os
import re

from .align import align, asm_units, c_units
from .annotate import annotate, is_syscall, syscall_numbers
from .common import fail, read_lines

def fit(text, width):
    if len(text) > width:
        text = text[:width - 1] + "›"
    return text + " " * (width - len(text))


def trace_difference(asm_dir, c_dir):
    """(line index, sentence) of the traces' first difference, or None."""
    asm, c = read_lines(os.path.join(asm_dir, "trace")), read_lines(os.path.join(c_dir, "trace"))
    k = 0
    while k < len(asm) and k < len(c) and asm[k] == c[k]:
        k += 1
    if k == len(asm) and k == len(c):
        return None
    notes = {"asm": annotate("asm", os.path.join(asm_dir, "trace.ip")),
             "c": annotate("c", os.path.join(c_dir, "trace.ip"))}
    number = sum(1 for line in asm[:k] if is_syscall(line)) + 1

    def side(language, lines):
        if k >= len(lines):
            return "%s: (trace ends)" % language
        note = notes[language.lower()][k] if k < len(notes[language.lower()]) else ""
        return "%s: %s%s" % (language, lines[k], " at " + note if note else "")

    if any(k < len(lines) and is_syscall(lines[k]) for lines in (asm, c)):
        where = "syscall %d (trace line %d)" % (number, k + 1)
    else:	# a signal, an exit, a process's start
        where = "trace line %d (after syscall %d)" % (k + 1, number - 1)
    return k, "%s: %s; %s" % (where, side("asm", asm), side("C", c))


def byte_difference(asm_path, c_path, peers=False):
    try:
        with open(asm_path, "rb") as f:
            a = f.read()
        with open(c_path, "rb") as f:
            b = f.read()
    except OSError as error:
        fail("cannot compare: %s" % error)
    if a == b:
        return None
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1

    def byte(data):
        if k >= len(data):
            return "end of file"
        return "0x%02x %s" % (data[k], repr(chr(data[k])) if 32 <= data[k] < 127 else "")

    peer = ""	# wire: which peer's bytes ("== NAME" heads each peer's part)
    for match in re.finditer(rb"(?:^|\n)== ([^\n]*)\n", a[:k + 1] if peers else b""):
        if match.end() <= k:
            peer = " (peer %s, its byte %d)" % (match.group(1).decode(errors="replace"), k - match.end())
    return "offset %d%s: asm %s, C %s" % (k, peer, byte(a).strip(), byte(b).strip())


def first_difference(asm_dir, c_dir, what):
    if what == "trace":
        found = trace_difference(asm_dir, c_dir)
        return found[1] if found else None
    return byte_difference(os.path.join(asm_dir, what), os.path.join(c_dir, what), what == "wire")


def view(asm_dir, c_dir, width, colour):
    dim, red, bold, off = ("\033[2m", "\033[31m", "\033[1m", "\033[0m") if colour else ("",) * 4
    side = (width - 3) // 2
    asm, c = read_lines(os.path.join(asm_dir, "trace")), read_lines(os.path.join(c_dir, "trace"))
    notes_asm = annotate("asm", os.path.join(asm_dir, "trace.ip"))
    notes_c = annotate("c", os.path.join(c_dir, "trace.ip"))
    marked = False
    differs = False

    def note_row(i, j):
        left = "    at " + notes_asm[i] if i is not None and i < len(notes_asm) and notes_asm[i] else ""
        right = "    at " + notes_c[j] if j is not None and j < len(notes_c) and notes_c[j] else ""
        if left or right:
            print("%s%s   %s%s" % (dim, fit(left, side), right, off))

    matcher = difflib.SequenceMatcher(None, asm, c, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i = i1 + k if i1 + k < i2 else None
            j = j1 + k if j1 + k < j2 else None
            left = asm[i] if i is not None else ""
            right = c[j] if j is not None else ""
            mark = " " if tag == "equal" else "|" if i is not None and j is not None else "<" if i is not None else ">"
            if tag == "equal":
                print("%s %s %s" % (fit(left, side), mark, right))
            else:
                differs = True
                print("%s%s %s %s%s" % (red, fit(left, side), mark, right, off))
            note_row(i, j)
            if tag != "equal" and not marked:
                marked = True
                found = trace_difference(asm_dir, c_dir)
                print("%s%s>>> the first difference: %s%s" % (bold, red, found[1] if found else "", off))
    return 1 if differs else 0


def sources(asm_path, c_path, width, colour):
    dim, cyan, off = ("\033[2m", "\033[36m", "\033[0m") if colour else ("",) * 3
    numbers = syscall_numbers()
    names = {number: name for name, number in numbers.items()}
    with open(asm_path, encoding="utf-8", errors="replace") as f:
        asm = asm_units(f.read().expandtabs(8).splitlines(), names)
    with open(c_path, encoding="utf-8", errors="replace") as f:
        c = c_units(f.read().expandtabs(8).splitlines())
    side = (width - 3) // 2

    def cell(unit, k):
        if unit is None or k >= len(unit.lines):
            return " " * side
        text, note = unit.lines[k], unit.notes[k] if k < len(unit.notes) else ""
        colour_on = cyan if unit.anchor else ""
        if note:	# right after the line, or as far right as it fits
            text = text.rstrip()
            text = fit(text, min(len(text), max(side - len(note) - 3, 1)))
            return "%s%s   %s%s%s%s" % (colour_on, text, dim, note, off,
                                       " " * max(side - len(text) - 3 - len(note), 0))
        return "%s%s%s" % (colour_on, fit(text, side), off if colour_on else "")

    def print_pair(a, c_unit):
        rows = max(len(a.lines) if a else 0, len(c_unit.lines) if c_unit else 0)
        for k in range(rows):
            print("%s %s│%s %s" % (cell(a, k), dim, off, cell(c_unit, k)))

    # Unmatched units between two matches share rows, asm beside C.
    left, right = [], []

    def print_unmatched():
        a_lines = [(u, k) for u in left for k in range(len(u.lines))]
        c_lines = [(u, k) for u in right for k in range(len(u.lines))]
        for k in range(max(len(a_lines), len(c_lines))):
            a_cell = cell(*a_lines[k]) if k < len(a_lines) else " " * side
            c_cell = cell(*c_lines[k]) if k < len(c_lines) else " " * side
            print("%s %s│%s %s" % (a_cell, dim, off, c_cell))
        left.clear()
        right.clear()

    for a, c_unit in align(asm, c):
        if a is not None and c_unit is not None:
            print_unmatched()
            print_pair(a, c_unit)
        elif a is not None:
            left.append(a)
        else:
            right.append(c_unit)
    print_unmatched()
    return 0
