"""A quiz drawn from a bank: which questions, their variable names, the answer key, and a version per student."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, replace

from .bank import LETTERS, Bank, Question, display_permutation, keyed_hash, opaque_id, stable_rng
from .errors import plural

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
    version: str = ""      # a student's version of a quiz: its label
    base_id: str = ""      # a version keeps the id of the quiz it was made from (one key for all versions)

    def __repr__(self) -> str:
        return f"<Quiz {self.quiz_id}: {plural(len(self.items), 'question')}, {plural(sum(i.question.points for i in self.items), 'point')}>"

    @property
    def quiz_id(self) -> str:
        if self.base_id:
            return self.base_id
        blob = json.dumps([self.seed, [[i.question.id, i.var, i.question.answer_text] for i in self.items]], ensure_ascii=False)
        return f"{self.source}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:12]}"


def select_quiz(bank: Bank, all_questions: bool = False, *, count: int | None = None, types=(), tags=()) -> Quiz:
    """The quiz of a one-source bank: one question per idea, chosen so that nothing on the page answers a
    question (see quizgen/selection.py); all_questions takes every question, count a balanced selection."""
    # a build asks for each source's quiz once per output that carries it (notebooks, QTI, Moodle, games...):
    # the choice is a function of the bank's content and the options, so it is made once
    return _select_quiz(bank, all_questions, count, tuple(types or ()), tuple(tags or ()))


@functools.lru_cache(maxsize=32)
def _select_quiz(bank: Bank, all_questions: bool, count: int | None, types: tuple[str, ...], tags: tuple[str, ...]) -> Quiz:
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


def answer_key(quiz: Quiz, student_files: list[str] | None = None, versions: dict | None = None) -> dict:
    """The teacher's key: everything the grader needs, and nothing it needs to run. versions: the per-student
    versions section (version_section), one key for every version."""
    c = quiz.items[0].question.citation if quiz.items else None
    key = {"format": KEY_FORMAT, "version": KEY_VERSION, "quiz_id": quiz.quiz_id, "source": quiz.source,
           "title": quiz.title, "citation": c.__dict__ if c else {}, "max_points": sum(i.question.points for i in quiz.items),
           "student_files": list(student_files if student_files is not None else [f"{quiz.source}.ipynb", f"{quiz.source}.exam.ipynb"]),
           "questions": [key_entry(item) for item in quiz.items]}
    if versions:
        key["versions"] = versions
    return key


def key_entry(item: QuizItem) -> dict:
    """One question of the key (format 2, docs/internals.md)."""
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
    return entry


# ---- a version per student ------------------------------------------------------------------------------------

def version_quiz(quiz: Quiz, label: str) -> Quiz:
    """The quiz in one student's order: questions, options, ordering items and matching answers shuffled by the
    course secret and the version's label (a student id, or v01, v02, ...). Multiple-choice keys are balanced A-D
    within the version; options in a natural order (numbers, dates) keep it. Same quiz id, one key for all."""
    from .selection import balance_letters

    seed = quiz.seed
    vseed = f"{seed}\x1fversion\x1f{label}"
    ordered = sorted(quiz.items, key=lambda it: keyed_hash(seed, quiz.source, "version", label, it.question.id))
    shuffled = []
    for item in ordered:
        q = item.question
        n = len(q.options)
        if q.type in ("mcq", "multi") and not (q.type == "mcq" and q.fixed_order):
            bank = _bank_options(q.options, item.bank_order)
            perm = list(range(n))
            stable_rng(vseed, q.source, q.id, "options").shuffle(perm)
            options = tuple(bank[j] for j in perm)
            q = replace(q, options=options, answers=tuple(o for o in options if o in q.answers) if q.type == "multi" else q.answers)
        elif q.type == "ordering":
            q = replace(q, display=display_permutation(vseed, q.source, q.id, n))
        elif q.type == "matching":
            perm = list(range(len(q.responses)))
            stable_rng(vseed, q.source, q.id, "responses").shuffle(perm)
            q = replace(q, responses=tuple(q.responses[j] for j in perm))
        shuffled.append(q)
    balanced = balance_letters(shuffled, vseed)
    width = max(2, len(str(len(ordered))))
    items = []
    for n, (item, q) in enumerate(zip(ordered, balanced), 1):
        bank_order = ()
        if q.type in ("mcq", "multi"):
            bank = _bank_options(item.question.options, item.bank_order)
            bank_order = tuple(bank.index(o) for o in q.options)
        items.append(QuizItem(f"q{n:0{width}d}", q, item.qid, bank_order))
    return replace(quiz, items=tuple(items), version=label, base_id=quiz.quiz_id)


def _bank_options(shown: tuple[str, ...], bank_order: tuple[int, ...]) -> list[str]:
    """A question's options in the bank's own order, from the options as shown and their bank indices."""
    if not bank_order:
        return list(shown)
    bank = [""] * len(shown)
    for k, j in enumerate(bank_order):
        bank[j] = shown[k]
    return bank


def version_section(base: Quiz, version: Quiz, student: str = "", file: str = "") -> dict:
    """One version in the key: per question (by opaque id) its variable and its shown order relative to the bank:
    mcq/multi the bank index of each shown option, ordering the position in the right order of each shown item,
    matching the bank index of each shown answer."""
    base_items = {i.qid: i for i in base.items}
    questions = {}
    for item in version.items:
        q = item.question
        entry: dict = {"var": item.var}
        if q.type in ("mcq", "multi"):
            entry["order"] = list(item.bank_order)
        elif q.type == "ordering":
            entry["order"] = list(q.display)
        elif q.type == "matching":
            bank_responses = base_items[item.qid].question.responses
            entry["order"] = [bank_responses.index(r) for r in q.responses]
        questions[item.qid] = entry
    section: dict = {"questions": questions}
    if student:
        section["student"] = student
    if file:
        section["file"] = file
    return section


def version_entries(key: dict, label: str) -> list[dict]:
    """The key's questions as one version shows them (its variables, options and letters), in its order: what
    answer_key() of that version's quiz gives, rebuilt from the versions section. KeyError: no such version."""
    section = key["versions"][label]["questions"]
    out = []
    for e in key["questions"]:
        v = section[e["qid"]]
        ve = dict(e, var=v["var"])
        order = v.get("order")
        t = e["type"]
        if t in ("mcq", "multi"):
            bank = _bank_options(tuple(e["options"]), tuple(e.get("bank_order") or ()))
            ve["options"] = [bank[j] for j in order]
            ve["bank_order"] = list(order)
            right = {e["bank_order"][LETTERS.index(letter)] for letter in ([e["correct"]] if t == "mcq" else e["correct"])}
            letters = [LETTERS[k] for k, j in enumerate(order) if j in right]
            ve["correct"] = letters[0] if t == "mcq" else letters
            ve["answer_text"] = "; ".join(f"{LETTERS[k]}. {bank[j]}" for k, j in enumerate(order) if j in right)
        elif t == "ordering":
            in_order = [e["items"][LETTERS.index(letter)] for letter in e["correct"]]
            ve["items"] = [in_order[j] for j in order]
            ve["correct"] = [LETTERS[order.index(i)] for i in range(len(in_order))]
        elif t == "matching":
            ve["items"] = [e["items"][j] for j in order]
            ve["correct"] = {k: LETTERS[order.index(LETTERS.index(letter))] for k, letter in e["correct"].items()}
        out.append(ve)
    return sorted(out, key=lambda ve: ve["var"])
