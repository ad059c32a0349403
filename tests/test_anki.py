"""Anki decks imported with the real Anki backend: notes per record and sentence, what cards show, escaping, style."""
from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import replace

import pytest

from anki_backend import T0, import_deck, open_collection, plain, with_beyond_forms, with_group_multi
from conftest import ROOT

from quizgen.bank import Bank
from quizgen.writers import anki as anki_writer
from quizgen.writers.anki import models as anki_models
from quizgen.writers.anki.notes import MIN_CLOZE_WORDS, note_prefix


@pytest.fixture
def collection(tmp_path):
    col = open_collection(tmp_path / "collection.anki2")
    yield col
    col.close()


@pytest.fixture(scope="module")
def banks(all_packs):
    from quizgen.generate import build_bank

    return {p.name: (p, build_bank(p)) for p in all_packs}


def _import(tmp_path, col, bank, name="deck.apkg"):
    path = tmp_path / name
    result = anki_writer.write_deck(bank, path, now=T0)
    return result, import_deck(col, path)


def _cards(col, search=""):
    for cid in col.find_cards(search):
        card = col.get_card(cid)
        yield card, card.note(), card.render_output()


def test_deck_imports_as_one_deck_with_every_note_and_card(tmp_path, collection, talks_bank):
    plan = anki_writer.plan_notes(talks_bank)
    result, log = _import(tmp_path, collection, talks_bank)
    assert len(log["new"]) == len(plan.notes) == result.notes
    assert not log["conflicting"] and not log["duplicate"] and not log["missing_notetype"]
    assert collection.card_count() == sum(len(n.parts) for n in plan.notes) == result.cards
    assert {d.name for d in collection.decks.all_names_and_ids()} - {"Default"} == {anki_writer.deck_name(talks_bank)}
    assert not collection.get_empty_cards().notes
    # every question of the bank is on a card or reported with its reason, never both, never silently dropped
    carried = {qid for n in plan.notes for qid in n.question_ids}
    reported = {qid for qid, _ in plan.dropped()}
    assert carried | reported == {q.id for q in talks_bank} and not carried & reported
    assert all(reason for _, reason in plan.dropped())


def test_deck_description_cites_the_source_and_says_how_to_study(tmp_path, collection, talks_bank):
    _import(tmp_path, collection, talks_bank)
    deck = collection.decks.by_name(anki_writer.deck_name(talks_bank))
    c = talks_bank.questions[0].citation
    text = plain(deck["desc"])
    assert c.title in text and c.publisher in text and c.license in text
    assert "order of the text" in text and "Bury new siblings" in text and anki_writer.RETIRED_TAG in text


def test_recall_cards_of_a_record_are_siblings_on_its_one_note(tmp_path, collection, talks_bank):
    bank = with_beyond_forms(talks_bank)
    _import(tmp_path, collection, bank)
    prompts = defaultdict(list)
    for q in bank:
        prompts[q.prompt].append(q)
    notes_of_record = defaultdict(set)
    for card, note, out in _cards(collection, '"note:quizgen Recall v2"'):
        front = plain(out.question_text)
        asked = prompts.get(front)
        assert asked, f"a recall card asks something that is no question of the bank: {front!r}"
        assert {note_prefix(q.id) for q in asked} == {note["Id"]}
        assert any(plain(anki_writer.esc(q.answer_text if q.type == "numeric" else q.answer)) in plain(out.answer_text) for q in asked)
        notes_of_record[note["Id"]].add(note.id)
    assert notes_of_record and all(len(ids) == 1 for ids in notes_of_record.values())
    # every record with a short-answer question whose stem stands without options has its note, and a record
    # with a beyond-recall form has both cards on that one note
    asked_short = {note_prefix(q.id) for q in bank if q.type == "short" and " these " not in f" {q.prompt.lower()} "}
    assert asked_short <= set(notes_of_record)
    for q in bank:
        if q.form == "why-test":
            nid = next(iter(notes_of_record[note_prefix(q.id)]))
            fronts = {plain(c.render_output().question_text) for c in collection.get_note(nid).cards()}
            assert q.prompt in fronts and len(fronts) >= 2


