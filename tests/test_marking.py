"""The answer-matching rules (quizgen/marking.py): a teacher's rules, checked against independent libraries, and
practice fingerprints that agree with the grader on every value tried."""
from __future__ import annotations

import datetime as dt
import json
import random
import string

import pytest

from quizgen.answer_forms import as_number, deletions, read_date, read_number, words
from quizgen.marking import HOWS, judge, mark, plain_value, prepare, public_entry


def short(accepted, kind="phrase", near=()):
    return {"qid": "q-short", "type": "short", "correct": {"accepted": list(accepted), "answer_kind": kind, "near": list(near)}}


def numeric(value, tolerance=0, unit="", alternates=()):
    return {"qid": "q-num", "type": "numeric", "correct": {"value": value, "tolerance": tolerance, "unit": unit, "alternates": list(alternates)}}


MCQ = {"qid": "q-mcq", "type": "mcq", "correct": "D",
       "options": ["with a joint communique", "with a call for new sanctions", "with a signed accord", "with a promise to meet again"]}
DEADLOCK = {"qid": "q-mcq2", "type": "mcq", "correct": "A", "options": ["a deadlock", "common ground", "an impasse", "a breaking point"]}
MULTI = {"qid": "q-multi", "type": "multi", "correct": ["A", "C"], "options": ["China", "Iran", "Japan", "Brazil"]}
TF = {"qid": "q-tf", "type": "tf", "correct": False}
ORDER = {"qid": "q-ord", "type": "ordering", "correct": ["B", "C", "A"], "items": ["talks began", "a claim was made", "talks ended"]}
MATCH = {"qid": "q-match", "type": "matching", "correct": {"1": "B", "2": "A", "3": "D", "4": "C"},
         "left": ["one", "two", "three", "four"], "items": ["aid", "dismantle", "recognition", "a pact"]}
NAME = short(["Beijing", "Peking"], "name", near=["Beiping", "Nanjing"])
DATE = short(["29 August 2003"], "date")
PHRASE = short(["dismantle its nuclear program", "give up its nuclear weapons"])
NUCLEAR = short(["a nuclear power"])

