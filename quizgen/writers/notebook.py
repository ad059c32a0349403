"""Notebook writer: student quiz (with optional self-check), solutions, nbgrader source, and the answer key."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbformat import v4

from ..atomic import Written, write_text
from ..bank import TYPE_LABELS, Bank, stable_hash
from ..quiz import Quiz, answer_key, example_answer, select_quiz, self_check_payload, solution_literal

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~])")


def md(text: str) -> str:
    """Markdown-escape text so nothing in a fact renders as markup, HTML or a link."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def cell_id(*parts: str) -> str:
    raw = "-".join(re.sub(r"[^A-Za-z0-9_-]", "-", p) for p in parts)
    return raw if len(raw) <= 64 else f"{raw[:47]}-{stable_hash(raw):016x}"


def _question_markdown(n: int, item, total: int) -> str:
    q = item.question
    pts = f"{q.points} point{'s' if q.points != 1 else ''}"
    lines = [f"### Question {n} of {total} · {TYPE_LABELS[q.type]} ({pts})", "", md(q.prompt), ""]
    if q.type == "mcq":
        lines += [f"- **{'ABCDEF'[i]}.** {md(o)}" for i, o in enumerate(q.options)]
    elif q.type == "ordering":
        lines += [f"- **{letter}.** {md(text)}" for letter, text in q.shown_items()]
    elif q.type == "matching":
        lines += [f"{i}. {md(o)}" for i, o in enumerate(q.options, 1)] + [""]
        lines += [f"- **{letter}.** {md(text)}" for letter, text in q.shown_items()]
    elif q.type == "tf":
        lines += ["*True or false?*"]
    elif q.type == "numeric" and q.unit:
        lines += [f"*Answer in {md(q.unit)}.*"]
    lines += ["", f"Write your answer in the cell below, as the value of `{item.var}`."]
    return "\n".join(lines).rstrip() + "\n"


def _intro(quiz: Quiz, self_check: bool, exam: bool) -> str:
    c = quiz.items[0].question.citation
    grading = ("Your answers are read as plain values and marked automatically; none of your code is run by the grader. "
               "Ordering and matching questions earn part marks for each item placed right.")
    how = ['Answer each question by replacing `None` with your answer: a letter in quotes for multiple choice (`"B"`), '
           "`True` or `False`, text in quotes, a number, a list of letters for ordering, or a dict for matching.",
           "Keep the variable names (`q01`, `q02`, ...) as they are, and save the notebook before handing it in."]
    if self_check:
        how.append("Run the **self-check** cell below once, then run `check()` (in the last cell) whenever you like to see which answers are right.")
    source = f"*Source:* {md(c.title)}, {md(c.publisher)}, {md(c.date)}. {md(c.license)}."
    kind = "Exam" if exam else "Practice quiz"
    return "\n".join([f"# {md(quiz.title)}: {kind.lower()}", "", f"{len(quiz.items)} questions, {sum(i.question.points for i in quiz.items)} points.", "",
                      "## How to answer", "", *[f"- {h}" for h in how], "", "## How it is graded", "", grading, "", source]) + "\n"


_SELF_CHECK_TEMPLATE = '''# Self-check (run this cell once). It holds no answers, only salted fingerprints of them.
import json as _json, zlib as _zlib
_qg = {{"__name__": "quizgen_marking"}}
exec(compile(_zlib.decompress(bytes.fromhex({source})).decode("utf-8"), "quizgen_marking", "exec"), _qg)
_QG_DATA = _json.loads({data})


def check():
    """Say, for each question, whether your current answer is right."""
    answers = globals()
    right = 0
    for q in _QG_DATA["questions"]:
        value = answers.get(q["var"])
        if value is None:
            print(f"{{q['var']}}: not answered yet")
            continue
        verdict = _qg["judge"](q, value)
        right += verdict.fraction == 1
        state = "right" if verdict.fraction == 1 else "part marks" if verdict.fraction else "not right yet"
        hint = "" if verdict.fraction == 1 or verdict.reason in ("not right", "not the right option") else f" ({{verdict.reason}})"
        print(f"{{q['var']}}: {{state}}{{hint}}")
    print(f"{{right}} of {{len(_QG_DATA['questions'])}} right")
'''


def _self_check_source(key: dict) -> str:
    from ..nbgrader_tests import marking_source, packed

    payload = json.dumps(self_check_payload(key), ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return _SELF_CHECK_TEMPLATE.format(source=repr(packed(marking_source())), data=repr(payload))


def _notebook(cells, quiz: Quiz, role: str) -> nbformat.NotebookNode:
    nb = v4.new_notebook(cells=cells)
    nb.nbformat_minor = 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "quizgen": {"quiz_id": quiz.quiz_id, "source": quiz.source, "role": role},
    }
    return nb


