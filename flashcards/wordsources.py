"""Read the words a learner already knows out of files they have: word lists, spreadsheets,
Anki packages, Pleco exports and decks this tool built.

The kind of file is detected from its content, never from its name alone:

- a zip file is an Anki package (``.apkg`` or ``.colpkg``, legacy or current format);
- a SQLite file is an Anki collection (``collection.anki2``);
- ``<plecoflash`` XML is a Pleco flashcard export;
- any other text is a Pleco text export, an Anki notes export, CSV/TSV or a plain list.

Every field or cell is turned into one word by :func:`word_from_field`: markup goes, then the
first run of Han characters (with any capital Latin letters, ``·`` and ``〇`` inside it, as in
卡拉OK, T恤, 马克·吐温) is the word. So "银行 (yínháng)", "<b>银行</b>", "银[yín]行[háng]" and
"银行/銀行" all give 银行; a field without a Han character gives nothing.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from flashcards.ankifile import SQLITE_MAGIC, ZIP_MAGICS, read_anki, text_value
from flashcards.errors import FlashcardsError
from flashcards.han import HAN_CHAR, HAN_CLASS, HAN_RUN, has_han
from flashcards.read.plain import decode_bytes
from flashcards.segment import to_simplified

# The field (or header column) that holds the word, by priority, when the user names none.
DEFAULT_FIELD_NAMES = ("hanzi", "simplified", "chinese", "word", "front")
# Words in a field name that say the field holds something other than the word itself
# ("Hanzi Audio", "Word Pinyin"): such a field is never picked by the partial name match.
_NOT_THE_WORD = frozenset(
    "audio sound pinyin reading image picture meaning english definition translation "
    "example sentence notes note extra hint".split()
)

# CJK ideographs: the unified blocks, extension A and the supplementary planes (ext. B-H);
# compatibility ideographs are folded into the unified ones by NFC before matching.
# A word: Han characters, with the name dot and runs of capital Latin letters allowed in it
# (卡拉OK, AA制), but not the capital that starts a pinyin word glued on (北京Běijīng).
_WORD = re.compile(f"(?:[{HAN_CLASS}·]|[A-Z]+(?![^\\W\\d_A-Z{HAN_CLASS}]))+")

_SOUND = re.compile(r"\[sound:[^\]]*\]")
_HIDDEN_ELEMENTS = re.compile(
    r"<(rt|rp|script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BREAKING_TAGS = re.compile(
    r"</?(br|div|p|li|ul|ol|tr|td|th|table|h[1-6]|hr)\b[^>]*>", re.IGNORECASE
)
_ANY_TAG = re.compile(r"<[^>]*>")
_CLOZE = re.compile(r"\{\{c\d+::([^{}]*?)(?:::[^{}]*)?\}\}")
# Anki's furigana syntax, as its template filters read it: an optional space marks where
# the base text starts, the reading follows in brackets.
_BRACKETED = re.compile(r" ?([^ >\[\]]+?)\[([^\[\]]*)\]")


def _prefer_simplified(first: str, second: str) -> str:
    """Of a traditional/simplified pair written in either order, the simplified one."""
    if to_simplified(first) == first:
        return first
    if to_simplified(second) == second:
        return second
    return to_simplified(first)


def _unbracket(match: re.Match[str]) -> str:
    return _unbracket_parts(match.group(1), match.group(2))


def _unbracket_parts(base: str, inside: str) -> str:
    # 銀行[银行] (Pleco, and lists made from it) pairs the two scripts of one word;
    # anything else in brackets is a reading (Anki's 银行[yínháng]) and is dropped.
    if HAN_RUN.fullmatch(base) and HAN_RUN.fullmatch(inside):
        return _prefer_simplified(base, inside)
    return base


def clean_field(text: str) -> str:
    """The visible text of an Anki field or a cell: sounds, HTML tags, ruby readings
    (``<rt>``), cloze markers and bracketed readings removed, entities decoded, NFC."""
    text = text[:MAX_FIELD_CHARS]
    text = _SOUND.sub(" ", text)
    text = _HIDDEN_ELEMENTS.sub("", text)
    text = _BREAKING_TAGS.sub(" ", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    previous = None
    while previous != text:  # nested clozes: {{c1::a{{c2::b}}}}
        previous, text = text, _CLOZE.sub(r"\1", text)
    text = _unbracket_all(text)
    return unicodedata.normalize("NFC", text).strip()


# Longer than any field a word list has: what is past it is never read.
MAX_FIELD_CHARS = 100_000
_NOT_BASE = " >[]"


def _unbracket_all(text: str) -> str:
    """``_BRACKETED.sub(_unbracket, text)`` in one pass: the regex retries every start
    position of a long run with no bracket after it (16k characters took seconds, 100 MB
    never ended). A bracket pair with no bracket inside it, and the run of characters
    before it that are not space, >, [ or ] (with one space before the run), is replaced."""
    out: list[str] = []
    pos = 0
    close = -1
    r = text.find("[")
    while r != -1:
        if close <= r:
            close = text.find("]", r + 1)
            if close == -1:
                break
        opening = text.find("[", r + 1)
        if opening != -1 and opening < close:
            r = opening  # [a[b]: only the inner pair can match
            continue
        s = r
        while s > pos and text[s - 1] not in _NOT_BASE:
            s -= 1
        if s < r:
            start = s - 1 if s > pos and text[s - 1] == " " else s
            out.append(text[pos:start])
            out.append(_unbracket_parts(text[s:r], text[r + 1 : close]))
            pos = close + 1
        r = text.find("[", close + 1)
    out.append(text[pos:])
    return "".join(out)


def word_from_field(text: str) -> str | None:
    """The word a field or cell holds: after :func:`clean_field`, the first run of Han
    characters (capital Latin letters and ``·`` may be part of it: 卡拉OK, T恤); None when the
    field holds no Han character. Only the first word of a field is taken: "银行，银行家" gives
    银行, and a pattern like "一...就..." gives 一. A run longer than any dictionary word
    (MAX_WORD_CHARS) is a text, not a word, and gives None."""
    for match in _WORD.finditer(clean_field(text)):
        word = match.group().strip("·")
        if HAN_CHAR.search(word):
            return word if len(word) <= MAX_WORD_CHARS else None
    return None


# CC-CEDICT's longest headword has 19 characters; twice that is no word.
MAX_WORD_CHARS = 40


def _unique(words: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(word for word in words if word))


def read_words(
    path: str | os.PathLike[str],
    *,
    column: str | int | None = None,
    note_type: str | None = None,
    field: str | None = None,
    studied_only: bool = False,
) -> list[str]:
    """The words in a file, in file order (Anki: note creation order), without duplicates.

    The kind of file is detected from its content. Options that do not apply to that kind
    are ignored, so one set of options can serve several files of different kinds:

    - ``column`` (CSV/TSV, plain lists, Anki notes exports): a header name or a 0-based
      index; by default a header column named like Hanzi/Simplified/Chinese/Word/Front, else
      the first column that holds Chinese.
    - ``note_type`` (Anki packages and collections, Anki notes exports with a note type
      column): only notes of this type; by default every note type that has a field named
      like the defaults above (all note types when none has).
    - ``field`` (Anki): the field that holds the word; by default the first field named
      Hanzi, Simplified, Chinese, Word or Front (in that order), else the first field.
    - ``studied_only`` (Anki, Pleco XML): leave out words never studied; an Anki note counts
      as studied when any of its cards is not new.

    Raises FlashcardsError for a file that is missing, of no known kind, or damaged, and for a
    note type, field or column that is not there (the message lists those that are).
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise FlashcardsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FlashcardsError(f"{path}: is a directory, not a word list") from None
    except OSError as error:
        raise FlashcardsError(f"{path}: cannot read it ({error.strerror})") from None

    if head.startswith((*ZIP_MAGICS, SQLITE_MAGIC)):
        return read_anki(path, _AnkiWords(note_type, field, studied_only))
    # The same detection as for texts: UTF-8/16/32, GB18030 and Big5, binary refused.
    text = decode_bytes(_read_at_most(path, MAX_LIST_BYTES), name=path.name)[0]
    if text.lstrip().startswith(("<?xml", "<plecoflash")) and "<plecoflash" in text[:4096]:
        return _read_pleco_xml(path, studied_only)
    return _read_delimited_text(path, text, column, note_type)


