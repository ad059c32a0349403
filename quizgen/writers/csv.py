"""CSV question banks: written with pandas, safe in spreadsheets (no formula injection), and read back exactly."""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from pathlib import Path

from ..atomic import Written, write_bytes
from ..bank import BLANK, PUBLIC_SEED, QUESTION_TYPES, Bank, Question, display_permutation
from ..errors import Diagnostic, InputError, Report
from ..facts import Citation
from . import ExportResult

MAX_OPTIONS = 10          # as many as there are letters (quizgen.bank.LETTERS)
FIRST_OPTIONS = 6         # options and matches 7-10 are the last columns, so older columns keep their places
ANSWER_KINDS = ("name", "phrase", "number", "date", "text")
COLUMNS = (["id", "type", "stem"] + [f"option_{i}" for i in range(1, FIRST_OPTIONS + 1)]
           + [f"match_{i}" for i in range(1, FIRST_OPTIONS + 1)]
           + ["correct", "alternates", "tolerance", "unit", "feedback", "points", "difficulty", "tags", "fact_id",
              "source_quote", "source_title", "source_publisher", "source_date",
              # beyond the documented core: what a deck or quiz rebuilt from the CSV needs to look the same
              "kind", "source_id", "source_name", "source_license",
              # question model 2 (docs/internals.md); a file without them still reads
              "form", "answer_kind", "near", "display", "responses", "position"]
           + [f"option_{i}" for i in range(FIRST_OPTIONS + 1, MAX_OPTIONS + 1)]
           + [f"match_{i}" for i in range(FIRST_OPTIONS + 1, MAX_OPTIONS + 1)])
REQUIRED = ("id", "type", "stem", "correct")
_DANGER = re.compile(r"^'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"^'+[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_STARTS = frozenset("=+-@\t\r'")


def protect_cell(value: str) -> str:
    """Prefix ' to text a spreadsheet would run as a formula (OWASP CSV injection); numbers stay numbers."""
    if value and value[0] in _STARTS and _DANGER.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def unprotect_cell(value: str) -> str:
    """Undo protect_cell: strip exactly the one ' it added (Excel drops it on save; then there is none)."""
    return value[1:] if value[:1] == "'" and _PROTECTED.match(value) else value


def join_list(items) -> str:
    """Items of a list cell, |-separated; a literal | or \\ inside an item is escaped with \\."""
    joined = "|".join(items)
    if "\\" not in joined and joined.count("|") == len(items) - 1:
        return joined
    return "|".join(str(x).replace("\\", "\\\\").replace("|", "\\|") for x in items)


def split_list(cell: str) -> list[str]:
    if not cell:
        return []
    if "\\" not in cell:
        return cell.split("|")
    out, cur, i = [], [], 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell) and cell[i + 1] in "\\|":
            cur.append(cell[i + 1])
            i += 2
            continue
        if ch == "|":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _num(x: float) -> str:
    return format(x, "g") if x != int(x) else str(int(x))


_INDEX = {c: i for i, c in enumerate(COLUMNS)}
_I = _INDEX  # short name for the hot loop below
_OPTION_KEYS = tuple(f"option_{i}" for i in range(1, MAX_OPTIONS + 1))
_MATCH_KEYS = tuple(f"match_{i}" for i in range(1, MAX_OPTIONS + 1))
_OPTION_AT = tuple(_I[k] for k in _OPTION_KEYS)
_MATCH_AT = tuple(_I[k] for k in _MATCH_KEYS)


