"""CSV export and re-import of a 100,000-question bank."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, scaled_bank  # noqa: E402


def main(n: int = 100_000) -> None:
    one_core()
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers.csv import read_bank, write_bank

    root = Path(__file__).resolve().parent.parent
    bank = scaled_bank(build_bank(load_pack(root / "source_texts" / "six_party_talks_2003.yaml")), n)
    path = Path(tempfile.mkdtemp()) / "big.csv"
    t = time.perf_counter()
    write_bank(bank, path)
    t_export = time.perf_counter() - t
    t = time.perf_counter()
    back, _ = read_bank(path)
    t_import = time.perf_counter() - t
    assert len(back) == len(bank)
    print(f"CSV, {len(bank):,} questions, {path.stat().st_size / 1e6:.0f} MB (one core)")
    print(f"  export:    {t_export:5.2f} s")
    print(f"  re-import: {t_import:5.2f} s")


if __name__ == "__main__":
    main()
