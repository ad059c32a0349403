"""The set-up cell's code, run in the student's kernel: bare answers, messages for slips, check() and check_format().

Standard library only. The notebook embeds it, packed, after answer_forms, marking, pycells and nbread (one
namespace: judge, read_notebook, read_sources, BARE_NAMES come from them), so check() reads the *saved* notebook
file with the grader's own reader and marks it with the grader's own rules. Slips that would stop "Run All" (a name
Python does not know in an answer, a syntax error in an answer cell) are caught in the student's kernel only and
explained in the grader's words; grading never runs any of this.
"""
import ast
import glob
import json
import os
import re
import sys
import time

MODULE = "_quizgen"            # the sys.modules entry the set-up registers; transformed cells call back through it
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_SERVERS = 5                # Jupyter servers asked for this kernel's notebook (newest first)
MAX_SCANNED = 500              # notebooks looked at in the kernel's folder when no session names the file
PLAIN_WRONG = ("not right", "not the right option")
_COUNTED = re.compile(r"^\d+ of \d+ (right options chosen|in the right place|pairs right)")
_NOT_ANSWERED = re.compile(r"\((\d+) not answered\)")
_ANSWER_LINE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)\s*(.*?)\s*$")

DATA = {}       # role, quiz_id, version, file, title, questions: [{var, qid, type, points, format, check?}]
NOTEBOOK = {}   # the notebook's global namespace
LAST = {}       # the last check()/check_format(): file, results {var: {points, max, state, reason}} (tests read it)


# ---- set-up ---------------------------------------------------------------------------------------------------

def setup(data, namespace):
    """Define the bare answers and the checks in the notebook, install the slip guards, say "ready"."""
    DATA.clear()
    DATA.update(data)
    global NOTEBOOK
    NOTEBOOK = namespace
    for name, value in BARE_NAMES.items():  # noqa: F821  (nbread/pycells ran first in this namespace)
        namespace[name] = value
    namespace["check_format"] = check_format
    if data.get("role") != "exam":
        namespace["check"] = check
    else:
        namespace.pop("check", None)
    shell = _shell()
    if shell is not None:
        shell.ast_transformers[:] = [t for t in shell.ast_transformers if not getattr(t, "quizgen_guard", False)]
        shell.ast_transformers.append(SlipGuard(_guarded_names()))
        shell.input_transformers_post[:] = [t for t in shell.input_transformers_post if not getattr(t, "quizgen_guard", False)]
        shell.input_transformers_post.append(syntax_guard)
        callbacks = shell.events.callbacks.get("post_run_cell", [])
        for old in [c for c in callbacks if getattr(c, "quizgen_guard", False)]:
            shell.events.unregister("post_run_cell", old)
        shell.events.register("post_run_cell", _ran)
        if not hasattr(shell, "quizgen_run_times"):
            shell.quizgen_run_times = {}  # on the shell: kept when the set-up runs again
    n = len(data["questions"])
    then = ("check() at the end shows your score on the saved file" if data.get("role") != "exam"
            else "check_format() at the end shows whether the grader can read every answer")
    print(f"ready: {n} questions. Answer in the cells, save (Ctrl+S), and {then}.")


def _shell():
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def _variables():
    return [q["var"] for q in DATA.get("questions", [])]


def _guarded_names():
    return frozenset(_variables()) | {STUDENT_VAR}  # noqa: F821  (nbread)


# ---- slips: a name Python does not know, a syntax error ----------------------------------------------------

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
        handler = ast.parse(f"__import__('sys').modules[{MODULE!r}].name_slip(_quizgen_error, {ast.unparse(stmt)!r})").body
        guarded = ast.Try(body=[stmt], handlers=[ast.ExceptHandler(type=ast.Name("NameError", ast.Load()),
                                                                       name="_quizgen_error", body=handler)],
                          orelse=[], finalbody=[])
        return ast.copy_location(guarded, stmt)


