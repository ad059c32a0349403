"""The typer application every command module registers on (kept apart so command modules can import it)."""
from __future__ import annotations

import typer

app = typer.Typer(
    name="quizgen",
    help="Quizzes, Anki decks and CSV question banks from hand-curated fact records.\n\n"
         "Example: quizgen build  (validate every fact file under source_texts/ and write every output)",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"quizgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit.")) -> None:
    """Quizzes, Anki decks and CSV question banks from hand-curated fact records."""
