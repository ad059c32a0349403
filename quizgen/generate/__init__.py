"""Question generation: records -> questions. Per-record forms and per-pack items, each in its own module."""
from __future__ import annotations

from typing import Iterable

from ..bank import PUBLIC_SEED, Bank, Question
from ..facts import SourcePack
from . import attribution, cloze, matching, mcq, multi, numeric, ordering, short, tf
from .context import Context

# Per-record generators run on each record; per-pack generators combine several records into one item.
PER_RECORD = (mcq, short, cloze, numeric, tf, attribution)
PER_PACK = (multi, matching, ordering)


def build_bank(packs: SourcePack | Iterable[SourcePack], seed: str | None = None) -> Bank:
    """The bank of one or more validated sources. Each question depends only on its own records, its source's
    entity pools, the seed (default: the course secret of the source's project) and its id."""
    from ..course import course_seed, project_root_of

    if isinstance(packs, SourcePack):
        packs = [packs]
    questions: list[Question] = []
    warnings: list[str] = []
    skipped = []
    seeds = []
    for pack in packs:
        pack_seed = seed if seed is not None else course_seed(project_root_of(pack.facts_path))
        seeds.append(pack_seed)
        ctx = Context(pack, pack_seed)
        for fact in pack.facts:
            for module in PER_RECORD:
                questions.extend(module.generate(fact, ctx))
        for module in PER_PACK:
            questions.extend(module.generate_pack(ctx))
        warnings.extend(ctx.warnings)
        skipped.extend(ctx.skipped)
    return Bank(tuple(questions), seeds[0] if len(set(seeds)) == 1 else PUBLIC_SEED, tuple(warnings), tuple(skipped))


__all__ = ["build_bank", "Context"]
