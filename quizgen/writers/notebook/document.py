"""Notebook documents as plain dicts (nbformat 4.5), and the one function that turns one into file text."""
from __future__ import annotations

import re

from ...bank import stable_hash

# What ipykernel reports when a notebook opens: JupyterLab writes the kernel's kernelspec and language_info into the
# notebook as soon as the kernel starts, and marks it modified if anything differs. Only the Python version (which
# is the student's, not ours) is left out; see docs/internals.md.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
                 "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3"}
LOCKED = {"deletable": False, "editable": False}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~])")


def md(text: str) -> str:
    """Markdown-escape text so nothing in a fact renders as markup, HTML or a link."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def cell_id(*parts: str) -> str:
    raw = "-".join(re.sub(r"[^A-Za-z0-9_-]", "-", p) for p in parts)
    return raw if len(raw) <= 64 else f"{raw[:47]}-{stable_hash(raw):016x}"


def markdown_cell(source: str, id: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "markdown", "id": id, "metadata": dict(metadata or {}), "source": source}


def code_cell(source: str, id: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": id, "metadata": dict(metadata or {}), "outputs": [],
            "source": source}


def notebook(cells: list[dict], quizgen_metadata: dict) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO),
                                         "quizgen": quizgen_metadata},
            "nbformat": 4, "nbformat_minor": 5}


def dumps(nb: dict) -> str:
    """The notebook file's text, as Jupyter itself writes it (sorted keys, one-space indent, sources as lines):
    quizgen.nbjson, nbformat's output without importing nbformat. The one place notebook text is made."""
    from ... import nbjson

    return nbjson.writes(nb) + "\n"
