"""Automated flags per question of a bank: what a careful teacher would check first, each with the record's fix.

The heuristics are deliberately simple and their limits are stated (docs/fact-records.md, "Reviewing the
questions", and the page's own "How each flag is found"): a flag asks the teacher to look, it does not prove a flaw.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

from ..bank import Bank, Question
from ..cues import content_words, gives_away
from ..giveaway import chrome, reveals, shown_text
from ..textnorm import locate, normalise_answer, sentence_spans

# The kinds of flag, in the order the page lists them: (title, how it is found, the fix in the record).
KINDS: dict[str, tuple[str, str, str]] = {
    "giveaway": (
        "Possible giveaway",
        "The question's answer is printed on the student's page: in the file name, the deck or quiz title, the "
        "source's title, publisher, date or licence (no quiz will use the question), or in the stem or options of "
        "another question of the default quiz. The test is the one quiz selection and validate use "
        "(quizgen/giveaway.py): the answer, or a long alternate, as whole words, while no wrong option is shown too.",
        "Change the title or deck name that shows it, or drop the form: skip: [FORM]. For a question that gives "
        "away another, reword one of the two (wording:) or skip one of the forms."),
    "cue": (
        "Cue to the key",
        "A test-wise student who never read the text would pick the key (quizgen/cues.py): it is the longest "
        "option by a clear margin (at least 20 % longer than any other), the odd one out in shape, the only one "
        "with a different first word, the only one containing another's words, the only positive option after "
        "'Despite' or 'not', the only round number, or the only option sharing words with the title, deck name or "
        "file name.",
        "Rewrite the distractors to be parallel to the key: same grammatical form, about the same length, the "
        "title's words in none or in several; give 4-5 under distractors: so quizgen can choose. Who-said-it, claim "
        "and position items: claim_distractors:, or claims worded to a similar length."),
    "weak-distractor": (
        "Weak or off-topic distractor",
        "Entity options only: an option the text does not name while the text names another entity of the same "
        "pool that the record allows (a student who skimmed the text rules the outsider out); the key is the only "
        "option the text names; or the stem names the key's country or one of its attribute values and an option "
        "does not have it ('Which American president...' offering a French one).",
        "Narrow the pool so that fitting names are chosen: same: [country] or same: [ATTRIBUTE], pool: {type, "
        "where}, exclude: [IDS]; add entities the text names; or write your own distractors: (phrases, numbers, "
        "dates)."),
    "near-duplicate": (
        "Near-duplicate stem",
        "Two questions from different records whose stems share at least 70 % of their content words, or are the "
        "same (two blanks in one sentence count too): a quiz takes at most one of them, and a deck asks the same "
        "thing twice.",
        "Reword one stem so that it says what sets it apart (wording: {mcq, short, claim, said_by, ...}), choose "
        "another sentence for a blank (cloze:), or drop one form: skip: [FORM]."),
    "second-answer": (
        "Possible second answer",
        "A wrong option that the record's own quote also contains (the quote is what proves the key: check that "
        "the stem rules the other one out; stems with NOT or EXCEPT are left alone); a 'which claim' option that "
        "another record attributes to the same speaker; or a short-answer or cloze key of three or more content "
        "words with fewer than two accepted alternates (students will word it differently).",
        "Replace the distractor (distractors:, exclude:), or accept the other wordings: alternates: [...]; or drop "
        "the form: skip: [short]. A blank that is ambiguous: cloze: the span to blank."),
}
LONGEST_MARGIN = 1.2          # a key this much longer than every other option is a cue; less is normal variation
NEAR_DUPLICATE = 0.7          # share of content words two stems have in common (Jaccard) to count as one stem
MIN_SHORT_ALTERNATES = 2
_NEGATED_STEM = ("not", "except", "never", "least")


@dataclass(frozen=True)
class Flag:
    """One automated flag on one question: its kind, what was found, and the change in the record that fixes it."""

    kind: str
    question: str
    message: str
    fix: str
    related: tuple[str, ...] = ()    # other questions the message names (the page links them)


def bank_flags(pack, bank: Bank, quiz: Iterable[Question] = ()) -> dict[str, list[Flag]]:
    """Every flag of every question of a one-source bank, by question id (questions with no flag are absent).
    Giveaways by another question are looked for among the questions of `quiz` (those on one page)."""
    questions = list(bank.questions)
    out: dict[str, list[Flag]] = {}
    finders = (page_giveaways(pack, questions), question_giveaways(list(quiz)), cue_flags(pack, questions),
               weak_distractors(pack, questions), near_duplicates(questions), second_answers(pack, questions))
    for found in finders:
        for flag in found:
            out.setdefault(flag.question, []).append(flag)
    return out


def _skip(q: Question) -> str:
    """The override that drops q's form (true/false items come and go as a pair)."""
    return f"skip: [{'tf' if q.form == 'tf-false' else q.form}]"


