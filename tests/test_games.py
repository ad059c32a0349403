"""Kahoot! xlsx, Blooket and Gimkit CSV, Quizlet text: read back (openpyxl, csv), template headers cell by cell,
questions, answers and correct flags against the bank; every question carried or reported; golden files of mini."""
from __future__ import annotations

import csv
import functools
import io
import json
import zipfile

import pytest

from conftest import DATA, ROOT, SOURCES
from export_fixture import every_type_bank

GOLDEN = ROOT / "tests" / "golden" / "mini"
GAMES = ("kahoot", "blooket", "gimkit")
KAHOOT_TIMES = {5, 10, 20, 30, 60, 90, 120, 240}
# the import templates as the platforms publish them (see docs/formats.md for where each was found)
KAHOOT_HEADER = (None, "Question - max 120 characters", "Answer 1 - max 75 characters", "Answer 2 - max 75 characters",
                 "Answer 3 - max 75 characters", "Answer 4 - max 75 characters",
                 "Time limit (sec) \u2013 5, 10, 20, 30, 60, 90, 120, or 240 secs", "Correct answer(s) - choose at least one")
BLOOKET_TITLE = ["Blooket Import Template", "", "", "", "", "", "", ""]
BLOOKET_HEADER = ["Question #", "Question Text", "Answer 1", "Answer 2", "Answer 3 (Optional)", "Answer 4 (Optional)",
                  "Time Limit (sec) (Max: 300 seconds)", "Correct Answer(s) (Only include Answer #)"]
GIMKIT_TITLE = ["Gimkit Spreadsheet Import Template", "", "", "", ""]
GIMKIT_HEADER = ["Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2 (Optional)",
                 "Incorrect Answer 3 (Optional)"]


@functools.lru_cache(maxsize=None)
def _built(path: str):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    return build_bank(load_pack(path))


def _mini_bank():
    return _built(str(DATA / "mini" / "mini.yaml"))


BANKS = {"fixture": every_type_bank, "mini": _mini_bank,
         "talks": lambda: _built(str(SOURCES / "six_party_talks_2003.yaml"))}


def _render(fmt: str, bank):
    from quizgen.writers import load_writer

    return load_writer(fmt).render(bank)


def _flat(text: str) -> str:
    return " ".join(text.split()) if any(c in text for c in "\t\n\r") else text


def _expected_choice(q) -> tuple[list[str], list[int]]:
    """What a game shows for a choice question, from the bank: answers as shown, and the 1-based correct numbers."""
    if q.type == "tf":
        return ["True", "False"], [1 if q.answer == "TRUE" else 2]
    if q.type == "multi":
        return [_flat(o) for o in q.options], [k for k, o in enumerate(q.options, 1) if o in q.answers]
    return [_flat(o) for o in q.options], [q.options.index(q.answer) + 1]


def _kahoot_rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Sheet1"]
    return [tuple(row) for row in wb["Sheet1"].iter_rows(values_only=True)]


# ---- every format: each question carried or reported, once ---------------------------------------

@pytest.mark.parametrize("fmt", ["gift", "kahoot", "blooket", "gimkit", "quizlet"])
@pytest.mark.parametrize("which", sorted(BANKS))
def test_every_question_is_carried_or_reported(fmt, which):
    from quizgen.writers import FORMATS

    assert FORMATS[fmt].name == fmt
    bank = BANKS[which]()
    result = _render(fmt, bank)
    dropped = [qid for qid, _ in result.dropped]
    assert sorted(result.carried + dropped) == sorted(q.id for q in bank.questions)
    assert all(why for _, why in result.dropped + result.changed)
    assert {qid for qid, _ in result.changed} <= set(result.carried)
    assert result.data == _render(fmt, BANKS[which]()).data      # deterministic


