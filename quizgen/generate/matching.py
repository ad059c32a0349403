"""Matching: 4-6 pairs from records of one kind, each record's statement (blanked) matched to its answer."""
from __future__ import annotations

import math
from collections import defaultdict

from dataclasses import replace

from ..bank import BLANK, Question, display_permutation
from ..textnorm import normalise_answer
from .context import Context

MIN_PAIRS, MAX_PAIRS = 4, 6


def _chunks(items: list, lo: int = MIN_PAIRS, hi: int = MAX_PAIRS) -> list[list]:
    if len(items) < lo:
        return []
    k = math.ceil(len(items) / hi)
    while k > 1 and len(items) / k < lo:
        k -= 1
    size, extra = divmod(min(len(items), k * hi), k)
    out, start = [], 0
    for i in range(k):
        n = min(hi, size + (1 if i < extra else 0))
        out.append(items[start:start + n])
        start += n
    return out


def generate_pack(ctx: Context) -> list[Question]:
    by_kind: dict[str, list] = defaultdict(list)
    for fact in sorted(ctx.pack.facts, key=lambda f: f.id):
        if not ctx.shares_question(fact):
            by_kind[fact.kind].append(fact)
    questions = []
    for kind, facts in sorted(by_kind.items()):
        # answers must be told apart, or two pairings would both be right
        seen: set[str] = set()
        usable = []
        for f in facts:
            key = normalise_answer(ctx.answer(f))
            if key not in seen:
                seen.add(key)
                usable.append(f)
        chunks = _chunks(usable)
        for n, chunk in enumerate(chunks, 1):
            suffix = "" if len(chunks) == 1 else f"-{n}"
            lefts = tuple(f.wording.cue or f.statement.replace("{answer}", BLANK) for f in chunk)
            rights = tuple(ctx.answer(f) for f in chunk)
            q = ctx.question(chunk[0], "matching", "matching",
                             "Match each statement from the text with the words that complete it.",
                             options=lefts, matches=rights, explanation="")
            qid = f"{kind}.matching{suffix}"
            perm = display_permutation(ctx.seed, ctx.pack.name, qid, len(rights))
            questions.append(replace(q, **{"id": qid, "form": "matching", "responses": tuple(rights[i] for i in perm),
                                            "fact_ids": tuple(f.id for f in chunk),
                                            "evidence": " … ".join(dict.fromkeys(e for f in chunk for e in f.evidence)),
                                            "difficulty": max(f.difficulty for f in chunk),
                                            "tags": tuple(sorted({t for f in chunk for t in f.tags}))}))
    return questions
