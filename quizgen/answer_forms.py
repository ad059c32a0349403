"""Canonical forms of answer text, standard library only: words, numbers (digits and words), dates, typo deletions.

Embedded with quizgen/marking.py in student notebooks and nbgrader tests, so it imports only the standard library.
"""
import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

MAX_TEXT = 500            # characters of an answer that are judged (longer: not a short answer)

_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

# ---- the old text folding (evidence checks and "text names an answer" use it; marking uses words()) ----------

_ARTICLES = re.compile(r"^(the|a|an)\s+")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_FOLD_CACHE = {}


def normalise_answer(text):
    """Fold case, punctuation, white space and a leading article: 'the U.S.' -> 'us'."""
    text = str(text)[:10_000]
    done = _FOLD_CACHE.get(text)
    if done is None:
        out = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC).casefold().replace("-", " ")
        out = _ARTICLES.sub("", _SPACE.sub(" ", _NON_WORD.sub("", out)).strip())
        if len(_FOLD_CACHE) > 65536:
            _FOLD_CACHE.clear()
        _FOLD_CACHE[text] = done = out
    return done


# ---- words: the folded form every rule compares ------------------------------------------------------------

# apostrophes and dots inside words join ("U.S." -> "us", "don't" -> "dont"); a dot or comma between digits stays
_JOIN = re.compile(r"'|(?<!\d)\.|\.(?!\d)")
_TOKEN = re.compile(r"(?<!\w)-?\d+(?:[.,]\d+)*|[^\W\d_]+|\d+")
_PER_CENT = re.compile(r"\bper\s+cent\b|\bpct\b|%")
FUNCTION_WORDS = frozenset("a an the to that its it's their his her our my your by of in on at for with".split())
NEGATIONS = frozenset("not no never nor neither none nothing without cannot cant dont doesnt didnt isnt wasnt arent "
                      "werent wont wouldnt shouldnt couldnt hasnt havent hadnt non un anti except hardly".split())
CONJUNCTIONS = frozenset("or and nor but versus vs either".split())


_SCALES = frozenset(("hundred", "thousand", "million", "billion", "trillion", "dozen", "score"))


def fold(text):
    """NFKC, typographic quotes and dashes, case: the text every rule starts from."""
    return unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC).casefold()


def words(text):
    """The words of an answer: folded, punctuation gone, numbers kept whole ('5.2', '1,000')."""
    t = _PER_CENT.sub(" percent ", fold(text)).replace("&", " and ")
    return _TOKEN.findall(_JOIN.sub("", t))


def core(tokens):
    """Words without leading function words ('to dismantle its program' -> 'dismantle its program')."""
    i = 0
    while i < len(tokens) - 1 and tokens[i] in FUNCTION_WORDS and not (tokens[i] in ("a", "an") and tokens[i + 1] in _SCALES):
        i += 1
    return tokens[i:]


def _plural(word):
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def unit_words(text_or_tokens):
    tokens = words(text_or_tokens) if isinstance(text_or_tokens, str) else text_or_tokens
    return " ".join(_plural(w) for w in core(tokens))


# ---- numbers: digits with separators, number words, multipliers ------------------------------------------------

_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_LARGE = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_ONE_WORD_SCORES = {"threescore": 60, "fourscore": 80}


def _digits(token):
    """'1,000' -> 1000, '0,006' -> 0.006, '5.2' -> 5.2, '1.000,5' -> 1000.5; None if not a number."""
    sign = -1 if token.startswith("-") else 1
    body = token.lstrip("-")
    seps = [c for c in body if c in ".,"]
    if not seps:
        return sign * Decimal(body)
    groups = re.split(r"[.,]", body)
    last = seps[-1]
    if len(set(seps)) == 2:  # both kinds: the last one is the decimal point, the others group thousands
        if seps.count(last) != 1 or any(len(g) != 3 for g in groups[1:-1]):
            return None
        return sign * Decimal("".join(groups[:-1]) + "." + groups[-1])
    if len(seps) > 1:  # '1,000,000' or '1.000.000': thousands groups only
        if any(len(g) != 3 for g in groups[1:]) or not 1 <= len(groups[0]) <= 3:
            return None
        return sign * Decimal("".join(groups))
    head, tail = groups
    # one comma before exactly three digits groups thousands ('1,000'), except after a lone zero ('0,006')
    if last == "," and len(tail) == 3 and head.lstrip("0"):
        return sign * Decimal(head + tail)
    return sign * Decimal(head + "." + tail)


