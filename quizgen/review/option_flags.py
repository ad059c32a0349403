"""Flags on a question's options: weak or off-topic entity distractors, and possible second answers."""
from __future__ import annotations

from typing import Iterable

from ..bank import Question
from ..cues import content_words
from ..textnorm import normalise_answer
from .kinds import MIN_SHORT_ALTERNATES, NEGATED_STEM, Flag, skip_override as _skip

# ---- weak or off-topic distractors --------------------------------------------------------------------

def weak_distractors(pack, questions: Iterable[Question]) -> list[Flag]:
    """Entity options only. (Word overlap between a phrase distractor and the text was tried and left out: on
    the shipped texts it flagged paraphrases and good distractors far more often than weak ones.)"""
    out = []
    facts = {f.id: f for f in pack.facts}
    by_name = {normalise_answer(e.name): e for e in pack.entities.values()}
    for q in questions:
        if q.type not in ("mcq", "multi"):
            continue
        keys = [q.answer] if q.type == "mcq" else list(q.answers)
        shown = [by_name.get(normalise_answer(o)) for o in q.options]
        if not all(shown):
            continue
        wrong = [o for o in q.options if o not in keys]
        out.extend(_outside_text(pack, q, facts.get(q.fact_ids[0]), keys, wrong, by_name))
        out.extend(_off_topic(pack, q, facts.get(q.fact_ids[0]), keys, wrong, by_name))
    return out


def _outside_text(pack, q: Question, record, keys: list[str], wrong: list[str], by_name) -> list[Flag]:
    outside = [o for o in wrong if not by_name[normalise_answer(o)].in_text]
    if not outside:
        return []
    unused = _unused_in_text(pack, record, keys, q.options, by_name)
    if unused:
        return [Flag("weak-distractor", q.id,
                     f"{_names(outside)} {'is' if len(outside) == 1 else 'are'} not named in the text, while the text "
                     f"names {_names(unused)} of the same kind, which the record allows but the item does not show",
                     f"in {q.fact_ids[0]}: exclude: [{', '.join(by_name[normalise_answer(o)].id for o in outside)}] "
                     "(or narrow the pool), so that names from the text are chosen")]
    if len(outside) == len(wrong) and all(by_name[normalise_answer(k)].in_text for k in keys):
        which = "the key is the only option" if len(keys) == 1 else "the keys are the only options"
        return [Flag("weak-distractor", q.id,
                     f"{which} the text names: a student who skimmed the text can tell",
                     f"add entities the text names to the pool (with the attributes the record narrows by), or in "
                     f"{q.fact_ids[0]}: {_skip(q)}")]
    return []


def _unused_in_text(pack, record, keys: list[str], shown: tuple[str, ...], by_name) -> list[str]:
    """Names the text mentions that the record's pool allows as distractors but the item does not show."""
    from ..generate.distractors import entity_pool

    if record is None or not (record.answer.entity or record.answer.entities):
        return []
    key_ids = [by_name[normalise_answer(k)].id for k in keys]
    shown_ids = {by_name[normalise_answer(o)].id for o in shown}
    return [e.name for e in entity_pool(pack, record, key_ids, set()) if e.in_text and e.id not in shown_ids]


def _off_topic(pack, q: Question, record, keys: list[str], wrong: list[str], by_name) -> list[Flag]:
    """The stem names a value every key has (its country, or an attribute value such as 'president'), and a wrong
    option lacks it: the stem itself rules that option out. A record that chose its pool by that attribute
    (pool: {where: ...}) has decided otherwise, and is left alone."""
    chosen = set(record.answer.pool.where) if record is not None and record.answer.pool else set()
    key_entities = [by_name[normalise_answer(k)] for k in keys]
    stem = f" {normalise_answer(q.prompt)} "
    out = []
    for attr, value, label in _shared_values(pack, key_entities):
        if attr in chosen or not any(f" {normalise_answer(form)} " in stem for form in label):
            continue
        misfits = [o for o in wrong if value not in by_name[normalise_answer(o)].attribute(attr)]
        if misfits:
            out.append(Flag("weak-distractor", q.id,
                            f"the stem says '{label[0]}', which {_names(misfits)} {'is' if len(misfits) == 1 else 'are'} "
                            f"not ({attr}: {value}): the stem rules {'it' if len(misfits) == 1 else 'them'} out",
                            f"in {q.fact_ids[0]}: same: [{attr}] in the answer, or exclude: [...]"))
    return out


