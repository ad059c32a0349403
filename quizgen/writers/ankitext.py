"""Anki text export: the deck's notes as a tab-separated file with Anki's headers, for teachers' own collections."""
from __future__ import annotations

import csv
import io

import genanki

from ..bank import Bank
from ..errors import InputError
from . import ExportResult
from .anki import MODELS, V2_MODELS, deck_name, note_fields, plan_notes

_WIDEST = max(len(MODELS[mid].fields) for mid in V2_MODELS)
# columns: note type, deck, GUID, the fields (padded to the widest note type), tags. The note type comes
# first because Anki reads a line that starts with '#' as a comment, and a GUID may start with '#'.
HEADER = ("#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n#guid column:3\n"
          f"#tags column:{4 + _WIDEST}\n")


def render(bank: Bank, manifest: dict | None = None) -> ExportResult:
    """The same notes, GUIDs, fields and tags as the .apkg of each source (a manifest gives the card numbers a
    deck with history has; without one, those of a first deck). Withdrawn notes are only in the .apkg."""
    if not bank.questions:
        raise InputError("the bank has no questions to export")
    out = io.StringIO()
    out.write(HEADER)
    writer = csv.writer(out, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    result = ExportResult(b"")
    for source in bank.sources:
        part = bank.filter(source=source)
        plan = plan_notes(part)
        deck = deck_name(part)
        entries = (manifest or {}).get("notes", {})
        for note in plan.notes:
            fields, _, tags = note_fields(note, entries.get(note.key))
            padded = list(fields) + [""] * (_WIDEST - len(fields))
            writer.writerow([MODELS[note.model_id].name, deck, genanki.guid_for(note.key), *padded, " ".join(tags)])
            result.carried += list(note.question_ids)
        result.dropped += plan.dropped()
    result.data = out.getvalue().encode("utf-8")
    return result
