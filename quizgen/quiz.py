"""A quiz drawn from a bank: which questions, their variable names, the answer key and the self-check data."""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from .answer_canon import digest, normalise_answer
from .bank import LETTERS, Bank, Question, opaque_id, stable_hash
from .errors import plural
from .textnorm import named_answer

KEY_FORMAT = "quizgen-answer-key"
KEY_VERSION = 2
# per-fact question types a quiz rotates through, so a student meets every type
ROTATION = ("mcq", "short", "cloze", "tf", "numeric")
MULTI_FACT = ("ordering", "matching")


@dataclass(frozen=True)
class QuizItem:
    var: str
    question: Question
    qid: str = ""          # the opaque id students see


@dataclass(frozen=True)
class Quiz:
    source: str
    title: str
    items: tuple[QuizItem, ...]
    seed: str = "public"

    def __repr__(self) -> str:
        return f"<Quiz {self.quiz_id}: {plural(len(self.items), 'question')}, {plural(sum(i.question.points for i in self.items), 'point')}>"

    @property
    def quiz_id(self) -> str:
        blob = json.dumps([self.seed, [[i.question.id, i.var, i.question.answer_text] for i in self.items]], ensure_ascii=False)
        return f"{self.source}:{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:12]}"


def select_quiz(bank: Bank, count: int | None = None, types: tuple[str, ...] | list[str] = (),
                tags: tuple[str, ...] | list[str] = (), all_questions: bool = False) -> Quiz:
    """One question per fact (types rotated by the fact's id), plus the ordering question and one matching
    question; a fact in a multi-fact question gets no question of its own, so no question answers another.

    types and tags keep only matching questions first; count cuts the selection to its first count questions.
    """
    if types or tags:  # minimal form (cli branch); the lead's selection replaces it
        bank = bank.filter(types=types, tags=tags)
    if not bank.questions:
        from .errors import InputError

        raise InputError("the bank has no questions to make a quiz of")
    source = bank.questions[0].source
    c = bank.questions[0].citation
    title = c.name or c.title
    if all_questions:
        chosen = list(bank.questions)
    else:
        chosen = []
        covered: set[str] = set()
        for qtype in MULTI_FACT:
            multi = [q for q in bank.questions if q.type == qtype]
            if multi:
                best = min(multi, key=lambda q: sum(leaks(q, o) + leaks(o, q) for o in chosen))
                chosen.append(best)
                covered.update(best.fact_ids)
        per_fact: dict[str, list[Question]] = {}
        for q in bank.questions:
            if len(q.fact_ids) == 1 and q.type in ROTATION and q.fact_ids[0] not in covered:
                per_fact.setdefault(q.fact_ids[0], []).append(q)
        # a form whose answer every form of some other fact shows ("According to Wang Yi, ...") would
        # certainly be given away: count those facts against it
        unavoidable = {q.id: sum(1 for f, others in per_fact.items() if f != q.fact_ids[0] and all(leaks(q, o) for o in others))
                       for qs in per_fact.values() for q in qs}
        picked: dict[str, Question] = {}
        for fact_id in sorted(per_fact):
            start = stable_hash(fact_id) % len(ROTATION)
            rotation = ROTATION[start:] + ROTATION[:start]
            by_type = {q.type: q for q in per_fact[fact_id]}
            ordered = [by_type[t] for t in rotation if t in by_type]
            so_far = chosen + list(picked.values())
            # the form that gives away (or is given away by) the fewest other questions; rotation order breaks ties
            picked[fact_id] = min(ordered, key=lambda q: unavoidable[q.id] + sum(leaks(q, o) + leaks(o, q) for o in so_far))
        _include_every_type(picked, per_fact)
        chosen += picked.values()
        chosen.sort(key=lambda q: (q.type in MULTI_FACT, stable_hash(q.id)))
    if count is not None:
        chosen = chosen[:count]
    width = max(2, len(str(len(chosen))))
    items = tuple(QuizItem(f"q{n:0{width}d}", q, opaque_id(bank.seed, q.source, q.id)) for n, q in enumerate(chosen, 1))
    return Quiz(source, title, items, bank.seed)


def _answers(q: Question) -> list[str]:
    """What a student must not be shown elsewhere in the quiz: the question's accepted answers."""
    if q.type in ("mcq", "short", "cloze", "numeric"):
        found = [q.answer, *q.alternates]
    elif q.type == "matching":
        found = list(q.matches)
    else:
        return []
    # very short forms ("US", "6") match by accident more often than they give anything away
    return [a for a in (normalise_answer(x) for x in found) if len(a) >= 4]


