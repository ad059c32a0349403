"""The review page of one source: a self-contained HTML document (inline CSS, no script, nothing fetched)."""
from __future__ import annotations

from ..bank import TYPE_LABELS, Question
from .flags import KINDS
from .items import anchor, e, render_flags, render_question
from .style import CSS

# the order of a record's questions on the page: the forms a quiz prefers for it come after the plain ones
FORM_ORDER = ("mcq", "multi", "short", "cloze", "numeric", "tf", "tf-false", "said-by", "claim", "position",
              "matching", "ordering")
OVERRIDES_SECTION = "Per-record overrides (the fix for each kind of flag)"
OVERRIDES_ANCHOR = "per-record-overrides-the-fix-for-each-kind-of-flag"


def render_page(review) -> str:
    """The whole page; the same review always gives the same text."""
    pack = review.pack
    meta = pack.meta
    head = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="quizgen {e(review.version)}">\n'
            f"<title>Question review: {e(meta.deck_name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#records">Skip to the records</a>\n')
    body = [_header(review), _contents(review), "<main>", _flag_summary(review), _quiz_section(review),
            _records(review), _groups(review), _fixes(review), "</main>",
            f"<footer><p>Written by quizgen {e(review.version)} from <code>{e(pack.facts_path.name)}</code>. "
            "A flag asks you to look; it does not prove a flaw. This page runs no script and fetches nothing."
            "</p></footer>"]
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def _header(review) -> str:
    pack, meta = review.pack, review.pack.meta
    n_flags = sum(len(f) for f in review.flags.values())
    lines = [
        "<header>",
        f"<h1>Question review: {e(meta.deck_name)}</h1>",
        f'<p class="meta">“{e(meta.title)}”, {e(meta.publisher)}, {e(meta.date)}. Fact file '
        f"<code>{e(pack.facts_path.name)}</code>, text <code>{e(pack.text_path.name)}</code>.</p>",
        f"<p>{len(pack.facts)} records, {len(review.bank)} questions in the bank, "
        f"{len(review.summary.quiz.items)} in the default quiz; {n_flags} flag{'s' if n_flags != 1 else ''} on "
        f"{len(review.flags)} question{'s' if len(review.flags) != 1 else ''}.</p>",
        '<p class="teacher-only"><strong>For the teacher only:</strong> this page shows every key. '
        "Do not give it to students.</p>",
        "<p>Each record shows its questions as students see them: options in the bank's order (a quiz may "
        "re-letter them: the blue badge gives the quiz's variable and letter), the key marked ✓, the accepted "
        "answers, the quote, and every automated flag with the change in the record that fixes it.</p>",
    ]
    if review.stats_note:
        lines.append(f'<p class="stats">{e(review.stats_note)}</p>')
    for w in review.warnings.get("", []):
        lines.append(f'<p class="meta">validate: {e(w)}</p>')
    return "\n".join(lines + ["</header>"])


def _contents(review) -> str:
    records = "".join(f'<li><a href="#r-{e(f.id)}">{e(f.id)}</a></li>' for f in review.pack.facts)
    groups = '<li><a href="#groups">Items built from several records</a></li>' if review.group_items else ""
    return ('<nav aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>'
            '<li><a href="#flags">Flags at a glance</a></li><li><a href="#quiz">The default quiz</a></li>'
            f'<li><a href="#records">Records</a><ul class="record-index">{records}</ul></li>{groups}'
            '<li><a href="#fixes">How each flag is found, and how to fix it</a></li></ol></nav>')


def _id_links(ids: list[str]) -> str:
    return '<ul class="id-list">' + "".join(f'<li><a href="#{e(anchor(i))}">{e(i)}</a></li>' for i in ids) + "</ul>"


