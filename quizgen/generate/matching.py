"""Matching over one relation: who demanded what of whom, who said what, who held which position on one issue.
Responses are names of one kind (never solvable by grammar), one more than needed, and may serve several premises."""
from __future__ import annotations

from collections import defaultdict

from ..answers import entity_names, join_names
from ..bank import Question
from ..schema import Fact
from ..textnorm import normalise_answer
from .context import Context, sentence_case
from .distractors import entity_pool, pick_entities

MIN_PAIRS, MAX_PAIRS = 3, 5
REUSE = "A name may be used more than once, and one is not used."


def generate_pack(ctx: Context) -> list[Question]:
    out: list[Question] = []
    demands = [f for f in ctx.pack.facts if f.what and f.of and ctx.wants(f, "matching")]
    if demands:
        demanders = {tuple(f.by_ids) for f in demands}
        one_demander = len(demanders) == 1 and demands[0].by_ids
        who = ctx.in_sentence(join_names(entity_names(ctx.pack, demands[0].by_ids))) if one_demander else ""

        def premise(f: Fact) -> str:
            what = f.wording.cue or sentence_case(str(f.what))
            return what if one_demander else f"{join_names(entity_names(ctx.pack, f.by_ids))}: {f.what}"

        prompt = (f"Match each demand {who} made with the party it was addressed to." if who else
                  "Match each demand with the party it was addressed to.")
        out += _relation(ctx, "demands", demands, premise, lambda f: f.of_ids, f"{prompt} {REUSE}")
    attributed = [f for f in ctx.pack.facts if f.claim and f.by and ctx.wants(f, "matching")]
    if [f for f in attributed if not f.issue]:
        out += _relation(ctx, "claims", [f for f in attributed if not f.issue], lambda f: f.wording.cue or sentence_case(str(f.claim)), lambda f: f.by_ids,
                         f"Match each statement with the source the article attributes it to. {REUSE}")
    issues: dict[str, list[Fact]] = defaultdict(list)
    for f in attributed:
        if f.issue:
            issues[normalise_answer(f.issue)].append(f)
    for key, facts in sorted(issues.items()):
        slug = "-".join(key.split()[:4])
        out += _relation(ctx, f"positions-{slug}", facts, lambda f: sentence_case(str(f.claim)), lambda f: f.by_ids,
                         f"Match each position on {facts[0].issue} with the party that held it. {REUSE}")
    return out


def _relation(ctx: Context, name: str, facts: list[Fact], premise, holders, prompt: str) -> list[Question]:
    qid = f"{name}.matching"
    seen: set[str] = set()
    usable = []
    for f in sorted(facts, key=lambda f: (ctx.position(f), f.id)):
        key = normalise_answer(premise(f))
        if key not in seen:
            seen.add(key)
            usable.append(f)
    if len(usable) < MIN_PAIRS:
        for f in facts:
            ctx.skip(f.id, "matching", f"only {len(usable)} records in the '{name}' relation (a matching item needs {MIN_PAIRS})")
        return []
    if len(usable) > MAX_PAIRS:
        # as many different answers as possible (four premises matched to one name teach nothing), then by rank
        rank = ctx.ranker(qid)
        picked: list[Fact] = []
        for f in sorted(usable, key=lambda f: (rank(f.id), f.id)):
            if len(picked) < MAX_PAIRS and tuple(holders(f)) not in {tuple(holders(p)) for p in picked}:
                picked.append(f)
        for f in sorted(usable, key=lambda f: (rank(f.id), f.id)):
            if len(picked) < MAX_PAIRS and f not in picked:
                picked.append(f)
        usable = sorted(picked, key=lambda f: (ctx.position(f), f.id))
    lefts = tuple(premise(f) for f in usable)
    rights = [join_names(entity_names(ctx.pack, holders(f))) for f in usable]
    distinct = list(dict.fromkeys(rights))
    if len(distinct) < 2:
        return ctx.skip(usable[0].id, "matching", f"every premise of '{name}' has the same answer: nothing to match")
    # the spare response is never one of the parties making the demands or claims: nobody would pick it
    used = {i for f in usable for i in holders(f)} | {i for f in usable for i in f.by_ids}
    pool = entity_pool(ctx.pack, usable[0].model_copy(update={"answer": usable[0].answer.model_copy(
        update={"entity": holders(usable[0])[0], "entities": None, "phrase": None, "number": None, "date": None, "pool": None,
                "same": [], "exclude": []})}), sorted(used), used)
    extra = [e.name for e in pick_entities(pool, 1, ctx.ranker(qid))]
    responses = distinct + extra
    perm = ctx.permutation(qid, len(responses))
    shown = tuple(responses[i] for i in perm)
    # other names the text uses for the responses ("Mr. Wang"): a text showing a premise with one answers that pair
    alternates = tuple(a for f in usable for i in holders(f) for a in ctx.pack.entities[i].entity.alternates)
    return [ctx.question(usable, qid, "matching", "matching", prompt, options=lefts, matches=tuple(rights),
                         responses=shown, answer_kind="name", alternates=tuple(dict.fromkeys(alternates)))]
