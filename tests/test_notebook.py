"""Quiz notebooks run in a real kernel; the grader marks submissions, hostile ones included, without running them."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from quizgen.quiz import select_quiz
from quizgen.writers.notebook import render_notebooks, write_notebooks


@pytest.fixture(scope="module")
def built(tmp_path_factory, talks_bank):
    out = tmp_path_factory.mktemp("nb")
    write_notebooks(talks_bank, out, self_check=True, exam_too=True)
    return out


def paths(out: Path) -> dict[str, Path]:
    name = "six_party_talks_2003"
    return {"student": out / f"{name}.ipynb", "exam": out / f"{name}.exam.ipynb",
            "solutions": out / "teacher" / f"{name}.solutions.ipynb", "nbgrader": out / "teacher" / f"{name}.nbgrader.ipynb",
            "key": out / "teacher" / f"{name}.key.json"}


def run_kernel(nb_path: Path, replace: dict[str, str] | None = None):
    from nbclient import NotebookClient

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        var = cell.get("metadata", {}).get("quizgen", {}).get("var")
        if replace and var in replace:
            cell.source = f"{var} = {replace[var]}"
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def text_output(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_notebooks_are_valid_nbformat_45_with_stable_ids(built, talks_bank, tmp_path):
    for p in paths(built).values():
        if p.suffix == ".ipynb":
            nb = nbformat.read(p, as_version=4)
            nbformat.validate(nb)
            assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
            assert all(c.get("id") for c in nb.cells)
    again = render_notebooks(talks_bank, built, self_check=True, exam_too=True)
    for path, text in again.items():
        assert path.read_text(encoding="utf-8") == text


def test_include_text_puts_the_article_in_the_student_notebook(cli, tmp_path, built):
    result = cli("notebook", "six_party_talks_2003", "--include-text", "-o", tmp_path, cwd=ROOT)
    assert result.code == 0, result
    nb = nbformat.read(tmp_path / "six_party_talks_2003.ipynb", as_version=4)
    text_cells = [c for c in nb.cells if c.get("id") == "source-text"]
    assert len(text_cells) == 1 and "Deputy Foreign Minister Wang Yi" in text_cells[0].source
    default = nbformat.read(paths(built)["student"], as_version=4)
    assert not [c for c in default.cells if c.get("id") == "source-text"]


def test_teacher_files_live_apart_from_student_files(built):
    student_side = [p for p in built.iterdir() if p.is_file()]
    assert {p.name for p in student_side} == {"six_party_talks_2003.ipynb", "six_party_talks_2003.exam.ipynb"}
    assert {p.name for p in (built / "teacher").iterdir()} == {
        "six_party_talks_2003.solutions.ipynb", "six_party_talks_2003.nbgrader.ipynb", "six_party_talks_2003.key.json"}


def test_student_notebooks_carry_no_readable_answers(built, talks_bank):
    key = json.loads(paths(built)["key"].read_text(encoding="utf-8"))
    student = paths(built)["student"].read_text(encoding="utf-8")
    exam = paths(built)["exam"].read_text(encoding="utf-8")
    for e in key["questions"]:
        if e["type"] in ("short", "cloze"):
            # answers may appear inside other questions' wording, but never as solutions in answer cells
            assert f"= {json.dumps(e['correct'][0])}" not in student
    assert "hashes" in student and "def check" in student
    assert "hashes" not in exam and "check()" not in exam and "_QG_DATA" not in exam
    for e in key["questions"]:
        assert f'{e["var"]} = None' in exam


def test_each_answer_cell_names_its_question_and_expected_form(built):
    nb = nbformat.read(paths(built)["student"], as_version=4)
    answer_cells = [c for c in nb.cells if c.metadata.get("quizgen", {}).get("role") == "answer"]
    key = json.loads(paths(built)["key"].read_text(encoding="utf-8"))
    assert [c.metadata["quizgen"]["question_id"] for c in answer_cells] == [e["id"] for e in key["questions"]]
    forms = {"mcq": 'a letter, e.g. "B"', "tf": "True or False", "ordering": "list of letters", "matching": "a dict"}
    for c, e in zip(answer_cells, key["questions"]):
        assert c.source.startswith(f"{e['var']} = None  # your answer:")
        if e["type"] in forms:
            assert forms[e["type"]] in c.source


def test_quiz_covers_every_type_without_answering_itself(talks_bank):
    quiz = select_quiz(talks_bank)
    types = {i.question.type for i in quiz.items}
    assert types == {"mcq", "tf", "short", "cloze", "matching", "ordering", "numeric"}
    facts = [f for i in quiz.items for f in i.question.fact_ids]
    assert len(facts) == len(set(facts)), "a fact is asked twice in one quiz"


def test_quiz_questions_rarely_give_each_other_away(all_packs):
    from quizgen.generate import build_bank
    from quizgen.quiz import leaks

    for pack in all_packs:
        items = [i.question for i in select_quiz(build_bank(pack)).items]
        given_away = [(a.id, b.id) for a in items for b in items if leaks(a, b)]
        # where every form of a fact names another fact's answer, one such pair can remain
        assert len(given_away) <= len(items) // 20, given_away


def test_unanswered_student_notebook_runs_in_a_real_kernel(built):
    nb = run_kernel(paths(built)["student"])
    out = text_output(nb)
    assert "not answered yet" in out and "0 of" in out


def test_solutions_check_all_right_and_a_wrong_answer_is_caught(built):
    key = json.loads(paths(built)["key"].read_text(encoding="utf-8"))
    n = len(key["questions"])
    nb = run_kernel(paths(built)["solutions"])
    assert f"{n} of {n} right" in text_output(nb)
    mcq = next(e for e in key["questions"] if e["type"] == "mcq")
    wrong = next(letter for letter in "ABCD" if letter != mcq["correct"])
    nb = run_kernel(paths(built)["solutions"], {mcq["var"]: repr(wrong)})
    out = text_output(nb)
    assert f"{n - 1} of {n} right" in out and f"{mcq['var']}: not right yet" in out


def test_exam_notebook_runs_and_has_no_check(built):
    nb = run_kernel(paths(built)["exam"])
    assert not any("check" in c.source for c in nb.cells if c.cell_type == "code")


# ---- grading -------------------------------------------------------------------------------

def _answers(key: dict) -> dict[str, str]:
    return {e["var"]: _literal(e) for e in key["questions"]}


def _literal(e: dict) -> str:
    c = e["correct"]
    if e["type"] in ("short", "cloze"):
        return json.dumps(c[0])
    if e["type"] == "numeric":
        return repr(c["value"])
    return repr(c)


def _submission(template: Path, target: Path, edit=None) -> Path:
    nb = json.loads(template.read_text(encoding="utf-8"))
    if edit:
        nb = edit(nb) or nb
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb), encoding="utf-8")
    return target


def _set(nb: dict, var: str, source: str) -> dict:
    for c in nb["cells"]:
        if c.get("metadata", {}).get("quizgen", {}).get("var") == var:
            c["source"] = source
    return nb


def _grade(cli, key_path: Path, *subs: Path, out: Path):
    result = cli("grade", key_path, *subs, "-o", out / "grades.csv")
    assert result.code == 0, result
    import pandas as pd

    wide = pd.read_csv(out / "grades.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    long = pd.read_csv(out / "grades_long.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return result, wide.set_index("student"), long


def test_grading_solutions_gives_full_marks_and_known_wrong_answers_exact_score(cli, built, tmp_path):
    p = paths(built)
    key = json.loads(p["key"].read_text(encoding="utf-8"))
    sols = _submission(p["solutions"], tmp_path / "subs" / "ada.ipynb")
    # wrong answers on every third question, computed from the key, not hard-coded
    wrong_vars = [e["var"] for e in key["questions"]][::3]

    def make_wrong(nb):
        for e in key["questions"]:
            if e["var"] in wrong_vars:
                _set(nb, e["var"], f"{e['var']} = {_wrong_literal(e)}")
        return nb

    bad = _submission(p["solutions"], tmp_path / "subs" / "bob.ipynb", make_wrong)
    _, wide, long = _grade(cli, p["key"], sols, bad, out=tmp_path / "out")
    assert float(wide.loc["ada", "percent"]) == 100.0
    expected = sum(e["points"] for e in key["questions"] if e["var"] not in wrong_vars)
    assert float(wide.loc["bob", "total"]) == expected
    assert set(long.columns) >= {"student", "question", "answer", "points", "reason"}
    fb = (tmp_path / "out" / "grades_feedback" / "bob.md").read_text(encoding="utf-8")
    assert "The text says" in fb and "BEGIN HIDDEN TESTS" not in fb


def _wrong_literal(e: dict) -> str:
    t, c = e["type"], e["correct"]
    if t == "mcq":
        return repr(next(x for x in "ABCD" if x != c))
    if t == "tf":
        return repr(not c)
    if t in ("short", "cloze"):
        return repr("certainly not the answer")
    if t == "numeric":
        return repr(c["value"] + 1000)
    if t == "ordering":
        return repr(list(reversed(c)) if len(set(c)) > 1 else c)
    return repr({k: "Z" for k in c})


def test_partial_credit_for_ordering_and_matching():
    from quizgen.grading import mark_answer

    order = {"type": "ordering", "correct": ["B", "C", "A"], "items": ["x", "y", "z"]}
    assert mark_answer(order, ["B", "C", "A"])[0] == 1
    assert mark_answer(order, ["B", "A", "C"])[0] == pytest.approx(1 / 3)
    assert mark_answer(order, "b, c, a")[0] == 1
    match = {"type": "matching", "correct": {"1": "C", "2": "A", "3": "B", "4": "D"}}
    assert mark_answer(match, {1: "c", 2: "a", 3: "d", 4: "b"})[0] == 0.5
    assert mark_answer(match, ["C", "A", "B", "D"])[0] == 1
    numeric = {"type": "numeric", "correct": {"value": 2003.0, "tolerance": 0.0}}
    assert mark_answer(numeric, "2003")[0] == 1 and mark_answer(numeric, 2004)[0] == 0
    mcq = {"type": "mcq", "correct": "B", "options": ["Paris", "Beijing", "Rome", "Oslo"]}
    assert mark_answer(mcq, " b ")[0] == 1 and mark_answer(mcq, "beijing")[0] == 1 and mark_answer(mcq, "A")[0] == 0


HOSTILE = {
    "pwned": lambda nb, v, q: _set(nb, v, f'{v} = __import__("os").system("touch {q}")'),
    "call": lambda nb, v, q: _set(nb, v, f"{v} = get_answer()"),
    "syntax": lambda nb, v, q: _set(nb, v, f"{v} = 'B'\nthis is not python("),
    "deleted": lambda nb, v, q: {**nb, "cells": [c for c in nb["cells"] if c.get("metadata", {}).get("quizgen", {}).get("var") != v]},
    "huge": lambda nb, v, q: _set(nb, v, f"{v} = '" + "x" * 50_000_000 + "'"),
    "nested": lambda nb, v, q: _set(nb, v, f"{v} = " + "[" * 30_000 + "]" * 30_000),
    "redefine": lambda nb, v, q: {**_set(nb, v, f"{v} = 'B'\ndef check():\n    return True\n"),
                                  "metadata": {**nb["metadata"], "quizgen": {**nb["metadata"]["quizgen"], "role": "solutions"}}},
}


def test_hostile_submissions_are_graded_and_nothing_runs(cli, built, tmp_path):
    p = paths(built)
    key = json.loads(p["key"].read_text(encoding="utf-8"))
    first = key["questions"][0]
    var = first["var"]
    marker = tmp_path / "pwned"
    subs_dir = tmp_path / "submitted"
    for name, edit in HOSTILE.items():
        _submission(p["solutions"], subs_dir / f"{name}.ipynb", lambda nb, e=edit: e(nb, var, marker))
    # answer moved to another cell, and duplicated: still found, the last one counts
    def moved(nb):
        cells = nb["cells"]
        src = next(c for c in cells if c.get("metadata", {}).get("quizgen", {}).get("var") == var)
        cells.remove(src)
        cells.append({"cell_type": "code", "metadata": {}, "source": src["source"], "outputs": [], "execution_count": None, "id": "moved"})
        return nb

    def duplicated(nb):
        nb["cells"].append({"cell_type": "code", "metadata": {}, "source": f"{var} = {_wrong_literal(first)}", "outputs": [],
                            "execution_count": None, "id": "dup"})
        return nb

    _submission(p["solutions"], subs_dir / "moved.ipynb", moved)
    _submission(p["solutions"], subs_dir / "duplicated.ipynb", duplicated)
    (subs_dir / "invalid.ipynb").write_text("{not json", encoding="utf-8")
    (subs_dir / "empty.ipynb").write_bytes(b"")
    (subs_dir / "binary.ipynb").write_bytes(os.urandom(2048) + b"\x00\xff")
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": f"{e['var']} = {_literal(e)}", "metadata": {}} for e in key["questions"]]}]}
    (subs_dir / "old_format.ipynb").write_text(json.dumps(v3), encoding="utf-8")
    other = json.loads(p["solutions"].read_text(encoding="utf-8"))
    other["metadata"]["quizgen"]["quiz_id"] = "another_quiz:123"
    (subs_dir / "other_quiz.ipynb").write_text(json.dumps(other), encoding="utf-8")
    (subs_dir / "Zoë 学生").mkdir()
    _submission(p["solutions"], subs_dir / "Zoë 学生" / "quiz.ipynb")

    out = tmp_path / "out"
    result, wide, long = _grade(cli, p["key"], subs_dir, out=out)
    assert not marker.exists(), "student code ran"
    full = key["max_points"]
    def score(s):
        return float(wide.loc[s, "total"])

    def reason(s, qid=first["id"]):
        return long[(long.student == s) & (long.question == qid)].reason.iloc[0]

    assert reason("pwned") == reason("call") == "not a plain value (the grader runs no code)"
    assert score("pwned") == full - first["points"]
    assert reason("syntax").startswith("syntax error in the answer cell") and score("syntax") == full - first["points"]
    assert reason("deleted") == "no answer" and score("deleted") == full - first["points"]
    assert "too large" in reason("huge") and score("huge") == full - first["points"]
    assert "not a plain value" in reason("nested")
    assert score("redefine") == full if first["correct"] == "B" else score("redefine") == full - first["points"]
    assert score("moved") == full
    assert score("duplicated") == full - first["points"]
    assert "the last one counts" in long[(long.student == "duplicated") & (long.question == first["id"])].note.iloc[0]
    assert score("old_format") == full
    for bad, phrase in (("invalid", "invalid JSON"), ("empty", "empty file"), ("binary", "not a notebook"), ("other_quiz", "different quiz")):
        assert score(bad) == 0 and phrase in reason(bad), bad
    assert score("Zoë 学生") == full
    feedback = {f.name for f in (out / "grades_feedback").iterdir()}
    assert "Zoë_学生.md" in feedback
    assert all((out / "grades_feedback" / f).resolve().parent == (out / "grades_feedback").resolve() for f in feedback)
    assert "Mean" in result.out and "Hardest questions" in result.out


def test_student_id_from_nbgrader_layout_and_unsafe_names(tmp_path):
    from quizgen.grading import collect, safe_name

    f = tmp_path / "course" / "submitted" / "alice" / "quiz1" / "quiz.ipynb"
    f.parent.mkdir(parents=True)
    f.write_text("{}")
    assert collect([tmp_path / "course"]) == [("alice", f)]
    assert "/" not in safe_name("../../etc") and not safe_name("../../etc").startswith(".")
    assert safe_name("..") == "student"


def test_student_id_like_a_path_writes_nothing_outside(built, tmp_path, monkeypatch):
    from quizgen import grading

    sub = _submission(paths(built)["solutions"], tmp_path / "in" / "a.ipynb")
    monkeypatch.setattr(grading, "student_id_for", lambda path, root: "../../etc/passwd")
    out = tmp_path / "deep" / "out"
    result = grading.grade_all(paths(built)["key"], [sub], out / "grades.csv")
    assert result.submissions[0].student == "../../etc/passwd"
    written = [w.path.resolve() for w in result.written]
    assert all(str(p).startswith(str(out.resolve())) for p in written)
    assert not (tmp_path / "etc").exists() and not (tmp_path / "deep" / "etc").exists()


def test_bad_key_and_missing_submission_are_clear_errors(cli, built, tmp_path):
    bad_key = tmp_path / "key.json"
    bad_key.write_text("{}")
    r = cli("grade", bad_key, tmp_path, "-o", tmp_path / "g.csv")
    assert r.code == 1 and "expected a quizgen answer key" in r.err
    r = cli("grade", paths(built)["key"], tmp_path / "nothing_here", "-o", tmp_path / "g.csv")
    assert r.code == 1 and "submission not found" in r.err and not (tmp_path / "g.csv").exists()


def test_nbgrader_source_metadata(built):
    nb = nbformat.read(paths(built)["nbgrader"], as_version=4)
    grade_ids = []
    for c in nb.cells:
        m = c.metadata["nbgrader"]
        assert m["schema_version"] == 3 and set(m) <= {"schema_version", "grade", "solution", "locked", "grade_id", "points"}
        grade_ids.append(m["grade_id"])
        if m["solution"]:
            assert "### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source
        if m["grade"]:
            assert m["locked"] and m["points"] > 0 and "### BEGIN HIDDEN TESTS" in c.source
    assert len(grade_ids) == len(set(grade_ids))


@pytest.mark.slow
def test_nbgrader_round_trip(built, tmp_path):
    """generate_assignment on the source notebook, then a correct submission autograded by nbgrader scores full marks."""
    pytest.importorskip("nbgrader")
    import shutil
    import subprocess
    import sys

    course = tmp_path / "course"
    (course / "source" / "quiz").mkdir(parents=True)
    shutil.copy(paths(built)["nbgrader"], course / "source" / "quiz" / "quiz.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'test'\nc.CourseDirectory.db_url = 'sqlite:///gradebook.db'\n")

    def nbgrader(*args):
        r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        return r

    nbgrader("db", "assignment", "add", "quiz")
    nbgrader("db", "student", "add", "ada")
    nbgrader("generate_assignment", "quiz", "--force")
    released = json.loads((course / "release" / "quiz" / "quiz.ipynb").read_text(encoding="utf-8"))
    assert "BEGIN HIDDEN TESTS" not in json.dumps(released)
    key = json.loads(paths(built)["key"].read_text(encoding="utf-8"))
    answers = _answers(key)
    for cell in released["cells"]:
        var = cell.get("metadata", {}).get("quizgen", {}).get("var")
        if var:
            cell["source"] = f"{var} = {answers[var]}"
    sub = course / "submitted" / "ada" / "quiz"
    sub.mkdir(parents=True)
    (sub / "quiz.ipynb").write_text(json.dumps(released), encoding="utf-8")
    (sub / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    nbgrader("autograde", "quiz", "--student", "ada", "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub_nb = gb.find_submission("quiz", "ada")
        assert sub_nb.score == sub_nb.max_score == key["max_points"]
