"""A version per student (issue 15): `quizgen notebook --roster` writes thirty exams with their own question and option
orders and one key; `quizgen grade` maps each back to the bank. Each version scores 100 % with its own solutions and
0 on every question where another version's letters differ; item statistics do not depend on the versions."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from quizgen.quiz import answer_key, select_quiz, version_entries, version_quiz
from test_grading import read_csv, right_literal
from test_notebook_kernel import edited, run_all, save, seen

NAME = "six_party_talks_2003"
STUDENTS = [f"s{i:02d}" for i in range(1, 31)]
CHOICE = ("mcq", "multi", "ordering", "matching")


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Thirty versions from a roster, written by the command line in a copy of the project (its course secret)."""
    import shutil

    from conftest import ROOT
    from quizgen.cli import main

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "source_texts", root / "source_texts")
    shutil.copy(ROOT / "course-secret.txt", root / "course-secret.txt")
    roster = root / "roster.csv"
    roster.write_text("student,name\n" + "".join(f"{s},Student {s}\n" for s in STUDENTS), encoding="utf-8")
    cwd = Path.cwd()
    try:
        os.chdir(root)
        assert main(["notebook", NAME, "--roster", str(roster), "-o", str(root / "nb")]) == 0
    finally:
        os.chdir(cwd)
    key_path = root / "nb" / "teacher" / f"{NAME}.key.json"
    key = json.loads(key_path.read_text(encoding="utf-8"))
    files = {s: root / "nb" / f"{NAME}.versions" / f"{NAME}.exam.{s}.ipynb" for s in STUDENTS}
    return {"root": root, "key": key, "key_path": key_path, "files": files, "exam": root / "nb" / f"{NAME}.exam.ipynb"}


def filled(template: Path, answers: dict[str, str], student: str) -> dict:
    return edited(template, answers, student=f"student = {json.dumps(student)}")


def grade(cli, key_path: Path, folder: Path, out: Path) -> tuple[dict, list[dict]]:
    r = cli("grade", key_path, folder, "-o", out / "grades.csv")
    assert r.code == 0, r
    return {row["student"]: row for row in read_csv(out / "grades.csv")}, read_csv(out / "grades_long.csv")


def test_thirty_versions_one_key_each_its_own_order(versions, talks_pack):
    key = versions["key"]
    assert set(key["versions"]) == set(STUDENTS)
    orders, letters = set(), set()
    for s, path in versions["files"].items():
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["quizgen"] == {"quiz_id": key["quiz_id"], "role": "exam", "source": NAME, "version": s}
        student_cell = next(c for c in nb["cells"] if c["metadata"].get("quizgen", {}).get("role") == "student")
        assert "".join(student_cell["source"]).startswith(f'student = "{s}"')
        entries = version_entries(key, s)
        orders.add(tuple(e["id"] for e in entries))
        letters.add(tuple(json.dumps(e["correct"]) for e in entries if e["type"] in CHOICE))
        answer_vars = [c["metadata"]["quizgen"]["var"] for c in nb["cells"] if c["metadata"].get("quizgen", {}).get("role") == "answer"]
        assert answer_vars == [e["var"] for e in entries]
        assert f"{NAME}.exam.{s}.ipynb" in key["student_files"]
    assert len(orders) == 30 and len(letters) >= 29, "each student has an order of their own"
    # the key's compact versions section gives exactly what a version's own key would be
    from quizgen.generate import build_bank

    bank = build_bank(talks_pack, key_seed(versions))
    base = select_quiz(bank)
    assert answer_key(base)["quiz_id"] == key["quiz_id"]
    for s in STUDENTS[:5]:
        assert version_entries(key, s) == sorted(answer_key(version_quiz(base, s))["questions"], key=lambda e: e["var"])


def key_seed(versions) -> str:
    from quizgen.course import course_seed

    return course_seed(versions["root"])


