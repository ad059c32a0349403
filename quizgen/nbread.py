"""Static reading of answers from a notebook, standard library only: what a student wrote is parsed, never run.

For each answer variable the last top-level assignment in cell order counts (`q08 = "B"`, `q01, q02 = "A", 6`,
`q08: str = "B"`, `(q08 := "B")`), read as a plain value. The bare names the notebook's setup defines
(BARE_NAMES: `A`-`F`, `true`/`false`, `yes`/`no`) read as the values the setup gives them. IPython lines
(`!cmd`, `%magic`, `x?`) and a leading indent do not break a cell. Anything else gets a reason in the student's
words. Sizes are capped before any parsing; everything runs in linear time. Its source may be embedded in a
notebook (the self-check), so it imports only the standard library.
"""
import json
import os
import re
import stat

try:  # inside quizgen
    from .pycells import BARE_NAMES, _events, _parse, _Unreadable  # noqa: F401  (BARE_NAMES: the setup contract)
except ImportError:  # embedded in a notebook: pycells' source ran first, in this same namespace
    pass

MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024
MAX_CELL_CHARS = 100_000
STUDENT_VAR = "student"
SKIPPED_ROLES = frozenset(("self-check", "setup"))   # quizgen's generated helper cells (cell metadata quizgen.role)


class Answer:
    """What was read for one variable: a value, or the reason it could not be read."""

    __slots__ = ("value", "error", "cell", "cells", "bare")

    def __init__(self):
        self.value, self.error, self.cell, self.cells, self.bare = None, "", -1, [], frozenset()

    def __repr__(self):
        return f"Answer({self.value!r}, error={self.error!r}, cells={self.cells})"


class Reading:
    """A notebook as the grader reads it."""

    def __init__(self):
        self.answers = {}         # variable -> Answer (only variables that were assigned or had a problem)
        self.student = None       # the declared `student = "..."`, if any
        self.quiz_id = None       # notebook metadata quizgen.quiz_id
        self.version = ""         # notebook metadata quizgen.version: a student's version of the quiz ('' for none)
        self.qids = {}            # var -> qid from answer cells' metadata
        self.problem = ""         # the whole notebook could not be read: why
        self.notes = []           # things a teacher may want to know (nbformat 3, ...)


_QUOTES = "'\""
_BARE_START = frozenset("ABCDEFtyn")
_BARE_LINE = re.compile(r"(?:A|B|C|D|E|F|true|false|yes|no)[ \t]*(?:,[^\n=]*)?=(?!=)")


def _is_word(ch):
    return ch.isalnum() or ch == "_"


_NAME_PATTERNS = {}


def _names_pattern(names):
    """Per first letter, the names' common prefix and one pattern for them (str.find jumps between candidates)."""
    key = tuple(names)
    patterns = _NAME_PATTERNS.get(key)
    if patterns is None:
        groups = {}
        for n in sorted(names, key=len, reverse=True):
            groups.setdefault(n[0], []).append(re.escape(n))
        patterns = _NAME_PATTERNS[key] = {}
        for first, alts in groups.items():
            members = [n for n in names if n[0] == first]
            prefix = os.path.commonprefix(members)  # 'q' for q01..q36, 'student' for student
            patterns[prefix] = re.compile(f"(?:{'|'.join(alts)})(?!\\w)")
    return patterns


def _mentions(src, names):
    """The variables the cell names outside obvious quotes ('"var": "q01"' in a data cell does not count)."""
    found = set()
    for first, pattern in _names_pattern(names).items():
        i = src.find(first)
        while i >= 0:
            m = pattern.match(src, i)
            if m is not None:
                j = m.end()
                before = src[i - 1] if i else ""
                if not (before and (_is_word(before) or before == ".")) and \
                        not (before in _QUOTES and before and j < len(src) and src[j] in _QUOTES):
                    found.add(m.group(0))
            i = src.find(first, i + 1)
    return found


def _rebinds_bare(src):
    """True if a line of the cell assigns one of the bare names (B = 5): then B no longer means "B"."""
    for line in src.split("\n"):
        s = line.lstrip()
        if s[:1] in _BARE_START and _BARE_LINE.match(s):
            return True
    return False