def test_a_group_of_records_is_one_choice_card_with_every_option(tmp_path, collection, talks_bank):
    bank = with_group_multi(talks_bank)
    multis = [q for q in bank if q.type == "multi"]
    _import(tmp_path, collection, bank)
    choice_notes = collection.find_notes('"note:quizgen Choice v2"')
    groups = {note_prefix(q.id) for q in multis}
    assert groups <= {collection.get_note(n)["Id"] for n in choice_notes}
    for q in multis:
        nid = next(n for n in choice_notes if collection.get_note(n)["Id"] == note_prefix(q.id))
        cards = collection.get_note(nid).cards()
        assert len(cards) == 1
        out = cards[0].render_output()
        shown = re.findall(r"<li>(.*?)</li>", out.question_text)
        assert sorted(html.unescape(o) for o in shown) == sorted(q.options)
        # the stored order is alphabetical: it depends on no seed, the card shuffles at review time
        assert [html.unescape(o) for o in shown] == sorted(q.options, key=lambda o: (o.casefold(), o))
        key = re.search(r'class="qg-key qg-a">(.*?)</div>', out.answer_text).group(1)
        assert sorted(html.unescape(o) for o in re.findall(r"<li>(.*?)</li>", key)) == sorted(q.answers)
        assert "Math.random" in out.question_text and "qgOrder" in out.answer_text
        assert "{{FrontSide}}" not in anki_models.CHOICE_MODEL.templates[0]["afmt"]


def test_no_card_shows_a_false_statement_or_asks_true_or_false(tmp_path, collection, talks_bank):
    falsehoods = [q.prompt for q in talks_bank if q.type == "tf" and q.answer == "FALSE"]
    assert falsehoods, "the bank has no false statements to check against"
    _import(tmp_path, collection, talks_bank)
    for card, note, out in _cards(collection):
        for side in (plain(out.question_text), plain(out.answer_text)):
            assert not any(f in side for f in falsehoods), side
        assert "true or false" not in plain(out.question_text).lower()


def test_clozes_are_one_note_per_sentence_with_context_and_the_text_s_punctuation(tmp_path, banks):
    for name, (pack, bank) in banks.items():
        col = open_collection(tmp_path / f"{name}.anki2")
        try:
            _import(tmp_path, col, bank, f"{name}.apkg")
            plan = anki_writer.plan_notes(bank)
            refused = {qid for qid, _ in plan.refused}
            contexts = {q.context for q in bank if q.type == "cloze" and q.id not in refused}
            text = " ".join(pack.text.split())
            sentences = []
            for card, note, out in _cards(col, '"note:quizgen Cloze v2"'):
                front, back = plain(out.question_text), plain(out.answer_text)
                assert front.count("[...]") == 1
                assert len(re.findall(r"[^\W_]+", front.replace("[...]", " "))) >= MIN_CLOZE_WORDS, front
                sentence = plain(re.sub(r"\{\{c\d+::(.*?)\}\}", r"\1", note["Text"]))
                assert sentence in text, f"not the text's own words and punctuation: {sentence!r}"
                assert back.startswith(sentence)
                quote = re.search(r'<blockquote class="qg-quote">(.*?)</blockquote>', out.answer_text)
                assert quote is None or plain(quote.group(1)) != sentence, "the quote repeats the sentence"
                sentences.append(sentence)
            # one note per sentence, and as many cards as its records' blanks
            assert len(set(col.find_notes('"note:quizgen Cloze v2"'))) == len(contexts) == len(set(sentences))
            assert len(sentences) == sum(1 for q in bank if q.type == "cloze" and q.id not in refused)
            assert not col.get_empty_cards().notes
        finally:
            col.close()


def test_too_short_or_headline_clozes_are_refused_and_reported(banks):
    for name, (pack, bank) in banks.items():
        plan = anki_writer.plan_notes(bank)
        for qid, why in plan.refused:
            q = next(q for q in bank if q.id == qid)
            around = len(re.findall(r"[^\W_]+", q.context[:q.span[0]] + " " + q.context[q.span[1]:]))
            assert around < MIN_CLOZE_WORDS or not q.context.rstrip().endswith((".", "!", "?", '"')), (qid, why)
            assert "cloze refused" in why


