"""The command line as a user meets it: every command writes what build writes, options, messages, init, API."""
from __future__ import annotations

import inspect
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SOURCES

PYYAML_WORDING = ("mapping values are not allowed", "cannot start any token", "expected <block end>", "while scanning",
                  "while parsing", "could not find expected")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _banks():
    from quizgen.build import build_banks
    from quizgen.facts import load_pack

    return build_banks([load_pack(p) for p in sorted(SOURCES.glob("*.yaml"))])


# ---- one form from every command --------------------------------------------------------------------------

@pytest.mark.parametrize("args,only,removed", [
    (("deck",), "deck", "decks"),
    (("deck", "gettysburg_address"), "deck", "decks"),
    (("notebook",), "notebook", "notebooks"),
    (("notebook", "six_party_talks_2003"), "notebook", "notebooks"),
    (("export",), "csv", "exports"),
    (("export", "gettysburg_address"), "csv", "exports"),
    (("export", "--format", "qti"), "qti", "exports"),
    (("export", "origin_of_species_1859", "--format", "moodle"), "moodle", "exports"),
    (("build", "--source", "gettysburg_address"), None, "exports"),
])
def test_each_command_writes_what_build_writes(cli, project, args, only, removed):
    """With its outputs gone, the command rewrites them; build --check then finds exactly build's bytes."""
    shutil.rmtree(project / removed)
    result = cli(*args, cwd=project)
    assert result.code == 0, result
    assert (project / removed).is_dir()
    source = [a for a in args[1:] if not a.startswith("-") and a not in ("qti", "moodle")]
    check = cli("build", "--check", *(["--only", only] if only else []), *(["--source", source[-1]] if source else []), cwd=project)
    assert check.code == 0, check


def test_commands_after_build_change_nothing(cli, project):
    before = _tree(project)
    for args in (("deck",), ("notebook",), ("export",), ("export", "six_party_talks_2003"), ("questions",),
                 ("notebook", "gettysburg_address"), ("build", "--source", "six_party_talks_2003")):
        result = cli(*args, cwd=project)
        assert result.code == 0, (args, result)
        assert _tree(project) == before, args
    assert cli("build", "--check", cwd=project).code == 0


def test_questions_shows_the_built_questions(cli, project):
    banks = _banks()
    q = banks["six_party_talks_2003"]["host-city.mcq"]
    result = cli("questions", "six_party_talks_2003", "--fact", "host-city", "--type", "mcq", cwd=project)
    assert result.code == 0, result
    assert result.out.startswith("1 question\n")
    places = [result.out.find(f"  {letter}. {option}") for letter, option in q.shown_items()]
    assert -1 not in places and places == sorted(places), result.out
    assert q.answer_text in result.out


# ---- edited CSVs never go where build writes ------------------------------------------------------------------

@pytest.fixture
def edited_csv(tmp_path) -> Path:
    """The multiple-choice and true/false questions of every source, one stem edited as in a spreadsheet."""
    from quizgen.bank import Bank
    from quizgen.writers.csv import bank_csv_bytes

    from dataclasses import replace

    banks = _banks()
    questions = [q for b in banks.values() for q in b.questions if q.type in ("mcq", "tf")]
    first = next(i for i, q in enumerate(questions) if q.source == "gettysburg_address")
    questions[first] = replace(questions[first], prompt="EDITED IN A SPREADSHEET")
    path = tmp_path / "edited.csv"
    path.write_bytes(bank_csv_bytes(Bank(tuple(questions))))
    return path


