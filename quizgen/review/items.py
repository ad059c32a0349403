"""One question as HTML, as a student sees it (stem, lettered options, premises and responses, items, the
blank), with its key, accepted answers, quote, flags and last statistics for the teacher."""
from __future__ import annotations

from html import escape

from ..bank import BLANK, LETTERS, TYPE_LABELS, Question
from ..selection import beyond_recall
from .flags import KINDS, Flag


def e(text: object) -> str:
    """Every text on the page goes through here: facts are teacher-written and may hold <, & or quotes."""
    return escape(str(text), quote=True)


def anchor(question_id: str) -> str:
    return f"q-{question_id}"


def render_question(q: Question, *, var: str = "", quiz_letter: str = "", flags: list[Flag] = (),
                    stats: dict | None = None, show_quote: bool = False, flag_text: dict | None = None) -> str:
    """The question's <article>: a heading with its id and type, then the student's view, then the teacher's."""
    badges = [f'<span class="badge">{e(TYPE_LABELS[q.type])}</span>']
    if q.form not in (q.type, "tf-false"):
        badges.append(f'<span class="badge">{e(q.form)}</span>')
    if beyond_recall(q):
        badges.append('<span class="badge">beyond recall</span>')
    if var:
        where = f"in the quiz as {var}" + (f", key {quiz_letter}" if quiz_letter and quiz_letter != q.correct_letter else "")
        badges.append(f'<span class="badge in-quiz">{e(where)}</span>')
    if flags:
        badges.append(f'<span class="badge flag-count">{len(flags)} flag{"s" if len(flags) != 1 else ""}</span>')
    shares = _option_shares(stats)
    parts = [f'<article class="question{" flagged" if flags else ""}" id="{e(anchor(q.id))}" '
             f'aria-labelledby="{e(anchor(q.id))}-h" data-question="{e(q.id)}">',
             f'<h4 id="{e(anchor(q.id))}-h"><span class="qid">{e(q.id)}</span> {" ".join(badges)}</h4>',
             _student_view(q, shares), _key(q)]
    if q.explanation:
        parts.append(f"<p><strong>Explanation shown after answering:</strong> {e(q.explanation)}</p>")
    if show_quote and q.evidence:
        parts.append(f"<p><strong>Quote:</strong></p><blockquote>{e(q.evidence)}</blockquote>")
    if flags:
        parts.append(render_flags(flags))
    if stats is not None:
        parts.append(_stats(stats, flag_text or {}))
    parts.append("</article>")
    return "\n".join(parts)


def render_flags(flags: list[Flag]) -> str:
    rows = []
    for f in flags:
        title = KINDS[f.kind][0]
        message = e(f.message)
        for other in f.related:       # question ids are slugs: their escaped form is the form in the message
            message = message.replace(e(other), f'<a href="#{e(anchor(other))}">{e(other)}</a>', 1)
        rows.append(f'<li class="flag flag-{e(f.kind)}"><strong>{e(title)}:</strong> {message}.'
                    f'<span class="fix">Fix: {e(f.fix)} (<a href="#fix-{e(f.kind)}">about this flag</a>)</span></li>')
    return '<ul class="flags" aria-label="Flags">' + "".join(rows) + "</ul>"


# ---- the student's view ------------------------------------------------------------------------------

def _student_view(q: Question, shares: dict[str, float]) -> str:
    if q.type == "cloze":
        stem = e(q.prompt).replace(BLANK, '<span class="blank" role="img" aria-label="blank">_____</span>')
        return f'<p class="stem">{stem}</p>'
    stem = f'<p class="stem">{e(q.prompt)}</p>'
    if q.type in ("mcq", "multi"):
        keys = {q.answer} if q.type == "mcq" else set(q.answers)
        return stem + _lettered(list(q.options), keys, shares, "options", "Options")
    if q.type == "tf":
        keys = {"True" if q.answer == "TRUE" else "False"}
        return stem + _lettered(["True", "False"], keys, shares, "options", "Choices", letters=False)
    if q.type == "ordering":
        return stem + _lettered([text for _, text in q.shown_items()], set(), {}, "items", "Items as shown")
    if q.type == "matching":
        premises = "".join(f'<li><span class="letter">{k}.</span> {e(p)}</li>' for k, p in enumerate(q.options, 1))
        return (stem + '<div class="columns"><div><h5>Statements</h5>'
                f'<ol class="items">{premises}</ol></div><div><h5>Choices</h5>'
                + _lettered(list(q.responses), set(), {}, "items", "Choices") + "</div></div>")
    return stem


