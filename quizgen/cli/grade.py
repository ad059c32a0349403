"""Commands for collected work: grade."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .app import app
from .common import QTYPES_HELP, check_types, console, load_bank, print_diagnostics, progress_wanted, report_written

@app.command()
def grade(
    key: Path = typer.Argument(..., help="The answer key JSON (notebooks/teacher/<source>.key.json)."),
    submissions: List[Path] = typer.Argument(..., help="Submitted notebooks, or folders of them (nbgrader's submitted/ too)."),
    output: Path = typer.Option(Path("grades.csv"), "-o", "--output", help="Wide CSV of grades; the long CSV and feedback go beside it."),
    feedback: str = typer.Option("md", "--feedback", help="Feedback file format: md or html."),
) -> None:
    """Grade submitted notebooks without running any student code.

    Example: quizgen grade notebooks/teacher/six_party_talks_2003.key.json submitted/ -o grades.csv
    """
    if feedback not in ("md", "html"):
        raise UsageError(f"--feedback expected one of md, html, but received '{feedback}'")
    from ..grading import grade_all, print_summary

    result = grade_all(key, submissions, output, feedback_format=feedback, progress=progress_wanted())
    print_summary(result, console())
