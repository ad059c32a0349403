"""Beyond recall: who said what (said-by, claim) and how positions on one issue differ (position)."""
from __future__ import annotations

from ..answers import entity_names, join_names
from ..bank import Question
from ..schema import Fact
from ..textnorm import normalise_answer
from .context import Context, sentence_case
from .distractors import entity_pool, pick_entities
from .mcq import N_OPTIONS, _fair_set


def claims(ctx: Context) -> list[Fact]:
    """The records that attribute a claim to someone (positions on an issue are contrasted among themselves)."""
    return [f for f in ctx.pack.facts if f.claim and f.by and not f.issue]


def positions(ctx: Context, issue: str) -> list[Fact]:
    return [f for f in ctx.pack.facts if f.claim and f.by and f.issue and normalise_answer(f.issue) == normalise_answer(issue)]


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def source_name(ctx: Context, fact: Fact) -> str:
    return join_names(entity_names(ctx.pack, fact.by_ids))


def generate(fact: Fact, ctx: Context) -> list[Question]:
    if not (fact.claim and fact.by):
        return []
    if not ctx.body_evidence(fact):
        return ctx.skip(fact.id, "said-by", "its only evidence is the headline, dateline or signature")
    out: list[Question] = []
    forms = (("position", _position),) if fact.issue else (("said-by", _said_by), ("claim", _claim))
    for form, make in forms:
        if not ctx.wants(fact, form):
            ctx.skip(fact.id, form, "left out by the record (forms/skip)")
            continue
        made = make(fact, ctx)
        if isinstance(made, str):
            ctx.skip(fact.id, form, made)
        else:
            out.append(made)
    return out


def _mcq(ctx: Context, fact: Fact, form: str, prompt: str, answer: str, candidates: list[str], **kw) -> Question | str:
    qid = f"{fact.id}.{form}"
    candidates = [c for c in dict.fromkeys(candidates) if normalise_answer(c) != normalise_answer(answer)]
    if len(candidates) < N_OPTIONS - 1:
        return f"only {len(candidates)} other choices of the same kind in the text (needs {N_OPTIONS - 1})"
    chosen = _fair_set(prompt, answer, candidates, ctx.ranker(qid))
    if chosen is None:
        return "every set of choices has one containing another"
    options = list(chosen)
    ctx.rng(qid, "order").shuffle(options)
    options.insert(ctx.slot(qid, N_OPTIONS), answer)
    return ctx.question(fact, qid, form, "mcq", prompt, answer=answer, options=tuple(options),
                        near=tuple(o for o in options if o != answer), **kw)


def _said_by(fact: Fact, ctx: Context) -> Question | str:
    answer = source_name(ctx, fact)
    # the other sources the article quotes are the plausible wrong answers; the pool only fills up
    # (a record's `exclude` keeps out a source that may well have said it too: a second key)
    others = list(dict.fromkeys(source_name(ctx, f) for f in claims(ctx) if set(f.by_ids) != set(fact.by_ids)
                                and not set(f.by_ids) & set(fact.answer.exclude)))
    if len(others) < N_OPTIONS - 1:
        pool = entity_pool(ctx.pack, fact.model_copy(update={"answer": fact.answer.model_copy(update={"pool": None, "same": []})}),
                           fact.by_ids, set(fact.by_ids))
        others += [e.name for e in pick_entities(pool, len(pool), ctx.ranker(f"{fact.id}.said-by"))]
    prompt = fact.wording.said_by or f"According to the article, who said that {fact.claim}?"
    # how the text also names the source ("Mr. Wang"): a sentence showing it answers the item
    alternates = tuple(a for i in fact.by_ids for a in ctx.pack.entities[i].entity.alternates)
    return _mcq(ctx, fact, "said-by", prompt, answer, others, answer_kind="name", alternates=alternates)


def _claim(fact: Fact, ctx: Context) -> Question | str:
    answer = sentence_case(str(fact.claim))
    mine = set(fact.by_ids)
    others = [sentence_case(str(f.claim)) for f in claims(ctx) if not mine & set(f.by_ids)]
    others += [sentence_case(c) for c in fact.claim_distractors]
    prompt = fact.wording.claim or f"Which of these does the article attribute to {ctx.in_sentence(source_name(ctx, fact))}?"
    return _mcq(ctx, fact, "claim", prompt, answer, others, answer_kind="phrase")


def _position(fact: Fact, ctx: Context) -> Question | str:
    answer = sentence_case(str(fact.claim))
    mine = set(fact.by_ids)
    same_issue = [f for f in positions(ctx, str(fact.issue)) if not mine & set(f.by_ids)]
    if not same_issue:
        return f"no other party's position on '{fact.issue}' in the records: nothing to contrast"
    others = [sentence_case(str(f.claim)) for f in same_issue] + [sentence_case(c) for c in fact.claim_distractors]
    prompt = fact.wording.position or f"What was {possessive(ctx.in_sentence(source_name(ctx, fact)))} position on {fact.issue}?"
    # any item that shows what was wanted on this issue gives the positions away
    wanted = [str(f.what) for f in ctx.pack.facts if f.what and fact.issue and normalise_answer(fact.issue) in normalise_answer(f.what)]
    return _mcq(ctx, fact, "position", prompt, answer, others, answer_kind="phrase", about=tuple(wanted))
