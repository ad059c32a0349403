"""What a student reads in a quiz notebook: the instructions, the text, each question with how to answer it."""
from __future__ import annotations

import json

from ...answer_forms import read_date
from ...bank import BLANK, LETTERS, TYPE_LABELS, Question
from ...errors import plural
from .document import md

BLANK_SHOWN = md(BLANK) + " (blank)"   # a screen reader says "blank", not five underscores or nothing


def _points(n: int) -> str:
    return plural(n, "point")


def intro(title: str, citation, n_questions: int, total_points: int, role: str, has_text: bool) -> str:
    """The first cell: what to do, in order, and how it is graded."""
    exam = role == "exam"
    kind = {"exam": "exam", "practice": "practice quiz", "solutions": "solutions"}.get(role, role)
    checker = "check_format()" if exam else "check()"
    checks = ("says whether the grader can read each answer (not whether it is right)" if exam else
              "marks the saved file with the grader's own rules and lists the questions still open")
    steps = [
        'Run the **set-up** cell below first: click it, then press Shift+Enter. It prints "ready".',
        "Write your name between the quotes in the cell under **Your name**, and run it.",
        ("Read the text, then answer" if has_text else "Answer") + " each question in the cell below it: replace `None` "
        "with your answer. Each question says how to answer, with an example.",
        f"Save the notebook (Ctrl+S, or File > Save Notebook), then run `{checker}` in the last cell: it {checks}.",
        "Hand in this file. The grader marks what is saved in it.",
    ]
    restart = (f"**After a kernel restart**, or if Python says that `B`, `true` or `{checker.rstrip('()')}` is not defined: "
               "run the set-up cell again and carry on. Your saved answers count without running their cells again.")
    grading = ("The grader reads your answers from the saved file and never runs your code. Besides the form each "
               "question asks for, it accepts the option's text instead of its letter, numbers written as words "
               '("six") or with their unit ("6 nations"), and an order written as text ("B then C then A"). '
               "Ordering, matching and select-all questions earn part marks. An answer Python cannot read (text "
               f"without quotes, a missing bracket) earns nothing: `{checker}` tells you which.")
    if role != "exam":
        grading += (" This notebook's `check()` holds salted fingerprints of the answers, not the answers; someone "
                    "determined could still find the answers with it by trial, so it is for practice only.")
    c = citation
    source = f"*Source:* {md(c.title)}, {md(c.publisher)}, {md(c.date)}. {md(c.license)}."
    lines = [f"# {md(title)}: {kind}", "", f"{plural(n_questions, 'question')}, {plural(total_points, 'point')}. {source}", "",
             "## How to answer", "", *[f"{i}. {s}" for i, s in enumerate(steps, 1)], "", restart, "",
             "## How it is graded", "", grading]
    return "\n".join(lines) + "\n"


def nbgrader_intro(title: str, citation, n_questions: int, total_points: int) -> str:
    """nbgrader's release has no set-up cell and no checks: its locked helper cell defines the bare answers."""
    c = citation
    return "\n".join([
        f"# {md(title)}", "", f"{plural(n_questions, 'question')}, {plural(total_points, 'point')}. *Source:* {md(c.title)}, {md(c.publisher)}, "
        f"{md(c.date)}. {md(c.license)}.", "", "## How to answer", "",
        "Run the first code cell first (it holds the checks and defines `A`-`F`, `true`, `false`, `yes` and `no`). Then "
        "answer each question in the cell below it, as the question says, and save before you submit."]) + "\n"


NAME_HEADING = "## Your name\n\nWrite your name (or your student id) between the quotes, e.g. `student = \"Ada Lovelace\"`, and run the cell.\n"

def name_source(student: str = "") -> str:
    return f"student = {json.dumps(student, ensure_ascii=False)}  # your name, in quotes"


def text_markdown(text: str) -> str:
    return "## The text\n\n" + "\n\n".join(md(p) for p in text.strip().split("\n\n")) + "\n"


def questions_heading(n: int) -> str:
    return f"## Questions\n\n{plural(n, 'question')}. Each one says how to answer it, with an example; write your answer in the cell below it.\n"


