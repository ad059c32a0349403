"""Helpers for the deck tests: the real Anki backend, importing as a student's Anki does, and test banks."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

anki_collection = pytest.importorskip("anki.collection")
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as UpdateCondition  # noqa: E402

from quizgen.bank import Bank, Question  # noqa: E402

T0 = 1_750_000_000
IF_NEWER = UpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def open_collection(path: Path):
    return anki_collection.Collection(str(path))


def import_deck(col, path: Path, merge_notetypes: bool = False, with_scheduling: bool = False,
                with_deck_configs: bool = False) -> dict[str, list]:
    """Import as Anki's import dialog does by default (its presets: no merge, update if newer, no scheduling)."""
    options = anki_collection.ImportAnkiPackageOptions(
        merge_notetypes=merge_notetypes, update_notes=IF_NEWER, update_notetypes=IF_NEWER,
        with_scheduling=with_scheduling, with_deck_configs=with_deck_configs)
    out = col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options))
    col.models._clear_cache()
    log = out.log
    return {k: list(getattr(log, k)) for k in ("new", "updated", "duplicate", "conflicting", "missing_notetype")}


def plain(text: str) -> str:
    """Rendered card HTML as the words a student reads."""
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<(br|hr|/?div|/?li|/?ul|/?ol|/?blockquote)\b[^>]*>", " ", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def notes_by_guid(col) -> dict:
    return {col.get_note(n).guid: col.get_note(n) for n in col.find_notes("")}


def with_group_multi(bank: Bank) -> Bank:
    """The bank, with a select-all-that-apply question for a group of records if it has none yet: built from
    the records whose multiple-choice questions share one stem (the generator's participants case)."""
    if any(q.type == "multi" for q in bank):
        return bank
    by_stem: dict[str, list[Question]] = {}
    for q in bank:
        if q.type == "mcq":
            by_stem.setdefault(q.prompt, []).append(q)
    group = max(by_stem.values(), key=len)
    assert len(group) >= 2, "no records share a multiple-choice stem to make a group question from"
    first = group[0]
    options = tuple(sorted({o for q in group for o in q.options}))
    answers = tuple(o for o in options if o in {q.answer for q in group})
    multi = replace(first, id=f"{first.kind}-group.multi", type="multi", form="multi", answer="", answers=answers,
                    options=options, fact_ids=tuple(sorted(f for q in group for f in q.fact_ids)),
                    position=min(q.position for q in group))
    return Bank((*bank.questions, multi), bank.seed)


def with_beyond_forms(bank: Bank, records: int = 3) -> Bank:
    """The bank with a beyond-recall multiple-choice question ('why') for a few records that have a short answer,
    as the generator's beyond-recall forms will give: a record then has several question -> answer cards."""
    shorts = sorted((q for q in bank if q.type == "short"), key=lambda q: q.id)[:records]
    extra = [replace(q, id=f"{q.id.split('.', 1)[0]}.why-test", type="mcq", form="why-test",
                     prompt=f"Why does the text matter here: {q.prompt}", answer=f"because of {q.answer}",
                     options=(f"because of {q.answer}", "for no reason given")) for q in shorts]
    return Bank((*bank.questions, *extra), bank.seed)
