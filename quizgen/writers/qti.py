"""QTI 1.2 packages for Canvas Classic Quizzes (also Sakai, PrairieLearn): a zip with one assessment per source."""
from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from ..bank import BLANK, Bank, Question, opaque_id
from . import ExportResult
from .lms_common import by_source, common_problem, escape, feedback_html, numeric_words_dropped, question_title, source_title, zip_bytes

# Canvas's question_type for each quizgen type; ordering travels as a matching question (Classic Quizzes has no
# ordering type), see docs/formats.md
CANVAS_TYPE = {
    "mcq": "multiple_choice_question", "multi": "multiple_answers_question", "tf": "true_false_question",
    "short": "short_answer_question", "cloze": "fill_in_multiple_blanks_question", "numeric": "numerical_question",
    "matching": "matching_question", "ordering": "matching_question",
}
ORDERING_CHANGE = ("ordering carried as a Canvas matching question: each position (1 = first) is matched with its item; "
                   "Classic Quizzes has no ordering type, and gives credit per position")
MANIFEST_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"


def render(bank: Bank) -> ExportResult:
    """A QTI 1.2 package (zip bytes): imsmanifest.xml and one assessment per source, in the order of the text."""
    result = ExportResult(b"")
    files: list[tuple[str, bytes]] = []
    for source, questions in by_source(bank).items():
        ident = "a" + opaque_id(bank.seed, source, "assessment")
        xml = assessment_xml(ident, source_title(questions), questions, bank.seed, result)
        files.append((f"{ident}/{ident}.xml", xml))
    manifest = manifest_xml("m" + opaque_id(bank.seed, "", "manifest:" + ",".join(bank.sources)), [f for f, _ in files])
    result.data = zip_bytes([("imsmanifest.xml", manifest), *files])
    return result


def manifest_xml(ident: str, assessment_files: list[str]) -> bytes:
    E = ElementMaker(namespace=MANIFEST_NS, nsmap={None: MANIFEST_NS})
    resources = [E.resource(E.file(href=path), identifier=path.split("/")[0], type="imsqti_xmlv1p2")
                 for path in assessment_files]
    root = E.manifest(E.metadata(E.schema("IMS Content"), E.schemaversion("1.1.3")), E.organizations(),
                      E.resources(*resources), identifier=ident)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def assessment_xml(ident: str, title: str, questions: list[Question], seed: str, result: ExportResult) -> bytes:
    root = etree.Element("questestinterop")
    assessment = etree.SubElement(root, "assessment", ident=ident, title=title)
    _metadata(assessment, {"cc_maxattempts": "1"})
    section = etree.SubElement(assessment, "section", ident="root_section")
    for q in questions:
        problem = _cannot_carry(q)
        if problem:
            result.dropped.append((q.id, problem))
            continue
        section.append(item(q, seed))
        result.carried.append(q.id)
        result.changed.extend((q.id, why) for why in _changes(q))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cannot_carry(q: Question) -> str:
    if q.type in ("mcq", "multi") and len(q.options) < 2:
        return f"a choice question needs 2 or more options (has {len(q.options)})"
    if q.type == "mcq" and q.answer not in q.options:
        return "the correct option is not among the options"
    if q.type == "multi" and not q.answers:
        return "no option is marked correct"
    if common_problem(q):
        return common_problem(q)
    if q.type == "matching" and (not q.options or len(q.matches) != len(q.options)
                                 or any(m not in q.responses for m in q.matches)):
        return "every premise needs its response among the responses"
    if q.type == "ordering" and sorted(q.display) != list(range(len(q.options))):
        return "the shown order is not a permutation of the items"
    return ""


def _changes(q: Question) -> list[str]:
    if q.type == "ordering":
        return [ORDERING_CHANGE]
    return numeric_words_dropped(q, "Canvas")


# ---- items -------------------------------------------------------------------------------------

def item(q: Question, seed: str) -> etree._Element:
    """One <item> in Canvas's own layout (lib/cc/qti/qti_items.rb), identified by the opaque id only."""
    node = etree.Element("item", ident="i" + opaque_id(seed, q.source, q.id), title=question_title(q))
    meta = etree.SubElement(node, "itemmetadata")
    _metadata(meta, {"question_type": CANVAS_TYPE[q.type], "points_possible": str(q.points)})
    presentation = etree.SubElement(node, "presentation")
    processing = etree.Element("resprocessing")
    outcomes = etree.SubElement(processing, "outcomes")
    etree.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    # the feedback with the quote is shown whatever the answer ("general_fb" is Canvas's neutral comment)
    _respcondition(processing, "Yes", etree.Element("other"), feedback="general_fb")
    BUILDERS[q.type](q, presentation, processing)
    node.append(processing)
    fb = etree.SubElement(node, "itemfeedback", ident="general_fb")
    _material(etree.SubElement(fb, "flow_mat"), feedback_html(q), html=True)
    return node


