"""Deck updates in a student's real Anki collection: edits, withdrawals, note-type styling, and v1 -> v2."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace

import genanki
import pytest

from anki_backend import T0, import_deck, notes_by_guid, open_collection, plain
from conftest import DATA, ROOT

from quizgen.bank import Bank
from quizgen.writers import anki as anki_writer
from quizgen.writers.anki import models as anki_models
from quizgen.writers.anki.notes import note_prefix


@pytest.fixture
def collection(tmp_path):
    col = open_collection(tmp_path / "collection.anki2")
    yield col
    col.close()


def _snapshot(col) -> dict:
    return {guid: (tuple(n.fields), tuple(sorted(n.tags))) for guid, n in notes_by_guid(col).items()}


def _study(col, cid) -> None:
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)


def _shared_sentence_record(bank: Bank) -> str:
    """A record whose cloze shares its sentence with other records' clozes (read from the bank)."""
    plan = anki_writer.plan_notes(bank)
    shared = [n for n in plan.notes if n.model_id == anki_models.CLOZE_ID and len(n.parts) > 1]
    assert shared, "no sentence carries clozes of several records"
    return sorted(p.pid for p in shared[0].parts)[0]


def _recall_record(bank: Bank) -> str:
    """A record that has a question -> answer note (read from the bank)."""
    plan = anki_writer.plan_notes(bank)
    return next(n.label for n in plan.notes if n.model_id == anki_models.RECALL_ID)


def test_edited_record_updates_only_its_notes_and_keeps_review_history(tmp_path, collection, talks_bank):
    record = _recall_record(talks_bank)
    edited = Bank(tuple(replace(q, explanation=q.explanation + " (edited)") if note_prefix(q.id) == record else q
                        for q in talks_bank))
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    # the student studies a card of the record that will change: its history must survive the update
    target = next(n for n in collection.find_notes("") if collection.get_note(n)["Id"] == record
                  and collection.get_note(n).note_type()["name"] == "quizgen Recall v2")
    cid = collection.get_note(target).cards()[0].id
    _study(collection, cid)
    studied = collection.get_card(cid)
    snapshot = _snapshot(collection)

    result = anki_writer.write_deck(edited, path, now=T0 + 100)
    assert result.updated == [record] and result.changes[record] == ["Explanation"] and not result.added
    assert "Explanation" in str(result)
    log = import_deck(collection, path)
    assert len(log["updated"]) == 1 and not log["new"] and not log["conflicting"]
    after = _snapshot(collection)
    assert {g for g in after if after[g] != snapshot[g]} == {genanki.guid_for(f"{talks_bank.questions[0].source}/recall/{record}")}
    assert collection.db.scalar("select count() from revlog") == 1
    now_card = collection.get_card(cid)
    assert (now_card.due, now_card.ivl, now_card.reps, now_card.queue) == (studied.due, studied.ivl, studied.reps, studied.queue)
    assert collection.get_note(target)["Explanation"].endswith("(edited)")


def test_deleting_a_record_changes_no_other_note(tmp_path, collection, talks_bank):
    record = _shared_sentence_record(talks_bank)
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    before = _snapshot(collection)
    sentence_guid = next(g for g, (fields, _) in before.items() if record in fields[-1].split() and "{{c" in fields[0])
    cards_before = len(notes_by_guid(collection)[sentence_guid].cards())

    smaller = Bank(tuple(q for q in talks_bank if record not in q.fact_ids))
    result = anki_writer.write_deck(smaller, path, now=T0 + 100)
    assert result.retired == [record] and not result.updated and not result.added
    log = import_deck(collection, path)
    after = _snapshot(collection)
    changed = {g for g in after if after[g] != before[g]}
    assert changed and all(after[g][0][-1] == record for g in changed), "a note of another record changed"
    assert len(log["updated"]) == len(changed) and not log["new"]
    # the sentence it shared keeps its blank for the student (the text still says it) ...
    assert before[sentence_guid] == after[sentence_guid]
    assert len(notes_by_guid(collection)[sentence_guid].cards()) == cards_before
    # ... and a newcomer gets no card for the deleted record, with or without scheduling
    for with_scheduling in (False, True):
        fresh = open_collection(tmp_path / f"fresh{with_scheduling}.anki2")
        try:
            import_deck(fresh, path, with_scheduling=with_scheduling)
            notes = notes_by_guid(fresh)
            assert len(notes[sentence_guid].cards()) == cards_before - 1
            withdrawn = [n for n in notes.values() if anki_writer.RETIRED_TAG in n.tags]
            assert withdrawn and all(not n.cards() for n in withdrawn)
        finally:
            fresh.close()


