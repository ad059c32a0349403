"""Which notes and cards a bank makes: a note per record or group, a cloze note per sentence; escaping and tags."""
from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ...textnorm import _TYPOGRAPHIC
from ...bank import BLANK, Bank, Question
from .models import CHOICE_ID, CLOZE_ID, RECALL_ID, RECALL_SLOTS

MIN_CLOZE_WORDS = 8
# question forms that ask the record's plain recall question; every other multiple-choice form (why, said-by,
# claim, position, ...) asks something else, and its stem and key make a question -> answer card of their own
PLAIN_MCQ_FORM = "mcq"
_NEEDS_OPTIONS = re.compile(r"\b(which of (these|the following)|of these|of the following)\b", re.IGNORECASE)
_SAYS_HOW = re.compile(r"\b(select|choose|tick|mark) (all|one|every)\b", re.IGNORECASE)   # the stem says how to answer
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*", re.UNICODE)
_NOT_TAG = re.compile(r"[^\w:-]", re.UNICODE)

# why a question is not a card, by design: (short name for summaries, the reason in full)
LEFT_OUT = {
    "tf": ("true/false", "a flashcard never shows a statement to judge (false ones would teach a falsehood, true ones are all 'True')"),
    "matching": ("matching", "each pair is its record's own card"),
    "ordering": ("ordering", "each event's date is its record's own card"),
    "mcq-recalled": ("multiple choice asked as recall", "the record's question -> answer card asks it without options"),
    "mcq-covered": ("multiple choice covered", "the record is learnt from its sentence's cloze or its group's card"),
    "multi-recalled": ("select-all asked as recall", "the records are asked as question -> answer cards"),
    "numeric-short": ("numeric asked as short answer", "the record's short-answer card asks the same"),
    "needs-options": ("question without its options", "its stem refers to options that a question -> answer card does not show"),
    "no-slot": ("over the slots", f"more than {RECALL_SLOTS} question -> answer cards for one record"),
}


@functools.lru_cache(maxsize=16384)
def esc(text: str) -> str:
    """Field text as HTML that Anki search still finds: <, > and & become entities, quotes stay characters,
    and '{{' / '}}' are broken so no field can open an Anki template or cloze tag."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("{{", "{&#123;").replace("}}", "}&#125;")
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def esc_cloze(text: str) -> str:
    """Text inside or around a cloze deletion: no brace may touch Anki's {{c1::...}} and no '::' start a hint."""
    return esc(text).replace("{", "&#123;").replace("}", "&#125;").replace("::", ":&#58;")


@functools.lru_cache(maxsize=4096)
def tag(text: str) -> str:
    """Anki tags have no spaces (Anki would split them); keep letters, digits, _, - and :: hierarchy."""
    return _NOT_TAG.sub("_", text)


@functools.lru_cache(maxsize=4096)
def words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Part:
    """One card of a note: its stable identity in the note (the form, or the record for a cloze) and content."""

    pid: str
    qid: str
    question: str = ""              # escaped HTML
    answer: str = ""                # escaped HTML
    span: tuple[int, int] = (0, 0)  # cloze: the blank in the note's sentence
    topics: tuple[str, ...] = ()    # cloze: the record's topic tags (a sentence note has those of its records)
    quote: str = ""                 # cloze: the record's evidence where it goes beyond the sentence (escaped)


@dataclass(frozen=True)
class PlannedNote:
    """A note before the manifest gives its card numbers and times: what the bank says it holds."""

    key: str                        # the identity its GUID comes from
    model_id: int
    label: str                      # how reports name it: the record or group id, or the sentence's start
    position: int                   # where it starts in the text
    parts: tuple[Part, ...]
    shared: tuple[tuple[str, str], ...]   # the fields every card of the note shares (escaped)
    tags: tuple[str, ...]
    context: str = ""               # cloze: the sentence as the text has it (not escaped)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(p.qid for p in self.parts)


