"""Finding submissions in folders, files and zips: each with its path in the class folder, refused with a reason
when it cannot be read safely (links out of the folder, pipes, devices, names that are not UTF-8, zip tricks)."""
from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, InputError
from ..nbread import MAX_NOTEBOOK_BYTES

NOTEBOOK = ".ipynb"
RENAMED = (".ipynb.txt", ".ipynb.json")       # browsers and mail clients add these: read, with a note
ZIPPED = (".ipynb.zip",)                       # a zipped notebook inside a folder: reported, not read
SKIPPED_FOLDERS = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".git"}
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_TOTAL = 1 << 30                        # bytes read from one zip, all members together
# LMS downloads: Canvas names files "lastfirst_12345_67890_quiz.ipynb" (optionally "_late_"), Moodle names folders
# "Full Name_12345_assignsubmission_file_"
_CANVAS = re.compile(r"^(?P<name>[a-z][a-z-]*?)(?:_late)?_\d+_\d+_.+$")
_MOODLE = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_\w*?_?$")
_COPY = re.compile(r"^(?:copy of )?(?P<stem>.*?)(?:[- _]copy[ _]?\d*| \(\d+\))*$", re.IGNORECASE)


@dataclass
class Candidate:
    """One file that may be a student's submission."""

    shown: str                   # where it is, for every report row: 'alice/quiz.ipynb', 'class.zip:alice/quiz.ipynb'
    student: str                 # the student id from the layout (folder, nbgrader, LMS pattern, or file name)
    group: str                   # one student's work: candidates of one group are duplicates of each other
    from_file_name: bool         # the id came from the file name alone (a flat folder)
    stem: str                    # the file name without its notebook suffix
    problem: str = ""            # refused before reading: why
    note: str = ""               # read, but worth saying (renamed file)
    path: Path | None = None     # a file on disk
    zip_ref: tuple | None = None  # (ZipSource, ZipInfo) for a zip member

    def read_bytes(self) -> tuple[bytes | None, str]:
        """The file's bytes (at most the cap + 1), or None and why not."""
        if self.zip_ref is not None:
            source, info = self.zip_ref
            return source.read(info)
        return None, "not read"


@dataclass
class Collected:
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    zips: list["ZipSource"] = field(default_factory=list)

    def close(self) -> None:
        for z in self.zips:
            z.close()


