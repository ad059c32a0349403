"""Reading one cell of Python statically, standard library only: the top-level changes it makes to answer variables.

Events (variable, value, error, bare names used) from an `ast` tree: plain literals are values, everything else a
reason in the student's words. IPython lines are blanked and a leading indent removed first, as IPython does.
Embedded with quizgen/nbread.py where a notebook reads itself, so it imports only the standard library.
"""
import ast
import re

MAX_NESTING = 50
MAX_ITEMS = 1_000
BARE_NAMES = {"A": "A", "B": "B", "C": "C", "D": "D", "E": "E", "F": "F",
              "true": True, "false": False, "yes": True, "no": False}
# cell magics whose body is Python that runs (the others: %%bash, %%html, %%writefile, ... run no Python)
PYTHON_CELL_MAGICS = frozenset(("time", "timeit", "capture", "prun", "debug"))
_BLOCKS = {ast.If: "an if block", ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
           ast.With: "a with block", ast.AsyncWith: "a with block", ast.Try: "a try block",
           ast.FunctionDef: "a function", ast.AsyncFunctionDef: "a function", ast.ClassDef: "a class"}
if hasattr(ast, "TryStar"):
    _BLOCKS[ast.TryStar] = "a try block"
if hasattr(ast, "Match"):
    _BLOCKS[ast.Match] = "a match block"


class _Unreadable(Exception):
    """A cell, or an answer in it, that cannot be read: the message says why, in the student's words."""


_MAGIC_LINE = re.compile(r"^[ \t]*[!%]")
_SHELL_ASSIGN = re.compile(r"^([ \t]*[A-Za-z_][\w \t,]*=[ \t]*)[!%].*$")
_HELP_LINE = re.compile(r"^[ \t]*(?:\?\??[\w.]*|[\w.]+\?\??)[ \t]*$")


