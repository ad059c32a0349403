"""Blooket question set CSV (Blooket's spreadsheet import template): multiple choice and true/false, limits reported."""
from __future__ import annotations

from ..bank import Bank
from . import ExportResult
from .choices import Limits, csv_bytes, fitted, time_limit

# the template's title row is eight fields wide: Blooket guesses the delimiter from it
TITLE = ["Blooket Import Template", "", "", "", "", "", "", ""]
HEADER = ["Question #", "Question Text", "Answer 1", "Answer 2", "Answer 3 (Optional)", "Answer 4 (Optional)",
          "Time Limit (sec) (Max: 300 seconds)", "Correct Answer(s) (Only include Answer #)"]
MAX_SECONDS = 300
TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240, MAX_SECONDS)
LIMITS = Limits("Blooket", min_answers=2, max_answers=4,
                several_correct="several answers marked correct: Blooket counts a player right who picks any one of "
                                "them, so the question no longer asks for all of them")


def rows(bank: Bank) -> tuple[list[list[object]], ExportResult]:
    """The template's two header rows, then one row a question, and the report."""
    choices, result = fitted(bank, LIMITS)
    out: list[list[object]] = [list(TITLE), list(HEADER)]
    for n, c in enumerate(choices, 1):
        answers = list(c.answers) + [""] * (4 - len(c.answers))
        out.append([n, c.prompt, *answers, time_limit(c, TIME_LIMITS), ",".join(str(i + 1) for i in c.correct)])
    return out, result


def render(bank: Bank) -> ExportResult:
    """The CSV file's bytes (UTF-8, no BOM, CRLF) and what could not be carried."""
    table, result = rows(bank)
    result.data = csv_bytes(table)
    return result
