"""Review page speed: what the page itself costs (flags, summary, HTML) against building the source's bank, with
the default quiz's selection (quizgen/selection.py, which the page calls) timed apart."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, synthetic_pack, timed  # noqa: E402


def main() -> None:
    one_core()
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.quiz import select_quiz
    from quizgen.review import render_page, review_pack
    from quizgen.review.flags import bank_flags
    from quizgen.review.summary import summarise

    root = Path(__file__).resolve().parent.parent
    sources = [(p.stem, load_pack(p)) for p in sorted((root / "source_texts").glob("*.yaml"))]
    sources += [(f"synthetic, {n} records", synthetic_pack(n, n_records=n)) for n in (25, 50, 100)]
    print("review page (one core): the page's own work against building the bank, same source, same process")
    for name, pack in sources:
        bank = build_bank(pack, "bench")
        quiz = select_quiz(bank)
        review = review_pack(pack, seed="bench")
        t_bank = timed(lambda: build_bank(pack, "bench"))
        t_quiz = timed(lambda: select_quiz(bank), repeat=1)
        t_flags = timed(lambda: (summarise(pack, bank, quiz), bank_flags(pack, bank, [i.question for i in quiz.items])))
        t_html = timed(lambda: render_page(review))
        own = t_flags + t_html
        print(f"  {name:26s} {len(bank):4d} questions: bank {1000 * t_bank:6.0f} ms | page: flags and summary "
              f"{1000 * t_flags:5.0f} ms, HTML {1000 * t_html:4.0f} ms = {own / t_bank:4.2f} x the bank "
              f"| default quiz selection {1000 * t_quiz:7.0f} ms")


if __name__ == "__main__":
    main()
