"""GIFT (Moodle's text import format): every question type GIFT has, special characters escaped, the quote as feedback."""
from __future__ import annotations

import math
import re

from ..bank import BLANK, Bank, Question, opaque_id
from . import ExportResult
from .choices import in_text_order

# Moodle's GIFT reader turns these escapes back into the characters (qformat_gift::escapedchar_pre); \r is dropped.
# The backslash goes first, so the escapes added after it are not doubled.
_ESCAPES = (("\\", "\\\\"), ("~", "\\~"), ("=", "\\="), ("#", "\\#"), ("{", "\\{"), ("}", "\\}"), (":", "\\:"),
            ("\r\n", "\\n"), ("\n", "\\n"), ("\r", ""))
# texts inside the braces that Moodle would misread, and no escape exists for
_WEIGHT_LIKE = re.compile(r"^\s*%-*[0-9]{1,2}\.?[0-9]*%")               # read as a weight (%50%)
_FORMAT_LIKE = re.compile(r"^\s*\[(moodle|html|plain|markdown)\]")       # read as a text format marker
# the grades Moodle accepts on import ("Error if grade not listed"), in percent
MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
                 12.5, 11.11111, 10, 5)
ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")
MIN_PAIRS = 3                      # Moodle refuses a matching question with fewer
PLAIN = "[plain]"                  # texts are shown as written: no HTML, no Moodle auto-format


class CannotCarry(Exception):
    """A question GIFT cannot hold; the message says why."""


def escape(text: str) -> str:
    """Text with GIFT's special characters (~ = # { } : and backslash) escaped and line breaks as \\n."""
    for char, escaped in _ESCAPES:        # str.replace is a fast scan when the character is absent (most texts)
        if char in text:
            text = text.replace(char, escaped)
    return text


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _percent(share: float) -> str:
    """A weight as GIFT writes it (5 decimals at most), checked against Moodle's list of grades."""
    text = f"{share:.5f}".rstrip("0").rstrip(".")
    if not any(abs(abs(float(text)) - g) < 1e-3 for g in MOODLE_GRADES):
        raise CannotCarry(f"a weight of {text}% is not one of the grades Moodle accepts")
    return text


def _answer(text: str, what: str) -> str:
    """An answer-side text, escaped; refused when Moodle would read its start as a weight or a format."""
    if _WEIGHT_LIKE.match(text) or _FORMAT_LIKE.match(text):
        raise CannotCarry(f"{what} '{text}' starts like a GIFT weight or format marker, which GIFT cannot escape")
    return escape(text)


def _typed(text: str, what: str) -> str:
    """An accepted typed answer: '*' is Moodle's wildcard (so written \\*), '->' would make it a matching question."""
    if "->" in text:
        raise CannotCarry(f"{what} '{text}' contains '->', which GIFT reads as a matching pair")
    return _answer(text.replace("*", "\\*"), what)


def feedback(q: Question) -> str:
    """The general feedback every student sees after answering: the explanation and the quote from the text."""
    parts = [q.explanation] if q.explanation else []
    if q.evidence:
        parts.append(f'From the text: "{q.evidence}"')
    return " ".join(parts)