def _flag_summary(review) -> str:
    rows, lists = [], []
    for kind, (title, _, _) in KINDS.items():
        ids = sorted(q for q, flags in review.flags.items() if any(f.kind == kind for f in flags))
        count = sum(f.kind == kind for flags in review.flags.values() for f in flags)
        rows.append(f'<tr><th scope="row"><a href="#fix-{e(kind)}">{e(title)}</a></th><td class="num">{count}</td>'
                    f'<td class="num">{len(ids)}</td></tr>')
        if ids:
            lists.append(f"<dt>{e(title)}</dt><dd>{_id_links(ids)}</dd>")
    deliberate = sum(s.reason.startswith("left out by the record") for s in review.bank.skipped)
    other = len(review.bank.skipped) - deliberate
    in_quiz = sorted(q for q in review.flags if q in review.summary.in_quiz)
    return ('<section id="flags" aria-labelledby="flags-h"><h2 id="flags-h">Flags at a glance</h2>'
            "<p>Automated flags on the questions of the bank (a question may carry several).</p>"
            '<table class="compact"><caption>Flags by kind</caption><thead><tr><th scope="col">Flag</th><th scope="col" class="num">Flags</th>'
            f'<th scope="col" class="num">Questions</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<dl class="flag-lists">{"".join(lists)}</dl>'
            f"<p>Flagged questions in the default quiz: {len(in_quiz)}{_id_links(in_quiz) if in_quiz else '.'}</p>"
            f"<p>Forms not made: {len(review.bank.skipped)} ({deliberate} left out by the records with forms: or "
            f"skip:, {other} for another reason), listed under each record.</p></section>")


def _quiz_section(review) -> str:
    s = review.summary
    rows = []
    for item in s.quiz.items:
        q = item.question
        flags = len(review.flags.get(q.id, []))
        rows.append(f'<tr><td>{e(item.var)}</td><td><a href="#{e(anchor(q.id))}">{e(q.id)}</a></td>'
                    f'<td class="wide-only">{e(TYPE_LABELS[q.type])}</td><td>{e(_short_key(q))}</td>'
                    f'<td class="num">{flags or ""}</td></tr>')
    parts = ['<section id="quiz" aria-labelledby="quiz-h"><h2 id="quiz-h">The default quiz</h2>',
             f"<p>The quiz <code>quizgen build</code> writes for this source ({len(s.quiz.items)} questions): one "
             "question per idea, the most telling form first, nothing on the page answering another question "
             "(quizgen/selection.py).</p>",
             '<div class="table-wrap"><table class="quiz-items"><thead><tr><th scope="col">Variable</th><th scope="col">Question</th>'
             '<th scope="col" class="wide-only">Type</th><th scope="col">Key in the quiz</th><th scope="col" class="num">Flags</th>'
             f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>',
             '<h3 id="left-out">Records with no question in the quiz</h3>']
    if s.left_out:
        items = []
        for fact_id, groups in s.left_out.items():
            why = "".join(f"<li>{_left_out_line(group, s.in_quiz)}</li>" for group in groups)
            items.append(f'<li><a href="#r-{e(fact_id)}">{e(fact_id)}</a><ul>{why}</ul></li>')
        parts.append(f'<ul class="left-out">{"".join(items)}</ul>')
    else:
        parts.append("<p>Every record has a question in the quiz (its own, or an item built from several).</p>")
    letters = "".join(f'<td class="num">{n}</td>' for n in s.letters.values())
    heads = "".join(f'<th scope="col" class="num">{e(k)}</th>' for k in s.letters)
    parts.append('<h3>Key balance</h3><div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Multiple choice key</th>'
                 f"{heads}</tr></thead><tbody><tr><th scope=\"row\">Items</th>{letters}</tr></tbody></table></div>"
                 f"<p>True/false keys in the quiz: {s.truth['True']} true, {s.truth['False']} false.</p>")
    types = "".join(f'<tr><th scope="row">{e(TYPE_LABELS[t])}</th><td class="num">{b}</td><td class="num">{q}</td></tr>'
                    for t, b, q in s.types)
    bank_br, quiz_br = s.beyond_recall
    parts.append('<h3>Types</h3><div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Type</th>'
                 '<th scope="col" class="num">Bank</th><th scope="col" class="num">Quiz</th></tr></thead>'
                 f'<tbody>{types}<tr><th scope="row">All</th><td class="num">{len(review.bank)}</td>'
                 f'<td class="num">{len(s.quiz.items)}</td></tr><tr><th scope="row">Beyond recall (why, who said '
                 f'what, positions, matching, ordering)</th><td class="num">{bank_br}</td><td class="num">{quiz_br}'
                 "</td></tr></tbody></table></div>")
    parts.append(_cue_table(s.cues))
    return "\n".join(parts + ["</section>"])


