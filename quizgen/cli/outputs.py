"""Commands that write one kind of output: deck, notebook, export."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .app import app
from .common import QTYPES_HELP, check_types, console, load_bank, print_diagnostics, progress_wanted, report_written

@app.command()
def deck(
    source: Optional[str] = typer.Argument(None, help="A source name or fact file; default: every source."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output .apkg (default: decks/<source>.apkg)."),
    seed: int = typer.Option(0, "--seed"),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Build from an edited CSV bank instead of the fact records."),
) -> None:
    """Write an Anki deck (.apkg) per source; rebuilt decks update students' cards in place.

    Example: quizgen deck six_party_talks_2003 -o /tmp/talks.apkg
    """
    from ..writers.anki import write_deck

    bank = load_bank([source] if source else None, seed, from_csv)
    if output is not None and len(bank.sources) > 1:
        raise UsageError("-o names one file, but the bank has several sources (name one source)")
    for name in bank.sources:
        result = write_deck(bank.filter(source=name), output or Path("decks") / f"{name}.apkg")
        report_written(result)


@app.command()
def notebook(
    source: Optional[str] = typer.Argument(None, help="A source name or fact file; default: every source."),
    out: Path = typer.Option(Path("notebooks"), "-o", "--out", help="Folder for the student notebooks (teacher files go to <out>/teacher/)."),
    self_check: bool = typer.Option(True, "--self-check/--no-self-check", help="Include a check() students can run (off for exams)."),
    include_text: bool = typer.Option(False, "--include-text", help="Include the source text in the student notebook."),
    seed: int = typer.Option(0, "--seed"),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Build from an edited CSV bank instead of the fact records."),
) -> None:
    """Write the quiz notebooks: student, solutions, nbgrader source, and the answer key.

    Example: quizgen notebook six_party_talks_2003 --no-self-check
    """
    from ..writers.notebook import write_notebooks

    bank = load_bank([source] if source else None, seed, from_csv)
    for name in bank.sources:
        for result in write_notebooks(bank.filter(source=name), out, self_check=self_check, include_text=include_text):
            report_written(result)


@app.command()
def export(
    sources: Optional[List[str]] = typer.Argument(None, help="Source names or fact files; default: every source."),
    fmt: str = typer.Option("csv", "--format", help="Output format (csv)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file, or - for standard output (default: exports/question_bank.csv)."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", help=f"Only these types: {QTYPES_HELP}."),
    tag: Optional[List[str]] = typer.Option(None, "--tag", help="Only questions with this tag."),
    seed: int = typer.Option(0, "--seed"),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Read an edited CSV bank instead of the fact records."),
) -> None:
    """Export the question bank as CSV that opens safely in any spreadsheet and reads back unchanged.

    Example: quizgen export -o bank.csv ; quizgen export --from bank.csv -o -
    """
    if fmt != "csv":
        raise UsageError(f"--format expected one of csv, but received '{fmt}'")
    from ..writers.csv import write_bank

    types = check_types(qtype)
    bank = load_bank(sources, seed, from_csv).filter(types=types, tags=tag)
    if output is not None and str(output) == "-":
        sys.stdout.write(write_bank(bank, None))
        return
    result = write_bank(bank, output or Path("exports") / "question_bank.csv")
    report_written(result)
