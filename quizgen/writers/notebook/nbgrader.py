"""The quiz in nbgrader's source format (schema 3): solution cells, and locked hidden tests that mark with quizgen's
own rules (quizgen/nbgrader_tests.py builds them)."""
from __future__ import annotations

from ...quiz import Quiz, solution_literal
from .document import cell_id, code_cell, markdown_cell, notebook
from .markdown import nbgrader_intro, question_markdown


def _meta(grade_id: str, grade: bool = False, solution: bool = False, locked: bool = False, points: int | None = None) -> dict:
    m = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id}
    if grade:
        m["points"] = points
    return {"nbgrader": m}


def nbgrader_notebook(quiz: Quiz, key: dict) -> dict:
    from ...nbgrader_tests import helper_cell_source, test_cell_source

    text = nbgrader_intro(quiz.title, quiz.items[0].question.citation, len(quiz.items), sum(i.question.points for i in quiz.items))
    cells = [markdown_cell(text, "intro", _meta("intro", locked=True)),
             code_cell(helper_cell_source(), "helper", _meta("helper", locked=True))]
    entries = {e["id"]: e for e in key["questions"]}
    total = len(quiz.items)
    for n, item in enumerate(quiz.items, 1):
        q, var = item.question, item.var
        cells.append(markdown_cell(question_markdown(n, total, q, var), cell_id(item.qid, "q"), _meta(f"{var}-prompt", locked=True)))
        answer_meta = _meta(f"{var}-answer", solution=True)
        answer_meta["quizgen"] = {"qid": item.qid, "var": var, "role": "answer"}
        cells.append(code_cell(f"### BEGIN SOLUTION\n{var} = {solution_literal(q)}\n### END SOLUTION", cell_id(item.qid, "answer"),
                               answer_meta))
        cells.append(code_cell(test_cell_source(entries[q.id]), cell_id(item.qid, "test"),
                               _meta(f"{var}-test", grade=True, locked=True, points=q.points)))
    return notebook(cells, {"quiz_id": quiz.quiz_id, "role": "nbgrader-source", "source": quiz.source, "version": ""})
