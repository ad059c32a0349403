"""Classical test theory on a students x items score table: difficulty, discrimination, option shares, reliability."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

GROUP_SHARE = 0.27          # Kelley's upper and lower groups
TOO_EASY = 0.9              # difficulty (share of the points) above this: too easy
TOO_HARD = 0.2              # below this: too hard
POOR_DISCRIMINATION = 0.1   # corrected point-biserial below this: poor (below 0: negative)
SMALL_CLASS = 20            # fewer students than this, or
FEW_ITEMS = 3               # fewer items than this: the statistics are unstable
CONFIDENCE = 0.95

FLAG_TEXT = {
    "too_easy": f"too easy (difficulty above {TOO_EASY})",
    "too_hard": f"too hard (difficulty below {TOO_HARD})",
    "negative_discrimination": "negative discrimination (stronger students did worse on it)",
    "poor_discrimination": f"poor discrimination (below {POOR_DISCRIMINATION})",
    "unused_distractor": "a distractor nobody chose",
    "distractor_beats_key": "the upper group chose a distractor more than the key (wrong key or a second answer?)",
}


@dataclass
class OptionStats:
    label: str            # A, B, ... or True/False
    is_key: bool
    all: float            # share of all students choosing it
    upper: float
    lower: float


@dataclass
class ItemStats:
    id: str
    difficulty: float           # mean score / max points
    discrimination: float       # corrected point-biserial (item vs total without the item); nan if undefined
    upper_lower: float          # difficulty in the upper group minus in the lower group
    upper_difficulty: float
    lower_difficulty: float
    mean: float
    options: list[OptionStats] = field(default_factory=list)
    no_answer: float = math.nan   # share who chose nothing readable (choice items)
    flags: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass
class Reliability:
    method: str            # "KR-20" or "Cronbach's alpha"
    value: float
    ci_low: float
    ci_high: float
    sem: float             # standard error of measurement, in points
    confidence: float = CONFIDENCE


def group_weights(totals):
    """Upper and lower 27 % groups as weights: students tied at a group's edge share its last places equally.

    Groups hold g = round(0.27 n) students (at least 1). Sharing the places of ties (instead of breaking them by name
    or order) keeps every statistic independent of how students are named or listed.
    """
    import numpy as np

    n = len(totals)
    g = max(1, math.floor(GROUP_SHARE * n + 0.5))

    def top(values):
        w = np.zeros(n)
        edge = np.sort(values)[::-1][g - 1]
        above = values > edge
        tied = values == edge
        w[above] = 1.0
        w[tied] = (g - above.sum()) / tied.sum()
        return w

    return top(totals), top(-totals), g


def corrected_point_biserial(scores):
    """Per item, Pearson's r between the item and the total of the other items (nan where either does not vary)."""
    import numpy as np

    totals = scores.sum(axis=1)
    rest = totals[:, None] - scores
    xc = scores - scores.mean(axis=0)
    rc = rest - rest.mean(axis=0)
    num = (xc * rc).sum(axis=0)
    den = np.sqrt((xc * xc).sum(axis=0) * (rc * rc).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 1e-12, num / np.where(den > 1e-12, den, 1.0), np.nan)
    return r


def reliability(scores) -> Reliability | None:
    """KR-20 when every item is scored 0/1, Cronbach's alpha otherwise, with Feldt's interval and the SEM."""
    import numpy as np
    from scipy.special import fdtri

    n, k = scores.shape
    if n < 2 or k < 2:
        return None
    totals = scores.sum(axis=1)
    total_var = totals.var(ddof=1)
    if not total_var > 0:
        return None
    # KR-20 is alpha for 0/1 items (sum of p*q = sum of the item variances, with the same denominators)
    dichotomous = bool(np.isin(scores, (0.0, 1.0)).all())
    value = k / (k - 1) * (1.0 - scores.var(axis=0, ddof=1).sum() / total_var)
    # Feldt (1965): (1 - alpha) / (1 - alpha_hat) follows F with n-1 and (n-1)(k-1) degrees of freedom
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - CONFIDENCE) / 2
    low = 1 - (1 - value) * fdtri(df1, df2, 1 - tail)
    high = 1 - (1 - value) * fdtri(df1, df2, tail)
    sem = math.sqrt(total_var) * math.sqrt(1 - value) if 0 <= value <= 1 else math.nan
    return Reliability("KR-20" if dichotomous else "Cronbach's alpha", float(value), float(low), float(high), float(sem))