def test_each_version_scores_full_marks_and_zero_with_another_versions_letters(versions, cli, tmp_path):
    key = versions["key"]
    honest, copied = tmp_path / "class", tmp_path / "copied"
    for i, s in enumerate(STUDENTS):
        own = version_entries(key, s)
        save(filled(versions["files"][s], {e["var"]: f"{e['var']} = {right_literal(e)}" for e in own}, s),
             honest / versions["files"][s].name)
        # a neighbour's letters for the same questions (their answer line for each question, in this version)
        neighbour = {e["qid"]: e for e in version_entries(key, STUDENTS[(i + 1) % len(STUDENTS)])}
        save(filled(versions["files"][s], {e["var"]: f"{e['var']} = {right_literal(neighbour[e['qid']])}" for e in own}, s),
             copied / f"copy-{s}.ipynb")
    wide, long = grade(cli, versions["key_path"], honest, tmp_path / "honest")
    assert set(wide) == set(STUDENTS)
    assert all(float(row["percent"]) == 100 for row in wide.values()), {s: r["percent"] for s, r in wide.items()}
    assert {r["version"] for r in long} == set(STUDENTS)
    keys = {}
    for r in long:  # choices and keys in bank terms: one key per question whatever the version
        keys.setdefault(r["question"], set()).add(r["key"])
        if r["type"] in ("mcq", "multi", "tf"):
            assert r["choice"] == r["key"]
    assert all(len(k) == 1 for k in keys.values())

    _, long = grade(cli, versions["key_path"], copied, tmp_path / "copy")
    zeros = 0
    for r in long:
        s = r["student"].removeprefix("copy-")
        mine = {e["qid"]: e for e in version_entries(key, s)}[r["qid"]]["correct"]
        theirs = {e["qid"]: e for e in version_entries(key, STUDENTS[(STUDENTS.index(s) + 1) % 30])}[r["qid"]]["correct"]
        if r["type"] not in CHOICE:
            continue
        if r["type"] == "mcq":      # one letter: nothing where it differs
            expected = float(mine == theirs)
        elif r["type"] == "multi":  # (right picks - wrong picks) / right options
            expected = max(0.0, (len(set(mine) & set(theirs)) - len(set(theirs) - set(mine))) / len(mine))
        elif r["type"] == "ordering":
            expected = sum(a == b for a, b in zip(mine, theirs)) / len(mine)
        else:
            expected = sum(mine[k] == theirs[k] for k in mine) / len(mine)
        assert float(r["points"]) == pytest.approx(expected, abs=1e-4), (r, mine, theirs)
        zeros += mine != theirs and float(r["points"]) == 0
    assert zeros >= 30 * 5, "versions change many answer letters"


def test_item_statistics_are_the_same_with_one_version_or_thirty(versions, cli, tmp_path):
    """The same class (each student's choices fixed in bank terms) on one shared exam and on thirty versions."""
    from quizgen import analyse

    key = versions["key"]

    def answers(s: str, entries: list[dict]) -> dict[str, str]:
        out = {}
        for e in entries:
            rng = random.Random(f"{s}:{e['qid']}")
            t = e["type"]
            if t == "mcq":   # a bank option, shown under whatever letter this version gives it
                bank_index = rng.randrange(len(e["options"]))
                out[e["var"]] = f"{e['var']} = {json.dumps('ABCDEFGHIJ'[e['bank_order'].index(bank_index)])}"
            elif t == "multi":
                picks = sorted({rng.randrange(len(e["options"])) for _ in range(2)})
                out[e["var"]] = f"{e['var']} = {json.dumps(sorted('ABCDEFGHIJ'[e['bank_order'].index(j)] for j in picks))}"
            elif rng.random() < 0.6:
                out[e["var"]] = f"{e['var']} = {right_literal(e)}"
            else:
                out[e["var"]] = f"{e['var']} = None"
        return out

    one, many = tmp_path / "one", tmp_path / "many"
    for s in STUDENTS:
        save(filled(versions["exam"], answers(s, key["questions"]), s), one / f"{s}.ipynb")
        save(filled(versions["files"][s], answers(s, version_entries(key, s)), s), many / f"{s}.ipynb")
    grade(cli, versions["key_path"], one, tmp_path / "g1")
    grade(cli, versions["key_path"], many, tmp_path / "g30")
    a1 = analyse(tmp_path / "g1" / "grades_long.csv", key=versions["key_path"])
    a30 = analyse(tmp_path / "g30" / "grades_long.csv", key=versions["key_path"])
    rows1 = [{k: v for k, v in r.items() if k != "var"} for r in a1.rows()]
    rows30 = [{k: v for k, v in r.items() if k != "var"} for r in a30.rows()]
    assert rows1 == rows30
    assert a1.reliability == a30.reliability
    assert any(r["type"] == "mcq" for r in a1.rows()) and len({tuple(sorted(r.items())) for r in rows1}) > 1


