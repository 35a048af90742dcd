"""A cache of parsed data tables on disk, so that start-up stays fast.

Small tables are stored with marshal (plain tuples, lists, dicts and strings load several
times faster than they parse); large ones that are read a key at a time (CC-CEDICT,
wordfreq) in a sqlite file, so that a process holds only the rows it asked for instead of
the whole table as Python objects. The largest (CC-CEDICT, jieba's dictionary) are cut
into shards cheaply when first built, and each shard is made (parsed, its prefixes or its
sqlite file written) the first time a process reads it: the first command after an
install makes the few shards it reads. All live under the user's cache folder, or
``$FLASHCARDS_CACHE``. A table is keyed by the files it came from (path, size,
modification time) and a version of the code that built it, so a changed source or parser
never serves stale data.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import marshal
import os
import re
import shutil
import sqlite3
import tempfile
import time
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

ENV_CACHE = "FLASHCARDS_CACHE"


@lru_cache(maxsize=1 << 16)
def shard_of_char(ch: str, shards: int) -> int:
    """The shard of the words starting with ``ch``, stable across processes and runs (a
    short text then reads the shards of the few characters it has)."""
    return zlib.crc32(ch.encode("utf-8")) % shards

# Told the name of a table about to be built: the command line says so on a terminal,
# since the first command after an install waits a few seconds for it.
_on_build: list[Callable[[str], None]] = []


def on_build(callback: Callable[[str], None]) -> None:
    """Call ``callback(name)`` whenever a table is built rather than read from the cache."""
    _on_build.append(callback)


def _building(name: str) -> None:
    for callback in _on_build:
        callback(name)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Builds make hundreds of thousands of tuples and strings that all live on: the
    collector would walk them again and again for nothing (a tenth of a build's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("flashcards", appauthor=False))


def _stamp(sources: Sequence[Path], version: str) -> str:
    parts = [version]
    for p in sources:
        st = p.stat()
        parts.append(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}")
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


# Every cache file starts with the CRC-32 of what follows: a truncated or garbled file is
# found on reading (marshal may load garbage without complaint) and rebuilt, once.
_DAMAGED = (OSError, ValueError, EOFError, TypeError, IndexError, KeyError)


def _checked(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(4, "big") + payload


def _load_checked(path: Path) -> Any:
    data = path.read_bytes()
    if len(data) < 4 or int.from_bytes(data[:4], "big") != zlib.crc32(data[4:]):
        raise ValueError(f"damaged cache file {path}")
    return marshal.loads(data[4:])


def cached_table(name: str, sources: Sequence[Path], version: str, build: Callable[[], Any]) -> Any:
    """``build()``'s result, from the cache when ``sources`` and ``version`` are unchanged.

    The result must be marshal-able. A cache folder that can't be written only costs time;
    a damaged cache file is rebuilt.
    """
    target = cache_dir() / f"{name}-{_stamp(sources, version)}.marshal"
    try:
        return _load_checked(target)
    except _DAMAGED:
        pass
    _building(name)
    with _no_gc():
        data = build()
    try:
        _write(target, _checked(marshal.dumps(data)))
        _remove_older(name, keep=target.name)
    except OSError:
        pass
    return data


def _write(target: Path, payload: bytes, sync: bool = True) -> None:
    """``payload`` to ``target`` under a temporary name, renamed into place (``sync``:
    on the disk before the rename; not for a file whose checksum finds it cut short)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_older(name: str, keep: str) -> None:
    """Caches of this table built from other sources or by another version of the code."""
    own = re.compile(rf"{re.escape(name)}-[0-9a-f]{{16}}(?:\.marshal|\.sqlite|\.check)?")
    keep_stem = keep.split(".")[0]  # a sqlite table and its checksum file go together
    for old in cache_dir().iterdir():
        if old.name.split(".")[0] != keep_stem and own.fullmatch(old.name):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