def _shown(q: Question) -> str:
    parts = [q.prompt]
    if q.type in ("matching", "ordering"):
        parts += [*q.options, *q.matches]
    return " ".join(parts)


def leaks(a: Question, b: Question) -> bool:
    """True if question b shows an answer of question a."""
    return a.id != b.id and named_answer(_shown(b), _answers(a)) is not None


def _include_every_type(picked: dict[str, Question], per_fact: dict[str, list[Question]]) -> None:
    """Swap in a question of any type the rotation missed, from a fact whose type is common in the quiz."""
    for qtype in ROTATION:
        counts = {t: sum(1 for q in picked.values() if q.type == t) for t in ROTATION}
        if counts[qtype]:
            continue
        for fact_id in sorted(picked):
            alt = next((q for q in per_fact[fact_id] if q.type == qtype), None)
            if alt is not None and counts[picked[fact_id].type] >= 2:
                picked[fact_id] = alt
                break


def correct_value(q: Question):
    """The key's answer for a question, in the shape a student's answer is compared with."""
    if q.type == "mcq":
        return q.correct_letter
    if q.type == "multi":
        return q.correct_letters()
    if q.type == "tf":
        return q.answer == "TRUE"
    if q.type in ("short", "cloze"):
        return [q.answer, *q.alternates]
    if q.type == "numeric":
        return {"value": float(q.answer), "tolerance": q.tolerance}
    if q.type == "ordering":
        return q.correct_letters()
    if q.type == "matching":
        return {str(i + 1): letter for i, letter in enumerate(q.correct_letters())}
    raise ValueError(q.type)


def example_answer(q: Question) -> str:
    """The comment in an empty answer cell: the form of answer expected."""
    return {
        "mcq": 'a letter, e.g. "B"',
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
        return json.dumps(value[0], ensure_ascii=False)
    if q.type == "numeric":
        return q.answer
    if q.type == "matching":
        return "{" + ", ".join(f'{k}: "{v}"' for k, v in value.items()) + "}"
    if q.type == "tf":
        return repr(value)
    return json.dumps(value)


def answer_key(quiz: Quiz) -> dict:
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
        if q.type in ("ordering", "matching"):
            entry["items"] = [text for _, text in q.shown_items()]
        if q.type == "matching":
            entry["left"] = list(q.options)
        questions.append(entry)
    c = quiz.items[0].question.citation if quiz.items else None
    return {"format": KEY_FORMAT, "version": KEY_VERSION, "quiz_id": quiz.quiz_id, "source": quiz.source,
            "title": quiz.title, "citation": c.__dict__ if c else {}, "max_points": sum(i.question.points for i in quiz.items),
            "questions": questions}


def accepted_canon(entry: dict) -> list[str]:
    """Every canonical string a right answer can have (what the self-check fingerprints)."""
    t, correct = entry["type"], entry["correct"]
    if t == "mcq":
        return ["letter:" + correct]
    if t == "tf":
        return ["tf:" + str(correct).lower()]
    if t in ("short", "cloze"):
        return sorted({"text:" + normalise_answer(a) for a in correct})
    if t == "numeric":
        v, tol = correct["value"], correct["tolerance"]
        if float(v).is_integer() and tol <= 50:
            return ["num:" + format(float(k), "g") for k in range(math.ceil(v - tol), math.floor(v + tol) + 1)]
        return ["num:" + format(round(v, 6), "g")]
    if t in ("ordering", "multi"):
        return [("order:" if t == "ordering" else "set:") + ",".join(correct)]
    if t == "matching":
        return ["match:" + ",".join(f"{k}={v}" for k, v in sorted(correct.items(), key=lambda kv: int(kv[0])))]
    return []


def self_check_payload(key: dict) -> dict:
    salt = hashlib.sha256(key["quiz_id"].encode("utf-8")).hexdigest()[:16]
    questions = []
    for e in key["questions"]:
        item = {"id": e["qid"], "var": e["var"], "type": e["type"],
                "hashes": sorted(digest(salt, e["qid"], c) for c in accepted_canon(e))}
        if e["type"] in ("mcq", "multi"):
            item["options"] = e["options"]
        questions.append(item)
    return {"salt": salt, "questions": questions}
