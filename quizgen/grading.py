"""Grading submitted quiz notebooks statically: answers are parsed as literals, never executed."""
from __future__ import annotations

import ast
import csv
import io
import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from .answer_canon import as_bool, as_letter, as_letter_list, as_number, as_pairs, normalise_answer
from .atomic import Written, write_text
from .errors import Diagnostic, InputError, plural
from .quiz import KEY_FORMAT

MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
MAX_CELL_CHARS = 100_000
MAX_NESTING = 50
MAX_SHOWN = 200


@dataclass
class Mark:
    question_id: str
    var: str
    given: str
    points: float
    max_points: float
    reason: str
    note: str = ""


@dataclass
class Submission:
    student: str
    path: Path
    marks: list[Mark] = field(default_factory=list)
    problem: str = ""

    @property
    def total(self) -> float:
        return sum(m.points for m in self.marks)


@dataclass
class GradeResult:
    key: dict
    submissions: list[Submission]
    written: list[Written]


def load_key(path: Path) -> dict:
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message="answer key not found (expected notebooks/teacher/<source>.key.json)")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", f"answer key is not valid JSON ({exc.__class__.__name__})")]) from None
    if not isinstance(key, dict) or key.get("format") != KEY_FORMAT:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"expected a quizgen answer key (format '{KEY_FORMAT}'), found something else")])
    return key


# ---- reading a submission -------------------------------------------------------------------

def _cells(nb: dict) -> list[dict]:
    if nb.get("nbformat") == 3:  # old notebooks keep cells in worksheets, code in "input"
        cells = [c for ws in nb.get("worksheets", []) if isinstance(ws, dict) for c in ws.get("cells", [])]
        return [{"cell_type": c.get("cell_type"), "source": c.get("input", ""), "metadata": c.get("metadata", {})}
                for c in cells if isinstance(c, dict)]
    cells = nb.get("cells", [])
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


_NOT_BRACKET = re.compile(r"[^()\[\]{}]+")


def _nesting(src: str) -> int:
    depth = deepest = 0
    for ch in _NOT_BRACKET.sub("", src):
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


@dataclass
class Found:
    value: object = None
    cell: int = -1
    error: str = ""        # why the value could not be read
    cells: list[int] = field(default_factory=list)


def find_answers(cells: list[dict], variables: set[str], cell_owner: dict[int, str]) -> tuple[dict[str, Found], dict[str, str]]:
    """For each variable, the last top-level assignment to it in the notebook (cell order), read as a literal.

    Returns what was found, and per question id the problem with its own answer cell (e.g. a syntax error).
    """
    found: dict[str, Found] = {}
    cell_problems: dict[str, str] = {}
    # a cell can only assign an answer if it has "qNN =" (or "qNN: T =") somewhere: parse just those
    assigns = re.compile(r"\b(?:%s)\s*(?::[^=\n]*)?=(?!=)" % "|".join(map(re.escape, sorted(variables))))
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        src = _source(cell)
        owner = cell_owner.get(index)
        if owner is None and not assigns.search(src):
            continue
        mentions = [v for v in variables if v in src]
        if not mentions and owner is None:
            continue
        if len(src) > MAX_CELL_CHARS:
            if owner:
                cell_problems[owner] = f"answer cell too large ({len(src):,} characters; at most {MAX_CELL_CHARS:,})"
            for v in mentions:
                f = found.setdefault(v, Found())
                f.cells.append(index)
                f.value, f.cell, f.error = None, index, f"answer too large ({len(src):,} characters)"
            continue
        if _nesting(src) > MAX_NESTING:
            for v in mentions:
                f = found.setdefault(v, Found())
                f.cells.append(index)
                f.value, f.cell, f.error = None, index, f"not a plain value (nested more than {MAX_NESTING} deep)"
            continue
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            where = f" on line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno else ""
            if owner:
                cell_problems[owner] = f"syntax error in the answer cell{where}"
            continue
        for node in tree.body:
            targets, value = [], None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            for t in targets:
                if isinstance(t, ast.Name) and t.id in variables:
                    f = found.setdefault(t.id, Found())
                    if index not in f.cells:
                        f.cells.append(index)
                    f.cell = index
                    try:
                        f.value, f.error = ast.literal_eval(value), ""
                    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                        f.value, f.error = None, "not a plain value (the grader runs no code)"
    return found, cell_problems


