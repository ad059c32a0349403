"""Warnings about a pack that are not errors: records no question uses, and questions the page itself answers."""
from __future__ import annotations

from collections import Counter

from .errors import Report
from .giveaway import chrome, reveals


def lint_bank(pack, bank) -> Report:
    """Warnings for `quizgen validate`, each at the record's line: a record that yields no question, and a question
    that the page around it answers (the file name, titles, citation), which no quiz will ever use."""
    report = Report()
    used = Counter(f for q in bank for f in q.fact_ids)
    around = chrome(pack.citation, pack.name)
    for i, fact in enumerate(pack.facts):
        line, col = pack.located.where(("facts", i))
        if used[fact.id] == 0:
            reasons = sorted({f"{s.form}: {s.reason}" for s in bank.skipped if s.fact_id == fact.id})
            why = f" ({'; '.join(reasons[:3])})" if reasons else ""
            report.warning(pack.facts_path, f"no question could be built from this record{why}", line, col, fact.id)
        for q in bank:
            if q.fact_ids != (fact.id,):
                continue
            for label, text in around:
                key = reveals(text, q)
                if key:
                    report.warning(pack.facts_path, f"possible giveaway: the answer '{key}' of {q.id} is shown in {label} "
                                                    f"(\"{text}\"), so no quiz uses it (change that text, or skip: [{q.form}])",
                                   line, col, fact.id)
    return report


def unused_facts(pack, bank) -> Report:
    """The warnings of lint_bank (kept under its older name for callers)."""
    return lint_bank(pack, bank)
