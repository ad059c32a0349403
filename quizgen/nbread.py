"""Static reading of answers from a notebook, standard library only: what a student wrote is parsed, never run.

For each answer variable the last top-level assignment in cell order counts (`q08 = "B"`, `q01, q02 = "A", 6`,
`q08: str = "B"`, `(q08 := "B")`), read as a plain value. The bare names the notebook's setup defines
(BARE_NAMES: `A`-`F`, `true`/`false`, `yes`/`no`) read as the values the setup gives them. IPython lines
(`!cmd`, `%magic`, `x?`) and a leading indent do not break a cell. Anything else gets a reason in the student's
words. Sizes are capped before any parsing; everything runs in linear time. Its source may be embedded in a
notebook (the self-check), so it imports only the standard library.
"""
import ast
import json
import os
import re
import stat

MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024
MAX_CELL_CHARS = 100_000
MAX_NESTING = 50
MAX_ITEMS = 1_000
STUDENT_VAR = "student"
SKIPPED_ROLES = frozenset(("self-check",))   # quizgen's generated helper cells (cell metadata quizgen.role)
BARE_NAMES = {"A": "A", "B": "B", "C": "C", "D": "D", "E": "E", "F": "F",
              "true": True, "false": False, "yes": True, "no": False}
# cell magics whose body is Python that runs (the others: %%bash, %%html, %%writefile, ... run no Python)
PYTHON_CELL_MAGICS = frozenset(("time", "timeit", "capture", "prun", "debug"))
_BLOCKS = {ast.If: "an if block", ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
           ast.With: "a with block", ast.AsyncWith: "a with block", ast.Try: "a try block",
           ast.FunctionDef: "a function", ast.AsyncFunctionDef: "a function", ast.ClassDef: "a class"}
if hasattr(ast, "TryStar"):
    _BLOCKS[ast.TryStar] = "a try block"
if hasattr(ast, "Match"):
    _BLOCKS[ast.Match] = "a match block"


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
        self.qids = {}            # var -> qid from answer cells' metadata
        self.problem = ""         # the whole notebook could not be read: why
        self.notes = []           # things a teacher may want to know (nbformat 3, ...)


class _Unreadable(Exception):
    pass


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
        if len(src) < 1000:  # a class gives the same short cells again and again: read each once per run
            known = _CELL_CACHE.get((key, src))
            if known is None:
                simple = _SIMPLE.match(src)
                event = _simple_event(simple, names) if simple is not None else None
                known = (event,) if event is not None else ()
                if len(_CELL_CACHE) > 200_000:
                    _CELL_CACHE.clear()
                _CELL_CACHE[(key, src)] = known
            if known:
                var, value, error, bare = known[0]
                _record(answers, index, (var, _fresh(value), error, bare))
                continue
        where = f"the cell with {owner}" if owner else f"cell {index + 1}"
        if len(src) > MAX_CELL_CHARS:
            for var in _mentions(src, ordered) | ({owner} if owner else set()):
                fallback[var] = f"{where} is too long to read ({len(src):,} characters; at most {MAX_CELL_CHARS:,})"
            continue
        try:
            tree = _parse(src)
        except _Unreadable as exc:
            for var in _mentions(src, ordered) | ({owner} if owner else set()):
                fallback[var] = f"{where} {exc}"
            continue
        for event in _events(tree, names):
            if event[0] in BARE_NAMES and event[0] not in names:
                redefined.add(event[0])
                continue
            _record(answers, index, event)
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


_MAGIC_LINE = re.compile(r"^[ \t]*[!%]")
_SHELL_ASSIGN = re.compile(r"^([ \t]*[A-Za-z_][\w \t,]*=[ \t]*)[!%].*$")
_HELP_LINE = re.compile(r"^[ \t]*(?:\?\??[\w.]*|[\w.]+\?\??)[ \t]*$")


