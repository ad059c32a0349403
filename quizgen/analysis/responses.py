"""Reading grades_long.csv (and optionally the answer key) into a students x questions table, checking it as it goes."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, InputError, Report

# the columns item analysis reads (docs/internals.md, "Grades"); the others are the grader's business
NEEDED = ("student", "var", "question", "type", "choice", "key", "points", "max_points")
CONTRACT = ("student", "file", "version", "var", "qid", "question", "type", "given", "choice", "key",
            "points", "max_points", "how", "reason", "note")
CHOICE_TYPES = ("mcq", "multi", "tf")
KNOWN_TYPES = ("mcq", "multi", "tf", "short", "cloze", "numeric", "matching", "ordering")
TF_LABELS = ("True", "False")
MAX_LISTED = 12  # problems of one kind listed before "... and N more"

_LETTER = re.compile(r"^[A-Z]$")
_LETTERS = re.compile(r"^[A-Z](,[A-Z])*$")
# exactly the one ' that quizgen's CSV writers put before text a spreadsheet would run as a formula
_PROTECTED = r"^'(?='*[=+\-@\t\r])"


@dataclass(frozen=True)
class Item:
    """One bank question as item analysis sees it."""

    id: str
    var: str
    type: str
    max_points: float
    key: str = ""                 # the correct choice in bank terms ("" when not a choice question)
    options: tuple[str, ...] = () # choice labels: letters in the bank's order, or True/False
    prompt: str = ""
    option_texts: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def key_set(self) -> frozenset[str]:
        return frozenset(self.key.split(",")) if self.key else frozenset()


@dataclass
class Responses:
    """Scores (students x items, in points) and, for choice items, what each student chose."""

    source: str
    students: list[str]
    items: list[Item]
    scores: "object"                       # numpy float array, shape (students, items)
    choices: dict[str, "object"]           # item id -> numpy array of str (one per student; "" = no answer)
    title: str = ""
    report: Report = field(default_factory=Report)


def _fail(path: str, message: str, line: int = 0, col: int = 0) -> InputError:
    return InputError(diagnostics=[Diagnostic(path, line, col, "", message)])


def _listed(rows: list[str]) -> str:
    more = len(rows) - MAX_LISTED
    return ", ".join(rows[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def read_frame(source, report: Report):
    """The long CSV as a DataFrame of strings (path or DataFrame in), with the one protective ' removed."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        df = source.copy()
        name = "<DataFrame>"
        df.columns = [str(c).strip() for c in df.columns]
        for c in df.columns:
            df[c] = df[c].astype(str).where(df[c].notna(), "")
        header = list(df.columns)
    else:
        path = Path(source)
        name = str(path)
        df, header = _read_csv(path, report)
    missing = [c for c in NEEDED if c not in header]
    if missing:
        if "variable" in header and "answer" in header:
            raise _fail(name, "this is the long CSV of an older quizgen grade (columns student, question, variable, answer, ...); "
                              "grade again with this version to get the columns item analysis needs", 1)
        raise _fail(name, f"the header lacks column(s) {', '.join(missing)} (expected the header of grades_long.csv: "
                          f"{', '.join(CONTRACT)})", 1)
    df = df[list(NEEDED)]
    for c in ("student", "var", "question", "type", "choice", "key"):
        col = df[c]
        if col.str.startswith("'").any():
            df[c] = col.str.replace(_PROTECTED, "", regex=True)
    places = {c: header.index(c) + 1 for c in NEEDED}  # where each column stands in the file, for file:row:column
    return name, df, places


def _read_csv(path: Path, report: Report):
    import pandas as pd

    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except FileNotFoundError:
        raise _fail(str(path), "grades file not found (expected the grades_long.csv that quizgen grade writes)") from None
    except IsADirectoryError:
        raise _fail(str(path), "is a folder (expected grades_long.csv)") from None
    except OSError as exc:
        raise _fail(str(path), f"cannot read: {exc.strerror}") from None
    if not head.strip(b"\xef\xbb\xbf \r\n\t"):
        raise _fail(str(path), "the file is empty (expected a header row and one row per student and question)", 1)
    if b"\x00" in head:
        raise _fail(str(path), "binary file (expected CSV text)")
    first = head.split(b"\n", 1)[0]
    counts = {sep: first.count(sep.encode()) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))  # a spreadsheet may have re-saved it with ; or tabs
    header_text = first.decode("utf-8-sig", errors="replace").rstrip("\r")
    header = [c.strip() for c in next(csv.reader([header_text], delimiter=sep), [])]
    kwargs = dict(sep=sep, dtype=str, keep_default_na=False, na_filter=False, usecols=lambda c: c.strip() in NEEDED,
                  quotechar='"', skip_blank_lines=True, engine="c")
    try:
        try:
            df = pd.read_csv(path, encoding="utf-8-sig", **kwargs)
        except UnicodeDecodeError:
            df = pd.read_csv(path, encoding="cp1252", **kwargs)
            report.warning(path, "not UTF-8: read as Windows-1252 (save as 'CSV UTF-8' to be sure accents survive)")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeDecodeError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
        line = re.search(r"line (\d+)", detail)
        raise _fail(str(path), f"not a readable CSV table ({detail}); expected grades_long.csv as quizgen grade writes it",
                    int(line.group(1)) if line else 0) from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty and not [c for c in NEEDED if c not in header]:
        raise _fail(str(path), "no grades: the file has a header but no rows (expected one row per student and question)", 2)
    return df, header


