"""Test-wise solvers: how a student who never read the text would guess, and how often each guess would be right."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "or", "its", "it", "what", "which", "did", "do", "does",
         "was", "is", "are", "were", "that", "for", "with", "by", "be", "has", "have", "had", "say", "said", "says",
         "who", "how", "this", "these", "their", "they", "as", "at", "from", "according", "article", "text", "would",
         "will", "not", "no", "why", "when", "where", "whom", "s", "he", "she", "his", "her", "we", "our", "us"}
_NEGATIVE = {"not", "no", "never", "without", "none", "nothing", "refused", "rejected", "failed", "denied", "ruled",
             "absence", "lack", "against", "collapsed", "walkout", "deadlock", "impasse", "setback", "failure"}
_CONCESSIVE = re.compile(r"\b(despite|although|though|even though|in spite of|not|never|without|no longer)\b", re.I)
_FUNCTION_START = ("a", "an", "the", "to", "its", "their", "his", "her", "with", "by", "in", "on", "at", "that")


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _unique_max(scores: Sequence[float]) -> int | None:
    top = max(scores)
    return scores.index(top) if list(scores).count(top) == 1 and top > 0 else None


def _number(option: str) -> float | None:
    m = re.match(r"^\s*(-?\d[\d,]*(\.\d+)?)", option)
    return float(m.group(1).replace(",", "")) if m else None


# ---- one question's own cues ---------------------------------------------------------------------

def longest(prompt: str, options: Sequence[str]) -> int | None:
    """The longest option (None when tied)."""
    return _unique_max([len(o) for o in options])


def most_overlap(prompt: str, options: Sequence[str]) -> int | None:
    """The option sharing most content words with the stem."""
    p = content_words(prompt)
    return _unique_max([len(content_words(o) & p) for o in options])


def _shape(option: str) -> tuple:
    words = option.split()
    return (len(words), words[0].lower() if words else "", option[:1].isupper(), any(c.isdigit() for c in option), len(option) // 6)


def odd_one_out(prompt: str, options: Sequence[str]) -> int | None:
    """The option whose shape (length, word count, first word, capitals, digits) differs most from the rest."""
    shapes = [_shape(o) for o in options]
    scores = [sum(sum(a != b for a, b in zip(shapes[i], shapes[j])) for j in range(len(options)) if j != i)
              for i in range(len(options))]
    return _unique_max(scores)


def containment(prompt: str, options: Sequence[str]) -> int | None:
    """The option that contains another option's words (test-wise: the more complete one is right)."""
    words = [content_words(o) for o in options]
    hits = [i for i in range(len(options)) for j in range(len(options))
            if i != j and words[j] and words[j] < words[i]]
    return hits[0] if len(set(hits)) == 1 else None


def polarity(prompt: str, options: Sequence[str]) -> int | None:
    """After 'Despite ...' or a negated stem, the only positive option (or the only negative one)."""
    if not _CONCESSIVE.search(prompt):
        return None
    negative = [bool(set(_WORD.findall(o.lower())) & _NEGATIVE) for o in options]
    if negative.count(False) == 1:
        return negative.index(False)
    if negative.count(True) == 1:
        return negative.index(True)
    return None


def round_number(prompt: str, options: Sequence[str]) -> int | None:
    """Among numeric options, the only round one (a multiple of 10, or of 5)."""
    values = [_number(o) for o in options]
    if None in values:
        return None
    for base in (10, 5):
        hits = [i for i, v in enumerate(values) if v and v % base == 0]
        if len(hits) == 1:
            return hits[0]
    return None


def middle(prompt: str, options: Sequence[str]) -> int | None:
    """Among numbers or dates shown in order, a middle one (test-wise students avoid the extremes)."""
    if all(_number(o) is not None or re.search(r"\b\d{4}\b", o) for o in options) and len(options) >= 3:
        return 1
    return None


def grammar(prompt: str, options: Sequence[str]) -> int | None:
    """The only option that starts differently (article, 'to', a possessive...) from all the others: it fits the
    stem and they do not, or the other way round."""
    starts = [(o.split()[0].lower() if o.split() and o.split()[0].lower() in _FUNCTION_START else "") for o in options]
    counts = {s: starts.count(s) for s in starts}
    odd = [i for i, s in enumerate(starts) if counts[s] == 1]
    if len(odd) == 1 and len(counts) == 2:
        return odd[0]
    if re.search(r"\ban\s*(_____)?\s*\??$", prompt.strip(), re.I):
        vowels = [i for i, o in enumerate(options) if o[:1].lower() in "aeiou"]
        return vowels[0] if len(vowels) == 1 else None
    return None


QUESTION_SOLVERS: dict[str, Callable[[str, Sequence[str]], int | None]] = {
    "longest option": longest,
    "most words shared with the stem": most_overlap,
    "odd one out": odd_one_out,
    "option containing another": containment,
    "only positive option after 'despite' or 'not'": polarity,
    "only round number": round_number,
    "middle of ordered values": middle,
    "grammatical fit to the stem": grammar,
}
# middle-of-range is a guessing habit, not a flaw of one question: it is not flagged per question
_FLAG_SOLVERS = {k: v for k, v in QUESTION_SOLVERS.items() if k != "middle of ordered values"}


