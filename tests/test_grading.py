"""The grader on a class: hostile and careless submissions (issue 11's catalog), each with what it must get; ids,
files, exit codes, reports, overrides. Expectations come from the key the grader is given."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from quizgen.writers.notebook import write_notebooks

NAME = "six_party_talks_2003"


@pytest.fixture(scope="module")
def built(tmp_path_factory, talks_bank):
    out = tmp_path_factory.mktemp("nb")
    write_notebooks(talks_bank, out, self_check=True, exam_too=True)
    return {"student": out / f"{NAME}.ipynb", "exam": out / f"{NAME}.exam.ipynb", "solutions": out / "teacher" / f"{NAME}.solutions.ipynb",
            "nbgrader": out / "teacher" / f"{NAME}.nbgrader.ipynb", "key": out / "teacher" / f"{NAME}.key.json", "dir": out}


@pytest.fixture(scope="module")
def key(built):
    return json.loads(built["key"].read_text(encoding="utf-8"))


def right_literal(e: dict) -> str:
    c = e["correct"]
    if e["type"] in ("short", "cloze"):
        return json.dumps(c["accepted"][0])
    if e["type"] == "numeric":
        return repr(c["value"])
    return repr(c)


def wrong_literal(e: dict) -> str:
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
        return repr(list(reversed(c)))
    return repr({k: "Z" for k in c})


def natural_literal(e: dict) -> str:
    """The right answer as a student might naturally write it, not in the form the key stores it."""
    t, c = e["type"], e["correct"]
    if t == "mcq":
        return json.dumps(f"{c}. {e['options']['ABCDEF'.index(c)]}")
    if t == "tf":
        return '"yes"' if c else '"no"'
    if t in ("short", "cloze"):
        return json.dumps("to " + c["accepted"][0].upper())
    if t == "numeric":
        return json.dumps(f"{c['value']:g} {c['unit']}".strip())
    if t == "ordering":
        return json.dumps(" then ".join(c))
    return json.dumps([c[str(i)] for i in range(1, len(c) + 1)])


def bare_literal(e: dict) -> str | None:
    """Issue 16's slips: q03 = B, q02 = true, q35 = [B, C, A]."""
    t, c = e["type"], e["correct"]
    if t == "mcq":
        return c
    if t == "tf":
        return "true" if c else "false"
    if t == "ordering":
        return "[" + ", ".join(c) + "]"
    return None


def notebook(template: Path) -> dict:
    return json.loads(template.read_text(encoding="utf-8"))


def set_answer(nb: dict, var: str, source: str) -> dict:
    for c in nb["cells"]:
        if c.get("metadata", {}).get("quizgen", {}).get("var") == var:
            c["source"] = source
    return nb


def add_cell(nb: dict, source: str) -> dict:
    nb["cells"].append({"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None,
                        "id": f"x{len(nb['cells'])}"})
    return nb


