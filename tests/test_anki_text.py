"""The Anki text export, imported by the real Anki backend's text importer and compared with the .apkg."""
from __future__ import annotations

from pathlib import Path

import pytest

from anki_backend import T0, import_deck, notes_by_guid, open_collection, with_group_multi
from conftest import DATA, ROOT

from quizgen.writers import FORMATS, anki as anki_writer, ankitext

GOLDEN = ROOT / "tests" / "golden" / "mini" / "mini.anki.txt"


def _import_text(col, path: Path):
    from anki.collection import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)
    return metadata, col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_text_file_imports_with_the_deck_s_notes_guids_fields_and_tags(tmp_path, talks_bank):
    bank = with_group_multi(talks_bank)
    apkg = tmp_path / "talks.apkg"
    anki_writer.write_deck(bank, apkg, now=T0)
    text = tmp_path / "talks.txt"
    export = ankitext.render(bank)
    text.write_bytes(export.data)

    deck_col = open_collection(tmp_path / "deck.anki2")
    teacher = open_collection(tmp_path / "teacher.anki2")
    try:
        import_deck(deck_col, apkg)
        # a teacher's collection that has the note types (from an earlier deck) but not these notes
        import_deck(teacher, apkg)
        teacher.remove_notes(teacher.find_notes(""))
        assert teacher.note_count() == 0
        metadata, log = _import_text(teacher, text)
        assert metadata.is_html and metadata.guid_column and metadata.notetype_column and metadata.deck_column
        assert metadata.tags_column
        expected = notes_by_guid(deck_col)
        assert len(log.new) == len(expected) == len(anki_writer.plan_notes(bank).notes)
        assert not log.conflicting and not log.missing_notetype and not log.empty_first_field and not log.missing_deck
        got = notes_by_guid(teacher)
        assert set(got) == set(expected)
        for guid, note in expected.items():
            mine = got[guid]
            assert mine.note_type()["name"] == note.note_type()["name"]
            assert mine.fields == note.fields, guid
            assert sorted(mine.tags) == sorted(note.tags)
            assert sorted(c.ord for c in mine.cards()) == sorted(c.ord for c in note.cards())
            assert {teacher.decks.name(c.did) for c in mine.cards()} == {deck_col.decks.name(c.did) for c in note.cards()}
        # every question is carried by a note or reported with its reason
        assert set(export.carried) | {qid for qid, _ in export.dropped} == {q.id for q in bank}
        assert all(why for _, why in export.dropped)
    finally:
        deck_col.close()
        teacher.close()


def test_text_file_headers_and_registration():
    fmt = FORMATS["anki-text"]
    assert fmt.module == "quizgen.writers.ankitext" and fmt.default_selection == "bank"
    head = ankitext.HEADER.splitlines()
    assert head[:2] == ["#separator:tab", "#html:true"]
    assert {h.split(":")[0] for h in head} == {"#separator", "#html", "#notetype column", "#deck column", "#guid column", "#tags column"}


def test_text_file_of_the_mini_source_matches_its_golden_file(update_golden):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    data = ankitext.render(build_bank(load_pack(DATA / "mini" / "mini.yaml"))).data
    if update_golden:
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes(), "run pytest tests/test_anki_text.py --update-golden and review the diff"


def test_empty_bank_is_an_error():
    from quizgen.bank import Bank
    from quizgen.errors import InputError

    with pytest.raises(InputError):
        ankitext.render(Bank(()))
