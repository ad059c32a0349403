"""The set-up cell: quizgen's reader, marking rules and runtime, packed, with what this notebook's checks need."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from ...marking import prepare, public_entry

# fields of a prepared entry that come from the answer: left empty in a format entry
_ANSWER_FIELDS = {"right": [], "n_correct": 0, "grid": [], "grid_exp": 0, "forms": {}, "typo": [], "near": [], "contains": []}

SETUP_SOURCE = '''# Set-up: run this cell first (Shift+Enter); it prints "ready". Again after a restart.
exec(__import__("zlib").decompress(bytes.fromhex("{packed}")), {{"_notebook": globals()}})  # quizgen: no answers in here
'''

_BOOT = '''import json as _json, sys as _sys, types as _types
_module = _types.ModuleType("_quizgen")
exec(compile({source!r}, "quizgen_setup", "exec"), _module.__dict__)
_sys.modules["_quizgen"] = _module
_module.setup(_json.loads({data!r}), _notebook)
'''


@lru_cache(maxsize=1)
def runtime_source() -> str:
    """Everything the set-up runs, as one module: answer_forms, marking, pycells, nbread, then slips, locate and the
    runtime."""
    from ... import answer_forms, marking, nbread, pycells
    from . import locate, runtime, slips

    modules = (answer_forms, marking, pycells, nbread, slips, locate, runtime)
    return "\n\n".join(Path(m.__file__).read_text(encoding="utf-8") for m in modules)


def format_entry(entry: dict) -> dict:
    """A prepared entry with nothing of the answer in it: judge() on it tells a readable answer (a wrong one)
    from one the grader cannot use ("write the letter of one option"), and gives nothing about correctness."""
    p = prepare(entry)
    blank = {k: v for k, v in p.items() if not k.startswith("_")}
    for k in _ANSWER_FIELDS:
        if k in blank:
            blank[k] = _ANSWER_FIELDS[k]
    if entry["type"] == "ordering":
        blank["n"] = len(entry.get("items", []))
    elif entry["type"] == "matching":
        blank["n"] = len(entry.get("left", []))
    if entry["type"] in ("short", "cloze"):
        blank["kind"] = "date" if blank.get("kind") == "date" else "text"  # a date is read as one; nothing else shows
    return blank


def check_salt(quiz_id: str) -> str:
    return hashlib.sha256(quiz_id.encode("utf-8")).hexdigest()[:16]


def setup_data(key: dict, role: str, file_name: str, version: str = "") -> dict:
    """What the set-up cell carries: per question its variable, points, a format entry, and in a practice or
    solutions notebook the salted fingerprints check() marks with (an exam notebook has none)."""
    salt = check_salt(key["quiz_id"])
    questions = []
    for e in key["questions"]:
        q = {"var": e["var"], "qid": e["qid"], "type": e["type"], "points": e["points"], "format": format_entry(e)}
        if role != "exam":
            q["check"] = public_entry(e, salt)
        questions.append(q)
    return {"role": role, "quiz_id": key["quiz_id"], "version": version, "file": file_name, "title": key.get("title", ""),
            "questions": questions}


def setup_source(data: dict) -> str:
    """The set-up cell's source: two short lines to read, the packed code on the second."""
    from ...nbgrader_tests import packed

    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    boot = _BOOT.format(source=runtime_source(), data=payload)
    return SETUP_SOURCE.format(packed=packed(boot)).rstrip("\n")