@dataclass
class Plan:
    """The notes a bank makes, and every question not in them with the reason."""

    notes: list[PlannedNote] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))   # reason -> question ids
    refused: list[tuple[str, str]] = field(default_factory=list)                          # (question id, why)

    def dropped(self) -> list[tuple[str, str]]:
        """Every question id not carried, with why (for export reports)."""
        out = [(qid, f"{LEFT_OUT[reason][0]}: {LEFT_OUT[reason][1]}") for reason, qids in self.left_out.items() for qid in qids]
        return sorted(out + self.refused)


def deck_name(bank: Bank) -> str:
    c = bank.questions[0].citation
    return (c.name or c.title).replace("::", ":")


def source_line(q: Question) -> str:
    c = q.citation
    return esc(f"{c.title} \u2014 {c.publisher}, {c.date}")


def note_prefix(qid: str) -> str:
    """The record or group a question belongs to: the part of its id before the first dot."""
    return qid.split(".", 1)[0]


def original_sentence(context: str, evidence: str) -> str:
    """The sentence as the text writes it (em dashes, curly quotes), where the bank gives a folded copy."""
    if not context:
        return context
    for quote in evidence.split(" \u2026 ") if evidence else ():
        folded = quote.translate(_TYPOGRAPHIC)
        at = folded.find(context)
        if at >= 0:
            return quote[at:at + len(context)]
    return context


def cloze_refusal(context: str, span: tuple[int, int] | None = None) -> str | None:
    """Why a sentence cannot carry a cloze, or None: too little context around the blank, or a headline,
    dateline or signature."""
    n = words(context) - (words(context[span[0]:span[1]]) if span else 0)
    if n < MIN_CLOZE_WORDS:
        return (f"{n} word(s) around the blank; a cloze needs at least {MIN_CLOZE_WORDS} "
                "(from its sentence) to have one answer")
    if _SENTENCE_END.search(context):
        return None
    later = [w for w in _WORD.findall(context)[1:] if w[0].isalpha()]
    capitalised = sum(1 for w in later if w[0].isupper())
    if later and capitalised / len(later) >= 0.7:
        return "its sentence reads as a headline, dateline or signature (no sentence end, mostly capitalised words)"
    return None


def _tags(source: str, fmt: str, questions) -> tuple[str, ...]:
    return (f"quizgen::{tag(source)}::format::{fmt}", *topic_tags(source, (tag(t) for q in questions for t in q.tags)))


def _answer(q: Question) -> str:
    if q.type == "numeric":
        text = q.answer_text + (f" (\u00b1{q.tolerance:g})" if q.tolerance else "")
        return esc(text)
    return esc(q.answer)


def _joined(texts) -> str:
    seen: list[str] = []
    for t in texts:
        if t and t not in seen:
            seen.append(t)
    return "<br>".join(esc(t) for t in seen)


def _recall_rank(q: Question) -> tuple:
    return ({"short": 0, "numeric": 1}.get(q.type, 3 if q.form != PLAIN_MCQ_FORM else 2), q.form, q.id)


def _options_list(options) -> str:
    # a stored order that depends on nothing but the options: the card shuffles them at every review
    ordered = sorted(options, key=lambda o: (o.casefold(), o))
    return '<ul class="qg-options">' + "".join(f"<li>{esc(o)}</li>" for o in ordered) + "</ul>"