class ShardedTable:
    """A table cached as many small files, each loaded only when first needed, and each
    made only when first needed.

    The table is cut into shards cheaply (``split``) and a shard is made into what its
    reader uses (``make``: jieba's words with all their prefixes) the first time a process
    asks for it, then kept in the cache beside its raw form: the first `pinyin 你好` after
    an install makes the shards of two characters instead of all of them; a build, which
    reads every shard, ends up making the rest, at the same total cost. A damaged raw
    shard has the whole table split again (``heal``), once; a damaged made one is made
    again from its raw form.
    """

    def __init__(
        self,
        meta: Any,
        count: int,
        folder: Path | None,
        make: Callable[[Any], Any],
        raw: list[Any] | None = None,
        heal: Callable[[], list[Any]] | None = None,
    ) -> None:
        self.meta = meta
        self._shards: list[Any | None] = [None] * count
        self._folder = folder
        self._make = make
        self._raw = raw  # the raw shards, when this process split the table itself
        self._heal = heal

    def __len__(self) -> int:
        return len(self._shards)

    def shard(self, i: int) -> Any:
        data = self._shards[i]
        if data is None:
            data = self._shards[i] = self._load(i)
        return data

    def _load(self, i: int) -> Any:
        folder = self._folder
        if folder is not None:
            try:
                return _load_checked(folder / f"{i}.marshal")
            except _DAMAGED:
                pass
        with _no_gc():
            data = self._make(self._raw_shard(i))
        if folder is not None:
            try:
                _write(folder / f"{i}.marshal", _checked(marshal.dumps(data)), sync=False)
            except OSError:
                pass  # a read-only cache folder only costs time
        return data

    def _raw_shard(self, i: int) -> Any:
        if self._raw is not None:
            return self._raw[i]
        assert self._folder is not None
        try:
            return _load_checked(self._folder / f"{i}.raw")
        except _DAMAGED:
            if self._heal is None:
                raise
        heal, self._heal = self._heal, None
        self._raw = heal()
        return self._raw[i]


def cached_shards(
    name: str,
    sources: Sequence[Path],
    version: str,
    split: Callable[[], tuple[Any, list[Any]]],
    make: Callable[[Any], Any],
) -> ShardedTable:
    """``split()`` gives (meta, raw shards), ``make(raw)`` a shard as its reader uses it;
    both come from the cache when nothing changed."""
    return _cached_split(ShardedTable, name, sources, version, split, make)


def _cached_split(
    kind: type[ShardedTable],
    name: str,
    sources: Sequence[Path],
    version: str,
    split: Callable[[], tuple[Any, list[Any]]],
    make: Callable[[Any], Any],
) -> Any:
    folder = cache_dir() / f"{name}-{_stamp(sources, version)}"

    def resplit() -> tuple[Any, list[Any], bool]:
        _building(name)
        with _no_gc():
            meta, raw = split()
        try:
            _write_folder(folder, meta, raw, suffix=".raw")
            _remove_older(name, keep=folder.name)
        except OSError:
            return meta, raw, False  # a read-only cache folder only costs start-up time
        return meta, raw, True

    try:
        meta, count = _load_checked(folder / "meta.marshal")
        if not isinstance(count, int) or count < 0:
            raise ValueError("damaged meta")
        return kind(meta, count, folder, make, heal=lambda: resplit()[1])
    except _DAMAGED:
        pass
    meta, raw, written = resplit()
    return kind(meta, len(raw), folder if written else None, make, raw=raw)


def _write_folder(folder: Path, meta: Any, shards: list[Any], suffix: str = ".marshal") -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        for i, shard in enumerate(shards):
            # No fsync a shard (hundreds took seconds): one a crash cut short fails its
            # checksum and the table is rebuilt.
            (tmp / f"{i}{suffix}").write_bytes(_checked(marshal.dumps(shard)))
        # meta is written last: a folder with a meta file is complete.
        (tmp / "meta.marshal").write_bytes(_checked(marshal.dumps((meta, len(shards)))))
        if folder.exists():  # a damaged copy: out of the way first (a rename cannot replace it)
            trash = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-old-"))
            os.replace(folder, trash / "old")
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.exists():
            raise


# --- tables in sqlite ---------------------------------------------------------------------

