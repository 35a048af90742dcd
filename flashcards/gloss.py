"""A clean gloss: CC-CEDICT's senses as plain English a learner reads at a glance.

CC-CEDICT writes cross-references as ``著|着[zhe5]`` (traditional|simplified[pinyin]),
grammar patterns as ``把[ba3] + {noun} + {verb}``, and notes such as ``also pr. [di4]``
inside senses. A card shows the referenced word in the deck's script with its pinyin (着
zhe), the pattern's slots as words, and no notes. The word itself never shows in its own
gloss: a recall card's front is the gloss, so the headword's characters become ～, and a
cross-reference sharing a syllable with the headword loses its pinyin. ``Meaning`` holds
the best one to three senses, about 80 characters at most; ``MoreMeanings`` the others.

Only the recall front needs the word hidden, and it shows ``Meaning`` alone: there a sense
loses the bracket or clause that names the word (亚洲 "Asia (abbr. for 亚细亚洲)" shows
"Asia"), and only a sense that is nothing but such a reference keeps ～ ("used in ～慨").
``MoreMeanings``, on the back only, shows every sense whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .tones import mark, normalise_u, reading_key

MEANING_CHARS = 80
MEANING_SENSES = 3

# trad|simp[pin yin] or word[pin yin]; the pinyin is CC-CEDICT's numbered spelling.
_CROSS_REF = re.compile(
    r"(?P<trad>[^\s\[\]|,;:()]+?)(?:\|(?P<simp>[^\s\[\]|,;:()]+?))?\[(?P<pinyin>[A-Za-z:0-9 ]+)\]"
)
_BARE_REF = re.compile(r"(?P<trad>[^\s\[\]|,;:()a-zA-Z]+)\|(?P<simp>[^\s\[\]|,;:()a-zA-Z]+)")
# A note about the word inside a sense: a whole bracket "(also written X)", or a clause of
# one "(sth, CL:...)" / "(…, also written X)" up to, not including, its closing bracket.
_NOTE_WORDS = r"(?:also pr\.|also written|Taiwan pr\.|old pr\.|coll\. pr\.|colloquial pr\.|CL:)"
_NOTE = re.compile(
    r"\s*\(\s*" + _NOTE_WORDS + r"[^()]*\)"
    r"|[,;]\s*" + _NOTE_WORDS + r"[^()]*?(?=\)|$)"
    r"|^" + _NOTE_WORDS + r"[^()]*$",
    re.IGNORECASE,
)
_SLOT = re.compile(r"\{([^{}]+)\}")
_BARE_PINYIN = re.compile(r"\[(?P<pinyin>[A-Za-z:]+[1-5](?: [A-Za-z:]+[1-5])*)\]")
_SPACES = re.compile(r"\s{2,}")


def clean_sense(
    sense: str, headword: Sequence[str], numbered: str, script: str, *, hide: bool = True
) -> str:
    """One sense as a card shows it (plain text, not yet HTML-escaped).

    ``headword`` holds the word's forms (simplified and traditional), ``numbered`` its
    reading, ``script`` the deck's script for cross-references; ``hide``: whether the
    word's characters become ～ and a cross-reference sharing its syllables loses its
    pinyin (for a card's front).
    """
    own_chars = {ch for form in headword for ch in form} if hide else set()
    own_syllables = {reading_key(s) for s in numbered.split()} if hide else set()

    def ref(m: re.Match) -> str:
        trad, simp = m.group("trad"), m.group("simp") or m.group("trad")
        word = trad if script == "traditional" else simp
        shown = "".join("～" if ch in own_chars else ch for ch in word)
        if "～" in shown:
            return shown
        pinyin = normalise_u(m.group("pinyin").lower())
        if {reading_key(s) for s in pinyin.split()} & own_syllables:
            return shown
        return f"{shown} ({mark(pinyin).replace(' ', '')})"

    # Measure words ("world (CL:個|个[ge4])") are in their own field.
    text = _NOTE.sub("", sense)
    text = _CROSS_REF.sub(ref, text)
    text = _BARE_REF.sub(
        lambda m: "".join(
            "～" if ch in own_chars else ch
            for ch in (m.group("trad") if script == "traditional" else m.group("simp"))
        ),
        text,
    )
    text = _BARE_PINYIN.sub(
        lambda m: "～"
        if {reading_key(x) for x in m.group("pinyin").lower().split()} & own_syllables
        else mark(normalise_u(m.group("pinyin").lower())).replace(" ", ""),
        text,
    )
    text = _SLOT.sub(r"\1", text)
    text = "".join("～" if ch in own_chars else ch for ch in text)
    text = _SPACES.sub(" ", text).strip(" ,;")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()  # CC-CEDICT's own stray bracket
    return text


# A bracket, or a clause after a comma or semicolon, that a word can be dropped with: the
# sense reads whole without it ("brass (alloy of copper 铜 and zinc)", "Tianjin, abbr. 津").
_BRACKETED = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)")
_CLAUSE = re.compile(r"[,;][^,;()]*$")


def front_sense(hidden: str) -> str:
    """``hidden`` (a sense rendered with ``hide=True``) without the brackets and trailing
    clauses where the word stood (～), for a recall front; as it is where that would leave
    nothing of it ("used in ～慨")."""
    if "～" not in hidden:
        return hidden
    text = hidden
    for m in reversed(list(_BRACKETED.finditer(text))):
        if "～" in m.group():
            text = text[: m.start()] + text[m.end() :]
    while "～" in text and (m := _CLAUSE.search(text)) and "～" in m.group():
        text = text[: m.start()]
    text = _SPACES.sub(" ", text).strip(" ,;")
    if not text or "～" in text or not re.search(r"[A-Za-z]{2}", text):
        return hidden
    return text


def split_gloss(senses: Sequence[str]) -> tuple[list[str], list[str]]:
    """(meaning, more): the first one to three senses within about 80 characters, and the
    rest. The first sense always goes in, however long."""
    meaning: list[str] = []
    length = 0
    for i, s in enumerate(senses):
        grown = length + len(s) + (2 if meaning else 0)
        if meaning and (len(meaning) >= MEANING_SENSES or grown > MEANING_CHARS):
            return meaning, list(senses[i:])
        meaning.append(s)
        length = grown
    return meaning, []