def syntax_guard(lines):
    """A cell that gives an answer but is not valid Python becomes a message instead of an error that stops Run All."""
    source = "".join(lines)
    if not _mentions(source, sorted(_guarded_names())):  # noqa: F821  (nbread)
        return lines
    try:
        compile(source, "<cell>", "exec", ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0))
    except SyntaxError as exc:
        return [f"__import__('sys').modules[{MODULE!r}].syntax_slip({source!r}, {exc.lineno or 0!r}, {exc.msg or ''!r})\n"]
    except (ValueError, RecursionError, MemoryError, OverflowError):
        return lines
    return lines


syntax_guard.quizgen_guard = True
syntax_guard.has_side_effects = True   # IPython: not for its "is this input complete?" checks


def name_slip(error, statement):
    """Explain a NameError in an answer, in the grader's words."""
    name = getattr(error, "name", None) or str(error)
    try:
        events = list(_events(_parse(statement), _guarded_names()))  # noqa: F821  (pycells: the grader's reading)
    except Exception:
        events = []
    told = set()
    for var, value, why, _bare in events:
        if var in told or var not in _guarded_names():
            continue
        told.add(var)
        if why:
            _say(f"{var} was not set: {why}.")
        else:
            _say(f"{var} was not set here: Python does not know {name} (run the set-up cell at the top again); "
                 f"the grader reads {var} as {value!r}.")
    if not told:
        _say(f"{statement[:60]}: Python does not know {name}. Put text answers in quotes.")


def syntax_slip(source, lineno, message):
    """Explain a syntax error in a cell that gives an answer (none of the cell ran; the grader cannot read it)."""
    lines = source.split("\n")
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    where = f" on line {lineno}" if lineno else ""
    message = re.sub(r" \(detected at line \d+\)", "", message)
    _say(f"This cell has a Python syntax error{where} ({message}), so none of it ran and the grader cannot read it. "
         + fix_hint(line))


def fix_hint(line):
    """What to write instead of a line Python cannot read: the answer in quotes, or the brackets checked."""
    m = _ANSWER_LINE.match(line.split("#", 1)[0] if line.count('"') % 2 == 0 and line.count("'") % 2 == 0 else line)
    if not m or m.group(1) not in _guarded_names():
        return "Check that line: text goes in quotes, e.g. \"your answer\"."
    var, rhs = m.group(1), m.group(2).strip()
    if rhs[:1] in "[{(":
        return f"Check its brackets and commas, e.g. {var} = [\"C\", \"A\", \"B\"] or {var} = {{1: \"B\", 2: \"A\"}}."
    text = rhs.strip("\"'\u201c\u201d\u2018\u2019")
    return f"Put the answer in quotes: {var} = {json.dumps(text, ensure_ascii=False)}"


def _ran(result):
    """When each cell ran (by execution count): an answer run after the last save is not in the saved file."""
    count = getattr(result, "execution_count", None)
    shell = _shell()
    if count is not None and shell is not None and hasattr(shell, "quizgen_run_times"):
        shell.quizgen_run_times[count] = time.time()


_ran.quizgen_guard = True


def _say(text):
    print(text, file=sys.stderr)


# ---- finding the saved notebook ------------------------------------------------------------------------------

