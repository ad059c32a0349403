"""The question bank: immutable questions every writer reads, with stable ids and canonical serialisation."""
from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Iterable, Literal

from .facts import Citation

QuestionType = Literal["mcq", "tf", "short", "cloze", "matching", "ordering", "numeric"]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]
TYPE_LABELS = {
    "mcq": "Multiple choice", "tf": "True or false", "short": "Short answer", "cloze": "Cloze",
    "matching": "Matching", "ordering": "Ordering", "numeric": "Numeric",
}
BLANK = "_____"
LETTERS = "ABCDEF"


def stable_rng(seed: int, *parts: str) -> random.Random:
    """The one source of randomness: seeded per question id, so no question depends on another."""
    return random.Random(":".join([str(seed), *parts]))


def stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def display_permutation(question_id: str, n: int) -> tuple[int, ...]:
    """The shown order of matching answers / ordering items: seeded by id, never the correct order."""
    if n < 2:
        return tuple(range(n))
    rng = stable_rng(0, question_id, "display")
    perm = list(range(n))
    while perm == list(range(n)):
        rng.shuffle(perm)
    return tuple(perm)


@dataclass(frozen=True)
class Question:
    """One question. Writers read it; nothing changes it after the bank is built."""

    id: str
    type: QuestionType
    source: str
    fact_ids: tuple[str, ...]
    kind: str
    prompt: str
    answer: str = ""                      # mcq: correct option; tf: TRUE/FALSE; short/cloze: answer; numeric: value
    options: tuple[str, ...] = ()         # mcq: options as shown; matching: left items; ordering: items, correct order
    matches: tuple[str, ...] = ()         # matching: right items, paired with options
    alternates: tuple[str, ...] = ()
    tolerance: float = 0.0
    unit: str = ""
    explanation: str = ""
    evidence: str = ""
    citation: Citation = field(default_factory=lambda: Citation("", "", "", ""))
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    points: int = 1

    @property
    def correct_index(self) -> int | None:
        return self.options.index(self.answer) if self.type == "mcq" and self.answer in self.options else None

    @property
    def correct_letter(self) -> str:
        i = self.correct_index
        return LETTERS[i] if i is not None else ""

    @property
    def value(self) -> float | None:
        return float(self.answer) if self.type == "numeric" else None

    @property
    def shown_order(self) -> tuple[int, ...]:
        """matching: the order the right-hand answers are shown in; ordering: the order items are shown in."""
        n = len(self.matches) if self.type == "matching" else len(self.options)
        return display_permutation(self.id, n)

    def shown_items(self) -> list[tuple[str, str]]:
        """Lettered items as a student sees them: ordering's events, or matching's right-hand answers."""
        items = self.matches if self.type == "matching" else self.options
        return [(LETTERS[k], items[i]) for k, i in enumerate(self.shown_order)]

    def correct_letters(self) -> list[str]:
        """ordering: the letters in time order; matching: for each left item, the letter of its answer."""
        where = {i: LETTERS[k] for k, i in enumerate(self.shown_order)}
        return [where[i] for i in range(len(self.shown_order))]

    @property
    def answer_text(self) -> str:
        """The correct answer as a person reads it, for keys, cards and feedback."""
        if self.type == "mcq":
            return f"{self.correct_letter}. {self.answer}"
        if self.type == "matching":
            return "; ".join(f"{a} → {b}" for a, b in zip(self.options, self.matches))
        if self.type == "ordering":
            return " → ".join(self.options)
        if self.type == "numeric" and self.unit:
            return f"{self.answer} {self.unit}"
        if self.type == "tf":
            return "True" if self.answer == "TRUE" else "False"
        return self.answer

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Question":
        kwargs = dict(d)
        kwargs["citation"] = Citation(**d["citation"])
        for f in fields(cls):
            if isinstance(kwargs.get(f.name), list):
                kwargs[f.name] = tuple(kwargs[f.name])
        return cls(**kwargs)

    def _repr_html_(self) -> str:
        e = html.escape
        body = f"<div style='margin:.4em 0'><b>{e(self.id)}</b> <i>({e(TYPE_LABELS[self.type])})</i><br>{e(self.prompt)}"
        if self.type == "mcq":
            body += "<ol type='A'>" + "".join(f"<li>{e(o)}</li>" for o in self.options) + "</ol>"
        elif self.type in ("matching", "ordering"):
            body += "<ol>" + "".join(f"<li>{e(o)}</li>" for o in self.options) + "</ol>"
        body += f"<div><b>Answer:</b> {e(self.answer_text)}</div>"
        if self.evidence:
            body += f"<blockquote style='color:#555'>{e(self.evidence)}</blockquote>"
        return body + "</div>"


@dataclass(frozen=True)
class Bank:
    """A question bank: the questions of one or more sources, in a stable order (by id)."""

    questions: tuple[Question, ...]
    seed: int = 0
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.questions, key=lambda q: (q.source, q.id)))
        object.__setattr__(self, "questions", ordered)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions)

    def __getitem__(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({q.source for q in self.questions}))

    def filter(self, types: Iterable[str] | None = None, fact: str | None = None, tags: Iterable[str] | None = None,
               source: str | None = None) -> "Bank":
        types = set(types or [])
        tags = set(tags or [])
        kept = [q for q in self.questions
                if (not types or q.type in types)
                and (fact is None or fact in q.fact_ids)
                and (not tags or tags & set(q.tags))
                and (source is None or q.source == source)]
        return replace(self, questions=tuple(kept))

    def counts_by_type(self) -> dict[str, int]:
        out = {t: 0 for t in QUESTION_TYPES}
        for q in self.questions:
            out[q.type] += 1
        return out

    def to_json(self) -> str:
        """Canonical serialisation: the same bank always gives the same bytes."""
        payload = {"seed": self.seed, "questions": [q.to_dict() for q in self.questions]}
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Bank":
        payload = json.loads(text)
        return cls(tuple(Question.from_dict(d) for d in payload["questions"]), payload.get("seed", 0))

    def to_dataframe(self):
        """One row per question (pandas), for exploring a bank in Jupyter."""
        import pandas as pd

        rows = []
        for q in self.questions:
            rows.append({
                "id": q.id, "type": q.type, "source": q.source, "facts": ", ".join(q.fact_ids), "kind": q.kind,
                "prompt": q.prompt, "answer": q.answer_text, "options": list(q.options), "alternates": list(q.alternates),
                "difficulty": q.difficulty, "tags": " ".join(q.tags), "points": q.points, "evidence": q.evidence,
            })
        return pd.DataFrame(rows, columns=["id", "type", "source", "facts", "kind", "prompt", "answer", "options",
                                           "alternates", "difficulty", "tags", "points", "evidence"])

    def _repr_html_(self) -> str:
        counts = ", ".join(f"{n} {TYPE_LABELS[t].lower()}" for t, n in self.counts_by_type().items() if n)
        rows = "".join(
            f"<tr><td><code>{html.escape(q.id)}</code></td><td>{html.escape(TYPE_LABELS[q.type])}</td>"
            f"<td>{html.escape(q.prompt)}</td><td>{html.escape(q.answer_text)}</td></tr>" for q in self.questions)
        return (f"<p><b>Question bank</b>: {len(self)} questions ({counts})</p>"
                f"<table><thead><tr><th>id</th><th>type</th><th>prompt</th><th>answer</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")
