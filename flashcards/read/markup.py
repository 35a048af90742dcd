"""Text out of HTML and XHTML, block by block: what EPUB chapters and web pages share.

A block element (p, div, h1, li, …) is a paragraph: one line of output. Inside a block,
white space collapses as a browser collapses it, except that a line break between two
Chinese characters goes without a space (a source file wrapped 银\\n行). Ruby annotations
(<rt>, <rp>), scripts, styles, navigation and footnote back-links are no text of the page.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..han import HAN_CLASS
from .plain import clean_text, decode_bytes

BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
HIDDEN = frozenset("rt rp script style nav template noscript head svg math object".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# Chinese characters and punctuation: a line break between two of them is no space.
_CJK = f"{HAN_CLASS}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014"
_BREAK_IN_CJK = re.compile(f"(?<=[{_CJK}])[ \t\r\f]*\n\\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")

_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)


def collapse(text: str) -> str:
    """White space of a block as a reader sees it."""
    return _SPACES.sub(" ", _BREAK_IN_CJK.sub("", text)).strip()


def _backlink(tag: str, attrs: dict[str, str | None]) -> bool:
    """A footnote's link back to where it is referred to (EPUB 3 and DPUB-ARIA markup),
    or the note reference itself: a number, or ↩, in the middle of the text."""
    if tag != "a":
        return False
    kinds = " ".join((attrs.get(a) or "") for a in ("epub:type", "role", "class", "rel")).lower()
    return any(k in kinds for k in ("backlink", "noteref", "footnote-back", "footnote-ref"))


class BlockText(HTMLParser):
    """Feed it markup; take the finished paragraphs from ``lines`` as they come.

    ``blocks`` and ``hidden`` name the elements that are paragraphs and those that hold no
    text (HTML's by default)."""

    def __init__(self, blocks: frozenset[str] = BLOCKS, hidden: frozenset[str] = HIDDEN) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks = blocks
        self.hidden = hidden
        self.lines: list[str] = []
        self.title = ""  # the document's <title>
        self.first_heading = ""
        self._block: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._in_title = False
        self._heading: list[str] | None = None
        self._title_parts: list[str] = []

    def _end_block(self) -> None:
        text = collapse("".join(self._block))
        self._block = []
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "title" and not self.title:
            self._in_title = True
            return
        if self._hidden:
            if tag not in _VOID:
                self._hidden.append(tag)
            return
        if tag in self.hidden or _backlink(tag, attributes) or attributes.get("hidden") is not None:
            if tag not in _VOID:
                self._hidden.append(tag)
            return
        if tag in self.blocks:
            self._end_block()
        if tag in HEADINGS and not self.first_heading:
            self._heading = []

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self._hidden and tag in self.blocks:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = collapse("".join(self._title_parts))
            return
        if self._hidden:
            # Close up to the matching element: markup in the wild leaves some unclosed.
            if tag in self._hidden:
                while self._hidden and self._hidden.pop() != tag:
                    pass
            return
        if tag in HEADINGS and self._heading is not None:
            self.first_heading = collapse("".join(self._heading))
            self._heading = None
        if tag in self.blocks:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._hidden:
            return
        self._block.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def close(self) -> None:
        super().close()
        self._end_block()


def declared_charset(head: bytes) -> str | None:
    """The encoding a page or XHTML file names for itself (<meta charset>, the http-equiv
    Content-Type, or the XML declaration), when Python knows it."""
    found = _CHARSET.search(head)
    if not found:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii").lower()
    if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
        name = "gb18030"  # pages that say GB2312 use GBK characters freely
    elif name in ("big5", "x-big5"):
        name = "cp950"
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def decode_markup(data: bytes, encoding: str | None, errors: str, name: str) -> tuple[str, str]:
    """The text of an HTML or XHTML file: a BOM, then the encoding given, then the one the
    file declares, then detection (UTF-8, GB18030, Big5) as for plain text."""
    declared = None
    if encoding is None and not data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        declared = declared_charset(data[:4096])
    if declared is not None:
        try:
            return data.decode(declared, "strict"), declared
        except UnicodeDecodeError:
            pass  # the page lies about itself (saved again in another encoding): detect
    return decode_bytes(data, encoding, errors, name=name)


def join_cjk_breaks(markup: str) -> str:
    """Markup with the line breaks between two Chinese characters taken out (a source file
    wrapped inside a word), for tools that would make a space of them."""
    return _BREAK_IN_CJK.sub("", markup)


def text_lines(
    markup: str, blocks: frozenset[str] = BLOCKS, hidden: frozenset[str] = HIDDEN
) -> tuple[list[str], BlockText]:
    """The cleaned paragraphs of a whole document, and the parser (for its titles)."""
    parser = BlockText(blocks, hidden)
    parser.feed(markup)
    parser.close()
    return [line for line in (clean_text(x).strip() for x in parser.lines) if line], parser
