"""Commands that read and show: validate, facts, questions, schema."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError
from .app import app
from .common import QTYPES_HELP, check_types, console, load_bank, print_diagnostics, progress_wanted, report_written

@app.command()
def validate(
    paths: Optional[List[Path]] = typer.Argument(None, help="Fact files (.yaml) or CSV banks (.csv); default: every fact file under source_texts/."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
) -> None:
    """Check fact files (or CSV banks) and report every problem at once.

    Each problem is printed as FILE:LINE:COL: RECORD: what is wrong (expected ..., found ...).
    Exit 0 when clean, 1 when any error (or warning with --strict), 2 on a usage error.

    Example: quizgen validate source_texts/six_party_talks_2003.yaml
    """
    from ..errors import Report
    from ..facts import all_diagnostics_for
    from ..sources import resolve_sources

    report = Report()
    yaml_paths = [p for p in (paths or []) if p.suffix.lower() != ".csv"]
    csv_paths = [p for p in (paths or []) if p.suffix.lower() == ".csv"]
    checked = 0
    if yaml_paths or not csv_paths:
        files = yaml_paths or resolve_sources(None)
        packs, r = all_diagnostics_for(list(files))
        report.extend(r)
        checked += len(files)
        if packs:
            from ..generate import build_bank
            from ..lint import unused_facts

            for pack in packs:
                bank = build_bank(pack)
                for w in bank.warnings:
                    report.warning(pack.facts_path, w.split(": ", 1)[-1])
                report.extend(unused_facts(pack, bank))
    for p in csv_paths:
        from ..writers.csv import read_bank
        from ..errors import InputError

        try:
            _, r = read_bank(p)
            report.extend(r)
        except InputError as exc:
            report.diagnostics.extend(exc.diagnostics)
        checked += 1
    print_diagnostics(report.diagnostics)
    n_err, n_warn = len(report.errors), len(report.warnings)
    failed = n_err > 0 or (strict and n_warn > 0)
    summary = f"{checked} file(s) checked: {n_err} error(s), {n_warn} warning(s)"
    if failed:
        console(stderr=True).print(summary, style="red", markup=False)
        raise typer.Exit(1)
    console().print(summary + (" - all good" if not n_warn else ""), markup=False)


@app.command()
def facts(path: Optional[str] = typer.Argument(None, help="A fact file or source name; default: every source.")) -> None:
    """List the fact records as a table (id, kind, answer, evidence excerpt).

    Example: quizgen facts six_party_talks_2003
    """
    from rich.table import Table

    from ..answers import display_answer
    from ..facts import load_pack
    from ..sources import resolve_sources

    out = console()
    for p in resolve_sources([path] if path else None):
        pack = load_pack(p)
        table = Table(title=f"{pack.meta.deck_name}: {len(pack.facts)} records", show_lines=False)
        for col in ("id", "kind", "answer", "evidence"):
            table.add_column(col, overflow="fold")
        for f in pack.facts:
            ev = f.evidence[0]
            table.add_row(f.id, f.kind, display_answer(pack, f), ev if len(ev) <= 70 else ev[:67] + "...")
        out.print(table)


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output.")) -> None:
    """Print the JSON Schema of fact files (for editors such as VS Code).

    Example: quizgen schema -o docs/fact-schema.json
    """
    import json

    from ..schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from ..atomic import write_text

        write_text(output, text)


@app.command()
def questions(
    source: Optional[str] = typer.Argument(None, help="A source name or fact file; default: every source."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", help=f"Only these types: {QTYPES_HELP}."),
    fact: Optional[str] = typer.Option(None, "--fact", help="Only the questions built from this fact id."),
    seed: int = typer.Option(0, "--seed", help="Seed for distractor choice and option order."),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Read the bank from an edited CSV instead of the fact records."),
) -> None:
    """Print the question bank as a readable table.

    Example: quizgen questions six_party_talks_2003 --type mcq
    """
    from rich.table import Table

    from ..bank import TYPE_LABELS

    types = check_types(qtype)
    bank = load_bank([source] if source else None, seed, from_csv).filter(types=types, fact=fact)
    table = Table(title=f"{len(bank)} questions", show_lines=True)
    for col in ("id", "type", "question", "answer"):
        table.add_column(col, overflow="fold")
    for q in bank:
        prompt = q.prompt
        if q.type == "mcq":
            prompt += "\n" + "\n".join(f"  {'ABCD'[i]}. {o}" for i, o in enumerate(q.options))
        elif q.type == "ordering":
            prompt += "\n" + "\n".join(f"  {letter}. {o}" for letter, o in q.shown_items())
        elif q.type == "matching":
            prompt += "\n" + "\n".join(f"  {i + 1}. {o}" for i, o in enumerate(q.options))
            prompt += "\n" + "\n".join(f"  {letter}. {o}" for letter, o in q.shown_items())
        table.add_row(q.id, TYPE_LABELS[q.type], prompt, q.answer_text)
    console().print(table)
