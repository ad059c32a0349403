"""Notebook writer: student quiz (with optional self-check), solutions, nbgrader source, and the answer key."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .. import nbjson as nbformat  # nbformat's calls, without its import cost (see quizgen/nbjson.py)
from ..nbjson import v4

from ..answer_canon import normalise_answer
from ..atomic import Written, write_text
from ..bank import TYPE_LABELS, Bank, stable_hash
from ..errors import plural
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
    return "\n".join([f"# {md(quiz.title)}: {kind.lower()}", "", f"{plural(len(quiz.items), 'question')}, {plural(sum(i.question.points for i in quiz.items), 'point')}.", "",
                      "## How to answer", "", *[f"- {h}" for h in how], "", "## How it is graded", "", grading, "", source]) + "\n"


_SELF_CHECK_TEMPLATE = '''# Self-check (run this cell once). It holds no answers, only salted fingerprints of them.
import json as _json
_QG_SOURCE = {source}
_QG_DATA = _json.loads({data})
_qg = {{}}
exec(compile(_QG_SOURCE, "quizgen_self_check", "exec"), _qg)


def check():
    """Say, for each question, whether your current answer is right."""
    answers = globals()
    right = 0
    for q in _QG_DATA["questions"]:
        value = answers.get(q["var"])
        if value is None:
            print(f"{{q['var']}}: not answered yet")
            continue
        forms = _qg["canonical"](q["type"], value, q.get("options", ()))
        ok = any(_qg["digest"](_QG_DATA["salt"], q["id"], f) in q["hashes"] for f in forms)
        right += ok
        print(f"{{q['var']}}: {{'right' if ok else 'not right yet'}}")
    print(f"{{right}} of {{len(_QG_DATA['questions'])}} right")
'''


def _self_check_source(key: dict) -> str:
    from .. import answer_canon

    canon_source = Path(answer_canon.__file__).read_text(encoding="utf-8")
    payload = json.dumps(self_check_payload(key), ensure_ascii=True, separators=(",", ":"))
    return _SELF_CHECK_TEMPLATE.format(source=repr(canon_source), data=repr(payload))


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


_NBGRADER_HELPER = '''# Helper for the hidden tests (no answers here).
import re as _re
import unicodedata as _ud


def _qg_norm(value):
    text = _ud.normalize("NFKC", str(value)).casefold().replace("-", " ")
    text = _re.sub(r"[^\\w\\s]", "", text)
    text = _re.sub(r"\\s+", " ", text).strip()
    return _re.sub(r"^(the|a|an)\\s+", "", text)
'''


def _nbgrader_test(entry: dict, var: str) -> str:
    t, c = entry["type"], entry["correct"]
    if t == "mcq":
        cond = f'str({var}).strip().rstrip(".)").upper() == {c!r} or _qg_norm({var}) == {normalise_answer(entry["options"]["ABCDEF".index(c)])!r}'
    elif t == "tf":
        cond = f"{var} is {c!r} or str({var}).strip().lower() == {str(c).lower()!r}"
    elif t in ("short", "cloze"):
        accepted = sorted({normalise_answer(a) for a in c})
        cond = f"_qg_norm({var}) in {accepted!r}"
    elif t == "numeric":
        cond = f'abs(float(str({var}).replace(",", "")) - {c["value"]!r}) <= {c["tolerance"]!r}'
    elif t == "ordering":
        cond = f"[str(x).strip().upper() for x in {var}] == {c!r}"
    else:
        cond = f"{{int(k): str(v).strip().upper() for k, v in dict({var}).items()}} == {{int(k): v for k, v in {c!r}.items()}}"
    return f"### BEGIN HIDDEN TESTS\nassert {cond}, \"{var} is not right\"\n### END HIDDEN TESTS\n"


def nbgrader_notebook(quiz: Quiz, key: dict) -> nbformat.NotebookNode:
    """The quiz in nbgrader's source format (schema 3): solution cells, and locked hidden-test cells."""
    def meta(grade_id: str, grade: bool = False, solution: bool = False, locked: bool = False, points: int | None = None) -> dict:
        m = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id}
        if grade:
            m["points"] = points
        return {"nbgrader": m}

    cells = [v4.new_markdown_cell(_intro(quiz, False, False), id="intro", metadata=meta("intro", locked=True)),
             v4.new_code_cell(_NBGRADER_HELPER, id="helper", metadata=meta("helper", locked=True))]
    entries = {e["id"]: e for e in key["questions"]}
    total = len(quiz.items)
    for n, item in enumerate(quiz.items, 1):
        q, var = item.question, item.var
        cells.append(v4.new_markdown_cell(_question_markdown(n, item, total), id=cell_id(item.qid, "q"), metadata=meta(f"{var}-prompt", locked=True)))
        answer_meta = meta(f"{var}-answer", solution=True)
        answer_meta["quizgen"] = {"qid": item.qid, "var": var, "role": "answer"}
        cells.append(v4.new_code_cell(f"### BEGIN SOLUTION\n{var} = {solution_literal(q)}\n### END SOLUTION", id=cell_id(item.qid, "answer"),
                                      metadata=answer_meta))
        cells.append(v4.new_code_cell(_nbgrader_test(entries[q.id], var), id=cell_id(item.qid, "test"),
                                      metadata=meta(f"{var}-test", grade=True, locked=True, points=q.points)))
    return _notebook(cells, quiz, "nbgrader-source")


def render_notebooks(bank: Bank, out: Path, self_check: bool = True, include_text: bool = False,
                     source_text: str | None = None, exam_too: bool = False, all_questions: bool = False,
                     quiz: Quiz | None = None) -> dict[Path, str]:
    """Every notebook file for one source's bank, as path -> text (nothing written); quiz: a selection already made."""
    quiz = quiz if quiz is not None else select_quiz(bank, all_questions=all_questions)
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
