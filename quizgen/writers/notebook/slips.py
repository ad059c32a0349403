"""Slips in the student's kernel: a NameError in an answer, or an answer cell that is not valid Python, becomes a
message in the grader's words instead of an error that stops "Run All".

Standard library only; embedded in the set-up cell after pycells and nbread (one namespace: _events, _parse and
_mentions come from them) and before runtime.py, which installs these hooks. Grading never runs any of this.
"""
import ast
import json
import re
import sys
import time

MODULE = "_quizgen"   # the sys.modules entry the set-up registers; transformed cells call back through it
_ANSWER_LINE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)\s*(.*?)\s*$")


def ipython_shell():
    """The running IPython shell, or None (plain Python)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


class SlipGuard(ast.NodeTransformer):
    """Wraps each top-level assignment to an answer so that a NameError in it is explained and the rest of the
    notebook still runs ("Run All" stops at the first error)."""

    quizgen_guard = True

    def __init__(self, names):
        self.names = names

    def visit_Module(self, node):
        node.body = [self._guard(stmt) for stmt in node.body]
        return node

    def _guard(self, stmt):
        if isinstance(stmt, ast.Assign):
            targets = [n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets = [n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name)]
        else:
            return stmt
        if not self.names.intersection(targets):
            return stmt
        names = tuple(sorted(self.names))
        handler = ast.parse(f"__import__('sys').modules[{MODULE!r}].name_slip(_quizgen_error, {ast.unparse(stmt)!r}, {names!r})").body
        guarded = ast.Try(body=[stmt], handlers=[ast.ExceptHandler(type=ast.Name("NameError", ast.Load()),
                                                                       name="_quizgen_error", body=handler)],
                          orelse=[], finalbody=[])
        return ast.copy_location(guarded, stmt)


class SyntaxGuard:
    """An IPython input transformer: a cell that gives an answer but is not valid Python becomes a message instead
    of an error that stops Run All."""

    quizgen_guard = True
    has_side_effects = True   # IPython: not for its "is this input complete?" checks

    def __init__(self, names):
        self.names = tuple(sorted(names))

    def __call__(self, lines):
        source = "".join(lines)
        if not _mentions(source, self.names):  # noqa: F821  (nbread)
            return lines
        try:
            compile(source, "<cell>", "exec", ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0))
        except SyntaxError as exc:
            return [f"__import__('sys').modules[{MODULE!r}].syntax_slip({source!r}, {exc.lineno or 0!r}, {exc.msg or ''!r}, "
                    f"{self.names!r})\n"]
        except (ValueError, RecursionError, MemoryError, OverflowError):
            return lines
        return lines


def name_slip(error, statement, names):
    """Explain a NameError in an answer, in the grader's words."""
    name = getattr(error, "name", None) or str(error)
    try:
        events = list(_events(_parse(statement), frozenset(names)))  # noqa: F821  (pycells: the grader's reading)
    except Exception:
        events = []
    told = set()
    for var, value, why, _bare in events:
        if var in told or var not in names:
            continue
        told.add(var)
        if why:
            _say(f"{var} was not set: {why}.")
        else:
            _say(f"{var} was not set here: Python does not know {name} (run the set-up cell at the top again); "
                 f"the grader reads {var} as {value!r}.")
    if not told:
        _say(f"{statement[:60]}: Python does not know {name}. Put text answers in quotes.")


def syntax_slip(source, lineno, message, names):
    """Explain a syntax error in a cell that gives an answer (none of the cell ran; the grader cannot read it)."""
    lines = source.split("\n")
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    where = f" on line {lineno}" if lineno else ""
    message = re.sub(r" \(detected at line \d+\)", "", message)
    _say(f"This cell has a Python syntax error{where} ({message}), so none of it ran and the grader cannot read it. "
         + fix_hint(line, names))


def fix_hint(line, names):
    """What to write instead of a line Python cannot read: the answer in quotes, or the brackets checked."""
    m = _ANSWER_LINE.match(line.split("#", 1)[0] if line.count('"') % 2 == 0 and line.count("'") % 2 == 0 else line)
    if not m or m.group(1) not in names:
        return "Check that line: text goes in quotes, e.g. \"your answer\"."
    var, rhs = m.group(1), m.group(2).strip()
    if rhs[:1] in "[{(":
        return f"Check its brackets and commas, e.g. {var} = [\"C\", \"A\", \"B\"] or {var} = {{1: \"B\", 2: \"A\"}}."
    text = rhs.strip("\"'\u201c\u201d\u2018\u2019")
    return f"Put the answer in quotes: {var} = {json.dumps(text, ensure_ascii=False)}"


def record_run(result):
    """When each cell ran (by execution count): an answer run after the last save is not in the saved file."""
    count = getattr(result, "execution_count", None)
    shell = ipython_shell()
    if count is not None and shell is not None and hasattr(shell, "quizgen_run_times"):
        shell.quizgen_run_times[count] = time.time()


record_run.quizgen_guard = True


def _say(text):
    print(text, file=sys.stderr)
