"""Answer matching, standard library only: the one rule set of the grader, the self-check and the nbgrader tests.

Its source is embedded in student notebooks and nbgrader hidden tests, so it imports nothing outside Python's
standard library and nothing from quizgen. See docs/grading.md for the rules with examples.

mark(entry, value) judges one answer against one answer-key entry (key format 2, docs/internals.md).
Internally a key entry is first *prepared* into forms: every canonical string a right answer can have.
The grader keeps them as plain strings; public_entry() keeps only salted hashes of them (for practice
notebooks). judge() works on either, with the same code, so the self-check and the grader cannot disagree.
"""
import hashlib
import re
from collections import namedtuple
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

try:  # inside quizgen
    from .answer_forms import (_TYPOGRAPHIC, CONJUNCTIONS, MAX_TEXT, NEGATIONS, as_number, core,  # noqa: F401
                               date_forms, deletions, fold, normalise_answer, number_text, read_date, read_number,
                               unit_words, words)
except ImportError:  # embedded in a notebook: answer_forms' source ran first, in this same namespace
    pass

LETTERS = "ABCDEFGHIJ"
MAX_TYPO_LETTERS = 60     # longer strings are not checked for one-letter slips
MIN_TYPO_LETTERS = 5      # a name needs this many letters before a slip is forgiven
MAX_CONTAINS_WORDS = 15   # answers longer than this are not searched for the key
MAX_EXTRA_WORDS = 3       # "a few extra words" around an accepted answer
MAX_GRID = 2001           # numeric: at most this many accepted values are fingerprinted

Verdict = namedtuple("Verdict", "fraction how reason choice", defaults=("",))
Verdict.__doc__ = """fraction: 0..1 of the points; how: how it matched ('' when it earned nothing); reason: in the
student's words; choice: mcq/multi/tf, what was chosen (a letter, sorted letters joined by ',', 'True'/'False')."""
HOWS = ("exact", "alternate", "letter", "option-text", "number-word", "unit", "date-form", "typo", "contains", "partial")


# ---- preparing a key entry: every form a right answer can take ---------------------------------------------

def _hasher(salt, qid):
    if salt is None:
        return lambda form: form
    prefix = f"{salt}|{qid}|".encode("utf-8")
    return lambda form: hashlib.sha256(prefix + form.encode("utf-8")).hexdigest()[:16]


def _text_forms(text, kind):
    """Canonical forms of one accepted text answer, most exact first: text, number, date."""
    tokens = core(words(text[:MAX_TEXT]))
    forms = ["text:" + " ".join(tokens)] if tokens else []
    num = read_number(tokens)
    if num is not None:
        forms.append("num:" + number_text(num[0]) + "|" + unit_words(num[1]))
    if kind == "date":
        parts, _ = read_date(text)
        if parts:
            forms.append(date_forms(parts)[0])
    return forms


