"""The quiz notebooks in a real kernel (nbclient + ipykernel), as a student runs them: every slip of issue 16 runs on
and is explained; check() marks the saved file exactly as `quizgen grade` does; unsaved and unrun answers are told
apart; the set-up is idempotent; check_format() reveals nothing about correctness."""
from __future__ import annotations

import json
import keyword
import os
import re
from pathlib import Path

import nbformat
import pytest

from quizgen.nbread import BARE_NAMES
from quizgen.writers.notebook import render_notebooks
from test_grading import bare_literal, read_csv, right_literal
from test_grading import natural_literal as _natural
from test_grading import wrong_literal as _wrong
from test_notebook import NAME, one_of_each_type, role, source

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

LAST = "import json, sys\nprint('LAST=' + json.dumps(sys.modules['_quizgen'].LAST))"
PLAIN = ("right", "not right", "not the right option", "no answer")
NEEDS_THE_KEY = ("your answer says the opposite", "give one answer, not several", "shorten your answer")


@pytest.fixture(scope="module")
def quiz(tmp_path_factory, talks_bank):
    """A quiz with three multiple-choice questions and one of every other type, as practice and exam notebooks."""
    from quizgen.bank import Bank

    mcqs = [q for q in talks_bank.questions if q.type == "mcq"][:3]
    bank = Bank(tuple(mcqs) + tuple(q for q in one_of_each_type(talks_bank).questions if q.type != "mcq"), talks_bank.seed)
    out = tmp_path_factory.mktemp("quiz")
    files = render_notebooks(bank, out, exam_too=True, all_questions=True)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    key = json.loads((out / "teacher" / f"{NAME}.key.json").read_text(encoding="utf-8"))
    return {"practice": out / f"{NAME}.ipynb", "exam": out / f"{NAME}.exam.ipynb",
            "solutions": out / "teacher" / f"{NAME}.solutions.ipynb", "key_path": out / "teacher" / f"{NAME}.key.json", "key": key}


