"""A teacher's decisions on answers (overrides.csv), applied the same way whatever the order of the rows."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, InputError

REQUIRED = ("question", "given", "new_points")


@dataclass(frozen=True)
class Override:
    line: int
    student: str        # '' = everyone who gave this answer
    question: str       # bank id, variable or opaque id
    given: str          # the answer as grades_long.csv / grades_review.csv print it, or the text without quotes
    points: float
    note: str


def read_overrides(path: Path, key: dict) -> list[Override]:
    """Rows with new_points filled in; every problem is reported with its line, and nothing is graded."""
    from ..writers.csv import unprotect_cell

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message="overrides file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"cannot read the overrides file as UTF-8 CSV ({exc.__class__.__name__})")]) from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", f"expected columns {', '.join(REQUIRED)} (and optionally student, note); "
                                                                       f"missing {', '.join(missing)}")])
    entries = {}
    for e in key["questions"]:
        for name in (e["id"], e["var"], e["qid"]):
            entries[name] = e
    problems, rows = [], []
    for n, raw in enumerate(reader, 2):
        row = {(k or "").strip(): unprotect_cell((v or "").strip()) if isinstance(v, str) else "" for k, v in raw.items()}
        if not row.get("new_points"):
            continue
        q = entries.get(row.get("question", ""))
        if q is None:
            problems.append(Diagnostic(str(path), n, 0, "", f"question {row.get('question', '')[:60]!r} is not in this key (expected a question id or variable)"))
            continue
        try:
            points = float(row["new_points"])
        except ValueError:
            problems.append(Diagnostic(str(path), n, 0, "", f"new_points expected a number, found {row['new_points'][:30]!r}"))
            continue
        if not 0 <= points <= float(q["points"]):
            problems.append(Diagnostic(str(path), n, 0, "", f"new_points expected 0 to {q['points']} for {q['var']}, found {points:g}"))
            continue
        rows.append(Override(n, row.get("student", ""), q["id"], row.get("given", ""), points, row.get("note", "")))
    seen: dict[tuple, Override] = {}
    for o in rows:
        k = (o.student, o.question, o.given)
        if k in seen and seen[k].points != o.points:
            problems.append(Diagnostic(str(path), o.line, 0, "", f"contradicts line {seen[k].line} (same student, question and answer, "
                                                                 f"{seen[k].points:g} vs {o.points:g} points)"))
        seen.setdefault(k, o)
    if problems:
        raise InputError(diagnostics=problems)
    return list(seen.values())


def apply_overrides(result, overrides: list[Override], source: str) -> None:
    """Student-specific rows first, then rows for everyone; each mark takes at most one decision."""
    if not overrides:
        return
    specific = {(o.student, o.question, o.given): o for o in overrides if o.student}
    general = {(o.question, o.given): o for o in overrides if not o.student}
    used: set[int] = set()
    for sub in result.submissions:
        for m in sub.marks:
            if not m.given:
                continue
            forms = [m.given] + ([m.plain.strip()] if m.plain and m.plain.strip() != m.given else [])
            hit = next((specific[(sub.student, m.question, g)] for g in forms if (sub.student, m.question, g) in specific), None)
            if hit is None:
                hit = next((general[(m.question, g)] for g in forms if (m.question, g) in general), None)
            if hit is None:
                continue
            used.add(hit.line)
            m.points, m.how = round(hit.points, 4), "override"
            m.reason = hit.note or "the teacher's decision"
    for o in sorted(overrides, key=lambda o: o.line):
        if o.line not in used:
            who = f"{o.student}'s" if o.student else "any"
            result.warnings.append(f"{source}:{o.line}: matches no answer ({who} {o.given[:40]!r} for {o.question})")
