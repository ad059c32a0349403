"""True/false: the record's statement, or the same sentence with a same-type distractor in the answer's place."""
from __future__ import annotations

from ..bank import Question
from ..schema import Fact
from .context import Context


def generate(fact: Fact, ctx: Context) -> list[Question]:
    candidates = ctx.distractors(fact)
    if not candidates:
        ctx.warn(fact, "tf", "no distractor to make a false statement")
        return []
    qid = f"{fact.id}.tf"
    siblings = ctx.shares_question(fact)
    if siblings:
        # facts that answer one question (the six participants) take different wrong answers, so no two
        # false statements read the same: the group shares one shuffle and each takes its own place in it
        group = sorted([fact.id, *(f.id for f in siblings)])
        ctx.rng("|".join(group) + ".tf").shuffle(candidates)
        wrong = candidates[group.index(fact.id) % len(candidates)]
    else:
        wrong = ctx.rng(qid).choice(candidates)
    true_statement = ctx.fill(fact, ctx.answer(fact))
    false_statement = ctx.fill(fact, wrong)
    explanation = f"False. The text supports: {true_statement}" + (f" {fact.explanation}" if fact.explanation else "")
    return [ctx.question(fact, "tf", "tf", true_statement, answer="TRUE"),
            ctx.question(fact, "tf-false", "tf", false_statement, answer="FALSE", explanation=explanation)]
