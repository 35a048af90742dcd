"""`flashcards build` end to end: the seed article and the decks/ samples, into real Anki."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from anki_check import (
    assert_no_duplicate_notes,
    import_into_fresh_collection,
    import_package,
    notes_by_guid,
    render_all_cards,
    review_some_cards,
    revlog_count,
    scheduling_snapshot,
)
from click.testing import CliRunner

from flashcards import api
from flashcards.cli import cli
from flashcards.models import HAN
from flashcards.read.plain import read_text
from flashcards.segment import segment_text
from flashcards.sentences import split_sentences

DECKS = Path(__file__).resolve().parents[1] / "decks"
RECIPES = sorted(p.parent.name for p in DECKS.glob("*/deck.toml"))


def build(tmp_path, *args):
    result = CliRunner().invoke(cli, ["build", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def seed_json(seed_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.json"
    build(out.parent, seed_path, "-o", out)
    return json.loads(out.read_text(encoding="utf-8"))


def test_seed_article_words_are_clean(seed_json, seed_path, dictionary):
    vocab = [n for n in seed_json if n["kind"] == "vocab"]
    assert len(vocab) > 300
    _, text = read_text(seed_path)
    sentences = list(split_sentences([text], "seed"))
    fragments = {s.text for s in sentences if s.fragment}
    complete = [s.text for s in sentences if not s.fragment]
    assert fragments, "the seed article has cut-off pieces; none were flagged"
    for note in vocab:
        word = note["simplified"]
        # No number, Latin run, punctuation or name as a word.
        tokens = segment_text(word, dictionary)
        assert len(tokens) >= 1 and all(t.kind == HAN for t in tokens), word
        # Places and bodies are words to learn (中美, 联合国), tagged; a person's name is not.
        assert not any(t.proper for t in tokens), word
        assert note["senses"], word
        assert word in dictionary, word
        sentence = note["sentence"]
        if sentence is None:
            continue
        # A whole sentence (or the speech of one), or an excerpt of a cut one marked with …
        assert sentence not in fragments, (word, sentence)
        body = sentence.strip("…")
        assert any(body in c for c in complete) or (
            body != sentence and any(body in f for f in fragments)
        ), (word, sentence)
        # The example holds the word as a segmented word, where word_start says.
        start = note["word_start"]
        found = [
            t for t in segment_text(sentence, dictionary) if t.kind == HAN and t.start == start
        ]
        assert found and found[0].simplified == word, (word, sentence)


def test_seed_article_leaves_out_names_and_cut_off_words(seed_json):
    notes = {n["simplified"]: n for n in seed_json if n["kind"] == "vocab"}
    for name in ("习近平", "拜登", "王毅", "蔡奇", "陈纳德"):
        assert name not in notes, name
    for word in ("友好", "人民", "合作", "关系"):
        assert word in notes, word
    # Places, countries and bodies are words a reader of the news needs, tagged as such.
    for place in ("旧金山", "中国", "美国", "联合国"):
        assert place in notes and notes[place]["proper"], place


def test_seed_polyphones_get_the_reading_of_their_sentence(seed_json):
    by_word = {}
    for n in seed_json:
        if n["kind"] == "vocab":
            by_word.setdefault(n["simplified"], []).append(n)
    # 还 in "至今还保存着" / "还建起了" is hái; the seed never returns anything (huán).
    assert [n["numbered"] for n in by_word["还"]] == ["hai2"]
    (zhang,) = [n for n in by_word.get("长", []) if n["numbered"] == "zhang3"] or [None]
    assert (
        zhang is None or "grow" in " ".join(zhang["senses"]) or "chief" in " ".join(zhang["senses"])
    )


def test_seed_deck_imports_into_anki_and_every_card_renders(seed_path, tmp_path):
    out = tmp_path / "seed.apkg"
    build(tmp_path, seed_path, "-o", out, "--sentences", "10")
    col = import_into_fresh_collection(out, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert len(rendered) > 600
        assert_no_duplicate_notes(col)
    finally:
        col.close()


@pytest.mark.parametrize("recipe", RECIPES)
def test_sample_recipes_build_and_render(recipe, tmp_path):
    out = tmp_path / f"{recipe}.apkg"
    summary = api.build([DECKS / recipe], out)
    col = import_into_fresh_collection(out, tmp_path)
    try:
        rendered = render_all_cards(col)
        # The one-line summary tells the truth about what Anki gets.
        assert summary.cards == len(rendered) == col.card_count()
        assert summary.notes == col.note_count()
        fronts = {c.template for c in rendered}
        assert {"Recognition", "Recall"} <= fronts
    finally:
        col.close()


def test_traditional_recipe_uses_the_texts_own_forms(tmp_path):
    out = tmp_path / "taipei.json"
    build(tmp_path, DECKS / "taipei", "-o", out)
    notes = {n["simplified"]: n for n in json.loads(out.read_text("utf-8"))}
    assert notes["热闹"]["traditional"] == "熱鬧"
    assert notes["夜市"]["traditional"] == "夜市"
    assert "熱鬧" in notes["热闹"]["sentence"]


def test_rebuild_with_changed_options_updates_in_place_and_keeps_history(tmp_path):
    first = tmp_path / "first.apkg"
    second = tmp_path / "second.apkg"
    build(tmp_path, DECKS / "weekend", "-o", first, "--max-words", "30")
    # Anki updates a note only from a newer copy, and note times are in seconds;
    # a learner's rebuild comes days later.
    time.sleep(1.1)
    build(tmp_path, DECKS / "weekend", "-o", second, "--max-words", "60", "--sentences", "3")
    col = import_into_fresh_collection(first, tmp_path)
    try:
        before = notes_by_guid(col)
        reviewed = review_some_cards(col, 5)
        assert len(reviewed) == 5
        history = scheduling_snapshot(col, reviewed)
        revlog = revlog_count(col)

        import_package(col, second)
        assert_no_duplicate_notes(col)
        after = notes_by_guid(col)
        assert set(before) <= set(after), "a rebuilt note got a new identity"
        fresh = import_into_fresh_collection(second, tmp_path)
        try:
            rebuilt = notes_by_guid(fresh)
        finally:
            fresh.close()
        # The old notes were updated to the rebuilt content, the new ones added, none twice.
        assert len(after) == len(set(before) | set(rebuilt)) > len(before)
        for guid, fields in rebuilt.items():
            assert after[guid] == fields, guid
        assert scheduling_snapshot(col, reviewed) == history
        assert revlog_count(col) == revlog
        render_all_cards(col)
    finally:
        col.close()


def test_same_input_and_options_give_the_same_notes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    build(tmp_path, DECKS / "dialogue", "-o", a)
    build(tmp_path, DECKS / "dialogue", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_library_api_matches_the_cli(tmp_path):
    deck = api.make_deck([DECKS / "weekend" / "weekend.txt"], api.BuildOptions(max_words=10))
    assert len(deck.vocab) == 10
    out = tmp_path / "w.json"
    build(tmp_path, DECKS / "weekend" / "weekend.txt", "-o", out, "--max-words", "10")
    cli_words = [n["simplified"] for n in json.loads(out.read_text("utf-8"))]
    assert cli_words == [v.simplified for v in deck.vocab]


def test_senses_come_from_a_real_entry_not_a_variant_reference(tmp_path):
    # OpenCC turns 里 into 裏, whose CC-CEDICT entry only says "variant of 裡|里[li3]".
    text = tmp_path / "t.txt"
    text.write_text("孩子们在院子里玩。", encoding="utf-8")
    deck = api.make_deck([text])
    (li,) = [v for v in deck.vocab if v.simplified == "里"]
    assert "inside" in li.senses
    assert not any(s.startswith("variant of") for s in li.senses)
    assert li.traditional == "裡"


def test_order_and_max_words(tmp_path):
    text = DECKS / "weekend" / "weekend.txt"
    opts = api.BuildOptions
    appearance = api.make_deck([text]).vocab
    assert [v.first_index for v in appearance] == sorted(v.first_index for v in appearance)
    by_freq = api.make_deck([text], opts(order="frequency")).vocab
    counts = [v.count for v in by_freq]
    assert counts == sorted(counts, reverse=True)
    by_level = api.make_deck([text], opts(order="level", hsk_standard="2.0")).vocab
    levels = [v.levels.hsk2 or 10 for v in by_level]
    assert levels == sorted(levels)
    # --max-words keeps the words the text uses most.
    top = api.make_deck([text], opts(max_words=5)).vocab
    kept = {v.simplified for v in top}
    assert len(top) == 5
    assert min(v.count for v in top) >= max(
        v.count for v in appearance if v.simplified not in kept
    )


def test_max_words_breaks_ties_for_the_word_rarer_in_general(tmp_path):
    # 我 three times; 银行 and 饕餮 once each: with room for two, the rarer 饕餮 stays.
    text = tmp_path / "t.txt"
    text.write_text("我。我。我。银行。饕餮。", encoding="utf-8")
    words = [v.simplified for v in api.make_deck([text], api.BuildOptions(max_words=2)).vocab]
    assert words == ["我", "饕餮"]


def test_a_word_in_two_readings_gives_two_notes(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("这条河很长。他今年又长了五公分。", encoding="utf-8")
    notes = {(v.simplified, v.numbered): v for v in api.make_deck([text]).vocab}
    chang, zhang = notes[("长", "chang2")], notes[("长", "zhang3")]
    assert "long" in chang.senses and "to grow" in zhang.senses
    assert chang.sentence.text == "这条河很长。"
    assert zhang.sentence.text == "他今年又长了五公分。"


SUBTITLES = """1
00:00:01,000 --> 00:00:03,000
你今天去哪儿了

