"""Moodle XML question files: every quizgen type, a category per source, tags, and the quote as feedback."""
from __future__ import annotations

import re

from lxml import etree

from ..answers import is_number
from ..bank import BLANK, Bank, Question, opaque_id
from . import ExportResult
from .lms_common import by_source, common_problem, escape, feedback_html, numeric_words_dropped, paragraphs, question_title

CATEGORY = "$course$/quizgen/{source}"
# Moodle accepts only these grades (question_bank::fraction_options_full), as percentages; 100/k is one for k <= 10
MAX_SHARES = 10
PENALTY = "0.3333333"
# characters that end a cloze answer or start one ({1:SHORTANSWER:=a~=b}), written as character references,
# which Moodle's cloze parser skips over and then decodes (question/type/multianswer/questiontype.php)
_CLOZE_ANSWER_REFS = {"}": "&#125;", "{": "&#123;", "#": "&#35;", "~": "&#126;", "\\": "&#92;", "%": "&#37;",
                      "=": "&#61;"}
_CLOZE_TEXT_REFS = {"{": "&#123;", "}": "&#125;"}


def render(bank: Bank) -> ExportResult:
    """A Moodle XML file (bytes): a category per source, then its questions in the order of the text."""
    result = ExportResult(b"")
    root = etree.Element("quiz")
    for source, questions in by_source(bank).items():
        category = etree.SubElement(root, "question", type="category")
        _text(etree.SubElement(category, "category"), CATEGORY.format(source=source))
        for q in questions:
            problem = _cannot_carry(q)
            if problem:
                result.dropped.append((q.id, problem))
                continue
            root.append(question(q, bank.seed))
            result.carried.append(q.id)
            result.changed.extend((q.id, why) for why in _changes(q))
    result.data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _cannot_carry(q: Question) -> str:
    if q.type in ("mcq", "multi") and len(q.options) < 2:
        return f"a choice question needs 2 or more options (has {len(q.options)})"
    if q.type == "mcq" and q.answer not in q.options:
        return "the correct option is not among the options"
    if q.type == "multi":
        wrong = len(q.options) - len(set(q.answers))
        if not q.answers:
            return "no option is marked correct"
        if len(set(q.answers)) > MAX_SHARES or wrong > MAX_SHARES:
            return (f"Moodle grades are steps of 1/k for k up to {MAX_SHARES}: "
                    f"{len(set(q.answers))} right and {wrong} wrong options cannot share 100%")
    if common_problem(q):
        return common_problem(q)
    if q.type == "matching":
        if len(q.options) < 2:
            return f"Moodle matching needs 2 or more premises (has {len(q.options)})"
        if len(q.matches) != len(q.options) or any(m not in q.responses for m in q.matches):
            return "every premise needs its response among the responses"
    if q.type == "ordering" and len(q.options) < 2:
        return f"Moodle ordering needs 2 or more items (has {len(q.options)})"
    return ""


def _changes(q: Question) -> list[str]:
    return numeric_words_dropped(q, "Moodle")


# ---- questions ---------------------------------------------------------------------------------

MOODLE_TYPE = {"mcq": "multichoice", "multi": "multichoice", "tf": "truefalse", "short": "shortanswer",
               "cloze": "cloze", "numeric": "numerical", "matching": "matching", "ordering": "ordering"}


def question(q: Question, seed: str) -> etree._Element:
    """One <question>: named by the start of its stem, numbered by its opaque id (never the bank id)."""
    node = etree.Element("question", type=MOODLE_TYPE[q.type])
    _text(etree.SubElement(node, "name"), question_title(q))
    text = etree.SubElement(node, "questiontext", format="html")
    _html(text, _cloze_html(q) if q.type == "cloze" else paragraphs(_stem(q)))
    _html(etree.SubElement(node, "generalfeedback", format="html"), feedback_html(q))
    if q.type != "cloze":  # a cloze question's grade is the sum of its blanks' weights
        etree.SubElement(node, "defaultgrade").text = str(q.points)
    etree.SubElement(node, "penalty").text = "1" if q.type == "tf" else PENALTY
    etree.SubElement(node, "hidden").text = "0"
    etree.SubElement(node, "idnumber").text = opaque_id(seed, q.source, q.id)
    BUILDERS[q.type](q, node)
    if q.tags:
        tags = etree.SubElement(node, "tags")
        for tag in q.tags:
            _text(etree.SubElement(tags, "tag"), tag)
    return node


def _stem(q: Question) -> str:
    return q.prompt + (f" (in {q.unit})" if q.type == "numeric" and q.unit else "")


def _multichoice(q: Question, node) -> None:
    single = q.type == "mcq"
    etree.SubElement(node, "single").text = "true" if single else "false"
    # the options keep quizgen's order: the key's position is balanced across a quiz by the course secret
    etree.SubElement(node, "shuffleanswers").text = "false"
    etree.SubElement(node, "answernumbering").text = "ABCD"
    etree.SubElement(node, "showstandardinstruction").text = "1"
    _combined_feedback(node)
    right = set(q.answers) if q.type == "multi" else {q.answer}
    wrong = len(q.options) - len(right)
    for option in q.options:
        if option in right:
            fraction = "100" if single else _percent(100 / len(right))
        else:
            # selecting every option earns nothing: the wrong ones take back what the right ones give
            fraction = "0" if single else _percent(-100 / wrong)
        _answer(node, option, fraction, html=True)


