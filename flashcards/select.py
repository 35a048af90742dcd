"""Select the words to learn, their senses and example sentences, and sentences to study.

The text streams past once: a `VocabularyCollector` keeps, per word and reading, a count,
where it first appeared and the best example so far, so memory grows with the number of
distinct words, not with the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .coverage import CoveragePlan, plan_coverage, reaches
from .dictionary import Dictionary, is_reference_sense
from .levels import hsk_level, levels_of, on_hsk_list, zipf_frequency
from .models import (
    HAN,
    PUNCT,
    SPACE,
    AnnotatedSentence,
    Classifier,
    DictEntry,
    Reading,
    Sentence,
    SentenceItem,
    Vocab,
)
from .segment import boundary_rules, traditional_converter
from .senses import (
    Use,
    asks,
    country_abbreviation,
    entry_fits,
    everyday_sense,
    is_note,
    order_for_use,
    rank_entries,
    use_of,
)
from .tones import mark, reading_key, written

ORDERS = ("appearance", "frequency", "level")
# An example should be a sentence a learner reads at a glance.
_SHORTEST_GOOD = 8
_LONGEST_GOOD = 30
# The word at the very start or end of its example reads as a fragment of a list or a
# heading; a sentence with the word inside it is a little better.
_EDGE_PENALTY = 4
_STANDALONE_PENALTY = 10_000  # more than any sentence's length could add
# An excerpt of a sentence cut by a column break comes after any whole line.
_FRAGMENT_PENALTY = 2 * _STANDALONE_PENALTY
# A sentence showing one of the word's characters elsewhere (国 of 美国 in 中国) would give
# the answer away on a recall or cloze front: any other complete sentence is better.
_REPEAT_PENALTY = 1_000
_UNBALANCED_PENALTY = 500
# A character inside a person's name (唐 of 唐先生, 四 of 常四爷) shows its word only where
# no sentence uses the word itself, even one cut by a column break.
_NAME_USE_PENALTY = 4 * _STANDALONE_PENALTY
_QUOTE_PAIRS = ("“”", "「」", "『』", "‘’", "《》", "（）")


_TRAILING = "。！？；…,.!?;”’」』）)》 "


def _quote_balance(text: str) -> bool:
    return not any(text.count(a) - text.count(b) for a, b in _QUOTE_PAIRS) and (
        text.count('"') % 2 == 0
    )


def _dangling_quotes(text: str) -> tuple[int, int, int | None]:
    """(marks to drop at the start, at the end, where an unclosed quotation's speech
    starts or None) for an example.

    A quotation often spans sentences: the first opens it (自己又云：“今风尘碌碌…) and the
    last closes it (…安置罢。”).
    """
    lead = trail = 0
    for a, b in _QUOTE_PAIRS:
        if len(text) > 1 and text[0] == a and text.count(a) > text.count(b):
            lead = 1
        if len(text) > 1 + lead and text[-1] == b and text.count(b) > text.count(a):
            trail = 1
    speech = None
    for a, b in _QUOTE_PAIRS:
        at = text.rfind(a, lead)
        if at > 0 and text.count(a, lead) > text.count(b, lead) and b not in text[at:]:
            speech = max(speech or 0, at + 1)
    return lead, trail, speech if speech is not None and speech < len(text) - trail - 4 else None


class _Shown:
    """A sentence as an example shows it, from ``start`` to ``end``, with ``before`` and
    ``after`` marks (an excerpt's …): its text, the words it carries, whether its quotes
    balance, and (when first asked for) its pinyin."""

    def __init__(
        self, sentence: Sentence, start: int, end: int, keys: list, before: str = "",
        after: str = "",
    ) -> None:
        text = before + sentence.text[start:end] + after
        self.sentence = sentence if text == sentence.text else replace(sentence, text=text)
        self.offset = start - len(before)  # sentence position minus shown position
        self.readings = [r for r, _ in keys if start <= r.token.start < end]
        self.words = frozenset(
            k for r, k in keys if k and start <= r.token.start < end
        )
        self.balanced = _quote_balance(text)
        self.span = (start, end)
        # How the sentence uses each word it shows (first use): a sentence card glosses
        # its words in the senses that fit here.
        self.uses: dict[tuple[str, str], Use] = {}
        self._marks = (before and "...", after and "...")
        self._pinyin: tuple[str, str] | None = None

    def freeze(self) -> None:
        self.pinyin()
        self.readings = []

    def pinyin(self) -> tuple[str, str]:
        if self._pinyin is None:
            numbered, marked = sentence_pinyin(self.readings)
            lead, tail = self._marks
            self._pinyin = (lead + numbered + tail, lead + marked + tail)
        return self._pinyin


# Where a clause starts or ends inside a sentence: an excerpt of a cut sentence runs from
# one of these to the next, so that it shows whole clauses.
_CLAUSE_MARKS = frozenset("，,；;：:")
_ELLIPSIS = "…"


def _excerpt(sentence: Sentence, keys: list, i: int) -> tuple[int, int, str, str] | None:
    """(start, end, mark before, mark after) of the part of a cut sentence that shows the
    word ``keys[i]``: whole clauses around it, away from the cut (past a first word that
    may be broken, short of a last one), a few clauses long; … where text is left out.
    None where the word is at a cut edge."""
    text = sentence.text
    word = keys[i][0].token
    word_end = word.start + len(word.text)
    start, end = 0, len(text)
    if sentence.cut_before:
        start = keys[0][0].token.start + len(keys[0][0].token.text)
    if sentence.cut_after:
        end = keys[-1][0].token.start
    if not (start <= word.start and word_end <= end):
        return None
    # Clause boundaries in [start, end]; the excerpt is a run of clauses around the word.
    bounds = sorted(
        {start, end}
        | {
            r.token.start + 1
            for r, _ in keys
            if r.token.text in _CLAUSE_MARKS and start < r.token.start + 1 < end
        }
    )
    if sentence.cut_before and len(bounds) > 2 and bounds[1] <= word.start:
        bounds = bounds[1:]  # the first clause starts at the cut: leave it out
    if sentence.cut_after and len(bounds) > 2 and bounds[-2] >= word_end:
        bounds = bounds[:-1]  # the last clause ends at the cut
    lo = max(k for k in range(len(bounds) - 1) if bounds[k] <= word.start)
    hi = lo + 1
    while bounds[hi] < word_end:
        hi += 1
    while bounds[hi] - bounds[lo] < _SHORTEST_GOOD + 4:
        if hi + 1 < len(bounds) and bounds[hi + 1] - bounds[lo] <= _LONGEST_GOOD:
            hi += 1
        elif lo > 0 and bounds[hi] - bounds[lo - 1] <= _LONGEST_GOOD:
            lo -= 1
        else:
            break
    start, end = bounds[lo], bounds[hi]
    if end < len(text) and text[end - 1] in _CLAUSE_MARKS:
        end -= 1
    before = _ELLIPSIS if start > 0 else ""
    after = _ELLIPSIS if end < len(text) else ""
    return start, end, before, after


def _repeats_characters(text: str, word: str) -> bool:
    return len(word) > 1 and any(ch in "".join(text.split(word)) for ch in set(word))


@dataclass(frozen=True)
class SelectionOptions:
    max_words: int | None = None
    order: str = "appearance"
    hsk_min: int | None = None
    hsk_max: int | None = None
    hsk_standard: str = "3.0"
    names: bool = False
    known: frozenset[str] = frozenset()  # simplified forms the learner knows
    learning: frozenset[str] = frozenset()  # being learned (reviewed, not yet for long)
    ignored: frozenset[str] = frozenset()  # never wanted on a card; known for coverage
    skip_learning: bool = False
    target_coverage: float | None = None  # percent of the text's tokens


def example_penalty(sentence: Sentence) -> int:
    """Lower is better: short complete sentences first, very short ones a little later,
    unpunctuated lines (headings, subtitles) only where no sentence has the word."""
    penalty = _length_penalty(len(sentence.text))
    return penalty + (_STANDALONE_PENALTY if sentence.standalone else 0)


def _length_penalty(n: int) -> int:
    return max(0, _SHORTEST_GOOD - n) * 3 + max(0, n - _LONGEST_GOOD)


_OPENING = set("“‘（(《〈【「『［[")
# Pinyin is written with ASCII punctuation: 你好，中国。 -> Nǐhǎo, Zhōngguó.
_ASCII_PUNCT = str.maketrans(
    {
        "，": ",", "。": ".", "！": "!", "？": "?", "：": ":", "；": ";", "、": ",",
        "“": '"', "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")", "《": '"', "》": '"',
        "「": '"', "」": '"', "『": '"', "』": '"', "【": "[", "】": "]", "…": "...",
        "—": "-", "～": "~", "．": ".",
    }
)


def sentence_pinyin(readings: Sequence[Reading]) -> tuple[str, str]:
    """(numbered, marked) pinyin of a sentence.

    Marked pinyin is written as people write pinyin: a word's syllables joined with an
    apostrophe where one is needed (yínháng, Xī'ān), proper nouns capitalised (Zhōngguó),
    ASCII punctuation against the word before it. Numbered pinyin keeps one syllable per
    character and the text's punctuation, as the rest of the project does.
    """
    numbered: list[str] = []
    marked: list[str] = []
    glue = True  # no space before the next piece
    for r in readings:
        text = r.token.text.strip()
        if not text:
            continue
        if r.numbered is None:
            n, m = text, text.translate(_ASCII_PUNCT) if r.token.kind == PUNCT else text
            attach = r.token.kind == PUNCT and text[0] not in _OPENING
        else:
            n, m = r.numbered, written(r.numbered, r.capital)
            # The erhua suffix, cut off by the segmenter, belongs to the word before it
            # (闲话 儿: xiánhuàr); the numbered form keeps one syllable a character.
            attach = r.numbered == "r5" and bool(marked)
            if attach:
                n = " " + n
        if glue or attach:
            numbered.append(n)
            marked.append(m)
        else:
            numbered.append(" " + n)
            marked.append(" " + m)
        glue = r.numbered is None and text[-1] in _OPENING
    return "".join(numbered), "".join(marked)


@dataclass
class _Example:
    penalty: int
    word_start: int
    shown: _Shown  # its pinyin is worked out only for the example a word ends up with
    use: Use = Use()  # how the sentence uses the word: the senses are ordered to fit it

    @property
    def sentence(self) -> Sentence:
        return self.shown.sentence

    @property
    def words(self) -> frozenset[tuple[str, str]]:
        """The (simplified, reading) keys the sentence carries."""
        return self.shown.words

    @property
    def numbered(self) -> str:
        return self.shown.pinyin()[0]

    @property
    def marked(self) -> str:
        return self.shown.pinyin()[1]


@dataclass
class _WordStats:
    simplified: str
    numbered: str
    first_index: int
    forms: dict[str, int] = field(default_factory=dict)  # spellings as written in the input
    count: int = 0
    proper_count: int = 0
    sources: dict[str, None] = field(default_factory=dict)
    example: _Example | None = None
    # Uses other than at the cut edge of a fragment, where 防范措|施 leaves 措 and 施.
    whole: int = 0
    first_use: Use | None = None  # where no sentence makes an example
    # A lone character's neighbours as two-character strings, by how often (雨村: 3), in
    # its uses outside the names known then, and in the use its example comes from.
    pairs: dict[str, int] | None = None
    example_pairs: tuple[str, ...] | None = None
    pieces: int = 0  # uses as a piece of a person's name the segmenter cut apart (雨 村)
    # A lone character's uses where a person called by a given name stands (操大喜, 謂操曰),
    # by written form; whose example is one (its written form), and the best example and
    # its neighbours among the other uses: see VocabularyCollector.stats.
    name_positions: dict[str, int] | None = None
    example_at_name: str | None = None
    inner_example: _Example | None = None
    inner_pairs: tuple[str, ...] | None = None


def word_key(reading: Reading) -> tuple[str, str] | None:
    """(simplified, reading) for a token that can be a word to learn, else None."""
    tok = reading.token
    if tok.kind != HAN or not reading.numbered:
        return None
    return tok.simplified, reading_key(reading.numbered)


def _cut_edges(sentence: Sentence, keys: list) -> set[int]:
    """Where a column cut may have split a word: the word a fragment starts with, and the
    word it ends on when nothing follows that word (防范措 | 施，压实…)."""
    if not sentence.fragment or "\ufffd" in sentence.text:
        return set()
    words = [i for i, (_, key) in enumerate(keys) if key]
    if not words:
        return set()
    edges = set()
    first, last = keys[words[0]][0].token, keys[words[-1]][0].token
    if first.start == 0:
        edges.add(words[0])
    if last.start + len(last.text) == len(sentence.text):
        edges.add(words[-1])
    return edges


@dataclass
class SentenceWords:
    """What one sentence adds to the collector: each word use, in order, as (key, form,
    proper, whole, use, example) where example is None or (penalty, span, at), and the
    spans of the sentence that can show a word. Worked out apart from the collector, so
    that worker processes can do it; the collector only adds them up."""

    source: str
    uses: list[tuple]
    spans: list[_Shown]
    tokens: int = 0  # every token but white space: what coverage is a share of
    # The span of a complete sentence of 8-30 characters (a sentence card to be, whoever's
    # example it is) as (index into spans, penalty), or None.
    study: tuple[int, int] | None = None
    # The person names the segmenter found in the sentence (雨村, 平儿), and for a use of
    # one character the two characters it makes with a lone character before or after it
    # (雨 村 -> "雨村"), by index into ``uses``: a text that names 雨村 elsewhere has cut
    # that name apart here.
    names: tuple[str, ...] = ()
    pairs: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # Lone characters that open a clause and say something (操曰, 瑜曰：), and those that
    # say something after their subject (孔明答曰, 玄德問曰): see _speakers.
    speakers: tuple[str, ...] = ()
    speech_verbs: tuple[str, ...] = ()
    # The uses (by index into ``uses``) of one character where a person called by a given
    # name stands: opening a clause, or right before 曰 (謂操曰). See _name_positions.
    name_positions: frozenset[int] = frozenset()

    def freeze(self) -> SentenceWords:
        """Ready to send to another process: the pinyin worked out, the tokens dropped."""
        for shown in self.spans:
            shown.freeze()
        return self


def sentence_words(annotated: AnnotatedSentence) -> SentenceWords:
    """The word uses of one sentence and the example each could have from it."""
    sentence = annotated.sentence
    keys = [(r, word_key(r)) for r in annotated.readings]
    penalty = None if sentence.fragment or sentence.heading else example_penalty(sentence)
    # A sentence cut by a column break shows its whole clauses away from the cut, marked
    # as an excerpt: an example only for a word no complete sentence has (its penalty is
    # above any whole sentence's).
    excerpt = (
        sentence.fragment
        and not sentence.heading
        and (sentence.cut_before or sentence.cut_after)
        and "\ufffd" not in sentence.text
    )
    # An example shows balanced quotes: a dangling mark at an edge is left out
    # (…安置罢。” -> …安置罢。), and a quotation opened and not closed gives the words
    # inside it the quoted speech alone (又云：“今风尘碌碌…。 -> 今风尘碌碌…。).
    lead, trail, speech = _dangling_quotes(sentence.text)
    shown: dict[tuple[int, int], int] = {}
    spans: list[_Shown] = []
    edges = _cut_edges(sentence, keys)
    uses: list[tuple] = []
    question = asks(annotated.readings)
    bodies: dict[int, int] = {}  # a span's length without its closing punctuation
    for i, (r, key) in enumerate(keys):
        if key is None:
            continue
        use = use_of(annotated.readings, i, question)
        whole = i not in edges
        proper = r.token.proper or _given_name(annotated.readings, i)
        uses.append((key, r.token.text, proper, whole, use, None))
        if penalty is not None:
            start = speech if speech is not None and r.token.start >= speech else lead
            span = (start, len(sentence.text) - trail)
            marks = ("", "")
            own_penalty = penalty
        elif excerpt and whole:
            cut = _excerpt(sentence, keys, i)
            if cut is None:
                continue
            span, marks = cut[:2], cut[2:]
            length = span[1] - span[0] + len(marks[0]) + len(marks[1])
            own_penalty = _FRAGMENT_PENALTY + _length_penalty(length)
        else:
            continue
        if span not in shown:
            shown[span] = len(spans)
            spans.append(_Shown(sentence, *span, keys, *marks))
        which = shown[span]
        example = spans[which]
        if excerpt and not example.balanced:
            continue
        at = r.token.start - example.offset
        body = bodies.get(which)
        if body is None:
            body = bodies[which] = len(example.sentence.text.rstrip(_TRAILING))
        if at <= 0 or at + len(r.token.text) >= body:
            # The word is the first or the last thing in the example (closing
            # punctuation aside).
            own_penalty += _EDGE_PENALTY
        if not example.balanced:
            own_penalty += _UNBALANCED_PENALTY
        if _repeats_characters(example.sentence.text, r.token.text):
            own_penalty += _REPEAT_PENALTY
        uses[-1] = uses[-1][:5] + ((own_penalty, shown[span], at),)
    for shown_span in spans:
        start, end = shown_span.span
        # One entry of ``uses`` for each token with a key, in order.
        for (r, key), use in zip(
            ((r, key) for r, key in keys if key is not None), (u[4] for u in uses), strict=True
        ):
            if start <= r.token.start < end:
                shown_span.uses.setdefault(key, use)
    tokens = sum(1 for r in annotated.readings if r.token.kind != SPACE)
    study = None
    whole_span = (lead, len(sentence.text) - trail)
    if penalty is not None and whole_span in shown and speech is None:
        length = len(spans[shown[whole_span]].sentence.text.strip())
        if _SHORTEST_GOOD <= length <= _LONGEST_GOOD:
            study = (shown[whole_span], penalty)
    # Not a number of people or a relative jieba tags as a person (二人, 二叔).
    names = tuple(
        r.token.simplified or r.token.text
        for r in annotated.readings
        if r.token.proper
        and r.token.pos.startswith("nr")
        and len(r.token.text) in (2, 3)
        and r.token.text[0] not in boundary_rules().numerals
    )
    return SentenceWords(
        sentence.source,
        uses,
        spans,
        tokens,
        study,
        names,
        _lone_pairs(annotated.readings, keys),
        *_speakers(annotated.readings),
        _name_positions(keys),
    )


# Verbs whose object is the one spoken to (謂操曰, 告布曰): the character after them is
# no verb of speech.
_ADDRESSING = frozenset("谓问告对与叱见令使请赐召唤语嘱命")
# What follows a speaker: 曰, or 道 before the colon or the quotation it introduces.
_SAYS = frozenset(["曰"])
_SAYS_BEFORE_A_QUOTE = frozenset(["道"])


def _speakers(readings: Sequence[Reading]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lone characters (as written) right before 曰, or 道 and a quote: those that open a
    clause are the subject of speech, which a text that calls people by a given name alone
    (操曰, 布曰) makes a person; those after another word are mostly the verb of speech
    (孔明答曰, 玄德問曰, 笑曰), which opens a clause too where the subject is left out (答曰)."""
    tokens = [r.token for r in readings if r.token.kind != SPACE]
    speakers, verbs = [], []
    for i, tok in enumerate(tokens[:-1]):
        if tok.kind != HAN or len(tok.text) != 1:
            continue
        after = tokens[i + 1].simplified or tokens[i + 1].text
        quote = tokens[i + 2].text[:1] if i + 2 < len(tokens) else ""
        if after in _SAYS or (after in _SAYS_BEFORE_A_QUOTE and quote and quote in "：:“「"):
            before = tokens[i - 1] if i else None
            if before is None or before.kind == PUNCT:
                speakers.append(tok.text)
            elif (before.simplified or before.text) not in _ADDRESSING:
                verbs.append(tok.text)
    return tuple(speakers), tuple(verbs)


# What introduces a person's given name or style name: 姓曹，名操，字孟德.
_NAMING = frozenset(["名", "字", "小字"])


def _name_positions(keys: list) -> frozenset[int]:
    """The uses of one character that open a clause, stand right before 曰 or follow 名
    or 字: where a text that calls a person by the given name has that person (操大喜,
    謂操曰, 名操), and not where the same character is a word inside a clause (弄權,
    陰雲布)."""
    # The tokens without white space, each with its use's index (None: no use).
    tokens, uses = [], []
    use = -1
    for r, key in keys:
        if key is not None:
            use += 1
        if r.token.kind != SPACE:
            tokens.append(r.token)
            uses.append(use if key is not None else None)
    found = []
    for i, (tok, n) in enumerate(zip(tokens, uses, strict=True)):
        if n is None or len(tok.text) != 1:
            continue
        last = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            last is None
            or last.kind == PUNCT
            or (last.simplified or last.text) in _NAMING
            or (after is not None and (after.simplified or after.text) in _SAYS)
        ):
            found.append(n)
    return frozenset(found)


# Marks a lone surname and the token after it (康 顺子) among a use's neighbour strings.
_SURNAME_MARK = "@"
# Marks two lone characters, the first tagged a person (闰 土, 李 纨, 常 四), among the
# neighbour strings of both.
_TAGGED_PAIR_MARK = "#"
# What the second of such a pair is not, for it to be a name's: a function word, a place
# suffix, a number or a measure word (府 里, 董卓 问 aside), or what ends a name (琦曰).
_NOT_A_NAME_PIECE = ("u", "p", "c", "d", "r", "y", "f", "m", "q", "x", "vg")


def _lone_pairs(readings: Sequence[Reading], keys: list) -> dict[int, tuple[str, ...]]:
    """For each use (by index among the tokens with a key) of one character beside
    another lone character, the two-character strings they make (simplified)."""
    pairs: dict[int, tuple[str, ...]] = {}
    use = -1
    for i, (r, key) in enumerate(keys):
        if key is None:
            continue
        use += 1
        tok = r.token
        if len(tok.text) != 1:
            continue
        found = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(readings):
                other = readings[j].token
                if other.kind == HAN and len(other.text) == 1:
                    a, b = (other, tok) if j < i else (tok, other)
                    pair = (a.simplified or a.text) + (b.simplified or b.text)
                    found.append(pair)
                    if (
                        a.pos.startswith("nr")
                        and not b.pos.startswith(_NOT_A_NAME_PIECE)
                        and pair[1] not in boundary_rules().glue_last
                    ):
                        found.append(_TAGGED_PAIR_MARK + pair)
        if tok.pos.startswith("nr") and (tok.simplified or tok.text) in boundary_rules().surnames:
            # 康 顺子, 松 二爷: a lone surname jieba tags as a person, and what follows it.
            after = readings[i + 1].token if i + 1 < len(readings) else None
            if after is not None and after.kind == HAN and len(after.text) == 2:
                name = (tok.simplified or tok.text) + (after.simplified or after.text)
                found.append(_SURNAME_MARK + name)
        if found:
            pairs[use] = tuple(found)
    return pairs


MAX_STUDY_SENTENCES = 20_000


class VocabularyCollector:
    """Gathers every word of a streamed text with its counts and best example."""

    def __init__(self, study_sentences: bool = True) -> None:
        """``study_sentences``: keep the complete sentences of 8-30 characters for
        sentence cards (a build without sentence cards needs none of them)."""
        self._study_sentences = study_sentences
        self._stats: dict[tuple[str, str], _WordStats] = {}
        # The last character of each person's name in the text (琮 of 刘琮): alone, a rare
        # one is that person called by the given name.
        self._given_names: dict[str, int] = {}
        # Lone characters (as written) by how often they open a clause and speak, and by
        # how often they speak after another word (see _speakers), and by their uses.
        self._speakers: dict[str, int] = {}
        self._speech_verbs: dict[str, int] = {}
        self._written_uses: dict[str, int] = {}
        # Person names found in the text so far, by how often; the neighbour strings of
        # lone characters, by how often (a pair of two lone characters is counted from
        # both, so twice; a surname and what follows it once).
        self._names: dict[str, int] = {}
        self._split: dict[str, int] = {}
        # Uses of each character as a token of its own.
        self._lone_uses: dict[str, int] = {}
        self._order = 0
        self.sentences = 0
        self.tokens = 0
        # Complete sentences of 8-30 characters, candidates for sentence cards besides
        # the words' examples; bounded, so a long book keeps its first ones.
        self.study: list[_Example] = []

    def add(self, annotated: AnnotatedSentence) -> None:
        self.add_words(sentence_words(annotated))

    def add_words(self, words: SentenceWords) -> None:
        """Add one sentence's word uses (from `sentence_words`), in text order."""
        self.sentences += 1
        self.tokens += words.tokens
        stats = self._stats
        kept: set[int] = set()
        names, split = self._names, self._split
        for name in words.names:
            names[name] = names.get(name, 0) + 1
        for speaker in words.speakers:
            self._speakers[speaker] = self._speakers.get(speaker, 0) + 1
        for verb in words.speech_verbs:
            self._speech_verbs[verb] = self._speech_verbs.get(verb, 0) + 1
        for n, (key, form, proper, whole, use, example) in enumerate(words.uses):
            st = stats.get(key)
            if st is None:
                st = stats[key] = _WordStats(key[0], key[1], self._order)
                self._order += 1
            st.count += 1
            at_name = False
            if len(key[0]) == 1:
                self._lone_uses[key[0]] = self._lone_uses.get(key[0], 0) + 1
                self._written_uses[form] = self._written_uses.get(form, 0) + 1
                if not proper and n in words.name_positions:
                    at_name = True
                    if st.name_positions is None:
                        st.name_positions = {}
                    st.name_positions[form] = st.name_positions.get(form, 0) + 1
            pairs = words.pairs.get(n)
            if pairs:
                for p in pairs:
                    split[p] = split.get(p, 0) + 1
            if pairs and not proper:
                if self._in_name(pairs):
                    # 雨 村 where the text names 雨村: a piece of that name, no example.
                    st.pieces += 1
                    example = None
                else:
                    # Counted again at the end, against every name of the text.
                    if st.pairs is None:
                        st.pairs = {}
                    for p in pairs:
                        st.pairs[p] = st.pairs.get(p, 0) + 1
            st.forms[form] = st.forms.get(form, 0) + 1
            st.proper_count += proper
            if proper and len(key[0]) in (2, 3) and use.pos.startswith("nr"):
                given = key[0][-1]
                self._given_names[given] = self._given_names.get(given, 0) + 1
            st.whole += whole
            st.sources.setdefault(words.source, None)
            if st.first_use is None:
                st.first_use = use
            if example is not None and proper and len(key[0]) == 1:
                example = (example[0] + _NAME_USE_PENALTY, *example[1:])
            if example is not None and (
                st.example is None
                or example[0] < st.example.penalty
                or (st.example_pairs and self._in_name(st.example_pairs))
            ):
                # The better example, or any that replaces one the text has since shown
                # to be inside a name (雨 of 雨村, before 雨村 was found).
                shown = words.spans[example[1]]
                st.example = _Example(example[0], example[2], shown, use)
                st.example_pairs = pairs if pairs else None
                st.example_at_name = form if at_name else None
                kept.add(example[1])
            if (
                example is not None
                and len(key[0]) == 1
                and not at_name
                and (st.inner_example is None or example[0] < st.inner_example.penalty)
            ):
                # Kept in case the example's use turns out to be a person (see stats).
                st.inner_example = _Example(example[0], example[2], words.spans[example[1]], use)
                st.inner_pairs = pairs if pairs else None
                kept.add(example[1])
        if (
            self._study_sentences
            and words.study is not None
            and len(self.study) < MAX_STUDY_SENTENCES
        ):
            at, penalty = words.study
            self.study.append(_Example(penalty, -1, words.spans[at]))
            kept.add(at)
        # A kept example's pinyin now, and its tokens let go: holding the tokens of
        # thousands of example sentences costs more memory than the rest of the deck.
        for span in kept:
            words.spans[span].freeze()

    def _in_name(self, pairs: tuple[str, ...]) -> bool:
        """Are two lone characters side by side (any of ``pairs``) a name the segmenter
        found whole often enough in the text, against how often it cut them apart (雨村,
        37 to 64; not 引兵, which jieba's HMM made a name 3 times of 77)?"""
        for p in pairs:
            if p.startswith(_SURNAME_MARK):
                # 康顺子 written 50 times, always cut 康 顺子: 康 is the surname there.
                if self._split.get(p, 0) >= _SURNAME_PAIR_USES:
                    return True
                continue
            if p.startswith(_TAGGED_PAIR_MARK):
                # 闰 土 26 times (闰 tagged a person), 李 纨 139 times: a name, where most
                # uses of one of the two are in it (not 曹 贼, 府 里, 宫 室).
                together = self._split.get(p, 0) / 2  # counted from both characters
                if together >= _TAGGED_PAIR_USES and together >= _TAGGED_PAIR_SHARE * min(
                    self._lone_uses.get(p[1], 0), self._lone_uses.get(p[2], 0)
                ):
                    return True
                continue
            named = self._names.get(p, 0)
            if named >= _NAME_PIECE_USES and named >= _NAME_PIECE_SHARE * (
                named + self._split.get(p, 0) / 2
            ):
                return True
        return False

    def stats(self) -> list[_WordStats]:
        for st in self._stats.values():
            if st.name_positions:
                self._uses_as_given_name(st)
            st.inner_example = st.inner_pairs = None
            if st.pairs:
                # Uses in a name the text named only later (雨 村 before any 雨村).
                late = sum(n for p, n in st.pairs.items() if self._in_name((p,)))
                st.pieces = min(st.count, st.pieces + late)
                st.pairs = None
            if st.example_pairs and self._in_name(st.example_pairs):
                st.example = None
            st.example_pairs = None
            if (
                len(st.simplified) == 1
                and self._given_names.get(st.simplified, 0) >= _NAME_USES
                and not (st.first_use is not None and st.first_use.pos.startswith("v"))
                and zipf_frequency(st.simplified) < _RARE_GIVEN_NAME_ZIPF
            ):
                st.proper_count = st.count  # 琮曰: 刘琮 by his given name
        return list(self._stats.values())

    def _uses_as_given_name(self, st: _WordStats) -> None:
        """Where the character (as written) is a given name the text calls a person by
        (操 of 曹操), its uses that open a clause or say something (操大喜, 謂操曰) are that
        person; the example moves to another use if it was one."""
        positions, st.name_positions = st.name_positions or {}, None
        names = [w for w in positions if self._speaks_as_a_name(w, st.simplified)]
        st.proper_count += sum(positions[w] for w in names)
        if st.example_at_name in names:
            st.example, st.example_pairs = st.inner_example, st.inner_pairs
        st.example_at_name = None

    def _speaks_as_a_name(self, written: str, simplified: str) -> bool:
        """Is the character (as written) the given name the text calls a person by: it ends
        a person's name the text names, opens a clause as the one who speaks (操曰) often
        enough, in a share of its uses no word has (笑曰 follows its subject, 便道 is 2% of
        便), and more often than it says something after its subject (答 of 孔明答曰)?
        Counted as written: 蔣幹 speaks as 幹曰, which says nothing of 乾 "dry", also
        simplified 干."""
        speaks = self._speakers.get(written, 0)
        return (
            self._given_names.get(simplified, 0) >= _NAME_USES
            and speaks >= _SPEAKER_USES
            and speaks >= _SPEAKER_SHARE * self._written_uses.get(written, 0)
            and speaks > self._speech_verbs.get(written, 0)
        )

    def stats_by_key(self) -> dict[tuple[str, str], _WordStats]:
        """The stats by (simplified, reading key), as :func:`word_key` gives."""
        return dict(self._stats)


def _level_for_filter(simplified: str, standard: str) -> int:
    # A word on no HSK list counts as harder than every level.
    level = hsk_level(simplified, standard)
    return 10 if level is None else level


def _entries_for(
    dictionary: Dictionary, st: _WordStats, proper: bool, use: Use | None
) -> list[DictEntry]:
    entries = dictionary.entries_for_reading(st.simplified, st.numbered)
    if not proper:
        # A name's entry stays where the use is a country's short name (美方: 美 "USA"), or
        # where a rule names its sense (访华: 华 "abbr. for China").
        common = [
            e
            for e in entries
            if not e.proper
            or country_abbreviation(e, use)
            or (use is not None and use.sense and use.sense in e.senses)
        ]
        entries = common or entries
    return entries


def _traditional_form(st: _WordStats, entries: list[DictEntry], use: Use | None) -> str:
    # Traditional input: the form the learner's own text uses.
    written = max(st.forms, key=lambda f: (st.forms[f], f)) if st.forms else st.simplified
    if written != st.simplified:
        return written
    # The entry the use chose, where entries of the reading differ in form: 两只 is 隻.
    forms = {e.traditional for e in entries}
    if len(forms) > 1 and entries and entry_fits(entries[0], use) and (
        not entry_fits(entries[-1], use)
    ):
        return entries[0].traditional
    # Simplified input: OpenCC's conversion of the word (phrase-aware: 干净 乾淨, 干涉 干涉),
    # when the dictionary agrees that the reading has that form.
    # An entry that only says "variant of 裡" is no form to teach (OpenCC writes 裏 for 里),
    # nor one glossed as a variant of another form beside it (OpenCC writes 剛纔 for 刚才).
    converted = traditional_converter()(st.simplified)
    forms = [e.traditional for e in entries if not _only_a_variant(e, entries)]
    if converted in forms or not forms:
        return converted
    return forms[0]


# The form a gloss names as the one it is a variant of: "just now (variant of 剛才|刚才[…])".
_GLOSSED_VARIANT = re.compile(r"variant of ([^|\[\s,;()]+)\|")


def _only_a_variant(entry: DictEntry, entries: list[DictEntry]) -> bool:
    """Is ``entry`` only another spelling: every sense a cross-reference ("variant of
    裡|里[li3]"), or glossed as a variant of another form of ``entries`` (剛纔: "just now
    (variant of 剛才|刚才[gang1 cai2])")?"""
    others = {e.traditional for e in entries} - {entry.traditional}
    return all(
        is_reference_sense(s) or any(m.group(1) in others for m in _GLOSSED_VARIANT.finditer(s))
        for s in entry.senses
    )


def _senses(
    entries: list[DictEntry],
    traditional: str,
    use: Use | None,
    dictionary: Dictionary,
    everyday: str | None = None,
) -> tuple[str, ...]:
    matching = [e for e in entries if e.traditional == traditional] or entries
    senses: dict[str, None] = {}
    for e in matching:
        for s in e.senses:
            senses.setdefault(s, None)
    ordered = order_for_use(senses, use, everyday)
    real = tuple(s for s in ordered if _shown_first(s, use))
    return real or _resolved_variant(ordered, use, dictionary) or ordered


def _shown_first(sense: str, use: Use | None) -> bool:
    """May ``sense`` lead a card? Not a cross-reference or a note, unless a rule names it
    for this use (访华: 华 "abbr. for China"), nor a surname, unless the word is one
    character of a name (华大妈, carded with --names)."""
    if use is not None and sense == use.sense:
        return True
    if is_note(sense):
        return False
    if use is not None and use.name_character and sense.startswith("surname "):
        return True
    return not is_reference_sense(sense)


_VARIANT_OF = re.compile(
    r"(?:variant of|\bsee|^same as|^abbr\. for|equivalent (?:of|to)) "
    r"(?P<trad>[^\s\[\]|,;]+?)(?:\|(?P<simp>[^\s\[\]|,;]+?))?"
    r"(?:\[(?P<pinyin>[^\]]+)\])?(?:[\s,;]|$)"
)


def _resolved_variant(
    senses: Sequence[str], use: Use | None, dictionary: Dictionary
) -> tuple[str, ...]:
    """A word CC-CEDICT gives only as "variant of X" (一点儿: erhua variant of 一点), "see
    X" (上房: see 正房), "same as X" or "abbr. for X": X's senses, in that reading where
    one is given."""
    for sense in senses:
        m = _VARIANT_OF.search(sense)
        if not m:
            continue
        target = m.group("simp") or m.group("trad")
        entries = (
            dictionary.entries_for_reading(target, m.group("pinyin"))
            if m.group("pinyin")
            else [e for e in dictionary.lookup(target) if not e.proper]
        )
        found = [
            s
            for e in entries
            for s in e.senses
            if not is_reference_sense(s) and not is_note(s)
        ]
        if found:
            return order_for_use(found, use)
    return ()


def _classifiers(entries: list[DictEntry]) -> tuple[Classifier, ...]:
    seen: dict[Classifier, None] = {}
    for e in entries:
        for c in e.classifiers:
            seen.setdefault(c, None)
    return tuple(seen)


def _to_vocab(st: _WordStats, dictionary: Dictionary) -> Vocab:
    name = _is_name(st)
    ex = st.example
    use = ex.use if ex else st.first_use
    entries = rank_entries(_entries_for(dictionary, st, name, use), use)
    # A proper noun to card and tag: every entry of the reading is a name (中国, 北京).
    proper = name or (bool(entries) and all(e.proper for e in entries))
    traditional = _traditional_form(st, entries, use)
    return Vocab(
        simplified=st.simplified,
        traditional=traditional,
        numbered=st.numbered,
        marked=mark(st.numbered),
        senses=_senses(
            entries, traditional, use, dictionary, everyday_sense(st.simplified, st.numbered)
        ),
        classifiers=_classifiers(entries),
        levels=levels_of(st.simplified),
        count=st.count,
        first_index=st.first_index,
        sentence=ex.sentence if ex else None,
        sentence_numbered=ex.numbered if ex else "",
        sentence_marked=ex.marked if ex else "",
        word_start=ex.word_start if ex else -1,
        proper=proper,
        sources=tuple(st.sources),
        name=name,
    )


def _sort_key(order: str, standard: str):
    if order == "appearance":
        return lambda v: v.first_index
    if order == "frequency":
        return lambda v: (-v.count, -v.levels.zipf, v.first_index)
    if order == "level":
        return lambda v: (_level_for_filter(v.simplified, standard), v.first_index)
    raise ValueError(f"unknown order {order!r}; expected one of: {', '.join(ORDERS)}")


# Why a word of the text is not in the deck, in the order the reasons are checked.
LEFT_OUT_REASONS = (
    "known",
    "ignored",
    "learning",
    "not_in_dictionary",
    "cut",
    "below_hsk_min",
    "beyond_hsk_max",
    "names",
    "no_senses",
    "target_reached",
    "max_words",
)


@dataclass(frozen=True)
class Selection:
    """The words chosen, and what happened to the rest of the text's words."""

    vocab: tuple[Vocab, ...]
    words: int  # distinct words of the text (word and reading), names included
    left_out: dict[str, int]  # reason (LEFT_OUT_REASONS) -> words
    coverage: CoveragePlan  # coverage before and with the chosen words


def select_vocabulary(
    collector: VocabularyCollector, dictionary: Dictionary, options: SelectionOptions
) -> list[Vocab]:
    """The words to learn, filtered and ordered as the options say."""
    return list(plan_vocabulary(collector, dictionary, options).vocab)


# Below this, a character right after a lone surname is its given name more often than
# a word of its own (纨 of 李纨, 琮 of 刘琮).
_GIVEN_NAME_ZIPF = 3.6


# A person named this often in the text is one it is about; a character rarer than this
# is more often their given name than a word.
_NAME_USES = 3
_RARE_GIVEN_NAME_ZIPF = 3.0
# Found as a person's name this often, and this share of the times they stand side by
# side, two lone characters are that name: fewer are slips of jieba's HMM (有诗, 引兵).
_NAME_PIECE_USES = 3
_NAME_PIECE_SHARE = 0.25
# A character that opens a clause before 曰 this often, and in this share of its uses (as
# written), is a person's given name in the text (in 三国演义 操 25%, 布 22%, 飞 15%; no
# word of the modern texts or 红楼梦 reaches it: 笑道 7%, 便道 2%).
_SPEAKER_USES = 5
_SPEAKER_SHARE = 0.1
# A lone surname before the same token this often in a text is that person's surname.
_SURNAME_PAIR_USES = 4
# Two lone characters, the first tagged a person, this often side by side and this share
# of the uses of one of them, are a name the segmenter always cut (闰土, 李纨, 常四).
_TAGGED_PAIR_USES = 6
_TAGGED_PAIR_SHARE = 0.5


def _given_name(readings: Sequence[Reading], i: int) -> bool:
    """Is the token at ``i`` a rare character alone right after a lone surname jieba tags
    as a person (李 纨, where jieba cut the name apart)? Counted as a use in a name: a
    character that is such a piece in most of its uses in the text is not carded."""
    tok = readings[i].token
    if len(tok.text) != 1 or i == 0 or tok.pos.startswith(("v", "d", "p", "c", "u", "r", "m")):
        return False
    prev = readings[i - 1].token
    if (
        prev.kind == HAN
        and prev.pos.startswith("nr")
        and (prev.simplified or prev.text) in boundary_rules().compound_surnames
    ):
        return True  # 夏侯 德, 諸葛 瑾: after a two-character surname, its given name
    return (
        prev.kind == HAN
        and len(prev.text) == 1
        and prev.pos.startswith("nr")
        and prev.simplified in boundary_rules().surnames
        and zipf_frequency(tok.simplified) < _GIVEN_NAME_ZIPF
    )


def _is_name(st: _WordStats) -> bool:
    # A name: most of its uses were tokens the segmenter flagged as a person's name, or
    # every use a piece of one (黛 of 黛玉); 雨, in 雨村 but for two uses, is rain there.
    # A word on an HSK list used once outside a name is that word (四 of 常四爷 and of
    # 四侄媳妇: "four").
    outside = st.count - st.pieces
    if outside <= 0:
        return True
    if outside > st.proper_count and on_hsk_list(st.simplified):
        return False
    return st.proper_count * 2 > outside


def plan_vocabulary(
    collector: VocabularyCollector, dictionary: Dictionary, options: SelectionOptions
) -> Selection:
    """The words to learn, filtered and ordered as the options say, with the count of the
    words left out by reason and the text's coverage before and after (names, numbers,
    punctuation, known and ignored words count as known). With ``target_coverage``, the
    fewest candidates that reach it, the most used first, ties to the more frequent word
    in wordfreq (see flashcards.coverage)."""
    sort_key = _sort_key(options.order, options.hsk_standard)
    left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
    chosen = []
    unknown_tokens = 0
    for st in collector.stats():
        if st.simplified in options.known:
            left_out["known"] += 1
            continue
        if st.simplified in options.ignored:
            left_out["ignored"] += 1
            continue
        if not _is_name(st):
            unknown_tokens += st.count
        if options.skip_learning and st.simplified in options.learning:
            left_out["learning"] += 1
            continue
        if st.simplified not in dictionary:
            left_out["not_in_dictionary"] += 1
            continue  # a name jieba found but no dictionary knows: nothing to teach
        if not st.whole:
            left_out["cut"] += 1
            continue  # seen only where a column cut a word in two
        level = _level_for_filter(st.simplified, options.hsk_standard)
        if options.hsk_min is not None and level < options.hsk_min:
            left_out["below_hsk_min"] += 1
            continue
        if options.hsk_max is not None and level > options.hsk_max:
            left_out["beyond_hsk_max"] += 1
            continue
        vocab = _to_vocab(st, dictionary)
        if vocab.name and not options.names:
            left_out["names"] += 1
            continue
        if not vocab.senses:
            left_out["no_senses"] += 1
            continue
        chosen.append(vocab)
    tokens = collector.tokens
    by_key = {(v.simplified, v.numbered): v for v in chosen}
    plan = plan_coverage(
        # A name carded with --names was counted known already: it adds nothing.
        [(key, 0 if v.name else v.count) for key, v in by_key.items()],
        tokens=tokens,
        known_tokens=tokens - unknown_tokens,
        target=options.target_coverage,
        tie_break=lambda key: (-by_key[key].levels.zipf, by_key[key].first_index),
    )
    if options.target_coverage is not None:
        left_out["target_reached"] = len(chosen) - len(plan.words)
        chosen = [by_key[key] for key in plan.words]
    if options.max_words is not None and len(chosen) > options.max_words:
        # The most useful words: those the text uses most, then the rarer ones.
        chosen.sort(key=lambda v: (-v.count, v.levels.zipf, v.first_index))
        left_out["max_words"] = len(chosen) - options.max_words
        chosen = chosen[: options.max_words]
    if len(chosen) != len(plan.words):  # max_words cut, or no target: what is taught
        plan = replace(
            plan,
            words=tuple((v.simplified, v.numbered) for v in chosen),
            new_tokens=sum(0 if v.name else v.count for v in chosen),
            reached=options.target_coverage is None
            or reaches(
                plan.known_tokens + sum(0 if v.name else v.count for v in chosen),
                tokens,
                options.target_coverage,
            ),
        )
    chosen.sort(key=sort_key)
    return Selection(tuple(chosen), len(collector.stats()), left_out, plan)


def select_sentences(
    collector: VocabularyCollector,
    vocab: Sequence[Vocab],
    limit: int,
    known: frozenset[str] = frozenset(),
) -> list[SentenceItem]:
    """Up to ``limit`` complete sentences to study, each placed after the word it
    introduces (i+1): the sentences whose words the learner knows (``known``: simplified
    forms, ignored words among them; names count as known) or was taught earlier in the
    deck (``vocab``, in deck order), all but one, the last of them taught. Where a sentence
    has words the deck never teaches, it is i+2, i+3…; the fewest such words come first.

    Candidates are the example sentences of the text's words and the complete sentences of
    8-30 characters (the first MAX_STUDY_SENTENCES), kept while the text streamed past;
    8-30 characters come before longer or shorter ones, and a second sentence for
    the same word only when every word that has one has one. An excerpt of a cut sentence
    (…) shows a word but is no sentence to study.
    """
    if limit <= 0:
        return []
    by_key = {(v.simplified, reading_key(v.numbered)): v for v in vocab}
    position = {key: i for i, key in enumerate(by_key)}
    stats = collector.stats_by_key()
    candidates: dict[int, _Example] = {}
    for st in stats.values():
        if st.example is not None and st.example.penalty < _FRAGMENT_PENALTY:
            candidates.setdefault(st.example.sentence.index, st.example)
    for ex in collector.study:
        candidates.setdefault(ex.sentence.index, ex)
    ranked = []
    for ex in candidates.values():
        unknown = {
            key
            for key in ex.words
            if key[0] not in known and not (key in stats and _is_name(stats[key]))
        }
        taught = [key for key in unknown if key in by_key]
        if not taught:
            continue  # nothing of the deck in it: no card of this deck leads to it
        introduces = max(taught, key=position.__getitem__)
        new_words = 1 + len(unknown) - len(taught)
        length = len(ex.sentence.text.strip())
        outside = not (_SHORTEST_GOOD <= length <= _LONGEST_GOOD)
        rank = (outside, new_words, ex.penalty, ex.sentence.index)
        ranked.append((rank, ex, introduces, new_words))
    ranked.sort(key=lambda item: item[0])
    # One sentence a word first, then more where slots are left. A sentence the text says
    # twice is one note (its GUID is its text): only its best-ranked place counts.
    first: list = []
    rest: list = []
    used: set = set()
    said: set[str] = set()
    for item in ranked:
        identity = item[1].sentence.identity
        if identity in said:
            continue
        said.add(identity)
        (first if item[2] not in used else rest).append(item)
        used.add(item[2])
    chosen = (first + rest)[:limit]
    chosen.sort(key=lambda item: (position[item[2]], item[3], item[1].sentence.index))
    return [
        SentenceItem(
            sentence=ex.sentence,
            numbered=ex.numbered,
            marked=ex.marked,
            words=tuple(
                sorted(
                    (_as_used(by_key[k], ex.shown.uses.get(k)) for k in ex.words if k in by_key),
                    key=lambda v: v.first_index,
                )
            ),
            new_words=new_words,
            introduces=by_key[introduces],
        )
        for _, ex, introduces, new_words in chosen
    ]


def _as_used(v: Vocab, use: Use | None) -> Vocab:
    """The word with its senses ordered for how this sentence uses it (its note keeps the
    order its own example gives)."""
    if use is None:
        return v
    senses = order_for_use(v.senses, use)
    return v if senses == v.senses else replace(v, senses=senses)


def known_forms(words: Iterable[str]) -> frozenset[str]:
    """Known words given in either script, as the forms text words are matched against."""
    from .known import simplified_form

    return frozenset(f for f in map(simplified_form, words) if f)
