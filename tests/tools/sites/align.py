"""align: the asm and the C source as units (instruction groups,
statements, labels, comments), and the alignment that puts each C statement
beside the asm lines it translates."""

import re

# --- The sources side by side, statement by statement ---------------------------------
# Each source becomes a list of units: an asm instruction group (the
# instructions that set up a syscall, a call or a conditional jump, with it)
# or a C statement (however many lines it takes), a label, a comment, a blank
# line. A unit's keys are what both languages share: syscall numbers, call
# and jump targets, labels, sections, data names; comments and plain
# statements match only their own kind. An alignment that keeps both orders
# and matches the most (a longest common subsequence, weighted) puts each C
# statement beside the asm lines it translates.

SETUP = {  # what an instruction group's last instruction reads
    "sys": re.compile(r"^\s*(mov|xor|lea)\s+(rax|rdi|rsi|rdx|r10|r8|r9|eax|edi|esi|edx)\s*,", re.I),
    "call": re.compile(r"^\s*(mov|xor|lea)\s+(rax|rsi|rdi|eax|esi|edi)\s*,", re.I),
    "goto": re.compile(r"^\s*(cmp|test)\b", re.I),
}
ASM_DATA = re.compile(r"^\s*\.?(\w+)\s+(db|dw|dd|dq|rb|rw|rd|rq|du)\b", re.I)
C_DATA = re.compile(r"^\s*(?:static\s+)?(?:(?:const|unsigned|signed|char|short|int|long|"
                    r"struct\s+\w+)\s+)+\**(\w+)\s*(?:\[|;|=|__attribute__|LAST_PAGE)")


def name_of(label):
    """A label or a helper as both languages spell it: '.lab' and 'lab',
    'exit' and 'exit0' (README: call exit becomes exit0())."""
    return re.sub(r"0$", "", label.lstrip("."))


class Unit:
    def __init__(self, kind, keys, lines, anchor=False):
        self.kind, self.keys, self.lines, self.anchor = kind, set(keys), lines, anchor
        self.notes = [""] * len(lines)


def asm_units(text, names):
    units, pending = [], []
    rax = None
    strucs = set()

    def flush():
        for line in pending:
            units.append(Unit("plain", [], [line]))
        pending.clear()

    for line in text:
        code = line.split(";")[0].strip()
        words = code.replace(",", " ").split()
        if not code:
            flush()
            units.append(Unit("comment" if line.strip() else "blank", [], [line]))
            continue
        match = re.match(r"^section\s+('[^']*')", code)
        if match:
            flush()
            units.append(Unit("key", ["section:" + match.group(1)], [line], anchor=True))
            continue
        match = re.match(r"^([.\w]+):$", code)
        if match:
            flush()
            units.append(Unit("key", ["label:" + name_of(match.group(1))], [line], anchor=True))
            continue
        keys = []
        match = ASM_DATA.match(code)
        mnemonic = words[0].lower()
        if match:
            keys = ["data:" + match.group(1)]
        elif mnemonic == "include":
            keys = ["include"]
        elif mnemonic == "struc":
            keys = ["struct:" + words[1]]
            strucs.add(words[1])
        elif len(words) == 2 and words[1] in strucs:	# an instance: addrstr sockaddr_in
            keys = ["data:" + words[0]]
        elif re.match(r"^\w+\s*=", code):
            keys = ["define:" + words[0]]
        if keys:
            flush()
            units.append(Unit("key", keys, [line]))
            continue
        if mnemonic == "mov" and len(words) == 3 and words[1].lower() == "rax":
            rax = int(words[2], 0) if re.match(r"^(0x[0-9a-f]+|\d+)$", words[2], re.I) else None
        if mnemonic in ("push", "pop"):	# a helper's saves: C has none
            flush()
            units.append(Unit("save", [], [line]))
            continue
        if mnemonic == "ret":
            flush()
            units.append(Unit("key", ["return"], [line]))
            continue
        kind = None
        if mnemonic == "syscall":
            kind, keys = "sys", ["sys:%s" % rax]
        elif mnemonic == "call" and len(words) > 1:
            kind, keys = "call", ["call:" + name_of(words[1])]
        elif (mnemonic.startswith("j") or mnemonic.startswith("loop")) and len(words) > 1:
            kind, keys = "goto", ["goto:" + name_of(words[1])]
            if mnemonic != "jmp":
                keys.append("branch")	# a test: an if, a while, a for
        if not kind:
            pending.append(line)
            continue
        setup = []
        while pending and kind in SETUP and SETUP[kind].match(pending[-1]) and \
                not (kind == "goto" and setup):
            setup.insert(0, pending.pop())
        flush()
        unit = Unit("key", keys, setup + [line])
        if kind == "sys" and rax is not None and rax in names:
            unit.notes[-1] = "%d %s" % (rax, names[rax])
        units.append(unit)
    flush()
    return units