def save(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def grade(cli, key_path, *subs, out: Path, extra=()):
    result = cli("grade", key_path, *subs, "-o", out / "grades.csv", *extra)
    wide = {r["student"]: r for r in read_csv(out / "grades.csv")} if (out / "grades.csv").exists() else {}
    long = read_csv(out / "grades_long.csv") if (out / "grades_long.csv").exists() else []
    return result, wide, long


def reason(long, student, var):
    return next(r for r in long if r["student"] == student and r["var"] == var)["reason"]


# ---- the hostile catalog --------------------------------------------------------------------------------------

def test_hostile_catalog_each_gets_what_it_must(cli, built, key, tmp_path):
    qs = key["questions"]
    first, full = qs[0], float(key["max_points"])
    v = first["var"]
    minus_first = full - first["points"]
    marker = tmp_path / "pwned"
    sols = built["solutions"]
    cls = tmp_path / "class"
    catalog: dict[str, tuple] = {}   # student -> (notebook edit, expected total, words expected in the first answer's reason)

    def case(student, edit, total, words=""):
        catalog[student] = (edit, total, words)

    case("pwned", lambda nb: set_answer(nb, v, f'{v} = __import__("os").system("touch {marker}")'), minus_first, "worked out by code")
    case("call", lambda nb: set_answer(nb, v, f"{v} = get_answer()"), minus_first, "worked out by code")
    case("syntax", lambda nb: set_answer(nb, v, f"{v} = 'B'\nthis is not python("), minus_first, "syntax error on line 2")
    case("deleted", lambda nb: {**nb, "cells": [c for c in nb["cells"] if c.get("metadata", {}).get("quizgen", {}).get("var") != v]},
         minus_first, "no answer")
    case("huge", lambda nb: set_answer(nb, v, f"{v} = '" + "x" * 5_000_000 + "'"), minus_first, "too long to read")
    case("quadratic", lambda nb: set_answer(nb, v, "q01:" * 25_000), minus_first, "syntax error")  # read at once, not in 45 s
    case("over_cap", lambda nb: set_answer(nb, v, "q01:" * 26_000), minus_first, "too long to read")
    case("nested", lambda nb: set_answer(nb, v, f"{v} = " + "[" * 30_000 + "]" * 30_000), minus_first, "nested more than")
    case("redefine", lambda nb: add_cell(set_answer(nb, v, f"{v} = {wrong_literal(first)}"), "def check():\n    return True\n"),
         minus_first, "")
    case("moved", lambda nb: add_cell({**nb, "cells": [c for c in nb["cells"] if c.get("metadata", {}).get("quizgen", {}).get("var") != v]},
                                      f"{v} = {right_literal(first)}"), full)
    case("duplicated", lambda nb: add_cell(nb, f"{v} = {wrong_literal(first)}"), minus_first)
    # the eleven ways check() and the grader used to disagree: each now read, or explained
    case("augmented", lambda nb: add_cell(nb, f"{v} += ''"), minus_first, "changes the answer")
    case("unpacked", lambda nb: set_answer(nb, v, f"{v}, _x = {right_literal(first)}, 1"), full)
    case("in_if", lambda nb: set_answer(nb, v, f"if True:\n    {v} = {right_literal(first)}"), minus_first, "inside an if block")
    case("in_for", lambda nb: set_answer(nb, v, f"for _ in [1]:\n    {v} = {right_literal(first)}"), minus_first, "inside a for loop")
    case("global", lambda nb: set_answer(nb, v, f"def f():\n    global {v}\n    {v} = {right_literal(first)}\nf()"), minus_first,
         "inside a function")
    case("walrus", lambda nb: set_answer(nb, v, f"({v} := {right_literal(first)})"), full)
    case("shell", lambda nb: set_answer(nb, v, f"!echo hello\n{v} = {right_literal(first)}"), full)
    case("indented", lambda nb: set_answer(nb, v, f"    {v} = {right_literal(first)}"), full)
    case("refers", lambda nb: set_answer(nb, v, f"{v} = {qs[1]['var']}"), minus_first, "refers to another answer")
    case("fstring", lambda nb: set_answer(nb, v, f"{v} = f{right_literal(first)}"), full)
    case("method", lambda nb: set_answer(nb, v, f"{v} = 'c'.upper()"), minus_first, "worked out by code")
    # natural answers in other forms, and issue 16's bare slips, all full marks
    case("natural", lambda nb: [set_answer(nb, e["var"], f"{e['var']} = {natural_literal(e)}") for e in qs] and nb, full)
    case("bare", lambda nb: [set_answer(nb, e["var"], f"{e['var']} = {bare_literal(e)}") for e in qs if bare_literal(e)] and nb, full)
    for student, (edit, _, _) in catalog.items():
        save(edit(notebook(sols)), cls / f"{student}.ipynb")
    for student, raw in {"invalid": b"{not json", "empty": b"", "binary": os.urandom(2048) + b"\x00\xff"}.items():
        (cls / f"{student}.ipynb").write_bytes(raw)
        catalog[student] = (None, 0.0, {"invalid": "invalid JSON", "empty": "empty file", "binary": "not a notebook"}[student])
    other = notebook(sols)
    other["metadata"]["quizgen"]["quiz_id"] = "another_quiz:123"
    save(other, cls / "other_quiz.ipynb")
    catalog["other_quiz"] = (None, 0.0, "a different quiz")
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": f"{e['var']} = {right_literal(e)}", "metadata": {}} for e in qs]}]}
    save(v3, cls / "old_format.ipynb")
    catalog["old_format"] = (None, full, "")

    result, wide, long = grade(cli, built["key"], cls, out=tmp_path / "out")
    assert result.code == 0, result
    assert not marker.exists(), "student code ran"
    for student, (_, total, words) in catalog.items():
        assert float(wide[student]["total"]) == total, (student, wide[student]["total"], reason(long, student, v))
        if words:
            assert words in reason(long, student, v), (student, reason(long, student, v))
    dup = next(r for r in long if r["student"] == "duplicated" and r["var"] == v)
    assert "the last one counts" in dup["note"]
    assert {r["how"] for r in long if r["student"] == "natural"} - {"exact"}, "natural forms record how they matched"


def test_files_that_could_stall_crash_or_fool_it(built, key, tmp_path):
    """FIFOs, devices, names that are not UTF-8, links out of the class folder: refused with a reason, never a hang."""
    cls = tmp_path / "class"
    save(notebook(built["solutions"]), cls / "alice" / f"{NAME}.ipynb")
    os.mkfifo(cls / "fifo.ipynb")
    bad_name = os.path.join(os.fsencode(cls), b"caf\xe9.ipynb")
    with open(bad_name, "wb") as fh:
        fh.write(built["solutions"].read_bytes())
    os.symlink(built["solutions"], cls / "mallory.ipynb")                       # the teacher's solutions
    outside = tmp_path / "elsewhere" / "eve"
    save(notebook(built["solutions"]), outside / "quiz.ipynb")
    os.symlink(outside, cls / "eve")                                              # a student folder outside
    os.symlink(cls / "alice" / f"{NAME}.ipynb", cls / "alias.ipynb")             # a link inside: followed
    save(notebook(built["solutions"]), cls / "shouting.IPYNB")
    save(notebook(built["solutions"]), cls / "renamed.ipynb.txt")
    with zipfile.ZipFile(cls / "zipped.ipynb.zip", "w") as z:
        z.writestr("quiz.ipynb", built["solutions"].read_text(encoding="utf-8"))
    fifo_arg = tmp_path / "arg.ipynb"
    os.mkfifo(fifo_arg)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "quizgen", "grade", str(built["key"]), str(cls), str(fifo_arg), "/dev/zero",
                        "-o", str(out / "grades.csv")], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = {row["file"].removeprefix(f"{cls}/"): row for row in read_csv(out / "grades.csv")}
    long = read_csv(out / "grades_long.csv")
    full = str(float(key["max_points"])).rstrip("0").rstrip(".")

    def why(file):
        student = rows[file]["student"]
        return next(x["reason"] for x in long if x["student"] == student)

    assert rows[f"alice/{NAME}.ipynb"]["total"] == full
    assert "not a regular file" in why("fifo.ipynb") and rows["fifo.ipynb"]["total"] == "0"
    assert "not a regular file" in why(str(fifo_arg)) and "not a regular file" in why("/dev/zero")
    assert "not valid UTF-8" in why("caf\\xe9.ipynb")
    assert "outside the class folder" in why("mallory.ipynb") and rows["mallory.ipynb"]["total"] == "0"
    assert "outside the class folder" in why("eve")
    assert rows["alias.ipynb"]["total"] == full
    assert rows["shouting.IPYNB"]["total"] == full
    assert rows["renamed.ipynb.txt"]["total"] == full
    assert "unzip it" in why("zipped.ipynb.zip")
    assert "Traceback" not in r.stderr


