"""Quizlet flashcards: term and definition text for Quizlet's import box (tab between them, a new line per card)."""
from __future__ import annotations

from ..bank import Bank, Question
from . import ExportResult
from .choices import one_line

# which question becomes the card when two give the same front: recall before recognition
PRIORITY = {"short": 0, "cloze": 1, "numeric": 2, "multi": 3, "ordering": 4, "matching": 5, "mcq": 6}
NOT_A_CARD = {"tf": "true/false statement: a flashcard asks for the fact, which the fact's short-answer or cloze card does"}


def question_cards(q: Question) -> list[tuple[str, str]]:
    """The cards (front, back) a question makes; none for a type that is no flashcard."""
    if q.type in ("short", "cloze", "mcq"):
        return [(q.prompt, q.answer)]
    if q.type == "numeric":
        return [(q.prompt, q.answer_text)]                # the value with its unit
    if q.type == "multi":
        return [(q.prompt, "; ".join(q.answers))]
    if q.type == "ordering":
        return [(f"{q.prompt} {'; '.join(item for _, item in q.shown_items())}", " → ".join(q.options))]
    if q.type == "matching":
        return list(zip(q.options, q.matches))
    return []


def render(bank: Bank) -> ExportResult:
    """The import text (UTF-8) and the report: questions that make no card, duplicates, texts made one line."""
    result = ExportResult(b"")
    fronts: dict[str, str] = {}            # a card's front (normalised) -> the question that has it
    why_not: dict[int, str] = {}
    ranked = sorted(range(len(bank.questions)), key=lambda i: (PRIORITY.get(bank.questions[i].type, 9), i))
    for i in ranked:
        q = bank.questions[i]
        made = question_cards(q)
        if not made:
            why_not[i] = NOT_A_CARD.get(q.type, f"{q.type} question: not a flashcard")
            continue
        keys = [" ".join(front.casefold().split()) for front, _ in made]
        taken = next((fronts[k] for k in keys if k in fronts), None)
        if taken:
            why_not[i] = f"same front as the card of {taken}"
            continue
        fronts.update(dict.fromkeys(keys, q.id))
    lines: list[str] = []
    for i, q in enumerate(bank.questions):
        if i in why_not:
            result.dropped.append((q.id, why_not[i]))
            continue
        made = question_cards(q)
        flat = [(one_line(front), one_line(back)) for front, back in made]
        if flat != made:
            result.changed.append((q.id, "tabs or line breaks inside the text replaced by spaces"))
        if q.type == "matching":
            extra = [r for r in dict.fromkeys(q.responses) if r not in q.matches]
            note = f"; extra responses left out: {', '.join(extra)}" if extra else ""
            result.changed.append((q.id, f"one card per pair ({len(made)} cards){note}"))
        lines += [f"{front}\t{back}" for front, back in flat]
        result.carried.append(q.id)
    result.data = "".join(line + "\n" for line in lines).encode("utf-8")
    return result
