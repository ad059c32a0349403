"""Test-wise heuristic solvers: how a student who never read the text would guess a multiple-choice answer."""
from __future__ import annotations

import re
from typing import Callable, Sequence

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "or", "its", "it", "what", "which", "did", "do", "does",
         "was", "is", "that", "for", "with", "by", "be", "has", "have", "had", "say", "said", "says", "who", "how"}


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _unique_max(scores: Sequence[float]) -> int | None:
    top = max(scores)
    return scores.index(top) if list(scores).count(top) == 1 else None


def longest(prompt: str, options: Sequence[str]) -> int | None:
    """Pick the longest option (None when the longest is tied: the solver then guesses A)."""
    return _unique_max([len(o) for o in options])


def most_overlap(prompt: str, options: Sequence[str]) -> int | None:
    """Pick the option sharing most content words with the prompt."""
    p = _words(prompt)
    return _unique_max([len(_words(o) & p) for o in options])


def _shape(option: str) -> tuple:
    words = option.split()
    return (len(words), words[0].lower() if words else "", option[:1].isupper(), any(c.isdigit() for c in option), len(option) // 6)


def odd_one_out(prompt: str, options: Sequence[str]) -> int | None:
    """Pick the option whose shape (length, word count, first word, capitals, digits) differs most from the rest."""
    shapes = [_shape(o) for o in options]
    scores = [sum(sum(a != b for a, b in zip(shapes[i], shapes[j])) for j in range(len(options)) if j != i)
              for i in range(len(options))]
    return _unique_max(scores)


SOLVERS: dict[str, Callable[[str, Sequence[str]], int | None]] = {
    "longest option": longest,
    "most words shared with the prompt": most_overlap,
    "odd one out": odd_one_out,
}


def gives_away(prompt: str, options: Sequence[str], answer_index: int) -> bool:
    """True if any solver singles out the correct option."""
    return any(solver(prompt, options) == answer_index for solver in SOLVERS.values())


def solver_scores(questions) -> dict[str, float]:
    """Share of multiple-choice questions each solver gets right (a tie guesses option A)."""
    mcqs = [q for q in questions if q.type == "mcq"]
    out = {}
    for name, solver in SOLVERS.items():
        right = 0
        for q in mcqs:
            pick = solver(q.prompt, q.options)
            right += (0 if pick is None else pick) == q.correct_index
        out[name] = right / len(mcqs) if mcqs else 0.0
    return out
