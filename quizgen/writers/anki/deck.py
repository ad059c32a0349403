"""Deck assembly: planned notes and the manifest give the package rows, the next manifest, and what changed."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ...atomic import Written, write_bytes, write_text
from ...bank import Bank
from ...errors import InputError, plural
from .manifest import _load_manifest, content_hash, manifest_path_for, manifest_text, next_mtime
from .models import (CLOZE_ID, MODELS, NOTICE_FIELDS, RECALL_ID, RECALL_SLOTS, field_names, model_hash,
                     recall_fields)
from .notes import LEFT_OUT, PlannedNote, deck_name, esc, esc_cloze, plan_notes, topic_tags
from .package import NoteRow, package_bytes, previous_notes

RETIRED_TAG = "quizgen::retired"
WITHDRAWN_NOTICE = ("Withdrawn by your teacher: this card is no longer part of the deck. "
                    "Suspend or delete it (Browse: tag:quizgen::retired).")
_NOTICE_HTML = f'<div class="qg-withdrawn">{WITHDRAWN_NOTICE}</div>'
_CARD_NOTICE_HTML = ('<div class="qg-withdrawn">Withdrawn by your teacher: this card is no longer part of the deck. '
                     'Suspend or delete it.</div>')


@dataclass
class DeckResult:
    """What a deck build did, for the teacher: counts, and every note added, changed (which fields) or withdrawn."""

    written: Written
    notes: int
    cards: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)     # note -> what changed in it
    retired: list[str] = field(default_factory=list)
    withdrawn_notes: int = 0
    model_changes: list[str] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=dict)   # what (short) -> question ids, by design
    skipped: list[str] = field(default_factory=list)                # problems the teacher should look at
    warnings: list[str] = field(default_factory=list)                # for the command to print on standard error
    manifest: Written | None = None

    def change_lines(self) -> list[str]:
        """What students' copies will get from this deck: new, changed (which fields) and withdrawn notes."""
        lines = []
        if self.added:
            lines.append(f"{plural(len(self.added), 'new note')}: {_some(self.added)}")
        if self.updated:
            lines.append(f"{plural(len(self.updated), 'note')} changed, students' copies will update:")
            lines += [f"  {name}: {', '.join(self.changes.get(name, ['content']))}" for name in self.updated[:40]]
            if len(self.updated) > 40:
                lines.append(f"  ... and {len(self.updated) - 40} more")
        if self.retired:
            lines.append(f"{plural(len(self.retired), 'note')} withdrawn (no longer in the facts; tagged {RETIRED_TAG}, "
                         f"a notice on their cards, no cards for newcomers): {_some(self.retired)}")
        lines += [f"note type {m}" for m in self.model_changes]
        return lines

    def __repr__(self) -> str:
        return (f"<DeckResult {self.written.path}: {plural(self.notes, 'note')}, {plural(self.cards, 'card')}; {len(self.added)} new, "
                f"{len(self.updated)} changed, {len(self.retired)} withdrawn>")

    def __str__(self) -> str:
        lines = [f"{self.written} - {plural(self.notes, 'note')}, {plural(self.cards, 'card')}"
                 + (f" (+{self.withdrawn_notes} withdrawn notes kept for students' updates)" if self.withdrawn_notes else "")]
        lines += [f"  {line}" for line in self.change_lines()]
        if self.left_out:
            lines.append("  left out by design: " + "; ".join(f"{len(ids)} {why}" for why, ids in self.left_out.items()))
        for s in self.skipped:
            lines.append(f"  warning: skipped {s}")
        return "\n".join(lines)


def _some(names: list[str], n: int = 8) -> str:
    return ", ".join(names[:n]) + (" ..." if len(names) > n else "")


def deck_description(bank: Bank) -> str:
    c = bank.questions[0].citation
    return (f"<b>{esc(c.title)}</b><br>{esc(c.publisher)}, {esc(c.date)}. {esc(c.license)}."
            "<br><br>New cards come in the order of the text. Cards of one fact, and the blanks of one sentence, "
            "are siblings: in this deck's options turn on <i>Bury new siblings</i> and <i>Bury review siblings</i> "
            "(or tick <i>Import any deck presets</i> when importing), so you see one of them a day. "
            f"Cards your teacher withdrew say so on the card and are tagged <code>{RETIRED_TAG}</code>: suspend or delete them.")


