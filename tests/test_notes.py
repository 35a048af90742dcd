"""Note fields, tags and GUIDs rendered by flashcards.notes."""

from __future__ import annotations

import dataclasses
import html
import re

import genanki
import pytest
from anki_check import HOSTILE_SNIPPETS, sample_sentences, sample_vocab, visible_text
from hypothesis import given
from hypothesis import strategies as st

from flashcards.errors import FlashcardsError
from flashcards.models import Levels
from flashcards.notes import (
    SENTENCE_FIELDS,
    VOCAB_FIELDS,
    escape_field,
    pinyin_html,
    pinyin_plain,
    sentence_fields,
    sentence_guid,
    sentence_pinyin_html,
    sentence_tags,
    vocab_fields,
    vocab_guid,
    vocab_tags,
)


def by_word(simplified: str, numbered: str | None = None):
    return next(
        v
        for v in sample_vocab()
        if v.simplified == simplified and (numbered is None or v.numbered == numbered)
    )


# --- escaping -----------------------------------------------------------------------------


@pytest.mark.parametrize("snippet", HOSTILE_SNIPPETS)
def test_escaped_markup_is_shown_literally_and_has_nothing_anki_acts_on(snippet):
    escaped = escape_field(snippet)
    assert not re.search(r"[<>\[\]{}\\\"']", escaped)
    assert html.unescape(escaped) == snippet
    assert visible_text(escaped) == snippet


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_escape_round_trips_any_printable_text(text):
    escaped = escape_field(text)
    assert html.unescape(escaped) == text
    assert not re.search(r"[<>\[\]{}\\\"']", escaped)
    # every & starts a character reference we wrote
    assert re.fullmatch(r"([^&]|&(amp|lt|gt|quot|#x27|#91|#93|#123|#125|#92);)*", escaped)


def test_escape_drops_control_characters_and_keeps_line_breaks():
    assert escape_field("长\x1f城\x00") == "长城"  # \x1f is Anki's field separator
    assert escape_field("第一行\r\n第二行") == "第一行<br>第二行"


def _escape_in_steps(text: str) -> str:
    # escape_field as it was written before it became one table: the fields of every deck
    # built before must stay byte for byte what they were.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text.replace("\r\n", "\n"))
    text = html.escape(text.replace("\r", "\n"), quote=True)
    anki = {"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "\\": "&#92;"}
    return text.translate(str.maketrans(anki)).replace("\n", "<br>")


@given(st.text(alphabet=st.characters(max_codepoint=0xB0) | st.sampled_from("中文\r\n\t　")))
def test_escape_is_what_the_steps_of_escaping_gave(text):
    assert escape_field(text) == _escape_in_steps(text)


# --- pinyin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbered", "plain"),
    [
        ("zhang3", "zhǎng"),
        ("yin2 hang2", "yínháng"),
        ("Xi1 an1", "Xī'ān"),  # apostrophe before a syllable starting with a vowel
        ("Zhang1 San1", "Zhāng Sān"),  # capitalised parts of a name stay apart
        ("yi1 dian3 r5", "yīdiǎnr"),
        ("lu:4 se4", "lǜsè"),
        ("nu:3 er2", "nǚ'ér"),
        ("ka3 la1 O K", "kǎlā O K"),
    ],
)
def test_pinyin_is_tone_marked_and_written_as_a_word(numbered, plain):
    assert pinyin_plain(numbered) == plain
    assert visible_text(pinyin_html(numbered)) == plain


def test_each_syllable_carries_its_tone_class():
    spans = re.findall(r'<span class="tone(\d)">([^<]+)</span>', pinyin_html("dong1 xi5 hao3 ma5"))
    assert spans == [("1", "dōng"), ("5", "xi"), ("3", "hǎo"), ("5", "ma")]


def test_sentence_pinyin_is_coloured_where_numbers_and_marks_agree():
    out = sentence_pinyin_html("wo3 xi3huan5 Bei3jing1 。", "wǒ xǐhuan Běijīng 。")
    assert visible_text(out) == "wǒ xǐhuan Běijīng 。"
    assert '<span class="tone5">huan</span>' in out
    # Groups that do not line up: shown as given, escaped, uncoloured.
    assert sentence_pinyin_html("wo3 men5", "wǒmen <b>") == "wǒmen &lt;b&gt;"
    assert sentence_pinyin_html("wo3men5 hao3", "wǒmen hǎo") == (
        '<span class="tone3">wǒ</span><span class="tone5">men</span> <span class="tone3">hǎo</span>'
    )
    assert sentence_pinyin_html("wo3men5 hao3", "wǒmen hào") == (
        '<span class="tone3">wǒ</span><span class="tone5">men</span> hào'
    )


