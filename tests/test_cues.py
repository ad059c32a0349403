"""Test-wise cues: each guessing strategy scores no better than chance on the shipped banks, and each one does
catch a bank built to have its cue."""
from __future__ import annotations

import pytest

from conftest import SOURCES
from quizgen.bank import Question
from quizgen.cues import cue_rates, order_by_logic
from quizgen.facts import Citation

SHIPPED = sorted(p.stem for p in SOURCES.glob("*.yaml"))
MARGIN = 0.05          # the bar: at most chance + 5 points
CITE = Citation("Nuclear talks end with a promise", "Voice of Somewhere", "2003-08-29", "public domain", "Talks quiz")


@pytest.mark.parametrize("name", SHIPPED)
def test_no_cue_beats_chance_on_a_shipped_bank(name):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    pack = load_pack(SOURCES / f"{name}.yaml")
    bank = build_bank(pack)
    rates = cue_rates(bank.questions, [pack.meta.title, pack.meta.deck_name, name.replace("_", " ")])
    names = {r.name for r in rates}
    assert {"longest option", "never the longest option", "words of the title and page", "option containing another",
            "only positive option after 'despite' or 'not'", "grammatical fit to the stem", "only round number"} <= names
    too_good = [str(r) for r in rates if r.rate > r.chance + MARGIN]
    assert not too_good, too_good


@pytest.mark.parametrize("name", SHIPPED)
def test_no_cue_beats_chance_on_a_shipped_quiz(name):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.quiz import select_quiz

    pack = load_pack(SOURCES / f"{name}.yaml")
    questions = [i.question for i in select_quiz(build_bank(pack)).items]
    rates = cue_rates(questions, [pack.meta.title, pack.meta.deck_name, name.replace("_", " ")])
    # a quiz is small: a strategy must not win more than one item beyond what chance gives it
    too_good = [str(r) for r in rates if (r.rate - r.chance) * r.items > 1.0 + 1e-9]
    assert not too_good, too_good


def _mcq(i: int, prompt: str, key: str, wrong: list[str], at: int = 0) -> Question:
    options = list(wrong)
    options.insert(at, key)
    return Question(id=f"cued-{i}.mcq", type="mcq", source="cued", fact_ids=(f"cued-{i}",), kind="outcome",
                    prompt=prompt, form="mcq", answer=key, options=tuple(options), citation=CITE)


def _rate(questions, name, chrome=()):
    return next(r for r in cue_rates(questions, chrome) if r.name == name)


CUED = {
    "longest option": [_mcq(i, f"What did group {i} agree?", "to meet again at a date and place set later by all", ["a walkout", "a deal", "a vote"], i % 4)
                       for i in range(8)],
    "words of the title and page": [_mcq(i, f"How did round {i} finish?", "with a promise of nuclear talks", ["with a parade", "with a storm", "with a dance"], i % 4)
                                    for i in range(8)],
    "option containing another": [_mcq(i, f"What was set for meeting {i}?", "the date and place", ["the date", "the menu", "the music"], i % 4)
                                  for i in range(8)],
    "only positive option after 'despite' or 'not'": [
        _mcq(i, f"Despite the rhetoric, how did session {i} end?", "with agreement", ["with a walkout", "in deadlock", "with no result"], i % 4)
        for i in range(8)],
    "only round number": [_mcq(i, f"How many delegates came to meeting {i}?", "100", ["87", "93", "113"], i % 4) for i in range(8)],
    "grammatical fit to the stem": [_mcq(i, f"Which word fits: the delegates found an", "impasse", ["deal", "truce", "plan"], i % 4)
                                    for i in range(8)],
    "odd one out": [_mcq(i, f"Who spoke first at meeting {i}?", "Deputy Foreign Minister of China", ["Japan", "Russia", "Korea"], i % 4)
                    for i in range(8)],
}


@pytest.mark.parametrize("cue", sorted(CUED))
def test_each_cue_catches_a_bank_built_to_have_it(cue):
    rate = _rate(CUED[cue], cue, [CITE.title, CITE.name])
    assert rate.rate >= rate.chance + 0.5, rate


def test_attribution_cue_catches_always_true_according_to_statements():
    tfs = [Question(id=f"a-{i}.tf", type="tf", source="cued", fact_ids=(f"a-{i}",), kind="claim", form="tf",
                    prompt=f"According to source {i}, the talks went well.", answer="TRUE", citation=CITE) for i in range(6)]
    tfs += [Question(id=f"b-{i}.tf-false", type="tf", source="cued", fact_ids=(f"b-{i}",), kind="claim", form="tf-false",
                     prompt=f"The talks lasted {i + 5} days.", answer="FALSE", citation=CITE) for i in range(6)]
    rate = _rate(tfs, "'According to ...' statements are true")
    assert rate.rate == 1.0 and rate.items == 6


def test_ordering_cue_catches_begin_and_end_items():
    q = Question(id="o.ordering", type="ordering", source="cued", fact_ids=("o",), kind="sequence", form="ordering",
                 prompt="Put these in order.", options=("The talks began", "The delegates argued", "The talks ended"),
                 display=(2, 0, 1), citation=CITE)
    assert order_by_logic([q.options[i] for i in q.display]) == [1, 2, 0]
    assert _rate([q], "ordering by logic words").rate == 1.0
