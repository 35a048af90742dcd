"""Read and clean text: detect the encoding, refuse binary files, stream big inputs.

The first stage of the pipeline. Everything after it sees clean text: LF line breaks only,
no control or invisible characters, ASCII letters and digits where the input had full-width
ones. Big files are decoded incrementally and handed on in bounded chunks, never whole.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import FlashcardsError
from ..han import HAN_CHAR
from ..models import Source

# How much of the input decides its encoding.
SNIFF_BYTES = 1 << 16
_READ_BYTES = 1 << 16
ERRORS = ("strict", "replace", "ignore")

# Magic numbers of files people drop on a text tool by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a .docx, .epub or .apkg, which are zip files)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b\x08", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"SQLite format 3\x00", "an SQLite database (an .anki2 collection?)"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in order for Chinese text without a BOM that is not UTF-8. GB18030 is a superset of
# GBK and GB2312; cp950 is Big5 as Windows writes it, big5hkscs adds the Hong Kong characters.
_GB = "gb18030"
_BIG5 = ("cp950", "big5hkscs")

# Invisible or control characters that carry nothing for a reader. C0 and C1 controls
# except TAB and the line breaks mapped below; soft hyphen; zero-width space, joiners and
# direction marks; word joiner; BOM; private-use areas (old GBK files carry these).
_REMOVABLE = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\xad"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ue000-\uf8ff\U000f0000-\U0010ffff"
    # The rest of Unicode's default-ignorable characters: invisible, and between two Han
    # characters they would cut a word in two (银\ufe00行 is 银行). Variation selectors
    # (but the emoji ones, FE0E and FE0F), the combining grapheme joiner, Hangul fillers,
    # Mongolian selectors, tag characters.
    "\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0d\uffa0"
    "\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_REMOVE = re.compile(f"[{_REMOVABLE}]+")
# A CR at the end of a decoded piece waits for the next piece: it may be half of a CRLF.
_TRAILING_CR = re.compile(f"\r[{_REMOVABLE}]*\\Z")
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SPACES = (
    "\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
)
_FULL_WIDTH_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_TO_ASCII = re.compile(f"[{_FULL_WIDTH_ALNUM}]|[{_SPACES}]")

# Where a chunk may end when no line break is near: after a sentence terminator and any
# closing quotes or brackets that belong to it.
_CHUNK_TERMINATORS = "。！？；…!?"
_CLOSERS = "”’」』）)】》〕\"'"


def _to_ascii(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPACES:
        return " "
    return chr(ord(char) - 0xFEE0)


def clean_text(text: str) -> str:
    """Normalise line breaks, drop control and invisible characters, fold full-width
    letters, digits and spaces to ASCII. Chinese punctuation stays as it is. Idempotent."""
    text = _REMOVE.sub("", text)
    text = _LINE_BREAK.sub("\n", text)
    return _TO_ASCII.sub(_to_ascii, text)


# ---------------------------------------------------------------------------------------
# Encoding detection


def _check_errors(errors: str) -> None:
    if errors not in ERRORS:
        raise FlashcardsError(f"unknown --errors value {errors!r}: use strict, replace or ignore")


def _codec_name(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise FlashcardsError(f"unknown encoding: {encoding}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise FlashcardsError(f"unknown encoding: {encoding} is not a text encoding")
    return info.name


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        # "MZ" and "BZh" could begin a real text; a binary file also has NUL bytes.
        if head.startswith(magic) and (len(magic) > 3 or b"\x00" in head):
            return kind
    return None


def _decoder(encoding: str, errors: str) -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder(encoding)(errors=errors)


def _try_decode(data: bytes, encoding: str, final: bool) -> str | UnicodeDecodeError:
    try:
        return _decoder(encoding, "strict").decode(data, final=final)
    except UnicodeDecodeError as error:
        return error


def _has_controls(text: str, limit: float) -> bool:
    """True when more than `limit` of the characters are control characters (not text)."""
    if not text:
        return False
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r\x0b\x0c\x1a")
    return controls > limit * len(text)


def _utf16_without_bom(data: bytes, final: bool) -> tuple[str, str] | None:
    """Text in UTF-16 without a BOM. Chinese text has few NUL bytes to go by (the high bytes
    of line breaks and ASCII, the low bytes of U+xx00 characters like 一), so each byte
    order is read and the reading must be clean and plausible (ASCII counts as plausible)."""
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _try_decode(data, encoding, final)
        if isinstance(text, str) and not _has_controls(text, 0.0):
            score = _plausibility(text)
            if score >= _CLEARLY_CHINESE:
                readings.append((score, text, encoding))
    if not readings:
        return None
    _, text, encoding = max(readings, key=lambda reading: reading[0])
    return text, encoding


_NEUTRAL = set("，。、；：？！“”‘’（）《》【】…—·「」『』﹁﹂．‧•～〔〕〈〉＜＞［］｛｝ \t\n\r")
_HAN = HAN_CHAR
_SCORED_CHARS = 20_000
# Real Chinese scores above this (short words around -2.5); GBK readings of Cyrillic or
# Greek in UTF-8 score below -4.5.
_CLEARLY_CHINESE = -4.0


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def _plausibility(text: str) -> float:
    """How much `text` reads like real Chinese: the mean log10 frequency of its characters
    (anything neither Han nor common punctuation counts as -10), plus twice the share of
    adjacent Han pairs that are words. Traditional text is mapped to simplified first: the
    frequency list is simplified. Text decoded with the wrong codec scores far lower.
    Accented Latin letters (pinyin tone marks, café) count for nothing either way."""
    from wordfreq import get_frequency_dict  # cached by wordfreq; levels.py uses it too

    words = get_frequency_dict("zh")
    text = _to_simplified().convert(text[:_SCORED_CHARS])
    total = 0.0
    counted = 0
    for char in text:
        if char < "\x80" or char in _NEUTRAL or "\xa0" <= char <= "\u024f":
            continue
        counted += 1
        if _HAN.match(char):
            freq = words.get(char)
            total += math.log10(freq) if freq else -8.0
        else:
            total -= 10.0
    if not counted:
        return 0.0
    han_pairs = known = 0
    for left, right in zip(text, text[1:], strict=False):
        if _HAN.match(left) and _HAN.match(right):
            han_pairs += 1
            known += (left + right) in words
    return total / counted + 2.0 * (known / han_pairs if han_pairs else 0.0)


def _detect(data: bytes, final: bool, name: str, errors: str = "strict") -> tuple[str, str]:
    """The encoding of `data` (the whole input if `final`, else its beginning) and its text.

    Order: a BOM decides; then UTF-8 if it decodes and has Chinese (or is ASCII); otherwise
    GB18030 and Big5 (and UTF-8 without Chinese), and when several decode, the most plausible
    Chinese wins. When none decodes and `errors` allows it, the one needing the fewest
    replacements is taken."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data, encoding, final)
            if isinstance(text, str):
                return text, encoding
            if errors != "strict":
                return _decoder(encoding, errors).decode(data, final=final), encoding
            raise _decode_failure(name, (encoding,), [text])
    if b"\x00" in data:
        found = _utf16_without_bom(data, final)
        if found is not None:
            return found
        # A pasted text may carry stray NULs (cleaning drops them): without them it must read
        # as text. Binary data has runs of them (padding, small numbers). NUL is a byte of its
        # own in UTF-8, GB18030 and Big5, never part of a character, so the codec found
        # without them reads the bytes with them.
        binary = FlashcardsError(f"{name} is not text: it contains NUL bytes (binary data?)")
        if b"\x00\x00" in data or data.count(0) * 10 > len(data):
            raise binary
        try:
            _, codec = _detect(data.replace(b"\x00", b""), final, name)
        except FlashcardsError:
            raise binary from None
        return _decoder(codec, errors).decode(data, final=final), codec
    failures: list[UnicodeDecodeError] = []
    candidates: list[tuple[str, str]] = []
    text = _try_decode(data, "utf-8", final)
    if isinstance(text, str):
        if text.isascii() or max(text) >= "\u0800":
            # Chinese in UTF-8 takes three bytes a character: GBK or Big5 bytes almost
            # never line up like that by chance.
            return _not_binary(text, "utf-8", name)
        # Only one- and two-byte characters: a short GBK text ("学校" is "ѧУ" in UTF-8)
        # can pass for UTF-8, so it has to compete.
        candidates.append((text, "utf-8"))
    else:
        failures.append(text)
    text = _try_decode(data, _GB, final)
    if isinstance(text, str):
        candidates.append((text, _GB))
    else:
        failures.append(text)
    for encoding in _BIG5:
        text = _try_decode(data, encoding, final)
        if isinstance(text, str):
            candidates.append((text, encoding))
            break
        failures.append(text)
    if not candidates:
        if errors != "strict":
            return _least_damaged(data, final, errors)
        raise _decode_failure(name, ("UTF-8", "GB18030", "Big5"), failures)
    # Ties go to the first: UTF-8, then GB18030 (mainland text is the commoner case).
    scores = [_plausibility(text) for text, _ in candidates]
    best = max(range(len(candidates)), key=scores.__getitem__)
    if candidates[0][1] == "utf-8" and best and scores[best] < _CLEARLY_CHINESE:
        # Cyrillic or Greek in UTF-8 reads as rare Chinese characters in GBK: only clearly
        # plausible Chinese overrules a valid UTF-8 reading.
        best = 0
    return _not_binary(*candidates[best], name)


