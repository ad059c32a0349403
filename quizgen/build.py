"""The orchestrator behind `quizgen build` and every output command: validate, build each source's bank, compute
every output in memory, then write it atomically (or, with --check, compare it with what is on disk).

Every command that writes into the project's decks/, notebooks/ or exports/ goes through plan_outputs(), so a
file there is always exactly what `quizgen build` would write (docs/internals.md, "One question, one form").
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .atomic import write_bytes
from .errors import InputError, UsageError, plural

if TYPE_CHECKING:
    from .bank import Bank
    from .facts import SourcePack

OUTPUTS = ("deck", "notebook", "csv")   # and any export format in quizgen.writers.FORMATS
PER_SOURCE = ("deck", "notebook")       # the others are export formats (quizgen/export.py)
CSV_NAME = "question_bank.csv"
# the folders `quizgen build` owns under the project: nothing else writes there (edited CSVs, custom quizzes)
MANAGED_FOLDERS = ("decks", "notebooks", "exports")


@dataclass
class Planned:
    """One output file: where it goes, its bytes, and which source it belongs to."""

    path: Path
    data: bytes
    source: str

    def __repr__(self) -> str:
        return f"<Planned {self.path} ({len(self.data):,} bytes)>"

    def state(self) -> str:
        """'new', 'changed' or 'up to date' against the file on disk."""
        if not self.path.is_file():
            return "new"
        return "up to date" if self.path.stat().st_size == len(self.data) and self.path.read_bytes() == self.data else "changed"


@dataclass
class Plan:
    """Every output of a run, and what to tell the teacher about it (notes retired from a deck, ...)."""

    files: list[Planned]
    notes: list[str]


# ---- sources, the course secret, banks -----------------------------------------------------------------

def validated_packs(paths: list[Path], named: Iterable[Path] = ()) -> tuple[list["SourcePack"], list]:
    """Every fact file validated in one pass; InputError listing every problem if any is wrong.

    named: the fact files the user asked for; the others are needed only for the combined CSV, and the
    message says so when one of them is the broken one.
    """
    from .facts import all_diagnostics_for

    packs, report = all_diagnostics_for(paths)
    if report.errors:
        summary = (f"validation failed: {plural(len(report.errors), 'error')} in "
                   f"{plural(len({d.file for d in report.errors}), 'fact file')}; nothing was written")
        named_files = {str(p) for p in named}
        if named_files and any(d.file not in named_files for d in report.errors):
            summary += (f" ({CSV_NAME} holds every source's questions, so every fact file must be valid; "
                        f"leave it out with --only deck,notebook)")
        raise InputError(summary, diagnostics=report.diagnostics)
    return packs, report.warnings


def ensure_course_secrets(paths: Iterable[Path], announce: Callable[[str], None]) -> None:
    """Create the course secret of each project the fact files belong to, if it is missing (as build does)."""
    from .course import course_seed, project_root_of, secret_path

    for root in sorted({r for r in map(project_root_of, paths) if r is not None}):
        if not secret_path(root).exists():
            course_seed(root, create=True)
            announce(f"Created the course secret {secret_path(root)}: keep it with your teacher files, never give it to students.")


def build_banks(packs: Iterable["SourcePack"], step: Callable[[str], None] = lambda label: None) -> dict[str, "Bank"]:
    """Each source's bank, built on its own with its project's course secret: the one way every command builds."""
    from .generate import build_bank

    banks = {}
    for pack in packs:
        step(f"{pack.name}: question bank")
        banks[pack.name] = build_bank(pack)
    return banks


def combine(banks: dict[str, "Bank"]) -> "Bank":
    """One bank of several sources' banks, keeping their seed (it keys the ids students see)."""
    from dataclasses import replace

    from .bank import Bank

    if not banks:
        return Bank(())
    ordered = [banks[name] for name in sorted(banks)]
    return replace(ordered[0], questions=tuple(q for b in ordered for q in b.questions),
                   warnings=tuple(w for b in ordered for w in b.warnings), skipped=tuple(s for b in ordered for s in b.skipped))


def quiz_options(pack: "SourcePack | None") -> dict[str, Any]:
    """select_quiz's keyword arguments from the fact file's `source.quiz` setting ({} when it has none)."""
    setting = getattr(getattr(pack, "meta", None), "quiz", None) if pack is not None else None
    if setting is None:
        return {}
    get = setting.get if isinstance(setting, dict) else (lambda name, default=None: getattr(setting, name, default))
    options: dict[str, Any] = {}
    if get("count") is not None:
        options["count"] = int(get("count"))
    if get("types"):
        options["types"] = tuple(get("types"))
    if get("tags"):
        options["tags"] = tuple(get("tags"))
    if get("all") or get("all_questions"):
        options["all_questions"] = True
    return options


