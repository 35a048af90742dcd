"""Segmentation: jieba's words, aligned with CC-CEDICT, with names and non-words flagged.

jieba and CC-CEDICT disagree about what a word is. A reader accepts, in this order:

1. jieba's word where CC-CEDICT has it, or where the user's word list (``--user-dict``,
   jieba's format) names it;
2. a token CC-CEDICT lacks (两个, 十分钟, 多万人次, 小女孩) cut by the most probable path
   over dictionary words, with word frequencies from wordfreq, after a leading numeral is
   cut off: 十 分钟, not the longest match first 十分 钟; 小 女孩, not 小女 孩;
3. a unit and a place word jieba glued after a number cut apart (158 年 前, 3 个 人);
4. dictionary words jieba split, joined where the text makes the joined word far more
   likely than its pieces (中 美 -> 中美, 零 和 -> 零和), never across a particle or a name.

Names: a person's name jieba found (莫耶, 贾宝玉) is kept whole and flagged, never cut into
characters taught as words. A word on an HSK list, or one CC-CEDICT gives a lower-case
reading, is never a name whatever jieba's tag; nor is a place or an organisation CC-CEDICT
knows (中国, 北京, 联合国): those are carded, tagged as proper nouns later. A token jieba's
HMM glued together (天同寿 of 与天同寿) that looks like no name is cut into the words in it.

Traditional input is segmented through its simplified form (jieba's dictionary is
simplified), and every token keeps the text exactly as the input wrote it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .dictionary import Dictionary
from .errors import FlashcardsError
from .han import HAN_RUN, has_han
from .levels import on_hsk_list, zipf_frequency
from .models import HAN, LATIN, NUMBER, PUNCT, SPACE, SYMBOL, Sentence, Token

ENV_SEGMENTER = "FLASHCARDS_SEGMENTER"
ENV_USER_DICT = "FLASHCARDS_USER_DICT"
# One backend: rjieba cut 都会, 长得 and others differently, so two machines built
# different decks from one text. "auto" is kept so that old scripts and recipes still work.
SEGMENTERS = ("jieba",)

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
_PERSON_TAG = "nr"
_MAX_WORD = 8
# Tags of words a joined word may not swallow: particles (的 了 地 得), interjections,
# onomatopoeia, modal particles, suffixes. 说的话 is 说 的 话, not 说 的话; 孩子 们.
_NO_JOIN_TAGS = ("u", "e", "y", "o", "x", "w", "k")
# Tags of words that govern what follows (prepositions, pronouns, adverbs): the join step
# never makes 把 门 into 把门 "guard the gate" (jieba's own 把门 token stays, though). A
# pronoun or adverb may end a word: 三 更 is 三更 "the third watch".
_GOVERNING_TAGS = ("p", "r", "d")
# How much more likely (log10) a joined word wordfreq knows must be than its pieces apart:
# 在家 4.6 against 在 6.8 + 家 5.8 gains 0.9 and is joined.
JOIN_MARGIN = 0.8
# Tags of a piece that make a word wordfreq has not seen worth joining: a numeral, a place
# or a body's abbreviation (美 of 中美 is ns).
_BOUND_TAGS = ("m", "ns", "nt", "j")
# log10 probability of a dictionary word wordfreq has never seen, and of a character that
# is no dictionary word at all: paths through them lose to paths through known words.
_UNSEEN_WORD = -8.5
_UNKNOWN_CHAR = -10.0
_KNOWN_WORD_BONUS = 1.0


@dataclass(frozen=True)
class BoundaryRules:
    """``data/segmentation.json``: what numerals, units and names look like."""

    numerals: frozenset[str]
    approximate: frozenset[str]  # 多 余 几 with a number: "more than", "some"
    after_name: frozenset[str]  # what jieba's HMM glues to a name: 凤姐笑 is 凤姐 笑
    units: frozenset[str]
    after_unit: frozenset[str]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    transliteration: frozenset[str]
    titles: frozenset[str]
    address_titles: frozenset[str]
    ranks: frozenset[str]
    kin_after_rank: frozenset[str]
    potential_complements: frozenset[str]  # 到 of 猜得到: V 得 X, not V 得X
    glue_first: frozenset[str]  # 诸 of 诸军: no name starts with it
    glue_last: frozenset[str]  # 遂 of 卓遂: what the HMM glues after a name
    modal_verbs: frozenset[str]  # 会 of 会得到: then 得到 is 'to obtain'
    whole_counts: frozenset[str]  # 一点, 一些: a count whose word is what it counts


@lru_cache(maxsize=1)
def boundary_rules() -> BoundaryRules:
    text = resources.files("flashcards").joinpath("data/segmentation.json").read_text("utf-8")
    data = json.loads(text)
    return BoundaryRules(
        numerals=frozenset(data["numerals"]),
        approximate=frozenset(data["approximate"]),
        after_name=frozenset(data["after_name"]),
        units=frozenset(data["units"]),
        after_unit=frozenset(data["after_unit"]),
        surnames=frozenset(data["surnames"]),
        compound_surnames=frozenset(data["compound_surnames"]),
        transliteration=frozenset(data["transliteration"]),
        titles=frozenset(data["name_titles"]),
        # Whatever follows a name follows a surname too (王先生, 王大使).
        address_titles=frozenset(data["name_titles"]) | frozenset(data["address_titles"]),
        ranks=frozenset(data["ranks"]),
        kin_after_rank=frozenset(data["kin_after_rank"]),
        potential_complements=frozenset(data["potential_complements"]),
        glue_first=frozenset(data["glue_first"]),
        glue_last=frozenset(data["glue_last"]),
        modal_verbs=frozenset(data["modal_verbs"]),
        whole_counts=frozenset(data["whole_counts"]),
    )


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=1)
def traditional_converter():
    """OpenCC's simplified-to-traditional conversion, by phrase (干净 乾淨, 干涉 干涉)."""
    import opencc

    return opencc.OpenCC("s2t").convert