def c_units(text):
    units, statement, depth, in_comment = [], [], 0, False
    for line in text:
        statement.append(line)
        stripped = line.strip()
        if in_comment or (stripped.startswith("/*") and "*/" not in stripped):
            in_comment = "*/" not in stripped
            if in_comment:
                continue
        code = re.sub(r"/\*.*?\*/", "", " ".join(statement)).strip()
        depth = code.count("(") - code.count(")")
        if code and depth > 0:
            continue
        if code and not re.search(r"[;{}:]$|^#|\)$", code) and not re.match(r"^\w+:", code):
            continue
        if code.endswith(")") and re.match(r"^(if|while|for)\b", code):
            continue	# an if whose statement is on the next line
        whole = " ".join(statement)
        keys = []
        kind = "plain"
        anchor = False
        if not code:
            kind = "blank" if not whole.strip() else "comment"
            match = re.search(r"section\s+('[^']*')", whole)
            if match:
                kind, keys, anchor = "key", ["section:" + match.group(1)], True
        else:
            match = re.match(r"^(\w+):", code)
            label = re.search(r"/\*\s*(_start):\s*\*/", whole)
            function = re.match(r"^[\w\s\*]*\b(\w+)\([^;]*\)$", code)
            if label or match:
                inner = re.search(r"/\*\s*([.\w]+)\s*\*/", whole)
                name = label.group(1) if label else inner.group(1) if inner else match.group(1)
                kind, keys, anchor = "key", ["label:" + name_of(name)], True
            elif function and not re.match(r"^(if|while|for|return)\b", code):
                kind, keys, anchor = "key", ["label:" + name_of(function.group(1))], True
            else:
                keys += ["sys:%s" % n for n in re.findall(r"\bsys\(\s*(\d+)", code)]
                keys += ["goto:" + name_of(n) for n in re.findall(r"\bgoto\s+(\w+)", code)]
                keys += ["call:" + name_of(n) for n in re.findall(r"\b(\w+)\s*\(", code)
                         if n not in ("sys", "if", "while", "for", "sizeof", "return", "LABEL",
                                      "__attribute__", "__typeof__", "offsetof")]
                match = C_DATA.match(code)
                if match and "(" not in code.split("=")[0]:
                    keys.append("data:" + match.group(1))
                match = re.match(r"^#\s*(include|define)\s+(\w+)?", code)
                if match:
                    keys.append("include" if match.group(1) == "include" else "define:%s" % match.group(2))
                if re.match(r"^(\}\s*)?(if|while|for)\b", code):
                    keys.append("branch")
                if re.match(r"^return\b", code):
                    keys.append("return")
                match = re.match(r"^struct\s+(\w+)\s*\{", code)
                if match:
                    keys.append("struct:" + match.group(1))
                kind = "key" if keys else "plain" if code.endswith(";") else "other"
        units.append(Unit(kind, keys, statement, anchor))
        statement = []
    if statement:
        units.append(Unit("other", [], statement))
    return units


def match_score(a, c):
    if a.kind == "key" and c.kind == "key":
        shared = a.keys & c.keys
        return 10 if shared - {"branch"} else 4 if shared else None
    if a.kind == c.kind and a.kind in ("comment", "blank", "plain"):
        return {"comment": 3, "blank": 1, "plain": 2}[a.kind]
    return None


def align(asm, c):
    """[(asm unit or None, c unit or None)]: the best alignment, matches as
    early as they can be."""
    n, m = len(asm), len(c)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = match_score(asm[i], c[j])
            options = [best[i + 1][j], best[i][j + 1]]
            if score is not None:
                options.append(score + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs, i, j = [], 0, 0
    while i < n or j < m:
        score = match_score(asm[i], c[j]) if i < n and j < m else None
        if score is not None and best[i][j] == score + best[i + 1][j + 1]:
            pairs.append((asm[i], c[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            pairs.append((asm[i], None))
            i += 1
        else:
            pairs.append((None, c[j]))
            j += 1
    return pairs