# ---- marking one answer ---------------------------------------------------------------------

def mark_answer(entry: dict, value: object) -> tuple[float, str]:
    """The fraction of the points an answer earns (0..1), and why."""
    t, correct = entry["type"], entry["correct"]
    if t == "mcq":
        letter = as_letter(value)
        if letter is None and isinstance(value, str):
            norm = normalise_answer(value)
            for i, opt in enumerate(entry.get("options", [])):
                if normalise_answer(opt) == norm:
                    letter = "ABCDEF"[i]
        if letter is None:
            return 0.0, "expected a letter (A-D) or the text of an option"
        return (1.0, "right") if letter == correct else (0.0, "wrong option")
    if t == "tf":
        b = as_bool(value)
        if b is None:
            return 0.0, "expected True or False"
        return (1.0, "right") if b == correct else (0.0, "wrong")
    if t in ("short", "cloze"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return 0.0, "expected text"
        norm = normalise_answer(value)
        return (1.0, "right") if norm in {normalise_answer(a) for a in correct} else (0.0, "wrong")
    if t == "numeric":
        n = as_number(value)
        if n is None:
            return 0.0, "expected a number"
        return (1.0, "right") if abs(n - correct["value"]) <= correct["tolerance"] + 1e-9 else (0.0, "wrong")
    if t == "ordering":
        letters = as_letter_list(value)
        if letters is None:
            letters = _items_to_letters(value, entry.get("items", []))
        if letters is None:
            return 0.0, "expected a list of letters"
        hits = sum(1 for a, b in zip(letters, correct) if a == b)
        frac = hits / len(correct)
        return frac, "right" if frac == 1 else f"{hits} of {len(correct)} in the right place"
    if t == "matching":
        pairs = as_pairs(value)
        if pairs is None:
            return 0.0, "expected a dict of statement number -> letter"
        hits = sum(1 for k, v in correct.items() if pairs.get(int(k)) == v)
        frac = hits / len(correct)
        return frac, "right" if frac == 1 else f"{hits} of {len(correct)} pairs right"
    return 0.0, f"unknown question type {t}"


def _items_to_letters(value: object, items: list[str]) -> list[str] | None:
    if not isinstance(value, (list, tuple)):
        return None
    norm = {normalise_answer(text): "ABCDEF"[i] for i, text in enumerate(items)}
    out = [norm.get(normalise_answer(v)) if isinstance(v, str) else None for v in value]
    return None if None in out else out  # type: ignore[return-value]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def grade_notebook(key: dict, path: Path, student: str) -> Submission:
    """Grade one submission; any problem becomes a reason, never an exception."""
    sub = Submission(student, path)
    questions = key["questions"]

    def all_zero(reason: str) -> Submission:
        sub.problem = reason
        sub.marks = [Mark(e["id"], e["var"], "", 0.0, float(e["points"]), reason) for e in questions]
        return sub

    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return all_zero(f"file too large ({size:,} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        return all_zero(f"cannot read the file ({exc.strerror})")
    if not raw.strip():
        return all_zero("empty file")
    try:
        nb = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return all_zero("not a notebook (binary or not UTF-8)")
    except json.JSONDecodeError as exc:
        return all_zero(f"not a notebook (invalid JSON at line {exc.lineno})")
    except RecursionError:
        return all_zero("not a notebook (JSON nested too deeply)")
    if not isinstance(nb, dict) or nb.get("nbformat") not in (3, 4):
        return all_zero("not a Jupyter notebook (no nbformat 3 or 4 structure)")
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    qmeta = meta.get("quizgen") if isinstance(meta.get("quizgen"), dict) else {}
    quiz_id = qmeta.get("quiz_id")
    if quiz_id is not None and quiz_id != key["quiz_id"]:
        return all_zero(f"a different quiz ({str(quiz_id)[:80]}; expected {key['quiz_id']})")

    cells = _cells(nb)
    var_of = {e["id"]: e["var"] for e in questions}
    qid_to_id = {e["qid"]: e["id"] for e in questions}
    owner: dict[int, str] = {}
    for i, c in enumerate(cells):
        m = c.get("metadata")
        qm = m.get("quizgen") if isinstance(m, dict) else None
        if isinstance(qm, dict) and qm.get("qid") in qid_to_id:
            owner[i] = qid_to_id[qm["qid"]]
    found, cell_problems = find_answers(cells, set(var_of.values()), owner)
    for e in questions:
        f = found.get(e["var"])
        pts = float(e["points"])
        note = f"answered in {len(f.cells)} cells; the last one counts" if f and len(f.cells) > 1 else ""
        if f is None:
            reason = cell_problems.get(e["id"], "no answer")
            sub.marks.append(Mark(e["id"], e["var"], "", 0.0, pts, reason, note))
            continue
        if f.error:
            sub.marks.append(Mark(e["id"], e["var"], "", 0.0, pts, f.error, note))
            continue
        if f.value is None:
            sub.marks.append(Mark(e["id"], e["var"], "None", 0.0, pts, "no answer", note))
            continue
        frac, reason = mark_answer(e, f.value)
        sub.marks.append(Mark(e["id"], e["var"], _shown(f.value), round(pts * frac, 4), pts, reason, note))
    if nb.get("nbformat") == 3:
        sub.problem = "nbformat 3 notebook (graded; please save as a current notebook next time)"
    return sub


# ---- finding submissions and student ids --------------------------------------------------------

def student_id_for(path: Path, root: Path | None) -> str:
    """nbgrader layout .../submitted/<student>/<assignment>/x.ipynb -> student; a student folder under
    the given folder -> its name; otherwise the file name."""
    parts = path.parts
    if "submitted" in parts:
        i = len(parts) - 1 - parts[::-1].index("submitted")
        if i + 1 < len(parts) - 1:
            return parts[i + 1]
    if root is not None and root.is_dir():
        rel = path.relative_to(root).parts
        if len(rel) > 1:
            return rel[0]
    return path.stem


def collect(paths: list[Path]) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for p in paths:
        if p.is_dir():
            files = sorted(x for x in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in x.parts and x.is_file())
            out += [(student_id_for(f, p), f) for f in files]
        elif p.exists():
            out.append((student_id_for(p, None), p))
        else:
            raise InputError(diagnostics=[Diagnostic(str(p), message="submission not found (expected a notebook or a folder of them)")])
    seen: dict[str, int] = {}
    unique = []
    for sid, f in out:
        n = seen.get(sid, 0) + 1
        seen[sid] = n
        unique.append((sid if n == 1 else f"{sid}-{n}", f))
    return unique


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_name(student: str) -> str:
    """A file name for a student's feedback that cannot leave the feedback folder."""
    name = _UNSAFE.sub("_", student).strip("._") or "student"
    return name[:100]


# ---- writing results ----------------------------------------------------------------------

def _protect(value: object) -> str:
    from .writers.csv import protect_cell

    return protect_cell(value if isinstance(value, str) else _fmt(value))


def _fmt(x: object) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow([_protect(c) for c in r])
    return "\ufeff" + buf.getvalue()


def feedback_markdown(key: dict, sub: Submission) -> str:
    by_id = {e["id"]: e for e in key["questions"]}
    lines = [f"# Feedback: {key['title']}", "", f"Student: {sub.student}", "",
             f"Score: {sub.total:g} of {key['max_points']} ({100 * sub.total / key['max_points']:.0f}%)", ""]
    if sub.problem:
        lines += [f"Note: {sub.problem}", ""]
    for m in sub.marks:
        e = by_id[m.question_id]
        ok = m.points == m.max_points
        lines += [f"## {m.var}: {'right' if ok else ('part marks' if m.points else 'not right')} ({m.points:g}/{m.max_points:g})", "",
                  e["prompt"], ""]
        if m.given:
            lines.append(f"- Your answer: `{m.given.replace('`', chr(39))}`")
        if not ok:
            lines.append(f"- {m.reason[0].upper() + m.reason[1:]}.")
            lines.append(f"- Correct answer: {e['answer_text']}")
            if e.get("evidence"):
                lines.append(f"- The text says: “{e['evidence']}”")
        if m.note:
            lines.append(f"- Note: {m.note}.")
        lines.append("")
    return "\n".join(lines)


def feedback_html(key: dict, sub: Submission) -> str:
    import html

    body = html.escape(feedback_markdown(key, sub))
    return f"<!doctype html><meta charset='utf-8'><title>Feedback</title><pre style='white-space:pre-wrap;font-family:sans-serif'>{body}</pre>\n"


def grade_all(key_path: Path, paths: list[Path], output: Path, feedback_format: str = "md",
              progress: bool = False) -> GradeResult:
    key = load_key(Path(key_path))
    subs_in = collect([Path(p) for p in paths])
    subs: list[Submission] = []
    iterator = subs_in
    if progress and len(subs_in) > 50:
        from rich.progress import track

        iterator = track(subs_in, description="Grading", transient=True)
    for sid, path in iterator:
        try:
            subs.append(grade_notebook(key, path, sid))
        except Exception as exc:  # the batch never stops for one bad file
            sub = Submission(sid, path, problem=f"could not be graded ({exc.__class__.__name__})")
            sub.marks = [Mark(e["id"], e["var"], "", 0.0, float(e["points"]), sub.problem) for e in key["questions"]]
            subs.append(sub)
    output = Path(output)
    ids = [e["id"] for e in key["questions"]]
    max_pts = key["max_points"]
    wide = [["student", *ids, "total", "max", "percent"]]
    long = [["student", "question", "variable", "answer", "points", "max_points", "reason", "note"]]
    for s in subs:
        pts = {m.question_id: m.points for m in s.marks}
        wide.append([s.student, *[pts.get(i, 0.0) for i in ids], round(s.total, 4), max_pts, round(100 * s.total / max_pts, 1)])
        for m in s.marks:
            long.append([s.student, m.question_id, m.var, m.given, m.points, m.max_points, m.reason, m.note])
    written = [write_text(output, _csv(wide), make_parents=True),
               write_text(output.with_name(output.stem + "_long.csv"), _csv(long))]
    fb_dir = output.parent / f"{output.stem}_feedback"
    fb_dir.mkdir(exist_ok=True)
    root = fb_dir.resolve()
    for s in subs:
        target = (fb_dir / f"{safe_name(s.student)}.{feedback_format}")
        if target.resolve().parent != root:  # belt and braces: never write outside the folder
            continue
        text = feedback_markdown(key, s) if feedback_format == "md" else feedback_html(key, s)
        written.append(write_text(target, text))
    return GradeResult(key, subs, written)


def print_summary(result: GradeResult, console) -> None:
    from rich.table import Table

    subs = result.submissions
    max_pts = result.key["max_points"]
    console.print(f"Graded {plural(len(subs), 'submission')} of {result.key['title']} ({plural(len(result.key['questions']), 'question')}, {plural(max_pts, 'point')}).", markup=False)
    if subs:
        pct = [100 * s.total / max_pts for s in subs]
        console.print(f"Mean {statistics.mean(pct):.1f}%, median {statistics.median(pct):.1f}%.", markup=False)
        share: dict[str, list[float]] = {}
        for s in subs:
            for m in s.marks:
                share.setdefault(m.question_id, []).append(m.points / m.max_points if m.max_points else 0)
        hardest = sorted(share.items(), key=lambda kv: (statistics.mean(kv[1]), kv[0]))[:5]
        table = Table(title="Hardest questions")
        table.add_column("question")
        table.add_column("right", justify="right")
        for qid, vals in hardest:
            table.add_row(qid, f"{100 * statistics.mean(vals):.0f}%")
        console.print(table)
    problems = [s for s in subs if s.problem]
    for s in problems:
        console.print(f"  {s.student}: {s.problem} ({s.path})", markup=False)
    for w in result.written[:2]:
        console.print(str(w), markup=False)
    if len(result.written) > 2:
        console.print(f"{plural(len(result.written) - 2, 'feedback file')} in {result.written[2].path.parent}", markup=False)