def _accepted(q: Question) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def answer_lines(q: Question, changes: list[str]) -> list[str]:
    """The lines between the braces (without the feedback), or CannotCarry."""
    if q.type == "mcq":
        if q.answer not in q.options:
            raise CannotCarry("the correct answer is not among the options")
        return [("=" if o == q.answer else "~") + _answer(o, f"option {k}") for k, o in enumerate(q.options, 1)]
    if q.type == "multi":
        right = [o for o in q.options if o in q.answers]
        if not right:
            raise CannotCarry("no option is correct")
        wrong = len(q.options) - len(right)
        # the correct options share 100%; the wrong ones share -100%, so ticking every box earns nothing
        plus = _percent(100 / len(right))
        minus = _percent(-100 / wrong) if wrong else ""
        return [f"~%{plus if o in q.answers else minus}%" + _answer(o, f"option {k}") for k, o in enumerate(q.options, 1)]
    if q.type == "tf":
        return ["TRUE" if q.answer == "TRUE" else "FALSE"]
    if q.type in ("short", "cloze"):
        return ["=" + _typed(a, "accepted answer") for a in _accepted(q)]
    if q.type == "numeric":
        values, words = [], []
        for a in _accepted(q):
            try:
                value = float(a.replace(",", ""))
            except ValueError:
                value = math.nan
            if math.isfinite(value):
                values.append(_number(value))
            else:
                words.append(a)
        if not values:
            raise CannotCarry(f"the answer '{q.answer}' is not a number")
        if words:
            changes.append(f"answers in words not carried (Moodle's numerical question takes numbers): {', '.join(words)}")
        tol = _number(q.tolerance)
        return [f"={v}:{tol}" for v in dict.fromkeys(values)]
    if q.type == "matching":
        extra = [r for r in dict.fromkeys(q.responses) if r not in q.matches]
        if extra:
            changes.append(f"extra responses left out (GIFT matching has no place for them): {', '.join(extra)}")
        return _pairs(list(zip(q.options, q.matches)))
    if q.type == "ordering":
        if len(q.options) > len(ORDINALS):
            raise CannotCarry(f"{len(q.options)} items to order (at most {len(ORDINALS)} as matching)")
        changes.append("ordering carried as matching (GIFT has no ordering type): each item is matched to its place, "
                       f"{ORDINALS[0]} to {ORDINALS[len(q.options) - 1]}")
        shown = [q.options[i] for i in q.display] if sorted(q.display) == list(range(len(q.options))) else list(q.options)
        return _pairs([(item, ORDINALS[q.options.index(item)]) for item in shown])
    raise CannotCarry(f"GIFT has no {q.type} question")


def _pairs(pairs: list[tuple[str, str]]) -> list[str]:
    if len(pairs) < MIN_PAIRS:
        raise CannotCarry(f"{len(pairs)} pairs (Moodle's matching question needs at least {MIN_PAIRS})")
    out = []
    for k, (premise, response) in enumerate(pairs, 1):
        if "->" in premise:
            raise CannotCarry(f"item {k} '{premise}' contains '->', which GIFT reads as the end of the item")
        out.append("=" + _answer(premise, f"item {k}") + " -> " + escape(response))
    return out


def question_block(q: Question, seed: str) -> tuple[str, list[str]]:
    """One question in GIFT and what had to change, or CannotCarry."""
    changes: list[str] = []
    inner = answer_lines(q, changes)
    fb = feedback(q)
    body = ("{#\n" if q.type == "numeric" else "{\n") + "\n".join(inner) + ("\n####" + escape(fb) if fb else "") + "\n}"
    title = f"::{opaque_id(seed, q.source, q.id)}::{PLAIN}"
    if q.type == "cloze" and q.prompt.count(BLANK) == 1:
        before, after = q.prompt.split(BLANK)
        if before.strip() and after.strip():
            # Moodle's missing-word format: the answers stand where the blank is (a blank that starts or ends the
            # sentence stays _____ with the answers after it, which Moodle shows the same way)
            return title + escape(before) + body + escape(after), changes
    return title + escape(q.prompt) + " " + body, changes


def category(source: str) -> str:
    """The Moodle category line for a source (a file name: no GIFT specials; anything else becomes '-')."""
    return "$CATEGORY: quizgen/" + re.sub(r"[^\w.-]+", "-", source)


def render(bank: Bank) -> ExportResult:
    """The GIFT file (UTF-8, no BOM) and the report: questions GIFT cannot hold, and what had to change to fit."""
    result = ExportResult(b"")
    blocks: list[str] = []
    current = None
    for q in in_text_order(bank):
        try:
            block, changes = question_block(q, bank.seed)
        except CannotCarry as why:
            result.dropped.append((q.id, str(why)))
            continue
        if q.source != current:
            current = q.source
            blocks.append(category(q.source))
        blocks.append(block)
        result.carried.append(q.id)
        result.changed.extend((q.id, c) for c in changes)
    result.data = "\n\n".join(blocks).encode("utf-8") + (b"\n" if blocks else b"")
    return result
