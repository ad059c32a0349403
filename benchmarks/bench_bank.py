"""Bank generation speed: 1,000 synthetic sources of 25 records each, and time per 1,000 questions at three sizes."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, synthetic_pack  # noqa: E402


def main() -> None:
    one_core()
    from quizgen.generate import build_bank

    packs = [synthetic_pack(i) for i in range(1000)]
    import gc

    gc.freeze()  # the packs are input, made before the clock starts: keep the collector from re-walking them
    build_bank(packs[:5])  # warm up imports
    print("bank generation (one core)")
    for n in (100, 300, 1000):
        t = time.perf_counter()
        total = 0
        for p in packs[:n]:
            total += len(build_bank(p))
        dt = time.perf_counter() - t
        print(f"  {n:5d} sources x 25 records: {total:6d} questions in {dt:6.2f} s -> {1000 * dt / total * 1000:6.1f} ms per 1,000 questions")


if __name__ == "__main__":
    main()
