"""The course: the project folder (the one holding source_texts/) and its secret seed, which only the teacher has."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from .bank import PUBLIC_SEED
from .errors import Diagnostic, InputError

SECRET_FILE = "course-secret.txt"
SOURCE_FOLDER = "source_texts"
_SECRET = re.compile(r"^[0-9a-f]{32}$")
_HEADER = """\
# quizgen course secret. Keep this file with your teacher files (commit it to a private repository);
# never give it to students. It decides where each correct answer stands among the options, the order of
# ordering and matching items, and the ids in student notebooks. Change it and every quiz changes.
"""


def project_root_of(facts_path: Path) -> Path | None:
    """The project folder of a fact file: the parent of its source_texts/ folder, if it is in one."""
    folder = Path(facts_path).resolve().parent
    return folder.parent if folder.name == SOURCE_FOLDER else None


def secret_path(root: Path) -> Path:
    return Path(root) / SECRET_FILE


def course_seed(root: Path | None, create: bool = False) -> str:
    """The course's secret seed from ROOT/course-secret.txt; created when asked and absent; the public seed
    when there is no project folder."""
    if root is None:
        return PUBLIC_SEED
    path = secret_path(root)
    if not path.exists():
        if not create:
            return PUBLIC_SEED
        from .atomic import write_text

        write_text(path, _HEADER + secrets.token_hex(16) + "\n")
    try:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"cannot read the course secret ({exc}); restore it from your copy")]) from None
    values = [ln for ln in lines if ln and not ln.startswith("#")]
    if len(values) != 1 or not _SECRET.match(values[0]):
        raise InputError(diagnostics=[Diagnostic(str(path), message="expected one line of 32 lower-case hex digits after the comments "
                                                                    "(restore the file from your copy; a new secret changes every quiz)")])
    return values[0]