def _least_damaged(data: bytes, final: bool, errors: str) -> tuple[str, str]:
    """For --errors replace/ignore without --encoding when nothing decodes cleanly: the
    reading that looks most like Chinese (each replacement character counts against it)."""
    readings = [
        (_decoder(encoding, "replace").decode(data, final=final), encoding)
        for encoding in ("utf-8", _GB, *_BIG5)
    ]
    _, encoding = max(readings, key=lambda reading: _plausibility(reading[0]))
    return _decoder(encoding, errors).decode(data, final=final), encoding


def _not_binary(text: str, encoding: str, name: str) -> tuple[str, str]:
    # Two stray control characters do not make a short pasted line binary.
    if text and _has_controls(text, max(0.05, 2 / len(text))):
        raise FlashcardsError(f"{name} is not text: it is mostly control characters")
    return text, encoding


def _decode_failure(
    name: str, tried: tuple[str, ...], failures: list[UnicodeDecodeError], offset: int = 0
) -> FlashcardsError:
    # The codec that got furthest is most likely the one the file was meant to be in.
    error = max(failures, key=lambda failure: failure.start)
    byte = error.object[error.start : error.start + 1].hex()
    if len(tried) == 1:
        how = tried[0]
    else:
        how = ", ".join(tried[:-1]) + " or " + tried[-1]
    return FlashcardsError(
        f"cannot decode {name} as {how} (byte 0x{byte} at offset {offset + error.start}); "
        "try --encoding and --errors replace"
    )


