"""The report's figures, drawn with matplotlib (Agg canvas, no pyplot state) and returned as deterministic SVG."""
from __future__ import annotations

import io
import math

UPPER, ALL, LOWER = "#1f4e79", "#6c9bc7", "#c9d9ea"
FLAGGED, PLAIN = "#c0392b", "#2c3e50"
ZONE = "#f6e3e1"

_RC = {
    "svg.hashsalt": "quizgen",      # fixed ids inside the SVG: same data, same bytes
    "svg.fonttype": "none",         # text stays text: small files, sharp in any browser
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)  # the Agg canvas, without touching pyplot's global backend (Jupyter keeps its own)
    return fig


def _svg(draw, *args, tight: bool = True) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = draw(*args)
        buf = io.BytesIO()
        # "tight" draws the figure twice to measure it: worth it for the two big figures, not for one per question
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
                    bbox_inches="tight" if tight else None)
    return buf.getvalue()


def histogram_svg(totals, max_points: float) -> bytes:
    return _svg(_histogram, totals, max_points)


def _histogram(totals, max_points: float):
    import numpy as np

    fig = _figure(5.2, 3.0)
    ax = fig.add_subplot()
    top = max(max_points, float(np.max(totals)) if len(totals) else 0.0, 1.0)
    if top <= 40 and np.allclose(totals, np.round(totals)):
        bins = np.arange(-0.5, math.ceil(top) + 1.5, 1.0)   # one bar per whole point
    else:
        bins = np.linspace(0, top, 21)
    ax.hist(totals, bins=bins, color=ALL, edgecolor="white", linewidth=0.6)
    mean = float(np.mean(totals)) if len(totals) else 0.0
    ax.axvline(mean, color=UPPER, linestyle="--", linewidth=1.2)
    ax.text(mean, ax.get_ylim()[1] * 0.97, f" mean {mean:.1f}", color=UPPER, va="top", ha="left")
    ax.set_xlim(bins[0], bins[-1])
    ax.set_xlabel(f"Total score (points, of {max_points:g})")
    ax.set_ylabel("Students")
    ax.set_title("Score distribution", loc="left", fontweight="bold")
    return fig


def scatter_svg(points: list[tuple[str, float, float, bool]], thresholds: dict) -> bytes:
    """points: (label, difficulty, discrimination, flagged)."""
    return _svg(_scatter, points, thresholds)


def _scatter(points, t):
    fig = _figure(5.2, 3.6)
    ax = fig.add_subplot()
    ax.axvspan(0, t["too_hard"], color=ZONE, zorder=0, linewidth=0)
    ax.axvspan(t["too_easy"], 1.0, color=ZONE, zorder=0, linewidth=0)
    ax.axhspan(-1, t["poor"], color=ZONE, zorder=0, linewidth=0)
    ax.axhline(0, color="#999999", linewidth=0.6)
    shown = [(lbl, p, r, f) for lbl, p, r, f in points if not math.isnan(p)]
    lows = [r for _, _, r, _ in shown if not math.isnan(r)]
    bottom = min([-0.2, *[r - 0.08 for r in lows]])
    for lbl, p, r, flagged in shown:
        y = r if not math.isnan(r) else bottom + 0.04   # undefined discrimination (nobody or everybody right): on the floor
        ax.scatter([p], [y], s=30 if flagged else 18, color=FLAGGED if flagged else PLAIN,
                   marker="o" if not math.isnan(r) else "v", zorder=3, linewidths=0)
        if flagged:
            ax.annotate(lbl, (p, y), xytext=(4, 3), textcoords="offset points", fontsize=7.5, color=FLAGGED, zorder=4)
    ax.set_xlim(0, 1.0)
    ax.set_ylim(bottom, 1.0)
    ax.set_xlabel("Difficulty (share of the points earned)")
    ax.set_ylabel("Discrimination (corrected r)")
    ax.set_title("Items: difficulty and discrimination", loc="left", fontweight="bold")
    ax.text(0.01, 0.99, "shaded: flagged zones", transform=ax.transAxes, va="top", fontsize=7, color="#a05a52")
    return fig


def options_svg(labels: list[str], upper: list[float], everyone: list[float], lower: list[float], key: set[str]) -> bytes:
    return _svg(_options, labels, upper, everyone, lower, key, tight=False)


def _options(labels, upper, everyone, lower, key):
    import numpy as np

    rows = len(labels)
    height = 0.75 + 0.42 * rows
    fig = _figure(4.6, height)
    # fixed margins in inches (no second, measuring draw): room for "False ✓" on the left, the legend on top
    fig.subplots_adjust(left=0.75 / 4.6, right=1 - 0.3 / 4.6, bottom=0.38 / height, top=1 - 0.3 / height)
    ax = fig.add_subplot()
    y = np.arange(rows)[::-1].astype(float)
    h = 0.26
    ax.barh(y + h, upper, height=h, color=UPPER, label="upper 27%")
    ax.barh(y, everyone, height=h, color=ALL, label="all")
    ax.barh(y - h, lower, height=h, color=LOWER, label="lower 27%")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{lbl} ✓" if lbl in key else lbl for lbl in labels])
    for tick, lbl in zip(ax.get_yticklabels(), labels):
        if lbl in key:
            tick.set_fontweight("bold")
            tick.set_color("#1e7b34")
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xticklabels(["0", "25%", "50%", "75%", "100%"])
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=7, frameon=False, borderaxespad=0.2,
              handlelength=1.2, handletextpad=0.4, columnspacing=1.0)
    return fig
