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
from flashcards.wordsources import has_han, read_words, to_simplified

SCHEMA_VERSION = 1
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
    source: str  # "manual", or the file it was imported from
    added_at: str  # ISO 8601 in UTC, to the second: 2025-01-31T08:00:00Z


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

    def import_words(self, words: Iterable[str], source: str) -> int:
        """Add ``words`` (any iterable, consumed once) in ONE transaction, recording
        ``source``: if anything fails, including the iteration itself, nothing is added.
        Returns how many words were not known before."""
        added_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        rows = (_row(word, source, added_at) for word in words)
        with self._transaction():
            before = self._connection.total_changes
            while batch := list(islice(rows, _BATCH)):
                self._connection.executemany(
                    "INSERT OR IGNORE INTO known (simplified, word, source, added_at)"
                    " VALUES (?, ?, ?, ?)",
                    [row for row in batch if row is not None],
                )
            return self._connection.total_changes - before

    def remove(self, words: Iterable[str]) -> int:
        """Forget ``words`` (either script: removing 银行 also forgets 銀行); returns how
        many known words were removed. One transaction."""
        forms = (simplified_form(word) for word in words)
        with self._transaction():
            before = self._connection.total_changes
            while batch := list(islice(forms, _BATCH)):
                self._connection.executemany(
                    "DELETE FROM known WHERE simplified = ?", [(form,) for form in batch]
                )
            return self._connection.total_changes - before

    # --- reading -------------------------------------------------------------------------

    def words(self) -> list[str]:
        """The known words as given, sorted by code point."""
        return [row[0] for row in self._query("SELECT word FROM known ORDER BY word")]

    def entries(self) -> list[KnownEntry]:
        """Every known word with its source and time added, sorted like :meth:`words`."""
        return [
            KnownEntry(*row)
            for row in self._query(
                "SELECT word, simplified, source, added_at FROM known ORDER BY word, simplified"
            )
        ]

    def count(self) -> int:
        """How many words are known."""
        return self._query("SELECT count(*) FROM known")[0][0]

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return bool(
            self._query("SELECT 1 FROM known WHERE simplified = ?", (simplified_form(word),))
        )

    def contains_any(self, forms: Iterable[str]) -> bool:
        """True if any of ``forms`` (e.g. a word's simplified and traditional forms) is known."""
        return any(form in self for form in forms)

    def simplified_forms(self) -> frozenset[str]:
        """The simplified form of every known word (what text words are matched against)."""
        return frozenset(row[0] for row in self._query("SELECT simplified FROM known"))

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


def _row(word: str, source: str, added_at: str) -> tuple[str, str, str, str] | None:
    normalized = normalize_word(word)
    if not normalized:
        return None
    if not has_han(normalized):
        raise FlashcardsError(f"not a Chinese word: {normalized!r}")
    return (to_simplified(normalized), normalized, source, added_at)


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
        if tables - {"known"}:
            raise FlashcardsError(f"{path}: a SQLite database, but not a known-word store")
        for statement in filter(str.strip, _SCHEMA.split(";")):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


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
