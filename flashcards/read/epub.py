"""EPUB 2 and 3 books: the chapters in reading order, each chapter a source of its own.

The standard library is enough: an EPUB is a zip whose META-INF/container.xml names the
package file (OPF); its spine lists the chapters in reading order, its manifest where
each one is. Chapters are XHTML, read by :mod:`flashcards.read.markup` (ruby readings,
scripts, styles, navigation and footnote back-links left out). The navigation document
and chapters marked non-linear (covers, pop-up notes) are not read.

The zip comes from anywhere: a member name that climbs out of the book, or a book that
unpacks to more than :mod:`flashcards.read.archive` allows, is refused whole.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from ..errors import FlashcardsError
from ..models import Source
from .archive import Budget, inside, unsafe_name
from .markup import decode_markup, text_lines

CONTAINER = "META-INF/container.xml"
# One chapter's XHTML: a book's chapters are kilobytes to a few megabytes.
CHAPTER_MAX_BYTES = 64 << 20
_XHTML_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
TITLE_CHARS = 40


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(data: bytes, path: Path, member: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FlashcardsError(f"{path}: damaged EPUB ({member}: {error})") from None


def _package_path(archive: zipfile.ZipFile, path: Path, budget: Budget) -> str:
    if CONTAINER not in archive.namelist():
        raise FlashcardsError(f"{path}: a zip file but not an EPUB (no {CONTAINER})")
    root = _xml(budget.read(archive, CONTAINER, 1 << 20), path, CONTAINER)
    for element in root.iter():
        if _local(element.tag) == "rootfile" and element.get("full-path"):
            return element.get("full-path", "")
    raise FlashcardsError(f"{path}: damaged EPUB ({CONTAINER} names no package file)")


def spine(archive: zipfile.ZipFile, path: Path, budget: Budget) -> list[str]:
    """The member names of the chapters, in reading order."""
    opf = _package_path(archive, path, budget)
    if opf not in archive.namelist():
        raise FlashcardsError(f"{path}: damaged EPUB (its package file {opf} is missing)")
    root = _xml(budget.read(archive, opf, 16 << 20), path, opf)
    manifest: dict[str, tuple[str, str, str]] = {}
    for element in root.iter():
        if _local(element.tag) == "item" and element.get("id") and element.get("href"):
            manifest[element.get("id", "")] = (
                unquote(element.get("href", "")),
                element.get("media-type", ""),
                element.get("properties", ""),
            )
    chapters = []
    for element in root.iter():
        if _local(element.tag) != "itemref" or element.get("linear", "yes") == "no":
            continue
        item = manifest.get(element.get("idref", ""))
        if item is None:
            continue
        href, media_type, properties = item
        if "nav" in properties.split() or media_type not in _XHTML_TYPES:
            continue
        member = inside(opf, href.split("#", 1)[0])
        if member is None:
            raise FlashcardsError(f"{path}: a chapter's name climbs out of the book ({href})")
        if member in archive.namelist() and member not in chapters:
            chapters.append(member)
    return chapters


def _open(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FlashcardsError(f"{path} is not an EPUB: it is not a zip file") from None
    except OSError as error:
        raise FlashcardsError(f"cannot read {path}: {error.strerror or error}") from None
    bad = unsafe_name(archive)
    if bad is not None:
        archive.close()
        raise FlashcardsError(
            f"{path}: the archive holds a file named {bad!r}, outside the book; not read "
            "(a damaged or hostile file)"
        )
    return archive


def read_epub(
    path: Path, *, encoding: str | None = None, errors: str = "strict"
) -> Iterator[tuple[Source, list[str], int]]:
    """Each chapter with text: a source, its paragraphs and its compressed size. The book's
    structure is checked before the first chapter is handed on."""
    archive = _open(path)
    budget = Budget(path, "the book")
    try:
        chapters = spine(archive, path, budget)
    except BaseException:
        archive.close()
        raise
    if not chapters:
        archive.close()
        raise FlashcardsError(f"{path}: an EPUB without chapters in its spine")
    return _chapters(archive, path, chapters, budget, encoding, errors)


def _chapters(
    archive: zipfile.ZipFile,
    path: Path,
    chapters: list[str],
    budget: Budget,
    encoding: str | None,
    errors: str,
) -> Iterator[tuple[Source, list[str], int]]:
    with archive:
        for number, member in enumerate(chapters, start=1):
            try:
                data = budget.read(archive, member, CHAPTER_MAX_BYTES)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise FlashcardsError(f"{path}: damaged EPUB ({member}: {error})") from None
            text, codec = decode_markup(data, encoding, errors, f"{path}:{member}")
            lines, parser = text_lines(text)
            if not lines:
                continue
            title = (parser.first_heading or parser.title)[:TITLE_CHARS].strip()
            name = f"{path.stem} {number:02d}" + (f" {title}" if title else "")
            size = archive.getinfo(member).compress_size
            yield Source(name=name, encoding=codec, format="epub"), lines, size
