"""The everyday reading of a word, as a learner's dictionary gives it.

CC-CEDICT lists many common words twice (东西 dōngxī "east and west", dōngxi "thing"; 地方
dìfāng "local", dìfang "place") in no order of use. The Chinese Vocab List (Kerrick Staley,
CC BY-SA 4.0, read from the ``chinesevocablist`` package, never copied here) gives the 4,489
words a learner meets most with the reading of everyday use: that is the prior when the
context does not decide. The table is parsed once and cached beside CC-CEDICT's.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import lru_cache
from pathlib import Path

from .cache import cached_table
from .tones import numbered_syllable

# Bump when what is read from the list changes.
_TABLE_VERSION = 1


def _numbered(marked: str, word: str) -> str | None:
    syllables = marked.replace("'", " ").split()
    if len(syllables) != len(word):
        return None
    out = []
    for s in syllables:
        n = numbered_syllable(s.lower())
        if not n or not n[-1].isdigit():
            return None
        out.append(n)
    return " ".join(out)


def _build() -> dict[str, str]:
    import chinesevocablist

    table: dict[str, str] = {}
    for w in chinesevocablist.VocabList.load().words:
        for form in dict.fromkeys((w.simp, w.trad)):
            if not form:
                continue
            reading = _numbered(w.pinyin, form)
            if reading is not None:
                table.setdefault(form, reading)
    return table


@lru_cache(maxsize=1)
def learner_readings() -> dict[str, str]:
    """Word (simplified or traditional) -> its everyday reading, numbered ("di4 fang5").

    Empty where the package is not installed: the readings then fall back to the others.
    """
    spec = importlib.util.find_spec("chinesevocablist")
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    version = f"{importlib.metadata.version('chinesevocablist')}-{_TABLE_VERSION}"
    return cached_table("learner-readings", [folder / "vocab_list_data.py"], version, _build)


def learner_reading(word: str) -> str | None:
    return learner_readings().get(word)
