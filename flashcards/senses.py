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

import dataclasses
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .conditions import Context, holds, parse_conditions, reduplicated, rule_data
from .dictionary import is_reference_sense
from .models import NUMBER, PUNCT, SPACE, DictEntry, Reading

# Words after which a word is counted: 一座, 两只, 这家, 每位, 几个.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两几半")
_APPROXIMATELY = frozenset("余餘多来來")
# What points at what it counts (那两桌, 这三天): a number after one counts the next word.
_POINTING = frozenset("每这那哪某各此该")
_COUNTING = frozenset([*_NUMERALS, *_POINTING, "整", "这些", "那些", "好几"])


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
# A classifier sense; searched, it also finds a unit anywhere ("tael, unit of weight").
_CLASSIFIER = re.compile(r"^(?:classifier|measure word)\b|\bunit of\b", re.IGNORECASE)
_VERB = re.compile(r"^to\b", re.IGNORECASE)
# No sense for a noun or an adjective: a verb's that says first what it is said of ("(of
# silkworms) to go up bundles of straw", "(fig.) to burst"), a grammatical note ("(used
# between two identical verbs) despite").
_NO_NOUN_SENSE = re.compile(
    r"^\((?:(?:of|esp\.|usu\.|fig\.|coll\.|lit\.)[^)]*\) to\b|used\b)", re.I
)
# What a function word's senses look like in CC-CEDICT: a grammatical note, or a
# preposition, adverb or conjunction in English. A bracket that labels a field, a register
# or a word class ("(bound form) other", "(Chinese chess) general", "(math.) proper") is
# no grammatical note: 别 before a verb is "don't", not "(bound form) other"; one that says
# where the word goes is ("(bound form before a single-character verb) a bit": 略有).
_LABELS = (
    r"literary|archaic|old|dialect|slang|vulgar|Cantonese|Tw|Taiwan|onom|bound form\)"
    r"|(?:\w+ )?(?:suffix|prefix)\)|fig\.|lit\.|math|computing|computer|sports|TCM|medic|med\."
    r"|Buddhis|military|loanword|linguistics|physics|botany|chemistry|music|finance|geology"
    r"|anatomy|agricult|economics|astronomy|zoology|law\)|biology|mining|religio|electric"
    r"|gaming|textile|theater|photograph|accounting|soccer|physiolog|railway|statistic"
    r"|printing|(?:Chinese )?chess|bird species|polite|honorific|humble|formal|neologism"
    r"|Internet|euphemism|PRC|Hong Kong|market|business|commerce|typograph|software|aviation"
    r"|architecture|Japanese|Wu |derog|baseball|basketball|ball sports|martial arts|sport"
)
_FUNCTION = re.compile(
    rf"^\((?!{_LABELS})"
    r"|particle|marker|\bindicat|\bintroduc"
    r"|^(?:towards?|for|at|when|while|in|on|by|from|with|according to|than|as|since"
    r"|because(?: of)?|and|but|or|if|then|only|just|already|also|still|even|again"
    r"|about|very|all|both|each|every|not|no|so|thus|therefore|whereas|yet|nevertheless"
    r"|will|shall|would|can|could|must|should|may|might|once|ever|never|always|often"
    r"|contrary to|actually|rather|instead|indeed|however|unexpectedly|equivalent to"
    r"|only then|just then|more|further|to (?:the|a)\b|moreover|furthermore|anyway"
    r"|after all|otherwise|meanwhile|hence|consequently)\b"
    r"|^don't \.\.\.!",
    re.IGNORECASE,
)
# Senses a learner meets last: marked as literary, old, regional or rude. A sense that
# begins "old" is one only where it names an old word ("old name for", "old variant of"):
# "old friend", "old (of people)", "old age" are what the word means now.
_RARE = re.compile(
    r"\((?:literary|archaic|old|obsolete|classical|dialect|slang|vulgar|Cantonese|Taiwan|"
    r"Tw|Internet slang|derog\.|offensive|old usage|arch\.)\)|^(?:archaic|obsolete) "
    r"|^old (?:variant|names?|term|spelling|word|usage|form|translation|transliteration"
    r"|(?:Chinese|place) name|way of (?:referring|writing|saying))\b",
    re.IGNORECASE,
)
# A bracket that says what kind of word the sense is, not how it is used: "(specifier)
# that", "(pronoun) this".
_WORD_CLASS_LABEL = re.compile(
    r"^\((?:specifier|pronoun|demonstrative|bound form|adjective|noun|adverb)\)", re.I
)
_LITERARY = re.compile(r"^\((?:literary|classical)\)", re.I)
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
    before_verb: bool = False
    before_name: bool = False
    after_time: bool = False
    in_when_clause: bool = False
    standalone: int = 0
    after_yi: bool = False
    pivot: bool = False
    adverbial: bool = False
    sense: str = ""  # the sense a rule of data/sense_rules.json names for this use
    name_character: bool = False  # one character the segmenter found in a name (华 of 华大妈)
    after_degree: bool = False  # after an adverb of degree (很体面): said of something