# A word list is small; a file past this is no list (/dev/zero never ended).
MAX_LIST_BYTES = 256 << 20


def _read_at_most(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise FlashcardsError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > limit:
        raise FlashcardsError(f"{path}: over {limit >> 20} MiB, too big for a word list")
    return data


# --- text ------------------------------------------------------------------------------


@dataclass
class _TextLayout:
    delimiter: str | None  # None: a plain list, columns split at any whitespace
    header: list[str] | None
    notetype_column: int | None  # 0-based, from an Anki notes export's "#notetype column:"
    meta_columns: frozenset[int]  # note type, deck, tags and guid columns of an Anki export


_ANKI_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "space": " ",
    "colon": ":",
}


def _read_delimited_text(
    path: Path, text: str, column: str | int | None, note_type: str | None
) -> list[str]:
    lines = text.splitlines()
    directives: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        stripped = line.strip()
        # "#key:value" lines head an Anki notes export; "//" lines are Pleco categories.
        if stripped.startswith("#"):
            key, sep, value = stripped[1:].partition(":")
            if sep and not body:
                directives[key.strip().lower()] = value.strip()
            continue
        if stripped.startswith("//") or not stripped:
            continue
        body.append(line)

    layout = _text_layout(body, directives)
    rows = _split_rows(body, layout.delimiter)
    if layout.header is None and rows and not any(has_han(cell) for cell in rows[0]):
        layout.header = [cell.strip() for cell in rows[0]]
        rows = rows[1:]

    if note_type is not None and layout.notetype_column is not None:
        wanted = note_type.casefold()
        names = _unique(
            row[layout.notetype_column].strip() for row in rows if len(row) > layout.notetype_column
        )
        if not any(name.casefold() == wanted for name in names):
            raise FlashcardsError(f"{path}: no note type {note_type!r}; it has {_listing(names)}")
        rows = [
            row
            for row in rows
            if len(row) > layout.notetype_column
            and row[layout.notetype_column].strip().casefold() == wanted
        ]

    index = _choose_column(path, rows, layout, column)
    return _unique(word_from_field(row[index]) for row in rows if len(row) > index)


