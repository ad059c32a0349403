"""A version of the exam per student: who gets one (a roster, or a number of versions), and each version's file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...quiz import Quiz, version_quiz, version_section

MAX_VERSIONS = 1000


@dataclass(frozen=True)
class Version:
    label: str          # the student id (roster), or v01, v02, ...
    student: str        # the student id written in the notebook's student cell ('' for numbered versions)
    quiz: Quiz          # the quiz in this version's order
    path: Path          # where its notebook goes
    section: dict       # its part of the key's versions section


def numbered(n: int) -> list[tuple[str, str]]:
    """Labels v01 ... vNN for n versions handed out by hand (no student is written in them)."""
    from ...errors import UsageError

    if not 1 <= n <= MAX_VERSIONS:
        raise UsageError(f"--versions expected a number from 1 to {MAX_VERSIONS}, found {n}")
    width = max(2, len(str(n)))
    return [(f"v{i:0{width}d}", "") for i in range(1, n + 1)]


def from_roster(path: Path) -> list[tuple[str, str]]:
    """One version per student of a roster (docs/gradebook.md: the `student` column is the id the grader uses)."""
    from ...gradebook import read_roster

    entries, _ = read_roster(Path(path))
    return [(e.student, e.student) for e in entries]


def version_files(quiz: Quiz, versions: list[tuple[str, str]], out: Path) -> list[Version]:
    """Each version's quiz, notebook path (<out>/<source>.versions/<source>.exam.<name>.ipynb) and key section."""
    if not versions:
        return []
    from ...grading.report import feedback_names  # file names safe on every system, unique even where case is folded

    labels = [label for label, _ in versions]
    names = feedback_names(labels)
    folder = out / f"{quiz.source}.versions"
    made = []
    for label, student in versions:
        vq = version_quiz(quiz, label)
        path = folder / f"{quiz.source}.exam.{names[label]}.ipynb"
        made.append(Version(label, student, vq, path, version_section(quiz, vq, student, path.name)))
    return made
