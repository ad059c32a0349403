"""Cloze: a sentence of the body of the text with one span blanked, with enough context around it to have one answer."""
from __future__ import annotations

from ..answers import dedupe
from ..bank import BLANK, Question
from ..schema import Fact
from ..textnorm import locate, locate_all, normalise_answer, sentence_spans, word_count
from .context import Context

MIN_CONTEXT_WORDS = 8
MAX_BLANK_WORDS = 5


def generate(fact: Fact, ctx: Context) -> list[Question]:
    qid = f"{fact.id}.cloze"
    a = fact.answer
    reason = ctx.unsuitable(fact, "cloze", "one of several answers listed in one sentence: a blank there has more than one answer")
    if reason:
        return ctx.skip(fact.id, "cloze", reason)
    spans = [fact.cloze] if fact.cloze else [x for x in (a.wording, ctx.answer(fact), *ctx.alternates(fact)) if x]
    found = _find(fact, ctx, spans)
    if isinstance(found, str):
        if fact.cloze:
            ctx.warn(fact, "cloze", found)
        return ctx.skip(fact.id, "cloze", found)
    sentence, start, end = found
    span = sentence[start:end]
    prompt = sentence[:start] + BLANK + sentence[end:]
    accepted = [span]
    # alternates fit the blank only when the blank is the whole answer ("seven" must not accept "87"), and only
    # those that do not run into the words around it ("reports of threats [by North Korea] by North Korea")
    if normalise_answer(span) in {normalise_answer(x) for x in (ctx.answer(fact), *ctx.alternates(fact))}:
        before = normalise_answer(sentence[:start]).split()[-3:]
        after = normalise_answer(sentence[end:]).split()[:3]

        def fits(alt: str) -> bool:
            words = normalise_answer(alt).split()
            return not any(words[-k:] == after[:k] for k in range(1, len(after) + 1) if len(words) >= k) and \
                not any(words[:k] == before[-k:] for k in range(1, len(before) + 1) if len(words) >= k)

        accepted += [x for x in (ctx.answer(fact), *ctx.alternates(fact)) if fits(x)]
    accepted = dedupe(accepted)
    kind = "number" if a.number is not None else ("name" if a.entity else "phrase")
    return [ctx.question(fact, qid, "cloze", "cloze", prompt, answer=span, alternates=tuple(accepted[1:]),
                         context=sentence, span=(start, end), answer_kind=kind, near=tuple(a.distractors))]


def _find(fact: Fact, ctx: Context, spans: list[str]) -> tuple[str, int, int] | str:
    """The first body sentence holding one of the spans exactly once with enough context, or why there is none."""
    text = ctx.pack.text
    sentences = sentence_spans(text)
    reason = "the answer is not in a sentence of its evidence"
    for quote in ctx.body_evidence(fact):
        where = locate(text, quote)
        if where is None:
            continue
        for s, e in sentences:
            if e <= where[0] or s >= where[1]:
                continue
            sentence = text[s:e]
            for span in spans:
                hits = locate_all(sentence, span, fold_case=True)
                if len(hits) != 1:
                    if len(hits) > 1:
                        reason = f"'{span}' occurs {len(hits)} times in its sentence"
                    continue
                start, end = hits[0]
                blank_words = word_count(sentence[start:end])
                context_words = word_count(sentence) - blank_words
                if context_words < MIN_CONTEXT_WORDS:
                    reason = f"only {context_words} words of context around the blank (at least {MIN_CONTEXT_WORDS} needed)"
                    continue
                if blank_words > MAX_BLANK_WORDS:
                    reason = f"the blank would be {blank_words} words (at most {MAX_BLANK_WORDS}): set 'cloze' to a shorter span"
                    continue
                prompt = sentence[:start] + BLANK + sentence[end:]
                accepted = [fact.cloze or span, ctx.answer(fact), *ctx.alternates(fact)]
                if ctx.leaks(prompt, accepted):
                    reason = "the rest of the sentence names the answer"
                    continue
                return sentence.strip(), start - (len(sentence) - len(sentence.lstrip())), end - (len(sentence) - len(sentence.lstrip()))
    if not ctx.body_evidence(fact):
        reason = "its only evidence is the headline, dateline or signature"
    return reason
