"""Per source: the default quiz and why a record has no question in it, its key letters, cue rates and counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..bank import LETTERS, QUESTION_TYPES, Bank, Question
from ..cues import CueRate, cue_rates
from ..giveaway import chrome, reveals, shown_text
from ..quiz import Quiz
from ..selection import beyond_recall, clash, retells
from ..textnorm import normalise_answer


@dataclass(frozen=True)
class CueRow:
    """One guessing strategy: how it scores on the quiz and on the whole bank (None where it does not apply)."""

    name: str
    quiz: CueRate | None
    bank: CueRate | None

    @property
    def quiz_too_good(self) -> bool:
        """It wins more than one quiz item beyond what chance gives it (a quiz is small: the bar of the tests)."""
        return self.quiz is not None and (self.quiz.rate - self.quiz.chance) * self.quiz.items > 1.0 + 1e-9

    @property
    def bank_too_good(self) -> bool:
        """Above chance by more than 5 points on the whole bank (the bar of issue 10)."""
        return self.bank is not None and self.bank.rate > self.bank.chance + 0.05


@dataclass(frozen=True)
class Reason:
    """A reason in words, and the quiz questions it names (the page links them after the text)."""

    text: str
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """Questions of a record that share the reasons they are not in the quiz."""

    questions: tuple[str, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class SourceSummary:
    quiz: Quiz
    in_quiz: dict[str, str]                       # question id -> its variable in the quiz (q01...)
    left_out: dict[str, list[LeftOut]]            # record id -> why none of its questions is in the quiz
    letters: dict[str, int]                       # multiple-choice key letters in the quiz (as the quiz shows them)
    truth: dict[str, int]                         # true/false keys in the quiz
    types: list[tuple[str, int, int]]             # (type, in the bank, in the quiz)
    beyond_recall: tuple[int, int]                # (in the bank, in the quiz)
    cues: list[CueRow] = field(default_factory=list)


def summarise(pack, bank: Bank, quiz: Quiz) -> SourceSummary:
    chosen = [item.question for item in quiz.items]
    chosen_ids = {q.id for q in chosen}
    in_quiz = {item.question.id: item.var for item in quiz.items}
    covered = {f for q in chosen for f in q.fact_ids}
    left_out = {fact.id: _why_left_out(pack, bank, fact.id, chosen)
                for fact in pack.facts if fact.id not in covered}
    letters = Counter(q.correct_letter for q in chosen if q.type == "mcq")
    width = max((len(q.options) for q in chosen if q.type == "mcq"), default=4)
    shown_bank = [q for q in bank if q.id in chosen_ids]
    types = [(t, sum(q.type == t for q in bank), sum(q.type == t for q in shown_bank)) for t in QUESTION_TYPES]
    return SourceSummary(
        quiz=quiz, in_quiz=in_quiz, left_out=left_out,
        letters={LETTERS[k]: letters[LETTERS[k]] for k in range(width)},
        truth={"True": sum(q.type == "tf" and q.answer == "TRUE" for q in chosen),
               "False": sum(q.type == "tf" and q.answer == "FALSE" for q in chosen)},
        types=[row for row in types if row[1]],
        beyond_recall=(sum(beyond_recall(q) for q in bank), sum(beyond_recall(q) for q in chosen)),
        cues=_cue_rows(pack, bank, chosen),
    )


def _why_left_out(pack, bank: Bank, fact_id: str, chosen: list[Question]) -> list[LeftOut]:
    """Why none of a record's questions is in the quiz: the page shows its answer, or the quiz questions it
    conflicts with (and how); questions with the same reasons are listed together. A record with no question at
    all says why each form was not made."""
    candidates = [q for q in bank if fact_id in q.fact_ids]
    if not candidates:
        reasons = [f"{s.form}: {s.reason}" for s in bank.skipped if s.fact_id == fact_id]
        return [LeftOut((), (Reason("it has no question in the bank" + (f" ({'; '.join(reasons)})" if reasons else "")),))]
    around = chrome(pack.citation, pack.name)
    grouped: dict[tuple[Reason, ...], list[str]] = {}
    for q in candidates:
        shown = next(((label, key) for label, text in around if (key := reveals(text, q))), None)
        if shown:
            reasons: tuple[Reason, ...] = (Reason(f"its answer '{shown[1]}' is shown in {shown[0]}"),)
        else:
            by_text: dict[str, list[str]] = {}
            for c in chosen:
                if clash(q, c):
                    by_text.setdefault(conflict_reason(q, c), []).append(c.id)
            reasons = tuple(Reason(text, tuple(ids)) for text, ids in by_text.items()) or (
                Reason("not chosen, though nothing in the quiz conflicts with it"),)
        grouped.setdefault(reasons, []).append(q.id)
    return [LeftOut(tuple(ids), reasons) for reasons, ids in grouped.items()]


def conflict_reason(a: Question, b: Question) -> str:
    """Why a cannot share a page with the quiz question b (which the page names after this text)."""
    key = reveals(shown_text(b), a)
    if key:
        return f"its answer '{key}' is shown by"
    key = reveals(shown_text(a), b)
    if key:
        return f"it shows '{key}', the answer of"
    if normalise_answer(a.prompt) == normalise_answer(b.prompt):
        return "it has the same stem as"
    if retells(b, a):
        return "its quote is one step of the ordering item"
    if retells(a, b):
        return "it retells, step by step, the quote of"
    if a.form == b.form == "position":
        return "it is another position on the same issue as"
    return "its choices are claims that this quiz question quotes:"


def _cue_rows(pack, bank: Bank, chosen: list[Question]) -> list[CueRow]:
    page = [text for _, text in chrome(pack.citation, pack.name)]
    quiz_rates = {r.name: r for r in cue_rates(chosen, page)}
    bank_rates = {r.name: r for r in cue_rates(bank.questions, page)}
    return [CueRow(name, quiz_rates.get(name), bank_rates.get(name)) for name in dict.fromkeys([*quiz_rates, *bank_rates])]