def student_notebook(quiz: Quiz, key: dict, self_check: bool = True, source_text: str | None = None,
                     solutions: bool = False) -> nbformat.NotebookNode:
    exam = not self_check
    cells = [v4.new_markdown_cell(_intro(quiz, self_check, exam), id="intro", metadata={"editable": False, "deletable": False})]
    if source_text:
        cells.append(v4.new_markdown_cell("## The text\n\n" + "\n\n".join(md(p) for p in source_text.strip().split("\n\n")) + "\n",
                                          id="source-text", metadata={"editable": False, "deletable": False}))
    if self_check:
        cells.append(v4.new_code_cell(_self_check_source(key), id="self-check",
                                      metadata={"editable": False, "deletable": False, "jupyter": {"source_hidden": True},
                                                "quizgen": {"role": "self-check"}}))
    total = len(quiz.items)
    for n, item in enumerate(quiz.items, 1):
        q = item.question
        cells.append(v4.new_markdown_cell(_question_markdown(n, item, total), id=cell_id(item.qid, "q"),
                                          metadata={"editable": False, "deletable": False}))
        value = solution_literal(q) if solutions else "None"
        cells.append(v4.new_code_cell(f"{item.var} = {value}  # your answer: {example_answer(q)}", id=cell_id(item.qid, "answer"),
                                      metadata={"quizgen": {"qid": item.qid, "var": item.var, "role": "answer"}}))
    if self_check:
        cells.append(v4.new_code_cell("check()", id="run-check", metadata={"quizgen": {"role": "run-check"}}))
    return _notebook(cells, quiz, "solutions" if solutions else ("student" if self_check else "exam"))


def nbgrader_notebook(quiz: Quiz, key: dict) -> nbformat.NotebookNode:
    """The quiz in nbgrader's source format (schema 3): solution cells, and locked hidden-test cells that mark with
    quizgen's own rules (quizgen/nbgrader_tests.py)."""
    from ..nbgrader_tests import helper_cell_source, test_cell_source

    def meta(grade_id: str, grade: bool = False, solution: bool = False, locked: bool = False, points: int | None = None) -> dict:
        m = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id}
        if grade:
            m["points"] = points
        return {"nbgrader": m}

    cells = [v4.new_markdown_cell(_intro(quiz, False, False), id="intro", metadata=meta("intro", locked=True)),
             v4.new_code_cell(helper_cell_source(), id="helper", metadata=meta("helper", locked=True))]
    entries = {e["id"]: e for e in key["questions"]}
    total = len(quiz.items)
    for n, item in enumerate(quiz.items, 1):
        q, var = item.question, item.var
        cells.append(v4.new_markdown_cell(_question_markdown(n, item, total), id=cell_id(item.qid, "q"), metadata=meta(f"{var}-prompt", locked=True)))
        answer_meta = meta(f"{var}-answer", solution=True)
        answer_meta["quizgen"] = {"qid": item.qid, "var": var, "role": "answer"}
        cells.append(v4.new_code_cell(f"### BEGIN SOLUTION\n{var} = {solution_literal(q)}\n### END SOLUTION", id=cell_id(item.qid, "answer"),
                                      metadata=answer_meta))
        cells.append(v4.new_code_cell(test_cell_source(entries[q.id]), id=cell_id(item.qid, "test"),
                                      metadata=meta(f"{var}-test", grade=True, locked=True, points=q.points)))
    return _notebook(cells, quiz, "nbgrader-source")


def render_notebooks(bank: Bank, out: Path, self_check: bool = True, include_text: bool = False,
                     source_text: str | None = None, exam_too: bool = False, all_questions: bool = False) -> dict[Path, str]:
    """Every notebook file for one source's bank, as path -> text (nothing written)."""
    quiz = select_quiz(bank, all_questions)
    key = answer_key(quiz)
    text = source_text if include_text else None
    name = quiz.source
    teacher = out / "teacher"
    files: dict[Path, str] = {}
    if self_check or exam_too:
        files[out / f"{name}.ipynb"] = nbformat.writes(student_notebook(quiz, key, True, text)) + "\n"
    if not self_check or exam_too:
        files[out / f"{name}.exam.ipynb"] = nbformat.writes(student_notebook(quiz, key, False, text)) + "\n"
    files[teacher / f"{name}.solutions.ipynb"] = nbformat.writes(student_notebook(quiz, key, True, text, solutions=True)) + "\n"
    files[teacher / f"{name}.nbgrader.ipynb"] = nbformat.writes(nbgrader_notebook(quiz, key)) + "\n"
    files[teacher / f"{name}.key.json"] = json.dumps(key, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return files


def write_notebooks(bank: Bank, out: Path | str, self_check: bool = True, include_text: bool = False,
                    source_text: str | None = None, exam_too: bool = False) -> list[Written]:
    out = Path(out)
    if include_text and source_text is None:
        source_text = _find_source_text(bank)
    files = render_notebooks(bank, out, self_check, include_text, source_text, exam_too)
    return [write_text(path, text, make_parents=True) for path, text in files.items()]


def _find_source_text(bank: Bank) -> str | None:
    from ..sources import source_text_for

    return source_text_for(bank.sources[0])
