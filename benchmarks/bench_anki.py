"""Deck writing: quizgen's writer against raw genanki for the same 10,000 notes, in one run."""
from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, timed  # noqa: E402


def notes_bank(base, n: int):
    """A bank that makes n notes: copies of the base's short answers (a recall note each) and clozes (a sentence
    note each, the sentence made unique), under new record ids."""
    from quizgen.bank import Bank
    from quizgen.writers.anki.notes import note_prefix

    shorts = [q for q in base if q.type == "short"]
    clozes = [q for q in base if q.type == "cloze" and q.context.rstrip().endswith(".")]
    out = []
    for k in range(n):
        q = shorts[(k // 2) % len(shorts)] if k % 2 == 0 else clozes[(k // 2) % len(clozes)]
        record = f"{note_prefix(q.id)}-{k}"
        extra = {"context": q.context[:-1] + f" (copy {k})."} if q.type == "cloze" else {}
        out.append(replace(q, id=f"{record}.{q.form}", fact_ids=(record,), **extra))
    return Bank(tuple(out))


def main(n: int = 10_000) -> None:
    one_core()
    import genanki

    from quizgen.facts import load_pack
    from quizgen.generate import build_bank
    from quizgen.writers.anki import MODELS, note_fields, plan_notes, write_deck

    root = Path(__file__).resolve().parent.parent
    base = build_bank(load_pack(root / "source_texts" / "six_party_talks_2003.yaml"))
    bank = notes_bank(base, n)
    plan = plan_notes(bank)
    assert len(plan.notes) == n, (len(plan.notes), plan.refused[:3])
    rows = [(note, *note_fields(note)) for note in plan.notes]
    tmp = Path(tempfile.mkdtemp())

    def raw():
        deck = genanki.Deck(2059400110, "Bench")
        for note, fields, _cards, tags in rows:
            deck.add_note(genanki.Note(model=MODELS[note.model_id], fields=list(fields), tags=list(tags),
                                       guid=genanki.guid_for(note.key)))
        genanki.Package(deck).write_to_file(str(tmp / "raw.apkg"), timestamp=1_700_000_000)

    def ours():
        for p in tmp.glob("ours*"):
            p.unlink()
        write_deck(bank, tmp / "ours.apkg", now=1_700_000_000)

    def rebuild():
        write_deck(bank, tmp / "ours.apkg", now=1_700_000_500)

    # interleaved, best of 7: the figures are what the machine can do, not what else it was doing
    t_raw = t_ours = t_rebuild = float("inf")
    for _ in range(7):
        t_raw = min(t_raw, timed(raw, 1))
        t_ours = min(t_ours, timed(ours, 1))
        t_rebuild = min(t_rebuild, timed(rebuild, 1))
    print(f"deck writing, {n:,} notes ({sum(len(r[2]) for r in rows):,} cards; one core)")
    print(f"  raw genanki:                 {t_raw:6.2f} s")
    print(f"  quizgen write_deck (first):  {t_ours:6.2f} s   ratio {t_ours / t_raw:4.2f}x")
    print(f"  quizgen rebuild, unchanged:  {t_rebuild:6.2f} s   ratio {t_rebuild / t_raw:4.2f}x")


if __name__ == "__main__":
    main()
