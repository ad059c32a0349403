"""Commands that write one kind of output: deck, notebook, export.

Without -o each writes exactly what `quizgen build` writes, where build writes it (it runs build's own code for
that output). An option that changes the content (an edited CSV with --from, a quiz selection, a filter) needs
-o outside decks/, notebooks/ and exports/, so a later build never silently undoes it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UsageError, plural
from .app import app
from .common import (LIST_HELP, QTYPES, QTYPES_HELP, check_choices, console, csv_banks, fact_sources, progress_wanted,
                     report_files, require_selection, split_list)

SOURCE_HELP = "A source name (six_party_talks_2003) or a fact file; default: every source under source_texts/."
FROM_HELP = ("Build from a CSV bank edited in a spreadsheet instead of the fact records; needs -o outside "
             "decks/, notebooks/ and exports/ (see docs/csv-format.md).")


def _run_build(sources: list[str] | None, only: str) -> None:
    from ..build import run_build

    run_build(sources, [only], Path("."), check=False, console=console(), err_console=console(stderr=True),
              progress=progress_wanted())


def _write(files) -> None:
    from ..build import write_planned

    report_files(files, write_planned(files))


@app.command()
def deck(
    source: Optional[str] = typer.Argument(None, metavar="SOURCE", help=SOURCE_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Write the .apkg here instead of decks/SOURCE.apkg; one source only. Missing folders "
                                               "are created."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", metavar="FILE",
                                            help="With -o: the deck's history (default: FILE-stem.manifest.json beside it), which keeps "
                                                 "students' updates in place; give decks/SOURCE.manifest.json to continue the built deck's."),
    from_csv: Optional[Path] = typer.Option(None, "--from", metavar="FILE", help=FROM_HELP),
) -> None:
    """Write the Anki deck (.apkg) of each source; a rebuilt deck updates students' cards in place.

    Without -o: decks/SOURCE.apkg and its manifest, exactly as 'quizgen build' writes them. Prints which notes
    changed and which fields (docs/decks.md).

    Example: quizgen deck six_party_talks_2003 ; quizgen deck six_party_talks_2003 --from edited.csv -o handout/talks.apkg
    """
    if manifest is not None and output is None:
        raise UsageError("--manifest goes with -o: decks/SOURCE.apkg always uses decks/SOURCE.manifest.json, as 'quizgen build' does")
    if from_csv is None and output is None:
        _run_build([source] if source else None, "deck")
        return
    from ..build import refuse_managed
    from ..writers.anki import write_deck

    if from_csv is not None:
        if output is None:
            raise UsageError("--from needs -o FILE: a deck built from an edited CSV never goes to decks/, which "
                             "'quizgen build' rewrites from the fact files")
        refuse_managed([output, *([manifest] if manifest else [])], "a deck built from an edited CSV would be undone by the next build")
        banks = csv_banks(from_csv)
        if source:
            banks = {k: v for k, v in banks.items() if k == source}
            if not banks:
                raise UsageError(f"{from_csv} has no questions of the source '{source}'")
    else:
        _, banks = fact_sources([source] if source else None)
    if len(banks) > 1:
        raise UsageError(f"-o names one file, but there are {len(banks)} sources ({', '.join(banks)}): name one source")
    err = console(stderr=True)
    for name, bank in banks.items():
        result = write_deck(bank, output, manifest_path=manifest, warn_new_history=True)
        console().print(str(result))
        for warning in result.warnings:
            err.print(f"WARNING: {warning}", style="bold yellow")


@app.command()
def notebook(
    source: Optional[str] = typer.Argument(None, metavar="SOURCE", help=SOURCE_HELP),
    out: Optional[Path] = typer.Option(None, "-o", "--out", metavar="DIR",
                                       help="Write into DIR (teacher files into DIR/teacher/) instead of notebooks/; "
                                            "needed with any option below. Missing folders are created."),
    all_questions: bool = typer.Option(False, "--all", help="Every question of the bank, not a selection."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", metavar="TYPE", help=f"Only questions of these types ({QTYPES_HELP}; {LIST_HELP})."),
    tag: Optional[List[str]] = typer.Option(None, "--tag", metavar="TAG", help=f"Only questions with one of these tags ({LIST_HELP})."),
    count: Optional[int] = typer.Option(None, "--count", metavar="N", help="At most N questions (a balanced selection)."),
    include_text: bool = typer.Option(True, "--include-text/--no-text",
                                      help="The source text in the student notebooks (found beside the fact file); --no-text "
                                           "leaves it out (a closed-book quiz)."),
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="FILE",
                                          help="A class roster CSV (its 'student' column, docs/gradebook.md): a version of the exam "
                                               "per student, in DIR/SOURCE.versions/, each with its own question and option order."),
    versions: Optional[int] = typer.Option(None, "--versions", metavar="N",
                                           help="N numbered versions of the exam (v01, v02, ...) to hand out by hand, when there is no roster."),
    from_csv: Optional[Path] = typer.Option(None, "--from", metavar="FILE", help=FROM_HELP),
) -> None:
    """Write the quiz notebooks of each source: practice and exam notebooks (with the source text), and solutions,
    nbgrader source and answer key under teacher/.

    Without options: notebooks/ exactly as 'quizgen build' writes it, with the quiz chosen by the fact file's
    source.quiz setting (default: one question per fact, every type, see docs/fact-records.md).
    --all, --type, --tag, --count, --no-text, --roster and --versions make other notebooks; they need -o DIR.
    One key (DIR/teacher/SOURCE.key.json) grades every version.

    Example: quizgen notebook six_party_talks_2003 ; quizgen notebook six_party_talks_2003 --roster roster.csv -o exam/
    """
    types = check_choices("--type", split_list(qtype), QTYPES)
    tags = split_list(tag)
    if count is not None and count < 1:
        raise UsageError(f"--count expected a number of questions (1 or more), but received {count}")
    if all_questions and count is not None:
        raise UsageError("--all and --count contradict each other: choose one")
    if roster is not None and versions is not None:
        raise UsageError("--roster and --versions both say which versions to write: give one of them")
    from ..writers.notebook.versions import from_roster, numbered

    wanted = from_roster(roster) if roster is not None else numbered(versions) if versions is not None else None
    chosen = {"--all": all_questions, "--type": bool(types), "--tag": bool(tags), "--count": count is not None,
              "--no-text": not include_text, "--roster": roster is not None, "--versions": versions is not None}
    custom = [name for name, given in chosen.items() if given]
    if from_csv is None and out is None and not custom:
        _run_build([source] if source else None, "notebook")
        return
    from ..build import notebook_files, quiz_options, refuse_managed

    why = ("notebooks made from an edited CSV would be undone by the next build" if from_csv is not None
           else f"{', '.join(custom)} make{'s' if len(custom) == 1 else ''} other notebooks than the ones build writes there"
           if custom else "")
    if out is None:
        raise UsageError(f"{'--from' if from_csv is not None else custom[0]} needs -o DIR: {why}, so it goes elsewhere "
                         f"(to change the quiz 'quizgen build' makes, set source.quiz in the fact file)")
    if why:
        refuse_managed([out], why)
    packs = {}
    if from_csv is not None:
        banks = csv_banks(from_csv)
        if source:
            banks = {k: v for k, v in banks.items() if k == source}
    else:
        packs, banks = fact_sources([source] if source else None)
    files = []
    for name, bank in banks.items():
        if any(chosen[o] for o in ("--all", "--type", "--tag", "--count")):
            if types or tags:
                require_selection(bank, name, types, tags)
            options = {"count": count, "types": tuple(types), "tags": tuple(tags), "all_questions": all_questions}
        else:
            options = quiz_options(packs.get(name))
        text = None
        if include_text:
            from ..writers.notebook import find_source_text

            text = packs[name].text if name in packs else find_source_text(name)
        files += notebook_files(bank, out, name, options, source_text=text, versions=wanted)
    _write(files)


@app.command()
def export(
    sources: Optional[List[str]] = typer.Argument(None, metavar="SOURCE",
                                                  help="Sources to export (default: every source). exports/question_bank.csv always holds "
                                                       "every source, as build writes it."),
    fmt: str = typer.Option("csv", "--format", metavar="FORMAT", help="csv (default), qti (Canvas), moodle, gift, kahoot, blooket, "
                                                                      "gimkit or quizlet (docs/formats.md)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Write here, or - for standard output, instead of where build writes "
                                               "(exports/question_bank.csv, exports/SOURCE.EXT); needed with --all, --type, --tag "
                                               "or --from. Missing folders are created."),
    all_questions: bool = typer.Option(False, "--all", help="Every question, not each source's quiz (the CSV and Quizlet always have every question)."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", metavar="TYPE", help=f"Only questions of these types ({QTYPES_HELP}; {LIST_HELP})."),
    tag: Optional[List[str]] = typer.Option(None, "--tag", metavar="TAG", help=f"Only questions with one of these tags ({LIST_HELP})."),
    from_csv: Optional[Path] = typer.Option(None, "--from", metavar="FILE", help="Read a CSV bank edited in a spreadsheet instead of the fact records; needs -o."),
) -> None:
    """Export the question bank: CSV for spreadsheets (default), or a quiz for Canvas, Moodle and others.

    Without -o: exactly the files 'quizgen build' writes, where it writes them. Every question a format cannot
    carry, or had to change, is listed on standard error by id.

    Example: quizgen export ; quizgen export six_party_talks_2003 --format qti ; quizgen export --type mcq -o mcq.csv
    """
    from ..writers import FORMATS, get_format

    fmt_info = get_format(check_choices("--format", [fmt], FORMATS)[0])
    types = check_choices("--type", split_list(qtype), QTYPES)
    tags = split_list(tag)
    to_stdout = output is not None and str(output) == "-"
    takes_quiz = fmt_info.default_selection == "quiz"
    custom = [name for name, given in (("--from", from_csv is not None), ("--type", bool(types)), ("--tag", bool(tags)),
                                       ("--all", all_questions and takes_quiz)) if given]
    if output is None:
        if custom:
            raise UsageError(f"{custom[0]} needs -o FILE (or -o - for standard output): exports/ holds the files 'quizgen build' "
                             f"writes from the fact files")
        _run_build(sources or None, fmt_info.name)
        return
    from ..build import combine, quiz_options, refuse_managed
    from ..errors import InputError
    from ..export import export as export_bank, report_lines

    if not to_stdout and (custom or sources):
        refuse_managed([output], "a filtered, partial or edited export would be undone by the next build")
    packs: dict = {}
    if from_csv is not None:
        banks = csv_banks(from_csv)
        if sources:
            banks = {k: v for k, v in banks.items() if k in set(sources)}
    else:
        packs, banks = fact_sources(sources or None)
    combined = combine(banks)
    what = ", ".join(sorted(banks)) or "the bank"
    selected = require_selection(combined, what, types, tags) if types or tags else combined
    # the fact files' quiz settings apply only when the command line chooses nothing itself
    options = {} if custom else {name: quiz_options(pack) for name, pack in packs.items()}
    chosen, result = export_bank(selected, fmt_info.name, all_questions, options)
    err = console(stderr=True)
    for line in report_lines(fmt_info.name, result):
        err.print(line, style="yellow")
    if not result.carried:
        raise InputError(f"{fmt_info.name}: none of the {plural(len(chosen), 'selected question')} could be exported; nothing was written")
    if to_stdout:
        try:
            sys.stdout.write(result.data.decode("utf-8"))
        except UnicodeDecodeError:  # a zip or a spreadsheet
            sys.stdout.flush()
            sys.stdout.buffer.write(result.data)
            sys.stdout.buffer.flush()
        return
    from ..build import Planned

    _write([Planned(output, result.data, what)])
    err.print(f"{fmt_info.name}: {plural(len(result.carried), 'question')} exported, {len(result.dropped)} not carried, "
              f"{plural(len(result.changed), 'change')}")