def test_a_version_notebook_runs_and_check_format_reads_its_own_solutions(versions, tmp_path):
    key = versions["key"]
    s = STUDENTS[7]
    own = version_entries(key, s)
    nb = filled(versions["files"][s], {e["var"]: f"{e['var']} = {right_literal(e)}" for e in own}, s)
    cells, last = run_all(nb, save(nb, tmp_path / versions["files"][s].name).parent)
    assert last["file"].endswith(versions["files"][s].name)
    assert f"The grader can read {len(own)} of {len(own)} answers" in seen(cells[-2])


def test_numbered_versions_and_versions_the_grader_must_work_out(versions, cli, tmp_path):
    root = versions["root"]
    r = cli("notebook", NAME, "--versions", "3", "--no-text", "-o", tmp_path / "nb", cwd=root)
    assert r.code == 0, r
    key_path = tmp_path / "nb" / "teacher" / f"{NAME}.key.json"
    key = json.loads(key_path.read_text(encoding="utf-8"))
    assert sorted(key["versions"]) == ["v01", "v02", "v03"] and all("student" not in v for v in key["versions"].values())
    files = sorted((tmp_path / "nb" / f"{NAME}.versions").glob("*.ipynb"))
    assert [p.name for p in files] == [f"{NAME}.exam.v0{i}.ipynb" for i in (1, 2, 3)]
    cls = tmp_path / "class"
    nb = filled(files[1], {e["var"]: f"{e['var']} = {right_literal(e)}" for e in version_entries(key, "v02")}, "")
    save(nb, cls / "ann.ipynb")
    lost = json.loads(json.dumps(nb))
    lost["metadata"]["quizgen"].pop("version")            # metadata lost: the answer cells' ids say which version
    save(lost, cls / "bob.ipynb")
    other = json.loads(json.dumps(nb))
    other["metadata"]["quizgen"]["version"] = "v99"
    save(other, cls / "cy.ipynb")
    wide, long = grade(cli, key_path, cls, tmp_path / "g")
    assert float(wide["ann"]["percent"]) == 100 and float(wide["bob"]["percent"]) == 100
    assert {r["version"] for r in long if r["student"] in ("ann", "bob")} == {"v02"}
    assert float(wide["cy"]["percent"]) == 0
    assert "its version 'v99' is not one of this key's versions" in {r["reason"] for r in long if r["student"] == "cy"}


def test_bad_version_requests_are_clear_errors(versions, cli, tmp_path):
    root = versions["root"]
    r = cli("notebook", NAME, "--versions", "2", "--roster", root / "roster.csv", "-o", tmp_path / "a", cwd=root)
    assert r.code == 2 and "give one of them" in r.err
    r = cli("notebook", NAME, "--versions", "-1", "-o", tmp_path / "b", cwd=root)
    assert r.code == 2 and "--versions expected a number from 1" in r.err
    bad = tmp_path / "roster.csv"
    bad.write_text("student\nann\nann\n", encoding="utf-8")
    r = cli("notebook", NAME, "--roster", bad, "-o", tmp_path / "c", cwd=root)
    assert r.code == 1 and f"{bad}:3" in r.err and "duplicate student 'ann'" in r.err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
