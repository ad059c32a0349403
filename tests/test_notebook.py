"""Quiz notebooks as files: valid, stable, the text in by default, clear set-up, instructions where they are needed,
an accessible structure, metadata JupyterLab leaves alone, and nothing that reveals an answer."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SOURCES
from quizgen.bank import TYPE_LABELS, Bank
from quizgen.nbread import BARE_NAMES, read_notebook
from quizgen.quiz import answer_key, select_quiz
from quizgen.writers.notebook import render_notebooks, write_notebooks
from quizgen.writers.notebook.setup_cell import format_entry

NAME = "six_party_talks_2003"


@pytest.fixture(scope="module")
def built(tmp_path_factory, talks_pack, talks_bank):
    out = tmp_path_factory.mktemp("nb")
    write_notebooks(talks_bank, out, self_check=True, exam_too=True, source_text=talks_pack.text)
    return out


def paths(out: Path) -> dict[str, Path]:
    return {"practice": out / f"{NAME}.ipynb", "exam": out / f"{NAME}.exam.ipynb",
            "solutions": out / "teacher" / f"{NAME}.solutions.ipynb", "nbgrader": out / "teacher" / f"{NAME}.nbgrader.ipynb",
            "key": out / "teacher" / f"{NAME}.key.json"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def role(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("quizgen", {}).get("role")


def one_of_each_type(bank: Bank) -> Bank:
    """A bank with one question of every type the bank has (the first by id): a quiz that shows every form."""
    chosen = {}
    for q in bank.questions:
        chosen.setdefault(q.type, q)
    return Bank(tuple(chosen.values()), bank.seed)


def setup_payload(cell: dict) -> dict:
    """The data a set-up cell carries (what its packed code hands to the runtime)."""
    import ast
    import zlib

    packed = re.search(r'fromhex\("([0-9a-f]+)"\)', source(cell)).group(1)
    boot = ast.parse(zlib.decompress(bytes.fromhex(packed)).decode("utf-8"))
    call = next(n for n in ast.walk(boot) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "setup")
    return json.loads(ast.literal_eval(call.args[0].args[0]))


def test_notebooks_are_valid_nbformat_45_with_stable_ids(built, talks_pack, talks_bank):
    for p in paths(built).values():
        if p.suffix == ".ipynb":
            nb = nbformat.read(p, as_version=4)
            nbformat.validate(nb)
            assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
            ids = [c.get("id") for c in nb.cells]
            assert all(ids) and len(set(ids)) == len(ids)
    again = render_notebooks(talks_bank, built, self_check=True, exam_too=True, source_text=talks_pack.text)
    for path, text in again.items():
        assert path.read_text(encoding="utf-8") == text


def test_the_text_is_in_by_default_found_beside_the_fact_file_wherever_the_command_runs(cli, tmp_path, project):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    facts = project / "source_texts" / f"{NAME}.yaml"
    r = cli("notebook", facts, "-o", tmp_path / "out", cwd=elsewhere)   # the issue: a fact file from another folder
    assert r.code == 0, r
    text_cells = [c for c in load(tmp_path / "out" / f"{NAME}.ipynb")["cells"] if c["id"] == "source-text"]
    assert len(text_cells) == 1 and "Deputy Foreign Minister Wang Yi" in source(text_cells[0])
    r = cli("notebook", facts, "-o", tmp_path / "bare", "--no-text", cwd=elsewhere)
    assert r.code == 0, r
    assert not [c for c in load(tmp_path / "bare" / f"{NAME}.ipynb")["cells"] if c["id"] == "source-text"]


def test_a_bank_whose_text_cannot_be_found_is_a_clear_error_and_nothing_is_written(cli, tmp_path, project, tmp_path_factory):
    r = cli("export", NAME, "-o", tmp_path / "bank.csv", cwd=project)
    assert r.code == 0, r
    bank_csv = tmp_path / "bank.csv"
    away = tmp_path_factory.mktemp("away")   # no source_texts/ here nor in any folder above
    r = cli("notebook", "--from", bank_csv, "-o", away / "out", cwd=away)
    assert r.code == 1, r
    assert "--no-text" in r.err and f"{NAME}.yaml" in r.err and "Traceback" not in r.err
    assert not (away / "out").exists()
    r = cli("notebook", "--from", bank_csv, "-o", away / "out", "--no-text", cwd=away)
    assert r.code == 0, r


def test_teacher_files_live_apart_from_student_files(built):
    assert {p.name for p in built.iterdir() if p.is_file()} == {f"{NAME}.ipynb", f"{NAME}.exam.ipynb"}
    assert {p.name for p in (built / "teacher").iterdir()} == {f"{NAME}.solutions.ipynb", f"{NAME}.nbgrader.ipynb", f"{NAME}.key.json"}


def test_student_notebooks_carry_no_readable_answers(built):
    key = load(paths(built)["key"])
    practice, exam = (paths(built)[k].read_text(encoding="utf-8") for k in ("practice", "exam"))
    for e in key["questions"]:
        if e["type"] in ("short", "cloze"):
            assert f"= {json.dumps(e['correct']['accepted'][0])}" not in practice + exam
        assert f"{e['var']} = None" in exam
    assert "evidence" not in practice and "answer_text" not in exam


def test_the_exam_set_up_holds_nothing_that_depends_on_the_answers(built, talks_bank):
    """check_format() marks against entries with every answer-derived field emptied: the same whatever the key says."""
    key = load(paths(built)["key"])
    changed = json.loads(json.dumps(key))
    for e in changed["questions"]:
        t, c = e["type"], e["correct"]
        if t == "mcq":
            e["correct"] = "A" if c != "A" else "B"
        elif t == "multi":
            e["correct"] = ["A"] if c != ["A"] else ["B"]
        elif t == "tf":
            e["correct"] = not c
        elif t == "numeric":
            c.update(value=c["value"] * 3.7 + 11, tolerance=0.5)
        elif t in ("short", "cloze"):
            c["accepted"] = ["something else entirely"]
        elif t == "ordering":
            e["correct"] = list(reversed(c))
        elif t == "matching":
            e["correct"] = {k: "A" for k in c}
    for before, after in zip(key["questions"], changed["questions"]):
        assert format_entry(before) == format_entry(after), before["var"]
    exam = load(paths(built)["exam"])
    setup = next(c for c in exam["cells"] if role(c) == "setup")
    assert len(source(setup).split("\n")) == 2, "the set-up cell is two lines: what to do, and the packed code"
    data = setup_payload(setup)
    assert data["role"] == "exam" and all("check" not in q for q in data["questions"])
    assert [q["format"] for q in data["questions"]] == [format_entry(e) for e in key["questions"]]


def test_clear_set_up_first_and_the_students_name_near_the_top(built):
    for kind in ("practice", "exam"):
        nb = load(paths(built)[kind])
        cells = nb["cells"]
        assert cells[0]["cell_type"] == "markdown" and cells[0]["id"] == "intro"
        setup = cells[1]
        assert setup["cell_type"] == "code" and role(setup) == "setup"
        assert "source_hidden" not in json.dumps(setup["metadata"]), "the set-up is visible, not folded"
        first = source(setup).split("\n")[0]
        assert first.startswith("# Set-up: run this cell first (Shift+Enter)") and '"ready"' in first and "restart" in first
        student = next(i for i, c in enumerate(cells) if role(c) == "student")
        assert student <= 4 and source(cells[student]).startswith('student = ""')
        intro = source(cells[0])
        assert "After a kernel restart" in intro and "set-up cell again" in intro
        assert ("check_format()" if kind == "exam" else "check()") in intro
        assert nb["metadata"]["quizgen"]["role"] == kind
    exam_code = [source(c) for c in load(paths(built)["exam"])["cells"] if c["cell_type"] == "code"]
    assert not any(s.startswith("check()") for s in exam_code) and any(s.startswith("check_format()") for s in exam_code)


def test_each_question_is_a_section_with_how_to_answer_in_words_and_an_example(tmp_path, talks_bank, talks_pack):
    bank = one_of_each_type(talks_bank)
    files = render_notebooks(bank, tmp_path, exam_too=True, all_questions=True, source_text=talks_pack.text)
    nb = json.loads(files[tmp_path / f"{NAME}.ipynb"])
    key = json.loads(files[tmp_path / "teacher" / f"{NAME}.key.json"])
    assert {e["type"] for e in key["questions"]} == set(TYPE_LABELS), "every type, select-all included"
    headings = [(len(m.group(1)), m.group(2)) for c in nb["cells"] if c["cell_type"] == "markdown"
                for m in re.finditer(r"^(#{1,6}) (.+)$", source(c), re.M)]
    questions_at = headings.index((2, "Questions"))
    question_headings = [i for i, (level, title) in enumerate(headings) if title.startswith("Question ")]
    assert question_headings and min(question_headings) > questions_at
    assert all(headings[i][0] == 3 for i in question_headings)
    assert all(level <= 2 for level, _ in headings[questions_at + 1:] if not _.startswith("Question "))
    answer_cells = [c for c in nb["cells"] if role(c) == "answer"]
    assert [c["metadata"]["quizgen"]["qid"] for c in answer_cells] == [e["qid"] for e in key["questions"]]
    words = {"mcq": "letter of one option", "multi": "every right option", "tf": "`True` or `False`", "numeric": "a number",
             "ordering": "first to last", "matching": "a dict", "cloze": "missing word", "short": "in quotes"}
    cells = nb["cells"]
    for n, (cell, e) in enumerate(zip(answer_cells, key["questions"]), 1):
        md_cell = source(cells[cells.index(cell) - 1])
        assert md_cell.startswith(f"### Question {n} of {len(answer_cells)}: {TYPE_LABELS[e['type']].lower()}")
        how = re.search(r"^\*\*How to answer:\*\* (.+)$", md_cell, re.M).group(1)
        assert words[e["type"]] in how and f"e.g. `{e['var']} = " in how, how
        lines = source(cell).split("\n")
        assert lines == [f"# Answer to question {n}", f"{e['var']} = None"]
        assert cell["metadata"]["quizgen"]["label"] == f"Answer to question {n}"
        if e["type"] in ("mcq", "multi"):
            shown = re.findall(r"^- \*\*([A-J])\.\*\* (.+)$", md_cell, re.M)
            assert [letter for letter, _ in shown] == list("ABCDEFGHIJ"[:len(e["options"])])
        if e["type"] == "cloze":
            assert "\\_\\_\\_\\_\\_ (blank)" in md_cell
        if e["type"] == "numeric" and e["correct"]["unit"]:
            assert f"Answer with a number of {e['correct']['unit']}, e.g. `{e['var']} = 12`" in how
            assert "Answer in" not in md_cell


def test_the_example_answer_lines_are_read_by_the_grader(tmp_path, talks_bank):
    """Every example shown is itself an answer the grader can read (the student may copy its form)."""
    from quizgen.marking import mark

    files = render_notebooks(one_of_each_type(talks_bank), tmp_path, all_questions=True)
    nb = json.loads(files[tmp_path / f"{NAME}.ipynb"])
    key = json.loads(files[tmp_path / "teacher" / f"{NAME}.key.json"])
    entries = {e["var"]: e for e in key["questions"]}
    for c in nb["cells"]:
        m = re.search(r"e\.g\. `((q\d+) = [^`]+)`", source(c)) if c["cell_type"] == "markdown" else None
        if m and m.group(2) in entries:
            line = m.group(1).replace(", ...", "")
            reading = read_notebook(json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": line}]}).encode(), list(entries))
            answer = reading.answers[m.group(2)]
            assert not answer.error, (line, answer.error)
            verdict = mark(entries[m.group(2)], answer.value)
            assert verdict.reason in ("right", "not right", "not the right option") or re.match(r"\d+ of \d+ ", verdict.reason), (line, verdict)


def test_metadata_is_what_the_kernel_reports_so_opening_changes_nothing(built):
    """JupyterLab writes the kernel's kernelspec and language_info into a notebook when its kernel starts, and marks
    the notebook modified if they differ: the notebooks carry what ipykernel reports, all but the Python version."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.kernel_info()
        reply = kc.get_shell_msg(timeout=60)["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    spec = KernelSpecManager().get_kernel_spec("python3")
    reported = {k: v for k, v in reply["language_info"].items() if k != "version"}
    for kind in ("practice", "exam", "solutions"):
        meta = load(paths(built)[kind])["metadata"]
        assert meta["language_info"] == reported
        assert meta["kernelspec"] == {"name": "python3", "display_name": spec.display_name, "language": spec.language}
        assert set(meta["quizgen"]) == {"quiz_id", "role", "source", "version"}


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
    helper = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "helper")
    assert all(f"{name} = {value!r}" in helper.source for name, value in BARE_NAMES.items())


