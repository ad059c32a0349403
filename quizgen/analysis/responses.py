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
_PROTECTED_RE = re.compile(r"^'(?='*[=+\-@\t\r])")


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


class Column:
    """One column as codes into its distinct values: string work is done once per distinct value, not per row."""

    def __init__(self, codes, values):
        self.codes = codes        # numpy int array, one per row
        self.values = values      # numpy object array of cleaned strings

    @property
    def rows(self):
        return self.values[self.codes]


def _column(series) -> Column:
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, raw = series.cat.codes.to_numpy(), list(series.cat.categories)
    else:
        codes, raw = pd.factorize(series, use_na_sentinel=True)
        raw = list(raw)
    codes = np.asarray(codes, dtype=np.int64)
    if (codes < 0).any():  # a missing cell reads as empty
        codes = np.where(codes < 0, len(raw), codes)
        raw.append("")
    cleaned = [_unprotect("" if v is None else str(v)).strip() for v in raw]
    # values that only differed by the protective ' or by spaces are one value now
    merged, values = pd.factorize(pd.Series(cleaned, dtype=object))
    return Column(np.asarray(merged, dtype=np.int64)[codes] if len(codes) else codes, np.asarray(values, dtype=object))


def _unprotect(value: str) -> str:
    return value[1:] if _PROTECTED_RE.match(value) else value


