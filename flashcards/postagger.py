"""jieba's part-of-speech cut, with jieba's tables read from our cache as a text needs them.

``jieba.posseg`` loads its whole dictionary (349,046 words and their prefixes), its word-tag
table and its HMM before cutting a character: about 1.4 s, for `flashcards pinyin 你好` as
for a novel. This cutter follows ``jieba.posseg.POSTokenizer.cut`` step for step (the same
DAG, route, buffers and HMM, so the same words and tags; ``tests/test_posviterbi.py``
checks it against jieba on real text), but reads jieba's dictionary from a cache sharded by
a word's first character, loading only the shards of the characters a text has, and the
HMM only when a run of unknown characters needs it.

With a user's word list the tables are jieba's own, built by jieba (``from_jieba``).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from math import log
from pathlib import Path
from typing import Any

from .cache import KeyTable, cached_key_table, cached_shards, shard_of_char

# jieba.posseg's own patterns, as it splits a text before and inside the HMM.
_HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
_HAN_DETAIL = re.compile("([\u4e00-\u9fd5]+)")
_SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
_ENG = re.compile("[a-zA-Z0-9]+")
_NUM = re.compile("[\\.0-9]+")

SHARDS = 256
_VERSION = "4"  # bump when what is cached changes

Shard = tuple[dict, Any]  # (word or prefix -> frequency, word -> tag: has .get)


def _jieba_folder() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


Raw = tuple[list[str], list[int]]  # a shard's words and their frequencies, in file order


@lru_cache(maxsize=1)
def _read_dictionary() -> tuple[int, list[Raw], list[tuple[str, str]]]:
    """jieba's dict.txt in one pass, for both tables built from it when the cache is
    built: the total of all frequencies (a word given twice counts twice, as in jieba),
    the words and frequencies cut into shards by their first character, and the word
    tags (a word given twice: its last tag) as rows of ``_build_tags``. Nothing a line
    holds is kept as a list of its own: 349,046 of them made the garbage collector walk
    them all after the build."""
    text = (_jieba_folder() / "dict.txt").read_bytes().decode("utf-8")
    shards: list[Raw] = [([], []) for _ in range(SHARDS)]
    of_char: dict[str, Raw] = {}
    tags: dict[str, str] = {}
    total = 0
    for line in text.splitlines():
        parts = line.strip().split(" ")
        word = parts[0]
        if not word:
            continue
        shard = of_char.get(word[0])
        if shard is None:
            shard = of_char[word[0]] = shards[shard_of_char(word[0], SHARDS)]
        freq = int(parts[1])
        shard[0].append(word)
        shard[1].append(freq)
        total += freq
        if len(parts) == 3:
            tags[word] = parts[2]
    groups: dict[str, list[str]] = {}
    for word, tag in tags.items():
        group = groups.get(word[0])
        if group is None:
            group = groups[word[0]] = [""]
        group.append(f"{word} {tag}")
    return total, shards, [(first, "\n".join(lines)) for first, lines in groups.items()]


def _split_dictionary() -> tuple[int, list[Raw]]:
    """jieba's dict.txt cut into shards by a word's first character."""
    total, shards, _ = _read_dictionary()
    return total, shards


def _make_shard(raw: Raw) -> dict:
    """One shard as jieba reads its dict.txt: frequencies with every prefix of a word
    (at 0 where it is no word itself)."""
    freqs: dict = {}
    # One object for each distinct frequency and word: marshal writes a shared object
    # once and loads it as one (349,046 frequencies are 5,088 ints). A prefix starts with
    # its word's character: it is in this shard.
    same: dict = {}
    for word, freq in zip(*raw, strict=True):
        word = same.setdefault(word, word)
        freqs[word] = same.setdefault(freq, freq)
        for k in range(1, len(word)):
            prefix = word[:k]
            if prefix not in freqs:
                same[prefix] = prefix
                freqs[prefix] = 0
    return freqs


def _build_tags() -> tuple[None, list[tuple[str, str]]]:
    """The word-tag table of jieba.posseg, a row for each first character: its words and
    their tags as lines of "word tag" (7,000 rows cost a fraction of 349,000 to write,
    when the first command after an install builds them; a word of dict.txt holds no
    space and no line break)."""
    return None, _read_dictionary()[2]


class _Tags:
    """jieba.posseg's word-tag table, read from the cache a first character at a time:
    the tags are asked for the words a cut gives, a few thousand of the 349,046."""

    def __init__(self, table: KeyTable) -> None:
        self._table = table
        self._seen: dict[str, str | None] = {}
        self._groups: dict[str, str] = {}  # first character -> its lines of "word tag"

    def get(self, word: str, default: str | None = None) -> str | None:
        try:
            tag = self._seen[word]
        except KeyError:
            tag = self._seen[word] = self._find(word)
        return default if tag is None else tag

    def _find(self, word: str) -> str | None:
        if not word or " " in word or "\n" in word:
            return None  # never a word of dict.txt
        group = self._groups.get(word[0])
        if group is None:
            group = self._groups[word[0]] = self._table.get(word[0]) or ""  # type: ignore[assignment]
        at = group.find(f"\n{word} ")
        if at < 0:
            return None
        start = at + len(word) + 2
        end = group.find("\n", start)
        return group[start:] if end < 0 else group[start:end]


_HMM_FILES = ("char_state_tab", "prob_start", "prob_trans", "prob_emit")


def _build_hmm() -> tuple[dict, ...]:
    import pickle

    # jieba ships its HMM twice, as modules and as pickles of the same dicts; the pickles
    # load without importing jieba.posseg, which loads jieba's whole dictionary.
    folder = _jieba_folder() / "posseg"
    tables = []
    for name in _HMM_FILES:
        with open(folder / f"{name}.p", "rb") as fh:
            tables.append(pickle.load(fh))  # the installed package's own files
    return tuple(tables)


def hmm_sources() -> list[Path]:
    """The files of jieba.posseg's HMM."""
    folder = _jieba_folder() / "posseg"
    return [folder / f"{name}.p" for name in _HMM_FILES]


