"""Finding source texts and their fact files by name or path; the facts of a source as a table."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, InputError

if TYPE_CHECKING:
    import pandas

    from .facts import SourcePack

SOURCE_DIR = Path("source_texts")


def available(root: Path = SOURCE_DIR) -> list[str]:
    """The source names under root (the stems of its .yaml files), sorted."""
    return sorted(p.stem for p in root.glob("*.yaml"))


def _no_project(root: Path) -> InputError:
    where = root.resolve().parent if root.name == SOURCE_DIR.name else root.resolve()
    return InputError(f"no {root.name}/ folder in {where}: run quizgen in your project folder, "
                      f"or quizgen init NAME to start one")


def resolve_source(name: str | Path, root: Path = SOURCE_DIR) -> Path:
    """A fact file from a path, or from a source name such as 'six_party_talks_2003'."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    if not root.is_dir():
        raise _no_project(root)
    candidate = root / f"{name}.yaml"
    if candidate.exists():
        return candidate
    names = available(root)
    guess = difflib.get_close_matches(str(name), names, n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    expected = f"one of: {', '.join(names)}" if names else f"a fact file {root}/{name}.yaml; quizgen init {name} starts one"
    raise InputError(diagnostics=[Diagnostic(str(name), message=f"no such source (expected {expected}).{hint}")])


def resolve_sources(names: list[str] | None, root: Path = SOURCE_DIR) -> list[Path]:
    """The fact files named (each once), or every fact file under root; InputError saying how to fix it if none."""
    if names:
        out: list[Path] = []
        for n in names:
            path = resolve_source(n, root)
            if path.resolve() not in {p.resolve() for p in out}:
                out.append(path)
        return out
    if not root.is_dir():
        raise _no_project(root)
    found = sorted(root.glob("*.yaml"))
    if not found:
        raise InputError(f"no fact files in {root.resolve()}: add NAME.yaml and NAME.txt there, or run quizgen init NAME")
    return found


def facts_dataframe(pack: "SourcePack") -> "pandas.DataFrame":
    """The records of a loaded source as a DataFrame, one row per record."""
    import pandas as pd

    from .answers import answer_type, display_answer

    rows = [{
        "id": f.id, "kind": f.kind, "question": f.question, "answer": display_answer(pack, f),
        "answer_type": answer_type(pack, f), "evidence": " … ".join(f.evidence), "difficulty": f.difficulty,
        "tags": " ".join(f.tags),
    } for f in pack.facts]
    return pd.DataFrame(rows)