def _ipython_lines(src):
    """Blank out IPython-only lines (keeping line numbers) and a leading indent, as IPython itself does."""
    if src[:1] not in " \t%" and "!" not in src and "%" not in src and "?" not in src:
        return src  # nothing IPython-only, no leading indent: the usual answer cell
    lines = src.split("\n")
    if lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(None, 1)[0] if len(lines[0].strip()) > 2 else ""
        if magic not in PYTHON_CELL_MAGICS:
            raise _Unreadable(f"is a %%{magic[:20]} cell, which runs no Python")
        lines[0] = ""
    if "!" in src or "%" in src or "?" in src:
        for i, line in enumerate(lines):
            m = _SHELL_ASSIGN.match(line)
            if m:
                lines[i] = m.group(1) + "__ipython_command__()"
            elif _MAGIC_LINE.match(line) or _HELP_LINE.match(line):
                lines[i] = ""
    first = next((ln for ln in lines if ln.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines]
    return "\n".join(lines)


def _nesting(src):
    if src.count("(") + src.count("[") + src.count("{") <= MAX_NESTING:
        return 0  # cannot be nested deeper than it has brackets
    depth = deepest = 0
    for m in re.finditer(r"[()\[\]{}]", src):
        if m.group(0) in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _parse(src):
    text = _ipython_lines(src)
    if _nesting(text) > MAX_NESTING:
        raise _Unreadable(f"is nested more than {MAX_NESTING} brackets deep")
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        where = f" on line {exc.lineno}" if exc.lineno else ""
        raise _Unreadable(f"has a Python syntax error{where}, so none of it runs") from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise _Unreadable("cannot be read as Python") from None


def _events(tree, names):
    """(variable, value, error, bare names used) for every top-level change to a variable, in order."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _assign(target, node.value, names)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                yield from _assign(node.target, node.value, names)
        elif isinstance(node, ast.AugAssign):
            var = _base_name(node.target)
            if var in names:
                yield var, None, f"{var} {_op(node.op)}= ... changes the answer: write {var} = your answer", frozenset()
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.NamedExpr):
            yield from _assign(node.value.target, node.value.value, names)
        elif isinstance(node, ast.Expr):
            var = _changed_by_call(node.value)
            if var in names:
                yield var, None, f"{var} is changed after it is set ({var}.{node.value.func.attr}(...)): write the whole answer in one line", frozenset()
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                var = _base_name(target)
                if var in names:
                    yield var, None, f"del {var} removes the answer", frozenset()
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound in names or bound in BARE_NAMES:
                    yield bound, None, f"an import replaces {bound}: write {bound} = your answer", frozenset()
        elif type(node) in _BLOCKS:
            yield from _inside_block(node, names)


def _op(op):
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%", ast.BitOr: "|"}.get(type(op), "?")


def _base_name(target):
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def _changed_by_call(expr):
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Name):
        return expr.func.value.id
    return None


def _inside_block(node, names):
    """Assignments inside if/for/with/try (and functions with `global`) are not read: say so for each variable."""
    kind = _BLOCKS[type(node)]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        if node.name in names or node.name in BARE_NAMES:
            yield node.name, None, f"{kind} named {node.name} replaces it: write {node.name} = your answer", frozenset()
        declared = {n for sub in ast.walk(node) if isinstance(sub, ast.Global) for n in sub.names}
        for var in sorted(declared & (set(names) | set(BARE_NAMES))):
            yield var, None, f"{var} is set inside {kind}: write {var} = your answer at the top of a cell, outside any block", frozenset()
        return
    seen = set()
    for sub in ast.walk(node):
        targets = []
        if isinstance(sub, (ast.Assign,)):
            targets = sub.targets
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [sub.target]
        elif isinstance(sub, (ast.For, ast.AsyncFor)):
            targets = [sub.target]
        elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
            targets = [sub.optional_vars]
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            seen.update(n for n in sub.names if n in names)
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and (n.id in names or n.id in BARE_NAMES):
                    seen.add(n.id)
    for var in sorted(seen):
        yield var, None, f"{var} is set inside {kind}: write {var} = your answer at the top of a cell, outside any block", frozenset()


def _assign(target, value, names):
    if isinstance(target, ast.Name):
        if target.id in names or target.id in BARE_NAMES:
            yield (target.id, *_read(target.id, value, names))
        return
    if isinstance(target, (ast.Tuple, ast.List)):
        inner = [t for t in target.elts]
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(inner) \
                and not any(isinstance(e, ast.Starred) for e in value.elts + inner):
            for t, v in zip(inner, value.elts):
                yield from _assign(t, v, names)
            return
        for t in inner:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id in names:
                    yield n.id, None, f"{n.id} is unpacked from a value the grader cannot split: write {n.id} = your answer", frozenset()
        return
    var = _base_name(target)
    if var in names:
        yield var, None, f"{var} is changed after it is set ({ast.unparse(target)[:30]} = ...): write the whole answer in one line", frozenset()


def _read(var, node, names):
    """(value, error, bare names used) of an assigned expression."""
    bare = set()
    try:
        value = _literal(node, names, bare, 0, var)
    except _Unreadable as exc:
        return None, str(exc), frozenset()
    return value, "", frozenset(bare)


def _literal(node, names, bare, depth, var):
    if depth > MAX_NESTING:
        raise _Unreadable(f"{var} is nested too deeply to read")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node.value
        raise _Unreadable(f"write {var} as text in quotes, a number, True/False, a list or a dict")
    if isinstance(node, ast.JoinedStr):
        if all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values):
            return "".join(v.value for v in node.values)
        raise _Unreadable(f"{var} is an f-string with {{...}} in it: write the text itself in quotes")
    if isinstance(node, ast.Name):
        if node.id in BARE_NAMES:
            bare.add(node.id)
            return BARE_NAMES[node.id]
        if node.id in names and node.id != var:
            raise _Unreadable(f"{var} = {node.id} refers to another answer: write the answer itself")
        raise _Unreadable(f"{var} = {node.id[:30]} refers to a variable: write the answer itself, e.g. {var} = \"B\"")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if len(node.elts) > MAX_ITEMS or any(isinstance(e, ast.Starred) for e in node.elts):
            raise _Unreadable(f"write {var} as a plain list, e.g. [\"C\", \"A\", \"B\"]")
        items = [_literal(e, names, bare, depth + 1, var) for e in node.elts]
        if isinstance(node, ast.Set):
            try:
                return set(items)
            except TypeError:
                raise _Unreadable(f"write {var} as a plain list, e.g. [\"A\", \"C\"]") from None
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        if len(node.keys) > MAX_ITEMS or any(k is None for k in node.keys):
            raise _Unreadable(f"write {var} as a plain dict, e.g. {{1: \"B\", 2: \"A\"}}")
        out = {}
        for k, v in zip(node.keys, node.values):
            key = _literal(k, names, bare, depth + 1, var)
            try:
                out[key] = _literal(v, names, bare, depth + 1, var)
            except TypeError:
                raise _Unreadable(f"write {var} as a plain dict, e.g. {{1: \"B\", 2: \"A\"}}") from None
        return out
    raise _Unreadable(f"{var} is worked out by code, which the grader does not run: write the answer itself, "
                      f"e.g. {var} = \"B\"")