# ---- one output kind at a time ----------------------------------------------------------------------------

def deck_files(bank: "Bank", apkg: Path, source: str) -> tuple[list[Planned], list[str]]:
    """The deck and its manifest; lines saying which notes changed (and which fields), and skipped questions."""
    from .writers.anki import _load_manifest, manifest_path_for, manifest_text, render_deck

    manifest_path = manifest_path_for(apkg)
    data, manifest, result = render_deck(bank, _load_manifest(manifest_path), previous=apkg)
    notes = [f"{source}: deck: {line}" for line in result.change_lines()]
    notes += [f"{source}: deck: skipped {s}" for s in result.skipped]
    return [Planned(apkg, data, source), Planned(manifest_path, manifest_text(manifest).encode("utf-8"), source)], notes


def notebook_files(bank: "Bank", folder: Path, source: str, options: dict[str, Any] | None = None,
                   source_text: str | None = None, versions: list[tuple[str, str]] | None = None) -> list[Planned]:
    """Practice and exam notebooks in folder (with the text when source_text is given), solutions, nbgrader source and
    key in folder/teacher/; versions: (label, student) pairs, a version of the exam each, in folder/SOURCE.versions/."""
    from .quiz import select_quiz
    from .writers.notebook import render_notebooks

    quiz = select_quiz(bank, **(options or {}))
    files = render_notebooks(bank, folder, self_check=True, source_text=source_text, exam_too=True, quiz=quiz, versions=versions)
    return [Planned(p, text.encode("utf-8"), source) for p, text in files.items()]


def export_files(banks: dict[str, "Bank"], fmt: str, out: Path, quiz_options: dict[str, dict] | None = None) -> tuple[list[Planned], list[str]]:
    """An export format's files as the build writes them (exports/question_bank.csv of every given bank;
    exports/SOURCE.EXT per source for the other formats), and the lines reporting what a format could not carry."""
    from .export import build_outputs

    files, notes = [], []
    for path, data, source, report in build_outputs({name: banks[name] for name in sorted(banks)}, [fmt], out, quiz_options):
        files.append(Planned(path, data, source))
        notes += report
    return files, notes


def plan_outputs(packs: list["SourcePack"], banks: dict[str, "Bank"], only: Iterable[str], out: Path,
                 csv_banks: dict[str, "Bank"] | None = None, step: Callable[[str], None] = lambda label: None) -> Plan:
    """Every output `quizgen build` writes for these sources, computed in memory.

    only: deck, notebook and export formats (quizgen.writers.FORMATS); csv_banks: the banks of every source, for
    the combined CSV (default: banks).
    """
    only = list(only)
    plan = Plan([], [])
    options = {pack.name: quiz_options(pack) for pack in packs}
    for pack in packs:
        bank = banks[pack.name]
        if "deck" in only:
            step(f"{pack.name}: deck")
            files, notes = deck_files(bank, out / "decks" / f"{pack.name}.apkg", pack.name)
            plan.files += files
            plan.notes += notes
        if "notebook" in only:
            step(f"{pack.name}: notebooks")
            plan.files += notebook_files(bank, out / "notebooks", pack.name, options[pack.name], source_text=pack.text)
    for fmt in [o for o in only if o not in PER_SOURCE]:
        every = csv_banks if (fmt == "csv" and csv_banks is not None) else {p.name: banks[p.name] for p in packs}
        if not every:
            continue
        step(f"exports: {fmt}")
        files, notes = export_files(every, fmt, out, options)
        plan.files += files
        plan.notes += notes
    return plan


def write_planned(files: list[Planned]) -> dict[Path, str]:
    """Write every file whose bytes changed; return each file's state before the write."""
    states = {p.path: p.state() for p in files}
    for p in files:
        if states[p.path] != "up to date":
            write_bytes(p.path, p.data)
    return states


def managed_paths(root: Path = Path(".")) -> list[Path]:
    """The folders `quizgen build` writes (under the project folder)."""
    return [(root / name).resolve() for name in MANAGED_FOLDERS]