def _metadata(path):
    """The notebook's quizgen metadata and its cells, or None if it is not a readable notebook."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return None
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        nb = json.loads(data.decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(nb, dict):
        return None
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    mine = meta.get("quizgen") if isinstance(meta.get("quizgen"), dict) else {}
    return mine, nb, data


def _is_this_notebook(path):
    found = _metadata(path)
    if found is None:
        return False
    mine = found[0]
    return (mine.get("quiz_id") == DATA.get("quiz_id") and mine.get("role") == DATA.get("role")
            and (mine.get("version") or "") == (DATA.get("version") or ""))


def _server_session_path():
    """This kernel's notebook as the Jupyter server knows it now (after a rename too): ask each running server."""
    try:
        from ipykernel.connect import get_connection_file

        m = re.match(r"kernel-(.+)\.json$", os.path.basename(get_connection_file()))
    except Exception:
        return None
    if not m:
        return None
    kernel_id = m.group(1)
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime = jupyter_runtime_dir()
    except Exception:
        return None
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost: never through a proxy
    def newest_first(path):
        try:
            return -os.path.getmtime(path)
        except OSError:
            return 0.0

    infos = sorted(glob.glob(os.path.join(runtime, "jpserver-*.json")) + glob.glob(os.path.join(runtime, "nbserver-*.json")),
                   key=newest_first)
    for info_path in infos[:MAX_SERVERS]:
        try:
            with open(info_path, encoding="utf-8") as fh:
                info = json.load(fh)
            request = urllib.request.Request(info["url"].rstrip("/") + "/api/sessions",
                                             headers={"Authorization": "token " + (info.get("token") or "")})
            with opener.open(request, timeout=2) as response:
                sessions = json.loads(response.read(4_000_000).decode("utf-8"))
        except Exception:
            continue
        for s in sessions if isinstance(sessions, list) else []:
            if isinstance(s, dict) and (s.get("kernel") or {}).get("id") == kernel_id and s.get("path"):
                root = info.get("root_dir") or info.get("notebook_dir") or ""
                return os.path.join(os.path.expanduser(root), *s["path"].split("/"))
    return None


def _session_candidates():
    yield "VS Code", NOTEBOOK.get("__vsc_ipynb_file__")
    yield "the Jupyter server", _server_session_path()
    named = NOTEBOOK.get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if named:
        yield "the kernel's session", named
        yield "the kernel's session", os.path.basename(named)


def find_notebook(path=None):
    """(the saved notebook file, '') or (None, why it was not found)."""
    if path is not None:
        path = os.path.abspath(os.path.expanduser(str(path)))
        if not os.path.isfile(path):
            return None, f"there is no file {path}"
        return path, ""
    for _how, candidate in _session_candidates():
        if candidate and os.path.isfile(candidate) and _is_this_notebook(candidate):
            return os.path.abspath(candidate), ""
    here = os.getcwd()
    try:
        names = sorted(n for n in os.listdir(here) if n.lower().endswith(".ipynb"))[:MAX_SCANNED]
    except OSError:
        names = []
    mine = [os.path.join(here, n) for n in names if _is_this_notebook(os.path.join(here, n))]
    if len(mine) == 1:
        return mine[0], ""
    if mine:
        newest = max(mine, key=os.path.getmtime)
        return newest, (f"{len(mine)} copies of this quiz are in {here}: checked the one saved last; "
                        f"to check another, run check(\"its name.ipynb\")")
    return None, f"no saved copy of this notebook was found in {here}"


# ---- reading what was saved and what ran ------------------------------------------------------------------------

def _normal(source):
    return "\n".join(line.rstrip() for line in source.strip().split("\n"))


def _history():
    """The cells run since the kernel started, as typed (the set-up cell left out), and when each ran (0: unknown,
    before the set-up)."""
    shell = _shell()
    raw = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or []
    times = getattr(shell, "quizgen_run_times", {})
    kept = [(n, src) for n, src in enumerate(raw) if n and isinstance(src, str) and MODULE not in src]
    return [src for _, src in kept], [times.get(n, 0.0) for n, _ in kept]


def _same(a, b):
    """The same answer for the grader (two unreadable cells count as the same: their texts are compared apart)."""
    if a is None or b is None:
        return a is None and b is None
    if a.error or b.error:
        return bool(a.error) and bool(b.error)
    return type(a.value) is type(b.value) and a.value == b.value


