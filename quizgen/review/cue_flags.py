"""Cue flags: what singles out a multiple-choice key for a student who never read the text (quizgen/cues.py)."""
from __future__ import annotations

from typing import Iterable

from ..bank import Question
from ..cues import content_words, gives_away
from ..giveaway import chrome
from .kinds import LONGEST_MARGIN, Flag, skip_override as _skip

CUE_TEXT = {
    "longest option": "the key is the longest option",
    "most words shared with the stem": "the key shares the most words with the stem",
    "odd one out": "the key is the odd one out",
    "option containing another": "the key contains another option's words",
    "only positive option after 'despite' or 'not'": "after 'Despite' or 'not', the key is the only positive (or only negative) option",
    "only round number": "the key is the only round number",
    "grammatical fit to the stem": "the key is the only option that starts differently (an article, 'to', a possessive...)",
    "words of the title and page": "the key shares more words with the title, deck name or file name than any other option",
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
        odd = _odd_feature(q) if "odd one out" in names else None
        if "odd one out" in names and (odd is None or "grammatical fit to the stem" in names and "starts with '" in odd):
            names.remove("odd one out")       # different only in length ('longest' judges that), or said by 'grammar'
        shared = _title_words(q, topic)
        if shared:
            names.append("words of the title and page")
        for name in names:
            detail = CUE_TEXT.get(name, name)
            if name == "odd one out":
                detail += f": {odd}"
            if name == "grammatical fit to the stem":
                detail += _grammar_detail(q)
            if name == "words of the title and page":
                detail += f" ({', '.join(sorted(shared))})"
            if name == "longest option":
                others = max(len(o) for o in q.options if o != q.answer)
                detail += f" ({len(q.answer)} characters; the next longest has {others})"
            out.append(Flag("cue", q.id, detail, _cue_fix(q)))
    return out


def _odd_feature(q: Question) -> str | None:
    """How the key stands apart when every other option agrees: a capital, a digit, or its first word."""
    others = [o for o in q.options if o != q.answer]
    capital = {o[:1].isupper() for o in others}
    if len(capital) == 1 and q.answer[:1].isupper() not in capital:
        return "it starts with a capital letter, unlike every other option" if q.answer[:1].isupper() else \
            "it starts with a small letter, unlike every other option"
    digits = {any(c.isdigit() for c in o) for o in others}
    if len(digits) == 1 and any(c.isdigit() for c in q.answer) not in digits:
        return "it has a digit, unlike every other option" if not next(iter(digits)) else \
            "it has no digit, unlike every other option"
    first = {o.split()[0].lower() for o in others if o.split()}
    mine = q.answer.split()[0].lower() if q.answer.split() else ""
    if len(first) == 1 and mine not in first:
        return f"it starts with '{mine}', every other option with '{next(iter(first))}'"
    return None


def _clearly_longest(q: Question) -> bool:
    others = [len(o) for o in q.options if o != q.answer]
    return bool(others) and len(q.answer) >= LONGEST_MARGIN * max(others)


def _grammar_detail(q: Question) -> str:
    others = {o.split()[0].lower() for o in q.options if o != q.answer and o.split()}
    mine = q.answer.split()[0] if q.answer.split() else ""
    return f": it starts with '{mine}', every other option with '{next(iter(others))}'" if len(others) == 1 else ""


def _title_words(q: Question, topic: set[str]) -> set[str]:
    """The title's words in the key, when the key has more of them than any other option (the stem's own words
    do not count: they are on the page anyway); empty otherwise. The per-item form of cue_rates' solver."""
    shared = [content_words(o) & (topic - content_words(q.prompt)) for o in q.options]
    sizes = [len(x) for x in shared]
    best = max(sizes)
    key = q.options.index(q.answer)
    return shared[key] if best > 0 and sizes.count(best) == 1 and sizes[key] == best else set()


def _cue_fix(q: Question) -> str:
    record = q.fact_ids[0]
    if q.form in ("claim", "position"):
        return f"in {record}: claim_distractors: [...] of the same length and form, or reword the claims"
    if q.form == "said-by":
        return f"in {record}: wording: {{said_by: ...}}, or narrow the sources' pool; or {_skip(q)}"
    if q.fixed_order:
        return f"in {record}: distractors: [...] of your own (values the text could have stated)"
    return f"in {record}: distractors: [...] parallel to the key (form, length, words); or {_skip(q)}"