def _codec_failure(name: str, codec: str, error: UnicodeError) -> FlashcardsError:
    """A codec's complaint about the stream as a whole (UTF-16 and UTF-32 without a BOM)."""
    hint = "; name the byte order, e.g. --encoding utf-16-le" if "BOM" in str(error) else ""
    return FlashcardsError(f"cannot decode {name} as {codec}: {error}{hint}")


def decode_bytes(
    data: bytes, encoding: str | None = None, errors: str = "strict", *, name: str = "the input"
) -> tuple[str, str]:
    """Decode `data` to text (not yet cleaned) and say which encoding was used.

    Without `encoding`, detect it: a BOM (UTF-8, UTF-16 LE/BE, UTF-32), else UTF-8, else
    GB18030 or Big5, whichever reads as more plausible Chinese. Binary data is refused.
    `name` is what error messages call the input."""
    _check_errors(errors)
    kind = _binary_kind(data[:1024])
    if kind:
        raise FlashcardsError(f"{name} is not text: it looks like {kind}")
    if encoding is None:
        text, codec = _detect(data, True, name, errors)
    else:
        codec = _codec_name(encoding)
        try:
            text = _decoder(codec, errors).decode(data, final=True)
        except UnicodeDecodeError as error:
            raise _decode_failure(name, (codec,), [error]) from None
        except UnicodeError as error:
            raise _codec_failure(name, codec, error) from None
    # A byte order mark is never part of the text.
    return text.removeprefix("\ufeff"), codec


