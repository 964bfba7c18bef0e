"""page: the comparison as one HTML page (make report), the terminal views'
content for a browser. For each program: its row of the table, the two
sources side by side (each C statement and the asm lines it translates in
one colour, each linked to the other), the two traces (each syscall linked
to the asm and C lines that made it), stdout, and the wire in hex and text.
The first differences head the page, linked to where they are.

Self-contained: its style and script are in it, and it names nothing
outside itself, so it reads the same from file:// and from any web server.
Stable anchors: #PROGRAM, #PROGRAM-asm-LINE, #PROGRAM-c-LINE (func's lines:
#func-asm-LINE, #func-c-LINE), #PROGRAM-trace-ROW, #PROGRAM-stdout,
#PROGRAM-wire."""

import difflib
import html
import os
import re

from .align import align, asm_units, c_units
from .annotate import annotate, syscall_numbers
from .common import BUILD, ROOT, read_lines
from .view import byte_difference, trace_difference

COLOURS = 8	# hues a side-by-side pair may take, in turn

STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --dim: #6e7781;
  --rule: #d0d7de; --same: #1a7f37; --differs: #cf222e; --hl: #ffd33d; --hl-edge: #9a6700;
  --p0: #ddf4ff; --p1: #dafbe1; --p2: #fff1e5; --p3: #fbefff; --p4: #ffebe9;
  --p5: #eef0ff; --p6: #e0f2f1; --p7: #eaeef2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --dim: #8d96a0; --rule: #30363d;
    --same: #3fb950; --differs: #f85149; --hl: #6e5600; --hl-edge: #e3b341;
    --p0: #0c2d4a; --p1: #0f3320; --p2: #3d2410; --p3: #2e1a3f; --p4: #42181a;
    --p5: #1f2447; --p6: #0f3030; --p7: #262c33; }
}
body { margin: 0 auto; max-width: 1400px; padding: 0 1rem 4rem; color: var(--fg);
  background: var(--bg); font: 15px/1.45 system-ui, sans-serif; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.2rem; margin-top: 3rem;
  border-bottom: 1px solid var(--rule); } h3 { font-size: 1rem; }
a { color: inherit; } a:focus-visible, tr:focus-visible { outline: 2px solid var(--differs); }
code, pre, .src, .trace { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top;
  padding: 0 .6rem 0 0; }
