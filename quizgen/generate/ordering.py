"""Ordering: a sequence the text teaches (a record's steps), or three or more dated events that are not the
start and end of one event."""
from __future__ import annotations

from ..answers import date_key
from ..bank import Question
from .context import Context

MIN_ITEMS, MAX_ITEMS = 3, 5


def generate_pack(ctx: Context) -> list[Question]:
    out: list[Question] = []
    for fact in ctx.pack.facts:
        if not fact.steps:
            continue
        qid = f"{fact.id}.ordering"
        if not ctx.wants(fact, "ordering"):
            ctx.skip(fact.id, "ordering", "left out by the record (forms/skip)")
            continue
        if len(fact.steps) < MIN_ITEMS:
            ctx.skip(fact.id, "ordering", f"only {len(fact.steps)} steps (at least {MIN_ITEMS})")
            continue
        items = tuple(s.text for s in fact.steps[:MAX_ITEMS])
        quotes = list(dict.fromkeys([*(s.evidence for s in fact.steps if s.evidence), *fact.evidence]))
        # a quote inside a longer one is said once
        evidence = " … ".join(q for q in quotes if not any(q != other and q in other for other in quotes))
        out.append(ctx.question(fact, qid, "ordering", "ordering", fact.question, options=items,
                                display=ctx.permutation(qid, len(items)), evidence=evidence, explanation=fact.explanation or ""))
    dated = sorted((f for f in ctx.pack.facts if f.kind == "date" and f.answer.date and ctx.wants(f, "ordering")
                    and ctx.body_evidence(f)), key=lambda f: (date_key(str(f.answer.date)), f.id))
    chosen = []
    for f in dated:
        key = date_key(str(f.answer.date))
        same_event = f.part_of and any(c.part_of == f.part_of for c in chosen)
        # a month and a day in it cannot be ordered, nor two events on one date, nor the start and end of one event
        if same_event or any(_overlaps(key, date_key(str(c.answer.date))) for c in chosen):
            continue
        chosen.append(f)
    if len(chosen) >= MIN_ITEMS:
        if len(chosen) > MAX_ITEMS:
            step = (len(chosen) - 1) / (MAX_ITEMS - 1)
            chosen = [chosen[round(i * step)] for i in range(MAX_ITEMS)]
        qid = "dates.ordering"
        items = tuple(f.wording.ordering or f.event or f.statement or f.question for f in chosen)
        out.append(ctx.question(chosen, qid, "ordering", "ordering", "Put these events in the order they happened, earliest first.",
                                options=items, display=ctx.permutation(qid, len(items)),
                                explanation="; ".join(f"{f.event or f.id}: {ctx.answer(f)}" for f in chosen)))
    return out


def _overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Two dates of perhaps different precision that cannot be told apart (2003-08 and 2003-08-29)."""
    a_trim = tuple(x for x in a if x) or a
    b_trim = tuple(x for x in b if x) or b
    n = min(len(a_trim), len(b_trim))
    return a_trim[:n] == b_trim[:n]
