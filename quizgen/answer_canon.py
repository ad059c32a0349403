"""Answer canonical forms, standard library only: the grader uses this module and quiz notebooks embed its source."""
import functools
import hashlib
import re
import unicodedata

_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_ARTICLES = re.compile(r"^(the|a|an)\s+")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
LETTERS = "ABCDEF"


@functools.lru_cache(maxsize=65536)
def _normalise(text):
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC).casefold()
    text = text.replace("-", " ")
    text = _NON_WORD.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return _ARTICLES.sub("", text)


def normalise_answer(text):
    """Fold case, punctuation, white space and a leading article: 'the U.S.' -> 'us'."""
    return _normalise(str(text)[:10_000])


def as_letter(value):
    """'b', ' B ', 'B.' or 'b)' -> 'B'; anything else -> None."""
    if isinstance(value, str):
        s = value.strip().rstrip(".)").strip().upper()
        if len(s) == 1 and s in LETTERS:
            return s
    return None


def as_number(value):
    """A number, or a string holding one ('2003', '6 nations' is not one); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def as_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("true", "t", "yes", "y"):
            return True
        if s in ("false", "f", "no", "n"):
            return False
    return None


def as_letter_list(value):
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;>-]+", value) if v]
    if not isinstance(value, (list, tuple)):
        return None
    letters = [as_letter(v) for v in value]
    return None if None in letters else letters


def as_pairs(value):
    """{1: 'C', '2': 'a'} or ['C', 'A', ...] -> {1: 'C', 2: 'A'}; None if not of that shape."""
    if isinstance(value, (list, tuple)):
        value = {i + 1: v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        return None
    out = {}
    for k, v in value.items():
        try:
            key = int(str(k).strip())
        except ValueError:
            return None
        letter = as_letter(v)
        if letter is None:
            return None
        out[key] = letter
    return out


def canonical(qtype, value, options=()):
    """The canonical strings a given answer stands for, per question type (empty if none)."""
    if value is None:
        return []
    if qtype == "mcq":
        out = []
        letter = as_letter(value)
        if letter is not None:
            out.append("letter:" + letter)
        if isinstance(value, str):
            norm = normalise_answer(value)
            for i, opt in enumerate(options):
                if normalise_answer(opt) == norm:
                    out.append("letter:" + LETTERS[i])
        return out
    if qtype == "tf":
        b = as_bool(value)
        return [] if b is None else ["tf:" + str(b).lower()]
    if qtype in ("short", "cloze"):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return ["text:" + normalise_answer(value)]
        return []
    if qtype == "numeric":
        n = as_number(value)
        return [] if n is None else ["num:" + format(round(n, 6), "g")]
    if qtype == "ordering":
        letters = as_letter_list(value)
        return [] if letters is None else ["order:" + ",".join(letters)]
    if qtype == "matching":
        pairs = as_pairs(value)
        return [] if pairs is None else ["match:" + ",".join(f"{k}={v}" for k, v in sorted(pairs.items()))]
    return []


def digest(salt, question_id, canon):
    return hashlib.sha256(f"{salt}|{question_id}|{canon}".encode("utf-8")).hexdigest()[:20]