def _owned(readings: Sequence[Reading], j: int) -> bool:
    """Is token ``j`` 的 after a noun or a pronoun (大哥的, 我们的)?"""
    tok = _token(readings, j)
    if tok is None or tok.text != "的":
        return False
    owner = _token(readings, _skip_space(readings, j - 1, -1))
    return owner is not None and owner.pos.startswith(("n", "r")) and owner.kind != PUNCT


def _clause_ends_at(tok) -> bool:
    # Not before a colon: 那短工简捷的说：, 掌柜的说：“…” say something.
    return tok is None or (tok.kind == PUNCT and tok.text[:1] in "，,。！？!?；;…")


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
    k = _skip_space(readings, index + 1, 1)
    next_token = _token(readings, k)
    following = next_token.text if next_token is not None else ""
    before = _token(readings, _skip_space(readings, j - 1, -1))
    counted = prev is not None and _counts(prev) and not _as_soon_as(before, prev, tok, next_token)
    if prev is not None and not counted and prev.text in _APPROXIMATELY and j > 0:
        counted = _counts(readings[j - 1].token)  # 三十 餘 騎: a number, then "and more"
    # 长得很高, 长了, 干着: a verb, whatever jieba's tag (it often says adjective).
    pos = "v" if following in _VERB_MARKERS else tok.pos
    next_pos = next_token.pos if next_token is not None else ""
    if _verb_here(readings, index, j, k):
        pos = "v"
    elif (
        pos.startswith("v")
        and len(tok.text) > 1
        and prev is not None
        and (prev.simplified or prev.text) in _PURE_DEGREE
        and (tok.simplified or tok.text) not in _STATIVE_VERBS
    ):
        # 很疲倦, 太闭塞: after an adverb of degree a word is said of something (an
        # adjective's senses fit; 很喜欢 has none and keeps its verb's). A lone character
        # there is more often a verb of feeling (很怕, 甚是, 很有).
        pos = "a"
    clause_final = _clause_final(readings, k)
    if clause_final and pos.startswith(("p", "d")) and following not in _VERB_MARKERS:
        # 鱼贯入朝。, 还不自觉。: a preposition or an adverb ends no clause; jieba's tag
        # is wrong there, so no sense is preferred for it (朝 "court", 自觉 "conscious").
        pos = ""
    before_noun = next_pos.startswith(("n", "r")) and not next_pos.startswith("nr")
    # A verbal noun before a noun names a thing (行动纪念馆); a verb after an adjective is
    # one too (新冷战), and one that 的 joins to a noun or a pronoun with nothing after it
    # (我大哥的作为，, 大家的支持。): a noun's senses, not a verb's. After a verb, 的 may
    # stand for 得 (吓的欲退): the verb there is one.
    after_adjective = prev is not None and prev.pos == "a"
    # 严肃对待中方关切, 积极推动合作: a two-character adjective before a verb that takes an
    # object is how it is done, and the verb stays one.
    adverbial_adjective = (
        after_adjective
        and len(prev.text) > 1
        and next_token is not None
        and (
            next_pos.startswith(("n", "r"))
            # jieba tags 中方 a localizer; 具体行动上 is a noun and its 上
            or (next_pos.startswith("f") and len(next_token.text) > 1)
        )
    )
    if (
        (pos == "vn" and before_noun)
        or (
            pos.startswith("v")
            and after_adjective
            and not adverbial_adjective
            and following not in _VERB_MARKERS
        )
        or (
            pos.startswith("v")
            and len(tok.text) > 1  # 慢慢的走, 高声的说: 的 for 地 before a lone verb
            and _owned(readings, j)
            and _clause_ends_at(next_token)
        )
    ):
        pos = "n"
    before_measure = next_token is not None and (
        next_token.kind == NUMBER
        or next_pos.startswith("q")
        or (next_pos.startswith("m") and all(ch in _NUMERALS for ch in next_token.text))
        # 御酒数瓶: a measure word jieba tags a noun
        or (next_token.simplified or next_token.text) in _measure_words()
    )
    if (
        counted
        and prev is not None
        and prev.kind != NUMBER
        and (prev.simplified or prev.text)[:1] in _POINTING
        and is_count_word(tok.simplified or tok.text)
    ):
        # 那两桌, 这两人: a number after a demonstrative counts what follows; it is no
        # measure word counted (二两银子 "tael").
        counted = False
    return _use(
        pos,
        counted or tok.pos.startswith("q"),
        before_noun,
        before_verb=_before_verb(readings, k, complements=not tok.pos.startswith("d")),
        before_name=next_pos.startswith("nr"),
        after_time=prev is not None and prev.pos.startswith("t"),
        in_when_clause=_ends_with_time(readings, index + 1),
        standalone=_standalone(prev, next_token),
        after_yi=_after_yi(readings, index),
        pivot=pos.startswith("v")
        and next_pos.startswith(("r", "nr"))
        and _before_verb(readings, _skip_space(readings, k + 1, 1)),
        adverbial=_adverbial(readings, index, pos, j, k),
        # jieba tags many verbs adjectives (落实好): either may take a complement.
        after_verb=prev is not None
        and prev.kind != PUNCT
        and prev.pos.startswith(("v", "a"))
        and prev.text not in _TAKE_A_VERB,
        clause_final=clause_final,
        before_measure=before_measure,
        question=asks(readings) if question is None else question,
        after_word=prev is not None and prev.kind != PUNCT,
        sense=_ruled_sense(readings, index),
        name_character=tok.proper and len(tok.text) == 1,
        after_degree=prev is not None
        and (prev.simplified or prev.text) in _DEGREE_BEFORE_QUALITY,
    )