def _same_length(convert, text: str) -> str:
    """``convert(text)``, character for character where a phrase would change the length:
    offsets into the text must stay valid."""
    if not has_han(text):
        return text
    out = convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def to_simplified(text: str) -> str:
    """The simplified form of ``text``, character for character (same length)."""
    return _same_length(_to_simplified(), text)


def to_traditional(text: str) -> str:
    """The traditional form of ``text``, character for character (same length)."""
    return _same_length(traditional_converter(), text)


def segmenter_name(name: str | None = None) -> str:
    """The backend: jieba. ``auto`` (the old default) means jieba too."""
    chosen = name or os.environ.get(ENV_SEGMENTER) or "auto"
    if chosen in ("auto", "jieba"):
        return "jieba"
    if chosen == "rjieba":
        raise FlashcardsError(
            "the rjieba segmenter was dropped: it cut some words unlike jieba, so decks "
            "depended on what was installed; use jieba (the default)"
        )
    raise FlashcardsError(f"unknown segmenter {chosen!r}; choose one of: auto, jieba")


@dataclass(frozen=True)
class _Jieba:
    """jieba's POS tagger, with a user's word list where one was given."""

    tag: object  # text -> [(word, flag)]
    freq: dict  # jieba's word frequencies: a word absent here was made by its HMM
    tags: dict  # jieba's word -> tag table
    user_words: frozenset[str]


def resolve_user_dict(path: str | os.PathLike[str] | None) -> str | None:
    """The user word list to load: the one given, else $FLASHCARDS_USER_DICT, else none."""
    chosen = path or os.environ.get(ENV_USER_DICT)
    if not chosen:
        return None
    p = Path(chosen).expanduser()
    if not p.is_file():
        raise FlashcardsError(f"user dictionary not found: {p}")
    return str(p.resolve())


