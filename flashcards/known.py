"""The known-word store: the words a learner already knows, one SQLite database per profile.

Each word is kept as it was given (銀行 stays 銀行) together with its simplified form (OpenCC
t2s), and membership goes by the simplified form, so a known 銀行 also makes 银行 known. There
is one row per simplified form; the first form given is the one kept.

Every write is one transaction: an import that fails half-way (a damaged file, an interrupt,
a killed process) leaves the store as it was. The database runs in WAL mode with a busy
timeout, so several processes may read and write it at once.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType

import platformdirs

from flashcards.errors import FlashcardsError
from flashcards.wordsources import (
    KNOWN_INTERVAL_DAYS,
    has_han,
    is_anki_file,
    read_review_states,
    read_words,
    to_simplified,
)

# 2: each word's sources in their own table (known_source), with a status: known,
# learning (an Anki card reviewed, its interval still short) or ignored.
SCHEMA_VERSION = 2
STATUSES = ("known", "learning", "ignored")
# A word's status when its sources disagree: ignoring wins, then knowing.
_STATUS_RANK = "CASE status WHEN 'ignored' THEN 0 WHEN 'known' THEN 1 ELSE 2 END"
# How long a writer waits for another process's transaction to finish before giving up.
BUSY_TIMEOUT_SECONDS = 60.0
_BATCH = 1000
_PROFILE_NAME = re.compile(r"[\w-]{1,64}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS known (
    simplified TEXT PRIMARY KEY,
    word TEXT NOT NULL,
    source TEXT NOT NULL,
    added_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS known_by_word ON known (word);
CREATE TABLE IF NOT EXISTS known_source (
    simplified TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (simplified, source)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS known_source_by_source ON known_source (source);
"""
# A version 1 store read without migrating it (a read-only open): every word known, from
# the one source it has.
_V1_SOURCES = """
CREATE TEMP VIEW known_source AS
    SELECT simplified, source, 'known' AS status, added_at FROM main.known
"""
# Every word with its status (see _STATUS_RANK), for the queries below.
_STATUS = f"""
    SELECT simplified, CASE min({_STATUS_RANK}) WHEN 0 THEN 'ignored' WHEN 1 THEN 'known'
        ELSE 'learning' END AS status
    FROM known_source GROUP BY simplified
"""


def check_profile(profile: str) -> str:
    """``profile`` if it is a valid profile name (letters, digits, ``-`` and ``_``, at most 64),
    else FlashcardsError."""
    if not isinstance(profile, str) or not _PROFILE_NAME.fullmatch(profile):
        raise FlashcardsError(
            f"bad profile name {profile!r}: use letters, digits, '-' and '_' only"
        )
    return profile


def store_path(profile: str = "default") -> Path:
    """Where a profile's store lives: ``$FLASHCARDS_HOME/<profile>.sqlite3`` when
    FLASHCARDS_HOME is set, else ``<user data dir>/flashcards/profiles/<profile>.sqlite3``."""
    check_profile(profile)
    home = os.environ.get("FLASHCARDS_HOME", "").strip()
    if home:
        folder = Path(home).expanduser()
    else:
        folder = Path(platformdirs.user_data_dir("flashcards", appauthor=False)) / "profiles"
    return folder / f"{profile}.sqlite3"


def normalize_word(word: str) -> str:
    """A word as the store keeps it: NFC, surrounding whitespace removed."""
    return unicodedata.normalize("NFC", word).strip()


def simplified_form(word: str) -> str:
    """The form membership is decided by: the normalized word in simplified characters."""
    return to_simplified(normalize_word(word))


@dataclass(frozen=True)
class KnownEntry:
    """One known word with where and when it came from."""

    word: str  # as first given
    simplified: str
    source: str  # the first source: "manual", "hsk:3.0:2", "import:<file>", "deck:<file>"
    added_at: str  # ISO 8601 in UTC, to the second: 2025-01-31T08:00:00Z
    status: str = "known"  # known, learning or ignored (see STATUSES)
    sources: tuple[str, ...] = ()  # every source that has the word, sorted


def hsk_source(standard: str, level: int) -> str:
    """The source recorded for a word of HSK ``level`` (3.0: 7 is the band 7-9)."""
    return f"hsk:{standard}:{level}"


