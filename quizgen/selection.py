"""Choosing a quiz from a bank: one question per idea, the most telling form first, varied types, and no
question answered by the page or by another question on it."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from .bank import Bank, Question, keyed_hash
from .giveaway import chrome, conflicts, reveals

# How much each form tells a teacher about a student's understanding (beyond-recall forms first).
FORM_VALUE = {"position": 6, "said-by": 5, "claim": 5, "multi": 5, "matching": 5, "ordering": 5,
              "mcq": 3, "cloze": 3, "short": 3, "numeric": 3, "tf": 2, "tf-false": 2}
BEYOND_RECALL_KINDS = {"cause"}
VARIETY = 0.6          # how strongly a type already used discourages another of the same type


def value(q: Question) -> float:
    """What a question is worth in a quiz before variety: why-questions and attribution above plain recall."""
    base = FORM_VALUE.get(q.form, 3)
    if q.form == "mcq" and q.kind in BEYOND_RECALL_KINDS:
        base = 6
    return base


def beyond_recall(q: Question) -> bool:
    """Items that ask for understanding (why, who said what, how positions differ, sequences), not verbatim recall."""
    return q.form in ("position", "said-by", "claim", "matching", "ordering") or (q.form == "mcq" and q.kind in BEYOND_RECALL_KINDS)


def choose(bank: Bank, count: int | None = None, types: Iterable[str] = (), tags: Iterable[str] = (),
           all_questions: bool = False) -> list[Question]:
    """The questions of one source's quiz, in the order of the text (items built from several records last)."""
    pool = bank.filter(types=list(types) or None, tags=list(tags) or None).questions
    _CLASHES.clear()
    if all_questions:
        chosen = list(pool)
    else:
        chosen = _one_per_idea(bank, pool)
        if count is not None and count < len(chosen):
            chosen = _trim(chosen, count)
    return sorted(chosen, key=lambda q: (len(q.fact_ids) > 1, q.position, q.id))


def _one_per_idea(bank: Bank, pool: tuple[Question, ...]) -> list[Question]:
    if not pool:
        return []
    around = chrome(pool[0].citation, pool[0].source)
    # a question the page itself answers is never a candidate
    pool = tuple(q for q in pool if not any(reveals(text, q) for _, text in around))
    ideas: dict[tuple[str, ...], list[Question]] = defaultdict(list)
    for q in pool:
        ideas[tuple(sorted(q.fact_ids))].append(q)
    chosen: list[Question] = []
    covered: set[str] = set()
    # first one item of each kind that only several records make (a select-all item, a sequence, a matching),
    # so every quiz has them; a matching covering fewer records first, since its records get no item of their own
    for qtype in ("multi", "ordering", "matching"):
        def blocked(q: Question) -> int:
            """How many other ideas this item would leave with no question at all."""
            return sum(1 for i, qs in ideas.items() if not set(i) & set(q.fact_ids) and all(clash(q, o) for o in qs)) \
                + len(_retold(q, pool))

        options = [q for q in pool if q.type == qtype and not covered & set(q.fact_ids)
                   and not any(clash(q, other) for other in chosen)]
        ranked = sorted(((blocked(q), len(q.fact_ids), -value(q), q.id, q) for q in options), key=lambda t: t[:4])
        # worth a place only if it costs at most one other idea its question
        if ranked and ranked[0][0] <= 1:
            q = ranked[0][-1]
            chosen.append(q)
            covered |= set(q.fact_ids) | _retold(q, pool)
    singles = sorted((i for i in ideas if not covered & set(i) and all(len(q.fact_ids) == 1 for q in ideas[i])),
                     key=lambda i: (min(q.position for q in ideas[i]), i))
    fixed = len(chosen)
    for idea in singles:
        best = _best(ideas[idea], chosen, bank.seed)
        if best is not None:
            chosen.append(best)
    _improve(chosen, fixed, [ideas[i] for i in singles], bank.seed)
    return chosen