def _text_layout(body: Sequence[str], directives: dict[str, str]) -> _TextLayout:
    def column_directive(name: str) -> int | None:
        value = directives.get(f"{name} column", "")
        return int(value) - 1 if value.isdigit() and int(value) > 0 else None

    delimiter: str | None
    separator = directives.get("separator")
    if separator is not None:
        delimiter = _ANKI_SEPARATORS.get(separator.lower(), separator[:1] or "\t")
    else:
        sample = body[:50]
        if any("\t" in line for line in sample):
            delimiter = "\t"
        else:
            delimiter = None
            for candidate in (",", ";", "|"):
                # A spreadsheet: (nearly) every line is cut by the same character.
                if sample and sum(candidate in line for line in sample) >= 0.8 * len(sample):
                    delimiter = candidate
                    break
    header = None
    if "columns" in directives:
        header = [name.strip() for name in directives["columns"].split(delimiter or None)]
    notetype_column = column_directive("notetype")
    meta = {
        index
        for index in (
            notetype_column,
            column_directive("deck"),
            column_directive("tags"),
            column_directive("guid"),
        )
        if index is not None
    }
    return _TextLayout(delimiter, header, notetype_column, frozenset(meta))


def _split_rows(body: Sequence[str], delimiter: str | None) -> list[list[str]]:
    if delimiter is None:
        return [line.split() for line in body]
    if delimiter == "\t":
        # Pleco and Anki write tabs unquoted; a quote in a cell is just a character.
        return [line.split("\t") for line in body]
    # csv's own cap (131,072 characters a cell) stopped lists with one long meaning; the
    # list as a whole is capped (MAX_LIST_BYTES) and each field when it is cleaned.
    if csv.field_size_limit() < MAX_LIST_BYTES:
        csv.field_size_limit(MAX_LIST_BYTES)
    return list(csv.reader(io.StringIO("\n".join(body)), delimiter=delimiter))