def refuse_managed(paths: Iterable[Path], why: str, root: Path = Path(".")) -> None:
    """UsageError if any path is inside decks/, notebooks/ or exports/ of the project: only build writes there."""
    managed = managed_paths(root)
    for p in paths:
        resolved = Path(p).resolve()
        for folder in managed:
            if resolved == folder or folder in resolved.parents:
                raise UsageError(f"{p} is inside {folder.name}/, which holds what 'quizgen build' writes from the fact files; "
                                 f"{why}, so it goes elsewhere: choose another -o")


# ---- the build ----------------------------------------------------------------------------------------------

def run_build(sources: list[str] | None, only: Iterable[str] | None, out: Path, check: bool, console, err_console,
              progress: bool = False) -> bool:
    """Validate, build and write (or check) every output of the given sources (default: every source).

    only: outputs to make (deck, notebook, export formats); None: decks, notebooks and the export formats of the
    project's quizgen.toml (the CSV without one). The combined CSV always holds every source's questions: with
    sources named and "csv" in only, the other sources are built too, for it alone. Returns False when --check
    finds an output out of date; raises InputError (nothing written) when a fact file is wrong.
    """
    from .course import project_root_of
    from .sources import resolve_sources

    named = resolve_sources(sources)
    if only is None:
        from .export import configured_exports

        roots = sorted({r for r in map(project_root_of, named) if r is not None})
        only = ["deck", "notebook", *configured_exports(roots[0] if len(roots) == 1 else Path("."))]
    only = list(dict.fromkeys(only))
    paths = list(named)
    if sources and "csv" in only:
        known = {p.resolve() for p in paths}
        paths += [p for p in resolve_sources(None) if p.resolve() not in known]
    packs, warnings = validated_packs(paths, named if sources else ())
    for d in warnings:
        err_console.print(str(d), style="yellow")
    if not check:
        ensure_course_secrets(paths, lambda message: err_console.print(message))
    named_names = {p.stem for p in named}
    selected = [p for p in packs if p.name in named_names]

    def run(step: Callable[[str], None]) -> tuple[dict[str, "Bank"], Plan]:
        banks = build_banks(packs if "csv" in only else selected, step)
        plan = plan_outputs(selected, banks, only, out, csv_banks=banks, step=step)
        return banks, plan

    total = (len(packs if "csv" in only else selected) + len(selected) * len([o for o in only if o in PER_SOURCE])
             + len([o for o in only if o not in PER_SOURCE]))
    if progress and total > 2:
        from rich.progress import Progress

        with Progress(transient=True, console=err_console) as bar:
            task = bar.add_task("Building", total=total)

            def step(label: str) -> None:
                bar.update(task, description=label)
                bar.advance(task)

            banks, plan = run(step)
    else:
        def step(label: str) -> None:
            if not check:
                err_console.print(f"building {label}")

        banks, plan = run(step)

    if check:
        states = {p.path: p.state() for p in plan.files}
        stale = [p for p in plan.files if states[p.path] != "up to date"]
        for p in stale:
            err_console.print(f"{p.path}: out of date with the facts ({states[p.path]}); run 'quizgen build'", style="red")
        if stale:
            err_console.print(f"{plural(len(stale), 'output file')} out of date.", style="red")
            return False
        console.print(f"All {plural(len(plan.files), 'output file')} are up to date." if len(plan.files) != 1
                      else "The output file is up to date.")
        return True

    states = write_planned(plan.files)
    report_build(selected, banks, plan, states, console)
    return True


def report_build(packs: list["SourcePack"], banks: dict[str, "Bank"], plan: Plan, states: dict[Path, str], console) -> None:
    """The tables a build prints: sources and their questions, then every file and its state."""
    from rich.table import Table

    from .bank import QUESTION_TYPES

    table = Table(title="quizgen build")
    for col in ("source", "facts", "questions", "by type"):
        table.add_column(col)
    for pack in packs:
        counts = banks[pack.name].counts_by_type()
        table.add_row(pack.name, str(len(pack.facts)), str(len(banks[pack.name])),
                      ", ".join(f"{t} {counts[t]}" for t in QUESTION_TYPES if counts[t]))
    if packs:
        console.print(table)
    files = Table(title="Files")
    for col in ("file", "size", "state"):
        files.add_column(col)
    for p in plan.files:
        files.add_row(str(p.path), f"{len(p.data):,}", states[p.path])
    console.print(files)
    changed = sum(1 for s in states.values() if s != "up to date")
    console.print(f"{plural(changed, 'file')} written, {len(plan.files) - changed} already up to date.")
    for n in plan.notes:
        console.print(n)
