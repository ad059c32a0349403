"""quizgen: quizzes and study decks from hand-curated fact records (public API for Jupyter)."""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def load(path: str | Path):
    """Load and validate one fact file (or a source name under source_texts/); raise on any problem."""
    from .facts import load_pack
    from .sources import resolve_source

    return load_pack(resolve_source(path))


def build_bank(packs, seed: str | None = None):
    """Build the question bank of one or more loaded sources (seed: default the course secret of their project)."""
    from .generate import build_bank as _build

    return _build(packs, seed)


def facts_dataframe(pack):
    """The fact records of a loaded source as a pandas DataFrame, one row per record."""
    from .sources import facts_dataframe as _df

    return _df(pack)


def write_deck(bank, path: str | Path):
    """Write an Anki deck (.apkg) of a one-source bank; a manifest beside it keeps updates in place."""
    from .writers.anki import write_deck as _write

    return _write(bank, Path(path))


def write_quiz(bank, folder: str | Path, self_check: bool = True):
    """Write the quiz notebooks of a one-source bank (student, exam, and teacher files under teacher/)."""
    from .writers.notebook import write_notebooks

    return write_notebooks(bank, Path(folder), self_check=self_check, exam_too=True)


def write_csv(bank, path: str | Path):
    """Write the bank as a spreadsheet-safe CSV."""
    from .writers.csv import write_bank

    return write_bank(bank, Path(path))


def read_csv(path: str | Path):
    """Read an exported (perhaps spreadsheet-edited) CSV bank back into a bank."""
    from .writers.csv import read_bank

    return read_bank(Path(path))[0]


def analyse(path_or_dataframe, key=None):
    """Item analysis of grades_long.csv (path or DataFrame); key: the answer key, optional. Displays itself in Jupyter."""
    from .analysis import analyse as _analyse

    return _analyse(path_or_dataframe, key=key)


__all__ = ["load", "analyse", "build_bank", "facts_dataframe", "write_deck", "write_quiz", "write_csv", "read_csv", "__version__"]