def _share(indicator, weights, g):
    return float(weights @ indicator / g)


def item_statistics(responses) -> list[ItemStats]:
    """Every item's statistics and flags (see docs/item-analysis.md for the formulas and thresholds)."""
    import numpy as np

    scores = responses.scores
    n = scores.shape[0]
    maxes = np.array([it.max_points for it in responses.items], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(maxes > 0, scores / np.where(maxes > 0, maxes, 1.0), np.nan)
    difficulty = rel.mean(axis=0)
    discrimination = corrected_point_biserial(scores) if n >= 3 else np.full(len(maxes), np.nan)
    if n >= 2:
        upper_w, lower_w, g = group_weights(scores.sum(axis=1))
        up = upper_w @ rel / g
        low = lower_w @ rel / g
    else:
        upper_w = lower_w = None
        g = 0
        up = low = np.full(len(maxes), np.nan)
    out = []
    for j, item in enumerate(responses.items):
        st = ItemStats(item.id, float(difficulty[j]), float(discrimination[j]), float(up[j] - low[j]),
                       float(up[j]), float(low[j]), float(scores[:, j].mean()))
        if item.is_choice:
            _options(st, item, responses.choices[item.id], upper_w, lower_w, g)
        _flag(st, item)
        out.append(st)
    return out


def _options(st: ItemStats, item, chosen, upper_w, lower_w, g) -> None:
    import numpy as np

    chosen = np.asarray(chosen, dtype=object)
    if item.type == "multi":
        padded = np.char.add(np.char.add(",", chosen.astype(str)), ",")
    for label in item.options:
        if item.type == "multi":
            ind = np.char.find(padded, f",{label},") >= 0
        else:
            ind = chosen == label
        ind = ind.astype(float)
        st.options.append(OptionStats(label, label in item.key_set, float(ind.mean()),
                                      _share(ind, upper_w, g) if g else math.nan,
                                      _share(ind, lower_w, g) if g else math.nan))
    st.no_answer = float((chosen == "").mean())


def _flag(st: ItemStats, item) -> None:
    def pct(x: float) -> str:
        return f"{100 * x:.0f}%"

    if st.difficulty > TOO_EASY:
        st.flags.append("too_easy")
    elif st.difficulty < TOO_HARD:
        st.flags.append("too_hard")
    r = st.discrimination
    if not math.isnan(r):
        if r < 0:
            st.flags.append("negative_discrimination")
        elif r < POOR_DISCRIMINATION:
            st.flags.append("poor_discrimination")
    if not item.is_choice or not st.options:
        return
    distractors = [o for o in st.options if not o.is_key]
    keys = [o for o in st.options if o.is_key]
    if item.type in ("mcq", "multi"):  # a true/false "distractor" nobody chose is just an easy item
        unused = [o.label for o in distractors if o.all == 0]
        if unused:
            st.flags.append("unused_distractor")
            st.details.append(f"nobody chose {', '.join(unused)}")
    if keys and not math.isnan(keys[0].upper):
        weakest_key = min(keys, key=lambda o: o.upper)
        beating = [o for o in distractors if o.upper > weakest_key.upper]
        if beating:
            st.flags.append("distractor_beats_key")
            top = max(beating, key=lambda o: o.upper)
            st.details.append(f"upper group: {top.label} {pct(top.upper)}, key {weakest_key.label} {pct(weakest_key.upper)}")


def class_warnings(n_students: int, n_items: int) -> list[str]:
    notes = []
    if n_students < SMALL_CLASS or n_items < FEW_ITEMS:
        notes.append(f"small class ({n_students} student(s), {n_items} item(s)): the statistics are unstable "
                     f"(they settle with {SMALL_CLASS}+ students and {FEW_ITEMS}+ items); read them as hints only")
    if n_students < 3:
        notes.append("discrimination needs 3 or more students: not computed")
    if n_students < 2 or n_items < 2:
        notes.append("reliability needs 2 or more students and 2 or more items: not computed")
    return notes
