"""The quizgen command line: thin typer commands that import the heavy parts late; errors become messages here."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import QuizgenError, UsageError

app = typer.Typer(
    name="quizgen",
    help="Quizzes, Anki decks and CSV question banks from hand-curated fact records.\n\n"
         "Example: quizgen build  (validate every fact file under source_texts/ and write every output)",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

QTYPES_HELP = "mcq, tf, short, cloze, matching, ordering or numeric"


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"quizgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit.")) -> None:
    """Quizzes, Anki decks and CSV question banks from hand-curated fact records."""


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _print_diagnostics(diagnostics) -> None:
    err = _console(stderr=True)
    for d in diagnostics:
        style = "yellow" if d.level == "warning" else "red"
        err.print(str(d), style=style, markup=False)


def _check_types(types: list[str] | None) -> list[str]:
    from .bank import QUESTION_TYPES

    for t in types or []:
        if t not in QUESTION_TYPES:
            raise UsageError(f"--type expected one of {', '.join(QUESTION_TYPES)}, but received '{t}'")
    return list(types or [])


def _load_bank(sources: list[str] | None, seed: int, from_csv: Path | None):
    """The bank from fact files (default: every source) or from an edited CSV bank."""
    if from_csv is not None:
        from .writers.csv import read_bank

        bank, report = read_bank(from_csv)
        _print_diagnostics(report.warnings)
        return bank
    from .facts import load_pack
    from .generate import build_bank
    from .sources import resolve_sources

    packs = [load_pack(p) for p in resolve_sources(sources)]
    return build_bank(packs, seed)


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
    from .errors import Report
    from .facts import all_diagnostics_for
    from .sources import resolve_sources

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
            from .generate import build_bank
            from .lint import unused_facts

            for pack in packs:
                bank = build_bank(pack)
                for w in bank.warnings:
                    report.warning(pack.facts_path, w.split(": ", 1)[-1])
                report.extend(unused_facts(pack, bank))
    for p in csv_paths:
        from .writers.csv import read_bank
        from .errors import InputError

        try:
            _, r = read_bank(p)
            report.extend(r)
        except InputError as exc:
            report.diagnostics.extend(exc.diagnostics)
        checked += 1
    _print_diagnostics(report.diagnostics)
    n_err, n_warn = len(report.errors), len(report.warnings)
    failed = n_err > 0 or (strict and n_warn > 0)
    summary = f"{checked} file(s) checked: {n_err} error(s), {n_warn} warning(s)"
    if failed:
        _console(stderr=True).print(summary, style="red", markup=False)
        raise typer.Exit(1)
    _console().print(summary + (" - all good" if not n_warn else ""), markup=False)


@app.command()
def facts(path: Optional[str] = typer.Argument(None, help="A fact file or source name; default: every source.")) -> None:
    """List the fact records as a table (id, kind, answer, evidence excerpt).

    Example: quizgen facts six_party_talks_2003
    """
    from rich.table import Table

    from .answers import display_answer
    from .facts import load_pack
    from .sources import resolve_sources

    console = _console()
    for p in resolve_sources([path] if path else None):
        pack = load_pack(p)
        table = Table(title=f"{pack.meta.deck_name}: {len(pack.facts)} records", show_lines=False)
        for col in ("id", "kind", "answer", "evidence"):
            table.add_column(col, overflow="fold")
        for f in pack.facts:
            ev = f.evidence[0]
            table.add_row(f.id, f.kind, display_answer(pack, f), ev if len(ev) <= 70 else ev[:67] + "...")
        console.print(table)


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output.")) -> None:
    """Print the JSON Schema of fact files (for editors such as VS Code).

    Example: quizgen schema -o docs/fact-schema.json
    """
    import json

    from .schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from .atomic import write_text

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

    from .bank import TYPE_LABELS

    types = _check_types(qtype)
    bank = _load_bank([source] if source else None, seed, from_csv).filter(types=types, fact=fact)
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
    _console().print(table)


@app.command()
def deck(
    source: Optional[str] = typer.Argument(None, help="A source name or fact file; default: every source."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output .apkg (default: decks/<source>.apkg)."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="The deck's history (default: <output>.manifest.json beside it): keeps students' updates in place."),
    seed: Optional[str] = typer.Option(None, "--seed", help="Seed instead of the course secret (as quizgen build does; it picks a choice card's distractors)."),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Build from an edited CSV bank instead of the fact records."),
) -> None:
    """Write an Anki deck (.apkg) per source; rebuilt decks update students' cards in place.

    Prints which notes changed and why (which fields). See docs/decks.md.
    Example: quizgen deck six_party_talks_2003 -o /tmp/talks.apkg --manifest decks/six_party_talks_2003.manifest.json
    """
    from .writers.anki import write_deck

    bank = _load_bank([source] if source else None, seed, from_csv)
    if (output is not None or manifest is not None) and len(bank.sources) > 1:
        raise UsageError("-o and --manifest name one deck, but the bank has several sources (name one source)")
    for name in bank.sources:
        result = write_deck(bank.filter(source=name), output or Path("decks") / f"{name}.apkg", manifest_path=manifest,
                            warn_new_history=output is not None)
        _report_written(result)
        for warning in result.warnings:
            _console(stderr=True).print(f"WARNING: {warning}", style="bold yellow", markup=False)


@app.command()
def notebook(
    source: Optional[str] = typer.Argument(None, help="A source name or fact file; default: every source."),
    out: Path = typer.Option(Path("notebooks"), "-o", "--out", help="Folder for the student notebooks (teacher files go to <out>/teacher/)."),
    self_check: bool = typer.Option(True, "--self-check/--no-self-check", help="Include a check() students can run (off for exams)."),
    include_text: bool = typer.Option(False, "--include-text", help="Include the source text in the student notebook."),
    seed: int = typer.Option(0, "--seed"),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Build from an edited CSV bank instead of the fact records."),
) -> None:
    """Write the quiz notebooks: student, solutions, nbgrader source, and the answer key.

    Example: quizgen notebook six_party_talks_2003 --no-self-check
    """
    from .writers.notebook import write_notebooks

    bank = _load_bank([source] if source else None, seed, from_csv)
    for name in bank.sources:
        for result in write_notebooks(bank.filter(source=name), out, self_check=self_check, include_text=include_text):
            _report_written(result)


@app.command()
def grade(
    key: Path = typer.Argument(..., help="The answer key JSON (notebooks/teacher/<source>.key.json)."),
    submissions: List[Path] = typer.Argument(..., help="Submitted notebooks, folders or zips of them (nbgrader's submitted/ too)."),
    output: Path = typer.Option(Path("grades.csv"), "-o", "--output", help="Wide CSV of grades; the long CSV and feedback go beside it."),
    feedback: str = typer.Option("md", "--feedback", help="Feedback file format: md or html."),
    report: bool = typer.Option(False, "--report", help="Also write the item analysis of these grades into <output stem>_report/."),
    gradebook: Optional[str] = typer.Option(None, "--gradebook", help="Also write the gradebook import file for canvas or moodle, <output stem>_<lms>.csv (needs --roster)."),
    roster: Optional[Path] = typer.Option(None, "--roster", help="The class roster CSV for --gradebook (columns in docs/gradebook.md)."),
    assignment: Optional[str] = typer.Option(None, "--assignment", help="The gradebook column (default: the quiz title); Canvas: 'Title (12345)' updates that assignment."),
    overrides: Optional[Path] = typer.Option(None, "--overrides", help="A CSV of the teacher's decisions (question, given, new_points[, student, note]); see docs/grading.md."),
) -> None:
    """Grade submitted notebooks, folders or zips of them, without running any student code.

    Exit 1, writing nothing, when no submission is the key's quiz. Warnings go to standard error.

    Example: quizgen grade notebooks/teacher/six_party_talks_2003.key.json submitted/ -o grades.csv --report
    """
    if feedback not in ("md", "html"):
        raise UsageError(f"--feedback expected one of md, html, but received '{feedback}'")
    if gradebook is not None and gradebook not in ("canvas", "moodle"):
        raise UsageError(f"--gradebook expected one of canvas, moodle, but received '{gradebook}'")
    if (gradebook is None) != (roster is None):
        raise UsageError("--gradebook and --roster go together (the roster says who is in the class and their LMS ids)")
    if gradebook is not None:  # a bad roster stops the run before any grade is written
        from .gradebook import read_roster

        read_roster(roster, gradebook)
    from .grading import grade_all, print_summary

    result = grade_all(key, submissions, output, feedback_format=feedback, progress=_progress_wanted(), overrides=overrides)
    print_summary(result, _console(), _console(stderr=True))
    long_csv = output.with_name(output.stem + "_long.csv")
    if report:
        from .analysis import write_report

        analysis, written = write_report(long_csv, output.with_name(output.stem + "_report"), key=key)
        _print_diagnostics(analysis.diagnostics)
        _report_written(written[-1])
    if gradebook is not None:
        from .analysis.responses import load_key
        from .gradebook import write_gradebook

        title = assignment or str(load_key(key).get("title") or output.stem)
        written_file, notes = write_gradebook(gradebook, long_csv, roster, output.with_name(f"{output.stem}_{gradebook}.csv"), title)
        _print_diagnostics(notes.warnings)
        _report_written(written_file)


@app.command()
def analyse(
    grades: Path = typer.Argument(..., help="The long grades CSV that quizgen grade writes (grades_long.csv)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Report folder (default: <grades stem>_report/ beside the grades)."),
    key: Optional[Path] = typer.Option(None, "--key", help="The answer key: shows question and option texts, and checks the grades are of its quiz."),
) -> None:
    """Item analysis: difficulty, discrimination, distractors and reliability, as CSV, JSON and an HTML report.

    Example: quizgen analyse grades_long.csv --key notebooks/teacher/six_party_talks_2003.key.json
    """
    from .analysis import write_report

    result, written = write_report(grades, output, key=key)
    _print_diagnostics(result.diagnostics)
    for w in written:
        _report_written(w)
    flagged = sum(1 for s in result.items if s.flags)
    rel = result.reliability
    line = f"{len(result.responses.students)} students, {len(result.items)} questions, {flagged} flagged"
    if rel is not None:
        line += f"; {rel.method} {rel.value:.2f} [{rel.ci_low:.2f}, {rel.ci_high:.2f}], SEM {rel.sem:.2f} points"
    _console().print(line, markup=False)


@app.command()
def export(
    sources: Optional[List[str]] = typer.Argument(None, help="Source names or fact files; default: every source."),
    fmt: str = typer.Option("csv", "--format", help="Output format: csv (default), qti (Canvas), moodle, ... (docs/formats.md)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file, or - for standard output (default: exports/question_bank.csv, exports/<source>.<ext>)."),
    all_questions: bool = typer.Option(False, "--all", help="Every question, not each source's quiz selection (the CSV always has every question)."),
    qtype: Optional[List[str]] = typer.Option(None, "--type", help=f"Only these types: {QTYPES_HELP}."),
    tag: Optional[List[str]] = typer.Option(None, "--tag", help="Only questions with this tag."),
    seed: Optional[str] = typer.Option(None, "--seed", help="Seed instead of the course secret (it decides option order and the ids students see)."),
    from_csv: Optional[Path] = typer.Option(None, "--from", help="Read an edited CSV bank instead of the fact records."),
) -> None:
    """Export the question bank: CSV for spreadsheets (default), or a quiz for Canvas, Moodle and others.

    Every question a format cannot carry, or had to change, is listed on standard error by id.

    Example: quizgen export -o bank.csv ; quizgen export six_party_talks_2003 --format qti
    """
    from .writers import get_format

    fmt_info = get_format(fmt)
    from .atomic import write_bytes
    from .errors import InputError
    from .export import default_output, export as export_bank, report_lines

    types = _check_types(qtype)
    bank = _load_bank(sources, seed, from_csv).filter(types=types, tags=tag)
    if not len(bank):
        raise InputError("no questions to export (check the sources, --type and --tag)")
    chosen, result = export_bank(bank, fmt_info.name, all_questions)
    err = _console(stderr=True)
    for line in report_lines(fmt_info.name, result):
        err.print(line, style="yellow", markup=False)
    if not result.carried:
        raise InputError(f"{fmt_info.name}: none of the {len(chosen)} selected question(s) could be exported; nothing was written")
    if output is not None and str(output) == "-":
        try:
            sys.stdout.write(result.data.decode("utf-8"))
        except UnicodeDecodeError:  # a zip or a spreadsheet
            sys.stdout.flush()
            sys.stdout.buffer.write(result.data)
            sys.stdout.buffer.flush()
        return
    _report_written(write_bytes(output or default_output(fmt_info, chosen), result.data, make_parents=output is None))
    err.print(f"{fmt_info.name}: {len(result.carried)} question(s) exported, {len(result.dropped)} not carried, "
              f"{len(result.changed)} change(s)", markup=False)


@app.command()
def review(
    sources: Optional[List[str]] = typer.Argument(None, help="Source names or fact files; default: every source."),
    out: Path = typer.Option(Path("review"), "-o", "--out", help="Folder for the pages (NAME.html), created if needed."),
    stats: Optional[Path] = typer.Option(None, "--stats", help="item_statistics.csv from quizgen analyse (or its folder): show each question's last statistics."),
) -> None:
    """Write one HTML page per source for the teacher: every question as students see it, its key, quote and flags.

    Flags: possible giveaway, cue to the key, weak or off-topic distractor, near-duplicate stem, possible second
    answer; each with the change in the record that fixes it (docs/fact-records.md).

    Example: quizgen review six_party_talks_2003 ; quizgen review --stats grades_report/item_statistics.csv
    """
    from .review import write_reviews

    for written, page in write_reviews(sources, out, stats):
        counts = ", ".join(f"{kind} {n}" for kind, n in page.flag_counts().items() if n) or "no flags"
        _console().print(f"{written} - {page.pack.name}: {len(page.bank)} questions, {counts}", markup=False)


@app.command()
def build(
    source: Optional[List[str]] = typer.Option(None, "--source", help="Only these sources (default: every fact file under source_texts/)."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Only these outputs: deck, notebook, or an export format (csv, qti, moodle, ...)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write under this folder instead of the project (decks/, notebooks/, exports/)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 naming every output that is out of date."),
) -> None:
    """Validate every fact file, build each bank, and write every output (the main job).

    Writes decks/<source>.apkg, notebooks/<source>*.ipynb (+ teacher/), exports/question_bank.csv, and
    exports/<source>.<ext> for each format in quizgen.toml's [build] exports (see docs/formats.md).
    Files whose content did not change are not rewritten.

    Example: quizgen build ; quizgen build --check
    """
    from .build import OUTPUTS, run_build
    from .writers import FORMATS

    known = list(dict.fromkeys([*OUTPUTS, *FORMATS]))
    for o in only or []:
        if o not in known:
            raise UsageError(f"--only expected one of {', '.join(known)}, but received '{o}'")
    ok = run_build(source or None, only or None, out or Path("."), check=check,
                   console=_console(), err_console=_console(stderr=True), progress=_progress_wanted())
    if not ok:
        raise typer.Exit(1)


def _progress_wanted() -> bool:
    import os

    return sys.stderr.isatty() and not os.environ.get("CI")


def _report_written(result) -> None:
    _console().print(str(result), markup=False)


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
            _print_diagnostics(exc.diagnostics)
        print(f"quizgen: {exc.summary}", file=sys.stderr)
        code = exc.exit_code
    except click_exc.ClickException as exc:  # usage errors (exit 2) and the like
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        print("quizgen: interrupted; outputs already written are complete, the rest were not touched", file=sys.stderr)
        code = 130
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
    return _finish(code, argv)


def _finish(code: int, argv: list[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code


if __name__ == "__main__":
    main()