def check_markdown(role: str) -> str:
    if role == "exam":
        return ("## Check that the grader can read your answers\n\nSave the notebook first (Ctrl+S), then run the cell below. "
                "`check_format()` says which answers the grader cannot read and which are still empty. It says nothing "
                "about whether an answer is right.\n")
    return ("## Check your answers\n\nSave the notebook first (Ctrl+S), then run the cell below. `check()` marks the "
            "saved file with the grader's rules: your score, part marks, and the questions still open.\n")


def check_source(role: str) -> str:
    if role == "exam":
        return "check_format()  # if Python says check_format is not defined: run the set-up cell at the top first"
    return "check()  # if Python says check is not defined: run the set-up cell at the top first"


def answer_comment(n: int) -> str:
    """The first line of an answer cell: names its question for a screen reader, and stays when None is replaced."""
    return f"# Answer to question {n}"


# ---- one question ----------------------------------------------------------------------------------------------

def _order_example(n: int) -> str:
    letters = list(LETTERS[1:n]) + ["A"]
    return json.dumps(letters)


def _matching_example(n_left: int, n_right: int) -> str:
    letters = LETTERS[:max(1, n_right)]
    pairs = [f'{i}: "{letters[i % len(letters)]}"' for i in range(1, min(n_left, 3) + 1)]
    return "{" + ", ".join(pairs) + (", ..." if n_left > 3 else "") + "}"


def _date_example(q: Question) -> str:
    parts, _ = read_date(q.answer) if q.answer else (None, "")
    if parts and parts[2] is not None:
        return '"3 March 1921"'
    if parts and parts[1] is not None:
        return '"March 1921"'
    return '"1921"'


def how_to_answer(q: Question, var: str) -> str:
    """In words, how to answer this question, with one example of the answer line."""
    t = q.type
    if t == "mcq":
        words, example = "Answer with the letter of one option, in quotes", '"B"'
    elif t == "multi":
        words, example = "Select all that apply: answer with the letters of every right option", '["A", "C"]'
    elif t == "tf":
        words, example = "Answer `True` or `False`", "True"
    elif t == "numeric":
        unit = "" if not q.unit else " (a percentage)" if q.unit in ("%", "percent", "per cent") else f" of {md(q.unit)}"
        words, example = f"Answer with a number{unit}", "12"
    elif t == "ordering":
        words, example = "Put the items in order: answer with their letters, first to last", _order_example(len(q.options))
    elif t == "matching":
        words = "Match each numbered statement with a lettered answer: write a dict of number and letter"
        example = _matching_example(len(q.options), len(q.responses))
    elif q.answer_kind == "date":
        words, example = "Answer with a date in quotes, as precise as the question asks", _date_example(q)
    elif t == "cloze":
        words, example = "Fill in the blank: answer with the missing word or words, in quotes", '"your answer"'
    else:
        what = "a name" if q.answer_kind == "name" else "a number" if q.answer_kind == "number" else "a short phrase"
        words, example = f"Answer with {what}, in quotes", '"your answer"'
    return f"{words}, e.g. `{var} = {example}`."


def question_markdown(n: int, total: int, q: Question, var: str) -> str:
    """A question as its own section: heading, the stem, the options or items, and how to answer it."""
    label = TYPE_LABELS[q.type].lower()
    lines = [f"### Question {n} of {total}: {label} ({_points(q.points)})", "", md(q.prompt).replace(md(BLANK), BLANK_SHOWN), ""]
    if q.type in ("mcq", "multi"):
        lines += [f"- **{LETTERS[i]}.** {md(o)}" for i, o in enumerate(q.options)] + [""]
    elif q.type == "ordering":
        lines += [f"- **{letter}.** {md(text)}" for letter, text in q.shown_items()] + [""]
    elif q.type == "matching":
        lines += [f"{i}. {md(o)}" for i, o in enumerate(q.options, 1)] + [""]
        lines += [f"- **{letter}.** {md(text)}" for letter, text in q.shown_items()] + [""]
    lines.append(f"**How to answer:** {how_to_answer(q, var)}")
    return "\n".join(lines) + "\n"
