"""CC-CEDICT: our parser, the cache, look-ups and how senses are ordered for a learner."""

from __future__ import annotations

import gzip
import os
import time

import pytest

from flashcards import dictionary as cedict
from flashcards.cache import ENV_CACHE
from flashcards.errors import FlashcardsError


def test_every_reading_of_a_polyphone_is_kept(dictionary):
    assert {"chang2", "zhang3"} <= set(dictionary.readings("长"))
    assert {"hai2", "huan2"} <= set(dictionary.readings("还"))
    assert {"de2", "de5", "dei3"} <= set(dictionary.readings("得"))


def test_lookup_by_traditional_form(dictionary):
    simplified = {e.simplified for e in dictionary.lookup("銀行")}
    assert simplified == {"银行"}
    assert dictionary.lookup("長") and all(e.simplified == "长" for e in dictionary.lookup("長"))


def test_measure_words_become_their_own_field(dictionary):
    (bank,) = dictionary.lookup("银行")
    assert bank.senses == ("bank",)
    assert [(c.simplified, c.traditional, c.numbered) for c in bank.classifiers] == [
        ("家", "家", "jia1"),
        ("个", "個", "ge4"),
    ]
    assert not any(s.startswith("CL:") for s in bank.senses)


def test_reference_entries_come_after_real_ones(dictionary):
    # 还 has a "surname Huan" entry; it must not come first.
    entries = dictionary.lookup("还")
    assert entries[0].numbered == "hai2"
    assert entries[-1].senses == ("surname Huan",)
    # 只 has entries that only say "variant of 只[zhi3]": real senses first.
    only = dictionary.lookup("只")
    first_reference = next(
        i for i, e in enumerate(only) if all(cedict.is_reference_sense(s) for s in e.senses)
    )
    assert all(
        not all(cedict.is_reference_sense(s) for s in e.senses) for e in only[:first_reference]
    )


def test_names_are_marked_by_capitalised_pinyin(dictionary):
    assert dictionary.is_proper_only("习近平")
    assert dictionary.is_proper_only("旧金山")
    assert not dictionary.is_proper_only("银行")
    # 还 has a name entry besides its real ones: not a name only.
    assert not dictionary.is_proper_only("还")


@pytest.mark.parametrize(
    "sense, reference",
    [
        ("variant of 只[zhi3]", True),
        ("old variant of 乾[qian2]", True),
        ("surname Zhang", True),
        ("see 了解[liao3 jie3]", True),
        ("to understand clearly", False),
        ("bank", False),
    ],
)
def test_reference_senses(sense, reference):
    assert cedict.is_reference_sense(sense) is reference


def test_parse_line_keeps_each_sense_whole():
    e = cedict.parse_line("數 数 [shu3] /to count/to count as; to regard as/to enumerate; to list/")
    assert e.traditional == "數" and e.simplified == "数" and e.numbered == "shu3"
    assert e.senses == ("to count", "to count as; to regard as", "to enumerate; to list")
    assert cedict.parse_line("# a comment") is None
    assert cedict.parse_line("garbage line") is None


SMALL = """# a tiny CC-CEDICT
長 长 [chang2] /long/
長 长 [zhang3] /to grow/
銀行 银行 [yin2 hang2] /bank/CL:家[jia1]/
"""


def test_user_dictionary_file_and_cache_rebuilt_when_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "cache"))
    path = tmp_path / "cedict_ts.u8"
    path.write_text(SMALL, encoding="utf-8")
    cedict._load.cache_clear()
    first = cedict.load_dictionary(path)
    assert len(first) == 3
    assert list((tmp_path / "cache").glob("cedict-*"))

    # A changed source (new size and mtime) must not be served from the old cache.
    path.write_text(SMALL + "還 还 [huan2] /to return/\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    cedict._load.cache_clear()
    second = cedict.load_dictionary(path)
    assert len(second) == 4
    assert second.readings("还") == ["huan2"]

    # The cache is really used: a fresh load of an unchanged file gives the same entries.
    cedict._load.cache_clear()
    third = cedict.load_dictionary(path)
    assert third.lookup("银行") == second.lookup("银行")


def test_environment_variable_points_to_a_newer_file(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "cache"))
    path = tmp_path / "cedict.u8.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(SMALL)
    monkeypatch.setenv(cedict.ENV_CEDICT, str(path))
    cedict._load.cache_clear()
    assert len(cedict.load_dictionary()) == 3
    cedict._load.cache_clear()


def test_missing_dictionary_file_is_a_clear_error(tmp_path):
    with pytest.raises(FlashcardsError, match="CC-CEDICT file not found"):
        cedict.load_dictionary(tmp_path / "nope.u8")


def test_packaged_file_is_the_full_dictionary(dictionary):
    assert len(dictionary) > 100_000


def test_looking_up_one_word_reads_that_word_alone_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "cache"))
    cedict._load.cache_clear()
    built = cedict.load_dictionary()  # builds the cache
    cedict._load.cache_clear()
    d = cedict.load_dictionary()  # from the cache
    assert d.readings("银行") == ["yin2 hang2"]
    assert list(d._packed) == ["银行"]
    assert len(d) == len(built) > 100_000  # the entry count needs no look-up
    assert "银" in d and "不是一个词" not in d
    assert list(d._packed) == ["银行", "银", "不是一个词"]
    cedict._load.cache_clear()


def test_the_cached_dictionary_holds_what_the_parser_gives(tmp_path, monkeypatch):
    """Every headword and its entries, in the same order, from the cache as from a
    dictionary built in memory from the same lines."""
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "cache"))
    path = tmp_path / "cedict_ts.u8"
    lines = SMALL + "還 还 [huan2] /to return/\n還 还 [hai2] /still/\n妳 你 [ni3] /variant of 你/\n"
    path.write_text(lines, encoding="utf-8")
    in_memory = cedict.Dictionary(cedict.parse(lines.splitlines()), str(path))
    cedict._load.cache_clear()
    cedict.load_dictionary(path)  # builds the cache
    cedict._load.cache_clear()
    cached = cedict.load_dictionary(path)
    assert list(cached.words()) == list(in_memory.words())
    assert len(list(cached.words())) == 8  # 长 長 银行 銀行 还 還 你 妳
    for word in in_memory.words():
        assert cached.lookup(word) == in_memory.lookup(word)
    cedict._load.cache_clear()


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(ENV_CACHE, str(cache))
    path = tmp_path / "cedict_ts.u8"
    path.write_text(SMALL, encoding="utf-8")
    cedict._load.cache_clear()
    d = cedict.load_dictionary(path)
    assert d.readings("长") == ["chang2", "zhang3"]
    assert len(d) == 3
    cedict._load.cache_clear()
