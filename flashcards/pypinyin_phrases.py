"""pypinyin, with its phrase list read from our cache a phrase at a time.

pypinyin loads its whole phrase list (47,111 phrases, each a list of lists of syllables) and
a set of every prefix of them when it is imported: 55 MiB of a build's memory, for a text
that asks about a few thousand of them. Imported through this module, pypinyin
starts without them (its own ``PYPINYIN_NO_PHRASES`` switch) and is handed a table that
reads the same phrases, with the same prefixes, from a sqlite file of the user cache
(built once from pypinyin's own ``phrases_dict.json``). pypinyin's code runs unchanged
over it, so every reading is the one it gives with its own list.

Where pypinyin was imported before this module (by a caller of the library), it keeps its
own list: the readings are the same. Where ``PYPINYIN_NO_PHRASES`` is set, pypinyin goes
without phrases, as its user asked.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, MutableMapping
from functools import lru_cache
from pathlib import Path

from .cache import KeyTable, cached_key_table

_SWITCHES = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
_VERSION = "1"  # bump when what is cached changes

# The table's value for a key that is only the start of a phrase (in pypinyin's prefix
# set, not in its phrase list).
_PREFIX = ""


def _phrases_file() -> Path:
    import pypinyin

    return Path(pypinyin.__file__).resolve().parent / "phrases_dict.json"


def _build() -> tuple[None, list[tuple[str, str]]]:
    with open(_phrases_file(), encoding="utf-8") as fh:
        phrases: dict[str, list[list[str]]] = json.load(fh)
    rows = [(phrase, json.dumps(value, ensure_ascii=False)) for phrase, value in phrases.items()]
    prefixes: dict[str, None] = {}
    for phrase in phrases:
        for end in range(1, len(phrase)):
            prefix = phrase[:end]
            if prefix not in phrases:
                prefixes[prefix] = None
    rows += [(prefix, _PREFIX) for prefix in prefixes]
    return None, rows


@lru_cache(maxsize=1)
def _table() -> KeyTable:
    import importlib.metadata

    version = f"{importlib.metadata.version('pypinyin')}-{_VERSION}"
    return cached_key_table("pypinyin-phrases", [_phrases_file()], version, _build)


class PhraseTable(MutableMapping):
    """pypinyin's ``PHRASES_DICT``, read from the cache: phrase -> [[syllable], ...].

    Keys asked about are remembered (with their value, or as missing), so that each is
    read from sqlite once. Phrases a caller adds (``pypinyin.load_phrases_dict``) are
    kept in memory, over the table.
    """

    def __init__(self) -> None:
        self._seen: dict[str, str | list | None] = {}  # read from the table
        self._own: dict[str, str | list] = {}  # added by a caller, with their prefixes

    def _value(self, key: str) -> str | list | None:
        """The phrase's value, ``_PREFIX`` for the start of a phrase, None for neither."""
        own = self._own.get(key)
        if own is not None:
            return own
        try:
            return self._seen[key]
        except KeyError:
            found = self._seen[key] = _table().get(key)  # type: ignore[assignment]
            return found

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        value = self._value(key)
        return value is not None and value != _PREFIX

    def __getitem__(self, key: str) -> list[list[str]]:
        value = self._value(key) if isinstance(key, str) else None
        if value is None or value == _PREFIX:
            raise KeyError(key)
        if isinstance(value, str):
            value = self._seen[key] = json.loads(value)
        return value  # type: ignore[return-value]

    def __setitem__(self, key: str, value: list[list[str]]) -> None:
        self._own[key] = value
        for end in range(1, len(key)):
            if self._value(key[:end]) is None:
                self._own[key[:end]] = _PREFIX

    def __delitem__(self, key: str) -> None:
        raise TypeError("pypinyin's phrases cannot be removed")

    def _all(self) -> dict[str, None]:
        keys = {k: None for k, v in _table().items() if v != _PREFIX}
        keys.update((k, None) for k, v in self._own.items() if v != _PREFIX)
        return keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return True

    def forget(self) -> None:
        """Let go of what was read from the table; phrases a caller added stay."""
        self._seen = {}

    def is_prefix(self, key: str) -> bool:
        """Is ``key`` a phrase or the start of one (pypinyin's prefix set)?"""
        return self._value(key) is not None


class _PrefixSet:
    """The set inside pypinyin's ``mmseg.PrefixSet``: every phrase and start of one."""

    def __init__(self, phrases: PhraseTable) -> None:
        self._phrases = phrases

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._phrases.is_prefix(key)

    def add(self, key: str) -> None:
        if not self._phrases.is_prefix(key):
            self._phrases._own[key] = _PREFIX


def forget() -> None:
    """Let go of the phrases read so far (read again when asked for)."""
    phrases = getattr(sys.modules.get("pypinyin.constants"), "PHRASES_DICT", None)
    if isinstance(phrases, PhraseTable):
        phrases.forget()


def _import_pypinyin_without_phrases() -> None:
    saved = {name: os.environ.get(name) for name in _SWITCHES}
    os.environ.update(dict.fromkeys(_SWITCHES, "1"))
    try:
        import pypinyin.constants
        import pypinyin.converter
        import pypinyin.core
        import pypinyin.seg.mmseg
        import pypinyin.seg.simpleseg
    finally:
        # Read at import only: other programs this process starts keep pypinyin's default.
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    phrases = PhraseTable()
    for module in (
        pypinyin.constants,
        pypinyin.converter,
        pypinyin.core,
        pypinyin.seg.mmseg,
        pypinyin.seg.simpleseg,
    ):
        module.PHRASES_DICT = phrases
    pypinyin.seg.mmseg.p_set._set = _PrefixSet(phrases)


if "pypinyin" not in sys.modules and not os.environ.get("PYPINYIN_NO_PHRASES"):
    _import_pypinyin_without_phrases()

from pypinyin import Style, lazy_pinyin, pinyin  # noqa: E402
from pypinyin.constants import RE_HANS  # noqa: E402

__all__ = ["RE_HANS", "Style", "lazy_pinyin", "pinyin"]