@dataclass(frozen=True)
class SenseRule:
    """A rule of data/sense_rules.json: in this reading, where the conditions hold, the
    card leads with this sense."""

    reading: str
    sense: str
    conditions: tuple[tuple[str, Any], ...]


SENSE_RULES_FILE = "sense_rules.json"


def parse_sense_rules(data: dict, sets: dict[str, list[str]]) -> dict[str, tuple[SenseRule, ...]]:
    """Check and compile the sense rule table (``sets``: polyphones.json's, which its own
    extend); a mistake in it fails loudly and at once."""
    sets = {**sets, **data.get("sets", {})}
    table = {}
    for word, raw_rules in data["words"].items():
        rules = []
        for raw in raw_rules:
            (reading, sense), conditions = parse_conditions(word, raw, sets, "reading", "sense")
            rules.append(SenseRule(reading.lower(), sense, conditions))
        table[word] = tuple(rules)
    return table


@cache
def sense_rules() -> dict[str, tuple[SenseRule, ...]]:
    """The sense rules by word (data/sense_rules.json)."""
    sets = rule_data("polyphones.json").get("sets", {})
    return parse_sense_rules(rule_data(SENSE_RULES_FILE), sets)


@cache
def _after_as_soon_as() -> frozenset[str]:
    """What follows 一 + verb "as soon as" (我一听就生气, 一出了大门): sense_rules.json's
    AFTER_AS_SOON_AS, which its rule for 一 uses too."""
    return frozenset(rule_data(SENSE_RULES_FILE)["sets"]["AFTER_AS_SOON_AS"])


@cache
def _measure_words() -> frozenset[str]:
    """Measure words that jieba may tag as nouns (瓶, 碗, 匹): sense_rules.json's MEASURE."""
    return frozenset(rule_data(SENSE_RULES_FILE)["sets"]["MEASURE"])


# use_of is called for each token of a sentence in turn: the rules' view of the last
# sentence (its context, and where each of its tokens stands there) is made once.
_last_sentence: list = [None, None, None]


def _ruled_sense(readings: Sequence[Reading], index: int) -> str:
    """The sense a rule names for the token at ``index`` in its reading, else ""."""
    tok = readings[index].token
    rules = sense_rules().get(tok.simplified or tok.text)
    numbered = (readings[index].numbered or "").lower()
    if not rules or not numbered:
        return ""
    if _last_sentence[0] is not readings:
        tokens = [r.token for r in readings]
        at, positions = 0, []
        for t in tokens:
            positions.append(at)
            at += t.kind != SPACE
        _last_sentence[:] = [readings, Context(tokens), positions]
    _, ctx, positions = _last_sentence
    for rule in rules:
        if rule.reading == numbered and all(
            holds(name, value, ctx, positions[index]) for name, value in rule.conditions
        ):
            return rule.sense
    return ""


def _standalone(prev, following) -> int:
    """Is the word a clause of its own: 2 said first (“救命，……”, 肅曰：「不然。), 1 set
    off by commas (大婶，等等，我拿; …睡觉，吓，不是好东西), 0 not (交流，等等。 ends a
    list; 「帥」字旗 quotes a word by name)."""
    if following is not None and (
        following.kind != PUNCT or following.text[:1] not in "，,！!？?。…—~～"
    ):
        return 0
    if prev is None or (prev.kind == PUNCT and prev.text[-1:] not in "，,、；;"):
        return 2
    if prev.kind == PUNCT and (following is None or following.text[:1] != "。"):
        return 1
    return 0


def _earlier_in_clause(readings: Sequence[Reading], index: int, reach: int, found) -> bool:
    """Does one of the ``reach`` tokens before ``index``, back to the clause's start,
    satisfy ``found``?"""
    for j in range(index - 1, max(index - reach - 1, -1), -1):
        tok = readings[j].token
        if tok.kind == PUNCT:
            return False
        if found(tok):
            return True
    return False


def _after_yi(readings: Sequence[Reading], index: int) -> bool:
    """Does 以 stand earlier in the clause (以人民为中心: 为 "to take as")?"""
    return _earlier_in_clause(readings, index, 7, lambda tok: tok.text == "以")


def _after_preposition(readings: Sequence[Reading], index: int) -> bool:
    """Is the token at ``index`` inside the object of a preposition (从 秋爽 斋)?"""
    return _earlier_in_clause(readings, index, 3, lambda tok: tok.pos == "p")