# ---------------------------------------------------------------------------------------
# Streaming


def _chunk_end(text: str, start: int, limit: int) -> int:
    """Where to end the chunk of at most `limit` characters that begins at `start`: after the
    last line break, else after the last sentence terminator (and its closing marks), else
    at the limit."""
    end = start + limit
    if len(text) <= end:
        return len(text)
    cut = text.rfind("\n", start, end) + 1
    if cut:
        return cut
    last = max(text.rfind(mark, start, end) for mark in _CHUNK_TERMINATORS)
    if last < 0:
        return end
    cut = last + 1
    while cut < end and text[cut] in _CLOSERS:
        cut += 1
    return cut


class _TextStream(Iterator[str]):
    """Decodes, cleans and chunks a byte stream. Holds one read block at a time."""

    def __init__(
        self,
        stream: BinaryIO,
        head: bytes,
        at_end: bool,
        encoding: str,
        errors: str,
        name: str,
        chunk_chars: int,
        owned: bool,
    ) -> None:
        self._stream = stream
        self._owned = owned
        self._name = name
        self._encoding = encoding
        self._decoder = _decoder(encoding, errors)
        self._limit = chunk_chars
        self._pending_bytes = head
        self._at_end = at_end
        self._consumed = 0  # bytes handed to the decoder so far
        self._carry = ""  # a CR that may be the first half of a CRLF
        self._text = ""  # cleaned text, handed out up to self._pos
        self._pos = 0
        self._done = False

    def __iter__(self) -> _TextStream:
        return self

    def __next__(self) -> str:
        while True:
            left = len(self._text) - self._pos
            if left >= self._limit or (self._done and left):
                cut = _chunk_end(self._text, self._pos, self._limit)
                chunk = self._text[self._pos : cut]
                self._pos = cut
                return chunk
            if self._done:
                self.close()
                raise StopIteration
            self._fill()

    def _fill(self) -> None:
        data = self._pending_bytes
        self._pending_bytes = b""
        if not data and not self._at_end:
            data = self._read()
            self._at_end = not data
        raw = self._decode(data, final=self._at_end)
        raw = self._carry + raw
        self._carry = ""
        if not self._at_end:
            trailing = _TRAILING_CR.search(raw)
            if trailing:
                self._carry = raw[trailing.start() :]
                raw = raw[: trailing.start()]
        else:
            self._done = True
        self._text = self._text[self._pos :] + clean_text(raw)
        self._pos = 0

    def _read(self) -> bytes:
        try:
            return self._stream.read(_READ_BYTES)
        except OSError as error:
            raise FlashcardsError(f"cannot read {self._name}: {_reason(error)}") from None

    def _decode(self, data: bytes, final: bool) -> str:
        state = self._decoder.getstate()
        buffered = len(state[0]) if isinstance(state, tuple) and state else 0
        try:
            text = self._decoder.decode(data, final=final)
        except UnicodeDecodeError as error:
            self.close()
            raise _decode_failure(
                self._name, (self._encoding,), [error], self._consumed - buffered
            ) from None
        except UnicodeError as error:  # "UTF-16 stream does not start with BOM"
            self.close()
            raise _codec_failure(self._name, self._encoding, error) from None
        self._consumed += len(data)
        return text

    @property
    def bytes_read(self) -> int:
        """How many bytes of the input have been decoded so far: progress against its size."""
        return self._consumed

    def close(self) -> None:
        self._done = True
        if self._owned:
            self._stream.close()

    def __del__(self) -> None:
        if self._owned and not self._stream.closed:
            self._stream.close()


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def _open(path: str | os.PathLike[str]) -> BinaryIO:
    shown = os.fspath(path)
    if os.path.isdir(path):
        raise FlashcardsError(f"{shown} is a directory, not a text file")
    try:
        return open(path, "rb")  # noqa: SIM115 - the stream closes it
    except FileNotFoundError:
        raise FlashcardsError(f"no such file: {shown}") from None
    except IsADirectoryError:
        raise FlashcardsError(f"{shown} is a directory, not a text file") from None
    except OSError as error:
        raise FlashcardsError(f"cannot read {shown}: {_reason(error)}") from None


