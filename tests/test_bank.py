"""The question bank: identity and independence of questions, the forms each record yields, and fair options."""
from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from conftest import SOURCES
from quizgen.answers import date_key
from quizgen.bank import BLANK, QUESTION_TYPES
from quizgen.textnorm import normalise_answer, word_count

SHIPPED = sorted(p.stem for p in SOURCES.glob("*.yaml"))


def _copy_sources(tmp_path):
    folder = tmp_path / "source_texts"
    shutil.copytree(SOURCES, folder)
    shutil.copy(SOURCES.parent / "course-secret.txt", tmp_path / "course-secret.txt")
    return folder


def _bank(path):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    return build_bank(load_pack(path))


@pytest.fixture(scope="module")
def banks():
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    return {name: build_bank(load_pack(SOURCES / f"{name}.yaml")) for name in SHIPPED}


def test_every_type_is_made_somewhere_and_each_bank_has_beyond_recall_items(banks):
    from quizgen.selection import beyond_recall

    made = Counter(q.type for b in banks.values() for q in b)
    assert all(made[t] for t in QUESTION_TYPES), made
    talks = banks["six_party_talks_2003"]
    assert sum(map(beyond_recall, talks)) >= 8
    assert all(sum(map(beyond_recall, b)) >= 3 for b in banks.values())


def test_ids_are_record_or_group_and_form(banks):
    for bank in banks.values():
        ids = [q.id for q in bank]
        assert len(ids) == len(set(ids))
        for q in bank:
            prefix, form = q.id.split(".", 1)
            assert form == q.form, q.id
            if len(q.fact_ids) == 1:
                assert prefix == q.fact_ids[0], q.id


def test_same_input_same_bank_and_another_seed_keeps_every_question_and_stem(banks):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    pack = load_pack(SOURCES / "six_party_talks_2003.yaml")
    assert build_bank(pack).to_json() == banks["six_party_talks_2003"].to_json()
    other = build_bank(pack, seed="another course")
    mine = banks["six_party_talks_2003"]
    assert [q.id for q in other] == [q.id for q in mine]
    assert any(a.options != b.options for a, b in zip(other, mine) if a.type == "mcq")
    for a, b in zip(other, mine):
        assert a.type == b.type and (a.prompt == b.prompt or a.type == "tf"), a.id
        assert a.answer == b.answer or a.type in ("tf", "ordering", "matching", "multi"), a.id


def test_a_source_banked_with_others_is_the_same_as_alone(banks):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    together = build_bank([load_pack(SOURCES / f"{n}.yaml") for n in SHIPPED])
    for name, alone in banks.items():
        assert together.filter(source=name).questions == alone.questions


def test_bank_json_round_trips(banks):
    from quizgen.bank import Bank

    bank = banks["six_party_talks_2003"]
    assert Bank.from_json(bank.to_json()).questions == bank.questions


def test_editing_one_record_changes_only_its_own_questions(tmp_path, banks):
    folder = _copy_sources(tmp_path)
    path = folder / "six_party_talks_2003.yaml"
    text = path.read_text(encoding="utf-8")
    old = "question: What do analysts say the talks set for further negotiations?"
    assert old in text
    path.write_text(text.replace(old, "question: According to analysts, what did the talks set for further negotiations?"), encoding="utf-8")
    edited = _bank(path)
    before = {q.id: q for q in banks["six_party_talks_2003"]}
    changed = [q.id for q in edited if before.get(q.id) != q]
    assert changed and all(c.startswith("analysts-groundwork.") for c in changed), changed