def _shared_values(pack, entities) -> list[tuple[str, str, list[str]]]:
    """(attribute, value, how a stem would say it) for every value all the keys share: a country (an entity:
    its name and alternates, and the adjective-like stem 'Chin' of 'Chinese' is not guessed), or a word value."""
    if not entities:
        return []
    attrs = set(entities[0].entity.attributes) | {"country"}
    out = []
    for attr in sorted(attrs):
        common = set(entities[0].attribute(attr))
        for e in entities[1:]:
            common &= set(e.attribute(attr))
        for value in sorted(common):
            ref = pack.entities.get(value)
            label = [ref.name, *ref.entity.alternates] if ref is not None else [value.replace("-", " ")]
            out.append((attr, value, label))
    return out


def _names(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# ---- possible second answers --------------------------------------------------------------------------

def second_answers(pack, questions: Iterable[Question]) -> list[Flag]:
    facts = {f.id: f for f in pack.facts}
    out = []
    for q in questions:
        record = facts.get(q.fact_ids[0])
        if q.type in ("mcq", "multi") and not _negated(q.prompt):
            keys = [q.answer] if q.type == "mcq" else list(q.answers)
            quote = q.evidence
            for option in q.options:
                if option not in keys and _in_quote(option, quote, keys):
                    out.append(Flag("second-answer", q.id,
                                    f"the wrong option '{option}' is also in the record's quote: check that the "
                                    "stem rules it out", f"in {q.fact_ids[0]}: replace that distractor "
                                    "(distractors: or exclude:), or make the stem say what rules it out"))
        if q.form == "claim" and record is not None:
            for option in q.options:
                other = _same_speaker_claim(pack, record, option)
                if option != q.answer and other:
                    out.append(Flag("second-answer", q.id,
                                    f"the wrong option '{option}' is attributed to the same speaker by record {other}",
                                    f"give {other} and {record.id} different speakers, or {_skip(q)} in {record.id}"))
        if q.type in ("short", "cloze") and q.answer_kind not in ("name", "number", "date"):
            n_words = len(content_words(q.answer))
            if n_words >= 3 and len(q.alternates) < MIN_SHORT_ALTERNATES:
                out.append(Flag("second-answer", q.id,
                                f"the key has {n_words} content words and {len(q.alternates)} accepted "
                                f"alternate{'' if len(q.alternates) == 1 else 's'}: students will word it differently",
                                f"in {q.fact_ids[0]}: alternates: [...], or {_skip(q)}"))
    return out


def _negated(prompt: str) -> bool:
    """'Which of these did NOT happen': there every wrong option is meant to be in the text."""
    return bool(set(prompt.lower().replace("?", " ").split()) & set(NEGATED_STEM))


def _in_quote(option: str, quote: str, keys: list[str]) -> bool:
    """The option as words of the quote, or all of its (two or more) content words in the quote while the key's
    words do not already account for them (an option echoing the key is a different problem: containment)."""
    folded = f" {normalise_answer(quote)} "
    if f" {normalise_answer(option)} " in folded:
        return True
    mine = content_words(option)
    key_words = set().union(*(content_words(k) for k in keys))
    return len(mine) >= 2 and mine <= content_words(quote) and not mine <= key_words


def _same_speaker_claim(pack, record, option: str) -> str | None:
    for f in pack.facts:
        if f.id == record.id or not f.claim:
            continue
        if normalise_answer(f.claim) == normalise_answer(option) and set(f.by) & set(record.by):
            return f.id
    return None