.same { color: var(--same); } .differs, .failed { color: var(--differs); font-weight: bold; }
.firsts li { margin: .3rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
.scroll { overflow-x: auto; }
.src td, .trace td { white-space: pre; }
.src .n, .trace .n { color: var(--dim); text-align: right; user-select: none; }
.src .n a { text-decoration: none; }
.src .note, .trace .note { color: var(--dim); }
.src .gap td { height: .3rem; }
""" + "".join(".p%d { background: var(--p%d); }\n" % (k, k) for k in range(COLOURS)) + """
.hl, .hl td, :target, :target td { background: var(--hl) !important; }
td.hl, tr.hl, tr:target { outline: 2px solid var(--hl-edge); outline-offset: -1px; }
.trace tr[data-lines] { cursor: pointer; }
.trace tr.differs td { color: var(--differs); }
.trace .sc { font-weight: bold; } .trace .errno { color: var(--differs); }
.bytes { margin: 0; }
@media (max-width: 800px) {
  .pair { grid-template-columns: 1fr; }
  body { padding: 0 .5rem 3rem; }
}
"""

SCRIPT = """
function select(row) {
  document.querySelectorAll('.hl').forEach(function (e) { e.classList.remove('hl'); });
  row.classList.add('hl');
  row.dataset.lines.split(' ').forEach(function (id) {
    var line = document.getElementById(id);
    if (line) line.classList.add('hl');
  });
}
document.addEventListener('click', function (event) {
  if (event.target.closest('a')) return;
  var row = event.target.closest('tr[data-lines]');
  if (row) select(row);
});
document.addEventListener('keydown', function (event) {
  var row = event.target.closest && event.target.closest('tr[data-lines]');
  if (row && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); select(row); }
});
"""

SITE = re.compile(r"([\w.-]+)\.(asm|c):(\d+)")


def esc(text):
    return html.escape(text, quote=True)


class Page:
    def __init__(self, title):
        self.title, self.parts, self.firsts, self.rows = title, [], [], []

    def add(self, text):
        self.parts.append(text)

    def write(self, path):
        table = ["<table class=summary><tr><th>program<th>stdout<th>wire<th>trace"]
        for program, verdicts in self.rows:
            table.append("<tr><td><a href='#%s'>%s</a>" % (program, program) + "".join(
                "<td class=%s>%s" % (v, v) for v in verdicts))
        table.append("</table>")
        firsts = ("<ul class=firsts>" + "".join("<li>%s" % f for f in self.firsts) + "</ul>"
                  if self.firsts else "<p class=same id=all-same>Every program: the same stdout, "
                  "wire bytes and syscalls from both builds.</p>")
        text = ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
                "<meta name=viewport content='width=device-width, initial-scale=1'>\n"
                "<title>%s</title>\n<style>%s</style></head><body>\n"
                "<h1>%s</h1>\n<section id=first-differences><h2>First differences</h2>%s</section>\n"
                "<section id=table><h2>The table</h2>%s</section>\n%s\n"
                "<script>%s</script></body></html>\n"
                % (esc(self.title), STYLE, esc(self.title), firsts, "\n".join(table),
                   "\n".join(self.parts), SCRIPT))
        with open(path + ".part", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".part", path)


# --- The sources side by side ------------------------------------------------------

def numbered(units):
    """Each unit's first line number (1-based), in order: units cover the
    file's lines in order."""
    first, number = {}, 1
    for unit in units:
        first[id(unit)] = number
        number += len(unit.lines)
    return first


def source_cells(unit, first, anchor, colour, partner):
    """A unit's lines as (number cell, code cell) pairs."""
    cells = []
    for k, line in enumerate(unit.lines):
        number = first[id(unit)] + k
        link = "<a href='#%s'>%d</a>" % (partner, number) if partner and k == 0 else str(number)
        note = " <span class=note>%s</span>" % esc(unit.notes[k]) if unit.notes[k] else ""
        cells.append(("<td class=n>%s" % link,
                      "<td id='%s-%d'%s>%s%s" % (anchor, number, " class=p%d" % colour
                                                  if colour is not None else "", esc(line), note)))
    return cells


def sources_part(name, asm_path, c_path, labels):
    names = {number: n for n, number in syscall_numbers().items()}
    with open(asm_path, encoding="utf-8", errors="replace") as f:
        asm = asm_units(f.read().expandtabs(8).splitlines(), names)
    with open(c_path, encoding="utf-8", errors="replace") as f:
        c = c_units(f.read().expandtabs(8).splitlines())
    first_asm, first_c = numbered(asm), numbered(c)
    rows, colour = [], 0
    for a, c_unit in align(asm, c):
        paired = a is not None and c_unit is not None and a.kind == "key"
        tint = colour % COLOURS if paired else None
        colour += paired
        left = source_cells(a, first_asm, name + "-asm", tint,
                            paired and "%s-c-%d" % (name, first_c[id(c_unit)])) if a else []
        right = source_cells(c_unit, first_c, name + "-c", tint,
                             paired and "%s-asm-%d" % (name, first_asm[id(a)])) if c_unit else []
        for k in range(max(len(left), len(right))):
            l_cells = left[k] if k < len(left) else ("<td>", "<td>")
            r_cells = right[k] if k < len(right) else ("<td>", "<td>")
            rows.append("<tr>%s%s%s%s" % (l_cells + r_cells))
    return ("<h3 id='%s-sources'>The sources: %s beside %s</h3>\n<div class=scroll>"
            "<table class=src><tr><th><th>%s<th><th>%s\n%s</table></div>"
            % (name, esc(labels[0]), esc(labels[1]), esc(labels[0]), esc(labels[1]),
               "\n".join(rows)))


# --- The traces ---------------------------------------------------------------------

