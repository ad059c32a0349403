"""The static reader (quizgen/nbread.py): what it reads from a cell, and the reason it gives for what it cannot."""
from __future__ import annotations

import json
import time

import pytest

from quizgen.nbread import BARE_NAMES, MAX_CELL_CHARS, read_notebook, read_sources

VARS = ["q01", "q02", "q08"]


def read(*cells):
    answers, student = read_sources(list(cells), VARS)
    return answers, student


def value(src, var="q08"):
    a = read(src)[0][var]
    assert not a.error, a.error
    return a.value


def error(src, var="q08"):
    a = read(src)[0][var]
    assert a.value is None and a.error, a
    return a.error


# forms a student writes that the grader reads, with the value it reads
READ = [
    ('q08 = "B"', "B"), ("q08 = 'b'", "b"), ("q08: str = 'B'", "B"), ('(q08 := "B")', "B"),
    ('q01, q08 = "A", "B"', "B"), ('[q01, q08] = ["A", "B"]', "B"), ('q01 = q08 = "C"', "C"),
    ('q08 = f"B"', "B"), ("q08 = -3.5", -3.5), ('q08 = ["B", "C", "A"]', ["B", "C", "A"]), ('q08 = {1: "B", 2: "A"}', {1: "B", 2: "A"}),
    ('q08 = {"A", "C"}', {"A", "C"}), ("q08 = B", "B"), ("q08 = [B, C, A]", ["B", "C", "A"]), ("q08 = true", True),
    ("q08 = no", False), ("q08 = True", True),
    # IPython lines and a leading indent do not break the cell
    ('!pip install nothing\nq08 = "B"', "B"), ('%time x = 1\nq08 = "B"', "B"), ('   q08 = "B"', "B"),
    ('%%time\nq08 = "B"', "B"), ('len?\nq08 = "B"', "B"),
    # the last top-level assignment counts
    ('q08 = "A"\nq08 = "B"', "B"),
]


@pytest.mark.parametrize("src, expected", READ, ids=[s for s, _ in READ])
def test_plain_answers_are_read(src, expected):
    assert value(src) == expected


# forms the grader cannot read, each with the words the student is told (self-check and grader agree on them)
REFUSED = [
    ('q08 = "A"\nq08 += "B"', "+= ... changes the answer"),
    ('q01, q08 = get_both()', "cannot split"),
    ('if True:\n    q08 = "B"', "inside an if block"),
    ('for _ in range(1):\n    q08 = "B"', "inside a for loop"),
    ('def f():\n    global q08\n    q08 = "B"\nf()', "inside a function"),
    ('q08 = q02', "refers to another answer"),
    ('q08 = answer', "refers to a variable"),
    ('q08 = f"{x}"', "f-string"),
    ('q08 = "c".upper()', "worked out by code"),
    ('q08 = __import__("os").system("true")', "worked out by code"),
    ('q08 = b"B"', "text in quotes"),
    ('q08 = ["A"]\nq08.append("B")', "changed after it is set"),
    ('q08 = ["A"]\nq08[0] = "B"', "changed after it is set"),
    ('q08 = "B"\ndel q08', "removes the answer"),
    ('q08 = "B"\nthis is not python(', "syntax error on line 2"),
    ('%%bash\nq08=B', "runs no Python"),
    ('q08 = !echo B', "worked out by code"),
    ('B = 5\nq08 = B', "another value in this notebook"),
    ("q08 = " + "[" * 60 + "]" * 60, "nested more than"),
]


@pytest.mark.parametrize("src, words", REFUSED, ids=[s[:40] for s, _ in REFUSED])
def test_what_cannot_be_read_is_explained(src, words):
    assert words in error(src)


def test_a_problem_in_another_cell_does_not_erase_an_answer():
    answers, _ = read('q08 = "B"', 'print("hello"', "x = 1")
    assert answers["q08"].value == "B"
    answers, _ = read('q08 = "B"', 'q08 = "C"\nbroken(')
    assert answers["q08"].value == "B", "a cell with a syntax error runs nothing"


def test_answer_in_several_cells_records_each_and_the_last_counts():
    answers, _ = read('q08 = "A"', "x = 2", 'q08 = "C"')
    assert answers["q08"].value == "C" and answers["q08"].cells == [0, 2]


def test_student_name_is_read():
    _, student = read('student = "  Ada   Lovelace "', 'q08 = "B"')
    assert student == "Ada Lovelace"
    _, student = read('student = ""')
    assert student is None


def test_bare_names_are_the_setup_names():
    # the nbgrader helper defines exactly these (quizgen/nbgrader_tests.py); the grader reads exactly these
    from quizgen.nbgrader_tests import bare_names_source

    ns: dict = {}
    exec(bare_names_source(), ns)
    assert {k: ns[k] for k in BARE_NAMES} == BARE_NAMES


