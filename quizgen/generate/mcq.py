"""Multiple choice: four options, distractors of the answer's type, chosen so no test-wise cue points at the answer."""
from __future__ import annotations

from ..bank import Question
from ..cues import gives_away
from ..schema import Fact
from .context import Context

N_OPTIONS = 4
TRIES = 40


def generate(fact: Fact, ctx: Context) -> list[Question]:
    prompt = fact.wording.mcq or fact.question
    answer = ctx.answer(fact)
    candidates = ctx.distractors(fact)
    if len(candidates) < N_OPTIONS - 1:
        ctx.warn(fact, "mcq", f"only {len(candidates)} distractors of its type")
        return []
    qid = f"{fact.id}.mcq"
    rng = ctx.rng(qid)
    chosen = None
    for _ in range(TRIES):
        pick = rng.sample(candidates, N_OPTIONS - 1)
        if chosen is None:
            chosen = pick
        # solvers are blind to position but for ties, which guess A and are evened out by balancing
        if not gives_away(prompt, [answer, *pick], 0):
            chosen = pick
            break
    assert chosen is not None
    options = sorted(chosen)
    ctx.rng(qid, "order").shuffle(options)
    options.insert(ctx.slot(qid, N_OPTIONS), answer)
    return [ctx.question(fact, "mcq", "mcq", prompt, answer=answer, options=tuple(options),
                         alternates=tuple(ctx.alternates(fact)))]
