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

# The modules whose cached functions hold what annotating loads and works out.
_ANNOTATING = ("segment", "postagger", "posviterbi", "pinyin", "learner")

# Below this many tokens a text loads little and its deck is small, while loading it all
# again costs the next build in the same process (a test, a library caller) 0.2 s: the
# tables stay. An article of a newspaper page has about 5,000.
LONG_TEXT_TOKENS = 2_000


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