def plan_notes(bank: Bank) -> Plan:
    """The notes of a one-source bank, decided by each question's type, form and fields."""
    plan = Plan()
    if not bank.questions:
        return plan
    source = bank.questions[0].source
    by_sentence: dict[str, list[Question]] = defaultdict(list)
    by_note: dict[str, list[Question]] = defaultdict(list)
    for q in bank.questions:
        if q.type == "cloze":
            q = _with_sentence(q)
            by_sentence[q.context].append(q)
        else:
            by_note[note_prefix(q.id)].append(q)

    learnt: set[str] = set()            # records that already have a card of their own somewhere
    for context, clozes in by_sentence.items():
        note = _cloze_note(source, context, clozes, plan)
        if note is not None:
            plan.notes.append(note)
            learnt.update(f for q in clozes if any(p.qid == q.id for p in note.parts) for f in q.fact_ids)

    decided: set[str] = set()           # questions already left out, with their reason
    recall_of: dict[str, list[Question]] = {}
    for prefix, qs in by_note.items():
        recall = [q for q in qs if _is_recall(q)]
        recall_ids = {q.id for q in recall}       # (ids, not question equality: a large group compares fast)
        for q in qs:
            if q.id not in recall_ids and q.type in ("short", "numeric"):
                plan.left_out["needs-options"].append(q.id)
                decided.add(q.id)
        # the record's own short answer asks what its numeric and plain multiple-choice questions ask; without
        # one, the plain multiple choice's stem and key are the record's question -> answer card
        if any(q.type == "short" for q in recall):
            for q in recall:
                if q.type == "numeric":
                    plan.left_out["numeric-short"].append(q.id)
                    decided.add(q.id)
            recall = [q for q in recall if q.type != "numeric"]
        plain = {q.id for q in recall if q.type == "mcq" and q.form == PLAIN_MCQ_FORM}
        if any(q.type in ("short", "numeric") for q in recall) or len(plain) > 1:
            recall = [q for q in recall if q.id not in plain]
        recall_of[prefix] = sorted(recall, key=_recall_rank)
        for q in recall:
            learnt.update(q.fact_ids)
    learnt.update(f for qs in by_note.values() for q in qs if q.type == "multi" for f in q.fact_ids)

    for prefix, qs in sorted(by_note.items()):
        recall = recall_of[prefix]
        carried = {q.id for q in recall}
        choices = []
        for q in qs:
            if q.id in carried or q.id in decided:
                continue
            if q.type == "tf":
                plan.left_out["tf"].append(q.id)
            elif q.type in ("matching", "ordering"):
                plan.left_out[q.type].append(q.id)
            elif q.type == "multi":
                (plan.left_out["multi-recalled"].append(q.id) if recall else choices.append(q))
            elif q.type == "mcq" and recall:
                plan.left_out["needs-options" if _NEEDS_OPTIONS.search(q.prompt) else "mcq-recalled"].append(q.id)
            elif q.type == "mcq" and any(f not in learnt for f in q.fact_ids):
                choices.append(q)
            elif q.type == "mcq":
                plan.left_out["mcq-covered"].append(q.id)
        if recall:
            plan.notes.append(_recall_note(source, prefix, recall, plan))
        elif choices:
            # one choice card per note: a group's select-all question before a record's lone multiple choice
            chosen = min(choices, key=lambda q: (q.type != "multi", q.id))
            plan.notes.append(_choice_note(source, prefix, chosen))
            plan.left_out["mcq-covered"] += [q.id for q in choices if q is not chosen]
    plan.left_out = defaultdict(list, {why: sorted(qids) for why, qids in plan.left_out.items() if qids})
    plan.notes.sort(key=lambda n: (n.position, n.model_id == CLOZE_ID, n.key))
    return plan


def _with_sentence(q: Question) -> Question:
    """A cloze with its sentence and blank; a bank read from a CSV file carries only the prompt with its blank."""
    if q.context and len(q.span) == 2:
        return q
    if q.prompt.count(BLANK) == 1 and q.answer:
        at = q.prompt.index(BLANK)
        return replace(q, context=q.prompt.replace(BLANK, q.answer), span=(at, at + len(q.answer)))
    return replace(q, context=q.context or q.prompt)


def _is_recall(q: Question) -> bool:
    """A question whose stem and key can make a question -> answer card (a stem about "these" options cannot)."""
    if q.type in ("short", "numeric") or (q.type == "mcq" and q.form):
        return bool(q.prompt.strip() and q.answer.strip()) and not _NEEDS_OPTIONS.search(q.prompt)
    return False


