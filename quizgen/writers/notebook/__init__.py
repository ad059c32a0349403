"""Quiz notebooks: the practice and exam notebooks students get, a version per student, the solutions, the nbgrader
source and the answer key. Students need only Jupyter: the set-up cell carries quizgen's reader and marking rules."""
from __future__ import annotations

import json
from pathlib import Path

from ...atomic import Written, write_text
from ...bank import Bank
from ...quiz import Quiz, answer_key, select_quiz, solution_literal, version_entries
from . import markdown as pages
from . import document
from .document import LOCKED, cell_id, code_cell, markdown_cell, md, notebook
from .nbgrader import nbgrader_notebook
from .setup_cell import setup_data, setup_source

__all__ = ["student_notebook", "nbgrader_notebook", "render_notebooks", "write_notebooks", "find_source_text", "md", "cell_id"]

ROLES = ("practice", "exam", "solutions")


def student_notebook(quiz: Quiz, key: dict, role: str = "practice", source_text: str | None = None, student: str = "",
                     file_name: str = "") -> dict:
    """A notebook a student works in (role practice or exam; solutions: the practice notebook with the answers in).

    key: the key as this notebook shows the quiz (for a version, version_entries of the common key)."""
    if role not in ROLES:
        raise ValueError(f"role expected one of {', '.join(ROLES)}, found {role!r}")
    total_points = sum(i.question.points for i in quiz.items)
    citation = quiz.items[0].question.citation
    data = setup_data(key, role, file_name or f"{quiz.source}{'.exam' if role == 'exam' else ''}.ipynb", quiz.version)
    cells = [
        markdown_cell(pages.intro(quiz.title, citation, len(quiz.items), total_points, role, bool(source_text)), "intro", LOCKED),
        code_cell(setup_source(data), "setup", {**LOCKED, "quizgen": {"role": "setup"}}),
        markdown_cell(pages.NAME_HEADING, "name", LOCKED),
        code_cell(pages.name_source(student), "student", {"deletable": False, "quizgen": {"role": "student", "label": "Your name"}}),
    ]
    if source_text:
        cells.append(markdown_cell(pages.text_markdown(source_text), "source-text", LOCKED))
    cells.append(markdown_cell(pages.questions_heading(len(quiz.items)), "questions", LOCKED))
    total = len(quiz.items)
    for n, item in enumerate(quiz.items, 1):
        q = item.question
        cells.append(markdown_cell(pages.question_markdown(n, total, q, item.var), cell_id(item.qid, "q"), LOCKED))
        value = solution_literal(q) if role == "solutions" else "None"
        cells.append(code_cell(f"{pages.answer_comment(n)}\n{item.var} = {value}", cell_id(item.qid, "answer"),
                               {"deletable": False, "quizgen": {"qid": item.qid, "var": item.var, "role": "answer",
                                                                "label": f"Answer to question {n}"}}))
    cells.append(markdown_cell(pages.check_markdown(role), "check", LOCKED))
    cells.append(code_cell(pages.check_source(role), "run-check", {"quizgen": {"role": "check"}}))
    return notebook(cells, {"quiz_id": quiz.quiz_id, "role": role, "source": quiz.source, "version": quiz.version})


def render_notebooks(bank: Bank, out: Path, self_check: bool = True, source_text: str | None = None, exam_too: bool = False,
                     all_questions: bool = False, versions: list[tuple[str, str]] | None = None,
                     quiz: Quiz | None = None, include_text: bool = True) -> dict[Path, str]:
    """Every notebook file for one source's bank, as path -> text (nothing written).

    source_text: the text, shown in the student notebooks (None: left out). versions: (label, student) pairs, one
    exam notebook each under <out>/<source>.versions/ (students from a roster, or labels v01, v02, ... with no
    student). quiz: a selection already made (default: the bank's quiz, or every question with all_questions).
    include_text=False leaves the text out even when it is given."""
    from .versions import version_files

    source_text = source_text if include_text else None
    quiz = quiz if quiz is not None else select_quiz(bank, all_questions=all_questions)
    name = quiz.source
    teacher = out / "teacher"
    made = version_files(quiz, versions or [], out)
    key = answer_key(quiz, [f"{name}.ipynb", f"{name}.exam.ipynb", *(v.path.name for v in made)],
                     {v.label: v.section for v in made} or None)
    files: dict[Path, str] = {}
    if self_check or exam_too:
        files[out / f"{name}.ipynb"] = document.dumps(student_notebook(quiz, key, "practice", source_text))
    if not self_check or exam_too:
        files[out / f"{name}.exam.ipynb"] = document.dumps(student_notebook(quiz, key, "exam", source_text))
    for v in made:
        shown = dict(key, questions=version_entries(key, v.label))
        files[v.path] = document.dumps(student_notebook(v.quiz, shown, "exam", source_text, v.student, v.path.name))
    files[teacher / f"{name}.solutions.ipynb"] = document.dumps(student_notebook(quiz, key, "solutions", source_text))
    files[teacher / f"{name}.nbgrader.ipynb"] = document.dumps(nbgrader_notebook(quiz, key))
    files[teacher / f"{name}.key.json"] = json.dumps(key, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return files


def write_notebooks(bank: Bank, out: Path | str, self_check: bool = True, include_text: bool = True,
                    source_text: str | None = None, exam_too: bool = False,
                    versions: list[tuple[str, str]] | None = None) -> list[Written]:
    """Write every notebook file of a one-source bank. include_text: the source text goes in the student notebooks
    (found beside the source's fact file when source_text is not given; an InputError when it cannot be found)."""
    out = Path(out)
    if include_text and source_text is None:
        source_text = find_source_text(bank.sources[0] if bank.sources else "")
    files = render_notebooks(bank, out, self_check, source_text, exam_too, versions=versions, include_text=include_text)
    return [write_text(path, content, make_parents=True) for path, content in files.items()]


def find_source_text(source: str, facts_path: Path | None = None) -> str:
    """The text of a source: the file its fact file names (facts_path, or source_texts/<source>.yaml in this folder
    or the nearest folder above it that has one, as git finds its repository)."""
    from ...errors import Diagnostic, InputError
    from ...facts import load_pack
    from ...sources import SOURCE_DIR

    if facts_path is None:
        here = Path.cwd()
        found = [d / SOURCE_DIR / f"{source}.yaml" for d in (here, *here.parents) if (d / SOURCE_DIR / f"{source}.yaml").is_file()]
        facts_path = found[0] if found else None
    if facts_path is None or not Path(facts_path).is_file():
        where = facts_path or SOURCE_DIR / f"{source}.yaml"
        raise InputError(diagnostics=[Diagnostic(str(where), message=f"the text of '{source}' is needed for the notebook, but its fact "
                                                                     f"file was not found (looked for {SOURCE_DIR / (source + '.yaml')} in "
                                                                     f"{Path.cwd()} and the folders above it): run from the project folder, "
                                                                     "or leave the text out with --no-text")])
    return load_pack(Path(facts_path)).text