def test_em_dashes_of_the_text_stay_in_cards(tmp_path, banks):
    """A cloze shows its sentence as the text writes it, even where the bank carries a copy with plain dashes."""
    from quizgen.textnorm import _TYPOGRAPHIC

    dashed = [(p, b) for p, b in banks.values() if "\u2014" in p.text]
    assert dashed, "no shipped text has an em dash to check"
    pack, bank = dashed[0]
    sentence = next(s.strip() for s in re.split(r"(?<=[.!?])\s+", pack.text) if "\u2014" in s and len(s.split()) > 12)
    word = max(sentence.split(), key=len).strip(",.;\u2014")
    at = sentence.index(word)
    template = next(q for q in bank if q.type == "cloze")
    folded = sentence.translate(_TYPOGRAPHIC)
    assert folded != sentence
    cloze = replace(template, id="dashes.cloze", fact_ids=("dashes",), context=folded, span=(at, at + len(word)),
                    answer=word, evidence=sentence)
    col = open_collection(tmp_path / "c.anki2")
    try:
        _import(tmp_path, col, Bank((cloze,)))
        (nid,) = col.find_notes('"note:quizgen Cloze v2"')
        assert plain(re.sub(r"\{\{c\d+::(.*?)\}\}", r"\1", col.get_note(nid)["Text"])) == sentence
    finally:
        col.close()


def test_new_cards_come_in_the_order_of_the_text(tmp_path, collection, talks_bank):
    _import(tmp_path, collection, talks_bank)
    position_of = defaultdict(lambda: 10 ** 9)
    for q in talks_bank:
        position_of[note_prefix(q.id)] = min(position_of[note_prefix(q.id)], q.position)
    first_of = {}
    for card, note, out in _cards(collection):
        records = note["Id"].split()
        first_of[card.id] = (card.due, min(position_of[r] for r in records))
    by_due = sorted(first_of.values())
    assert [p for _, p in by_due] == sorted(p for _, p in by_due)
    # what the scheduler offers first is the card of the text's earliest record
    collection.decks.select(collection.decks.id_for_name(anki_writer.deck_name(talks_bank)))
    first = collection.sched.getCard()
    assert first_of[first.id][1] == min(p for _, p in first_of.values())


def test_search_for_a_word_with_an_apostrophe_finds_every_note_that_has_it(tmp_path, collection, talks_bank):
    _import(tmp_path, collection, talks_bank)
    texts = {n: plain(" ".join(collection.get_note(n).fields)) for n in collection.find_notes("")}
    words = {w for t in texts.values() for w in re.findall(r"\b\w+'\w+\b", t)}
    assert words, "no word with an apostrophe in the deck"
    for word in sorted(words):
        found = set(collection.find_notes(f'"{word}"'))
        having = {n for n, t in texts.items() if word in t}
        assert having <= found, f"searching {word!r} found {len(found & having)} of the {len(having)} notes with it"
    raw = " ".join(f for n in texts for f in collection.get_note(n).fields)
    assert "&#x27;" not in raw and "&#39;" not in raw and "&quot;" not in raw


def test_markup_in_facts_renders_as_literal_text(tmp_path, collection, talks_bank):
    nasty = "<script>alert('x')</script> & {{c2::oops}} \"quoted\" 北朝鮮 😀"
    short = next(q for q in talks_bank if q.type == "short")
    cloze = next(q for q in talks_bank if q.type == "cloze")
    sentence = "Before the talks " + nasty + " the delegates reached an answer after all."
    at = sentence.index("an answer")
    bank = Bank((replace(short, prompt=nasty + "?", answer=nasty),
                 replace(cloze, context=sentence, span=(at, at + len("an answer")), answer="an answer", evidence=sentence)))
    result, log = _import(tmp_path, collection, bank)
    assert len(log["new"]) == 2 and not collection.get_empty_cards().notes
    for card, note, out in _cards(collection):
        assert "<script>alert" not in out.question_text + out.answer_text
        shown = plain(out.question_text + " " + out.answer_text)
        assert "<script>alert('x')</script>" in shown and "{{c2::oops}}" in shown and '"quoted"' in shown
        assert "北朝鮮" in shown and "😀" in shown
    # the {{c2::...}} in the sentence did not make a second deletion
    assert len(collection.find_cards('"note:quizgen Cloze v2"')) == 1
    assert collection.find_notes('"alert(\'x\')"')


