"""The same text in any encoding and with any line ends makes the same deck; binary input and
undecodable bytes are refused with a message naming the problem, or read on request.

Through the whole pipeline (``api.make_deck`` and the CLI), not just the reader: the words,
readings, counts, example sentences and sentence notes must not depend on how the bytes
were written.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashcards import api
from flashcards.cli import main
from flashcards.errors import FlashcardsError

# A short article in simplified characters (every character is also in GBK), with numbers,
# Latin, full-width and Chinese punctuation, a quotation and a polyphone (长 zhǎng/cháng).
SIMPLIFIED = (
    "周末的早上\n"
    "\n"
    "星期六早上，我醒得很早。窗外下着小雨，空气很新鲜。\n"
    "我先去银行取钱，银行门口排着长长的队，我等了二十分钟。\n"
    "“你也来取钱吗？”一位老人问我。他说他的儿子长得很高，是一所中学的校长。\n"
    "下午我在图书馆看了一本关于长城的书，一共320页，还有很多照片（photos）。\n"
    "晚上我和朋友一起吃了北京烤鸭，觉得非常好吃！\n"
)
# The same kind of text in traditional characters (every character is also in Big5).
TRADITIONAL = (
    "台北的夜市\n"
    "\n"
    "每到晚上，台北的夜市就熱鬧起來了。街道兩邊擺滿了小吃攤，空氣裡都是食物的香味。\n"
    "我最喜歡的是士林夜市。那裡的東西又便宜又好吃，還有很多有意思的小商店。\n"
    "「你要不要試試臭豆腐？」朋友問我。我說我不敢吃，可是他一定要我試一下。\n"
)


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def deck_summary(path: Path, **options) -> tuple:
    """What a learner gets from a file: every word note and sentence note, as plain data."""
    deck = api.make_deck([path], api.BuildOptions(sentences=3, **options))
    words = tuple(
        (
            v.simplified,
            v.traditional,
            v.numbered,
            v.senses,
            v.count,
            v.first_index,
            v.sentence.text if v.sentence else None,
            v.word_start,
            v.sentence_numbered,
            v.proper,
        )
        for v in deck.vocab
    )
    sentences = tuple((s.sentence.text, s.numbered, len(s.words)) for s in deck.sentences)
    return words, sentences, deck.sentences_read


def write(folder: Path, data: bytes, name: str = "article.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def simplified_reference(tmp_path_factory) -> tuple:
    folder = tmp_path_factory.mktemp("utf8")
    return deck_summary(write(folder, SIMPLIFIED.encode("utf-8")))


@pytest.fixture(scope="module")
def traditional_reference(tmp_path_factory) -> tuple:
    folder = tmp_path_factory.mktemp("utf8-trad")
    return deck_summary(write(folder, TRADITIONAL.encode("utf-8")))


def _encode(text: str, how: str) -> bytes:
    """``how`` is an encoding name, optionally with ``+crlf``, ``+cr`` or ``+bom``."""
    encoding, _, variant = how.partition("+")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "cr":
        text = text.replace("\n", "\r")
    data = text.encode(encoding)
    if variant == "bom":
        data = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding] + data
    return data


SIMPLIFIED_WAYS = [
    "utf-8+crlf",
    "utf-8+cr",
    "utf-8-sig",
    "utf-8-sig+crlf",
    "gbk",
    "gbk+crlf",
    "gbk+cr",
    "gb18030",
    "gb2312",
    "utf-16",  # with the BOM Python writes
    "utf-16+crlf",
    "utf-16-le+bom",
    "utf-16-be+bom",
    "utf-16-le",  # no BOM
    "utf-16-be",
    "utf-32",
]


@pytest.mark.parametrize("how", SIMPLIFIED_WAYS)
def test_simplified_text_gives_the_same_deck_in_every_encoding(tmp_path, how, simplified_reference):
    path = write(tmp_path, _encode(SIMPLIFIED, how))
    assert deck_summary(path) == simplified_reference


TRADITIONAL_WAYS = ["big5", "big5+crlf", "cp950", "big5hkscs", "gb18030", "utf-16", "utf-8+cr"]


@pytest.mark.parametrize("how", TRADITIONAL_WAYS)
def test_traditional_text_gives_the_same_deck_in_every_encoding(
    tmp_path, how, traditional_reference
):
    path = write(tmp_path, _encode(TRADITIONAL, how))
    assert deck_summary(path) == traditional_reference


def test_reference_decks_are_real(simplified_reference, traditional_reference):
    """The comparisons above compare something: words, readings in context, examples."""
    words, sentences, read = simplified_reference
    by_word = {(w[0], w[2]): w for w in words}
    assert ("银行", "yin2 hang2") in by_word
    assert by_word[("银行", "yin2 hang2")][4] == 2  # count
    assert ("长", "zhang3") in by_word or ("长得", "zhang3 de5") in by_word
    assert len(sentences) == 3 and read == 9
    trad_words = {w[1] for w in traditional_reference[0]}
    assert {"夜市", "熱鬧", "便宜"} <= trad_words


def test_mixed_line_ends_in_one_file(tmp_path, simplified_reference):
    lines = SIMPLIFIED.split("\n")
    ends = ["\r\n", "\r", "\n", "\u2028"]
    mixed = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines[:-1]))
    path = write(tmp_path, mixed.encode("utf-8"))
    assert deck_summary(path) == simplified_reference


def test_private_use_characters_of_old_gbk_files_are_dropped(tmp_path, simplified_reference):
    """GBK's user-defined area (0xAAA1.., 0xF8A1..) decodes to private-use characters that
    no font shows: they go, and the words around them stay."""
    data = bytearray(SIMPLIFIED.encode("gbk"))
    at = data.index("银行".encode("gbk"))
    data[at:at] = b"\xaa\xa1"
    end = data.index("空气".encode("gbk"))
    data[end:end] = b"\xf8\xa1\xfe\xfe"
    path = write(tmp_path, bytes(data))
    assert deck_summary(path) == simplified_reference


def test_gbk_on_stdin_through_the_cli(tmp_path, simplified_reference):
    output = tmp_path / "deck.json"
    code, err = run_main(
        ["build", "-", "-o", str(output), "--sentences", "3"], stdin=_encode(SIMPLIFIED, "gbk+crlf")
    )
    assert code == 0, err
    notes = json.loads(output.read_text(encoding="utf-8"))
    words = [(n["simplified"], n["numbered"]) for n in notes if n["kind"] == "vocab"]
    assert words == [(w[0], w[2]) for w in simplified_reference[0]]


def test_big_gbk_file_with_crlf_reads_like_utf8_across_every_block(tmp_path):
    """More than 64 KB: detection sees the first block only, and two-byte characters and CRLF
    pairs are cut between reads. The sentences must still be those of the UTF-8 file."""
    from flashcards.read.plain import iter_text
    from flashcards.sentences import split_sentences

    # Odd-length lines shift every block boundary to a new place in a character.
    text = "".join(SIMPLIFIED.replace("\n", f"{'啊' * (i % 3)}\n") for i in range(900))
    assert len(text.encode("gbk")) > 3 * 65536

    def sentences(path: Path) -> list[str]:
        source, chunks = iter_text(path)
        return [s.text for s in split_sentences(chunks, source.name)]

    expected = sentences(write(tmp_path / "u", text.encode("utf-8")))
    for how in ("gbk+crlf", "gb18030+cr", "utf-16-le", "utf-16+crlf"):
        got = sentences(write(tmp_path / how, _encode(text, how)))
        assert got == expected, how


# --- binary input and undecodable bytes --------------------------------------------------


def run_main(args: list[str], stdin: bytes | None = None) -> tuple[int, str]:
    """The console script in-process: (exit status, stderr)."""
    with CliRunner().isolation(input=stdin) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        err_stream = streams[1] if len(streams) > 1 and streams[1] is not None else streams[0]
        return code, err_stream.getvalue().decode("utf-8", "replace")


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + random.Random(7).randbytes(500)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", SIMPLIFIED)
    return buffer.getvalue()


def _sqlite(tmp_path: Path) -> bytes:
    db = tmp_path / "collection.anki2"
    with sqlite3.connect(db) as conn:
        conn.execute("create table notes (flds text)")
        conn.execute("insert into notes values (?)", (SIMPLIFIED,))
    conn.close()
    return db.read_bytes()


BINARY = {
    "png": _png,
    "zip": _zip,
    "gzip": lambda: gzip.compress(SIMPLIFIED.encode("utf-8")),
    "pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + random.Random(3).randbytes(800),
    "random": lambda: random.Random(1).randbytes(8192),
    "random-high": lambda: bytes(b | 0x80 for b in random.Random(2).randbytes(4096)),
    "utf-32-without-bom": lambda: SIMPLIFIED.encode("utf-32-le"),
}


@pytest.mark.parametrize("kind", [*BINARY, "sqlite"])
def test_binary_input_is_refused_by_the_cli(tmp_path, kind):
    data = _sqlite(tmp_path) if kind == "sqlite" else BINARY[kind]()
    path = write(tmp_path, data, name="input.txt")
    output = tmp_path / "deck.apkg"
    code, err = run_main(["build", str(path), "-o", str(output)])
    assert code == 1, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(path) in err
    if kind == "pdf":
        assert "damaged PDF" in err  # read as a PDF (issue 13), and this one is damaged
    else:
        assert "not text" in err or "cannot decode" in err
    assert not output.exists()


def test_binary_input_stays_refused_with_errors_replace(tmp_path):
    path = write(tmp_path, _png(), name="photo.txt")
    with pytest.raises(FlashcardsError, match="not text: it looks like a PNG image"):
        api.make_deck([path], api.BuildOptions(errors="replace"))
    path = write(tmp_path, BINARY["random"](), name="noise.txt")
    with pytest.raises(FlashcardsError, match="not text"):
        api.make_deck([path], api.BuildOptions(errors="replace"))


def _damaged() -> bytes:
    """UTF-8 with a stray Latin-1 byte and a cut-off character in the middle of a sentence."""
    good = SIMPLIFIED.encode("utf-8")
    at = good.index("银行".encode())
    return good[:at] + b"\xe9\xe4\xbd" + good[at:]


def test_invalid_utf8_is_an_error_naming_the_encoding_problem(tmp_path):
    path = write(tmp_path, _damaged())
    code, err = run_main(["build", str(path), "-o", str(tmp_path / "deck.json")])
    assert code == 1
    assert "cannot decode" in err and "UTF-8" in err and "byte 0x" in err
    assert "--encoding" in err and "--errors replace" in err
    assert not (tmp_path / "deck.json").exists()


@pytest.mark.parametrize("extra", [["--encoding", "utf-8"], []], ids=["utf-8", "detected"])
@pytest.mark.parametrize("errors", ["replace", "ignore"])
def test_invalid_utf8_is_read_on_request(tmp_path, simplified_reference, errors, extra):
    path = write(tmp_path, _damaged())
    output = tmp_path / "deck.json"
    code, err = run_main(
        ["build", str(path), "-o", str(output), "--errors", errors, "--sentences", "3", *extra]
    )
    assert code == 0, err
    notes = json.loads(output.read_text(encoding="utf-8"))
    words = {n["simplified"] for n in notes if n["kind"] == "vocab"}
    reference = {w[0] for w in simplified_reference[0]}
    # Nothing lost: the damage is in front of 银行, every word of the text is still there.
    assert reference <= words
    # A damaged sentence (a replacement character in it) is never an example.
    for note in notes:
        assert "\ufffd" not in (note.get("sentence") or "")


def test_a_bad_byte_far_into_the_file_fails_the_build_and_writes_nothing(tmp_path):
    # Latin filler (quick to segment) pushes the bad byte past the first few read blocks.
    filler = "".join(f"Line {n} of an English preface, nothing to learn.\n" for n in range(6000))
    body = (SIMPLIFIED + filler + SIMPLIFIED).encode("utf-8")
    assert len(body) > 4 * 65536
    path = write(tmp_path, body + b"\xff" + SIMPLIFIED.encode("utf-8"))
    output = tmp_path / "deck.apkg"
    output.write_bytes(b"previous deck")
    code, err = run_main(["build", str(path), "-o", str(output)])
    assert code == 1
    assert f"offset {len(body)}" in err
    assert output.read_bytes() == b"previous deck"
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_utf16_named_without_a_byte_order(tmp_path):
    path = write(tmp_path, SIMPLIFIED.encode("utf-16-le"))
    code, err = run_main(["build", str(path), "--encoding", "utf-16", "-o", "deck.json"])
    assert code == 1 and "Traceback" not in err
    assert "utf-16" in err and "BOM" in err and "utf-16-le" in err
    code, err = run_main(
        ["build", str(path), "--encoding", "utf-16-le", "-o", str(tmp_path / "deck.json")]
    )
    assert code == 0, err


def test_wrong_explicit_encoding_is_an_error_not_garbage(tmp_path):
    path = write(tmp_path, SIMPLIFIED.encode("gbk"))
    code, err = run_main(["build", str(path), "--encoding", "utf-8", "-o", "deck.json"])
    assert code == 1
    assert "cannot decode" in err and "utf-8" in err


def test_gb18030_four_byte_characters(tmp_path):
    """Beyond GBK: characters outside the BMP and emoji take four bytes in GB18030."""
    text = SIMPLIFIED + "𠮷野家的牛肉饭很好吃😀，我们下次再来。\n"
    utf8 = deck_summary(write(tmp_path / "u", text.encode("utf-8")))
    assert deck_summary(write(tmp_path / "g", text.encode("gb18030"))) == utf8
    assert any(w[0] == "牛肉" for w in utf8[0])
