"""Question generation: records -> questions, one module per question type, gathered by a registry."""
from __future__ import annotations

from typing import Iterable

from ..bank import Bank, Question
from ..facts import SourcePack
from . import cloze, matching, mcq, numeric, ordering, short, tf
from .context import Context

# Per-record generators run on each fact; per-pack generators combine several facts into one question.
PER_FACT = (mcq, tf, short, cloze, numeric)
PER_PACK = (matching, ordering)


def build_bank(packs: SourcePack | Iterable[SourcePack], seed: str | None = None) -> Bank:
    """Build the bank of one or more validated sources. Each source's questions depend only on that source,
    the seed (default: the course secret of the source's project) and each question's id."""
    from ..course import course_seed, project_root_of

    if isinstance(packs, SourcePack):
        packs = [packs]
    questions: list[Question] = []
    warnings: list[str] = []
    used_seed = seed
    for pack in packs:
        pack_seed = seed if seed is not None else course_seed(project_root_of(pack.facts_path))
        used_seed = pack_seed if used_seed is None else used_seed
        ctx = Context(pack, pack_seed)
        for fact in pack.facts:
            for module in PER_FACT:
                questions.extend(module.generate(fact, ctx))
        for module in PER_PACK:
            questions.extend(module.generate_pack(ctx))
        warnings.extend(ctx.warnings)
    return Bank(tuple(questions), str(used_seed if used_seed is not None else "public"), tuple(warnings))


__all__ = ["build_bank", "Context"]
