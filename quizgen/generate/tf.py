"""True/false: the record's true statement, and a false one only where the text makes the slot exclusive
(one place, one count, one date, one named actor) or the teacher wrote the false statement."""
from __future__ import annotations

from ..bank import Question
from ..schema import Fact
from .context import Context
from .distractors import date_options, entity_pool, number_options, pick_entities


EXCLUSIVE_KINDS = ("setting", "person", "participant")


def exclusive(fact: Fact) -> bool:
    """Whether putting a wrong answer in the statement's slot makes a statement the text contradicts."""
    if fact.exclusive is not None:
        return fact.exclusive
    a = fact.answer
    if a.number is not None or a.date is not None or a.scale:
        return True
    # one place, one named actor, the whole list of participants: the text names the only one(s); for other
    # entity answers (a treaty withdrawn from, a cause) another entity is not contradicted, only not mentioned
    return bool(a.entity or a.entities) and fact.kind in EXCLUSIVE_KINDS


def generate(fact: Fact, ctx: Context) -> list[Question]:
    if ctx.in_group(fact) or fact.answer.entities:
        return ctx.skip(fact.id, "tf", "one of several answers to a question: its true/false pair is made for the group")
    if not ctx.body_evidence(fact):
        return ctx.skip(fact.id, "tf", "its only evidence is the headline, dateline or signature (set front_matter: true to allow)")
    # a record gives a true and a false statement, or none: a bank of only-true statements teaches students
    # that "According to ..." is always true
    if not fact.statement:
        return ctx.skip(fact.id, "tf", "the record has no statement ({answer} sentence) to make true/false items of")
    true_statement = ctx.fill(fact.statement, ctx.answer(fact))
    false_statement = fact.false_statement or (wrong_statement(fact, ctx) if exclusive(fact) else None)
    if not false_statement:
        return ctx.skip(fact.id, "tf", "no false counterpart: the text does not make the answer the only one, so a changed "
                                       "statement may not be false (write a false_statement, or set exclusive: true)")
    if not (ctx.wants(fact, "tf") and ctx.wants(fact, "tf-false")):
        return ctx.skip(fact.id, "tf", "left out by the record (forms/skip): true/false items come in pairs")
    # a false statement written by the teacher is answered by the quotes; a changed slot by the true statement
    if fact.false_statement:
        explanation = f"False. The text says: {' … '.join(fact.evidence)}"
    else:
        explanation = f"False. The true statement is: {true_statement}"
    explanation += f" {fact.explanation}" if fact.explanation else ""
    about = tuple([ctx.answer(fact), *ctx.alternates(fact)])
    return [ctx.question(fact, f"{fact.id}.tf", "tf", "tf", true_statement, answer="TRUE", about=about),
            ctx.question(fact, f"{fact.id}.tf-false", "tf-false", "tf", false_statement, answer="FALSE", explanation=explanation,
                         about=about)]


def wrong_statement(fact: Fact, ctx: Context, taken: set[str] | None = None, qid: str | None = None) -> str | None:
    """The statement with a wrong answer of the same kind in its slot, far enough from the key to be clearly wrong."""
    a = fact.answer
    qid = qid or f"{fact.id}.tf-false"
    rng = ctx.rng(qid, "wrong")
    if a.entity or a.entities:
        keys = [a.entity] if a.entity else list(a.entities or [])
        pool = entity_pool(ctx.pack, fact, keys, taken or set())
        if not pool:
            return None
        return ctx.fill(str(fact.statement), pick_entities(pool, 1, ctx.ranker(qid))[0].name)
    if a.number is not None:
        options, at = number_options(a.number, 1, 3, False, a.distractors)
        # "1 days": a statement's unit is written for plural values
        wrong = [o for i, o in enumerate(options) if i != at and o not in ("1", "-1")] or [o for i, o in enumerate(options) if i != at]
        return ctx.fill(str(fact.statement), rng.choice(wrong)) if wrong else None
    if a.date is not None:
        options, at = date_options(a.date, 1, 3, False, a.distractors)
        wrong = [o for i, o in enumerate(options) if i != at]
        return ctx.fill(str(fact.statement), rng.choice(wrong)) if wrong else None
    if a.scale:
        wrong = [s for s in a.scale if s.casefold() != str(a.phrase).casefold()]
        return ctx.fill(str(fact.statement), rng.choice(wrong)) if wrong else None
    return None