# --- vocabulary notes ---------------------------------------------------------------------


def test_fields_come_in_the_frozen_order():
    assert tuple(vocab_fields(by_word("银行"))) == VOCAB_FIELDS
    assert VOCAB_FIELDS[:5] == ("Simplified", "Traditional", "Pinyin", "PinyinNumbered", "Meaning")


def test_vocab_note_holds_what_the_learner_needs():
    f = vocab_fields(by_word("长", "zhang3"))
    assert (f["Simplified"], f["Traditional"], f["Headword"], f["Variant"]) == (
        "长",
        "長",
        "长",
        "長",
    )
    assert f["Pinyin"] == '<span class="tone3">zhǎng</span>'
    assert f["PinyinNumbered"] == "zhang3"
    assert f["Meaning"] == "chief; head; elder"
    assert f["MoreMeanings"] == "to grow; to develop"
    assert (f["HSK2"], f["HSK3"], f["Frequency"], f["Count"]) == ("3", "2", "5.4", "2")
    assert f["Sentence"] == '他<span class="hl">长</span>得很高，是我们学校的校长。'
    # every 长 is blanked: a visible one in 校长 would give the answer away
    blank = '<span class="blank">＿</span>'
    assert f["SentenceBlank"] == f"他{blank}得很高，是我们学校的校{blank}。"
    assert (
        visible_text(f["SentencePinyin"])
        == "tā zhǎng de hěn gāo ， shì wǒmen xuéxiào de xiàozhǎng 。"
    )
    assert f["Source"] == "课文 一"


def test_measure_words_follow_the_script():
    bank = by_word("银行")
    simplified = visible_text(vocab_fields(bank)["MeasureWords"])
    traditional = visible_text(vocab_fields(bank, "traditional")["MeasureWords"])
    assert (simplified, traditional) == ("家 jiā、个 gè", "家 jiā、個 gè")


def test_traditional_script_and_a_traditional_sentence():
    taiwan = by_word("台湾")  # word_start unknown (-1): the word is found by its traditional form
    f = vocab_fields(taiwan, "traditional")
    assert (f["Headword"], f["Variant"], f["HSK3"], f["HSK2"]) == ("臺灣", "台湾", "7-9", "")
    assert '<span class="hl">臺灣</span>' in f["Sentence"]
    assert "&#92;(x^2&#92;)" in f["Sentence"]
    assert vocab_fields(by_word("北京"), "traditional")["Variant"] == ""  # same in both scripts


def test_word_placed_at_its_own_occurrence_not_the_first_match():
    f = vocab_fields(by_word("长", "chang2"))
    assert f["Sentence"].startswith('长城很<span class="hl">长</span>')


def test_input_markup_in_a_sentence_is_escaped_in_every_field():
    for v in sample_vocab():
        for name, value in vocab_fields(v).items():
            tags = re.findall(r"<(/?)(\w+)", value)
            assert {t for _, t in tags} <= {"span", "br"}, (name, value)
            assert "[" not in value and "{" not in value, (name, value)


@pytest.mark.parametrize(
    ("cards", "flags"),
    [
        (("recognition", "recall", "cloze"), ("y", "y", "y")),
        (("recall",), ("", "y", "")),
        (["cloze", "recognition"], ("y", "", "y")),
        ((), ("", "", "")),
    ],
)
def test_card_kind_flags(cards, flags):
    f = vocab_fields(by_word("音乐"), cards=cards)
    assert (f["MakeRecognition"], f["MakeRecall"], f["MakeCloze"]) == flags


def test_no_cloze_card_without_an_example_sentence():
    f = vocab_fields(by_word("东西"))
    assert (f["Sentence"], f["SentenceBlank"], f["MakeCloze"]) == ("", "", "")
    assert f["MakeRecognition"] == f["MakeRecall"] == "y"


def test_no_recall_card_without_a_meaning():
    f = vocab_fields(dataclasses.replace(by_word("音乐"), senses=()))
    assert (f["Meaning"], f["MakeRecall"], f["MakeRecognition"]) == ("", "", "y")


