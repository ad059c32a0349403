"""Moodle XML: the rules Moodle's importer and question types apply, and the file read back (as Moodle parses it,
cloze syntax included) is the bank that was exported."""
from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import SOURCES
from handmade_bank import every_type_bank
from moodle_reader import plain, read_moodle, rule_problems, shortanswer_text
from quizgen.bank import BLANK, Bank, opaque_id
from quizgen.export import export
from quizgen.writers import moodle


def _banks() -> list[tuple[str, Bank]]:
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    out = [("handmade", every_type_bank())]
    for path in sorted(SOURCES.glob("*.yaml")):
        bank = build_bank(load_pack(path))
        out += [(f"{path.stem}-quiz", export(bank, "moodle")[0]), (f"{path.stem}-all", bank)]
    return out


BANKS = _banks()


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name,bank", BANKS, ids=[n for n, _ in BANKS])
def test_follows_moodles_import_rules(name, bank):
    result = moodle.render(bank)
    assert rule_problems(result.data) == []
    assert moodle.render(bank).data == result.data, "two renders differ"


@pytest.mark.parametrize("name,bank", BANKS, ids=[n for n, _ in BANKS])
def test_read_back_is_the_exported_bank(name, bank):
    result = moodle.render(bank)
    read = {m.idnumber: m for m in read_moodle(result.data)}
    carried = [q for q in bank if q.id in set(result.carried)]
    assert len(read) == len(carried) == len(bank) - len(result.dropped) > 0
    text = result.data.decode("utf-8")
    for q in carried:
        assert q.id not in text.replace(q.prompt, ""), f"the bank id {q.id} is in the file"
        _check(q, read[opaque_id(bank.seed, q.source, q.id)])


def _accepted(q) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def _check(q, m) -> None:
    assert m.category == f"$course$/quizgen/{q.source}", q.id
    assert m.name and q.id not in m.name, q.id
    assert m.tags == list(q.tags), q.id
    assert " ".join(q.evidence.split()) in m.general_feedback, q.id
    if q.type == "cloze":
        before, after = q.prompt.split(BLANK)
        assert m.text == _words(f"{before}{{#1}}{after}"), q.id
        (kind, weight, answers), = m.blanks
        assert kind == "SHORTANSWER" and weight == q.points, q.id
        assert [shortanswer_text(a.text) for a in answers] == _accepted(q), q.id
        assert all(a.fraction == 1 for a in answers), q.id
        return
    assert m.grade == q.points, q.id
    assert m.text == _words(q.prompt + (f" (in {q.unit})" if q.type == "numeric" and q.unit else "")), q.id
    if q.type in ("mcq", "multi"):
        assert m.qtype == "multichoice" and m.single == (q.type == "mcq"), q.id
        assert [a.text for a in m.answers] == [_words(o) for o in q.options], q.id
        right = set(q.answers) if q.type == "multi" else {q.answer}
        assert {a.text for a in m.answers if a.fraction > 0} == {_words(o) for o in right}, q.id
        if q.type == "multi":  # ticking every option earns nothing; ticking the right ones earns everything
            assert abs(sum(a.fraction for a in m.answers)) < 1e-5, q.id
            assert abs(sum(a.fraction for a in m.answers if a.fraction > 0) - 1) < 1e-5, q.id
    elif q.type == "tf":
        assert {a.text: a.fraction for a in m.answers} == {"true": float(q.answer == "TRUE"), "false": float(q.answer == "FALSE")}
    elif q.type == "short":
        assert m.qtype == "shortanswer", q.id
        assert [shortanswer_text(a.text) for a in m.answers] == _accepted(q), q.id
    elif q.type == "numeric":
        assert m.qtype == "numerical" and m.units == ([q.unit] if q.unit else []), q.id
        assert (float(m.answers[0].text), m.answers[0].tolerance, m.answers[0].fraction) == (float(q.answer), q.tolerance, 1.0)
    elif q.type == "matching":
        premises = [(s, a) for s, a in m.subquestions if s]
        assert premises == [(_words(o), r) for o, r in zip(q.options, q.matches)], q.id
        assert {a for _, a in m.subquestions} == set(q.responses), q.id   # extra responses offered too
    elif q.type == "ordering":
        assert m.qtype == "ordering" and [a.text for a in m.answers] == [_words(o) for o in q.options], q.id


AWKWARD_ANSWERS = ["a}b", "x#y", "p~q", "back\\slash", "50%", "=equals", "{1:SA:=x}", "star*", "&amp; literally",
                   "<b>tag</b>", "]]>", "\\}", "\\#", "a\\\\}", "#}~", "naïve café 😀", "trailing\\"]


@pytest.mark.parametrize("answer", AWKWARD_ANSWERS)
def test_cloze_answers_survive_moodles_cloze_parser(answer):
    base = every_type_bank()["motto.cloze"]
    q = replace(base, prompt=f"Before {{x}} ~ # {BLANK} after }} {{1:SA:=no}}.", answer=answer, alternates=("plain",))
    data = moodle.render(Bank((q,), "s")).data
    assert rule_problems(data) == []
    (m,) = read_moodle(data)
    (_, _, answers), = m.blanks
    assert [shortanswer_text(a.text) for a in answers] == [answer, "plain"]
    assert m.text == "Before {x} ~ # {#1} after } {1:SA:=no}."


def test_what_cannot_be_carried_is_reported_by_id():
    bank = every_type_bank()
    many = replace(bank["members.multi"], id="many.multi", options=tuple(f"option {k}" for k in range(13)),
                   answers=("option 0", "option 1"))
    lonely = replace(bank["pairs.matching"], id="lonely.matching", options=(bank["pairs.matching"].options[0],),
                     matches=("Ghent",))
    result = moodle.render(Bank((*bank.questions, many, lonely), bank.seed))
    dropped = dict(result.dropped)
    assert set(dropped) == {"many.multi", "lonely.matching"}
    assert "11 wrong options" in dropped["many.multi"] and "2 or more premises (has 1)" in dropped["lonely.matching"]
    assert dict(result.changed) == {"count.numeric": "accepted words (three and a half) not carried: "
                                                     "Moodle numeric answers take numbers only"}
    assert rule_problems(result.data) == []
    assert {m.idnumber for m in read_moodle(result.data)} == {opaque_id(bank.seed, q.source, q.id) for q in bank}


def test_html_is_escaped_not_interpreted():
    bank = every_type_bank()
    data = moodle.render(bank).data.decode("utf-8")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in data and "<b>not bold</b>" not in data
    (m,) = [m for m in read_moodle(data.encode()) if m.idnumber == opaque_id(bank.seed, "handmade", "city.mcq")]
    assert m.text == _words(bank["city.mcq"].prompt) and plain("&lt;b&gt;") == "<b>"
