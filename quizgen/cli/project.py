"""Commands for the whole project: init (start a source) and build (every output)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .app import app
from .common import LIST_HELP, check_choices, console, progress_wanted, split_list


@app.command()
def init(name: str = typer.Argument(..., metavar="NAME", help="The new source's name: lower-case letters, digits, - and _ (e.g. apollo_11).")) -> None:
    """Start a source: write source_texts/NAME.yaml (a commented fact-file template) and source_texts/NAME.txt (a stub).

    Creates source_texts/ in the current folder if needed (the folder becomes a quizgen project); never
    overwrites a file. The template works as it stands: replace the text and the records.

    Example: quizgen init apollo_11
    """
    from ..atomic import write_text
    from ..errors import OutputError
    from ..sources import SOURCE_DIR
    from ..starter import NAME_PATTERN, TEXT_STUB, template

    if not NAME_PATTERN.match(name):
        raise UsageError(f"NAME expected lower-case letters, digits, - and _ (starting with a letter or digit), but received '{name}'")
    facts, text = SOURCE_DIR / f"{name}.yaml", SOURCE_DIR / f"{name}.txt"
    existing = [p for p in (facts, text) if p.exists()]
    if existing:
        raise OutputError(f"{' and '.join(map(str, existing))} already exist{'s' if len(existing) == 1 else ''}: "
                          f"nothing was written (choose another NAME, or edit the existing files)")
    write_text(text, TEXT_STUB)
    write_text(facts, template(name, schema_committed=Path("docs/fact-schema.json").is_file()))
    out = console()
    out.print(f"Wrote {facts} (the fact-file template) and {text} (a stub for the text).")
    out.print(f"Next: paste the text into {text}, write the records in {facts}, then run quizgen validate {name}.")


@app.command()
def build(
    source: Optional[List[str]] = typer.Option(None, "--source", metavar="SOURCE",
                                               help=f"Only these sources' decks and notebooks ({LIST_HELP}); default: every fact file under "
                                                    "source_texts/. exports/question_bank.csv always holds every source."),
    only: Optional[List[str]] = typer.Option(None, "--only", metavar="OUTPUT",
                                             help=f"Only these outputs: deck, notebook, or an export format (csv, qti, moodle, ...; {LIST_HELP}). "
                                                  "Default: decks, notebooks and the formats in quizgen.toml (the CSV without one)."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR",
                                       help="Write decks/, notebooks/ and exports/ under DIR instead of the current folder. "
                                            "Missing folders are created."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 naming every output that is out of date."),
) -> None:
    """Validate every fact file, build each bank, and write every output (the main job).

    Writes decks/SOURCE.apkg, notebooks/SOURCE*.ipynb (+ teacher/), exports/question_bank.csv, and
    exports/SOURCE.EXT for each format in quizgen.toml's [build] exports (see docs/formats.md); the quiz in the
    notebooks and quiz exports follows each fact file's source.quiz setting. Files whose content did not change
    are not rewritten. Creates course-secret.txt on first use.

    Example: quizgen build ; quizgen build --check ; quizgen build --source gettysburg_address --only deck,notebook
    """
    from ..build import OUTPUTS, run_build
    from ..writers import FORMATS

    outputs = check_choices("--only", split_list(only), dict.fromkeys([*OUTPUTS, *FORMATS]))
    ok = run_build(split_list(source) or None, outputs or None, out or Path("."), check=check,
                   console=console(), err_console=console(stderr=True), progress=progress_wanted())
    if not ok:
        raise typer.Exit(1)
