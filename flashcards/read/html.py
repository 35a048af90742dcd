"""Saved web pages: the article's text, without the menus, sidebars, comments, footers
and advertisements around it.

trafilatura (Apache-2.0) finds the main text, comments left out; on our test pages (see
benchmarks/html_main_text.py) it kept every character of the article and nothing else on
five of six layouts, where readability-lxml also kept datelines, site names and ads. Its
XML output keeps the paragraphs, which :mod:`flashcards.read.markup` reads as for EPUB.
On a page with no article (a home page, a login form) it falls back to the menu: what it
finds there is taken for main text only when it is not mostly the text of links.

The page's encoding: a BOM, else ``--encoding``, else what ``<meta charset>`` (or the
http-equiv Content-Type, or the XML declaration) says, else detection as for plain text.
GB2312 and GBK pages are read as GB18030, Big5 as Windows writes it (cp950).
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path

from ..errors import FlashcardsError
from ..han import has_han
from .markup import collapse, decode_markup, join_cjk_breaks, text_lines
from .plain import read_at_most

# A saved page with its pictures inlined (SingleFile) can be tens of megabytes.
MAX_BYTES = 64 << 20
# The elements of trafilatura's XML: each a paragraph, or text that is not the article's.
_BLOCKS = frozenset("doc main p head list item row cell quote lb table code".split())
_HIDDEN = frozenset({"comments", "graphic"})


class _LinkTexts(HTMLParser):
    """The texts of a page's links: what a menu, a link list or a login box is made of."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: set[str] = set()
        self._open = 0
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "a":
            self._open += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open -= 1
            text = collapse("".join(self._parts))
            if text:
                self.texts.add(text)
            self._parts = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._parts.append(data)


def _mostly_links(lines: list[str], markup: str) -> bool:
    """Whether what was found is mostly the text of links: with no article on a page,
    trafilatura falls back to the menu (首页 新闻 国内 … 登录 注册)."""
    parser = _LinkTexts()
    parser.feed(markup)
    parser.close()
    linked = total = 0
    for line in lines:
        size = len(line)
        total += size
        if all(part in parser.texts for part in line.split()):
            linked += size
    return linked * 2 >= total


def main_text(markup: str) -> list[str]:
    """The paragraphs of the page's main text (its heading first), or [] when it has none."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    # A source file wrapped inside a word (银\n行): joined first, or it becomes a space.
    found = trafilatura.extract(
        join_cjk_breaks(markup),
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if not found:
        return []
    lines, _ = text_lines(found, _BLOCKS, _HIDDEN)
    return [] if _mostly_links(lines, markup) else lines


def read_html(
    path: Path, *, encoding: str | None = None, errors: str = "strict"
) -> tuple[str, list[str]]:
    """The encoding a page was read with and the paragraphs of its main text."""
    data = read_at_most(path, MAX_BYTES, "a web page")
    text, codec = decode_markup(data, encoding, errors, str(path))
    lines = main_text(text)
    if not any(has_han(line) for line in lines):
        raise FlashcardsError(
            f"{path}: no main text found on the page (only menus, links or a form?); "
            "nothing to read"
        )
    return codec, lines