def render_deck(bank: Bank, manifest: dict, now: int | None = None, previous: Path | None = None) -> tuple[bytes, dict, DeckResult]:
    """The .apkg bytes and the next manifest of a one-source bank; a note's time moves only when its content changes.

    A note (or one card of a note) that left the bank is withdrawn: its content, with a notice, comes from the
    manifest or, the first time, from the previous deck file; a newcomer gets no cards for it.
    """
    if not bank.questions:
        raise InputError("the bank has no questions to put in a deck")
    if len(bank.sources) > 1:
        raise InputError(f"a deck holds one source, but the bank has {len(bank.sources)}: {', '.join(bank.sources)}")
    plan = plan_notes(bank)
    if not plan.notes:
        raise InputError("no question of the bank can be a flashcard (see 'left out by design' in the docs, docs/decks.md)")
    now = int(time.time()) if now is None else now
    old: dict[str, dict] = manifest["notes"]
    earlier = _Lazy(previous)
    result = DeckResult(Written(Path(), 0, False), 0, 0)
    result.left_out = {LEFT_OUT[k][0]: list(v) for k, v in sorted(plan.left_out.items())}
    result.skipped += [f"{qid}: {why}" for qid, why in plan.refused]
    rows: list[NoteRow] = []
    entries: dict[str, dict] = {}

    for note in plan.notes:
        prev = old.get(note.key)
        fields, cards, tags, extra = _assemble(note, prev, earlier, result)
        entry = _entry(note.key, note.label, note.model_id, fields, tags, prev, now, earlier, result)
        entry.update(extra)
        entries[note.key] = entry
        due = note.position * 2 + (note.model_id == CLOZE_ID)
        rows.append(NoteRow(genanki.guid_for(note.key), note.model_id, fields, tags, entry["mtime"], cards, due))
        result.cards += len(cards)
    result.notes = len(rows)

    for key in sorted(k for k in old if k not in entries):
        row, entry = _withdraw(key, old[key], earlier, now, result)
        if row is not None:
            rows.append(row)
            entries[key] = entry
    result.withdrawn_notes = len(rows) - result.notes

    models_out = dict(manifest.get("models", {}))
    model_mtimes = {}
    for mid in sorted({r.model_id for r in rows}):
        h, prev = model_hash(MODELS[mid]), models_out.get(str(mid))
        if prev and prev["hash"] == h:
            model_mtimes[mid] = prev["mtime"]
        else:
            model_mtimes[mid] = next_mtime(prev, now)
            models_out[str(mid)] = {"hash": h, "mtime": model_mtimes[mid]}
            result.model_changes.append(f"'{MODELS[mid].name}': " + ("styling or templates changed, students' copies will update"
                                                                  if prev else "new"))
    data = package_bytes(rows, model_mtimes, deck_name(bank), deck_description(bank))
    return data, {"format": 2, "models": dict(sorted(models_out.items())), "notes": dict(sorted(entries.items()))}, result


class _Lazy:
    """The previous deck's notes, read only when a withdrawal needs them."""

    def __init__(self, path: Path | None):
        self.path, self._notes = path, None

    def get(self, guid: str) -> dict | None:
        if self._notes is None:
            self._notes = previous_notes(self.path)
        return self._notes.get(guid)


def _entry(key: str, label: str, model_id: int, fields: tuple[str, ...], tags: tuple[str, ...], prev: dict | None,
           now: int, earlier: _Lazy, result: DeckResult) -> dict:
    h = content_hash(model_id, fields, tags)
    if prev and prev.get("hash") == h and "withdrawn" not in prev:
        return {"hash": h, "mtime": prev["mtime"], "label": label}
    mtime = next_mtime(prev, now)
    if prev is None or prev.get("v1"):
        result.added.append(label)
    else:
        result.updated.append(label)
        result.changes[label] = _what_changed(key, model_id, fields, tags, prev, earlier)
    return {"hash": h, "mtime": mtime, "label": label}


def _what_changed(key: str, model_id: int, fields: tuple[str, ...], tags: tuple[str, ...], prev: dict,
                  earlier: _Lazy) -> list[str]:
    """Which fields of a changed note differ from the previous deck's copy (read only when a note changed)."""
    if "withdrawn" in prev:
        return ["back in the facts (no longer withdrawn)"]
    before = earlier.get(genanki.guid_for(key))
    if before is None or before["model"] != model_id:
        return ["content"]
    names = field_names(model_id)
    old = list(before["fields"]) + [""] * (len(names) - len(before["fields"]))
    what = [n for n, a, b in zip(names, old, fields) if a != b]
    if sorted(before["tags"]) != sorted(tags):
        what.append("tags")
    return what or ["content"]