def _choose_column(
    path: Path, rows: Sequence[Sequence[str]], layout: _TextLayout, column: str | int | None
) -> int:
    width = max((len(row) for row in rows), default=0)
    header = layout.header or []
    if isinstance(column, str):
        folded = [name.casefold() for name in header]
        if column.casefold() in folded:
            return folded.index(column.casefold())
        if not column.strip().isdigit():
            available = _listing(header) if header else "no header row"
            raise FlashcardsError(f"{path}: no column {column!r}; it has {available}")
        column = int(column)
    if isinstance(column, int):
        if column < 0 or (rows and column >= width):
            raise FlashcardsError(
                f"{path}: no column {column} (columns count from 0; it has {width})"
            )
        return column
    named = _preferred_index(header)
    if named is not None:
        return named
    candidates = [index for index in range(width) if index not in layout.meta_columns]
    sample = rows[:50]
    for index in candidates:
        if any(len(row) > index and has_han(row[index]) for row in sample):
            return index
    return candidates[0] if candidates else 0


def _name_tokens(name: str) -> list[str]:
    return re.findall(r"[a-z]+", name.casefold())


def _preferred_index(names: Sequence[str]) -> int | None:
    """Which of ``names`` holds the word: an exact default name by priority, then a name
    containing one ("Simplified Hanzi"), never one that says it holds audio, pinyin..."""
    folded = [name.strip().casefold() for name in names]
    for wanted in DEFAULT_FIELD_NAMES:
        if wanted in folded:
            return folded.index(wanted)
    for wanted in DEFAULT_FIELD_NAMES:
        for index, name in enumerate(names):
            tokens = _name_tokens(name)
            if wanted in tokens and not _NOT_THE_WORD.intersection(tokens):
                return index
    return None


def _listing(names: Iterable[str]) -> str:
    quoted = [repr(name) for name in names]
    return ", ".join(quoted) if quoted else "none"


# --- Pleco XML --------------------------------------------------------------------------


def _read_pleco_xml(path: Path, studied_only: bool) -> list[str]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise FlashcardsError(f"{path}: damaged Pleco XML export ({error})") from None
    words: list[str | None] = []
    for card in root.iter("card"):
        if studied_only and not any(
            _count(score.get("reviewed")) > 0 for score in card.iter("scoreinfo")
        ):
            continue
        forms = {hw.get("charset", ""): (hw.text or "") for hw in card.iter("headword")}
        headword = forms.get("sc") or forms.get("tc") or next(iter(forms.values()), "")
        words.append(word_from_field(headword))
    return _unique(words)