def prepare(entry, salt=None):
    """The forms of a key entry that judge() compares with: plain strings (salt None) or salted hashes."""
    t, c = entry["type"], entry["correct"]
    qid = entry.get("qid") or entry.get("id", "")
    h = _hasher(salt, qid)
    p = {"type": t, "salt": salt, "qid": qid}
    if t in ("mcq", "multi"):
        p["options"] = list(entry.get("options", []))
        correct = [c] if t == "mcq" else list(c)
        p["right"] = sorted(h("choice:" + letter) for letter in correct)
        if t == "multi":
            p["n_correct"] = len(correct)
    elif t == "tf":
        p["right"] = [h("tf:" + str(bool(c)).lower())]
    elif t in ("ordering", "matching"):
        p["items"] = list(entry.get("items", []))
        if t == "ordering":
            p["right"] = sorted(h(f"pos:{i}:{letter}") for i, letter in enumerate(c))
            p["n"] = len(c)
        else:
            p["left"] = list(entry.get("left", []))
            p["right"] = sorted(h(f"pair:{k}:{v}") for k, v in c.items())
            p["n"] = len(c)
    elif t == "numeric":
        value, tol = Decimal(str(c["value"])), abs(Decimal(str(c.get("tolerance", 0) or 0)))
        exp, points = numeric_grid(value, tol)
        p["grid_exp"] = exp
        p["grid"] = sorted(h("grid:" + number_text(x)) for x in points)
        p["unit"] = unit_words(c.get("unit", "") or "")
        p["unit_text"] = c.get("unit", "") or ""
        forms = {}
        for text in c.get("alternates", []) or []:
            for f in _text_forms(str(text), "number"):
                forms.setdefault(h(f), "alternate")
        p["forms"] = forms
    elif t in ("short", "cloze"):
        accepted = [str(a) for a in c["accepted"]]
        kind = c.get("answer_kind", "text") or "text"
        p["kind"] = kind
        forms, typo, contains = {}, set(), set()
        for i, text in enumerate(accepted):
            for f in _text_forms(text, kind):
                forms.setdefault(h(f), "exact" if i == 0 and f.startswith("text:") else
                                 "number-word" if f.startswith("num:") else "date-form" if f.startswith("date:") else "alternate")
            tokens = core(words(text[:MAX_TEXT]))
            joined = " ".join(tokens)
            if len(joined.replace(" ", "")) >= 3:
                contains.add(h("contains:" + joined))
            letters = joined.replace(" ", "")
            if kind == "name" and MIN_TYPO_LETTERS <= len(letters) <= MAX_TYPO_LETTERS:
                typo |= {h("typo:" + d) for d in deletions(letters)}
        near = set()
        for text in c.get("near", []) or []:
            letters = "".join(core(words(str(text)[:MAX_TEXT])))
            if letters and len(letters) <= MAX_TYPO_LETTERS:
                near |= {h("typo:" + d) for d in deletions(letters)}
        p.update(forms=forms, typo=sorted(typo), near=sorted(near), contains=sorted(contains))
    else:
        raise ValueError(f"unknown question type {t!r}")
    return p


def public_entry(entry, salt):
    """What a practice notebook may hold for one question: salted hashes and texts the student already sees
    (options, items, the unit). It stops no determined student: every hash can be tried offline."""
    if not salt:
        raise ValueError("a public entry needs a salt")
    return prepare(entry, salt)


def numeric_grid(value, tol):
    """The accepted values of a numeric answer as points on a decimal grid: (exponent of the step, points).

    The step is the largest power of ten both the value and the tolerance are multiples of, so the range's
    ends are grid points; x is accepted when the grid points just below and above it are both accepted. More
    than MAX_GRID points: the step grows and the range is rounded inward to it (documented).
    """
    with localcontext() as ctx:
        ctx.prec = 60
        exps = [value.normalize().as_tuple().exponent] if value else [0]
        if tol:
            exps.append(tol.normalize().as_tuple().exponent)
        exp = min(e if isinstance(e, int) else 0 for e in exps)
        while True:
            step = Decimal(1).scaleb(exp)
            lo = ((value - tol) / step).to_integral_value(ROUND_CEILING)
            hi = ((value + tol) / step).to_integral_value(ROUND_FLOOR)
            if hi - lo + 1 <= MAX_GRID:
                return exp, [(lo + k) * step for k in range(int(hi - lo) + 1)]
            exp += 1


def _grid_neighbours(x, exp):
    with localcontext() as ctx:
        ctx.prec = 60
        step = Decimal(1).scaleb(exp)
        q = x / step
        return q.to_integral_value(ROUND_FLOOR) * step, q.to_integral_value(ROUND_CEILING) * step


# ---- judging a value ---------------------------------------------------------------------------------------

_SCALARS = (str, int, float, bool, type(None))


def plain_value(value, _depth=0):
    """A copy of an answer made of exact built-in types only (str, int, float, bool, None, list, tuple, set, dict).

    Anything else raises ValueError: an object whose == always says True, a str subclass with its own methods.
    Only type() is asked of the value, so none of its own code runs.
    """
    t = type(value)
    if t in _SCALARS:
        return value
    if _depth > 50:
        raise ValueError("nested too deeply")
    if t in (list, tuple, set, frozenset):
        items = [plain_value(v, _depth + 1) for v in list.__iter__(value)] if t is list else \
            [plain_value(v, _depth + 1) for v in t.__iter__(value)]
        return items if t is list else tuple(items) if t is tuple else set(items)
    if t is dict:
        return {plain_value(k, _depth + 1): plain_value(v, _depth + 1) for k, v in dict.items(value)}
    raise ValueError(f"not a plain value ({t.__name__})")


