"""Senses in context: the senses of a word ordered so that the first fits its use.

CC-CEDICT lists senses in no order of use (把 leads with "to hold a baby in position to
help it urinate", 座 with "seat", its classifier sense fifth). A card's first line must fit
the word as its example sentence uses it, so the senses of the chosen reading are ordered by
that use: a measure word after a count or a demonstrative (一座山, 两只猫, 这家店); a
function word's senses where jieba tags it a preposition, adverb, conjunction or particle
(把书还给我, 便, 而); a verb's senses ("to ...") for a verb; then common senses before
literary, archaic, dialect, slang and vulgar ones, and references ("variant of") last.
The same use picks the CC-CEDICT entry where one reading has several (隻 over 秖 after a
numeral), and the traditional form follows that entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .dictionary import is_reference_sense
from .models import NUMBER, PUNCT, SPACE, DictEntry, Reading

# Words after which a word is counted: 一座, 两只, 这家, 每位, 几个.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两几半")
_COUNTING = frozenset([*_NUMERALS, *"每这那哪某整各此该", "这些", "那些", "好几"])


def is_count_word(word: str) -> bool:
    """Does ``word`` count what follows: a numeral (两, 二十), an ordinal (第一), a
    demonstrative with or without a number (这, 那三)? Not a word that merely ends in
    one of their characters (应该, 因此, 统一)."""
    if not word:
        return False
    if word in _COUNTING or all(ch in _NUMERALS for ch in word):
        return True
    return word[0] in "第这那每哪" and all(ch in _NUMERALS for ch in word[1:])
_CLASSIFIER = re.compile(r"^(?:classifier|measure word)\b", re.IGNORECASE)
_VERB = re.compile(r"^to\b", re.IGNORECASE)
# What a function word's senses look like in CC-CEDICT: a grammatical note, or a
# preposition, adverb or conjunction in English.
_FUNCTION = re.compile(
    r"^\((?!literary|archaic|old|dialect|slang|vulgar|Cantonese|Tw|Taiwan|onom)"
    r"|particle|marker|\bindicat|\bintroduc"
    r"|^(?:towards?|for|at|when|while|in|on|by|from|with|according to|than|as|since"
    r"|because(?: of)?|and|but|or|if|then|only|just|already|also|still|even|again"
    r"|about|very|all|both|each|every|not|no|so|thus|therefore|whereas|yet|nevertheless"
    r"|will|shall|would|can|could|must|should|may|might|once|ever|never|always|often"
    r"|contrary to|actually|rather|instead|indeed|however|unexpectedly|equivalent to"
    r"|only then|just then|to (?:the|a)\b)\b",
    re.IGNORECASE,
)
# Senses a learner meets last: marked as literary, old, regional or rude.
_RARE = re.compile(
    r"\((?:literary|archaic|old|obsolete|classical|dialect|slang|vulgar|Cantonese|Taiwan|"
    r"Tw|Internet slang|derog\.|offensive|old usage|arch\.)\)|^(?:old|archaic|obsolete) ",
    re.IGNORECASE,
)
_FUNCTION_TAGS = ("p", "d", "c", "u", "r")
_MODAL = re.compile(r"^(?:will|shall|would|can|could|must|should|may|might)\b", re.I)
_VERB_MARKERS = frozenset("得了着著过過")


@dataclass(frozen=True)
class Use:
    """How a word is used in one sentence: jieba's tag, whether it is counted, and
    whether a noun or pronoun follows it (将妖收下: 将 marks the object, like 把)."""

    pos: str = ""
    counted: bool = False
    before_noun: bool = False


def use_of(readings: Sequence[Reading], index: int) -> Use:
    """The use of the token at ``index`` of ``readings`` (one sentence)."""
    tok = readings[index].token
    j = index - 1
    while j >= 0 and readings[j].token.kind == SPACE:
        j -= 1
    prev = readings[j].token if j >= 0 else None
    counted = prev is not None and prev.kind != PUNCT and (
        prev.kind == NUMBER or is_count_word(prev.simplified or prev.text)
    )
    k = index + 1
    while k < len(readings) and readings[k].token.kind == SPACE:
        k += 1
    following = readings[k].token.text if k < len(readings) else ""
    # 长得很高, 长了, 干着: a verb, whatever jieba's tag (it often says adjective).
    pos = "v" if following in _VERB_MARKERS else tok.pos
    next_pos = readings[k].token.pos if k < len(readings) else ""
    before_noun = next_pos.startswith(("n", "r")) and not next_pos.startswith("nr")
    return Use(pos, counted or tok.pos.startswith("q"), before_noun)


def _fits(sense: str, use: Use) -> bool:
    if use.counted:
        return bool(_CLASSIFIER.match(sense))
    if use.pos.startswith(_FUNCTION_TAGS):
        return bool(_FUNCTION.search(sense)) and not _VERB.match(sense)
    if use.pos.startswith("v"):
        return bool(_VERB.match(sense))
    if use.pos.startswith(("n", "a", "b", "t", "s", "f")):
        return not _VERB.match(sense) and not _CLASSIFIER.match(sense)
    return False


# Notes about the word rather than senses of it: "also pr. [san1 jin1]", "erhua variant".
_NOTE = re.compile(r"^(?:also pr\.|also written|erhua variant|abbr\. for|see also)", re.I)


def _tier(sense: str, use: Use | None) -> int:
    if is_reference_sense(sense) or _NOTE.match(sense):
        return 3
    if _RARE.search(sense):
        return 2
    if use is not None and _fits(sense, use):
        if use.before_noun and use.pos.startswith(("p", "d")) and _MODAL.match(sense):
            return 1  # 将 + noun marks an object here; "will" comes before a verb
        return 0
    return 1


def order_for_use(senses: Iterable[str], use: Use | None) -> tuple[str, ...]:
    """``senses`` with those that fit ``use`` first, rare and reference senses last; the
    dictionary's order otherwise (a stable sort)."""
    senses = list(dict.fromkeys(senses))
    return tuple(sorted(senses, key=lambda s: _tier(s, use)))


def rank_entries(entries: Sequence[DictEntry], use: Use | None) -> list[DictEntry]:
    """Entries of one reading, the one whose best sense fits ``use`` first (隻 "classifier
    for birds and certain animals" over 秖 "grain that has begun to ripen" after 两)."""

    def key(e: DictEntry) -> int:
        return min((_tier(s, use) for s in e.senses), default=4)

    return sorted(entries, key=key)


def entry_fits(entry: DictEntry, use: Use | None) -> bool:
    """Does one of ``entry``'s senses fit ``use`` (its traditional form is then the one)?"""
    return use is not None and any(_tier(s, use) == 0 for s in entry.senses)


def is_note(sense: str) -> bool:
    """A note about the word ("also pr. [san1 jin1]"), not a sense a card should show."""
    return bool(_NOTE.match(sense))