def _before_verb(readings: Sequence[Reading], k: int, complements: bool = True) -> bool:
    """Is token ``k`` a verb, or an adverb or two before one (当先死, 应该马上走)?
    ``complements``: whether a complement there (把她要回来) completes the word before it
    rather than being a verb it governs; not after an adverb (将到新年)."""
    for _ in range(3):
        tok = _token(readings, k)
        if tok is None or tok.kind == PUNCT or (complements and tok.text in _COMPLEMENTS):
            return False
        if (tok.pos.startswith("v") and tok.pos != "vn") or tok.pos == "p":
            return True  # a verb, or the preposition that opens its phrase (不该把粪落在…)
        if not (tok.pos.startswith("d") or tok.text in _MANNER):
            return False
        k = _skip_space(readings, k + 1, 1)
    return False


def _adverbial(readings: Sequence[Reading], index: int, pos: str, j: int, k: int) -> bool:
    """Does the token at ``index`` (the one before it at ``j``, after it at ``k``) stand
    where an adverb does, before the verb or adjective it modifies: tagged an adverb
    (一律地, 切实维护), an adjective before a verb or an adjective (白撞了, 輕出, 老这么),
    or one character that jieba calls a noun between a subject and its verb (孔明方受,
    我先前單知道)?"""
    tok, prev, next_token = readings[index].token, _token(readings, j), _token(readings, k)
    if next_token is None or next_token.kind == PUNCT:
        return False
    next_pos = next_token.pos
    if prev is not None and prev.kind != PUNCT and (
        prev.pos.startswith("p") or prev.text in _JOINING_WORDS
    ):
        return False  # 人与自然和谐共生: the object of 与, not an adverb
    if pos.startswith(("d", "ad")):
        # Not before a noun: 将辫子盘在头顶上 marks an object (将 "will" elsewhere); not a
        # place word after its noun, whatever its tag (街边坐着, 这里边住).
        if tok.text in _PLACE_SUFFIXES and prev is not None and prev.kind != PUNCT:
            return False
        if prev is None or prev.kind == PUNCT:
            return True  # 自然那老太太无理: opening its clause, an adverb says how it all is
        return not next_pos.startswith(("n", "r")) or next_token.text in _MANNER
    if len(tok.text) != 1:
        return False
    # 大也有大的优势: before 也, 都, 就 the adjective is what the clause is about.
    modifies = (
        (next_pos.startswith(("v", "a", "d")) and next_pos != "vn")
        or next_token.text in _MANNER
    ) and next_token.text not in _AFTER_SUBJECT
    # 老拱的肩头: a verb that 的 then makes a modifier is part of a name or a noun phrase.
    after_next = _token(readings, _skip_space(readings, k + 1, 1))
    if not modifies or (after_next is not None and after_next.text in ("的", "之")):
        return False
    if pos.startswith("a"):
        # After 的, 得 or an adverb of degree it is the predicate (长得怪好, 很大); after
        # 有, what there is (有老有少).
        return prev is None or (
            prev.text not in ("的", "得", "有", "没有") and prev.text not in _DEGREE
        )
    # A subject before it, not a demonstrative (那井是多么深: 井 is the subject).
    return (
        pos in ("n", "ng")
        and prev is not None
        and prev.kind != PUNCT
        and prev.pos.startswith(("r", "nr", "t", "d"))
        and not _counts(prev)
        and next_pos.startswith("v")
    )


# Adjectives in -ly, which are no adverbs: "lonely", "orderly".
_LY_ADJECTIVES = frozenset(
    """early ugly holy lonely lovely friendly unfriendly likely unlikely silly daily
    weekly monthly yearly nightly hourly timely untimely manly womanly cowardly elderly
    beastly ghastly grizzly kindly belly family woolly jolly bully curly surly orderly
    disorderly costly deadly lively lowly stately homely comely worldly sickly
    scholarly fatherly motherly brotherly sisterly wily oily hilly chilly bodily
    """.split()
)
# Adverbs that are no -ly words, alone or opening a sense ("all together", "in vain").
_ADVERB_WORDS = re.compile(
    r"^(?:in vain|for nothing|always|very|quite|after all|in the end|only then|just now"
    r"|still|yet|also|again|already|then|once|ever|never|often|so|indeed|rather|too|all"
    r"|only|while|long ago|together|alone)(?:$|[;,(])",
    re.I,
)
_LY_WORD = re.compile(r"^([a-z]+ly)(?:$|[;,(])", re.I)


# Degree words a complement says after 得 (慌得……: "terribly"), not an adverb before a verb.
_DEGREE_COMPLEMENTS = frozenset("terribly unbearably awfully horribly dreadfully".split())


def _degree_complement(sense: str) -> bool:
    """Is ``sense`` one a word has only as the complement after 得 ("(after 得)
    unbearably", "terribly")?"""
    return "(after 得)" in sense or sense.split(";")[0].strip().lower() in _DEGREE_COMPLEMENTS


def _adverb_sense(sense: str) -> bool:
    """Is ``sense`` an adverb in English: "rashly", "fully; to the full", "in vain"?"""
    if _APPROXIMATE_SENSE.match(sense) or _degree_complement(sense):
        return False  # "approximately" goes with a number (约四百人), not a verb
    ly = _LY_WORD.match(sense)
    if ly:
        return ly.group(1).lower() not in _LY_ADJECTIVES
    return bool(_ADVERB_WORDS.match(sense))