def check_hsk(level: int, standard: str) -> str:
    """The standard as sources name it ("2.0" or "3.0") if ``level`` is one of its levels
    (3.0: 1 to 7, where 7 is the band 7-9, also given as 8 or 9), else FlashcardsError."""
    from flashcards.levels import hsk_top_level

    if standard in ("3", "2021"):
        standard = "3.0"
    if standard not in ("2.0", "3.0"):
        raise FlashcardsError(f"unknown HSK standard {standard!r}: use 2.0 or 3.0")
    top = hsk_top_level(standard)
    if not isinstance(level, int) or not 1 <= level <= top:
        raise FlashcardsError(f"HSK {standard} has levels 1 to {top}, not {level!r}")
    return standard


def describe_source(source: str) -> str:
    """A source as a person reads it: "HSK 3.0 level 2", "import of deck.apkg"…"""
    kind, _, rest = source.partition(":")
    if kind == "hsk" and rest.count(":") == 1:
        standard, level = rest.split(":")
        return f"HSK {standard} level {'7-9' if standard == '3.0' and level == '7' else level}"
    if kind == "import" and rest:
        return f"import of {rest}"
    if kind == "deck" and rest:
        return f"finished deck {rest}"
    if kind == "ignore" and rest:
        return f"ignore list {rest}"
    if source == "manual":
        return "by hand"
    return f"import of {source}"  # stores before version 2 kept the file name alone


