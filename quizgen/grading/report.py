"""Grade reports: the wide and long CSVs, the review list of near misses, per-student feedback and the summary."""
from __future__ import annotations

import hashlib
import html
import re
import statistics
import unicodedata
from pathlib import Path

from ..atomic import replace_folder, write_text
from ..errors import plural
from .grade import GradeResult, Mark, Submission

LONG_COLUMNS = ["student", "file", "version", "var", "qid", "question", "type", "given", "choice", "key", "points",
                "max_points", "how", "reason", "note"]
REVIEW_COLUMNS = ["student", "file", "var", "question", "type", "given", "points", "max_points", "how", "reason",
                  "new_points", "note"]
# a wrong answer with one of these reasons needs no second look; every other reason, and every answer accepted by a
# lenient rule (a typo, a few extra words), goes to the review list
PLAIN_WRONG = {"not right", "not the right option", "no answer"}
LENIENT = {"typo", "contains"}
_PART = re.compile(r"^\d+ of \d+ ")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_UNSAFE = re.compile(r"[^\w.-]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~!])")
_FORMULA_STARTS = frozenset("=+-@\t\r'")  # as writers/csv.py: only these can start a formula


def _fmt(x: object) -> str:
    if type(x) is float:
        return "1" if x == 1.0 else "0" if x == 0.0 else f"{x:g}"
    return str(x)


_NUMBERS: dict[float, str] = {}


def _field(value: object) -> str:
    """One CSV field as csv's minimal quoting writes it, protected against spreadsheet formulas."""
    if type(value) is float:
        text = _NUMBERS.get(value)
        if text is None:
            text = _NUMBERS[value] = _fmt(value)
        return text
    if type(value) is not str:
        return _fmt(value)
    if value[:1] in _FORMULA_STARTS:
        from ..writers.csv import protect_cell

        value = protect_cell(value)
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(rows: list[list[object]]) -> str:
    return "\ufeff" + "".join(",".join(_field(c) for c in r) + "\r\n" for r in rows)


def wide_rows(result: GradeResult) -> list[list[object]]:
    variables = [e["var"] for e in result.key["questions"]]
    max_pts = result.key["max_points"]
    rows: list[list[object]] = [["student", "file", *variables, "total", "max", "percent"]]
    qids = [e["qid"] for e in result.key["questions"]]
    for s in result.submissions:
        pts = {m.qid: m.points for m in s.marks}  # by question: a version's q05 may be the key's q12
        rows.append([s.student, s.shown, *[float(pts.get(q, 0.0)) for q in qids], float(s.total), max_pts,
                     round(100 * s.total / max_pts, 1) if max_pts else 0.0])
    return rows


def long_rows(result: GradeResult) -> list[list[object]]:
    rows: list[list[object]] = [LONG_COLUMNS]
    for s in result.submissions:
        for m in s.marks:
            rows.append([s.student, s.shown, s.version, m.var, m.qid, m.question, m.type, m.given, m.choice, m.key,
                         float(m.points), float(m.max_points), m.how, m.reason, m.note])
    return rows


def long_csv(result: GradeResult) -> str:
    """grades_long.csv as text: the same as _csv(long_rows(result)), built from pieces shared by many rows."""
    out = ["\ufeff" + ",".join(LONG_COLUMNS) + "\r\n"]
    tails: dict[tuple, str] = {}
    for s in result.submissions:
        head = f"{_field(s.student)},{_field(s.shown)},{_field(s.version)},"
        for m in s.marks:
            k = (m.var, m.qid, m.question, m.type, m.given, m.choice, m.key, m.points, m.max_points, m.how, m.reason, m.note)
            tail = tails.get(k)
            if tail is None:
                tail = tails[k] = ",".join(_field(x) for x in (m.var, m.qid, m.question, m.type, m.given, m.choice, m.key,
                                                               float(m.points), float(m.max_points), m.how, m.reason, m.note)) + "\r\n"
            out.append(head + tail)
    return "".join(out)


def needs_review(m: Mark) -> bool:
    if m.how in LENIENT:
        return True
    if m.points >= m.max_points or m.how in ("partial", "override"):
        return False
    return m.reason not in PLAIN_WRONG and not _PART.match(m.reason)