def _improve(chosen: list[Question], fixed: int, ideas: list[list[Question]], seed: str, rounds: int = 4) -> None:
    """Local search: give a question to ideas the greedy pass left out, by swapping another idea's form or
    dropping one question when that lets two ideas in; the first `fixed` questions stay."""
    for _ in range(rounds):
        changed = False
        for candidates in ideas:
            if any(q in chosen for q in candidates):
                continue
            allowed = [q for q in _truth_allowed(candidates, chosen, seed) if _key_count(q, chosen) < 2]
            for u in sorted(allowed, key=lambda q: (_repeats_key(q, chosen), -value(q))):
                blocking = [c for c in chosen if clash(u, c)]
                if not blocking:
                    chosen.append(u)
                    changed = True
                    break
                if len(blocking) != 1 or chosen.index(blocking[0]) < fixed:
                    continue
                c = blocking[0]
                rest = [x for x in chosen if x is not c] + [u]
                sibling = next((alt for alt in _idea_of(c, ideas) if alt is not c
                                and not any(clash(alt, x) for x in rest)), None)
                if sibling is not None:
                    chosen[chosen.index(c)] = sibling
                    chosen.append(u)
                    changed = True
                    break
                # dropping c is worth it if, with u in, some other idea left out can now come in too
                others = any(not any(clash(alt, x) for x in rest) for cands in ideas
                             if cands is not candidates and not any(q in chosen for q in cands) for alt in cands)
                if others:
                    chosen.remove(c)
                    chosen.append(u)
                    changed = True
                    break
        if not changed:
            return


def _idea_of(q: Question, ideas: list[list[Question]]) -> list[Question]:
    return next((cands for cands in ideas if q in cands), [q])


def _best(candidates: list[Question], chosen: list[Question], seed: str) -> Question | None:
    """The candidate worth most given what is already chosen; None if each would give away or be given away."""
    types = Counter(q.type for q in chosen)
    truth = Counter(q.answer for q in chosen if q.type == "tf")
    attributed = Counter(q.answer for q in chosen if q.type == "tf" and _attributed(q))

    keys = Counter(q.answer for q in chosen if q.type == "mcq")
    mcqs = [q for q in chosen if q.type == "mcq"]
    cue_hits = Counter(name for q in mcqs for name in _cued(q))

    def score(q: Question) -> tuple[float, int]:
        s = value(q) - VARIETY * types[q.type]
        if q.type == "mcq":
            s -= 3.0 * keys[q.answer]          # the same key again ("Wang Yi" four times) teaches a pattern
            # keep each test-wise cue ("the longest option is right", "the odd one out") near one item in four,
            # as on a hand-made test
            if any(cue_hits[name] + 1 > 0.25 * (len(mcqs) + 1) + 0.5 for name in _cued(q)):
                s -= 1.0
        if q.type == "tf":
            # keep true and false even, overall and among "According to ..." statements
            s -= 0.8 * truth[q.answer] + (0.8 * attributed[q.answer] if _attributed(q) else 0)
        return (s, keyed_hash(seed, q.source, q.id, "tie") % 1000)

    candidates = _truth_allowed(candidates, chosen, seed)
    viable = [q for q in candidates if not any(clash(q, other) for other in chosen)]
    # a key may come back once if nothing else fits, never a third time
    viable = [q for q in viable if _key_count(q, chosen) < 2]
    fresh = [q for q in viable if not _repeats_key(q, chosen)]
    viable = fresh or viable
    return max(viable, key=score) if viable else None


def balance_letters(questions: list[Question], seed: str) -> list[Question]:
    """The quiz's multiple-choice items with their key letters balanced A-D: items whose options have a natural
    order (numbers, dates, scales) keep it; each other item's key moves to the least used letter, the distractors
    keeping their order. Items are taken in a keyed order of their ids, so the result does not depend on the
    order of the quiz."""
    from dataclasses import replace

    from .bank import LETTERS

    counts = Counter(q.correct_letter for q in questions if q.type == "mcq" and q.fixed_order)
    free = sorted((q for q in questions if q.type == "mcq" and not q.fixed_order),
                  key=lambda q: keyed_hash(seed, q.source, q.id, "letters"))
    moved: dict[str, Question] = {}
    for q in free:
        n = len(q.options)
        prefer = sorted(range(n), key=lambda k: (counts[LETTERS[k]], keyed_hash(seed, q.source, q.id, "letter", str(k))))
        slot = prefer[0]
        rest = [o for o in q.options if o != q.answer]
        rest.insert(slot, q.answer)
        moved[q.id] = replace(q, options=tuple(rest))
        counts[LETTERS[slot]] += 1
    return [moved.get(q.id, q) for q in questions]


