"""Finding source texts and their fact files by name or path; the facts of a source as a table."""
from __future__ import annotations

import difflib
from pathlib import Path

from .errors import Diagnostic, InputError

SOURCE_DIR = Path("source_texts")


def available(root: Path = SOURCE_DIR) -> list[str]:
    return sorted(p.stem for p in root.glob("*.yaml"))


def resolve_source(name: str | Path, root: Path = SOURCE_DIR) -> Path:
    """A fact file from a path, or from a source name such as 'six_party_talks_2003'."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    candidate = root / f"{name}.yaml"
    if candidate.exists():
        return candidate
    names = available(root)
    guess = difflib.get_close_matches(str(name), names, n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    raise InputError(diagnostics=[Diagnostic(str(name), message=f"no such source (expected one of: {', '.join(names) or 'none found under ' + str(root)}).{hint}")])


def resolve_sources(names: list[str] | None, root: Path = SOURCE_DIR) -> list[Path]:
    if names:
        return [resolve_source(n, root) for n in names]
    found = sorted(root.glob("*.yaml"))
    if not found:
        raise InputError(diagnostics=[Diagnostic(str(root), message="no fact files found (expected source_texts/<name>.yaml)")])
    return found


def facts_dataframe(pack):
    import pandas as pd

    from .answers import answer_type, display_answer

    rows = [{
        "id": f.id, "kind": f.kind, "question": f.question, "answer": display_answer(pack, f),
        "answer_type": answer_type(pack, f), "evidence": " … ".join(f.evidence), "difficulty": f.difficulty,
        "tags": " ".join(f.tags),
    } for f in pack.facts]
    return pd.DataFrame(rows)


def source_text_for(name: str, root: Path = SOURCE_DIR) -> str | None:
    """The text of a shipped source, for --include-text when the bank came from a CSV."""
    path = root / f"{name}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else None
