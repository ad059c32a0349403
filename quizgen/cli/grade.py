"""Commands for collected work: grade (with item analysis and gradebook files on request) and analyse."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError, plural
from .app import app
from .common import check_choices, console, print_diagnostics, progress_wanted


def _report_written(written) -> None:
    console().print(str(written))


@app.command()
def grade(
    key: Path = typer.Argument(..., metavar="KEY", help="The answer key (notebooks/teacher/SOURCE.key.json)."),
    submissions: List[Path] = typer.Argument(..., metavar="SUBMISSION", help="Submitted notebooks, folders or zips of them (nbgrader's submitted/ too)."),
    output: Path = typer.Option(Path("grades.csv"), "-o", "--output", metavar="FILE",
                                help="The wide CSV of grades; the long CSV and the feedback go beside it. Missing folders are created."),
    feedback: str = typer.Option("md", "--feedback", metavar="FORMAT", help="Feedback file format: md or html."),
    report: bool = typer.Option(False, "--report", help="Also write the item analysis of these grades into FILE-stem_report/."),
    gradebook: Optional[str] = typer.Option(None, "--gradebook", metavar="LMS",
                                            help="Also write the gradebook import file for canvas or moodle, FILE-stem_LMS.csv (needs --roster)."),
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="FILE", help="The class roster CSV for --gradebook (columns in docs/gradebook.md)."),
    assignment: Optional[str] = typer.Option(None, "--assignment", metavar="NAME",
                                             help="The gradebook column (default: the quiz title); Canvas: 'Title (12345)' updates that assignment."),
    overrides: Optional[Path] = typer.Option(None, "--overrides", metavar="FILE",
                                             help="A CSV of the teacher's decisions (question, given, new_points[, student, note]); see docs/grading.md."),
) -> None:
    """Grade submitted notebooks, folders or zips of them, without running any student code.

    Exit 1, writing nothing, when no submission is the key's quiz. Warnings go to standard error.

    Example: quizgen grade notebooks/teacher/six_party_talks_2003.key.json submitted/ -o grades.csv --report
    """
    check_choices("--feedback", [feedback], ["md", "html"])
    if gradebook is not None:
        check_choices("--gradebook", [gradebook], ["canvas", "moodle"])
    if (gradebook is None) != (roster is None):
        raise UsageError("--gradebook and --roster go together (the roster says who is in the class and their LMS ids)")
    if gradebook is not None:  # a bad roster stops the run before any grade is written
        from ..gradebook import read_roster

        read_roster(roster, gradebook)
    from ..grading import grade_all, print_summary

    result = grade_all(key, submissions, output, feedback_format=feedback, progress=progress_wanted(), overrides=overrides)
    print_summary(result, console(), console(stderr=True))
    long_csv = output.with_name(output.stem + "_long.csv")
    if report:
        from ..analysis import write_report

        analysis, written = write_report(long_csv, output.with_name(output.stem + "_report"), key=key)
        print_diagnostics(analysis.diagnostics)
        _report_written(written[-1])
    if gradebook is not None:
        from ..analysis.responses import load_key
        from ..gradebook import write_gradebook

        title = assignment or str(load_key(key).get("title") or output.stem)
        written_file, notes = write_gradebook(gradebook, long_csv, roster, output.with_name(f"{output.stem}_{gradebook}.csv"), title)
        print_diagnostics(notes.warnings)
        _report_written(written_file)


@app.command()
def analyse(
    grades: Path = typer.Argument(..., metavar="GRADES", help="The long grades CSV that quizgen grade writes (grades_long.csv)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="DIR",
                                          help="Report folder (default: GRADES-stem_report/ beside the grades). Missing folders are created."),
    key: Optional[Path] = typer.Option(None, "--key", metavar="KEY", help="The answer key: shows question and option texts, and checks the grades are of its quiz."),
) -> None:
    """Item analysis: difficulty, discrimination, distractors and reliability, as CSV, JSON and an HTML report.

    Example: quizgen analyse grades_long.csv --key notebooks/teacher/six_party_talks_2003.key.json
    """
    from ..analysis import write_report

    result, written = write_report(grades, output, key=key)
    print_diagnostics(result.diagnostics)
    for w in written:
        _report_written(w)
    flagged = sum(1 for s in result.items if s.flags)
    rel = result.reliability
    line = f"{plural(len(result.responses.students), 'student')}, {plural(len(result.items), 'question')}, {flagged} flagged"
    if rel is not None:
        line += f"; {rel.method} {rel.value:.2f} [{rel.ci_low:.2f}, {rel.ci_high:.2f}], SEM {rel.sem:.2f} points"
    console().print(line)
