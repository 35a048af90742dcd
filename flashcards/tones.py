"""Pinyin spelling: tone numbers to tone marks, and the tone of a syllable.

CC-CEDICT writes ü as ``u:`` and the neutral tone as 5; pypinyin writes ü as ``v`` or ``ü``.
Everything here accepts all three spellings and writes ``ü``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKS = {
    "a": "āáǎàa",
    "e": "ēéěèe",
    "i": "īíǐìi",
    "o": "ōóǒòo",
    "u": "ūúǔùu",
    "ü": "ǖǘǚǜü",
}
_SYLLABLE = re.compile(r"^([A-Za-zÜüÊê:]+?)([1-5])?$")
_UNMARK = {m: (base, tone + 1) for base, ms in _MARKS.items() for tone, m in enumerate(ms[:4])}
# Combining marks for letters with no precomposed form in every tone: syllabic m, n, ng
# (呣 m2 ḿ, 嗯 n2 ń, ng4 ǹg) and ê (欸 ê4 ề).
_COMBINING = {1: "\u0304", 2: "\u0301", 3: "\u030c", 4: "\u0300"}
_UNCOMBINING = {c: tone for tone, c in _COMBINING.items()}


def normalise_u(syllable: str) -> str:
    """Spell ü as ü whether it came as ``u:``, ``v`` or ``ü``."""
    return syllable.replace("u:", "ü").replace("U:", "Ü").replace("v", "ü").replace("V", "Ü")


@lru_cache(maxsize=1 << 16)
def reading_key(numbered: str) -> str:
    """A reading as compared for identity: lower case, ü spelt ü, single spaces.

    Zhang3 and zhang3 are one sound; CC-CEDICT's lu:3 and the pinyin stage's lü3 too.
    """
    return " ".join(normalise_u(s) for s in numbered.lower().split())


def tone_of(syllable: str) -> int:
    """The tone 1-5 of a numbered syllable; 5 (neutral) when it carries no number."""
    m = _SYLLABLE.match(syllable)
    if m and m.group(2):
        return int(m.group(2))
    for ch in syllable:
        if ch.lower() in _UNMARK:
            return _UNMARK[ch.lower()][1]
    return 5


@lru_cache(maxsize=1 << 16)
def mark_syllable(numbered: str) -> str:
    """``zhang3`` -> ``zhǎng``, ``lu:4`` -> ``lǜ``, ``de5`` -> ``de``, ``r5`` -> ``r``.

    Anything that is not a numbered syllable (``B``, ``·``) comes back unchanged.
    """
    m = _SYLLABLE.match(numbered)
    if not m:
        return numbered
    body, tone = normalise_u(m.group(1)), int(m.group(2) or 5)
    if tone == 5:
        return body
    lower = body.lower()
    # The standard rule: a and e take the mark; in "ou" the o does; otherwise the last vowel.
    if "a" in lower:
        pos = lower.index("a")
    elif "e" in lower:
        pos = lower.index("e")
    elif "ou" in lower:
        pos = lower.index("o")
    else:
        pos = max((i for i, c in enumerate(lower) if c in "iouü"), default=-1)
        if pos < 0:
            if lower in ("m", "n", "ng", "hm", "hng", "ê"):
                # 呣 m2 ḿ, 嗯 n2 ń, 欸 ê4 ề: the mark goes on the nasal (or ê) itself.
                at = 1 if lower.startswith("h") else 0
                combined = body[: at + 1] + _COMBINING[tone] + body[at + 1 :]
                return unicodedata.normalize("NFC", combined)
            return body  # r (the erhua 儿 r5), or not a syllable: nothing to mark
    marked = _MARKS[lower[pos]][tone - 1]
    if body[pos].isupper():
        marked = marked.upper()
    return body[:pos] + marked + body[pos + 1 :]


def mark(numbered: str) -> str:
    """Mark every syllable of a space-separated numbered reading."""
    return " ".join(mark_syllable(s) for s in numbered.split())


def numbered_syllable(marked_or_numbered: str) -> str:
    """``zhǎng`` -> ``zhang3``; a syllable with a number already keeps it (ü written ``ü``)."""
    s = normalise_u(marked_or_numbered)
    m = _SYLLABLE.match(s)
    if m and m.group(2):
        return s
    tone = 5
    out = []
    # Decomposed, so that ḿ, ń, ề and the like give up their combining mark; ü is rebuilt.
    for ch in unicodedata.normalize("NFD", s):
        base = _UNMARK.get(ch.lower())
        if base:
            tone = base[1]
            out.append(base[0].upper() if ch.isupper() else base[0])
        elif ch in _UNCOMBINING:
            tone = _UNCOMBINING[ch]
        elif ch == "\u0308" and out and out[-1] in "uU":
            out[-1] = "ü" if out[-1] == "u" else "Ü"
        elif ch == "\u0302" and out and out[-1] in "eE":
            out[-1] = "ê" if out[-1] == "e" else "Ê"
        else:
            out.append(ch)
    return "".join(out) + str(tone)


# A syllable starting with a, o or e takes an apostrophe after another syllable (Xī'ān).
VOWEL_INITIAL = re.compile(r"^[aeoāáǎàēéěèōóǒò]", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def written(numbered: str, capital: bool = False) -> str:
    """A word's pinyin as people write it: syllables marked and joined, an apostrophe
    before a, o or e after a syllable (xī'ān, píng'ān), a proper noun capitalised."""
    out = ""
    for k, syllable in enumerate(numbered.split()):
        marked = mark_syllable(syllable)
        out += ("'" if k and VOWEL_INITIAL.match(marked) else "") + marked
    return out[:1].upper() + out[1:] if capital else out