class KnownWords:
    """An open known-word store. Use :meth:`open`, as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(
        cls,
        profile: str = "default",
        *,
        path: str | os.PathLike[str] | None = None,
        read_only: bool = False,
    ) -> KnownWords:
        """Open (creating it if needed) the store of ``profile``, or the store at ``path``.

        ``read_only``: for commands that only read; a store the user cannot write (a
        read-only file or folder) still opens, and a missing one reads as empty without
        being created. A writable open checks the store first (``PRAGMA quick_check``), so
        nothing is written into a damaged one.
        """
        where = Path(path) if path is not None else store_path(profile)
        if read_only:
            return cls(_open_read_only(where), where)
        if where.exists() and not (os.access(where, os.W_OK) and os.access(where.parent, os.W_OK)):
            # SQLite would open it and fail at the first write, or find no room for its log.
            raise _read_only(where)
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(where, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise FlashcardsError(f"cannot open the known-word store {where}: {error}") from None
        try:
            _check_intact(connection, where)
            _prepare(connection, where)
        except sqlite3.OperationalError as error:
            connection.close()
            if "readonly" in str(error) or "read-only" in str(error):
                raise _read_only(where) from None
            raise FlashcardsError(f"{where}: not a usable known-word store ({error})") from None
        except sqlite3.DatabaseError as error:
            connection.close()
            raise FlashcardsError(f"{where}: not a usable known-word store ({error})") from None
        except BaseException:
            connection.close()
            raise
        return cls(connection, where)

    def close(self) -> None:
        """Close the database; the store cannot be used after this."""
        self._connection.close()

    def __enter__(self) -> KnownWords:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def add(self, words: Iterable[str], source: str = "manual") -> int:
        """Mark ``words`` as known, all or none; returns how many were not known before.
        A word without a Chinese character is refused (FlashcardsError, nothing added)."""
        return self.import_words(words, source)

    def import_words(self, words: Iterable[str], source: str, status: str = "known") -> int:
        """Add ``words`` (any iterable, consumed once) in ONE transaction, recording
        ``source`` and ``status`` (known, learning or ignored; a source that gave a word
        before gives it this status now): if anything fails, including the iteration
        itself, nothing is added. Returns how many words were not in the store before."""
        return self.import_statuses(((word, status) for word in words), source)

    def import_statuses(self, items: Iterable[tuple[str, str]], source: str) -> int:
        """Like :meth:`import_words`, each word with its own status: (word, status) pairs."""
        with self._transaction():
            return self._insert(items, source)

    def _insert(self, items: Iterable[tuple[str, str]], source: str) -> int:
        added_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        rows = (_row(word, source, added_at, status) for word, status in items)
        added = 0
        while batch := [row for row in islice(rows, _BATCH) if row is not None]:
            start = self._connection.total_changes
            self._connection.executemany(
                "INSERT OR IGNORE INTO known (simplified, word, source, added_at)"
                " VALUES (?, ?, ?, ?)",
                [row[:4] for row in batch],
            )
            added += self._connection.total_changes - start
            self._connection.executemany(
                "INSERT OR REPLACE INTO known_source (simplified, source, status, added_at)"
                " VALUES (?, ?, ?, ?)",
                [(row[0], row[2], row[4], row[3]) for row in batch],
            )
        return added

    def ignore(self, words: Iterable[str], source: str = "manual") -> int:
        """Mark ``words`` as never wanted on a card (names, places…): builds leave them out
        and coverage counts them as known. Returns how many were not in the store before."""
        return self.import_words(words, source, status="ignored")

    def add_hsk(self, level: int, standard: str = "3.0") -> int:
        """Mark every word of HSK levels 1 to ``level`` of ``standard`` (2.0 or 3.0, where
        7 is the band 7-9) known, each level as its own source (:func:`hsk_source`), in one
        transaction. Returns how many words were not in the store before."""
        from flashcards.levels import hsk_words

        standard = check_hsk(level, standard)
        with self._transaction():
            return sum(
                self._insert(
                    ((w, "known") for w in hsk_words(standard, lv) if has_han(w)),
                    hsk_source(standard, lv),
                )
                for lv in range(1, level + 1)
            )

    def remove_hsk(self, level: int, standard: str = "3.0") -> int:
        """Undo :meth:`add_hsk` for levels 1 to ``level``: words another source also gives
        stay. Returns how many words were forgotten."""
        standard = check_hsk(level, standard)
        return self.remove_sources(hsk_source(standard, lv) for lv in range(1, level + 1))

    def remove_sources(self, sources: Iterable[str]) -> int:
        """Undo what ``sources`` added: their marks go, and a word no other source has is
        forgotten. Returns how many words were forgotten. One transaction."""
        with self._transaction():
            before = self.count_all()
            self._connection.executemany(
                "DELETE FROM known_source WHERE source = ?", [(s,) for s in sources]
            )
            self._connection.execute(
                "DELETE FROM known WHERE simplified NOT IN (SELECT simplified FROM known_source)"
            )
            return before - self.count_all()

    def remove(self, words: Iterable[str]) -> int:
        """Forget ``words`` (either script: removing 银行 also forgets 銀行); returns how
        many known words were removed. One transaction."""
        forms = (simplified_form(word) for word in words)
        with self._transaction():
            removed = 0
            while batch := list(islice(forms, _BATCH)):
                self._connection.executemany(
                    "DELETE FROM known_source WHERE simplified = ?", [(form,) for form in batch]
                )
                start = self._connection.total_changes
                self._connection.executemany(
                    "DELETE FROM known WHERE simplified = ?", [(form,) for form in batch]
                )
                removed += self._connection.total_changes - start
            return removed

    # --- reading -------------------------------------------------------------------------

    def words(self, status: str = "known") -> list[str]:
        """The words of ``status`` (known, learning or ignored) as given, by code point."""
        return [
            row[0]
            for row in self._query(
                f"SELECT word FROM known JOIN ({_STATUS}) USING (simplified)"
                " WHERE status = ? ORDER BY word",
                (status,),
            )
        ]

    def entries(self) -> list[KnownEntry]:
        """Every word of the store (known, learning and ignored) with its status, sources
        and the time it was first added, sorted like :meth:`words`."""
        sources: dict[str, list[str]] = {}
        for simplified, source in self._query(
            "SELECT simplified, source FROM known_source ORDER BY simplified, source"
        ):
            sources.setdefault(simplified, []).append(source)
        return [
            KnownEntry(*row, tuple(sources.get(row[1], ())))
            for row in self._query(
                "SELECT word, simplified, known.source, added_at, coalesce(status, 'known')"
                f" FROM known LEFT JOIN ({_STATUS}) USING (simplified)"
                " ORDER BY word, simplified"
            )
        ]

    def count(self, status: str = "known") -> int:
        """How many words have ``status`` (known by default)."""
        return self._query(f"SELECT count(*) FROM ({_STATUS}) WHERE status = ?", (status,))[0][0]

    def count_all(self) -> int:
        """How many words the store has, whatever their status."""
        return self._query("SELECT count(*) FROM known")[0][0]

    def counts(self) -> dict[str, int]:
        """How many words of each status: {"known": …, "learning": …, "ignored": …}."""
        found = dict(self._query(f"SELECT status, count(*) FROM ({_STATUS}) GROUP BY status"))
        return {status: found.get(status, 0) for status in STATUSES}

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return self.status_of(word) == "known"

    def status_of(self, word: str) -> str | None:
        """The word's status (known, learning, ignored), None when the store lacks it."""
        rows = self._query(
            f"SELECT status FROM ({_STATUS}) WHERE simplified = ?", (simplified_form(word),)
        )
        return rows[0][0] if rows else None

    def contains_any(self, forms: Iterable[str]) -> bool:
        """True if any of ``forms`` (e.g. a word's simplified and traditional forms) is known."""
        return any(form in self for form in forms)

    def simplified_forms(self, status: str = "known") -> frozenset[str]:
        """The simplified form of every word of ``status`` (what text words are matched
        against)."""
        return frozenset(
            row[0]
            for row in self._query(
                f"SELECT simplified FROM ({_STATUS}) WHERE status = ?", (status,)
            )
        )

    # --- internals -----------------------------------------------------------------------

    def _query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise FlashcardsError(f"{self.path}: known-word store unreadable ({error})") from None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection, self.path)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt too)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self._path = path

    def __enter__(self) -> None:
        try:
            # IMMEDIATE takes the write lock now, so a second writer waits at the start
            # (busy timeout) instead of failing at its first write.
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise FlashcardsError(f"{self._path}: known-word store busy ({error})") from None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            try:
                self._connection.execute("COMMIT")
                return
            except sqlite3.Error as commit_error:
                self._connection.execute("ROLLBACK")
                raise FlashcardsError(
                    f"{self._path}: could not save the known words ({commit_error})"
                ) from None
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise FlashcardsError(f"{self._path}: known-word store error ({error})") from None