# what to change for each part of the page a giveaway can be in (giveaway.chrome's labels)
_PAGE_FIELDS = {"the file name": "the fact file's name", "the quiz and deck title": "source.deck_name",
                "the source's title": "source.title", "the publisher line": "source.publisher",
                "the citation's date": "source.date", "the licence line": "source.license"}


# ---- giveaways ----------------------------------------------------------------------------------------

def page_giveaways(pack, questions: Iterable[Question]) -> list[Flag]:
    around = chrome(pack.citation, pack.name)
    out = []
    for q in questions:
        for label, text in around:
            key = reveals(text, q)
            if key:
                out.append(Flag("giveaway", q.id, f"its answer '{key}' is shown in {label} (\"{text}\")",
                                f"change {_PAGE_FIELDS.get(label, label)}, or in {q.fact_ids[0]}: {_skip(q)}"))
    return out


def question_giveaways(questions: list[Question]) -> list[Flag]:
    """Questions answered by the stem or options of another question on the same page (a quiz). Across a whole
    bank this is the rule, not a flaw: a cloze shows its sentence, a said-by item its speakers; a deck shows one
    card at a time, and quiz selection keeps such pairs apart (the page says which pair kept a record out)."""
    out = []
    for q in questions:
        for other in questions:
            if set(other.fact_ids) & set(q.fact_ids):
                continue
            key = reveals(shown_text(other), q)
            if key:
                out.append(Flag("giveaway", q.id, f"its answer '{key}' is shown by question {other.id}",
                                f"reword one of the two, or skip one: {_skip(q)} in {q.fact_ids[0]}, or "
                                f"{_skip(other)} in {other.fact_ids[0]}", (other.id,)))
    return out


# ---- cues -----------------------------------------------------------------------------------------------

CUE_TEXT = {
    "longest option": "the key is the longest option",
    "most words shared with the stem": "the key shares the most words with the stem",
    "odd one out": "the key differs in shape (length, word count, first word, capitals, digits) from the others",
    "option containing another": "the key contains another option's words",
    "only positive option after 'despite' or 'not'": "after 'Despite' or 'not', the key is the only positive (or only negative) option",
    "only round number": "the key is the only round number",
    "grammatical fit to the stem": "the key is the only option that starts differently (an article, 'to', a possessive...)",
    "words of the title and page": "the key is the only option sharing words with the title, deck name or file name",
}


def cue_flags(pack, questions: Iterable[Question]) -> list[Flag]:
    """The cues of cues.gives_away that single out a multiple-choice key, plus the title's words (the per-item
    form of cue_rates' "words of the title and page"); 'longest' only with a clear margin."""
    topic = set().union(*(content_words(text) for _, text in chrome(pack.citation, pack.name)))
    out = []
    for q in questions:
        if q.type != "mcq" or q.answer not in q.options:
            continue
        key = q.options.index(q.answer)
        names = gives_away(q.prompt, q.options, key)
        if "longest option" in names and not _clearly_longest(q):
            names.remove("longest option")
        if _title_words_single_out(q, topic):
            names.append("words of the title and page")
        for name in names:
            detail = CUE_TEXT.get(name, name)
            if name == "longest option":
                others = max(len(o) for o in q.options if o != q.answer)
                detail += f" ({len(q.answer)} characters; the next longest has {others})"
            out.append(Flag("cue", q.id, detail, _cue_fix(q)))
    return out


