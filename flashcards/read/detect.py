"""Which kind of file an input is: from its first bytes first, from its suffix second.

A file's content is more trustworthy than its name (a web page saved as .txt, subtitles
downloaded without a suffix), but plain text proves nothing: text that is no PDF, zip,
web page or subtitle file is taken for what its suffix says, so that an .epub which is not
a zip gets the EPUB reader's error rather than being read as text.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from ..errors import FlashcardsError

TEXT = "text"
EPUB = "epub"
SUBTITLES = "subtitles"
HTML = "html"
PDF = "pdf"
FORMATS = (TEXT, EPUB, SUBTITLES, HTML, PDF)

SUFFIXES = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
    ".epub": EPUB,
    ".srt": SUBTITLES,
    ".ass": SUBTITLES,
    ".ssa": SUBTITLES,
    ".vtt": SUBTITLES,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".pdf": PDF,
}

HEAD_BYTES = 4096
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_EPUB_MIMETYPE = b"mimetypeapplication/epub+zip"
_HTML_START = re.compile(
    r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]*>", re.I)
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
_ASS_START = re.compile(r"\A\s*\[(?:Script Info|V4\+? Styles|Events)\]", re.I)
_VTT_START = re.compile(r"\AWEBVTT(?:[ \t\n]|\Z)")


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise FlashcardsError(f"unknown input format {name!r}: use one of {', '.join(FORMATS)}")
    return name


def _head_text(head: bytes) -> str:
    """The first bytes as text, good enough to see markup and timing lines in: ASCII is the
    same in UTF-8, GB18030 and Big5; UTF-16 and UTF-32 go by their BOM."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore").replace("\r", "")
    return head.decode("latin-1").replace("\r", "")


def from_content(head: bytes, path: Path | None = None) -> str | None:
    """The format the first bytes show, or None for what may be plain text."""
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(_ZIP_MAGICS):
        if head.startswith(_EPUB_MIMETYPE, 30):
            return EPUB  # the uncompressed mimetype entry every EPUB begins with
        if path is not None:
            try:
                with zipfile.ZipFile(path) as archive:
                    if "META-INF/container.xml" in archive.namelist():
                        return EPUB
            except (zipfile.BadZipFile, OSError):
                return None
        return None
    text = _head_text(head)
    if _ASS_START.match(text) or _VTT_START.match(text.lstrip("\ufeff")):
        return SUBTITLES
    if _SRT_START.match(text):
        return SUBTITLES
    if _HTML_START.match(text):
        return HTML
    return None


def from_suffix(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def detect(path: Path, head: bytes) -> str:
    """The format of the file at ``path`` whose first bytes are ``head``. A page whose
    markup does not start the file (a <body> after some text) is HTML only when its
    suffix says nothing: a text file may quote markup."""
    found = from_content(head, path) or from_suffix(path)
    if found is None and _HTML_ANYWHERE.search(_head_text(head)):
        return HTML
    return found or TEXT
