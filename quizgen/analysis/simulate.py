"""A simulated class (two-parameter IRT model) written as grades_long.csv: for tests, benchmarks and demo reports."""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .responses import CONTRACT


@dataclass(frozen=True)
class SimItem:
    """One simulated question: 2PL parameters and, for choice questions, how wrong answers spread over the options."""

    id: str
    type: str = "mcq"                   # mcq, multi, tf or short
    a: float = 1.0                      # discrimination (slope)
    b: float = 0.0                      # difficulty (ability at which half the class is right)
    key: str = "A"                      # mcq "B"; multi "A,C"; tf "True"/"False"; the key the grader was given
    true_answer: str = ""               # what able students choose; differs from key for a planted wrong key
    n_options: int = 4
    pull: tuple[float, ...] = ()        # mcq: attraction of each option for a student who does not know (0: nobody)
    max_points: float = 1.0


@dataclass
class SimulatedClass:
    items: list[SimItem]
    abilities: "object"
    rows: list[list[str]] = field(default_factory=list)

    def dataframe(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(CONTRACT))

    def csv_text(self) -> str:
        """grades_long.csv exactly as the contract in docs/internals.md says (BOM, CRLF, formula-safe cells)."""
        from ..writers.csv import protect_cell

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(CONTRACT)
        for row in self.rows:
            w.writerow([protect_cell(c) for c in row])
        return "\ufeff" + buf.getvalue()

    def key(self, title: str = "Simulated quiz") -> dict:
        """An answer key (format 2) for the simulated items, so the analysis knows every option, chosen or not."""
        questions = []
        for k, it in enumerate(self.items):
            entry = {"id": it.id, "var": f"q{k + 1:02d}", "type": it.type, "prompt": f"Simulated question {k + 1}",
                     "points": it.max_points}
            if it.type in ("mcq", "multi"):
                entry["options"] = [f"option {chr(65 + o)}" for o in range(it.n_options)]
                entry["correct"] = it.key if it.type == "mcq" else it.key.split(",")
            elif it.type == "tf":
                entry["correct"] = it.key == "True"
            questions.append(entry)
        return {"format": "quizgen-answer-key", "version": 2, "title": title,
                "max_points": sum(it.max_points for it in self.items), "questions": questions}

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.csv_text().encode("utf-8"))
        return path


def standard_items(n: int = 20, seed: int = 7) -> list[SimItem]:
    """n items with spread-out, independent difficulties and discriminations; every 4th is true/false, every 5th multi."""
    import numpy as np

    rng = np.random.default_rng(seed)
    a = rng.permutation(np.linspace(0.2, 3.0, n))
    b = rng.permutation(np.linspace(-1.2, 1.2, n))
    items = []
    for j in range(n):
        if j % 5 == 4:
            items.append(SimItem(f"item-{j + 1:02d}.multi", "multi", float(a[j]), float(b[j]), key="A,C", n_options=4))
        elif j % 4 == 3:
            items.append(SimItem(f"item-{j + 1:02d}.tf", "tf", float(a[j]), float(b[j]), key="True" if j % 8 == 3 else "False"))
        elif j % 7 == 6:
            items.append(SimItem(f"item-{j + 1:02d}.short", "short", float(a[j]), float(b[j]), key=""))
        else:
            letter = "ABCD"[j % 4]
            items.append(SimItem(f"item-{j + 1:02d}.mcq", "mcq", float(a[j]), float(b[j]), key=letter,
                                 pull=tuple(0.0 if (k == (j + 1) % 4 and j % 3 == 0) else 1.0 + k for k in range(4))))
    return items


def items_from_key(key: dict, seed: int = 7) -> list[SimItem]:
    """Simulated items with the ids, types, options and keys of an answer key (format 2): a class for a real quiz."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = []
    for e in key["questions"]:
        a, b = float(rng.uniform(0.4, 2.5)), float(rng.uniform(-1.2, 1.2))
        points = float(e.get("points", 1))
        if e["type"] == "mcq":
            out.append(SimItem(e["id"], "mcq", a, b, key=e["correct"], n_options=len(e["options"]), max_points=points))
        elif e["type"] == "multi":
            out.append(SimItem(e["id"], "multi", a, b, key=",".join(sorted(e["correct"])), n_options=len(e["options"]), max_points=points))
        elif e["type"] == "tf":
            out.append(SimItem(e["id"], "tf", a, b, key="True" if e["correct"] else "False", max_points=points))
        else:
            out.append(SimItem(e["id"], e["type"], a, b, key="", max_points=points))
    return out


def simulate(items: list[SimItem], n_students: int = 300, seed: int = 2024, versions: int = 0) -> SimulatedClass:
    """Answers of n_students with abilities from N(0, 1), each right with probability 1 / (1 + exp(-a (theta - b)))."""
    import numpy as np

    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n_students)
    a = np.array([it.a for it in items])
    b = np.array([it.b for it in items])
    knows = rng.random((n_students, len(items))) < 1.0 / (1.0 + np.exp(-a * (theta[:, None] - b)))
    sim = SimulatedClass(items, theta)
    for i in range(n_students):
        student = f"s{i + 1:04d}"
        order = list(range(len(items)))
        if versions:
            order = list(np.random.default_rng([seed, i % versions]).permutation(len(items)))
        for pos, j in enumerate(order):
            it = items[j]
            choice, points = _answer(it, bool(knows[i, j]), rng)
            var = f"q{pos + 1:02d}"
            qid = hashlib.blake2b(it.id.encode(), digest_size=6).hexdigest()
            given = choice or ("the answer" if points else "something else")
            sim.rows.append([student, f"{student}.ipynb", str(i % versions) if versions else "", var, qid, it.id, it.type,
                             given, choice, it.key, f"{points:g}", f"{it.max_points:g}",
                             "exact" if points else "", "" if points else "not the answer", ""])
    return sim


def _answer(it: SimItem, knows: bool, rng) -> tuple[str, float]:
    if it.type not in ("mcq", "multi", "tf"):  # answers typed in: no choice to record
        return "", it.max_points if knows else 0.0
    if it.type == "tf":
        truth = it.true_answer or it.key
        choice = truth if knows else ("False" if truth == "True" else "True")
        return choice, it.max_points if choice == it.key else 0.0
    letters = [chr(65 + k) for k in range(it.n_options)]
    truth = it.true_answer or it.key
    if it.type == "multi":
        right = set(truth.split(","))
        if knows:
            chosen = right
        else:  # one option too many or too few
            flip = letters[int(rng.integers(len(letters)))]
            chosen = right ^ {flip}
        choice = ",".join(sorted(chosen))
        return choice, it.max_points if choice == it.key else 0.0
    if knows:
        choice = truth
    else:
        pull = list(it.pull) if it.pull else [1.0] * it.n_options
        weights = [0.0 if letters[k] == truth else pull[k] for k in range(it.n_options)]
        total = sum(weights)
        choice = letters[int(rng.choice(it.n_options, p=[w / total for w in weights]))]
    return choice, it.max_points if choice == it.key else 0.0