def _read_head(stream: BinaryIO, name: str) -> tuple[bytes, bool]:
    """The first SNIFF_BYTES of the stream (pipes may hand them over in pieces)."""
    parts: list[bytes] = []
    size = 0
    try:
        while size < SNIFF_BYTES:
            part = stream.read(SNIFF_BYTES - size)
            if not part:
                return b"".join(parts), True
            parts.append(part)
            size += len(part)
    except OSError as error:
        raise FlashcardsError(f"cannot read {name}: {_reason(error)}") from None
    return b"".join(parts), False


def _is_stdin(path: str | os.PathLike[str] | None) -> bool:
    return path is None or os.fspath(path) == "-"


def iter_text(
    path: str | os.PathLike[str] | None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    chunk_chars: int = 1 << 16,
) -> tuple[Source, Iterator[str]]:
    """Open a file (or stdin for None or "-"), detect its encoding from the first 64 KB and
    stream its cleaned text in chunks of at most `chunk_chars` characters. Chunks end at line
    breaks where there are any, else after a sentence terminator, so that a huge file without
    a line break still streams in bounded memory. Errors about the file itself (missing,
    a directory, unreadable, binary, undecodable start) are raised here, not while iterating."""
    _check_errors(errors)
    if chunk_chars < 1:
        raise ValueError("chunk_chars must be positive")
    codec = _codec_name(encoding) if encoding is not None else None
    if _is_stdin(path):
        name = "stdin"
        if sys.stdin is None:
            raise FlashcardsError("there is no stdin to read")
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            # Already text: Python decoded it, so UTF-8 is what it is read back with.
            stream = io.BufferedReader(_EncodedText(sys.stdin))
            codec = "utf-8"
        owned = False
    else:
        assert path is not None
        name = os.fspath(path)
        stream = _open(path)
        owned = True
    try:
        head, at_end = _read_head(stream, name)
        kind = _binary_kind(head[:1024])
        if kind:
            raise FlashcardsError(f"{name} is not text: it looks like {kind}")
        if codec is None:
            _, codec = _detect(head, at_end, name, errors)
    except BaseException:
        if owned:
            stream.close()
        raise
    source = Source(name="stdin" if name == "stdin" else Path(name).stem, encoding=codec)
    return source, _TextStream(stream, head, at_end, codec, errors, name, chunk_chars, owned)


class _EncodedText(io.RawIOBase):
    """A text stream (stdin replaced by one, as in IDLE) seen as UTF-8 bytes."""

    def __init__(self, text_stream: TextIO) -> None:
        self._text_stream = text_stream
        self._bytes = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._bytes:
            text = self._text_stream.read(_READ_BYTES // 4)
            if not text:
                return 0
            self._bytes = text.encode("utf-8", "surrogatepass")
        size = min(len(buffer), len(self._bytes))
        buffer[:size] = self._bytes[:size]
        self._bytes = self._bytes[size:]
        return size


def read_text(
    path: str | os.PathLike[str] | None, *, encoding: str | None = None, errors: str = "strict"
) -> tuple[Source, str]:
    """The whole cleaned text of a file or stdin, for small inputs and the library API."""
    source, chunks = iter_text(path, encoding=encoding, errors=errors)
    return source, "".join(chunks)


def read_at_most(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of a file that is read whole (a subtitle file, a web page), refused with a
    one-line error when it holds more than ``limit``: it is no such file."""
    with _open(path) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise FlashcardsError(f"cannot read {os.fspath(path)}: {_reason(error)}") from None
    if len(data) > limit:
        raise FlashcardsError(
            f"{os.fspath(path)}: over {limit >> 20} MiB, too big for {what}; not read"
        )
    return data


def check_text(path: str | os.PathLike[str]) -> None:
    """Raise the error :func:`iter_text` would give when ``path`` is no text (binary, or
    not decodable from its start) without reading further than the encoding sniff."""
    name = os.fspath(path)
    with _open(path) as stream:
        head, at_end = _read_head(stream, name)
    kind = _binary_kind(head[:1024])
    if kind:
        raise FlashcardsError(f"{name} is not text: it looks like {kind}")
    _detect(head, at_end, name)