def edited(template: Path, answers: dict[str, str], student: str | None = None) -> dict:
    """The notebook with these answer cells' sources (var -> source) and student cell."""
    nb = json.loads(template.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        meta = c.get("metadata", {}).get("quizgen", {})
        if meta.get("role") == "answer" and meta.get("var") in answers:
            c["source"] = answers[meta["var"]]
        if meta.get("role") == "student" and student is not None:
            c["source"] = student
    return nb


def save(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def run_all(nb: dict, cwd: Path, extra: tuple[str, ...] = (), env: dict | None = None):
    """Run every cell in order in a fresh kernel started in cwd, as "Run All" does. A cell that ends in an error
    raises (nbclient stops there, as JupyterLab's Run All does). Returns the executed cells and the LAST data."""
    from nbclient import NotebookClient

    nb = nbformat.reads(json.dumps(nb), as_version=4)  # sources as text, as Jupyter reads a file
    for code in (*extra, LAST):
        nb.cells.append(nbformat.v4.new_code_cell(code))
    client = NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute(**({"env": env} if env else {}))
    printed = [o.get("text", "") for o in nb.cells[-1].outputs]
    last = json.loads("".join(printed).split("LAST=", 1)[1])
    return nb.cells, last


def natural_literal(e: dict) -> str:
    """The right answer as a student might write it (select-all: the letters as text, "A, C")."""
    return json.dumps(", ".join(e["correct"])) if e["type"] == "multi" else _natural(e)


def wrong_literal(e: dict) -> str:
    """A wrong answer in a form the grader reads (every letter one that is shown)."""
    if e["type"] == "multi":
        return json.dumps([x for x in "ABCDEFGHIJ"[:len(e["options"])] if x not in e["correct"]][:1])
    if e["type"] == "matching":
        letters = "ABCDEFGHIJ"[:len(e["items"])]
        return json.dumps({k: next(x for x in letters if x != v) for k, v in e["correct"].items()})
    return _wrong(e)


def seen(cell) -> str:
    """What the student sees under a cell: its output text (standard output and error)."""
    return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.get("outputs", []))


def answer_cell(cells, var: str):
    return next(c for c in cells if c.metadata.get("quizgen", {}).get("var") == var)


def by_type(key: dict, t: str, n: int = 0) -> dict:
    return [e for e in key["questions"] if e["type"] == t][n]


def a_word_of(e: dict) -> str:
    """A word of a text answer that Python would take for a name (the student forgot the quotes)."""
    words = [w for w in re.findall(r"[A-Za-z_]\w*", e["correct"]["accepted"][0])
             if not keyword.iskeyword(w) and w not in BARE_NAMES and w not in ("True", "False", "None", "In", "Out", "exit", "quit")]
    return max(words, key=len) if words else "Beijing"


# ---- the slips of issue 16 -------------------------------------------------------------------------------------

def test_every_slip_runs_on_and_is_explained_in_the_students_words(quiz, tmp_path):
    key = quiz["key"]
    mcq1, mcq2, mcq3 = (by_type(key, "mcq", i) for i in range(3))
    tf, order, num, multi, match, short, cloze = (by_type(key, t) for t in ("tf", "ordering", "numeric", "multi", "matching", "short", "cloze"))
    word = a_word_of(short)
    half = {k: (v if int(k) <= len(match["correct"]) // 2 else next(x for x in "ABCDEFG" if x != v)) for k, v in match["correct"].items()}
    lines = {
        mcq1["var"]: f"{mcq1['var']} = {mcq1['correct']}",                                    # q03 = B
        mcq2["var"]: f"{mcq2['var']} = {json.dumps(mcq2['correct'] + '. ' + mcq2['options']['ABCDEF'.index(mcq2['correct'])])}",
        mcq3["var"]: f"{mcq3['var']} = {mcq3['correct']}. {mcq3['options'][0]}",             # letter and text, no quotes
        tf["var"]: f"{tf['var']} = {'true' if tf['correct'] else 'false'}",                     # q02 = true
        order["var"]: f"{order['var']} = [{', '.join(order['correct'])}]",                       # q35 = [B, C, A]
        num["var"]: f"{num['var']} = {natural_literal(num)}",                                  # "6 nations"
        multi["var"]: f"{multi['var']} = {json.dumps(', '.join(multi['correct']))}",          # "A, C"
        match["var"]: f"{match['var']} = {json.dumps(half)}",                                  # part marks
        short["var"]: f"{short['var']} = {word}",                                              # no quotes: NameError
        cloze["var"]: f"{cloze['var']} = \"{cloze['correct']['accepted'][0]}",                # no closing quote
    }
    nb = edited(quiz["practice"], {v: f"# Answer\n{line}" for v, line in lines.items()}, student="student = Ada")
    cells, last = run_all(nb, save(nb, tmp_path / f"{NAME}.ipynb").parent)   # raises if any cell stops Run All

    assert 'ready' in seen(cells[1])
    assert seen(answer_cell(cells, short["var"])) == \
        f'{short["var"]} was not set: {short["var"]} = {word} refers to a variable: put the answer in quotes, {short["var"]} = "{word}".\n'
    told = seen(answer_cell(cells, cloze["var"]))
    assert "syntax error on line 2 (unterminated string literal)" in told and "none of it ran" in told
    assert f'Put the answer in quotes: {cloze["var"]} = "{cloze["correct"]["accepted"][0]}"' in told
    told = seen(answer_cell(cells, mcq3["var"]))
    assert "syntax error" in told and f'Put the answer in quotes: {mcq3["var"]} = "{mcq3["correct"]}. ' in told
    assert seen(next(c for c in cells if c.metadata.get("quizgen", {}).get("role") == "student")).startswith(
        'student was not set: student = Ada refers to a variable: put the answer in quotes, student = "Ada"')
    for var in (mcq1["var"], mcq2["var"], tf["var"], order["var"], num["var"], multi["var"], match["var"]):
        assert seen(answer_cell(cells, var)) == "", var

    results = last["results"]
    for var in (mcq1["var"], mcq2["var"], tf["var"], order["var"], num["var"], multi["var"]):
        assert results[var]["state"] == "right", (var, results[var])
    assert results[match["var"]]["state"] == "part" and 0 < results[match["var"]]["points"] < 1
    for var in (short["var"], cloze["var"], mcq3["var"]):
        assert results[var]["state"] == "unreadable", (var, results[var])
    summary = seen(cells[-2])
    assert summary.startswith(f"Checked {NAME}.ipynb as saved at ")
    assert "Student: not given yet" in summary and "Score: " in summary and "Part marks (1): " in summary
    assert f"The grader cannot read (3):" in summary and f"Put the answer in quotes: {short['var']}" not in summary
    assert len(summary.strip().split("\n")) <= 10, summary


def test_an_unanswered_practice_notebook_runs_and_lists_what_is_open(quiz, tmp_path):
    nb = json.loads(quiz["practice"].read_text(encoding="utf-8"))
    cells, last = run_all(nb, save(nb, tmp_path / f"{NAME}.ipynb").parent)
    n = len(quiz["key"]["questions"])
    assert f"Not answered yet ({n}): " in seen(cells[-2]) and f"Score: 0 of {n} points." in seen(cells[-2])


def test_solutions_check_all_right_and_a_wrong_answer_is_caught(quiz, tmp_path):
    key = quiz["key"]
    n = len(key["questions"])
    nb = json.loads(quiz["solutions"].read_text(encoding="utf-8"))
    cells, _ = run_all(nb, save(nb, tmp_path / "all" / f"{NAME}.solutions.ipynb").parent)
    assert f"Score: {n} of {n} points." in seen(cells[-2]) and "All right." in seen(cells[-2])
    mcq = by_type(key, "mcq")
    nb = edited(quiz["solutions"], {mcq["var"]: f"{mcq['var']} = {wrong_literal(mcq)}"})
    cells, last = run_all(nb, save(nb, tmp_path / "one" / f"{NAME}.solutions.ipynb").parent)
    assert f"Score: {n - 1} of {n} points." in seen(cells[-2]) and f"Not right yet (1): {mcq['var']}" in seen(cells[-2])


# ---- check() and quizgen grade agree ---------------------------------------------------------------------------

def submissions(key: dict) -> dict[str, dict[str, str]]:
    """Answer sets a class might hand in: natural forms, bare names, wrong answers, slips, part marks, nothing."""
    qs = key["questions"]
    slips = ['{v} = {w}', '{v} = "{w}', '{v} = q01', '{v} = "c".upper()', 'if True:\n    {v} = "B"', '{v} += "B"', '{v} = f"{{x}}"']
    part = {}
    for e in qs:
        c = e["correct"]
        if e["type"] == "matching":
            part[e["var"]] = f"{e['var']} = " + json.dumps({k: (v if k == "1" else "A" if v != "A" else "B") for k, v in c.items()})
        elif e["type"] == "ordering":
            part[e["var"]] = f"{e['var']} = " + json.dumps([c[1], c[0], *c[2:]])
        elif e["type"] == "multi":
            wrong = next(x for x in "ABCDEFG"[:len(e["options"])] if x not in c)
            part[e["var"]] = f"{e['var']} = " + json.dumps([c[0], wrong])
        elif e["type"] == "short":
            text = c["accepted"][0]
            part[e["var"]] = f"{e['var']} = " + json.dumps(text[:2] + text[3:] if len(text) >= 6 else "about " + text)
        else:
            part[e["var"]] = f"{e['var']} = {wrong_literal(e)}"
    def in_words(e: dict) -> str:
        """Number words ("six"), the option's text alone, "yes"/"no": what a student writes without reading the form."""
        c = e["correct"]
        if e["type"] == "numeric" and float(c["value"]).is_integer():
            from num2words import num2words

            return json.dumps(num2words(int(c["value"])))
        if e["type"] == "mcq":
            return json.dumps(e["options"]["ABCDEFGHIJ".index(c)])
        return natural_literal(e)

    return {
        "natural": {e["var"]: f"{e['var']} = {natural_literal(e)}" for e in qs},
        "words": {e["var"]: f"{e['var']} = {in_words(e)}" for e in qs},
        "bare": {e["var"]: f"{e['var']} = {bare_literal(e) or right_literal(e)}" for e in qs},
        "wrong": {e["var"]: f"{e['var']} = {wrong_literal(e)}" for e in qs},
        "slips": {e["var"]: slips[i % len(slips)].format(v=e["var"], w=a_word_of(e) if e["type"] in ("short", "cloze") else "B")
                  for i, e in enumerate(qs)},
        "part": part,
        "nothing": {},
    }


def test_check_gives_the_same_verdicts_as_quizgen_grade_on_the_same_files(quiz, tmp_path, cli):
    key = quiz["key"]
    folder = tmp_path / "class"
    files = {who: save(edited(quiz["practice"], answers, student=f'student = "{who}"'), folder / f"{who}.ipynb")
             for who, answers in submissions(key).items()}
    result = cli("grade", quiz["key_path"], folder, "-o", tmp_path / "grades.csv")
    assert result.code == 0, result
    graded = {(r["student"], r["var"]): r for r in read_csv(tmp_path / "grades_long.csv")}
    assert {s for s, _ in graded} == set(files)

    home = tmp_path / "student"
    practice = json.loads(quiz["practice"].read_text(encoding="utf-8"))
    calls = [f"check({str(p)!r})\nprint('LAST=' + json.dumps(sys.modules['_quizgen'].LAST))" for p in files.values()]
    cells, _ = run_all(practice, save(practice, home / f"{NAME}.ipynb").parent, extra=("import json, sys", *calls))
    exam = json.loads(quiz["exam"].read_text(encoding="utf-8"))
    formats = [f"check_format({str(p)!r})\nprint('LAST=' + json.dumps(sys.modules['_quizgen'].LAST))" for p in files.values()]
    exam_cells, _ = run_all(exam, save(exam, home / f"{NAME}.exam.ipynb").parent, extra=("import json, sys", *formats))

    def lasts(cells, n):
        return [json.loads(seen(c).split("LAST=", 1)[1]) for c in cells[-1 - n:-1]]

    disagreements = []
    for who, checked, formatted in zip(files, lasts(cells, len(files)), lasts(exam_cells, len(files))):
        assert checked["student"] == who
        for var, r in checked["results"].items():
            row = graded[(who, var)]
            if abs(r["points"] - float(row["points"])) > 1e-9:
                disagreements.append((who, var, "points", r, row["points"], row["reason"]))
            if r["state"] == "unreadable" and not r["reason"].startswith(row["reason"]):
                disagreements.append((who, var, "reason", r["reason"], row["reason"]))
            cannot_read = float(row["points"]) == 0 and row["reason"] not in PLAIN and not re.match(r"\d+ of \d+ ", row["reason"]) \
                and not row["reason"].startswith(NEEDS_THE_KEY)
            if (formatted["results"][var]["state"] == "unreadable") != cannot_read:
                disagreements.append((who, var, "format", formatted["results"][var], row["reason"]))
    assert not disagreements, disagreements
    states = {r["state"] for c in lasts(cells, len(files)) for r in c["results"].values()}
    assert states == {"right", "part", "wrong", "open", "unreadable"}, "the class covers every verdict"
    words = lasts(cells, len(files))[list(files).index("words")]["results"]
    assert all(r["state"] == "right" for r in words.values()), words


def test_check_format_says_nothing_about_correctness(quiz, tmp_path):
    key = quiz["key"]
    right = {e["var"]: f"{e['var']} = {right_literal(e)}" for e in key["questions"]}
    wrong = {e["var"]: f"{e['var']} = {wrong_literal(e)}" for e in key["questions"]}
    said = []
    for name, answers in (("right", right), ("wrong", wrong)):
        nb = edited(quiz["exam"], answers)
        cells, last = run_all(nb, save(nb, tmp_path / name / f"{NAME}.exam.ipynb").parent)
        said.append(re.sub(r"saved at \d\d:\d\d:\d\d", "saved at T", seen(cells[-2])))
        assert all(r["state"] == "readable" for r in last["results"].values()), [(v, r) for v, r in last["results"].items() if r["state"] != "readable"]
    assert said[0] == said[1]
    assert f"The grader can read {len(key['questions'])} of {len(key['questions'])} answers" in said[0]


# ---- saved, run, and where the file is ---------------------------------------------------------------------------

def test_saved_but_not_run_and_run_but_not_saved_each_get_the_right_message(quiz, tmp_path):
    key = quiz["key"]
    saved_only, ran_only = by_type(key, "mcq", 0), by_type(key, "tf")
    start = json.loads(quiz["practice"].read_text(encoding="utf-8"))
    path = save(start, tmp_path / f"{NAME}.ipynb")
    # the student runs everything, then types an answer and saves without running it, then types another answer
    # and runs it without saving; then runs check()
    saved = edited(quiz["practice"], {saved_only["var"]: f"{saved_only['var']} = {right_literal(saved_only)}"})
    steps = ("import time; time.sleep(0.2)",
             f"open({str(path)!r}, 'w', encoding='utf-8').write({json.dumps(saved)!r}); time.sleep(0.2)",
             f"{ran_only['var']} = {right_literal(ran_only)}",
             "check()")
    cells, last = run_all(start, path.parent, extra=steps)
    said = seen(cells[-2])
    assert last["unsaved"] == [ran_only["var"]] and last["unrun"] == [saved_only["var"]], said
    assert f"Save first: what you ran for {ran_only['var']} is not in the saved file." in said
    assert f"Saved but not run (fine: the grader reads the saved file): {saved_only['var']}." in said
    assert last["results"][saved_only["var"]]["state"] == "right"       # what the grader will mark: the saved file
    assert last["results"][ran_only["var"]]["state"] == "open"
    # saved after running: nothing to say
    cells, last = run_all(saved, save(saved, tmp_path / "in-step" / f"{NAME}.ipynb").parent)
    assert last["unsaved"] == last["unrun"] == [] and "Save first" not in seen(cells[-2])


def test_check_finds_the_notebook_from_the_kernels_session_or_says_how_to_name_it(quiz, tmp_path):
    key = quiz["key"]
    mcq = by_type(key, "mcq")
    nb = edited(quiz["practice"], {mcq["var"]: f"{mcq['var']} = {right_literal(mcq)}"})
    path = save(nb, tmp_path / "work" / "renamed by the student.ipynb")
    elsewhere = tmp_path / "kernel-folder"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    cells, last = run_all(nb, elsewhere, env={**env, "JPY_SESSION_NAME": str(path)})    # as jupyter-server starts it
    assert last["file"] == str(path) and last["results"][mcq["var"]]["state"] == "right"
    cells, last = run_all(nb, elsewhere, env=env, extra=(f"__vsc_ipynb_file__ = {str(path)!r}", "check()"))   # as VS Code does
    assert last["file"] == str(path)
    cells, last = run_all(nb, elsewhere, env=env, extra=(f"check({str(path)!r})",))
    told = seen(cells[-3])
    assert "The saved notebook was not found" in told and f'check("{NAME}.ipynb") with its file name' in told
    assert last["file"] == str(path) and "Checked renamed by the student.ipynb" in seen(cells[-2])


def test_the_set_up_is_idempotent_and_defines_exactly_the_bare_names(quiz, tmp_path):
    nb = json.loads(quiz["practice"].read_text(encoding="utf-8"))
    probe = ("ip = get_ipython()\n"
             "print('GUARDS', sum(getattr(t, 'quizgen_guard', False) for t in ip.ast_transformers + ip.input_transformers_post))\n"
             f"print('NAMES', json.dumps({{n: globals()[n] for n in {sorted(BARE_NAMES)!r}}}), callable(check), callable(check_format))")
    setup = source(nb["cells"][1])
    cells, _ = run_all(nb, save(nb, tmp_path / f"{NAME}.ipynb").parent, extra=("import json", setup, setup, probe))
    assert seen(cells[1]).startswith("ready") and seen(cells[-4]).startswith("ready") and seen(cells[-3]).startswith("ready")
    out = seen(cells[-2])
    assert "GUARDS 2" in out
    assert json.loads(out.split("NAMES ", 1)[1].rsplit(" True True", 1)[0]) == BARE_NAMES
    exam = json.loads(quiz["exam"].read_text(encoding="utf-8"))
    cells, _ = run_all(exam, save(exam, tmp_path / "exam" / f"{NAME}.exam.ipynb").parent,
                       extra=("print('check' in globals(), 'check_format' in globals())",))
    assert seen(cells[-2]).strip() == "False True"
