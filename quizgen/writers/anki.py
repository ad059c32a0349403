"""Anki writer: the bank as an .apkg whose notes update in place on re-import (stable GUIDs, per-note mtimes)."""
from __future__ import annotations

import functools
import hashlib
import html
import io
import itertools
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ..atomic import Written, write_bytes, write_text
from ..bank import BLANK, TYPE_LABELS, Bank, Question, stable_hash
from ..errors import Diagnostic, InputError, plural

# Model ids are identities in every student's collection: never change one. A change of fields or
# templates gets a new model (new id, name with the next version); see README "Note types".
BASIC_MODEL_ID = 1733050001
MCQ_MODEL_ID = 1733050002
CLOZE_MODEL_ID = 1733050003
TWO_WAY_MODEL_ID = 1733050004
MANIFEST_FORMAT = 1
RETIRED_TAG = "quizgen::retired"
RETIRED_DECK = "Retired"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CSS = """
.card { font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 20px;
        line-height: 1.45; text-align: left; color: #1d1d1f; background: #fdfdfd; max-width: 38em;
        margin: 0 auto; padding: 0.4em 0.8em; }
.qg-kind { font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: #6b6b6b; margin-bottom: 0.5em; }
.qg-q { font-weight: 600; }
.qg-options { padding-left: 1.6em; }
.qg-options li { margin: 0.25em 0; }
.qg-q .qg-options { font-weight: normal; }
.qg-correct { font-weight: 700; color: #0a7a2f; }
.qg-correct::after { content: "  \\2714"; }
.qg-a { font-size: 1.1em; font-weight: 700; color: #0a7a2f; }
.qg-details blockquote { margin: 0.8em 0; padding: 0.3em 0.8em; border-left: 4px solid #c9c9c9; color: #444; font-style: italic; }
.qg-source { font-size: 0.7em; color: #6b6b6b; margin-top: 1em; }
.cloze { font-weight: 700; color: #1f5fbf; }
.nightMode .card, .card.nightMode, .night_mode .card { color: #e6e6e6; background: #1f1f1f; }
.nightMode .qg-correct, .nightMode .qg-a, .card.nightMode .qg-correct, .card.nightMode .qg-a { color: #63d98a; }
.nightMode .qg-details blockquote, .card.nightMode .qg-details blockquote { color: #c8c8c8; border-left-color: #555; }
.nightMode .cloze, .card.nightMode .cloze { color: #8ab4ff; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 0.2em 0.4em; } }
"""

_SOURCE = '<div class="qg-source">{{Source}}</div>'
_DETAILS = '{{#Details}}<div class="qg-details">{{Details}}</div>{{/Details}}'

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID, "quizgen Question v1",
    fields=[{"name": n} for n in ("QuestionId", "Kind", "Question", "Answer", "Details", "Source")],
    templates=[{"name": "Question",
                "qfmt": '<div class="qg-kind">{{Kind}}</div><div class="qg-q">{{Question}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Answer}}</div>' + _DETAILS + _SOURCE}],
    css=CSS, sort_field_index=2)

MCQ_MODEL = genanki.Model(
    MCQ_MODEL_ID, "quizgen Multiple choice v1",
    fields=[{"name": n} for n in ("QuestionId", "Question", "Options", "Marked", "Answer", "Details", "Source")],
    templates=[{"name": "Multiple choice",
                "qfmt": '<div class="qg-kind">Multiple choice</div><div class="qg-q">{{Question}}</div>{{Options}}',
                "afmt": '<div class="qg-kind">Multiple choice</div><div class="qg-q">{{Question}}</div>{{Marked}}'
                        '<hr id="answer"><div class="qg-a">{{Answer}}</div>' + _DETAILS + _SOURCE}],
    css=CSS, sort_field_index=1)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID, "quizgen Cloze v1",
    fields=[{"name": n} for n in ("Text", "Extra", "QuestionId", "Source")],
    templates=[{"name": "Cloze",
                "qfmt": '<div class="qg-kind">Fill in the blank</div>{{cloze:Text}}',
                "afmt": '<div class="qg-kind">Fill in the blank</div>{{cloze:Text}}<hr id="answer">'
                        '{{#Extra}}<div class="qg-details">{{Extra}}</div>{{/Extra}}' + _SOURCE}],
    css=CSS, model_type=genanki.Model.CLOZE, sort_field_index=0)

