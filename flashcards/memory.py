"""Letting go of what a stage of the build no longer needs.

Annotating a text loads jieba's tables and HMM, the reading rules and model, and fills
caches of segmentations and readings as it goes: on a long text more memory than the
deck it makes. Planning the deck and writing it need none of them, so a build lets go of
them first and its peak is the larger of the two stages, not their sum. Everything let
go of is loaded again (from the cache on disk) by whatever asks for it next.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# The modules whose cached functions hold what annotating loads and works out.
_ANNOTATING = ("segment", "postagger", "posviterbi", "pinyin", "learner")

# Below this many tokens a text loads little and its deck is small, while loading it all
# again costs the next build in the same process (a test, a library caller) 0.2 s: the
# tables stay. An article of a newspaper page has about 5,000.
LONG_TEXT_TOKENS = 2_000

# Python's cycle collector runs a full pass whenever the objects that survived since the
# last one reach a quarter of those that had: a build keeps most of what it makes (tables,
# caches, each word's uses), so on a 1 MB text it ran ~100 full passes over a growing heap,
# 1.7 s of 17 s CPU, finding almost nothing (the pipeline makes few cycles). Collected
# this rarely, 0.3 s, for the same peak memory.
_BUILD_THRESHOLDS = (50_000, 20, 100)


def after_annotating(tokens: int) -> None:
    """Let go of the annotating tables after a text of ``tokens`` tokens, if it was long."""
    if tokens >= LONG_TEXT_TOKENS:
        release_annotating()


def release_annotating() -> None:
    """Clear the cached tables and results of segmenting and reading text."""
    for name in _ANNOTATING:
        module = sys.modules.get(f"{__package__}.{name}")
        if module is None:
            continue
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    if f"{__package__}.pypinyin_phrases" in sys.modules:
        importlib.import_module(f"{__package__}.pypinyin_phrases").forget()
    gc.collect()


@contextmanager
def rare_collections() -> Iterator[None]:
    """The cycle collector runs rarely inside (a build), as usual again after."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(before, _BUILD_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)