def _read_user_dict(path: str) -> list[tuple[str, str | None, str | None]]:
    """jieba's user dictionary format: ``word [frequency] [tag]`` a line, UTF-8."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise FlashcardsError(f"user dictionary {path} is not UTF-8 text") from None
    except OSError as exc:
        raise FlashcardsError(f"cannot read user dictionary {path}: {exc.strerror}") from None
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit() and len(parts) == 3):
            raise FlashcardsError(f"user dictionary {path}, line {n}: expected 'word [freq] [tag]'")
        word = parts[0]
        freq = next((p for p in parts[1:] if p.isdigit()), None)
        tag = next((p for p in parts[1:] if not p.isdigit()), None)
        rows.append((to_simplified(word), freq, tag))
    return rows


class _Lookup:
    """jieba's word frequencies or word tags, read through the cutter's shards."""

    def __init__(self, get) -> None:
        self.get = get


@lru_cache(maxsize=4)
def _jieba(user_dict: str | None) -> _Jieba:
    from .postagger import PosCutter

    if user_dict is None:
        cutter = PosCutter.cached()
        words: frozenset[str] = frozenset()
    else:
        # jieba's own tables, with the user's words added as jieba adds them; a tokenizer
        # of its own, so that one build's word list never leaks into another.
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        tokenizer.tokenizer.initialize()
        rows = _read_user_dict(user_dict)
        for word, freq, tag in rows:
            tokenizer.tokenizer.add_word(word, int(freq) if freq else None, tag)
            if tag:
                tokenizer.word_tag_tab[word] = tag
        words = frozenset(w for w, _, _ in rows)
        cutter = PosCutter.from_jieba(
            tokenizer.tokenizer.FREQ, tokenizer.tokenizer.total, tokenizer.word_tag_tab
        )
    return _Jieba(cutter.cut, _Lookup(cutter.freq), _Lookup(cutter.tag), words)


@lru_cache(maxsize=8)
def _segmenter(segmenter: str | None, user_dict: str | None) -> _Jieba:
    """The tokenizer for one set of options (the environment's already folded in),
    resolved once rather than for every sentence."""
    segmenter_name(segmenter)
    return _jieba(resolve_user_dict(user_dict))


def _log_prob(word: str, dictionary: Dictionary | None) -> float:
    """log10 of the word's share of running text, as the path search scores it.

    wordfreq counts Chinese through a jieba cut, so a dictionary word jieba always splits
    (中美, 碳中和) has no count there: it is scored as its characters together, and a
    little better, since a dictionary has it as a word.
    """
    z = zipf_frequency(word)
    if z > 0:
        return z - 9
    if len(word) > 1:
        return sum(_log_prob(ch, dictionary) for ch in word) + _KNOWN_WORD_BONUS
    known = dictionary is None or word in dictionary
    return _UNSEEN_WORD if known else _UNKNOWN_CHAR


def split_by_dictionary(
    word: str, dictionary: Dictionary, after_number: bool = False
) -> list[str]:
    """Cut ``word`` into the most probable sequence of CC-CEDICT words, characters at worst.

    A run of numerals that counts is cut off first: two or more (十几 个), or 多 余 几 right
    after a number (500 多万 人次, where 多 万人 次 would win on frequencies alone). One
    numeral is left to the path search (两国 人民, 十 分钟; 多少 年来).
    """
    rules = boundary_rules()
    counting = rules.numerals | rules.approximate
    k = 0
    while k < len(word) - 1 and word[k] in counting:
        k += 1
    if k > 1 or (k == 1 and after_number and word[0] in rules.approximate):
        return [*_best_path(word[:k], dictionary), *_best_path(word[k:], dictionary)]
    return _best_path(word, dictionary)


@lru_cache(maxsize=65536)
def _best_path_cached(word: str, dictionary: Dictionary) -> tuple[str, ...]:
    n = len(word)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("-inf"), 0)] * n
    for j in range(1, n + 1):
        for i in range(max(0, j - _MAX_WORD), j):
            piece = word[i:j]
            if j - i > 1 and (piece not in dictionary or _marginal(piece, dictionary)):
                continue
            score = best[i][0] + _log_prob(piece, dictionary)
            # Ties go to the longer last word: deterministic, and fewer pieces.
            if score > best[j][0]:
                best[j] = (score, i)
    pieces = []
    j = n
    while j > 0:
        i = best[j][1]
        pieces.append(word[i:j])
        j = i
    return tuple(reversed(pieces))


def _best_path(word: str, dictionary: Dictionary) -> list[str]:
    return list(_best_path_cached(word, dictionary))


def _is_numeral(word: str) -> bool:
    return len(word) > 1 and all(ch in boundary_rules().numerals for ch in word)



def _merge_numeral_tokens(tokens: list[Token]) -> list[Token]:
    """Join runs of numeral tokens (二十 六, 二 〇 二三) into one number token."""
    numerals = boundary_rules().numerals
    out: list[Token] = []
    run: list[Token] = []
    for tok in tokens + [None]:
        if tok is not None and all(ch in numerals for ch in tok.simplified):
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


@lru_cache(maxsize=16384)
def never_a_name(word: str, dictionary: Dictionary) -> bool:
    """A word on an HSK list, or one CC-CEDICT reads in lower case (太尉, 菩萨)."""
    return bool(
        on_hsk_list(word) or dictionary.common_readings(word)
    )


def _looks_like_a_name(word: str) -> bool:
    """Does a token no dictionary knows have the shape of a name: a surname and one or two
    characters (王熙凤), or mostly the characters of transliterations (德沃切克)?"""
    rules = boundary_rules()
    if 2 <= len(word) <= 3 and word[0] in rules.surnames:
        return True
    if 3 <= len(word) <= 4 and word[:2] in rules.compound_surnames:
        return True
    foreign = sum(ch in rules.transliteration for ch in word)
    return len(word) >= 2 and foreign * 3 >= len(word) * 2


@dataclass
class _Piece:
    """A token in the making: the simplified text, its tag, and how it came about."""

    word: str
    flag: str
    whole: bool  # as jieba cut it (not a piece of a split token)
    name: bool = False


def _pieces(
    tagged: list[tuple[str, str]], dictionary: Dictionary, jb: _Jieba, starts_after_number: bool
) -> list[_Piece]:
    """jieba's (word, tag) pairs aligned with the dictionary: steps 1 and 2 and names."""
    out: list[_Piece] = []
    for word, flag in tagged:
        flag = flag or ""
        if (word in dictionary and not _marginal(word, dictionary)) or word in jb.user_words:
            name = False
            if word not in jb.user_words or flag.startswith(_PROPER_TAGS):
                name = _dictionary_name(word, flag, dictionary, jb)
            out.append(_Piece(word, flag, True, name))
            continue
        if flag.startswith(_PROPER_TAGS):
            out.extend(_unknown_name(word, flag, dictionary, jb))
            continue
        after_number = (not out and starts_after_number) or bool(out and _is_counted(out[-1]))
        split = split_by_dictionary(word, dictionary, after_number)
        if out and _joinable(out[-1]) and len(split) > 1:
            # jieba may have cut the word before too early: 负责 任地 is 负责任 地.
            before = out[-1].word
            again = _best_path(before + word, dictionary)
            if len(again[0]) > len(before):
                out.pop()
                split = again
        out.extend(
            _Piece(p, flag if len(split) == 1 else jb.tags.get(p, flag), len(split) == 1)
            for p in split
        )
    return out


_MARGINAL_SENSE = re.compile(r"^\((?:slang|Internet slang|dialect|vulgar)\)", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _marginal(word: str, dictionary: Dictionary) -> bool:
    """A dictionary word running text never uses as such: wordfreq has not seen it and
    every sense is slang or dialect (我去 "(slang) what the...!" in 我去过西安)."""
    if len(word) < 2 or zipf_frequency(word) > 0:
        return False
    senses = [s for e in dictionary.lookup(word) for s in e.senses]
    return bool(senses) and all(_MARGINAL_SENSE.match(s) for s in senses)


def _is_counted(p: _Piece) -> bool:
    return all(ch in boundary_rules().numerals for ch in p.word)


def _unknown_name(word: str, flag: str, dictionary: Dictionary, jb: _Jieba) -> list[_Piece]:
    """A token jieba tagged as a name that CC-CEDICT lacks.

    Made of dictionary words only (美国空军): those words. A token jieba's dictionary has
    from real use, one of two characters (黛玉, 阿桂), or one with a name's shape: a name.
    Else it is a run jieba glued together: a name with what follows it (凤姐笑: 凤姐 笑), or words
    (天同寿 of 与天同寿: 天 同 寿); a verb glued before it comes off too (拉黛玉: 拉 黛玉).
    """
    split = split_by_dictionary(word, dictionary)
    if all(len(p) > 1 for p in split):
        return [_Piece(p, jb.tags.get(p, flag), False) for p in split]
    # jieba's HMM made it, or its dictionary has it from a handful of uses (天同寿 6, 修竹乔 2;
    # 林黛玉 339, 刘备 1753). FREQ holds every prefix too, with 0.
    weak = (jb.freq.get(word) or 0) < _WEAK_NAME_FREQ
    if len(word) == 3 and weak and word[0] in boundary_rules().surnames and (
        word[2] in _SPEECH_VERBS
    ):
        # 贾瑞忙喝, 贾母笑道: a surname and a given name, and the verb jieba's HMM glued on.
        verb = _Piece(word[2], jb.tags.get(word[2], "v"), False)
        return [_Piece(word[:2], flag, False, True), verb]
    if _word_and_suffix(word, flag):
        # 老婆子, 明白人, 幸福感: an everyday word and a common character after it, which
        # jieba's dictionary tags as a person; a given name is rarely such a character.
        return [_Piece(p, jb.tags.get(p, "x"), False) for p in (word[:2], word[2])]
    if len(word) == 3 and weak and word[0] in _JOINING:
        # 母亲和宏儿, 与孔明: "and" or "with" glued to a two-character name, not the rare
        # surname 和 or 同 of a three-character one.
        joining = _Piece(word[0], jb.tags.get(word[0], "c"), False)
        return [joining, _Piece(word[1:], flag, False, True)]
    if (
        len(word) == 3
        and weak
        and _known_person(word[:2], jb, dictionary)
        and _glued_after(word[2], jb)
    ):
        # 孔明便商議, 周瑜調軍: a name jieba knows from many uses, and the adverb or verb
        # its HMM glued on (a third character of a three-character name is rarely one).
        after = _Piece(word[2], jb.tags.get(word[2], "x"), False)
        return [_Piece(word[:2], flag, False, True), after]
    if (
        len(word) == 3
        and weak
        and _glued_before(word[0], jb)
        and word[1:] in dictionary
        and not dictionary.is_proper_only(word[1:])
        and _best_path(word, dictionary) == [word[0], word[1:]]
    ):
        # 闻丞相, 操大喜, 查户口: a verb or a preposition jieba's HMM glued before a word
        # (滑冰鞋 stays 滑冰 鞋, the likelier path); the word may still be a name (向宝玉).
        rest, tag = word[1:], jb.tags.get(word[1:], "n")
        return [
            _Piece(word[0], jb.tags.get(word[0], "v"), False),
            _Piece(rest, tag, False, _dictionary_name(rest, tag, dictionary, jb)),
        ]
    rules = boundary_rules()
    if len(word) == 2 and weak and (word[0] in rules.glue_first or word[1] in rules.glue_last):
        # 之士, 吾主, 诸军: a function word and a word; 操又, 仁亦: a name and a function
        # word; 呼之, 聞之: a verb and its object 之.
        name = word[0] not in rules.glue_first and word[1] != "之"
        return [
            _Piece(word[0], jb.tags.get(word[0], "x"), False, name),
            _Piece(word[1], jb.tags.get(word[1], "x"), False),
        ]
    if (
        len(word) == 3
        and weak
        and word[0] in rules.surnames
        and word[2] in _COUNT_FIRST
        and word[1] not in rules.ranks
    ):
        # 韓遂二將, 宋憲四將: a name and the number that counts the people named (小二,
        # 老三 after a surname are a given name).
        return [
            _Piece(word[:2], flag, False, True),
            _Piece(word[2], jb.tags.get(word[2], "m"), False),
        ]
    if len(word) == 2 or _looks_like_a_name(word):
        return [_Piece(word, flag, True, True)]
    end = len(word)
    while end > 2 and _glued_after(word[end - 1], jb):
        end -= 1
    start = 0
    while end - start > 2 and _glued_before(word[start], jb):
        start += 1
    if (start or end < len(word)) and word[start:end] not in dictionary:
        return (
            [_Piece(p, jb.tags.get(p, "x"), False) for p in _best_path(word[:start], dictionary)]
            + [_Piece(word[start:end], flag, False, True)]
            + [_Piece(p, jb.tags.get(p, "x"), False) for p in _best_path(word[end:], dictionary)]
        )
    if not weak:
        return [_Piece(word, flag, True, True)]
    return [_Piece(p, jb.tags.get(p, flag), False) for p in split]


def _known_person(word: str, jb: _Jieba, dictionary: Dictionary) -> bool:
    """Is ``word`` a person's name jieba's dictionary has from real use (孔明, 周瑜), and
    neither a surname that starts longer names (夏侯尚, 司马望) nor a common word (王子服)?"""
    return (
        (jb.freq.get(word) or 0) >= _WEAK_NAME_FREQ
        and jb.tags.get(word, "").startswith(_PERSON_TAG)
        and word not in boundary_rules().compound_surnames
        and (word not in dictionary or dictionary.is_proper_only(word))
    )


def _word_and_suffix(word: str, flag: str) -> bool:
    return (
        len(word) == 3
        and flag.startswith("nr")
        and on_hsk_list(word[:2])
        and zipf_frequency(word[2]) >= _SUFFIX_ZIPF
    )


# A character this frequent on its own ends a word (子, 人, 感) more often than a name.
_SUFFIX_ZIPF = 4.5
# What a narrative says right after a person: 贾母笑道, 贾瑞忙喝, 宝玉听了.
_SPEECH_VERBS = frozenset("道笑说听忙问叫哭喝答应见")
# Conjunctions and prepositions that join people: 和, 与, 同, 跟, 及.
_JOINING = frozenset("和与同跟及")
# Below this count in jieba's dictionary, a name-tagged entry is no evidence of a name.
_WEAK_NAME_FREQ = 20
# A common verb or adverb that jieba's HMM glues to a name: 黛玉知, 熙凤忙, 拉黛玉.
_GLUED_TAGS = ("v", "d", "p", "c")
_GLUED_ZIPF = 4.0


def _glued_after(ch: str, jb: _Jieba) -> bool:
    return ch in boundary_rules().after_name or (
        jb.tags.get(ch, "").startswith(_GLUED_TAGS) and zipf_frequency(ch) >= _GLUED_ZIPF
    )


def _glued_before(ch: str, jb: _Jieba) -> bool:
    # 扶黛玉, 那黛玉: a verb, a demonstrative, a preposition or a conjunction before it.
    return jb.tags.get(ch, "").startswith(("v", "r", "p", "c")) and zipf_frequency(ch) >= (
        _GLUED_ZIPF
    )


def _dictionary_name(word: str, flag: str, dictionary: Dictionary, jb: _Jieba) -> bool:
    """Is a dictionary word a name not to card: a person, never an everyday word?"""
    if never_a_name(word, dictionary):
        return False
    if dictionary.is_proper_only(word):
        # 习近平 is a person; 旧金山 and 联合国 are places and bodies a learner reads about.
        return flag.startswith(_PERSON_TAG) or (
            not flag.startswith(_PROPER_TAGS) and jb.tags.get(word, "").startswith(_PERSON_TAG)
        )
    return flag.startswith(_PERSON_TAG)


def _split_units(pieces: list[_Piece], dictionary: Dictionary, after_number: bool) -> None:
    """158年前 -> 年 前, 3个人 -> 个 人: a unit and what follows it, after a number."""
    rules = boundary_rules()
    i = 0
    while i < len(pieces):
        p = pieces[i]
        prev_is_number = (after_number and i == 0) or (
            i > 0 and all(ch in rules.numerals for ch in pieces[i - 1].word)
        )
        rest = p.word[1:]
        if (
            prev_is_number
            and len(p.word) >= 2
            and p.word[0] in rules.units
            and rest in rules.after_unit
            and not p.flag.startswith(("m", "q"))
            and (rest in dictionary or len(rest) == 1)
        ):
            pieces[i : i + 1] = [
                _Piece(p.word[0], "q", False),
                _Piece(rest, p.flag, False),
            ]
            i += 2
            continue
        i += 1


def _join_split_words(
    pieces: list[_Piece], dictionary: Dictionary, jb: _Jieba
) -> list[_Piece]:
    """Join two or three whole tokens into the dictionary word the text makes of them."""
    out: list[_Piece] = []
    # Each piece's part in a join, worked out once rather than once a window it is in.
    bound = [len(p.word) < 2 for p in pieces]
    opens = [_joins(p, True) for p in pieces]
    follows = [_joins(p, False) for p in pieces]
    count = len(pieces)
    i = 0
    while i < count:
        joined = None
        for n in (2, 3):
            # A word made of words only (经济 增长, 生活 水平) is a phrase: the learner
            # learns its words. A bound piece is what a joined word needs (中 美, 碳 中和).
            if i + n > count:
                break
            if not any(bound[i : i + n]):
                continue
            if opens[i] and all(follows[i + 1 : i + n]):
                window = pieces[i : i + n]
                word = "".join(p.word for p in window)
                if (
                    len(word) <= 4
                    and word in dictionary
                    and not _marginal(word, dictionary)
                    and _text_supports(word, window)
                ):
                    joined = _Piece(word, _joined_tag(word, window, jb), True)
                    break
        if joined is not None:
            out.append(joined)
            i += n
        else:
            out.append(pieces[i])
            i += 1
    return out


def _text_supports(word: str, window: list[_Piece]) -> bool:
    """Is ``word`` likelier here than its pieces apart?

    By wordfreq where it knows the word (中美 is rare apart: 中 6.65, 美 5.43). wordfreq's
    own Chinese counts come from a jieba cut, so a word jieba always splits (中美, 零和,
    碳中和) has no count there: then the word's shape decides.
    """
    z = zipf_frequency(word)
    if z > 0:
        apart = sum(_log_prob(p.word, None) for p in window)
        return z - 9 >= apart + JOIN_MARGIN
    # Unseen by wordfreq: a word of three or more characters (碳中和), or one with a
    # numeral or a name's abbreviation in it (零和, 三更, 中美 with 美 for America). Two
    # free words side by side stay apart (袭 人道 would teach 人道 "humane").
    return len(word) >= 3 or any(p.flag.startswith(_BOUND_TAGS) for p in window)


def _joinable(p: _Piece) -> bool:
    return p.whole and not p.name and not p.flag.startswith(_NO_JOIN_TAGS)


def _joins(p: _Piece, first: bool) -> bool:
    # A preposition opens a phrase with what follows it wherever it stands (是 以人民为中心);
    # a pronoun or an adverb only governs what follows when it comes first.
    return _joinable(p) and not (
        p.flag.startswith("p") or (first and p.flag.startswith(_GOVERNING_TAGS))
    )


def _joined_tag(word: str, window: list[_Piece], jb: _Jieba) -> str:
    return jb.tags.get(word) or window[-1].flag


def _split_potential_forms(pieces: list[_Piece], dictionary: Dictionary, jb: _Jieba) -> None:
    """猜 得到 -> 猜 得 到, 想 得出 -> 想 得 出: after a one-character verb, jieba's 得X is
    the potential form's particle and complement, not the verb 得到 'to obtain'."""
    rules = boundary_rules()
    i = 1
    while i < len(pieces):
        p, before = pieces[i], pieces[i - 1]
        if not (
            len(p.word) == 2
            and p.word[0] == "得"
            and p.word[1] in rules.potential_complements
            and len(before.word) == 1
            and before.flag.startswith("v")
            and before.word not in rules.modal_verbs
            and not before.name
        ):
            i += 1
            continue
        complement, end = p.word[1], i + 1
        after = pieces[end] if end < len(pieces) else None
        if after is not None and len(after.word) == 1 and complement + after.word in dictionary:
            complement, end = complement + after.word, end + 1  # 听 得出 神: 得 出神
        tag = jb.tags.get(complement, "v")
        pieces[i:end] = [_Piece("得", "ud", False), _Piece(complement, tag, False)]
        i += 2


# What a numeral and a measure word count when jieba joined them (一块大石, 一声锣响): the
# first characters; the demonstratives before a count (那一边, 此一會). Pieces are in
# simplified characters.
_COUNT_FIRST = frozenset("一两二三四五六七八九十几")
_DEMONSTRATIVES = frozenset("这那此哪每")
_PERFECTIVE = frozenset("了过")
# Tags of what a count counts: a noun (一块 大石 has an adjective first).
_COUNTED_TAGS = ("n", "ng", "nz")


def _is_measure_word(ch: str, dictionary: Dictionary) -> bool:
    return any(
        sense.lower().startswith(("classifier", "measure word"))
        for entry in dictionary.lookup(ch)
        for sense in entry.senses
    )


def _split_counted_words(pieces: list[_Piece], dictionary: Dictionary) -> None:
    """一块 大石 -> 一 块 大石, 一声 锣响 -> 一 声 锣响, 那 一边 -> 那 一 边: a numeral and a
    measure word that CC-CEDICT also lists as a word of its own (一块 "together", 一声 "first
    tone", 一道 "together") count what follows them, or what a demonstrative points to; the
    count is the numeral and the measure word. 一块去, 一道实现 (before a verb) stay whole."""
    rules = boundary_rules()
    for i in range(len(pieces) - 1, -1, -1):
        p = pieces[i]
        if not (
            len(p.word) == 2
            and p.word[0] in _COUNT_FIRST
            and p.word in dictionary
            and p.word not in rules.whole_counts
            and _is_measure_word(p.word[1], dictionary)
        ):
            continue
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        after2 = pieces[i + 2] if i + 2 < len(pieces) else None
        counts_a_noun = after is not None and (
            (after.flag.startswith(_COUNTED_TAGS) and not after.name)
            or (after.flag == "a" and after2 is not None and after2.flag.startswith(_COUNTED_TAGS))
        )
        pointed = i > 0 and pieces[i - 1].word in _DEMONSTRATIVES
        # 答应了一声。: what a verb did once, closing the clause.
        done = i > 0 and pieces[i - 1].word in _PERFECTIVE and (after is None or after.flag == "x")
        if counts_a_noun or pointed or done:
            pieces[i : i + 1] = [
                _Piece(p.word[0], "m", False),
                _Piece(p.word[1], "q", False),
            ]


# Tags of a character that is no person before 人: 让 人们, 为 人们, 和 人们.
_NOT_BEFORE_REN = ("v", "p", "d", "c", "u", "r", "m")


def _regroup_plural_persons(pieces: list[_Piece], dictionary: Dictionary, jb: _Jieba) -> None:
    """女 人们 -> 女人 们, 家 人们 -> 家人 们: jieba's 人们 'people' after a character
    that makes a person word with 人 is that word and the plural suffix."""
    for i in range(len(pieces) - 1, 0, -1):
        before = pieces[i - 1]
        person = before.word + "人"
        if (
            pieces[i].word == "人们"
            and len(before.word) == 1
            and not before.name
            and person in dictionary
            and not jb.tags.get(before.word, "").startswith(_NOT_BEFORE_REN)
        ):
            pieces[i - 1 : i + 1] = [
                _Piece(person, jb.tags.get(person, "n"), False),
                _Piece("们", jb.tags.get("们", "k"), False),
            ]


def _han_tokens(
    original: str,
    simplified: str,
    offset: int,
    sentence: int,
    dictionary: Dictionary,
    jb: _Jieba,
    after_number: bool,
) -> Iterator[Token]:
    pieces = _pieces(jb.tag(simplified), dictionary, jb, after_number)
    if after_number or not boundary_rules().numerals.isdisjoint(simplified):
        _split_units(pieces, dictionary, after_number)
    pieces = _join_split_words(pieces, dictionary, jb)
    if not _COUNT_FIRST.isdisjoint(simplified):
        _split_counted_words(pieces, dictionary)
    if "得" in simplified:
        _split_potential_forms(pieces, dictionary, jb)
    if "人们" in simplified:
        _regroup_plural_persons(pieces, dictionary, jb)
    pos = 0
    for p in pieces:
        known = p.word in dictionary
        kind = NUMBER if (not known and _is_numeral(p.word)) else HAN
        yield Token(
            text=original[pos : pos + len(p.word)],
            kind=kind,
            sentence=sentence,
            start=offset + pos,
            simplified=p.word,
            pos=p.flag,
            proper=p.name,
            in_dictionary=known,
        )
        pos += len(p.word)


def segment_text(
    text: str,
    dictionary: Dictionary,
    *,
    sentence: int = 0,
    segmenter: str | None = None,
    user_dict: str | None = None,
) -> tuple[Token, ...]:
    """Every token of ``text``: Han words, numbers, Latin runs, punctuation, symbols, space.

    ``user_dict`` is a word list in jieba's format (``word [freq] [tag]`` a line), loaded
    before cutting: its words are kept whole, and a tag ``nr`` marks a person's name.
    """
    jb = _segmenter(
        segmenter or os.environ.get(ENV_SEGMENTER), user_dict or os.environ.get(ENV_USER_DICT)
    )
    simplified = to_simplified(text)
    tokens: list[Token] = []
    pos = 0
    for m in HAN_RUN.finditer(simplified):
        tokens.extend(_other_tokens(text, pos, m.start(), sentence))
        after_number = bool(tokens) and tokens[-1].kind == NUMBER
        han = _han_tokens(
            text[m.start() : m.end()],
            m.group(),
            m.start(),
            sentence,
            dictionary,
            jb,
            after_number,
        )
        if boundary_rules().numerals.isdisjoint(m.group()):
            tokens.extend(han)  # no numeral to join, nor a unit after one to cut off
        else:
            tokens.extend(_merge_numeral_tokens(list(han)))
        pos = m.end()
    tokens.extend(_other_tokens(text, pos, len(text), sentence))
    return tuple(_flag_name_parts(tokens))


# The dots that join the parts of a transliterated name: 罗伯特·雷, 比尔·盖茨.
_NAME_DOTS = {"·", "・", "•", "‧"}


# Words that follow a person's name, and the tags of characters that may stand in a
# transliterated name jieba did not recognise (舒/zg 默/z 先生): not verbs, adverbs,
# particles, pronouns, numerals or measure words, which end the name going backwards.
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


# A lone character before a title is no surname where it is a preposition, a conjunction,
# a particle or a pronoun (向老师请教, 和先生, 于大人).
_NOT_A_SURNAME_TAGS = ("p", "c", "u", "r", "m", "q", "y", "e", "o")


def _addressed_surnames(tokens: list[Token]) -> list[int]:
    """The tokens of a surname addressed by title (唐 先生, 王 掌柜, 康 婆婆) or by rank and
    kinship (松 二 爷, 常 四 爷): jieba leaves the surname alone, and tags it as it likes
    (常 an adverb, 松 a verb); the rank and the kinship word are part of the name too."""
    rules = boundary_rules()
    found: list[int] = []
    for i, tok in enumerate(tokens[:-1]):
        if tok.kind != HAN or len(tok.text) != 1 or tok.proper:
            continue
        if (tok.simplified or tok.text) not in rules.surnames:
            continue
        nxt = tokens[i + 1]
        after = (nxt.simplified or nxt.text) if nxt.kind == HAN else ""
        if after in rules.address_titles and not tok.pos.startswith(_NOT_A_SURNAME_TAGS):
            found.append(i)
        elif after in rules.ranks and i + 2 < len(tokens):
            kin = tokens[i + 2]
            if kin.kind == HAN and (kin.simplified or kin.text) in rules.kin_after_rank:
                found.extend((i, i + 1, i + 2))
    return found


def _flag_name_parts(tokens: list[Token]) -> list[Token]:
    """Flag the pieces of names that jieba cut apart, so they are not taught as words.

    A Han token next to a name dot is part of a name (雷 in 罗伯特·雷); so is a single
    character jieba tagged as a name part when it touches a name (德 沃 切克 in 德沃切克,
    永 in 吕梁市永聚煤矿). Flags spread from known names only, so 中 and 美 stay words.
    """
    for i, tok in enumerate(tokens):
        if tok.kind == HAN and tok.simplified in boundary_rules().titles:
            run = _name_before(tokens, i)
            if run is not None:
                for j in run:
                    tokens[j] = replace(tokens[j], proper=True)
    for j in _addressed_surnames(tokens):
        tokens[j] = replace(tokens[j], proper=True, pos="nr")
    # The flags only spread, so where they end up does not depend on the order tokens are
    # looked at: only those a flag can reach are, again while one spreads.
    last = len(tokens) - 1
    waiting = [
        i
        for i, tok in enumerate(tokens)
        if tok.kind == HAN
        and not tok.proper
        and (
            (len(tok.text) == 1 and tok.pos.startswith(_PROPER_TAGS))
            or (i > 0 and tokens[i - 1].text in _NAME_DOTS)
            or (i < last and tokens[i + 1].text in _NAME_DOTS)
        )
    ]
    changed = True
    while changed and waiting:
        changed = False
        still = []
        for i in waiting:
            tok = tokens[i]
            neighbours = [tokens[j] for j in (i - 1, i + 1) if 0 <= j <= last]
            by_dot = any(n.text in _NAME_DOTS for n in neighbours)
            by_name = (
                len(tok.text) == 1
                and tok.pos.startswith(_PROPER_TAGS)
                and any(n.kind == HAN and n.proper for n in neighbours)
            )
            if by_dot or by_name:
                tokens[i] = replace(tok, proper=True)
                changed = True
            else:
                still.append(i)
        waiting = still
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
    sentence: Sentence,
    dictionary: Dictionary,
    *,
    segmenter: str | None = None,
    user_dict: str | None = None,
) -> tuple[Token, ...]:
    return segment_text(
        sentence.text,
        dictionary,
        sentence=sentence.index,
        segmenter=segmenter,
        user_dict=user_dict,
    )