def _choices(q: Question, presentation, processing) -> None:
    cardinality = "Multiple" if q.type == "multi" else "Single"
    _material(presentation, _stem_html(q.prompt), html=True)
    options = ["True", "False"] if q.type == "tf" else list(q.options)
    correct = {"True" if q.answer == "TRUE" else "False"} if q.type == "tf" else (
        set(q.answers) if q.type == "multi" else {q.answer})
    lid = etree.SubElement(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render = etree.SubElement(lid, "render_choice")
    idents = [f"c{k}" for k in range(1, len(options) + 1)]
    for ident, text in zip(idents, options):
        _material(etree.SubElement(render, "response_label", ident=ident), text)
    if q.type == "multi":
        both = etree.Element("and")
        for ident, text in zip(idents, options):
            cond = _varequal("response1", ident)
            if text not in correct:
                cond = _wrap("not", cond)
            both.append(cond)
        _respcondition(processing, "No", both, score="100")
    else:
        right = next(i for i, t in zip(idents, options) if t in correct)
        _respcondition(processing, "No", _varequal("response1", right), score="100")


def _short(q: Question, presentation, processing) -> None:
    _material(presentation, _stem_html(q.prompt), html=True)
    fib = etree.SubElement(etree.SubElement(presentation, "response_str", ident="response1", rcardinality="Single"),
                           "render_fib")
    etree.SubElement(fib, "response_label", ident="answer1", rshuffle="No")
    # any accepted answer: <or> (conditions side by side in a conditionvar would all have to hold)
    either = etree.Element("or")
    for text in _accepted(q):
        either.append(_varequal("response1", text, identifier=False))
    _respcondition(processing, "No", either, score="100")


def _cloze(q: Question, presentation, processing) -> None:
    blank = "blank"
    while f"[{blank}]" in q.prompt:
        blank += "_"
    before, after = q.prompt.split(BLANK)
    _material(presentation, f"<p>{escape(before)}[{blank}]{escape(after)}</p>", html=True)
    lid = etree.SubElement(presentation, "response_lid", ident=f"response_{blank}")
    _material(lid, blank)
    render = etree.SubElement(lid, "render_choice")
    # Canvas reads every choice of a fill-in-the-blank as an accepted answer for its blank
    for k, text in enumerate(_accepted(q), 1):
        _material(etree.SubElement(render, "response_label", ident=f"a{k}"), text)
    _respcondition(processing, "Yes", _varequal(f"response_{blank}", "a1"), score="100", action="Add")


def _numeric(q: Question, presentation, processing) -> None:
    unit = f" (in {q.unit})" if q.unit else ""
    _material(presentation, _stem_html(q.prompt + unit), html=True)
    fib = etree.SubElement(etree.SubElement(presentation, "response_str", ident="response1", rcardinality="Single"),
                           "render_fib", fibtype="Decimal")
    etree.SubElement(fib, "response_label", ident="answer1")
    value = float(q.answer)
    either = etree.Element("or")
    either.append(_varequal("response1", _number(value), identifier=False))
    if q.tolerance:
        both = etree.SubElement(either, "and")
        both.append(_compare("vargte", _number(value - q.tolerance)))
        both.append(_compare("varlte", _number(value + q.tolerance)))
    _respcondition(processing, "No", either, score="100")


def _matching(q: Question, presentation, processing) -> None:
    if q.type == "ordering":
        stem = q.prompt + " Match each position (1 = first) with its item."
        premises = [f"Position {k}" for k in range(1, len(q.options) + 1)]
        responses = [q.options[i] for i in q.display]
        matches = list(q.options)
    else:
        stem, premises, responses, matches = q.prompt, list(q.options), list(q.responses), list(q.matches)
    _material(presentation, _stem_html(stem), html=True)
    # Canvas takes a response's match id from the digits of its ident, so the idents are numbered
    response_ident = {text: f"m{k}" for k, text in enumerate(responses, 1)}
    share = f"{100 / len(premises):.2f}"
    for n, premise in enumerate(premises, 1):
        lid = etree.SubElement(presentation, "response_lid", ident=f"response_{n}")
        _material(lid, premise)
        render = etree.SubElement(lid, "render_choice")
        for text in responses:
            _material(etree.SubElement(render, "response_label", ident=response_ident[text]), text)
        _respcondition(processing, "Yes", _varequal(f"response_{n}", response_ident[matches[n - 1]]),
                       score=share, action="Add")


BUILDERS = {"mcq": _choices, "multi": _choices, "tf": _choices, "short": _short, "cloze": _cloze,
            "numeric": _numeric, "matching": _matching, "ordering": _matching}


# ---- small XML pieces --------------------------------------------------------------------------

def _metadata(parent, fields: dict[str, str]) -> None:
    meta = etree.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = etree.SubElement(meta, "qtimetadatafield")
        etree.SubElement(field, "fieldlabel").text = label
        etree.SubElement(field, "fieldentry").text = entry


def _material(parent, text: str, html: bool = False) -> None:
    mat = etree.SubElement(parent, "material")
    etree.SubElement(mat, "mattext", texttype="text/html" if html else "text/plain").text = text


def _stem_html(text: str) -> str:
    return "<div>" + "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip()) + "</div>"


def _varequal(respident: str, value: str, identifier: bool = True) -> etree._Element:
    """A comparison with a response: exact for a choice's ident, case-insensitive for typed text (QTI's default)."""
    node = etree.Element("varequal", respident=respident, **({"case": "Yes"} if identifier else {}))
    node.text = value
    return node


def _compare(tag: str, value: str) -> etree._Element:
    node = etree.Element(tag, respident="response1")
    node.text = value
    return node


def _wrap(tag: str, child) -> etree._Element:
    node = etree.Element(tag)
    node.append(child)
    return node


def _respcondition(processing, cont: str, condition, score: str | None = None, action: str = "Set",
                   feedback: str | None = None) -> None:
    rc = etree.SubElement(processing, "respcondition", {"continue": cont})
    etree.SubElement(rc, "conditionvar").append(condition)
    if score is not None:
        setvar = etree.SubElement(rc, "setvar", action=action, varname="SCORE")
        setvar.text = score
    if feedback:
        etree.SubElement(rc, "displayfeedback", feedbacktype="Response", linkrefid=feedback)


def _accepted(q: Question) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 10))