def review_rows(result: GradeResult) -> list[list[object]]:
    rows: list[list[object]] = [REVIEW_COLUMNS]
    for s in result.submissions:
        if s.problem:
            continue
        for m in s.marks:
            if m.how in LENIENT or (m.points < m.max_points and needs_review(m)):
                result.review.append((s, m))
                rows.append([s.student, s.shown, m.var, m.question, m.type, m.given, float(m.points), float(m.max_points),
                             m.how, m.reason, "", ""])
    return rows


def feedback_names(students: list[str]) -> dict[str, str]:
    """A file name per student, unique even on case-insensitive file systems and safe on every one.

    A name that had to change to be safe, clashes with another when case and Unicode forms are folded, or is
    reserved on Windows (CON, NUL, ...) takes a short hash of the full id, so two students never share a file.
    """
    def safe(s: str) -> str:
        name = _UNSAFE.sub("_", unicodedata.normalize("NFC", s)).strip("._ ") or "student"
        while len(name.encode("utf-8")) > 100:
            name = name[:-1]
        return name

    def fold(s: str) -> str:
        return unicodedata.normalize("NFKC", s).casefold()

    base = {s: safe(s) for s in students}
    counts: dict[str, int] = {}
    for b in base.values():
        counts[fold(b)] = counts.get(fold(b), 0) + 1
    out = {}
    for s, b in base.items():
        if b != s or counts[fold(b)] > 1 or fold(b).split(".")[0] in _RESERVED:
            b = f"{b}-{hashlib.blake2b(s.encode('utf-8', 'surrogatepass'), digest_size=4).hexdigest()}"
        out[s] = b
    folded = [fold(v) for v in out.values()]
    if len(set(folded)) != len(folded):  # a hashed name met a real one: longer hashes for every clash
        for s in students:
            if folded.count(fold(out[s])) > 1:
                out[s] = f"{base[s]}-{hashlib.blake2b(s.encode('utf-8', 'surrogatepass'), digest_size=12).hexdigest()}"
    return out


def md(text: str) -> str:
    """Markdown-escape text from a student or a key so it shows as written, never as markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("&", "&amp;"))


def code_span(text: str) -> str:
    """Inline code that any backticks inside cannot close."""
    if "`" not in text:
        return f"` {text} `"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


class Feedback:
    """Feedback files for one key. A question's part of the file is built once per distinct answer and shared by
    every student who gave it; the key's texts are escaped once."""

    def __init__(self, key: dict, versions: dict[str, list[dict]] | None = None):
        self.key = key
        self.versions = {"": key["questions"], **(versions or {})}
        self.texts: dict[tuple[str, str], tuple[str, str, str]] = {}   # per version and variable (a version has its own letters)
        self.blocks: dict[tuple, str] = {}

    def _texts(self, version: str, var: str) -> tuple[str, str, str]:
        found = self.texts.get((version, var))
        if found is None:
            if version not in self.versions:
                from .grade import version_key

                self.versions[version] = version_key(self.key, version)["questions"]
            for e in self.versions[version]:
                self.texts[(version, e["var"])] = (md(e["prompt"]), f"- Correct answer: {md(e.get('answer_text', ''))}",
                                                   f"- The text says: “{md(e['evidence'])}”" if e.get("evidence") else "")
            found = self.texts[(version, var)]
        return found

    def markdown(self, sub: Submission) -> str:
        max_pts = self.key["max_points"]
        lines = [f"# Feedback: {md(self.key['title'])}", "", f"Student: {md(sub.student)}  ", f"File: {md(sub.shown)}", "",
                 f"Score: {sub.total:g} of {max_pts:g} ({100 * sub.total / max_pts:.0f}%)" if max_pts else "Score: 0", ""]
        if sub.problem:
            lines += [f"**This notebook could not be graded:** {md(sub.problem)}.", ""]
        for note in sub.notes:
            lines += [f"Note: {md(note)}.", ""]
        problem = bool(sub.problem)
        for m in sub.marks:
            k = (sub.version, m.var, m.given, m.points, m.max_points, m.how, m.reason, m.note, problem)
            block = self.blocks.get(k)
            if block is None:
                block = self.blocks[k] = self._block(m, problem, sub.version)
            lines.append(block)
        return "\n".join(lines)

    def html(self, sub: Submission) -> str:
        return ("<!doctype html><meta charset='utf-8'><title>Feedback</title>"
                f"<pre style='white-space:pre-wrap;font-family:sans-serif'>{html.escape(self.markdown(sub))}</pre>\n")

    def _block(self, m: Mark, problem: bool, version: str = "") -> str:
        prompt, correct, evidence = self._texts(version, m.var)
        full = m.points >= m.max_points
        state = "right" if full else ("part marks" if m.points else "not right")
        lines = [f"## {m.var}: {state} ({m.points:g}/{m.max_points:g})", "", prompt, ""]
        if m.given:
            lines.append(f"- Your answer: {code_span(m.given)}")
        if m.how and m.how not in ("exact", "partial"):
            lines.append(f"- Accepted: {_HOW_WORDS.get(m.how, md(m.how))}.")
        if not full:
            if m.reason and not problem:
                lines.append(f"- {md(m.reason[0].upper() + m.reason[1:])}.")
            lines.append(correct)
            if evidence:
                lines.append(evidence)
        if m.note:
            lines.append(f"- Note: {md(m.note)}.")
        lines.append("")
        return "\n".join(lines)


