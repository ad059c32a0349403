"""quizgen build and the CLI as a whole: every output, byte-identical rebuilds, --check, golden files, start-up."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
import sqlite3
from pathlib import Path

import pytest

from conftest import DATA, ROOT

GOLDEN = ROOT / "tests" / "golden"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_committed_outputs_are_current(cli):
    result = cli("build", "--check", cwd=ROOT)
    assert result.code == 0, result
    assert "up to date" in result.out


def test_two_builds_are_byte_identical_and_the_second_writes_nothing(cli, tmp_path):
    out = tmp_path / "out"
    first = cli("build", "--out", out, cwd=ROOT)
    assert first.code == 0, first
    files = _tree(out)
    names = set(files)
    for source in ("six_party_talks_2003", "gettysburg_address"):
        assert {f"decks/{source}.apkg", f"notebooks/{source}.ipynb", f"notebooks/teacher/{source}.key.json",
                f"notebooks/teacher/{source}.solutions.ipynb", f"notebooks/teacher/{source}.nbgrader.ipynb"} <= names
    assert "exports/question_bank.csv" in names
    second = cli("build", "--out", out, cwd=ROOT)
    assert second.code == 0
    assert _tree(out) == files
    assert "0 files written" in second.out
    # the committed outputs were built from the same facts: the same bytes, but for decks (their note times)
    for name, data in files.items():
        if not name.startswith("decks/"):
            assert (ROOT / name).read_bytes() == data, name


def test_check_fails_after_a_fact_is_edited(cli, project):
    assert cli("build", "--check", cwd=project).code == 0
    facts = project / "source_texts" / "six_party_talks_2003.yaml"
    text = facts.read_text(encoding="utf-8")
    licence = next(ln for ln in text.splitlines() if ln.startswith("  license:"))  # every output cites it
    facts.write_text(text.replace(licence, '  license: "Edited for a test"', 1), encoding="utf-8")
    before = _tree(project)
    result = cli("build", "--check", cwd=project)
    assert result.code == 1
    assert "decks/six_party_talks_2003.apkg" in result.err and "exports/question_bank.csv" in result.err
    assert _tree(project) == before, "--check wrote something"
    assert cli("build", cwd=project).code == 0
    assert cli("build", "--check", cwd=project).code == 0


def _unknown_kind(text: str) -> str:
    """The fact file with its first record's kind made unknown ('backstory')."""
    import re

    broken, n = re.subn(r"(?m)^(\s+)kind: \S+$", r"\1kind: backstory", text, count=1)
    assert n == 1
    return broken


def test_invalid_facts_stop_the_build_before_anything_is_written(cli, project):
    facts = project / "source_texts" / "gettysburg_address.yaml"
    facts.write_text(_unknown_kind(facts.read_text(encoding="utf-8")), encoding="utf-8")
    before = _tree(project)
    result = cli("build", cwd=project)
    assert result.code == 1 and "backstory" in result.err and "nothing was written" in result.err
    assert _tree(project) == before


def test_only_and_source_narrow_the_build_but_the_csv_keeps_every_source(cli, tmp_path):
    from quizgen.writers.csv import read_bank

    out = tmp_path / "o"
    assert cli("build", "--out", out, "--only", "csv", "--source", "gettysburg_address", cwd=ROOT).code == 0
    assert set(_tree(out)) == {"exports/question_bank.csv"}
    assert (out / "exports" / "question_bank.csv").read_bytes() == (ROOT / "exports" / "question_bank.csv").read_bytes()
    assert set(read_bank(out / "exports" / "question_bank.csv")[0].sources) == {p.stem for p in (ROOT / "source_texts").glob("*.yaml")}
    assert cli("build", "--only", "pdf", cwd=ROOT).code == 2


def test_build_source_keeps_the_other_sources_rows(cli, project):
    csv = project / "exports" / "question_bank.csv"
    before = csv.read_bytes()
    result = cli("build", "--source", "gettysburg_address", cwd=project)
    assert result.code == 0, result
    assert csv.read_bytes() == before
    assert cli("build", "--check", cwd=project).code == 0


