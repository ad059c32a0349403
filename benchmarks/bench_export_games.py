"""Export time of GIFT, Kahoot! (.xlsx), Blooket, Gimkit and Quizlet for a 100,000-question bank, each against
writing the same rows with the csv module alone in the same run."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, timed  # noqa: E402

FORMATS = ("gift", "kahoot", "blooket", "gimkit", "quizlet")


def csv_alone(rows: list[list[object]]) -> bytes:
    """The baseline: the same rows through csv.writer and UTF-8, nothing else."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def same_rows(fmt: str, bank, result) -> list[list[object]]:
    """The rows a format writes: the template rows for the games, one row a card for Quizlet, and for GIFT one row a
    question (title, stem, every answer text) - what the format's file holds, without its syntax."""
    from quizgen.bank import opaque_id
    from quizgen.writers import blooket, gimkit, kahoot, quizlet

    if fmt in ("kahoot", "blooket", "gimkit"):
        return {"kahoot": kahoot, "blooket": blooket, "gimkit": gimkit}[fmt].rows(bank)[0]
    carried = set(result.carried)
    questions = [q for q in bank.questions if q.id in carried]
    if fmt == "quizlet":
        return [list(card) for q in questions for card in quizlet.question_cards(q)]
    return [[opaque_id(bank.seed, q.source, q.id), q.prompt, q.answer, *q.alternates, *q.options, *q.matches, q.evidence]
            for q in questions]


def distinct_bank(base, n: int):
    """n questions: copies of base's under new ids, each prompt numbered, so no two flashcards share a front."""
    from dataclasses import replace

    from quizgen.bank import Bank

    qs = list(base.questions)
    return Bank(tuple(replace(q, id=f"{q.id}-{k}", prompt=f"{q.prompt} ({k})") for k, q in
                      ((k, qs[k % len(qs)]) for k in range(n))), base.seed)


def main(n: int = 100_000) -> None:
    one_core()
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers import load_writer

    root = Path(__file__).resolve().parent.parent
    bank = distinct_bank(build_bank(load_pack(root / "source_texts" / "six_party_talks_2003.yaml")), n)
    mix = ", ".join(f"{t} {c:,}" for t, c in bank.counts_by_type().items() if c)
    print(f"Classroom-game and GIFT exports, {len(bank):,} questions ({mix}), one core, best of 3")
    print(f"  {'format':<8} {'export':>8} {'csv alone':>10} {'ratio':>6} {'carried':>9} {'reported':>9} {'size':>8}")
    for fmt in FORMATS:
        render = load_writer(fmt).render
        result = render(bank)
        rows = same_rows(fmt, bank, result)
        # alternate the two, best of three each, so a busy moment on a shared machine hits both alike
        t_export = t_csv = float("inf")
        for _ in range(3):
            t_export = min(t_export, timed(lambda: render(bank), repeat=1))
            t_csv = min(t_csv, timed(lambda: csv_alone(rows), repeat=1))
        print(f"  {fmt:<8} {t_export:7.2f}s {t_csv:9.2f}s {t_export / t_csv:5.1f}x {len(result.carried):>9,} "
              f"{len(result.dropped):>9,} {len(result.data) / 1e6:6.1f}MB")


if __name__ == "__main__":
    main()