def site_ids(program, note):
    """The anchors of the lines a note names ('func.asm:46 print_str <-
    server_3.asm:59'): func's lines are func's, the rest the program's."""
    return ["%s-%s-%s" % ("func" if name == "func" else program, language, number)
            for name, language, number in SITE.findall(note)]


def linked_note(program, note):
    def link(match):
        name, language, number = match.groups()
        return "<a href='#%s-%s-%s'>%s</a>" % ("func" if name == "func" else program,
                                               language, number, esc(match.group(0)))
    return SITE.sub(link, esc(note))


def trace_line(line):
    """A trace line with its syscall's name and its errno marked."""
    text = esc(line)
    text = re.sub(r"^([a-z_0-9]+)\(", r"<span class=sc>\1</span>(", text)
    return re.sub(r"= -1 ([A-Z0-9]+)", r"= -1 <span class=errno>\1</span>", text)


def traces_part(program, asm_dir, c_dir):
    asm, c = read_lines(os.path.join(asm_dir, "trace")), read_lines(os.path.join(c_dir, "trace"))
    notes = {"asm": annotate("asm", os.path.join(asm_dir, "trace.ip")),
             "c": annotate("c", os.path.join(c_dir, "trace.ip"))}
    found = trace_difference(asm_dir, c_dir)
    rows, row = [], 0

    def cell(side, lines, i):
        if i is None:
            return "<td class=n><td>", []
        note = notes[side][i] if i < len(notes[side]) else ""
        text = trace_line(lines[i]) + ("\n  <span class=note>at %s</span>" % linked_note(program, note)
                                       if note else "")
        return "<td class=n>%d<td>%s" % (i + 1, text), site_ids(program, note)

    matcher = difflib.SequenceMatcher(None, asm, c, autojunk=False)
    first_row = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i = i1 + k if i1 + k < i2 else None
            j = j1 + k if j1 + k < j2 else None
            row += 1
            left, left_ids = cell("asm", asm, i)
            right, right_ids = cell("c", c, j)
            ids = left_ids + right_ids
            if tag != "equal" and first_row is None:
                first_row = row
            rows.append("<tr id='%s-trace-%d'%s%s>%s%s" % (
                program, row, " class=differs" if tag != "equal" else "",
                " tabindex=0 data-lines='%s'" % " ".join(ids) if ids else "", left, right))
    return first_row, found[1] if found else None, (
        "<h3>The syscalls of the lecture scenario</h3>\n<p class=note>Each syscall with the asm "
        "and C lines that made it; select one to mark them.</p>\n<div class=scroll>"
        "<table class=trace><tr><th><th>asm<th><th>C\n%s</table></div>" % "\n".join(rows))


# --- Bytes ------------------------------------------------------------------------------

def visible(data):
    return "".join(chr(b) if 32 <= b < 127 else "\\n\n" if b == 10 else "^%s" % chr(b ^ 64)
                   if b < 32 or b == 127 else "\\x%02x" % b for b in data)