# ---- the rest of judging -------------------------------------------------------------------------------------

def mark(entry, value):
    """How much of the points an answer earns, and how it matched: a Verdict."""
    return judge(prepare(entry), value)


def judge(p, value):
    """Judge a value against prepared (plain or salted) forms; the grader and the self-check both call this."""
    h = _hasher(p["salt"], p["qid"])
    t = p["type"]
    if value is None:
        return Verdict(0.0, "", "no answer")
    if t == "mcq":
        letter, how, why = _choose_one(value, p["options"])
        if letter is None:
            return Verdict(0.0, "", why)
        if h("choice:" + letter) in p["right"]:
            return Verdict(1.0, how, "right", letter)
        return Verdict(0.0, "", "not the right option", letter)
    if t == "multi":
        return _judge_multi(p, value, h)
    if t == "tf":
        b, how = _as_bool(value)
        if b is None:
            return Verdict(0.0, "", "write True or False")
        choice = "True" if b else "False"
        if h("tf:" + str(b).lower()) in p["right"]:
            return Verdict(1.0, how, "right", choice)
        return Verdict(0.0, "", "not right", choice)
    if t == "ordering":
        return _judge_ordering(p, value, h)
    if t == "matching":
        return _judge_matching(p, value, h)
    if t == "numeric":
        return _judge_numeric(p, value, h)
    return _judge_text(p, value, h)


def _as_set(p, name):
    """p[name] as a set, kept in p (the grader judges many answers against one prepared entry)."""
    cached = p.get("_" + name)
    if cached is None:
        cached = p["_" + name] = frozenset(p[name])
    return cached


def _as_bool(value):
    if isinstance(value, bool):
        return value, "exact"
    if isinstance(value, str):
        s = fold(value).strip().strip(".!")
        if s in ("true", "t", "yes", "y"):
            return True, "alternate"
        if s in ("false", "f", "no", "n"):
            return False, "alternate"
    return None, ""


_LETTER_ALONE = re.compile(r"^\s*\(?\s*([A-Ja-j])\s*[.):\]]?\s*$")
_LETTER_AND_TEXT = re.compile(r"^\s*\(?\s*([A-Ja-j])\s*(?:([.):\]-])|\s)\s*(\S.*)$", re.S)


def _option_forms(text):
    forms = set(_text_forms(text, "date"))
    return forms


def _which_option(text, options):
    """The index of the option whose text this is (by any of its forms); None if none or several."""
    mine = _option_forms(text)
    if not mine:
        return None
    hits = [i for i, o in enumerate(options) if mine & _option_forms(str(o))]
    return hits[0] if len(hits) == 1 else None


def _choose_one(value, options):
    """mcq: (letter, how, '') or (None, '', why)."""
    n = len(options)
    if not isinstance(value, str):
        return None, "", 'write the letter of one option in quotes, e.g. "B"'
    text = value[:MAX_TEXT]
    m = _LETTER_ALONE.match(text)
    if m:
        letter = m.group(1).upper()
        if LETTERS.index(letter) >= n:
            return None, "", f"there is no option {letter}"
        return letter, "exact", ""
    i = _which_option(text, options)
    if i is not None:
        return LETTERS[i], "option-text", ""
    m = _LETTER_AND_TEXT.match(text)
    if m:
        letter, rest = m.group(1).upper(), m.group(3)
        k = LETTERS.index(letter)
        j = _which_option(rest, options)
        if k < n and j == k:
            return letter, "letter", ""
        if k < n and j is not None:
            return None, "", f"{letter} and the text after it name different options: give one"
        if m.group(2) and k < n:
            return None, "", f"the text after {letter} is not option {letter}: give the letter alone"
    return None, "", 'write the letter of one option in quotes, e.g. "B", or the option as printed'


