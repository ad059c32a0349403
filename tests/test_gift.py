"""GIFT export read back by gift-pegjs (the npm parser, installed from tests/js/ with npm ci) and compared with the bank."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import DATA, ROOT, SOURCES
from export_fixture import SPECIALS, every_type_bank

JS = ROOT / "tests" / "js"
GIFT_TYPE = {"mcq": "MC", "multi": "MC", "tf": "TF", "short": "Short", "cloze": "Short", "numeric": "Numerical",
             "matching": "Matching", "ordering": "Matching"}


@pytest.fixture(scope="session")
def gift_parse(tmp_path_factory):
    """parse(bytes) -> gift-pegjs's questions; skips when Node.js, npm or the registry is not there."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js and npm are needed to run gift-pegjs (not installed)")
    try:
        done = subprocess.run([npm, "ci", "--prefix", str(JS), "--no-audit", "--no-fund"], capture_output=True, text=True,
                              timeout=300)
    except subprocess.TimeoutExpired:
        pytest.skip("npm ci timed out (is the npm registry reachable?)")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"npm ci --prefix tests/js failed (is the npm registry reachable?): {last}")
    folder = tmp_path_factory.mktemp("gift")

    def parse(data: bytes, name: str = "export.gift.txt") -> list[dict]:
        path = folder / name
        path.write_bytes(data)
        run = subprocess.run([node, str(JS / "parse_gift.js"), str(path)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    return parse


def _squash(text: str) -> str:
    return "".join(text.split())


def _accepted(q) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def check_against_bank(parsed: list[dict], bank, result) -> None:
    """Every carried question, in order: title, type, stem, answers, weights and feedback as in the bank."""
    from quizgen.bank import BLANK, opaque_id

    by_id = {q.id: q for q in bank.questions}
    assert len(by_id) == len(bank.questions), "test banks have unique ids"
    questions = [p for p in parsed if p["type"] != "Category"]
    assert len(questions) == len(result.carried)
    sources = list(dict.fromkeys(by_id[i].source for i in result.carried))
    assert [p["title"] for p in parsed if p["type"] == "Category"] == [f"quizgen/{s}" for s in sources]
    for p, qid in zip(questions, result.carried):
        q = by_id[qid]
        where = f"{q.id} ({q.type})"
        assert p["title"] == opaque_id(bank.seed, q.source, q.id), where
        assert p["type"] == GIFT_TYPE[q.type], where
        assert p["stem"]["format"] == "plain", where
        if q.type == "cloze":
            assert _squash(p["stem"]["text"]) == _squash(q.prompt), where
            before, after = q.prompt.split(BLANK)
            assert p["hasEmbeddedAnswers"] == bool(before.strip() and after.strip()), where
        else:
            assert p["stem"]["text"] == q.prompt, where
        if q.evidence:
            assert q.evidence in p["globalFeedback"]["text"], where
        texts = [c["text"]["text"] for c in p.get("choices", [])] if q.type not in ("numeric",) else []
        if q.type == "mcq":
            assert texts == list(q.options), where
            assert [c["isCorrect"] for c in p["choices"]] == [o == q.answer for o in q.options], where
        elif q.type == "multi":
            assert texts == list(q.options), where
            weights = [c["weight"] for c in p["choices"]]
            assert [w > 0 for w in weights] == [o in q.answers for o in q.options], where
            assert abs(sum(w for w in weights if w > 0) - 100) < 0.01, where
            if len(q.answers) < len(q.options):
                assert abs(sum(w for w in weights if w < 0) + 100) < 0.01, where
        elif q.type == "tf":
            assert p["isTrue"] == (q.answer == "TRUE"), where
        elif q.type in ("short", "cloze"):
            # '*' is Moodle's wildcard: a literal one is written \*
            assert texts == [a.replace("*", "\\*") for a in _accepted(q)], where
            assert all(c["isCorrect"] for c in p["choices"]), where
        elif q.type == "numeric":
            choices = p["choices"] if isinstance(p["choices"], list) else [{"text": p["choices"]}]
            numbers = []
            for a in _accepted(q):
                try:
                    numbers.append(float(a))
                except ValueError:
                    pass
            assert [c["text"]["number"] for c in choices] == list(dict.fromkeys(numbers)), where
            assert all(c["text"]["range"] == q.tolerance for c in choices), where
        elif q.type == "matching":
            pairs = [(m["subquestion"]["text"], m["subanswer"]) for m in p["matchPairs"]]
            assert pairs == list(zip(q.options, q.matches)), where
        elif q.type == "ordering":
            pairs = [(m["subquestion"]["text"], m["subanswer"]) for m in p["matchPairs"]]
            assert sorted(item for item, _ in pairs) == sorted(q.options), where
            assert len({label for _, label in pairs}) == len(pairs), where
            # the labels, read as numbers (1st, 2nd, ...), put the items in the bank's correct order
            by_place = sorted(pairs, key=lambda pair: int(re.match(r"\d+", pair[1]).group()))
            assert [item for item, _ in by_place] == list(q.options), where


def _accounts_for_every_question(bank, result) -> None:
    carried, dropped = result.carried, [i for i, _ in result.dropped]
    assert sorted(carried + dropped) == sorted(q.id for q in bank.questions)
    assert {i for i, _ in result.changed} <= set(carried)


def test_every_type_and_every_special_character_survive_gift_pegjs(gift_parse):
    from quizgen.writers import gift

    bank = every_type_bank()
    result = gift.render(bank)
    _accounts_for_every_question(bank, result)
    parsed = gift_parse(result.data)
    check_against_bank(parsed, bank, result)
    # the special characters came back as written, in a stem, an option and the feedback
    assert any(SPECIALS in p["stem"]["text"] for p in parsed if "stem" in p)
    assert {q.type for q in bank.questions if q.id in result.carried} == set(GIFT_TYPE)
    # students see opaque ids, never the bank's
    text = result.data.decode("utf-8")
    assert not any(f"::{q.id}::" in text or q.id in text for q in bank.questions)


def test_what_gift_cannot_hold_is_reported_with_the_reason():
    from quizgen.writers import gift

    bank = every_type_bank()
    result = gift.render(bank)
    dropped, changed = dict(result.dropped), {}
    for qid, why in result.changed:
        changed.setdefault(qid, []).append(why)
    pairs = bank["pairs.matching"]
    assert str(len(pairs.options)) in dropped["pairs.matching"] and "at least 3" in dropped["pairs.matching"]
    assert "->" in dropped["arrow.short"]
    matching = bank["delegates.matching"]
    extra = [r for r in matching.responses if r not in matching.matches]
    assert extra and all(r in " ".join(changed[matching.id]) for r in extra)
    assert "matching" in " ".join(changed["events.ordering"])
    numeric = bank["hours.numeric"]
    assert all(a in " ".join(changed[numeric.id]) for a in numeric.alternates)


@pytest.mark.parametrize("source", ["mini", *sorted(p.stem for p in SOURCES.glob("*.yaml"))])
def test_generated_banks_parse_and_match(gift_parse, source):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers import gift

    path = DATA / "mini" / "mini.yaml" if source == "mini" else SOURCES / f"{source}.yaml"
    bank = build_bank(load_pack(path))
    result = gift.render(bank)
    _accounts_for_every_question(bank, result)
    assert result.carried, "a generated bank has questions GIFT can hold"
    check_against_bank(gift_parse(result.data, f"{source}.gift.txt"), bank, result)


def test_escape_and_determinism():
    from quizgen.writers import gift

    assert gift.escape("a{b}c~d=e#f:g\\h\ni") == "a\\{b\\}c\\~d\\=e\\#f\\:g\\\\h\\ni"
    bank = every_type_bank()
    assert gift.render(bank).data == gift.render(every_type_bank()).data
    assert not gift.render(bank).data.startswith(b"\xef\xbb\xbf")