def read_path(path, variables, cap=MAX_NOTEBOOK_BYTES):
    """Read a notebook file safely: regular files only, at most cap bytes, never blocking on a FIFO or device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        r = Reading()
        r.problem = "cannot open the file (a link)" if exc.errno in (40, 62) else f"cannot open the file ({exc.strerror})"
        return r
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            r = Reading()
            r.problem = "not a regular file (a device, pipe or socket): not read"
            return r
        if info.st_size > cap:
            r = Reading()
            r.problem = f"file too large ({info.st_size:,} bytes; at most {cap:,})"
            return r
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        r = Reading()
        r.problem = f"cannot read the file ({exc.strerror})"
        return r
    finally:
        os.close(fd)
    return read_notebook(data, variables, cap)


def read_notebook(data, variables, cap=MAX_NOTEBOOK_BYTES):
    """Read answers from a notebook's bytes (JSON): a Reading."""
    r = Reading()
    if len(data) > cap:
        r.problem = f"file too large (more than {cap:,} bytes)"
        return r
    if not data.strip():
        r.problem = "empty file"
        return r
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        r.problem = "not a notebook (binary, or text that is not UTF-8)"
        return r
    except json.JSONDecodeError as exc:
        r.problem = f"not a notebook (invalid JSON at line {exc.lineno})"
        return r
    except (RecursionError, MemoryError):
        r.problem = "not a notebook (JSON nested too deeply)"
        return r
    if not isinstance(nb, dict) or nb.get("nbformat") not in (3, 4):
        r.problem = "not a Jupyter notebook (no nbformat 3 or 4 structure)"
        return r
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    qmeta = meta.get("quizgen") if isinstance(meta.get("quizgen"), dict) else {}
    quiz_id = qmeta.get("quiz_id")
    r.quiz_id = quiz_id if isinstance(quiz_id, str) else None
    version = qmeta.get("version")
    r.version = version[:200] if isinstance(version, str) else ""
    cells = _cells(nb)
    if nb.get("nbformat") == 3:
        r.notes.append("an nbformat 3 notebook (read; save it as a current notebook next time)")
    sources, owners = [], {}
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            sources.append(None)
            continue
        m = cell.get("metadata")
        qm = m.get("quizgen") if type(m) is dict else None
        role = qm.get("role") if type(qm) is dict else None
        if role in SKIPPED_ROLES:
            # quizgen's own self-check code: nothing written there could earn more than writing it in the answer cell
            sources.append(None)
            continue
        sources.append(_source(cell))
        if role == "answer" and isinstance(qm.get("var"), str):
            owners[i] = qm["var"]
            if isinstance(qm.get("qid"), str):
                r.qids[qm["var"]] = qm["qid"]
    r.answers, r.student = read_sources(sources, variables, owners)
    return r


def _cells(nb):
    if nb.get("nbformat") == 3:  # old notebooks keep cells in worksheets, code in "input"
        sheets = nb.get("worksheets") if isinstance(nb.get("worksheets"), list) else []
        cells = [c for ws in sheets if isinstance(ws, dict) and isinstance(ws.get("cells"), list) for c in ws["cells"]]
        return [{"cell_type": c.get("cell_type"), "source": c.get("input", ""), "metadata": c.get("metadata", {})}
                for c in cells if isinstance(c, dict)]
    cells = nb.get("cells")
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def _source(cell):
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def read_sources(sources, variables, owners=None):
    """Answers from cell sources in order (None for a cell that is not code): ({var: Answer}, student or None).

    owners maps a cell's index to the variable whose answer cell it is (notebook metadata), so a broken answer
    cell explains itself. This is also what a self-check runs on the kernel's input history.
    """
    owners = owners or {}
    names = set(variables) | {STUDENT_VAR}
    ordered = sorted(names)
    key = tuple(ordered)
    answers, fallback, redefined = {}, {}, set()
    for index, src in enumerate(sources):
        if src is None:
            continue
        owner = owners.get(index)
        if owner is None:  # an answer cell is always read; another cell only if it names an answer (or B = ...)
            if not src or not (_mentions(src, ordered) or (len(src) <= MAX_CELL_CHARS and _rebinds_bare(src))):
                continue
        where = f"the cell with {owner}" if owner else f"cell {index + 1}"
        if len(src) > MAX_CELL_CHARS:
            for var in _mentions(src, ordered) | ({owner} if owner else set()):
                fallback[var] = f"{where} is too long to read ({len(src):,} characters; at most {MAX_CELL_CHARS:,})"
            continue
        # a class gives the same short cells again and again: read each once per run (the one-line form without
        # the parser, any other with it), and keep what was read
        known = _CELL_CACHE.get((key, src)) if len(src) < 1000 else None
        if known is None:
            known = _read_cell(src, names)
            if len(src) < 1000:
                if len(_CELL_CACHE) > 200_000:
                    _CELL_CACHE.clear()
                _CELL_CACHE[(key, src)] = known
        problem, events = known
        if problem is not None:
            for var in _mentions(src, ordered) | ({owner} if owner else set()):
                fallback[var] = f"{where} {problem}"
            continue
        for var, value, error, bare in events:
            if var in BARE_NAMES and var not in names:
                redefined.add(var)
                continue
            _record(answers, index, (var, _fresh(value), error, bare))
    for var, a in answers.items():
        if not a.error and a.bare & redefined:
            name = sorted(a.bare & redefined)[0]
            a.value, a.error = None, f"{name} is given another value in this notebook: write \"{name}\" in quotes"
    for var, why in fallback.items():
        if var not in answers:
            a = answers[var] = Answer()
            a.error = why
    student = None
    s = answers.pop(STUDENT_VAR, None)
    if s is not None and isinstance(s.value, str) and s.value.strip():
        student = " ".join(s.value.split())[:200]
    return answers, student


