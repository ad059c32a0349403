"""The orchestrator behind `quizgen build`: validate every source, build each bank, write every output atomically."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .atomic import write_bytes
from .bank import QUESTION_TYPES, Bank

OUTPUTS = ("deck", "notebook", "csv")   # and any export format in quizgen.writers.FORMATS
CSV_NAME = "question_bank.csv"


@dataclass
class Planned:
    path: Path
    data: bytes
    source: str

    def state(self) -> str:
        if not self.path.is_file():
            return "new"
        return "up to date" if self.path.read_bytes() == self.data else "changed"


def plan_outputs(packs, banks: dict[str, Bank], only: list[str], out: Path, step=lambda label: None) -> tuple[list[Planned], list[str]]:
    """Every output file and its bytes, computed in memory; and notes to tell the teacher (retired notes).

    step(label) is called as each piece of work starts, for progress reporting.
    """
    from .export import build_outputs
    from .writers.anki import _load_manifest, manifest_path_for, manifest_text, render_deck
    from .writers.notebook import render_notebooks

    planned: list[Planned] = []
    notes: list[str] = []
    for pack in packs:
        bank = banks[pack.name]
        if "deck" in only:
            step(f"{pack.name}: deck")
            apkg = out / "decks" / f"{pack.name}.apkg"
            manifest_path = manifest_path_for(apkg)
            data, manifest, result = render_deck(bank, _load_manifest(manifest_path), previous=apkg)
            planned.append(Planned(apkg, data, pack.name))
            planned.append(Planned(manifest_path, manifest_text(manifest).encode("utf-8"), pack.name))
            notes += [f"{pack.name}: deck: {line}" for line in result.change_lines()]
            notes += [f"{pack.name}: deck: skipped {s}" for s in result.skipped]
        if "notebook" in only:
            step(f"{pack.name}: notebooks")
            files = render_notebooks(bank, out / "notebooks", self_check=True, exam_too=True)
            planned += [Planned(p, text.encode("utf-8"), pack.name) for p, text in files.items()]
    for fmt in [o for o in only if o not in ("deck", "notebook")] if banks else []:
        step(f"exports: {fmt}")
        for path, data, source, report in build_outputs(banks, [fmt], out):
            planned.append(Planned(path, data, source))
            notes += report
    return planned, notes


def run_build(sources: list[str] | None, only: list[str] | None, out: Path, check: bool, console, err_console,
              progress: bool = False) -> bool:
    """only None: decks, notebooks and the export formats of the project's quizgen.toml (the CSV without one)."""
    from rich.table import Table

    from .facts import all_diagnostics_for
    from .generate import build_bank
    from .sources import resolve_sources

    from .course import course_seed, project_root_of, secret_path

    paths = resolve_sources(sources)
    for root in sorted({r for r in map(project_root_of, paths) if r is not None}):
        if not secret_path(root).exists() and not check:
            course_seed(root, create=True)
            err_console.print(f"Created the course secret {secret_path(root)}: keep it with your teacher files, never give it to students.", markup=False)
    if only is None:
        from .export import configured_exports

        roots = sorted({r for r in map(project_root_of, paths) if r is not None})
        only = ["deck", "notebook", *configured_exports(roots[0] if len(roots) == 1 else Path("."))]
    packs, report = all_diagnostics_for(paths)
    for d in report.diagnostics:
        err_console.print(str(d), style="red" if d.level == "error" else "yellow", markup=False)
    if report.errors:
        err_console.print(f"Validation failed: {len(report.errors)} error(s) in {len(paths)} fact file(s); nothing was written.", style="red", markup=False)
        return False

    banks: dict[str, Bank] = {}
    per_source = [o for o in only if o in ("deck", "notebook")]
    total = len(packs) * (1 + len(per_source)) + len(only) - len(per_source)
    if progress and total > 2:
        from rich.progress import Progress

        with Progress(transient=True, console=err_console) as bar:
            task = bar.add_task("Building", total=total)

            def step(label: str) -> None:
                bar.update(task, description=label)
                bar.advance(task)

            for pack in packs:
                step(f"{pack.name}: question bank")
                banks[pack.name] = build_bank(pack)
            planned, notes = plan_outputs(packs, banks, only, out, step)
    else:
        def step(label: str) -> None:
            if not check:
                err_console.print(f"building {label}", markup=False)

        for pack in packs:
            step(f"{pack.name}: question bank")
            banks[pack.name] = build_bank(pack)
        planned, notes = plan_outputs(packs, banks, only, out, step)

    states = {p.path: p.state() for p in planned}
    if check:
        stale = [p for p in planned if states[p.path] != "up to date"]
        for p in stale:
            err_console.print(f"{p.path}: out of date with the facts ({states[p.path]}); run 'quizgen build'", style="red", markup=False)
        if stale:
            err_console.print(f"{len(stale)} output file(s) out of date.", style="red", markup=False)
            return False
        console.print(f"All {len(planned)} output files are up to date.", markup=False)
        return True

    for p in planned:
        if states[p.path] != "up to date":
            write_bytes(p.path, p.data, make_parents=True)

    table = Table(title="quizgen build")
    for col in ("source", "facts", "questions", "by type"):
        table.add_column(col)
    for pack in packs:
        counts = banks[pack.name].counts_by_type()
        table.add_row(pack.name, str(len(pack.facts)), str(len(banks[pack.name])),
                      ", ".join(f"{t} {counts[t]}" for t in QUESTION_TYPES if counts[t]))
    console.print(table)
    files = Table(title="Files")
    for col in ("file", "size", "state"):
        files.add_column(col)
    for p in planned:
        files.add_row(str(p.path), f"{len(p.data):,}", states[p.path])
    console.print(files)
    changed = sum(1 for s in states.values() if s != "up to date")
    console.print(f"{changed} file(s) written, {len(planned) - changed} already up to date.", markup=False)
    for n in notes:
        console.print(n, markup=False)
    return True
