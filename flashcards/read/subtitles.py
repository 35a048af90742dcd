"""Subtitles (.srt, .ass/.ssa, .vtt): the dialogue, one line a spoken event.

pysubs2 (MIT) parses every format and drops timing, styling and karaoke tags. What is left
of an event is its lines: a bilingual event (中文\\NEnglish) keeps its Chinese lines, two
speakers (- 走吧\\N- 好) are two lines, and a line the subtitler wrapped is joined again
(without a space between Chinese characters). Events are sentences of their own, unless
one clearly runs on into the next: it stops without closing punctuation on a comma or a
word that cannot end a clause (的, 和, 因为 …), or the next starts with one that cannot
begin one (了, 吗, 呢 …, or closing punctuation).

Subtitle files are small (a film's are some 100 KB); one over :data:`MAX_BYTES` is
refused before it is read, so a mislabelled dump cannot fill the memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import FlashcardsError
from ..han import HAN_CHAR, has_han
from .plain import clean_text, decode_bytes, read_at_most

MAX_BYTES = 16 << 20

_TAG = re.compile(r"<[^<>]{0,200}>")  # HTML-like tags pysubs2 does not know (<c.yellow>)
_DRAWING = re.compile(r"\{[^}]*\\p[1-9]")
_SPEAKER_DASH = re.compile(r"^\s*[-–—－]\s*")
_CLOSING = "。！？!?.…⋯”’」』）)》~～♪"
_RUNS_ON_PUNCT = "，、,：:；;—-《“「（("
# Words after which a clause cannot stop, and before which none can start.
_DANGLING_END = (
    "和 跟 与 及 或 把 被 从 向 往 如果 因为 所以 但是 可是 而且 虽然 或者 不过 只要 只有 "
    "除非 即使 要是 以及 并且 还有 然后 就 很 更 一个 一些 这么 那么"
).split()
_DANGLING_START = "吗 呢 嘛 似的 而已 罢了 的话".split()
_CONTINUATION_START = "，、,。！？!?；;：:）)”」』"


def _chinese_lines(text: str) -> list[str]:
    lines = []
    for raw in text.split("\n"):
        line = clean_text(_TAG.sub("", raw)).strip()
        if line and has_han(line):
            lines.append(line)
    return lines


def _join(left: str, right: str) -> str:
    if HAN_CHAR.match(left[-1:]) or HAN_CHAR.match(right[:1]) or not left[-1:].isalnum():
        return left + right
    return left + " " + right


def event_lines(text: str) -> list[str]:
    """The lines an event shows (pysubs2's plain text), as lines of dialogue."""
    out: list[str] = []
    speaker = False
    for line in _chinese_lines(text):
        if _SPEAKER_DASH.match(line):
            speaker = True
            out.append(_SPEAKER_DASH.sub("", line))
        elif out and not speaker:
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return [line for line in out if line]


def runs_on(line: str, following: str) -> bool:
    """Whether ``line`` is clearly continued by ``following`` (the next event's line)."""
    if not line or not following:
        return False
    if line.endswith(("...", "…", "⋯")):
        # 我想… | …回家: trailing and leading dots mark a sentence carried over.
        return following.startswith(("...", "…", "⋯"))
    if line[-1] in _CLOSING:
        return False
    if line[-1] in _RUNS_ON_PUNCT or following[0] in _CONTINUATION_START:
        return True
    return line.endswith(tuple(_DANGLING_END)) or following.startswith(tuple(_DANGLING_START))


def dialogue(events: list[str]) -> Iterator[str]:
    """The dialogue of events (each its plain text), one sentence-to-be a line."""
    pending = ""
    for text in events:
        lines = event_lines(text)
        if not lines:
            continue
        if pending and runs_on(pending, lines[0]):
            lines[0] = _join(pending.rstrip("…⋯."), lines[0].lstrip("…⋯."))
        elif pending:
            yield pending
        yield from lines[:-1]
        pending = lines[-1]
    if pending:
        yield pending


def read_subtitles(
    path: Path, *, encoding: str | None = None, errors: str = "strict"
) -> tuple[str, list[str]]:
    """The encoding a subtitle file was read with and its lines of dialogue."""
    import pysubs2

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FlashcardsError(
            f"{path}: {size >> 20} MiB is far more than a subtitle file holds "
            f"(at most {MAX_BYTES >> 20} MiB are read); not read"
        )
    data = read_at_most(path, MAX_BYTES, "a subtitle file")
    text, codec = decode_bytes(data, encoding, errors, name=str(path))
    try:
        subs = pysubs2.SSAFile.from_string(text.replace("\r\n", "\n"))
    except Exception as error:  # pysubs2 raises its own and plain ValueErrors alike
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FlashcardsError(f"{path}: not a subtitle file pysubs2 can read ({reason})") from None
    events = [
        e
        for e in subs.events
        if not e.is_comment and not _DRAWING.search(e.text) and e.text.strip()
    ]
    # In time order (signs and songs are often written apart); ties keep the file's order.
    events.sort(key=lambda e: e.start)
    return codec, list(dialogue([e.plaintext for e in events]))
