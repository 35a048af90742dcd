"""What a preview shows, read from an Anki package: note types, notes, cards and media.

Read-only and bounded by the rules of flashcards.ankifile. Both collection schemas are
read: 11 (legacy packages, genanki's: note types and decks as JSON in ``col``) and 18
(current Anki: ``notetypes``, ``fields``, ``templates`` and ``decks`` tables, protobuf
configs).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from flashcards.ankifile import (
    protobuf_fields,
    read_media,
    read_only_collection,
    table_names,
    text_value,
    unpacked_package,
)
from flashcards.errors import FlashcardsError


@dataclass(frozen=True)
class CardTemplate:
    ord: int
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    fields: tuple[str, ...]  # by ordinal
    templates: tuple[CardTemplate, ...]  # by ordinal
    css: str
    cloze: bool  # a cloze note type: card n shows cloze n + 1, all from template 0


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    note_type: int
    fields: tuple[str, ...]  # as the note holds them, by ordinal
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    id: int
    note: int
    ord: int
    deck: str


@dataclass(frozen=True)
class PackageContents:
    note_types: dict[int, NoteType]
    notes: dict[int, Note]
    cards: tuple[Card, ...]  # in the order a learner meets new cards, then the others


# New cards by their position, then the studied ones; a note's cards in template order.
_CARD_ORDER = "ORDER BY type != 0, CASE WHEN type = 0 THEN due END, nid, ord"


def read_package(
    path: Path, media_of: Callable[[PackageContents], Collection[str]] | None = None
) -> tuple[PackageContents, dict[str, bytes]]:
    """The contents of the package at ``path``, and the media files ``media_of(contents)``
    names (none without it): name -> bytes, those the package lacks left out."""
    with unpacked_package(path) as package:
        with read_only_collection(path, package.database) as connection:
            contents = _read_contents(path, connection)
        wanted: Collection[str] = media_of(contents) if media_of is not None else ()
        return contents, read_media(package, wanted)


def _read_contents(path: Path, connection: sqlite3.Connection) -> PackageContents:
    tables = table_names(connection)
    if {"notetypes", "fields", "templates"} <= tables:
        note_types = _note_types_18(connection)
        decks = {
            did: text_value(name).replace("\x1f", "::")
            for did, name in connection.execute("SELECT id, name FROM decks")
        }
    else:
        note_types, decks = _note_types_and_decks_11(connection)
    notes = {}
    for nid, guid, mid, tags, flds in connection.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        if mid not in note_types:
            raise FlashcardsError(f"{path}: note {nid} has a note type the package lacks")
        values = tuple(text_value(flds).split("\x1f"))
        notes[nid] = Note(nid, text_value(guid), mid, values, tuple(text_value(tags).split()))
    cards = []
    for cid, nid, ord_, did in connection.execute(
        f"SELECT id, nid, ord, did FROM cards {_CARD_ORDER}"
    ):
        if not isinstance(ord_, int):
            raise sqlite3.DatabaseError(f"card {cid} has no template number")
        if nid in notes:
            cards.append(Card(cid, nid, ord_, decks.get(did, "")))
    return PackageContents(note_types, notes, tuple(cards))


def _text(value: object) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else ""


def _note_types_18(connection: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ordinal, name in connection.execute("SELECT ntid, ord, name FROM fields"):
        if isinstance(ordinal, int):
            fields.setdefault(ntid, []).append((ordinal, text_value(name)))
    templates: dict[int, list[CardTemplate]] = {}
    for ntid, ordinal, name, config in connection.execute(
        "SELECT ntid, ord, name, config FROM templates"
    ):
        if not isinstance(ordinal, int):
            continue
        # CardTemplate.Config: q_format = 1, a_format = 2.
        parts = _protobuf(config)
        templates.setdefault(ntid, []).append(
            CardTemplate(ordinal, text_value(name), _text(parts.get(1)), _text(parts.get(2)))
        )
    found = {}
    for ntid, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        # Notetype.Config: kind = 1 (1 is cloze), css = 3.
        parts = _protobuf(config)
        found[ntid] = NoteType(
            ntid,
            text_value(name),
            tuple(n for _, n in sorted(fields.get(ntid, []))),
            tuple(sorted(templates.get(ntid, []), key=lambda t: t.ord)),
            _text(parts.get(3)),
            parts.get(1) == 1,
        )
    return found


def _protobuf(blob: object) -> dict[int, int | bytes]:
    if not isinstance(blob, bytes | None):
        raise sqlite3.DatabaseError("unreadable note type: its config is no protobuf message")
    try:
        return dict(protobuf_fields(blob or b""))
    except ValueError as error:
        raise sqlite3.DatabaseError(f"unreadable note type: {error}") from None


def _note_types_and_decks_11(
    connection: sqlite3.Connection,
) -> tuple[dict[int, NoteType], dict[int, str]]:
    row = connection.execute("SELECT models FROM col").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("its col table is empty")
    try:
        # Deck names only label the page: a collection without them still previews.
        (decks_json,) = connection.execute("SELECT decks FROM col").fetchone()
    except sqlite3.OperationalError:
        decks_json = None
    try:
        models = json.loads(text_value(row[0]) or "{}")
        decks = json.loads(text_value(decks_json) or "{}")
        found = {}
        for key, model in models.items():
            flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
            tmpls = sorted(model.get("tmpls", []), key=lambda t: t.get("ord", 0))
            found[int(key)] = NoteType(
                int(key),
                text_value(model.get("name", "")),
                tuple(text_value(f["name"]) for f in flds),
                tuple(
                    CardTemplate(
                        int(t.get("ord", n)),
                        text_value(t.get("name", "")),
                        text_value(t.get("qfmt", "")),
                        text_value(t.get("afmt", "")),
                    )
                    for n, t in enumerate(tmpls)
                ),
                text_value(model.get("css", "")),
                model.get("type") == 1,
            )
        names = {int(key): text_value(deck.get("name", "")) for key, deck in decks.items()}
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise sqlite3.DatabaseError(f"unreadable note types: {error}") from None
    return found, names
