"""Warnings about a pack that are not errors: records that no question uses."""
from __future__ import annotations

from collections import Counter

from .errors import Report


def unused_facts(pack, bank) -> Report:
    report = Report()
    used = Counter(f for q in bank for f in q.fact_ids)
    for i, fact in enumerate(pack.facts):
        line, col = pack.located.where(("facts", i))
        if used[fact.id] == 0:
            report.warning(pack.facts_path, "no question could be built from this record", line, col, fact.id)
    return report
