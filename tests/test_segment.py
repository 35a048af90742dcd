"""Segmentation aligned with CC-CEDICT: what counts as a word, a name, or not a word at all."""

from __future__ import annotations

import pytest

from flashcards.models import HAN, LATIN, NUMBER, PUNCT, SYMBOL
from flashcards.segment import segment_text, split_by_dictionary


def words(text, dictionary):
    return [t.text for t in segment_text(text, dictionary) if t.kind == HAN]


@pytest.mark.parametrize(
    "token, pieces",
    [
        ("两个", ["两", "个"]),
        ("这是", ["这", "是"]),
        ("很多", ["很", "多"]),
        ("第一个", ["第一", "个"]),
    ],
)
def test_tokens_cedict_does_not_know_are_split_into_its_words(dictionary, token, pieces):
    assert token not in dictionary
    assert split_by_dictionary(token, dictionary) == pieces
    # jieba keeps these whole; the aligned segmentation does not.
    got = words(f"今天{token}问题", dictionary)
    assert token not in got
    assert any(got[i : i + len(pieces)] == pieces for i in range(len(got))), got


def test_every_word_token_is_a_dictionary_word_or_a_name(dictionary):
    text = "这是很多中国人第一个想到的问题，两个朋友在银行门口见面。"
    for t in segment_text(text, dictionary):
        if t.kind == HAN:
            assert t.in_dictionary or t.proper, t


def test_names_are_flagged(dictionary):
    tokens = {t.text: t for t in segment_text("习近平在旧金山会见了拜登，王毅参加。", dictionary)}
    for name in ("习近平", "拜登", "王毅"):
        assert tokens[name].proper, name
    # A place CC-CEDICT knows is a word to learn (tagged a proper noun later), not a name.
    assert not tokens["旧金山"].proper
    assert not tokens["会见"].proper


def test_unknown_name_is_kept_whole_not_cut_into_characters(dictionary):
    # 莫耶 (Moyer) is in no dictionary; cutting it would teach 莫 and 耶 as words.
    tokens = segment_text("103岁高龄的莫耶来到中国。", dictionary)
    moye = [t for t in tokens if "莫" in t.text]
    assert [t.text for t in moye] == ["莫耶"] and moye[0].proper


def test_numbers_latin_punctuation_and_symbols_are_never_words(dictionary):
    tokens = segment_text("1942年16架B-25轰炸机，COP28大会3.5%😀二十六个人", dictionary)
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["1942"] == NUMBER
    assert kinds["B-25"] == LATIN
    assert kinds["COP28"] == LATIN
    assert kinds["3.5%"] == NUMBER
    assert kinds["，"] == PUNCT
    assert kinds["😀"] == SYMBOL
    assert kinds["二十六"] == NUMBER
    assert kinds["轰炸机"] == HAN and kinds["年"] == HAN


def test_traditional_input_keeps_its_own_text_and_offsets(dictionary):
    text = "請把書還給我，他長得很快。"
    tokens = segment_text(text, dictionary)
    for t in tokens:
        assert text[t.start : t.start + len(t.text)] == t.text
    by_text = {t.text: t for t in tokens}
    assert by_text["長"].simplified == "长"
    assert by_text["書"].simplified == "书"


def test_offsets_cover_the_sentence_exactly(dictionary):
    text = "女士们、先生们，朋友们：1985年我第一次访问美国 (COP28)。"
    tokens = segment_text(text, dictionary)
    assert "".join(t.text for t in tokens) == text
    pos = 0
    for t in tokens:
        assert t.start == pos
        pos += len(t.text)


def test_pieces_of_names_jieba_cut_apart_are_flagged(dictionary):
    # From the seed article: 德沃切克 comes out as 德 沃 切克, and 罗伯特·雷 leaves 雷 alone.
    tokens = segment_text("住在艾奥瓦州的德沃切克夫妇家中，州长罗伯特·雷也来了。", dictionary)
    flags = {t.text: t.proper for t in tokens if t.kind == HAN}
    for part in ("德", "沃", "切克", "罗伯特", "雷"):
        assert flags[part], part
    for word in ("夫妇", "州长", "来", "家中"):
        assert not flags.get(word, False), word


def test_an_unknown_name_before_a_title_is_flagged(dictionary):
    # From the seed: jieba cuts 舒默 (Schumer) into two characters tagged as odd morphemes.
    tokens = segment_text("我也见了舒默先生和其他几位参议员。", dictionary)
    flags = {t.text: t.proper for t in tokens if t.kind == HAN}
    assert flags["舒"] and flags["默"]
    assert not flags["了"] and not flags["先生"] and not flags["见"]
    # A measure word or a pronoun before the title is no name.
    for text in ("两位先生来了。", "这位女士很好。"):
        assert not any(t.proper for t in segment_text(text, dictionary)), text


def test_name_flags_spread_only_from_real_names(dictionary):
    tokens = segment_text("中国和美国的关系很好，我们在家中学习。", dictionary)
    words = {t.text for t in tokens if t.kind == HAN and not t.proper}
    assert {"关系", "我们", "学习"} <= words
    assert words & {"家", "家中", "在家"}


def test_the_dropped_rjieba_backend_is_a_clear_error(dictionary):
    from flashcards.errors import FlashcardsError

    with pytest.raises(FlashcardsError, match="rjieba"):
        segment_text("我们", dictionary, segmenter="rjieba")
