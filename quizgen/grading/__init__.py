"""Grading submitted quiz notebooks statically: answers are read as plain values and marked, never run.

grade_all() is what `quizgen grade` calls: find submissions (collect), read and mark them (grade), apply a
teacher's overrides, write the reports (report). See docs/grading.md.
"""
from __future__ import annotations

import gc
from pathlib import Path

from .grade import GradeResult, Mark, Submission, grade_submissions, load_key, show_value
from .overrides import apply_overrides, read_overrides
from .report import feedback_names, print_summary, write_reports

__all__ = ["GradeResult", "Mark", "Submission", "grade_all", "grade_submissions", "load_key", "print_summary",
           "feedback_names", "show_value"]


def grade_all(key_path: Path, paths: list[Path], output: Path, feedback_format: str = "md", progress: bool = False,
              overrides: Path | None = None) -> GradeResult:
    """Grade every submission under paths against the key; write grades.csv, grades_long.csv, grades_review.csv
    and grades_feedback/. Raises InputError (and writes nothing) when no submission is this key's quiz."""
    output = Path(output)
    if overrides and Path(overrides).resolve() == output.with_name(output.stem + "_review.csv").resolve():
        from ..errors import UsageError

        raise UsageError(f"--overrides {overrides} is rewritten by this run: save your decisions under another name (overrides.csv)")
    key = load_key(Path(key_path))
    decisions = read_overrides(Path(overrides), key) if overrides else []
    # grading builds many small objects and no reference cycles: the cycle collector would only rescan the
    # growing set of live marks (a third of the run for a class of 1,000); reference counting still frees everything
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = grade_submissions(key, [Path(p) for p in paths], progress=progress)
        apply_overrides(result, decisions, str(overrides))
        write_reports(result, Path(output), feedback_format)
    finally:
        if collecting:
            gc.enable()
    return result