def _left_out_line(group, in_quiz: dict[str, str]) -> str:
    """'mcq, short: its answer 'Wang Yi' is shown by q05, q09' with the questions linked."""
    reasons = []
    for r in group.reasons:
        links = ", ".join(f'<a href="#{e(anchor(q))}">{e(in_quiz.get(q, q))}</a>' for q in r.questions)
        reasons.append(e(r.text) + (" " + links if links else ""))
    forms = ", ".join(f'<a href="#{e(anchor(q))}">{e(q)}</a>' for q in group.questions)
    return (forms + ": " if forms else "") + "; ".join(reasons)


def _short_key(q: Question) -> str:
    if q.type in ("mcq", "multi", "ordering"):
        return ", ".join(q.correct_letters()) if q.type != "ordering" else " ".join(q.correct_letters())
    if q.type == "matching":
        return " ".join(f"{k}{letter}" for k, letter in enumerate(q.correct_letters(), 1))
    return q.answer_text


def _cue_table(rows) -> str:
    """One row per strategy: how it scores when followed and when avoided, on the quiz and on the bank."""
    def pct(rate, bad: bool) -> str:
        text = "–" if rate is None else f"{rate.rate:.0%}"
        return f'<span class="warn">{text} ⚠</span>' if bad else text

    def pair(follow, follow_bad: bool, avoid, avoid_bad: bool) -> str:
        # "20% /" and "27%" each kept whole, so a narrow column breaks after the slash
        return f'<span class="nw">{pct(follow, follow_bad)} /</span> <span class="nw">{pct(avoid, avoid_bad)}</span>'

    by_name = {row.name: row for row in rows}
    body = []
    for row in rows:
        if row.name.startswith("never the "):
            continue
        never = by_name.get(f"never the {row.name}")
        ref = row.quiz or row.bank
        quiz = pair(row.quiz, row.quiz_too_good, never.quiz if never else None, bool(never and never.quiz_too_good))
        bank = pair(row.bank, row.bank_too_good, never.bank if never else None, bool(never and never.bank_too_good))
        items = row.quiz.items if row.quiz else 0
        body.append(f'<tr><th scope="row">{e(row.name)}</th><td class="num wide-only">{items}</td>'
                    f'<td class="num pair">{quiz}</td><td class="num pair">{bank}</td>'
                    f'<td class="num">{ref.chance:.0%}</td></tr>')
    return ('<h3>Guessing strategies</h3><p>How a student who never read the text would score by each habit, '
            "following it / avoiding it (quizgen/cues.py); a habit that does not decide an item guesses. ⚠ marks a "
            "habit that wins more than one quiz item beyond chance, or beats chance by more than 5 points on the "
            "bank.</p>"
            '<div class="table-wrap"><table class="cues"><thead><tr><th scope="col">Strategy</th>'
            '<th scope="col" class="num wide-only">Quiz items</th><th scope="col" class="num">Quiz</th>'
            '<th scope="col" class="num">Bank</th><th scope="col" class="num">Chance</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _sort_key(q: Question) -> tuple:
    return (FORM_ORDER.index(q.form) if q.form in FORM_ORDER else len(FORM_ORDER), q.id)


def _question(review, q: Question, show_quote: bool) -> str:
    item = review.quiz_items.get(q.id)
    return render_question(q, var=item.var if item else "", quiz_letter=item.question.correct_letter if item else "",
                           flags=review.flags.get(q.id, []), stats=review.stats.get(q.id) if review.stats else None,
                           show_quote=show_quote, flag_text=review.stats_flag_text)


def _records(review) -> str:
    pack = review.pack
    parts = ['<section id="records" aria-labelledby="records-h"><h2 id="records-h">Records</h2>']
    for i, fact in enumerate(pack.facts):
        line, _ = pack.located.where(("facts", i))
        own = sorted((q for q in review.bank if q.fact_ids == (fact.id,)), key=_sort_key)
        groups = sorted(q.id for q in review.group_items if fact.id in q.fact_ids)
        where = f"{pack.facts_path.name}:{line}"
        quiz_note = ("in the quiz" if fact.id not in review.summary.left_out
                     else '<a href="#left-out">not in the quiz</a>')
        parts.append(f'<section class="record" id="r-{e(fact.id)}" aria-labelledby="r-{e(fact.id)}-h">'
                     f'<h3 id="r-{e(fact.id)}-h">{e(fact.id)}</h3>'
                     f'<p class="where">{e(fact.kind)} · <code>{e(where)}</code> · {len(own)} question'
                     f'{"s" if len(own) != 1 else ""} · {quiz_note}</p>'
                     f"<p><strong>Question:</strong> {e(fact.question)}</p>")
        quotes = "".join(f"<blockquote>{e(q)}</blockquote>" for q in fact.evidence)
        parts.append(f"<p><strong>Quote{'s' if len(fact.evidence) != 1 else ''}:</strong></p>{quotes}")
        warnings = review.warnings.get(fact.id, [])
        if warnings:
            parts.append('<p><strong>validate says:</strong></p><ul class="warnings">'
                         + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul>")
        skipped = [s for s in review.bank.skipped if s.fact_id == fact.id]
        if skipped:
            parts.append('<p><strong>Forms not made:</strong></p><ul class="skipped">'
                         + "".join(f"<li><code>{e(s.form)}</code>: {e(s.reason)}</li>" for s in skipped) + "</ul>")
        if groups:
            parts.append(f"<p>Also asked in: {_id_links(groups)}</p>")
        parts.extend(_question(review, q, show_quote=q.evidence != " … ".join(fact.evidence)) for q in own)
        parts.append("</section>")
    return "\n".join(parts + ["</section>"])


def _groups(review) -> str:
    if not review.group_items:
        return ""
    parts = ['<section id="groups" aria-labelledby="groups-h"><h2 id="groups-h">Items built from several records</h2>']
    for q in sorted(review.group_items, key=_sort_key):
        records = ", ".join(f'<a href="#r-{e(f)}">{e(f)}</a>' for f in q.fact_ids)
        parts.append(f"<p>From the records {records}:</p>")
        parts.append(_question(review, q, show_quote=True))
    return "\n".join(parts + ["</section>"])


def _fixes(review) -> str:
    docs = (f'<a href="{e(review.docs_href)}#{OVERRIDES_ANCHOR}">docs/fact-records.md, “{e(OVERRIDES_SECTION)}”</a>'
            if review.docs_href else f"docs/fact-records.md, “{e(OVERRIDES_SECTION)}”")
    parts = ['<section id="fixes" aria-labelledby="fixes-h"><h2 id="fixes-h">How each flag is found, and how to fix it</h2>',
             f"<p>The overrides are documented in {docs}. After an edit: <code>quizgen validate</code>, then "
             "<code>quizgen review</code> again.</p>"]
    for kind, (title, how, fix) in KINDS.items():
        parts.append(f'<section id="fix-{e(kind)}" aria-labelledby="fix-{e(kind)}-h"><h3 id="fix-{e(kind)}-h">{e(title)}</h3>'
                     f"<p><strong>How it is found:</strong> {e(how)}</p><p><strong>The fix in the record:</strong> "
                     f"{e(fix)}</p></section>")
    return "\n".join(parts + ["</section>"])


__all__ = ["render_page", "render_flags"]
