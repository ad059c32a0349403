"""Giveaways in what each writer really prints: every student-facing file, with its questions taken out, must show
no question's answer (titles, headers, instructions, category names, file names, metadata)."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SOURCES
from quizgen.giveaway import keys_of
from quizgen.textnorm import normalise_answer

SHIPPED = sorted(p.stem for p in SOURCES.glob("*.yaml"))
FORMATS = ("qti", "moodle", "gift", "kahoot", "blooket", "gimkit")


def _text_of(data: bytes) -> str:
    """Everything readable in a file: its text, or the text of every member of a zip (QTI, xlsx)."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8-sig", "replace")


def _question_strings(q) -> list[str]:
    parts = [q.prompt, *q.options, *q.responses, *q.matches, q.answer, *q.alternates, q.answer_text, q.evidence,
             q.explanation, q.context, *q.evidence.split(" … ")]
    return [p for p in parts if p and len(p) > 2]


def _chrome(text: str, questions) -> str:
    """The rendered file with every question's own strings removed (in every escaping a writer may use)."""
    text = html.unescape(html.unescape(text))
    text = text.replace("\\n", " ").replace("\\", "")
    for q in questions:
        for s in sorted(_question_strings(q), key=len, reverse=True):
            for form in {s, html.escape(s), html.escape(s, quote=False), json.dumps(s)[1:-1]}:
                text = text.replace(form, " ")
        # a question's name in an LMS is the start of its stem (teachers see it, students do not)
        for n in range(len(q.prompt), 19, -1):
            if q.prompt[:n] in text:
                text = text.replace(q.prompt[:n], " ")
                break
    return text


def _fold(text: str) -> str:
    """Case, punctuation and spacing folded like answers (normalise_answer caps its input; a file is longer)."""
    return " " + re.sub(r"[\W_]+", " ", text.casefold()).strip() + " "


def _leaks(chrome: str, questions) -> list[str]:
    folded = _fold(chrome)
    out = []
    for q in questions:
        keys, wrong = keys_of(q)
        for k in keys[:1]:      # the main answer: alternates such as "US" occur anywhere by chance
            norm = _fold(k)
            if len(norm) >= 6 and norm in folded and not any(_fold(w) in folded for w in wrong):
                out.append(f"{q.id}: '{k}'")
    return out


@pytest.fixture(scope="module")
def quizzes():
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.quiz import select_quiz

    out = {}
    for name in SHIPPED:
        bank = build_bank(load_pack(SOURCES / f"{name}.yaml"))
        out[name] = (bank, select_quiz(bank))
    return out


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_exported_quiz_shows_no_answer_outside_its_questions(quizzes, name, fmt):
    from quizgen.bank import Bank
    from quizgen.writers import load_writer

    bank, quiz = quizzes[name]
    # feedback (the quote, the explanation) is shown after answering: left out, what remains is the page
    questions = [replace(i.question, evidence="", explanation="") for i in quiz.items]
    result = load_writer(fmt).render(Bank(tuple(questions), bank.seed))
    chrome = _chrome(_text_of(result.data), questions) + f" {name}{load_writer(fmt).__name__}"
    assert not _leaks(chrome, questions)
    # the check can fail: the same file with an answer put in its title is caught
    first = next(q for q in questions if keys_of(q)[0] and len(_fold(keys_of(q)[0][0])) >= 6)
    assert _leaks(chrome + " " + keys_of(first)[0][0], [first])


@pytest.mark.parametrize("name", SHIPPED)
def test_the_student_notebooks_show_no_answer_outside_their_questions(quizzes, name):
    """The exam notebook without the source text (with it, a quiz is open book by design)."""
    from quizgen.writers.notebook import render_notebooks

    bank, quiz = quizzes[name]
    questions = [i.question for i in quiz.items]
    files = render_notebooks(bank, Path("nb"), include_text=False)
    for path, text in files.items():
        if "teacher" in path.parts:
            continue
        nb = json.loads(text)
        cells = [c for c in nb["cells"] if c.get("metadata", {}).get("quizgen", {}).get("role") != "self-check"]
        shown = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
        chrome = _chrome(shown + " " + json.dumps(nb["metadata"]) + " " + path.name, questions)
        assert not _leaks(chrome, questions), path.name