@pytest.mark.parametrize("removed", ["air-positions", "common-ground", "host-city"])
def test_removing_a_record_changes_no_other_question_unless_it_was_chosen_as_a_distractor(tmp_path, banks, removed):
    """Questions whose choices come from other records of one relation (who said what, positions, matching) may
    change only when the removed record had been chosen for them; every other question stays byte for byte."""
    from quizgen.facts import load_pack

    folder = _copy_sources(tmp_path)
    path = folder / "six_party_talks_2003.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {removed}\n")
    end = text.find("\n  - id: ", start + 5)
    path.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    after = {q.id: q for q in _bank(path)}
    full = load_pack(SOURCES / "six_party_talks_2003.yaml")
    gone = next(f for f in full.facts if f.id == removed)
    gone_texts = {normalise_answer(x) for x in (gone.claim or "", gone.question)} - {""}
    for qid, q in ((q.id, q) for q in banks["six_party_talks_2003"]):
        if removed in q.fact_ids:
            continue
        if after.get(qid) == q:
            continue
        # the only allowed change: an item that showed the removed record's claim among its choices or premises
        shown = {normalise_answer(o) for o in (*q.options, *q.responses)}
        assert q.form in ("said-by", "claim", "position", "matching") and shown & gone_texts, qid


def test_multiple_choice_options_fit(banks):
    from quizgen.facts import load_pack

    for name, bank in banks.items():
        pack = load_pack(SOURCES / f"{name}.yaml")
        facts = {f.id: f for f in pack.facts}
        for q in bank:
            if q.type != "mcq":
                continue
            norm = [normalise_answer(o) for o in q.options]
            assert len(q.options) == 4 and len(set(norm)) == 4, q.id
            words = [set(n.split()) for n in norm]
            assert not any(i != j and words[j] <= words[i] for i in range(4) for j in range(4)), f"{q.id}: an option contains another"
            fact = facts[q.fact_ids[0]]
            if q.form == "mcq" and fact.answer.entity:
                etype = pack.entities[fact.answer.entity].type
                assert all(any(e.name == o and e.type == etype for e in pack.entities.values()) for o in q.options), q.id
            if q.form == "mcq" and (fact.answer.number is not None or fact.answer.date):
                values = [float(re.match(r"[\d.]+", o).group()) for o in q.options] if fact.answer.number is not None else None
                if values:
                    assert values == sorted(values), q.id
                    key = fact.answer.number
                    # no off-by-one near miss of the key, unless the record allows it or the key is a small count
                    assert fact.answer.near_misses or key <= 5 or all(abs(v - key) > 1 for v in values if v != key), (q.id, values)
            if fact.answer.scale:
                order = [s.casefold() for s in fact.answer.scale]
                idx = [order.index(o.casefold()) for o in q.options]
                assert idx == sorted(idx), q.id


def test_dates_are_shown_in_ascending_order_at_the_texts_precision():
    from quizgen.generate.distractors import date_options

    for value in ("2002-10", "1863-11-19", "1776", "2008/2012"):
        for slot in range(4):
            options, at = date_options(value, slot)
            assert len(options) == 4 and options[at]
            assert len(set(options)) == 4
    options, at = date_options("2002-10", 2)
    assert options[at] == "October 2002" and all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", o) for o in options)


def test_no_question_names_its_own_answer(banks):
    for bank in banks.values():
        for q in bank:
            if q.type in ("mcq", "short", "cloze", "numeric"):
                prompt = f" {normalise_answer(q.prompt)} "
                key = normalise_answer(q.answer)
                assert f" {key} " not in prompt, (q.id, q.answer)


def test_true_false_items_come_in_pairs_so_truth_is_even(banks):
    for bank in banks.values():
        tfs = [q for q in bank if q.type == "tf"]
        truth = Counter(q.answer for q in tfs)
        assert truth["TRUE"] == truth["FALSE"], truth
        bases = Counter(q.id.rsplit(".", 1)[0] for q in tfs)
        assert all(n == 2 for n in bases.values()), bases
        attributed = [q for q in tfs if re.search(r"according to|\bsays?\b", q.prompt, re.I)]
        assert Counter(q.answer for q in attributed)["TRUE"] * 2 == len(attributed)


def test_false_statements_change_an_exclusive_slot_or_are_written_by_the_teacher(banks):
    from quizgen.facts import load_pack
    from quizgen.generate.tf import exclusive

    for name, bank in banks.items():
        facts = {f.id: f for f in load_pack(SOURCES / f"{name}.yaml").facts}
        for q in bank:
            if q.form == "tf-false" and len(q.fact_ids) == 1:
                fact = facts[q.fact_ids[0]]
                assert fact.false_statement == q.prompt or exclusive(fact), q.id