def shown_name(name: str) -> str:
    """A file name fit to print: bytes that are not UTF-8 shown as \\xNN escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def notebook_kind(name: str) -> str:
    """'notebook', 'renamed', 'zipped' or '' for a file name (case does not matter: .IPYNB is a notebook)."""
    low = name.casefold()
    if low.endswith(NOTEBOOK):
        return "notebook"
    if low.endswith(RENAMED):
        return "renamed"
    if low.endswith(ZIPPED):
        return "zipped"
    return ""


def notebook_stem(name: str) -> str:
    low = name.casefold()
    for suffix in (*RENAMED, *ZIPPED, NOTEBOOK):
        if low.endswith(suffix):
            return name[: len(name) - len(suffix)]
    return name


def copy_free(stem: str) -> str:
    """The stem without copy marks: 'quiz-Copy1', 'quiz (2)', 'Copy of quiz', 'quiz copy 2' -> 'quiz'."""
    return _COPY.match(stem).group("stem") or stem


def has_copy_mark(stem: str) -> bool:
    return copy_free(stem) != stem


def student_from_file(stem: str) -> str:
    m = _CANVAS.match(stem)
    return m.group("name") if m else stem


def student_from_folder(name: str) -> str:
    m = _MOODLE.match(name)
    return m.group("name") if m else name


def collect(paths: list[Path]) -> Collected:
    """Every candidate submission under the given files, folders and zips, in a stable order."""
    out = Collected()
    several = len(paths) > 1
    seen_given: set[str] = set()
    for given in paths:
        given = Path(given)
        real = os.path.realpath(given)
        if real in seen_given:
            out.warnings.append(f"{given}: given twice; read once")
            continue
        seen_given.add(real)
        label = shown_name(str(given)).rstrip("/") if several else ""  # several paths: rows show which one
        try:
            info = os.stat(given)
        except OSError:
            raise InputError(diagnostics=[Diagnostic(str(given), message="submission not found (expected a notebook, a folder of them, or a zip)")]) from None
        if stat.S_ISDIR(info.st_mode):
            _walk_root(given, out, label)
        elif given.name.casefold().endswith(".zip") and not given.name.casefold().endswith(ZIPPED):
            _read_zip(given, out, label)
        else:
            name = label or shown_name(given.name)
            stem = notebook_stem(given.name)
            # a file named on the command line is the teacher's choice: a link is read through its target
            c = Candidate(name, student_from_file(shown_name(stem)), f"file:{given}", True, shown_name(stem), path=Path(real))
            if not stat.S_ISREG(info.st_mode):
                c.problem = "not a regular file (a device, pipe or socket): not read"
            elif not _utf8(given.name):
                c.problem = "the file name is not valid UTF-8: rename the file and grade again"
            elif notebook_kind(given.name) == "zipped":
                c.problem = "a zipped notebook: unzip it and grade again"
            elif notebook_kind(given.name) == "renamed":
                c.note = f"read from a notebook renamed {given.name}"
            out.candidates.append(c)
    return out


def _layout(parts: list[str]) -> tuple[str, str, bool] | None:
    """(student, group, id from file name) for a path relative to the folder given, or None to skip it.

    A file in the folder given: the student from its name; deeper: the first folder is the student's (which is
    nbgrader's submitted/<student>/<assignment>/ when the folder given is submitted/ or holds it).
    """
    if len(parts) == 1:
        stem = notebook_stem(parts[0])
        return student_from_file(stem), f"file:{parts[0]}", True
    student = student_from_folder(parts[0])
    return student, f"folder:{parts[0]}", False


def _walk_root(root: Path, out: Collected, label: str = "") -> None:
    real_root = os.path.realpath(root)
    prefix: list[str] = [label] if label else []
    start = root
    if root.name != "submitted" and (root / "submitted").is_dir():
        # an nbgrader course folder (source/, release/, submitted/ ...): only submitted/<student>/<assignment>/ counts
        start, prefix = root / "submitted", [*prefix, "submitted"]
        out.warnings.append(f"{root}: read as an nbgrader course folder (only {start} is graded)")
    seen_dirs = {os.path.realpath(start)}
    stack = [(start, [])]
    found: list[Candidate] = []
    while stack:
        folder, rel = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            out.warnings.append(f"{'/'.join([*prefix, *rel]) or folder}: cannot list the folder ({exc.strerror}); skipped")
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            here = [*rel, name]
            shown = "/".join(shown_name(p) for p in [*prefix, *here])
            if name in SKIPPED_FOLDERS or name.startswith("."):
                continue
            kind = notebook_kind(name)
            link_target = None
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_link, is_dir = True, False
            if is_link:
                target = os.path.realpath(entry.path)
                inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
                if not inside or not os.path.exists(target):
                    why = "a link to somewhere outside the class folder: not read" if os.path.exists(target) else "a broken link: not read"
                    if kind or is_dir:
                        found.append(_refused(shown, here, why))
                    continue
                if is_dir and target in seen_dirs:
                    continue
                link_target = target
            if is_dir:
                seen_dirs.add(os.path.realpath(entry.path))
                subdirs.append((Path(entry.path), here))
                continue
            if not kind:
                continue
            if not _utf8(name) or not all(_utf8(p) for p in rel):
                found.append(_refused(shown, here, "the file name is not valid UTF-8: rename it and grade again"))
                continue
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                found.append(_refused(shown, here, f"cannot read the file ({exc.strerror})"))
                continue
            c = _candidate(shown, here)
            if c is None:
                continue
            if not stat.S_ISREG(st.st_mode):
                c.problem = "not a regular file (a device, pipe or socket): not read"
            elif kind == "zipped":
                c.problem = "a zipped notebook: unzip it and grade again"
            elif kind == "renamed":
                c.note = f"read from a notebook renamed {name}"
            c.path = Path(link_target or entry.path)  # read a link inside the folder through its target (no link follows)
            found.append(c)
        stack.extend(reversed(subdirs))
    found.sort(key=lambda c: c.shown)
    root_label = str(root)
    for c in found:
        c.group = f"{root_label}|{c.group}"
    out.candidates.extend(found)


def _candidate(shown: str, parts: list[str]) -> Candidate | None:
    laid = _layout(parts)
    if laid is None:
        return None
    student, group, from_name = laid
    return Candidate(shown, shown_name(student), group, from_name, shown_name(notebook_stem(parts[-1])))


def _refused(shown: str, parts: list[str], why: str) -> Candidate:
    c = _candidate(shown, parts) or Candidate(shown, shown_name(parts[0]), f"refused:{shown}", True, shown_name(parts[-1]))
    c.problem = why
    return c


# ---- zips (LMS downloads) ------------------------------------------------------------------------------------

class ZipSource:
    """An open zip of submissions; members are read with caps, never extracted."""

    def __init__(self, path: Path):
        self.path = path
        self.label = shown_name(path.name)
        self.read_total = 0
        self._fh = None
        self.zf: zipfile.ZipFile | None = None

    def open(self) -> str:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            return f"cannot open the zip ({exc.strerror})"
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return "not a regular file (a device, pipe or socket): not read"
        self._fh = os.fdopen(fd, "rb")
        try:
            self.zf = zipfile.ZipFile(self._fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.close()
            return f"not a readable zip ({exc.__class__.__name__})"
        return ""

    def read(self, info: zipfile.ZipInfo) -> tuple[bytes | None, str]:
        if self.zf is None:
            return None, "the zip is closed"
        if self.read_total > MAX_ZIP_TOTAL:
            return None, f"not read: the zip holds more than {MAX_ZIP_TOTAL:,} bytes of notebooks"
        try:
            with self.zf.open(info) as fh:
                data = fh.read(MAX_NOTEBOOK_BYTES + 1)
        except RuntimeError:  # encrypted
            return None, "an encrypted zip member: not read"
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            return None, f"a damaged zip member ({exc.__class__.__name__})"
        self.read_total += len(data)
        return data, ""

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()
            self.zf = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _safe_parts(name: str) -> list[str] | None:
    """A member's path as parts, or None when it tries to leave the zip (absolute, '..', a drive)."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return None if ".." in parts else parts


