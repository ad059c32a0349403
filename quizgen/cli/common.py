"""Helpers shared by the command modules: consoles, diagnostics, option parsing, loading banks."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UsageError

QTYPES_HELP = "mcq, tf, short, cloze, matching, ordering or numeric"


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def print_diagnostics(diagnostics) -> None:
    err = console(stderr=True)
    for d in diagnostics:
        style = "yellow" if d.level == "warning" else "red"
        err.print(str(d), style=style, markup=False)


def check_types(types: list[str] | None) -> list[str]:
    from ..bank import QUESTION_TYPES

    for t in types or []:
        if t not in QUESTION_TYPES:
            raise UsageError(f"--type expected one of {', '.join(QUESTION_TYPES)}, but received '{t}'")
    return list(types or [])


def load_bank(sources: list[str] | None, seed: int, from_csv: Path | None):
    """The bank from fact files (default: every source) or from an edited CSV bank."""
    if from_csv is not None:
        from ..writers.csv import read_bank

        bank, report = read_bank(from_csv)
        print_diagnostics(report.warnings)
        return bank
    from ..facts import load_pack
    from ..generate import build_bank
    from ..sources import resolve_sources

    packs = [load_pack(p) for p in resolve_sources(sources)]
    return build_bank(packs, seed)


def progress_wanted() -> bool:
    import os

    return sys.stderr.isatty() and not os.environ.get("CI")


def report_written(result) -> None:
    console().print(str(result), markup=False)
