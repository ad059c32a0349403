"""Cloze: a sentence of the evidence with the answer span blanked (the span occurs in it exactly once)."""
from __future__ import annotations

import re

from ..answers import dedupe
from ..bank import BLANK, Question
from ..schema import Fact
from ..textnorm import split_sentences
from .context import Context


def _occurrences(sentence: str, span: str) -> list[re.Match]:
    return list(re.finditer(rf"(?<!\w){re.escape(span)}(?!\w)", sentence))


def generate(fact: Fact, ctx: Context) -> list[Question]:
    spans = [fact.cloze] if fact.cloze else [ctx.answer(fact), *ctx.alternates(fact)]
    for span in spans:
        for quote in fact.evidence:
            for sentence in split_sentences(quote):
                found = _occurrences(sentence, span)
                if len(found) != 1:
                    continue
                m = found[0]
                prompt = sentence[: m.start()] + BLANK + sentence[m.end():]
                accepted = dedupe([span, ctx.answer(fact), *ctx.alternates(fact)])
                if ctx.leaks(prompt, accepted):
                    continue
                return [ctx.question(fact, "cloze", "cloze", prompt, answer=span, alternates=tuple(accepted[1:]))]
    if fact.cloze:
        ctx.warn(fact, "cloze", f"the cloze span '{fact.cloze}' is not in one evidence sentence exactly once")
    return []