def test_a_zip_of_a_class_folder_is_read_safely(cli, built, key, tmp_path):
    sols = built["solutions"].read_text(encoding="utf-8")
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("class/alice/quiz.ipynb", sols)
        z.writestr("class/bob/quiz.ipynb", built["student"].read_text(encoding="utf-8"))
        z.writestr("class/../../evil.ipynb", sols)
        z.writestr("class/carol/quiz.ipynb", b"{" + b" " * (40 * 1024 * 1024) + b"}")   # a small zip, a large file
        z.writestr("class/__MACOSX/._quiz.ipynb", b"junk")
    result, wide, long = grade(cli, built["key"], archive, out=tmp_path / "out")
    assert result.code == 0, result
    assert float(wide["alice"]["total"]) == key["max_points"] and wide["alice"]["file"] == "download.zip:class/alice/quiz.ipynb"
    assert float(wide["bob"]["total"]) == 0
    assert "too large" in reason(long, "carol", key["questions"][0]["var"])
    evil = [s for s in wide if "evil" in wide[s]["file"]]
    assert len(evil) == 1 and "leaves the zip" in reason(long, evil[0], key["questions"][0]["var"])
    assert not (tmp_path / "evil.ipynb").exists() and not (tmp_path.parent / "evil.ipynb").exists()
    assert len(wide) == 4


