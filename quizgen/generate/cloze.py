"""Cloze: a sentence of the evidence with the answer span blanked (the span occurs in it exactly once)."""
from __future__ import annotations

from ..answers import dedupe
from ..bank import BLANK, Question
from ..schema import Fact
from ..textnorm import split_sentences
from .context import Context


def _occurrences(sentence: str, span: str) -> list[int]:
    """Start offsets of span in sentence as whole words (no letter or digit on either side)."""
    out, start = [], sentence.find(span)
    while start != -1 and span:
        end = start + len(span)
        if (start == 0 or not sentence[start - 1].isalnum()) and (end == len(sentence) or not sentence[end].isalnum()):
            out.append(start)
        start = sentence.find(span, start + 1)
    return out


def generate(fact: Fact, ctx: Context) -> list[Question]:
    spans = [fact.cloze] if fact.cloze else [ctx.answer(fact), *ctx.alternates(fact)]
    for span in spans:
        for quote in fact.evidence:
            for sentence in split_sentences(quote):
                found = _occurrences(sentence, span)
                if len(found) != 1:
                    continue
                at = found[0]
                prompt = sentence[:at] + BLANK + sentence[at + len(span):]
                accepted = dedupe([span, ctx.answer(fact), *ctx.alternates(fact)])
                if ctx.leaks(prompt, accepted):
                    continue
                return [ctx.question(fact, "cloze", "cloze", prompt, answer=span, alternates=tuple(accepted[1:]),
                                     context=sentence, span=(at, at + len(span)))]
    if fact.cloze:
        ctx.warn(fact, "cloze", f"the cloze span '{fact.cloze}' is not in one evidence sentence exactly once")
    return []
