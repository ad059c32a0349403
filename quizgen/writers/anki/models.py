"""Anki note types: the v2 types decks are built from, the v1 types kept for withdrawn notes, and their style."""
from __future__ import annotations

import functools
import hashlib
import json

import genanki

# Model ids are identities in every student's collection: never change one. A change of fields or
# templates gets a new model (new id, name with the next version); see README "Note types".
BASIC_V1_ID = 1733050001
MCQ_V1_ID = 1733050002
CLOZE_V1_ID = 1733050003
TWO_WAY_V1_ID = 1733050004
RECALL_ID = 1733050011
CHOICE_ID = 1733050012
CLOZE_ID = 1733050013
PRESET_ID = 1733050100          # the deck options preset ("bury siblings") offered with every deck

RECALL_SLOTS = 4                # question -> answer cards one record's note can hold

# Colours, light and night: every pair of text and background has a contrast of at least 4.5:1
# (tests/test_anki.py computes it from the CSS below).
LIGHT = {"bg": "#fdfdfd", "text": "#1d1d1f", "muted": "#595959", "answer": "#0b6b2f", "cloze": "#1b4f9c",
         "quote": "#3b3b3b", "rule": "#c9c9c9", "withdrawn_bg": "#fbe3e3", "withdrawn": "#7d1717"}
NIGHT = {"bg": "#1f1f1f", "text": "#e8e8e8", "muted": "#b3b3b3", "answer": "#6fdc93", "cloze": "#9cc0ff",
         "quote": "#d2d2d2", "rule": "#5a5a5a", "withdrawn_bg": "#4a1d1d", "withdrawn": "#ffd8d8"}

# Anki desktop and AnkiMobile put .nightMode on the card's body, AnkiDroid .night_mode; .card is on the body too.
_NIGHT_CARD = ".nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card"


def _night(selector: str) -> str:
    return ", ".join(f"{mode} {selector}" for mode in (".nightMode", ".night_mode"))


CSS = f"""
.card {{ font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 20px;
        line-height: 1.45; text-align: left; color: {LIGHT['text']}; background: {LIGHT['bg']}; max-width: 36em;
        margin: 0 auto; padding: 0.4em 0.8em; }}
.qg-q {{ font-weight: 600; }}
.qg-a {{ font-weight: 700; color: {LIGHT['answer']}; }}
.qg-more {{ margin-top: 0.6em; }}
.qg-quote {{ margin: 0.7em 0; padding: 0.1em 0.8em; border-left: 4px solid {LIGHT['rule']}; color: {LIGHT['quote']}; font-style: italic; }}
.qg-source {{ font-size: 0.75em; color: {LIGHT['muted']}; margin-top: 0.8em; }}
.qg-hint {{ font-size: 0.75em; color: {LIGHT['muted']}; margin: 0.3em 0; }}
.qg-options {{ padding-left: 1.4em; margin: 0.4em 0; }}
.qg-options li {{ margin: 0.2em 0; }}
.qg-options li.qg-correct {{ font-weight: 700; color: {LIGHT['answer']}; }}
.qg-options li.qg-correct::after {{ content: "  \\2714"; }}
.qg-options li.qg-other {{ color: {LIGHT['muted']}; }}
.qg-js .qg-key {{ display: none; }}
.qg-withdrawn {{ background: {LIGHT['withdrawn_bg']}; color: {LIGHT['withdrawn']}; padding: 0.3em 0.6em; border-radius: 4px;
                font-size: 0.85em; margin-bottom: 0.6em; }}
.cloze {{ font-weight: 700; color: {LIGHT['cloze']}; }}
.qg-kind {{ font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: {LIGHT['muted']}; margin-bottom: 0.5em; }}
.qg-correct {{ font-weight: 700; color: {LIGHT['answer']}; }}
.qg-details blockquote {{ margin: 0.8em 0; padding: 0.3em 0.8em; border-left: 4px solid {LIGHT['rule']}; color: {LIGHT['quote']}; font-style: italic; }}
{_NIGHT_CARD} {{ color: {NIGHT['text']}; background: {NIGHT['bg']}; }}
{_night('.qg-a')}, {_night('.qg-correct')}, {_night('.qg-options li.qg-correct')} {{ color: {NIGHT['answer']}; }}
{_night('.qg-quote')}, {_night('.qg-details blockquote')} {{ color: {NIGHT['quote']}; border-left-color: {NIGHT['rule']}; }}
{_night('.qg-source')}, {_night('.qg-hint')}, {_night('.qg-kind')}, {_night('.qg-options li.qg-other')} {{ color: {NIGHT['muted']}; }}
{_night('.qg-withdrawn')} {{ background: {NIGHT['withdrawn_bg']}; color: {NIGHT['withdrawn']}; }}
{_night('.cloze')} {{ color: {NIGHT['cloze']}; }}
@media (max-width: 480px) {{ .card {{ font-size: 18px; padding: 0.2em 0.5em; }} }}
"""

