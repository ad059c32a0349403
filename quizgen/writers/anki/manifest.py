"""The deck manifest: what each note and note type held and when it last changed, so updates reach students whole."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ...errors import Diagnostic, InputError

MANIFEST_FORMAT = 2


def manifest_path_for(apkg: Path) -> Path:
    return apkg.with_name(apkg.stem + ".manifest.json")


def empty_manifest() -> dict:
    return {"format": MANIFEST_FORMAT, "models": {}, "notes": {}}


def _load_manifest(path: Path) -> dict:
    """The manifest at path (an empty one if there is none); a format-1 manifest is read as v1 notes to withdraw."""
    if not path.exists():
        return empty_manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"deck manifest is unreadable ({exc}); restore it from version control")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("notes"), dict) or data.get("format") not in (1, MANIFEST_FORMAT):
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"deck manifest expected format 1 or {MANIFEST_FORMAT}, found {found!r}")])
    if data["format"] == 1:
        # v1 decks: every note was a question of a v1 note type; v2 replaces them all, so each becomes a
        # note to withdraw (its content is read from the previous deck, or from what v1 kept of a retired one)
        notes = {}
        for key, entry in data["notes"].items():
            notes[key] = {"hash": entry["hash"], "mtime": entry["mtime"], "v1": True}
            if isinstance(entry.get("retired"), dict):
                notes[key]["v1_content"] = {k: entry["retired"][k] for k in ("model", "fields", "tags")}
        return {"format": MANIFEST_FORMAT, "models": {}, "notes": notes}
    data.setdefault("models", {})
    return data


def manifest_text(manifest: dict) -> str:
    """The manifest as JSON with one note per line: small diffs in review, and fast to write."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    models = [f"  {dumps(k)}: {dumps(v)}" for k, v in sorted(manifest.get("models", {}).items())]
    notes = [f"  {dumps(k)}: {dumps(v)}" for k, v in sorted(manifest["notes"].items())]
    return ('{\n "format": %d,\n "models": {\n%s\n },\n "notes": {\n%s\n }\n}\n'
            % (manifest["format"], ",\n".join(models), ",\n".join(notes)))


def content_hash(model_id: int, fields: tuple[str, ...], tags: tuple[str, ...]) -> str:
    blob = "\x1e".join((str(model_id), "\x1f".join(fields), " ".join(tags)))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def next_mtime(previous: dict | None, now: int) -> int:
    """A changed note or note type gets a time later than its last one, so Anki takes it as newer."""
    return max(now, previous["mtime"] + 1) if previous else now
