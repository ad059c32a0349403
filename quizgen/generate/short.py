"""Short answer: free text, graded against the answer and its alternates after normalisation."""
from __future__ import annotations

from ..bank import Question
from ..schema import Fact
from .context import Context


def generate(fact: Fact, ctx: Context) -> list[Question]:
    if ctx.shares_question(fact):
        return []  # several facts answer this question: there is no one short answer
    if fact.answer.number is not None:
        return []  # counts are asked as numeric questions, with a tolerance
    prompt = fact.wording.short or fact.question
    return [ctx.question(fact, "short", "short", prompt, answer=ctx.answer(fact), alternates=tuple(ctx.alternates(fact)))]
