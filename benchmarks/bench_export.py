"""Export time per format for a 100,000-question bank, each against the CSV export measured in the same run."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, scaled_bank  # noqa: E402


def main(n: int = 100_000) -> None:
    one_core()
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers import FORMATS, load_writer

    root = Path(__file__).resolve().parent.parent
    bank = scaled_bank(build_bank(load_pack(root / "source_texts" / "six_party_talks_2003.yaml")), n)
    print(f"Export of {len(bank):,} questions, every question (--all), one core, best of 2")
    baseline = None
    for name in FORMATS:  # csv first: the registry lists it first
        writer = load_writer(name)
        times = []
        for _ in range(2):
            t = time.perf_counter()
            size = len(writer.render(bank).data)
            times.append(time.perf_counter() - t)
        seconds = min(times)
        baseline = baseline or seconds
        print(f"  {name:8s} {seconds:6.2f} s  {size / 1e6:6.1f} MB  {seconds / baseline:5.2f}x CSV")


if __name__ == "__main__":
    main()
