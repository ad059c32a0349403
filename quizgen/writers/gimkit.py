"""Gimkit kit CSV (Gimkit's spreadsheet import template): one correct answer and 1-3 incorrect ones a question."""
from __future__ import annotations

from ..bank import Bank
from . import ExportResult
from .choices import Limits, csv_bytes, fitted

TITLE = ["Gimkit Spreadsheet Import Template", "", "", "", ""]
HEADER = ["Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2 (Optional)", "Incorrect Answer 3 (Optional)"]
LIMITS = Limits("Gimkit", min_answers=2, max_answers=4)     # several correct answers: not carried


def rows(bank: Bank) -> tuple[list[list[object]], ExportResult]:
    """The template's title and header rows, then one row a question (the correct answer first), and the report."""
    choices, result = fitted(bank, LIMITS)
    out: list[list[object]] = [list(TITLE), list(HEADER)]
    for c in choices:
        right = c.answers[c.correct[0]]
        wrong = [a for i, a in enumerate(c.answers) if i != c.correct[0]]
        out.append([c.prompt, right, *wrong, *[""] * (3 - len(wrong))])
    return out, result


def render(bank: Bank) -> ExportResult:
    """The CSV file's bytes (UTF-8, no BOM, CRLF) and what could not be carried."""
    table, result = rows(bank)
    result.data = csv_bytes(table)
    return result