# (entry, answer, fraction, how): the rules of docs/grading.md, each with the example it gives
RULES = [
    # numbers keep their decimal point; separators; number words; percent and units
    (numeric(5.2), "5.2", 1, "exact"), (numeric(5.2), "52", 0, ""), (numeric(9.0), "9.0", 1, "exact"),
    (numeric(0.006), "0,006", 1, "exact"), (numeric(1000), "1,000", 1, "exact"), (numeric(1.5), "1,5", 1, "exact"),
    (numeric(6, unit="nations", alternates=["six"]), "six", 1, "number-word"),
    (numeric(6, unit="nations"), "6 nations", 1, "unit"), (numeric(6, unit="nations"), "six nations", 1, "number-word"),
    (numeric(3, unit="weeks"), "3 days", 0, ""), (numeric(6, unit="nations"), "6 or 7", 0, ""),
    (numeric(55, unit="%"), "55%", 1, "unit"), (numeric(55, unit="percent"), "55 percent", 1, "unit"),
    (numeric(55, unit="%"), "55 per cent", 1, "unit"), (numeric(87), "four score and seven", 1, "number-word"),
    (numeric(21), "twenty-one", 1, "number-word"), (numeric(100), "a hundred", 1, "number-word"),
    (numeric(5.2, 0.1), 5.3, 1, "exact"), (numeric(5.2, 0.1), 5.31, 0, ""), (numeric(6), True, 0, ""),
    (short(["seven"]), "7", 1, "number-word"), (short(["87"]), "eighty-seven", 1, "number-word"),
    # dates in written forms, where the answer is a date; ambiguous numeric dates refused
    (DATE, "August 29, 2003", 1, "date-form"), (DATE, "29 Aug 2003", 1, "date-form"), (DATE, "2003-08-29", 1, "date-form"),
    (DATE, "Aug. 29, 2003", 1, "date-form"), (DATE, "Friday, August 29th, 2003", 1, "date-form"),
    (DATE, "29/08/2003", 1, "date-form"), (DATE, "03/04/2003", 0, ""), (DATE, "August 2003", 0, ""),
    (short(["August 2003"], "date"), "29 August 2003", 1, "date-form"),
    # leading function words; a few extra words, never a negation or a second answer
    (short(["all men are created equal"]), "that all men are created equal", 1, "exact"),
    (PHRASE, "to dismantle its nuclear program", 1, "exact"), (PHRASE, "give up its nuclear weapons", 1, "alternate"),
    (short(["invading or attacking"]), "invading or attacking it", 1, "contains"),
    (PHRASE, "that it would dismantle its nuclear program", 1, "contains"),
    (NUCLEAR, "not a nuclear power", 0, ""), (NUCLEAR, "it is not a nuclear power", 0, ""),
    (NAME, "Beijing or Shanghai", 0, ""), (NAME, "Beijing, China", 1, "contains"),
    # one-letter typos in names of five letters or more, never into a near wrong answer
    (NAME, "Bejing", 1, "typo"), (NAME, "Biejing", 1, "typo"), (NAME, "Beiping", 0, ""), (NAME, "Beipjng", 0, ""),
    (short(["Iran"], "name"), "Irna", 0, ""), (short(["written assurances"]), "writen assurances", 0, ""),
    # Unicode compatibility forms and typographic quotes
    (short(["Beijing"], "name"), "Ｂｅｉｊｉｎｇ", 1, "exact"), (short(["People's Republic"]), "People’s Republic", 1, "exact"),
    # multiple choice: letter, option text, letter plus text
    (MCQ, "D", 1, "exact"), (MCQ, "d)", 1, "exact"), (MCQ, "(D)", 1, "exact"), (MCQ, "with a promise to meet again", 1, "option-text"),
    (MCQ, "D. with a promise to meet again", 1, "letter"), (MCQ, "D. with a signed accord", 0, ""), (MCQ, "E", 0, ""),
    (MCQ, "A", 0, ""), (DEADLOCK, "a deadlock", 1, "option-text"), (DEADLOCK, "a", 1, "exact"),
    # select all that apply: letters in any form, part marks (right - wrong) / correct, never below 0
    (MULTI, "A, C", 1, "exact"), (MULTI, ["A", "C"], 1, "exact"), (MULTI, "AC", 1, "exact"), (MULTI, {"C", "A"}, 1, "exact"),
    (MULTI, "A", 0.5, "partial"), (MULTI, "A, B", 0, ""), (MULTI, "A, B, C, D", 0, ""), (MULTI, ["China", "Japan"], 1, "option-text"),
    # true/false
    (TF, False, 1, "exact"), (TF, "false", 1, "alternate"), (TF, "no", 1, "alternate"), (TF, "F", 1, "alternate"), (TF, True, 0, ""),
    # ordering: letters in any common form, or the items' texts; part marks per place; each letter once
    (ORDER, ["B", "C", "A"], 1, "exact"), (ORDER, "B then C then A", 1, "exact"), (ORDER, "B, C, A", 1, "exact"),
    (ORDER, "BCA", 1, "exact"), (ORDER, ["a claim was made", "talks ended", "talks began"], 1, "option-text"),
    (ORDER, ["B", "A", "C"], 1 / 3, "partial"), (ORDER, ["A", "A", "A"], 0, ""),
    # matching: dict or list of letters; part marks per pair
    (MATCH, {1: "B", 2: "A", 3: "D", 4: "C"}, 1, "exact"), (MATCH, ["B", "A", "D", "C"], 1, "exact"),
    (MATCH, {"1": "b", "2": "a", "3": "c", "4": "d"}, 0.5, "partial"),
]


@pytest.mark.parametrize("entry, value, fraction, how", RULES, ids=[f"{e['type']}:{v!r}" for e, v, _, _ in RULES])
def test_rules_mark_as_a_teacher_would(entry, value, fraction, how):
    verdict = mark(entry, value)
    assert verdict.fraction == pytest.approx(fraction, abs=1e-6), verdict
    assert verdict.how == how, verdict
    assert verdict.how in ("", *HOWS)
    assert verdict.reason, "every verdict says why"


def test_reasons_speak_to_the_student():
    assert "unit" in mark(numeric(3, unit="weeks"), "3 days").reason or "weeks" in mark(numeric(3, unit="weeks"), "3 days").reason
    assert "month as a word" in mark(DATE, "03/04/2003").reason
    assert "opposite" in mark(NUCLEAR, "not a nuclear power").reason
    assert "one answer" in mark(NAME, "Beijing or Shanghai").reason
    assert "no option E" in mark(MCQ, "E").reason
    assert "B, C missing" in mark(ORDER, ["A", "A", "A"]).reason


def test_choice_is_recorded_for_choice_questions():
    assert mark(MCQ, "with a promise to meet again").choice == "D"
    assert mark(MULTI, ["C", "A", "B"]).choice == "A,B,C"
    assert mark(TF, "yes").choice == "True"


# ---- independent oracles: text2num for number words, dateutil for dates ------------------------------------