# Multiple choice in a flashcard: the options are shuffled at every review, in the card itself. The front
# draws an order; the back shows the same order (kept in the page on desktop and iOS, in session storage on
# AnkiDroid, which loads the back as a new page) and marks the right options from the Answer field.
# No "{{" or "}}" may appear here: Anki would read them as field references.
SHUFFLE_JS = """
(function () {
  var boxes = document.querySelectorAll(".qg-choice");
  var box = boxes[boxes.length - 1];
  var list = box ? box.querySelector("ul") : null;
  if (!list) { return; }
  var items = Array.prototype.slice.call(list.children);
  var id = "qg-order:" + items.map(function (li) { return li.textContent; }).join("|");
  var back = box.getAttribute("data-side") === "back";
  var order = null;
  if (back) {
    if (window.qgOrder && window.qgOrder.id === id) { order = window.qgOrder.order; }
    if (!order) { try { order = JSON.parse(window.sessionStorage.getItem(id)); } catch (e) { order = null; } }
  }
  if (!order || order.length !== items.length) {
    order = items.map(function (li, i) { return i; });
    for (var i = order.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = order[i]; order[i] = order[j]; order[j] = t;
    }
  }
  window.qgOrder = { id: id, order: order };
  try { window.sessionStorage.setItem(id, JSON.stringify(order)); } catch (e) { }
  order.forEach(function (i) { list.appendChild(items[i]); });
  if (back) {
    var key = {};
    var keyBox = box.parentNode.querySelector(".qg-key");
    if (keyBox) { Array.prototype.forEach.call(keyBox.querySelectorAll("li"), function (li) { key[li.textContent] = true; }); }
    items.forEach(function (li) { li.className = key[li.textContent] ? "qg-correct" : "qg-other"; });
    box.parentNode.className += " qg-js";
  }
})();
"""

_WITHDRAWN = '{{#Withdrawn}}<div class="qg-withdrawn">{{Withdrawn}}</div>{{/Withdrawn}}'
_BACK_EXTRAS = ('{{#Explanation}}<div class="qg-more">{{Explanation}}</div>{{/Explanation}}'
                '{{#Quote}}<blockquote class="qg-quote">{{Quote}}</blockquote>{{/Quote}}'
                '<div class="qg-source">{{Source}}</div>')


def recall_fields(slot: int) -> tuple[str, str]:
    """The question and answer field names of a recall slot (1-based)."""
    return ("Question", "Answer") if slot == 1 else (f"Question {slot}", f"Answer {slot}")


def _recall_template(slot: int) -> dict:
    q, a = recall_fields(slot)
    # the whole front sits inside {{#Question N}}: a slot with no question makes no card, even when withdrawn
    return {"name": "Recall" if slot == 1 else f"Recall {slot}",
            "qfmt": f'{{{{#{q}}}}}{_WITHDRAWN}<div class="qg-q">{{{{{q}}}}}</div>{{{{/{q}}}}}',
            "afmt": f'{{{{FrontSide}}}}<hr id="answer"><div class="qg-a">{{{{{a}}}}}</div>{_BACK_EXTRAS}'}


RECALL_FIELDS = (*[name for slot in range(1, RECALL_SLOTS + 1) for name in recall_fields(slot)],
                 "Explanation", "Quote", "Source", "Withdrawn", "Id")
CHOICE_FIELDS = ("Question", "Options", "Answer", "Instruction", "Explanation", "Quote", "Source", "Withdrawn", "Id")
CLOZE_FIELDS = ("Text", "Quote", "Source", "Withdrawn", "Id")

RECALL_MODEL = genanki.Model(
    RECALL_ID, "quizgen Recall v2", fields=[{"name": n} for n in RECALL_FIELDS],
    templates=[_recall_template(slot) for slot in range(1, RECALL_SLOTS + 1)], css=CSS, sort_field_index=0)

_CHOICE_BODY = ('<div class="qg-q">{{Question}}</div>{{#Instruction}}<div class="qg-hint">{{Instruction}}</div>{{/Instruction}}'
                '<div class="qg-choice" data-side="%s">{{Options}}</div>')
CHOICE_MODEL = genanki.Model(
    CHOICE_ID, "quizgen Choice v2", fields=[{"name": n} for n in CHOICE_FIELDS],
    templates=[{"name": "Choice",
                # no {{FrontSide}} on the back: the front's script would run again and draw a new order
                "qfmt": f'{_WITHDRAWN}<div class="qg-card">{_CHOICE_BODY % "front"}</div><script>{SHUFFLE_JS}</script>',
                "afmt": f'{_WITHDRAWN}<div class="qg-card">{_CHOICE_BODY % "back"}<hr id="answer">'
                        f'<div class="qg-key qg-a">{{{{Answer}}}}</div>{_BACK_EXTRAS}</div><script>{SHUFFLE_JS}</script>'}],
    css=CSS, sort_field_index=0)

CLOZE_MODEL = genanki.Model(
    CLOZE_ID, "quizgen Cloze v2", fields=[{"name": n} for n in CLOZE_FIELDS],
    templates=[{"name": "Cloze",
                "qfmt": f'{_WITHDRAWN}<div class="qg-cloze">{{{{cloze:Text}}}}</div>',
                "afmt": f'{_WITHDRAWN}<div class="qg-cloze">{{{{cloze:Text}}}}</div><hr id="answer">'
                        '{{#Quote}}<blockquote class="qg-quote">{{Quote}}</blockquote>{{/Quote}}'
                        '<div class="qg-source">{{Source}}</div>'}],
    css=CSS, model_type=genanki.Model.CLOZE, sort_field_index=0)