def _words_number(tokens):
    """The longest number spelled in words at the start of tokens: (value, words used), or None."""
    total, current, last, used, value_at = 0, 0, None, 0, None
    largest = None
    i = 0
    while i < len(tokens):
        w = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if w in ("a", "an") and last in (None, "and") and nxt in ("hundred", "dozen", "score", *_LARGE):
            current, last = 1, "unit"
        elif w in _SMALL and (w != "zero" or last is None):
            v = _SMALL[w]
            if last in (None, "hundred", "large", "score", "dozen", "and") or (last == "ten" and 0 < v < 10):
                current += v
                last = "unit" if v < 10 else "teen"
            else:
                break
        elif w in _TENS and last in (None, "hundred", "large", "score", "and"):
            current += _TENS[w]
            last = "ten"
        elif w in _ONE_WORD_SCORES and last is None:
            current, last = _ONE_WORD_SCORES[w], "score"
        elif w == "hundred" and last in ("unit", "teen", "ten") and 0 < current % 100 < 100 and current < 100:
            current *= 100
            last = "hundred"
        elif w in ("score", "dozen") and last in ("unit", "teen") and 0 < current < 20:
            current *= 20 if w == "score" else 12
            last = w
        elif w in _LARGE and last in ("unit", "teen", "ten", "hundred", "score", "dozen") and current > 0 \
                and (largest is None or _LARGE[w] < largest):
            largest = _LARGE[w]
            total += current * _LARGE[w]
            current, last = 0, "large"
        elif w == "and" and last in ("hundred", "large", "score", "dozen") and nxt in {**_SMALL, **_TENS}:
            last = "and"
        elif w == "point" and last in ("unit", "teen", "ten", "hundred", "large", "score", "dozen") and nxt in _SMALL \
                and _SMALL[nxt] < 10:
            frac, j = "", i + 1
            while j < len(tokens) and tokens[j] in _SMALL and _SMALL[tokens[j]] < 10:
                frac += str(_SMALL[tokens[j]])
                j += 1
            return Decimal(f"{total + current}.{frac}"), j
        else:
            break
        i += 1
        if last != "and":
            used, value_at = i, total + current
    if value_at is None:
        return None
    return Decimal(value_at), used


def read_number(tokens):
    """A number at the start of the words, with what follows: (value, rest, spelled) or None.

    spelled is True when words were used ('six', 'a hundred'); multipliers follow digits ('6 million').
    """
    if not tokens:
        return None
    sign = 1
    if tokens[0] in ("minus", "negative") and len(tokens) > 1:
        sign, tokens = -1, tokens[1:]
    first = tokens[0]
    if first[-1:].isdigit():
        try:
            value = _digits(first)
        except InvalidOperation:
            value = None
        if value is None:
            return None
        i = 1
        # '1 000 000': groups of three digits after a short first group
        while i < len(tokens) and len(first.lstrip("-")) <= 3 and re.fullmatch(r"\d{3}", tokens[i]) and "." not in first:
            value = value * 1000 + (Decimal(tokens[i]) if value >= 0 else -Decimal(tokens[i]))
            i += 1
        spelled = False
        if i < len(tokens) and tokens[i] in _LARGE:
            value, i, spelled = value * _LARGE[tokens[i]], i + 1, True
        return sign * value, tokens[i:], spelled
    found = _words_number(tokens)
    if found is None:
        return None
    value, used = found
    return sign * value, tokens[used:], True