def test_question_field_first_and_tags_under_the_source(tmp_path, collection, talks_bank):
    _import(tmp_path, collection, with_group_multi(talks_bank))
    for mid in anki_models.V2_MODELS:
        first = anki_models.MODELS[mid].fields[0]["name"]
        assert first in ("Question", "Text")
    source = talks_bank.questions[0].source
    tags = set(collection.tags.all())
    assert tags and all(t.startswith(f"quizgen::{source}::") for t in tags), tags
    formats = {t.rsplit("::", 1)[1] for t in tags if "::format::" in t}
    assert formats == {"recall", "cloze", "choice"}
    topics = {t for t in tags if "::topic::" in t}
    assert {f"quizgen::{source}::topic::{t}" for q in talks_bank for t in q.tags} >= topics and topics


def test_rebuild_with_nothing_changed_is_byte_identical(tmp_path, talks_bank):
    path = tmp_path / "talks.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    first, manifest = path.read_bytes(), anki_writer.manifest_path_for(path).read_bytes()
    again = anki_writer.write_deck(talks_bank, path, now=T0 + 5000)
    assert path.read_bytes() == first and not again.written.changed
    assert anki_writer.manifest_path_for(path).read_bytes() == manifest
    assert not again.updated and not again.added and not again.model_changes


def test_deck_options_preset_buries_siblings_when_the_student_imports_presets(tmp_path, talks_bank):
    path = tmp_path / "d.apkg"
    anki_writer.write_deck(talks_bank, path, now=T0)
    for with_presets in (False, True):
        col = open_collection(tmp_path / f"c{with_presets}.anki2")
        try:
            import_deck(col, path, with_deck_configs=with_presets)
            conf = col.decks.config_dict_for_deck_id(col.decks.id_for_name(anki_writer.deck_name(talks_bank)))
            assert conf["new"]["bury"] is with_presets and conf["rev"]["bury"] is with_presets
        finally:
            col.close()