def _read_zip(path: Path, out: Collected, label: str = "") -> None:
    source = ZipSource(path)
    problem = source.open()
    label = label or source.label
    if problem:
        out.candidates.append(Candidate(label, shown_name(notebook_stem(path.stem)), f"zip:{path}", True, path.stem, problem=problem))
        return
    out.zips.append(source)
    assert source.zf is not None
    infos = source.zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        out.warnings.append(f"{label}: more than {MAX_ZIP_MEMBERS:,} entries; only the first {MAX_ZIP_MEMBERS:,} read")
        infos = infos[:MAX_ZIP_MEMBERS]
    members: list[tuple[list[str], zipfile.ZipInfo]] = []
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        parts = _safe_parts(info.filename)
        if parts is None:
            if notebook_kind(info.filename):
                out.candidates.append(Candidate(f"{label}:{info.filename[:200]}", "unsafe-path", f"zip:{path}|{info.filename}", True,
                                                notebook_stem(info.filename.rsplit('/', 1)[-1]),
                                                problem="a path that leaves the zip (.. or absolute): not read"))
            continue
        if not parts or any(p in SKIPPED_FOLDERS or p.startswith(".") for p in parts):
            continue
        joined = "/".join(parts)
        if joined in seen:
            out.warnings.append(f"{label}:{joined}: the zip holds this name twice; the first one is read")
            continue
        seen.add(joined)
        members.append((parts, info))
    # a zip of one folder ('class/alice/quiz.ipynb' for every entry): that folder is the class folder
    tops = {p[0] for p, _ in members}
    strip = 1 if len(tops) == 1 and all(len(p) > 1 for p, _ in members) else 0
    found: list[Candidate] = []
    for parts, info in sorted(members, key=lambda m: m[0]):
        rel = parts[strip:]
        if rel and rel[0] == "submitted" and len(rel) > 2:
            rel = rel[1:]
        shown = f"{label}:{'/'.join(parts)}"
        kind = notebook_kind(parts[-1])
        if not kind:
            if parts[-1].casefold().endswith(".zip"):
                out.warnings.append(f"{shown}: a zip inside the zip was not read (unzip it and grade again)")
            continue
        c = _candidate(shown, rel)
        if c is None:
            continue
        c.group = f"zip:{path}|{c.group}"
        mode = (info.external_attr >> 16) & 0o170000
        if mode == stat.S_IFLNK:
            c.problem = "a link inside the zip: not read"
        elif info.flag_bits & 0x1:
            c.problem = "an encrypted zip member: not read"
        elif kind == "zipped":
            c.problem = "a zipped notebook: unzip it and grade again"
        else:
            if kind == "renamed":
                c.note = f"read from a notebook renamed {parts[-1]}"
            c.zip_ref = (source, info)
        found.append(c)
    out.candidates.extend(found)