@pytest.mark.parametrize("args,phrase", [
    (("deck", "gettysburg_address", "--from", "{csv}"), "--from needs -o"),
    (("deck", "gettysburg_address", "--from", "{csv}", "-o", "decks/edited.apkg"), "inside decks/"),
    (("notebook", "--from", "{csv}"), "--from needs -o"),
    (("notebook", "--from", "{csv}", "-o", "notebooks/edited"), "inside notebooks/"),
    (("export", "--from", "{csv}"), "--from needs -o"),
    (("export", "--from", "{csv}", "-o", "exports/edited.csv"), "inside exports/"),
    (("notebook", "gettysburg_address", "--count", "3"), "--count needs -o"),
    (("notebook", "gettysburg_address", "--all", "-o", "notebooks"), "inside notebooks/"),
    (("export", "--type", "mcq"), "--type needs -o"),
    (("export", "--tag", "people", "-o", "exports/question_bank.csv"), "inside exports/"),
])
def test_edited_or_custom_outputs_never_go_to_builds_folders(cli, project, edited_csv, args, phrase):
    before = _tree(project)
    result = cli(*[a.replace("{csv}", str(edited_csv)) for a in args], cwd=project)
    assert result.code == 2, result
    assert phrase in result.err and "Traceback" not in result.err
    assert _tree(project) == before


def test_edited_csv_outputs_go_elsewhere_and_build_still_checks(cli, project, edited_csv, tmp_path):
    out = tmp_path / "elsewhere"
    assert cli("deck", "gettysburg_address", "--from", edited_csv, "-o", out / "g.apkg", cwd=project).code == 0
    assert cli("export", "--from", edited_csv, "-o", out / "bank.csv", cwd=project).code == 0
    assert (out / "g.apkg").is_file() and (out / "g.manifest.json").is_file()
    import sqlite3
    import zipfile

    with zipfile.ZipFile(out / "g.apkg") as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    fields = [r[0] for r in sqlite3.connect(tmp_path / "c.anki2").execute("select flds from notes")]
    assert any("EDITED IN A SPREADSHEET" in f for f in fields)
    assert (out / "bank.csv").read_bytes() == edited_csv.read_bytes()
    assert cli("build", "--check", cwd=project).code == 0


# ---- quiz selection ----------------------------------------------------------------------------------------

def _key(folder: Path, source: str) -> dict:
    return json.loads((folder / "teacher" / f"{source}.key.json").read_text(encoding="utf-8"))


def test_notebook_selection_options(cli, project, tmp_path):
    bank = _banks()["six_party_talks_2003"]
    every = cli("notebook", "six_party_talks_2003", "--all", "-o", tmp_path / "all", cwd=project)
    assert every.code == 0, every
    assert len(_key(tmp_path / "all", "six_party_talks_2003")["questions"]) == len(bank)
    assert cli("notebook", "six_party_talks_2003", "--count", "5", "-o", tmp_path / "five", cwd=project).code == 0
    assert len(_key(tmp_path / "five", "six_party_talks_2003")["questions"]) == 5
    assert cli("notebook", "six_party_talks_2003", "--type", "mcq,tf", "-o", tmp_path / "types", cwd=project).code == 0
    types = {q["type"] for q in _key(tmp_path / "types", "six_party_talks_2003")["questions"]}
    assert types and types <= {"mcq", "tf"}
    tag = sorted({t for q in bank for t in q.tags})[0]
    assert cli("notebook", "six_party_talks_2003", "--tag", tag, "-o", tmp_path / "tag", cwd=project).code == 0
    tagged = {q.id for q in bank if tag in q.tags}
    assert {q["id"] for q in _key(tmp_path / "tag", "six_party_talks_2003")["questions"]} <= tagged
    assert cli("notebook", "six_party_talks_2003", "--all", "--count", "3", "-o", tmp_path / "x", cwd=project).code == 2


def test_build_follows_the_fact_files_quiz_setting(cli, project):
    from quizgen.schema import SourceMeta

    if "quiz" not in SourceMeta.model_fields:
        pytest.skip("the schema has no source.quiz setting yet (the lead adds it)")
    facts = project / "source_texts" / "gettysburg_address.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("\nentities:", "  quiz: {count: 4}\n\nentities:", 1), encoding="utf-8")
    assert cli("build", "--source", "gettysburg_address", cwd=project).code == 0
    assert len(_key(project / "notebooks", "gettysburg_address")["questions"]) == 4
    assert cli("notebook", "gettysburg_address", cwd=project).code == 0
    assert cli("build", "--check", cwd=project).code == 0