def _recall_note(source: str, prefix: str, recall: list[Question], plan: Plan) -> PlannedNote:
    parts = []
    for q in recall:
        if len(parts) == RECALL_SLOTS:
            plan.left_out["no-slot"].append(q.id)
            continue
        parts.append(Part(q.form or q.type, q.id, esc(q.prompt), _answer(q)))
    kept = [q for q in recall if any(p.qid == q.id for p in parts)]
    shared = (("Explanation", _joined(q.explanation for q in kept)),
              ("Quote", esc(next((q.evidence for q in kept if q.evidence), ""))),
              ("Source", source_line(kept[0])), ("Id", esc(prefix)))
    return PlannedNote(f"{source}/recall/{prefix}", RECALL_ID, prefix, min(q.position for q in kept), tuple(parts),
                       shared, _tags(source, "recall", kept))


def _choice_note(source: str, prefix: str, q: Question) -> PlannedNote:
    correct = q.answers if q.type == "multi" else (q.answer,)
    shared = (("Options", _options_list(q.options)), ("Answer", _options_list(correct)),
              ("Instruction", "" if _SAYS_HOW.search(q.prompt) else "Select all that apply" if q.type == "multi" else "Choose one"),
              ("Explanation", esc(q.explanation)), ("Quote", esc(q.evidence)), ("Source", source_line(q)),
              ("Id", esc(prefix)))
    return PlannedNote(f"{source}/choice/{prefix}", CHOICE_ID, prefix, q.position,
                       (Part("choice", q.id, esc(q.prompt)),), shared, _tags(source, "choice", [q]))


def _cloze_note(source: str, context: str, clozes: list[Question], plan: Plan) -> PlannedNote | None:
    first = clozes[0]
    sentence = original_sentence(context, first.evidence)
    parts, taken = [], []
    for q in sorted(clozes, key=lambda q: (q.span[:1] or (0,), q.id)):
        start, end = q.span if len(q.span) == 2 else (-1, -1)
        if not (0 <= start < end <= len(sentence)) or any(start < e and s < end for s, e in taken):
            plan.refused.append((q.id, "cloze refused: its blank is not a span of its sentence, or overlaps another blank"))
            continue
        why = cloze_refusal(sentence, (start, end))
        if why:
            plan.refused.append((q.id, f"cloze refused: {why}"))
            continue
        taken.append((start, end))
        parts.append(Part(q.fact_ids[0] if q.fact_ids else note_prefix(q.id), q.id, span=(start, end),
                          topics=tuple(sorted(tag(t) for t in q.tags)), quote=esc(_beyond(q.evidence, sentence))))
    if not parts:
        return None
    carried = [q for q in clozes if any(p.qid == q.id for p in parts)]
    digest = hashlib.sha256(" ".join(context.split()).encode("utf-8")).hexdigest()[:12]
    label = " ".join(sentence.split()[:6]) + ("\u2026" if words(sentence) > 6 else "")
    # the Quote, Id and topic tags of a sentence note come from its records, withdrawn ones included: the
    # assembly (deck.py) joins them, so that removing a record changes no field of the note
    return PlannedNote(f"{source}/sentence/{digest}", CLOZE_ID, label, min(q.position for q in carried), tuple(parts),
                       (("Source", source_line(first)),), _tags(source, "cloze", ()), context=sentence)


def _beyond(evidence: str, sentence: str) -> str:
    """The record's evidence if it says more than the sentence itself; the back shows a quote only then."""
    folded = " ".join(sentence.translate(_TYPOGRAPHIC).split())
    return evidence if evidence and " ".join(evidence.translate(_TYPOGRAPHIC).split()) != folded else ""


def topic_tags(source: str, topics) -> tuple[str, ...]:
    return tuple(f"quizgen::{tag(source)}::topic::{t}" for t in sorted(set(topics)))