def test_number_words_agree_with_text2num():
    num2words = pytest.importorskip("num2words").num2words
    text2num = pytest.importorskip("text_to_num").text2num
    rng = random.Random(11)
    numbers = list(range(0, 130)) + [rng.randrange(130, 10 ** 7) for _ in range(1500)] + [1863, 2003, 10 ** 6, 10 ** 9]
    for n in numbers:
        spoken = num2words(n)
        oracle = text2num(spoken.replace(",", ""), "en")
        got = read_number(words(spoken))
        assert got is not None and not got[1], spoken
        assert got[0] == oracle == n, (spoken, got, oracle)
        # digits with thousands separators read the same
        assert as_number(f"{n:,}") == n and as_number(str(n)) == n


def test_number_words_beyond_the_oracle():
    assert read_number(words("four score and seven"))[0] == 87
    assert read_number(words("a hundred"))[0] == 100
    assert read_number(words("two dozen"))[0] == 24
    assert read_number(words("nineteen hundred"))[0] == 1900
    assert str(read_number(words("five point two"))[0]) == "5.2"
    assert read_number(words("6 million"))[0] == 6_000_000
    assert read_number(words("six seven"))[1] == ["seven"], "two numbers are not one"


def test_dates_agree_with_dateutil():
    parser = pytest.importorskip("dateutil.parser")
    rng = random.Random(5)
    forms = ["%B %d, %Y", "%d %B %Y", "%d %b %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d", "%A, %B %d, %Y", "%d %B, %Y"]
    for _ in range(600):
        day = dt.date(1700, 1, 1) + dt.timedelta(days=rng.randrange(0, 146_000))
        for form in forms:
            text = day.strftime(form)
            parts, why = read_date(text)
            assert parts == (day.year, day.month, day.day) == _parts(parser.parse(text)), (text, parts, why)
        numeric = f"{day.day}/{day.month}/{day.year}"
        parts, why = read_date(numeric)
        day_first, month_first = parser.parse(numeric, dayfirst=True).date(), None
        try:
            month_first = parser.parse(numeric, dayfirst=False).date()
        except ValueError:
            pass
        if month_first is not None and month_first != day_first:
            assert parts is None and "month as a word" in why, numeric  # dateutil has to guess; quizgen asks
        else:
            assert parts == (day.year, day.month, day.day), numeric


def _parts(d):
    return (d.year, d.month, d.day)


# ---- the typo rule is symmetric deletion ---------------------------------------------------------------------

def test_typo_rule_is_symmetric_deletion():
    rng = random.Random(3)
    key = "beijing"
    entry = short([key], "name")
    for _ in range(400):
        s = list(key)
        op = rng.choice("dist2")
        i = rng.randrange(len(s))
        if op == "d":
            del s[i]
        elif op == "i":
            s.insert(i, rng.choice(string.ascii_lowercase))
        elif op == "s":
            s[i] = rng.choice(string.ascii_lowercase)
        elif op == "t" and i + 1 < len(s):
            s[i], s[i + 1] = s[i + 1], s[i]
        else:
            for _ in range(2):
                s[rng.randrange(len(s))] = rng.choice(string.ascii_lowercase)
        typed = "".join(s)
        shared = any(a == b for a in deletions(key) for b in deletions(typed))
        assert (mark(entry, typed).fraction == 1) == shared, typed


# ---- practice fingerprints agree with the grader -------------------------------------------------------------