def test_quiz_options_read_the_setting():
    from types import SimpleNamespace

    from quizgen.build import quiz_options

    pack = SimpleNamespace(meta=SimpleNamespace(quiz={"count": 7, "types": ["mcq"], "tags": [], "all": False}))
    assert quiz_options(pack) == {"count": 7, "types": ("mcq",)}
    assert quiz_options(SimpleNamespace(meta=SimpleNamespace())) == {}


# ---- filters that select nothing, bad choices -----------------------------------------------------------------

def test_a_filter_that_selects_nothing_exits_1_and_writes_nothing(cli, project, tmp_path):
    bank = _banks()["gettysburg_address"]
    missing_type = next(t for t, n in bank.counts_by_type().items() if n == 0)
    result = cli("export", "--tag", "nosuchtag", "-o", tmp_path / "x.csv", cwd=project)
    assert result.code == 1 and "no question" in result.err and "nosuchtag" in result.err, result
    assert not (tmp_path / "x.csv").exists()
    result = cli("questions", "gettysburg_address", "--type", missing_type, cwd=project)
    assert result.code == 1 and f"--type {missing_type}" in result.err and result.out == "", result
    result = cli("notebook", "gettysburg_address", "--tag", "nosuchtag", "-o", tmp_path / "nb", cwd=project)
    assert result.code == 1 and not (tmp_path / "nb").exists()


def test_comma_lists_equal_repeated_options(cli, project, tmp_path):
    assert cli("export", "--type", "mcq,tf", "-o", tmp_path / "a.csv", cwd=project).code == 0
    assert cli("export", "--type", "mcq", "--type", "tf", "-o", tmp_path / "b.csv", cwd=project).code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    from quizgen.writers.csv import read_bank

    assert {q.type for q in read_bank(tmp_path / "a.csv")[0]} == {"mcq", "tf"}


def test_an_unknown_choice_is_a_usage_error_with_a_guess(cli, project):
    result = cli("questions", "--type", "mcx", cwd=project)
    assert result.code == 2 and "did you mean 'mcq'" in result.err
    assert cli("build", "--only", "deck,pdf", cwd=project).code == 2
    assert cli("questions", "--seed", "3", cwd=project).code == 2  # the course secret replaced --seed


def test_the_cli_type_list_is_the_banks():
    from quizgen.bank import QUESTION_TYPES
    from quizgen.cli.common import QTYPES

    assert QTYPES == QUESTION_TYPES


# ---- starting out -------------------------------------------------------------------------------------------

