"""Numeric: counts the text supports, and the year of dated records that ask for it."""
from __future__ import annotations

from ..answers import date_parts, format_number
from ..bank import Question
from ..schema import Fact
from .context import Context


def generate(fact: Fact, ctx: Context) -> list[Question]:
    a = fact.answer
    qid = f"{fact.id}.numeric"
    if a.number is None and not (a.date is not None and fact.wording.numeric):
        return []  # not a number: nothing to say
    if not ctx.wants(fact, "numeric"):
        return ctx.skip(fact.id, "numeric", "left out by the record (forms/skip)")
    if not ctx.body_evidence(fact):
        return ctx.skip(fact.id, "numeric", "its only evidence is the headline, dateline or signature (set front_matter: true to allow)")
    if a.number is not None:
        prompt = fact.wording.numeric or fact.question
        alternates = (a.wording,) if a.wording else ()
        return [ctx.question(fact, qid, "numeric", "numeric", prompt, answer=format_number(a.number),
                             tolerance=float(a.tolerance), unit=a.unit or "", alternates=alternates, answer_kind="number")]
    year = str(date_parts(str(a.date))[0][0])
    return [ctx.question(fact, qid, "numeric", "numeric", str(fact.wording.numeric), answer=year, tolerance=0.0, unit="",
                         answer_kind="number")]
