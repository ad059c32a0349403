"""Grading a class: read each submission statically (nbread), mark it (marking), give every student one stable id."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import nbread
from ..errors import Diagnostic, InputError
from ..marking import judge, prepare
from .collect import Candidate, collect, copy_free, has_copy_mark, notebook_stem

KEY_FORMAT = "quizgen-answer-key"
KEY_VERSION = 2
MAX_SHOWN = 200


@dataclass(slots=True)
class Mark:
    """One answer as graded."""

    var: str
    qid: str
    question: str        # the bank id
    type: str
    given: str           # the answer as read, printed (sets sorted); '' when nothing was read
    points: float
    max_points: float
    how: str = ""
    reason: str = ""
    note: str = ""
    choice: str = ""     # mcq/multi/tf: what was chosen, in bank terms
    key: str = ""        # mcq/multi/tf: the right choice, in bank terms
    plain: str = ""      # a text answer as typed (for overrides written without quotes)


@dataclass
class Submission:
    student: str
    shown: str                       # the file, relative to the folder given (every report row carries it)
    marks: list[Mark] = field(default_factory=list)
    problem: str = ""                # the notebook could not be graded: why (all marks 0)
    notes: list[str] = field(default_factory=list)
    declared: str | None = None      # student = "..." in the notebook
    matches: bool = False            # it is this quiz (metadata, answer cells, or answers read)

    @property
    def total(self) -> float:
        return round(sum(m.points for m in self.marks), 4)


@dataclass
class GradeResult:
    key: dict
    submissions: list[Submission]
    written: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review: list[tuple[Submission, Mark]] = field(default_factory=list)
    feedback_dir: Path | None = None


def load_key(path: Path) -> dict:
    """The answer key (format 2), checked enough that grading cannot fail half-way on it."""
    path = Path(path)
    try:
        key = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message="answer key not found (expected notebooks/teacher/<source>.key.json)")]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 0)
        raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", f"answer key is not valid JSON ({exc.__class__.__name__})")]) from None
    if not isinstance(key, dict) or key.get("format") != KEY_FORMAT:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"expected a quizgen answer key (format '{KEY_FORMAT}'), found something else")])
    if key.get("version") != KEY_VERSION:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"expected answer key version {KEY_VERSION}, found {key.get('version')!r}: "
                                                                    "build the notebooks again with this quizgen")])
    questions = key.get("questions")
    problems = []
    if not isinstance(questions, list) or not questions:
        problems.append("expected a list of questions")
    else:
        for i, e in enumerate(questions, 1):
            missing = [f for f in ("qid", "id", "var", "type", "correct", "points", "prompt") if not isinstance(e, dict) or f not in e]
            if missing:
                problems.append(f"question {i}: missing {', '.join(missing)}")
                continue
            try:
                prepare(e)
            except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
                problems.append(f"question {i} ({e['var']}): cannot read its answer ({exc.__class__.__name__}: {str(exc)[:80]})")
    if problems:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"answer key: {p}") for p in problems])
    key.setdefault("max_points", sum(e["points"] for e in questions))
    return key


def show_value(value: object, limit: int = MAX_SHOWN) -> str:
    """An answer printed the same way every run: sets sorted, long values cut."""
    def render(v: object) -> str:
        if isinstance(v, (set, frozenset)):
            return "{" + ", ".join(sorted(render(x) for x in v)) + "}" if v else "set()"
        if isinstance(v, list):
            return "[" + ", ".join(render(x) for x in v) + "]"
        if isinstance(v, tuple):
            return "(" + ", ".join(render(x) for x in v) + ("," if len(v) == 1 else "") + ")"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{render(k)}: {render(x)}" for k, x in v.items()) + "}"
        return repr(v)

    text = render(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _freeze(value: object) -> object:
    """A hashable stand-in for an answer value, to reuse verdicts for answers many students share."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_freeze(k), _freeze(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _key_choice(e: dict) -> str:
    c = e["correct"]
    if e["type"] == "mcq":
        return bank_terms(e, str(c))
    if e["type"] == "multi":
        return bank_terms(e, ",".join(sorted(c)))
    if e["type"] == "tf":
        return "True" if c else "False"
    return ""


