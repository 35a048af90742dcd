"""The plain frozen records that pass from one stage of the pipeline to the next.

read text -> split sentences -> segment -> look up -> pinyin in context -> levels
-> select words and sentences -> render notes -> package
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# Token kinds. Only HAN tokens can ever be words to learn.
HAN = "han"
NUMBER = "number"
LATIN = "latin"
PUNCT = "punct"
SYMBOL = "symbol"
SPACE = "space"


@dataclass(frozen=True)
class Source:
    """One input: a file, stdin, or a chapter of a book. Its text is streamed, never stored
    here."""

    name: str  # what tags and reports call it: a file stem, or "stdin"
    encoding: str  # the encoding it was read with
    format: str = "text"  # text, epub, subtitles, html or pdf (flashcards.read.detect)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the input, in the input's own script."""

    index: int  # position in the whole document (all sources), from 0
    text: str
    source: str  # Source.name
    paragraph: int
    # Cut off by a page or column break: counted, never shown as an example.
    fragment: bool = False
    # A short unpunctuated line on its own (a heading, a subtitle, a line of verse): an
    # example only where no punctuated sentence has the word.
    standalone: bool = False
    # A chapter or act title (第一回 …): its words count and are taught, never as example.
    heading: bool = False
    # Which ends of a fragment a page or column break cut: the clauses away from the cut
    # can still show a word that no complete sentence has, marked as an excerpt (…).
    cut_before: bool = False
    cut_after: bool = False

    @property
    def identity(self) -> str:
        """The text as compared for identity (NFC, outer whitespace dropped): a sentence
        said twice is one sentence note."""
        return unicodedata.normalize("NFC", self.text.strip())


@dataclass(frozen=True)
class Classifier:
    """A measure word from a CC-CEDICT ``CL:`` sense."""

    simplified: str
    traditional: str
    numbered: str  # e.g. "ge4"


@dataclass(frozen=True)
class DictEntry:
    """One CC-CEDICT entry: one headword with one reading."""

    traditional: str
    simplified: str
    numbered: str  # CC-CEDICT's pinyin, e.g. "yin2 hang2"; capitalised for names
    senses: tuple[str, ...]
    classifiers: tuple[Classifier, ...] = ()  # taken out of the "CL:個|个[ge4]" sense

    @property
    def proper(self) -> bool:
        """CC-CEDICT marks names (people, places) with a capitalised reading."""
        return self.numbered[:1].isupper()

    @property
    def reading_key(self) -> str:
        """The reading as compared for identity (see tones.reading_key)."""
        from .tones import reading_key

        return reading_key(self.numbered)


@dataclass(frozen=True)
class Token:
    """A piece of a sentence as the segmenter cut it, aligned with the dictionary."""

    text: str  # as it stands in the input (traditional stays traditional)
    kind: str  # HAN, NUMBER, LATIN, PUNCT, SYMBOL or SPACE
    sentence: int  # Sentence.index
    start: int  # character offset within the sentence
    simplified: str = ""  # the simplified form used for look-ups; "" for non-Han tokens
    pos: str = ""  # jieba's part-of-speech tag
    proper: bool = False  # a person, place or organisation name
    in_dictionary: bool = False

    @property
    def is_word(self) -> bool:
        return self.kind == HAN


@dataclass(frozen=True)
class Reading:
    """A token with the pinyin it has in its sentence."""

    token: Token
    numbered: str | None  # "zhang3"; one syllable per Han character, None for non-Han tokens
    marked: str | None  # "zhǎng"
    capital: bool = False  # a proper noun in this reading (中国 Zhōngguó), written capitalised


@dataclass(frozen=True)
class Levels:
    hsk2: int | None  # HSK 2.0 level 1-6
    hsk3: int | None  # HSK 3.0 (GF0025-2021) level 1-6, 7 for the 7-9 band
    zipf: float  # wordfreq's Zipf frequency, 0.0 when unknown


@dataclass(frozen=True)
class AnnotatedSentence:
    """A sentence with every token read in context. The pipeline streams these, so that
    a 50 MB text never has to be held in memory at once."""

    sentence: Sentence
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Vocab:
    """A word to learn, in one reading, with what the learner sees on the card."""

    simplified: str
    traditional: str
    numbered: str
    marked: str
    senses: tuple[str, ...]
    classifiers: tuple[Classifier, ...]
    levels: Levels
    count: int  # how often the text uses the word in this reading
    first_index: int  # order of first appearance in the document
    sentence: Sentence | None  # example sentence, a complete one
    sentence_numbered: str = ""
    sentence_marked: str = ""
    word_start: int = -1  # where the word stands in the example sentence
    proper: bool = False  # a proper noun (中国, 北京): tagged proper-noun
    sources: tuple[str, ...] = field(default_factory=tuple)
    name: bool = False  # a person's name: left out unless --names


@dataclass(frozen=True)
class SentenceItem:
    """A sentence to study as a whole, with the selected words it carries."""

    sentence: Sentence
    numbered: str  # pinyin of the whole sentence, syllables space-separated per token
    marked: str
    words: tuple[Vocab, ...]
    # i+N: the words of the sentence the learner neither knows nor was taught before it in
    # the deck (the word it introduces among them); 0 where not worked out.
    new_words: int = 0
    introduces: Vocab | None = None  # the deck's word this sentence comes right after
