"""Shared helpers for the benchmarks: pin to one core, time a call, make synthetic sources and banks."""
from __future__ import annotations

import os
import statistics
import time
from dataclasses import replace


def one_core() -> None:
    """Run on a single core, as the figures in the issues are stated."""
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def timed(fn, repeat: int = 3, reduce=min) -> float:
    """Wall time of a few runs: the best (least disturbed by other work) or, with reduce=statistics.median, the median."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return reduce(times)


def median_time(fn, repeat: int = 5) -> float:
    return timed(fn, repeat, statistics.median)


def synthetic_pack(i: int, n_records: int = 25):
    """A valid source with n_records facts of every answer type, built in memory (no YAML)."""
    from pathlib import Path

    from quizgen.facts import SourcePack, TypedEntity
    from quizgen.schema import FactFile
    from quizgen.yamlsafe import Located

    cities = [f"Town{i}x{k}" for k in range(8)]
    people = [f"Person{i}x{k} Smith" for k in range(8)]
    sentences, facts = [], []
    for r in range(n_records):
        kind = r % 4
        if kind == 0:
            city = cities[r % 8]
            s = f"Meeting {r} of source {i} was held in {city} by the delegates."
            facts.append({"id": f"f{r}", "kind": "setting", "question": f"Where was meeting {r} of source {i} held?",
                          "statement": f"Meeting {r} of source {i} was held in {{answer}}.",
                          "answer": {"entity": f"c{r % 8}"}, "evidence": [s]})
        elif kind == 1:
            who = people[r % 8]
            s = f"The speaker at session {r} was {who}, who spoke for an hour."
            facts.append({"id": f"f{r}", "kind": "statement", "by": [f"p{r % 8}"], "question": f"Who spoke at session {r}?",
                          "statement": f"{{answer}} spoke at session {r}.", "answer": {"entity": f"p{r % 8}"}, "evidence": [s]})
        elif kind == 2:
            s = f"Item {r} asked for {r + 3} new bridges over the river."
            facts.append({"id": f"f{r}", "kind": "number", "question": f"How many new bridges did item {r} ask for?",
                          "statement": f"Item {r} asked for {{answer}} new bridges.", "answer": {"number": r + 3}, "evidence": [s]})
        else:
            s = f"Clause {r} demanded a lower tax on wool for the farmers."
            facts.append({"id": f"f{r}", "kind": "outcome", "question": f"What did clause {r} demand for the farmers?",
                          "statement": f"Clause {r} demanded {{answer}} for the farmers.",
                          "answer": {"phrase": "a lower tax on wool", "distractors": ["a new road to town", "a higher price for grain",
                                                                                      "a ban on imported cloth", "a free school"]},
                          "evidence": [s]})
        sentences.append(s)
    data = {
        "source": {"title": f"Synthetic {i}", "deck_name": f"Synthetic {i}", "publisher": "bench", "date": "2020-01-01",
                   "license": "none", "text": "x.txt", "event": "the meetings"},
        "entities": {"city": [{"id": f"c{k}", "name": c} for k, c in enumerate(cities)],
                     "person": [{"id": f"p{k}", "name": p} for k, p in enumerate(people)]},
        "facts": facts,
    }
    model = FactFile.model_validate(data)
    entities = {e.id: TypedEntity(t, e) for t, es in model.entities.items() for e in es}
    return SourcePack(f"synthetic_{i}", Path(f"synthetic_{i}.yaml"), Path("x.txt"), " ".join(sentences), model.source,
                      entities, tuple(model.facts), Located(data, {}))


def scaled_bank(base, n: int):
    """A bank of n questions: copies of base's questions under new ids (a stand-in for a large course)."""
    from quizgen.bank import Bank

    qs = list(base.questions)
    out = []
    for k in range(n):
        q = qs[k % len(qs)]
        copy = k // len(qs)
        prefix, form = q.id.split(".", 1)
        # each copy is its own record and its own sentence, as in a real course, so note-based formats (decks,
        # flashcards) see as many notes as questions suggest
        out.append(replace(q, id=f"{prefix}-{copy}.{form}", fact_ids=tuple(f"{f}-{copy}" for f in q.fact_ids),
                           prompt=f"{q.prompt} ({copy})", context=f"{q.context} ({copy})" if q.context else ""))
    return Bank(tuple(out))