Value = str | int | float | bytes


class KeyTable:
    """A table of key -> value in a sqlite file of the cache, read a key at a time.

    The file is checked whole against its checksum file when opened (sqlite reads a page
    only when a key on it is asked for, so it would not see a garbled page until then);
    a damaged or missing file is rebuilt, once. Forked workers open their own connection:
    sqlite's may not cross a fork.
    """

    def __init__(self, path: Path, rebuild: Callable[[], None] | None = None) -> None:
        self._path = path
        self._rebuild = rebuild
        self._db: sqlite3.Connection | None = None
        self.meta: Any = None
        self._open()
        _open_tables.add(self)

    def _open(self) -> None:
        for wait in (0.05, 0.2, None):
            if _verified(self._path):
                break
            if wait is None or not self._path.exists():  # missing: built, not waited for
                raise ValueError(f"damaged cache file {self._path}")
            # Perhaps another process is between renaming its table and its checksum
            # file into place (tables built differently, by another version of sqlite).
            time.sleep(wait)
        db = sqlite3.connect(f"file:{self._path}?mode=ro&immutable=1", uri=True,
                             check_same_thread=False)
        try:
            (meta,) = db.execute("SELECT v FROM meta").fetchone()
            self.meta = marshal.loads(meta)
        except (sqlite3.Error, TypeError, ValueError, EOFError):
            db.close()
            raise ValueError(f"damaged cache file {self._path}") from None
        self._db = db

    def _query(self, sql: str, args: tuple = ()) -> list:
        if self._db is None:
            self._open()
        assert self._db is not None
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            if self._rebuild is None:
                raise
        rebuild, self._rebuild = self._rebuild, None
        self._db.close()
        self._db = None
        rebuild()
        return self._query(sql, args)

    def get(self, key: str) -> Value | None:
        rows = self._query("SELECT v FROM kv WHERE k = ?", (key,))
        return rows[0][0] if rows else None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def keys(self) -> Iterator[str]:
        """Every key, in the order the table was built in."""
        for (key,) in self._query("SELECT k FROM kv ORDER BY rowid"):
            yield key

    def items(self) -> Iterator[tuple[str, Value]]:
        """Every (key, value), in the order the table was built in."""
        return iter(self._query("SELECT k, v FROM kv ORDER BY rowid"))

    def _forget_connection(self) -> None:
        self._db = None  # the parent's, in a forked child: left alone, never closed here


_open_tables: weakref.WeakSet[KeyTable] = weakref.WeakSet()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        after_in_child=lambda: [t._forget_connection() for t in list(_open_tables)]
    )


def _file_crc(path: Path) -> tuple[int, int]:
    crc = size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return crc, size


def _check_path(path: Path) -> Path:
    return path.with_suffix(".check")


def _verified(path: Path) -> bool:
    try:
        crc, size = marshal.loads(_check_path(path).read_bytes())
        return (crc, size) == _file_crc(path)
    except (OSError, ValueError, EOFError, TypeError):
        return False