def _truefalse(q: Question, node) -> None:
    _answer(node, "true", "100" if q.answer == "TRUE" else "0", html=False)
    _answer(node, "false", "0" if q.answer == "TRUE" else "100", html=False)


def _shortanswer(q: Question, node) -> None:
    etree.SubElement(node, "usecase").text = "0"
    for text in _accepted(q):
        # * is Moodle's wildcard in short answers; a literal one is written \*
        _answer(node, text.replace("*", "\\*"), "100", html=False)


def _numerical(q: Question, node) -> None:
    answer = _answer(node, _number(float(q.answer)), "100", html=False)
    etree.SubElement(answer, "tolerance").text = _number(q.tolerance)
    for alt in q.alternates:
        if is_number(alt) and float(alt) != float(q.answer):
            etree.SubElement(_answer(node, _number(float(alt)), "100", html=False), "tolerance").text = _number(q.tolerance)
    if q.unit:
        units = etree.SubElement(node, "units")
        unit = etree.SubElement(units, "unit")
        etree.SubElement(unit, "multiplier").text = "1"
        etree.SubElement(unit, "unit_name").text = q.unit
    # units optional: "6" and "6 nations" both earn full marks
    for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "0" if q.unit else "3"),
                       ("unitsleft", "0")):
        etree.SubElement(node, tag).text = value


def _matching(q: Question, node) -> None:
    etree.SubElement(node, "shuffleanswers").text = "true"
    _combined_feedback(node)
    for premise, response in zip(q.options, q.matches):
        sub = etree.SubElement(node, "subquestion", format="html")
        _html(sub, paragraphs(premise))
        _text(etree.SubElement(sub, "answer"), response)
    # responses no premise takes are offered too: Moodle's way is a subquestion with empty text
    for extra in [r for r in q.responses if r not in q.matches]:
        sub = etree.SubElement(node, "subquestion", format="html")
        _text(sub, "")
        _text(etree.SubElement(sub, "answer"), extra)


def _ordering(q: Question, node) -> None:
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", str(len(q.options))),
                       ("gradingtype", "ABSOLUTE_POSITION"), ("showgrading", "SHOW"), ("numberingstyle", "none")):
        etree.SubElement(node, tag).text = value
    _combined_feedback(node)
    # items in the correct order; Moodle shows them shuffled
    for k, item in enumerate(q.options, 1):
        _answer(node, item, f"{k}", html=True)


def _cloze(q: Question, node) -> None:
    """Everything is in the question text ({1:SHORTANSWER:=...}); nothing else to add."""


BUILDERS = {"mcq": _multichoice, "multi": _multichoice, "tf": _truefalse, "short": _shortanswer, "cloze": _cloze,
            "numeric": _numerical, "matching": _matching, "ordering": _ordering}


def _cloze_html(q: Question) -> str:
    before, after = q.prompt.split(BLANK)
    alternatives = "~".join("=" + _cloze_answer(a) for a in _accepted(q))
    blank = f"{{{q.points}:SHORTANSWER:{alternatives}}}"
    return f"<p>{_cloze_text(before)}{blank}{_cloze_text(after)}</p>"


def _cloze_text(text: str) -> str:
    return re.sub(r"[{}]", lambda m: _CLOZE_TEXT_REFS[m.group()], escape(text))


def _cloze_answer(text: str) -> str:
    # after decoding, Moodle turns \} into } and \# into #: a backslash written before one of them is doubled
    text = re.sub(r"\\(?=[}#])", r"\\\\", text)
    escaped = re.sub(r"[{}#~\\%=]", lambda m: _CLOZE_ANSWER_REFS[m.group()], escape(text))
    # * is the short-answer wildcard; Moodle passes \* through to the short answer, which reads it as a literal *
    return escaped.replace("*", "\\*")


# ---- small XML pieces --------------------------------------------------------------------------

def _text(parent, value: str) -> None:
    etree.SubElement(parent, "text").text = value


def _html(parent, html: str) -> None:
    """HTML in CDATA, as Moodle writes it (escaped text never holds ']]>', since '>' is '&gt;')."""
    etree.SubElement(parent, "text").text = etree.CDATA(html)


def _answer(node, text: str, fraction: str, html: bool) -> etree._Element:
    answer = etree.SubElement(node, "answer", fraction=fraction, format="html" if html else "moodle_auto_format")
    if html:
        _html(answer, escape(text))
    else:
        _text(answer, text)
    fb = etree.SubElement(answer, "feedback", format="html")
    _text(fb, "")
    return answer


def _combined_feedback(node) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(etree.SubElement(node, tag, format="html"), "")
    etree.SubElement(node, "shownumcorrect")


def _accepted(q: Question) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def _percent(x: float) -> str:
    """A percentage as Moodle writes its grade options: 33.33333, 25, -50."""
    text = f"{x:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 10))
