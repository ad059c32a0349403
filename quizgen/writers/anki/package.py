"""The .apkg file: genanki lays out the collection, quizgen inserts notes and cards with their own times."""
from __future__ import annotations

import io
import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from ...bank import stable_hash
from .models import MODELS, PRESET_ID

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PRESET_NAME = "quizgen (siblings buried, text order)"


@dataclass(frozen=True)
class NoteRow:
    """A note as it goes into the package."""

    guid: str
    model_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    mtime: int
    cards: tuple[int, ...]     # the card ordinals a newcomer gets (a withdrawn note brings none)
    due: int                   # new-card position: where the note's evidence starts in the text


def package_bytes(rows: list[NoteRow], model_mtimes: dict[int, int], deck_name: str, description: str) -> bytes:
    """The .apkg bytes: the same rows, times and deck always give the same bytes."""
    deck = genanki.Deck(1 << 30 | stable_hash(deck_name) % (1 << 30), deck_name, description=description)
    for mid in sorted({r.model_id for r in rows}):
        deck.add_model(MODELS[mid])
    timestamp = max([r.mtime for r in rows] + list(model_mtimes.values()))
    ids = itertools.count(int(timestamp) * 1000)
    notes, cards = [], []
    for row in rows:
        nid = next(ids)
        sort_field = row.fields[MODELS[row.model_id].sort_field_index]
        notes.append((nid, row.guid, row.model_id, row.mtime, -1, " " + " ".join(row.tags) + " ",
                      "\x1f".join(row.fields), sort_field, 0, 0, ""))
        for ord_ in row.cards:
            cards.append((next(ids), nid, deck.deck_id, ord_, row.mtime, -1, 0, 0, row.due, 0, 0, 0, 0, 0, 0, 0, 0, ""))
    fd, dbname = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        conn = sqlite3.connect(dbname)
        cursor = conn.cursor()
        # a scratch file that is zipped and deleted: no journal and no syncing to disk
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        genanki.Package([deck]).write_to_db(cursor, timestamp, ids)
        _set_model_times(cursor, model_mtimes)
        _add_preset(cursor, deck.deck_id)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        conn.commit()
        conn.close()
        with open(dbname, "rb") as fh:
            db = fh.read()
    finally:
        os.unlink(dbname)
    return _zip(db)


def _set_model_times(cursor, model_mtimes: dict[int, int]) -> None:
    """Each note type carries the time its CSS or templates last changed (Anki updates a note type only
    when the incoming one is newer); genanki would stamp one time on all."""
    models = json.loads(cursor.execute("SELECT models FROM col").fetchone()[0])
    for mid, model in models.items():
        model["mod"] = model_mtimes[int(mid)]
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))


def _add_preset(cursor, deck_id: int) -> None:
    """A deck options preset that buries sibling cards and keeps new cards in the order of the text. Anki
    uses it only when the student ticks 'Import any deck presets'; otherwise the deck gets their default."""
    dconf = json.loads(cursor.execute("SELECT dconf FROM col").fetchone()[0])
    preset = json.loads(json.dumps(dconf["1"]))
    preset.update({"id": PRESET_ID, "name": PRESET_NAME, "mod": 1, "buryInterdayLearning": True,
                   "newGatherPriority": 0, "newSortOrder": 1})
    preset["new"]["bury"] = True
    preset["new"]["order"] = 1
    preset["rev"]["bury"] = True
    dconf[str(PRESET_ID)] = preset
    decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    decks[str(deck_id)]["conf"] = PRESET_ID
    cursor.execute("UPDATE col SET dconf = ?, decks = ?", (json.dumps(dconf, sort_keys=True), json.dumps(decks, sort_keys=True)))


def _zip(db: bytes) -> bytes:
    """The .apkg zip with fixed member dates, so the same content gives the same file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in (("collection.anki2", db), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, payload, compresslevel=1)
    return buf.getvalue()


def previous_notes(apkg: Path | None) -> dict[str, dict]:
    """The notes of an earlier deck file, by GUID: what a withdrawn note or card showed before."""
    if apkg is None or not apkg.is_file():
        return {}
    try:
        with zipfile.ZipFile(apkg) as z:
            db = z.read("collection.anki2")
    except (OSError, zipfile.BadZipFile, KeyError):
        return {}
    fd, name = tempfile.mkstemp(suffix=".anki2")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(db)
        con = sqlite3.connect(name)
        out = {guid: {"model": mid, "fields": flds.split("\x1f"), "tags": tags.split()}
               for guid, mid, tags, flds in con.execute("SELECT guid, mid, tags, flds FROM notes")}
        con.close()
        return out
    except sqlite3.Error:
        return {}
    finally:
        os.unlink(name)