def _css_rules(css: str) -> list[tuple[str, dict]]:
    """(selector, declarations) of a style sheet, with @media blocks opened."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, depth, start, selector = [], 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0 or not css[start:i].strip().startswith("@"):
                selector = css[start:i].strip()
            depth += 1
            start = i + 1
        elif ch == "}":
            body = css[start:i]
            if "{" not in body and selector and not selector.startswith("@"):
                decls = dict((k.strip(), v.strip()) for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d))
                rules.append((selector, decls))
            depth -= 1
            start = i + 1
    return rules


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_all_text_has_contrast_of_at_least_4_5_in_light_and_night_mode():
    rules = _css_rules(anki_models.CSS)
    night = lambda sel: "nightMode" in sel or "night_mode" in sel  # noqa: E731

    def colour(decls, *names):
        for n in names:
            m = re.search(r"#[0-9a-fA-F]{6}", decls.get(n, ""))
            if m:
                return m.group(0)
        return None

    card = {mode: colour(d, "background", "background-color") for s, d in rules
            for mode in ("night" if night(s) else "light",) if ".card" in s and colour(d, "background")}
    assert set(card) == {"light", "night"}
    checked = 0
    for selector, decls in rules:
        fg = colour(decls, "color")
        if fg is None:
            continue
        mode = "night" if night(selector) else "light"
        bg = colour(decls, "background", "background-color") or card[mode]
        assert contrast(fg, bg) >= 4.5, f"{selector}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"
        checked += 1
        if mode == "light":
            # the same text in night mode: its own night rule, or else this light colour on the night background
            leaf = selector.split(",")[0].strip()
            night_fg = next((colour(d, "color") for s, d in rules if night(s) and colour(d, "color")
                             and any(part.strip().endswith(leaf) for part in s.split(","))), None)
            night_bg = next((colour(d, "background") for s, d in rules if night(s) and colour(d, "background")
                             and any(part.strip().endswith(leaf) for part in s.split(","))), None) or card["night"]
            shown = night_fg or fg
            assert contrast(shown, night_bg) >= 4.5, f"night {selector}: {shown} on {night_bg} is {contrast(shown, night_bg):.2f}:1"
    assert checked >= 10


def test_note_types_never_change_under_their_ids():
    """Changing a note type's fields or templates under the same id breaks students' updates (Anki adds
    'Name+' copies and skips the notes as conflicting): such a change needs a new model id and name."""
    golden = json.loads((ROOT / "tests" / "golden" / "anki_models.json").read_text(encoding="utf-8"))
    current = {str(mid): anki_writer.model_signature(m) for mid, m in anki_writer.MODELS.items()}
    for mid, signature in golden.items():
        assert mid in current, f"note type {mid} is gone: students' withdrawn notes still use it"
        assert current[mid] == signature, f"note type {mid} changed: give it a new model id and name instead"
    for mid in current:
        assert mid in golden, f"new note type {mid}: add its signature to tests/golden/anki_models.json"
    assert {anki_writer.MODELS[m].name for m in anki_writer.V2_MODELS} == {
        n["name"] for k, n in golden.items() if n["name"].endswith(" v2")}


def test_committed_decks_import(collection):
    for path in sorted((ROOT / "decks").glob("*.apkg")):
        log = import_deck(collection, path)
        assert log["new"] and not log["conflicting"], path
    assert not collection.get_empty_cards().notes


def test_question_no_note_type_can_carry_is_reported_not_dropped(tmp_path, talks_bank):
    cloze = next(q for q in talks_bank if q.type == "cloze")
    broken = replace(cloze, id="broken.cloze", fact_ids=("broken",), context="Too short here.", span=(0, 3))
    bank = Bank((broken, *talks_bank.questions))
    result = anki_writer.write_deck(bank, tmp_path / "d.apkg", now=T0)
    assert any(s.startswith("broken.cloze:") for s in result.skipped)
    assert "warning: skipped broken.cloze" in str(result)


def test_option_order_in_a_deck_does_not_depend_on_the_bank_s_shown_order(tmp_path, talks_bank):
    """The course secret decides the shown order of options; a deck stores them in an order of their own and
    shuffles them at review time, so a deck is the same whatever the secret ordered."""
    bank = with_group_multi(talks_bank)
    flipped = Bank(tuple(replace(q, options=tuple(reversed(q.options)), answers=tuple(reversed(q.answers)))
                         if q.type in ("mcq", "multi") else q for q in bank))
    assert flipped != bank
    decks = []
    for b in (bank, flipped):
        path = tmp_path / f"{len(decks)}.apkg"
        anki_writer.write_deck(b, path, now=T0)
        decks.append(path.read_bytes())
    assert decks[0] == decks[1]


def test_a_bank_read_back_from_csv_makes_the_same_notes(tmp_path, talks_bank):
    """A CSV bank carries a cloze's prompt and answer, not its sentence and span: the deck finds them again."""
    from quizgen.writers.csv import bank_csv_bytes, read_bank

    path = tmp_path / "bank.csv"
    path.write_bytes(bank_csv_bytes(talks_bank))
    again, _ = read_bank(path)
    direct, from_csv = anki_writer.plan_notes(talks_bank), anki_writer.plan_notes(again)
    assert sorted(n.key for n in from_csv.notes) == sorted(n.key for n in direct.notes)
    clozes = {n.key: n.parts for n in direct.notes if n.model_id == anki_models.CLOZE_ID}
    assert clozes and all(n.parts == clozes[n.key] for n in from_csv.notes if n.key in clozes)