def test_a_quiz_asks_no_fact_twice(talks_bank):
    facts = [f for i in select_quiz(talks_bank).items for f in i.question.fact_ids]
    assert len(facts) == len(set(facts)), "a fact is asked twice in one quiz"


def test_the_embedded_modules_share_one_namespace_without_clashes():
    """The set-up runs answer_forms, marking, pycells, nbread, slips, locate and the runtime as one module: no name
    may clash, and each imports only the standard library (and, when present, ipykernel and jupyter_core)."""
    import ast

    from quizgen import answer_forms, marking, nbread, pycells
    from quizgen.writers.notebook import locate, runtime, slips

    seen: dict[str, str] = {}
    for module in (answer_forms, marking, pycells, nbread, slips, locate, runtime):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in tree.body:
            names = [node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else \
                [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign) else []
            for name in names:
                assert name not in seen, f"{name} is defined in {seen[name]} and {module.__name__}"
                seen[name] = module.__name__
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and not getattr(n, "level", 0)
                    for a in (n.names if isinstance(n, ast.Import) else [ast.alias(n.module or "")])}
        assert imported <= {"ast", "glob", "json", "os", "re", "stat", "sys", "time", "hashlib", "collections", "decimal",
                            "unicodedata", "ipykernel", "jupyter_core", "urllib"}, (module.__name__, imported)