def compare_with_history(answers, cell_sources, history, run_times, saved_at, variables):
    """(answers run but not saved, answers saved but not run): the saved file against what ran in the kernel.

    An answer that differs is unsaved when its cell ran after the file was saved and its text is not in the file;
    otherwise the file is newer than the run (edited and saved, or autosaved), and the grader marks the file."""
    ran, _ = read_sources(history, variables)  # noqa: F821  (nbread)
    saved_texts = {_normal(s) for s in cell_sources if s is not None}
    unsaved, unrun = [], []
    for var in variables:
        s, r = answers.get(var), ran.get(var)
        if _same(s, r):
            continue
        if r is not None and r.cell >= 0 and run_times[r.cell] > saved_at and _normal(history[r.cell]) not in saved_texts:
            unsaved.append(var)
        elif s is not None:
            unrun.append(var)
    return unsaved, unrun


# ---- the checks -----------------------------------------------------------------------------------------------

def check(path=None):
    """Your score on the saved notebook file, marked by the grader's own rules (no answers are in this notebook:
    only salted fingerprints of them). path: the notebook file, when check() cannot find it itself."""
    _run(path, judged=True)


def check_format(path=None):
    """Which answers in the saved notebook file the grader cannot read. It says nothing about whether they are right.
    path: the notebook file, when check_format() cannot find it itself."""
    _run(path, judged=False)


def _run(path, judged):
    variables = _variables()
    file, note = find_notebook(path)
    history, run_times = _history()
    out, sources, unsaved, unrun = [], [], [], []
    if file is not None:
        found = _metadata(file)
        if found is None:
            print(f"{os.path.basename(file)} is not a notebook that can be read (is it saved in full?).")
            return
        mine, nb, data = found
        reading = read_notebook(data, variables)  # noqa: F821  (nbread)
        if reading.problem:
            print(f"{os.path.basename(file)} cannot be read: {reading.problem}.")
            return
        if reading.quiz_id is not None and reading.quiz_id != DATA["quiz_id"]:
            print(f"{os.path.basename(file)} is another quiz ({reading.quiz_id}), not this one. Run check(\"NAME.ipynb\") "
                  "with this notebook's file name.")
            return
        answers, student = reading.answers, reading.student
        sources = [_source(c) if c.get("cell_type") == "code" else None for c in _cells(nb)]  # noqa: F821  (nbread)
        mtime = os.path.getmtime(file)
        out.append(f"Checked {os.path.basename(file)} as saved at {time.strftime('%H:%M:%S', time.localtime(mtime))}: "
                   "what the grader will mark.")
        if note:
            out.append(f"({note}.)")
        unsaved, unrun = compare_with_history(answers, sources, history, run_times, mtime, variables)
        if unsaved:
            out.append(f"Save first: what you ran for {_listed(unsaved)} is not in the saved file. Save (Ctrl+S, or "
                       f"File > Save Notebook), then run {'check' if judged else 'check_format'}() again.")
        if unrun:
            out.append(f"Saved but not run (fine: the grader reads the saved file): {_listed(unrun)}.")
    else:
        answers, student = read_sources(history, variables)  # noqa: F821  (nbread)
        out.append(f"The saved notebook was not found ({note}), so this checks the cells you have run instead. "
                   f"To check the file you hand in: save it, then run {'check' if judged else 'check_format'}"
                   f"(\"{DATA.get('file') or 'NAME.ipynb'}\") with its file name (and folder, if it is not beside this kernel).")
    out.append(f"Student: {student}" if student else
               "Student: not given yet: write your name between the quotes in the student cell near the top.")
    results = {q["var"]: _result(q, answers.get(q["var"]), judged) for q in DATA["questions"]}
    for var, r in results.items():
        if "syntax error" in r["reason"]:
            line = _answer_line(var, sources or history)
            if line:
                r["reason"] += ". " + fix_hint(line)
    out += _summary(results) if judged else _format_summary(results)
    LAST.clear()
    LAST.update(file=file, student=student, results=results, unsaved=unsaved, unrun=unrun)
    print("\n".join(out))