def test_withdrawn_note_shows_a_notice_on_the_student_s_cards(tmp_path, collection, talks_bank):
    record = sorted({note_prefix(q.id) for q in talks_bank if q.type == "short"})[0]
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    anki_writer.write_deck(Bank(tuple(q for q in talks_bank if record not in q.fact_ids)), path, now=T0 + 100)
    import_deck(collection, path)
    tagged = collection.find_notes(f"tag:{anki_writer.RETIRED_TAG}")
    assert tagged and {collection.get_note(n)["Id"] for n in tagged} == {record}
    for card in (c for n in tagged for c in collection.get_note(n).cards()):
        assert "Withdrawn by your teacher" in plain(card.render_output().question_text)
    others = [c for c in collection.find_cards(f"-tag:{anki_writer.RETIRED_TAG}")]
    assert others and not any("Withdrawn" in collection.get_card(c).render_output().question_text for c in others)
    # building again changes nothing more
    again = anki_writer.write_deck(Bank(tuple(q for q in talks_bank if record not in q.fact_ids)), path, now=T0 + 200)
    assert not again.written.changed and not again.retired


def test_a_record_s_new_and_withdrawn_cards_keep_their_slots(tmp_path, collection, talks_bank):
    # a record whose only question -> answer card is its short answer
    recall_forms = {"short", "numeric", "said-by", "claim", "position", "mcq"}
    short = next(q for q in talks_bank if q.type == "short" and
                 [x.form for x in talks_bank if note_prefix(x.id) == note_prefix(q.id) and x.form in recall_forms] == ["short"]
                 or q.type == "short" and not any(x.form in recall_forms - {"short", "mcq"} for x in talks_bank
                                                  if note_prefix(x.id) == note_prefix(q.id)))
    record = note_prefix(short.id)
    extra = replace(short, id=f"{record}.why", type="mcq", form="why", prompt=f"Why does the text say so? ({short.prompt})",
                    answer="because the text says it", options=("because the text says it", "no reason"))
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path)
    guid = genanki.guid_for(f"{short.source}/recall/{record}")
    assert len(notes_by_guid(collection)[guid].cards()) == 1

    result = anki_writer.write_deck(Bank((*talks_bank.questions, extra)), path, now=T0 + 100)
    assert result.updated == [record] and set(result.changes[record]) == {"Question 2", "Answer 2"}
    import_deck(collection, path)
    cards = sorted(notes_by_guid(collection)[guid].cards(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1]
    assert "Why does the text say so?" in plain(cards[1].render_output().question_text)
    assert plain(cards[0].render_output().question_text) == short.prompt

    anki_writer.write_deck(talks_bank, path, now=T0 + 200)   # the form leaves again
    import_deck(collection, path)
    cards = sorted(notes_by_guid(collection)[guid].cards(), key=lambda c: c.ord)
    assert "Withdrawn by your teacher" in plain(cards[1].render_output().question_text)
    assert "Withdrawn" not in cards[0].render_output().question_text
    fresh = open_collection(tmp_path / "fresh.anki2")
    try:
        import_deck(fresh, path)
        assert [c.ord for c in notes_by_guid(fresh)[guid].cards()] == [0]
    finally:
        fresh.close()


@pytest.mark.parametrize("merge_notetypes", [False, True])
def test_a_css_only_change_updates_the_note_type_on_import(tmp_path, collection, talks_bank, monkeypatch, merge_notetypes):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    import_deck(collection, path, merge_notetypes=merge_notetypes)
    used = {collection.get_note(n).mid for n in collection.find_notes("")}
    new_css = anki_models.CSS + "\n.qg-q { letter-spacing: 0.01em; }\n"
    for model in anki_models.MODELS.values():
        monkeypatch.setattr(model, "css", new_css)
    result = anki_writer.write_deck(talks_bank, path, now=T0 + 100)
    assert not result.updated and not result.added and len(result.model_changes) == len(used)
    log = import_deck(collection, path, merge_notetypes=merge_notetypes)
    assert not log["updated"] and not log["new"] and not log["conflicting"]
    for mid in used:
        assert collection.models.get(mid)["css"] == new_css
    assert len(collection.models.all()) == len({m["id"] for m in collection.models.all()})
    assert not [m for m in collection.models.all() if m["name"].endswith("+")]


def test_v2_over_v1_withdraws_every_v1_note_and_duplicates_nothing(tmp_path, talks_bank):
    """A student who imported the v1 deck imports the v2 deck: docs/decks.md says what they see."""
    v1_path = DATA / "v1" / "six_party_talks_2003.apkg"
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(v1_path, decks / v1_path.name)
    shutil.copy(v1_path.with_name("six_party_talks_2003.manifest.json"), decks / "six_party_talks_2003.manifest.json")
    v1_manifest = json.loads((decks / "six_party_talks_2003.manifest.json").read_text(encoding="utf-8"))
    later = max(e["mtime"] for e in v1_manifest["notes"].values()) + 1000

    student = open_collection(tmp_path / "student.anki2")
    newcomer = open_collection(tmp_path / "newcomer.anki2")
    try:
        import_deck(student, v1_path)
        v1_notes = student.note_count()
        v1_guids = set(notes_by_guid(student))
        studied = student.find_cards("")[0]
        _study(student, studied)

        result = anki_writer.write_deck(talks_bank, decks / "six_party_talks_2003.apkg", now=later)
        plan = anki_writer.plan_notes(talks_bank)
        assert len(result.retired) == v1_notes and len(result.added) == len(plan.notes)
        log = import_deck(student, decks / "six_party_talks_2003.apkg")
        assert len(log["updated"]) == v1_notes and len(log["new"]) == len(plan.notes)
        assert not log["conflicting"] and not log["duplicate"] and not log["missing_notetype"]
        assert student.note_count() == v1_notes + len(plan.notes)
        notes = notes_by_guid(student)
        for guid in v1_guids:
            note = notes[guid]
            assert anki_writer.RETIRED_TAG in note.tags
            for card in note.cards():
                assert "Withdrawn by your teacher" in plain(card.render_output().question_text)
        assert student.db.scalar("select count() from revlog") == 1
        assert student.get_card(studied).reps == 1
        # the v1 note types took the new style (the notice's colours) without a '+' copy
        for mid in (anki_models.BASIC_V1_ID, anki_models.CLOZE_V1_ID):
            assert ".qg-withdrawn" in student.models.get(mid)["css"]
        assert not [m for m in student.models.all() if m["name"].endswith("+")]
        v2_cards = [c for c in student.find_cards(f"-tag:{anki_writer.RETIRED_TAG}")]
        assert {student.decks.name(student.get_card(c).did) for c in v2_cards} == {anki_writer.deck_name(talks_bank)}

        # a newcomer gets the v2 cards only: the v1 notes come without cards
        import_deck(newcomer, decks / "six_party_talks_2003.apkg")
        assert newcomer.card_count() == result.cards
        assert not newcomer.find_cards(f"tag:{anki_writer.RETIRED_TAG}")
        assert len(newcomer.find_notes(f"tag:{anki_writer.RETIRED_TAG}")) == v1_notes
    finally:
        student.close()
        newcomer.close()


def test_deck_elsewhere_without_a_manifest_warns_loudly(cli, tmp_path):
    target = tmp_path / "elsewhere.apkg"
    result = cli("deck", "six_party_talks_2003", "-o", target, cwd=ROOT)
    assert result.code == 0 and target.is_file()
    assert "WARNING" in result.err and "NEW history" in result.err and "--manifest" in result.err
    manifest = tmp_path / "copy.manifest.json"
    shutil.copy(ROOT / "decks" / "six_party_talks_2003.manifest.json", manifest)
    again = cli("deck", "six_party_talks_2003", "-o", tmp_path / "other.apkg", "--manifest", manifest, cwd=ROOT)
    assert again.code == 0 and "WARNING" not in again.err


def test_deck_command_prints_which_notes_changed_and_which_fields(cli, project, talks_bank):
    yaml_path = project / "source_texts" / "six_party_talks_2003.yaml"
    cli("deck", "six_party_talks_2003", cwd=project)
    text = yaml_path.read_text(encoding="utf-8")
    # a record's own question, as its short-answer card asks it
    asked = {q.prompt for q in talks_bank if q.type == "short"}
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("question:") and ln.split(":", 1)[1].strip() in asked)
    yaml_path.write_text(text.replace(line, line.rstrip("?") + ", as the article tells it?"), encoding="utf-8")
    result = cli("deck", "six_party_talks_2003", cwd=project)
    assert result.code == 0 and "changed, students' copies will update" in result.out
    changed = [ln.strip() for ln in result.out.splitlines() if ln.strip().endswith(": Question")]
    assert changed, result.out


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
    import os

    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    before = path.read_bytes()

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        anki_writer.write_deck(Bank(talks_bank.questions[:40]), path, now=T0 + 10)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unreadable_manifest_is_a_located_error(tmp_path, talks_bank):
    from quizgen.errors import InputError

    path = tmp_path / "talks.apkg"
    anki_writer.manifest_path_for(path).write_text('{"format": 7, "notes": {}}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        anki_writer.write_deck(talks_bank, path, now=T0)
    assert "format" in str(err.value) and str(anki_writer.manifest_path_for(path)) in str(err.value)
    assert not path.exists()
