"""Checks of records beyond the schema: references, answers, statements and evidence, each located in the file."""
from __future__ import annotations

import re
import typing

from .answers import answer_alternates, display_answer
from .errors import Report
from .schema import COUNTRY_TYPE, KIND_REQUIRED_FIELDS, Fact
from .textnorm import named_answer, normalise_answer

if typing.TYPE_CHECKING:
    from .facts import SourcePack

MIN_DISTRACTORS = 3
_NEGATION_BEFORE_SLOT = re.compile(r"\b(not|never|no|n't|nor|without)\s+(\w+\s+){0,2}\{answer\}", re.I)
_NEGATIVE_QUESTION = re.compile(r"\b(not|never|no|n't|nor|without|absent|absence|lack|lacked|missing|fail|failed|refused|instead)\b", re.I)


def check_records(pack: "SourcePack", report: Report, indexes: list[int]) -> None:
    """Every semantic problem of the valid records; indexes[i] is pack.facts[i]'s place among the file's records."""
    file = str(pack.facts_path)
    _check_entities(pack, report)
    seen: dict[str, int] = {}
    for fact, i in zip(pack.facts, indexes):
        def err(message: str, *sub: typing.Any, level: str = "error") -> None:
            line, col = pack.located.where(("facts", i) + sub)
            (report.error if level == "error" else report.warning)(file, message, line, col, fact.id)

        if fact.id in seen:
            err(f"duplicate id '{fact.id}' (first used on line {seen[fact.id]}; expected each id once)", "id")
        else:
            seen[fact.id] = pack.located.where(("facts", i, "id"))[0]
        for name in KIND_REQUIRED_FIELDS[fact.kind]:
            if getattr(fact, name) in (None, [], ""):
                err(f"a '{fact.kind}' record needs the field '{name}' (expected {', '.join(KIND_REQUIRED_FIELDS[fact.kind])})")
        if fact.kind == "date" and fact.answer.date is None:
            err("a 'date' record needs a date answer (expected 'answer: {date: YYYY-MM-DD}')", "answer")
        if fact.kind == "number" and fact.answer.number is None:
            err("a 'number' record needs a number answer (expected 'answer: {number: N}')", "answer")
        if fact.steps and len(fact.steps) < 3:
            err(f"a sequence needs at least 3 steps to order (found {len(fact.steps)})", "steps")
        if not fact.front_matter and all(pack.in_front_matter(q) for q in fact.evidence):
            err("every quote is from the headline, dateline or signature, which students see: no question will be made "
                "from this record (quote the body of the text, or set front_matter: true)", "evidence", 0, level="warning")
        _check_references(pack, fact, err)
        _check_answer(pack, fact, err)


def _check_entities(pack: "SourcePack", report: Report) -> None:
    file = str(pack.facts_path)
    for etype in sorted({e.type for e in pack.entities.values()}):
        for k, ent in enumerate(pack.pool(etype)):
            if ent.entity.country and (ent.entity.country not in pack.entities or pack.entities[ent.entity.country].type != COUNTRY_TYPE):
                line, col = pack.located.where(("entities", etype, k, "country"))
                report.error(file, _ref_message(pack, ent.entity.country, COUNTRY_TYPE), line, col, ent.id)


def _ref_message(pack: "SourcePack", ref: str, wanted: str | None) -> str:
    import difflib

    if ref in pack.entities:
        return f"refers to '{ref}', which is a {pack.entities[ref].type} (expected a {wanted} entity)"
    names = [e.id for e in pack.entities.values() if wanted is None or e.type == wanted]
    guess = difflib.get_close_matches(ref, names, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    what = f"a {wanted} entity" if wanted else "an entity"
    return f"refers to '{ref}', which is not defined under 'entities' (expected {what}){hint}"


def _check_references(pack: "SourcePack", fact: Fact, err) -> None:
    a = fact.answer
    refs: list[tuple[str, tuple, str | None]] = []
    if a.entity:
        refs.append((a.entity, ("answer", "entity"), None))
    refs += [(x, ("answer", "entities", k), None) for k, x in enumerate(a.entities or [])]
    refs += [(x, ("answer", "exclude", k), None) for k, x in enumerate(a.exclude)]
    if fact.party:
        refs.append((fact.party, ("party",), COUNTRY_TYPE))
    refs += [(x, ("by", k) if len(fact.by_ids) > 1 else ("by",), None) for k, x in enumerate(fact.by_ids)]
    refs += [(x, ("of", k) if len(fact.of_ids) > 1 else ("of",), None) for k, x in enumerate(fact.of_ids)]
    for ref, sub, wanted in refs:
        if ref not in pack.entities or (wanted and pack.entities[ref].type != wanted):
            err(_ref_message(pack, ref, wanted), *sub)
    if a.pool and a.pool.type and not pack.pool(a.pool.type):
        types = sorted({e.type for e in pack.entities.values()})
        err(f"pool type '{a.pool.type}' has no entities (expected one of: {', '.join(types)})", "answer", "pool", "type")


def _check_answer(pack: "SourcePack", fact: Fact, err) -> None:
    a = fact.answer
    keys = [a.entity] if a.entity else list(a.entities or [])
    if any(k not in pack.entities for k in keys):
        return  # reported as a reference
    accepted = {normalise_answer(x) for x in [display_answer(pack, fact), *answer_alternates(pack, fact)]}
    for k, d in enumerate(a.distractors):
        if normalise_answer(d) in accepted:
            err(f"distractor '{d}' is the answer itself or one of its alternates (expected a wrong answer)", "answer", "distractors", k)
    named = named_answer(fact.question, sorted(accepted))
    if named and not a.entities:
        err(f"the question gives away the answer: it contains '{named}' (expected a question that does not name its answer)", "question")
    # "shall not have {answer}" with the question "What did they resolve?" makes the key say the opposite
    if (fact.statement and a.phrase is not None and _NEGATION_BEFORE_SLOT.search(fact.statement)
            and not _NEGATIVE_QUESTION.search(fact.question)):
        err(f"the statement puts a negation before {{answer}} ('{_NEGATION_BEFORE_SLOT.search(fact.statement).group(0)}'), while the question "
            f"does not, so the answer '{a.phrase}' says the opposite of the text (put the negation inside the answer, "
            f"or reword the question and statement)", "statement")
    if a.scale and normalise_answer(str(a.phrase or display_answer(pack, fact))) not in {normalise_answer(s) for s in a.scale}:
        err(f"the answer is not one of the scale's values ({', '.join(a.scale)})", "answer", "scale")
    wants_mcq = ("mcq" in fact.forms or not fact.forms) and "mcq" not in fact.skip
    if keys and wants_mcq:
        from .generate.distractors import entity_pool

        pool = entity_pool(pack, fact, keys, set(keys))
        need = MIN_DISTRACTORS if a.entity else 2
        if len(pool) < need:
            narrowed = " after narrowing by pool/same/exclude" if (a.pool or a.same or a.exclude) else ""
            etype = (a.pool.type if a.pool and a.pool.type else None) or pack.entities[keys[0]].type
            err(f"too few {etype} entities to make {need} distractors{narrowed} (found {len(pool)}; add entities, widen the "
                f"pool, or skip: [mcq])", "answer", "entity" if a.entity else "entities")
    elif a.phrase is not None and not a.scale and wants_mcq and len(a.distractors) < MIN_DISTRACTORS:
        err(f"a phrase answer needs at least {MIN_DISTRACTORS} distractors for its multiple-choice question "
            f"(found {len(a.distractors)}; or skip: [mcq])", "answer", "distractors")
