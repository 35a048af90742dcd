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

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .dictionary import is_reference_sense
from .models import NUMBER, PUNCT, SPACE, DictEntry, Reading

# Words after which a word is counted: 一座, 两只, 这家, 每位, 几个.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两几半")
_APPROXIMATELY = frozenset("余餘多来來")
_COUNTING = frozenset([*_NUMERALS, *"每这那哪某整各此该", "这些", "那些", "好几"])


@lru_cache(maxsize=65536)
def is_count_word(word: str) -> bool:
    """Does ``word`` count what follows: a numeral (两, 二十), an ordinal (第一), a
    demonstrative with or without a number (这, 那三)? Not a word that merely ends in
    one of their characters (应该, 因此, 统一)."""
    if not word:
        return False
    if word in _COUNTING or all(ch in _NUMERALS for ch in word):
        return True
    if len(word) > 1 and word[-1] in _APPROXIMATELY and all(ch in _NUMERALS for ch in word[:-1]):
        return True  # 百余骑, 十多个, 二十来岁
    return word[0] in "第这那每哪" and all(ch in _NUMERALS for ch in word[1:])
_CLASSIFIER = re.compile(r"^(?:classifier|measure word)\b|\bunit of\b", re.IGNORECASE)
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
    """How a word is used in one sentence: jieba's tag, whether it is counted, whether a
    noun or pronoun follows it (将妖收下: 将 marks the object, like 把), whether it follows
    a verb (劝好了), ends a clause (又回来了。), comes before a measure word or a numeral
    (数瓶, 几十亿), and whether the sentence asks a question."""

    pos: str = ""
    counted: bool = False
    before_noun: bool = False
    after_verb: bool = False
    clause_final: bool = False
    before_measure: bool = False
    question: bool = False
    after_word: bool = False


def _skip_space(readings: Sequence[Reading], k: int, step: int) -> int:
    """The index of the first token from ``k`` on (by ``step``) that is no white space."""
    while 0 <= k < len(readings) and readings[k].token.kind == SPACE:
        k += step
    return k


def _token(readings: Sequence[Reading], k: int):
    return readings[k].token if 0 <= k < len(readings) else None


def use_of(readings: Sequence[Reading], index: int, question: bool | None = None) -> Use:
    """The use of the token at ``index`` of ``readings`` (one sentence); ``question``:
    whether the sentence asks (:func:`asks`), when the caller already knows."""
    tok = readings[index].token
    j = _skip_space(readings, index - 1, -1)
    prev = _token(readings, j)
    counted = prev is not None and _counts(prev)
    if prev is not None and not counted and prev.text in _APPROXIMATELY and j > 0:
        counted = _counts(readings[j - 1].token)  # 三十 餘 騎: a number, then "and more"
    k = _skip_space(readings, index + 1, 1)
    next_token = _token(readings, k)
    following = next_token.text if next_token is not None else ""
    # 长得很高, 长了, 干着: a verb, whatever jieba's tag (it often says adjective).
    pos = "v" if following in _VERB_MARKERS else tok.pos
    next_pos = next_token.pos if next_token is not None else ""
    before_noun = next_pos.startswith(("n", "r")) and not next_pos.startswith("nr")
    # A verbal noun before a noun names a thing (行动纪念馆); a verb after an adjective is
    # one too (新冷战): a noun's senses, not a verb's.
    after_adjective = prev is not None and prev.pos == "a"
    if (pos == "vn" and before_noun) or (
        pos.startswith("v") and after_adjective and following not in _VERB_MARKERS
    ):
        pos = "n"
    before_measure = next_token is not None and (
        next_token.kind == NUMBER
        or next_pos.startswith("q")
        or (next_pos.startswith("m") and all(ch in _NUMERALS for ch in next_token.text))
    )
    return _use(
        pos,
        counted or tok.pos.startswith("q"),
        before_noun,
        # jieba tags many verbs adjectives (落实好): either may take a complement.
        after_verb=prev is not None and prev.kind != PUNCT and prev.pos.startswith(("v", "a")),
        clause_final=_clause_final(readings, k),
        before_measure=before_measure,
        question=asks(readings) if question is None else question,
        after_word=prev is not None and prev.kind != PUNCT,
    )


def _clause_final(readings: Sequence[Reading], k: int) -> bool:
    """Does the sentence end at token ``k`` (the one after the word): nothing, or at most
    two punctuation marks, one of them a sentence's end? Before a comma, 了 still marks a
    completed action (才来了，就…)."""
    first = _token(readings, k)
    if first is None:
        return True
    if first.kind != PUNCT:
        return False
    second = _token(readings, _skip_space(readings, k + 1, 1))
    if second is None:
        return True  # one punctuation mark, then the end
    if second.kind != PUNCT:
        return False
    return any(ch in _SENTENCE_ENDS for ch in first.text + second.text)


# A text has a few hundred distinct uses: each made once, not once a token.
_use = lru_cache(maxsize=4096)(Use)


_SENTENCE_ENDS = frozenset("。！？!?…；;")


def _counts(token) -> bool:
    return token.kind != PUNCT and (
        token.kind == NUMBER or is_count_word(token.simplified or token.text)
    )

