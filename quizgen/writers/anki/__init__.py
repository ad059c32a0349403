"""Anki decks: one note per record or group and per cloze sentence, updating in place in students' collections.

models.py (note types and style), notes.py (which notes a bank makes), deck.py (assembly with the manifest),
manifest.py (what each note held and when), package.py (the .apkg file). docs/decks.md explains the design.
"""
from __future__ import annotations

from .deck import RETIRED_TAG, WITHDRAWN_NOTICE, DeckResult, deck_description, note_fields, render_deck, write_deck
from .manifest import MANIFEST_FORMAT, _load_manifest, empty_manifest, manifest_path_for, manifest_text
from .models import MODELS, V2_MODELS, model_signature
from .notes import Plan, PlannedNote, deck_name, esc, plan_notes

__all__ = ["DeckResult", "MANIFEST_FORMAT", "MODELS", "Plan", "PlannedNote", "RETIRED_TAG", "V2_MODELS",
           "WITHDRAWN_NOTICE", "_load_manifest", "deck_description", "deck_name", "empty_manifest", "esc",
           "manifest_path_for", "manifest_text", "model_signature", "note_fields", "plan_notes", "render_deck", "write_deck"]
