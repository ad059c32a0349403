"""Reading the text of a table a teacher saved from a spreadsheet (a CSV bank, a roster): one set of checks and messages."""
from __future__ import annotations

from pathlib import Path

from .errors import Diagnostic, InputError, Report


def read_table_text(path: Path, report: Report, what: str, expected: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), or Windows-1252 with a warning; a clear error for a
    missing, empty, binary or unreadable file. `what` names the file ("CSV bank"), `expected` says what should be in it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"{what} not found (expected {expected})")]) from None
    except IsADirectoryError:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"is a folder (expected {expected})")]) from None
    except OSError as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"cannot read the {what}: {exc.strerror}")]) from None
    if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", f"the {what} is empty (expected {expected})")])
    if b"\x00" in raw:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"binary file (expected {expected})")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(diagnostics=[Diagnostic(str(path), line, 0, "", "not UTF-8 text, nor Windows-1252 (save the CSV as UTF-8)")]) from None
        report.warning(path, "not UTF-8: read as Windows-1252 (save as 'CSV UTF-8' to be sure accents survive)", line)
        return text
