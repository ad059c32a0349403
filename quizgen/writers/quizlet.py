"""Quizlet flashcards: term and definition text for Quizlet's import box (tab between them, a new line per card)."""
from __future__ import annotations

from ..bank import Bank, Question
from . import ExportResult
from .choices import in_text_order, one_line

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


def _front_key(front: str) -> str:
    return " ".join(front.casefold().split())


def render(bank: Bank) -> ExportResult:
    """The import text (UTF-8) and the report: questions that make no card, duplicates, texts made one line."""
    result = ExportResult(b"")
    questions = in_text_order(bank)
    owner: dict[str, str] = {}             # a card's front (normalised) -> the question whose card it is
    kept: dict[int, list[tuple[str, str]]] = {}
    notes: dict[int, list[str]] = {}
    why_not: dict[int, str] = {}
    # recall questions claim their fronts first, so a multiple-choice twin is the one left out
    for i in sorted(range(len(questions)), key=lambda i: (PRIORITY.get(questions[i].type, 9), i)):
        q = questions[i]
        made = question_cards(q)
        if not made:
            why_not[i] = NOT_A_CARD.get(q.type, f"{q.type} question: not a flashcard")
            continue
        fresh = [card for card in made if _front_key(card[0]) not in owner]
        if not fresh:
            why_not[i] = f"same front as the card of {owner[_front_key(made[0][0])]}"
            continue
        for front, _ in made:
            if _front_key(front) in owner:
                notes.setdefault(i, []).append(f"card '{front}' left out: same front as the card of {owner[_front_key(front)]}")
        owner.update(dict.fromkeys((_front_key(front) for front, _ in fresh), q.id))
        kept[i] = fresh
    lines: list[str] = []
    for i, q in enumerate(questions):
        if i in why_not:
            result.dropped.append((q.id, why_not[i]))
            continue
        cards = kept[i]
        flat = [(one_line(front), one_line(back)) for front, back in cards]
        if flat != cards:
            result.changed.append((q.id, "tabs or line breaks inside the text replaced by spaces"))
        if q.type == "matching":
            extra = [r for r in dict.fromkeys(q.responses) if r not in q.matches]
            note = f"; extra responses left out: {', '.join(extra)}" if extra else ""
            result.changed.append((q.id, f"one card per pair ({len(cards)} cards){note}"))
        result.changed.extend((q.id, n) for n in notes.get(i, []))
        lines += [f"{front}\t{back}" for front, back in flat]
        result.carried.append(q.id)
    result.data = "".join(line + "\n" for line in lines).encode("utf-8")
    return result