def read_frame(source, report: Report):
    """The long CSV (path or DataFrame) as {column: Column}, with the one protective ' removed; and column places."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        df = source
        name = "<DataFrame>"
        header = [str(c).strip() for c in df.columns]
        df = df.set_axis(header, axis=1)
        if not len(df) and not [c for c in NEEDED if c not in header]:
            raise _fail(name, "no grades: the table has no rows (expected one row per student and question)")
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
    places = {c: header.index(c) + 1 for c in NEEDED}  # where each column stands in the file, for file:row:column
    return name, {c: _column(df[c]) for c in NEEDED}, places, len(df)


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
    # categories: the parser keeps each distinct value once (a class of 10,000 has ~10 distinct choices)
    kwargs = dict(sep=sep, dtype="category", keep_default_na=False, na_filter=False, usecols=lambda c: c.strip() in NEEDED,
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
    name, col, places, n_rows = read_frame(source, report)
    problems: list[Diagnostic] = []

    def cell(column: str, i: int) -> str:
        return str(col[column].values[col[column].codes[i]])

    def bad(row_mask, column: str, message) -> None:
        """row_mask: a boolean per row; message(value, i): the text for row i whose cell in column is value."""
        hits = np.flatnonzero(row_mask)
        for i in hits[:MAX_LISTED]:
            problems.append(Diagnostic(name, int(i) + 2, places.get(column, 0), "", message(cell(column, i), i)))
        if len(hits) > MAX_LISTED:
            problems.append(Diagnostic(name, 0, 0, "", f"... and {len(hits) - MAX_LISTED} more row(s) with the same problem in column '{column}'"))

    def per_value(column: str, test) -> "np.ndarray":
        """test applied once per distinct value of column, spread back over the rows."""
        c = col[column]
        return np.array([bool(test(v)) for v in c.values], dtype=bool)[c.codes]

    def numbers(column: str):
        c = col[column]
        return pd.to_numeric(pd.Series(c.values, dtype=object), errors="coerce").to_numpy(dtype=float)[c.codes]

    points, max_points = numbers("points"), numbers("max_points")
    types = col["type"]
    merged, lowered = pd.factorize(pd.Series([v.lower() for v in types.values], dtype=object))
    types.codes, types.values = np.asarray(merged, dtype=np.int64)[types.codes], np.asarray(lowered, dtype=object)
    bad(per_value("student", lambda v: v == ""), "student", lambda v, i: "column 'student' is empty (expected the student's id)")
    bad(per_value("question", lambda v: v == ""), "question", lambda v, i: "column 'question' is empty (expected the bank question id)")
    bad(per_value("type", lambda v: v not in KNOWN_TYPES), "type", lambda v, i: f"column 'type': expected one of {', '.join(KNOWN_TYPES)}, found '{v}'")
    bad(~np.isfinite(points), "points", lambda v, i: f"column 'points': expected a number, found '{v}'")
    bad(~np.isfinite(max_points) | (max_points < 0), "max_points", lambda v, i: f"column 'max_points': expected a number of points (0 or more), found '{v}'")
    outside = np.isfinite(points) & np.isfinite(max_points) & ((points < 0) | (points > max_points + 1e-9))
    bad(outside, "points", lambda v, i: f"column 'points': {v} is outside 0..{cell('max_points', i)} (expected 0 to max_points)")
    for t, pattern, expected in (("mcq", _LETTER, "one option letter (A, B, ...)"),
                                 ("multi", _LETTERS, "option letters joined by commas (A,C)"),
                                 ("tf", re.compile(r"^(True|False)$"), "True or False")):
        rows = types.rows == t
        if rows.any():
            bad(rows & ~per_value("choice", lambda v, p=pattern: v == "" or p.match(v)), "choice",
                lambda v, i, e=expected: f"column 'choice': expected {e} or nothing, found '{v}'")
            bad(rows & ~per_value("key", lambda v, p=pattern: p.match(v)), "key", lambda v, i, e=expected: f"column 'key': expected {e}, found '{v}'")
    s_codes, q_codes = col["student"].codes, col["question"].codes
    pair = s_codes * len(col["question"].values) + q_codes
    dup = pd.Series(pair).duplicated(keep="first").to_numpy()
    bad(dup, "question", lambda v, i: f"student '{cell('student', i)}' has a second row for question '{v}' (expected one row per student and question)")
    if problems:
        raise InputError(diagnostics=problems)

    # one type, max_points and key per question (the key in bank terms, whatever the version)
    n_q = len(col["question"].values)
    for column, codes in (("type", types.codes), ("max_points", pd.factorize(max_points)[0]), ("key", col["key"].codes)):
        first_row = pd.Series(np.arange(n_rows)).groupby(q_codes).first().to_numpy()
        differs = codes != codes[first_row[q_codes]]
        for i in np.flatnonzero(differs)[:MAX_LISTED]:
            j = first_row[q_codes[i]]
            qid = col["question"].values[q_codes[i]]
            here = _fmt(max_points[i]) if column == "max_points" else col[column].values[col[column].codes[i]]
            there = _fmt(max_points[j]) if column == "max_points" else col[column].values[col[column].codes[j]]
            problems.append(Diagnostic(name, int(i) + 2, places.get(column, 0), "",
                                       f"question '{qid}' has {column} '{here}' here but '{there}' on row {j + 2} "
                                       f"(expected one {column} per question{', in bank terms' if column == 'key' else ''})"))
    if problems:
        raise InputError(diagnostics=problems)

    # students in sorted order, questions in the quiz's order: nothing depends on the order of the rows
    student_names = col["student"].values
    rank = np.empty(len(student_names), dtype=np.int64)
    rank[np.argsort(student_names.astype(str), kind="stable")] = np.arange(len(student_names))
    students = sorted(str(v) for v in student_names)
    first_row = pd.Series(np.arange(n_rows)).groupby(q_codes).first().to_numpy()
    qids = [str(v) for v in col["question"].values]
    q_type = {qids[q]: str(types.values[types.codes[first_row[q]]]) for q in range(n_q)}
    q_var = {qids[q]: str(col["var"].values[col["var"].codes[first_row[q]]]) for q in range(n_q)}
    vars_per_q = pd.Series(col["var"].codes).groupby(q_codes).nunique().to_numpy()
    key_info = load_key(key) if key is not None else None
    if key_info is not None:
        order = _check_against_key(name, key_info, qids, q_type)
    elif (vars_per_q <= 1).all():  # one version: the quiz's own order q01, q02, ...
        order = sorted(qids, key=lambda q: (_natural(q_var[q]), q))
    else:  # versions shuffle the variables: an order that no version favours
        order = sorted(qids)
    position = np.array([order.index(q) for q in qids], dtype=np.int64)
    item_codes = position[q_codes]
    student_rows = rank[s_codes]
    n, k = len(students), len(order)
    scores = np.full((n, k), np.nan)
    scores[student_rows, item_codes] = points
    missing = np.isnan(scores)
    if missing.any():
        s_idx, i_idx = np.nonzero(missing)
        listed = [f"{students[a]}/{order[b]}" for a, b in zip(s_idx[:MAX_LISTED], i_idx[:MAX_LISTED])]
        more = f" and {len(s_idx) - MAX_LISTED} more" if len(s_idx) > MAX_LISTED else ""
        report.warning(name, f"{int(missing.sum())} answer(s) have no row and count as 0 points (expected one row per student "
                             f"and question): {', '.join(listed)}{more}")
        scores[missing] = 0.0

    key_entries = {e["id"]: e for e in key_info["questions"]} if key_info else {}
    choice_col = col["choice"]
    items: list[Item] = []
    choices: dict[str, object] = {}
    for j, qid in enumerate(order):
        q = qids.index(qid)
        r = first_row[q]
        qtype = q_type[qid]
        item_key = str(col["key"].values[col["key"].codes[r]])
        entry = key_entries.get(qid, {})
        options: tuple[str, ...] = ()
        texts: tuple[str, ...] = ()
        if qtype in CHOICE_TYPES:
            sel = item_codes == j
            arr = np.full(n, "", dtype=object)
            arr[student_rows[sel]] = choice_col.values[choice_col.codes[sel]]
            choices[qid] = arr
            if qtype == "tf":
                options = TF_LABELS
            elif isinstance(entry.get("options"), list) and entry["options"]:
                options = tuple(chr(65 + i) for i in range(len(entry["options"])))
                # the key lists options as shown; choices are in the bank's order (bank_order maps one to the other)
                order = entry.get("bank_order") or list(range(len(entry["options"])))
                by_bank = {b: str(t) for b, t in zip(order, entry["options"])}
                texts = tuple(by_bank.get(i, str(entry["options"][i])) for i in range(len(entry["options"])))
            else:  # without the key, options after the last letter anybody chose cannot be known
                seen = {c for v in choice_col.values[np.unique(choice_col.codes[sel])] if v for c in v.split(",")}
                seen |= {c for c in item_key.split(",") if c}
                last = max((ord(c) for c in seen), default=65)
                options = tuple(chr(c) for c in range(65, last + 1))
        items.append(Item(qid, q_var[qid], qtype, float(max_points[r]), item_key, options, str(entry.get("prompt", "")), texts))
    title = str(key_info.get("title", "")) if key_info else ""
    return Responses(name, students, items, scores, choices, title, report)


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