def _pieces(value, separators):
    """A list of choices from a list, tuple, set or string ('A, C', 'B then C then A', 'AC')."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=lambda v: (type(v).__name__, str(v)))
    if not isinstance(value, str):
        return None
    text = value[:MAX_TEXT].strip()
    if re.fullmatch(r"[A-Ja-j]{2,10}", text):  # 'AC', 'BCA'
        return list(text)
    if re.fullmatch(r"[A-Ja-j](?:\s+[A-Ja-j])+", text):  # 'A C', 'B C A'
        return text.split()
    return [x.strip() for x in re.split(separators, text) if x and x.strip()]


_SET_SEPARATORS = r"\s*(?:[,;/&+]|\band\b)\s*"
_ORDER_SEPARATORS = r"\s*(?:[,;>]|->|=>|→|\bthen\b)\s*"


def _letter_of(piece, texts):
    """A letter given as 'b', 'B.', '(b)', or the text of one of texts; None if neither."""
    if not isinstance(piece, str):
        return None, False
    m = _LETTER_ALONE.match(piece[:MAX_TEXT])
    if m:
        letter = m.group(1).upper()
        return (letter if LETTERS.index(letter) < len(texts) else None), False
    i = _which_option(piece, texts)
    return (LETTERS[i], True) if i is not None else (None, False)


def _judge_multi(p, value, h):
    pieces = _pieces(value, _SET_SEPARATORS)
    if pieces is None:
        return Verdict(0.0, "", 'write the letters of every right option, e.g. "A, C" or ["A", "C"]')
    chosen, by_text = set(), False
    for piece in pieces:
        letter, text = _letter_of(piece, p["options"])
        if letter is None:
            return Verdict(0.0, "", f"{str(piece)[:40]!r} is not an option: use the letters, e.g. \"A, C\"")
        chosen.add(letter)
        by_text |= text
    if not chosen:
        return Verdict(0.0, "", "no option chosen")
    right = sum(1 for letter in chosen if h("choice:" + letter) in p["right"])
    wrong = len(chosen) - right
    n = p["n_correct"]
    fraction = max(0.0, (right - wrong) / n) if n else 0.0
    choice = ",".join(sorted(chosen))
    if fraction == 1:
        return Verdict(1.0, "option-text" if by_text else "exact", "right", choice)
    reason = f"{right} of {n} right options chosen" + (f", {wrong} wrong one{'s' if wrong != 1 else ''}" if wrong else "")
    return Verdict(round(fraction, 6), "partial" if fraction > 0 else "", reason, choice)


def _judge_ordering(p, value, h):
    n = p["n"]
    pieces = _pieces(value, _ORDER_SEPARATORS)
    if pieces is None:
        return Verdict(0.0, "", 'write the letters in order, e.g. ["C", "A", "B"] or "C, A, B"')
    letters, by_text = [], False
    for piece in pieces:
        letter, text = _letter_of(piece, p["items"])
        if letter is None:
            return Verdict(0.0, "", f"{str(piece)[:40]!r} is not one of the items: use their letters")
        letters.append(letter)
        by_text |= text
    expected = set(LETTERS[:n])
    if len(letters) != n or set(letters) != expected:
        repeated = sorted({x for x in letters if letters.count(x) > 1})
        missing = sorted(expected - set(letters))
        detail = (f"{', '.join(repeated)} given more than once" if repeated else "") + \
                 ("; " if repeated and missing else "") + (f"{', '.join(missing)} missing" if missing else "")
        return Verdict(0.0, "", f"give each of the {n} letters once ({detail or 'wrong number of items'})")
    hits = sum(1 for i, letter in enumerate(letters) if h(f"pos:{i}:{letter}") in p["right"])
    if hits == n:
        return Verdict(1.0, "option-text" if by_text else "exact", "right")
    return Verdict(round(hits / n, 6), "partial" if hits else "", f"{hits} of {n} in the right place")


def _judge_matching(p, value, h):
    n = p["n"]
    if isinstance(value, str):
        value = _pieces(value, _ORDER_SEPARATORS)
    if isinstance(value, (list, tuple)):
        value = {i + 1: v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        return Verdict(0.0, "", 'write a dict of statement number to letter, e.g. {1: "B", 2: "A"}')
    pairs, by_text = {}, False
    for k, v in value.items():
        key = k if isinstance(k, int) and not isinstance(k, bool) else (int(k) if isinstance(k, str) and k.strip().isdigit() else None)
        if key is None or not 1 <= key <= n:
            return Verdict(0.0, "", f"there is no statement {str(k)[:20]}: number them 1 to {n}")
        letter, text = _letter_of(v, p["items"])
        if letter is None:
            return Verdict(0.0, "", f"{str(v)[:40]!r} for statement {key} is not one of the lettered answers")
        pairs[key] = letter
        by_text |= text
    hits = sum(1 for k, letter in pairs.items() if h(f"pair:{k}:{letter}") in p["right"])
    if hits == n:
        return Verdict(1.0, "option-text" if by_text else "exact", "right")
    missing = n - len(pairs)
    reason = f"{hits} of {n} pairs right" + (f" ({missing} not answered)" if missing else "")
    return Verdict(round(hits / n, 6), "partial" if hits else "", reason)


def _judge_numeric(p, value, h):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return Verdict(0.0, "", "write a number, e.g. 12")
    unit_hint = f" ({p['unit_text']})" if p["unit"] else ""
    problem = "not right"
    x = how = None
    if isinstance(value, str):
        got = read_number(core(words(value[:MAX_TEXT])))
        if got is None or any(w in CONJUNCTIONS or w[-1:].isdigit() for w in got[1]):
            problem = "write one number, e.g. 12" + unit_hint
        else:
            unit_given = unit_words(got[1])
            if unit_given and unit_given != p["unit"]:
                problem = f"the answer is counted in {p['unit_text']}, not {unit_given}" if p["unit"] else "write just the number"
            else:
                x, how = got[0], "number-word" if got[2] else ("unit" if unit_given else "exact")
    else:
        x, how = as_number(value), "exact"
        if x is None:
            problem = "write a number, e.g. 12"
    if x is not None and x.is_finite() and abs(x.adjusted()) <= 30:
        lo, hi = _grid_neighbours(x, p["grid_exp"])
        if h("grid:" + number_text(lo)) in p["grid"] and h("grid:" + number_text(hi)) in p["grid"]:
            return Verdict(1.0, how, "right")
    if isinstance(value, str):
        for f in _text_forms(value, "number"):
            if h(f) in p["forms"]:
                return Verdict(1.0, "alternate", "right")
    return Verdict(0.0, "", problem)


def _judge_text(p, value, h):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return Verdict(0.0, "", "write the answer as text in quotes")
    text = value if isinstance(value, str) else repr(value)
    if len(text) > MAX_TEXT:
        return Verdict(0.0, "", f"too long for a short answer ({len(text):,} characters)")
    forms = p["forms"]
    kind = p["kind"]
    for f in _text_forms(text, kind):
        how = forms.get(h(f))
        if how:
            return Verdict(1.0, how, "right")
    if kind == "date":
        parts, why = read_date(text)
        if why:
            return Verdict(0.0, "", why)
        if parts:
            for f in date_forms(parts)[1:]:  # a more precise date than asked for still answers it
                if h(f) in forms:
                    return Verdict(1.0, "date-form", "right")
    tokens = core(words(text))
    letters = "".join(tokens)
    if p["typo"] and MIN_TYPO_LETTERS - 1 <= len(letters) <= MAX_TYPO_LETTERS:
        mine = {h("typo:" + d) for d in deletions(letters)}
        if not mine.isdisjoint(_as_set(p, "typo")):
            if not mine.isdisjoint(_as_set(p, "near")):
                return Verdict(0.0, "", "not right")
            return Verdict(1.0, "typo", "right (a one-letter slip)")
    if 1 < len(tokens) <= MAX_CONTAINS_WORDS and p["contains"]:
        contains = _as_set(p, "contains")
        n = len(tokens)
        for size in range(n - 1, 0, -1):  # the longest accepted answer inside the student's
            for i in range(n - size + 1):
                if h("contains:" + " ".join(tokens[i:i + size])) in contains:
                    extra = tokens[:i] + tokens[i + size:]
                    if any(w in NEGATIONS for w in extra):
                        return Verdict(0.0, "", "your answer says the opposite (not, no, ...)")
                    if any(w in CONJUNCTIONS for w in extra):
                        return Verdict(0.0, "", "give one answer, not several")
                    if len(extra) > min(MAX_EXTRA_WORDS, size):
                        return Verdict(0.0, "", "shorten your answer to the point asked for")
                    return Verdict(1.0, "contains", "right (with a few extra words)")
    return Verdict(0.0, "", "not right")