def _clearly_longest(q: Question) -> bool:
    others = [len(o) for o in q.options if o != q.answer]
    return bool(others) and len(q.answer) >= LONGEST_MARGIN * max(others)


def _title_words_single_out(q: Question, topic: set[str]) -> bool:
    shared = [len(content_words(o) & (topic - content_words(q.prompt))) for o in q.options]
    best = max(shared)
    return best > 0 and shared.count(best) == 1 and shared.index(best) == q.options.index(q.answer)


def _cue_fix(q: Question) -> str:
    record = q.fact_ids[0]
    if q.form in ("claim", "position"):
        return f"in {record}: claim_distractors: [...] of the same length and form, or reword the claims"
    if q.form == "said-by":
        return f"in {record}: wording: {{said_by: ...}}, or narrow the sources' pool; or {_skip(q)}"
    if q.fixed_order:
        return f"in {record}: distractors: [...] of your own (values the text could have stated)"
    return f"in {record}: distractors: [...] parallel to the key (form, length, words); or {_skip(q)}"


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


# ---- near-duplicate stems -----------------------------------------------------------------------------

def near_duplicates(questions: list[Question]) -> list[Flag]:
    """Pairs of questions from different records with (nearly) the same stem, or blanks in one sentence; one
    flag per question and kind of likeness, naming every question it is like."""
    words = {q.id: content_words(q.prompt) for q in questions}
    like: dict[tuple[str, str], list[str]] = {}
    by_id = {q.id: q for q in questions}
    for a, b in combinations(questions, 2):
        if set(a.fact_ids) & set(b.fact_ids):
            continue
        wa, wb = words[a.id], words[b.id]
        overlap = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
        if a.type == b.type == "cloze" and a.context and a.context == b.context:
            how = "a blank in the same sentence as"
        elif normalise_answer(a.prompt) == normalise_answer(b.prompt):
            how = "the same stem as"
        elif overlap >= NEAR_DUPLICATE:
            how = f"{overlap:.0%} of its stem's content words in common with"
        else:
            continue
        like.setdefault((a.id, how), []).append(b.id)
        like.setdefault((b.id, how), []).append(a.id)
    return [Flag("near-duplicate", qid, f"{how} {', '.join(others)}", _rewording_fix(by_id[qid]), tuple(others))
            for (qid, how), others in like.items()]


_WORDING_KEY = {"mcq": "mcq", "short": "short", "numeric": "numeric", "said-by": "said_by", "claim": "claim",
                "position": "position", "ordering": "ordering"}


def _rewording_fix(q: Question) -> str:
    record = q.fact_ids[0] if len(q.fact_ids) == 1 else "the records"
    if q.type == "cloze":
        return f"in {record}: cloze: another span to blank (in another quote), or {_skip(q)}"
    if q.form in ("tf", "tf-false"):
        return f"in {record}: statement: / false_statement: worded apart, or {_skip(q)}"
    if q.form in _WORDING_KEY:
        return f"in {record}: wording: {{{_WORDING_KEY[q.form]}: a stem that says what sets it apart}}, or {_skip(q)}"
    return f"in {record}: question: reworded, or {_skip(q)}"


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
    return bool(set(prompt.lower().replace("?", " ").split()) & set(_NEGATED_STEM))


def evidence_context(pack, evidence: str) -> str:
    """The record's quotes widened to the whole sentences of the text they stand in ('the text near it')."""
    spans = sentence_spans(pack.text)
    parts = []
    for quote in evidence.split(" … "):
        at = locate(pack.text, quote, fold_case=True)
        if at is None:
            parts.append(quote)
            continue
        inside = [(s, e) for s, e in spans if s < at[1] and e > at[0]]
        parts.append(pack.text[inside[0][0]:inside[-1][1]] if inside else quote)
    return " ".join(parts)


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
