"""Quiz notebooks: the time to write one source's notebooks, and a student's check() of a saved notebook against the
grader marking the same file (quizgen.grading.grade_submissions), measured in the same run; the ratio is what counts."""
from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_time, one_core  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAME = "six_party_talks_2003"


def main() -> None:
    one_core()
    import nbformat  # noqa: F401  (imported once up front: its import is not the writer's time)

    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.grading import grade_submissions
    from quizgen.writers.notebook import render_notebooks
    from quizgen.writers.notebook.setup_cell import runtime_source

    pack = load_pack(ROOT / "source_texts" / f"{NAME}.yaml")
    bank = build_bank(pack)
    tmp = Path(tempfile.mkdtemp())
    files: dict[Path, str] = {}

    def render() -> None:
        runtime_source.cache_clear()
        files.update(render_notebooks(bank, tmp, self_check=True, exam_too=True, source_text=pack.text))

    write_s = median_time(render)
    key = json.loads(files[tmp / "teacher" / f"{NAME}.key.json"])
    nb = json.loads(files[tmp / f"{NAME}.ipynb"])
    answers = {e["var"]: e for e in key["questions"]}
    for cell in nb["cells"]:
        var = cell.get("metadata", {}).get("quizgen", {}).get("var")
        if var in answers:
            e = answers[var]
            c = e["correct"]
            value = json.dumps(c["accepted"][0]) if e["type"] in ("short", "cloze") else \
                repr(c["value"]) if e["type"] == "numeric" else repr(c)
            cell["source"] = f"{var} = {value}"
    saved = tmp / "student" / f"{NAME}.ipynb"
    saved.parent.mkdir()
    saved.write_text(json.dumps(nb), encoding="utf-8")

    # the set-up cell's own code, run outside a kernel (no IPython: no transformers, history empty)
    setup = "".join(next(c for c in nb["cells"] if c["id"] == "setup")["source"])
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(setup, "setup", "exec"), namespace)
    module = sys.modules["_quizgen"]

    def check() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            module.check(str(saved))

    def grade() -> None:
        grade_submissions(key, [saved])

    n = 50
    check_s = median_time(lambda: [check() for _ in range(n)]) / n
    grade_s = median_time(lambda: [grade() for _ in range(n)]) / n
    assert module.LAST["results"] and all(r["state"] == "right" for r in module.LAST["results"].values())

    def run_setup() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(setup, "setup", "exec"), {})

    setup_s = median_time(run_setup)
    print(f"notebooks: the set-up cell runs in {setup_s * 1000:.0f} ms (unpack and load the reader and marking rules)")
    print(f"notebooks: writing {NAME}'s practice, exam, solutions, nbgrader and key: {write_s * 1000:.0f} ms "
          f"(set-up cell {len(setup) / 1024:.0f} KiB)")
    print(f"notebooks: check() of a saved notebook {check_s * 1000:.2f} ms, the grader on the same file {grade_s * 1000:.2f} ms: "
          f"ratio {check_s / grade_s:.2f}")


if __name__ == "__main__":
    main()
