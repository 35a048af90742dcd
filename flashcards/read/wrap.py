"""Join hard-wrapped lines: a line break inside a paragraph is no sentence break.

PDFs, e-texts wrapped at a fixed width and copied pages break lines wherever the line is
full, inside a clause and inside a word (银\\n行). Later stages end a sentence at every line
break, so such a break is removed here: between two Chinese characters without a space.

A break is taken for a wrap only when the line before it is *full* and stops mid-clause:

* it ends in a Han character, a comma or an opening bracket (not 。！？：, a closing
  quote, a dash or an ellipsis, which end sentences, speeches or what introduces the
  next line, unless the next line starts with the dash's or ellipsis' other half), and
  the next line starts with a Han character or Chinese punctuation (an indented line
  starts something new); a number or Latin word on one side of the break and a Han
  character on the other are joined too (1985|年), and two Latin words with a space;
* it is as wide as the lines around it (at least 80% of the widest of the last few lines,
  full-width characters counted twice), at least 20 columns and at most 160: a heading, a
  line of verse or a list item is shorter than the text around it, and a paragraph written
  on one long line was never wrapped;
* it is no chapter title (第一回 …) and no heading laid out with spaces between Han
  characters and no punctuation (汇聚两国人民力量 推进中美友好事业).

Blank lines always end a paragraph. The joiner streams: it holds one line, and of the next
only its first few hundred characters, so a line that never ends needs bounded memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator

from ..han import HAN_CHAR, HAN_CLASS
from ..sentences import chapter_title

# Widths in display columns (a Han character is two).
MIN_WRAP_WIDTH = 20
MAX_WRAP_WIDTH = 160
FULL_SHARE = 0.8
# How many lines before decide what "full" means here.
WINDOW = 8
# How much of a line is looked at before it is handed on.
_LOOK = MAX_WRAP_WIDTH + 40

# A line of a paragraph may stop on these; a paragraph does not end on them.
_MID_CLAUSE_END = "，、,“‘「『（《〈【〔"
# A dash or an ellipsis ends a speech that breaks off (老刘，你把那点……); cut in two by a
# wrap (—|—), it goes on with its other half.
_PAIRED = "—…⋯"
_CONTINUES = "，、。！？；：…—”’」』）》〉】〕"


# A heading is laid out with spaces between its parts (汇聚两国人民力量 推进中美友好事业);
# running text has none between two Han characters.
_SPACED_HAN = re.compile(f"[{HAN_CLASS}] +[{HAN_CLASS}]")
_CLAUSE_MARK = re.compile("[，。、；！？]")


def width(text: str) -> int:
    """Display columns: full-width and wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _continues(last: str, first: str) -> bool:
    """Whether a line ending in ``last`` can go on with one starting with ``first``: a
    Chinese clause with Chinese, a number or Latin word with a Han character (1985|年), a
    number or Latin word with another (19|85, COP|28)."""
    if last in _PAIRED:
        return first == last
    han_last, han_first = bool(HAN_CHAR.match(last)), bool(HAN_CHAR.match(first))
    if not (han_last or last in _MID_CLAUSE_END or _ascii_word(last)):
        return False
    if han_first or first in _CONTINUES:
        return True
    return _ascii_word(first) and (han_last or _ascii_word(last))


def _separator(last: str, first: str) -> str:
    """What a wrap between these characters becomes: nothing, or a space between two
    Latin words (not between two digits: 19|85 is 1985)."""
    if first.isascii() and first.isalpha() and last.isascii() and last.isalnum():
        return " "
    return ""


class _Joiner:
    def __init__(self) -> None:
        self.widths: deque[int] = deque(maxlen=WINDOW)
        self.held: str | None = None  # the last whole line, its break not yet decided
        self.line = ""  # the start of the line being read (at most _LOOK characters kept)
        self.line_width = 0
        self.passed = False  # the start of this line has been handed on already

    def wraps(self, held: str, nxt: str, nxt_width: int) -> bool:
        w = width(held)
        if not (MIN_WRAP_WIDTH <= w <= MAX_WRAP_WIDTH):
            return False
        if not nxt or not _continues(held[-1], nxt[0]):
            return False
        widest = max([w, min(nxt_width, MAX_WRAP_WIDTH + 1), *self.widths])
        if w < FULL_SHARE * widest or chapter_title(held):
            return False
        return not (_SPACED_HAN.search(held) and not _CLAUSE_MARK.search(held))

    def decide(self, nxt: str, nxt_width: int) -> str:
        """The held line and what follows it (a break or nothing)."""
        held = self.held
        assert held is not None
        self.held = None
        joined = self.wraps(held, nxt, nxt_width)
        self.widths.append(width(held))
        return held + _separator(held[-1], nxt[0]) if joined else held + "\n"

    def feed(self, chunk: str) -> Iterator[str]:
        start = 0
        while start < len(chunk):
            newline = chunk.find("\n", start)
            end = len(chunk) if newline < 0 else newline
            piece = chunk[start:end]
            if self.passed:
                out = piece
            else:
                self.line += piece
                out = ""
                if len(self.line) > _LOOK:
                    # A long line: nothing it holds changes the decision any more.
                    out = self._pass_on()
            if newline < 0:
                if out:
                    yield out
                return
            start = newline + 1
            yield out + self._end_line()

    def _pass_on(self) -> str:
        out = ""
        if self.held is not None:
            out = self.decide(self.line, width(self.line))
        self.passed = True
        out += self.line
        self.line = ""
        return out

    def _end_line(self) -> str:
        if self.passed:
            # A long line is never a wrapped one: its break stands.
            self.passed = False
            self.widths.append(MAX_WRAP_WIDTH + 1)
            return "\n"
        line = self.line
        self.line = ""
        out = ""
        if not line.strip():
            if self.held is not None:
                out = self.held + "\n"
                self.held = None
            self.widths.clear()
            return out + line + "\n"
        if self.held is not None:
            out = self.decide(line, width(line))
        self.held = line
        return out

    def finish(self) -> str:
        if self.passed:
            self.passed = False
            return ""
        out = ""
        if self.line:
            if self.held is not None:
                out = self.decide(self.line, width(self.line))
            out += self.line
            self.line = ""
        elif self.held is not None:
            out = self.held + "\n"
            self.held = None
        return out


def join_wrapped_lines(chunks: Iterable[str]) -> Iterator[str]:
    """The text of ``chunks`` (cleaned, cut anywhere) with its hard wraps joined.

    Only the wraps change (to nothing, or a space between two Latin words), so text
    without them comes out as it went in."""
    joiner = _Joiner()
    for chunk in chunks:
        out = "".join(joiner.feed(chunk))
        if out:
            yield out
    rest = joiner.finish()
    if rest:
        yield rest
