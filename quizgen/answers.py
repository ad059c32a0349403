"""Typed answers: how a record's answer is shown, which alternates count, and same-type wrong answers."""
from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from .textnorm import normalise_answer

if TYPE_CHECKING:
    from .facts import SourcePack
    from .schema import Fact


def answer_type(pack: "SourcePack", fact: "Fact") -> str:
    a = fact.answer
    if a.entity:
        return pack.entities[a.entity].type
    if a.date is not None:
        return "date"
    if a.number is not None:
        return "number"
    return "phrase"


def format_number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[parts[1]]} {parts[0]}"
    return str(parts[0])


def date_alternates(value: str) -> list[str]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        y, m, d = parts
        return [f"{calendar.month_name[m]} {d}, {y}", value, f"{d} {calendar.month_abbr[m]} {y}", f"{calendar.month_abbr[m]} {d}, {y}"]
    if len(parts) == 2:
        y, m = parts
        return [f"{calendar.month_abbr[m]} {y}", value]
    return []


def display_answer(pack: "SourcePack", fact: "Fact") -> str:
    """The answer as shown in options and keys (entity name, phrase, number, formatted date)."""
    a = fact.answer
    if a.entity:
        return pack.entities[a.entity].name
    if a.date is not None:
        return format_date(a.date)
    if a.number is not None:
        return format_number(a.number)
    return str(a.phrase)


def in_sentence(pack: "SourcePack", fact: "Fact", shown: str) -> str:
    """How an answer (or a same-type distractor) reads inside the statement: 'the United States'."""
    for ent in pack.entities.values():
        if ent.name == shown:
            return ent.in_sentence
    return shown


def answer_alternates(pack: "SourcePack", fact: "Fact") -> list[str]:
    """Accepted alternates, without repeats (by normalised form) and without the answer itself."""
    a = fact.answer
    items: list[str] = []
    if a.entity:
        ent = pack.entities[a.entity]
        items += ent.entity.alternates
        if ent.entity.article:
            items.append(ent.in_sentence)
    if a.date is not None:
        items += date_alternates(a.date)
    if a.number is not None and a.wording:
        items.append(str(a.wording))
    items += list(a.alternates)
    return dedupe(items, exclude=[display_answer(pack, fact)])


def dedupe(items: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    seen = {normalise_answer(x) for x in exclude}
    out = []
    for x in items:
        key = normalise_answer(x)
        if key and key not in seen:
            seen.add(key)
            out.append(x)
    return out


def distractor_candidates(pack: "SourcePack", fact: "Fact", same_question: list["Fact"]) -> list[str]:
    """Every wrong answer of the answer's type, in a stable order; never an accepted answer.

    Facts that share this fact's question are other correct answers to it (the six participants),
    so their answers are excluded too.
    """
    a = fact.answer
    accepted = [display_answer(pack, fact), *answer_alternates(pack, fact)]
    for other in same_question:
        accepted += [display_answer(pack, other), *answer_alternates(pack, other)]
    if a.entity:
        etype = pack.entities[a.entity].type
        taken = {a.entity, *a.exclude} | {o.answer.entity for o in same_question}
        pool = [e.name for e in pack.pool(etype) if e.id not in taken]
    elif a.phrase is not None:
        pool = list(a.distractors)
    elif a.number is not None:
        n = a.number
        step = max(1, int(a.tolerance) * 2 + 1)
        pool = list(a.distractors) + [format_number(n + d * step) for d in (-2, -1, 1, 2, 3, 4) if n + d * step > 0]
    else:
        pool = list(a.distractors) + nearby_dates(str(a.date))
    return dedupe(pool, exclude=accepted)


def nearby_dates(value: str) -> list[str]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        base = dt.date(*parts)
        return [format_date((base + dt.timedelta(days=d)).isoformat()) for d in (-2, -1, 1, 2, 3, 7)]
    if len(parts) == 2:
        y, m = parts
        out = []
        for d in (-3, -2, -1, 1, 2, 3):
            k = (y * 12 + m - 1) + d
            out.append(format_date(f"{k // 12:04d}-{k % 12 + 1:02d}"))
        return out
    return [str(parts[0] + d) for d in (-3, -2, -1, 1, 2)]


def date_key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("-"))