def note_fields(note: PlannedNote, prev: dict | None = None) -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
    """A planned note's fields, card ordinals and tags: with its manifest entry, as the deck has them; without,
    as a first deck would (the Anki text export uses this)."""
    fields, cards, tags, _ = _assemble(note, prev, _Lazy(None), DeckResult(Written(Path(), 0, False), 0, 0))
    return fields, cards, tags


def _assemble(note: PlannedNote, prev: dict | None, earlier: _Lazy, result: DeckResult):
    """The note's fields, its live card ordinals, its tags, and what the manifest must keep (card numbers,
    withdrawn cards)."""
    values = {name: "" for name in field_names(note.model_id)}
    values.update(dict(note.shared))
    prev_cards = (prev or {}).get("cards", {})
    tags = note.tags
    if note.model_id == RECALL_ID:
        cards, extra = _recall_slots(note, prev, prev_cards, values, earlier, result)
    elif note.model_id == CLOZE_ID:
        cards, extra, topics = _cloze_numbers(note, prev_cards, values)
        tags = (*note.tags, *topic_tags(note.key.split("/", 1)[0], topics))
    else:
        values["Question"] = note.parts[0].question
        cards, extra = (0,), {}
    return tuple(values[n] for n in field_names(note.model_id)), cards, tags, extra


def _recall_slots(note, prev, prev_cards, values, earlier, result):
    """Each form keeps its card slot across builds; a form that left keeps its slot and text, with a notice."""
    ords: dict[str, int] = {}
    for p in note.parts:
        o = prev_cards.get(p.pid)
        if isinstance(o, int) and 0 <= o < RECALL_SLOTS and o not in ords.values():
            ords[p.pid] = o
    gone = {pid: o for pid, o in prev_cards.items() if pid not in ords and isinstance(o, int) and o not in ords.values()}
    free = [o for o in range(RECALL_SLOTS) if o not in ords.values() and o not in gone.values()]
    for p in note.parts:
        if p.pid not in ords:
            if not free:   # every slot is held by a withdrawn card: the oldest gives its place
                pid = min(gone, key=gone.get)
                free.append(gone.pop(pid))
            ords[p.pid] = free.pop(0)
    for p in note.parts:
        q, a = recall_fields(ords[p.pid] + 1)
        values[q], values[a] = p.question, p.answer
    kept_before = (prev or {}).get("kept", {})
    kept, cards_map = {}, dict(ords)
    for pid, o in sorted(gone.items()):
        q, a = recall_fields(o + 1)
        text = kept_before.get(pid)
        if text is None:
            before = earlier.get(genanki.guid_for(note.key))
            if before and before["model"] == RECALL_ID:
                names = field_names(RECALL_ID)
                text = [_CARD_NOTICE_HTML + before["fields"][names.index(q)], before["fields"][names.index(a)]]
        if text is None:
            result.skipped.append(f"{note.label}: its '{pid}' card was withdrawn, but the previous deck is not there to keep "
                                  "its text; students who have it see a blank card (Tools > Empty Cards removes it)")
            continue
        values[q], values[a] = text
        kept[pid], cards_map[pid] = text, o
    extra = {"cards": dict(sorted(cards_map.items()))}
    if kept:
        extra["kept"] = kept
    return tuple(sorted(ords.values())), extra