def hmm_tables() -> tuple[dict, dict, dict, dict]:
    """jieba.posseg's HMM: (char -> states, start, transition, emission), read from
    jieba's files (posviterbi caches it in a compact form)."""
    return _build_hmm()  # type: ignore[return-value]


class PosCutter:
    """Cuts text into (word, tag) pairs as ``jieba.posseg.cut`` does."""

    def __init__(self, shard: Callable[[str], Shard], total: int) -> None:
        self._shard_of = shard  # the tables for the words starting with a character
        self._log_total = log(total)
        # Each character's shard, found once: the cut asks for it at every character.
        self._shards: dict[str, Shard] = {}

    def _shard(self, ch: str) -> Shard:
        found = self._shards.get(ch)
        if found is None:
            found = self._shards[ch] = self._shard_of(ch)
        return found

    @classmethod
    def cached(cls) -> PosCutter:
        sources = [_jieba_folder() / "dict.txt"]
        table = cached_shards("jieba", sources, _VERSION, _split_dictionary, _make_shard)
        tags = _Tags(cached_key_table("jieba-tags", sources, _VERSION, _build_tags))
        _read_dictionary.cache_clear()
        total = table.meta

        def shard(ch: str) -> Shard:
            return table.shard(shard_of_char(ch, SHARDS)), tags

        return cls(shard, total)

    @classmethod
    def from_jieba(cls, freq: dict, total: int, tags: dict) -> PosCutter:
        """jieba's own tables, as a tokenizer with a user's words holds them."""
        both = (freq, tags)
        return cls(lambda ch: both, total)

    def freq(self, word: str) -> int | None:
        return self._shard(word[0])[0].get(word) if word else None

    def tag(self, word: str, default: str | None = None) -> str | None:
        return self._shard(word[0])[1].get(word, default) if word else default

    def cut(self, sentence: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for block in _HAN_INTERNAL.split(sentence):
            if not block:
                continue
            if _HAN_INTERNAL.match(block):
                out.extend(self._cut_dag(block))
                continue
            for x in _SKIP_INTERNAL.split(block):
                if _SKIP_INTERNAL.match(x):
                    out.append((x, "x"))
                    continue
                for xx in x:
                    if _NUM.match(xx):
                        out.append((xx, "m"))
                    elif _ENG.match(x):
                        out.append((xx, "eng"))
                    else:
                        out.append((xx, "x"))
        return out

    def _route(self, sentence: str) -> list[int]:
        """jieba's DAG and best route: where the word starting at each position ends."""
        n = len(sentence)
        # jieba builds the whole DAG first, then scores it from the end; a position's
        # words do not depend on the route after it, so both are done in one pass here.
        # The sums are jieba's, term for term, and a tie goes to the later end as in
        # jieba's max over (score, end) pairs.
        scores = [0.0] * (n + 1)
        ends = [0] * n
        log_total = self._log_total
        shards = self._shards
        for k in range(n - 1, -1, -1):
            ch = sentence[k]
            found = shards.get(ch)
            freqs = found[0] if found is not None else self._shard(ch)[0]
            best_score = best_end = None
            i = k
            frag = ch
            while i < n and frag in freqs:
                freq = freqs[frag]
                if freq:
                    score = log(freq) - log_total + scores[i + 1]
                    if best_score is None or score > best_score or (
                        score == best_score and i > best_end
                    ):
                        best_score, best_end = score, i
                i += 1
                frag = sentence[k : i + 1]
            if best_score is None:  # no word starts here: the character alone
                best_score = log(freqs.get(ch) or 1) - log_total + scores[k + 1]
                best_end = k
            scores[k] = best_score
            ends[k] = best_end
        return ends

    def _flush(self, buf: str) -> Iterator[tuple[str, str]]:
        if len(buf) == 1:
            yield buf, self.tag(buf, "x")  # type: ignore[misc]
        elif not self.freq(buf):
            yield from self._cut_detail(buf)
        else:
            for ch in buf:
                yield ch, self.tag(ch, "x")  # type: ignore[misc]

    def _cut_dag(self, sentence: str) -> Iterator[tuple[str, str]]:
        route = self._route(sentence)
        x = 0
        buf = ""
        n = len(sentence)
        while x < n:
            y = route[x] + 1
            word = sentence[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    yield from self._flush(buf)
                    buf = ""
                yield word, self.tag(word, "x")  # type: ignore[misc]
            x = y
        if buf:
            yield from self._flush(buf)

    def _cut_detail(self, sentence: str) -> Iterator[tuple[str, str]]:
        from . import posviterbi

        for block in _HAN_DETAIL.split(sentence):
            if not block:
                continue
            if _HAN_DETAIL.match(block):
                yield from posviterbi.cut(block)
                continue
            for x in _SKIP_DETAIL.split(block):
                if not x:
                    continue
                if _NUM.match(x):
                    yield x, "m"
                elif _ENG.match(x):
                    yield x, "eng"
                else:
                    yield x, "x"
