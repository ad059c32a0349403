"""Commands that read and show: validate, facts, questions, review, schema."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import plural
from .app import app
from .common import LIST_HELP, QTYPES, QTYPES_HELP, check_choices, console, csv_banks, fact_sources, print_diagnostics, require_selection, split_list


@app.command()
def validate(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="FILE", help="Fact files (.yaml) or CSV banks (.csv); default: every fact file under source_texts/."),
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
    summary = f"{plural(checked, 'file')} checked: {plural(n_err, 'error')}, {plural(n_warn, 'warning')}"
    if failed:
        console(stderr=True).print(summary, style="red")
        raise typer.Exit(1)
    console().print(summary + (" - all good" if not n_warn else ""))


@app.command()
def facts(path: Optional[str] = typer.Argument(None, metavar="SOURCE", help="A source name or fact file; default: every source.")) -> None:
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
        table = Table(title=f"{pack.meta.deck_name}: {plural(len(pack.facts), 'record')}", show_lines=False)
        for col in ("id", "kind", "answer", "evidence"):
            table.add_column(col, overflow="fold")
        for f in pack.facts:
            ev = f.evidence[0]
            table.add_row(f.id, f.kind, display_answer(pack, f), ev if len(ev) <= 70 else ev[:67] + "...")
        out.print(table)


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output. Missing folders are created.")) -> None:
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
    source: Optional[str] = typer.Argument(None, metavar="SOURCE", help="A source name or fact file; default: every source."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", metavar="TYPE", help=f"Only questions of these types ({QTYPES_HELP}; {LIST_HELP})."),
    tag: Optional[List[str]] = typer.Option(None, "--tag", metavar="TAG", help=f"Only questions with one of these tags ({LIST_HELP})."),
    fact: Optional[str] = typer.Option(None, "--fact", metavar="ID", help="Only the questions built from the record with this id."),
    from_csv: Optional[Path] = typer.Option(None, "--from", metavar="FILE", help="Read the bank from a CSV edited in a spreadsheet instead of the fact records."),
    explain: bool = typer.Option(False, "--explain", help="Also list, per record, each form it did not yield and why (too few distractors, a blank without context, ...)."),
) -> None:
    """Print the question bank as a readable table: the very questions 'quizgen build' writes.

    Exit 1 when the filters select no question.

    Example: quizgen questions six_party_talks_2003 --type mcq,tf
    """
    from rich.table import Table

    from ..bank import TYPE_LABELS
    from ..build import combine

    types = check_choices("--type", split_list(qtype), QTYPES)
    tags = split_list(tag)
    if from_csv is not None:
        banks = csv_banks(from_csv)
        if source:
            banks = {k: v for k, v in banks.items() if k == source}
    else:
        _, banks = fact_sources([source] if source else None)
    bank = combine(banks)
    if types or tags or fact:
        bank = require_selection(bank, source or "any source", types, tags, fact)
    table = Table(title=plural(len(bank), "question"), show_lines=True)
    for col in ("id", "type", "question", "answer"):
        table.add_column(col, overflow="fold")
    for q in bank:
        prompt = q.prompt
        if q.type in ("mcq", "multi"):
            prompt += "\n" + "\n".join(f"  {letter}. {o}" for letter, o in q.shown_items())
        elif q.type == "ordering":
            prompt += "\n" + "\n".join(f"  {letter}. {o}" for letter, o in q.shown_items())
        elif q.type == "matching":
            prompt += "\n" + "\n".join(f"  {i + 1}. {o}" for i, o in enumerate(q.options))
            prompt += "\n" + "\n".join(f"  {letter}. {o}" for letter, o in q.shown_items())
        table.add_row(q.id, TYPE_LABELS[q.type], prompt, q.answer_text)
    console().print(table)
    if explain:
        skipped = [s for s in bank.skipped if (not fact or s.fact_id == fact)]
        why = Table(title=f"Forms not made: {plural(len(skipped), 'form')}", show_lines=False)
        for col in ("source", "record", "form", "why"):
            why.add_column(col, overflow="fold")
        for s in skipped:
            why.add_row(s.source, s.fact_id, s.form, s.reason)
        console().print(why)


@app.command()
def review(
    sources: Optional[List[str]] = typer.Argument(None, metavar="SOURCE", help="Source names or fact files; default: every source."),
    out: Path = typer.Option(Path("review"), "-o", "--out", metavar="DIR", help="Folder for the pages (NAME.html). Missing folders are created."),
    stats: Optional[Path] = typer.Option(None, "--stats", metavar="FILE",
                                         help="item_statistics.csv from quizgen analyse (or its folder): show each question's last statistics."),
) -> None:
    """Write one HTML page per source for the teacher: every question as students see it, its key, quote and flags.

    Flags: possible giveaway, cue to the key, weak or off-topic distractor, near-duplicate stem, possible second
    answer; each with the change in the record that fixes it (docs/fact-records.md).

    Example: quizgen review six_party_talks_2003 ; quizgen review --stats grades_report/item_statistics.csv
    """
    from ..review import write_reviews

    for written, page in write_reviews(sources, out, stats):
        counts = ", ".join(f"{kind} {n}" for kind, n in page.flag_counts().items() if n) or "no flags"
        console().print(f"{written} - {page.pack.name}: {plural(len(page.bank), 'question')}, {counts}")

