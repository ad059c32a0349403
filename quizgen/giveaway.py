"""Giveaways: a question answered by something shown with it (titles, headers, citation, other questions)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .bank import Question
from .facts import Citation
from .textnorm import normalise_answer

_NUMBER_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
                 "8": "eight", "9": "nine", "10": "ten", "11": "eleven", "12": "twelve", "20": "twenty", "100": "hundred"}
_WORD_NUMBERS = {w: d for d, w in _NUMBER_WORDS.items()}


@dataclass(frozen=True)
class Giveaway:
    """Question `question` is answered by `place` (another question's id, or a part of the page), which shows `key`."""

    question: str
    place: str
    key: str

    def __str__(self) -> str:
        return f"{self.question}: its answer '{self.key}' is shown in {self.place}"


def chrome(citation: Citation, source: str = "") -> list[tuple[str, str]]:
    """What every writer shows around the questions: deck or quiz title, the source's title, publisher, date, licence,
    and the source's name, which is in every file name a student gets (six_party_talks_2003.exam.ipynb)."""
    parts = [("the file name", source.replace("_", " ").replace("-", " ")),
             ("the quiz and deck title", citation.name), ("the source's title", citation.title),
             ("the publisher line", citation.publisher), ("the citation's date", citation.date),
             ("the licence line", citation.license)]
    return [(label, text) for label, text in parts if text]


def shown_text(q: Question) -> str:
    """Everything a student sees of a question: its stem, options, items and responses."""
    return " \n ".join([q.prompt, *q.options, *q.responses])


def keys_of(q: Question) -> tuple[list[str], list[str]]:
    """What would answer q if shown elsewhere, and q's wrong options (a text showing those too singles nothing out)."""
    if q.type == "mcq":
        return [q.answer, *q.alternates, *q.about], [o for o in q.options if o != q.answer]
    if q.type == "multi":
        return list(q.answers), [o for o in q.options if o not in q.answers]
    if q.type in ("short", "cloze", "numeric"):
        return [q.answer, *q.alternates], []
    if q.type == "tf":
        return list(q.about), []
    return [], []


def _forms(key: str) -> list[str]:
    norm = normalise_answer(key)
    out = [norm]
    number = norm.split(" ")[0] if norm else ""
    if number in _NUMBER_WORDS:
        out.append(_NUMBER_WORDS[number])
    elif number in _WORD_NUMBERS:
        out.append(_WORD_NUMBERS[number])
    return [f for f in out if f]


MIN_ALTERNATE = 5   # a short alternate ("one", "a bank") shows up by chance; the main answer always counts


def reveals(text: str, q: Question) -> str | None:
    """The key of q that text shows while showing none of q's wrong options; None if the text gives nothing away."""
    if q.type == "matching":
        return _pairs_shown(text, q)
    keys, wrong = keys_of(q)
    if not keys:
        return None
    main = {normalise_answer(q.answer)} if q.type not in ("tf", "multi") else {normalise_answer(k) for k in keys[:1]}
    keys = [k for k in keys if normalise_answer(k) in main or len(normalise_answer(k)) >= MIN_ALTERNATE or q.type == "multi"]
    folded = f" {normalise_answer(text)} "
    found = next((k for k in keys for f in _forms(k) if f" {f} " in folded), None)
    if found is None:
        found = _paraphrased(text, keys)
    if found is None:
        return None
    if any(f" {f} " in folded for w in wrong for f in _forms(w)):
        return None
    return found


def _pairs_shown(text: str, q: Question) -> str | None:
    """A matching item is given away by a text that states one of its pairs: the premise and its response together."""
    folded = f" {normalise_answer(text)} "
    for premise, response in zip(q.options, q.matches):
        names = [response, *(a for a in q.alternates if a)]
        if _paraphrased(text, [premise]) and any(f" {normalise_answer(n)} " in folded for n in names):
            return f"{premise} → {response}"
    return None


def _paraphrased(text: str, keys: list[str]) -> str | None:
    """A long key (a claim, a reason) whose content words the text mostly repeats: the same statement in other words."""
    from .cues import content_words

    words = content_words(text)
    for key in keys:
        mine = content_words(key)
        if len(mine) >= 4 and len(mine & words) >= 0.75 * len(mine):
            return key
    return None


def giveaways(questions: Iterable[Question], citation: Citation | None = None) -> list[Giveaway]:
    """Every question answered by the page around it or by another of the questions shown with it."""
    questions = list(questions)
    out: list[Giveaway] = []
    around = chrome(citation, questions[0].source if questions else "") if citation else []
    for q in questions:
        for label, text in around:
            key = reveals(text, q)
            if key:
                out.append(Giveaway(q.id, label, key))
        for other in questions:
            if other is q or set(other.fact_ids) & set(q.fact_ids) and other.type == q.type:
                continue
            key = reveals(shown_text(other), q)
            if key:
                out.append(Giveaway(q.id, f"question {other.id}", key))
    return out


def conflicts(a: Question, b: Question) -> bool:
    """True if either question shows the other's answer, or both are positions on one issue (each one's key is a
    choice of the other, and a party holds one position)."""
    if a.form == b.form == "position" and len(set(a.options) & set(b.options)) >= 2:
        return True
    if normalise_answer(a.prompt) == normalise_answer(b.prompt):
        return True      # two items with one stem ("Which of these does the article attribute to Wang Yi?")
    # a "which claim" item's choices are other sources' claims: an item quoting one of them lets students eliminate
    for x, y in ((a, b), (b, a)):
        if x.form == "claim" and _paraphrased(y.prompt, list(x.options)):
            return True
    return bool(reveals(shown_text(b), a) or reveals(shown_text(a), b))