def _values_for(entry: dict, rng: random.Random) -> list:
    t, c = entry["type"], entry["correct"]
    letters = "ABCDEFGHIJ"[:max(6, len(entry.get("options", [])))]
    values: list = [None, "", "   ", 0, 1, True, False, [], {}, "not the answer", "zzz", 3.5]
    if t in ("mcq", "multi"):
        opts = entry["options"]
        values += [*letters, *(x.lower() + ")" for x in letters), *opts, *(f"{letters[i]}. {o}" for i, o in enumerate(opts)),
                   *(f"{letters[(i + 1) % len(opts)]}. {o}" for i, o in enumerate(opts))]
        values += ["".join(rng.sample(letters[:len(opts)], rng.randint(1, len(opts)))) for _ in range(20)]
        values += [rng.sample(list(letters[:len(opts)]), rng.randint(1, len(opts))) for _ in range(20)]
    elif t == "tf":
        values += ["true", "false", "yes", "no", "T", "F", "maybe"]
    elif t in ("ordering", "matching"):
        n = len(c)
        pool = list(letters[: len(entry["items"])])
        for _ in range(40):
            values.append(rng.sample(pool, n) if len(pool) >= n else [rng.choice(pool) for _ in range(n)])
        values += [", ".join(rng.sample(pool, min(n, len(pool)))) for _ in range(10)]
        values += [" then ".join(rng.sample(pool, min(n, len(pool)))) for _ in range(10)]
        values.append(list(entry["items"])[:n])
        if t == "matching":
            values += [{k: rng.choice(pool) for k in c} for _ in range(30)]
            values.append(dict(c))
        else:
            values.append(list(c))
    elif t == "numeric":
        v, tol = float(c["value"]), float(c["tolerance"])
        for d in (-2, -1, -0.5, -0.1, -0.01, 0, 0.01, 0.1, 0.5, 1, 2):
            values += [v + d * max(tol, 1), round(v + d * max(tol, 1), 3), str(v + d), f"{v + d:,}"]
        values += [str(int(v)) if v.is_integer() else str(v), f"{v} {c.get('unit', '')}", f"{v} days", f"{v} or {v + 1}",
                   *c.get("alternates", [])]
        values += [rng.uniform(v - 3 * tol - 1, v + 3 * tol + 1) for _ in range(40)]
    else:
        accepted = c["accepted"]
        for a in accepted:
            values += [a, a.upper(), f"the {a}", f"to {a}", f"{a} indeed", f"not {a}", f"{a} or something", f"it was {a} all along",
                       f"a {a} with many more words than allowed here", a[:-1], a[1:], a + "x"]
            chars = list(a)
            for _ in range(8):
                s = chars[:]
                i = rng.randrange(len(s))
                rng.choice([lambda: s.pop(i), lambda: s.insert(i, rng.choice("aeiou")),
                            lambda: s.__setitem__(i, rng.choice(string.ascii_lowercase))])()
                values.append("".join(s))
        values += list(c.get("near", []))
        values += [n[:-1] for n in c.get("near", []) if n]
        values += ["August 29, 2003", "29/08/2003", "03/04/2003", "2003", "six", "6", "seven", "87"]
    return values


def _synthetic_entries() -> list[dict]:
    return [NAME, DATE, PHRASE, NUCLEAR, MCQ, DEADLOCK, MULTI, TF, ORDER, MATCH, numeric(6, unit="nations", alternates=["six"]),
            numeric(5.2, 0.1), numeric(2003, 2), numeric(1000), numeric(55, unit="%"), numeric(1234567, 12345),
            short(["four score and seven"], "number"), short(["a test", "a nuclear test"])]


def test_fingerprints_agree_with_the_grader_on_every_value(talks_bank, all_packs):
    from quizgen.generate import build_bank
    from quizgen.quiz import answer_key, select_quiz

    entries = _synthetic_entries()
    for pack in all_packs:
        entries += answer_key(select_quiz(build_bank(pack, seed="fingerprint-test"), all_questions=True))["questions"]
    rng = random.Random(1)
    tried = 0
    for entry in entries:
        public = json.loads(json.dumps(public_entry(entry, "salt-for-test")))  # as a notebook holds it
        for value in _values_for(entry, rng):
            assert judge(public, value) == mark(entry, value), (entry.get("id", entry["qid"]), value)
            tried += 1
    assert tried > 5000


def test_public_entries_hold_no_answer(talks_bank):
    import re

    from quizgen.quiz import answer_key, select_quiz

    hashed = ("right", "grid", "forms", "typo", "near", "contains", "salt", "qid")
    key = answer_key(select_quiz(talks_bank, all_questions=True))
    for e in key["questions"]:
        public = public_entry(e, "s")
        assert all(re.fullmatch(r"[0-9a-f]{16}", h) for name in ("right", "grid", "typo", "near", "contains") for h in public.get(name, []))
        assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in public.get("forms", {}))
        rest = json.dumps({k: v for k, v in public.items() if k not in hashed})
        if e["type"] in ("short", "cloze"):
            for a in e["correct"]["accepted"]:
                assert a not in rest and " ".join(words(a)) not in rest, (e["id"], a)
        if e["type"] == "numeric":
            assert not re.search(rf"\b{e['correct']['value']:g}\b", rest), rest
        if e["type"] in ("mcq", "tf", "multi", "ordering", "matching"):
            assert json.dumps(e["correct"]) not in rest


def test_plain_value_refuses_values_that_pretend():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class Sly(str):
        def casefold(self):
            return "whatever"

    for fake in (AlwaysEqual(), Sly("B"), [AlwaysEqual()], {"1": Sly("A")}):
        with pytest.raises(ValueError):
            plain_value(fake)
    assert plain_value({"1": ["A", ("B",)], 2: {3.5, True}}) == {"1": ["A", ("B",)], 2: {3.5, True}}


def test_prepare_refuses_an_unknown_type():
    with pytest.raises(ValueError):
        prepare({"qid": "x", "type": "essay", "correct": ""})
