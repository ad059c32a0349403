"""Anki decks, imported with the real Anki backend into a temporary collection."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, SOURCES

anki_collection = pytest.importorskip("anki.collection")
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as UpdateCondition  # noqa: E402

from quizgen.bank import Bank  # noqa: E402
from quizgen.writers import anki as anki_writer  # noqa: E402

T0 = 1_750_000_000


@pytest.fixture
def collection(tmp_path):
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_deck(col, path: Path) -> dict[str, list]:
    options = anki_collection.ImportAnkiPackageOptions(
        merge_notetypes=True,
        update_notes=UpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=UpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False, with_deck_configs=False)
    out = col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options))
    col.models._clear_cache()
    log = out.log
    return {k: list(getattr(log, k)) for k in ("new", "updated", "duplicate", "conflicting", "missing_notetype")}


def expected_cards(bank: Bank) -> int:
    return sum(2 if (q.type == "short" and q.kind in anki_writer.TWO_WAY_KINDS) else 1 for q in bank)


def test_deck_imports_with_every_note_and_card(tmp_path, collection, talks_bank):
    path = tmp_path / "talks.apkg"
    result = anki_writer.write_deck(talks_bank, path, now=T0)
    log = import_deck(collection, path)
    assert len(log["new"]) == len(talks_bank) and not log["conflicting"] and not log["duplicate"]
    assert collection.note_count() == len(talks_bank) == result.notes
    assert collection.card_count() == expected_cards(talks_bank) == result.cards
    decks = {d.name for d in collection.decks.all_names_and_ids()}
    assert {f"Six-Party Talks 2003::{label}" for label in
            ("Multiple choice", "True or false", "Short answer", "Cloze", "Matching", "Ordering", "Numeric")} <= decks
    models = {m["name"] for m in collection.models.all()}
    assert {"quizgen Question v1", "quizgen Multiple choice v1", "quizgen Cloze v1", "quizgen Two-way v1"} <= models
    assert not collection.get_empty_cards().notes


def test_every_card_renders_its_question_and_answer(tmp_path, collection, talks_bank):
    import html

    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    by_guid = {}
    import genanki

    for q in talks_bank:
        by_guid[genanki.guid_for(f"{q.source}/{q.id}")] = q
    seen = 0
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        note = card.note()
        q = by_guid[note.guid]
        out = card.render_output()
        assert out.question_text.strip() and out.answer_text.strip()
        if q.type == "cloze":
            before = q.prompt.split("_____")[0]
            assert html.escape(before.strip()[:20]) in out.question_text
            assert html.escape(q.answer) in out.answer_text
        elif card.ord == 0:
            assert html.escape(q.prompt) in out.question_text
            assert html.escape(q.answer_text if q.type not in ("matching", "ordering") else q.options[0]) in out.answer_text
        if q.type == "mcq":
            assert all(html.escape(o) in out.question_text for o in q.options)
            assert f'class="qg-correct">{html.escape(q.answer)}<' in out.answer_text
        if q.evidence:
            assert "Voice of America" in out.answer_text
        seen += 1
    assert seen == expected_cards(talks_bank)


def test_rebuild_with_nothing_changed_is_byte_identical(tmp_path, talks_bank):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    first = path.read_bytes()
    manifest = anki_writer.manifest_path_for(path).read_bytes()
    again = anki_writer.write_deck(talks_bank, path, now=T0 + 5000)
    assert path.read_bytes() == first and not again.written.changed
    assert anki_writer.manifest_path_for(path).read_bytes() == manifest
    assert not again.updated and not again.added


def _edited_bank(tmp_path, old: str, new: str):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    folder = tmp_path / "src"
    shutil.copytree(SOURCES, folder, dirs_exist_ok=True)
    yaml_path = folder / "six_party_talks_2003.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert old in text
    yaml_path.write_text(text.replace(old, new), encoding="utf-8")
    return build_bank(load_pack(yaml_path))


def test_edited_fact_updates_only_its_notes_in_place(tmp_path, collection, talks_bank):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    ids_before = {collection.get_note(n).guid: n for n in collection.find_notes("")}
    # the student studies a card: its review history must survive the update
    cid = collection.find_cards("")[0]
    card = collection.get_card(cid)
    card.start_timer()
    collection.sched.answerCard(card, 3)
    reviews_before = collection.db.scalar("select count() from revlog")
    assert reviews_before == 1
    studied = collection.get_card(cid)

    edited = _edited_bank(tmp_path, "explanation: Three days of talks that wrapped up on Friday 29 August 2003 began on Wednesday 27 August.",
                          "explanation: The talks lasted three days and ended on Friday 29 August 2003, so they began on Wednesday 27 August.")
    result = anki_writer.write_deck(edited, path, now=T0 + 100)
    changed_ids = {q.id for q, r in zip(edited, talks_bank) if q != r}
    assert changed_ids and all(c.startswith("talks-began.") or c == "date.ordering" for c in changed_ids), changed_ids
    assert set(result.updated) == changed_ids
    log = import_deck(collection, path)
    assert len(log["updated"]) == len(changed_ids)
    assert not log["new"] and not log["conflicting"] and not log["missing_notetype"]
    assert len(log["duplicate"]) == len(talks_bank) - len(changed_ids)
    ids_after = {collection.get_note(n).guid: n for n in collection.find_notes("")}
    assert ids_after == ids_before
    assert collection.db.scalar("select count() from revlog") == reviews_before
    after = collection.get_card(cid)
    assert (after.due, after.ivl, after.reps, after.queue) == (studied.due, studied.ivl, studied.reps, studied.queue)
    note = collection.get_note(ids_after[__import__("genanki").guid_for("six_party_talks_2003/talks-began.short")])
    assert "The talks lasted three days" in " ".join(note.fields)


def test_removed_fact_is_retired_not_lost(tmp_path, collection, talks_bank):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    smaller = Bank(tuple(q for q in talks_bank if "analysts-groundwork" not in q.fact_ids))
    result = anki_writer.write_deck(smaller, path, now=T0 + 100)
    retired = {q.id for q in talks_bank if "analysts-groundwork" in q.fact_ids}
    assert set(result.retired) == retired and "retired" in str(result)
    import_deck(collection, path)
    tagged = collection.find_notes("tag:quizgen::retired")
    assert len(tagged) == len(retired)
    assert collection.note_count() == len(talks_bank)
    # a rebuild after that changes nothing more
    again = anki_writer.write_deck(smaller, path, now=T0 + 200)
    assert not again.written.changed
    # the student's retired cards stay in their decks; a newcomer finds them apart, in a Retired subdeck
    assert not collection.find_cards('"deck:Six-Party Talks 2003::Retired"')
    fresh = anki_collection.Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_deck(fresh, path)
        retired_cards = fresh.find_cards('"deck:Six-Party Talks 2003::Retired"')
        assert len(retired_cards) == len(fresh.find_cards("tag:quizgen::retired")) == len(retired)
    finally:
        fresh.close()


def test_markup_in_facts_renders_as_literal_text(tmp_path, collection, talks_bank):
    nasty = "<script>alert('x')</script> & {{c2::oops}} \"quoted\" 北朝鮮 😀"
    q0 = next(q for q in talks_bank if q.type == "short")
    c0 = next(q for q in talks_bank if q.type == "cloze")
    m0 = next(q for q in talks_bank if q.type == "mcq")
    bank = Bank((replace(q0, prompt=nasty, answer=nasty),
                 replace(c0, prompt="Before " + nasty + " _____ after", answer="a {{b}} :: c"),
                 replace(m0, options=(nasty, *m0.options[1:]), answer=nasty)))
    path = tmp_path / "nasty.apkg"
    anki_writer.write_deck(bank, path, now=T0)
    log = import_deck(collection, path)
    assert len(log["new"]) == 3
    assert not collection.get_empty_cards().notes
    for cid in collection.find_cards(""):
        out = collection.get_card(cid).render_output()
        for text in (out.question_text, out.answer_text):
            assert "<script>" not in text
        shown = __import__("html").unescape(out.question_text + out.answer_text)
        assert "<script>alert('x')</script>" in shown and "{{c2::oops}}" in shown
    # the cloze note has exactly one card: the {{c2::...}} in the text did not make a second deletion
    cloze_cards = collection.find_cards('"note:quizgen Cloze v1"')
    assert len(cloze_cards) == 1
    out = collection.get_card(cloze_cards[0]).render_output()
    assert "北朝鮮" in out.question_text and "😀" in out.question_text
    assert "a {{b}} :: c" in __import__("html").unescape(out.answer_text)


def test_question_no_note_type_can_carry_is_skipped_with_warning(tmp_path, talks_bank):
    c0 = next(q for q in talks_bank if q.type == "cloze")
    broken = replace(c0, prompt="a cloze without a blank")
    bank = Bank((broken, talks_bank.questions[0]))
    result = anki_writer.write_deck(bank, tmp_path / "d.apkg", now=T0)
    assert result.notes == 1 and result.skipped and broken.id in result.skipped[0]
    assert "warning: skipped" in str(result)


def test_missing_output_folder_is_created_and_a_file_in_the_way_is_a_clear_error(cli, tmp_path):
    target = tmp_path / "missing" / "deck.apkg"
    result = cli("deck", "six_party_talks_2003", "-o", target, cwd=ROOT)
    assert result.code == 0, result
    assert target.is_file() and (target.parent / "deck.manifest.json").is_file()
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = cli("deck", "six_party_talks_2003", "-o", blocker / "deck.apkg", cwd=ROOT)
    assert result.code == 1 and "not a folder" in result.err


def test_interrupted_write_leaves_previous_deck(tmp_path, talks_bank, monkeypatch):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    before = path.read_bytes()
    import os

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    smaller = Bank(talks_bank.questions[:5])
    with pytest.raises(KeyboardInterrupt):
        anki_writer.write_deck(smaller, path, now=T0 + 10)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_note_types_never_change_under_their_ids():
    """Changing a note type's fields or templates under the same id breaks students' updates (Anki adds
    'Name+' copies and skips the notes as conflicting): such a change needs a new model id and name."""
    golden = json.loads((ROOT / "tests" / "golden" / "anki_models.json").read_text(encoding="utf-8"))
    current = {str(mid): anki_writer.model_signature(m) for mid, m in anki_writer.MODELS.items()}
    for mid, signature in golden.items():
        if mid in current:
            assert current[mid] == signature, f"note type {mid} changed: give it a new model id and name instead"
    for mid in current:
        assert mid in golden, f"new note type {mid}: add its signature to tests/golden/anki_models.json"


def test_committed_deck_imports(collection):
    path = ROOT / "decks" / "six_party_talks_2003.apkg"
    log = import_deck(collection, path)
    assert log["new"] and not log["conflicting"]
    assert not collection.get_empty_cards().notes
