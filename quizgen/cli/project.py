"""Commands for the whole project: build."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .app import app
from .common import QTYPES_HELP, check_types, console, load_bank, print_diagnostics, progress_wanted, report_written

@app.command()
def build(
    source: Optional[List[str]] = typer.Option(None, "--source", help="Only these sources (default: every fact file under source_texts/)."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Only these outputs: deck, notebook or csv."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write under this folder instead of the project (decks/, notebooks/, exports/)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 naming every output that is out of date."),
) -> None:
    """Validate every fact file, build each bank, and write every output (the main job).

    Writes decks/<source>.apkg, notebooks/<source>*.ipynb (+ teacher/), exports/question_bank.csv.
    Files whose content did not change are not rewritten.

    Example: quizgen build ; quizgen build --check
    """
    from ..build import OUTPUTS, run_build

    for o in only or []:
        if o not in OUTPUTS:
            raise UsageError(f"--only expected one of {', '.join(OUTPUTS)}, but received '{o}'")
    ok = run_build(source or None, only or list(OUTPUTS), out or Path("."), check=check,
                   console=console(), err_console=console(stderr=True), progress=progress_wanted())
    if not ok:
        raise typer.Exit(1)
