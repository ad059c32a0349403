"""The practice notebook as a student meets it in JupyterLab (headless Chromium): it opens unmodified, the set-up prints
"ready", a slip does not stop Run All, check() marks the saved file (found after a rename too), the accessibility tree
has a heading per question and labelled answer cells, and screenshots at desktop and phone widths are kept for a person
to look at (QUIZGEN_SCREENSHOTS=folder keeps them there)."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from jupyterlab_driver import JupyterLab, why_not_available
from quizgen.writers.notebook import render_notebooks

NAME = "six_party_talks_2003"
pytestmark = pytest.mark.slow

missing = why_not_available()
if missing:
    pytest.skip(f"needs {missing} to open notebooks in JupyterLab", allow_module_level=True)


@pytest.fixture
def root(tmp_path, talks_bank, talks_pack) -> Path:
    folder = tmp_path / "student"
    folder.mkdir()
    files = render_notebooks(talks_bank, tmp_path / "out", self_check=True, source_text=talks_pack.text)
    (folder / f"{NAME}.ipynb").write_text(files[tmp_path / "out" / f"{NAME}.ipynb"], encoding="utf-8")
    (tmp_path / "key.json").write_text(files[tmp_path / "out" / "teacher" / f"{NAME}.key.json"], encoding="utf-8")
    return folder


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QUIZGEN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_practice_notebook_in_jupyterlab(root, tmp_path):
    key = json.loads((root.parent / "key.json").read_text(encoding="utf-8"))
    first, second = key["questions"][0], key["questions"][1]
    saved = json.loads((root / f"{NAME}.ipynb").read_text(encoding="utf-8"))
    out = shots(tmp_path)
    with JupyterLab(root) as lab:
        lab.open(f"{NAME}.ipynb")
        # opening changes nothing but the Python version JupyterLab records (the student's, unknowable beforehand)
        model = lab.js("panel.context.model.toJSON()")
        version = model["metadata"]["language_info"].pop("version")
        assert model["metadata"] == saved["metadata"]
        assert [(c["id"], c["cell_type"], "".join(c["source"])) for c in model["cells"]] == \
            [(c["id"], c["cell_type"], "".join(c["source"])) for c in saved["cells"]]

        assert lab.run_cell(1).startswith("ready: ")
        lab.screenshot(out / "1-desktop-top.png")

        # a slip (text without quotes) in the first answer does not stop Run All: check() at the end still runs
        word = "Beijing"  # not a name Python (or IPython: In, Out, exit) knows
        answer = lambda e: lab.cell_index(f"m.getMetadata('quizgen') && m.getMetadata('quizgen').var === '{e['var']}'")  # noqa: E731
        lab.set_source(answer(first), f"# Answer to question 1\n{first['var']} = {word}")
        student = lab.cell_index("m.getMetadata('quizgen') && m.getMetadata('quizgen').role === 'student'")
        lab.set_source(student, 'student = "Ada Lovelace"')
        right = json.dumps(second["correct"]["accepted"][0]) if second["type"] in ("short", "cloze") else \
            repr(second["correct"]) if second["type"] != "numeric" else repr(second["correct"]["value"])
        lab.set_source(answer(second), f"# Answer to question 2\n{second['var']} = {right}")
        lab.save()
        lab.run_all()
        assert f"{first['var']} was not set" in lab.output_text(answer(first))
        check = lab.js("panel.content.widgets.length - 1")
        said = lab.output_text(check)
        assert said.startswith(f"Checked {NAME}.ipynb as saved at ") and "Student: Ada Lovelace" in said, said
        assert f"Right (1): {second['var']}" in said and f"  {first['var']}: {first['var']} = {word} refers to a variable" in said
        lab.scroll_to(answer(first) - 1)
        lab.screenshot(out / "2-desktop-question.png")
        lab.scroll_to(check - 1)
        lab.screenshot(out / "3-desktop-check.png")

        # renamed in JupyterLab: the server's session knows the new name (the kernel's own JPY_SESSION_NAME does not),
        # and a newer copy of the quiz beside it does not fool check()
        lab.js("panel.context.rename('my quiz.ipynb').then(() => (window.quizgenPath = 'my quiz.ipynb', true))")
        lab.wait_for("panel && panel.context.path === 'my quiz.ipynb'", what="the rename")
        time.sleep(1)
        shutil.copy(root / "my quiz.ipynb", root / "zz newer copy.ipynb")
        said = lab.run_cell(check)
        assert said.startswith("Checked my quiz.ipynb as saved at "), said

        lab.narrow()
        lab.scroll_to(0)
        lab.screenshot(out / "4-phone-top.png", width=400)
        lab.scroll_to(1)
        lab.screenshot(out / "4-phone-setup.png", width=400)
        lab.scroll_to(answer(first) - 1)
        lab.screenshot(out / "5-phone-question.png", width=400)
        lab.scroll_to(check - 1)
        lab.screenshot(out / "6-phone-check.png", width=400)

    # a notebook stamped with the student's Python version opens unmodified: nothing else is rewritten on open
    stamped = json.loads(json.dumps(saved))
    stamped["metadata"]["language_info"]["version"] = version
    (root / "stamped.ipynb").write_text(json.dumps(stamped, indent=1), encoding="utf-8")
    with JupyterLab(root, windowing="none") as lab:
        lab.open("stamped.ipynb")
        time.sleep(2)
        assert not lab.dirty()
        # what a screen reader is given: one heading per question, under "Questions"; each answer cell names its question
        tree = lab.accessibility_tree()
    headings = [(level, name) for role, level, name in tree if role == "heading"]
    n = len(key["questions"])
    start = headings.index((2, "Questions"))
    assert [name for _, name in headings[start + 1:start + 1 + n]] == \
        [h for _, h in headings if h.startswith("Question ")] and len([h for _, h in headings if h.startswith("Question ")]) == n
    assert all(level == 3 for level, _ in headings[start + 1:start + 1 + n]) and headings[start + 1 + n] == (2, "Check your answers")
    texts = [name for role, _, name in tree if role == "StaticText"]
    assert all(f"# Answer to question {i}" in texts for i in range(1, n + 1))
    cloze = [e for e in key["questions"] if e["type"] == "cloze"]
    assert not cloze or any("_____ (blank)" in t for t in texts)
    from PIL import Image

    for name in ("1-desktop-top.png", "4-phone-top.png"):
        with Image.open(out / name) as image:
            assert image.size[0] == (1280 if "desktop" in name else 400)