2
00:00:03,500 --> 00:00:05,000
我去银行取钱了

3
00:00:05,500 --> 00:00:07,000
银行人多不多
"""


def test_subtitles_without_punctuation_give_examples(tmp_path):
    srt = tmp_path / "episode.srt"
    srt.write_text(SUBTITLES, encoding="utf-8")
    vocab = api.make_deck([srt]).vocab
    assert {"今天", "银行", "取钱"} <= {v.simplified for v in vocab}
    for v in vocab:
        assert v.sentence is not None and v.simplified in v.sentence.text, v.simplified
    # Lines of a good length tie; the first one wins.
    (bank,) = [v for v in vocab if v.simplified == "银行"]
    assert bank.sentence.text == "我去银行取钱了" and bank.count == 2


def test_headings_are_examples_only_where_no_sentence_has_the_word(seed_json):
    headings = {"汇聚两国人民力量 推进中美友好事业", "——在美国友好团体联合欢迎宴会上的演讲"}
    by_word = {n["simplified"]: n for n in seed_json if n["kind"] == "vocab"}
    # 演讲 stands only in the heading; 友好 in many sentences.
    assert by_word["演讲"]["sentence"] in headings
    assert by_word["友好"]["sentence"] not in headings
    assert by_word["友好"]["sentence"].endswith(("。", "！", "？", "；", "”", "："))


def test_every_seed_note_has_an_example_and_excerpts_only_where_no_sentence_is_whole(
    seed_json, seed_path, dictionary
):
    vocab = [n for n in seed_json if n["kind"] == "vocab"]
    without = [n["simplified"] for n in vocab if not n["sentence"]]
    assert len(without) <= 0.005 * len(vocab), without
    _, text = read_text(seed_path)
    sentences = list(split_sentences([text], "seed"))
    whole_words = {
        t.simplified
        for s in sentences
        if not s.fragment
        for t in segment_text(s.text, dictionary)
    }
    fragments = [s.text for s in sentences if s.fragment]
    complete = [s.text for s in sentences if not s.fragment]
    excerpts = [
        n
        for n in vocab
        if n["sentence"]
        and n["sentence"] != n["sentence"].strip("…")
        and not any(n["sentence"].strip("…") in c for c in complete)
    ]
    assert excerpts, "the seed has words only in cut sentences; none got an excerpt"
    for n in excerpts:
        assert n["simplified"] not in whole_words, n["simplified"]
        body = n["sentence"].strip("…")
        assert any(body in f for f in fragments), n["sentence"]
        # The excerpt is whole clauses: it never ends on a comma before the mark.
        assert not body.endswith(("，", ",", "、")), n["sentence"]
        assert n["sentence_pinyin"].startswith("...") == n["sentence"].startswith("…")
        assert n["sentence_pinyin"].endswith("...") == n["sentence"].endswith("…")


def test_halves_of_a_word_cut_by_a_column_are_not_words(seed_json):
    # The seed cuts 防范措|施 across two columns: neither half is a word of the text.
    words = {n["simplified"] for n in seed_json if n["kind"] == "vocab"}
    assert "措" not in words and "施" not in words
    assert "防范" in words  # the rest of the cut-off piece still counts


def test_sentence_cards_are_whole_sentences_never_excerpts(seed_path, tmp_path):
    out = tmp_path / "seed.json"
    build(tmp_path, seed_path, "-o", out, "--sentences", "400")
    notes = json.loads(out.read_text(encoding="utf-8"))
    sentences = [n["sentence"] for n in notes if n["kind"] != "vocab"]
    assert len(sentences) > 100
    _, text = read_text(seed_path)
    complete = [s.text for s in split_sentences([text], "seed") if not s.fragment]
    for s in sentences:
        assert any(s in c for c in complete), s
    # The excerpts are still examples of the words that have nothing else.
    assert any(n["sentence"] and n["sentence"].endswith("…") for n in notes if n["kind"] == "vocab")
