"""quizgen: quizzes and study decks from hand-curated fact records (public API for Jupyter)."""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def load(path: str | Path):
    """Load and validate one fact file (or a source name under source_texts/); raise on any problem."""
    from .facts import load_pack
    from .sources import resolve_source

    return load_pack(resolve_source(path))


def build_bank(packs, seed: int = 0):
    """Build the question bank of one or more loaded sources."""
    from .generate import build_bank as _build

    return _build(packs, seed)


def facts_dataframe(pack):
    """The fact records of a loaded source as a pandas DataFrame, one row per record."""
    from .sources import facts_dataframe as _df

    return _df(pack)


__all__ = ["load", "build_bank", "facts_dataframe", "__version__"]