TWO_WAY_MODEL = genanki.Model(
    TWO_WAY_MODEL_ID, "quizgen Two-way v1",
    fields=[{"name": n} for n in ("QuestionId", "Front", "Back", "Details", "Source")],
    templates=[{"name": "Forward",
                "qfmt": '<div class="qg-kind">Short answer</div><div class="qg-q">{{Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Back}}</div>' + _DETAILS + _SOURCE},
               {"name": "Reverse",
                "qfmt": '<div class="qg-kind">Who is this, in the text?</div><div class="qg-q">{{Back}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="qg-a">{{Front}}</div>' + _DETAILS + _SOURCE}],
    css=CSS, sort_field_index=1)

MODELS = {m.model_id: m for m in (BASIC_MODEL, MCQ_MODEL, CLOZE_MODEL, TWO_WAY_MODEL)}
TWO_WAY_KINDS = {"person"}


def model_signature(model: genanki.Model) -> dict:
    """What must never change under a model id: its name, field names and template names."""
    return {"name": model.name, "fields": [f["name"] for f in model.fields],
            "templates": [t["name"] for t in model.templates], "cloze": model.model_type == genanki.Model.CLOZE}


_SPECIAL = re.compile(r"[&<>\"'{}\n]")


@functools.lru_cache(maxsize=16384)
def esc(text: str) -> str:
    """HTML-escape, and break '{{' so no field can open an Anki template or cloze tag."""
    if not _SPECIAL.search(text):
        return text
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;").replace("\n", "<br>")


@dataclass(frozen=True)
class NoteSpec:
    """A note as quizgen decides it, before any timestamp: its identity and its content."""

    key: str
    model_id: int
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def content_hash(self) -> str:
        blob = "\x1e".join((str(self.model_id), self.deck, "\x1f".join(self.fields), " ".join(self.tags)))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@dataclass
class DeckResult:
    """What writing a deck did: the file, its notes and cards, and which notes are new, changed, retired or skipped."""

    written: Written
    notes: int
    cards: int
    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    manifest: Written | None = None

    def __repr__(self) -> str:
        return (f"<DeckResult {self.written.path}: {self.notes} notes, {self.cards} cards; {len(self.added)} new, "
                f"{len(self.updated)} changed, {len(self.retired)} retired>")

    def __str__(self) -> str:
        lines = [f"{self.written} - {plural(self.notes, 'note')}, {plural(self.cards, 'card')}"]
        if self.added:
            lines.append(f"  {plural(len(self.added), 'new note')}")
        if self.updated:
            lines.append(f"  {plural(len(self.updated), 'note')} changed, students' copies will update: {', '.join(self.updated[:8])}{' ...' if len(self.updated) > 8 else ''}")
        if self.retired:
            lines.append(f"  {plural(len(self.retired), 'note')} retired (no longer in the facts; tagged {RETIRED_TAG}): {', '.join(self.retired[:8])}")
        for s in self.skipped:
            lines.append(f"  warning: skipped {s}")
        return "\n".join(lines)


_NOT_TAG = re.compile(r"[^\w:-]", re.UNICODE)


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    """Anki tags have no spaces (Anki would split them); keep letters, digits, _, - and :: hierarchy."""
    return _NOT_TAG.sub("_", text)


def _options_html(q: Question, mark: bool) -> str:
    items = []
    for i, opt in enumerate(q.options):
        cls = ' class="qg-correct"' if mark and i == q.correct_index else ""
        items.append(f"<li{cls}>{esc(opt)}</li>")
    return '<ol type="A" class="qg-options">' + "".join(items) + "</ol>"


def _details(q: Question) -> str:
    parts = []
    if q.explanation:
        parts.append(esc(q.explanation))
    if q.evidence:
        parts.append(f"<blockquote>{esc(q.evidence)}</blockquote>")
    return "".join(f"<div>{p}</div>" if not p.startswith("<blockquote") else p for p in parts)


def _source(q: Question) -> str:
    return _citation_html(q.citation)


@functools.lru_cache(maxsize=64)
def _citation_html(c) -> str:
    return esc(f"{c.title} - {c.publisher}, {c.date}. {c.license}.")


def _front(q: Question) -> str:
    text = esc(q.prompt)
    if q.type == "ordering":
        text += '<ol type="A" class="qg-options">' + "".join(f"<li>{esc(item)}</li>" for _, item in q.shown_items()) + "</ol>"
    elif q.type == "matching":
        text += '<ol class="qg-options">' + "".join(f"<li>{esc(o)}</li>" for o in q.options) + "</ol>"
        text += '<ol type="A" class="qg-options">' + "".join(f"<li>{esc(item)}</li>" for _, item in q.shown_items()) + "</ol>"
    return text