def test_unknown_card_kind_or_script_is_an_error():
    with pytest.raises(FlashcardsError, match="'audio'"):
        vocab_fields(by_word("音乐"), cards=("audio",))
    with pytest.raises(FlashcardsError, match="script"):
        vocab_fields(by_word("音乐"), script="zhuyin")


def test_tags():
    assert vocab_tags(by_word("北京")) == [
        "HSK2.0::1",
        "HSK3.0::1",
        "source::课文_一",
        "proper-noun",
    ]
    assert vocab_tags(by_word("台湾")) == ["HSK3.0::7-9", "source::travel_notes", "proper-noun"]
    assert vocab_tags(by_word("东西")) == ["HSK2.0::1", "HSK3.0::1"]
    odd = dataclasses.replace(by_word("音乐"), sources=('my "notes": ch 1', 'my "notes": ch 1'))
    assert vocab_tags(odd)[-1] == "source::my_notes_ch_1"
    assert all(" " not in t for v in sample_vocab() for t in vocab_tags(v))


# --- identity -----------------------------------------------------------------------------


def test_guid_depends_on_the_word_and_reading_only():
    zhang = by_word("长", "zhang3")
    changed = dataclasses.replace(
        zhang,
        senses=("to grow",),
        count=40,
        levels=Levels(4, 3, 1.0),
        sentence=by_word("银行").sentence,
        first_index=99,
        sources=("other",),
    )
    assert vocab_guid(changed) == vocab_guid(zhang)
    assert vocab_guid(dataclasses.replace(zhang, numbered="Zhang3")) == vocab_guid(zhang)
    assert vocab_guid(by_word("长", "chang2")) != vocab_guid(zhang)
    assert vocab_guid(dataclasses.replace(zhang, simplified="涨")) != vocab_guid(zhang)
    lv = dataclasses.replace(zhang, simplified="绿", numbered="lu:4")
    assert vocab_guid(lv) == vocab_guid(dataclasses.replace(lv, numbered="lv4"))


def test_guids_are_frozen():
    # Decks already in learners' collections carry these GUIDs: a change here would turn every
    # rebuilt note into a duplicate. Never update these values; they pin the recipe.
    assert vocab_guid(by_word("长", "zhang3")) == genanki.guid_for(
        "flashcards", "vocab", "长", "zhang3"
    )
    assert vocab_guid(by_word("一点儿")) == genanki.guid_for(
        "flashcards", "vocab", "一点儿", "yi1 dian3 r5"
    )
    assert vocab_guid(by_word("长", "zhang3")) == "fHZI-27J}*"
    sentence = sample_sentences()[0]
    assert sentence_guid(sentence) == genanki.guid_for(
        "flashcards", "sentence", "我在北京学习中文。"
    )


def test_sentence_guid_ignores_outer_whitespace_and_the_words_chosen():
    item = sample_sentences()[0]
    padded = dataclasses.replace(
        item,
        sentence=dataclasses.replace(item.sentence, text=f"  {item.sentence.text}\n"),
        words=(),
    )
    assert sentence_guid(padded) == sentence_guid(item)


# --- sentence notes -----------------------------------------------------------------------


def test_sentence_note_fields():
    item = sample_sentences()[0]
    f = sentence_fields(item)
    assert tuple(f) == SENTENCE_FIELDS
    assert f["Sentence"] == "我在北京学习中文。"
    assert visible_text(f["SentencePinyin"]) == "wǒ zài Běijīng xuéxí Zhōngwén 。"
    assert [visible_text(li) for li in re.findall(r"<li>.*?</li>", f["Words"])] == [
        "北京 Běijīng Beijing, capital of the People's Republic of China",
        "学习 xuéxí to learn; to study",
    ]
    assert "學習" in sentence_fields(item, "traditional")["Words"]
    assert sentence_tags(item) == ["source::课文_一"]


def test_sentence_note_escapes_its_input():
    f = sentence_fields(sample_sentences()[1])
    assert visible_text(f["Sentence"]) == '{{c1::考试}}明天有考试<img src="x.jpg">[sound:x.mp3]。'
    assert "<img" not in f["Sentence"] and "[" not in f["Sentence"] and "{" not in f["Sentence"]
