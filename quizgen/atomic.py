"""Atomic file writes: a temporary file in the target folder, then a rename, so no reader sees half a file."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, OutputError


@dataclass(frozen=True)
class Written:
    """What happened to one output file."""

    path: Path
    size: int
    changed: bool

    def __str__(self) -> str:
        state = "written" if self.changed else "up to date"
        return f"{self.path} ({self.size:,} bytes, {state})"


def _check_folder(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write: the folder {folder} does not exist (expected an existing folder)")])
    if not folder.is_dir():
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write: {folder} is not a folder")])
    if not os.access(folder, os.W_OK):
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write: the folder {folder} is not writable")])


def _make_parents(path: Path) -> None:
    """Create the folders path needs; a file standing where one of them should be is an OutputError."""
    blocker = next((a for a in path.parents if a.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write: {blocker} is not a folder")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot create the folder {path.parent}: {exc.strerror}")]) from None


def write_bytes(path: Path | str, data: bytes, make_parents: bool = True) -> Written:
    """Write data to path atomically; leave an identical existing file untouched.

    Missing folders are created (the one policy for every output: docs/decisions.md); make_parents=False
    refuses instead.
    """
    path = Path(path)
    if make_parents:
        _make_parents(path)
    _check_folder(path)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return Written(path, len(data), False)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            # no fsync: the rename already keeps an interrupted run from leaving half a file, and
            # ext4/xfs order a rename-over after its data; fsync per file would double a build's time
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write: {exc.strerror}")]) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return Written(path, len(data), True)


def write_text(path: Path | str, text: str, make_parents: bool = True) -> Written:
    """write_bytes of UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"), make_parents)


def replace_folder(path: Path | str, files: dict[str, bytes]) -> list[Written]:
    """Make the folder hold exactly these files, all at once: they are written to a new folder beside it, which
    then takes its place (one rename), so no reader ever sees a mix of old and new files. For many small files
    (feedback for a class) this is one rename instead of one per file."""
    import shutil

    path = Path(path)
    _make_parents(path)
    _check_folder(path)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    old: Path | None = None
    try:
        for name, data in files.items():
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        os.chmod(tmp, 0o755)
        if path.exists():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
            os.rmdir(old)
            os.rename(path, old)
        os.rename(tmp, path)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not path.exists():
            os.rename(old, path)
        raise OutputError(diagnostics=[Diagnostic(str(path), message=f"cannot write the folder: {exc.strerror}")]) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return [Written(path / name, len(data), True) for name, data in files.items()]
