"""Exports in any registered format: which questions go (bank or quiz selection), the report, the build's choices."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .bank import Bank
from .errors import Diagnostic, InputError
from .writers import FORMATS, ExportResult, Format, get_format, load_writer

CONFIG_FILE = "quizgen.toml"
DEFAULT_EXPORTS = ("csv",)
CSV_NAME = "question_bank.csv"


def select(bank: Bank, fmt: Format, all_questions: bool = False, quiz_options: dict[str, dict] | None = None) -> Bank:
    """The questions a format carries by default: every one ("bank"), or each source's quiz selection ("quiz":
    one question per idea, none giving another away); all_questions takes every question for any format.

    quiz_options: per source, select_quiz's keyword arguments (the fact file's source.quiz, as the notebooks use).
    """
    if all_questions or fmt.default_selection == "bank":
        return bank
    from .quiz import select_quiz

    chosen = []
    for source in bank.sources:
        options = (quiz_options or {}).get(source, {})
        chosen += [item.question for item in select_quiz(bank.filter(source=source), **options).items]
    return replace(bank, questions=tuple(chosen))


def export(bank: Bank, fmt_name: str, all_questions: bool = False,
           quiz_options: dict[str, dict] | None = None) -> tuple[Bank, ExportResult]:
    """The selection for fmt_name and the writer's result (bytes, carried, dropped, changed)."""
    fmt = get_format(fmt_name)
    chosen = select(bank, fmt, all_questions, quiz_options)
    return chosen, load_writer(fmt.name).render(chosen)


def report_lines(fmt_name: str, result: ExportResult, where: str = "") -> list[str]:
    """One line per question not carried or changed, by id, with the reason."""
    prefix = f"{fmt_name}{' ' + where if where else ''}"
    return ([f"{prefix}: not carried: {qid}: {why}" for qid, why in result.dropped]
            + [f"{prefix}: changed: {qid}: {why}" for qid, why in result.changed])


def default_output(fmt: Format, bank: Bank) -> Path:
    """exports/question_bank.csv for the CSV; exports/SOURCE<ext> (or question_bank<ext> for several sources)."""
    if fmt.name == "csv":
        return Path("exports") / CSV_NAME
    stem = bank.sources[0] if len(bank.sources) == 1 else "question_bank"
    return Path("exports") / f"{stem}{fmt.extension}"


def build_outputs(banks: dict[str, Bank], formats: list[str], out: Path,
                  quiz_options: dict[str, dict] | None = None) -> list[tuple[Path, bytes, str, list[str]]]:
    """What `quizgen build` writes for the export formats: (path, bytes, source, report lines) per file.
    The CSV is one file for every source; every other format is one file per source, with the quiz the
    source's notebooks have (quiz_options: per source, from its fact file)."""
    files = []
    for name in formats:
        fmt = get_format(name)
        if fmt.name == "csv":
            combined = Bank(tuple(q for b in banks.values() for q in b.questions))
            _, result = export(combined, name)
            files.append((out / "exports" / CSV_NAME, result.data, "all sources", report_lines(name, result)))
            continue
        for source, bank in banks.items():
            if not len(bank):
                continue
            _, result = export(bank, name, quiz_options=quiz_options)
            files.append((out / "exports" / f"{source}{fmt.extension}", result.data, source,
                          report_lines(name, result, source)))
    return files


def configured_exports(root: Path) -> list[str]:
    """The formats `quizgen build` writes: [build] exports in ROOT/quizgen.toml, or the CSV alone without one."""
    path = Path(root) / CONFIG_FILE
    if not path.is_file():
        return list(DEFAULT_EXPORTS)
    import tomllib

    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"not valid TOML ({exc})")]) from None
    exports = config.get("build", {}).get("exports", list(DEFAULT_EXPORTS))
    known = ", ".join(FORMATS)
    if not isinstance(exports, list) or not all(isinstance(x, str) for x in exports):
        raise InputError(diagnostics=[Diagnostic(str(path), record="build.exports",
                                                 message=f"expected a list of format names ({known}), found {exports!r}")])
    unknown = [x for x in exports if x not in FORMATS]
    if unknown:
        raise InputError(diagnostics=[Diagnostic(str(path), record="build.exports",
                                                 message=f"unknown format(s) {', '.join(unknown)} (expected some of: {known})")])
    return list(dict.fromkeys(exports))