_LETTERS = "ABCDEFGHIJ"


def bank_terms(e: dict, shown: str) -> str:
    """A choice in the letters the student saw, as letters of the bank question's own option order (a quiz
    re-letters options to balance keys, and a student's version shuffles them: item analysis is per bank option)."""
    order = e.get("bank_order")
    if not shown or not order or e["type"] not in ("mcq", "multi"):
        return shown
    out = []
    for letter in shown.split(","):
        i = _LETTERS.find(letter)
        out.append(_LETTERS[order[i]] if 0 <= i < len(order) else letter)
    return ",".join(sorted(out))


class Marker:
    """Marks answers against one key, reusing the verdict for an answer it has already judged."""

    def __init__(self, key: dict):
        self.entries = key["questions"]
        self.prepared = {e["var"]: prepare(e) for e in self.entries}
        self.key_choice = {e["var"]: _key_choice(e) for e in self.entries}
        self.cache: dict[tuple, object] = {}

    def mark(self, reading: nbread.Reading) -> list[Mark]:
        marks = []
        answers, cache = reading.answers, self.cache
        for e in self.entries:
            var, pts = e["var"], float(e["points"])
            a = answers.get(var)
            if a is None:
                marks.append(Mark(var, e["qid"], e["id"], e["type"], "", 0.0, pts, "", "no answer", "", "", self.key_choice[var]))
                continue
            note = f"answered in {len(a.cells)} cells; the last one counts" if len(a.cells) > 1 else ""
            if a.error or a.value is None:
                marks.append(Mark(var, e["qid"], e["id"], e["type"], "" if a.error else "None", 0.0, pts, "",
                                  a.error or "no answer", note, "", self.key_choice[var]))
                continue
            value = a.value
            try:
                cache_key = (var, type(value), value) if type(value) in (str, int, float, bool) else (var, _freeze(value))
                known = cache.get(cache_key)
                if known is None:
                    known = cache[cache_key] = self._judge(e, var, pts, value)
            except TypeError:  # unhashable in some corner: judge without the cache
                known = self._judge(e, var, pts, value)
            points, how, reason, choice, given, plain = known
            marks.append(Mark(var, e["qid"], e["id"], e["type"], given, points, pts, how, reason, note, choice,
                              self.key_choice[var], plain))
        return marks

    def _judge(self, e: dict, var: str, pts: float, value: object) -> tuple:
        verdict = judge(self.prepared[var], value)
        return (round(pts * verdict.fraction, 4), verdict.how, verdict.reason, bank_terms(e, verdict.choice), show_value(value),
                value if isinstance(value, str) else "")


def _read(c: Candidate, variables: list[str]) -> nbread.Reading:
    if c.problem:
        r = nbread.Reading()
        r.problem = c.problem
        return r
    if c.zip_ref is not None:
        data, why = c.read_bytes()
        if data is None:
            r = nbread.Reading()
            r.problem = why
            return r
        return nbread.read_notebook(data, variables)
    return nbread.read_path(c.path, variables)