def feedback_markdown(key: dict, sub: Submission) -> str:
    return Feedback(key).markdown(sub)


_HOW_WORDS = {"alternate": "another accepted wording", "letter": "the letter with the option's text",
              "option-text": "the option's text", "number-word": "the number in another form", "unit": "the number with its unit",
              "date-form": "the date in another written form", "typo": "a one-letter slip in a name",
              "contains": "the answer with a few extra words", "override": "the teacher's decision"}


def feedback_html(key: dict, sub: Submission) -> str:
    return Feedback(key).html(sub)


def write_reports(result: GradeResult, output: Path, feedback_format: str = "md") -> None:
    """Both CSVs, the review list and every feedback file, each written whole (atomic) or not at all."""
    output = Path(output)
    written = [write_text(output, _csv(wide_rows(result)), make_parents=True),
               write_text(output.with_name(output.stem + "_long.csv"), long_csv(result)),
               write_text(output.with_name(output.stem + "_review.csv"), _csv(review_rows(result)))]
    fb_dir = output.parent / f"{output.stem}_feedback"
    names = feedback_names([s.student for s in result.submissions])
    feedback = Feedback(result.key, result.versions)
    render = feedback.markdown if feedback_format == "md" else feedback.html
    files = {f"{names[s.student]}.{feedback_format}": render(s).encode("utf-8") for s in result.submissions}
    # the folder is replaced whole: it holds exactly this run's students, never a mix with an earlier run
    written += replace_folder(fb_dir, files)
    result.written = written
    result.feedback_dir = fb_dir


def print_summary(result: GradeResult, console, err_console=None) -> None:
    """What a teacher reads after grading: counts, spread, hardest questions, files; warnings on standard error."""
    from rich.table import Table

    err = err_console or console
    for w in result.warnings:
        err.print(f"warning: {w}", markup=False)
    subs = result.submissions
    max_pts = result.key["max_points"]
    console.print(f"Graded {plural(len(subs), 'submission')} of {result.key['title']} ({plural(len(result.key['questions']), 'question')}, "
                  f"{max_pts:g} point{'' if max_pts == 1 else 's'}).", markup=False)
    graded = [s for s in subs if not s.problem]
    if graded and max_pts:
        pct = [100 * s.total / max_pts for s in graded]
        console.print(f"Mean {sum(pct) / len(pct):.1f}%, median {statistics.median(pct):.1f}%.", markup=False)
        share: dict[str, float] = {}
        common_var = {e["qid"]: e["var"] for e in result.key["questions"]}  # versions: named as in the common quiz
        for s in graded:
            for m in s.marks:
                var = common_var.get(m.qid, m.var)
                share[var] = share.get(var, 0.0) + (m.points / m.max_points if m.max_points else 0.0)
        hardest = sorted(((var, total / len(graded)) for var, total in share.items()), key=lambda kv: (kv[1], kv[0]))[:5]
        table = Table(title="Hardest questions")
        table.add_column("question")
        table.add_column("right", justify="right")
        for var, mean in hardest:
            table.add_row(var, f"{100 * mean:.0f}%")
        console.print(table)
    for s in subs:
        if s.problem:
            err.print(f"not graded: {s.student} ({s.shown}): {s.problem}", markup=False)
    if result.review:
        console.print(f"{plural(len(result.review), 'answer')} to review (near misses, lenient matches): "
                      f"{result.written[2].path if len(result.written) > 2 else 'grades_review.csv'}", markup=False)
    for w in result.written[:2]:
        console.print(str(w), markup=False)
    if result.feedback_dir is not None:
        console.print(f"{plural(len(subs), 'feedback file')} in {result.feedback_dir}", markup=False)
