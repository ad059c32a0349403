"""Safe YAML reading for hand-written files: size cap, no anchors/aliases, and a line:col for every value."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, InputError

MAX_BYTES = 1_000_000  # a hand-written fact file is a few KB; anything this large is a mistake or an attack

Path_ = tuple[Any, ...]


class Located:
    """Parsed YAML data plus the position of every mapping key and value in the file."""

    def __init__(self, data: Any, positions: dict[Path_, tuple[int, int]]):
        self.data = data
        self.positions = positions

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
    """Load one YAML document with positions; reject anchors/aliases (alias bombs) and oversize files."""
    text = read_text_file(path, what)
    if not text.strip():
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 1, "", f"{what} is empty (expected a YAML mapping with 'source', 'entities' and 'facts')")])
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise InputError(diagnostics=[Diagnostic(str(path), mark.line + 1, mark.column + 1, "",
                                                         "YAML anchors and aliases (& and *) are not allowed in fact files (expected plain values; copy the text instead)")])
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(diagnostics=[Diagnostic(str(path), line, col, "", f"YAML syntax error: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"YAML error: {exc}")]) from None
    positions: dict[Path_, tuple[int, int]] = {}
    data = _to_python(node, (), positions, str(path))
    return Located(data, positions)


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _to_python(node: yaml.Node, path: Path_, positions: dict, file: str) -> Any:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys are names as written: YAML 1.1 would read 'on', 'yes' or 'no' as true/false
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else _to_python(key_node, path + ("<key>",), positions, file)
            if not isinstance(key, (str, int)):
                raise InputError(diagnostics=[Diagnostic(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, "", "a mapping key must be a plain word")])
            key = str(key)
            # where the key itself stands, for errors about the key (pydantic reports those at "[key]")
            positions[path + (key, "[key]")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                raise InputError(diagnostics=[Diagnostic(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, "",
                                                         f"key '{key}' appears twice in the same mapping (expected each key once)")])
            out[key] = _to_python(value_node, path + (key,), positions, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), positions, file) for i, item in enumerate(node.value)]
    value = node.value
    if node.style is None:  # only plain scalars are typed; quoted ones stay text
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
