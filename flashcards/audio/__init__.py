"""Embedded audio for the cards (``build --audio espeak``).

``speech`` turns the numbered pinyin we resolved into the text a synthesiser says;
``espeak`` says it with espeak-ng and compresses it with LAME. A media file is named by a
hash of what it says and how (``flashcards-<hash>.mp3``): the same word or sentence gives
the same name on any machine, is made once however many notes say it, and no name ever
comes from the input text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..models import SentenceItem, Vocab
from . import espeak, speech

ENGINES: tuple[str, ...] = ("none", "espeak")

# What our media file names look like: nothing else may stand in a [sound:] reference.
MEDIA_NAME = re.compile(r"flashcards-[0-9a-f]{32}\.mp3")


def media_name(spoken: str, *, sentence: bool) -> str:
    """The file name of ``spoken`` (speakable pinyin: a word, or a ``sentence``) as the
    espeak engine says it."""
    digest = hashlib.sha256(f"{espeak.settings(sentence)}\x00{spoken}".encode()).hexdigest()
    return f"flashcards-{digest[:32]}{espeak.SUFFIX}"


def word_speech(v: Vocab) -> str | None:
    """What the Audio field says: the word in its reading."""
    return speech.word_text(v.numbered)


def example_speech(v: Vocab) -> str | None:
    """What the SentenceAudio field of a word says: its example sentence."""
    if v.sentence is None or not v.sentence.text.strip() or not v.sentence_numbered:
        return None
    return speech.sentence_text(v.sentence.text, v.sentence_numbered)


def sentence_speech(item: SentenceItem) -> str | None:
    """What the SentenceAudio field of a sentence note says."""
    return speech.sentence_text(item.sentence.text, item.numbered)


@dataclass(frozen=True)
class DeckAudio:
    """The media files of a deck, by what they say."""

    folder: Path
    words: dict[str, str] = field(default_factory=dict)  # speakable word -> file name
    sentences: dict[str, str] = field(default_factory=dict)  # speakable sentence -> name

    def word(self, v: Vocab) -> str:
        spoken = word_speech(v)
        return self.words.get(spoken, "") if spoken else ""

    def example(self, v: Vocab) -> str:
        spoken = example_speech(v)
        return self.sentences.get(spoken, "") if spoken else ""

    def sentence(self, item: SentenceItem) -> str:
        spoken = sentence_speech(item)
        return self.sentences.get(spoken, "") if spoken else ""

    @property
    def files(self) -> list[Path]:
        """Every file, in name order (so the package lists them the same way each build)."""
        names = {*self.words.values(), *self.sentences.values()}
        return [self.folder / name for name in sorted(names)]


def missing(engine: str) -> str | None:
    """Why ``engine`` cannot make audio here, in one line; None when it can."""
    return espeak.missing() if engine == "espeak" else None


def make_audio(
    vocab: Sequence[Vocab],
    sentences: Sequence[SentenceItem],
    folder: Path,
    *,
    jobs: int | None = None,
) -> DeckAudio:
    """Say every word, example and sentence once into ``folder`` with espeak-ng."""
    words = {t: media_name(t, sentence=False) for t in _unique(word_speech(v) for v in vocab)}
    said = _unique([*(example_speech(v) for v in vocab), *(sentence_speech(s) for s in sentences)])
    spoken = {t: media_name(t, sentence=True) for t in said}
    todo = [(text, name, False) for text, name in words.items()]
    todo += [(text, name, True) for text, name in spoken.items()]

    def say(job: tuple[str, str, bool]) -> None:
        text, name, sentence = job
        espeak.synthesise(text, folder / name, sentence=sentence)

    workers = max(1, min(jobs or os.cpu_count() or 1, 8))
    # Each file is two short processes: threads keep every core busy, with nothing forked.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(say, todo):
            pass
    return DeckAudio(folder, words, spoken)


def _unique(texts: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))
