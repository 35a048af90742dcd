"""Reading known words out of real files: Anki packages made by the real Anki backend in every
format, Anki collections and notes exports, decks of this tool, Pleco exports, CSV/TSV, lists."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.errors import FlashcardsError
from flashcards.wordsources import clean_field, has_han, read_words, word_from_field

ANKI_FORMATS = ("apkg", "apkg-legacy", "colpkg", "colpkg-legacy")


# --- Anki packages ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ANKI_FORMATS)
def test_every_anki_package_format_gives_the_words_in_note_order(
    anki_exports: ModuleType, anki_files: dict[str, Path], kind: str
) -> None:
    assert read_words(anki_files[kind]) == anki_exports.ALL_WORDS


@pytest.mark.parametrize("kind", ANKI_FORMATS)
def test_studied_only_leaves_out_notes_whose_cards_are_all_new(
    anki_exports: ModuleType, anki_files: dict[str, Path], kind: str
) -> None:
    # 学生 was never answered, 卡拉OK was suspended while new, 飛機 was answered and then reset
    # to new; 喜欢 was answered and then suspended; of 再见 only the reversed card was answered.
    assert read_words(anki_files[kind], studied_only=True) == anki_exports.STUDIED_WORDS


def test_packages_are_really_in_the_format_their_name_says(anki_files: dict[str, Path]) -> None:
    # The readers above must have picked the real collection over the dummy one.
    for kind in ("apkg", "colpkg"):
        names = set(zipfile.ZipFile(anki_files[kind]).namelist())
        assert {"collection.anki21b", "collection.anki2", "meta"} <= names
    for kind in ("apkg-legacy", "colpkg-legacy"):
        names = set(zipfile.ZipFile(anki_files[kind]).namelist())
        assert {"collection.anki21", "collection.anki2"} <= names
        assert "collection.anki21b" not in names


def test_a_dummy_collection_alone_gives_no_words(
    anki_files: dict[str, Path], tmp_path: Path
) -> None:
    # The "please update" collection.anki2 of a current package holds no Chinese: reading it
    # instead of collection.anki21b would lose every word.
    only_dummy = tmp_path / "dummy.apkg"
    with zipfile.ZipFile(anki_files["apkg"]) as source, zipfile.ZipFile(only_dummy, "w") as out:
        out.writestr("collection.anki2", source.read("collection.anki2"))
    assert read_words(only_dummy) == []


def test_an_anki_collection_file_is_read_without_being_changed(
    anki_exports: ModuleType,
    anki_files: dict[str, Path],
) -> None:
    path = anki_files["collection"]
    before = path.read_bytes()
    assert read_words(path) == anki_exports.ALL_WORDS
    assert read_words(path, studied_only=True) == anki_exports.STUDIED_WORDS
    assert path.read_bytes() == before


def test_note_type_and_field_choose_what_is_read(
    anki_exports: ModuleType, anki_files: dict[str, Path]
) -> None:
    apkg = anki_files["apkg"]
    assert read_words(apkg, note_type="Basic") == []  # "hello" on the front
    assert read_words(apkg, note_type="basic", field="Back") == ["你好"]
    assert read_words(apkg, note_type="Cloze") == ["我喜欢你"]  # the first field, cloze removed
    assert read_words(apkg, field="Meaning") == []  # English only
    assert read_words(apkg, note_type="Chinese Vocab", field="hanzi") == [
        note.word for note in anki_exports.VOCAB
    ]


def test_unknown_note_type_or_field_lists_what_there_is(anki_files: dict[str, Path]) -> None:
    with pytest.raises(FlashcardsError, match=r"no note type 'Mandarin'.*'Chinese Vocab'"):
        read_words(anki_files["colpkg"], note_type="Mandarin")
    with pytest.raises(FlashcardsError, match=r"no field 'Traditional'.*'Hanzi', 'Pinyin'"):
        read_words(anki_files["apkg-legacy"], note_type="Chinese Vocab", field="Traditional")


def test_anki_notes_text_export(anki_exports: ModuleType, anki_files: dict[str, Path]) -> None:
    notes = anki_files["notes-text"]
    # The note type and deck columns are skipped; the first field follows them.
    words = read_words(notes)
    assert words[: len(anki_exports.ALL_WORDS)] == anki_exports.ALL_WORDS
    assert read_words(notes, note_type="Chinese Vocab") == [n.word for n in anki_exports.VOCAB]
    assert read_words(notes, note_type="Basic", column=3) == ["你好"]
    with pytest.raises(FlashcardsError, match="no note type 'Nope'"):
        read_words(notes, note_type="Nope")


# --- a deck this tool built -----------------------------------------------------------------


@pytest.fixture(scope="module")
def tool_deck(anki_exports: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return anki_exports.make_tool_deck(tmp_path_factory.mktemp("deck") / "deck.apkg")


def test_a_deck_of_this_tool_gives_its_vocabulary(
    anki_exports: ModuleType, tool_deck: Path
) -> None:
    assert zipfile.ZipFile(tool_deck).namelist()[0] == "collection.anki2"  # legacy 1 format
    # The Simplified field of the vocabulary notes; sentence notes have no word field.
    assert read_words(tool_deck) == [simplified for simplified, _, _ in anki_exports.TOOL_VOCAB]
    assert read_words(tool_deck, field="Traditional") == ["銀行", "圖書館", "電腦"]


def test_a_finished_deck_exported_from_anki(
    anki_exports: ModuleType, tool_deck: Path, tmp_path: Path
) -> None:
    studied = anki_exports.study_tool_deck(tool_deck, tmp_path, "图书馆")
    assert read_words(studied) == ["银行", "图书馆", "电脑"]
    assert read_words(studied, studied_only=True) == ["图书馆"]


# --- damaged and unknown files --------------------------------------------------------------


def test_damaged_and_unknown_files_are_one_line_errors(
    anki_files: dict[str, Path], tmp_path: Path
) -> None:
    not_anki = tmp_path / "photos.zip"
    with zipfile.ZipFile(not_anki, "w") as archive:
        archive.writestr("cat.jpg", b"\xff\xd8\xff")
    bad_zstd = tmp_path / "bad-zstd.apkg"
    with zipfile.ZipFile(bad_zstd, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd" + b"\x00garbage" * 50)
    not_sqlite = tmp_path / "not-sqlite.apkg"
    with zipfile.ZipFile(not_sqlite, "w") as archive:
        archive.writestr("collection.anki2", b"these are not the pages of a database" * 200)
    truncated = tmp_path / "truncated.apkg"
    data = anki_files["apkg"].read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    binary = tmp_path / "words.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    other_db = tmp_path / "other.sqlite3"
    with sqlite3.connect(other_db) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()

    cases = {
        not_anki: "not an Anki package",
        bad_zstd: "damaged Anki package",
        not_sqlite: "damaged Anki collection",
        truncated: "damaged",
        binary: "binary data",
        other_db: "not an Anki collection",
        tmp_path / "missing.txt": "no such file",
        tmp_path: "is a directory",
    }
    for path, message in cases.items():
        with pytest.raises(FlashcardsError, match=message) as caught:
            read_words(path)
        assert "\n" not in str(caught.value)


# --- Pleco ----------------------------------------------------------------------------------


def test_pleco_text_export_with_both_scripts(tmp_path: Path) -> None:
    # As Pleco writes it: UTF-8 with a BOM, CRLF, "//" category lines, a headword with the
    # other script in brackets (even when the same), pinyin with tone numbers; the order of
    # the two scripts follows the export setting, so either order must give the simplified.
    export = tmp_path / "flash.txt"
    lines = [
        "// HSK 3/L07",
        "印象[印象]\tyin4xiang4",
        "银行[銀行]\tyin2hang2\tnoun bank",
        "電腦[电脑]\tdian4nao3\tnoun computer",
        "留下[留下]\tliu2//xia4",
        "// HSK 3/L08",
        "银行[銀行]\tyin2hang2\tnoun bank",
    ]
    export.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    assert read_words(export) == ["印象", "银行", "电脑", "留下"]


def test_pleco_text_export_with_one_script_and_tone_marks(tmp_path: Path) -> None:
    export = tmp_path / "HSKStandardCourse3.txt"
    export.write_text(
        "//HSK Standard Course 3/L01\n周末\tzhōumò\tweekend \n打算\tdǎsuàn\tto plan; plan \n"
        "又...又...\tyòu...yòu...\tboth...and... \n聊天（儿）\tr\tto chat (liáo tiān)\n",
        encoding="utf-8",
    )
    assert read_words(export) == ["周末", "打算", "又", "聊天"]


PLECO_XML = """<?xml version="1.0" encoding="UTF-8"?>
<plecoflash formatversion="2" creator="Pleco User" generator="Pleco 2.0 Flashcard Exporter"
 platform="iPhone OS" created="1700000000"><categories><category name="Class Words"/></categories>
