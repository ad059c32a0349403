"""nbgrader hidden tests that cannot be cheated by a value that pretends: quizgen's own marking rules, embedded.

The helper cell (locked, visible to students, holds no answers) loads quizgen's marking module from its packed
source and defines the bare answers the setup allows (A-F, true/false, yes/no). Each hidden test copies the
answer into plain Python values of exact built-in types (an object whose == always says True, or a str subclass,
is refused) and marks it with the very rules `quizgen grade` uses, so it accepts exactly what quizgen accepts.
nbgrader gives a test cell all or nothing: full marks when quizgen would give full marks.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

MODULE_NAME = "_quizgen_marking"
ENTRY_FIELDS = ("qid", "type", "correct", "options", "items", "left")


def marking_source() -> str:
    """The source of the matching rules as notebooks embed it: answer_forms.py then marking.py, one namespace."""
    from . import answer_forms, marking

    return "\n\n".join(Path(m.__file__).read_text(encoding="utf-8") for m in (answer_forms, marking))


def reader_source() -> str:
    """The static reader as a notebook would embed it (for a self-check of the saved file): pycells.py then nbread.py."""
    from . import nbread, pycells

    return "\n\n".join(Path(m.__file__).read_text(encoding="utf-8") for m in (pycells, nbread))


def packed(text: str) -> str:
    """Text as zlib + hex: no answer variable name (nor a q or an s) in it for the static reader to look at twice."""
    return zlib.compress(text.encode("utf-8"), 9).hex()


def bare_names_source() -> str:
    from .nbread import BARE_NAMES

    return "; ".join(f"{name} = {value!r}" for name, value in BARE_NAMES.items())


_HELPER = '''# quizgen: the checks the hidden tests use (no answers here), and the bare answers the grader also reads.
import sys as _qg_sys, types as _qg_types, zlib as _qg_zlib
{bare}
_qg_module = _qg_types.ModuleType("{module}")
exec(compile(_qg_zlib.decompress(bytes.fromhex("{source}")).decode("utf-8"), "quizgen_marking", "exec"),
     _qg_module.__dict__)
_qg_sys.modules["{module}"] = _qg_module
'''

_TEST = '''### BEGIN HIDDEN TESTS
import json as _qg_json, sys as _qg_sys
_qg_m = _qg_sys.modules["{module}"]
_qg_verdict = _qg_m.mark(_qg_json.loads({entry}), _qg_m.plain_value({var}))
assert _qg_verdict.fraction == 1, "{var}: " + _qg_verdict.reason
### END HIDDEN TESTS
'''


def helper_cell_source() -> str:
    """The locked helper cell of an nbgrader source notebook."""
    return _HELPER.format(bare=bare_names_source(), module=MODULE_NAME, source=packed(marking_source()))


def test_cell_source(entry: dict) -> str:
    """The hidden test of one question: full marks exactly when quizgen's grader gives full marks."""
    data = json.dumps({k: entry[k] for k in ENTRY_FIELDS if k in entry}, ensure_ascii=True, sort_keys=True)
    return _TEST.format(module=MODULE_NAME, entry=repr(data), var=entry["var"])