# --- v1: no longer used for new notes; kept so that v1 notes can be withdrawn in students' collections. Their
# fields and templates must never change; their style may (it is shared with v2).
_V1_SOURCE = '<div class="qg-source">{{Source}}</div>'
_V1_DETAILS = '{{#Details}}<div class="qg-details">{{Details}}</div>{{/Details}}'

BASIC_V1_MODEL = genanki.Model(
    BASIC_V1_ID, "quizgen Question v1",
    fields=[{"name": n} for n in ("QuestionId", "Kind", "Question", "Answer", "Details", "Source")],
    templates=[{"name": "Question",
                "qfmt": '<div class="qg-kind">{{Kind}}</div><div class="qg-q">{{Question}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Answer}}</div>' + _V1_DETAILS + _V1_SOURCE}],
    css=CSS, sort_field_index=2)

MCQ_V1_MODEL = genanki.Model(
    MCQ_V1_ID, "quizgen Multiple choice v1",
    fields=[{"name": n} for n in ("QuestionId", "Question", "Options", "Marked", "Answer", "Details", "Source")],
    templates=[{"name": "Multiple choice",
                "qfmt": '<div class="qg-kind">Multiple choice</div><div class="qg-q">{{Question}}</div>{{Options}}',
                "afmt": '<div class="qg-kind">Multiple choice</div><div class="qg-q">{{Question}}</div>{{Marked}}'
                        '<hr id="answer"><div class="qg-a">{{Answer}}</div>' + _V1_DETAILS + _V1_SOURCE}],
    css=CSS, sort_field_index=1)

CLOZE_V1_MODEL = genanki.Model(
    CLOZE_V1_ID, "quizgen Cloze v1",
    fields=[{"name": n} for n in ("Text", "Extra", "QuestionId", "Source")],
    templates=[{"name": "Cloze",
                "qfmt": '<div class="qg-kind">Fill in the blank</div>{{cloze:Text}}',
                "afmt": '<div class="qg-kind">Fill in the blank</div>{{cloze:Text}}<hr id="answer">'
                        '{{#Extra}}<div class="qg-details">{{Extra}}</div>{{/Extra}}' + _V1_SOURCE}],
    css=CSS, model_type=genanki.Model.CLOZE, sort_field_index=0)

TWO_WAY_V1_MODEL = genanki.Model(
    TWO_WAY_V1_ID, "quizgen Two-way v1",
    fields=[{"name": n} for n in ("QuestionId", "Front", "Back", "Details", "Source")],
    templates=[{"name": "Forward",
                "qfmt": '<div class="qg-kind">Short answer</div><div class="qg-q">{{Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Back}}</div>' + _V1_DETAILS + _V1_SOURCE},
               {"name": "Reverse",
                "qfmt": '<div class="qg-kind">Who is this, in the text?</div><div class="qg-q">{{Back}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Front}}</div>' + _V1_DETAILS + _V1_SOURCE}],
    css=CSS, sort_field_index=1)

MODELS: dict[int, genanki.Model] = {m.model_id: m for m in (
    RECALL_MODEL, CHOICE_MODEL, CLOZE_MODEL, BASIC_V1_MODEL, MCQ_V1_MODEL, CLOZE_V1_MODEL, TWO_WAY_V1_MODEL)}
V2_MODELS = (RECALL_ID, CHOICE_ID, CLOZE_ID)

# Where a withdrawn note shows its notice: v2 types have a Withdrawn field; v1 types get it at the top of the
# fields their card fronts show.
NOTICE_FIELDS: dict[int, tuple[str, ...]] = {
    RECALL_ID: ("Withdrawn",), CHOICE_ID: ("Withdrawn",), CLOZE_ID: ("Withdrawn",),
    BASIC_V1_ID: ("Question",), MCQ_V1_ID: ("Question",), CLOZE_V1_ID: ("Text",), TWO_WAY_V1_ID: ("Front", "Back"),
}


@functools.lru_cache(maxsize=None)
def field_names(model_id: int) -> tuple[str, ...]:
    return tuple(f["name"] for f in MODELS[model_id].fields)


def is_cloze(model_id: int) -> bool:
    return MODELS[model_id].model_type == genanki.Model.CLOZE


def model_signature(model: genanki.Model) -> dict:
    """What must never change under a model id: its name, field names and template names."""
    return {"name": model.name, "fields": [f["name"] for f in model.fields],
            "templates": [t["name"] for t in model.templates], "cloze": model.model_type == genanki.Model.CLOZE}


def model_hash(model: genanki.Model) -> str:
    """A hash of everything a student's copy of the note type shows: a change to it must reach them."""
    payload = {**model_signature(model), "css": model.css, "sort": model.sort_field_index,
               "templates": [[t["name"], t["qfmt"], t["afmt"]] for t in model.templates]}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