# ---- Kahoot! ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", sorted(BANKS))
def test_kahoot_sheet_follows_the_template_and_the_bank(which):
    bank = BANKS[which]()
    result = _render("kahoot", bank)
    rows = _kahoot_rows(result.data)
    assert rows[1][1] == "Quiz template"
    assert rows[7] == KAHOOT_HEADER                      # row 8, cell by cell
    questions = rows[8:]
    assert len(questions) == len(result.carried) > 0
    for n, (row, qid) in enumerate(zip(questions, result.carried), 1):
        q = bank[qid]
        answers, correct = _expected_choice(q)
        assert row[0] == n
        assert row[1] == _flat(q.prompt) and len(row[1]) <= 120
        assert list(row[2:6]) == answers + [None] * (4 - len(answers))
        assert all(len(a) <= 75 for a in answers)
        assert row[6] in KAHOOT_TIMES
        assert [int(x) for x in str(row[7]).split(",")] == correct


def test_kahoot_reports_each_limit_with_the_length():
    bank = every_type_bank()
    result = _render("kahoot", bank)
    dropped = dict(result.dropped)
    long = bank["long.mcq"]
    over = [(k, o) for k, o in enumerate(long.options, 1) if len(o) > 75]
    assert f"{len(long.prompt)} characters" in dropped["long.mcq"] and "120" in dropped["long.mcq"]
    assert all(f"answer {k} is {len(o)} characters" in dropped["long.mcq"] for k, o in over)
    assert f"{len(bank['five.mcq'].options)} answers" in dropped["five.mcq"]
    for q in bank.questions:
        if q.type not in ("mcq", "multi", "tf"):
            assert q.id in dropped
    assert "multi-select" in dict(result.changed)["cities.multi"]
    assert "replaced by spaces" in dict(result.changed)["lines.mcq"]


def test_kahoot_file_is_stable_and_keeps_formulas_as_text():
    data = _render("kahoot", every_type_bank()).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert "<f>" not in sheet and "=1+1 is written how" in sheet       # '=...' is a string cell, not a formula
    rows = _kahoot_rows(data)
    formula = every_type_bank()["formula.mcq"]
    assert any(row[1] == formula.prompt and list(row[2:6]) == list(formula.options) for row in rows)


# ---- Blooket and Gimkit ------------------------------------------------------------------------------

def _csv_rows(data: bytes) -> list[list[str]]:
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")                         # CRLF only, no bare line feeds
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("which", sorted(BANKS))
def test_blooket_csv_follows_the_template_and_the_bank(which):
    bank = BANKS[which]()
    result = _render("blooket", bank)
    rows = _csv_rows(result.data)
    assert rows[0] == BLOOKET_TITLE
    assert rows[1] == BLOOKET_HEADER
    assert len(rows[2:]) == len(result.carried) > 0
    for n, (row, qid) in enumerate(zip(rows[2:], result.carried), 1):
        q = bank[qid]
        answers, correct = _expected_choice(q)
        assert row[0] == str(n) and row[1] == _flat(q.prompt)
        assert row[2:6] == answers + [""] * (4 - len(answers))
        assert 1 <= int(row[6]) <= 300
        assert [int(x) for x in row[7].split(",")] == correct


@pytest.mark.parametrize("which", sorted(BANKS))
def test_gimkit_csv_follows_the_template_and_the_bank(which):
    bank = BANKS[which]()
    result = _render("gimkit", bank)
    rows = _csv_rows(result.data)
    assert rows[0] == GIMKIT_TITLE
    assert rows[1] == GIMKIT_HEADER
    assert len(rows[2:]) == len(result.carried) > 0
    for row, qid in zip(rows[2:], result.carried):
        q = bank[qid]
        answers, correct = _expected_choice(q)
        assert len(correct) == 1
        right = answers[correct[0] - 1]
        assert row[0] == _flat(q.prompt) and row[1] == right
        wrong = [a for a in row[2:] if a]
        assert wrong and sorted(wrong) == sorted(a for a in answers if a != right)
    for q in bank.questions:
        if q.type == "multi" and len(q.answers) > 1:
            assert "correct answers" in dict(result.dropped)[q.id]


# ---- Quizlet -----------------------------------------------------------------------------------------

