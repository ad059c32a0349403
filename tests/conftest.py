"""Shared fixtures: the repository, the shipped sources, a CLI runner, and a small fact file to break."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "source_texts"
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current writers (review the diff).")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def talks_pack():
    from quizgen.facts import load_pack

    return load_pack(SOURCES / "six_party_talks_2003.yaml")


@pytest.fixture(scope="session")
def talks_bank(talks_pack):
    from quizgen.generate import build_bank

    return build_bank(talks_pack)


@pytest.fixture(scope="session")
def all_packs():
    from quizgen.facts import load_pack

    return [load_pack(p) for p in sorted(SOURCES.glob("*.yaml"))]


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[-500:]!r}, err={self.err[-800:]!r})"


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run quizgen in-process from a folder; returns exit code, stdout and stderr."""
    from quizgen.cli import main

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini(tmp_path) -> Path:
    """A copy of the small, valid test source in a temporary source_texts/ folder."""
    folder = tmp_path / "source_texts"
    folder.mkdir()
    for f in (DATA / "mini").iterdir():
        shutil.copy(f, folder / f.name)
    return folder / "mini.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's sources and committed outputs, to edit without touching the repository."""
    for name in ("source_texts", "decks", "notebooks", "exports"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("course-secret.txt", "quizgen.toml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path
