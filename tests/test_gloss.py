"""A clean gloss: no CC-CEDICT markup, the best few senses first, the answer never on a
recall front. Checked on every note of the seed deck."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import shared_path

from flashcards import api
from flashcards.gloss import clean_sense, split_gloss
from flashcards.notes import clean_senses, vocab_fields
from flashcards.tones import mark

MARKUP = re.compile(r"CL:|\[[a-zA-Z:]+[1-5]|\{\w+\}|\|\S*\[|also pr\.")


def plain(field: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", field))


@pytest.mark.parametrize(
    "sense, word, numbered, script, shown",
    [
        ("(used to put the object before the verb: 把[ba3] + {noun} + {verb})", "把", "ba3",
         "simplified", "(used to put the object before the verb: ～ + noun + verb)"),
        ("aspect particle, see 著|着[zhe5]", "在", "zai4", "simplified",
         "aspect particle, see 着 (zhe)"),
        ("aspect particle, see 著|着[zhe5]", "在", "zai4", "traditional",
         "aspect particle, see 著 (zhe)"),
        ("earth; ground, also pr. [di4]", "地", "de5", "simplified", "earth; ground"),
        ("as in 再見|再见[zai4 jian4]", "在", "zai4", "simplified", "as in 再见"),
    ],
)
def test_markup_is_rendered_for_a_learner(sense, word, numbered, script, shown):
    assert clean_sense(sense, (word,), numbered, script) == shown


def test_meaning_takes_one_to_three_senses_within_80_characters():
    assert split_gloss(["a", "b", "c", "d"]) == (["a", "b", "c"], ["d"])
    long = "x" * 70
    assert split_gloss([long, "second sense here", "c"]) == ([long], ["second sense here", "c"])
    assert split_gloss(["y" * 120, "b"]) == (["y" * 120], ["b"])


@pytest.fixture(scope="module")
def seed_notes(seed_path):
    deck = api.make_deck([seed_path], api.BuildOptions())
    return [(v, vocab_fields(v)) for v in deck.vocab]


def test_seed_meanings_carry_no_markup_and_are_short(seed_notes):
    assert len(seed_notes) > 1000
    for v, f in seed_notes:
        meaning = plain(f["Meaning"])
        assert meaning, v.simplified
        assert not MARKUP.search(meaning + plain(f["MoreMeanings"])), (v.simplified, meaning)
        senses, _ = split_gloss(clean_senses(v))
        assert len(meaning) <= 80 or len(senses) == 1, (v.simplified, meaning)


def test_no_recall_front_of_the_seed_gives_the_answer_away(seed_notes):
    for v, f in seed_notes:
        front = plain(f["Meaning"] + " " + f["SentenceBlank"])
        assert not (set(v.simplified) | set(v.traditional)) & set(front), (v.simplified, front)
        marked = mark(v.numbered).replace(" ", "")
        assert not re.search(rf"(?<![a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]){re.escape(marked)}"
                             rf"(?![a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])", front, re.I), (
            v.simplified, front)


def test_a_variant_only_entry_shows_the_senses_of_its_word(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("我有点儿累，等一点儿再走。", "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    yidianr = next(v for v in deck.vocab if v.simplified == "一点儿")
    assert not any("variant" in s for s in yidianr.senses[:1]), yidianr.senses
    assert "a little" in yidianr.senses or "a bit" in yidianr.senses


def test_a_traditional_deck_of_a_simplified_text_never_mixes_scripts(tmp_path):
    source = tmp_path / "weekend.txt"
    text = (Path(__file__).resolve().parents[1] / "decks" / "weekend" / "weekend.txt").read_text(
        "utf-8"
    )
    source.write_text(text, "utf-8")
    deck = api.make_deck([source], api.BuildOptions(script="traditional"))
    checked = 0
    for v in deck.vocab:
        f = vocab_fields(v, "traditional")
        sentence = plain(f["Sentence"])
        if not sentence:
            continue
        checked += 1
        # No simplified-only character (one traditional form each) is left in the example.
        simplified_only = set("还这们银钱饭时说过门见长进车东买卖书学习们话")
        assert not simplified_only & set(sentence), sentence
        assert v.traditional in sentence, (v.traditional, sentence)
    assert checked > 20


@pytest.mark.parametrize(
    "sense, shown",
    [
        ("cuckoo (Cercococcyx spp., also written 杜鵑鳥|杜鹃鸟)", "cuckoo (Cercococcyx spp.)"),
        ("thing (sth, CL:個|个[ge4])", "thing (sth)"),
        ("world (CL:個|个[ge4])", "world"),
    ],
)
def test_notes_inside_brackets_leave_the_brackets_balanced(sense, shown):
    assert clean_sense(sense, ("字",), "zi4", "simplified") == shown


def test_a_traditional_text_keeps_its_own_characters_in_a_traditional_deck(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("我住在台灣的台北，才不是呢。", "utf-8")
    deck = api.make_deck([source], api.BuildOptions(script="traditional"))
    sentences = {plain(vocab_fields(v, "traditional")["Sentence"]) for v in deck.vocab}
    assert sentences == {"我住在台灣的台北，才不是呢。"}


def test_a_gloss_naming_the_word_reads_whole_on_the_back_and_without_it_on_the_front(
    seed_notes,
):
    """亚洲 "Asia (abbr. for 亚细亚洲)": the recall front shows "Asia", not
    "Asia (abbr. for ～细～～)"; the back's MoreMeanings has the whole sense."""
    by_word = {v.simplified: f for v, f in seed_notes}
    asia = by_word["亚洲"]
    assert plain(asia["Meaning"]).startswith("Asia") and "～" not in asia["Meaning"]
    assert "亚细亚洲" in plain(asia["MoreMeanings"])
    hidden = [v.simplified for v, f in seed_notes if "～" in f["Meaning"]]
    assert len(hidden) <= len(seed_notes) // 200, hidden


def test_a_word_glossed_only_as_see_another_shows_that_words_senses(tmp_path):
    """上房 "see 正房" (红楼梦): the senses of 正房, not "see 正～"."""
    sentence = "大家来至王夫人上房，只见黑压压的一地。"
    assert sentence in shared_path("corpus", "hongloumeng.txt").read_text("utf-8")
    source = tmp_path / "t.txt"
    source.write_text(sentence, "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    for word in ("上房", "黑压压"):
        fields = vocab_fields(next(v for v in deck.vocab if v.simplified == word))
        assert "～" not in fields["Meaning"] and "see" not in fields["Meaning"], fields["Meaning"]
