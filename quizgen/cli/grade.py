"""Commands for collected work: grade."""
from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from .app import app
from .common import check_choices, console, progress_wanted


@app.command()
def grade(
    key: Path = typer.Argument(..., metavar="KEY", help="The answer key (notebooks/teacher/SOURCE.key.json)."),
    submissions: List[Path] = typer.Argument(..., metavar="SUBMISSION", help="Submitted notebooks, or folders of them (nbgrader's submitted/ too)."),
    output: Path = typer.Option(Path("grades.csv"), "-o", "--output", metavar="FILE",
                                help="The wide CSV of grades; the long CSV and the feedback go beside it. Missing folders are created."),
    feedback: str = typer.Option("md", "--feedback", metavar="FORMAT", help="Feedback file format: md or html."),
) -> None:
    """Grade submitted notebooks without running any student code.

    Example: quizgen grade notebooks/teacher/six_party_talks_2003.key.json submitted/ -o grades.csv
    """
    check_choices("--feedback", [feedback], ["md", "html"])
    from ..grading import grade_all, print_summary

    result = grade_all(key, submissions, output, feedback_format=feedback, progress=progress_wanted())
    print_summary(result, console())
