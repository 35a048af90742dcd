"""Hostile text through the whole pipeline: control and invisible characters, emoji,
private-use and combining characters, mixed scripts, HTML and Anki's own syntax.

Raw text goes in through ``api.build``; the decks come out in every format, the .apkg is
imported into a real Anki collection (``anki_check``) and every card is rendered. Whatever
came from the input reaches a card as literal text or not at all: it never runs, never
plays, never pulls in a media file, never breaks a template, and the words around it are
not lost.
"""

from __future__ import annotations

import json
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from anki_check import (
    DEFAULT_ALLOWED_TAGS,
    html_tags_and_text,
    import_into_fresh_collection,
    import_text_file,
    notes_by_guid,
    open_fresh_collection,
    render_all_cards,
    visible_text,
)

from flashcards import api

# Each line is its own sentence, so that each can become a sentence note.
MARKUP_LINES = (
    "我去银行取钱<script>alert(1)</script>。",
    "我想了解<img src=x onerror=alert(1)>这个问题。",
    "价格是一百块&amp;五十块，&lt;b&gt;不贵&lt;/b&gt;&#60;i&#62;。",
    "{{Hanzi}}我们明天考试{{c1::考试::exam}}。",
    "[sound:x.mp3]我很喜欢音乐。",
    '他给我看了一张照片<img src="x.jpg">。',
    "请说慢一点儿[latex]x^2[/latex]和\\(x^2\\)还有$$y$$。",
    "[anki:tts lang=zh_CN]你好[/anki:tts]我们去吃饭吧。",
    '<a href="javascript:alert(1)">点击这里</a>看看{{#Sentence}}{{/Sentence}}吧。',
    "<style>body{display:none}</style>今天天气很好<svg onload=alert(1)>。",
    "{{FrontSide}}我学习中文{{text:Hanzi}}{{type:Hanzi}}{{^Meaning}}。",
    '<iframe src="http://example.com/x"></iframe>他住在上海。',
    "我们<!-- 注释 -->一起<b>工作</b><br>到很晚。",
    "他说：\"你好\"，'再见'，还有`反引号`和|竖线|。",
    "[[wiki]]朋友送我一本书]]。",
    "::分隔::老师给我们上课。",
)
# Characters that carry nothing for a reader, inside and around words.
INVISIBLE_LINES = (
    "他\x00说\x07话\x1b[31m很快\x7f。",
    "银\u200b行\u200d的\u2060工\ufeff作人员很忙\u00ad。",
    "我们\u202e去吃饭\u202c吧\u2066。",
    "医\ufe00院\U000e0100门口\u034f人很多\u180e。",
    "\ue000\ue5e5图书馆\U000f0001很大\U0010fffd。",
)
OTHER_LINES = (
    "😀我们去公园散步吧🍜！👨\u200d👩\u200d👧 🇨🇳 ❤\ufe0f 👍🏽",
    "café 咖啡很好喝，cafe\u0301也是。",
    "我們去臺灣旅行，我们去台湾旅行。",
    "他买了３个苹果和ＡＢＣ牌的电脑。",
    "𠮷野家的牛肉饭很好吃。",
    "\ufffd这句话坏了\ufffd。",
)
HOSTILE_TEXT = "\n".join(MARKUP_LINES + INVISIBLE_LINES + OTHER_LINES) + "\n"

# Words each line must still give, whatever surrounds them.
EXPECTED_WORDS = {
    "银行", "了解", "问题", "价格", "考试", "明天", "音乐", "照片", "一点儿", "吃饭",
    "点击", "天气", "学习", "中文", "上海", "工作", "再见", "朋友", "老师", "上课",
    "说话", "工作人员", "医院", "门口", "图书馆", "公园", "散步", "咖啡", "旅行",
    "台湾", "苹果", "电脑", "牛肉",
}  # fmt: skip

# Markup that may only ever be literal text: none of it may appear as markup in a card.
_RAW_MARKUP = re.compile(
    r"<\s*(script|img|iframe|svg|style|a|b|i|object|embed|link|audio|video)\b|<!--",
    re.IGNORECASE,
)
_ANKI_SYNTAX = re.compile(r"\{\{|\}\}|\[sound:|\[anki:|\[latex\]|\[\$\$?\]|\\\(|\\\[")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


