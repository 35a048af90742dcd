"""Property: any text, however mixed, goes through the whole pipeline (read, split, segment,
read aloud, select, render, package) with no exception, and every field of every note is
HTML-safe: only our own tags, input text escaped so that it shows literally, nothing Anki
would act on.

The main property runs 500 examples through the library API, writing JSON and .apkg; a
smaller one imports each .apkg into a real Anki collection and renders every card.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from anki_check import import_into_fresh_collection, render_all_cards
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from flashcards import api
from flashcards.dictionary import load_dictionary
from flashcards.errors import FlashcardsError
from flashcards.package import build_records, write_deck

WORDS = (
    "我们", "银行", "学习", "中文", "长城", "长", "校长", "行", "不行", "了解", "问题", "音乐",
    "考试", "图书馆", "北京", "台湾", "臺灣", "銀行", "學習", "一点儿", "东西", "觉得", "得",
    "重要", "重庆", "朋友", "吃饭", "女儿", "旅行", "绿", "一", "不", "了", "着", "的",
    "二十", "三个", "第一", "王老师", "习近平", "𠮷", "〇",
)  # fmt: skip
PUNCTUATION = tuple("，。！？；：、“”‘’（）《》【】…—·「」『』.,!?;:'\"()[]{}<>&#%$@*-_/\\|~`^=+")
MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x.jpg">',
    "<a href='javascript:alert(1)'>",
    "</div>",
    "<br>",
    "<!--",
    "&amp;",
    "&lt;b&gt;",
    "&#60;",
    "&",
    "{{Hanzi}}",
    "{{c1::考试}}",
    "{{c1::",
    "}}",
    "{{#Sentence}}",
    "{{/Sentence}}",
    "{{FrontSide}}",
    "[sound:x.mp3]",
    "[anki:play:q:0]",
    "[anki:tts lang=zh_CN]",
    "[latex]x[/latex]",
    "[$]x[/$]",
    "\\(x\\)",
    "\\[x\\]",
    "::",
    "【紧接第1版②】",
    "【下转第2版】",
)
EMOJI = ("😀", "🍜", "👨\u200d👩\u200d👧", "🇨🇳", "❤\ufe0f", "👍🏽", "\U0001f9e7")
CONTROLS = tuple(
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\xad\u200b\u200d\u2028\u2029\u202e\u2066"
    "\ufeff\ufe00\ue000\uf8ff\U000f0001\ufffd\u0301\u3000\xa0"
)
SPACES = (" ", "\n", "\r\n", "\r", "\t", "\n\n", "  ")

# Words weigh most, so that most examples make notes for the field checks to look at.
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(MARKUP),
    st.sampled_from(EMOJI),
    st.sampled_from(CONTROLS),
    st.sampled_from(SPACES),
    st.from_regex(r"[A-Za-z][A-Za-z0-9\-']{0,8}", fullmatch=True),
    st.from_regex(r"[0-9]{1,6}([.,][0-9]{1,3})?%?", fullmatch=True),
    st.from_regex(r"[０-９Ａ-Ｚａ-ｚ]{1,4}", fullmatch=True),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
texts = st.lists(pieces, min_size=1, max_size=60).map("".join)

# What notes.py and our templates may put into a field: nothing else can reach a card.
_FIELD_TAGS = {"span", "br", "ul", "li"}
_FIELD_ATTRIBUTES = {("class", None), ("lang", "en")}
_ANKI_ACTIVE = re.compile(r"\{\{|\}\}|\[sound:|\[anki:|\[latex\]|\[\$|\\\(|\\\[", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Field(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"unknown declaration {data!r}")


def assert_html_safe(name: str, value: str) -> str:
    """Check one field; return the text it shows."""
    assert not _ANKI_ACTIVE.search(value), (name, value)
    assert not _CONTROL.search(value), (name, value)
    # A bare '<' or '&' would start markup or an entity: input text has none left.
    assert "<" not in re.sub(r"</?(span|br|ul|li)\b[^<>]*>", "", value), (name, value)
    assert not re.search(r"&(?!(amp|lt|gt|quot|#x27|#39|#91|#93|#123|#125|#92);)", value), (
        name,
        value,
    )
    parser = _Field()
    parser.feed(value)
    parser.close()
    assert not parser.problems, (name, value, parser.problems)
    for tag, attrs in parser.tags:
        assert tag in _FIELD_TAGS, (name, tag, value)
        for attribute, attr_value in attrs:
            if attribute == "class":
                assert re.fullmatch(r"[a-z0-9 -]+", attr_value or ""), (name, value)
            else:
                assert (attribute, attr_value) in _FIELD_ATTRIBUTES, (name, attribute, value)
    return "".join(parser.text)


@pytest.fixture(scope="module")
def dictionary():
    return load_dictionary()


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def run_pipeline(text: str, folder: Path, dictionary, sentences: int, script: str):
    """text -> file -> deck -> records, JSON and .apkg; returns (deck, records, notes, apkg)."""
    source = folder / "input.txt"
    source.write_bytes(text.encode("utf-8"))
    options = api.BuildOptions(sentences=sentences, names=True, allow_empty=True, script=script)
    try:
        deck = api.make_deck([source], options, dictionary=dictionary)
    except FlashcardsError as error:
        event("refused as binary")
        # Only a text that is mostly control characters may be refused.
        assert "not text" in str(error), (str(error), text)
        assert "\n" not in str(error)
        return None
    records = build_records(deck.vocab, deck.sentences, script=script)
    json_path = write_deck(folder / "deck.json", deck.vocab, deck.sentences, script=script)
    apkg = write_deck(
        folder / "deck.apkg", deck.vocab, deck.sentences, script=script, timestamp=1.7e9
    )
    notes = json.loads(json_path.read_text(encoding="utf-8"))
    return deck, records, notes, apkg


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    text=texts,
    sentences=st.sampled_from([0, 3]),
    script=st.sampled_from(["simplified", "traditional"]),
)
# Found by hypothesis: a sentence the text says twice was two sentence items, one note.
@example(
    text="我们<script>alert(1)</script>。我们。我们<script>alert(1)</script>。",
    sentences=3,
    script="simplified",
)
def test_any_text_makes_a_safe_deck(dictionary, text, sentences, script):
    with tempfile.TemporaryDirectory() as tmp:
        result = run_pipeline(text, Path(tmp), dictionary, sentences, script)
        if result is None:
            return
        deck, records, notes, apkg = result
        event(f"notes: {'none' if not records else 'few' if len(records) < 10 else 'many'}")
        assert len(notes) == len(records) == len(deck.vocab) + len(deck.sentences)
        for record in records:
            shown = {name: assert_html_safe(name, v) for name, v in record.fields.items()}
            assert record.guid and not _CONTROL.search(" ".join(record.tags))
            if "Headword" in shown:
                assert shown["Headword"] in (
                    unescape(record.fields["Simplified"]),
                    unescape(record.fields["Traditional"]),
                )
        # A sentence note shows its sentence literally: escaping loses nothing.
        by_guid = {r.guid: r for r in records}
        for item, note in zip(deck.sentences, notes[len(deck.vocab) :], strict=True):
            assert note["sentence"] == item.sentence.text
            record = by_guid[note["guid"]]
            assert unescape(re.sub(r"<[^>]+>", "", record.fields["Sentence"])) == (
                item.sentence.text.strip()
            )
        for v, note in zip(deck.vocab, notes, strict=False):
            assert note["simplified"] == v.simplified
            if v.sentence is not None:
                assert note["sentence"] == v.sentence.text
                assert "\ufffd" not in v.sentence.text
        with zipfile.ZipFile(apkg) as package:
            assert package.testzip() is None
            assert json.loads(package.read("media")) == {}
            db = Path(tmp) / "check.anki2"
            db.write_bytes(package.read("collection.anki2"))
        conn = sqlite3.connect(db)
        try:
            stored = conn.execute("select count() from notes").fetchone()[0]
        finally:
            conn.close()
        assert stored == sum(1 for r in records if r.has_cards)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=texts)
def test_any_text_makes_a_deck_anki_renders_safely(dictionary, text):
    """Anki itself renders every card: no script, sound or media that came from the input."""
    with tempfile.TemporaryDirectory() as tmp:
        result = run_pipeline(text, Path(tmp), dictionary, 3, "simplified")
        if result is None:
            return
        *_, apkg = result
        col = import_into_fresh_collection(apkg, Path(tmp))
        try:
            rendered = render_all_cards(col)
            assert len(rendered) == col.card_count()
            for card in rendered:
                for side in (card.question_html, card.answer_html):
                    assert "<script" not in side.lower() and "<img" not in side.lower()
        finally:
            col.close()