def _lettered(options: list[str], keys: set[str], shares: dict[str, float], cls: str, label: str,
              letters: bool = True) -> str:
    rows = []
    for k, option in enumerate(options):
        letter = LETTERS[k] if letters else option
        is_key = option in keys
        mark = '<span class="key-mark">✓ key</span>' if is_key else ""
        share = f'<span class="share">chosen by {shares[letter]:.0%}</span>' if letter in shares else ""
        shown = f'<span class="letter">{LETTERS[k]}.</span> {e(option)}' if letters else e(option)
        attr = ' class="key"' if is_key else ""
        rows.append(f"<li{attr}>{shown}{mark}{share}</li>")
    return f'<ol class="{cls}" aria-label="{e(label)}">' + "".join(rows) + "</ol>"


# ---- the teacher's view ------------------------------------------------------------------------------

def _key(q: Question) -> str:
    if q.type in ("mcq", "multi", "tf"):
        return ""             # the key is marked among the choices
    if q.type == "ordering":
        letters = q.correct_letters()
        steps = "".join(f"<li>{e(text)}</li>" for text in q.options)
        return (f'<div class="answer"><strong>Key:</strong> {e(" → ".join(letters))}, earliest first:'
                f"<ol>{steps}</ol></div>")
    if q.type == "matching":
        rows = "".join(f"<li>{k}. → {e(letter)} ({e(match)})</li>"
                       for k, (letter, match) in enumerate(zip(q.correct_letters(), q.matches), 1))
        unused = [r for r in q.responses if r not in q.matches]
        extra = f"<p>Not used: {e('; '.join(unused))}</p>" if unused else ""
        return f'<div class="answer"><strong>Key:</strong><ul>{rows}</ul>{extra}</div>'
    text = f'<div class="answer"><strong>Key:</strong> {e(q.answer_text)}'
    if q.type == "numeric":
        text += f" (tolerance ±{q.tolerance:g})" if q.tolerance else ""
    if q.type in ("short", "cloze", "numeric") and q.alternates:
        text += f"<br><strong>Also accepted:</strong> {e('; '.join(q.alternates))}"
    if q.type in ("short", "cloze") and q.near:
        text += f"<br><strong>Never accepted (close wrong answers):</strong> {e('; '.join(q.near))}"
    return text + "</div>"


def _option_shares(stats: dict | None) -> dict[str, float]:
    if not stats:
        return {}
    return {label: o["all"] for label, o in (stats.get("options") or {}).items() if o.get("all") is not None}


def _stats(entry: dict, flag_text: dict) -> str:
    def num(value) -> str:
        return "–" if value is None else f"{value:.2f}"

    students = entry.get("students") or 0
    line = (f'<div class="stats"><strong>Last item analysis</strong> ({students} student{"s" if students != 1 else ""}'
            f'{", " + e(entry["var"]) if entry.get("var") else ""}): difficulty {num(entry.get("difficulty"))}, '
            f'discrimination {num(entry.get("discrimination"))}')
    flags = [flag_text.get(code, code) for code in entry.get("flags") or []]
    if flags:
        line += "; " + e("; ".join(flags))
    details = entry.get("flag_details") or []
    if details:
        line += f" ({e('; '.join(details))})"
    if entry.get("changed"):
        line += ". <em>The stem has changed since these statistics were collected.</em>"
    return line + "</div>"