def test_student_ids_are_stable_unique_and_traceable(cli, built, key, tmp_path):
    sols, blank = notebook(built["solutions"]), notebook(built["student"])
    # nbgrader's layout only at the folder given: a 'submitted' folder above the class folder changes nothing
    cls = tmp_path / "submitted" / "term1" / "class"
    save(sols, cls / "alice" / f"{NAME}.ipynb")
    save(blank, cls / "alice" / f"{NAME}-Copy1.ipynb")         # a leftover copy: not the graded one
    save(sols, cls / "alice-2.ipynb")                           # a real student called alice-2
    save(sols, cls / "bob" / "quiz.ipynb")
    save(add_cell(notebook(built["solutions"]), 'student = "Ada Lovelace"'), cls / f"{NAME}.ipynb")  # handed in unrenamed
    save(add_cell(notebook(built["solutions"]), 'student = "Mallory"'), cls / "carol" / "quiz.ipynb")
    result, wide, long = grade(cli, built["key"], cls, out=tmp_path / "out")
    assert result.code == 0, result
    assert set(wide) == {"alice", "alice-2", "bob", "Ada Lovelace", "carol"}
    assert wide["alice"]["file"] == f"alice/{NAME}.ipynb" and float(wide["alice"]["total"]) == key["max_points"]
    assert f"not graded alice/{NAME}-Copy1.ipynb" in result.err
    assert "Mallory" in result.err and "Mallory" not in result.out, "warnings go to standard error"
    assert all(r["file"] for r in long) and len({(r["student"], r["var"]) for r in long}) == len(long)
    # a course folder holding submitted/: only submitted/<student>/<assignment>/ counts
    course = tmp_path / "course"
    save(sols, course / "submitted" / "dora" / "quiz1" / "quiz.ipynb")
    save(sols, course / "release" / "quiz1" / "quiz.ipynb")
    result, wide, _ = grade(cli, built["key"], course, out=tmp_path / "out2")
    assert set(wide) == {"dora"} and wide["dora"]["file"] == "submitted/dora/quiz1/quiz.ipynb"


def test_two_submissions_never_share_an_id_or_a_feedback_file(cli, built, tmp_path):
    sols = notebook(built["solutions"])
    a, b = tmp_path / "a", tmp_path / "b"
    names = ["frank", "frank.", "Zoë 学生", "Zoë_学生", "Alice", "alice", "CON", "Zoe\u0308"]
    for n in names:
        save(sols, a / f"{n}.ipynb")
    save(sols, b / "frank.ipynb")   # the same name in another folder given
    result, wide, _ = grade(cli, built["key"], a, b, out=tmp_path / "out")
    assert result.code == 0, result
    assert len(wide) == len(names) + 1
    feedback = sorted((tmp_path / "out" / "grades_feedback").iterdir())
    assert len(feedback) == len(wide)
    folded = [f.name.casefold() for f in feedback]
    assert len(set(folded)) == len(folded), "unique on a case-insensitive file system"
    for f in feedback:
        assert re.fullmatch(r"[\w.-]+\.md", f.name) and not f.stem.casefold().startswith(("con.", "nul.")) and f.stem.casefold() != "con"
        assert len(f.name.encode("utf-8")) < 255
    texts = [f.read_text(encoding="utf-8") for f in feedback]
    for student in wide:
        assert sum(1 for t in texts if f"Student: {student}" in t.replace("\\", "")) >= 1, student


