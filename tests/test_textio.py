"""Reading and cleaning text: encodings, binary input, file errors, stdin, streaming."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import random
import sys
import zipfile

import opencc
import pytest
from conftest import shared_path

from flashcards.errors import FlashcardsError
from flashcards.models import Source
from flashcards.read.plain import clean_text, decode_bytes, iter_text, read_text
from flashcards.sentences import split_sentences

# From the seed article, and the opening of 三國演義 for Big5.
SIMPLIFIED = (
    "中美关系的根基是由人民浇筑的。第二次世界大战时期，我们两国共同为和平正义而战。\n"
    "“您认识这位年轻人吗？”\n"
    "1985年我第一次访问美国，就是从旧金山入境。\n"
)
TRADITIONAL = (
    "滾滾長江東逝水，浪花淘盡英雄。是非成敗轉頭空，青山依舊在，幾度夕陽紅。\n"
    "白髮漁樵江渚上，慣看秋月春風。一壺濁酒喜相逢，古今多少事，都付笑談中。\n"
)


def _bom_encode(text: str, encoding: str) -> bytes:
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    return boms.get(encoding, b"") + text.encode(encoding)


# (text, how it is written, the encoding detection should report)
ENCODED = [
    (SIMPLIFIED, "utf-8", "utf-8"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (SIMPLIFIED, "utf-16-le", "utf-16-le"),
    (SIMPLIFIED, "utf-16-be", "utf-16-be"),
    (SIMPLIFIED, "utf-32", "utf-32-le"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (TRADITIONAL, "utf-8", "utf-8"),
    (TRADITIONAL, "utf-16-be", "utf-16-be"),
    (TRADITIONAL, "big5", "cp950"),
    (TRADITIONAL, "gbk", "gb18030"),  # GBK has the traditional characters too
]


@pytest.mark.parametrize(
    ("text", "written", "detected"),
    ENCODED,
    ids=[f"{'trad' if text is TRADITIONAL else 'simp'}-{written}" for text, written, _ in ENCODED],
)
def test_each_encoding_reads_back_the_same_text(tmp_path, text, written, detected):
    path = tmp_path / "article.txt"
    path.write_bytes(_bom_encode(text, written))
    source, read = read_text(path)
    assert read == text
    assert source.name == "article"
    assert source.encoding == detected
    assert decode_bytes(path.read_bytes()) == (text, detected)


# Short texts, where one or two characters decide between GBK and Big5.
SHORT_SIMPLIFIED = ["你好", "谢谢你", "我们去北京", "学习中文很有意思", "蔡奇、王毅参加上述活动。"]
SHORT_TRADITIONAL = ["電腦", "謝謝你", "這是什麼", "我們學習中文", "國際關係很複雜", "臺灣的天氣"]


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
def test_short_gbk_text_is_detected(text):
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_big5_text_is_detected(text):
    assert decode_bytes(text.encode("big5")) == (text, "cp950")


def _windows(text: str, size: int, step: int) -> list[str]:
    text = "".join(text.split())
    return [text[i : i + size] for i in range(0, len(text) - size, step)]


def test_ten_character_snippets_of_the_seed_in_gbk_and_big5(seed_path):
    """Every 10-character window of the seed, simplified in GBK and converted to Taiwan
    traditional in Big5, is decoded right: the plausibility score must tell garbage from
    Chinese on very little text."""
    seed = seed_path.read_text(encoding="utf-8")
    to_traditional = opencc.OpenCC("s2twp")
    wrong = []
    checked = 0
    for window in _windows(seed, 10, 7):
        for text, encoding, expected in (
            (window, "gbk", "gb18030"),
            (to_traditional.convert(window), "big5", "cp950"),
        ):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            if data.isascii():
                continue  # plain ASCII is UTF-8 by definition
            checked += 1
            if decode_bytes(data) != (text, expected):
                wrong.append((text, encoding))
    assert checked > 1500
    assert wrong == []


def test_ten_character_snippets_of_a_traditional_novel_in_big5():
    novel = shared_path("corpus", "sanguozhiyanyi-traditional.txt").read_text(encoding="utf-8")
    rng = random.Random(7)
    flat = "".join(novel.split())
    wrong = []
    for _ in range(500):
        start = rng.randrange(len(flat) - 10)
        text = flat[start : start + 10]
        try:
            data = text.encode("big5")
        except UnicodeEncodeError:
            continue
        if decode_bytes(data) != (text, "cp950"):
            wrong.append(text)
    assert wrong == []


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", SIMPLIFIED)
    return buffer.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (PNG, "looks like a PNG image"),
        (_zip_bytes(), "looks like a zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "looks like a PDF document"),
        (gzip.compress(SIMPLIFIED.encode()), "looks like a gzip-compressed file"),
        (SIMPLIFIED.encode()[:30] + b"\x00\x00\x01\x02" + SIMPLIFIED.encode(), "NUL bytes"),
        (random.Random(1).randbytes(4096), "not text"),
    ],
)
def test_binary_input_is_refused_with_a_one_line_message(tmp_path, data, says):
    path = tmp_path / "input.png"
    path.write_bytes(data)
    with pytest.raises(FlashcardsError) as raised:
        read_text(path)
    message = str(raised.value)
    assert message.startswith(f"{path} ")
    assert says in message
    assert "\n" not in message
    with pytest.raises(FlashcardsError, match=says):
        decode_bytes(data)


def test_random_high_bytes_without_nul_are_refused():
    # No magic number and no NUL: what decides is that no Chinese encoding takes it.
    rng = random.Random(3)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))
    with pytest.raises(FlashcardsError, match=r"cannot decode x\.txt as UTF-8, GB18030 or Big5"):
        decode_bytes(data, name="x.txt")


def test_invalid_utf8_is_an_error_naming_the_byte_and_its_offset(tmp_path):
    data = "中文".encode() + b"\xff" + "好".encode()
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(FlashcardsError) as raised:
        read_text(path)
    assert "byte 0xff at offset 6" in str(raised.value)
    assert "--errors replace" in str(raised.value)
    with pytest.raises(FlashcardsError, match="as utf-8 .byte 0xff at offset 6"):
        read_text(path, encoding="utf-8")
    assert read_text(path, encoding="utf-8", errors="replace")[1] == "中文\ufffd好"
    assert read_text(path, encoding="UTF8", errors="ignore")[1] == "中文好"


def test_a_bad_byte_far_into_a_big_file_is_reported_at_its_offset(tmp_path):
    good = ("我们致力于和平发展，推动构建人类命运共同体。\n" * 4000).encode("gbk")
    path = tmp_path / "long.txt"
    path.write_bytes(good + b"\x80" + "好".encode("gbk"))
    source, chunks = iter_text(path)
    assert source.encoding == "gb18030"
    with pytest.raises(FlashcardsError, match=f"as gb18030 .byte 0x80 at offset {len(good)}"):
        list(chunks)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("中文", "utf-8"), ("中文很好", "gbk"), ("中文很好", "big5")],
)
def test_errors_replace_without_an_encoding_picks_the_least_damaged_reading(text, encoding):
    data = text.encode(encoding) + b"\xff" + "好的朋友".encode(encoding)
    with pytest.raises(FlashcardsError, match="cannot decode"):
        decode_bytes(data)
    assert decode_bytes(data, errors="replace")[0] == text + "\ufffd好的朋友"
    assert decode_bytes(data, errors="ignore")[0] == text + "好的朋友"


@pytest.mark.parametrize("text", ["学校", "医院", "nǐ hǎo", "café"])
def test_short_gbk_that_also_passes_for_utf8_is_still_gbk(text):
    # "学校" in GBK is valid UTF-8 ("ѧУ"); GBK has the pinyin letters too.
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


@pytest.mark.parametrize("text", ["nǐ hǎo", "café", "Москва", "αβγδε", "Grüße, 你好"])
def test_utf8_without_chinese_stays_utf8(text):
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_explicit_encoding_is_used_even_when_detection_would_differ():
    data = "中华".encode("gbk")
    assert decode_bytes(data, "big5", "replace")[1] == "big5"
    assert decode_bytes(data, "gbk") == ("中华", "gbk")


def test_unknown_encoding_and_error_handler_are_one_line_errors():
    with pytest.raises(FlashcardsError, match="unknown encoding: klingon"):
        decode_bytes(b"abc", "klingon")
    with pytest.raises(FlashcardsError, match="not a text encoding"):
        decode_bytes(b"abc", "base64")
    with pytest.raises(FlashcardsError, match="unknown --errors value"):
        decode_bytes(b"abc", "utf-8", "surrogateescape")


def test_file_errors_name_the_path(tmp_path):
    with pytest.raises(FlashcardsError, match=r"^no such file: .*missing\.txt$"):
        iter_text(tmp_path / "missing.txt")
    with pytest.raises(FlashcardsError, match="is a directory, not a text file"):
        iter_text(tmp_path)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="needs a non-root POSIX user: root reads files whatever their permissions",
)
def test_unreadable_file_is_a_permission_error(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(FlashcardsError, match=r"cannot read .*secret\.txt: permission denied"):
            iter_text(path)
    finally:
        path.chmod(0o600)


def test_empty_and_blank_input_is_not_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path)[1] == ""
    path.write_bytes(" \r\n\t\n".encode("utf-16"))
    assert read_text(path)[1] == " \n\t\n"


def _use_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("path", [None, "-"])
def test_stdin_is_read_as_bytes_and_detected(monkeypatch, path):
    _use_stdin(monkeypatch, SIMPLIFIED.encode("gbk"))
    source, text = read_text(path)
    assert source.name == "stdin"
    assert source.encoding == "gb18030"
    assert text == SIMPLIFIED


def test_stdin_replaced_by_a_text_stream_is_read_as_it_is(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SIMPLIFIED.replace("\n", "\r\n")))
    assert read_text("-") == (Source(name="stdin", encoding="utf-8"), SIMPLIFIED)


def test_line_breaks_are_normalised():
    assert clean_text("第一行\r\n第二行\r第三行\n第四行\u2028第五行\x0c") == (
        "第一行\n第二行\n第三行\n第四行\n第五行\n"
    )


def test_cleaning_removes_invisible_characters_and_folds_full_width_alphanumerics():
    dirty = (
        "\ufeff美国\x00空军\u200b16架Ｂ－２５轰炸机\u200d\ue8f5，ＣＯＰ２８\U000f0042"
        "\x07大会！\u3000“好”（中）【新】《书》、……——；：？\x85"
    )
    assert (
        clean_text(dirty)
        == "美国空军16架B－25轰炸机，COP28大会！ “好”（中）【新】《书》、……——；：？\n"
    )


def test_cleaning_keeps_emoji_combining_marks_tabs_and_replacement_characters():
    text = "好👍🏽\tcafe\u0301 ❤\ufe0f \ufffd"
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "a\r\x00\nb",
        "\r\r\n\n\r",
        "ＡＢ\u3000\u200b\r\n\ue000\x85",
        SIMPLIFIED.replace("\n", "\r\n"),
    ],
)
def test_cleaning_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


class _Trickle(io.RawIOBase):
    """A byte stream that hands out at most `step` bytes per read, like a slow pipe."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._step, len(self._data) - self._pos)
        buffer[:size] = self._data[self._pos : self._pos + size]
        self._pos += size
        return size


