"""Safe YAML reading for hand-written files: size cap, no anchors/aliases, a line:col for every value, plain messages."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, InputError

MAX_BYTES = 1_000_000  # a hand-written fact file is a few KB; anything this large is a mistake or an attack

# libyaml parses ten times faster than the pure-Python parser; the messages for broken files come from the
# pure-Python one (explain() knows its wording), which is only run once a file is known to be broken
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[Any, ...]


class Located:
    """Parsed YAML data plus the position of every mapping key and value in the file."""

    def __init__(self, data: Any, positions: dict[Path_, tuple[int, int]]):
        self.data = data
        self.positions = positions

    def __repr__(self) -> str:
        return f"<Located {type(self.data).__name__} with {len(self.positions)} positions>"

    def where(self, path: Path_) -> tuple[int, int]:
        """The line and column (1-based) of the value at path, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


def read_text_file(path: Path, what: str) -> str:
    """Read a UTF-8 text file, turning every way it can be unreadable into one clear InputError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"{what} not found (expected a file at this path)")]) from None
    except IsADirectoryError:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"{what} is a directory (expected a file)")]) from None
    except OSError as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"cannot read {what}: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"{what} is {len(raw):,} bytes (expected at most {MAX_BYTES:,})")])
    if b"\x00" in raw:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"{what} is a binary file (expected UTF-8 text)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", f"{what} is not UTF-8 text (found byte 0x{raw[exc.start]:02x}; save it as UTF-8)")]) from None
    return text


def load_yaml(path: Path, what: str = "fact file") -> Located:
    """Load one YAML document with positions; reject anchors/aliases (alias bombs) and oversize files.

    A broken file raises InputError with one located, plainly worded diagnostic per problem (see explain()).
    """
    text = read_text_file(path, what)
    if not text.strip():
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 1, "", f"{what} is empty (expected a YAML mapping with 'source', 'entities' and 'facts')")])
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise InputError(diagnostics=[Diagnostic(str(path), mark.line + 1, mark.column + 1, "",
                                                         "YAML anchors and aliases (& and *) are not allowed in fact files (expected plain values; copy the text instead)")])
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        raise InputError(diagnostics=explain(text, str(path))) from None
    positions: dict[Path_, tuple[int, int]] = {}
    duplicates: list[Diagnostic] = []
    data = _to_python(node, (), positions, str(path), duplicates)
    if duplicates:
        raise InputError(diagnostics=duplicates)
    return Located(data, positions)


# ---- plain messages for broken YAML --------------------------------------------------------------------

_KEY_AT_START = re.compile(r"^(\s*)(?:-\s+)?([^\s:#\"'{}\[\],&*!|>%@`-][^:#]*?)\s*:(\s|$)")
_QUOTE_OPENED = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#"'][^:#]*?:\s+)?(["'])""")


def explain(text: str, file: str) -> list[Diagnostic]:
    """What is wrong with a YAML text that does not parse, in plain words with the fix: one diagnostic per
    problem, at the place to fix (never PyYAML's own wording)."""
    lines = text.splitlines()
    try:
        list(yaml.parse(text, Loader=yaml.SafeLoader))
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or ""
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context_line, context_col = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else (line, col)
        tabs = _tab_indents(lines)
        if tabs and ("'\\t'" in problem or "tab" in problem):
            return [Diagnostic(file, n, c, "", "YAML syntax error: a tab is used for indentation; YAML needs spaces - replace the tab with spaces")
                    for n, c in tabs]
        found = _explain_one(problem, exc.context or "", lines, line, col, context_line, context_col)
        return [Diagnostic(file, found[0], found[1], "", "YAML syntax error: " + found[2])]
    except yaml.YAMLError:
        pass
    return [Diagnostic(file, 1, 1, "", "YAML syntax error: the file cannot be read as YAML (expected 'key: value' lines indented with spaces)")]


def _tab_indents(lines: list[str]) -> list[tuple[int, int]]:
    """Lines whose indentation holds a tab, and the column of that tab."""
    found = []
    for n, ln in enumerate(lines, 1):
        indent = ln[: len(ln) - len(ln.lstrip(" \t"))]
        if "\t" in indent and ln.strip():
            found.append((n, indent.index("\t") + 1))
    return found


