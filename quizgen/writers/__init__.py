"""Output formats: one module per format, registered here; the CLI and the build read their choices from FORMATS."""
from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass, field
from types import ModuleType

from ..errors import UsageError


@dataclass(frozen=True)
class Format:
    """An export format: its module implements render(bank) -> ExportResult (see docs/internals.md)."""

    name: str
    module: str
    extension: str
    platforms: str
    default_selection: str = "quiz"     # "quiz": each source's quiz selection; "bank": every question


@dataclass
class ExportResult:
    """The bytes of one export file, and every question it could not carry or had to change."""

    data: bytes
    carried: list[str] = field(default_factory=list)                 # question ids carried
    dropped: list[tuple[str, str]] = field(default_factory=list)     # (question id, why it is not in the file)
    changed: list[tuple[str, str]] = field(default_factory=list)     # (question id, what was changed to fit)


# One line per format; a new format is one module in quizgen/writers/ and one line here. What students answer
# (LMS quizzes, games) takes each source's quiz, one question per idea; the CSV bank and the Quizlet study set take
# every question (--all gives the whole bank to any format).
FORMATS: dict[str, Format] = {
    "csv": Format("csv", "quizgen.writers.csv", ".csv", "spreadsheets (Excel, LibreOffice, Google Sheets); quizgen --from", "bank"),
    "qti": Format("qti", "quizgen.writers.qti", ".qti.zip", "Canvas Classic Quizzes, Sakai, PrairieLearn (QTI 1.2)"),
    "moodle": Format("moodle", "quizgen.writers.moodle", ".moodle.xml", "Moodle (Moodle XML question import)"),
    "gift": Format("gift", "quizgen.writers.gift", ".gift.txt", "Moodle question bank (GIFT import); other GIFT readers", "quiz"),
    "kahoot": Format("kahoot", "quizgen.writers.kahoot", ".kahoot.xlsx", "Kahoot! (spreadsheet import)", "quiz"),
    "blooket": Format("blooket", "quizgen.writers.blooket", ".blooket.csv", "Blooket (spreadsheet import)", "quiz"),
    "gimkit": Format("gimkit", "quizgen.writers.gimkit", ".gimkit.csv", "Gimkit (spreadsheet import)", "quiz"),
    "quizlet": Format("quizlet", "quizgen.writers.quizlet", ".quizlet.txt", "Quizlet (import box); other term/definition flashcard apps", "bank"),
    "anki-text": Format("anki-text", "quizgen.writers.ankitext", ".anki.txt", "Anki (File > Import into a teacher's own collection)", "bank"),
}


def get_format(name: str) -> Format:
    """The format called name, or a usage error naming the known ones."""
    if name in FORMATS:
        return FORMATS[name]
    guess = difflib.get_close_matches(name, list(FORMATS), n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    raise UsageError(f"unknown format '{name}' (expected one of: {', '.join(FORMATS)}).{hint}")


def load_writer(name: str) -> ModuleType:
    """Import a format's module only when it is used (the CLI starts without pandas, lxml or openpyxl)."""
    return importlib.import_module(get_format(name).module)