def load_key(path_or_dict) -> dict:
    """An answer key (format 2), from a path or an already loaded dict; only what analysis needs is checked."""
    if isinstance(path_or_dict, dict):
        key, name = path_or_dict, "<key>"
    else:
        name = str(path_or_dict)
        try:
            key = json.loads(Path(path_or_dict).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _fail(name, "answer key not found (expected notebooks/teacher/<source>.key.json)") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _fail(name, f"answer key is not valid JSON ({exc.__class__.__name__})", getattr(exc, "lineno", 0)) from None
        except OSError as exc:
            raise _fail(name, f"cannot read the answer key: {exc.strerror}") from None
    questions = key.get("questions") if isinstance(key, dict) else None
    if (not isinstance(key, dict) or key.get("format") != "quizgen-answer-key" or not isinstance(questions, list)
            or not all(isinstance(q, dict) and isinstance(q.get("id"), str) for q in questions)):
        raise _fail(name, "expected a quizgen answer key (format 'quizgen-answer-key' with questions that have an id)")
    key = dict(key)
    key["_path"] = name
    return key


def _natural(text: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def build_responses(source, key=None) -> Responses:
    """Check the long CSV row by row and turn it into a Responses table; every problem is reported at once."""
    import numpy as np
    import pandas as pd

    report = Report()
    name, df, cols = read_frame(source, report)
    problems: list[Diagnostic] = []
    rownum = np.arange(2, len(df) + 2)  # the spreadsheet's row numbers (header = 1)

    def bad(mask, column: str, message) -> None:
        hits = np.flatnonzero(np.asarray(mask))
        for i in hits[:MAX_LISTED]:
            problems.append(Diagnostic(name, int(rownum[i]), cols.get(column, 0), "",
                                       message(i) if callable(message) else message))
        if len(hits) > MAX_LISTED:
            problems.append(Diagnostic(name, 0, 0, "", f"... and {len(hits) - MAX_LISTED} more row(s) with the same problem in column '{column}'"))

    points = pd.to_numeric(df["points"], errors="coerce").to_numpy(dtype=float)
    max_points = pd.to_numeric(df["max_points"], errors="coerce").to_numpy(dtype=float)
    student = df["student"].str.strip()
    question = df["question"].str.strip()
    qtype = df["type"].str.strip().str.lower()
    choice = df["choice"].str.strip()
    keycol = df["key"].str.strip()
    bad(student == "", "student", "column 'student' is empty (expected the student's id)")
    bad(question == "", "question", "column 'question' is empty (expected the bank question id)")
    bad(~qtype.isin(KNOWN_TYPES), "type", lambda i: f"column 'type': expected one of {', '.join(KNOWN_TYPES)}, found '{df['type'].iat[i]}'")
    bad(~np.isfinite(points), "points", lambda i: f"column 'points': expected a number, found '{df['points'].iat[i]}'")
    bad(~np.isfinite(max_points) | (max_points < 0), "max_points",
        lambda i: f"column 'max_points': expected a number of points (0 or more), found '{df['max_points'].iat[i]}'")
    ok = np.isfinite(points) & np.isfinite(max_points)
    bad(ok & ((points < 0) | (points > max_points + 1e-9)), "points",
        lambda i: f"column 'points': {df['points'].iat[i]} is outside 0..{df['max_points'].iat[i]} (expected 0 to max_points)")
    for t, pattern, expected in (("mcq", _LETTER, "one option letter (A, B, ...)"),
                                 ("multi", _LETTERS, "option letters joined by commas (A,C)"),
                                 ("tf", re.compile(r"^(True|False)$"), "True or False")):
        rows = (qtype == t).to_numpy()
        if rows.any():
            okc = choice.str.fullmatch(pattern.pattern).to_numpy() | (choice == "").to_numpy()
            bad(rows & ~okc, "choice", lambda i, e=expected: f"column 'choice': expected {e} or nothing, found '{df['choice'].iat[i]}'")
            okk = keycol.str.fullmatch(pattern.pattern).to_numpy()
            bad(rows & ~okk, "key", lambda i, e=expected: f"column 'key': expected {e}, found '{df['key'].iat[i]}'")
    dup = pd.DataFrame({"s": student, "q": question}).duplicated(keep="first").to_numpy()
    bad(dup, "question", lambda i: f"student '{student.iat[i]}' has a second row for question '{question.iat[i]}' (expected one row per student and question)")
    if problems:
        raise InputError(diagnostics=problems)

    frame = pd.DataFrame({"student": student, "question": question, "type": qtype, "choice": choice, "key": keycol,
                          "var": df["var"].str.strip(), "points": points, "max_points": max_points, "row": rownum})
    per_q = frame.groupby("question", sort=False)
    for column, what in (("type", "type"), ("max_points", "max_points"), ("key", "key")):
        varying = per_q[column].nunique()
        for qid in varying[varying > 1].index[:MAX_LISTED]:
            rows = frame.loc[frame["question"] == qid].drop_duplicates(column)
            a, b = rows.iloc[0], rows.iloc[1]
            problems.append(Diagnostic(name, int(b["row"]), cols.get(column, 0), "",
                                       f"question '{qid}' has {what} '{_fmt(b[column])}' here but '{_fmt(a[column])}' on row {a['row']} "
                                       f"(expected one {what} per question{', in bank terms' if what == 'key' else ''})"))
    if problems:
        raise InputError(diagnostics=problems)

    student_codes, students = pd.factorize(frame["student"], sort=True)
    first = per_q.first()
    vars_per_q = per_q["var"].nunique()
    key_info = load_key(key) if key is not None else None
    if key_info is not None:
        order = _check_against_key(name, key_info, list(first.index), first["type"].to_dict())
    elif (vars_per_q <= 1).all():  # one version: the quiz's own order q01, q02, ...
        order = sorted(first.index, key=lambda q: (_natural(first.at[q, "var"]), q))
    else:  # versions shuffle the variables: an order that no version favours
        order = sorted(first.index)
    position = {q: i for i, q in enumerate(order)}
    item_codes = frame["question"].map(position).to_numpy()
    n, k = len(students), len(order)
    scores = np.full((n, k), np.nan)
    scores[student_codes, item_codes] = points
    missing = np.isnan(scores)
    if missing.any():
        s_idx, q_idx = np.nonzero(missing)
        listed = [f"{students[s]}/{order[q]}" for s, q in zip(s_idx[:MAX_LISTED], q_idx[:MAX_LISTED])]
        report.warning(name, f"{int(missing.sum())} answer(s) have no row and count as 0 points (expected one row per student "
                             f"and question): {_listed(listed) if len(s_idx) <= MAX_LISTED else ', '.join(listed) + ', ...'}")
        scores[missing] = 0.0

    key_entries = {e["id"]: e for e in key_info["questions"]} if key_info else {}
    items: list[Item] = []
    choices: dict[str, object] = {}
    for qid in order:
        row = first.loc[qid]
        entry = key_entries.get(qid, {})
        options: tuple[str, ...] = ()
        texts: tuple[str, ...] = ()
        if row["type"] in CHOICE_TYPES:
            sel = item_codes == position[qid]
            arr = np.full(n, "", dtype=object)
            arr[student_codes[sel]] = frame["choice"].to_numpy()[sel]
            choices[qid] = arr
            if row["type"] == "tf":
                options = TF_LABELS
            else:
                key_texts = entry.get("options") if isinstance(entry.get("options"), list) else None
                if key_texts:
                    options = tuple(chr(65 + i) for i in range(len(key_texts)))
                    texts = tuple(str(t) for t in key_texts)
                else:  # without the key, options after the last letter anybody chose cannot be known
                    seen = {c for v in frame.loc[sel, "choice"].unique() if v for c in v.split(",")} | set(row["key"].split(","))
                    last = max(ord(c) for c in seen if c) if any(seen) else 65
                    options = tuple(chr(c) for c in range(65, last + 1))
        items.append(Item(qid, str(row["var"]), str(row["type"]), float(row["max_points"]), str(row["key"]),
                          options, str(entry.get("prompt", "")), texts))
    title = str(key_info.get("title", "")) if key_info else ""
    return Responses(name, list(map(str, students)), items, scores, choices, title, report)


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_against_key(name: str, key: dict, question_ids: list[str], types: dict[str, str]) -> list[str]:
    """The key's question order, after making sure the grades are of this key's quiz."""
    key_ids = [e["id"] for e in key["questions"]]
    unknown = sorted(set(question_ids) - set(key_ids))
    absent = [q for q in key_ids if q not in set(question_ids)]
    if unknown and len(unknown) == len(set(question_ids)):
        raise _fail(name, f"these grades are of another quiz: none of their {len(unknown)} questions (e.g. {unknown[0]}) is in the key "
                          f"{key['_path']} (expected the grades_long.csv written by quizgen grade with this key)")
    if unknown or absent:
        parts = []
        if unknown:
            parts.append(f"its question(s) {_listed(unknown)} are not in the key")
        if absent:
            parts.append(f"the key's question(s) {_listed(absent)} have no grades")
        raise _fail(name, f"these grades are not of the quiz in {key['_path']} ({'; '.join(parts)}): "
                          "expected the grades_long.csv written by quizgen grade with this key")
    clash = [f"{e['id']} ({types[e['id']]} here, {e.get('type')} in the key)" for e in key["questions"]
             if e.get("type") and types.get(e["id"]) != e.get("type")]
    if clash:
        raise _fail(name, f"question types differ from the key {key['_path']}: {_listed(clash)} (expected the same quiz)")
    return key_ids
