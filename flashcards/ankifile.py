"""Open Anki packages (``.apkg``, ``.colpkg``) and collection files read-only, safely.

Shared by ``known import`` (flashcards.wordsources) and ``preview`` (flashcards.preview):
a package or collection may be damaged or hostile, so

- a package's collection is unpacked to at most :func:`unpack_limit` bytes (a zip bomb is
  stopped midway), and so are its media files, all of them together;
- a collection is opened read-only, from a copy, and must have ``notes``, ``cards`` and
  ``col`` as tables (a recursive view named notes ran forever);
- every query is bounded by :data:`READ_SECONDS`, and Ctrl-C stops it.

Both package formats are read: legacy (``collection.anki2``/``.anki21``, media listed as
JSON) and current (``collection.anki21b`` and every media file zstd-compressed, the media
list a protobuf message).
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import zstandard

from flashcards.errors import FlashcardsError
from flashcards.read.archive import copy_at_most, too_big, unpack_limit

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# Newest first: current Anki packages also hold a dummy collection.anki2 that only says
# "please update", so the newest collection file present is the real one.
COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")

# Long enough for the largest collection a learner has; a query past it is hostile.
READ_SECONDS = 120


# An encrypted member is a RuntimeError in zipfile; NotImplementedError an unknown
# compression: both are packages Anki never writes.
_NOT_ANKIS = (RuntimeError, NotImplementedError)


@dataclass(frozen=True)
class UnpackedPackage:
    """An open Anki package: its zip archive and its collection, unpacked to a temp file."""

    path: Path
    archive: zipfile.ZipFile
    database: Path


@contextmanager
def unpacked_package(path: Path) -> Iterator[UnpackedPackage]:
    """Unpack the collection of the package at ``path`` into a temporary folder, removed
    afterwards; one-line errors for a damaged zip, a zip that is no Anki package, and a
    collection past :func:`unpack_limit`."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FlashcardsError(f"{path}: damaged zip file ({error})") from None
    with archive, tempfile.TemporaryDirectory(prefix="flashcards-anki-") as tmp:
        names = set(archive.namelist())
        member = next((name for name in COLLECTION_NAMES if name in names), None)
        if member is None:
            raise FlashcardsError(
                f"{path}: a zip file but not an Anki package (no collection.anki21b, "
                "collection.anki21 or collection.anki2 in it)"
            )
        database = Path(tmp) / "collection.sqlite3"
        limit = unpack_limit(path)
        if archive.getinfo(member).file_size > limit:
            raise too_big(path, limit)
        try:
            with archive.open(member) as source:
                compressed = source.read(4) == _ZSTD_MAGIC
            with archive.open(member) as source, database.open("wb") as target:
                if compressed:
                    # Anki writes the zstd frame without its content size, so stream it.
                    reader = zstandard.ZstdDecompressor().stream_reader(
                        source, read_across_frames=True
                    )
                    copy_at_most(reader, target, limit, path)
                else:
                    copy_at_most(source, target, limit, path)
        except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
            raise FlashcardsError(f"{path}: damaged Anki package ({error})") from None
        except _NOT_ANKIS as error:
            raise FlashcardsError(f"{path}: not an Anki package Anki wrote ({error})") from None
        yield UnpackedPackage(path, archive, database)


@contextmanager
def copied_collection(path: Path) -> Iterator[Path]:
    """A copy of the collection file at ``path`` (with its write-ahead log, if Anki left
    one), so that the user's collection is never touched, even by SQLite's recovery."""
    with tempfile.TemporaryDirectory(prefix="flashcards-anki-") as tmp:
        database = Path(tmp) / "collection.sqlite3"
        shutil.copyfile(path, database)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, database.with_name(database.name + "-wal"))
        yield database


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


@contextmanager
def read_only_collection(path: Path, database: Path) -> Iterator[sqlite3.Connection]:
    """``database`` (the collection of ``path``) opened read-only, every query bounded.

    Checks that it is an Anki collection; a SQLite error inside the block becomes a one-line
    error naming ``path``, a query past :data:`READ_SECONDS` too, and Ctrl-C stops the read.
    """
    # Read-only, and every query bounded: a hostile file (a recursive view named notes)
    # ran forever, deaf to Ctrl-C.
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    deadline = time.monotonic() + READ_SECONDS
    interrupted: list[bool] = []
    previous = signal.getsignal(signal.SIGINT) if _main_thread() else None

    def stop(signum, frame) -> None:
        interrupted.append(True)

    def check() -> int:
        return 1 if interrupted or time.monotonic() > deadline else 0

    connection.set_progress_handler(check, 1000)
    if previous is not None:
        signal.signal(signal.SIGINT, stop)
    try:
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
        tables = {name for name, kind in kinds.items() if kind == "table"}
        if not {"notes", "cards", "col"} <= tables:
            views = sorted(n for n in ("notes", "cards", "col") if kinds.get(n) == "view")
            why = f" ({', '.join(views)}: a view, not a table)" if views else ""
            raise FlashcardsError(f"{path}: a SQLite database but not an Anki collection{why}")
        yield connection
    except sqlite3.DatabaseError as error:
        if time.monotonic() > deadline and not interrupted:  # Ctrl-C: see finally
            raise FlashcardsError(
                f"{path}: reading the collection took over {READ_SECONDS} s; stopped"
            ) from None
        raise FlashcardsError(f"{path}: damaged Anki collection ({error})") from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        connection.close()
        if interrupted:  # Ctrl-C while reading: stop as Ctrl-C does everywhere else
            raise KeyboardInterrupt


