"""Text normalisation: for matching evidence quotes against a text, and for grading free answers."""
from __future__ import annotations

import re

from .answer_canon import _TYPOGRAPHIC  # one table of typographic quotes and dashes, shared with the grader

_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Fold only white space, line breaks and typographic quotes/dashes: what evidence matching ignores."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


from .answer_canon import normalise_answer  # noqa: F401,E402  (re-exported: one definition, shared with the notebooks)


def find_passage(haystack: str, needle: str) -> int:
    """Index of needle in haystack after quote normalisation of both, or -1."""
    return normalise_quote(haystack).find(normalise_quote(needle))


def closest_passage(text: str, quote: str) -> str:
    """The passage of the text most like the quote, to show a teacher how to fix a misquote."""
    import difflib

    norm = normalise_quote(text)
    q = normalise_quote(quote)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", norm) if s]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: difflib.SequenceMatcher(None, s, q, autojunk=False).ratio())
    return best


def split_sentences(text: str) -> list[str]:
    """Sentences of a normalised passage; abbreviations like "U.S." and "Mr." do not end one."""
    norm = normalise_quote(text)
    parts = re.split(r"(?<!\bU\.S\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\b[A-Z]\.)(?<=[.!?])\s+(?=[A-Z\"'])", norm)
    return [p for p in parts if p]
