"""quizgen export --format and quizgen build's export formats: selection, reports by id, files and configuration."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, SOURCES
from quizgen.writers import FORMATS

TALKS = "six_party_talks_2003"


def _bank(root=ROOT, source=TALKS):
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    return build_bank(load_pack(root / "source_texts" / f"{source}.yaml"))


def _moodle_ids(path) -> list[str]:
    from lxml import etree

    return [q.findtext("idnumber") for q in etree.parse(str(path)).getroot().findall("question") if q.get("type") != "category"]


def test_unknown_format_names_the_known_ones(cli, tmp_path):
    result = cli("export", "--format", "canvas", "-o", tmp_path / "x", cwd=ROOT)
    assert result.code == 2 and "Traceback" not in result.err
    assert all(name in result.err for name in FORMATS)
    assert not (tmp_path / "x").exists()


def test_quiz_selection_by_default_every_question_with_all(cli, tmp_path):
    from quizgen.bank import opaque_id
    from quizgen.quiz import select_quiz

    bank = _bank()
    quiz = select_quiz(bank)
    out = tmp_path / "quiz.xml"
    assert cli("export", TALKS, "--format", "moodle", "-o", out, cwd=ROOT).code == 0
    assert sorted(_moodle_ids(out)) == sorted(item.qid for item in quiz.items)
    assert cli("export", TALKS, "--format", "moodle", "--all", "-o", out, cwd=ROOT).code == 0
    assert sorted(_moodle_ids(out)) == sorted(opaque_id(bank.seed, q.source, q.id) for q in bank)


def test_csv_stays_the_whole_bank_by_default(cli, tmp_path):
    from quizgen.writers.csv import read_bank

    out = tmp_path / "bank.csv"
    assert cli("export", TALKS, "-o", out, cwd=ROOT).code == 0
    assert [q.id for q in read_bank(out)[0]] == [q.id for q in _bank()]


def test_changes_and_drops_are_reported_by_id(cli, tmp_path):
    from quizgen.export import export

    bank = _bank()
    _, expected = export(bank, "qti", all_questions=True)
    assert expected.changed, "the shipped source has questions the QTI writer changes (ordering, numeric words)"
    result = cli("export", TALKS, "--format", "qti", "--all", "-o", tmp_path / "t.qti.zip", cwd=ROOT)
    assert result.code == 0, result
    for qid, why in expected.changed:
        assert f"qti: changed: {qid}: {why}" in result.err
    for qid, why in expected.dropped:
        assert f"qti: not carried: {qid}: {why}" in result.err
    assert f"{len(expected.carried)} questions exported" in result.err


def test_empty_selection_is_an_error_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "none.xml"
    result = cli("export", "--format", "moodle", "--tag", "no-such-tag-anywhere", "-o", out, cwd=ROOT)
    assert result.code == 1 and "no question" in result.err and "no-such-tag-anywhere" in result.err and not out.exists()


def test_unwritable_output_is_a_located_error(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = blocker / "t.qti.zip"
    result = cli("export", TALKS, "--format", "qti", "-o", out, cwd=ROOT)
    assert result.code == 1 and str(out) in result.err and "not a folder" in result.err and "Traceback" not in result.err
    missing = tmp_path / "missing-folder" / "t.qti.zip"  # a missing folder is created, as by every command
    assert cli("export", TALKS, "--format", "qti", "-o", missing, cwd=ROOT).code == 0 and missing.is_file()


def test_binary_export_to_standard_output():
    run = subprocess.run([sys.executable, "-m", "quizgen", "export", TALKS, "--format", "qti", "-o", "-"],
                         capture_output=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr.decode()
    with zipfile.ZipFile(io.BytesIO(run.stdout)) as z:
        assert z.namelist()[0] == "imsmanifest.xml"


def _write_config(project, exports) -> None:
    (project / "quizgen.toml").write_text(f"[build]\nexports = {exports}\n", encoding="utf-8")


def test_build_writes_every_configured_format(cli, project):
    from quizgen.export import export
    from quizgen.writers import get_format

    _write_config(project, '["csv", "qti", "moodle"]')
    only = ["--only", "csv", "--only", "qti", "--only", "moodle"]   # decks and notebooks are not this test's business
    result = cli("build", *only, cwd=project)
    assert result.code == 0, result
    sources = sorted(p.stem for p in (project / "source_texts").glob("*.yaml"))
    for source in sources:
        bank = _bank(project, source)
        for name in ("qti", "moodle"):
            path = project / "exports" / f"{source}{get_format(name).extension}"
            assert path.read_bytes() == export(bank, name)[1].data, path
    assert (project / "exports" / "question_bank.csv").is_file()
    assert cli("build", "--check", *only, cwd=project).code == 0
    # an edited source makes its exports stale too (the publisher is in every question's feedback)
    facts = project / "source_texts" / f"{TALKS}.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('publisher: "Voice of America"', 'publisher: "VOA"'),
                     encoding="utf-8")
    check = cli("build", "--check", *only, cwd=project)
    assert check.code == 1 and f"exports/{TALKS}.qti.zip" in check.err and f"exports/{TALKS}.moodle.xml" in check.err


def test_build_only_one_format(cli, project, tmp_path):
    out = tmp_path / "o"
    assert cli("build", "--only", "qti", "--out", out, cwd=project).code == 0
    names = sorted(p.name for p in (out / "exports").iterdir())
    assert names == sorted(f"{p.stem}.qti.zip" for p in (project / "source_texts").glob("*.yaml"))
    assert not (out / "decks").exists()


def test_the_configuration_names_the_formats(project):
    from quizgen.export import configured_exports

    (project / "quizgen.toml").unlink(missing_ok=True)
    assert configured_exports(project) == ["csv"]          # no quizgen.toml: the CSV alone, as before
    _write_config(project, '["moodle", "csv", "moodle"]')
    assert configured_exports(project) == ["moodle", "csv"]
    assert {"csv", "qti", "moodle"} <= set(configured_exports(ROOT))   # this repository builds them all


@pytest.mark.parametrize("content,phrase", [
    ('[build]\nexports = ["csv", "kahut"]\n', "unknown format(s) kahut"),
    ('[build]\nexports = "qti"\n', "expected a list of format names"),
    ('[build\nexports = []\n', "not valid TOML"),
])
def test_bad_config_is_reported_with_the_file(cli, project, content, phrase):
    (project / "quizgen.toml").write_text(content, encoding="utf-8")
    result = cli("build", "--check", cwd=project)
    assert result.code == 1 and phrase in result.err and "quizgen.toml" in result.err and "Traceback" not in result.err
    if "unknown" in phrase:
        assert all(name in result.err for name in FORMATS)