def table_names(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }


def text_value(value: object) -> str:
    """A field or tag column as text: a hand-edited collection can hold NULL or a BLOB."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def read_anki(path: Path, read: Callable[[Path, sqlite3.Connection, set[str]], T]) -> T:
    """``read(path, connection, table names)`` applied to the collection of the Anki package
    or collection file at ``path``, opened read-only from a copy, with every query bounded.
    A file that is missing, unreadable or neither is a one-line FlashcardsError."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise FlashcardsError(f"{path}: no such file") from None
    except OSError as error:
        raise FlashcardsError(f"{path}: cannot read it ({error.strerror})") from None
    if not head.startswith((*ZIP_MAGICS, SQLITE_MAGIC)):
        raise FlashcardsError(f"{path}: not an Anki package or collection")
    if head.startswith(SQLITE_MAGIC):
        with copied_collection(path) as database:
            return _read_database(path, database, read)
    with unpacked_package(path) as package:
        return _read_database(path, package.database, read)


def _read_database(
    path: Path, database: Path, read: Callable[[Path, sqlite3.Connection, set[str]], T]
) -> T:
    with read_only_collection(path, database) as connection:
        return read(path, connection, table_names(connection))


# --- media --------------------------------------------------------------------------------


def protobuf_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of each field of a protobuf message, in order: an int for
    varints and fixed-size fields, bytes for length-delimited ones (strings, messages).

    Current Anki keeps a few things we read as protobuf (the media list, note type CSS and
    templates); these few fields do not warrant a protobuf dependency."""
    at, end = 0, len(data)

    def varint() -> int:
        nonlocal at
        value = shift = 0
        while True:
            if at >= end or shift > 63:
                raise ValueError("truncated protobuf varint")
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while at < end:
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            yield number, varint()
        elif wire == 2:
            size = varint()
            if at + size > end:
                raise ValueError("truncated protobuf field")
            yield number, data[at : at + size]
            at += size
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            if at + width > end:
                raise ValueError("truncated protobuf field")
            yield number, int.from_bytes(data[at : at + width], "little")
            at += width
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _media_members(package: UnpackedPackage) -> tuple[dict[str, str], bool]:
    """Media file name -> zip member name, and whether members are zstd-compressed."""
    archive, path = package.archive, package.path
    if "media" not in archive.namelist():
        return {}, False
    with archive.open("media") as source:
        head = source.read(4)
    try:
        if head == _ZSTD_MAGIC:
            with archive.open("media") as source:
                reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
                raw = reader.read(64 << 20)
            # MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1;
            # ... optional uint32 legacy_zip_filename = 255 }: member i is the i-th entry.
            members: dict[str, str] = {}
            entries = [entry for number, entry in protobuf_fields(raw) if number == 1]
            for index, entry in enumerate(entries):
                fields = dict(protobuf_fields(entry)) if isinstance(entry, bytes) else {}
                name = fields.get(1)
                if isinstance(name, bytes) and name:
                    members[name.decode("utf-8")] = str(fields.get(255, index))
            return members, True
        with archive.open("media") as source:
            listing = json.loads(source.read(64 << 20) or b"{}")
        if not isinstance(listing, dict):
            raise ValueError("the media list is not a JSON object")
        return {str(name): str(member) for member, name in listing.items()}, False
    except (
        ValueError,
        UnicodeDecodeError,
        zstandard.ZstdError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        *_NOT_ANKIS,
    ) as error:
        raise FlashcardsError(f"{path}: damaged media list ({error})") from None


def read_media(package: UnpackedPackage, wanted: Collection[str]) -> dict[str, bytes]:
    """The media files named in ``wanted`` that the package holds: name -> content.

    All of them together may unpack to :func:`unpack_limit` bytes at most."""
    members, compressed = _media_members(package)
    archive, path = package.archive, package.path
    limit = unpack_limit(path)
    budget = limit
    found: dict[str, bytes] = {}
    for name in sorted(set(wanted) & set(members)):
        member = members[name]
        try:
            with archive.open(member) as source:
                if compressed:
                    reader = zstandard.ZstdDecompressor().stream_reader(
                        source, read_across_frames=True
                    )
                    data = reader.read(budget + 1)
                else:
                    data = source.read(budget + 1)
        except KeyError:
            continue  # listed but not in the archive: missing, as Anki would report it
        except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError, *_NOT_ANKIS) as error:
            raise FlashcardsError(f"{path}: damaged media file {name!r} ({error})") from None
        budget -= len(data)
        if budget < 0:
            raise too_big(path, limit, "its media")
        found[name] = data
    return found


def is_anki_package(path: Path) -> bool:
    """Is the file at ``path`` an Anki package: a zip file with a collection in it (an
    EPUB or any other zip is not)?"""
    try:
        with open(path, "rb") as handle:
            if not handle.read(4).startswith(ZIP_MAGICS):
                return False
        with zipfile.ZipFile(path) as archive:
            return any(name in COLLECTION_NAMES for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