_QUESTION_PARTICLES = frozenset(["吗", "嗎", "么", "麼", "呢"])


def asks(readings: Sequence[Reading]) -> bool:
    """Does the sentence ask something: a question mark, or a question particle before
    its last punctuation?"""
    texts = [r.token.text for r in readings if r.token.kind != SPACE]
    if any("?" in t or "？" in t for t in texts):
        return True
    while texts and readings and texts[-1] and all(not ch.isalnum() for ch in texts[-1]):
        texts.pop()
    return bool(texts) and texts[-1] in _QUESTION_PARTICLES


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


# A particle's senses for the end of a clause or sentence; a complement's after a verb;
# a quantity word's before a measure word; senses that ask, which fit only a question.
_CLAUSE_FINAL = re.compile(r"\bend of\b|\bmodal particle\b|\bsentence-final\b", re.I)
_COMPLEMENT = re.compile(r"\bcomplement\b|^\(after (?:a )?verb", re.I)
_QUANTITY = re.compile(r"^(?:several|a few|some|a number of|many|various)\b", re.I)
_POSITION = re.compile(
    r"^(?:\(\w+ suffix\) )?(?:within|in|inside|among|amid|during|on|under|above|below|after"
    r"|before|behind|in front of|outside|beside)\b",
    re.I,
)
_OBJECT_MARKER = re.compile(r"\bobject\b.*\b(?:verb|object)\b|\bin the same way as 把", re.I)
_ASKING = re.compile(r"^(?:how|what|which|who|why)\b(?!ever)|\?$", re.I)


def _construction(sense: str, use: Use) -> int:
    """0 for a sense that the word's place in the sentence calls for, 2 for one it rules
    out, 1 where its place says nothing."""
    if use.clause_final and use.pos.startswith(("u", "y")) and _CLAUSE_FINAL.search(sense):
        return 0
    if use.after_verb and _COMPLEMENT.search(sense):
        return 0
    if use.pos.startswith("f") and use.after_word and _POSITION.match(sense):
        return 0  # 会晤中, 宴会厅里: a place word after what it places
    if use.before_noun and use.pos.startswith(("p", "d")) and _OBJECT_MARKER.search(sense):
        return 0  # 将妖收下, 把书还给我: the preposition that moves the object forward
    if use.before_measure and not use.question and _QUANTITY.match(sense):
        return 0
    if not use.question and _ASKING.search(sense):
        return 2
    if not use.counted and _CLASSIFIER.match(sense):
        return 2  # 本次, 个人: no number counts it here
    return 1


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


def _rank(sense: str, use: Use | None, everyday: str | None = None) -> tuple[int, int, int, int]:
    # Rare and reference senses stay last whatever the place; among the others, what the
    # construction calls for comes before what the part of speech fits, and the everyday
    # sense before the others that fit as well.
    tier = _tier(sense, use)
    placed = _construction(sense, use) if use is not None else 1
    if tier >= 2:
        return (1, tier, placed, 1)
    return (0, placed, tier, 0 if sense == everyday else 1)


def order_for_use(
    senses: Iterable[str], use: Use | None, everyday: str | None = None
) -> tuple[str, ...]:
    """``senses`` with those that fit ``use`` first (``everyday``, the sense a learner's
    dictionary gives first, first among them), rare and reference senses last; the
    dictionary's order otherwise (a stable sort)."""
    senses = list(dict.fromkeys(senses))
    return tuple(sorted(senses, key=lambda s: _rank(s, use, everyday)))


@cache
def _everyday_senses() -> dict[str, str]:
    text = resources.files("flashcards").joinpath(f"data/{EVERYDAY_FILE}").read_text("utf-8")
    table = json.loads(text)
    return {key: value for key, value in table.items() if not key.startswith("_")}


EVERYDAY_FILE = "everyday_senses.json"


def everyday_sense(simplified: str, numbered: str) -> str | None:
    """The sense of a frequent word in one reading that a learner should meet first ("for"
    for 为 wei4, "place" for 地方 di4 fang5), where CC-CEDICT's order and the word's use in
    its sentence leave it open; our own labels (data/everyday_senses.json)."""
    return _everyday_senses().get(f"{simplified} {numbered.lower()}")


def rank_entries(entries: Sequence[DictEntry], use: Use | None) -> list[DictEntry]:
    """Entries of one reading, the one whose best sense fits ``use`` first (隻 "classifier
    for birds and certain animals" over 秖 "grain that has begun to ripen" after 两)."""

    def key(e: DictEntry) -> tuple[int, int, int, int]:
        return min((_rank(s, use) for s in e.senses), default=(2, 4, 4, 1))

    return sorted(entries, key=key)


def entry_fits(entry: DictEntry, use: Use | None) -> bool:
    """Does one of ``entry``'s senses fit ``use`` (its traditional form is then the one)?"""
    return use is not None and any(_rank(s, use)[:3] == (0, 0, 0) for s in entry.senses)


def is_note(sense: str) -> bool:
    """A note about the word ("also pr. [san1 jin1]"), not a sense a card should show."""
    return bool(_NOTE.match(sense))
