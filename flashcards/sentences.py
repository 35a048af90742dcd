"""Split cleaned text into sentences, and flag the pieces no learner should see as examples.

A sentence ends after a run of terminators (。！？；… and their kin, half-width !?;. only
next to Chinese) with any closing quotes or brackets that follow, and at every line break.
A non-empty line is a paragraph.

Newspaper pages and scanned books run columns together, so some pieces are cut off: the
tail of a paragraph that stops mid-sentence, the head of the paragraph that carries on,
the text around page-jump markers like 【紧接第1版②】 or 【下转第2版】. Such pieces are kept
(their words still count) but marked ``fragment``, as are headings, bylines and datelines.

Input arrives in chunks that may cut anywhere; the splitter buffers at most one line (or,
for a line with no terminator for a long way, ``MAX_SENTENCE_CHARS`` plus a little).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .han import HAN_CLASS
from .models import Sentence

# A piece with no terminator for this long is cut (and flagged): nothing that long is one
# sentence, and it bounds what the splitter holds when a line never ends.
MAX_SENTENCE_CHARS = 1000
# Longest page-jump marker, so that one is never cut in two.
_MARKER_SLACK = 48

_HAN = HAN_CLASS
# Full stop, exclamation, question, semicolon, ellipses; halfwidth, vertical and small forms.
_STRONG = "。！？；…⋯‼⁇⁈⁉｡︒︔︕︖﹒﹔﹖﹗"
# Half-width marks end a sentence only after a Chinese character (or a strong terminator)
# and not before a letter or digit: "你好!我" splits, "Hello!" and "3.5" do not.
_WEAK = ".!?;"
_CLOSE = "”’」』）)】》〉］]｝}〕〗〙〛﹂﹄\"'"


def _class(chars: str) -> str:
    """A regex character class of `chars`, literally."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


_RUN = (
    f"(?:(?:[{_STRONG}]{{1,32}}|(?<=[{_HAN}{_STRONG}])[{_WEAK}]{{1,64}}"
    f"(?![A-Za-z0-9{_WEAK}])){{1,8}}{_class(_CLOSE)}{{0,8}}){{1,4}}"
)
# 【紧接第1版②】 【上接第1版①】 【下转第2版】 （转第4版）: the text jumps to or from another page.
_MARKER = (
    r"[【（(\[]\s*(?P<kind>紧接|上接|接上|下转|下接|转|接)\s*第?\s*"
    r"[0-9零〇一二三四五六七八九十百]{1,4}\s*版"
    f"[^】）)\\]\\n{_STRONG}]{{0,8}}[】）)\\]]"
)
_BOUNDARY = re.compile(f"(?P<marker>{_MARKER})|{_RUN}")
_FROM_ELSEWHERE = {"紧接", "上接", "接上", "接"}  # the next piece continues a cut sentence

# A chapter or act title (第一回 甄士隐梦幻识通灵, 第三幕): counted, never an example.
_CHAPTER_TITLE = re.compile(
    r"^\s*第[一二三四五六七八九十百千零〇两0-9０-９]+[回章节節卷篇幕](?=[\s　：:，,]|$)"
)
_CLAUSE_END = "，,、—–-／/"  # a paragraph ending in one of these was cut mid-sentence
_PARAGRAPH_COLON = "：:"  # "女士们，先生们，朋友们：" introduces what follows; it is not cut
_OPEN_QUOTES = "“「『"
_OPEN_BRACKETS = "(（[【〔"
_CLOSE_BRACKETS = ")）]】〕"
_INNER_SPACE = re.compile(r"\S\s+\S")
_COMMA = re.compile("[，,]")
_BRACKETED = re.compile(r"\([^()]*\)|（[^（）]*）|【[^【】]*】|\[[^\[\]]*\]")


@dataclass
class _Piece:
    text: str
    paragraph: int
    terminated: bool
    continues: bool = False  # the head of a sentence cut off elsewhere
    cut_off: bool = False  # its end went to another page or column
    standalone: bool = False  # an unpunctuated line on its own (heading, subtitle)

    @property
    def fragment(self) -> bool:
        unfinished = not self.terminated and not self.standalone
        return unfinished or self.continues or self.cut_off or "\ufffd" in self.text

    @property
    def heading(self) -> bool:
        return bool(_CHAPTER_TITLE.match(self.text))


def chapter_title(text: str) -> bool:
    """A chapter or act title: 第一回 甄士隐梦幻识通灵, 第三幕."""
    return bool(_CHAPTER_TITLE.match(text))


def _title_like(text: str) -> bool:
    """An unterminated one-piece paragraph that opens something (heading, byline) rather than
    one cut off mid-sentence: the paragraph after it starts afresh.

    A cut-off paragraph ends in a comma, or is body text with commas; a heading has none,
    or is laid out with spaces between its parts ("汇聚两国人民力量 推进中美友好事业").
    A dateline in brackets closes an article, and on a newspaper page what follows it is
    as often a column carried on from elsewhere, so it does not count."""
    if text[-1] in _CLAUSE_END:
        return False
    if text[0] in _OPEN_BRACKETS and text[-1] in _CLOSE_BRACKETS:
        return False
    if _INNER_SPACE.search(text):
        return len(text) <= 100
    return len(text) <= 40 and not _COMMA.search(_BRACKETED.sub("", text))