def test_quoted_names_in_data_cells_are_not_parsed():
    data = json.dumps({"questions": [{"var": v} for v in VARS]})
    answers, _ = read(f"_DATA = {data!r}" + " (" * 10)  # would be a syntax error if parsed
    assert answers == {}


def test_cell_size_is_capped_before_parsing_and_reading_is_linear():
    big = "q01:" * (MAX_CELL_CHARS // 4 + 10)
    start = time.perf_counter()
    answers, _ = read(big, 'q08 = "B"')
    assert "too long to read" in answers["q01"].error and answers["q08"].value == "B"
    under = "q01:" * (MAX_CELL_CHARS // 4 - 10)
    answers, _ = read(under)
    assert answers["q01"].error  # parsed (a syntax error), not stalled
    # generous bound: the old quadratic pattern took 45 s on the first of these cells
    assert time.perf_counter() - start < 5


def test_notebook_json_problems_are_reasons():
    assert read_notebook(b"", VARS).problem == "empty file"
    assert "invalid JSON" in read_notebook(b"{not json", VARS).problem
    assert "not UTF-8" in read_notebook(b"\xff\xfe\x00garbage", VARS).problem
    assert "nested too deeply" in read_notebook(b"[" * 100_000 + b"]" * 100_000, VARS).problem
    assert "nbformat" in read_notebook(b'{"cells": []}', VARS).problem
    assert "too large" in read_notebook(b"{}" * 10, VARS, cap=5).problem


def test_answer_cell_metadata_gives_qid_and_explains_a_broken_cell():
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"quizgen": {"quiz_id": "x:1"}}, "cells": [
        {"cell_type": "code", "source": "q08 = (", "metadata": {"quizgen": {"qid": "abc", "var": "q08", "role": "answer"}}, "outputs": []},
        {"cell_type": "markdown", "source": 'q01 = "A"', "metadata": {}}]}
    r = read_notebook(json.dumps(nb).encode(), VARS)
    assert r.quiz_id == "x:1" and r.qids == {"q08": "abc"}
    assert "syntax error" in r.answers["q08"].error and "the cell with q08" in r.answers["q08"].error
    assert "q01" not in r.answers, "markdown is not code"


def test_one_line_cells_read_without_the_parser_give_what_the_parser_gives():
    """nbread reads the usual one-line answer without ast; generated lines must read the same both ways."""
    import random

    from quizgen import nbread

    rng = random.Random(2)
    atoms = ['"B"', "'b'", '"a b, c"', '""', "'it''s'", '"x\\ny"', "B", "true", "no", "x", "1", "-2", "01", "3.5", "1e3", "True",
             "None", "1_000", 'f"B"', 'r"B"', '"""B"""']
    for _ in range(3000):
        shape = rng.choice(["atom", "list", "dict"])
        if shape == "atom":
            value = rng.choice(atoms)
        elif shape == "list":
            value = "[" + rng.choice([", ", ",", " , ", " "]).join(rng.choice(atoms) for _ in range(rng.randint(0, 4))) + rng.choice(["", ","]) + "]"
        else:
            value = "{" + ", ".join(f"{rng.choice(atoms)}{rng.choice([': ', ':', ' '])}{rng.choice(atoms)}" for _ in range(rng.randint(0, 3))) + "}"
        line = f"q08{rng.choice(['', ' '])}={rng.choice(['', ' '])}{value}{rng.choice(['', '  # a comment', ' #', chr(10)])}"
        fast, _ = read_sources([line], VARS)
        slow_tree = None
        try:
            slow_tree = nbread._parse(line)
        except nbread._Unreadable:
            pass
        if slow_tree is None:
            assert "q08" not in fast or fast["q08"].error, line
            continue
        events = [e for e in nbread._events(slow_tree, set(VARS) | {"student"}) if e[0] == "q08"]
        got = fast.get("q08")
        if not events:
            assert got is None, line
            continue
        _, value_slow, error_slow, _ = events[-1]
        assert (got.value, bool(got.error)) == (value_slow, bool(error_slow)), line
        assert type(got.value) is type(value_slow), line


def test_the_reader_runs_embedded_from_its_source_alone():
    """A notebook can run the grader's own reader: the embedded source needs nothing but the standard library."""
    from quizgen.nbgrader_tests import reader_source

    ns: dict = {"__name__": "embedded_reader"}
    exec(compile(reader_source(), "embedded", "exec"), ns)
    answers, student = ns["read_sources"](['q08 = B', 'student = "Ada"', "q01 = q08"], VARS)
    assert answers["q08"].value == "B" and student == "Ada" and "another answer" in answers["q01"].error
