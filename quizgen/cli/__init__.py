"""The quizgen command line: thin typer commands, one module per group, that import the heavy parts late.

Errors become messages in one place, main() below. The entry point is quizgen.cli:main; a new command goes in
the module of its group (or a new module imported below) and registers itself on quizgen.cli.app.app.
"""
from __future__ import annotations

import sys

from ..errors import QuizgenError
from .app import app
from .common import print_diagnostics
from . import project, inspect, outputs, grade  # noqa: E402,F401  (registers the commands, in help order)

INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (typer returns it for KeyboardInterrupt)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every quizgen error into messages and an exit code."""
    try:  # typer >= 0.20 vendors click; older ones use click itself
        from typer._click import exceptions as click_exc
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import exceptions as click_exc

    try:
        rv = app(args=argv, standalone_mode=False, prog_name="quizgen")
    except QuizgenError as exc:
        if exc.diagnostics:
            print_diagnostics(exc.diagnostics)
        print(f"quizgen: {exc.summary}", file=sys.stderr)
        code = exc.exit_code
    except click_exc.ClickException as exc:  # usage errors (exit 2) and the like
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        code = INTERRUPTED
    except Exception as exc:  # a bug, not bad input: one line for users, the traceback on request
        if exc.__class__.__name__ == "Abort":  # typer's end of input at a prompt
            print("quizgen: aborted", file=sys.stderr)
            return _finish(1, argv)
        import os
        import traceback

        if os.environ.get("QUIZGEN_DEBUG"):
            traceback.print_exc()
        print(f"quizgen: internal error: {exc.__class__.__name__}: {exc} (set QUIZGEN_DEBUG=1 for details, and please report it)",
              file=sys.stderr)
        code = 1
    else:
        code = rv if isinstance(rv, int) else 0
    if code == INTERRUPTED:
        # every file is written to a temporary name and renamed: each is either the old one or the new one
        print("quizgen: interrupted; files already written are complete, the others were left as they were", file=sys.stderr)
    return _finish(code, argv)


def _finish(code: int, argv: list[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code


if __name__ == "__main__":
    main()
