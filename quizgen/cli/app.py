"""The typer application every command module registers on, with conventional help: `KEY SUBMISSION...`."""
from __future__ import annotations

import typer
from typer.core import TyperCommand


def _argument_name(param) -> str:
    """SOURCE, SUBMISSION... : the metavar (or the upper-case name), with ... when it takes several values."""
    name = param.metavar or param.name.upper()
    return name + ("..." if param.nargs != 1 and not name.endswith("...") else "")


class QuizgenCommand(TyperCommand):
    """Usage lines and argument lists as in most command-line tools: `quizgen grade [OPTIONS] KEY SUBMISSION...`,
    optional arguments in [ ], no <type> labels."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx, formatter) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_argument_name(param), record[1]))
            elif param.param_type_name == "option":
                opts.append(record)
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


class QuizgenApp(typer.Typer):
    """typer.Typer whose commands all use QuizgenCommand (a command added on another branch gets it too)."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", QuizgenCommand)
        return super().command(*args, **kwargs)


app = QuizgenApp(
    name="quizgen",
    help="Quizzes, Anki decks and CSV question banks from hand-curated fact records.\n\n"
         "Run it in your project folder (the one holding source_texts/); start one with: quizgen init NAME\n\n"
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
