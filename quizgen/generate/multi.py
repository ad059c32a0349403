"""Select all that apply: records that answer one question together (the six participants) become one item,
with a true/false pair for the group; a record whose answer lists several entities does the same."""
from __future__ import annotations

from ..answers import entity_names
from ..bank import Question
from ..schema import Fact
from .context import Context
from .distractors import entity_pool, pick_entities

MAX_SHOWN_RIGHT = 4
N_WRONG = 2
SELECT_ALL = "Select all that apply."


def generate_pack(ctx: Context) -> list[Question]:
    out: list[Question] = []
    for group_id, members in ctx.groups():
        keys = [f.answer.entity for f in members if f.answer.entity]
        if len(keys) != len(members):
            for f in members:
                ctx.skip(f.id, "multi", f"the records sharing its question ({group_id}) do not all answer with an entity")
            continue
        out += _items(ctx, group_id, members, keys)
    for fact in ctx.pack.facts:
        if fact.answer.entities and not ctx.in_group(fact):
            out += _items(ctx, fact.id, [fact], list(fact.answer.entities))
    return out


def _items(ctx: Context, group_id: str, members: list[Fact], keys: list[str]) -> list[Question]:
    first = members[0]
    qid = f"{group_id}.multi"
    if not any(ctx.body_evidence(f) for f in members):
        return ctx.skip(first.id, "multi", "its only evidence is the headline, dateline or signature")
    out: list[Question] = []
    pool = entity_pool(ctx.pack, first, keys, set(keys))
    if ctx.wants(first, "multi"):
        if len(pool) < N_WRONG:
            ctx.skip(first.id, "multi", f"only {len(pool)} fitting wrong answers in the entity pool (needs {N_WRONG})")
        else:
            rank = ctx.ranker(qid)
            # when many answer, show some of them: a student must know each one, not count them
            shown_right = sorted(sorted(keys, key=lambda k: (rank(k), k))[:MAX_SHOWN_RIGHT])
            wrong = [e.id for e in pick_entities(pool, N_WRONG + (len(shown_right) > 3), rank)]
            options = entity_names(ctx.pack, shown_right + wrong)
            ctx.rng(qid, "order").shuffle(options)
            answers = tuple(o for o in options if o in entity_names(ctx.pack, shown_right))
            prompt = f"{first.wording.mcq or first.question} {SELECT_ALL}"
            out.append(ctx.question(members, qid, "multi", "multi", prompt, options=tuple(options), answers=answers,
                                    answer_kind="name", near=tuple(o for o in options if o not in answers)))
    statement = next((f.statement for f in members if f.statement), None)
    from .tf import exclusive, wrong_statement

    if statement and ctx.wants(first, "tf") and ctx.wants(first, "tf-false") and all(exclusive(f) for f in members):
        carrier = first.model_copy(update={"statement": statement})
        false = wrong_statement(carrier, ctx, set(keys), f"{group_id}.tf-false")
        if false:
            shown = ctx.pack.entities[ctx.rng(f"{group_id}.tf", "pick").choice(sorted(keys))].name
            about = tuple(entity_names(ctx.pack, keys))
            out.append(ctx.question(members, f"{group_id}.tf", "tf", "tf", ctx.fill(statement, shown), answer="TRUE", about=about))
            out.append(ctx.question(members, f"{group_id}.tf-false", "tf-false", "tf", false, answer="FALSE", about=about,
                                    explanation=f"False. The text names every one of them: {', '.join(entity_names(ctx.pack, keys))}."))
    return out
