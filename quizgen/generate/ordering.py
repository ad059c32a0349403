"""Ordering: put 3-5 dated events in time order; only records with known, distinct dates take part."""
from __future__ import annotations

from ..answers import date_key
from dataclasses import replace

from ..bank import Question, display_permutation
from .context import Context

MIN_ITEMS, MAX_ITEMS = 3, 5


def generate_pack(ctx: Context) -> list[Question]:
    dated = sorted((f for f in ctx.pack.facts if f.kind == "date" and f.answer.date), key=lambda f: (date_key(f.answer.date), f.id))
    chosen = []
    for f in dated:
        key = date_key(f.answer.date)
        # a month and a day in that month cannot be ordered, nor two events on one date
        if any(key[: len(k)] == k[: len(key)] for k in (date_key(c.answer.date) for c in chosen)):
            continue
        chosen.append(f)
    if len(chosen) < MIN_ITEMS:
        return []
    if len(chosen) > MAX_ITEMS:
        step = (len(chosen) - 1) / (MAX_ITEMS - 1)
        chosen = [chosen[round(i * step)] for i in range(MAX_ITEMS)]
    items = tuple(f.wording.ordering or f.event or f.statement for f in chosen)
    q = ctx.question(chosen[0], "ordering", "ordering", "Put these events in the order they happened, earliest first.",
                     options=items, explanation="; ".join(f"{f.event}: {ctx.answer(f)}" for f in chosen))
    return [replace(q, **{"id": "date.ordering", "form": "ordering",
                          "display": display_permutation(ctx.seed, ctx.pack.name, "date.ordering", len(items)), "fact_ids": tuple(f.id for f in chosen),
                          "evidence": " … ".join(dict.fromkeys(e for f in chosen for e in f.evidence)),
                          "difficulty": max(f.difficulty for f in chosen),
                          "tags": tuple(sorted({t for f in chosen for t in f.tags}))})]
