"""Typed answers: how a record's answer is shown, which alternates count, and how dates and numbers read."""
from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

from .textnorm import normalise_answer

if TYPE_CHECKING:
    from .facts import SourcePack
    from .schema import Fact


def answer_type(pack: "SourcePack", fact: "Fact") -> str:
    """entity type name, or date, number, phrase; 'entities' for a several-entity answer."""
    a = fact.answer
    if a.entity:
        return pack.entities[a.entity].type
    if a.entities:
        return "entities"
    if a.date is not None:
        return "date"
    if a.number is not None:
        return "number"
    return "phrase"


def answer_kind(pack: "SourcePack", fact: "Fact") -> str:
    """Which matching rules apply to the answer: name (typos forgiven), date, number or phrase."""
    a = fact.answer
    if a.entity or a.entities:
        return "name"
    if a.date is not None:
        return "date"
    if a.number is not None:
        return "number"
    return "phrase"


def is_number(text: str) -> bool:
    """True if text reads as a number ("6", "2.5", "-1e3")."""
    try:
        float(text)
        return True
    except ValueError:
        return False


def format_number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def date_parts(value: str) -> list[tuple[int, ...]]:
    """'2003-08-29' -> [(2003, 8, 29)]; a range '2008/2012' -> [(2008,), (2012,)]."""
    return [tuple(int(p) for p in part.split("-")) for part in str(value).split("/")]


def _one_date(parts: tuple[int, ...]) -> str:
    if len(parts) == 3:
        return f"{calendar.month_name[parts[1]]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[parts[1]]} {parts[0]}"
    return str(parts[0])


def format_date(value: str) -> str:
    """How a date (or range) reads in options and keys: 'August 29, 2003', 'October 2002', '2008-2012'."""
    parts = date_parts(value)
    if len(parts) == 2:
        return f"{_one_date(parts[0])}\u2013{_one_date(parts[1])}"
    return _one_date(parts[0])


def date_alternates(value: str) -> list[str]:
    """Other written forms of a date the key accepts."""
    parts = date_parts(value)
    if len(parts) == 2:
        a, b = (_one_date(p) for p in parts)
        return [f"{a} to {b}", f"from {a} to {b}", f"{a}-{b}", value]
    p = parts[0]
    if len(p) == 3:
        y, m, d = p
        return [f"{d} {calendar.month_name[m]} {y}", value, f"{d} {calendar.month_abbr[m]} {y}", f"{calendar.month_abbr[m]} {d}, {y}"]
    if len(p) == 2:
        y, m = p
        return [f"{calendar.month_abbr[m]} {y}", value]
    return []


def date_key(value: str) -> tuple[int, ...]:
    """A sort key for dates of any precision (a range sorts by its start)."""
    first = date_parts(value)[0]
    return first + (0,) * (3 - len(first))


def entity_names(pack: "SourcePack", ids) -> list[str]:
    return [pack.entities[i].name for i in ids]


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def display_answer(pack: "SourcePack", fact: "Fact") -> str:
    """The answer as shown in options and keys (entity name, phrase, number, formatted date)."""
    a = fact.answer
    if a.entity:
        return pack.entities[a.entity].name
    if a.entities:
        return join_names(entity_names(pack, a.entities))
    if a.date is not None:
        return format_date(a.date)
    if a.number is not None:
        return format_number(a.number)
    return str(a.phrase)


def in_sentence(pack: "SourcePack", shown: str) -> str:
    """How an answer (or a same-type distractor) reads inside a statement: 'the United States'."""
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
    """items without repeats or excluded ones, compared as answers are (case, punctuation, articles folded)."""
    seen = {normalise_answer(x) for x in exclude}
    out = []
    for x in items:
        key = normalise_answer(x)
        if key and key not in seen:
            seen.add(key)
            out.append(x)
    return out
