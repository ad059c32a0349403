"""Kahoot! quiz spreadsheet (.xlsx on Kahoot's import template): multiple choice and true/false, limits reported, never cut."""
from __future__ import annotations

import datetime
import io
import zipfile

from ..bank import Bank
from . import ExportResult
from .choices import Limits, fitted, time_limit

TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
LIMITS = Limits("Kahoot!", min_answers=2, max_answers=4, question_chars=120, answer_chars=75,
                several_correct="several answers marked correct: in Kahoot's default single-select mode a player who picks "
                                "any one of them scores; switch the question to multi-select in Kahoot to ask for all of them")
# Kahoot's "Quiz spreadsheet template": instructions in B2:B6, the header on row 8, one question a row from row 9
INSTRUCTIONS = (
    "Quiz template",
    "Add questions, at least two answer alternatives, time limit and choose correct answers (at least one). "
    "Have fun creating your awesome quiz!",
    "Remember: questions have a limit of 120 characters and answers can have 75 characters max. Text will turn red "
    "in Excel or Google Docs if you exceed this limit. If several answers are correct, separate them with a comma.",
    "See an example question below (don't forget to overwrite this with your first question!)",
    "And remember, if you're not using Excel you need to export to .xlsx format before you upload to Kahoot!",
)
HEADER_ROW = 8
HEADER = ("", "Question - max 120 characters", "Answer 1 - max 75 characters", "Answer 2 - max 75 characters",
          "Answer 3 - max 75 characters", "Answer 4 - max 75 characters",
          "Time limit (sec) \u2013 5, 10, 20, 30, 60, 90, 120, or 240 secs", "Correct answer(s) - choose at least one")
SHEET = "Sheet1"
COLUMN_WIDTHS = {"A": 5, "B": 60, "C": 28, "D": 28, "E": 28, "F": 28, "G": 16, "H": 18}
# the workbook's creation date and its zip members' dates: fixed, so the same bank gives the same bytes
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def rows(bank: Bank) -> tuple[list[list[object]], ExportResult]:
    """The question rows (number, question, answers 1-4, time limit, correct numbers) and the report."""
    choices, result = fitted(bank, LIMITS)
    out: list[list[object]] = []
    for n, c in enumerate(choices, 1):
        answers = list(c.answers) + [""] * (4 - len(c.answers))
        correct: object = c.correct[0] + 1 if len(c.correct) == 1 else ",".join(str(i + 1) for i in c.correct)
        out.append([n, c.prompt, *answers, time_limit(c, TIME_LIMITS), correct])
    return out, result


def render(bank: Bank) -> ExportResult:
    """The .xlsx file's bytes and what could not be carried."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    table, result = rows(bank)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for col, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[col].width = width

    bold = Font(name="Calibri", size=11, bold=True)     # the workbook's default font, in bold

    def styled(values, font) -> list:
        out = []
        for v in values:
            cell = WriteOnlyCell(ws, v or None)
            cell.font = font
            out.append(cell)
        return out

    def cells(values) -> list:
        out: list[object] = []
        for v in values:
            if v == "":
                v = None
            elif isinstance(v, str) and v[:1] == "=":
                v = WriteOnlyCell(ws, v)
                v.data_type = "s"        # a text starting with '=' stays text, never a formula
            out.append(v)
        return out

    ws.append([])
    ws.append([None, *styled([INSTRUCTIONS[0]], bold)])
    for text in INSTRUCTIONS[1:]:
        ws.append([None, text])
    ws.append([])
    ws.append(styled(HEADER, bold))
    for row in table:
        ws.append(cells(row))
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "quizgen"
    buf = io.BytesIO()
    with _FixedDateZip(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    result.data = buf.getvalue()
    return result


class _FixedDateZip(zipfile.ZipFile):
    """A zip whose members all carry one date (openpyxl would stamp the time of writing)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_DATE)
            info.compress_type = self.compression
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:
            self.writestr(arcname or str(filename), fh.read(), compress_type, compresslevel)
