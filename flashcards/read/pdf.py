"""PDF documents with a text layer (pypdf, BSD): the pages in order, as running text.

What a page repeats is no text of the document: a line at the top or bottom of the pages
that recurs (digits aside) on at least half of them, from the third page on, is a running
header or footer (the book's title, the chapter, 第 3 页); a number alone at the top or
bottom is a page number. Lines the typesetter wrapped inside a word are joined by
:mod:`flashcards.read.wrap`, across page breaks too.

A scanned PDF has pictures of pages and no text: that is a one-line error (no OCR here).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..errors import FlashcardsError
from .plain import clean_text
from .wrap import join_wrapped_lines

# Lines at each end of a page that may be a running header or footer.
EDGE_LINES = 3
REPEAT_SHARE = 0.5
MIN_PAGES_FOR_REPEATS = 3
_DIGITS = re.compile(r"\d+")
# 12, - 12 -, 12 / 80, 第 12 页, 第十二页, Page 12 of 80: at a page's edge, a page number.
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—·•|]*(?:\d+(?:\s*(?:[/／]|of)\s*\d+)?|第\s*(?:\d+|[一二三四五六七八九十百零〇]+)\s*[页頁]"
    r"|page\s*\d+(?:\s*(?:of|/)\s*\d+)?)(?:\s*[,，]?\s*共\s*\d+\s*[页頁])?[\s\-–—·•|]*$",
    re.IGNORECASE,
)


def _reader(path: Path):
    import pypdf
    from pypdf.errors import PyPdfError

    # pypdf logs what it repairs on its own; a reader gets our one line or nothing.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FlashcardsError(f"{path}: the PDF is encrypted with a password; not read")
        return reader, len(reader.pages)
    except FlashcardsError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise FlashcardsError(f"{path}: damaged PDF ({error})") from None


def _key(line: str) -> str:
    return _DIGITS.sub("#", line.strip())


def page_lines(texts: list[str]) -> list[list[str]]:
    """The lines of each page without running headers, footers and page numbers."""
    pages = [[line.strip() for line in t.split("\n") if line.strip()] for t in texts]
    repeated: set[str] = set()
    if len(pages) >= MIN_PAGES_FOR_REPEATS:
        counts: Counter[str] = Counter()
        for lines in pages:
            edges = {_key(x) for x in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
            counts.update(edges)
        repeated = {k for k, n in counts.items() if n >= max(2, REPEAT_SHARE * len(pages))}
    out = []
    for lines in pages:
        # Headers, footers and page numbers come first or last in a page's text, in the
        # order they were drawn: any of the first and last few lines may be one.
        edge = min(EDGE_LINES, len(lines) // 2)
        kept = [
            line
            for n, line in enumerate(lines)
            if not ((n < edge or n >= len(lines) - edge) and _edge(line, repeated))
        ]
        out.append(kept)
    return out


def _edge(line: str, repeated: set[str]) -> bool:
    return _key(line) in repeated or bool(_PAGE_NUMBER.match(line))


def read_pdf(path: Path) -> Iterator[str]:
    """The document's text, its lines joined where they were wrapped, in chunks. The text
    layer is checked before the first chunk is handed on."""
    reader, count = _reader(path)
    texts = []
    try:
        for number in range(count):
            texts.append(clean_text(reader.pages[number].extract_text() or ""))
    except Exception as error:  # pypdf's content-stream parser raises many kinds
        raise FlashcardsError(f"{path}: damaged PDF (page {number + 1}: {error})") from None
    if not any(t.strip() for t in texts):
        raise FlashcardsError(
            f"{path}: the PDF has no text layer (a scan?); flashcards does no OCR"
        )
    pages = page_lines(texts)
    return join_wrapped_lines("\n".join(lines) + "\n" for lines in pages if lines)
