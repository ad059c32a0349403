"""Jupyter notebooks as plain JSON: the few nbformat calls quizgen's writers use, byte for byte, without nbformat.

`import nbformat` pulls in jsonschema and its format checkers (seconds of start-up where Jupyter is installed),
and validates every cell as it is made. quizgen's notebooks are a fixed shape, so they are written directly:
`writes` gives exactly what `nbformat.writes` gives for them (tests/test_nbjson.py compares the bytes and
validates the notebooks with nbformat). The names mirror nbformat's (`v4.new_code_cell`, `writes`,
`NotebookNode`) so a writer switches by its import line alone.
"""
from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

NBFORMAT = 4
NBFORMAT_MINOR = 5


class NotebookNode(dict):
    """A dict whose keys read and write as attributes too (nb.metadata, cell.source), like nbformat's."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def new_notebook(cells: list | None = None, metadata: dict | None = None) -> NotebookNode:
    """An nbformat 4.5 notebook."""
    return NotebookNode(nbformat=NBFORMAT, nbformat_minor=NBFORMAT_MINOR, metadata=NotebookNode(metadata or {}),
                        cells=list(cells or []))


def new_markdown_cell(source: str = "", id: str = "", metadata: dict | None = None) -> NotebookNode:  # noqa: A002 - nbformat's name
    """A markdown cell; quizgen always gives the id (nbformat would make a random one)."""
    return NotebookNode(cell_type="markdown", id=_cell_id(id), metadata=NotebookNode(metadata or {}), source=source)


def new_code_cell(source: str = "", id: str = "", metadata: dict | None = None) -> NotebookNode:  # noqa: A002 - nbformat's name
    """A code cell with no outputs and no execution count."""
    return NotebookNode(cell_type="code", execution_count=None, id=_cell_id(id), metadata=NotebookNode(metadata or {}),
                        outputs=[], source=source)


def _cell_id(value: str) -> str:
    # nbformat 4.5: 1-64 characters of letters, digits, - and _; a random id would break byte-identical rebuilds
    if not value or len(value) > 64 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise ValueError(f"invalid notebook cell id {value!r} (expected 1-64 letters, digits, - or _)")
    return value


def writes(nb: dict) -> str:
    """The notebook as nbformat.writes writes it: sources split into lines, sorted keys, one-space indent."""
    cells = []
    for cell in nb["cells"]:
        out = dict(cell)
        metadata = dict(out.get("metadata", {}))
        metadata.pop("trusted", None)
        out["metadata"] = metadata
        if isinstance(out.get("source"), str):
            out["source"] = out["source"].splitlines(True)
        cells.append(out)
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k not in ("orig_nbformat", "orig_nbformat_minor", "signature")}
    doc = {**nb, "cells": cells, "metadata": metadata}
    return json.dumps(doc, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)


# nbformat.v4's constructors, under the same names
v4 = SimpleNamespace(new_notebook=new_notebook, new_markdown_cell=new_markdown_cell, new_code_cell=new_code_cell)

__all__ = ["NotebookNode", "new_notebook", "new_markdown_cell", "new_code_cell", "writes", "v4"]