def hex_dump(data):
    """The wire: each peer's part ('== NAME' heads it), 16 bytes a line."""
    parts = re.split(rb"(?:^|\n)== ([^\n]*)\n", data)
    out = []
    for k in range(1, len(parts), 2):
        out.append("== %s" % parts[k].decode(errors="replace"))
        body = parts[k + 1]
        for at in range(0, len(body), 16):
            chunk = body[at:at + 16]
            out.append("%06x  %-48s %s" % (at, " ".join("%02x" % b for b in chunk),
                                           "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)))
        if not body:
            out.append("(nothing)")
    return "\n".join(out) or "(no peer)"


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def bytes_part(program, what, asm_dir, c_dir, render):
    asm, c = read_bytes(os.path.join(asm_dir, what)), read_bytes(os.path.join(c_dir, what))
    title = {"stdout": "stdout", "wire": "The bytes on the wire, each peer's"}[what]
    if asm == c:
        body = "<pre class=bytes>%s</pre>" % esc(render(asm))
        return None, "<h3 id='%s-%s'>%s <span class=same>(the same from both builds)</span></h3>%s" % (
            program, what, title, body)
    found = byte_difference(os.path.join(asm_dir, what), os.path.join(c_dir, what), what == "wire")
    return found, ("<h3 id='%s-%s'>%s <span class=differs>differs</span></h3><p class=differs>first "
                   "differs at %s</p><div class=pair><div class=scroll><h4>asm</h4><pre class=bytes>%s"
                   "</pre></div><div class=scroll><h4>C</h4><pre class=bytes>%s</pre></div></div>"
                   % (program, what, title, esc(found), esc(render(asm)), esc(render(c))))


# --- The page -------------------------------------------------------------------------

def program_part(page, program, asm_dir, c_dir, asm_source, c_source):
    status = 0
    labels = [os.path.relpath(p, ROOT) if p.startswith(ROOT + "/") else p
              for p in (asm_source, c_source)]
    # a build that is not there (a hand-in that did not build), a failed run
    unbuilt = [b for b in ("asm", "c") if not os.path.exists(os.path.join(BUILD, b, program))]
    missing = [b for b, d in (("asm", asm_dir), ("c", c_dir))
               if not os.path.exists(os.path.join(d, "trace.ip"))]
    if unbuilt or missing:
        page.rows.append((program, ["failed"] * 3))
        page.firsts.append("<a href='#%s' class=differs>%s: the scenario did not run</a> for %s" % (
            program, program, " and ".join("the %s build (%s)" % (
                b, "not built" if b in unbuilt else "its run failed") for b in unbuilt or missing)))
        page.add("<section id='%s'><h2>%s <small class=differs>did not run</small></h2>\n%s</section>"
                 % (program, program, sources_part(program, asm_source, c_source, labels)
                    if all(map(os.path.isfile, (asm_source, c_source))) else ""))
        return 1
    first_row, trace_found, traces = traces_part(program, asm_dir, c_dir)
    stdout_found, stdout = bytes_part(program, "stdout", asm_dir, c_dir, visible)
    wire_found, wire = bytes_part(program, "wire", asm_dir, c_dir, hex_dump)
    verdicts = ["differs" if f else "same" for f in (stdout_found, wire_found, trace_found)]
    page.rows.append((program, verdicts))
    for what, found, target in (("stdout", stdout_found, "%s-stdout" % program),
                                ("wire", wire_found, "%s-wire" % program),
                                ("trace", trace_found, "%s-trace-%s" % (program, first_row))):
        if found:
            status = 1
            page.firsts.append("<a href='#%s' class=differs>%s: %s first differs</a> at %s"
                               % (target, program, what, esc(found)))
    page.add("<section id='%s'><h2>%s <small>%s</small></h2>\n%s\n%s\n%s\n%s</section>" % (
        program, program, " · ".join("%s: <span class=%s>%s</span>" % (w, v, v)
                                     for w, v in zip(("stdout", "wire", "trace"), verdicts)),
        sources_part(program, asm_source, c_source, labels), traces, stdout, wire))
    return status


def page(runs, out, programs, student_asm="", student_c=""):
    """Writes the page of these programs' runs (RUNS/PROGRAM/asm and /c, as
    tests/tools/compare keeps them) to OUT; 1 when a build differs."""
    def source_of(language, program):
        student = student_asm if language == "asm" else student_c
        if student and os.path.isfile(os.path.join(student, program + "." + language)):
            return os.path.join(student, program + "." + language)
        return os.path.join(ROOT, language, program + "." + language)

    the_page = Page("Lecture 13: the asm and the C side by side")
    status = 0
    for program in programs:
        status |= program_part(the_page, program, os.path.join(runs, program, "asm"),
                               os.path.join(runs, program, "c"), source_of("asm", program),
                               source_of("c", program))
    the_page.add("<section id=func><h2>func</h2>\n%s</section>" % sources_part(
        "func", os.path.join(ROOT, "func", "func.asm"), os.path.join(ROOT, "func", "func.c"),
        ["func/func.asm", "func/func.c"]))
    the_page.write(out)
    return status
