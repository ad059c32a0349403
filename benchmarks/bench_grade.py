"""Grading speed: 1,000 submissions of the shipped quiz, with the rate, and linearity at three batch sizes."""
from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core  # noqa: E402


def main() -> None:
    one_core()
    from quizgen.grading import grade_all

    root = Path(__file__).resolve().parent.parent
    key_path = root / "notebooks" / "teacher" / "six_party_talks_2003.key.json"
    solutions = json.loads((root / "notebooks" / "teacher" / "six_party_talks_2003.solutions.ipynb").read_text(encoding="utf-8"))
    key = json.loads(key_path.read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp())
    rng = random.Random(7)
    subs = tmp / "submitted"
    for s in range(1000):
        nb = json.loads(json.dumps(solutions))
        for cell in nb["cells"]:
            var = cell.get("metadata", {}).get("quizgen", {}).get("var")
            if var and rng.random() < 0.3:
                cell["source"] = f"{var} = 'B'"
        d = subs / f"student{s:04d}" / "quiz"
        d.mkdir(parents=True)
        (d / "quiz.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    print(f"grading (one core): quiz of {len(key['questions'])} questions")
    folders = sorted(subs.iterdir())
    for n in (250, 500, 1000):
        t = time.perf_counter()
        grade_all(key_path, folders[:n], tmp / f"out{n}" / "grades.csv")
        dt = time.perf_counter() - t
        print(f"  {n:5d} submissions: {dt:5.2f} s  ({n / dt:6.0f} notebooks/s, {1000 * dt / n:5.2f} ms each)")


if __name__ == "__main__":
    main()