_CELL_CACHE = {}


def _read_cell(src, names):
    """(problem, events) of one cell: why it cannot be read, or the answers it assigns in order."""
    simple = _SIMPLE.match(src)
    event = _simple_event(simple, names) if simple is not None else None
    if event is not None:
        return None, (event,)
    try:
        tree = _parse(src)
    except _Unreadable as exc:
        return str(exc), ()
    return None, tuple(_events(tree, names))


def _fresh(value):
    """A copy of a list or dict read earlier, so no reading shares a mutable value with another."""
    if type(value) is list:
        return list(value)
    if type(value) is dict:
        return dict(value)
    return value


def _record(answers, index, event):
    var, value, error, bare = event
    a = answers.get(var)
    if a is None:
        a = answers[var] = Answer()
    if index not in a.cells:
        a.cells.append(index)
    a.cell, a.value, a.error, a.bare = index, value, error, bare


# the usual answer cell, one line: `q08 = "B"  # comment`, `q35 = ["B", "C", "A"]`, `q36 = {1: "B", 2: "A"}`, read
# without the parser, giving what ast gives: strings without escapes or prefixes, plain decimal numbers, True/False/
# None, bare names, and flat lists/dicts of those. Anything else takes the full path.
_ITEM = r"""(?:"[^"\\\n\r]*"|'[^'\\\n\r]*'|-?(?:0|[1-9]\d*)(?:\.\d+)?|[A-Za-z_]\w*)"""
_SIMPLE = re.compile(r"([A-Za-z_]\w*)[ \t]*=[ \t]*(" + _ITEM + r"|\[[^\[\]{}()\n\r#]*\]|\{[^\[\]{}()\n\r#]*\})"
                     r"[ \t]*(?:#[^\n\r]*)?\n?\Z")
_TOKENS = re.compile(r"[ \t]*(" + _ITEM + r"|[,:])")
_CONSTANTS = {"True": True, "False": False, "None": None}


def _simple_item(token, bare):
    c = token[0]
    if c == '"' or c == "'":
        return token[1:-1]
    if c == "-" or c.isdigit():
        return float(token) if "." in token else int(token)
    if token in _CONSTANTS:
        return _CONSTANTS[token]
    if token in BARE_NAMES:
        bare.add(token)
        return BARE_NAMES[token]
    raise ValueError(token)  # a variable: the full path explains it


def _simple_event(m, names):
    var, text = m.groups()
    if var not in names or var in BARE_NAMES:
        return None
    bare = set()
    try:
        if text[0] not in "[{":
            return var, _simple_item(text, bare), "", frozenset(bare)
        inner, tokens, pos = text[1:-1], [], 0
        for t in _TOKENS.finditer(inner):
            if t.start() != pos:
                return None
            tokens.append(t.group(1))
            pos = t.end()
        if inner[pos:].strip(" \t"):
            return None
        if text[0] == "[":
            items = tokens[::2]
            if any(t in ",:" for t in items) or any(t != "," for t in tokens[1::2]):
                return None
            return var, [_simple_item(t, bare) for t in items], "", frozenset(bare)
        out = {}
        for i in range(0, len(tokens), 4):
            k, colon, v = tokens[i:i + 3] if len(tokens) >= i + 3 else (None, None, None)
            sep = tokens[i + 3] if i + 3 < len(tokens) else ","
            if colon != ":" or sep != "," or k in (",", ":") or v in (",", ":"):
                return None
            out[_simple_item(k, bare)] = _simple_item(v, bare)
        return var, out, "", frozenset(bare)
    except (ValueError, TypeError):
        return None

