"""Grades into an LMS gradebook: the class roster, and the CSV files that Canvas and Moodle import (docs/gradebook.md)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, InputError, Report

ROSTER_COLUMNS = ("student", "name", "email", "sis_user_id", "sis_login_id", "canvas_id", "section")
LMS_NAMES = ("canvas", "moodle")
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
# Moodle matches every row by one user field, chosen on its import page ("Map to")
MOODLE_IDENTIFIERS = (("email", "Email address"), ("sis_user_id", "ID number"), ("sis_login_id", "Username"))
UNIQUE_IDS = ("student", "email", "sis_user_id", "sis_login_id", "canvas_id")
MAX_LISTED = 12


@dataclass(frozen=True)
class RosterEntry:
    student: str          # the id quizgen grade gives the student (notebook name or nbgrader folder)
    name: str = ""
    email: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    canvas_id: str = ""
    section: str = ""
    row: int = 0          # the row in the roster file (header = 1)


def _listed(items: list[str]) -> str:
    more = len(items) - MAX_LISTED
    return ", ".join(items[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def _header_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())  # "SIS User ID" -> sis_user_id


def read_roster(path: Path | str, lms: str | None = None) -> tuple[list[RosterEntry], Report]:
    """Read and check a roster CSV; with lms, also check it has the ids that LMS matches students by."""
    path = Path(path)
    report = Report()
    text = _decode(path, report)
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=lambda s: (first.count(s), s == ","))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    header = [_header_name(c) for c in rows[0]]
    if "student" not in header:
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", "the header has no 'student' column (expected columns "
                                                                     f"{', '.join(ROSTER_COLUMNS)}; 'student' is the id quizgen grade uses)")])
    for c in header:
        if c and c not in ROSTER_COLUMNS:
            report.warning(path, f"unknown column '{c}' ignored (expected {', '.join(ROSTER_COLUMNS)})", 1)
    entries: list[RosterEntry] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            report.error(path, f"{len(row)} cells but the header has {len(header)} (expected one cell per column)", number)
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h in ROSTER_COLUMNS}
        entry = RosterEntry(**{c: cells.get(c, "") for c in ROSTER_COLUMNS}, row=number)
        if not entry.student:
            report.error(path, "the 'student' cell is empty (expected the id quizgen grade uses for this student)", number)
            continue
        for column in UNIQUE_IDS:
            value = getattr(entry, column)
            if not value:
                continue
            seen_key = (column, value.lower() if column == "email" else value)
            if seen_key in first_seen:
                report.error(path, f"duplicate {column} '{value}' (also on row {first_seen[seen_key]}; expected each {column} once)", number)
            else:
                first_seen[seen_key] = number
        entries.append(entry)
    if not entries and not report.errors:
        report.error(path, "the roster has no students (expected a header row and one row per student)", 2)
    if lms is not None:
        _check_ids(path, entries, lms, report)
    report.raise_if_errors()
    return entries, report


def _decode(path: Path, report: Report) -> str:
    from .tables import read_table_text

    return read_table_text(path, report, "roster", "a roster CSV with a 'student' column, a header row and one row per student; see docs/gradebook.md")


def _check_ids(path: Path, entries: list[RosterEntry], lms: str, report: Report) -> None:
    if lms == "canvas":
        for e in entries:
            if not (e.canvas_id or e.sis_user_id or e.sis_login_id):
                report.error(path, f"student '{e.student}' has no canvas_id, sis_user_id or sis_login_id "
                                   "(Canvas matches students by these: expected at least one)", e.row)
    elif lms == "moodle":
        if entries and _moodle_identifier(entries) is None:
            gaps = "; ".join(f"{col} empty on row(s) {_listed([str(e.row) for e in entries if not getattr(e, col)])}"
                             for col, _ in MOODLE_IDENTIFIERS)
            report.error(path, "Moodle matches every student by one field: expected email, sis_user_id (Moodle's ID number) "
                               f"or sis_login_id (Moodle's username) filled in on every row ({gaps})")


def _moodle_identifier(entries: list[RosterEntry]) -> tuple[str, str] | None:
    for column, heading in MOODLE_IDENTIFIERS:
        if all(getattr(e, column) for e in entries):
            return column, heading
    return None


def _grade(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def gradebook_rows(lms: str, roster: list[RosterEntry], totals: dict[str, float], points_possible: float,
                   assignment: str, source: str = "grades") -> tuple[list[list[str]], Report]:
    """The rows of the gradebook file; warnings for roster students with no grade and for grades not in the roster."""
    from .writers.csv import protect_cell

    if lms not in LMS_NAMES:
        raise ValueError(lms)
    report = Report()
    in_roster = {e.student for e in roster}
    extra = sorted(s for s in totals if s not in in_roster)
    if totals and len(extra) == len(totals):
        raise InputError(diagnostics=[Diagnostic(source, message=f"none of the {len(totals)} graded students is in the roster "
                                                                 "(expected the roster's 'student' column to hold the ids quizgen grade uses, "
                                                                 f"e.g. '{sorted(totals)[0]}')")])
    if extra:
        lower = {e.student.lower(): e.student for e in roster}
        hints = [f"{s} (roster has {lower[s.lower()]})" if s.lower() in lower else s for s in extra]
        report.warning(source, f"{len(extra)} graded student(s) are not in the roster and were left out: {_listed(hints)}")
    absent = [e.student for e in roster if e.student not in totals]
    if absent:
        report.warning(source, f"{len(absent)} roster student(s) have no submission: their grade is left empty: {_listed(absent)}")
    if lms == "canvas":
        rows = [[*CANVAS_HEADER, assignment],
                # Canvas's own export has this row; its importer reads it as the assignment's points possible
                ["Points Possible", "", "", "", "", _grade(points_possible)]]
        for e in roster:
            grade = _grade(totals[e.student]) if e.student in totals else ""
            rows.append([protect_cell(e.name or e.student), e.canvas_id, e.sis_user_id, e.sis_login_id, protect_cell(e.section), grade])
        return rows, report
    column, heading = _moodle_identifier(roster) or ("email", "Email address")
    rows = [[heading, assignment]]
    for e in roster:
        rows.append([getattr(e, column), _grade(totals[e.student]) if e.student in totals else ""])
    return rows, report


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (Excel shows accents; Canvas and Moodle skip it), CRLF line ends."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_gradebook(lms: str, grades_long, roster_path: Path | str, output: Path | str, assignment: str):
    """Write the gradebook CSV for lms from grades_long.csv and a roster; returns (Written, Report of warnings)."""
    from .analysis.responses import build_responses
    from .atomic import write_bytes

    roster, report = read_roster(roster_path, lms)
    responses = build_responses(grades_long)
    totals = dict(zip(responses.students, (float(t) for t in responses.scores.sum(axis=1))))
    points = float(sum(it.max_points for it in responses.items))
    rows, warnings = gradebook_rows(lms, roster, totals, points, assignment, responses.source)
    report.extend(warnings)
    return write_bytes(Path(output), csv_bytes(rows), make_parents=True), report