def _unclosed_quote(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """The first line in [first, last] that opens a quoted value and does not close it."""
    for n in range(max(first, 1), min(last, len(lines)) + 1):
        ln = lines[n - 1]
        m = _QUOTE_OPENED.match(ln)
        if not m:
            continue
        quote, start = m.group(1), m.end(1) - 1
        rest = ln[start + 1:]
        if quote == '"':
            closed = re.search(r'(?<!\\)(\\\\)*"', rest) is not None
        else:
            closed = "'" in rest.replace("''", "")
        if not closed:
            return n, start + 1, quote
    for n in range(max(first, 1), min(last, len(lines)) + 1):
        quotes = [m.start() for m in re.finditer(r'(?<!\\)"', lines[n - 1].split(" #")[0])]
        if len(quotes) % 2:
            return n, quotes[-1] + 1, '"'
    return None


def _key_of(ln: str) -> str:
    m = _KEY_AT_START.match(ln)
    return m.group(2).strip() if m else ""


def _explain_one(problem: str, context: str, lines: list[str], line: int, col: int, context_line: int,
                 context_col: int) -> tuple[int, int, str]:
    """(line, col, message) for one PyYAML error."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    # a quote that is never closed swallows what follows, and the error shows up further down
    if "quoted scalar" in context and "end of stream" in problem:
        n, c, q = _unclosed_quote(lines, context_line, context_line) or (context_line, col, '"')
        return n, c, f"this quoted value has no closing {q}, so it runs on to the end of the file; add the closing {q} at the end of the value"
    unclosed = _unclosed_quote(lines, min(context_line, line), line)
    if unclosed and "escape" not in problem:
        n, c, q = unclosed
        key = _key_of(lines[n - 1])
        what = f"the value of '{key}'" if key else "this value"
        return n, c, f"{what} opens a quote ({q}) that is not closed on its line; add the closing {q} at the end of the value"
    if "'\\t'" in problem:
        return line, col, "a tab where YAML expects a space; replace the tab with a space"
    if problem == "mapping values are not allowed here":
        before = text[: col - 1]
        if ":" not in before.rstrip()[:-1] and _KEY_AT_START.match(text) and line > 1:
            return line, len(text) - len(text.lstrip()) + 1, ("this key is indented more than the key above it, so YAML reads it as part of "
                                                              "the value above; line it up with the keys above it")
        key = _key_of(text)
        what = f"the value of '{key}'" if key else "this value"
        return line, col, f"{what} contains a colon followed by a space; put the whole value in double quotes (key: \"... : ...\")"
    if problem.startswith("found character") and "cannot start any token" in problem:
        ch = problem.split("'")[1] if "'" in problem else "this character"
        return line, col, f"a value cannot start with {ch} in YAML; put the whole value in double quotes"
    if "could not find expected ':'" in problem:
        n = context_line
        shown = lines[n - 1].strip() if 0 < n <= len(lines) else ""
        return n, 1 + len(lines[n - 1]) - len(lines[n - 1].lstrip()) if 0 < n <= len(lines) else col, (
            f"'{shown[:40]}' is not 'key: value' (no colon and space after the key); write 'key: value', "
            f"or indent a value that continues from the line above")
    if "unknown escape character" in problem:
        return line, col, ("a backslash in a double-quoted value starts an escape such as \\n; write \\\\ for a backslash, "
                           "or put the value in single quotes")
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        close = "]" if bracket == "[" else "}"
        what = "list" if bracket == "[" else "mapping"
        return context_line, context_col, (
            f"this {bracket} ... {close} {what} is not closed, or its items are not separated by commas; "
            f"add the {close}, or put an item that holds a comma or a colon in quotes")
    if "but found '<block sequence start>'" in problem or "expected '-' indicator" in problem:
        return line, col, "a list item ('- ') at the wrong indent; put its '-' in the same column as the other items of its list" + _sibling_hint(lines, line, col)
    if "but found '<block mapping start>'" in problem:
        return line, col, "this key is indented less than the keys above it; line it up with the other keys of the same record" + _sibling_hint(lines, line, col)
    stripped = text.lstrip()
    if stripped.startswith("-") and len(stripped) > 1 and stripped[1] not in " \t":
        return line, col, "a list item needs a space after its '-'; write '- ' before the item"
    if "but found" in problem and 0 < line <= len(lines):
        m = re.match(r"""^(\s*(?:-\s+)?[^\s:#][^:#]*?:\s+)(["'{\[])""", text)
        if m and m.group(2) in "\"'":
            return line, m.end(1) + 1, "the value continues after its closing quote; put the whole value inside the quotes"
        if m and m.group(2) in "{[":
            return line, m.end(1) + 1, (f"a value that starts with {m.group(2)} is read as a {'list' if m.group(2) == '[' else 'mapping'}; "
                                        "put the whole value in double quotes")
        return line, col, "this line is not indented like the lines around it; line it up with the other keys or items of its block"
    return line, col, "this line cannot be read as YAML; check its indentation (spaces only), its colons and its quotes, and those of the line above"


def _sibling_hint(lines: list[str], line: int, col: int) -> str:
    """Where the nearest item or key above at a similar indent stands, to line this one up with."""
    for n in range(line - 1, 0, -1):
        ln = lines[n - 1]
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        indent = len(ln) - len(ln.lstrip())
        if indent + 1 != col and abs(indent + 1 - col) <= 2 and ln.lstrip().startswith("-") == lines[line - 1].lstrip().startswith("-"):
            return f" (line {n} has it in column {indent + 1})"
    return ""


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _to_python(node: yaml.Node, path: Path_, positions: dict, file: str, duplicates: list[Diagnostic]) -> Any:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys are names as written: YAML 1.1 would read 'on', 'yes' or 'no' as true/false
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else _to_python(key_node, path + ("<key>",), positions, file, duplicates)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, (str, int)):
                raise InputError(diagnostics=[Diagnostic(file, *where, "", "a mapping key must be a plain word")])
            key = str(key)
            if key in out:
                first = positions[path + (key, "[key]")][0]
                duplicates.append(Diagnostic(file, *where, "", f"the key '{key}' appears twice in the same mapping (first on line {first}); "
                                                                f"keep one of them"))
                continue
            # where the key itself stands, for errors about the key (pydantic reports those at "[key]")
            positions[path + (key, "[key]")] = where
            out[key] = _to_python(value_node, path + (key,), positions, file, duplicates)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), positions, file, duplicates) for i, item in enumerate(node.value)]
    value = node.value
    if not node.style:  # only plain scalars are typed (style None, or "" from libyaml); quoted ones stay text
        try:
            if node.tag == _INT:
                return int(value.replace("_", ""), 0)
            if node.tag == _FLOAT:
                return float(value.replace("_", ""))
            if node.tag == _BOOL:
                return value.lower() in ("true", "yes", "on")
            if node.tag == _NULL:
                return None
        except ValueError:
            return value
    return value
