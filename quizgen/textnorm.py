"""Text normalisation and places in a text: matching quotes, sentences, and the parts of a text that are not its body."""
from __future__ import annotations

import functools
import re

# one table of typographic quotes and dashes, and one answer normalisation, shared with the grader and notebooks
from .answer_forms import _TYPOGRAPHIC, normalise_answer  # noqa: F401  (normalise_answer is re-exported)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z0-9']+")
# a sentence ends at . ! ? (perhaps followed by a closing quote) before white space and a capital or a quote;
# abbreviations such as "U.S.", "Mr." and single initials do not end one
_SENTENCE_END = re.compile(r"(?<!\bU\.S)(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\b[A-Z])([.!?][\"'\u201d\u2019]?)\s+(?=[A-Z\"'\u201c\u2018])")


def normalise_quote(text: str) -> str:
    """Fold only white space, line breaks and typographic quotes/dashes: what evidence matching ignores."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


@functools.lru_cache(maxsize=16)  # a source's text is located against hundreds of times per build
def _normalised_with_map(text: str, fold_case: bool) -> tuple[str, list[int]]:
    """text normalised as normalise_quote does, and for each of its characters the offset it came from (shared:
    never change the list)."""
    out: list[str] = []
    where: list[int] = []
    folded = text.translate(_TYPOGRAPHIC)
    in_space = False
    for i, ch in enumerate(folded):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch.lower() if fold_case else ch)
        where.append(i)
    return "".join(out), where


def locate(text: str, quote: str, fold_case: bool = False, start: int = 0) -> tuple[int, int] | None:
    """Where a quote stands in the original text (start, end), ignoring what normalise_quote folds; None if absent."""
    norm, where = _normalised_with_map(text, fold_case)
    q = normalise_quote(quote)
    if fold_case:
        q = q.lower()
    if not q:
        return None
    from_norm = next((k for k, w in enumerate(where) if w >= start), len(norm))
    i = norm.find(q, from_norm)
    if i < 0:
        return None
    return where[i], where[i + len(q) - 1] + 1


def locate_all(text: str, span: str, fold_case: bool = True) -> list[tuple[int, int]]:
    """Every whole-word occurrence of span in text (no letter or digit on either side)."""
    out: list[tuple[int, int]] = []
    at = 0
    while True:
        found = locate(text, span, fold_case, at)
        if found is None:
            return out
        s, e = found
        if (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum()):
            out.append(found)
        at = s + 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a passage as (start, end) offsets in it, punctuation kept; paragraphs never join."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        start = para.start()
        chunk = para.group()
        for m in _SENTENCE_END.finditer(chunk):
            end = para.start() + m.end(1)
            spans.append((start, end))
            start = para.start() + m.end()
        if start < para.end():
            spans.append((start, para.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of a normalised passage; abbreviations like "U.S." and "Mr." do not end one."""
    norm = normalise_quote(text)
    return [norm[s:e] for s, e in sentence_spans(norm)]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def front_matter_spans(text: str, title: str, declared: list[str] | tuple[str, ...] = ()) -> tuple[tuple[int, int], ...]:
    """The parts of a text that are not its body: the headline (the paragraph that starts with the title), and
    every paragraph with no full sentence of six words or more (datelines, bylines, signatures), plus the
    passages the fact file declares."""
    spans = []
    folded_title = normalise_quote(title).lower()
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        body = para.group()
        if normalise_quote(body).lower().startswith(folded_title):
            spans.append((para.start(), para.end()))
            continue
        sentences = [body[s:e] for s, e in sentence_spans(body)]
        if not any(word_count(s) >= 6 and s.rstrip("\"'\u201d\u2019 ").endswith((".", "!", "?")) for s in sentences):
            spans.append((para.start(), para.end()))
    for quote in declared:
        found = locate(text, quote)
        if found:
            spans.append(found)
    return tuple(sorted(spans))


def mentions(text: str, names: list[str]) -> bool:
    """True if the text names any of names as whole words (case as written)."""
    return any(re.search(r"(?<![\w])" + re.escape(n) + r"(?![\w])", text) for n in names if n)


def named_answer(text: str, answers) -> str | None:
    """The first of answers that text names as whole words, both folded as answers are; None if none.

    The one test of "this text gives that answer away", for questions, prompts and quizzes alike.
    """
    folded = f" {normalise_answer(text)} "
    for answer in answers:
        key = normalise_answer(answer)
        if key and f" {key} " in folded:
            return answer
    return None


def closest_passage(text: str, quote: str) -> str:
    """The passage of the text most like the quote, to show a teacher how to fix a misquote."""
    import difflib

    sentences = split_sentences(text)
    if not sentences:
        return ""
    q = normalise_quote(quote)
    return max(sentences, key=lambda s: difflib.SequenceMatcher(None, s, q, autojunk=False).ratio())
