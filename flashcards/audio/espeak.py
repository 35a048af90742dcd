"""Speech from our own pinyin with espeak-ng, compressed to MP3 with LAME.

espeak-ng's ``cmn-latn-pinyin`` voice reads numbered pinyin (``yin2hang2``) and applies
third-tone sandhi itself (its plain ``cmn`` voice is "Latin as English"). So the cards say
the reading the pipeline chose (长 zhang3 or chang2), never a guess from the characters.
Both tools are called as programs (espeak-ng is GPL; nothing links to it), and only ever
with text built here from pinyin syllables and a few punctuation marks, never with text
from the input.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from array import array
from pathlib import Path

from ..errors import FlashcardsError
from .speech import syllables

VOICE = "cmn-latn-pinyin"
# Words a minute to start from (espeak's default of 175 runs syllables together for a
# learner): at these, 85% of a deck's words and all of its sentences fall in PACE at once.
WORD_SPEED = 140
SENTENCE_SPEED = 150
# Seconds of sound a syllable, at a learner's pace: an utterance outside this band (a
# neutral-tone particle alone, a long third tone) is said again at the speed that brings
# it in, so that every word and sentence of a deck keeps one steady pace.
PACE = (0.28, 0.48)
SLOWEST, FASTEST = 80, 320
# MP3 at 32 kbit/s, mono: a word is about 3 KB, and speech from a formant synthesiser
# loses nothing audible; MP3 is the one format every Anki client and platform plays.
BITRATE = 32
# espeak-ng ends every utterance with about 0.4 s of silence; we keep this much of it.
TAIL_SECONDS = 0.04
LEAD_SECONDS = 0.01
# A sample quieter than this (of 32767) counts as silence when the ends are trimmed.
SILENCE = 300


def settings(sentence: bool) -> str:
    """What the synthesiser is asked, besides the text: media file names hash this with
    the text, so that a change here gives new files rather than old names with new sound."""
    speed = SENTENCE_SPEED if sentence else WORD_SPEED
    return (
        f"espeak-ng voice={VOICE} speed={speed} pace={PACE[0]}-{PACE[1]} "
        f"lead={LEAD_SECONDS} tail={TAIL_SECONDS} silence={SILENCE} | lame mp3 {BITRATE}k mono"
    )


SUFFIX = ".mp3"

# The only text the synthesiser is ever given (see flashcards.audio.speech).
_SPEAKABLE = re.compile(r"[a-z1-5 ,.?!]+")


def missing() -> str | None:
    """Why embedded audio cannot be made on this machine, in one line; None if it can."""
    for tool, package in (("espeak-ng", "espeak-ng"), ("lame", "lame")):
        if shutil.which(tool) is None:
            return (
                f"{tool} not found: building without embedded audio "
                f"(install the {package} package for --audio espeak)"
            )
    try:
        voices = subprocess.run(
            ["espeak-ng", "--voices=zh"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError) as err:
        return f"espeak-ng does not run ({err}): building without embedded audio"
    if VOICE not in voices.split():
        return (
            f"espeak-ng has no {VOICE} voice (Debian 12's espeak-ng 1.51 has it): "
            "building without embedded audio"
        )
    return None


def synthesise(text: str, path: Path, *, sentence: bool) -> None:
    """Write ``text`` (speakable pinyin; a word, or a ``sentence``) spoken as an MP3 file
    at ``path``."""
    if not _SPEAKABLE.fullmatch(text):
        raise ValueError(f"not speakable pinyin: {text!r}")
    speed = SENTENCE_SPEED if sentence else WORD_SPEED
    count = max(1, syllables(text))
    low, high = PACE
    for _ in range(3):
        spoken = _run(["espeak-ng", "-v", VOICE, "-s", str(speed), "--stdout", text], b"")
        rate, samples = _pcm(spoken)
        samples = _trim(samples, rate)
        pace = (len(samples) / rate - LEAD_SECONDS - TAIL_SECONDS) / count
        if low <= pace <= high:
            break
        # Duration goes about as the inverse of the speed; aim inside the band's edge.
        wanted = low * 1.05 if pace < low else high * 0.95
        speed = min(FASTEST, max(SLOWEST, round(speed * pace / wanted)))
    mp3 = _run(
        [
            "lame",
            "--quiet",
            "-r",
            "-s",
            f"{rate / 1000:g}",
            "--bitwidth",
            "16",
            "--signed",
            "--little-endian",
            "-m",
            "m",
            "-b",
            str(BITRATE),
            "--noreplaygain",
            "-",
            "-",
        ],
        samples.tobytes(),
    )
    path.write_bytes(mp3)


def _run(cmd: list[str], data: bytes) -> bytes:
    try:
        done = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        raise FlashcardsError(f"{cmd[0]} failed: {err}") from None
    if done.returncode != 0 or not done.stdout:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FlashcardsError(f"{cmd[0]} failed: {why[-1] if why else f'exit {done.returncode}'}")
    return done.stdout


def _pcm(wav: bytes) -> tuple[int, array]:
    """The sample rate and 16-bit mono samples of espeak-ng's WAV output. Written to a pipe,
    its header's sizes are placeholders, so the chunks are walked rather than trusted."""
    if wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise FlashcardsError("espeak-ng wrote no WAV data")
    pos, rate, channels, bits = 12, 0, 0, 0
    while pos + 8 <= len(wav):
        chunk, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk == b"fmt ":
            channels, rate = struct.unpack("<HI", wav[body + 2 : body + 8])
            bits = struct.unpack("<H", wav[body + 14 : body + 16])[0]
        elif chunk == b"data":
            if (channels, bits) != (1, 16) or not rate:
                raise FlashcardsError(f"espeak-ng wrote {channels} channels of {bits} bits")
            data = wav[body:]
            samples = array("h")
            samples.frombytes(data[: len(data) - len(data) % 2])
            return rate, samples
        pos = body + size + (size & 1)
    raise FlashcardsError("espeak-ng wrote no WAV data")


def _trim(samples: array, rate: int) -> array:
    """The samples with the silence at either end cut to a short lead and tail."""
    first, last = 0, len(samples) - 1
    while first <= last and abs(samples[first]) <= SILENCE:
        first += 1
    while last >= first and abs(samples[last]) <= SILENCE:
        last -= 1
    if first > last:
        return samples
    start = max(0, first - int(LEAD_SECONDS * rate))
    end = min(len(samples), last + 1 + int(TAIL_SECONDS * rate))
    return samples[start:end]
