"""The first stage: every input format becomes the same stream of cleaned paragraphs.

One module a format: ``plain`` (text files: encodings, binary files, streaming), ``epub``,
``subtitles``, ``html`` (web pages), ``pdf``; ``detect`` tells them apart, ``wrap`` joins
lines wrapped inside a paragraph, ``markup`` reads (X)HTML, ``archive`` guards zip files.

Each input gives one or more sources (a file, or each chapter of a book), and each source
its text: chunks of cleaned text, one paragraph a line, as ``split_sentences`` takes them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import FlashcardsError
from ..models import Source
from . import detect
from .detect import FORMATS, check_format
from .plain import check_text, iter_text
from .wrap import join_wrapped_lines

__all__ = ["FORMATS", "SourceText", "folder_files", "format_of", "open_input"]

_CHUNK_CHARS = 1 << 14


class SourceText(Iterator[str]):
    """The text of one source, in chunks; ``bytes_read`` says how much of its file is read
    (for progress bars), whatever the format."""

    def __init__(self, source: Source, chunks: Iterable[str], stream=None, size: int = 0):
        self.source = source
        self._chunks = iter(chunks)
        self._stream = stream  # plain text: the decoding stream, which counts its bytes
        self._size = size  # other formats: the file's size, counted once it is read
        self._done = False

    def __next__(self) -> str:
        try:
            return next(self._chunks)
        except StopIteration:
            self._done = True
            raise

    @property
    def bytes_read(self) -> int:
        if self._stream is not None:
            return self._stream.bytes_read
        return self._size if self._done else 0


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(detect.HEAD_BYTES)
    except FileNotFoundError:
        raise FlashcardsError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FlashcardsError(f"{path} is a directory, not a text file") from None
    except OSError as error:
        raise FlashcardsError(
            f"cannot read {path}: {(error.strerror or str(error)).lower()}"
        ) from None


def format_of(path: str | os.PathLike[str], input_format: str | None = None) -> str:
    """The format ``path`` is read as: ``input_format`` when given, else what its content
    shows, else its suffix, else plain text."""
    if input_format is not None:
        return check_format(input_format)
    if os.fspath(path) == "-":
        return detect.TEXT
    path = Path(path)
    if path.is_dir():
        raise FlashcardsError(f"{path} is a directory, not a text file")
    return detect.detect(path, _head(path))


def _chunked(lines: Iterable[str]) -> Iterator[str]:
    batch: list[str] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line) + 1
        if size >= _CHUNK_CHARS:
            yield "\n".join(batch) + "\n"
            batch, size = [], 0
    if batch:
        yield "\n".join(batch) + "\n"


def open_input(
    path: str | os.PathLike[str],
    *,
    input_format: str | None = None,
    encoding: str | None = None,
    errors: str = "strict",
) -> Iterator[SourceText]:
    """The sources of one input ("-" is stdin, read as plain text), each with its text.

    What is wrong with the file itself (missing, binary, not a zip, no text layer, no main
    text) is raised before the first source is handed on."""
    kind = format_of(path, input_format)
    if os.fspath(path) == "-":
        if kind != detect.TEXT:
            raise FlashcardsError("stdin is read as plain text; save the file and name it")
        return iter([_plain(None, encoding, errors)])
    path = Path(path)
    size = path.stat().st_size
    if kind == detect.TEXT:
        return iter([_plain(path, encoding, errors)])
    if kind == detect.EPUB:
        from .epub import read_epub

        return _book(path, read_epub(path, encoding=encoding, errors=errors))
    if kind == detect.SUBTITLES:
        from .subtitles import read_subtitles

        codec, lines = read_subtitles(path, encoding=encoding, errors=errors)
    elif kind == detect.HTML:
        from .html import read_html

        codec, lines = read_html(path, encoding=encoding, errors=errors)
    else:
        from .pdf import read_pdf

        chunks = read_pdf(path)
        return iter([SourceText(Source(path.stem, "pdf", detect.PDF), chunks, size=size)])
    return iter([SourceText(Source(path.stem, codec, kind), _chunked(lines), size=size)])


def _plain(path: Path | None, encoding: str | None, errors: str) -> SourceText:
    source, stream = iter_text(path, encoding=encoding, errors=errors, chunk_chars=_CHUNK_CHARS)
    return SourceText(source, join_wrapped_lines(stream), stream=stream)


def _book(path: Path, chapters: Iterator[tuple[Source, list[str], int]]) -> Iterator[SourceText]:
    # The first chapter is read here, so that a damaged book fails before anything else.
    # Each chapter counts its compressed size as read: the sizes add up to about the book's.
    first = next(chapters, None)
    if first is None:
        raise FlashcardsError(f"{path}: no chapter of the book has text")
    rest = (SourceText(s, _chunked(lines), size=size) for s, lines, size in chapters)
    return itertools.chain([SourceText(first[0], _chunked(first[1]), size=first[2])], rest)


def folder_files(folder: Path, on_skip: Callable[[Path, str], None] | None = None) -> list[Path]:
    """Every readable file in ``folder`` and its subfolders, sorted by path; hidden files
    are passed over, and files that are not text in any format are skipped (and reported
    to ``on_skip`` with the reason)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith("."):
                found.append(Path(root) / name)
    readable = []
    for path in sorted(found, key=lambda p: p.relative_to(folder).parts):
        reason = _unreadable(path)
        if reason is None:
            readable.append(path)
        elif on_skip is not None:
            on_skip(path, reason)
    return readable


def _unreadable(path: Path) -> str | None:
    """Why ``path`` is no input, or None when it is one (in some format)."""
    try:
        head = _head(path)
        if detect.from_content(head, path) is not None or detect.from_suffix(path) not in (
            None,
            detect.TEXT,
        ):
            return None
        check_text(path)
    except FlashcardsError as error:
        return str(error).removeprefix(f"{path} is ").removeprefix(f"{path}: ")
    return None