<cards><card language="chinese" created="1700000000" modified="1700000000"><entry>
<headword charset="sc">周围</headword><headword charset="tc">週圍</headword>
<pron type="hypy" tones="numbers">zhou1wei2</pron></entry>
<dictref dictid="PACE" entryid="36477440"/><catassign category="Class Words"/>
<scoreinfo scorefile="Default" score="51200" difficulty="120" correct="17" incorrect="2"
 reviewed="19" sincelast="0"/></card>
<card language="chinese"><entry><headword charset="sc">感冒</headword>
<headword charset="tc">感冒</headword><pron type="hypy" tones="numbers">gan3mao4</pron>
<defn>noun common cold</defn></entry></card>
<card language="chinese"><entry><headword charset="tc">銀行</headword></entry>
<scoreinfo scorefile="Default" score="0" reviewed="0"/></card>
</cards></plecoflash>
"""


def test_pleco_xml_export(tmp_path: Path) -> None:
    export = tmp_path / "flash.xml"
    export.write_text(PLECO_XML, encoding="utf-8")
    assert read_words(export) == ["周围", "感冒", "銀行"]
    assert read_words(export, studied_only=True) == ["周围"]


# --- CSV, TSV and plain lists ---------------------------------------------------------------


def test_csv_column_by_header_name_index_or_default(tmp_path: Path) -> None:
    sheet = tmp_path / "vocab.csv"
    sheet.write_text(
        'English,Simplified,Traditional,Pinyin\n"bank, a",银行,銀行,yínháng\n'
        "computer,电脑,電腦,diànnǎo\nlibrary,图书馆,圖書館,túshūguǎn\n",
        encoding="utf-8",
    )
    assert read_words(sheet) == ["银行", "电脑", "图书馆"]
    assert read_words(sheet, column="traditional") == ["銀行", "電腦", "圖書館"]
    assert read_words(sheet, column=2) == ["銀行", "電腦", "圖書館"]
    assert read_words(sheet, column="2") == ["銀行", "電腦", "圖書館"]
    assert read_words(sheet, column="English") == []
    with pytest.raises(FlashcardsError, match="no column 'Hanzi'.*'English', 'Simplified'"):
        read_words(sheet, column="Hanzi")
    with pytest.raises(FlashcardsError, match="no column 7"):
        read_words(sheet, column=7)


def test_tsv_without_header_takes_the_first_column_with_chinese(tmp_path: Path) -> None:
    sheet = tmp_path / "words.tsv"
    sheet.write_text("1\t学习\txuéxí\n2\t工作\tgōngzuò\n3\t学习\txuéxí\n", encoding="utf-8")
    assert read_words(sheet) == ["学习", "工作"]
    assert read_words(sheet, column=0) == []


def test_semicolon_separated_with_a_word_like_header(tmp_path: Path) -> None:
    sheet = tmp_path / "export.txt"
    sheet.write_text("Pinyin;Word;Meaning\nnǐhǎo;你好;hello\nxièxie;谢谢;thanks\n", "utf-8")
    assert read_words(sheet) == ["你好", "谢谢"]


def test_plain_list(tmp_path: Path) -> None:
    plain = tmp_path / "known.txt"
    plain.write_text(
        "银行 yínháng bank\n\n# my words\n學生\n  老师　teacher\nT恤\n图书馆\t(library)\n银行\n",
        encoding="utf-8",
    )
    assert read_words(plain) == ["银行", "學生", "老师", "T恤", "图书馆"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_plain_list_encodings(tmp_path: Path, encoding: str) -> None:
    plain = tmp_path / "known.txt"
    plain.write_bytes("银行\n喜欢\n電腦\n".encode(encoding))
    assert read_words(plain) == ["银行", "喜欢", "電腦"]


def test_the_suffix_is_not_trusted(
    anki_exports: ModuleType, anki_files: dict[str, Path], tmp_path: Path
) -> None:
    disguised = tmp_path / "words.txt"
    disguised.write_bytes(anki_files["apkg"].read_bytes())
    assert read_words(disguised) == anki_exports.ALL_WORDS
    listed = tmp_path / "words.apkg"
    listed.write_text("银行\n", encoding="utf-8")
    assert read_words(listed) == ["银行"]


# --- one field to one word ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "word"),
    [
        ("<b>银行</b>", "银行"),
        ("银行 (yínháng)", "银行"),
        ("银行（yínháng）", "银行"),
        ("银行/銀行", "银行"),
        ("银行，银行家", "银行"),
        ("银[yín]行[háng]", "银行"),
        (" 图书馆[túshūguǎn]", "图书馆"),
        ("銀行[银行]", "银行"),
        ("银行[銀行]", "银行"),
        ("<ruby>学<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>生", "学生"),
        ("{{c1::喜欢::like}}", "喜欢"),
        ("{{c1::喜{{c2::欢}}}}", "喜欢"),
        ("[sound:yinhang.mp3]", None),
        ("<img src='银行.jpg'>银行", "银行"),
        ("银行<br>yínháng", "银行"),
        ("&lt;银行&gt;", "银行"),
        ("马克·吐温", "马克·吐温"),
        ("卡拉OK", "卡拉OK"),
        ("AA制", "AA制"),
        ("北京Běijīng", "北京"),
        ("卡拉ok", "卡拉"),
        ("DVD 光盘", "光盘"),
        ("bank", None),
        ("yínháng 银行", "银行"),
        ("\uf907", "\u9f9c"),  # a compatibility ideograph becomes the unified one (NFC)
        ("𠮷野家", "𠮷野家"),  # a character outside the Basic Multilingual Plane
    ],
)
def test_word_from_field(field: str, word: str | None) -> None:
    assert word_from_field(field) == word


@given(st.text())
def test_word_from_field_is_chinese_text_of_the_field(text: str) -> None:
    word = word_from_field(text)
    if word is not None:
        assert has_han(word)
        assert word in clean_field(text)