def _result(q, a, judged):
    points = float(q["points"])
    if a is None:
        return {"points": 0.0, "max": points, "state": "open", "reason": "no answer"}
    if a.error or a.value is None:
        return {"points": 0.0, "max": points, "state": "unreadable" if a.error else "open", "reason": a.error or "no answer"}
    if not judged:
        verdict = judge(q["format"], a.value)  # noqa: F821  (marking): an entry with no right answer in it
        readable = verdict.reason in PLAIN_WRONG or bool(_COUNTED.match(verdict.reason))
        missing = _NOT_ANSWERED.search(verdict.reason) if readable else None
        return {"points": 0.0, "max": points, "state": "readable" if readable else "unreadable",
                "reason": f"{missing.group(1)} of its statements have no letter yet" if missing else ("" if readable else verdict.reason)}
    verdict = judge(q["check"], a.value)  # noqa: F821  (marking)
    got = round(points * verdict.fraction, 4)
    state = "right" if verdict.fraction == 1 else "part" if verdict.fraction > 0 else "wrong"
    return {"points": got, "max": points, "state": state, "reason": verdict.reason, "how": verdict.how}


def _answer_line(var, sources):
    """The last line in these cells that gives var an answer (to suggest a fix for it)."""
    found = ""
    pattern = re.compile(r"^\s*" + re.escape(var) + r"\s*(?::[^=]*)?=(?!=)")
    for src in sources:
        for line in (src or "").split("\n"):
            if pattern.match(line):
                found = line
    return found


def _listed(variables):
    return ", ".join(variables)


def _num(x):
    return f"{x:g}"


def _summary(results):
    total = sum(r["points"] for r in results.values())
    most = sum(r["max"] for r in results.values())
    by = {}
    for var, r in results.items():
        by.setdefault(r["state"], []).append(var)
    lines = [f"Score: {_num(total)} of {_num(most)} points."]
    if by.get("right"):
        lines.append(f"Right ({len(by['right'])}): {_listed(by['right'])}")
    if by.get("part"):
        lines.append(f"Part marks ({len(by['part'])}): " + "; ".join(
            f"{v} {_num(results[v]['points'])} of {_num(results[v]['max'])}: {results[v]['reason']}" for v in by["part"]))
    if by.get("wrong"):
        lines.append(f"Not right yet ({len(by['wrong'])}): " + ", ".join(
            v if results[v]["reason"] in PLAIN_WRONG else f"{v} ({results[v]['reason']})" for v in by["wrong"]))
    if by.get("open"):
        lines.append(f"Not answered yet ({len(by['open'])}): {_listed(by['open'])}")
    if by.get("unreadable"):
        lines.append(f"The grader cannot read ({len(by['unreadable'])}):")
        lines += [f"  {v}: {results[v]['reason']}" for v in by["unreadable"]]
    if not by.get("open") and not by.get("unreadable") and not by.get("wrong") and not by.get("part"):
        lines.append("All right. Remember to save before you hand it in.")
    return lines


def _format_summary(results):
    by = {}
    for var, r in results.items():
        by.setdefault(r["state"], []).append(var)
    readable = by.get("readable", [])
    lines = [f"The grader can read {len(readable)} of {len(results)} answers (this says nothing about whether they are right)."]
    partial = [v for v in readable if results[v]["reason"]]
    if partial:
        lines.append("Not complete: " + "; ".join(f"{v} ({results[v]['reason']})" for v in partial))
    if by.get("open"):
        lines.append(f"Not answered yet ({len(by['open'])}): {_listed(by['open'])}")
    if by.get("unreadable"):
        lines.append(f"The grader cannot read ({len(by['unreadable'])}):")
        lines += [f"  {v}: {results[v]['reason']}" for v in by["unreadable"]]
    return lines