def number_text(value):
    """Canonical text of a Decimal: '6', '5.2', '0.006', '1000'."""
    with localcontext() as ctx:
        ctx.prec = 60
        text = format(value.normalize(), "f")
    return "0" if text in ("-0", "-0.0") else text


def as_number(value):
    """A Python number or a string that is only a number -> Decimal; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10 ** 30 else None
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) < 1e30 else None
    if isinstance(value, str):
        got = read_number(core(words(value[:MAX_TEXT])))
        if got and not got[1]:
            return got[0]
    return None


# ---- dates -----------------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, names in enumerate(
    [(), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")]) for m in names}
_WEEKDAYS = frozenset("monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat "
                      "sunday sun".split())
_DATE_FILLER = frozenset("the of on st nd rd th ad ce".split())
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")
_DAYS_IN = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(y, m, d):
    if not (1 <= y <= 9999 and (m is None or 1 <= m <= 12)):
        return False
    if d is None:
        return True
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return m is not None and 1 <= d <= (29 if m == 2 and leap else _DAYS_IN[m] if m != 2 else 28)


def read_date(text):
    """A date in a common written form -> ((year, month|None, day|None), '') or (None, why not) or (None, '')."""
    s = fold(text).strip().strip(".")
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), (int(m.group(3)) if m.group(3) else None)
        return ((y, mo, d), "") if _valid(y, mo, d) else (None, "")
    m = _NUMERIC_DATE.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if len(y) != 4:
            return None, f"write the year in full ({text.strip()[:40]})"
        y = int(y)
        options = {(y, mo, d) for mo, d in ((a, b), (b, a)) if _valid(y, mo, d)}
        if len(options) > 1:
            return None, f"{text.strip()[:40]} could be {a} {_month_name(b)} or {_month_name(a)} {b}: write the month as a word"
        return (options.pop(), "") if options else (None, "")
    tokens = [t for t in re.findall(r"[a-z]+|\d+", s) if t not in _WEEKDAYS and t not in _DATE_FILLER]
    shape = "".join("m" if t in _MONTHS else "n" if t.isdigit() else "x" for t in tokens)
    y = mo = d = None
    if shape == "mnn":
        mo, d, y = _MONTHS[tokens[0]], tokens[1], tokens[2]
    elif shape == "nmn" and len(tokens[0]) == 4:
        y, mo, d = tokens[0], _MONTHS[tokens[1]], tokens[2]
    elif shape == "nmn":
        d, mo, y = tokens[0], _MONTHS[tokens[1]], tokens[2]
    elif shape == "mn":
        mo, y = _MONTHS[tokens[0]], tokens[1]
    elif shape == "n" and len(tokens[0]) == 4:
        y = tokens[0]
    else:
        return None, ""
    if len(y) != 4:
        return None, (f"write the year in full ({text.strip()[:40]})" if len(y) == 2 else "")
    y, d = int(y), (int(d) if d is not None else None)
    if d is not None and len(str(d)) > 2:
        return None, ""
    return ((y, mo, d), "") if _valid(y, mo, d) else (None, "")


def _month_name(m):
    return ("January February March April May June July August September October November December".split()[m - 1]
            if 1 <= m <= 12 else str(m))


def date_forms(parts):
    """'date:2003-08-29' and the less precise forms it also answers ('date:2003-08', 'date:2003')."""
    y, m, d = parts
    out = [f"date:{y:04d}"]
    if m is not None:
        out.append(f"date:{y:04d}-{m:02d}")
        if d is not None:
            out.append(f"date:{y:04d}-{m:02d}-{d:02d}")
    return out[::-1]


def deletions(s):
    """s and every string made by deleting one character of it (the symmetric-deletion typo rule)."""
    return {s} | {s[:i] + s[i + 1:] for i in range(len(s))}
