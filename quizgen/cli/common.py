"""Helpers shared by the command modules: consoles, diagnostics, option lists, loading banks the way build does."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..errors import InputError, UsageError, plural

if TYPE_CHECKING:
    from rich.console import Console

    from ..bank import Bank
    from ..facts import SourcePack

QTYPES = ("mcq", "multi", "tf", "short", "cloze", "numeric", "matching", "ordering")  # quizgen.bank.QUESTION_TYPES, without importing it
QTYPES_HELP = ", ".join(QTYPES)
LIST_HELP = "repeat the option or give a comma list"


def console(stderr: bool = False) -> "Console":
    """A rich console that prints text as it is: no markup, no emoji codes (':100:' stays ':100:'), no highlighting."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


def print_diagnostics(diagnostics: Iterable) -> None:
    """Each diagnostic on its own line on standard error, errors in red and warnings in yellow."""
    err = console(stderr=True)
    for d in diagnostics:
        err.print(str(d), style="yellow" if d.level == "warning" else "red")


def split_list(values: Iterable[str] | None) -> list[str]:
    """Values of a repeatable option, each possibly a comma list: ['mcq,tf', 'short'] -> ['mcq', 'tf', 'short']."""
    out: list[str] = []
    for value in values or []:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def check_choices(option: str, values: list[str], allowed: Iterable[str]) -> list[str]:
    """UsageError naming the option, the value and the choices (with a guess) if a value is not allowed."""
    import difflib

    allowed = list(allowed)
    for v in values:
        if v not in allowed:
            guess = difflib.get_close_matches(v, allowed, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            raise UsageError(f"{option} expected one of {', '.join(allowed)}, but received '{v}'{hint}")
    return values


def fact_sources(sources: list[str] | None) -> tuple[dict[str, "SourcePack"], dict[str, "Bank"]]:
    """Each source's pack and bank, exactly as `quizgen build` makes them (validated, per source, the course secret)."""
    from ..build import build_banks, ensure_course_secrets, validated_packs
    from ..sources import resolve_sources

    paths = resolve_sources(sources)
    packs, warnings = validated_packs(paths)
    print_diagnostics(warnings)
    ensure_course_secrets(paths, lambda message: console(stderr=True).print(message))
    return {p.name: p for p in packs}, build_banks(packs)


def csv_banks(from_csv: Path) -> dict[str, "Bank"]:
    """The banks of an edited CSV, by source."""
    from ..writers.csv import read_bank

    bank, report = read_bank(from_csv)
    print_diagnostics(report.warnings)
    if not bank.questions:
        raise InputError(f"{from_csv} holds no questions")
    return {name: bank.filter(source=name) for name in bank.sources}


def require_selection(bank: "Bank", what: str, types: list[str] = (), tags: list[str] = (), fact: str | None = None) -> "Bank":
    """bank.filter(...), or InputError (exit 1) saying what was asked for and what there is, when nothing matches."""
    kept = bank.filter(types=types or None, tags=tags or None, fact=fact)
    if kept.questions:
        return kept
    asked = " ".join([*(f"--type {t}" for t in types), *(f"--tag {t}" for t in tags), *([f"--fact {fact}"] if fact else [])])
    there = []
    if types:
        counts = bank.counts_by_type()
        there.append("types: " + (", ".join(f"{t} ({n})" for t, n in counts.items() if n) or "none"))
    if tags:
        there.append("tags: " + (", ".join(sorted({t for q in bank for t in q.tags})) or "none"))
    if fact:
        there.append(f"facts: {plural(len({f for q in bank for f in q.fact_ids}), 'fact')}, see 'quizgen facts'")
    raise InputError(f"no question of {what} matches {asked}" + (f" ({'; '.join(there)})" if there else ""))


def progress_wanted() -> bool:
    """A progress bar only for a person at a terminal (not in CI, not in a pipe)."""
    import os

    return sys.stderr.isatty() and not os.environ.get("CI")


def report_files(files, states: dict[Path, str]) -> None:
    """One line per output file: its path, size and state."""
    out = console()
    for p in files:
        out.print(f"{p.path} ({len(p.data):,} bytes, {states[p.path]})")
    changed = sum(1 for s in states.values() if s != "up to date")
    out.print(f"{plural(changed, 'file')} written, {len(states) - changed} already up to date.")