def test_comma_lists_and_repeated_options_are_the_same(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("build", "--out", a, "--only", "deck,csv", "--source", "gettysburg_address", cwd=ROOT).code == 0
    assert cli("build", "--out", b, "--only", "deck", "--only", "csv", "--source", "gettysburg_address", cwd=ROOT).code == 0
    assert set(_tree(a)) == set(_tree(b)) == {"decks/gettysburg_address.apkg", "decks/gettysburg_address.manifest.json",
                                              "exports/question_bank.csv"}


def test_a_broken_other_source_stops_the_csv_and_says_how_to_leave_it_out(cli, project):
    facts = project / "source_texts" / "six_party_talks_2003.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("kind: setting", "kind: settting", 1), encoding="utf-8")
    before = _tree(project)
    result = cli("build", "--source", "gettysburg_address", cwd=project)
    assert result.code == 1 and "settting" in result.err and "--only deck,notebook" in result.err
    assert _tree(project) == before
    assert cli("build", "--source", "gettysburg_address", "--only", "deck,notebook", cwd=project).code == 0


def test_course_secret_is_created_by_the_first_build_only_when_the_facts_are_valid(cli, project):
    secret = project / "course-secret.txt"
    secret.unlink()
    assert cli("build", "--check", cwd=project).code == 1 and not secret.exists()
    facts = project / "source_texts" / "gettysburg_address.yaml"
    good = facts.read_text(encoding="utf-8")
    facts.write_text(_unknown_kind(good), encoding="utf-8")
    assert cli("build", cwd=project).code == 1 and not secret.exists()
    facts.write_text(good, encoding="utf-8")
    result = cli("build", cwd=project)
    assert result.code == 0 and secret.is_file() and "course secret" in result.err
    assert cli("build", "--check", cwd=project).code == 0


def _modules_after(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """Run quizgen in a fresh interpreter; its exit code and which heavy modules it imported."""
    code = ("import json, sys\nfrom quizgen.cli import main\nrc = main(%r)\n"
            "print(json.dumps([rc] + [m for m in ('pandas', 'genanki', 'nbformat', 'jsonschema', 'pydantic', 'lxml', "
            "'matplotlib', 'openpyxl') if m in sys.modules]))" % args)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    last = json.loads(r.stdout.strip().splitlines()[-1])
    return last[0], last[1:]


def test_help_starts_without_heavy_imports():
    assert _modules_after(["--help"], ROOT) == (0, [])


def test_commands_import_only_what_their_outputs_need():
    code, modules = _modules_after(["build", "--only", "csv", "--check"], ROOT)
    assert code == 0 and not {"genanki", "nbformat", "jsonschema", "pandas"} & set(modules), modules
    code, modules = _modules_after(["build", "--check"], ROOT)
    assert code == 0 and not {"nbformat", "jsonschema", "pandas"} & set(modules), modules
    code, modules = _modules_after(["build", "--only", "notebook", "--check"], ROOT)
    assert code == 0 and not {"genanki", "nbformat", "pandas"} & set(modules), modules


def test_every_command_has_help_with_an_example(cli):
    for command in ("init", "validate", "facts", "schema", "questions", "deck", "notebook", "grade", "export", "build"):
        result = cli(command, "--help", cwd=ROOT)
        assert result.code == 0 and "Example:" in result.out, command


def test_version_and_python_m(cli):
    from quizgen import __version__

    assert __version__ in cli("--version", cwd=ROOT).out
    r = subprocess.run([sys.executable, "-m", "quizgen", "validate"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "0 errors" in r.stdout


def test_errors_go_to_stderr_results_to_stdout(cli, tmp_path):
    bad = cli("validate", tmp_path / "missing.yaml", cwd=ROOT)
    assert bad.code == 1 and bad.out == "" and "not found" in bad.err
    good = cli("validate", cwd=ROOT)
    assert good.code == 0 and "0 errors" in good.out


@pytest.mark.slow
def test_teacher_guide_runs_top_to_bottom():
    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / "teacher_guide.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "committed with stale outputs"
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "questions" in text and ".apkg" in text


# ---- golden files: one canonical bank through every writer ------------------------------------

def _anki_dump(apkg: Path, tmp: Path) -> str:
    with zipfile.ZipFile(apkg) as z:
        (tmp / "c.anki2").write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(tmp / "c.anki2")
    notes = [{"guid": g, "model": m, "tags": t.split(), "fields": f.split("\x1f")}
             for g, m, t, f in con.execute("select guid, mid, tags, flds from notes order by guid")]
    decks = sorted(d["name"] for d in json.loads(con.execute("select decks from col").fetchone()[0]).values())
    con.close()
    return json.dumps({"decks": decks, "notes": notes}, ensure_ascii=False, indent=1) + "\n"


def _lms_outputs(bank) -> dict[str, str]:
    """The LMS formats of every question (the QTI package as its files' text, for a readable diff)."""
    import io

    from quizgen.export import export

    with zipfile.ZipFile(io.BytesIO(export(bank, "qti", all_questions=True)[1].data)) as z:
        qti = "".join(f"==> {name} <==\n{z.read(name).decode('utf-8')}" for name in z.namelist())
    return {"mini.qti.xml": qti, "mini.moodle.xml": export(bank, "moodle", all_questions=True)[1].data.decode("utf-8")}


def test_golden_outputs(tmp_path, update_golden):
    """The mini source through every writer, compared with tests/golden/ (pytest --update-golden rewrites; review the diff)."""
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers.anki import write_deck
    from quizgen.writers.csv import bank_csv_text
    from quizgen.writers import load_writer
    from quizgen.writers.notebook import render_notebooks

    bank = build_bank(load_pack(DATA / "mini" / "mini.yaml"))
    outputs = {"mini.bank.json": bank.to_json(), "mini.csv": bank_csv_text(bank)}
    for path, text in render_notebooks(bank, Path("nb"), self_check=True, exam_too=True).items():
        outputs[path.name] = text
    write_deck(bank, tmp_path / "mini.apkg", now=1_700_000_000)
    outputs["mini.anki.json"] = _anki_dump(tmp_path / "mini.apkg", tmp_path)
    outputs.update(_lms_outputs(bank))
    outputs["mini.anki.txt"] = load_writer("anki-text").render(bank).data.decode("utf-8")
    folder = GOLDEN / "mini"
    if update_golden:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in outputs.items():
            (folder / name).write_bytes(text.encode("utf-8"))
    differing = [name for name, text in outputs.items() if (folder / name).read_bytes().decode("utf-8") != text]
    assert not differing, f"{', '.join(differing)} differ(s) from tests/golden/mini/: run pytest --update-golden and review the diff"
    assert set(outputs) <= {p.name for p in folder.iterdir()}     # (the game formats' goldens are tests/test_games.py's)


def test_csv_bytes_are_what_pandas_to_csv_writes(all_packs):
    """The CSV is written with the csv module (no pandas import in a build): byte for byte what pandas wrote."""
    import csv
    import io
    from dataclasses import replace

    import pandas as pd

    from quizgen.bank import Bank
    from quizgen.build import build_banks
    from quizgen.writers.csv import _STARTS, COLUMNS, bank_csv_bytes, protect_cell, question_row

    banks = build_banks(all_packs)
    every = Bank(tuple(q for b in banks.values() for q in b.questions))
    tricky_text = ["a, b", 'said "no"', "one\ntwo", "one\r\ntwo", "=SUM(A1)", "-x", "\tx", "", " lead", "trail ", "朝鮮 😀"]
    shorts = [q for q in every if q.type == "short"][: len(tricky_text)]
    tricky = Bank(tuple(replace(q, prompt=t, answer=t or "x", explanation=t) for q, t in zip(shorts, tricky_text)))
    for bank in (every, tricky, Bank(())):
        rows = [[protect_cell(v) if v and v[0] in _STARTS else v for v in question_row(q)] for q in bank.questions]
        buf = io.BytesIO()
        pd.DataFrame(rows, columns=COLUMNS, dtype=object).to_csv(buf, index=False, lineterminator="\r\n",
                                                                 quoting=csv.QUOTE_MINIMAL, encoding="utf-8-sig")
        assert bank_csv_bytes(bank) == buf.getvalue()