OPTIONS = api.BuildOptions(deck_name="hostile::文本", sentences=100, names=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.txt"
    source.write_text(HOSTILE_TEXT, encoding="utf-8")
    out = {}
    for fmt in ("apkg", "json", "csv", "tsv", "md"):
        out[fmt] = api.build([source], folder / f"deck.{fmt}", OPTIONS).path
    out["source"] = source
    return out


@pytest.fixture(scope="module")
def notes(built) -> list[dict]:
    return json.loads(built["json"].read_text(encoding="utf-8"))


def test_no_word_is_lost(notes):
    words = {n["simplified"] for n in notes if n["kind"] == "vocab"}
    assert EXPECTED_WORDS <= words, sorted(EXPECTED_WORDS - words)
    # Nothing that only exists because of the markup or the invisible characters.
    assert not {"script", "alert", "img", "onerror"} & words


def test_hostile_deck_renders_safely_in_anki(built, tmp_path):
    with zipfile.ZipFile(built["apkg"]) as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]
        assert json.loads(package.read("media")) == {}
    col = import_into_fresh_collection(built["apkg"], tmp_path)
    try:
        # The harness: no template error, no blank front, no sound/TTS/LaTeX, no tag but
        # ours, no src/href/on* attribute, no missing media, no external resource.
        rendered = render_all_cards(col)
        assert len(rendered) == col.card_count() > 60
        for card in rendered:
            for side in (card.question_html, card.answer_html):
                assert not _RAW_MARKUP.search(side), side
                assert not _ANKI_SYNTAX.search(side), side
                assert not _CONTROL.search(side), side
        media = col.media.check()
        assert not media.missing and not media.unused
        assert not list(Path(col.media.dir()).iterdir())
        for fields in notes_by_guid(col).values():
            for name, value in fields.items():
                if name.startswith("_"):
                    continue
                tags, _ = html_tags_and_text(value)
                assert {t for t, _ in tags} <= DEFAULT_ALLOWED_TAGS, (name, value)
                assert not _RAW_MARKUP.search(value) and not _ANKI_SYNTAX.search(value)
                assert not _CONTROL.search(value), (name, value)
    finally:
        col.close()


def test_markup_reaches_the_card_as_literal_text(built, notes, tmp_path):
    """A sentence note shows its sentence exactly as the input wrote it, markup included."""
    sentences = [n["sentence"] for n in notes if n["kind"] == "sentence"]
    in_deck = [line for line in MARKUP_LINES if line in sentences]
    assert len(in_deck) >= len(MARKUP_LINES) - 3, sorted(set(MARKUP_LINES) - set(in_deck))
    col = import_into_fresh_collection(built["apkg"], tmp_path)
    try:
        shown = {
            visible_text(card.question_html)
            for card in render_all_cards(col)
            if card.note_type == "flashcards sentence"
        }
    finally:
        col.close()
    for line in in_deck:
        expected = " ".join(line.split())
        assert any(expected in text for text in shown), line
    # Entities in the input are text, not markup: "&amp;" is shown as typed, not as "&".
    assert any("一百块&amp;五十块，&lt;b&gt;不贵&lt;/b&gt;&#60;i&#62;" in t for t in shown)


def test_invisible_characters_are_gone_and_the_words_stay_whole(notes):
    examples = {n["simplified"]: n["sentence"] for n in notes if n["kind"] == "vocab"}
    assert examples["工作人员"] == "银行的工作人员很忙。"
    assert examples["医院"] == "医院门口人很多。"
    assert examples["说话"] == "他说话[31m很快。"
    texts = [n.get("sentence") or "" for n in notes]
    invisible = re.compile(
        "[\x00-\x08\x0e-\x1f\x7f\u200b\u200d\u2060\ufeff\u00ad\u202e\ufe00"
        "\U000e0100\u034f\u180e\ue000-\uf8ff\U000f0000-\U0010ffff]"
    )
    assert not any(invisible.search(t) for t in texts)


def test_emoji_traditional_and_astral_characters_survive(notes):
    vocab = [n for n in notes if n["kind"] == "vocab"]
    example = {n["simplified"]: n["sentence"] for n in vocab}
    assert example["散步"] == "😀我们去公园散步吧🍜！"
    # Both scripts make one note; the traditional form is kept for it.
    taiwan = [n for n in vocab if n["simplified"] == "台湾"]
    assert len(taiwan) == 1 and taiwan[0]["traditional"] in ("臺灣", "台灣")
    assert example["苹果"] == "他买了3个苹果和ABC牌的电脑。"


