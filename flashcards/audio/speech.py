"""What a card says aloud: speakable pinyin built from the numbered pinyin we resolved.

The synthesiser is given tone-numbered syllables (``yin2hang2``) and four pauses (``, . ? !``)
and nothing else. A word or sentence that holds anything we did not read ourselves (a
Latin word, a digit, a character without a reading) gets no embedded audio rather than a
guess; the device voice of the TTS tag still reads it from the characters.
"""

from __future__ import annotations

import re
import unicodedata

from ..han import HAN_CHAR

_SYLLABLE = re.compile(r"[A-Za-zÜüÊê:]+[1-5]")
# Pinyin as the cmn-latn-pinyin voice spells it: ü as v; ê (欸) has no spelling there.
_SPEAKABLE_SYLLABLE = re.compile(r"[a-z]+[1-5]")
# Punctuation that the voice should pause at, by the pause it makes; other punctuation
# (quotes, brackets, the middle dot of a name) is silent.
_PAUSES = {
    **dict.fromkeys("，,、；;：:—–", ","),
    **dict.fromkeys("。.…", "."),
    **dict.fromkeys("？?", "?"),
    **dict.fromkeys("！!", "!"),
}


def _speakable_syllable(syllable: str) -> str | None:
    spelled = syllable.lower().replace("u:", "v").replace("ü", "v")
    return spelled if _SPEAKABLE_SYLLABLE.fullmatch(spelled) else None


def word_text(numbered: str) -> str | None:
    """``"yin2 hang2"`` -> ``"yin2hang2"``: a word said as one word; None when a part of
    its reading is no syllable (CC-CEDICT's ``K a1 la1 O K``, a middle dot)."""
    parts = numbered.split()
    spoken = [_speakable_syllable(p) for p in parts]
    if not parts or any(s is None for s in spoken):
        return None
    return "".join(s for s in spoken if s)


def sentence_text(text: str, numbered: str) -> str | None:
    """The sentence ``text`` said from its ``numbered`` pinyin, with pauses where its
    punctuation is; None when the sentence holds letters or digits that are not Han
    (their pinyin is not ours: 3, A4, OK), or the pinyin anything but syllables and
    punctuation."""
    for ch in text:
        if unicodedata.category(ch)[0] in "LN" and not HAN_CHAR.fullmatch(ch):
            return None
    pieces: list[str] = []
    position = 0
    for match in _SYLLABLE.finditer(numbered):
        if not _add_pauses(pieces, numbered[position : match.start()]):
            return None
        spoken = _speakable_syllable(match.group())
        if spoken is None:
            return None
        pieces.append(spoken)
        position = match.end()
    if not _add_pauses(pieces, numbered[position:]):
        return None
    while pieces and pieces[-1] in ",.?!":
        pieces.pop()
    if not pieces:
        return None
    return " ".join(pieces)


def _add_pauses(pieces: list[str], between: str) -> bool:
    """Append the pause the text between two syllables makes; False if it holds more
    than punctuation and spaces."""
    pause = ""
    for ch in between:
        if ch in _PAUSES:
            # The strongest mark of a run wins: "？”，" pauses as a question.
            if not pause or ",.?!".index(_PAUSES[ch]) > ",.?!".index(pause):
                pause = _PAUSES[ch]
        elif not (ch.isspace() or unicodedata.category(ch)[0] == "P"):
            return False
    if pause and pieces and pieces[-1] not in ",.?!":
        pieces.append(pause)
    return True


def syllables(spoken: str) -> int:
    """How many syllables a speakable text has (the r of erhua, 点儿 dian3 r5, is none)."""
    return sum(1 for s in _SPEAKABLE_SYLLABLE.findall(spoken) if s != "r5")
