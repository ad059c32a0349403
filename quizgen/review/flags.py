"""Automated flags per question of a bank: what a careful teacher would check first, each with the record's fix.

The heuristics are deliberately simple and their limits are stated (README "Reviewing the questions", and the
page's own "How each flag is found"): a flag asks the teacher to look, it does not prove a flaw. This module finds
giveaways and near-duplicate stems; cue_flags.py and option_flags.py the rest.
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable

from ..bank import Bank, Question
from ..cues import content_words
from ..giveaway import chrome, reveals, shown_text
from ..textnorm import normalise_answer
from .cue_flags import cue_flags
from .kinds import KINDS, NEAR_DUPLICATE, Flag, skip_override as _skip
from .option_flags import second_answers, weak_distractors

__all__ = ["KINDS", "Flag", "bank_flags"]


def bank_flags(pack, bank: Bank, quiz: Iterable[Question] = ()) -> dict[str, list[Flag]]:
    """Every flag of every question of a one-source bank, by question id (questions with no flag are absent).
    Giveaways by another question are looked for among the questions of `quiz` (those on one page)."""
    questions = list(bank.questions)
    out: dict[str, list[Flag]] = {}
    finders = (page_giveaways(pack, questions), question_giveaways(list(quiz)), cue_flags(pack, questions),
               weak_distractors(pack, questions), near_duplicates(questions), second_answers(pack, questions))
    for found in finders:
        for flag in found:
            out.setdefault(flag.question, []).append(flag)
    return out


# what to change for each part of the page a giveaway can be in (the labels of giveaway.chrome)
_PAGE_FIELDS = {"the file name": "the fact file's name", "the quiz and deck title": "source.deck_name",
                "the source's title": "source.title", "the publisher line": "source.publisher",
                "the citation's date": "source.date", "the licence line": "source.license"}


# ---- giveaways ----------------------------------------------------------------------------------------

def page_giveaways(pack, questions: Iterable[Question]) -> list[Flag]:
    around = chrome(pack.citation, pack.name)
    out = []
    for q in questions:
        for label, text in around:
            key = reveals(text, q)
            if key:
                out.append(Flag("giveaway", q.id, f"its answer '{key}' is shown in {label} (\"{text}\")",
                                f"change {_PAGE_FIELDS.get(label, label)}, or in {q.fact_ids[0]}: {_skip(q)}"))
    return out


def question_giveaways(questions: list[Question]) -> list[Flag]:
    """Questions answered by the stem or options of another question on the same page (a quiz). Across a whole
    bank this is the rule, not a flaw: a cloze shows its sentence, a said-by item its speakers; a deck shows one
    card at a time, and quiz selection keeps such pairs apart (the page says which pair kept a record out)."""
    out = []
    for q in questions:
        for other in questions:
            if set(other.fact_ids) & set(q.fact_ids):
                continue
            key = reveals(shown_text(other), q)
            if key:
                out.append(Flag("giveaway", q.id, f"its answer '{key}' is shown by question {other.id}",
                                f"reword one of the two, or skip one: {_skip(q)} in {q.fact_ids[0]}, or "
                                f"{_skip(other)} in {other.fact_ids[0]}", (other.id,)))
    return out


# ---- near-duplicate stems -----------------------------------------------------------------------------

def near_duplicates(questions: list[Question]) -> list[Flag]:
    """Pairs of questions from different records with (nearly) the same stem, or blanks in one sentence; one
    flag per question and kind of likeness, naming every question it is like."""
    words = {q.id: content_words(q.prompt) for q in questions}
    like: dict[tuple[str, str], list[str]] = {}
    by_id = {q.id: q for q in questions}
    for a, b in combinations(questions, 2):
        if set(a.fact_ids) & set(b.fact_ids):
            continue
        wa, wb = words[a.id], words[b.id]
        overlap = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
        if a.type == b.type == "cloze" and a.context and a.context == b.context:
            how = "a blank in the same sentence as"
        elif normalise_answer(a.prompt) == normalise_answer(b.prompt):
            how = "the same stem as"
        elif overlap >= NEAR_DUPLICATE:
            how = f"{overlap:.0%} of its stem's content words in common with"
        else:
            continue
        like.setdefault((a.id, how), []).append(b.id)
        like.setdefault((b.id, how), []).append(a.id)
    return [Flag("near-duplicate", qid, f"{how} {', '.join(others)}", _rewording_fix(by_id[qid]), tuple(others))
            for (qid, how), others in like.items()]


_WORDING_KEY = {"mcq": "mcq", "short": "short", "numeric": "numeric", "said-by": "said_by", "claim": "claim",
                "position": "position", "ordering": "ordering"}


def _rewording_fix(q: Question) -> str:
    record = q.fact_ids[0] if len(q.fact_ids) == 1 else "the records"
    if q.type == "cloze":
        return f"in {record}: cloze: another span to blank (in another quote), or {_skip(q)}"
    if q.form in ("tf", "tf-false"):
        return f"in {record}: statement: / false_statement: worded apart, or {_skip(q)}"
    if q.form in _WORDING_KEY:
        return f"in {record}: wording: {{{_WORDING_KEY[q.form]}: a stem that says what sets it apart}}, or {_skip(q)}"
    return f"in {record}: question: reworded, or {_skip(q)}"

