"""pypinyin over our cached phrase table reads as pypinyin over its own phrase list."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Each check runs in a fresh interpreter: which phrase list pypinyin has is settled when
# it is first imported.
OURS = """
import json, os, sys
import flashcards.pypinyin_phrases as ours
import pypinyin.constants, pypinyin.seg.mmseg
from pypinyin import Style, lazy_pinyin
assert type(pypinyin.constants.PHRASES_DICT).__name__ == "PhraseTable"
assert "PYPINYIN_NO_PHRASES" not in os.environ and "PYPINYIN_NO_DICT_COPY" not in os.environ
text = sys.stdin.read()
print(json.dumps(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)))
"""

THEIRS = """
import json, sys
from pypinyin import Style, lazy_pinyin
import pypinyin.constants
assert type(pypinyin.constants.PHRASES_DICT) is dict and len(pypinyin.constants.PHRASES_DICT)
text = sys.stdin.read()
print(json.dumps(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)))
"""


def _run(script: str, text: str, cache) -> list[str]:
    env = {**os.environ, "FLASHCARDS_CACHE": str(cache)}
    env.pop("PYPINYIN_NO_PHRASES", None)
    done = subprocess.run(
        [sys.executable, "-c", script], input=text, env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_real_text_reads_the_same_with_the_cached_phrases(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    theirs = _run(THEIRS, text, tmp_path / "cache")
    cold = _run(OURS, text, tmp_path / "cache")  # builds the table
    warm = _run(OURS, text, tmp_path / "cache")  # reads it
    assert cold == theirs
    assert warm == theirs
    assert len(theirs) > 5_000
    assert list((tmp_path / "cache").glob("pypinyin-phrases-*.sqlite"))


def test_the_table_holds_every_phrase_and_every_prefix(tmp_path):
    script = """
import json
import flashcards.pypinyin_phrases as ours
from pypinyin.seg import mmseg
phrases = json.load(open(ours._phrases_file(), encoding="utf-8"))
table = ours.PhraseTable()
assert len(table) == len(phrases) > 40_000
wrong = [k for k, v in phrases.items() if k not in table or table[k] != v]
assert not wrong, wrong[:5]
prefixes = {k[:n] for k in phrases for n in range(1, len(k) + 1)}
assert all(p in mmseg.p_set for p in prefixes)
not_phrases = [p for p in prefixes if p not in phrases]
assert not_phrases and not any(p in table for p in not_phrases)
assert "不是一个词语" not in mmseg.p_set and "不是一个词语" not in table
print("ok")
"""
    env = {**os.environ, "FLASHCARDS_CACHE": str(tmp_path / "cache")}
    env.pop("PYPINYIN_NO_PHRASES", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_phrases_a_caller_adds_are_read(tmp_path):
    script = """
import flashcards.pypinyin_phrases
from pypinyin import Style, lazy_pinyin, load_phrases_dict
assert lazy_pinyin("银行", style=Style.TONE3) == ["yin2", "hang2"]
load_phrases_dict({"银行": [["yin2"], ["xing2"]]})
load_phrases_dict({"银行行长说": [["a"], ["b"], ["c"], ["d"], ["e"]]})
assert lazy_pinyin("银行", style=Style.TONE3) == ["yin2", "xing2"]
assert lazy_pinyin("银行行长说") == ["a", "b", "c", "d", "e"]
print("ok")
"""
    env = {**os.environ, "FLASHCARDS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
