"""The set-up cell's code, run in the student's kernel: the bare answers, the slip guards, check() and check_format().

Standard library only. The notebook embeds it, packed, after answer_forms, marking, pycells, nbread, slips and locate
(one namespace: judge, read_notebook, read_sources, BARE_NAMES, SlipGuard, find_notebook come from them), so check()
reads the *saved* notebook file with the grader's own reader and marks it with the grader's own rules. Grading never
runs any of this.
"""
import os
import re
import time

PLAIN_WRONG = ("not right", "not the right option")
_COUNTED = re.compile(r"^\d+ of \d+ (right options chosen|in the right place|pairs right)")
_NOT_ANSWERED = re.compile(r"\((\d+) not answered\)")

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
    shell = ipython_shell()  # noqa: F821  (slips)
    if shell is not None:
        shell.ast_transformers[:] = [t for t in shell.ast_transformers if not getattr(t, "quizgen_guard", False)]
        shell.ast_transformers.append(SlipGuard(_guarded_names()))  # noqa: F821  (slips)
        shell.input_transformers_post[:] = [t for t in shell.input_transformers_post if not getattr(t, "quizgen_guard", False)]
        shell.input_transformers_post.append(SyntaxGuard(_guarded_names()))  # noqa: F821  (slips)
        callbacks = shell.events.callbacks.get("post_run_cell", [])
        for old in [c for c in callbacks if getattr(c, "quizgen_guard", False)]:
            shell.events.unregister("post_run_cell", old)
        shell.events.register("post_run_cell", record_run)  # noqa: F821  (slips)
        if not hasattr(shell, "quizgen_run_times"):
            shell.quizgen_run_times = {}  # on the shell: kept when the set-up runs again
    n = len(data["questions"])
    then = ("check() at the end shows your score on the saved file" if data.get("role") != "exam"
            else "check_format() at the end shows whether the grader can read every answer")
    print(f"ready: {n} questions. Answer in the cells, save (Ctrl+S), and {then}.")


def _variables():
    return [q["var"] for q in DATA.get("questions", [])]


def _guarded_names():
    return frozenset(_variables()) | {STUDENT_VAR}  # noqa: F821  (nbread)


# ---- reading what was saved and what ran ------------------------------------------------------------------------

def _normal(source):
    return "\n".join(line.rstrip() for line in source.strip().split("\n"))


def _history():
    """The cells run since the kernel started, as typed (the set-up cell left out), and when each ran (0: unknown,
    before the set-up)."""
    shell = ipython_shell()  # noqa: F821  (slips)
    raw = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or []
    times = getattr(shell, "quizgen_run_times", {})
    kept = [(n, src) for n, src in enumerate(raw) if n and isinstance(src, str) and MODULE not in src]  # noqa: F821
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
    file, note = find_notebook(path, DATA, NOTEBOOK)  # noqa: F821  (locate)
    history, run_times = _history()
    out, sources, unsaved, unrun = [], [], [], []
    if file is not None:
        found = notebook_metadata(file)  # noqa: F821  (locate)
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
                r["reason"] += ". " + fix_hint(line, _guarded_names())  # noqa: F821  (slips)
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