def test_feedback_escapes_student_text_and_prints_sets_sorted(cli, built, key, tmp_path):
    text_q = next(e for e in key["questions"] if e["type"] in ("short", "cloze"))
    order_q = next(e for e in key["questions"] if e["type"] not in ("short", "cloze"))   # any question: a set given is shown sorted
    nasty = "`x` <script>alert(1)</script> **bold** [link](http://example.com)"
    nb = set_answer(notebook(built["solutions"]), text_q["var"], f"{text_q['var']} = {nasty!r}")
    set_answer(nb, order_q["var"], f"{order_q['var']} = {{'C', 'A', 'B'}}")
    save(nb, tmp_path / "class" / "zed.ipynb")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        r = subprocess.run([sys.executable, "-m", "quizgen", "grade", str(built["key"]), str(tmp_path / "class"), "-o", str(out / "grades.csv"),
                            "--feedback", "html"], capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(out)
    assert (outs[0] / "grades_long.csv").read_bytes() == (outs[1] / "grades_long.csv").read_bytes()
    given = next(r for r in read_csv(outs[0] / "grades_long.csv") if r["var"] == order_q["var"])["given"]
    assert given == "{'A', 'B', 'C'}"
    html = (outs[0] / "grades_feedback" / "zed.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    cli("grade", built["key"], tmp_path / "class", "-o", tmp_path / "md" / "grades.csv")
    md = (tmp_path / "md" / "grades_feedback" / "zed.md").read_text(encoding="utf-8")
    assert "`` '`x` <script>" in md, "the answer sits in a code span its own backticks cannot close"


def test_exit_codes_wrong_key_and_empty_folder_write_nothing(cli, built, tmp_path, all_packs):
    from quizgen.generate import build_bank

    other = tmp_path / "other"
    write_notebooks(build_bank(next(p for p in all_packs if p.name != NAME)), other)
    other_key = next((other / "teacher").glob("*.key.json"))
    save(notebook(built["solutions"]), tmp_path / "class" / "ada.ipynb")
    out = tmp_path / "out"
    r = cli("grade", other_key, tmp_path / "class", "-o", out / "grades.csv")
    assert r.code == 1 and "none of the 1 submission(s) is the quiz of this key" in r.err
    assert not out.exists(), "no feedback showing the other quiz's answers"
    (tmp_path / "empty").mkdir()
    r = cli("grade", built["key"], tmp_path / "empty", "-o", out / "grades.csv")
    assert r.code == 1 and "no submission found" in r.err and not out.exists()
    r = cli("grade", built["key"], tmp_path / "nothing_here", "-o", out / "grades.csv")
    assert r.code == 1 and "submission not found" in r.err
    bad_key = tmp_path / "key.json"
    bad_key.write_text("{}")
    r = cli("grade", bad_key, tmp_path / "class", "-o", out / "grades.csv")
    assert r.code == 1 and "expected a quizgen answer key" in r.err


def test_reports_have_the_documented_columns_and_choices_in_bank_terms(cli, built, key, tmp_path):
    doc = (ROOT / "docs" / "internals.md").read_text(encoding="utf-8")
    documented = re.search(r"columns in this order:\n`([^`]+)`", doc).group(1).split(", ")
    nb = notebook(built["solutions"])
    mcq = next(e for e in key["questions"] if e["type"] == "mcq")
    wrong = next(x for x in "ABCD" if x != mcq["correct"])
    set_answer(nb, mcq["var"], f"{mcq['var']} = {wrong!r}")
    save(nb, tmp_path / "class" / "ada.ipynb")
    _, wide, long = grade(cli, built["key"], tmp_path / "class", out=tmp_path / "out")
    with open(tmp_path / "out" / "grades_long.csv", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh)) == documented
    with open(tmp_path / "out" / "grades.csv", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh)) == ["student", "file", *[e["var"] for e in key["questions"]], "total", "max", "percent"]
    row = next(r for r in long if r["var"] == mcq["var"])
    from quizgen.grading.grade import bank_terms

    # a quiz re-letters options to balance its keys: the long CSV speaks of the bank question's own letters
    assert (row["choice"], row["key"], row["how"], row["points"]) == (bank_terms(mcq, wrong), bank_terms(mcq, mcq["correct"]), "", "0")
    tf = next(e for e in key["questions"] if e["type"] == "tf")
    row = next(r for r in long if r["var"] == tf["var"])
    assert row["choice"] == row["key"] == str(tf["correct"]) and row["how"] == "exact"


