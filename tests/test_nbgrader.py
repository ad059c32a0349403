"""nbgrader round trip: generate_assignment and autograde with quizgen's hidden tests; natural answers pass and a
value that pretends to equal everything earns nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from quizgen.writers.notebook import write_notebooks
from test_grading import NAME, bare_literal, natural_literal

CHEAT = '''class _AlwaysEqual(str):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __hash__(self):
        return 0
    def casefold(self):
        return self
    def strip(self, *a):
        return self
{var} = _AlwaysEqual("?")
'''


@pytest.mark.slow
def test_nbgrader_round_trip_accepts_what_quizgen_accepts_and_refuses_a_cheat(tmp_path, talks_bank):
    pytest.importorskip("nbgrader")
    built = tmp_path / "nb"
    write_notebooks(talks_bank, built)
    key = json.loads((built / "teacher" / f"{NAME}.key.json").read_text(encoding="utf-8"))
    course = tmp_path / "course"
    (course / "source" / "quiz").mkdir(parents=True)
    shutil.copy(built / "teacher" / f"{NAME}.nbgrader.ipynb", course / "source" / "quiz" / "quiz.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'test'\nc.CourseDirectory.db_url = 'sqlite:///gradebook.db'\n")

    def nbgrader(*args):
        # nbgrader runs `alembic` from PATH: the one beside this Python
        env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
        r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True, timeout=900, env=env)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        return r

    nbgrader("db", "assignment", "add", "quiz")
    for student in ("ada", "bea", "mallory"):
        nbgrader("db", "student", "add", student)
    nbgrader("generate_assignment", "quiz", "--force")
    released = json.loads((course / "release" / "quiz" / "quiz.ipynb").read_text(encoding="utf-8"))
    assert "BEGIN HIDDEN TESTS" not in json.dumps(released)
    answers = {
        "ada": {e["var"]: f"{e['var']} = {natural_literal(e)}" for e in key["questions"]},   # yes, "B then C then A", ...
        "bea": {e["var"]: f"{e['var']} = {bare_literal(e) or natural_literal(e)}" for e in key["questions"]},  # B, true, [B, C, A]
        "mallory": {e["var"]: CHEAT.format(var=e["var"]) for e in key["questions"]},
    }
    for student, sources in answers.items():
        nb = json.loads(json.dumps(released))
        for cell in nb["cells"]:
            var = cell.get("metadata", {}).get("quizgen", {}).get("var")
            if var:
                cell["source"] = sources[var]
        sub = course / "submitted" / student / "quiz"
        sub.mkdir(parents=True)
        (sub / "quiz.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        (sub / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    nbgrader("autograde", "quiz", "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission("quiz", s).score for s in answers}
        max_score = gb.find_submission("quiz", "ada").max_score
    assert max_score == key["max_points"]
    assert scores["ada"] == scores["bea"] == key["max_points"], scores
    assert scores["mallory"] == 0, scores
