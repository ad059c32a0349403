"""Text normalisation: for matching evidence quotes against a text, and for grading free answers."""
from __future__ import annotations

import re

# one table of typographic quotes and dashes, and one answer normalisation, shared with the grader and notebooks
from .marking import _TYPOGRAPHIC, normalise_answer  # noqa: F401  (normalise_answer is re-exported)

_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Fold only white space, line breaks and typographic quotes/dashes: what evidence matching ignores."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


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

    norm = normalise_quote(text)
    q = normalise_quote(quote)
    sentences = split_sentences(norm)
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: difflib.SequenceMatcher(None, s, q, autojunk=False).ratio())
    return best


def split_sentences(text: str) -> list[str]:
    """Sentences of a normalised passage; abbreviations like "U.S." and "Mr." do not end one."""
    norm = normalise_quote(text)
    parts = re.split(r"(?<!\bU\.S\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\b[A-Z]\.)(?<=[.!?])\s+(?=[A-Z\"'])", norm)
    return [p for p in parts if p]