def _cards_of(q) -> list[tuple[str, str]]:
    """The term/definition pairs a question should give, from the bank's fields."""
    if q.type == "numeric":
        return [(q.prompt, f"{q.answer} {q.unit}".strip())]
    if q.type == "multi":
        return [(q.prompt, "; ".join(q.answers))]
    if q.type == "matching":
        return list(zip(q.options, q.matches))
    if q.type == "ordering":
        return [(q.prompt + " " + "; ".join(item for _, item in q.shown_items()), " → ".join(q.options))]
    return [(q.prompt, q.answer)]


@pytest.mark.parametrize("which", sorted(BANKS))
def test_quizlet_cards_are_term_tab_definition_lines_from_the_bank(which):
    bank = BANKS[which]()
    result = _render("quizlet", bank)
    text = result.data.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    lines = text.split("\n")[:-1]
    assert all(line.count("\t") == 1 for line in lines)
    cards = [tuple(line.split("\t")) for line in lines]
    notes: dict[str, str] = {}
    for qid, why in result.changed:
        notes[qid] = notes.get(qid, "") + why
    # every card of each carried question, but for a card reported as left out (its front is another card's)
    expected = [(_flat(a), _flat(b)) for qid in result.carried for a, b in _cards_of(bank[qid])
                if f"card '{a}' left out" not in notes.get(qid, "")]
    assert cards == expected
    fronts = [" ".join(front.casefold().split()) for front, _ in cards]
    assert len(fronts) == len(set(fronts)), "no two cards with the same front"
    dropped = dict(result.dropped)
    for q in bank.questions:
        if q.type == "tf":
            assert "true/false" in dropped[q.id]
        if q.type in ("short", "cloze", "numeric"):
            assert q.id in result.carried or "same front" in dropped[q.id]


def test_quizlet_reports_what_it_changed():
    bank = every_type_bank()
    changed = dict(_render("quizlet", bank).changed)
    assert "replaced by spaces" in changed["lines.mcq"]
    matching = bank["delegates.matching"]
    extra = [r for r in matching.responses if r not in matching.matches]
    assert f"{len(matching.options)} cards" in changed[matching.id] and all(r in changed[matching.id] for r in extra)


def test_quizlet_prefers_the_recall_card_when_two_share_a_front():
    bank = _mini_bank()
    result = _render("quizlet", bank)
    dropped = dict(result.dropped)
    for q in bank.questions:
        if q.type == "mcq":
            twin = [o for o in bank.questions if o.type == "short" and o.prompt == q.prompt]
            if twin:
                assert q.id in dropped and twin[0].id in result.carried and twin[0].id in dropped[q.id]


# ---- golden files of the mini source -------------------------------------------------------------------

def _kahoot_cells(data: bytes) -> str:
    return json.dumps([list(row) for row in _kahoot_rows(data)], ensure_ascii=False, indent=0) + "\n"


def test_golden_game_exports(update_golden):
    """mini through each format, compared with tests/golden/mini/ (pytest --update-golden rewrites; review the diff).
    The .xlsx is compared by cell values (its bytes depend on the openpyxl version)."""
    bank = _mini_bank()
    names = {"gift": "mini.gift", "kahoot": "mini.kahoot.xlsx", "blooket": "mini.blooket.csv",
             "gimkit": "mini.gimkit.csv", "quizlet": "mini.quizlet.txt"}
    results = {fmt: _render(fmt, bank) for fmt in names}
    report = {fmt: {"carried": r.carried, "dropped": dict(r.dropped), "changed": [list(c) for c in r.changed]}
              for fmt, r in results.items()}
    report_text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for fmt, name in names.items():
            (GOLDEN / name).write_bytes(results[fmt].data)
        (GOLDEN / "mini.games-report.json").write_text(report_text, encoding="utf-8")
    for fmt, name in names.items():
        expected = (GOLDEN / name).read_bytes()
        if fmt == "kahoot":
            assert _kahoot_cells(results[fmt].data) == _kahoot_cells(expected), name
        else:
            assert results[fmt].data.decode("utf-8") == expected.decode("utf-8"), name
    assert report_text == (GOLDEN / "mini.games-report.json").read_text(encoding="utf-8")
