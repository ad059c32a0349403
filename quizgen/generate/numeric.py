"""Numeric: counts the text supports, and the year of dated records that ask for it."""
from __future__ import annotations

from ..answers import format_number
from ..bank import Question
from ..schema import Fact
from .context import Context


def generate(fact: Fact, ctx: Context) -> list[Question]:
    a = fact.answer
    if a.number is not None:
        prompt = fact.wording.numeric or fact.question
        alternates = (a.wording,) if a.wording else ()
        return [ctx.question(fact, "numeric", "numeric", prompt, answer=format_number(a.number),
                             tolerance=float(a.tolerance), unit=a.unit or "", alternates=alternates)]
    if a.date is not None and fact.wording.numeric:
        year = a.date.split("-")[0]
        return [ctx.question(fact, "numeric", "numeric", fact.wording.numeric, answer=year, tolerance=0.0, unit="")]
    return []
