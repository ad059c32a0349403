"""Short answer: only where a student can write the key in a few words (names, dates, short phrases)."""
from __future__ import annotations

from ..bank import Question
from ..schema import Fact
from ..textnorm import word_count
from .context import Context

MAX_WORDS = 3


def generate(fact: Fact, ctx: Context) -> list[Question]:
    qid = f"{fact.id}.short"
    a = fact.answer
    reason = ctx.unsuitable(fact, "short", "several answers to one question: asked as a select-all item")
    if reason:
        return ctx.skip(fact.id, "short", reason)
    if a.number is not None:
        return ctx.skip(fact.id, "short", "a number: asked as a numeric question, with its tolerance")
    answer = ctx.answer(fact)
    words = word_count(answer.split(" ", 1)[1] if answer.lower().startswith(("a ", "an ", "the ")) else answer)
    if a.phrase is not None and words > MAX_WORDS and "short" not in fact.forms:
        return ctx.skip(fact.id, "short", f"the key is {words} words: too long to write only one way "
                                          f"(list 'short' under forms, with the accepted answers, to allow it)")
    prompt = fact.wording.short or fact.question
    return [ctx.question(fact, qid, "short", "short", prompt, answer=answer, alternates=tuple(ctx.alternates(fact)),
                         near=tuple(a.distractors))]