def test_init_writes_a_working_template_and_never_overwrites(cli, tmp_path):
    first = cli("init", "apollo_11", cwd=tmp_path)
    assert first.code == 0, first
    facts, text = tmp_path / "source_texts" / "apollo_11.yaml", tmp_path / "source_texts" / "apollo_11.txt"
    assert facts.is_file() and text.is_file()
    facts.write_text(facts.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    before = _tree(tmp_path)
    again = cli("init", "apollo_11", cwd=tmp_path)
    assert again.code == 1 and "already exist" in again.err
    assert _tree(tmp_path) == before
    assert cli("validate", "--strict", cwd=tmp_path).code == 0
    assert cli("build", cwd=tmp_path).code == 0
    assert cli("build", "--check", cwd=tmp_path).code == 0
    assert cli("init", "Apollo 11", cwd=tmp_path).code == 2


def test_the_template_explains_every_field_of_the_schema():
    from pydantic import BaseModel

    from quizgen import schema
    from quizgen.starter import template

    text = template("x")
    fields = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == schema.__name__:
            fields |= set(model.model_fields)
    missing = sorted(f for f in fields if not re.search(rf"\b{re.escape(f)}\b", text))
    assert not missing, f"the init template does not mention: {missing}"


@pytest.mark.parametrize("args", [("build",), ("build", "--check"), ("deck",), ("notebook",), ("export",), ("questions",),
                                  ("facts",), ("validate",), ("questions", "talks")])
def test_outside_a_project_every_command_names_the_folder_and_the_fix(cli, tmp_path, args):
    result = cli(*args, cwd=tmp_path)
    assert result.code == 1, result
    assert f"no source_texts/ folder in {tmp_path.resolve()}" in result.err and "quizgen init NAME" in result.err, result.err


def test_an_empty_source_folder_says_what_to_add(cli, tmp_path):
    (tmp_path / "source_texts").mkdir()
    result = cli("build", cwd=tmp_path)
    assert result.code == 1 and "no fact files in" in result.err and "quizgen init NAME" in result.err


# ---- help, metavars, folders, interrupts, plurals, emoji ------------------------------------------------------------

def _commands():
    import typer

    from quizgen.cli import app

    return typer.main.get_command(app).commands


def test_help_uses_conventional_metavars_and_every_option_has_help(cli):
    assert "Usage: quizgen grade [OPTIONS] KEY SUBMISSION..." in cli("grade", "--help", cwd=ROOT).out
    assert "Usage: quizgen init [OPTIONS] NAME" in cli("init", "--help", cwd=ROOT).out
    for name, command in _commands().items():
        out = cli(name, "--help", cwd=ROOT).out
        assert not re.search(r"<[a-z\[\]A-Z]+>|\{[A-Z.]+\}", out), (name, out)
        for param in command.params:
            assert param.help, f"quizgen {name}: {param.name} has no help"


def test_every_writing_command_creates_missing_folders(cli, project, tmp_path):
    new = tmp_path / "new" / "deeper"
    runs = [("deck", "gettysburg_address", "-o", new / "d" / "g.apkg"),
            ("notebook", "gettysburg_address", "-o", new / "nb"),
            ("export", "-o", new / "e" / "bank.csv"),
            ("schema", "-o", new / "s" / "schema.json"),
            ("build", "--out", new / "b", "--source", "gettysburg_address")]
    for args in runs:
        result = cli(*args, cwd=project)
        assert result.code == 0, (args, result)
    key = project / "notebooks" / "teacher" / "gettysburg_address.key.json"
    submission = new / "nb" / "gettysburg_address.ipynb"
    result = cli("grade", key, submission, "-o", new / "g" / "grades.csv", cwd=project)
    assert result.code == 0, result
    assert {p.name for p in new.rglob("*") if p.is_file()} >= {"g.apkg", "gettysburg_address.ipynb", "bank.csv", "schema.json",
                                                                "question_bank.csv", "grades.csv"}


def _edit_licence(project: Path, source: str) -> None:
    """Change a source's licence line: every output of that source cites it, so each of them changes."""
    facts = project / "source_texts" / f"{source}.yaml"
    text = facts.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("  license:"))
    facts.write_text(text.replace(line, '  license: "Edited for a test"', 1), encoding="utf-8")


def test_ctrl_c_leaves_every_file_whole_and_says_so(cli, project, monkeypatch):
    _edit_licence(project, "six_party_talks_2003")
    before = _tree(project)
    import quizgen.atomic

    real_replace, calls = quizgen.atomic.os.replace, []

    def interrupting_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(quizgen.atomic.os, "replace", interrupting_replace)
    result = cli("build", cwd=project)
    assert result.code == 130 and "interrupted" in result.err, result
    interrupted = _tree(project)
    monkeypatch.setattr(quizgen.atomic.os, "replace", real_replace)
    assert not [p for p in project.rglob("*.tmp")], "a temporary file was left behind"
    assert cli("build", cwd=project).code == 0
    after = _tree(project)
    changed = [name for name in interrupted if interrupted[name] != before.get(name)]
    assert len(changed) == 2, changed  # the two renames before the interrupt
    for name, data in interrupted.items():
        assert data in (before.get(name), after.get(name)), name


