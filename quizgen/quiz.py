"""A quiz drawn from a bank: which questions, their variable names, the answer key and the self-check data."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .marking import normalise_answer, public_entry
from .bank import LETTERS, Bank, Question, opaque_id, stable_hash
from .textnorm import named_answer

KEY_FORMAT = "quizgen-answer-key"
KEY_VERSION = 2


@dataclass(frozen=True)
class QuizItem:
    var: str
    question: Question     # as shown in this quiz (its options perhaps re-lettered)
    qid: str = ""          # the opaque id students see
    bank_order: tuple[int, ...] = ()   # mcq/multi: for each shown option, its index in the bank question

@dataclass(frozen=True)
class Quiz:
    source: str
    title: str
    items: tuple[QuizItem, ...]
    seed: str = "public"

    @property
    def quiz_id(self) -> str:
        blob = json.dumps([self.seed, [[i.question.id, i.var, i.question.answer_text] for i in self.items]], ensure_ascii=False)
        return f"{self.source}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:12]}"


def select_quiz(bank: Bank, all_questions: bool = False, *, count: int | None = None, types=(), tags=()) -> Quiz:
    """The quiz of a one-source bank: one question per idea, chosen so that nothing on the page answers a
    question (see quizgen/selection.py); all_questions takes every question, count a balanced selection."""
    from .errors import InputError
    from .selection import choose

    if not bank.questions:
        raise InputError("the bank has no questions to make a quiz of")
    if len(bank.sources) > 1:
        raise InputError(f"a quiz is made from one source; this bank has {len(bank.sources)} ({', '.join(bank.sources)})")
    chosen = choose(bank, count=count, types=types, tags=tags, all_questions=all_questions)
    if not chosen:
        raise InputError("no question of the bank fits the selection (check --type and --tag)")
    from .selection import balance_letters

    source = chosen[0].source
    c = chosen[0].citation
    width = max(2, len(str(len(chosen))))
    shown = balance_letters(chosen, bank.seed)
    items = tuple(QuizItem(f"q{n:0{width}d}", s, opaque_id(bank.seed, q.source, q.id),
                           tuple(q.options.index(o) for o in s.options) if q.type in ("mcq", "multi") else ())
                  for n, (q, s) in enumerate(zip(chosen, shown), 1))
    return Quiz(source, c.name or c.title, items, bank.seed)


def correct_value(q: Question):
    """The key's answer for a question, in the shape a student's answer is compared with."""
    if q.type == "mcq":
        return q.correct_letter
    if q.type == "multi":
        return q.correct_letters()
    if q.type == "tf":
        return q.answer == "TRUE"
    if q.type in ("short", "cloze"):
        return {"accepted": [q.answer, *q.alternates], "answer_kind": q.answer_kind, "near": list(q.near)}
    if q.type == "numeric":
        return {"value": float(q.answer), "tolerance": q.tolerance, "unit": q.unit, "alternates": list(q.alternates)}
    if q.type == "ordering":
        return q.correct_letters()
    if q.type == "matching":
        return {str(i + 1): letter for i, letter in enumerate(q.correct_letters())}
    raise ValueError(q.type)


def example_answer(q: Question) -> str:
    """The comment in an empty answer cell: the form of answer expected."""
    return {
        "mcq": 'a letter, e.g. "B"',
        "multi": 'a list of letters, every right one, e.g. ["A", "C"]',
        "tf": "True or False",
        "short": 'a name or short phrase in quotes, e.g. "the answer"',
        "cloze": 'the missing word(s) in quotes, e.g. "the words"',
        "numeric": "a number, e.g. 12" + (f" (in {q.unit})" if q.unit else ""),
        "ordering": 'a list of letters, earliest first, e.g. ["C", "A", "B"]',
        "matching": 'a dict: statement number -> letter, e.g. {1: "B", 2: "A", ...}',
    }[q.type]


def solution_literal(q: Question) -> str:
    value = correct_value(q)
    if q.type in ("short", "cloze"):
        return json.dumps(value["accepted"][0], ensure_ascii=False)
    if q.type == "numeric":
        return q.answer
    if q.type == "matching":
        return "{" + ", ".join(f'{k}: "{v}"' for k, v in value.items()) + "}"
    if q.type == "tf":
        return repr(value)
    return json.dumps(value)  # mcq letter, ordering and multi letter lists


def answer_key(quiz: Quiz, student_files: list[str] | None = None) -> dict:
    """The teacher's key: everything the grader needs, and nothing it needs to run."""
    questions = []
    for item in quiz.items:
        q = item.question
        entry = {
            "qid": item.qid, "id": q.id, "var": item.var, "type": q.type, "prompt": q.prompt, "points": q.points,
            "correct": correct_value(q), "answer_text": q.answer_text,
            "evidence": q.evidence, "explanation": q.explanation,
        }
        if q.type in ("mcq", "multi"):
            entry["options"] = list(q.options)
            entry["bank_order"] = list(item.bank_order or range(len(q.options)))
        if q.type in ("ordering", "matching"):
            entry["items"] = [text for _, text in q.shown_items()]
        if q.type == "matching":
            entry["left"] = list(q.options)
        questions.append(entry)
    c = quiz.items[0].question.citation if quiz.items else None
    return {"format": KEY_FORMAT, "version": KEY_VERSION, "quiz_id": quiz.quiz_id, "source": quiz.source,
            "title": quiz.title, "citation": c.__dict__ if c else {}, "max_points": sum(i.question.points for i in quiz.items),
            "student_files": list(student_files if student_files is not None else [f"{quiz.source}.ipynb", f"{quiz.source}.exam.ipynb"]),
            "questions": questions}


def self_check_payload(key: dict) -> dict:
    """The practice notebook's self-check data: per question its variable and salted fingerprints (marking.py)."""
    salt = hashlib.sha256(key["quiz_id"].encode("utf-8")).hexdigest()[:16]
    return {"salt": salt, "questions": [{"var": e["var"], **public_entry(e, salt)} for e in key["questions"]]}