def test_clozes_have_context_keep_the_texts_punctuation_and_come_from_the_body(banks):
    from quizgen.facts import load_pack
    from quizgen.generate.cloze import MIN_CONTEXT_WORDS

    for name, bank in banks.items():
        pack = load_pack(SOURCES / f"{name}.yaml")
        for q in (q for q in bank if q.type == "cloze"):
            assert q.prompt.count(BLANK) == 1, q.id
            assert q.context in pack.text, q.id          # the sentence as the text writes it, dashes and all
            assert q.context[q.span[0]:q.span[1]] == q.answer
            assert word_count(q.prompt.replace(BLANK, "")) >= MIN_CONTEXT_WORDS, q.id
            assert not pack.in_front_matter(q.context), q.id
    dashes = [q for q in banks["gettysburg_address"] if q.type == "cloze" and "—" in q.context]
    assert dashes and all("—" in q.prompt for q in dashes)


def test_nothing_is_asked_from_the_headline_dateline_or_signature(banks):
    from quizgen.facts import load_pack

    for name, bank in banks.items():
        pack = load_pack(SOURCES / f"{name}.yaml")
        for q in bank:
            quotes = [e for e in q.evidence.split(" … ") if e]
            assert any(not pack.in_front_matter(e) for e in quotes), q.id


def test_ordering_items_are_three_or_more_distinct_steps_never_shown_in_order(banks):
    from quizgen.facts import load_pack

    for name, bank in banks.items():
        facts = {f.id: f for f in load_pack(SOURCES / f"{name}.yaml").facts}
        for q in (q for q in bank if q.type == "ordering"):
            assert len(q.options) >= 3 and len(set(q.options)) == len(q.options)
            assert sorted(q.display) == list(range(len(q.options))) and list(q.display) != list(range(len(q.options)))
            dated = [facts[f] for f in q.fact_ids if facts[f].answer.date]
            assert len({f.part_of for f in dated if f.part_of}) == len([f for f in dated if f.part_of])
            keys = [date_key(str(f.answer.date)) for f in dated]
            assert keys == sorted(keys)


def test_matching_items_match_one_relation_with_a_spare_response(banks):
    for bank in banks.values():
        for q in (q for q in bank if q.type == "matching"):
            assert len(q.options) >= 3 and len(q.options) == len(q.matches)
            assert set(q.matches) < set(q.responses), "at least one response matches no premise"
            letters = q.correct_letters()
            assert [q.responses[ord(c) - 65] for c in letters] == list(q.matches)


def test_select_all_items_have_two_or_more_right_and_wrong_options(banks):
    multis = [q for b in banks.values() for q in b if q.type == "multi"]
    assert multis
    for q in multis:
        assert len(q.answers) >= 2 and len(q.options) - len(q.answers) >= 2, q.id
        assert set(q.answers) < set(q.options)
        assert "select all that apply" in q.prompt.lower()


def test_every_form_left_out_is_explained(banks):
    """For every record, each basic form is either made or skipped with a reason (quizgen questions --explain)."""
    from quizgen.facts import load_pack

    for name, bank in banks.items():
        pack = load_pack(SOURCES / f"{name}.yaml")
        made = {(f, q.form) for q in bank for f in q.fact_ids}
        made |= {(f, "tf") for f, form in made if form in ("tf", "tf-false")}
        explained = {(s.fact_id, s.form): s.reason for s in bank.skipped}
        assert all(explained.values())
        for fact in pack.facts:
            for form in ("mcq", "short", "cloze", "tf"):
                assert (fact.id, form) in made or (fact.id, form) in explained or \
                    (form in ("mcq", "short", "cloze", "tf") and any(f == fact.id for f, _ in made) and len(fact.answer.entities or []) > 1), \
                    (name, fact.id, form)