def gives_away(prompt: str, options: Sequence[str], answer_index: int) -> list[str]:
    """The names of a question's own cues that single out its correct option (for the review page's flags)."""
    return [name for name, solver in _FLAG_SOLVERS.items() if solver(prompt, options) == answer_index]


def options_overlap(options: Sequence[str]) -> bool:
    """True if one option's words contain another's (a 'the date' beside 'the date and place')."""
    words = [content_words(o) for o in options]
    return any(i != j and words[j] and words[j] <= words[i] for i in range(len(options)) for j in range(len(options)))


# ---- cues across a quiz ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CueRate:
    """How a guessing strategy scores: its expected rate against chance on the items it applies to."""

    name: str
    rate: float
    chance: float
    items: int
    decided: int

    @property
    def excess(self) -> float:
        return self.rate - self.chance

    def __str__(self) -> str:
        return (f"{self.name}: {100 * self.rate:.0f}% (chance {100 * self.chance:.0f}%, "
                f"{self.items} items, decided {self.decided})")


def _choice_items(questions) -> list[tuple[str, Sequence[str], int]]:
    return [(q.prompt, q.options, q.options.index(q.answer)) for q in questions if q.type == "mcq" and q.answer in q.options]


def cue_rates(questions: Iterable, chrome: Iterable[str] = ()) -> list[CueRate]:
    """Every cue's expected score on the given questions (a cue that does not decide guesses at random)."""
    questions = list(questions)
    items = _choice_items(questions)
    out: list[CueRate] = []
    if items:
        chance = sum(1 / len(o) for _, o, _ in items) / len(items)
        # the headline and deck name a student sees (quizzes add the other stems on the page: see chrome)
        topic = set().union(*(content_words(t) for t in chrome))
        solvers = dict(QUESTION_SOLVERS)
        solvers["words of the title and page"] = lambda p, o: _unique_max([len(content_words(x) & (topic - content_words(p))) for x in o])
        for name, solver in solvers.items():
            score = avoid = decided = 0.0
            for prompt, options, key in items:
                pick = solver(prompt, options)
                if pick is None:
                    score += 1 / len(options)
                    avoid += 1 / len(options)
                else:
                    decided += 1
                    score += pick == key
                    # the opposite habit: never choose what the cue points at, guess among the rest
                    avoid += 0 if pick == key else 1 / (len(options) - 1)
            out.append(CueRate(name, score / len(items), chance, len(items), int(decided)))
            out.append(CueRate(f"never the {name}", avoid / len(items), chance, len(items), int(decided)))
    tfs = [q for q in questions if q.type == "tf"]
    attributed = [q for q in tfs if re.search(r"\baccording to\b|\bsays?\b|\bsaid\b|\breported\b", q.prompt, re.I)]
    if attributed:
        true_rate = sum(q.answer == "TRUE" for q in attributed) / len(attributed)
        out.append(CueRate("'According to ...' statements are true", true_rate, 0.5, len(attributed), len(attributed)))
    if len(tfs) >= 2:
        lengths = sorted(len(q.prompt) for q in tfs)
        median = lengths[len(lengths) // 2]
        hits = sum((len(q.prompt) >= median) == (q.answer == "TRUE") for q in tfs)
        out.append(CueRate("longer statements are true", hits / len(tfs), 0.5, len(tfs), len(tfs)))
        absolute = [q for q in tfs if re.search(r"\b(always|never|all|none|every|only)\b", q.prompt, re.I)]
        if absolute:
            out.append(CueRate("'always/never/only' statements are false", sum(q.answer == "FALSE" for q in absolute) / len(absolute),
                               0.5, len(absolute), len(absolute)))
    orderings = [q for q in questions if q.type == "ordering"]
    if orderings:
        score = chance = 0.0
        for q in orderings:
            shown = [q.options[i] for i in q.display]
            chance += 1 / len(q.options)
            if not any(_EARLY.search(t) or _LATE.search(t) for t in shown):
                score += 1 / len(q.options)     # no cue word: the strategy has nothing to go on
                continue
            guess = order_by_logic(shown)
            shown_correct = [q.display.index(i) for i in range(len(q.options))]
            score += sum(g == c for g, c in zip(guess, shown_correct)) / len(q.options)
        out.append(CueRate("ordering by logic words", score / len(orderings), chance / len(orderings), len(orderings), len(orderings)))
    return out


_EARLY = re.compile(r"\b(began|begin|begins|started|start|first|opened|before|initially|origin|founded|brought forth)\b", re.I)
_LATE = re.compile(r"\b(ended|end|ends|finally|last|concluded|closed|after|later|then|next|will|return|final)\b", re.I)


def order_by_logic(items: Sequence[str]) -> list[int]:
    """A test-wise ordering: items that sound like beginnings first, endings last, the rest as shown."""
    def rank(i: int) -> tuple[int, int]:
        text = items[i]
        return (0 if _EARLY.search(text) else 2 if _LATE.search(text) else 1, i)

    return sorted(range(len(items)), key=rank)