def _key_count(q: Question, chosen: list[Question]) -> int:
    return sum(1 for o in chosen if q.type == o.type == "mcq" and o.answer == q.answer)


def _repeats_key(q: Question, chosen: list[Question]) -> bool:
    """A multiple-choice item whose key another chosen item already has (three who-said-it items all keyed "Wang Yi"
    teach students to pick him)."""
    return q.type == "mcq" and any(o.type == "mcq" and o.answer == q.answer for o in chosen)


def _truth_allowed(candidates: list[Question], chosen: list[Question], seed: str) -> list[Question]:
    """Decide a true/false item's truth by the balance of the quiz before anything else: a false statement clashes
    with other items less often (it does not show its key), so letting conflicts choose would make "always False"
    a winning strategy."""
    tfs = [q for q in candidates if q.type == "tf"]
    if not tfs:
        return candidates
    truth = Counter(q.answer for q in chosen if q.type == "tf")
    if truth["TRUE"] != truth["FALSE"]:
        wanted = "TRUE" if truth["TRUE"] < truth["FALSE"] else "FALSE"
    else:
        wanted = "TRUE" if keyed_hash(seed, tfs[0].source, tfs[0].id.rsplit(".", 1)[0], "truth") % 2 else "FALSE"
    return [q for q in candidates if q.type != "tf" or q.answer == wanted]


_CLASHES: dict[tuple[str, str, str], bool] = {}


def clash(a: Question, b: Question) -> bool:
    """Two questions that must not share a quiz: one shows the other's answer, or a sequence retells the other.
    (Remembered for the choice under way: a quiz asks about the same pairs many times.)"""
    key = (a.source, a.id, b.id) if a.id <= b.id else (a.source, b.id, a.id)
    known = _CLASHES.get(key)
    if known is None:
        known = _CLASHES[key] = conflicts(a, b) or _retells(a, b) or _retells(b, a)
    return known


def retells(seq: Question, other: Question) -> bool:
    """True if the ordering item seq quotes every passage of the one-record question other (it retells it)."""
    return _retells(seq, other)


def _retells(seq: Question, other: Question) -> bool:
    if seq.type != "ordering" or len(other.fact_ids) != 1 or other.fact_ids == seq.fact_ids:
        return False
    quotes = [e for e in seq.evidence.split(" … ") if e]
    mine = [e for e in other.evidence.split(" … ") if e]
    return bool(mine) and all(any(m in q for q in quotes) for m in mine)


def _retold(q: Question, pool: tuple[Question, ...]) -> set[str]:
    """The records a sequence retells step by step: their own questions would be answered by its items."""
    return {f for other in pool if _retells(q, other) for f in other.fact_ids}

def _cued(q: Question) -> list[str]:
    """The test-wise cues that single out this item's key (see quizgen/cues.py)."""
    from .cues import gives_away

    return gives_away(q.prompt, q.options, q.options.index(q.answer)) if q.answer in q.options else []


def _attributed(q: Question) -> bool:
    low = q.prompt.lower()
    return "according to" in low or " says " in low or " said " in low


def _trim(chosen: list[Question], count: int) -> list[Question]:
    """A balanced selection of count: drop the least valuable item of the most common type until count remain."""
    kept = list(chosen)
    while len(kept) > count:
        types = Counter(q.type for q in kept)
        victim = min(kept, key=lambda q: (-types[q.type], value(q), -q.position))
        kept.remove(victim)
    return kept


def type_counts(questions: Iterable[Question]) -> dict[str, int]:
    return dict(Counter(q.type for q in questions))
