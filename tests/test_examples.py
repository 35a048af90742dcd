"""Example sentences a teacher would sign off: never a chapter title, quotes balanced,
in the deck's script. Checked on every note built from real novels in ../shared."""

from __future__ import annotations

import re

import pytest
from conftest import shared_path

from flashcards import api
from flashcards.sentences import split_sentences

PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"))


def balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in PAIRS)


@pytest.fixture(scope="module")
def novel_deck(tmp_path_factory):
    lines = shared_path("corpus", "hongloumeng.txt").read_text("utf-8").splitlines()[:400]
    path = tmp_path_factory.mktemp("novel") / "hlm.txt"
    path.write_text("\n".join(lines), "utf-8")
    return api.make_deck([path], api.BuildOptions())


def test_chapter_titles_are_never_examples(novel_deck):
    assert not [
        v.sentence.text for v in novel_deck.vocab
        if v.sentence is not None
        and re.match(r"^第[一二三四五六七八九十百]+回(?=[\s　：:，,]|$)", v.sentence.text)
    ]


def test_chapter_titles_are_flagged_and_their_words_still_taught(tmp_path):
    text = "第一回 甄士隐梦幻识通灵 贾雨村风尘怀闺秀\n此开卷第一回也。\n第一节课老师教汉语。"
    sentences = list(split_sentences([text], "t"))
    assert [s.heading for s in sentences] == [True, False, False]
    source = tmp_path / "t.txt"
    source.write_text("第二章 老师的故事\n他每天都来。", "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    story = next(v for v in deck.vocab if v.simplified == "故事")
    assert story.sentence is None  # taught, but its only sentence is a title


def test_examples_of_a_novel_with_dialogue_have_balanced_quotes(novel_deck):
    examples = [v.sentence.text for v in novel_deck.vocab if v.sentence is not None]
    assert len(examples) > 1000
    unbalanced = [t for t in examples if not balanced(t)]
    # Before: 18% of the notes of 红楼梦's first chapters; words whose every sentence sits
    # before an unclosed quotation's mark are the only ones left.
    assert len(unbalanced) <= 0.02 * len(examples), unbalanced[:5]


def test_a_quotation_spanning_sentences_gives_the_speech_alone(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("自己又云：“今风尘碌碌，一事无成。又念及当日所有之女子。”", "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    by_word = {v.simplified: v.sentence.text for v in deck.vocab if v.sentence is not None}
    assert by_word["风尘"] == "今风尘碌碌，一事无成。"
    assert by_word["女子"] == "又念及当日所有之女子。"


def test_a_sentence_note_lists_only_the_words_of_the_sentence_it_shows(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("老师笑着说道：“我们今天很高兴，明天再来看你们吧。", "utf-8")
    deck = api.make_deck([source], api.BuildOptions(sentences=5))
    for item in deck.sentences:
        for w in item.words:
            assert w.simplified in item.sentence.text, (w.simplified, item.sentence.text)