class _Stdin:
    def __init__(self, buffer) -> None:
        self.buffer = buffer


@pytest.mark.parametrize("step", [1, 2, 3, 7])
def test_crlf_split_across_reads_stays_one_line_break(monkeypatch, step):
    # The first 64 KB decide the encoding; after them every read is `step` bytes, so every
    # CRLF falls across two reads at least once.
    head = "中" * 21845 + "\r\n"  # 65,537 bytes: the sniffed block ends between CR and LF
    tail = "".join(f"第{i}行\r\n第{i}段\r" for i in range(200))
    monkeypatch.setattr(sys, "stdin", _Stdin(_Trickle((head + tail).encode(), step)))
    source, chunks = iter_text(None, chunk_chars=5)
    pieces = list(chunks)
    assert source.encoding == "utf-8"
    assert "".join(pieces) == clean_text(head + tail)
    assert "".join(pieces).count("\n") == 1 + 400
    assert all(0 < len(piece) <= 5 for piece in pieces)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("中" * 21845 + "文章", "utf-8"), ("a" + "中" * 32767 + "文章", "gb18030")],
)
def test_a_character_cut_by_the_sniffed_block_is_not_an_error(tmp_path, text, encoding):
    path = tmp_path / "cut.txt"
    path.write_bytes(text.encode(encoding))
    source, read = read_text(path)
    assert read == text
    assert source.encoding == encoding


