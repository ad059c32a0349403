"""Wrong answers that fit: entities narrowed to what the stem implies, numbers and dates at the text's own granularity."""
from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ..answers import date_parts, dedupe, format_date, format_number, is_number
from ..textnorm import normalise_answer

if TYPE_CHECKING:
    from ..facts import SourcePack, TypedEntity
    from ..schema import Fact


def entity_pool(pack: "SourcePack", fact: "Fact", key_ids: list[str], taken: set[str]) -> list["TypedEntity"]:
    """Entities that could stand where the answer stands, best first: of the answer's type (or the record's pool
    type), narrowed by `where` and `same`, never an accepted answer, those the text itself names first."""
    a = fact.answer
    keys = [pack.entities[k] for k in key_ids if k in pack.entities]
    etype = (a.pool.type if a.pool and a.pool.type else None) or (keys[0].type if keys else None)
    if etype is None:
        return []
    accepted = {normalise_answer(x) for k in keys for x in (k.name, *k.entity.alternates)}
    out = []
    for e in pack.pool(etype):
        if e.id in taken or e.id in a.exclude or e.id in key_ids:
            continue
        if normalise_answer(e.name) in accepted:
            continue
        if a.pool and any(not (set(e.attribute(k)) & set([v] if isinstance(v, str) else v)) for k, v in a.pool.where.items()):
            continue
        if any(keys and not (set(e.attribute(attr)) & set(keys[0].attribute(attr))) for attr in a.same):
            continue
        out.append(e)
    return sorted(out, key=lambda e: (not e.in_text, e.name))


def pick_entities(pool: list["TypedEntity"], n: int, rank) -> list["TypedEntity"]:
    """n of the pool, preferring the entities the text names (plausible to anyone who skimmed it); within each,
    by a stable per-entity rank, so adding an entity to the pool changes a choice only if it is chosen itself."""
    return sorted(pool, key=lambda e: (not e.in_text, rank(e.id), e.id))[:n]


def _nice_step(magnitude: float) -> float:
    """1, 2, 5, 10, 20, 25, 50, ... at or above magnitude."""
    if magnitude <= 1:
        return 1.0
    exp = 10 ** math.floor(math.log10(magnitude))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= magnitude:
            return m * exp
    return 10 * exp


BELOW = (1 / 2, 1 / 3, 1 / 4)
ABOVE = (2, 3, 4)


def number_options(value: float, slot: int, n: int = 4, near_misses: bool = False,
                   own: list[str] | tuple[str, ...] = ()) -> tuple[list[str], int]:
    """n numbers in ascending order with the key at position slot where possible (it moves when there are not
    enough values on one side). Distractors are plausible alternatives at a meaningful distance - a half, a third,
    twice, three times the key - not off-by-one near misses, unless the record allows them or gives its own."""
    own_values = sorted({float(x) for x in own if is_number(x)} - {float(value)})
    if len(own_values) >= n - 1:
        below = [v for v in own_values if v < value]
        above = [v for v in own_values if v > value]
    elif near_misses:
        below = [value - k for k in range(n - 1, 0, -1) if value - k > 0 or value <= 0]
        above = [value + k for k in range(1, n)]
    else:
        whole = float(value).is_integer()

        def fit(x: float) -> float:
            return float(int(x + 0.5)) if whole else float(f"{x:.2g}")

        below = sorted({fit(value * f) for f in BELOW if 0 < fit(value * f) < value})
        above = sorted({fit(value * f) for f in ABOVE if fit(value * f) > value})
    slot = min(slot, len(below))
    need_above = n - 1 - slot
    if need_above > len(above):
        slot = n - 1 - len(above)
    values = below[len(below) - slot:] + [value] + above[:n - 1 - slot]
    return [format_number(v) for v in values], slot


def _shift(parts: tuple[int, ...], k: int) -> tuple[int, ...] | None:
    """A date moved by k units of its own precision (days in weeks, months by half years, years by decades)."""
    if len(parts) == 3:
        try:
            d = dt.date(*parts) + dt.timedelta(days=7 * k)
        except (ValueError, OverflowError):
            return None
        return (d.year, d.month, d.day)
    if len(parts) == 2:
        total = parts[0] * 12 + parts[1] - 1 + 6 * k
        return (total // 12, total % 12 + 1)
    return (parts[0] + 10 * k,)


def _shift_near(parts: tuple[int, ...], k: int) -> tuple[int, ...] | None:
    if len(parts) == 3:
        d = dt.date(*parts) + dt.timedelta(days=k)
        return (d.year, d.month, d.day)
    if len(parts) == 2:
        total = parts[0] * 12 + parts[1] - 1 + k
        return (total // 12, total % 12 + 1)
    return (parts[0] + k,)


def _as_value(parts: list[tuple[int, ...]]) -> str:
    return "/".join("-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(one)) for one in parts)


def date_options(value: str, slot: int, n: int = 4, near_misses: bool = False,
                 own: list[str] | tuple[str, ...] = ()) -> tuple[list[str], int]:
    """n dates in ascending order at the precision the text states, the key at position slot."""
    if len(own) >= n - 1:
        from ..answers import date_key

        values = sorted({value, *own}, key=date_key)
        keyed = values.index(value)
        lo = max(0, min(keyed - slot, len(values) - n))
        chosen = values[lo:lo + n]
        return [format_date(v) for v in chosen], chosen.index(value)
    parts = date_parts(value)
    shift = _shift_near if near_misses else _shift

    def moved(k: int) -> str | None:
        out = []
        for p in parts:
            # a range keeps its length: both ends move by the same amount, at least the range's own length
            span = 1 if len(parts) == 1 else max(1, (parts[1][0] - parts[0][0]) // 10 + 1)
            q = shift(p, k * span)
            if q is None or q[0] < 1:
                return None
            out.append(q)
        return _as_value(out)

    below = [v for v in (moved(-k) for k in range(n - 1, 0, -1)) if v]
    above = [v for v in (moved(k) for k in range(1, n)) if v]
    slot = min(slot, len(below))
    values = below[len(below) - slot:] + [value] + above[:n - 1 - slot]
    return [format_date(v) for v in values], slot


def scale_options(scale: list[str], key: str, slot: int, n: int = 4) -> tuple[list[str], int]:
    """n consecutive values of an ordered scale (weekdays, months, ranks) holding the key at position slot."""
    at = [normalise_answer(s) for s in scale].index(normalise_answer(key))
    lo = max(0, min(at - slot, len(scale) - n))
    window = list(scale[lo:lo + n])
    return window, at - lo


def phrase_distractors(fact: "Fact", accepted: list[str]) -> list[str]:
    """The record's own wrong answers, without any that is an accepted answer."""
    return dedupe(list(fact.answer.distractors), exclude=accepted)
