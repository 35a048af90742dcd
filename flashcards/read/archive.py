"""Limits for reading zip files we did not make: Anki packages and EPUB books.

A zip entry's declared size can lie and a small file can unpack to gigabytes (33 KB that
wrote 1 GiB), so everything read out of one is counted against a cap as it is read, and a
name that climbs out of the archive (``../x``, ``/etc/x``) makes the whole file suspect.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from ..errors import FlashcardsError

# What an archive may unpack to: 100 times its own size, 64 MiB at least, 2 GiB at most.
UNPACK_MAX_BYTES = 2 << 30
UNPACK_MAX_RATIO = 100
UNPACK_FLOOR_BYTES = 64 << 20  # however small the archive, this much is allowed


def unpack_limit(path: Path) -> int:
    """How many bytes may be read out of the archive at ``path`` in all."""
    size = path.stat().st_size
    return min(UNPACK_MAX_BYTES, max(UNPACK_FLOOR_BYTES, UNPACK_MAX_RATIO * size))


def too_big(path: Path, limit: int, what: str = "its collection") -> FlashcardsError:
    return FlashcardsError(
        f"{path}: {what} unpacks to more than {limit >> 20} MiB; not read "
        "(a damaged or hostile archive)"
    )


class Budget:
    """Bytes still allowed out of one archive; every read is charged to it."""

    def __init__(self, path: Path, what: str, limit: int | None = None) -> None:
        self.path = path
        self.what = what
        self.limit = unpack_limit(path) if limit is None else limit
        self.left = self.limit

    def charge(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise too_big(self.path, self.limit, self.what)

    def read(self, archive: zipfile.ZipFile, name: str, cap: int | None = None) -> bytes:
        """The whole of one member, charged as it is read; ``cap`` bounds it further."""
        info = archive.getinfo(name)
        most = self.left if cap is None else min(cap, self.left)
        if info.file_size > most:
            raise too_big(self.path, self.limit if cap is None else cap, f"{name} in it")
        parts = []
        with archive.open(info) as member:
            while True:
                part = member.read(1 << 20)
                if not part:
                    break
                self.charge(len(part))
                if cap is not None and sum(map(len, parts)) + len(part) > cap:
                    raise too_big(self.path, cap, f"{name} in it")
                parts.append(part)
        return b"".join(parts)


def copy_at_most(source, target, limit: int, path: Path) -> None:
    """Copy a stream into a file, failing once more than ``limit`` bytes came out."""
    written = 0
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            return
        written += len(chunk)
        if written > limit:
            raise too_big(path, limit)
        target.write(chunk)


def unsafe_name(archive: zipfile.ZipFile) -> str | None:
    """The first member name that would land outside the archive's folder, if any."""
    for name in archive.namelist():
        normal = name.replace("\\", "/")
        if (
            normal.startswith("/")
            or (len(normal) > 1 and normal[1] == ":")
            or ".." in normal.split("/")
            or "\x00" in normal
        ):
            return name
    return None


def inside(base: str, href: str) -> str | None:
    """``href`` (relative to the member ``base``) as a member name, or None when it climbs
    out of the archive."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    if joined.startswith(("../", "/")) or joined == "..":
        return None
    return joined
