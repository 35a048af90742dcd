"""Segmentation: jieba's words, aligned with CC-CEDICT, with names and non-words flagged.

jieba and CC-CEDICT disagree about what a word is: jieba keeps 两个, 这是, 很多, 第一个
whole, and a learner can look none of them up. A Han token that CC-CEDICT does not know is
split into the longest dictionary words it contains (两 个, 这 是, 第一 个), down to single
characters. Names are the exception: a person's name jieba found (莫耶) is kept whole and
flagged, never cut into characters that would then be taught as words.

Traditional input is segmented through its simplified form (jieba's dictionary is
simplified), and every token keeps the text exactly as the input wrote it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from .dictionary import Dictionary
from .han import HAN_RUN, has_han
from .models import HAN, LATIN, NUMBER, PUNCT, SPACE, SYMBOL, Sentence, Token

ENV_SEGMENTER = "FLASHCARDS_SEGMENTER"
SEGMENTERS = ("jieba", "rjieba")

# What stands between Han runs, cut into tokens: Latin runs keep digits and inner hyphens
# (B-25, COP28, covid-19), numbers keep their decimal point, thousands separator and percent.
_NON_HAN = re.compile(
    r"(?P<latin>[A-Za-z][A-Za-z0-9]*(?:[-'.][A-Za-z0-9]+)*)"
    r"|(?P<number>[0-9]+(?:[.,][0-9]+)*%?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
# jieba's tags for person (nr, nrfg, nrt), place (ns) and organisation (nt) names.
_PROPER_TAGS = ("nr", "ns", "nt")
_NUMERAL_CHARS = set("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
_MAX_WORD = 8


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """The simplified form of ``text``, character for character (same length).

    OpenCC converts by phrase and could in principle change a length; offsets into the
    input must stay valid, so such a phrase falls back to converting one character at a time.
    """
    if not has_han(text):
        return text
    convert = _to_simplified()
    out = convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def segmenter_name(name: str | None = None) -> str:
    """The backend to use: the one named, else $FLASHCARDS_SEGMENTER, else "auto".

    "auto" is rjieba where it is installed (``pip install 'flashcards[fast]'``): the same
    dictionary and tags as jieba, about seven times faster on long texts; jieba otherwise.
    """
    chosen = name or os.environ.get(ENV_SEGMENTER) or "auto"
    if chosen == "auto":
        return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"
    if chosen not in SEGMENTERS:
        from .errors import FlashcardsError

        raise FlashcardsError(
            f"unknown segmenter {chosen!r}; choose one of: auto, {', '.join(SEGMENTERS)}"
        )
    return chosen


@lru_cache(maxsize=2)
def _tagger(name: str):
    """A function from a Han run to (word, tag) pairs."""
    if name == "rjieba":
        try:
            import rjieba
        except ImportError:
            from .errors import FlashcardsError

            raise FlashcardsError(
                "the rjieba segmenter is not installed (pip install 'flashcards[fast]')"
            ) from None
        return lambda text: rjieba.tag(text)
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return lambda text: [(p.word, p.flag) for p in jieba.posseg.cut(text)]


def split_by_dictionary(word: str, dictionary: Dictionary) -> list[str]:
    """Cut ``word`` into the longest CC-CEDICT words, left to right; characters at worst."""
    pieces = []
    i = 0
    while i < len(word):
        for j in range(min(len(word), i + _MAX_WORD), i, -1):
            if j - i == 1 or word[i:j] in dictionary:
                pieces.append(word[i:j])
                i = j
                break
    return pieces


def _is_numeral(word: str) -> bool:
    return len(word) > 1 and all(ch in _NUMERAL_CHARS for ch in word)


def _piece_tag(tag, piece: str, whole: str) -> str:
    """The tag jieba gives a piece of a split word on its own (地 of 地问 is not a noun)."""
    tagged = tag(piece)
    return (tagged[0][1] or whole) if len(tagged) == 1 else whole


def _merge_numeral_tokens(tokens: list[Token]) -> list[Token]:
    """Join runs of numeral tokens (二十 六, 二 〇 二三) into one number token."""
    out: list[Token] = []
    run: list[Token] = []
    for tok in tokens + [None]:
        if tok is not None and all(ch in _NUMERAL_CHARS for ch in tok.simplified):
            run.append(tok)
            continue
        if len(run) > 1:
            first = run[0]
            out.append(
                Token(
                    text="".join(t.text for t in run),
                    kind=NUMBER,
                    sentence=first.sentence,
                    start=first.start,
                    simplified="".join(t.simplified for t in run),
                    pos="m",
                )
            )
        else:
            out.extend(run)
        run = []
        if tok is not None:
            out.append(tok)
    return out


def _non_han_kind(text: str, group: str) -> str:
    if group in ("latin", "number", "space"):
        return {"latin": LATIN, "number": NUMBER, "space": SPACE}[group]
    cat = unicodedata.category(text)
    if cat.startswith("P"):
        return PUNCT
    if cat == "Nd":  # digits of other scripts
        return NUMBER
    if cat.startswith("L"):
        return LATIN  # letters of other scripts: not words to learn either
    return SYMBOL


def _han_tokens(
    original: str, simplified: str, offset: int, sentence: int, dictionary: Dictionary, tag
) -> Iterator[Token]:
    pos = 0
    for word, flag in tag(simplified):
        start = pos
        pos += len(word)
        flag = flag or ""
        proper_tag = flag.startswith(_PROPER_TAGS)
        if word in dictionary:
            pieces = [word]
        elif proper_tag:
            # An unknown name stays whole unless it is made of dictionary words (美国空军).
            split = split_by_dictionary(word, dictionary)
            pieces = split if all(len(p) > 1 for p in split) else [word]
        else:
            pieces = split_by_dictionary(word, dictionary)
        p_start = start
        for piece in pieces:
            piece_flag = flag if len(pieces) == 1 else _piece_tag(tag, piece, flag)
            known = piece in dictionary
            if known:
                proper = dictionary.is_proper_only(piece) or (
                    proper_tag and piece == word and not dictionary.common_readings(piece)
                )
            else:
                proper = proper_tag
            kind = NUMBER if (not known and _is_numeral(piece)) else HAN
            yield Token(
                text=original[p_start : p_start + len(piece)],
                kind=kind,
                sentence=sentence,
                start=offset + p_start,
                simplified=piece,
                pos=piece_flag,
                proper=proper,
                in_dictionary=known,
            )
            p_start += len(piece)


def segment_text(
    text: str,
    dictionary: Dictionary,
    *,
    sentence: int = 0,
    segmenter: str | None = None,
) -> tuple[Token, ...]:
    """Every token of ``text``: Han words, numbers, Latin runs, punctuation, symbols, space."""
    tag = _tagger(segmenter_name(segmenter))
    simplified = to_simplified(text)
    tokens: list[Token] = []
    pos = 0
    for m in HAN_RUN.finditer(simplified):
        tokens.extend(_other_tokens(text, pos, m.start(), sentence))
        han = _han_tokens(
            text[m.start() : m.end()], m.group(), m.start(), sentence, dictionary, tag
        )
        tokens.extend(_merge_numeral_tokens(list(han)))
        pos = m.end()
    tokens.extend(_other_tokens(text, pos, len(text), sentence))
    return tuple(_flag_name_parts(tokens))


# The dots that join the parts of a transliterated name: 罗伯特·雷, 比尔·盖茨.
_NAME_DOTS = {"·", "・", "•", "‧"}


# Words that follow a person's name, and the tags of characters that may stand in a
# transliterated name jieba did not recognise (舒/zg 默/z 先生): not verbs, adverbs,
# particles, pronouns, numerals or measure words, which end the name going backwards.
_TITLES = frozenset(
    "先生 女士 夫人 小姐 太太 夫妇 博士 教授 总统 总理 主席 州长 市长 部长 议员 参议员 "
    "众议员 大使 将军 书记".split()
)
_NAME_CHAR_TAGS = ("z", "g", "n", "x", "j", "k", "h")


def _name_before(tokens: list[Token], title: int) -> list[int] | None:
    """The 2 or 3 single characters right before a title that make up an unknown name."""
    run: list[int] = []
    j = title - 1
    while j >= 0 and len(run) < 4:
        tok = tokens[j]
        if tok.kind != HAN or len(tok.text) != 1 or tok.proper:
            break
        if not tok.pos.startswith(_NAME_CHAR_TAGS) or tok.pos.startswith("nr"):
            break
        run.append(j)
        j -= 1
    return run if 2 <= len(run) <= 3 else None


def _flag_name_parts(tokens: list[Token]) -> list[Token]:
    """Flag the pieces of names that jieba cut apart, so they are not taught as words.

    A Han token next to a name dot is part of a name (雷 in 罗伯特·雷); so is a single
    character jieba tagged as a name part when it touches a name (德 沃 切克 in 德沃切克,
    永 in 吕梁市永聚煤矿). Flags spread from known names only, so 中 and 美 stay words.
    """
    for i, tok in enumerate(tokens):
        if tok.kind == HAN and tok.simplified in _TITLES:
            run = _name_before(tokens, i)
            if run is not None:
                for j in run:
                    tokens[j] = replace(tokens[j], proper=True)
    changed = True
    while changed:
        changed = False
        for i, tok in enumerate(tokens):
            if tok.kind != HAN or tok.proper:
                continue
            neighbours = [tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
            by_dot = any(n.text in _NAME_DOTS for n in neighbours)
            by_name = (
                len(tok.text) == 1
                and tok.pos.startswith(_PROPER_TAGS)
                and any(n.kind == HAN and n.proper for n in neighbours)
            )
            if by_dot or by_name:
                tokens[i] = replace(tok, proper=True)
                changed = True
    return tokens


def _other_tokens(text: str, start: int, end: int, sentence: int) -> Iterator[Token]:
    for m in _NON_HAN.finditer(text, start, end):
        yield Token(
            text=m.group(),
            kind=_non_han_kind(m.group(), m.lastgroup or "other"),
            sentence=sentence,
            start=m.start(),
        )


def segment_sentence(
    sentence: Sentence, dictionary: Dictionary, *, segmenter: str | None = None
) -> tuple[Token, ...]:
    return segment_text(sentence.text, dictionary, sentence=sentence.index, segmenter=segmenter)