def question_row(q: Question) -> list[str]:
    """One CSV row (in COLUMNS order) for a question, before spreadsheet protection."""
    row = [""] * len(COLUMNS)
    c = q.citation
    row[_I["id"]], row[_I["type"]], row[_I["stem"]] = q.id, q.type, q.prompt
    row[_I["alternates"]], row[_I["unit"]], row[_I["feedback"]] = join_list(q.alternates), q.unit, q.explanation
    row[_I["points"]], row[_I["difficulty"]], row[_I["tags"]] = str(q.points), str(q.difficulty), " ".join(q.tags)
    row[_I["fact_id"]], row[_I["source_quote"]] = join_list(q.fact_ids), q.evidence
    row[_I["source_title"]], row[_I["source_publisher"]], row[_I["source_date"]] = c.title, c.publisher, c.date
    row[_I["kind"]], row[_I["source_id"]], row[_I["source_name"]], row[_I["source_license"]] = q.kind, q.source, c.name, c.license
    for at, o in zip(_OPTION_AT, q.options):
        row[at] = o
    for at, m in zip(_MATCH_AT, q.matches):
        row[at] = m
    row[_I["form"]], row[_I["answer_kind"]], row[_I["position"]] = q.form, q.answer_kind, str(q.position)
    if q.near:
        row[_I["near"]] = join_list(q.near)
    if q.type == "mcq":
        row[_I["correct"]] = str((q.correct_index or 0) + 1)
    elif q.type == "multi":
        row[_I["correct"]] = "|".join(str(i + 1) for i, o in enumerate(q.options) if o in q.answers)
    elif q.type == "ordering":
        row[_I["display"]] = "|".join(str(i + 1) for i in q.display)
    elif q.type == "matching":
        row[_I["responses"]] = join_list(q.responses)
    elif q.type in ("tf", "short", "cloze"):
        row[_I["correct"]] = q.answer
    elif q.type == "numeric":
        row[_I["correct"]] = q.answer
        row[_I["tolerance"]] = _num(q.tolerance)
    return row


def too_wide(q: Question) -> str:
    """Why a question does not fit the CSV's option columns, or ""."""
    if len(q.options) > MAX_OPTIONS:
        what = {"matching": "premises", "ordering": "items"}.get(q.type, "options")
        return f"{len(q.options)} {what}; the CSV has columns for {MAX_OPTIONS}"
    return ""


def render(bank: Bank) -> ExportResult:
    """The whole bank as CSV bytes; a question too wide for the option columns is reported, never cut."""
    dropped = [(q.id, why) for q in bank.questions if (why := too_wide(q))]
    data = bank_csv_bytes(bank)
    return ExportResult(data, [q.id for q in bank.questions if not too_wide(q)], dropped)


def bank_csv_bytes(bank: Bank) -> bytes:
    """The CSV file's bytes: UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-like cells protected; questions with
    more options than columns are left out (render() reports them).

    Written with the csv module, which is what pandas' to_csv runs underneath (the same bytes, tested), without
    pandas' import (half of a no-op build's time).
    """
    starts = _STARTS
    # only cells that begin with a risky character need the full check
    rows = [[protect_cell(v) if v and v[0] in starts else v for v in question_row(q)]
            for q in bank.questions if len(q.options) <= MAX_OPTIONS]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def bank_csv_text(bank: Bank) -> str:
    return bank_csv_bytes(bank).decode("utf-8")


def write_bank(bank: Bank, path: Path | str | None) -> Written | str:
    """Write the bank as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting); path None returns the text."""
    data = bank_csv_bytes(bank)
    if path is None:
        return data.decode("utf-8")
    return write_bytes(Path(path), data, make_parents=True)


# ---- reading ----------------------------------------------------------------------------------

def _decode(path: Path, report: Report) -> str:
    from ..tables import read_table_text

    return read_table_text(path, report, "CSV bank", "a CSV file exported by 'quizgen export', a header row and one row per question")


def _separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda s: (counts[s], s == ","))


def read_bank(path: Path | str) -> tuple[Bank, Report]:
    """Read an exported (and perhaps spreadsheet-edited) CSV bank; every bad row is reported at once."""
    import pandas as pd

    path = Path(path)
    report = Report()
    text = _decode(path, report)
    sep = _separator(text)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                         quotechar='"', skip_blank_lines=True, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"not a readable CSV table ({str(exc).strip().splitlines()[-1]})")]) from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", f"the header lacks the required column{'s' if len(missing) != 1 else ''}: {', '.join(missing)} "
                                                                     f"(expected the header written by 'quizgen export')")])
    unknown = [c for c in df.columns if c not in COLUMNS]
    for c in unknown:
        report.warning(path, f"unknown column '{c}' ignored", 1)
    present = list(df.columns)
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    # where each column stands in the file as the teacher saved it, for file:row:column messages
    places = {c: (present.index(c) + 1 if c in present else 0) for c in COLUMNS}
    table = df[COLUMNS].to_numpy(dtype=object).tolist()
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(table, start=2):
        q = _row_question(dict(zip(COLUMNS, [unprotect_cell(v) if v and v[0] == "'" else v for v in row])), path, n, report, seen, places)
        if q is not None:
            questions.append(q)
    report.raise_if_errors()
    return Bank(tuple(questions)), report