def test_chunks_end_at_line_breaks_then_after_terminators(monkeypatch):
    text = "第一句。第二句！\n" * 3 + "没有换行的长句子。还有一句？“引号里！”最后" * 3
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(text.encode("utf-8"))))
    chunks = list(iter_text(None, chunk_chars=12)[1])
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= 12 for chunk in chunks)
    assert chunks[0] == "第一句。第二句！\n"
    for chunk in chunks[3:-1]:
        # No line break near: a chunk ends after a terminator and its closing quote.
        assert chunk[-1] in "。！？”", chunks


class _Generated(io.RawIOBase):
    """`total` bytes of text made on the fly, never held whole; counts what was read."""

    def __init__(self, unit: bytes, total: int) -> None:
        self._unit = unit
        self._total = total
        self.handed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._total - self.handed)
        if size <= 0:
            return 0
        start = self.handed % len(self._unit)
        need = (self._unit * (2 + size // len(self._unit)))[start : start + size]
        buffer[:size] = need
        self.handed += size
        return size


@pytest.mark.parametrize("line_break", ["\n", ""])
def test_twenty_megabytes_stream_in_bounded_memory(monkeypatch, line_break):
    """A 20 MB input, with line breaks or with none at all, goes through iter_text and
    split_sentences while never more than a few read blocks are ahead of the consumer."""
    paragraph = "我们致力于永续发展，让人与自然和谐共生。我们说到做到！" + line_break
    unit = paragraph.encode("utf-8")
    repeats = 20_000_000 // len(unit)
    stream = _Generated(unit, repeats * len(unit))
    monkeypatch.setattr(sys, "stdin", _Stdin(stream))
    source, chunks = iter_text(None, chunk_chars=1 << 14)
    assert source.encoding == "utf-8"

    largest_chunk = 0
    chars = 0

    def watched():
        nonlocal largest_chunk, chars
        for chunk in chunks:
            largest_chunk = max(largest_chunk, len(chunk))
            chars += len(chunk)
            # Bytes read ahead of what was handed on: bounded by two 64 KB reads.
            assert stream.handed - chars * 3 <= 3 * (1 << 16)
            yield chunk

    count = 0
    last = ""
    for sentence in split_sentences(watched(), source.name):
        count += 1
        last = sentence.text
        if count == 1:
            assert stream.handed < 1 << 20  # the first sentence comes before 1 MB is read
    assert stream.handed == repeats * len(unit)
    assert largest_chunk <= 1 << 14
    assert count == 2 * repeats
    assert last == "我们说到做到！"
