"""quizgen: quizzes and study decks from hand-curated fact records (public API for Jupyter).

    import quizgen
    pack = quizgen.load("six_party_talks_2003")     # or a path to a fact file
    bank = quizgen.build_bank(pack)                 # the very questions `quizgen build` writes
    quizgen.write_deck(bank, "talks.apkg")

Everything heavy is imported when first used. Errors are quizgen.errors classes (InputError, OutputError,
UsageError), whose str() lists every problem found.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas

    from .analysis.report import Analysis
    from .atomic import Written
    from .bank import Bank
    from .facts import SourcePack
    from .writers.anki import DeckResult

__version__ = "0.1.0"


def load(path: str | Path) -> "SourcePack":
    """Load and validate one fact file, given as a path or as a source name under source_texts/.

    Raises quizgen.errors.InputError listing every problem (file:line:col: record: message) if it is wrong.
    """
    from .facts import load_pack
    from .sources import resolve_source

    return load_pack(resolve_source(path))


def build_bank(packs: "SourcePack | Iterable[SourcePack]", seed: str | None = None) -> "Bank":
    """The question bank of one or more loaded sources; each source's questions depend on that source alone.

    seed: by default each source's course secret (course-secret.txt in its project folder), as `quizgen build`
    uses it, or the public seed outside a project (bank.warnings says so). Another seed gives other option
    orders and ids than the built decks and quizzes: use it only to experiment.
    """
    from .generate import build_bank as _build

    return _build(packs, seed)


def facts_dataframe(pack: "SourcePack") -> "pandas.DataFrame":
    """The fact records of a loaded source as a pandas DataFrame, one row per record."""
    from .sources import facts_dataframe as _df

    return _df(pack)


def _one_source(bank: "Bank", writer: str) -> None:
    from .errors import UsageError

    if len(bank.sources) > 1:
        first = bank.sources[0]
        raise UsageError(f"{writer} writes one source's file, but the bank holds questions of {len(bank.sources)} sources "
                         f"({', '.join(bank.sources)}): pass one source's bank, e.g. bank.filter(source={first!r})")


def write_deck(bank: "Bank", path: str | Path) -> "DeckResult":
    """Write the Anki deck (.apkg) of a one-source bank; its manifest beside it keeps students' cards updating in place.

    Raises quizgen.errors.UsageError for a bank of several sources. Missing folders are created.
    """
    from .writers.anki import write_deck as _write

    _one_source(bank, "write_deck")
    return _write(bank, Path(path))


def write_quiz(bank: "Bank", folder: str | Path, self_check: bool = True) -> "list[Written]":
    """Write the quiz notebooks of a one-source bank into folder: practice (NAME.ipynb, with a self-check unless
    self_check=False) and exam (NAME.exam.ipynb), and the teacher's files under folder/teacher/.

    Raises quizgen.errors.UsageError for a bank of several sources. Missing folders are created.
    """
    from .writers.notebook import write_notebooks

    _one_source(bank, "write_quiz")
    return write_notebooks(bank, Path(folder), self_check=self_check, exam_too=True)


def write_csv(bank: "Bank", path: str | Path) -> "Written":
    """Write the bank (any number of sources) as a spreadsheet-safe CSV (UTF-8 with BOM, formulas neutralised)."""
    from .writers.csv import write_bank

    return write_bank(bank, Path(path))


def read_csv(path: str | Path) -> "Bank":
    """Read an exported (perhaps spreadsheet-edited) CSV bank back into a bank; InputError if a row is wrong."""
    from .writers.csv import read_bank

    return read_bank(Path(path))[0]


def analyse(path_or_dataframe: "str | Path | pandas.DataFrame", key: "str | Path | dict | None" = None) -> "Analysis":
    """Item analysis of grades_long.csv (path or DataFrame); key: the answer key, optional. Displays itself in Jupyter."""
    from .analysis import analyse as _analyse

    return _analyse(path_or_dataframe, key=key)


__all__ = ["load", "analyse", "build_bank", "facts_dataframe", "write_deck", "write_quiz", "write_csv", "read_csv", "__version__"]