def test_near_misses_are_listed_and_overrides_apply_deterministically(cli, built, key, tmp_path):
    text_q = next(e for e in key["questions"] if e["type"] in ("short", "cloze"))
    num_q = next(e for e in key["questions"] if e["type"] == "numeric")
    longer = f"{text_q['correct']['accepted'][0]} indeed"   # one extra word: within 'a few' for any key
    for student, answer in (("ann", longer), ("ben", "Gettysburg"), ("cat", "Gettysburg")):
        nb = set_answer(notebook(built["solutions"]), text_q["var"], f"{text_q['var']} = {answer!r}")
        set_answer(nb, num_q["var"], f"{num_q['var']} = '{num_q['correct']['value']:g} fortnights'")
        save(nb, tmp_path / "class" / f"{student}.ipynb")
    out = tmp_path / "out"
    result, wide, long = grade(cli, built["key"], tmp_path / "class", out=out)
    review = read_csv(out / "grades_review.csv")
    assert {(r["student"], r["var"], r["how"]) for r in review} >= {("ann", text_q["var"], "contains"), ("ann", num_q["var"], "")}
    assert "fortnight" in next(r for r in review if r["var"] == num_q["var"])["reason"]
    assert "to review" in result.out
    # the teacher fills in new_points: Gettysburg accepted for everyone, ann's long answer halved, and a row for nobody
    rows = [{"student": "", "question": text_q["id"], "given": "Gettysburg", "new_points": str(text_q["points"]), "note": "accepted"},
            {"student": "ann", "question": text_q["var"], "given": repr(longer), "new_points": str(text_q["points"] / 2), "note": ""},
            {"student": "zed", "question": text_q["var"], "given": "x", "new_points": "0", "note": ""}]
    totals = []
    for order in (rows, rows[::-1]):
        path = tmp_path / "overrides.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, ["student", "question", "given", "new_points", "note"])
            w.writeheader()
            w.writerows(order)
        result, wide, long = grade(cli, built["key"], tmp_path / "class", out=out, extra=("--overrides", path))
        assert result.code == 0, result
        totals.append((out / "grades_long.csv").read_bytes())
        assert "matches no answer" in result.err
    assert totals[0] == totals[1]
    ben = next(r for r in long if r["student"] == "ben" and r["var"] == text_q["var"])
    assert (ben["how"], ben["reason"], float(ben["points"])) == ("override", "accepted", text_q["points"])
    ann = next(r for r in long if r["student"] == "ann" and r["var"] == text_q["var"])
    assert float(ann["points"]) == text_q["points"] / 2
    # contradicting rows are an error at their line, and nothing is written
    path = tmp_path / "bad.csv"
    path.write_text(f"question,given,new_points\n{text_q['var']},Gettysburg,1\n{text_q['var']},Gettysburg,0\n", encoding="utf-8")
    r = cli("grade", built["key"], tmp_path / "class", "-o", tmp_path / "o3" / "grades.csv", "--overrides", path)
    assert r.code == 1 and f"{path}:3" in r.err and not (tmp_path / "o3").exists()
