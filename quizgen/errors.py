"""One error family for quizgen: diagnostics with a place, and the exception that carries them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 question', '2 questions' (many: the plural when it is not word + s, e.g. 'entries')."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input: where it is, which record, what was expected and found."""

    file: str
    line: int = 0
    col: int = 0
    record: str = ""
    message: str = ""
    level: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}"
            if self.col:
                place += f":{self.col}"
        who = f" {self.record}:" if self.record else ""
        prefix = "warning: " if self.level == "warning" else ""
        return f"{place}:{who} {prefix}{self.message}"


class QuizgenError(Exception):
    """Base of every error quizgen reports to a user; the CLI prints it as one line per problem."""

    exit_code = 1

    def __init__(self, message: str = "", diagnostics: list[Diagnostic] | None = None):
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])
        if not message and self.diagnostics:
            errors = [d for d in self.diagnostics if d.level == "error"]
            message = f"{plural(len(errors), 'problem')} found"
        self.summary = message
        super().__init__(message)

    def __str__(self) -> str:
        if not self.diagnostics:
            return self.summary
        return "\n".join([*(str(d) for d in self.diagnostics), self.summary])



class InputError(QuizgenError):
    """An input file (facts, source text, CSV bank, answer key) is missing or malformed."""


class OutputError(QuizgenError):
    """An output cannot be written where it was asked to go."""


class UsageError(QuizgenError):
    """The command was called with arguments that do not fit (exit code 2)."""

    exit_code = 2


@dataclass
class Report:
    """Collects diagnostics so that a run can report every problem at once."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str | Path, message: str, line: int = 0, col: int = 0, record: str = "") -> None:
        self.diagnostics.append(Diagnostic(str(file), line, col, record, message, "error"))

    def warning(self, file: str | Path, message: str, line: int = 0, col: int = 0, record: str = "") -> None:
        self.diagnostics.append(Diagnostic(str(file), line, col, record, message, "warning"))

    def extend(self, other: "Report") -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def raise_if_errors(self, exc: type[QuizgenError] = InputError) -> None:
        if self.errors:
            raise exc(diagnostics=self.diagnostics)
