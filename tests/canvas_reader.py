"""Read Canvas's converter output (QTI 2.1) the way Canvas's importer does, to check what a teacher would get.

The rules follow canvas-lms gems/plugins/qti_exporter/lib/qti/*.rb: the question type comes from the manifest's
instructureMetadata; the text from the item body's div; choices, accepted answers and matches from the
interactions and response conditions; the neutral comment from the modalFeedback named general_fb."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


@dataclass
class CanvasQuestion:
    ident: str
    question_type: str
    points: float
    text: str                                               # plain text of the question as Canvas shows it
    choices: list[str] = field(default_factory=list)        # choice questions: the options as listed
    correct: set[str] = field(default_factory=set)          # choice questions: the texts marked correct
    answers: list[str] = field(default_factory=list)        # short answer / fill in the blank: accepted texts
    blank_ids: set[str] = field(default_factory=set)
    exact: float | None = None                              # numerical
    margin: float = 0.0
    left: list[str] = field(default_factory=list)           # matching: premises
    right: list[str] = field(default_factory=list)          # matching: each premise's correct response
    matches: list[str] = field(default_factory=list)        # matching: every response offered
    neutral_comments: str = ""                              # plain text of the general feedback
    warnings: list[str] = field(default_factory=list)       # the converter's notes in the item's comment


def plain(html_text: str) -> str:
    """Visible text of an HTML fragment."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def _html_div(node) -> str:
    div = node.find(f"{QTI}div") if node is not None else None
    return "" if div is None else plain(div.text or "")


def read_converted(folder: Path) -> dict[str, CanvasQuestion]:
    """Every converted item under folder (the converter's --cpout), by its identifier."""
    manifest = etree.parse(str(folder / "imsmanifest.xml"))
    out = {}
    for res in manifest.iter(f"{CP}resource"):
        href = res.get("href")
        if not href or not href.startswith("assessmentItems/"):
            continue
        fields = {f.get("name"): f.get("value") for f in res.iter(f"{CP}instructureField", "instructureField")}
        out[res.get("identifier")] = _item(folder / href, fields)
    return out


def _item(path: Path, fields: dict[str, str]) -> CanvasQuestion:
    doc = etree.parse(str(path))
    root = doc.getroot()
    comment = next((c for c in doc.getroot().itersiblings(preceding=True) if isinstance(c, etree._Comment)), None)
    qtype = fields.get("question_type", "")
    body = root.find(f"{QTI}itemBody")
    q = CanvasQuestion(root.get("identifier"), qtype, float(fields.get("points_possible", 1)), _html_div(body))
    if comment is not None:
        q.warnings = [ln.strip() for ln in comment.text.strip().splitlines() if ln.strip()]
    conditions = root.findall(f".//{QTI}responseIf")
    interactions = body.findall(f"{QTI}choiceInteraction")
    if qtype in ("multiple_choice_question", "true_false_question", "multiple_answers_question"):
        choices = {c.get("identifier"): plain("".join(c.itertext())) for c in interactions[0].iter(f"{QTI}simpleChoice")}
        q.choices = list(choices.values())
        for cond in conditions:
            scores = cond.findall(f"{QTI}setOutcomeValue[@identifier='SCORE']/{QTI}baseValue")
            if not scores or float(scores[0].text) <= 0:
                continue
            q.correct |= {choices[m.find(f"{QTI}baseValue").text] for m in cond.iter(f"{QTI}match", f"{QTI}member")
                          if m.getparent().tag != f"{QTI}not"}
    elif qtype == "short_answer_question":
        q.answers = [b.text for m in root.iter(f"{QTI}stringMatch") for b in m.iter(f"{QTI}baseValue")]
    elif qtype == "fill_in_multiple_blanks_question":
        for ci in interactions:
            q.blank_ids.add(ci.get("responseIdentifier").removeprefix("response_"))
            q.answers += [plain("".join(c.itertext())) for c in ci.iter(f"{QTI}simpleChoice")]
    elif qtype == "numerical_question":
        either = root.find(f".//{QTI}responseIf/{QTI}or")
        q.exact = float(either.find(f"{QTI}stringMatch/{QTI}baseValue").text)
        upper = either.find(f"{QTI}and/{QTI}customOperator[@class='varlte']/{QTI}baseValue")
        if upper is not None:
            q.margin = float(upper.text) - q.exact
    elif qtype == "matching_question":
        offered = {c.get("identifier"): plain("".join(c.itertext())) for c in interactions[0].iter(f"{QTI}simpleChoice")}
        q.matches = list(offered.values())
        right = {}
        for cond in conditions:
            match = cond.find(f"{QTI}match")
            if match is not None and cond.find(f".//{QTI}sum") is not None:
                right[match.find(f"{QTI}variable").get("identifier")] = offered[match.find(f"{QTI}baseValue").text]
        for ci in interactions:
            q.left.append(plain("".join(ci.find(f"{QTI}prompt").itertext())))
            q.right.append(right.get(ci.get("responseIdentifier"), ""))
    feedback = root.find(f"{QTI}modalFeedback[@identifier='general_fb']")
    q.neutral_comments = _html_div(feedback)
    return q