def _count(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


# --- Anki -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NoteType:
    id: int
    name: str
    fields: tuple[str, ...]  # by ordinal


@dataclass(frozen=True)
class _AnkiWords:
    """Reads the words of a collection's notes (see read_words)."""

    note_type: str | None
    field: str | None
    studied_only: bool

    def __call__(self, path: Path, connection: sqlite3.Connection, tables: set[str]) -> list[str]:
        note_types = _note_types(connection, tables)
        chosen = _choose_fields(path, note_types, self.note_type, self.field)
        studied: set[int] | None = None
        if self.studied_only:
            studied = {
                row[0]
                for row in connection.execute("SELECT DISTINCT nid FROM cards WHERE type != 0")
            }
        words: list[str | None] = []
        for note_id, model_id, fields in connection.execute(
            "SELECT id, mid, flds FROM notes ORDER BY id"
        ):
            ordinal = chosen.get(model_id)
            if ordinal is None or (studied is not None and note_id not in studied):
                continue
            values = text_value(fields).split("\x1f")
            if ordinal < len(values):
                words.append(word_from_field(values[ordinal]))
        return _unique(words)


# A word is known when one of its cards is due again in at least this many days: Anki's own
# "mature" threshold.
KNOWN_INTERVAL_DAYS = 21


def is_anki_file(path: str | os.PathLike[str]) -> bool:
    """Is ``path`` an Anki package or collection (by its first bytes)?"""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return head.startswith((*ZIP_MAGICS, SQLITE_MAGIC))


def read_review_states(
    path: str | os.PathLike[str],
    *,
    known_interval: int = KNOWN_INTERVAL_DAYS,
    note_type: str | None = None,
    field: str | None = None,
) -> list[tuple[str, str]]:
    """(word, state) for each word of an Anki package or collection (note type and field
    chosen as :func:`read_words` chooses them), in note order, each word once with its
    best state: ``known`` when one of its cards is in review with an interval of at least
    ``known_interval`` days, ``learning`` when a card has been answered but none is that far
    yet, ``new`` when no card has been answered (or all were reset to new). The interval
    (cards.ivl) is what every Anki version and scheduler keeps; FSRS's stability, where an
    export has it, is not read. A suspended or buried card counts by its interval too."""
    return read_anki(Path(path), _AnkiReviewStates(note_type, field, known_interval))


@dataclass(frozen=True)
class _AnkiReviewStates:
    note_type: str | None
    field: str | None
    known_interval: int

    def __call__(
        self, path: Path, connection: sqlite3.Connection, tables: set[str]
    ) -> list[tuple[str, str]]:
        chosen = _choose_fields(path, _note_types(connection, tables), self.note_type, self.field)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(cards)")}
        ivl = "ivl" if "ivl" in columns else "0"
        rank: dict[int, int] = {}  # note id -> 2 known, 1 learning, 0 new
        if {"nid", "type"} <= columns:
            # type: 0 new, 1 learning, 2 review, 3 relearning. A review card's ivl is in
            # days; a learning card's may be negative (seconds) in old collections.
            for nid, kind, interval in connection.execute(
                f"SELECT nid, type, {ivl} FROM cards"
            ):
                if not isinstance(kind, int) or kind == 0:
                    state = 0
                elif kind in (2, 3) and isinstance(interval, int) and (
                    interval >= self.known_interval
                ):
                    state = 2
                else:
                    state = 1
                if isinstance(nid, int):
                    rank[nid] = max(rank.get(nid, 0), state)
        best: dict[str, int] = {}
        for note_id, model_id, fields in connection.execute(
            "SELECT id, mid, flds FROM notes ORDER BY id"
        ):
            ordinal = chosen.get(model_id)
            if ordinal is None:
                continue
            values = text_value(fields).split("\x1f")
            word = word_from_field(values[ordinal]) if ordinal < len(values) else None
            if word:
                best[word] = max(best.get(word, 0), rank.get(note_id, 0))
        names = ("new", "learning", "known")
        return [(word, names[state]) for word, state in best.items()]


def card_kinds_by_guid(path: str | os.PathLike[str]) -> dict[str, frozenset[str]]:
    """The card kinds each vocabulary note of ours has in an Anki package or collection
    (an earlier build of a deck, or the learner's own collection), by note GUID.

    A note type counts as ours when it has the three flag fields (MakeRecognition, MakeRecall,
    MakeCloze), whatever it was renamed to. Raises FlashcardsError as read_words does.
    """
    return read_anki(Path(path), _read_card_kinds)


def _read_card_kinds(
    path: Path, connection: sqlite3.Connection, tables: set[str]
) -> dict[str, frozenset[str]]:
    from flashcards.notes import CARD_FLAG_FIELDS  # genanki: only for a build

    flag_kinds = {flag: kind for kind, flag in CARD_FLAG_FIELDS.items()}
    flags: dict[int, list[tuple[int, str]]] = {}
    for note_type in _note_types(connection, tables):
        where = {name: i for i, name in enumerate(note_type.fields) if name in flag_kinds}
        if len(where) == len(flag_kinds):
            flags[note_type.id] = [(i, flag_kinds[name]) for name, i in where.items()]
    kinds: dict[str, frozenset[str]] = {}
    for guid, model_id, fields in connection.execute("SELECT guid, mid, flds FROM notes"):
        ordinals = flags.get(model_id)
        if ordinals is None:
            continue
        values = text_value(fields).split("\x1f")
        kinds[text_value(guid)] = frozenset(
            kind for i, kind in ordinals if i < len(values) and values[i].strip()
        )
    return kinds


def _note_types(connection: sqlite3.Connection, tables: set[str]) -> list[_NoteType]:
    """The note types of a collection that have notes, in both schemas: 18 (current) keeps
    them in the notetypes and fields tables, 11 (legacy) as JSON in col.models."""
    used = {row[0] for row in connection.execute("SELECT DISTINCT mid FROM notes")}
    found: list[_NoteType] = []
    if "notetypes" in tables and "fields" in tables:
        fields: dict[int, list[tuple[int, str]]] = {}
        for ntid, ordinal, name in connection.execute("SELECT ntid, ord, name FROM fields"):
            if isinstance(ordinal, int):
                fields.setdefault(ntid, []).append((ordinal, text_value(name)))
        for ntid, name in connection.execute("SELECT id, name FROM notetypes ORDER BY id"):
            ordered = tuple(name for _, name in sorted(fields.get(ntid, [])))
            found.append(_NoteType(ntid, text_value(name), ordered))
    else:
        row = connection.execute("SELECT models FROM col").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("its col table is empty")
        try:
            found = _legacy_note_types(json.loads(text_value(row[0]) or "{}"))
        except (json.JSONDecodeError, AttributeError, TypeError, KeyError, ValueError) as error:
            raise sqlite3.DatabaseError(f"unreadable note types: {error!r}") from None
    return [note_type for note_type in found if note_type.id in used]


def _legacy_note_types(models: dict) -> list[_NoteType]:
    found = []
    for key in sorted(models, key=int):
        model = models[key]
        flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        names = tuple(text_value(f["name"]) for f in flds)
        found.append(_NoteType(int(key), text_value(model.get("name", "")), names))
    return found


def _choose_fields(
    path: Path, note_types: Sequence[_NoteType], note_type: str | None, field: str | None
) -> dict[int, int]:
    """Note type id -> ordinal of the field holding the word."""
    candidates = list(note_types)
    if note_type is not None:
        candidates = [nt for nt in note_types if nt.name.casefold() == note_type.casefold()]
        if not candidates:
            raise FlashcardsError(
                f"{path}: no note type {note_type!r}; it has "
                f"{_listing(nt.name for nt in note_types)}"
            )
    if field is not None:
        chosen = {}
        for nt in candidates:
            folded = [name.casefold() for name in nt.fields]
            if field.casefold() in folded:
                chosen[nt.id] = folded.index(field.casefold())
        if not chosen:
            available = "; ".join(f"{nt.name}: {_listing(nt.fields)}" for nt in candidates)
            raise FlashcardsError(f"{path}: no field {field!r}; fields are {available or 'none'}")
        return chosen
    preferred = {nt.id: _preferred_index(nt.fields) for nt in candidates}
    chosen = {ntid: index for ntid, index in preferred.items() if index is not None}
    if chosen and note_type is None:
        return chosen
    # A note type named by the user, or none named like the defaults: the first field.
    return {nt.id: (preferred[nt.id] or 0) for nt in candidates if nt.fields}
