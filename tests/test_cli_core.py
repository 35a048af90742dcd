"""The language-core commands: segment, pinyin and analyze, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from flashcards import api
from flashcards.cli import cli
from flashcards.read.plain import read_text
from flashcards.sentences import split_sentences


def run(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_segment_json_flags_words_names_and_non_words():
    tokens = json.loads(run("segment", "--json", "1942年美国空军16架B-25轰炸机飞往旧金山。"))
    by_text = {t["text"]: t for t in tokens}
    assert by_text["1942"]["kind"] == "number" and not by_text["1942"]["word"]
    assert by_text["B-25"]["kind"] == "latin" and not by_text["B-25"]["word"]
    assert by_text["。"]["kind"] == "punct"
    # A place CC-CEDICT knows is a word to learn; "proper" flags names not to card.
    assert by_text["旧金山"]["word"] and not by_text["旧金山"]["proper"]
    assert by_text["轰炸机"]["word"] and by_text["轰炸机"]["in_dictionary"]
    assert "".join(t["text"] for t in tokens) == "1942年美国空军16架B-25轰炸机飞往旧金山。"


def test_pinyin_json_one_syllable_per_han_character():
    tokens = json.loads(run("pinyin", "--json", "我去银行取了300块钱。"))
    for t in tokens:
        han = [c for c in t["text"] if "\u4e00" <= c <= "\u9fff"]
        if not han:
            assert t["pinyin"] is None and t["numbered"] is None
            continue
        assert len(t["pinyin"].split(" ")) == len(han) == len(t["numbered"].split(" "))
    by_text = {t["text"]: t for t in tokens}
    assert by_text["银行"]["pinyin"] == "yín háng"
    assert by_text["银行"]["numbered"] == "yin2 hang2"


def test_pinyin_reads_stdin():
    out = run("pinyin", "-", input="女儿喜欢绿色。".encode())
    assert "nǚ" in out and "lǜ" in out


def test_pinyin_of_traditional_text():
    tokens = json.loads(run("pinyin", "--json", "銀行"))
    assert tokens[0]["text"] == "銀行" and tokens[0]["pinyin"] == "yín háng"


def test_analyze_seed_counts_no_number_latin_punctuation_or_fragment_as_a_word(seed_path):
    report = json.loads(run("analyze", "--json", "--no-known", seed_path))
    _, text = read_text(seed_path)
    sentences = list(split_sentences([text], "seed"))
    assert report["sentences"] == len(sentences)
    assert report["fragments"] == sum(s.fragment for s in sentences) > 0
    words = {}
    for a in api.annotate_text(text):
        for r in a.readings:
            if r.token.is_word and not r.token.proper:
                words[r.token.simplified] = words.get(r.token.simplified, 0) + 1
    assert report["distinct_words"] == len(words)
    assert report["word_tokens"] == sum(words.values())
    for word in words:
        assert not any(c.isdigit() or c.isascii() for c in word), word
        assert "\ufffd" not in word
    # Fragments count for words: 热烈欢迎习近平主席到 is cut off, 热烈 still counts.
    assert words["热烈"] >= 2
    assert report["dictionary_coverage"] > 0.99
    for standard in ("hsk2", "hsk3"):
        shares = report[standard]["tokens"]
        assert abs(sum(shares.values()) - 1) < 0.01


def test_analyze_lists_the_most_used_words_beyond_a_level(seed_path):
    report = json.loads(run("analyze", "--json", "--no-known", "--level", "3", seed_path))
    beyond = report["beyond"]["words"]
    counts = [w["count"] for w in beyond]
    assert counts == sorted(counts, reverse=True)
    from flashcards.levels import hsk3_level

    for w in beyond:
        level = hsk3_level(w["word"])
        assert level is None or level > 3, w


def test_analyze_known_coverage_from_a_word_list(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("我喜欢银行。我喜欢学习。", encoding="utf-8")
    known = tmp_path / "known.txt"
    known.write_text("我\n喜欢\n", encoding="utf-8")
    report = json.loads(
        run("analyze", "--json", "--profile", "nobody-here", "--known", known, text)
    )
    k = report["known"]
    # 我 喜欢 银行 我 喜欢 学习: 4 of 6 word tokens known.
    assert k["token_coverage"] == round(4 / 6, 4)
    assert k["unknown_distinct"] == 2
    assert [w["word"] for w in k["unknown_top"]] == ["银行", "学习"]


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "flashcards", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "flashcards" in out.stdout


def test_the_api_docstring_example_holds():
    import doctest

    from flashcards import api as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