def _ipython_lines(src):
    """Blank out IPython-only lines (keeping line numbers) and a leading indent, as IPython itself does."""
    if src[:1] not in " \t%" and "!" not in src and "%" not in src and "?" not in src:
        return src  # nothing IPython-only, no leading indent: the usual answer cell
    lines = src.split("\n")
    if lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(None, 1)[0] if len(lines[0].strip()) > 2 else ""
        if magic not in PYTHON_CELL_MAGICS:
            raise _Unreadable(f"is a %%{magic[:20]} cell, which runs no Python")
        lines[0] = ""
    if "!" in src or "%" in src or "?" in src:
        for i, line in enumerate(lines):
            m = _SHELL_ASSIGN.match(line)
            if m:
                lines[i] = m.group(1) + "__ipython_command__()"
            elif _MAGIC_LINE.match(line) or _HELP_LINE.match(line):
                lines[i] = ""
    first = next((ln for ln in lines if ln.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines]
    return "\n".join(lines)


def _nesting(src):
    if src.count("(") + src.count("[") + src.count("{") <= MAX_NESTING:
        return 0  # cannot be nested deeper than it has brackets
    depth = deepest = 0
    for m in re.finditer(r"[()\[\]{}]", src):
        if m.group(0) in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _parse(src):
    text = _ipython_lines(src)
    if _nesting(text) > MAX_NESTING:
        raise _Unreadable(f"is nested more than {MAX_NESTING} brackets deep")
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        where = f" on line {exc.lineno}" if exc.lineno else ""
        raise _Unreadable(f"has a Python syntax error{where}, so none of it runs") from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise _Unreadable("cannot be read as Python") from None


def _events(tree, names):
    """(variable, value, error, bare names used) for every top-level change to a variable, in order."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _assign(target, node.value, names)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                yield from _assign(node.target, node.value, names)
        elif isinstance(node, ast.AugAssign):
            var = _base_name(node.target)
            if var in names:
                yield var, None, f"{var} {_op(node.op)}= ... changes the answer: write {var} = your answer", frozenset()
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.NamedExpr):
            yield from _assign(node.value.target, node.value.value, names)
        elif isinstance(node, ast.Expr):
            var = _changed_by_call(node.value)
            if var in names:
                yield var, None, f"{var} is changed after it is set ({var}.{node.value.func.attr}(...)): write the whole answer in one line", frozenset()
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                var = _base_name(target)
                if var in names:
                    yield var, None, f"del {var} removes the answer", frozenset()
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound in names or bound in BARE_NAMES:
                    yield bound, None, f"an import replaces {bound}: write {bound} = your answer", frozenset()
        elif type(node) in _BLOCKS:
            yield from _inside_block(node, names)


def _op(op):
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%", ast.BitOr: "|"}.get(type(op), "?")


def _base_name(target):
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def _changed_by_call(expr):
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Name):
        return expr.func.value.id
    return None


def _inside_block(node, names):
    """Assignments inside if/for/with/try (and functions with `global`) are not read: say so for each variable."""
    kind = _BLOCKS[type(node)]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        if node.name in names or node.name in BARE_NAMES:
            yield node.name, None, f"{kind} named {node.name} replaces it: write {node.name} = your answer", frozenset()
        declared = {n for sub in ast.walk(node) if isinstance(sub, ast.Global) for n in sub.names}
        for var in sorted(declared & (set(names) | set(BARE_NAMES))):
            yield var, None, f"{var} is set inside {kind}: write {var} = your answer at the top of a cell, outside any block", frozenset()
        return
    seen = set()
    for sub in ast.walk(node):
        targets = []
        if isinstance(sub, (ast.Assign,)):
            targets = sub.targets
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [sub.target]
        elif isinstance(sub, (ast.For, ast.AsyncFor)):
            targets = [sub.target]
        elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
            targets = [sub.optional_vars]
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            seen.update(n for n in sub.names if n in names)
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and (n.id in names or n.id in BARE_NAMES):
                    seen.add(n.id)
    for var in sorted(seen):
        yield var, None, f"{var} is set inside {kind}: write {var} = your answer at the top of a cell, outside any block", frozenset()


def _assign(target, value, names):
    if isinstance(target, ast.Name):
        if target.id in names or target.id in BARE_NAMES:
            yield (target.id, *_read(target.id, value, names))
        return
    if isinstance(target, (ast.Tuple, ast.List)):
        inner = [t for t in target.elts]
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(inner) \
                and not any(isinstance(e, ast.Starred) for e in value.elts + inner):
            for t, v in zip(inner, value.elts):
                yield from _assign(t, v, names)
            return
        for t in inner:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id in names:
                    yield n.id, None, f"{n.id} is unpacked from a value the grader cannot split: write {n.id} = your answer", frozenset()
        return
    var = _base_name(target)
    if var in names:
        yield var, None, f"{var} is changed after it is set ({ast.unparse(target)[:30]} = ...): write the whole answer in one line", frozenset()


def _read(var, node, names):
    """(value, error, bare names used) of an assigned expression."""
    bare = set()
    try:
        value = _literal(node, names, bare, 0, var)
    except _Unreadable as exc:
        return None, str(exc), frozenset()
    return value, "", frozenset(bare)


def _literal(node, names, bare, depth, var):
    if depth > MAX_NESTING:
        raise _Unreadable(f"{var} is nested too deeply to read")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node.value
        raise _Unreadable(f"write {var} as text in quotes, a number, True/False, a list or a dict")
    if isinstance(node, ast.JoinedStr):
        if all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values):
            return "".join(v.value for v in node.values)
        raise _Unreadable(f"{var} is an f-string with {{...}} in it: write the text itself in quotes")
    if isinstance(node, ast.Name):
        if node.id in BARE_NAMES:
            bare.add(node.id)
            return BARE_NAMES[node.id]
        if node.id in names and node.id != var:
            raise _Unreadable(f"{var} = {node.id} refers to another answer: write the answer itself")
        raise _Unreadable(f"{var} = {node.id[:30]} refers to a variable: write the answer itself, e.g. {var} = \"B\"")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if len(node.elts) > MAX_ITEMS or any(isinstance(e, ast.Starred) for e in node.elts):
            raise _Unreadable(f"write {var} as a plain list, e.g. [\"C\", \"A\", \"B\"]")
        items = [_literal(e, names, bare, depth + 1, var) for e in node.elts]
        if isinstance(node, ast.Set):
            try:
                return set(items)
            except TypeError:
                raise _Unreadable(f"write {var} as a plain list, e.g. [\"A\", \"C\"]") from None
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        if len(node.keys) > MAX_ITEMS or any(k is None for k in node.keys):
            raise _Unreadable(f"write {var} as a plain dict, e.g. {{1: \"B\", 2: \"A\"}}")
        out = {}
        for k, v in zip(node.keys, node.values):
            key = _literal(k, names, bare, depth + 1, var)
            try:
                out[key] = _literal(v, names, bare, depth + 1, var)
            except TypeError:
                raise _Unreadable(f"write {var} as a plain dict, e.g. {{1: \"B\", 2: \"A\"}}") from None
        return out
    raise _Unreadable(f"{var} is worked out by code, which the grader does not run: write the answer itself, "
                      f"e.g. {var} = \"B\"")
