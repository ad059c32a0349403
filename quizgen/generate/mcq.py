"""Multiple choice: four options of the answer's kind; numbers, dates and scales in their natural order."""
from __future__ import annotations

import itertools

from ..bank import Question
from ..cues import options_overlap
from ..schema import Fact
from .context import Context
from .distractors import date_options, entity_pool, number_options, phrase_distractors, pick_entities, scale_options

N_OPTIONS = 4
TRIES = 60


def generate(fact: Fact, ctx: Context) -> list[Question]:
    qid = f"{fact.id}.mcq"
    reason = ctx.unsuitable(fact, "mcq", "several answers to one question: asked once, as a select-all item")
    if reason:
        return ctx.skip(fact.id, "mcq", reason)
    prompt = fact.wording.mcq or fact.question
    built = options_for(fact, ctx, qid, prompt)
    if isinstance(built, str):
        return ctx.skip(fact.id, "mcq", built)
    options, answer = built
    ordered = bool(fact.answer.scale or fact.answer.number is not None or fact.answer.date is not None)
    return [ctx.question(fact, qid, "mcq", "mcq", prompt, answer=answer, options=tuple(options), fixed_order=ordered,
                         alternates=tuple(ctx.alternates(fact)), near=tuple(o for o in options if o != answer))]


def options_for(fact: Fact, ctx: Context, qid: str, prompt: str) -> tuple[list[str], str] | str:
    """The shown options and the key, or why no fair set of options can be made."""
    a = fact.answer
    answer = ctx.answer(fact)
    slot = ctx.slot(qid, N_OPTIONS)
    if a.scale:
        options, _ = scale_options(list(a.scale), str(a.phrase or answer), slot, N_OPTIONS)
        return options, next(o for o in options if o.casefold() == str(a.phrase or answer).casefold())
    if a.number is not None:
        options, at = number_options(a.number, slot, N_OPTIONS, a.near_misses, a.distractors)
        if a.unit:
            options = [with_unit(o, a.unit) for o in options]
        return options, options[at]
    if a.date is not None:
        options, at = date_options(a.date, slot, N_OPTIONS, a.near_misses, a.distractors)
        return options, options[at]
    if a.entity:
        taken = {f.answer.entity for f in ctx.shares_question(fact) if f.answer.entity}
        pool = entity_pool(ctx.pack, fact, [a.entity], taken)
        if len(pool) < N_OPTIONS - 1:
            return f"only {len(pool)} fitting distractors in the entity pool (add entities or widen the record's pool)"
        candidates = [e.name for e in pick_entities(pool, len(pool), ctx.ranker(qid))]
        preferred = {e.name for e in pool if e.in_text}
    else:
        candidates = phrase_distractors(fact, [answer, *ctx.alternates(fact)])
        if len(candidates) < N_OPTIONS - 1:
            return f"only {len(candidates)} distractors (a phrase answer needs {N_OPTIONS - 1})"
    chosen = _fair_set(prompt, answer, candidates, ctx.ranker(qid), preferred if a.entity else set())
    if chosen is None:
        return "every set of distractors has one option containing another (write distractors that do not overlap)"
    options = list(chosen)
    ctx.rng(qid, "order").shuffle(options)
    options.insert(slot, answer)
    return options, answer


def with_unit(number: str, unit: str) -> str:
    """'3 days', but '1 day'."""
    if number in ("1", "-1") and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{number} {unit}"


def _fair_set(prompt: str, answer: str, candidates: list[str], rank, preferred=frozenset()) -> list[str] | None:
    """Three distractors where no option contains another, taken in the order of rank(candidate) (a keyed hash
    per candidate, not a shuffle), so a candidate added to the pool changes the choice only if it is chosen itself.

    Sets are not screened against the cue solvers: rejecting every set where the key is, say, the longest would
    teach students that the key is never the longest. Parallel, balanced options are the records' job; the tests
    and `quizgen review` measure the cues in both directions."""
    # entities the text names come first: plausible to anyone who skimmed it, wrong to anyone who read it
    ordered = sorted(candidates, key=lambda c: (c not in preferred, rank(c), c))
    for pick in itertools.islice(itertools.combinations(ordered, N_OPTIONS - 1), TRIES):
        if not options_overlap([answer, *pick]):
            return sorted(pick)
    return None
