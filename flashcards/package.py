"""Write the selected words and sentences as an Anki package or a text file.

Formats: ``.apkg`` (genanki), ``.csv``/``.tsv`` (Anki's own text import, with its header
lines), ``.json`` (the notes as data) and ``.md`` (a printable vocabulary list).

Identity, so that importing a rebuilt deck updates the notes a learner already studies
(genanki README "Note GUIDs"; Anki manual "Importing > Packaged Decks > Updating"):

* note types have fixed ids, frozen below; Anki updates a note only when the incoming note
  has the same note type id and the same field and template names as the one in the
  collection, so fields and templates are only ever appended, never renamed or reordered;
* a note's GUID is derived from the word and its reading only (see ``notes.vocab_guid``);
* the deck id is derived from the deck name by SHA-256 (Anki matches decks by name anyway);
* notes carry the build time as their modification time, because Anki's default import
  setting updates a note only when the incoming copy is newer than the one it has.
  Pass ``timestamp`` for byte-identical output. Note types carry the time the templates
  last changed instead, so that a learner's own restyling is not undone by a rebuild.

Every file is written under a temporary name in the output folder and renamed into place.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import genanki

from .audio import DeckAudio
from .errors import FlashcardsError
from .models import SentenceItem, Vocab
from .notes import (
    CARD_FLAG_FIELDS,
    CARD_KINDS,
    SENTENCE_FIELDS,
    SENTENCE_SORT_FIELD,
    VOCAB_FIELDS,
    VOCAB_SORT_FIELD,
    check_card_kinds,
    clean_senses,
    hsk3_label,
    pinyin_plain,
    sentence_fields,
    sentence_guid,
    sentence_tags,
    vocab_fields,
    vocab_guid,
    vocab_tags,
)

# Chosen once with random.randrange(1 << 30, 1 << 31) and frozen: Anki recognises a note
# type by this id. Changing one would make every rebuilt deck a new, separate note type.
VOCAB_MODEL_ID = 1993271097
SENTENCE_MODEL_ID = 1586341126
VOCAB_MODEL_NAME = "flashcards vocabulary"
SENTENCE_MODEL_NAME = "flashcards sentence"

# Template names are part of the note type's schema: frozen, new ones appended at the end.
VOCAB_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Recognition", "recognition"),
    ("Recall", "recall"),
    ("Cloze", "cloze"),
)

FORMATS: tuple[str, ...] = ("apkg", "csv", "tsv", "json", "md")

# When the templates or the stylesheet last changed, as Unix time: the note types'
# modification time. Anki replaces a note type on import only with a newer copy, so a
# learner's own restyling (done later than this) survives every rebuild, while an untouched
# copy takes up new templates. Bump this to the release date whenever templates/ changes.
TEMPLATES_MTIME = 1796169600  # 2026-12-02: TTS, Audio fields; tones and blank at 4.5:1 contrast


class _Model(genanki.Model):
    """A genanki model stamped with :data:`TEMPLATES_MTIME` instead of the build time."""

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        data = super().to_json(timestamp, deck_id)
        data["mod"] = TEMPLATES_MTIME
        return data


def schema_id(model_name: str, kind: str, name: str) -> int:
    """A stable id for a field or card template (Anki 2.1.67+ matches them by id when it
    merges note types, by name when they have none): SHA-256 of what it is, 63 bits."""
    digest = hashlib.sha256(f"flashcards\x00{model_name}\x00{kind}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _fields(model_name: str, names: Sequence[str]) -> list[dict]:
    return [{"name": n, "id": schema_id(model_name, "field", n)} for n in names]


@cache
def template_text(name: str) -> str:
    """A card template or the stylesheet, as shipped in ``flashcards/templates``."""
    return resources.files("flashcards").joinpath("templates", name).read_text(encoding="utf-8")


def vocab_model() -> genanki.Model:
    """The "flashcards vocabulary" note type: one note per word and reading, three cards."""
    return _Model(
        VOCAB_MODEL_ID,
        VOCAB_MODEL_NAME,
        fields=_fields(VOCAB_MODEL_NAME, VOCAB_FIELDS),
        templates=[
            {
                "name": title,
                "id": schema_id(VOCAB_MODEL_NAME, "template", title),
                "qfmt": template_text(f"vocab_front_{kind}.html"),
                "afmt": template_text(f"vocab_back_{kind}.html"),
            }
            for title, kind in VOCAB_TEMPLATES
        ],
        css=template_text("style.css"),
        sort_field_index=VOCAB_FIELDS.index(VOCAB_SORT_FIELD),
    )


def sentence_model() -> genanki.Model:
    """The "flashcards sentence" note type: read a sentence from the text."""
    return _Model(
        SENTENCE_MODEL_ID,
        SENTENCE_MODEL_NAME,
        fields=_fields(SENTENCE_MODEL_NAME, SENTENCE_FIELDS),
        templates=[
            {
                "name": "Reading",
                "id": schema_id(SENTENCE_MODEL_NAME, "template", "Reading"),
                "qfmt": template_text("sentence_front.html"),
                "afmt": template_text("sentence_back.html"),
            }
        ],
        css=template_text("style.css"),
        sort_field_index=SENTENCE_FIELDS.index(SENTENCE_SORT_FIELD),
    )


def deck_id(deck_name: str) -> int:
    """A stable id from the deck name (SHA-256, not Python's salted hash()), in genanki's range."""
    digest = hashlib.sha256(f"flashcards deck\x00{deck_name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


@dataclass(frozen=True)
class NoteRecord:
    """One note as written to every format: its type, GUID, fields and tags."""

    model: str  # VOCAB_MODEL_NAME or SENTENCE_MODEL_NAME
    guid: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    source: str = ""  # the file or chapter it comes from first: its subdeck with subdecks

    @property
    def has_cards(self) -> bool:
        if self.model == SENTENCE_MODEL_NAME:
            return bool(self.fields["Sentence"])
        return any(self.fields[f] for f in CARD_FLAG_FIELDS.values())


def count_cards(records: Sequence[NoteRecord]) -> int:
    """How many cards Anki makes from these notes."""
    flags = tuple(CARD_FLAG_FIELDS.values())
    return sum(
        (1 if r.has_cards else 0)
        if r.model == SENTENCE_MODEL_NAME
        else sum(1 for f in flags if r.fields[f])
        for r in records
    )


def kept_cards(records: Sequence[NoteRecord], cards: Collection[str]) -> dict[str, int]:
    """How many cards of each kind not in ``cards`` the notes have (kept from before)."""
    kept: dict[str, int] = {}
    for record in records:
        if record.model != VOCAB_MODEL_NAME:
            continue
        for kind, flag in CARD_FLAG_FIELDS.items():
            if kind not in cards and record.fields[flag]:
                kept[kind] = kept.get(kind, 0) + 1
    return kept


def _unique(items: Sequence, key: Callable) -> list:
    """The items with the first of each GUID kept: two notes with one GUID would both be added."""
    seen: set[str] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def build_records(
    vocab: Sequence[Vocab],
    sentences: Sequence[SentenceItem] = (),
    *,
    script: str = "simplified",
    cards: Collection[str] = CARD_KINDS,
    keep: Mapping[str, Collection[str]] | None = None,
    audio: DeckAudio | None = None,
) -> list[NoteRecord]:
    """The notes of a deck in order: each word, then the sentences it introduces (see
    SentenceItem.introduces), then any other sentences; one per GUID.

    ``keep``: card kinds by GUID that a note keeps besides ``cards`` (the kinds it had in an
    earlier build, whose cards would otherwise be left blank in a studied collection).
    ``audio`` (flashcards.audio.make_audio) fills the Audio and SentenceAudio fields.
    """
    keep = keep or {}
    # A sentence that introduces a word comes right after it: new cards are shown in the
    # order of their due numbers, which follow this order (a GUID never depends on it).
    after: dict[str, list[NoteRecord]] = {}
    trailing: list[NoteRecord] = []
    # A GUID is a SHA-256: worked out once a word.
    words = _unique([(vocab_guid(v), v) for v in vocab], lambda item: item[0])
    guids = {guid for guid, _ in words}
    for s in _unique(sentences, sentence_guid):
        record = NoteRecord(
            SENTENCE_MODEL_NAME,
            sentence_guid(s),
            sentence_fields(s, script, audio=audio.sentence(s) if audio else ""),
            tuple(sentence_tags(s)),
            s.sentence.source,
        )
        word = vocab_guid(s.introduces) if s.introduces is not None else None
        if word in guids:
            after.setdefault(word, []).append(record)
        else:
            trailing.append(record)
    records = []
    for guid, v in words:
        kinds = set(cards) | set(keep.get(guid, ()))
        fields = vocab_fields(
            v,
            script,
            kinds,
            word_audio=audio.word(v) if audio else "",
            sentence_audio=audio.example(v) if audio else "",
        )
        records.append(
            NoteRecord(VOCAB_MODEL_NAME, guid, fields, tuple(vocab_tags(v)), _first_source(v))
        )
        records += after.get(guid, [])
    return records + trailing


def media_of(records: Sequence[NoteRecord]) -> list[str]:
    """The media file names the notes that have cards refer to, each once, in name order."""
    return _names_in(r for r in records if r.has_cards)


def _names_in(records: Iterable[NoteRecord]) -> list[str]:
    names = set()
    for record in records:
        for f in _AUDIO_FIELDS:
            found = _SOUND.fullmatch(record.fields.get(f, ""))
            if found:
                names.add(found.group(1))
    return sorted(names)


_AUDIO_FIELDS = ("Audio", "SentenceAudio")
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


def output_format(path: Path, format: str | None = None) -> str:
    """The format a deck written to ``path`` has: ``format``, else the file's suffix."""
    return _resolve_format(Path(path), format)


def _first_source(v: Vocab) -> str:
    if v.sources:
        return v.sources[0]
    return v.sentence.source if v.sentence is not None else ""


_DECK_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+|::+")


def subdeck_name(deck_name: str, source: str) -> str:
    """The deck a note from ``source`` goes to with subdecks: ``Deck::Episode 03``. A
    source's own ``::`` would nest deeper, so it becomes a space."""
    part = " ".join(_DECK_UNSAFE.sub(" ", source).split())
    return f"{deck_name}::{part}" if part else deck_name


def note_deck(record: NoteRecord, deck_name: str, subdecks: bool) -> str:
    return subdeck_name(deck_name, record.source) if subdecks else deck_name


def _resolve_format(path: Path, format: str | None) -> str:
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        given = f"format {format!r}" if format else f"file name {path.name!r}"
        raise FlashcardsError(f"unknown output {given}: use one of .{', .'.join(FORMATS)}")
    return fmt


def _check_deck_name(deck_name: str) -> str:
    name = deck_name.strip()
    if not name or any(ch < " " for ch in name) or any(not p.strip() for p in name.split("::")):
        raise FlashcardsError(f"invalid deck name {deck_name!r}")
    return name


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds.

    On any exception, KeyboardInterrupt included, the temporary file is removed and an
    existing ``path`` is left as it was. A symlink is followed (its target is replaced, the
    link stays), an existing file keeps its mode, a read-only one is replaced only with
    ``force``, and a device or pipe (``-o /dev/stdout``) is written to, never replaced.
    """
    if path.is_symlink():
        path = path.resolve()
    special = path.exists() and not path.is_file() and not path.is_dir()
    mode = None
    if path.is_file():
        current = path.stat().st_mode
        mode = stat.S_IMODE(current)
        if not current & stat.S_IWUSR and not force:
            raise FlashcardsError(f"{path} is read-only; use --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        if folder.exists():
            raise FlashcardsError(f"cannot write {path}: {folder} is not a folder")
        raise FlashcardsError(f"output folder does not exist: {folder}")
    if path.is_dir():
        raise FlashcardsError(f"output path is a folder: {path}")
    if not special:
        _remove_stale_parts(path)
    tmp: Path | None = None
    try:
        # Inside the try: a Ctrl-C right after the file appears must still remove it.
        try:
            fd, tmp_name = tempfile.mkstemp(
                dir=tempfile.gettempdir() if special else folder,
                prefix=f".{path.name}.",
                suffix=".part",
            )
        except OSError as err:
            raise FlashcardsError(f"cannot write to {folder}: {err.strerror or err}") from None
        tmp = Path(tmp_name)
        os.close(fd)
        yield tmp
        if special:
            with open(tmp, "rb") as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
            _remove(tmp)
            return
        # mkstemp makes 0600: give the file the mode it had, or the usual one.
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_current_umask())
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as err:
        _remove(tmp)
        raise FlashcardsError(f"cannot write {path}: {err.strerror or err}") from None
    except sqlite3.Error as err:  # the .apkg's collection: a full disk is "disk I/O error"
        _remove(tmp)
        raise FlashcardsError(f"cannot write {path}: {err}") from None
    except BaseException:
        _remove(tmp)
        raise


# A build writing the same file now has its part newer than this; older ones were left by
# a build that was killed (SIGKILL, a power cut) before it could remove them.
STALE_PART_SECONDS = 3600


def _remove_stale_parts(path: Path) -> None:
    now = time.time()
    for part in path.parent.glob(f".{glob.escape(path.name)}.*"):
        if not part.name.endswith((".part", ".anki2", ".anki2-journal")):
            continue
        try:
            if now - part.lstat().st_mtime > STALE_PART_SECONDS and part.is_file():
                part.unlink()
        except OSError:
            pass  # not ours to remove, or gone already


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        tmp.unlink(missing_ok=True)


def write_deck(
    path: Path,
    vocab: Sequence[Vocab],
    sentences: Sequence[SentenceItem] = (),
    *,
    deck_name: str = "flashcards",
    format: str | None = None,
    script: str = "simplified",
    cards: Collection[str] = CARD_KINDS,
    timestamp: float | None = None,
    records: list[NoteRecord] | None = None,
    force: bool = False,
    media: Sequence[Path] = (),
    subdecks: bool = False,
) -> Path:
    """Write the deck to ``path`` and return it (``force``: also over a read-only file).

    ``format`` (apkg, csv, tsv, json, md) defaults to the file's suffix. ``script`` picks the
    form the cards show (simplified or traditional); ``cards`` the card kinds of vocabulary
    notes (recognition, recall, cloze). ``timestamp`` (seconds since the epoch) is the notes'
    modification time, now by default; Anki updates a note on import only when this is newer
    than its copy, so a fixed value gives byte-identical files but no updates.
    ``records`` are the notes from :func:`build_records`, when the caller made them already.
    ``media`` are the files the notes' Audio fields name: inside an .apkg; beside a .csv,
    .tsv or .json, in a folder named after it (``deck.media/``), for Anki's media folder.
    ``subdecks`` puts each note in a subdeck named after the source it comes from first
    (apkg, csv, tsv and json; the Markdown list ignores it).
    """
    path = Path(path)
    vocab, sentences = list(vocab), list(sentences)  # each is read more than once
    fmt = _resolve_format(path, format)
    name = _check_deck_name(deck_name)
    check_card_kinds(cards)
    if records is None:
        records = build_records(vocab, sentences, script=script, cards=cards)
    when = time.time() if timestamp is None else float(timestamp)
    # A .json lists every note, one without cards too; the other formats only those with.
    names = _names_in(records) if fmt == "json" else media_of(records)
    files = _media_files(names, media)
    writers: dict[str, Callable[[Path], None]] = {
        "apkg": lambda tmp: _write_apkg(tmp, records, name, when, files, subdecks),
        "csv": lambda tmp: _write_text(tmp, records, name, ",", subdecks),
        "tsv": lambda tmp: _write_text(tmp, records, name, "\t", subdecks),
        "json": lambda tmp: _write_json(
            tmp, vocab, sentences, records, name if subdecks else None
        ),
        "md": lambda tmp: _write_markdown(tmp, vocab, sentences, name, script),
    }
    # A device or pipe (-o /dev/stdout) has no folder beside it for the media.
    beside = fmt in ("csv", "tsv", "json") and (path.is_file() or not path.exists())
    with atomic_output(path, force=force) as tmp:
        writers[fmt](tmp)
        if files and beside:
            _write_media_folder(path, files)
    return path


def _media_files(names: Sequence[str], media: Sequence[Path]) -> list[Path]:
    """The files of ``media`` with these names; a name without its file is a bug of ours,
    never something to write a deck with."""
    by_name = {Path(p).name: Path(p) for p in media}
    absent = [n for n in names if n not in by_name or not by_name[n].is_file()]
    if absent:
        raise FlashcardsError(f"internal error: no media file {absent[0]}")
    return [by_name[n] for n in names]


def media_folder(path: Path) -> Path:
    """Where a text deck's media files go: ``deck.media/`` beside ``deck.csv``."""
    path = Path(path)
    return path.with_name(path.stem + ".media")


def _write_media_folder(path: Path, files: Sequence[Path]) -> None:
    """Copy ``files`` into the media folder of ``path``, each under a temporary name first
    and renamed into place (a file of that name is the same sound, perhaps by another
    version of the tools)."""
    folder = media_folder(path.resolve() if path.is_symlink() else path)
    folder.mkdir(exist_ok=True)
    for source in files:
        target = folder / source.name
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{source.name}.", suffix=".part")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp_name)
            os.chmod(tmp_name, 0o666 & ~_current_umask())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise


# --- .apkg -------------------------------------------------------------------------------


def _zip_entry(name: str, when: float) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.gmtime(max(when, 315532800))[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_apkg(
    tmp: Path,
    records: list[NoteRecord],
    deck_name: str,
    when: float,
    media: Sequence[Path] = (),
    subdecks: bool = False,
) -> None:
    models = {VOCAB_MODEL_NAME: vocab_model(), SENTENCE_MODEL_NAME: sentence_model()}
    deck = genanki.Deck(deck_id(deck_name), deck_name)
    # Both note types always travel, so a collection that imported any of our decks can
    # take a text file with either kind of note.
    for model in models.values():
        deck.add_model(model)
    decks = {deck_name: deck}
    carded = [r for r in records if r.has_cards]
    for due, record in enumerate(carded, start=1):
        model = models[record.model]
        name = note_deck(record, deck_name, subdecks)
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        decks[name].add_note(
            genanki.Note(
                model=model,
                fields=[record.fields[f["name"]] for f in model.fields],
                tags=list(record.tags),
                guid=record.guid,
                due=due,  # new cards come in the order the words were selected
            )
        )
    # genanki's own writer stamps the zip with the current time; writing the collection
    # ourselves keeps the file a function of its notes and ``when``.
    fd, db_name = tempfile.mkstemp(dir=tmp.parent, prefix=f".{tmp.name}.", suffix=".anki2")
    os.close(fd)
    db = Path(db_name)
    try:
        conn = sqlite3.connect(db)
        package = genanki.Package(list(decks.values()), media_files=[str(p) for p in media])
        try:
            package.write_to_db(
                conn.cursor(), when, itertools.count(int(when * 1000))
            )
            conn.commit()
        finally:
            conn.close()
        # The media map and numbered entries as genanki's own writer lays them out.
        numbered = dict(enumerate(package.media_files))
        media_map = {str(i): os.path.basename(p) for i, p in numbered.items()}
        with zipfile.ZipFile(tmp, "w") as out:
            out.writestr(_zip_entry("collection.anki2", when), db.read_bytes())
            out.writestr(_zip_entry("media", when), json.dumps(media_map).encode())
            for i, p in numbered.items():
                out.writestr(_zip_entry(str(i), when), Path(p).read_bytes())
    finally:
        db.unlink(missing_ok=True)
        Path(f"{db}-journal").unlink(missing_ok=True)


# --- .csv / .tsv -------------------------------------------------------------------------


# A spreadsheet takes a cell starting with one of these as a formula (CSV injection). An
# empty HTML comment before it: nothing in Anki (the file is imported as HTML, and Anki
# strips HTML for its duplicate check and sort field), plain text in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _no_formula(value: str) -> str:
    return "<!---->" + value if value.startswith(_FORMULA_START) else value


def _write_text(
    tmp: Path, records: list[NoteRecord], deck_name: str, separator: str, subdecks: bool = False
) -> None:
    """A file for Anki's text import (File > Import), with the header lines Anki 2.1.55+ reads.

    The GUID column makes re-importing update the same notes, including those imported from
    the .apkg. With sentence notes in the file a note type column says which row is which;
    fields then map by position, so the sentence rows fill the first columns.
    """
    carded = [r for r in records if r.has_cards]
    mixed = any(r.model == SENTENCE_MODEL_NAME for r in carded)
    columns = list(VOCAB_FIELDS)
    if mixed:
        columns.append("Notetype")
    columns += ["Tags", "GUID"]
    if subdecks:
        columns.append("Deck")
    buffer = io.StringIO()
    buffer.write(f"#separator:{'Tab' if separator == chr(9) else 'Comma'}\n")
    buffer.write("#html:true\n")
    if not mixed:
        buffer.write(f"#notetype:{VOCAB_MODEL_NAME}\n")
    if not subdecks:
        buffer.write(f"#deck:{deck_name}\n")
    header = io.StringIO()
    csv.writer(header, delimiter=separator, lineterminator="").writerow(columns)
    buffer.write(f"#columns:{header.getvalue()}\n")
    if mixed:
        buffer.write(f"#notetype column:{columns.index('Notetype') + 1}\n")
    buffer.write(f"#tags column:{columns.index('Tags') + 1}\n")
    buffer.write(f"#guid column:{columns.index('GUID') + 1}\n")
    if subdecks:
        buffer.write(f"#deck column:{columns.index('Deck') + 1}\n")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    # A row starting with '#' is a comment to Anki (a sentence "#话题# …" was lost): quoted.
    quoted = csv.writer(buffer, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for record in carded:
        values = [_no_formula(v) for v in record.fields.values()]
        values += [""] * (len(VOCAB_FIELDS) - len(values))
        if mixed:
            values.append(record.model)
        row = [*values, " ".join(record.tags), record.guid]
        if subdecks:
            row.append(note_deck(record, deck_name, True))
        (quoted if values[0].startswith("#") else writer).writerow(row)
    tmp.write_text(buffer.getvalue(), encoding="utf-8")


# --- .json -------------------------------------------------------------------------------


def _vocab_json(v: Vocab, record: NoteRecord) -> dict:
    return {
        "kind": "vocab",
        "guid": record.guid,
        "simplified": v.simplified,
        "traditional": v.traditional,
        "pinyin": pinyin_plain(v.numbered),
        "numbered": v.numbered,
        "senses": list(v.senses),
        "classifiers": [
            {
                "simplified": c.simplified,
                "traditional": c.traditional,
                "numbered": c.numbered,
                "pinyin": pinyin_plain(c.numbered),
            }
            for c in v.classifiers
        ],
        "hsk2": v.levels.hsk2,
        "hsk3": v.levels.hsk3,
        "hsk3_label": hsk3_label(v.levels.hsk3) or None,
        "zipf": round(v.levels.zipf, 2),
        "count": v.count,
        "sentence": v.sentence.text if v.sentence is not None else None,
        "sentence_pinyin": v.sentence_marked if v.sentence is not None else None,
        "sentence_numbered": v.sentence_numbered if v.sentence is not None else None,
        "word_start": v.word_start if v.sentence is not None else None,
        "proper": v.proper,
        "sources": list(v.sources),
        "first_index": v.first_index,
        "tags": list(record.tags),
        "audio": _media_name(record.fields["Audio"]),
        "sentence_audio": _media_name(record.fields["SentenceAudio"]),
    }


def _media_name(sound: str) -> str | None:
    """``[sound:name]`` -> ``name``; None for an empty field."""
    found = _SOUND.fullmatch(sound)
    return found.group(1) if found else None


def _sentence_json(item: SentenceItem, record: NoteRecord) -> dict:
    return {
        "kind": "sentence",
        "guid": record.guid,
        "sentence": item.sentence.text,
        "pinyin": item.marked,
        "numbered": item.numbered,
        "source": item.sentence.source,
        "words": [
            {
                "simplified": w.simplified,
                "traditional": w.traditional,
                "pinyin": pinyin_plain(w.numbered),
                "numbered": w.numbered,
                "senses": list(w.senses),
                "guid": vocab_guid(w),
            }
            for w in item.words
        ],
        "tags": list(record.tags),
        "sentence_audio": _media_name(record.fields["SentenceAudio"]),
    }


def _write_json(
    tmp: Path,
    vocab: Sequence[Vocab],
    sentences: Sequence[SentenceItem],
    records: list[NoteRecord],
    deck_name: str | None = None,
) -> None:
    """The notes as data: raw text (not HTML), one object per note, every note listed;
    with ``deck_name`` (subdecks), each says which deck it goes to."""
    by_guid = {r.guid: r for r in records}
    notes = [_vocab_json(v, by_guid[vocab_guid(v)]) for v in _unique(vocab, vocab_guid)]
    notes += [
        _sentence_json(s, by_guid[sentence_guid(s)]) for s in _unique(sentences, sentence_guid)
    ]
    if deck_name is not None:
        for note in notes:
            note["deck"] = note_deck(by_guid[note["guid"]], deck_name, True)
    tmp.write_text(json.dumps(notes, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- .md ---------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~$#"})
_MD_LINE_START = "+-=>"
_MD_AUTOLINK = re.compile(
    r"(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*)(:)(?=//)|(?<![a-z0-9.])(www)(\.)"
)


def _md(text: str) -> str:
    """Input text as literal Markdown: no markup, no raw HTML, one line, safe in a table cell."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").translate(_MD_SPECIAL)
    # A bare URL or www. name from the text would render as a live link (GitHub and most
    # renderers link them): an escaped colon or dot reads the same and links nothing.
    text = _MD_AUTOLINK.sub(
        lambda m: (m.group(1) or m.group(3)) + "\\" + (m.group(2) or m.group(4)), text
    )
    return "\\" + text if text and text[0] in _MD_LINE_START else text


def _md_sentence(v: Vocab) -> str:
    if v.sentence is None:
        return ""
    text = v.sentence.text
    for form in dict.fromkeys((v.simplified, v.traditional)):
        start = v.word_start if text[v.word_start : v.word_start + len(form)] == form else -1
        if start < 0:
            start = text.find(form)
        if start >= 0 and form:
            end = start + len(form)
            return f"{_md(text[:start])}**{_md(text[start:end])}**{_md(text[end:])}"
    return _md(text)


def _write_markdown(
    tmp: Path,
    vocab: Sequence[Vocab],
    sentences: Sequence[SentenceItem],
    deck_name: str,
    script: str,
) -> None:
    """A printable vocabulary list: one table row per word and reading, then the sentences."""
    words = _unique(vocab, vocab_guid)
    lines = [f"# {_md(deck_name)}", "", f"{len(words)} words", ""]
    lines += [
        "| # | Word | Pinyin | Meaning | Measure words | HSK 2.0 | HSK 3.0 | Example |",
        "|---:|---|---|---|---|---|---|---|",
    ]
    for n, v in enumerate(words, start=1):
        head, other = (
            (v.traditional, v.simplified)
            if script == "traditional"
            else (v.simplified, v.traditional)
        )
        word = _md(head) + (f" ({_md(other)})" if other and other != head else "")
        measure = ", ".join(
            _md(c.traditional if script == "traditional" else c.simplified)
            + " "
            + _md(pinyin_plain(c.numbered))
            for c in v.classifiers
        )
        cells = [
            str(n),
            word,
            _md(pinyin_plain(v.numbered)),
            _md("; ".join(clean_senses(v, script, hide=False))),
            measure,
            str(v.levels.hsk2 or ""),
            hsk3_label(v.levels.hsk3),
            _md_sentence(v),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    unique_sentences = _unique(sentences, sentence_guid)
    if unique_sentences:
        lines += ["", "## Sentences", ""]
        for n, item in enumerate(unique_sentences, start=1):
            lines.append(f"{n}. {_md(item.sentence.text)}  ")
            lines.append(f"   {_md(item.marked)}")
    tmp.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
