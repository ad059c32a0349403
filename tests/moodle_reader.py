"""Read a Moodle XML file back the way Moodle's importer does, and check it against Moodle's rules.

Moodle has no schema and its importer says little, so the rules are taken from its code: question/format/xml/
format.php (what each element means), question/format.php (grades must be one of question_bank's fraction
options), the question types' save/validate code (multichoice sums, matching and ordering minimums) and
question/type/multianswer/questiontype.php (the cloze syntax, translated below regex for regex)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

# question_bank::fraction_options(): the grades Moodle accepts, and their negatives (fraction_options_full)
_GRADES = [1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
           0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0]
FRACTIONS = sorted({g for g in _GRADES} | {-g for g in _GRADES})

# multianswer's regular expressions (PHP, with its \\\\ meaning one backslash)
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"   # PHP's (?<!\\\\|&|&amp;), split: Python wants fixed widths
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = (r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|(SHORTANSWER|SA|MW)|"
          r"(SHORTANSWER_C|SAC|MWC)|(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
          r"(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)")
CLOZE = re.compile(r"\{([0-9]*):(" + _TYPES + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + ")*)\\}", re.S)
_ALT = re.compile("~?" + _ALTERNATIVE, re.S)


@dataclass
class MoodleAnswer:
    text: str
    fraction: float
    tolerance: float | None = None


@dataclass
class MoodleQuestion:
    qtype: str
    category: str
    name: str
    text: str                      # plain text of the question (cloze: with each blank as {#n})
    general_feedback: str
    idnumber: str
    grade: float
    tags: list[str]
    answers: list[MoodleAnswer] = field(default_factory=list)
    single: bool = True
    shuffle: bool = False
    subquestions: list[tuple[str, str]] = field(default_factory=list)   # matching: (premise text, response)
    units: list[str] = field(default_factory=list)
    blanks: list[tuple[str, float, list[MoodleAnswer]]] = field(default_factory=list)  # cloze: (type, weight, answers)


def plain(html_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def _get(node, path: str, default: str = "") -> str:
    found = node.find(path)
    return default if found is None or found.text is None else found.text.strip()


def shortanswer_text(stored: str) -> str:
    """What a short answer matches literally: \\* is a literal star (qtype_shortanswer::compare_string_with_wildcard)."""
    return stored.replace("\\*", "*")


def read_moodle(data: bytes) -> list[MoodleQuestion]:
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    category, out = "", []
    for node in root.findall("question"):
        qtype = node.get("type")
        if qtype == "category":
            category = _get(node, "category/text")
            continue
        q = MoodleQuestion(qtype, category, _get(node, "name/text"), "", plain(_get(node, "generalfeedback/text")),
                           _get(node, "idnumber"), float(_get(node, "defaultgrade", "1")),
                           [t.text for t in node.findall("tags/tag/text")])
        questiontext = _get(node, "questiontext/text")
        if qtype == "cloze":
            q.text, q.blanks = _cloze(questiontext)
            q.grade = sum(w for _, w, _ in q.blanks)
        else:
            q.text = plain(questiontext)
        for a in node.findall("answer"):
            text = a.findtext("text") or ""
            text = plain(text) if a.get("format") == "html" else text.strip()
            tol = a.findtext("tolerance")
            q.answers.append(MoodleAnswer(text, float(a.get("fraction", "0")) / 100, float(tol) if tol is not None else None))
        q.single = _get(node, "single", "true") not in ("false", "0", "")
        q.shuffle = _get(node, "shuffleanswers", "0") in ("true", "1")
        q.subquestions = [(plain(s.findtext("text") or ""), (s.findtext("answer/text") or "").strip())
                          for s in node.findall("subquestion")]
        q.units = [u.findtext("unit_name") for u in node.findall("units/unit")]
        out.append(q)
    return out


def _cloze(text: str) -> tuple[str, list[tuple[str, float, list[MoodleAnswer]]]]:
    """qtype_multianswer_extract_question: each {n:TYPE:...} becomes a subquestion and {#k} in the text."""
    blanks, k = [], 1
    while (m := CLOZE.search(text)):
        kind = m.group(2)
        whole = m.group(0)
        answers, rest = [], whole[whole.index(":", whole.index(":") + 1) + 1:-1]  # what follows {n:TYPE:
        while rest and (a := _ALT.match(rest)):
            fraction = 1.0 if a.group(1) == "=" else (float(a.group(2).replace(",", ".")) / 100 if a.group(2) else 0.0)
            answer = html.unescape(a.group(3)).replace("\\}", "}").replace("\\#", "#")
            answers.append(MoodleAnswer(answer, fraction))
            rest = rest[len(a.group(0)):]
        blanks.append((kind, float(m.group(1) or 1), answers))
        text = text[: m.start()] + f"{{#{k}}}" + text[m.end():]
        k += 1
    return plain(text), blanks


def rule_problems(data: bytes) -> list[str]:
    """Every way the file breaks a rule Moodle's importer or question types apply (empty when it imports)."""
    problems = []
    raw = data.decode("utf-8")
    if not raw.startswith('<?xml version=\'1.0\' encoding=\'UTF-8\'?>') and not raw.startswith('<?xml version="1.0" encoding="UTF-8"?>'):
        problems.append("no UTF-8 XML declaration")
    # HTML fields are CDATA (Moodle writes them so; HTML in plain XML text would be read as elements)
    for tag in ("questiontext", "generalfeedback"):
        n_fields = len(re.findall(rf"<{tag} format=\"html\">", raw))
        n_cdata = len(re.findall(rf"<{tag} format=\"html\">\s*<text><!\[CDATA\[", raw))
        if n_fields != n_cdata:
            problems.append(f"{n_fields - n_cdata} {tag} field(s) not in CDATA")
    for q in read_moodle(data):
        where = f"{q.qtype} '{q.name}'"
        if not q.name or not q.category:
            problems.append(f"{where}: no name or no category")
        if q.qtype != "ordering":
            for a in q.answers:
                if not any(abs(a.fraction - g) < 0.00001 for g in FRACTIONS):
                    problems.append(f"{where}: grade {a.fraction * 100:g}% is not one of Moodle's grade options")
        if q.qtype == "multichoice":
            if len(q.answers) < 2:
                problems.append(f"{where}: fewer than 2 answers")
            if q.single and max(a.fraction for a in q.answers) != 1:
                problems.append(f"{where}: no answer at 100% (fractionsnomax)")
            if not q.single and round(sum(a.fraction for a in q.answers if a.fraction > 0), 2) != 1:
                problems.append(f"{where}: the positive grades do not add up to 100% (fractionsaddwrong)")
        elif q.qtype == "truefalse":
            if sorted(a.text for a in q.answers) != ["false", "true"] or sorted(a.fraction for a in q.answers) != [0, 1]:
                problems.append(f"{where}: expected answers true and false, one at 100%")
        elif q.qtype in ("shortanswer", "numerical"):
            if not any(a.fraction == 1 for a in q.answers):
                problems.append(f"{where}: no answer at 100%")
            if q.qtype == "numerical" and not all(_number(a.text) for a in q.answers):
                problems.append(f"{where}: an answer is not a number")
        elif q.qtype == "matching":
            with_text = [(s, a) for s, a in q.subquestions if s]
            if len(with_text) < 2:
                problems.append(f"{where}: fewer than 2 subquestions with text")
            if any(not a for _, a in q.subquestions):
                problems.append(f"{where}: a subquestion without its answer (nomatchinganswerforq)")
        elif q.qtype == "ordering":
            if len(q.answers) < 2:
                problems.append(f"{where}: fewer than 2 items")
        elif q.qtype == "cloze":
            if not q.blanks:
                problems.append(f"{where}: no {{n:TYPE:...}} found (questionsmissing)")
            for kind, _, answers in q.blanks:
                if not answers or not any(a.fraction == 1 for a in answers):
                    problems.append(f"{where}: a blank with no answer at 100%")
        else:
            problems.append(f"{where}: unexpected question type")
    return problems


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