def _cloze_numbers(note, prev_cards, values):
    """Each record keeps its cloze number; a record that left keeps its blank, its quote and its topics (the
    sentence still says it, and no field of the note changes), but a newcomer gets no card for it."""
    live = {p.pid: [p.span[0], p.span[1], list(p.topics), p.quote] for p in note.parts}
    ords: dict[str, int] = {}
    for pid in live:
        o = prev_cards.get(pid)
        if isinstance(o, list) and o[0] not in ords.values():
            ords[pid] = o[0]
    gone = {}
    for pid, o in prev_cards.items():
        if pid in live or not isinstance(o, list) or len(o) != 5 or o[0] in ords.values():
            continue
        if all(o[2] <= s or e <= o[1] for s, e, _, _ in live.values()):
            gone[pid] = o
    taken = set(ords.values()) | {o[0] for o in gone.values()}
    for pid in live:
        if pid not in ords:
            ords[pid] = max(taken, default=-1) + 1
            taken.add(ords[pid])
    blanks = {pid: [ords[pid], *v] for pid, v in live.items()}
    blanks.update(gone)
    ordered = sorted(blanks.items(), key=lambda kv: kv[1][1])
    text, at = [], 0
    for pid, (o, start, end, _, _) in ordered:
        text.append(esc_cloze(note.context[at:start]))
        text.append(f"{{{{c{o + 1}::{esc_cloze(note.context[start:end])}}}}}")
        at = end
    text.append(esc_cloze(note.context[at:]))
    values["Text"] = "".join(text)
    quotes = list(dict.fromkeys(b[4] for _, b in ordered if b[4]))
    values["Quote"] = "<br>".join(quotes)
    values["Id"] = esc(" ".join(sorted(blanks)))
    topics = sorted({t for b in blanks.values() for t in b[3]})
    return tuple(sorted(ords.values())), {"cards": dict(sorted(blanks.items()))}, topics


def _withdraw(key: str, entry: dict, earlier: _Lazy, now: int, result: DeckResult) -> tuple[NoteRow | None, dict]:
    """A note whose record left the facts: kept in the deck with a notice, tagged, and with no cards."""
    label = entry.get("label") or key.split("/", 1)[-1]
    guid = genanki.guid_for(key)
    if "withdrawn" in entry:
        w = entry["withdrawn"]
        return NoteRow(guid, w["model"], tuple(w["fields"]), tuple(w["tags"]), entry["mtime"], (), 0), entry
    base = entry.get("v1_content") or earlier.get(guid)
    if base is None or base["model"] not in MODELS:
        result.skipped.append(f"{label}: removed from the facts, but the previous deck is not there to withdraw it from")
        return None, entry
    names = field_names(base["model"])
    fields = list(base["fields"]) + [""] * (len(names) - len(base["fields"]))
    for name in NOTICE_FIELDS[base["model"]]:
        i = names.index(name)
        if name == "Withdrawn":
            fields[i] = WITHDRAWN_NOTICE
        elif not fields[i].startswith('<div class="qg-withdrawn">'):
            fields[i] = _NOTICE_HTML + fields[i]
    tags = tuple(dict.fromkeys([*base["tags"], RETIRED_TAG]))
    out = {k: v for k, v in entry.items() if k not in ("v1", "v1_content")}
    out.update({"hash": content_hash(base["model"], tuple(fields), tags), "mtime": next_mtime(entry, now), "label": label,
                "withdrawn": {"model": base["model"], "fields": fields, "tags": list(tags)}})
    result.retired.append(label)
    return NoteRow(guid, base["model"], tuple(fields), tags, out["mtime"], (), 0), out


def write_deck(bank: Bank, path: Path | str, manifest_path: Path | None = None, now: int | None = None,
               warn_new_history: bool = False) -> DeckResult:
    """Write the deck and its manifest atomically; `quizgen build --check` compares render_deck's bytes instead.

    warn_new_history: the caller chose the output path; with no manifest there, say loudly that this deck starts
    a new history and how to keep students' updates.
    """
    path = Path(path)
    manifest_path = Path(manifest_path) if manifest_path else manifest_path_for(path)
    fresh = not manifest_path.exists()
    manifest = _load_manifest(manifest_path)
    previous = path if path.is_file() else manifest_path.with_name(manifest_path.name.replace(".manifest.json", ".apkg"))
    data, new_manifest, result = render_deck(bank, manifest, now, previous=previous)
    result.written = write_bytes(path, data)
    result.manifest = write_text(manifest_path, manifest_text(new_manifest))
    if fresh and warn_new_history:
        name = bank.sources[0]
        result.warnings.append(
            f"no deck manifest was found at {manifest_path}, so this deck starts a NEW history: every note is stamped "
            "with the current time, a student who imports it over an earlier deck of this text has every note "
            "overwritten (their own tags and edits are lost), and notes you removed cannot be withdrawn from their "
            f"collections. To keep updates, build the deck with its manifest: 'quizgen build' (writes decks/{name}.apkg), "
            f"or copy decks/{name}.manifest.json to {manifest_path} before running 'quizgen deck -o {path}' "
            f"(or pass --manifest decks/{name}.manifest.json).")
    return result
