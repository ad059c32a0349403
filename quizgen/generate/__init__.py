"""Question generation: records -> questions, one module per question type, gathered by a registry."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..bank import Bank, Question, stable_hash, stable_rng
from ..facts import SourcePack
from . import cloze, matching, mcq, numeric, ordering, short, tf
from .context import Context

# Per-record generators run on each fact; per-pack generators combine several facts into one question.
PER_FACT = (mcq, tf, short, cloze, numeric)
PER_PACK = (matching, ordering)


def build_bank(packs: SourcePack | Iterable[SourcePack], seed: int = 0) -> Bank:
    """Build the bank of one or more validated sources. Same packs and seed give the same bank."""
    if isinstance(packs, SourcePack):
        packs = [packs]
    questions: list[Question] = []
    warnings: list[str] = []
    for pack in packs:
        ctx = Context(pack, seed)
        for fact in pack.facts:
            for module in PER_FACT:
                questions.extend(module.generate(fact, ctx))
        for module in PER_PACK:
            questions.extend(module.generate_pack(ctx))
        warnings.extend(ctx.warnings)
    questions = balance_positions(questions, seed)
    questions = balance_truth(questions)
    return Bank(tuple(questions), seed, tuple(warnings))


def balanced_slots(ids: list[str], n_slots: int) -> dict[str, int]:
    """Give each id a slot so slot counts differ by at most one, moving as few ids from their
    hash-preferred slot as possible; an edit never moves anything, an added id moves at most a few others."""
    pref = {q: stable_hash(q) % n_slots for q in ids}
    base, extra = divmod(len(ids), n_slots)
    wanted = sorted(range(n_slots), key=lambda s: (-sum(1 for q in ids if pref[q] == s), s))
    capacity = {s: base + (1 if rank < extra else 0) for rank, s in enumerate(wanted)}
    assigned: dict[str, int] = {}
    overflow: list[str] = []
    for s in range(n_slots):
        members = sorted((q for q in ids if pref[q] == s), key=stable_hash)
        for q in members[: capacity[s]]:
            assigned[q] = s
        overflow += members[capacity[s]:]
    free = [s for s in range(n_slots) for _ in range(capacity[s] - sum(1 for v in assigned.values() if v == s))]
    for q, s in zip(sorted(overflow, key=stable_hash), free):
        assigned[q] = s
    return assigned


def _rebalance(questions: list[Question], qtype: str, n_slots: int, place) -> list[Question]:
    """Give every question of a type its bank-wide slot (balanced_slots) and rebuild it with place(q, slot)."""
    slots = balanced_slots([q.id for q in questions if q.type == qtype], n_slots)
    return [place(q, slots[q.id]) if q.type == qtype else q for q in questions]


def balance_positions(questions: list[Question], seed: int) -> list[Question]:
    """Place each multiple-choice answer so that A, B, C and D are correct equally often."""
    def place(q: Question, slot: int) -> Question:
        distractors = [o for o in q.options if o != q.answer]
        stable_rng(seed, q.id, "order").shuffle(distractors)
        distractors.insert(slot, q.answer)
        return replace(q, options=tuple(distractors))

    return _rebalance(questions, "mcq", 4, place)


def balance_truth(questions: list[Question]) -> list[Question]:
    """True/false drafts carry both versions; keep the true or the false one so the bank is half and half."""
    def place(q: Question, slot: int) -> Question:
        true_statement, false_statement = q.options
        if slot == 0:
            return replace(q, prompt=true_statement, answer="TRUE", options=())
        explanation = f"False. The text supports: {true_statement}" + (f" {q.explanation}" if q.explanation else "")
        return replace(q, prompt=false_statement, answer="FALSE", options=(), explanation=explanation)

    return _rebalance(questions, "tf", 2, place)


__all__ = ["build_bank", "Context"]