def test_a_damaged_sentence_is_no_example(notes):
    for note in notes:
        assert "\ufffd" not in (note.get("sentence") or "")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_exports_import_into_anki_safely(built, tmp_path, fmt):
    reference = import_into_fresh_collection(built["apkg"], tmp_path)
    try:
        expected = {g: f for g, f in notes_by_guid(reference).items()}
    finally:
        reference.close()
    col = open_fresh_collection(tmp_path)
    try:
        # The note types come from the .apkg; the text file then fills the same notes.
        import_into_fresh_collection(built["apkg"], tmp_path, col=col)
        before = notes_by_guid(col)
        log = import_text_file(col, built[fmt])
        assert not log.first_field_match and not log.conflicting and not log.missing_notetype
        after = notes_by_guid(col)
        assert set(after) == set(expected) == set(before)
        for guid, fields in after.items():
            for name, value in fields.items():
                if not name.startswith("_"):
                    assert value == expected[guid][name], (name, value, expected[guid][name])
        render_all_cards(col)
    finally:
        col.close()


def test_markdown_list_has_no_live_markup(built):
    text = built["md"].read_text(encoding="utf-8")
    assert not _RAW_MARKUP.search(text)
    assert "<" not in text.replace("&lt;", "")
    assert not _CONTROL.search(text)
    assert "银行" in text


def test_json_keeps_the_input_as_data(notes):
    """JSON is data, not HTML: the sentence is the cleaned input, unescaped, byte for byte."""
    example = {n["simplified"]: n["sentence"] for n in notes if n["kind"] == "vocab"}
    assert MARKUP_LINES[0] in example.values()
    assert example["照片"] == MARKUP_LINES[5]
    assert unescape(example["价格"]) != example["价格"]  # entities kept as typed


@pytest.mark.parametrize(
    "line", MARKUP_LINES + INVISIBLE_LINES + OTHER_LINES, ids=lambda s: repr(s[:12])
)
def test_each_line_alone_builds_an_importable_deck(tmp_path, line):
    """Alone, with nothing else to learn from, each hostile line still makes a sound deck
    (a line at the start of a file, a line with a single word, a line that is all markup)."""
    source = tmp_path / "line.txt"
    source.write_text(line, encoding="utf-8")
    apkg = api.build([source], tmp_path / "deck.apkg", api.BuildOptions(sentences=1)).path
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert rendered
        for card in rendered:
            assert not _RAW_MARKUP.search(card.question_html + card.answer_html)
            assert not _ANKI_SYNTAX.search(card.question_html + card.answer_html)
    finally:
        col.close()


def test_a_hostile_file_name_is_safe_even_where_a_template_shows_tags(tmp_path):
    """The file name becomes a tag and the Source field. Anki inserts tags raw where a
    template says {{Tags}}, as learners often add: nothing from the name may act there."""
    source = tmp_path / "课文<script>alert(1)<svg\tonload=alert(1)>{{Hanzi}}[sound:x.mp3]&amp;.txt"
    try:
        source.write_text("我去银行取钱。我们学习中文。\n", encoding="utf-8")
    except OSError:
        pytest.skip("this file system refuses such names")
    apkg = api.build([source], tmp_path / "deck.apkg", api.BuildOptions(sentences=2)).path
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        for name in ("flashcards vocabulary", "flashcards sentence"):
            note_type = col.models.by_name(name)
            for template in note_type["tmpls"]:
                template["qfmt"] += "<div>{{Tags}} {{Source}}</div>"
            col.models.update_dict(note_type)
        rendered = render_all_cards(col)
        for card in rendered:
            assert not _RAW_MARKUP.search(card.question_html), card.question_html
            assert not _ANKI_SYNTAX.search(card.question_html), card.question_html
            assert "source::课文" in card.question_text
    finally:
        col.close()


def test_the_newest_han_characters_are_han():
    """Extensions H and I (Unicode 15 and 15.1, newer than Python 3.11's unicodedata) are
    Han text, not symbols: they stay in the sentence and count as Chinese."""
    tokens = api.segment("他的名字是\U00031350\U0002ebf0，我们是同学。")
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["\U00031350"] == kinds["\U0002ebf0"] == kinds["同学"] == "han"
