"""The item analysis result: its statistics table and summary, the files it writes, and its display in Jupyter."""
from __future__ import annotations

import base64
import csv
import functools
import html
import io
import json
import math
from pathlib import Path

from . import stats as st
from .responses import TF_LABELS, Responses

STATS_FILE = "item_statistics.csv"
SUMMARY_FILE = "summary.json"
HTML_FILE = "report.html"
BASE_COLUMNS = ("question", "var", "type", "max_points", "students", "mean_points", "difficulty", "discrimination",
                "upper_lower", "upper_difficulty", "lower_difficulty", "key", "no_answer")
TAIL_COLUMNS = ("flags", "flag_details", "prompt")


def _num(x: float, places: int = 4) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{places}f}"


def _pct(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.0f}%"


def _option_order(label: str):
    return (1, TF_LABELS.index(label)) if label in TF_LABELS else (0, label)


class Analysis:
    """Item statistics of one quiz's grades; write() saves the CSV, summary and HTML report; shows itself in Jupyter."""

    def __init__(self, responses: Responses):
        import numpy as np

        self.responses = responses
        self.items = st.item_statistics(responses)
        self.reliability = st.reliability(responses.scores)
        self.totals = responses.scores.sum(axis=1)
        self.max_points = float(sum(it.max_points for it in responses.items))
        from ..errors import Diagnostic

        # warnings for the terminal (file: message) and, as plain sentences, for the report itself
        self.diagnostics = list(responses.report.warnings) + [
            Diagnostic(responses.source, message=w, level="warning")
            for w in st.class_warnings(len(responses.students), len(responses.items))]
        self.warnings = [d.message for d in self.diagnostics]
        self._by_id = {s.id: s for s in self.items}
        one_var = all(it.var for it in responses.items) and len({it.var for it in responses.items}) == len(responses.items)
        # one version: q01, q02 read best; several versions: the bank id is the only name that means one question
        self.labels = {it.id: (it.var if one_var else it.id) for it in responses.items}
        self.mean = float(np.mean(self.totals)) if len(self.totals) else math.nan
        self.sd = float(np.std(self.totals, ddof=1)) if len(self.totals) > 1 else math.nan

    # ---- tables -------------------------------------------------------------------------------

    @functools.cached_property
    def option_labels(self) -> list[str]:
        labels = {o.label for s in self.items for o in s.options}
        return sorted(labels, key=_option_order)

    def rows(self) -> list[dict[str, str]]:
        """The statistics table, one row per question, as written to item_statistics.csv."""
        n = len(self.responses.students)
        out = []
        for item, s in zip(self.responses.items, self.items):
            row = {"question": item.id, "var": item.var, "type": item.type, "max_points": f"{item.max_points:g}",
                   "students": str(n), "mean_points": _num(s.mean), "difficulty": _num(s.difficulty),
                   "discrimination": _num(s.discrimination), "upper_lower": _num(s.upper_lower),
                   "upper_difficulty": _num(s.upper_difficulty), "lower_difficulty": _num(s.lower_difficulty),
                   "key": item.key, "no_answer": _num(s.no_answer) if item.is_choice else ""}
            shares = {o.label: o for o in s.options}
            for label in self.option_labels:
                o = shares.get(label)
                row[f"share_{label}"] = _num(o.all) if o else ""
                row[f"upper_{label}"] = _num(o.upper) if o else ""
                row[f"lower_{label}"] = _num(o.lower) if o else ""
            row["flags"] = ";".join(s.flags)
            row["flag_details"] = "; ".join(s.details)
            row["prompt"] = item.prompt
            out.append(row)
        return out

    @property
    def columns(self) -> list[str]:
        opts = [f"{kind}_{label}" for label in self.option_labels for kind in ("share", "upper", "lower")]
        return [*BASE_COLUMNS, *opts, *TAIL_COLUMNS]

    def to_dataframe(self):
        """The statistics table as a pandas DataFrame (numbers as floats)."""
        import pandas as pd

        df = pd.DataFrame(self.rows(), columns=self.columns)
        numeric = [c for c in self.columns if c not in ("question", "var", "type", "key", "flags", "flag_details", "prompt")]
        df[numeric] = df[numeric].apply(pd.to_numeric, errors="coerce")
        return df

    def csv_text(self) -> str:
        from ..writers.csv import protect_cell

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.columns)
        for row in self.rows():
            w.writerow([protect_cell(row[c]) for c in self.columns])
        return "\ufeff" + buf.getvalue()

    def summary(self) -> dict:
        import numpy as np

        rel = self.reliability
        flagged: dict[str, list[str]] = {}
        for s in self.items:
            for f in s.flags:
                flagged.setdefault(f, []).append(s.id)
        return {
            "source": Path(self.responses.source).name, "title": self.responses.title,
            "students": len(self.responses.students), "items": len(self.responses.items), "max_points": self.max_points,
            "mean": round(self.mean, 4) if not math.isnan(self.mean) else None,
            "sd": round(self.sd, 4) if not math.isnan(self.sd) else None,
            "median": round(float(np.median(self.totals)), 4) if len(self.totals) else None,
            "reliability": None if rel is None else {
                "method": rel.method, "value": round(rel.value, 4), "ci_low": round(rel.ci_low, 4),
                "ci_high": round(rel.ci_high, 4), "confidence": rel.confidence,
                "ci_method": "Feldt", "sem": None if math.isnan(rel.sem) else round(rel.sem, 4)},
            "flagged": flagged,
            "warnings": self.warnings,
        }

    # ---- figures ------------------------------------------------------------------------------

    @functools.cached_property
    def figures(self) -> dict[str, bytes]:
        """SVG bytes: 'histogram', 'scatter', and 'options:<question id>' per choice question."""
        from . import figures as fg

        out = {"histogram": fg.histogram_svg(self.totals, self.max_points),
               "scatter": fg.scatter_svg([(self.labels[s.id], s.difficulty, s.discrimination, bool(s.flags)) for s in self.items],
                                         {"too_hard": st.TOO_HARD, "too_easy": st.TOO_EASY, "poor": st.POOR_DISCRIMINATION})}
        for item, s in zip(self.responses.items, self.items):
            if item.is_choice and s.options:
                labels = [o.label for o in s.options]
                out[f"options:{item.id}"] = fg.options_svg(labels, [o.upper for o in s.options], [o.all for o in s.options],
                                                           [o.lower for o in s.options], set(item.key_set))
        return out

    # ---- HTML ---------------------------------------------------------------------------------

    def _img(self, name: str, alt: str) -> str:
        data = base64.b64encode(self.figures[name]).decode("ascii")
        return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}">'

    def body_html(self) -> str:
        """The report as one <div class="qg-report"> (used by the HTML file and by Jupyter)."""
        e = html.escape
        r = self.responses
        rel = self.reliability
        n, k = len(r.students), len(r.items)
        title = r.title or Path(r.source).name
        parts = [f'<div class="qg-report"><style>{_CSS}</style>', f"<h1>Item analysis: {e(title)}</h1>"]
        cards = [("Students", f"{n}"), ("Items", f"{k}"),
                 ("Mean score", f"{self.mean:.1f} / {self.max_points:g}" if not math.isnan(self.mean) else "–"),
                 ("SD", f"{self.sd:.2f}" if not math.isnan(self.sd) else "–")]
        if rel is not None:
            cards.append((rel.method, f"{rel.value:.2f} <small>[{rel.ci_low:.2f}, {rel.ci_high:.2f}]</small>"))
            cards.append(("SEM", f"{rel.sem:.2f} pts" if not math.isnan(rel.sem) else "–"))
        else:
            cards.append(("Reliability", "not computed"))
        parts.append('<div class="qg-cards">' + "".join(
            f'<div class="qg-card"><div class="qg-k">{e(a)}</div><div class="qg-v">{b}</div></div>' for a, b in cards) + "</div>")
        if rel is not None:
            parts.append(f'<p class="qg-note">{e(rel.method)} with its {rel.confidence:.0%} confidence interval (Feldt); '
                         f"SEM: the standard error of measurement, in points.</p>")
        for w in self.warnings:
            parts.append(f'<div class="qg-warn">{e(w)}</div>')
        parts.append('<div class="qg-figs">' + self._img("histogram", "Histogram of total scores")
                     + self._img("scatter", "Difficulty against discrimination, flagged items labelled") + "</div>")
        parts.append(self._table_html())
        parts.append(self._options_html())
        parts.append(_LEGEND)
        parts.append("</div>")
        return "\n".join(parts)

    def _table_html(self) -> str:
        e = html.escape
        head = ("<tr><th>#</th><th>question</th><th>type</th><th>difficulty</th><th>discrimination</th>"
                "<th>upper−lower</th><th>flags</th></tr>")
        body = []
        for number, (item, s) in enumerate(zip(self.responses.items, self.items), start=1):
            flags = " ".join(f'<span class="qg-flag" title="{e(st.FLAG_TEXT[f])}">{e(f.replace("_", " "))}</span>' for f in s.flags)
            if s.details:
                flags += f'<div class="qg-detail">{e("; ".join(s.details))}</div>'
            hard = "too_easy" in s.flags or "too_hard" in s.flags
            weak = "poor_discrimination" in s.flags or "negative_discrimination" in s.flags
            prompt = f'<div class="qg-prompt">{e(item.prompt)}</div>' if item.prompt else ""
            link = f'<a href="#qg-{e(item.id)}">{e(item.id)}</a>' if item.is_choice and s.options else e(item.id)
            body.append(f'<tr class="{"qg-flagged" if s.flags else ""}"><td>{e(self.labels[item.id] if self.labels[item.id] != item.id else str(number))}</td>'
                        f"<td>{link}{prompt}</td><td>{e(item.type)}</td>"
                        f'<td class="qg-n{" qg-bad" if hard else ""}">{_num(s.difficulty, 2)}</td>'
                        f'<td class="qg-n{" qg-bad" if weak else ""}">{_num(s.discrimination, 2) or "–"}</td>'
                        f'<td class="qg-n">{_num(s.upper_lower, 2) or "–"}</td><td>{flags}</td></tr>')
        return f'<h2>Questions</h2><table class="qg-table">{head}{"".join(body)}</table>'

    def _options_html(self) -> str:
        e = html.escape
        blocks = []
        for item, s in zip(self.responses.items, self.items):
            if not (item.is_choice and s.options):
                continue
            texts = dict(zip(item.options, item.option_texts))
            rows = "".join(
                f'<tr class="{"qg-key" if o.is_key else ""}"><td>{e(o.label)}{" ✓" if o.is_key else ""}</td>'
                f"<td>{e(texts.get(o.label, ''))}</td><td class=\"qg-n\">{_pct(o.all)}</td>"
                f'<td class="qg-n">{_pct(o.upper)}</td><td class="qg-n">{_pct(o.lower)}</td></tr>' for o in s.options)
            if s.no_answer > 0:
                rows += f'<tr><td colspan="2"><i>no answer</i></td><td class="qg-n">{_pct(s.no_answer)}</td><td></td><td></td></tr>'
            flags = "".join(f'<span class="qg-flag">{e(st.FLAG_TEXT[f])}</span>' for f in s.flags)
            blocks.append(
                f'<div class="qg-item" id="qg-{e(item.id)}"><h3>{e(self.labels[item.id])} · {e(item.id)}</h3>'
                + (f'<p class="qg-prompt">{e(item.prompt)}</p>' if item.prompt else "") + (f"<p>{flags}</p>" if flags else "")
                + f'<div class="qg-opt"><table class="qg-table"><tr><th>option</th><th></th><th>all</th><th>upper</th><th>lower</th></tr>{rows}</table>'
                + self._img(f"options:{item.id}", f"Options of {item.id} by group") + "</div></div>")
        if not blocks:
            return ""
        return "<h2>Choice questions: who chose what</h2>" + "".join(blocks)

    def html(self) -> str:
        """The whole report as one self-contained HTML page (figures inlined, nothing fetched)."""
        title = html.escape(self.responses.title or Path(self.responses.source).name)
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Item analysis: {title}</title>"
                f"</head><body>\n{self.body_html()}\n</body></html>\n")

    def _repr_html_(self) -> str:
        return self.body_html()

    def __repr__(self) -> str:
        rel = self.reliability
        text = f"<Analysis of {len(self.responses.students)} students x {len(self.responses.items)} items"
        if rel is not None:
            text += f", {rel.method} {rel.value:.2f}"
        flagged = sum(1 for s in self.items if s.flags)
        return text + f", {flagged} flagged>"

    # ---- files --------------------------------------------------------------------------------

    def write(self, folder: str | Path) -> list:
        """Write item_statistics.csv, summary.json and report.html into folder (created if needed)."""
        from ..atomic import write_text

        folder = Path(folder)
        return [write_text(folder / STATS_FILE, self.csv_text(), make_parents=True),
                write_text(folder / SUMMARY_FILE, json.dumps(self.summary(), indent=2, ensure_ascii=False) + "\n"),
                write_text(folder / HTML_FILE, self.html())]


