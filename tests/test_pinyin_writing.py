"""Pinyin as people write it, in sentence pinyin and the `pinyin` command: apostrophes,
capitalised proper nouns, ASCII punctuation, one space between words."""

from __future__ import annotations

import re

from conftest import shared_path

from flashcards import api
from flashcards.read.plain import read_text

FULL_WIDTH = re.compile(r"[，。！？：；、“”‘’（）《》「」『』]")


def line_with(path, word):
    _, text = read_text(path)
    return next(s for s in re.findall(r"[^。！？\n]*[。！？]", text) if word in s)


def test_proper_nouns_are_capitalised_and_punctuation_is_ascii(seed_path):
    sentence = line_with(seed_path, "旧金山")
    lines = api.pinyin_lines(sentence)
    joined = " ".join(lines)
    assert "Jiùjīnshān" in joined
    assert not FULL_WIDTH.search(joined), joined
    assert "  " not in joined and not re.search(r" [,.!?;:]", joined), joined


def test_apostrophes_before_a_o_e_inside_a_word():
    novel = shared_path("corpus", "hongloumeng.txt")
    nahan = shared_path("corpus", "luxun-nahan.txt")
    assert "píng'ān" in " ".join(api.pinyin_lines(line_with(novel, "平安")))
    assert "dá'àn" in " ".join(api.pinyin_lines(line_with(nahan, "答案")))


def test_common_words_stay_lower_case(seed_path):
    joined = " ".join(api.pinyin_lines(line_with(seed_path, "朋友")))
    assert "péngyou" in joined or "péngyǒu" in joined
    assert "Péng" not in joined


def test_the_erhua_suffix_joins_the_word_before_it():
    # 红楼梦 writes 闲话儿, 一声儿: the suffix r ends the word's last syllable, as in
    # xiánhuàr; the numbered form keeps a syllable a character.
    novel = shared_path("corpus", "hongloumeng.txt")
    sentence = line_with(novel, "闲话儿")
    marked = " ".join(api.pinyin_lines(sentence))
    numbered = " ".join(api.pinyin_lines(sentence, numbers=True))
    assert "xiánhuàr" in marked, marked
    assert "hua4 r5" in numbered, numbered
    assert "yīshēngr" in " ".join(api.pinyin_lines(line_with(novel, "一声儿"))).replace(" ", "")
