"""Choice questions as classroom games take them (a prompt, 2-4 answers, which are right): shared by Kahoot!, Blooket, Gimkit."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..bank import TYPE_LABELS, Bank, Question
from . import ExportResult

TRUE_FALSE = ("True", "False")
# seconds a question stays up: 5 s to take it in, then reading at about 15 characters a second (180 words a
# minute), never under the 20 s the games default to; rounded up to a time the platform offers
READING_CHARS_PER_SECOND = 15
SHORTEST_TIME = 20
# C0 control characters (tabs and line breaks among them): a game's cell holds one line, and XML refuses most of them
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Choice:
    """A question as a classroom game shows it."""

    prompt: str
    answers: tuple[str, ...]
    correct: tuple[int, ...]      # indexes into answers (0-based), in order


@dataclass(frozen=True)
class Limits:
    """What a platform's import template takes."""

    platform: str
    min_answers: int = 2
    max_answers: int = 4
    question_chars: int | None = None
    answer_chars: int | None = None
    # None: one correct answer only (a question with several is not carried); else what to report when several are marked
    several_correct: str | None = None


def as_choice(q: Question) -> Choice | None:
    """The question as a choice among answers, in the order students see them; None for a type that is not a choice."""
    if q.type == "mcq" and q.correct_index is not None:
        return Choice(q.prompt, tuple(q.options), (q.correct_index,))
    if q.type == "multi":
        return Choice(q.prompt, tuple(q.options), tuple(i for i, o in enumerate(q.options) if o in q.answers))
    if q.type == "tf":
        return Choice(q.prompt, TRUE_FALSE, (0 if q.answer == "TRUE" else 1,))
    return None


def one_line(text: str) -> str:
    """Text on one line: each run of tabs, line breaks or other control characters becomes one space."""
    if text.isprintable() or not _CONTROL.search(text):      # isprintable: a fast C check, false for every control
        return text
    return _CONTROL.sub(" ", text).strip()


def length(text: str) -> int:
    """Characters as Excel and browsers count them (UTF-16 units: an emoji counts two)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def time_limit(choice: Choice, offered: tuple[int, ...]) -> int:
    """Seconds to answer: enough to read the question and its answers, rounded up to a time the platform offers."""
    chars = len(choice.prompt) + sum(map(len, choice.answers))
    need = max(SHORTEST_TIME, 5 + chars / READING_CHARS_PER_SECOND)
    return next((t for t in offered if t >= need), offered[-1])


def fit(q: Question, limits: Limits) -> tuple[Choice | None, str, list[str]]:
    """The question on the platform: (choice, "", changes) or (None, why it cannot be carried, [])."""
    choice = as_choice(q)
    if choice is None:
        return None, f"{TYPE_LABELS[q.type].lower()} question: {limits.platform} imports multiple choice and true/false only", []
    changes: list[str] = []
    prompt = one_line(choice.prompt)
    answers = tuple(one_line(a) for a in choice.answers)
    if prompt != choice.prompt or answers != choice.answers:
        changes.append("line breaks, tabs or control characters replaced by spaces")
    problems = []
    n = len(answers)
    if not limits.min_answers <= n <= limits.max_answers:
        problems.append(f"{n} answers ({limits.platform} takes {limits.min_answers} to {limits.max_answers})")
    if limits.question_chars and length(prompt) > limits.question_chars:
        problems.append(f"question is {length(prompt)} characters ({limits.platform} allows {limits.question_chars})")
    if limits.answer_chars:
        problems += [f"answer {k} is {length(a)} characters ({limits.platform} allows {limits.answer_chars})"
                     for k, a in enumerate(answers, 1) if length(a) > limits.answer_chars]
    if len(choice.correct) > 1:
        if limits.several_correct is None:
            problems.append(f"{len(choice.correct)} correct answers ({limits.platform} takes one)")
        else:
            changes.append(limits.several_correct)
    if not choice.correct:
        problems.append("no answer is correct")
    if problems:
        return None, "; ".join(problems), []
    return Choice(prompt, answers, choice.correct), "", changes


def in_text_order(bank: Bank) -> list[Question]:
    """The bank's questions by source, then in the order of the text (Bank.in_text_order)."""
    return bank.in_text_order()


def fitted(bank: Bank, limits: Limits) -> tuple[list[Choice], ExportResult]:
    """Every question the platform can take, in the order of the text, and the report of the rest (data still empty)."""
    result = ExportResult(b"")
    kept: list[Choice] = []
    for q in in_text_order(bank):
        choice, why, changes = fit(q, limits)
        if choice is None:
            result.dropped.append((q.id, why))
            continue
        kept.append(choice)
        result.carried.append(q.id)
        result.changed.extend((q.id, c) for c in changes)
    return kept, result


def csv_bytes(rows: list[list[object]]) -> bytes:
    """CSV as the game platforms' templates download: UTF-8 without BOM, CRLF, quotes only where needed."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buf.getvalue().encode("utf-8")
