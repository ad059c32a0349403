"""The question bank: immutable questions every writer reads, with stable ids and canonical serialisation."""
from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Iterable, Iterator, Literal

from .facts import Citation
from .errors import plural

QuestionType = Literal["mcq", "multi", "tf", "short", "cloze", "numeric", "matching", "ordering"]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]
TYPE_LABELS = {
    "mcq": "Multiple choice", "multi": "Select all that apply", "tf": "True or false", "short": "Short answer",
    "cloze": "Fill in the blank", "numeric": "Numeric", "matching": "Matching", "ordering": "Ordering",
}
CHOICE_TYPES = ("mcq", "multi", "tf")
BLANK = "_____"
LETTERS = "ABCDEFGHIJ"
PUBLIC_SEED = "public"


def stable_rng(seed: str | int, *parts: str) -> random.Random:
    """The one source of randomness: seeded by the course seed and the question's own identity only."""
    return random.Random(":".join([str(seed), *parts]))


def stable_hash(text: str) -> int:
    """A stable 64-bit hash of text (not keyed: for layout decisions that reveal nothing)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def keyed_hash(seed: str | int, *parts: str) -> int:
    """A 64-bit hash keyed by the course seed: without the seed nobody can compute it."""
    key = hashlib.sha256(str(seed).encode("utf-8")).digest()
    return int.from_bytes(hashlib.blake2b("\x1f".join(parts).encode("utf-8"), key=key, digest_size=8).digest(), "big")


def opaque_id(seed: str | int, source: str, question_id: str) -> str:
    """The id students see for a question: keyed by the course seed, so it reveals nothing about the question."""
    return f"{keyed_hash(seed, 'opaque', source, question_id):016x}"[:12]


def display_permutation(seed: str | int, source: str, question_id: str, n: int) -> tuple[int, ...]:
    """A shown order for n items that is never the correct order (for n >= 2), from the seed and the id only."""
    if n < 2:
        return tuple(range(n))
    rng = stable_rng(seed, source, question_id, "display")
    perm = list(range(n))
    while perm == list(range(n)):
        rng.shuffle(perm)
    return tuple(perm)


@dataclass(frozen=True)
class Question:
    """One question. Writers read it; nothing changes it after the bank is built (see docs/internals.md)."""

    id: str
    type: QuestionType
    source: str
    fact_ids: tuple[str, ...]
    kind: str
    prompt: str
    form: str = ""
    answer: str = ""                      # mcq: correct option; tf: TRUE/FALSE; short/cloze: answer; numeric: value
    answers: tuple[str, ...] = ()         # multi: the correct options, in shown order
    options: tuple[str, ...] = ()         # mcq/multi: as shown; ordering: correct order; matching: premises
    responses: tuple[str, ...] = ()       # matching: every response, as shown
    matches: tuple[str, ...] = ()         # matching: each premise's correct response
    display: tuple[int, ...] = ()         # ordering: shown order of options
    alternates: tuple[str, ...] = ()
    answer_kind: str = "text"             # name, phrase, number, date, text: which matching rules apply
    near: tuple[str, ...] = ()            # wrong answers close to the key (a typo never matches one)
    about: tuple[str, ...] = ()           # tf: the record's answer and its alternates (what must not be shown elsewhere)
    fixed_order: bool = False             # mcq: options in their natural order (numbers, dates, a scale): never re-lettered
    tolerance: float = 0.0
    unit: str = ""
    explanation: str = ""
    evidence: str = ""
    context: str = ""                     # cloze: the whole sentence
    span: tuple[int, ...] = ()            # cloze: (start, end) of the blank in context
    position: int = 0                     # where the evidence starts in the text
    citation: Citation = field(default_factory=lambda: Citation("", "", "", ""))
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    points: int = 1

    def __repr__(self) -> str:
        return f"<Question {self.id} ({self.type}): {self.prompt[:60]!r}>"

    @property
    def correct_index(self) -> int | None:
        """mcq: the index of the correct option among the shown options."""
        return self.options.index(self.answer) if self.type == "mcq" and self.answer in self.options else None

    @property
    def correct_letter(self) -> str:
        """mcq: the letter of the correct option as shown ("" for other types)."""
        i = self.correct_index
        return LETTERS[i] if i is not None else ""

    @property
    def value(self) -> float | None:
        """numeric: the answer as a number (None for other types)."""
        return float(self.answer) if self.type == "numeric" else None

    def shown_items(self) -> list[tuple[str, str]]:
        """Lettered items as a student sees them: ordering's events, or matching's responses."""
        if self.type == "matching":
            return [(LETTERS[k], r) for k, r in enumerate(self.responses)]
        if self.type == "ordering":
            return [(LETTERS[k], self.options[i]) for k, i in enumerate(self.display)]
        return [(LETTERS[k], o) for k, o in enumerate(self.options)]

    def correct_letters(self) -> list[str]:
        """multi: the correct letters; ordering: the letters in the right order; matching: per premise, its letter."""
        if self.type == "multi":
            return [LETTERS[i] for i, o in enumerate(self.options) if o in self.answers]
        if self.type == "ordering":
            where = {i: LETTERS[k] for k, i in enumerate(self.display)}
            return [where[i] for i in range(len(self.options))]
        if self.type == "matching":
            return [LETTERS[self.responses.index(m)] for m in self.matches]
        return [self.correct_letter] if self.type == "mcq" else []

    @property
    def answer_text(self) -> str:
        """The correct answer as a person reads it, for keys, cards and feedback."""
        if self.type == "mcq":
            return f"{self.correct_letter}. {self.answer}"
        if self.type == "multi":
            return "; ".join(f"{letter}. {o}" for letter, o in zip(self.correct_letters(), self.answers))
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
        """Every field as plain JSON values (tuples as lists)."""
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Question":
        """The question to_dict() described."""
        kwargs = dict(d)
        kwargs["citation"] = Citation(**d["citation"])
        for f in fields(cls):
            if isinstance(kwargs.get(f.name), list):
                kwargs[f.name] = tuple(kwargs[f.name])
        return cls(**kwargs)

    def _repr_html_(self) -> str:
        e = html.escape
        body = f"<div style='margin:.4em 0'><b>{e(self.id)}</b> <i>({e(TYPE_LABELS[self.type])})</i><br>{e(self.prompt)}"
        if self.type in ("mcq", "multi", "ordering", "matching"):
            if self.type == "matching":
                body += "<ol>" + "".join(f"<li>{e(o)}</li>" for o in self.options) + "</ol>"
            body += "<ol type='A'>" + "".join(f"<li>{e(o)}</li>" for _, o in self.shown_items()) + "</ol>"
        body += f"<div><b>Answer:</b> {e(self.answer_text)}</div>"
        if self.evidence:
            body += f"<blockquote style='color:#555'>{e(self.evidence)}</blockquote>"
        return body + "</div>"


@dataclass(frozen=True)
class Skipped:
    """A form a record did not yield, and why (quizgen questions --explain)."""

    source: str
    fact_id: str
    form: str
    reason: str


@dataclass(frozen=True)
class Bank:
    """A question bank: the questions of one or more sources, in a stable order (source, then id)."""

    questions: tuple[Question, ...]
    seed: str = PUBLIC_SEED
    warnings: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.questions, key=lambda q: (q.source, q.id)))
        object.__setattr__(self, "questions", ordered)
        object.__setattr__(self, "_by_id", {(q.source, q.id): q for q in ordered})

    def __repr__(self) -> str:
        counts = ", ".join(f"{t} {n}" for t, n in self.counts_by_type().items() if n)
        return f"<Bank of {plural(len(self), 'question')} from {', '.join(self.sources) or 'no source'} ({counts})>"

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __getitem__(self, qid: str) -> Question:
        """The question with this id (the first source's, if several sources share an id)."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source names the bank's questions come from, sorted."""
        return tuple(sorted({q.source for q in self.questions}))

    def filter(self, types: Iterable[str] | None = None, fact: str | None = None, tags: Iterable[str] | None = None,
               source: str | None = None) -> "Bank":
        """A bank of the questions that match every given condition (types and tags: any of them)."""
        types = set(types or [])
        tags = set(tags or [])
        kept = [q for q in self.questions
                if (not types or q.type in types)
                and (fact is None or fact in q.fact_ids)
                and (not tags or tags & set(q.tags))
                and (source is None or q.source == source)]
        return replace(self, questions=tuple(kept),
                       skipped=tuple(s for s in self.skipped if (source is None or s.source == source)
                                     and (fact is None or s.fact_id == fact)))

    def in_text_order(self) -> list[Question]:
        """The questions source by source, in the order of the text (where each one's evidence starts), then by id."""
        return sorted(self.questions, key=lambda q: (q.source, q.position, q.id))

    def counts_by_type(self) -> dict[str, int]:
        """How many questions of each type, in QUESTION_TYPES order."""
        out = {t: 0 for t in QUESTION_TYPES}
        for q in self.questions:
            out[q.type] += 1
        return out

    def to_json(self) -> str:
        """Canonical serialisation: the same bank always gives the same bytes (the seed is not included)."""
        payload = {"questions": [q.to_dict() for q in self.questions]}
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, seed: str = PUBLIC_SEED) -> "Bank":
        """A bank from to_json's text."""
        payload = json.loads(text)
        return cls(tuple(Question.from_dict(d) for d in payload["questions"]), seed)

    def to_dataframe(self):
        """One row per question (pandas), for exploring a bank in Jupyter."""
        import pandas as pd

        rows = []
        for q in self.questions:
            rows.append({
                "id": q.id, "type": q.type, "form": q.form, "source": q.source, "facts": ", ".join(q.fact_ids),
                "kind": q.kind, "prompt": q.prompt, "answer": q.answer_text,
                "options": [o for _, o in q.shown_items()], "alternates": list(q.alternates),
                "difficulty": q.difficulty, "tags": " ".join(q.tags), "points": q.points, "evidence": q.evidence,
            })
        return pd.DataFrame(rows, columns=["id", "type", "form", "source", "facts", "kind", "prompt", "answer", "options",
                                           "alternates", "difficulty", "tags", "points", "evidence"])

    def _repr_html_(self) -> str:
        counts = ", ".join(f"{n} {TYPE_LABELS[t].lower()}" for t, n in self.counts_by_type().items() if n)
        rows = "".join(
            f"<tr><td><code>{html.escape(q.id)}</code></td><td>{html.escape(TYPE_LABELS[q.type])}</td>"
            f"<td>{html.escape(q.prompt)}</td><td>{html.escape(q.answer_text)}</td></tr>" for q in self.questions)
        return (f"<p><b>Question bank</b>: {plural(len(self), 'question')} ({counts})</p>"
                f"<table><thead><tr><th>id</th><th>type</th><th>prompt</th><th>answer</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")