def _folded(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def grade_submissions(key: dict, paths: list[Path], progress: bool = False) -> GradeResult:
    """Find, read and mark every submission; ids settled, duplicates resolved; nothing written."""
    collected = collect([Path(p) for p in paths])
    try:
        return _grade(key, collected, progress)
    finally:
        collected.close()


def _grade(key: dict, collected, progress: bool) -> GradeResult:
    result = GradeResult(key, [], warnings=list(collected.warnings))
    variables = [e["var"] for e in key["questions"]]
    qids = {e["qid"] for e in key["questions"]}
    handed_out = {_folded(notebook_stem(f)) for f in key.get("student_files", [])}
    candidates = collected.candidates
    iterator = candidates
    if progress and len(candidates) > 50:
        from rich.progress import track

        iterator = track(candidates, description="Reading", transient=True, console=None)
    read: list[tuple[Candidate, nbread.Reading, Submission]] = []
    for c in iterator:
        reading = _read(c, variables)
        sub = Submission(c.student, c.shown, problem=reading.problem, declared=reading.student)
        if c.note:
            sub.notes.append(c.note)
        sub.notes.extend(reading.notes)
        if not reading.problem:
            if reading.quiz_id is not None and reading.quiz_id != key["quiz_id"]:
                sub.problem = f"a different quiz ({reading.quiz_id[:80]}; this key is {key['quiz_id']})"
            else:
                sub.matches = reading.quiz_id == key["quiz_id"] or bool(qids & set(reading.qids.values())) or \
                              any(a.error == "" and a.value is not None for a in reading.answers.values())
        _settle_name(c, sub, handed_out, result.warnings)
        read.append((c, reading, sub))
    chosen = _resolve_duplicates(read, handed_out, result.warnings)
    _unique_ids([sub for _, _, sub in chosen], result.warnings)
    if not chosen:
        where = ", ".join(str(p) for p in collected_roots(collected)) or "the paths given"
        raise InputError(f"no submission found (looked for .ipynb files in {where})")
    if not any(sub.matches for _, _, sub in chosen):
        seen = sorted({s.problem for _, _, s in chosen if s.problem})
        raise InputError(f"none of the {len(chosen)} submission(s) is the quiz of this key ({key['quiz_id']}); "
                         f"nothing was written. Check the key. " + (f"Found: {'; '.join(seen[:3])}" if seen else ""))
    marker = Marker(key)
    for c, reading, sub in chosen:
        if sub.problem:
            sub.marks = [Mark(e["var"], e["qid"], e["id"], e["type"], "", 0.0, float(e["points"]), reason=sub.problem,
                              key=marker.key_choice[e["var"]]) for e in key["questions"]]
        else:
            sub.marks = marker.mark(reading)
        result.submissions.append(sub)
    result.submissions.sort(key=lambda s: (s.student.casefold(), s.student, s.shown))
    return result


def collected_roots(collected) -> list[str]:
    return sorted({c.shown.split("/")[0] for c in collected.candidates})


def _settle_name(c: Candidate, sub: Submission, handed_out: set[str], warnings: list[str]) -> None:
    """The student id: from the layout; from `student = "..."` when the file is just the handed-out notebook."""
    declared = sub.declared
    if c.from_file_name and _folded(copy_free(c.stem)) in handed_out:
        if declared:
            sub.student = declared
        else:
            sub.notes.append("the notebook does not say who the student is (student = \"...\"); named after its file")
        return
    if declared and _folded(declared) and _folded(declared) not in _folded(sub.student) and _folded(sub.student) not in _folded(declared):
        warnings.append(f"{sub.shown}: graded as {sub.student!r} (from where the file is), but it says student = {declared[:60]!r}")


def _rank(item, handed_out: set[str]) -> tuple:
    c, reading, sub = item
    return (not sub.matches, bool(sub.problem), _folded(c.stem) not in handed_out, has_copy_mark(c.stem), bool(c.note),
            -sum(1 for a in reading.answers.values() if not a.error and a.value is not None), c.shown)


def _resolve_duplicates(read, handed_out: set[str], warnings: list[str]):
    """One notebook per student folder: the quiz of this key, then the handed-out file name, then one without
    a copy mark (-Copy1, (1)), then not renamed, then the most answers, then the first by path. Warn about the rest."""
    groups: dict[str, list] = {}
    for item in read:
        groups.setdefault(item[0].group, []).append(item)
    chosen = []
    for group in groups.values():
        ordered = sorted(group, key=lambda item: _rank(item, handed_out))
        best = ordered[0]
        chosen.append(best)
        for other in ordered[1:]:
            warnings.append(f"{best[2].student}: graded {best[0].shown}; not graded {other[0].shown} "
                            "(one notebook per student: this quiz, the handed-out name, no copy mark, most answers)")
    return chosen


def _unique_ids(subs: list[Submission], warnings: list[str]) -> None:
    """Two submissions never share an id: each of a clashing set takes its path as well."""
    by_id: dict[str, list[Submission]] = {}
    for s in subs:
        by_id.setdefault(s.student, []).append(s)
    for sid, same in by_id.items():
        if len(same) > 1:
            for s in same:
                s.student = f"{sid} ({s.shown})"
            warnings.append(f"{len(same)} submissions are all {sid!r}: kept apart as " + ", ".join(repr(s.student) for s in same))
