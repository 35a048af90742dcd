"""A cache of parsed data tables on disk, so that start-up stays fast.

Tables are stored with marshal (plain tuples, lists, dicts and strings load several times
faster than they parse) under the user's cache folder, or ``$FLASHCARDS_CACHE``. A table
is keyed by the files it came from (path, size, modification time) and a version of the
code that built it, so a changed source or parser never serves stale data.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ENV_CACHE = "FLASHCARDS_CACHE"

# Told the name of a table about to be built: the command line says so on a terminal,
# since the first command after an install waits a few seconds for it.
_on_build: list[Callable[[str], None]] = []


def on_build(callback: Callable[[str], None]) -> None:
    """Call ``callback(name)`` whenever a table is built rather than read from the cache."""
    _on_build.append(callback)


def _building(name: str) -> None:
    for callback in _on_build:
        callback(name)


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


def cached_table(name: str, sources: Sequence[Path], version: str, build: Callable[[], Any]) -> Any:
    """``build()``'s result, from the cache when ``sources`` and ``version`` are unchanged.

    The result must be marshal-able. A cache folder that can't be written only costs time.
    """
    target = cache_dir() / f"{name}-{_stamp(sources, version)}.marshal"
    try:
        return marshal.loads(target.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    _building(name)
    data = build()
    try:
        _write(target, marshal.dumps(data))
    except OSError:
        pass
    return data


def _write(target: Path, payload: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ShardedTable:
    """A table cached as many small files, each loaded only when first needed.

    ``flashcards lookup 银行`` reads one shard of CC-CEDICT instead of all of it; a build,
    which looks up words of every shard, ends up reading them all, at the same total cost.
    """

    def __init__(self, meta: Any, shards: list[Any | None], folder: Path | None) -> None:
        self.meta = meta
        self._shards = shards
        self._folder = folder

    def __len__(self) -> int:
        return len(self._shards)

    def shard(self, i: int) -> Any:
        data = self._shards[i]
        if data is None:
            assert self._folder is not None
            data = self._shards[i] = marshal.loads((self._folder / f"{i}.marshal").read_bytes())
        return data


def cached_shards(
    name: str,
    sources: Sequence[Path],
    version: str,
    build: Callable[[], tuple[Any, list[Any]]],
) -> ShardedTable:
    """``build()`` gives (meta, shards); they come from the cache when nothing changed."""
    folder = cache_dir() / f"{name}-{_stamp(sources, version)}"
    try:
        meta, count = marshal.loads((folder / "meta.marshal").read_bytes())
        return ShardedTable(meta, [None] * count, folder)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    _building(name)
    meta, shards = build()
    try:
        _write_folder(folder, meta, shards)
    except OSError:
        pass  # a read-only cache folder only costs start-up time
    return ShardedTable(meta, list(shards), None)


def _write_folder(folder: Path, meta: Any, shards: list[Any]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        for i, shard in enumerate(shards):
            (tmp / f"{i}.marshal").write_bytes(marshal.dumps(shard))
        # meta is written last: a folder with a meta file is complete.
        (tmp / "meta.marshal").write_bytes(marshal.dumps((meta, len(shards))))
        os.replace(tmp, folder)
    except BaseException:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.exists():
            raise
