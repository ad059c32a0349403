"""Deck writing: quizgen's writer against raw genanki for the same 10,000 notes, in one run."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, scaled_bank, timed  # noqa: E402


def main(n: int = 10_000) -> None:
    one_core()
    import genanki

    from quizgen.bank import Bank
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers.anki import BASIC_MODEL, note_spec, write_deck

    root = Path(__file__).resolve().parent.parent
    base = build_bank(load_pack(root / "source_texts" / "six_party_talks_2003.yaml"))
    bank = scaled_bank(Bank(tuple(q for q in base if q.type != "cloze")), n)
    specs = [note_spec(q, "Bench") for q in bank]
    tmp = Path(tempfile.mkdtemp())

    def raw():
        deck = genanki.Deck(2059400110, "Bench")
        for s in specs:
            deck.add_note(genanki.Note(model=BASIC_MODEL if s.model_id == BASIC_MODEL.model_id else genanki_model(s.model_id),
                                       fields=list(s.fields), guid=genanki.guid_for(s.key)))
        genanki.Package(deck).write_to_file(str(tmp / "raw.apkg"), timestamp=1_700_000_000)

    def ours():
        for p in tmp.glob("ours*"):
            p.unlink()
        write_deck(bank, tmp / "ours.apkg", now=1_700_000_000)

    def rebuild():
        write_deck(bank, tmp / "ours.apkg", now=1_700_000_500)

    def genanki_model(mid):
        from quizgen.writers.anki import MODELS

        return MODELS[mid]

    # interleaved, best of 7: the figures are what the machine can do, not what else it was doing
    t_raw = t_ours = t_rebuild = float("inf")
    for _ in range(7):
        t_raw = min(t_raw, timed(raw, 1))
        t_ours = min(t_ours, timed(ours, 1))
        t_rebuild = min(t_rebuild, timed(rebuild, 1))
    print(f"deck writing, {len(bank):,} notes (one core)")
    print(f"  raw genanki:                 {t_raw:6.2f} s")
    print(f"  quizgen write_deck (first):  {t_ours:6.2f} s   ratio {t_ours / t_raw:4.2f}x")
    print(f"  quizgen rebuild, unchanged:  {t_rebuild:6.2f} s   ratio {t_rebuild / t_raw:4.2f}x")


if __name__ == "__main__":
    main()