def _back(q: Question) -> str:
    if q.type == "ordering":
        return '<ol class="qg-options">' + "".join(f"<li>{esc(o)}</li>" for o in q.options) + "</ol>"
    if q.type == "matching":
        letters = q.correct_letters()
        return '<ol class="qg-options">' + "".join(
            f"<li>{esc(o)} &rarr; {letters[i]}. {esc(m)}</li>" for i, (o, m) in enumerate(zip(q.options, q.matches))) + "</ol>"
    if q.type == "numeric" and q.tolerance:
        return esc(f"{q.answer_text} (within {q.tolerance:g})")
    return esc(q.answer_text)


def note_spec(q: Question, deck_name: str) -> NoteSpec | str:
    """The note for a question, or the reason no note type can carry it."""
    tags = (f"quizgen::{_tag(q.source)}::{_tag(q.kind)}", f"quizgen::{_tag(q.source)}::type::{q.type}",
            *(_tag(t) for t in q.tags))
    deck = f"{deck_name}::{TYPE_LABELS[q.type]}"
    key = f"{q.source}/{q.id}"
    if q.type == "mcq":
        if len(q.options) < 2 or q.correct_index is None:
            return f"{q.id}: a multiple-choice question needs options and a correct one among them"
        fields = (esc(q.id), esc(q.prompt), _options_html(q, False), _options_html(q, True), esc(q.answer_text), _details(q), _source(q))
        return NoteSpec(key, MCQ_MODEL_ID, deck, fields, tags)
    if q.type == "cloze":
        if q.prompt.count(BLANK) != 1 or not q.answer.strip():
            return f"{q.id}: a cloze needs exactly one blank ({BLANK}) and an answer"
        before, after = q.prompt.split(BLANK)
        answer = esc(q.answer).replace(":", "&#58;")
        text = f"{esc(before)}{{{{c1::{answer}}}}}{esc(after)}"
        return NoteSpec(key, CLOZE_MODEL_ID, deck, (text, _details(q), esc(q.id), _source(q)), tags)
    if q.type == "short" and q.kind in TWO_WAY_KINDS:
        return NoteSpec(key, TWO_WAY_MODEL_ID, deck, (esc(q.id), esc(q.prompt), esc(q.answer), _details(q), _source(q)), tags)
    if not q.prompt.strip():
        return f"{q.id}: the question has no text"
    fields = (esc(q.id), esc(TYPE_LABELS[q.type]), _front(q), _back(q), _details(q), _source(q))
    return NoteSpec(key, BASIC_MODEL_ID, deck, fields, tags)


def _load_manifest(path: Path) -> dict:
    if not path.exists():
        return {"format": MANIFEST_FORMAT, "notes": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"deck manifest is unreadable ({exc}); restore it from version control")]) from None
    if data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("notes"), dict):
        raise InputError(diagnostics=[Diagnostic(str(path), message=f"deck manifest expected format {MANIFEST_FORMAT}, found {data.get('format')!r}")])
    return data