def _ends_with_time(readings: Sequence[Reading], k: int) -> bool:
    """Does the clause from token ``k`` end with 时 or 的时候 (当…时: "when")?"""
    for j in range(k, len(readings)):
        tok = readings[j].token
        if tok.kind == PUNCT:
            return False
        if tok.text in _TIME_CLOSERS:
            nxt = _token(readings, _skip_space(readings, j + 1, 1))
            return nxt is None or nxt.kind == PUNCT
    return False


_DEGREE = frozenset(
    [*"很太更最挺极好真越还颇甚较蛮超特", "非常", "十分", "比较", "特别", "相当", "有点", "最为",
     "更加", "越发", "极其"]
)
# Verbs of having and feeling that stay verbs after an adverb of degree (很需要, 更没有).
_STATIVE_VERBS = frozenset(
    "没有 需要 尊敬 喜欢 希望 想念 害怕 担心 愿意 同意 关心 重视 注意 感谢 佩服 羡慕 相信 理解 "
    "欢迎 支持 讨厌 怀念 期待 依赖 缺乏 具有 拥有 值得 应该 可能 能够 懂得 了解 熟悉 明白".split()
)
# Adverbs of degree and nothing else: 好, 真, 还, 越, 超, 特 are also other words before a
# verb (好走, 还去).
_PURE_DEGREE = (_DEGREE - frozenset("好真越还超特")) | {"有些", "格外", "分外"}
# Before a word, an adverb of degree says how much of a quality: what follows is no thing
# (很体面 "respectable", not "face"). 有些 and 有点 also count things (有些人), and 甚 also
# asks what (无甚关系).
_DEGREE_BEFORE_QUALITY = _PURE_DEGREE - {"有些", "有点", "甚"}
_VERB_GOVERNORS = frozenset(
    "让 叫 使 令 要 想 会 能 可以 应该 应当 该 敢 肯 愿意 得以 打算 准备 开始 继续 不要 别".split()
)
# Verbs that open a phrase as prepositions do: after a modal they head it (想往后退).
_COVERBS = frozenset("往 向 朝 对 對 给 給 跟 和 在 从 從 到 被 把 由 为 為 替 比 离 離 沿".split())
# What joins two nouns (人与自然): the word after it is the second, no adverb.
_JOINING_WORDS = frozenset("与 與 和 跟 同 及 并 並 或".split())
# Place words that follow their noun (街边, 这里边), whatever jieba's tag.
_PLACE_SUFFIXES = frozenset("边 邊 面 头 頭 里 裏 上 下 前 后 後 中 旁 外 内 內".split())
# Adverbs that follow a clause's subject (大也有大的优势: 大 is what it is about).
_AFTER_SUBJECT = frozenset("也 都 就 才 还 還 又 却 卻 便 倒 则 則 亦 乃".split())
# Pronouns that stand where an adverb does (不该如此胡说).
_MANNER = frozenset(["如此", "这样", "那样", "这么", "那么", "這樣", "那樣", "這麼", "那麼"])
_CHANGE_OF_STATE = frozenset(["起来", "起來", "下来", "下來", "下去"])
_TIME_CLOSERS = frozenset(["时", "時", "时候", "時候", "之时", "之時", "时分", "時分"])
# Result and direction complements that only follow a verb (长到, 传出, 站起, 收进).
_COMPLEMENTS = frozenset(
    ["到", "成", "出", "起", "进", "進", "完", "住", "掉", "起来", "起來", "下来", "下來",
     "下去", "上来", "上來", "出来", "出來", "进来", "進來", "回来", "回來", "过来", "過來"]
)