class _Splitter:
    """The state carried from piece to piece. The last piece is held back until the next
    one arrives, because a 【下转…】 marker right after it means it was cut off."""

    def __init__(self, source: str, start_index: int, start_paragraph: int) -> None:
        self.source = source
        self.index = start_index
        self.next_paragraph = start_paragraph
        self.paragraph = start_paragraph
        self.held: _Piece | None = None
        self.out: list[Sentence] = []
        self.after_cut_paragraph = False  # the previous paragraph stopped mid-sentence
        self.after_jump = False  # a 紧接/上接 marker: what follows continues a sentence
        self.line_pieces = 0
        self.line_ends_with_marker: str | None = None

    # -- pieces -------------------------------------------------------------------------

    def release(self) -> None:
        held = self.held
        if held is not None:
            self.out.append(
                Sentence(
                    self.index,
                    held.text,
                    self.source,
                    held.paragraph,
                    held.fragment,
                    standalone=held.standalone and not held.fragment,
                    heading=held.heading,
                    cut_before=held.continues,
                    cut_after=held.cut_off or (not held.terminated and not held.standalone),
                )
            )
            self.index += 1
            self.held = None

    def piece(self, raw: str, terminated: bool) -> None:
        text = raw.strip()
        if not text:
            return
        self.release()
        if self.line_pieces == 0:
            self.paragraph = self.next_paragraph
            self.next_paragraph += 1
        continues = self.after_jump or (
            self.after_cut_paragraph and self.line_pieces == 0 and text[0] not in _OPEN_QUOTES
        )
        self.after_jump = False
        self.after_cut_paragraph = False
        self.held = _Piece(text, self.paragraph, terminated, continues)
        self.line_pieces += 1
        self.line_ends_with_marker = None

    def marker(self, kind: str) -> None:
        if kind in _FROM_ELSEWHERE:
            self.after_jump = True
        else:
            # 下转: the sentence before it goes on on another page; what follows is new.
            if self.held is not None:
                self.held.cut_off = True
            self.release()
            self.after_jump = False
            self.after_cut_paragraph = False
        self.line_ends_with_marker = kind

    def end_line(self) -> None:
        held = self.held
        if self.line_pieces and self.line_ends_with_marker is None and held is not None:
            if not held.terminated and held.text[-1] in _PARAGRAPH_COLON:
                held.terminated = True
            if not held.terminated and self.line_pieces == 1 and _title_like(held.text):
                # A short line on its own with no clause cut off in it: a heading, a
                # subtitle, a line of verse. Not cut off, though unpunctuated.
                held.standalone = True
            self.after_cut_paragraph = not held.terminated and not held.standalone
        self.line_pieces = 0
        self.line_ends_with_marker = None

    # -- scanning -------------------------------------------------------------------------

    def scan(self, line: str, pos: int, final: bool) -> int:
        """Cut pieces off `line` from `pos`; return where the unfinished rest begins.

        With `final` the line is complete. Otherwise a piece is only cut where the cut
        cannot depend on text still to come, so that any chunking gives the same pieces."""
        end = len(line)
        while pos < end:
            found = _BOUNDARY.search(line, pos)
            if found is not None and found.start() - pos >= MAX_SENTENCE_CHARS:
                found = None
                far = True
            else:
                far = False
            if found is None:
                if (
                    far
                    or end - pos >= MAX_SENTENCE_CHARS + _MARKER_SLACK
                    or (final and end - pos > MAX_SENTENCE_CHARS)
                ):
                    cut = _forced_cut(line, pos)
                    self.piece(line[pos:cut], terminated=False)
                    pos = cut
                    continue
                if final:
                    self.piece(line[pos:], terminated=False)
                    return end
                return pos
            kind = found.group("kind")
            if kind is not None:
                self.piece(line[pos : found.start()], terminated=False)
                self.marker(kind)
            elif found.end() == end and not final:
                return pos  # the run of terminators or closing quotes may go on
            else:
                self.piece(line[pos : found.end()], terminated=True)
            pos = found.end()
        return pos


def _forced_cut(line: str, pos: int) -> int:
    """Where to cut a piece that has no terminator for MAX_SENTENCE_CHARS: after its last
    comma, else at the limit."""
    limit = pos + MAX_SENTENCE_CHARS
    comma = max(line.rfind("，", pos, limit), line.rfind(",", pos, limit))
    return comma + 1 if comma > pos else limit


def split_sentences(
    chunks: Iterable[str], source: str, start_index: int = 0, start_paragraph: int = 0
) -> Iterator[Sentence]:
    """Split cleaned text, given in chunks cut anywhere, into numbered sentences.

    `start_index` and `start_paragraph` continue the numbering of an earlier source."""
    splitter = _Splitter(source, start_index, start_paragraph)
    line = ""  # the unfinished current line
    pos = 0  # how far into it pieces have been cut
    for chunk in chunks:
        start = 0
        while True:
            newline = chunk.find("\n", start)
            if newline < 0:
                break
            if line:
                splitter.scan(line + chunk[start:newline], pos, final=True)
                line, pos = "", 0
            else:
                splitter.scan(chunk[start:newline], 0, final=True)
            splitter.end_line()
            start = newline + 1
            if splitter.out:
                yield from splitter.out
                splitter.out.clear()
        if start < len(chunk):
            line += chunk[start:]
            pos = splitter.scan(line, pos, final=False)
            if pos > 1:
                # Keep one character before `pos`: a half-width "!" looks behind itself.
                line, pos = line[pos - 1 :], 1
        if splitter.out:
            yield from splitter.out
            splitter.out.clear()
    if line:
        splitter.scan(line, pos, final=True)
        splitter.end_line()
    splitter.release()
    yield from splitter.out
