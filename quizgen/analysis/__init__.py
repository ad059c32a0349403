"""Item analysis of a quiz's grades (grades_long.csv): statistics per question, reliability, and an HTML report."""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..errors import Diagnostic, InputError

__all__ = ["analyse", "write_report", "load_item_stats", "default_report_folder"]


def analyse(path_or_dataframe, key=None):
    """Analyse grades_long.csv (a path or a DataFrame with its columns); key: the answer key (path or dict), optional.

    Returns an Analysis: .items (statistics per question), .reliability, .write(folder), and it displays itself in
    Jupyter. Raises InputError on a malformed file, or when the grades are not of the key's quiz.
    """
    from .report import Analysis
    from .responses import build_responses

    responses = build_responses(path_or_dataframe, key)
    return Analysis(responses)


def write_report(grades_long, folder=None, key=None):
    """Analyse grades_long.csv and write the report folder (default: beside it); returns (Analysis, files written)."""
    result = analyse(grades_long, key=key)
    return result, result.write(Path(folder) if folder is not None else default_report_folder(Path(grades_long)))


def default_report_folder(grades_long: Path) -> Path:
    """grades_long.csv -> grades_report/ (the folder quizgen grade --report writes too)."""
    stem = grades_long.stem[: -len("_long")] if grades_long.stem.endswith("_long") else grades_long.stem
    return grades_long.with_name(f"{stem}_report")


_FLOATS = ("max_points", "mean_points", "difficulty", "discrimination", "upper_lower", "upper_difficulty",
           "lower_difficulty", "no_answer")


def load_item_stats(stats_csv_path) -> dict[str, dict]:
    """Each question's last statistics from an item_statistics.csv (or the report folder holding it).

    Returns {question id: {"var", "type", "students", "max_points", "mean_points", "difficulty", "discrimination",
    "upper_lower", "upper_difficulty", "lower_difficulty", "key", "no_answer", "options", "flags", "flag_details",
    "prompt"}}; numbers are floats (None where not computed), "flags" a list of codes (see stats.FLAG_TEXT),
    "options" {label: {"all", "upper", "lower", "is_key"}} for choice questions.
    """
    from ..writers.csv import unprotect_cell
    from .report import STATS_FILE

    path = Path(stats_csv_path)
    if path.is_dir():
        path = path / STATS_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"item statistics not found (expected the {STATS_FILE} "
                                                                     "that quizgen analyse writes)")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"cannot read the item statistics ({exc.__class__.__name__})")]) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or "question" not in rows[0] or "difficulty" not in rows[0]:
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", f"expected the header of {STATS_FILE} (question, var, type, ...)")])
    header = [h.strip() for h in rows[0]]
    out: dict[str, dict] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(header):
            raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", f"expected {len(header)} cells, found {len(row)}")])
        cells = {h: unprotect_cell(v) for h, v in zip(header, row)}
        entry: dict = {"var": cells.get("var", ""), "type": cells.get("type", ""), "key": cells.get("key", ""),
                       "prompt": cells.get("prompt", ""), "students": int(cells["students"]) if cells.get("students") else 0}
        for name in _FLOATS:
            entry[name] = _float(cells.get(name, ""), path, line, name)
        entry["flags"] = [f for f in cells.get("flags", "").split(";") if f]
        entry["flag_details"] = [d for d in cells.get("flag_details", "").split("; ") if d]
        keys = set(entry["key"].split(","))
        options = {}
        for h in header:
            if h.startswith("share_") and cells[h] != "":
                label = h[len("share_"):]
                options[label] = {"all": _float(cells[h], path, line, h),
                                  "upper": _float(cells.get(f"upper_{label}", ""), path, line, f"upper_{label}"),
                                  "lower": _float(cells.get(f"lower_{label}", ""), path, line, f"lower_{label}"),
                                  "is_key": label in keys}
        entry["options"] = options
        out[cells["question"]] = entry
    return out


def _float(cell: str, path: Path, line: int, column: str):
    if cell == "":
        return None
    try:
        value = float(cell)
    except ValueError:
        raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", f"column '{column}': expected a number, found '{cell}'")]) from None
    return None if math.isnan(value) else value