def _row_question(r: dict[str, str], path: Path, n: int, report: Report, seen: dict[str, int],
                  places: dict[str, int]) -> Question | None:
    problems: list[Diagnostic] = []

    def bad(column: str, message: str) -> None:
        problems.append(Diagnostic(str(path), n, places.get(column, 0), "", f"column '{column}': {message}"))

    qtype = r["type"].strip().lower()
    if qtype not in QUESTION_TYPES:
        bad("type", f"expected one of {', '.join(QUESTION_TYPES)}, but received '{r['type']}'")
        report.diagnostics.extend(problems)
        return None
    stem = r["stem"]
    if not stem.strip():
        bad("stem", "the question text is empty")
    qid = r["id"].strip()
    if not qid:
        qid = "custom-" + hashlib.sha256(f"{qtype}|{stem}".encode("utf-8")).hexdigest()[:10] + f".{qtype}"
    if qid in seen:
        bad("id", f"duplicate id '{qid}' (first on row {seen[qid]}; expected each id once)")
    else:
        seen[qid] = n
    options = [r[k] for k in _OPTION_KEYS]
    matches = [r[k] for k in _MATCH_KEYS]
    while options and not options[-1]:
        options.pop()
    while matches and not matches[-1]:
        matches.pop()
    correct = r["correct"].strip()
    answer, tolerance = "", 0.0
    answers: tuple[str, ...] = ()
    source = r["source_id"].strip() or path.stem
    if qtype in ("mcq", "multi"):
        if len(options) < 2 or "" in options:
            bad("option_1", f"a {'multiple-choice' if qtype == 'mcq' else 'select-all'} question needs 2-{MAX_OPTIONS} options "
                            f"with no gaps (found {len([o for o in options if o])})")
        elif qtype == "mcq":
            if not correct.isdigit() or not 1 <= int(correct) <= len(options):
                bad("correct", f"expected an option number from 1 to {len(options)}, found '{correct}'")
            else:
                answer = options[int(correct) - 1]
                if options.count(answer) > 1:
                    bad("correct", "the correct option appears twice among the options")
        else:
            numbers = _numbers(correct, len(options))
            if not numbers:
                bad("correct", f"expected the numbers of the right options from 1 to {len(options)}, |-separated "
                               f"(e.g. 1|3), found '{correct}'")
            else:
                answers = tuple(options[i - 1] for i in sorted(numbers))
    elif qtype == "tf":
        up = correct.upper()
        if up not in ("TRUE", "FALSE"):
            bad("correct", f"expected TRUE or FALSE, found '{correct}'")
        answer = up
    elif qtype in ("short", "cloze"):
        answer = r["correct"]
        if not answer.strip():
            bad("correct", "expected the answer, found nothing")
        if qtype == "cloze" and stem.count(BLANK) != 1:
            bad("stem", f"a cloze stem must mark the blank with {BLANK} exactly once (found {stem.count(BLANK)})")
    elif qtype == "numeric":
        try:
            value = float(correct.replace(",", "")) if correct else None
        except ValueError:
            value = None
        if value is None:
            bad("correct", f"expected a number, found '{correct}'")
        else:
            answer = _num(value)
        tol_text = r["tolerance"].strip()
        try:
            tolerance = float(tol_text) if tol_text else 0.0
            if tolerance < 0:
                raise ValueError
        except ValueError:
            bad("tolerance", f"expected a number of 0 or more, found '{tol_text}'")
    responses: tuple[str, ...] = ()
    display: tuple[int, ...] = ()
    if qtype == "matching":
        if len(options) < 2 or len(options) != len(matches) or "" in options or "" in matches:
            bad("match_1", f"a matching question needs 2-{MAX_OPTIONS} options, each with its match (found {len(options)} options, {len(matches)} matches)")
        responses = tuple(split_list(r["responses"]))
        if not responses:
            # a file from before the responses column: the matches, each once, in an order that is not the key's
            unique = tuple(dict.fromkeys(matches))
            responses = tuple(unique[i] for i in display_permutation(PUBLIC_SEED, source, qid, len(unique)))
        elif len(set(responses)) != len(responses) or "" in responses:
            bad("responses", "expected every response once, |-separated, none empty")
        else:
            missing = [m for m in matches if m not in responses]
            if missing:
                bad("responses", f"the match '{missing[0]}' is not among the responses (expected every match_i in responses)")
    elif qtype == "ordering":
        if len(options) < 2 or "" in options:
            bad("option_1", f"an ordering question needs 2-{MAX_OPTIONS} items in their correct order")
        elif not r["display"].strip():
            display = display_permutation(PUBLIC_SEED, source, qid, len(options))
        else:
            numbers = [int(x) for x in r["display"].split("|") if x.strip().isdigit()]
            if sorted(numbers) != list(range(1, len(options) + 1)) or len(options) < 2:
                bad("display", f"expected the shown order as item numbers 1 to {len(options)}, each once, |-separated "
                               f"(e.g. 2|3|1), found '{r['display']}'")
            elif numbers == sorted(numbers):
                bad("display", "the shown order is the correct order (expected a different order, or leave it empty)")
            else:
                display = tuple(x - 1 for x in numbers)
    answer_kind = r["answer_kind"].strip() or "text"
    if answer_kind not in ANSWER_KINDS:
        bad("answer_kind", f"expected one of {', '.join(ANSWER_KINDS)}, found '{answer_kind}'")
    position = _int(r["position"], 0, "position", bad)
    points = _int(r["points"], 1, "points", bad)
    difficulty = _int(r["difficulty"], 2, "difficulty", bad)
    if problems:
        report.diagnostics.extend(problems)
        return None
    context, span = "", ()
    if qtype == "cloze":
        at = stem.index(BLANK)
        context, span = stem[:at] + answer + stem[at + len(BLANK):], (at, at + len(answer))
    citation = _citation(r["source_title"], r["source_publisher"], r["source_date"], r["source_license"], r["source_name"])
    return Question(
        id=qid, type=qtype, source=source, fact_ids=tuple(split_list(r["fact_id"])),  # type: ignore[arg-type]
        kind=r["kind"].strip() or "custom", prompt=stem, form=r["form"].strip(), answer=answer, answers=answers,
        options=tuple(options) if qtype in ("mcq", "multi", "matching", "ordering") else (),
        responses=responses, matches=tuple(matches) if qtype == "matching" else (), display=display,
        alternates=tuple(split_list(r["alternates"])), answer_kind=answer_kind, near=tuple(split_list(r["near"])),
        tolerance=tolerance, unit=r["unit"], explanation=r["feedback"], evidence=r["source_quote"], context=context,
        span=span, position=position, citation=citation, difficulty=difficulty, tags=tuple(r["tags"].split()),
        points=points)


def _numbers(text: str, n: int) -> set[int]:
    """Option numbers from 1 to n in a cell such as 1|3 (commas, semicolons or spaces also separate); empty if any is not."""
    parts = [p for p in re.split(r"[|,; ]+", text) if p]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= n for p in parts):
        return set()
    return {int(p) for p in parts}


@functools.lru_cache(maxsize=256)
def _citation(*fields: str) -> Citation:
    """One Citation object per source, shared by its rows (a bank has few sources and many rows)."""
    return Citation(*fields)


def _int(text: str, default: int, column: str, bad) -> int:
    if text.isdigit():
        return int(text)
    text = text.strip()
    if not text:
        return default
    try:
        return int(float(text)) if float(text).is_integer() else int("x")
    except ValueError:
        bad(column, f"expected a whole number, found '{text}'")
        return default