def _verb_here(readings: Sequence[Reading], index: int, j: int, k: int) -> bool:
    """Is the token at ``index`` (the one before it at ``j``, after it at ``k``) the verb
    of its clause, whatever jieba's tag?"""
    tok = readings[index].token
    prev = _token(readings, j)
    next_token = _token(readings, k)
    following = next_token.text if next_token is not None else ""
    next_pos = next_token.pos if next_token is not None else ""
    # 一年一年地过去, 长到四五岁: after the adverbial 地 or before a result or direction
    # complement, the word is a verb whatever its tag (jieba says time word, adjective).
    # 地 marks an adverbial only after one (一年一年地过去); at a clause's start it is
    # the noun (‘地灵人杰).
    before_prev = _token(readings, _skip_space(readings, j - 1, -1)) if prev is not None else None
    after_de = (
        prev is not None
        and prev.text == "地"
        and prev.pos == "uv"
        and before_prev is not None
        and before_prev.kind != PUNCT
        # 流着流着地就少了, 哭叫地从墙头上跳过来: an adverb or a preposition after 地 is
        # still one, and the verb follows it.
        and not tok.pos.startswith(("d", "p", "c", "u", "y"))
    ) or (
        # 慢慢的走: older texts write the adverbial 地 as 的 after a doubled adverb.
        prev is not None
        and prev.text == "的"
        and before_prev is not None
        and before_prev.pos.startswith("d")
        and reduplicated(before_prev.text)
        and len(tok.text) == 1
        and not tok.pos.startswith(("d", "y", "p", "c", "u"))
    )
    # 只差人去, 呂蒙屯兵陸口: between an adverb or a subject and its object, a word jieba
    # calls an adjective or a noun is the clause's verb (an adjective after a subject
    # describes the noun after it: 这样穷朋友).
    takes_object = (
        tok.pos in ("a", "n", "ng", "ag")
        and prev is not None
        and prev.kind != PUNCT
        and (
            (prev.pos.startswith(("nr", "r")) and tok.pos.startswith("n"))
            or (prev.pos == "d" and prev.text not in _DEGREE)
        )
        and next_pos.startswith(("n", "r"))
        and not next_pos.startswith("nz")
        # One character before a noun is more often the start of a compound (乌油头发,
        # 制艺) than a verb; before a person (战湘云, 信他) it is a verb.
        and (len(tok.text) > 1 or not tok.pos.startswith("n") or next_pos.startswith(("nr", "r")))
    )
    # 让过去听戏, 要长大: after a modal or causative verb comes the verb it governs.
    after_modal = (
        prev is not None
        and prev.text in _VERB_GOVERNORS
        and tok.text not in _COVERBS
        and not tok.pos.startswith(("r", "m", "q", "p", "d", "c", "u", "nr"))
    )
    return takes_object or after_de or after_modal or (
        following in _COMPLEMENTS
        and not tok.pos.startswith(("v", "f", "m", "q", "p", "d", "c"))
        # An adjective changes state (热起来), it does not go somewhere (黑到头儿, 轻进).
        and (not tok.pos.startswith("a") or following in _CHANGE_OF_STATE)
        and not _after_preposition(readings, index)  # 从秋爽斋出来: a place
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


# Modals, 是 and 来/去 of purpose take a verb, never a complement (要走, 是来问问, 去看戏);
# a causative's verb is its own (叫来, 让到屋里), and so are 想's and 准备's (想好, 准备好).
_TAKE_A_VERB = (_VERB_GOVERNORS - {"让", "叫", "使", "令", "想", "准备", "打算"}) | {
    "是",
    "来",
    "來",
    "去",
}
def _as_soon_as(before, prev, tok, next_token) -> bool:
    """Is ``tok`` a verb after 一 "as soon as" (我一听就, 太阳一出，) rather than a measure
    word it counts (一听可乐, 一出戏; 看了一回, 打了一掌: after a verb, how often)?"""
    after_verb = (
        before is not None
        and before.kind != PUNCT
        and (before.pos.startswith(("v", "u")) or before.text in ("了", "过", "過", "着", "著"))
    )
    return (
        prev.text == "一"
        and tok.pos.startswith("v")
        and (tok.simplified or tok.text) not in _measure_words()
        and not after_verb
        and (
            next_token is None
            or next_token.kind == PUNCT
            or (next_token.simplified or next_token.text) in _after_as_soon_as()
        )
    )


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
    if use.pos.startswith("r"):
        # A pronoun's own sense (他 "he; him"), not a note on a use of it ("(used before
        # sb's name for emphasis)"), which a function word's senses often are.
        return (
            not sense.startswith("(") or bool(_WORD_CLASS_LABEL.match(sense))
        ) and not _VERB.match(sense)
    if use.pos.startswith(_FUNCTION_TAGS):
        if use.adverbial and _adverb_sense(sense):
            return True  # 自然是 "naturally", 忽听 "suddenly" (see _adverbs_considered)
        return _function_sense(sense)
    if use.pos.startswith("v"):
        return bool(_VERB.match(sense))
    if use.pos.startswith(("n", "a", "b", "t", "s", "f")):
        return (
            not _VERB.match(sense)
            and not _NO_NOUN_SENSE.match(sense)
            and not _CLASSIFIER.match(sense)
            and not (
                use.pos.startswith("n") and not use.before_verb and _PREPOSITION_SENSE.match(sense)
            )
        )
    return False


# A preposition's sense, which no noun has (作为 "as (in the capacity of)" beside "one's
# conduct").
_PREPOSITION_SENSE = re.compile(
    r"^(?:as|for|by|with|from|towards?|according to|through|via|since|until|against)\b"
    r"(?! well)",
    re.I,
)
_SUFFIX_SENSE = re.compile(r"^-[a-z]")
# Notes about the word rather than senses of it: "also pr. [san1 jin1]", "erhua variant".
_NOTE = re.compile(r"^(?:also pr\.|also written|erhua variant|abbr\. for|see also)", re.I)


# A particle's senses for the end of a clause or sentence; a complement's after a verb;
# a quantity word's before a measure word; senses that ask, which fit only a question.
_CLAUSE_FINAL = re.compile(r"\bend of\b|\bmodal particle\b|\bsentence-final\b", re.I)
_COMPLEMENT = re.compile(r"\bcomplement\b|^\(after (?:a )?verb", re.I)
_QUANTITY = re.compile(r"^(?:several|a few|some|a number of|many|various)\b", re.I)
_APPROXIMATE_SENSE = re.compile(r"^(?:approximately|about|around|roughly|nearly|almost)\b", re.I)
_NUMBER_SENSE = re.compile(
    r"^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|ten thousand"
    r"|hundred million|half)$",
    re.I,
)
_POSITION = re.compile(
    r"^(?:\(\w+ suffix\) )?(?:within|in|inside|among|amid|during|on|under|above|below|after"
    r"|before|behind|in front of|outside|beside)\b",
    re.I,
)
_OBJECT_MARKER = re.compile(r"\bobject\b.*\b(?:verb|object)\b|\bin the same way as 把", re.I)
# What is said as a clause of its own: an interjection; a reply.
_EXCLAMATION = re.compile(r"^\(interj|(?<!\.)!$", re.I)  # not "don't ...!"
_REPLY = re.compile(r"^(?:yes|no|OK|okay|hello|hi)$", re.I)
# A pivot verb's senses that make someone do something (not 使's "to send": 使我不能安住).
_ORDER = re.compile(r"^to (?:order|command|ask|tell)\b", re.I)
_TAKE_AS = re.compile(r"^to (?:take|regard|consider|treat) (?:sth |sb )?as\b", re.I)
_WHEN = re.compile(r"^(?:when|while|during)\b", re.I)
_DURING = re.compile(r"^(?:while|during)\b|\bwithin a definite time\b|\(doing sth\); during", re.I)
# A modal sense as a whole ("should", "must not", "can only"), not one that begins like
# one ("cannot be more (after adjectival)", "might" the noun).
_MODAL_SENSE = re.compile(
    r"^(?:will|shall|should|ought to|must|need(?: to| not)|(?:to |does not )?have to"
    r"|can(?:not|'t)?"
    r"|to be (?:likely|sure) to)(?:$|[;,]| not\b| only\b| but\b)",
    re.I,
)
# A sense that abbreviates a country or a continent: "(bound form) USA (abbr. for
# 美國|美国[Mei3 guo2])".
_PLACE_ABBREVIATION = re.compile(r"\babbr\. for [^\[]*\[[A-Z][^\]]* guo2\]")
# A sense that names a thing, as its article or its suffix shows ("an injustice",
# "dignity; prestige", "improvisation", "(CL:個|个[ge4])").
_NOUN_SENSE = re.compile(
    r"^(?:(?:a|an|the) [\w-]|(?!(?:seldom|random|vehement|hence|thence|whence|askance)\b)"
    r"[\w-]*(?:ity|ety|ness|tion|sion|ment|ance|ence|ship|dom|ism|hood)s?"
    r"(?:$|[;,]| \())|.*\bCL:",
    re.I,
)
_ASKING = re.compile(r"^(?:how|what|which|who|why)\b(?!ever)|\?$", re.I)


def _construction(sense: str, use: Use) -> int:
    """0 for a sense that the word's place in the sentence calls for, 2 for one it rules
    out, 1 where its place says nothing."""
    if use.counted and _CLASSIFIER.search(sense):
        return 0  # 五间大屋子, 几两银子: what a number counts before where it stands
    if use.in_when_clause and _WHEN.match(sense):
        return 0  # 当…时
    if use.before_verb and _MODAL_SENSE.match(sense):
        return 0  # 应锡, 吾当先死, 刚刚要跪下去: a modal before its verb
    if use.clause_final and use.pos.startswith(("u", "y")) and _CLAUSE_FINAL.search(sense):
        return 0
    if use.after_verb and _COMPLEMENT.search(sense):
        return 0
    # An exclamation said alone (嚇，你看), a reply said first (「不然。」); neither inside a
    # clause (既已行在先); at a clause's end (都行。) either may be meant.
    if _EXCLAMATION.search(sense):
        return 0 if use.standalone else 1 if use.clause_final else 2
    if _REPLY.match(sense):
        return 0 if use.standalone == 2 else 1 if use.clause_final else 2
    if use.adverbial and _degree_complement(sense):
        return 2  # 慌走入: before its verb, not the complement 慌得… "unbearably; terribly"
    if use.adverbial and not use.pos.startswith("d") and _adverb_sense(sense):
        return 0  # 白撞了 "in vain", 輕出 "rashly", 充分尊重 "fully"
    if use.pivot and _ORDER.match(sense):
        return 0  # 命他一往, 令典韋引百餘騎出: someone is made to do the next verb
    if use.after_yi and _TAKE_AS.match(sense):
        return 0  # 以人民为中心
    if use.pos.startswith("ns") and _PLACE_ABBREVIATION.search(sense):
        return 0  # 美方, 中美: 美 tagged a place is the USA, not "beautiful"
    if use.pos.startswith("f") and (use.after_time or use.after_verb):
        return 0 if _DURING.search(sense) else 1  # 八月间, 正在进行中: a time, not a place
    if use.pos.startswith("f") and use.after_word and _POSITION.match(sense):
        return 0  # 会晤中, 宴会厅里: a place word after what it places
    if (
        (use.before_noun or use.before_name)
        and use.pos.startswith(("p", "d"))
        and _OBJECT_MARKER.search(sense)
    ):
        return 0  # 将妖收下, 把书还给我: the preposition that moves the object forward
    if use.before_measure and _NUMBER_SENSE.match(sense):
        return 0  # 两个孩子: "two" before "some; a few"
    if use.before_measure and _APPROXIMATE_SENSE.match(sense):
        return 0  # 约400人, 近百年: "approximately" before a number
    if use.before_measure and not use.question and _QUANTITY.match(sense):
        return 0
    if use.after_degree and _NOUN_SENSE.match(sense):
        return 2  # 很焦急 "anxious", not "anxiety"; 很疏远 not "estrangement"
    if not use.question and _ASKING.search(sense):
        return 2
    if not use.counted and _CLASSIFIER.match(sense):
        return 2  # 本次, 个人: no number counts it here
    return 1


def _tier(sense: str, use: Use | None) -> int:
    if is_reference_sense(sense) or _NOTE.match(sense):
        return 3
    if _SUFFIX_SENSE.match(sense):
        return 2  # 惟 "-ism": a suffix's sense, which a word standing alone never has
    if _RARE.search(sense) and not (
        # 则 "(literary) … then", 乃 "(literary) to be": a function word's literary sense
        # is how the texts that use it use it.
        use is not None
        and use.pos.startswith(("c", "d", "p"))
        and _LITERARY.match(sense)
        and _fits(sense, use)
    ) and not (
        # 几两银子: a counted word is the measure it counts, however old ("tael, … 1⁄16
        # of a catty (old)").
        use is not None and use.counted and _CLASSIFIER.search(sense)
    ):
        return 2
    if use is not None and _fits(sense, use):
        if use.before_noun and use.pos.startswith(("p", "d")) and _MODAL.match(sense):
            return 1  # 将 + noun marks an object here; "will" comes before a verb
        return 0
    return 1


def _rank(sense: str, use: Use | None, everyday: str | None = None) -> tuple[int, int, int, int]:
    # Rare and reference senses stay last whatever the place; among the others, what the
    # construction calls for comes before what the part of speech fits, and the everyday
    # sense before the others that fit as well. A sense a rule names for this use leads.
    if use is not None and use.sense and sense == use.sense:
        return (0, -1, 0, 0)
    if use is not None and use.name_character and sense.startswith("surname "):
        return (0, -1, 0, 0)  # 华大妈, 關將軍: the surname, not 华 "Mt Hua", 關 "pass"
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
    use = _adverbs_considered(use, senses)
    literal = _literal_senses(senses)
    return tuple(sorted(senses, key=lambda s: (*_rank(s, use, everyday), s in literal)))


def _function_sense(sense: str) -> bool:
    sense = _LITERARY.sub("", sense, count=1).lstrip()
    return bool(_FUNCTION.search(sense)) and not _VERB.match(sense)


def _adverbs_considered(use: Use | None, senses: Sequence[str]) -> Use | None:
    """``use``, where an adverb's senses in -ly count as function senses (忽 "suddenly",
    自然 "naturally") only if none of its senses already reads as one: 正 "just (at that
    time)" is the adverb, and its "exactly" no better."""
    if use is None or not use.adverbial or not use.pos.startswith("d"):
        return use
    if any(_function_sense(s) for s in senses):
        return dataclasses.replace(use, adverbial=False)
    return use


def _literal_senses(senses: Sequence[str]) -> frozenset[str]:
    """An idiom's word-by-word senses where a figurative one follows ("lit. on all sides,
    the songs of Chu (idiom)" before "fig. surrounded by enemies"): a text uses an idiom
    for what it means, so its figurative senses come first among those that fit alike."""
    if not any("(idiom)" in s for s in senses):
        return frozenset()
    literal = set()
    for i, sense in enumerate(senses):
        if (sense.startswith("lit.") or sense.endswith("(idiom)")) and any(
            later.startswith("fig.") for later in senses[i + 1 :]
        ):
            literal.add(sense)
    return frozenset(literal)


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

    use = _adverbs_considered(use, [s for e in entries for s in e.senses])

    def key(e: DictEntry) -> tuple[int, int, int, int]:
        return min((_rank(s, use) for s in e.senses), default=(2, 4, 4, 1))

    return sorted(entries, key=key)


def entry_fits(entry: DictEntry, use: Use | None) -> bool:
    """Does one of ``entry``'s senses fit ``use`` (its traditional form is then the one)?"""
    # A sense a rule names ranks (0, -1, ...): it fits too.
    return use is not None and any(
        r[0] == 0 and r[1] <= 0 and r[2] == 0 for r in (_rank(s, use) for s in entry.senses)
    )


def country_abbreviation(entry: DictEntry, use: Use | None) -> bool:
    """Is ``entry`` a name's whose sense abbreviates a country (美 "USA") where the word
    is used as a place (美方, jieba's ns)?"""
    return (
        use is not None
        and use.pos.startswith("ns")
        and any(_PLACE_ABBREVIATION.search(s) for s in entry.senses)
    )


def is_note(sense: str) -> bool:
    """A note about the word ("also pr. [san1 jin1]"), not a sense a card should show."""
    return bool(_NOTE.match(sense))