class KeyShards(ShardedTable):
    """A ShardedTable whose shards are KeyTables: ``make(raw)`` gives a shard's (key,
    value) rows, written to a sqlite file of the table's folder the first time a process
    reads that shard (`lookup 银行` writes one of CC-CEDICT's 64)."""

    def _load(self, i: int) -> KeyTable:
        folder = self._folder
        if folder is not None:
            try:
                return KeyTable(folder / f"{i}.sqlite", rebuild=lambda: self._write_shard(i))
            except ValueError:
                pass
        self._write_shard(i)
        folder = self._folder
        assert folder is not None
        return KeyTable(folder / f"{i}.sqlite", rebuild=lambda: self._write_shard(i))

    def _write_shard(self, i: int) -> None:
        raw = self._raw_shard(i)
        with _no_gc():
            rows = self._make(raw)
            if self._folder is not None:
                try:
                    _write_key_table(self._folder, f"{i}.sqlite", None, rows)
                    return
                except OSError:
                    pass
            # A cache folder that can't be written only costs time: the shards go to a
            # temporary folder, removed when the process ends.
            folder = self._folder = Path(tempfile.mkdtemp(prefix="flashcards-shards-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _write_key_table(folder, f"{i}.sqlite", None, rows)
            del rows


def cached_key_shards(
    name: str,
    sources: Sequence[Path],
    version: str,
    split: Callable[[], tuple[Any, list[Any]]],
    make: Callable[[Any], Iterable[tuple[str, Value]]],
) -> KeyShards:
    """``split()`` gives (meta, raw shards), ``make(raw)`` a shard's (key, value) rows;
    a shard's KeyTable is written the first time a process reads it."""
    return _cached_split(KeyShards, name, sources, f"{_KEY_TABLE_LAYOUT}-{version}", split, make)


# Bump when the sqlite layout of a KeyTable changes.
_KEY_TABLE_LAYOUT = "kv2"


def cached_key_table(
    name: str,
    sources: Sequence[Path],
    version: str,
    build: Callable[[], tuple[Any, Iterable[tuple[str, Value]]]],
) -> KeyTable:
    """``build()`` gives (meta, (key, value) pairs); they are kept in a sqlite file of the
    cache, built once while ``sources`` and ``version`` are unchanged. Keys are unique;
    ``keys()`` gives them in the order ``build`` did."""
    target = cache_dir() / f"{name}-{_stamp(sources, f'{_KEY_TABLE_LAYOUT}-{version}')}.sqlite"

    def rebuild(folder: Path) -> None:
        _building(name)
        with _no_gc():
            meta, rows = build()
            _write_key_table(folder, target.name, meta, rows)
            del rows  # before the collector is back, or it walks them all once

    try:
        return KeyTable(target, rebuild=lambda: rebuild(target.parent))
    except ValueError:
        pass
    try:
        rebuild(target.parent)
        _remove_older(name, keep=target.name)
    except OSError:
        # A cache folder that can't be written only costs time: the table goes to a
        # temporary folder, removed when the process ends.
        folder = Path(tempfile.mkdtemp(prefix=f"flashcards-{name}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        target = folder / target.name
        rebuild(folder)
        return KeyTable(target)
    return KeyTable(target, rebuild=lambda: rebuild(target.parent))


# Rows go to sqlite this many to a statement: binding is the same, but each statement is
# stepped once for all of them (a third faster than one statement a row).
_ROWS_A_STATEMENT = 200


def _write_key_table(
    folder: Path, name: str, meta: Any, rows: Iterable[tuple[str, Value]]
) -> None:
    """The table, written under a temporary name and renamed into place; its checksum
    file last (a table without one is incomplete, and rebuilt)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            # Rows in the order given (the rowid is that order, for keys()), and the keys'
            # index made at the end: sqlite sorts them in C, where sorting the rows in
            # Python first and inserting them into a tree keyed by k cost twice as long.
            db.execute("CREATE TABLE kv (k TEXT NOT NULL, v)")
            flat = list(chain.from_iterable(rows))
            if len(flat) % 2:
                raise ValueError("rows must be (key, value) pairs")
            step = 2 * _ROWS_A_STATEMENT
            whole = len(flat) - len(flat) % step
            insert = "INSERT INTO kv VALUES " + ",".join(["(?, ?)"] * _ROWS_A_STATEMENT)
            db.executemany(insert, (flat[i : i + step] for i in range(0, whole, step)))
            if whole < len(flat):
                rest = (len(flat) - whole) // 2
                db.execute("INSERT INTO kv VALUES " + ",".join(["(?, ?)"] * rest), flat[whole:])
            del flat
            db.execute("CREATE UNIQUE INDEX kv_k ON kv (k)")
            db.execute("CREATE TABLE meta (v BLOB)")
            db.execute("INSERT INTO meta VALUES (?)", (marshal.dumps(meta),))
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        check = marshal.dumps(_file_crc(Path(tmp)))
        # The old checksum file stays until the new one replaces it: a process building
        # the same table at the same time writes the same bytes, so a reader between the
        # two renames finds them matching (removing it first made such a reader fail).
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _write(_check_path(target), check)