def _row(
    word: str, source: str, added_at: str, status: str = "known"
) -> tuple[str, str, str, str, str] | None:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    normalized = normalize_word(word)
    if not normalized:
        return None
    if not has_han(normalized):
        raise FlashcardsError(f"not a Chinese word: {normalized!r}")
    return (to_simplified(normalized), normalized, source, added_at, status)


def _use_wal(connection: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs it to itself, and SQLite does not wait for that as it
    # waits for other locks: two processes opening a new store at once would see "database
    # is locked". Wait here, as long as the busy timeout would.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _read_only(path: Path) -> FlashcardsError:
    return FlashcardsError(
        f"{path}: the known-word store is read-only; commands that change it need it "
        "writable (list, count, export, analyze and build only read it)"
    )


def _damaged(path: Path, problem: str) -> FlashcardsError:
    # quick_check lists every broken cell; the first line that names one says enough.
    lines = [line for line in problem.splitlines() if line.strip() and "***" not in line]
    return FlashcardsError(
        f"{path}: the known-word store is damaged ({lines[0] if lines else problem}); nothing "
        "was written. Move it aside and add your words again (known import from your Anki "
        "collection or a list)"
    )


def _check_intact(connection: sqlite3.Connection, path: Path) -> None:
    # Before any write: SQLite would otherwise go on writing into a damaged file.
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise  # not a store at all: said as such by the caller
        raise _damaged(path, str(error)) from None
    if rows != [("ok",)]:
        raise _damaged(path, str(rows[0][0]))


def _empty_store() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(_SCHEMA)
    return connection


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The store opened for reading only; an empty one in memory when it does not exist."""
    if not path.exists():
        return _empty_store()
    uri = path.resolve().as_uri()
    connection = None
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        (version,) = connection.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError:
        # A WAL store in a folder the user cannot write: SQLite cannot make the shared-memory
        # file it reads through. Nobody can be writing it there, so read the file as it is.
        if connection is not None:
            connection.close()
        try:
            connection = sqlite3.connect(f"{uri}?immutable=1", uri=True)
            (version,) = connection.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError as error:
            connection.close()
            raise FlashcardsError(f"{path}: not a usable known-word store ({error})") from None
    except sqlite3.DatabaseError as error:
        connection.close()
        raise FlashcardsError(f"{path}: not a usable known-word store ({error})") from None
    if version > SCHEMA_VERSION:
        connection.close()
        raise FlashcardsError(f"{path}: known-word store made by a newer flashcards version")
    if version == 1:  # read as it is; the next writable open migrates it
        connection.execute(_V1_SOURCES)
        return connection
    if version < SCHEMA_VERSION:  # a new file no command has written yet: nothing known
        connection.close()
        return _empty_store()
    return connection


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    # WAL lets readers and a writer work at once; a killed writer's transaction is rolled
    # back from the log at the next open. FULL makes each commit survive a power cut too.
    _use_wal(connection)
    connection.execute("PRAGMA synchronous = FULL")
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise FlashcardsError(f"{path}: known-word store made by a newer flashcards version")
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables - {"known", "known_source"}:
            raise FlashcardsError(f"{path}: a SQLite database, but not a known-word store")
        for statement in filter(str.strip, _SCHEMA.split(";")):
            connection.execute(statement)
        if version == 1:  # every word of a version 1 store is known, from its one source
            connection.execute(
                "INSERT OR IGNORE INTO known_source (simplified, source, status, added_at)"
                " SELECT simplified, source, 'known', added_at FROM known"
            )
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def statuses_in_file(
    path: str | os.PathLike[str],
    *,
    known_interval: int = KNOWN_INTERVAL_DAYS,
    column: str | int | None = None,
    note_type: str | None = None,
    field: str | None = None,
    studied_only: bool = False,
) -> list[tuple[str, str]]:
    """(word, status) for what ``known import`` takes from a file.

    An Anki package or collection with review history gives each word its review state
    (:func:`~flashcards.wordsources.read_review_states`): known (an interval of at least
    ``known_interval`` days) or learning; words whose cards are all new are left out. An
    Anki file nobody has studied (a word list kept in Anki), and every other kind of file,
    gives its words as known (``studied_only``: none of a file never studied)."""
    if is_anki_file(path):
        states = read_review_states(
            path, known_interval=known_interval, note_type=note_type, field=field
        )
        if any(state != "new" for _, state in states):
            return [(word, state) for word, state in states if state != "new"]
    words = read_words(
        path, column=column, note_type=note_type, field=field, studied_only=studied_only
    )
    return [(word, "known") for word in words]


def read_word_lines(path: str | os.PathLike[str]) -> list[str]:
    """The words of a file of one word a line (blank lines and ``#`` comments skipped; a
    line's first run of Chinese is its word, as :func:`~flashcards.wordsources.read_words`
    reads a plain list)."""
    return read_words(path, column=0)


@dataclass(frozen=True)
class LearnerWords:
    """What a build or an analysis knows of the learner: simplified forms by status."""

    known: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()


def learner_words(
    profile: str | None = "default", extra_files: Sequence[str | os.PathLike[str]] = ()
) -> LearnerWords:
    """The store of ``profile`` (None: no store) by status, plus the words of
    ``extra_files`` as known (see :func:`known_set`). A word known from a file is known
    whatever the store says of it."""
    known: set[str] = set()
    learning: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()
    if profile is not None:
        path = store_path(profile)
        if path.exists():
            with KnownWords.open(path=path, read_only=True) as store:
                known |= store.simplified_forms("known")
                learning = store.simplified_forms("learning")
                ignored = store.simplified_forms("ignored")
    for extra in extra_files:
        known.update(simplified_form(word) for word in read_words(extra))
    return LearnerWords(frozenset(known), learning - known, ignored)


def known_set(
    profile: str | None = "default", extra_files: Sequence[str | os.PathLike[str]] = ()
) -> frozenset[str]:
    """The simplified forms of every known word, for ``build`` and ``analyze``: the store of
    ``profile`` (None: no store) plus the words of ``extra_files`` (read by
    :func:`~flashcards.wordsources.read_words` with its defaults). A word of a text is known
    when its simplified form (OpenCC t2s, as :func:`simplified_form` gives) is in the set; the
    size of the set is the number of distinct known words. A missing store counts as empty
    and is not created."""
    forms: set[str] = set()
    if profile is not None:
        path = store_path(profile)
        if path.exists():
            with KnownWords.open(path=path, read_only=True) as store:
                forms |= store.simplified_forms()
    for extra in extra_files:
        forms.update(simplified_form(word) for word in read_words(extra))
    return frozenset(forms)