def test_plurals(cli, mini):
    one = cli("validate", mini)
    assert one.code == 0 and "1 file checked: 0 errors, 0 warnings" in one.out
    from quizgen.errors import InputError, plural

    assert (plural(1, "question"), plural(2, "question"), plural(0, "file")) == ("1 question", "2 questions", "0 files")
    assert InputError(diagnostics=[__import__("quizgen.errors").errors.Diagnostic("f", message="x")]).summary == "1 problem found"


def test_a_diagnostic_at_line_100_prints_its_number_not_an_emoji(cli, mini):
    text = mini.read_text(encoding="utf-8")
    head, facts = text.split("facts:\n", 1)
    padding = "# padding\n" * (99 - head.count("\n") - 2)
    mini.write_text(head + padding + "facts:\n" + facts.replace("  - id: signing-city\n", "  - id: signing-city\n    kind: settting\n", 1)
                    .replace("    kind: setting\n", "", 1), encoding="utf-8")
    assert mini.read_text(encoding="utf-8").splitlines()[99] == "    kind: settting"
    result = cli("validate", mini)
    assert result.code == 1
    assert f"{mini}:100:" in result.err and "\N{HUNDRED POINTS SYMBOL}" not in result.err, result.err


# ---- the Python API ----------------------------------------------------------------------------------------

def test_per_source_writers_refuse_a_bank_of_several_sources(tmp_path, all_packs):
    import quizgen
    from quizgen.errors import UsageError

    bank = quizgen.build_bank(all_packs)
    assert len(bank.sources) >= 2
    for write in (quizgen.write_deck, quizgen.write_quiz):
        with pytest.raises(UsageError, match="bank.filter"):
            write(bank, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    quizgen.write_csv(bank, tmp_path / "all.csv")  # the CSV holds any number of sources
    assert set(quizgen.read_csv(tmp_path / "all.csv").sources) == set(bank.sources)


def test_reprs_are_short(tmp_path, talks_pack, talks_bank):
    import quizgen
    from quizgen.quiz import select_quiz

    deck = quizgen.write_deck(talks_bank, tmp_path / "t.apkg")
    written = quizgen.write_csv(talks_bank, tmp_path / "t.csv")
    quiz_files = quizgen.write_quiz(talks_bank, tmp_path / "q")
    for obj in (talks_pack, talks_bank, talks_bank.questions[0], select_quiz(talks_bank), deck, written, quiz_files[0]):
        assert len(repr(obj)) < 200, repr(obj)[:300]


def test_public_api_is_typed_and_documented():
    import quizgen

    for name in quizgen.__all__:
        obj = getattr(quizgen, name)
        if not callable(obj):
            continue
        assert obj.__doc__ and len(obj.__doc__) > 30, name
        sig = inspect.signature(obj)
        assert sig.return_annotation is not inspect.Signature.empty, name
        for p in sig.parameters.values():
            assert p.annotation is not inspect.Parameter.empty, (name, p.name)


def test_what_the_public_api_returns_is_documented():
    from quizgen.atomic import Written
    from quizgen.bank import Bank, Question
    from quizgen.facts import SourcePack
    from quizgen.writers.anki import DeckResult

    undocumented = []
    for cls in (Bank, Question, SourcePack, DeckResult, Written):
        if not cls.__doc__:
            undocumented.append(cls.__name__)
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            func = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
            if callable(func) and not func.__doc__:
                undocumented.append(f"{cls.__name__}.{name}")
    assert not undocumented, undocumented



def test_questions_explain_says_why_each_form_was_not_made(cli):
    from conftest import ROOT

    result = cli("questions", "origin_of_species_1859", "--fact", "the-laws", "--explain", cwd=ROOT)
    assert result.code == 0, result
    assert "the-laws.multi" in result.out
    assert "Forms not made" in result.out and "select-all" in result.out
