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
            assert f"= {json.dumps(e['correct']['accepted'][0])}" not in student
    assert "_QG_DATA" in student and "def check" in student
    assert "check()" not in exam and "_QG_DATA" not in exam and "quizgen_marking" not in exam
    for e in key["questions"]:
        assert f'{e["var"]} = None' in exam


def test_each_answer_cell_names_its_question_and_expected_form(built):
    nb = nbformat.read(paths(built)["student"], as_version=4)
    answer_cells = [c for c in nb.cells if c.metadata.get("quizgen", {}).get("role") == "answer"]
    key = json.loads(paths(built)["key"].read_text(encoding="utf-8"))
    assert [c.metadata["quizgen"]["qid"] for c in answer_cells] == [e["qid"] for e in key["questions"]]
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