def manifest_text(manifest: dict) -> str:
    """The manifest as JSON with one note per line: small diffs in review, and fast to write."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    lines = [f" {dumps(k)}: {dumps(v)}" for k, v in sorted(manifest["notes"].items())]
    return '{"format": %d, "notes": {\n%s\n}}\n' % (manifest["format"], ",\n".join(lines))


def manifest_path_for(apkg: Path) -> Path:
    return apkg.with_name(apkg.stem + ".manifest.json")


def render_deck(bank: Bank, manifest: dict, now: int | None = None, previous: Path | None = None) -> tuple[bytes, dict, DeckResult]:
    """The .apkg bytes and the next manifest; a note's time moves only when its content changes.

    A note that left the bank is kept, tagged quizgen::retired: its content comes from the manifest, or the
    first time from the previous deck file (the manifest keeps only hashes and times of live notes).
    """
    if not bank.questions:
        raise InputError("the bank has no questions to put in a deck")
    deck_name = _deck_name(bank)
    now = int(time.time()) if now is None else now
    old = manifest["notes"]
    new_notes: dict[str, dict] = {}
    result = DeckResult(Written(Path(), 0, False), 0, 0)
    specs: list[NoteSpec] = []
    for q in bank.questions:
        spec = note_spec(q, deck_name)
        if isinstance(spec, str):
            result.skipped.append(spec)
            continue
        specs.append(spec)
    live = {s.key for s in specs}
    gone = [k for k in sorted(old) if k not in live]
    earlier = _previous_notes(previous) if any("retired" not in old[k] for k in gone) else {}
    for key in gone:
        kept = old[key].get("retired") or earlier.get(genanki.guid_for(key))
        if kept is None:
            result.skipped.append(f"{key.split('/', 1)[-1]}: removed from the facts, but the previous deck is not there to retire it from")
            continue
        tags = tuple(kept["tags"]) if RETIRED_TAG in kept["tags"] else (*kept["tags"], RETIRED_TAG)
        # a student who imports for the first time finds retired cards apart; an import never moves the
        # cards of notes a student already has, so theirs stay where they are, only tagged
        specs.append(NoteSpec(key, kept["model"], f"{deck_name}::{RETIRED_DECK}", tuple(kept["fields"]), tags))
        result.retired.append(key.split("/", 1)[-1])
    retired_keys = set(result.retired)
    for spec in specs:
        prev = old.get(spec.key)
        h = spec.content_hash
        if prev and prev["hash"] == h:
            mtime = prev["mtime"]
        else:
            mtime = max(now, prev["mtime"] + 1) if prev else now
            (result.updated if prev else result.added).append(spec.key.split("/", 1)[-1])
        entry = {"hash": h, "mtime": mtime}
        if spec.key.split("/", 1)[-1] in retired_keys:
            entry["retired"] = {"model": spec.model_id, "deck": spec.deck, "fields": list(spec.fields), "tags": list(spec.tags)}
        new_notes[spec.key] = entry
    # a retired note is reported as retired, not also as changed
    result.updated = [u for u in result.updated if u not in retired_keys]
    data = _package_bytes(specs, new_notes)
    result.notes = len(specs)
    result.cards = sum(_card_count(s.model_id) for s in specs)
    return data, {"format": MANIFEST_FORMAT, "notes": dict(sorted(new_notes.items()))}, result


def _card_count(model_id: int) -> int:
    return 1 if model_id == CLOZE_MODEL_ID else len(MODELS[model_id].templates)


def _previous_notes(apkg: Path | None) -> dict[str, dict]:
    """The notes of an earlier deck file, by GUID (to retire notes whose records were removed)."""
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
        decks = {int(k): v["name"] for k, v in json.loads(con.execute("select decks from col").fetchone()[0]).items()}
        out = {}
        for guid, mid, tags, flds, did in con.execute(
                "select n.guid, n.mid, n.tags, n.flds, min(c.did) from notes n join cards c on c.nid = n.id group by n.id"):
            out[guid] = {"model": mid, "deck": decks.get(did, ""), "fields": flds.split("\x1f"), "tags": tags.split()}
        con.close()
        return out
    except sqlite3.Error:
        return {}
    finally:
        os.unlink(name)


def _deck_name(bank: Bank) -> str:
    c = bank.questions[0].citation
    return (c.name or c.title).replace("::", ":")


def _package_bytes(specs: list[NoteSpec], entries: dict[str, dict]) -> bytes:
    """genanki lays out the collection (schema, note types, decks); the notes and cards go in as one batch."""
    decks: dict[str, genanki.Deck] = {}
    for spec in specs:
        if spec.deck not in decks:
            decks[spec.deck] = genanki.Deck(1 << 30 | stable_hash(spec.deck) % (1 << 30), spec.deck)
            for model in MODELS.values():
                decks[spec.deck].add_model(model)
    timestamp = max(e["mtime"] for e in entries.values())
    ids = itertools.count(int(timestamp) * 1000)
    notes, cards = [], []
    for spec in sorted(specs, key=lambda s: s.key):
        mtime = entries[spec.key]["mtime"]
        model = MODELS[spec.model_id]
        nid = next(ids)
        tags = " " + " ".join(spec.tags) + " "
        notes.append((nid, genanki.guid_for(spec.key), spec.model_id, mtime, -1, tags, "\x1f".join(spec.fields),
                      spec.fields[model.sort_field_index], 0, 0, ""))
        did = decks[spec.deck].deck_id
        for ord_ in range(_card_count(spec.model_id)):
            cards.append((next(ids), nid, did, ord_, mtime, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""))
    package = genanki.Package([decks[name] for name in sorted(decks)])
    fd, dbname = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        conn = sqlite3.connect(dbname)
        cursor = conn.cursor()
        # a scratch file that is zipped and deleted: no journal and no syncing to disk
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        package.write_to_db(cursor, timestamp, ids)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        conn.commit()
        conn.close()
        with open(dbname, "rb") as fh:
            db = fh.read()
    finally:
        os.unlink(dbname)
    return _zip(db)


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


def write_deck(bank: Bank, path: Path | str, manifest_path: Path | None = None, now: int | None = None) -> DeckResult:
    """Write the deck and its manifest atomically; `quizgen build --check` compares render_deck's bytes instead."""
    path = Path(path)
    manifest_path = manifest_path or manifest_path_for(path)
    manifest = _load_manifest(manifest_path)
    data, new_manifest, result = render_deck(bank, manifest, now, previous=path)
    result.written = write_bytes(path, data)
    result.manifest = write_text(manifest_path, manifest_text(new_manifest))
    return result