_CSS = """
.qg-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2733;max-width:1100px;line-height:1.4}
.qg-report h1{font-size:1.5em;margin:.2em 0 .6em}.qg-report h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #dde3ea}
.qg-report h3{font-size:1em;margin:.2em 0}
.qg-cards{display:flex;flex-wrap:wrap;gap:10px}.qg-card{border:1px solid #dde3ea;border-radius:6px;padding:6px 12px;min-width:90px}
.qg-k{font-size:.8em;color:#5b6b7b}.qg-v{font-size:1.25em;font-weight:600}.qg-v small{font-size:.65em;font-weight:400;color:#5b6b7b}
.qg-note{font-size:.8em;color:#5b6b7b}
.qg-warn{background:#fff6d6;border:1px solid #e8cf6a;border-radius:6px;padding:6px 10px;margin:6px 0}
.qg-figs{display:flex;flex-wrap:wrap;gap:16px;margin:12px 0}.qg-report img{max-width:100%;height:auto}
.qg-table{border-collapse:collapse;font-size:.9em}.qg-table th,.qg-table td{border-bottom:1px solid #e6eaef;padding:3px 8px;text-align:left;vertical-align:top}
.qg-table th{background:#f3f6f9}.qg-n{text-align:right;font-variant-numeric:tabular-nums}
tr.qg-flagged{background:#fdf3f2}.qg-bad{color:#b03a2e;font-weight:600}tr.qg-key td{color:#1e7b34;font-weight:600}
.qg-flag{display:inline-block;background:#f9dcd8;color:#8e2a1f;border-radius:9px;padding:0 7px;margin:1px 2px;font-size:.8em;white-space:nowrap}
.qg-detail,.qg-prompt{font-size:.82em;color:#5b6b7b}
.qg-item{padding:8px 0}.qg-item+.qg-item{border-top:1px solid #e6eaef}.qg-opt{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.qg-legend{font-size:.85em;color:#3d4b59;background:#f7f9fb;border-radius:6px;padding:4px 14px;margin-top:20px}
"""

_LEGEND = f"""<div class="qg-legend"><h2>How to read this report</h2><ul>
<li><b>Difficulty</b>: the share of the points the class earned (1 = everyone right). Flagged below {st.TOO_HARD} (too hard) and above {st.TOO_EASY} (too easy).</li>
<li><b>Discrimination</b>: the correlation between the question and the total of the other questions. Good questions are above 0.3; below {st.POOR_DISCRIMINATION} is flagged as poor; below 0 means stronger students did worse: check the key and the wording.</li>
<li><b>Upper−lower</b>: the difficulty in the top 27% of the class minus in the bottom 27% (by total score).</li>
<li><b>Options</b>: the share of each group choosing each option. A distractor nobody chose does no work; a distractor the upper group prefers to the key often means a wrong key or a second right answer.</li>
<li><b>Reliability</b>: how consistently the quiz ranks students (KR-20 for right/wrong items, Cronbach's alpha otherwise); 0.7 or more is usual for a class quiz. SEM: a student's score is typically within about one SEM of their true score.</li>
</ul><p>Formulas: docs/item-analysis.md in quizgen.</p></div>"""
