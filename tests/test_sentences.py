"""Sentence splitting and fragment marking, on the seed newspaper page and on small cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards import sentences
from flashcards.models import Sentence
from flashcards.read.plain import iter_text, read_text
from flashcards.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences([text], "t")]


def pairs(text: str) -> list[tuple[str, bool]]:
    """(text, fragment) of each sentence."""
    return [(s.text, s.fragment) for s in split_sentences([text], "t")]


# -- the seed article ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_sentences(seed_path) -> list[Sentence]:
    source, chunks = iter_text(seed_path)
    return list(split_sentences(chunks, source.name))


def _find(found: list[Sentence], text: str) -> list[Sentence]:
    return [s for s in found if s.text == text or s.text.startswith(text)]


# Headings and bylines: unpunctuated lines on their own, not cut off. They may serve as an
# example where no sentence has the word (a subtitle file is all such lines).
SEED_STANDALONE = [
    "汇聚两国人民力量 推进中美友好事业",
    "——在美国友好团体联合欢迎宴会上的演讲",
    "新华社旧金山11月15日电 记者 李学仁 刘华",
    "王毅就中美元首旧金山会晤向媒体介绍情况并答问",
    "习近平对山西吕梁市永聚煤矿一办公楼火灾事故作出重要指示",
]

SEED_FRAGMENTS = [
    # datelines, and a byline the page cut
    "(2023年11月15日，旧金山)",
    "中华人民共和国主席 习近平",
    "(新华社旧金山11月15日电)",
    # paragraphs cut off by a column break
    "我对他们讲，中美",
    "美国商务部长雷蒙多代表美国政府致辞，热烈欢迎习近平主席到",
    "合作共赢是时代发展的潮流，",
    "就业、教育、医疗、托幼、养老、住房、环境，",
    "宴会开始前，习近平会见了美",
    "要全力救治受伤人员，做好伤员及家属善后安抚工作，",
    "中美经济相互依赖，美国乐",
    # their continuations
    "关系希望在人民，基础在民间，未来在青年，活力在地方。",
    "也是中美关系应该有的底色。",
    "行重要会晤，并面向美国人民发表重要讲话，具有非凡历史意义。",
    "变成老百姓的获得感、幸福感、安全感。",
    "国工商界及社会各界代表，",
    "施，压实各方责任，",
    # after page-jump markers
    "不论形势如何变化，中美和平共处的历史逻辑不会变，中美人民交流合作的根本愿望不会变，",
    "五是共同促进人文交流。",
]

SEED_COMPLETE = [
    "听众对习近平主席重要讲话报以多次长时间热烈掌声。",
    "“您认识这位年轻人吗？”",
    "女士们，先生们，朋友们：",
    "很高兴在旧金山，同美国各界朋友见面，共叙友情，共话友好。",
    "我欢迎更多美国州长、议员访华，欢迎美国各界人士到中国去。",
    "任何一项伟大事业要成功都必须从人民中找到根基，",
    "中国正致力于高质量发展，美国也在着力振兴经济，",
    "当地时间11月15日中午，美国旧金山郊外的斐洛里庄园，",
    "当地时间11月15日，国家主席习近平在美国旧金山斐洛里庄园同美国总统拜登举行会晤。",
    "新华社北京11月16日电 11月16日7时许，山西吕梁市永聚煤矿一办公楼发生火灾。",
    "要增加两国航班、促进旅游合作、扩大地方交往、",
    "“认识啊，这是我38年前。”",
    "习近平主席说。",
    "在轻松友好的气氛中，两位领导人一起步入宴会厅。",
    "蔡奇、王毅出席上述活动。",
]


@pytest.mark.parametrize("start", SEED_FRAGMENTS)
def test_seed_cut_off_pieces_headings_and_continuations_are_fragments(seed_sentences, start):
    found = _find(seed_sentences, start)
    assert found, start
    assert all(s.fragment for s in found)


@pytest.mark.parametrize("start", SEED_STANDALONE)
def test_seed_headings_are_standalone_lines(seed_sentences, start):
    found = _find(seed_sentences, start)
    assert found, start
    assert all(s.standalone and not s.fragment for s in found)


def test_subtitle_lines_are_standalone_and_cut_off_lines_are_not():
    srt = "1\n00:00:01,000 --> 00:00:03,000\n你今天去哪儿了\n\n2\n我去银行取钱了\n"
    lines = {s.text: s for s in split_sentences([srt], "t")}
    for line in ("你今天去哪儿了", "我去银行取钱了"):
        assert lines[line].standalone and not lines[line].fragment
    prose = "他说天气很好，我们就\n出去散步了。\n"
    cut = {s.text: s for s in split_sentences([prose], "t")}
    assert cut["他说天气很好，我们就"].fragment
    assert not cut["他说天气很好，我们就"].standalone


@pytest.mark.parametrize("start", SEED_COMPLETE)
def test_seed_complete_sentences_are_not_fragments(seed_sentences, start):
    found = _find(seed_sentences, start)
    assert found, start
    assert not any(s.fragment for s in found)


def test_seed_does_not_over_flag(seed_sentences):
    fragments = [s for s in seed_sentences if s.fragment]
    assert len(fragments) == len(SEED_FRAGMENTS)
    assert len(seed_sentences) > 200


def test_seed_page_jump_markers_are_removed(seed_sentences):
    assert not any("版" in s.text and "【" in s.text for s in seed_sentences)
    assert not any("紧接" in s.text or "上接" in s.text for s in seed_sentences)


def test_seed_numbering(seed_sentences):
    assert [s.index for s in seed_sentences] == list(range(len(seed_sentences)))
    assert {s.source for s in seed_sentences} == {"000_6077f70e12453669"}
    paragraphs = [s.paragraph for s in seed_sentences]
    assert paragraphs == sorted(paragraphs)
    # Every paragraph number is used: the marker-only line 【上接第1版①】 takes none.
    assert set(paragraphs) == set(range(paragraphs[-1] + 1))
    speech = _find(seed_sentences, "很高兴在旧金山")[0]
    second = _find(seed_sentences, "1985年我第一次访问美国")[0]
    assert second.paragraph == speech.paragraph
    assert second.index == speech.index + 1


def test_seed_split_is_the_same_in_tiny_chunks(seed_path):
    """The seed read in chunks of 7 characters splits as it does whole."""
    source, chunks = iter_text(seed_path, chunk_chars=7)
    small = [(s.text, s.fragment, s.paragraph) for s in split_sentences(chunks, source.name)]
    whole = read_text(seed_path)[1]
    assert small == [(s.text, s.fragment, s.paragraph) for s in split_sentences([whole], "x")]


# -- splitting --------------------------------------------------------------------------


def test_terminators_and_closing_quotes():
    assert texts("“你好！”他说。") == ["“你好！”", "他说。"]
    assert texts("他问：“您认识这位年轻人吗？”然后笑了。") == [
        "他问：“您认识这位年轻人吗？”",
        "然后笑了。",
    ]
    assert texts("「你來了。」『好。』（笑。）下一句。") == [
        "「你來了。」",
        "『好。』",
        "（笑。）",
        "下一句。",
    ]
    assert texts("正是善意友好的涓滴汇流，让宽广太平洋不再是天堑；正是人民的双向奔赴。") == [
        "正是善意友好的涓滴汇流，让宽广太平洋不再是天堑；",
        "正是人民的双向奔赴。",
    ]


def test_runs_of_terminators_stay_together():
    assert texts("真的吗？！太好了！！！他想了想……然后走了。") == [
        "真的吗？！",
        "太好了！！！",
        "他想了想……",
        "然后走了。",
    ]
    assert texts("等等......好吧。。。走！”") == ["等等......", "好吧。。。", "走！”"]


def test_half_width_marks_split_only_next_to_chinese():
    assert texts("你好!我是小明.你呢?我很好;谢谢") == [
        "你好!",
        "我是小明.",
        "你呢?",
        "我很好;",
        "谢谢",
    ]
    assert texts("我用Python 3.11写程序!真的") == ["我用Python 3.11写程序!", "真的"]
    assert texts("我喜欢Python!真的") == ["我喜欢Python!真的"]
    assert texts("价格是3.5元。网址是example.com。") == ["价格是3.5元。", "网址是example.com。"]
    assert texts("他说Hello! 我说你好!") == ["他说Hello! 我说你好!"]


def test_a_line_break_always_ends_a_sentence_and_blank_lines_are_skipped():
    found = list(split_sentences(["第一段第一句。第二句\n\n  \n第二段，没有句号\n第三段。"], "t"))
    assert [(s.text, s.paragraph, s.fragment) for s in found] == [
        ("第一段第一句。", 0, False),
        ("第二句", 0, True),
        ("第二段，没有句号", 1, True),
        ("第三段。", 2, True),  # continues a paragraph cut off mid-sentence
    ]


def test_whitespace_is_stripped_and_empty_sentences_dropped():
    assert texts("  你好。   \t 再见。 \n\n\t\n。") == ["你好。", "再见。", "。"]
    assert texts("") == []
    assert texts(" \n\t\n") == []


def test_lone_cr_and_crlf_via_textio(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes("第一句。\r第二句。\r\n第三句。\r\r\n第四句。".encode("gbk"))
    source, chunks = iter_text(path, chunk_chars=3)
    found = list(split_sentences(chunks, source.name))
    assert [(s.text, s.paragraph) for s in found] == [
        ("第一句。", 0),
        ("第二句。", 1),
        ("第三句。", 2),
        ("第四句。", 3),
    ]
    assert {s.source for s in found} == {"mac"}


def test_numbering_continues_from_a_previous_source():
    found = list(split_sentences(["一。二。\n三。"], "b", start_index=10, start_paragraph=4))
    assert [(s.index, s.paragraph, s.source) for s in found] == [
        (10, 4, "b"),
        (11, 4, "b"),
        (12, 5, "b"),
    ]


def test_text_without_any_line_break():
    text = "我们致力于和平发展。中国是现行国际秩序的受益者和维护者！真的吗？" * 500
    found = list(split_sentences([text[i : i + 1000] for i in range(0, len(text), 1000)], "t"))
    assert len(found) == 1500
    assert {s.paragraph for s in found} == {0}
    assert not any(s.fragment for s in found)


def test_a_line_without_terminators_is_cut_into_bounded_fragments():
    text = "人口众多是中国的基本国情" * 400  # 4,800 characters, no punctuation at all
    found = list(split_sentences([text], "t"))
    assert "".join(s.text for s in found) == text
    assert all(len(s.text) <= sentences.MAX_SENTENCE_CHARS for s in found)
    assert all(s.fragment for s in found)
    with_commas = "再大的成就除以14亿都会变得很小，" * 200
    found = list(split_sentences([with_commas], "t"))
    assert all(s.text.endswith("，") for s in found)  # cut after a comma when there is one


# -- fragments --------------------------------------------------------------------------


def test_paragraph_cut_mid_sentence_flags_its_tail_and_the_next_head():
    assert pairs("我对他们讲，中美\n关系希望在人民。我欢迎更多美国州长访华。") == [
        ("我对他们讲，中美", True),
        ("关系希望在人民。", True),
        ("我欢迎更多美国州长访华。", False),
    ]


def test_after_a_heading_or_byline_the_next_paragraph_starts_afresh():
    # Headings are standalone lines, not fragments, and what follows them is no continuation.
    assert pairs("汇聚两国人民力量 推进中美友好事业\n很高兴在旧金山见面。") == [
        ("汇聚两国人民力量 推进中美友好事业", False),
        ("很高兴在旧金山见面。", False),
    ]
    assert pairs("王毅就中美元首会晤向媒体介绍情况\n当地时间11月15日，两国元首举行会晤。") == [
        ("王毅就中美元首会晤向媒体介绍情况", False),
        ("当地时间11月15日，两国元首举行会晤。", False),
    ]


def test_a_quoted_paragraph_after_a_cut_one_is_not_a_continuation():
    assert pairs("事故发生后，要完善应急预案和防范措\n“您认识这位年轻人吗？”") == [
        ("事故发生后，要完善应急预案和防范措", True),
        ("“您认识这位年轻人吗？”", False),
    ]


def test_a_paragraph_ending_in_a_colon_introduces_the_next():
    assert pairs("女士们，先生们，朋友们：\n很高兴见到大家。") == [
        ("女士们，先生们，朋友们：", False),
        ("很高兴见到大家。", False),
    ]


def test_page_jump_markers():
    assert pairs("我对他们讲，中美\n\n【紧接第1版②】不论形势如何变化。中美友好。") == [
        ("我对他们讲，中美", True),
        ("不论形势如何变化。", True),
        ("中美友好。", False),
    ]
    # A marker alone on its line yields nothing and takes no paragraph number.
    found = list(
        split_sentences(
            ["会晤结束后答问。\n【上接第1版①】\n五是共同促进人文交流。要增加航班。"], "t"
        )
    )
    assert [(s.text, s.paragraph, s.fragment) for s in found] == [
        ("会晤结束后答问。", 0, False),
        ("五是共同促进人文交流。", 1, True),
        ("要增加航班。", 1, False),
    ]
    # The piece before a 下转 marker went on elsewhere, even when it looks complete.
    assert pairs("要深刻吸取教训。完善应急预案和防范措【下转第2版】\n新的一段。") == [
        ("要深刻吸取教训。", False),
        ("完善应急预案和防范措", True),
        ("新的一段。", False),
    ]
    assert pairs("牢固树立安全发展理念。\n（下转第二版）\n另一篇文章。") == [
        ("牢固树立安全发展理念。", True),
        ("另一篇文章。", False),
    ]


def test_a_replacement_character_makes_a_fragment():
    assert pairs("这是一个\ufffd字。这句没问题。") == [
        ("这是一个\ufffd字。", True),
        ("这句没问题。", False),
    ]


# -- chunking does not matter ---------------------------------------------------------

PIECES = st.sampled_from(
    list("我们好中国人说了吗的")
    + list("。！？；…，、：“”‘’「」（）()【】《》!?;.  \n")
    + ["……", "......", "？！", "！”", "。”", "【紧接第1版②】", "【下转第2版】", "（上接第3版）"]
    + ["Python 3.5", "B-25", "\ufffd", "汇聚两国人民力量 推进中美友好事业\n"]
)


def _chunked(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(cut, len(text)) for cut in cuts} | {0, len(text)})
    return [text[a:b] for a, b in zip(points, points[1:], strict=False)]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join), st.lists(st.integers(0, 400), max_size=40))
def test_any_chunking_gives_the_same_sentences(text, cuts):
    whole = list(split_sentences([text], "t", 3, 2))
    assert list(split_sentences(_chunked(text, cuts), "t", 3, 2)) == whole
    # Nothing is lost but whitespace and page-jump markers.
    kept = "".join(s.text for s in whole)
    assert len(kept) <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join), st.lists(st.integers(0, 300), max_size=30))
def test_any_chunking_gives_the_same_sentences_when_long_pieces_are_cut(text, cuts):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sentences, "MAX_SENTENCE_CHARS", 5)
        whole = list(split_sentences([text], "t"))
        assert list(split_sentences(_chunked(text, cuts), "t")) == whole
        assert all(len(s.text) <= 5 + 30 for s in whole)  # a terminator run may follow
