"""Pinyin in context: each token of a sentence read the way that sentence needs.

A token is read, in this order of trust:

1. its traditional spelling, where that allows one reading only (隻 zhi1, 乾 gan1);
2. a context rule from ``data/polyphones.json`` for that word or character (得 after a verb
   is de5, before a verb dei3; 只 after a numeral is zhi1, ...). The table is ours, written
   from grammar, for the common polyphones a learner meets; its ``default`` is the reading
   of the character standing alone (了 le5, 子 zi3, 为 wei2);
3. CC-CEDICT, when the word has exactly one reading there (names count for names only);
   for a word with several, the one pypinyin's phrase list gives (allowing CC-CEDICT's
   neutral tone where pypinyin has the full one), else CC-CEDICT's first;
4. for a single character CC-CEDICT cannot settle: a surname's reading at the start of a
   person's name; a classifier's reading after a numeral (两幢 zhuang4); the g2pM model
   (see PolyphoneModel) for rare polyphones; pypinyin's reading of the whole sentence
   where one of its phrases decided it; else the character's usual reading: pypinyin's for
   a character that is a common word by itself, else the reading it has in most CC-CEDICT
   words (勒 le4, 什 shi2), else pypinyin's.

Tone sandhi is not applied: 一 is yi1 and 不 is bu4 everywhere, as a dictionary cites them.
Every Han character gets exactly one syllable; ü is written ``ü``, the neutral tone 5.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin, pinyin

from .cache import cached_table
from .dictionary import PARSER_VERSION, Dictionary, is_reference_sense
from .han import has_han, is_han
from .levels import zipf_frequency
from .models import NUMBER, PUNCT, SPACE, Reading, Token
from .segment import to_simplified
from .tones import mark, normalise_u

# Stands for "no token here or punctuation": the edge of a clause.
EDGE = "$EDGE"
# Stands for any number token (digits, or a run of Chinese numerals).
NUM = "$NUM"

# wordfreq's Zipf value above which a character is a common word on its own (~1 in 100,000
# words): 呢 5.8, 都 6.6, 只 5.9; 勒 4.5, 什 4.3, 蛤 3.8 mostly live inside longer words.
STANDALONE_ZIPF = 5.0

_CONDITIONS = (
    "prev",
    "prev2",
    "next",
    "next2",
    "prev_last",
    "next_first",
    "prev_pos",
    "prev2_pos",
    "next_pos",
    "pos",
    "before",
    "after",
    "not_prev",
    "not_next",
    "not_next_first",
    "not_next_pos",
    "not_prev_pos",
    "not_next2",
    "next2_pos",
    "prev_redup",
    "after_pos",
    "proper",
)


# --------------------------------------------------------------------------- the rule table


@dataclass(frozen=True)
class Rule:
    reading: str
    conditions: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class WordRules:
    rules: tuple[Rule, ...]
    default: str | None  # the reading when no rule fires; None: let the generic path decide


@dataclass(frozen=True)
class RuleTable:
    words: dict[str, WordRules]
    surnames: dict[str, str]  # a character's reading as the first character of a name
    names: dict[str, str]  # a character's reading inside a name (mostly transliterations)


def _expand(values: Any, sets: dict[str, list[str]]) -> Any:
    """``["@NUMERAL", "几"]`` -> the NUMERAL set's members plus 几, as a frozenset."""
    if isinstance(values, bool):
        return values
    if isinstance(values, str):
        values = [values]
    out: set[str] = set()
    for v in values:
        if v.startswith("@"):
            out.update(sets[v[1:]])
        else:
            out.add(v)
    return frozenset(out)


def parse_rule_table(data: dict) -> RuleTable:
    """Check and compile the JSON rule table; a mistake in it fails loudly and at once."""
    sets: dict[str, list[str]] = data.get("sets", {})
    words: dict[str, WordRules] = {}
    for word, spec in data["words"].items():
        rules = []
        for raw in spec.get("rules", ()):
            raw = dict(raw)
            reading = raw.pop("reading")
            raw.pop("why", None)
            unknown = set(raw) - set(_CONDITIONS)
            if unknown:
                raise ValueError(f"{word}: unknown rule conditions {sorted(unknown)}")
            if len(reading.split()) != len(word):
                raise ValueError(f"{word}: reading {reading!r} has the wrong syllable count")
            conditions = tuple((k, _expand(v, sets)) for k, v in raw.items())
            rules.append(Rule(reading, conditions))
        default = spec.get("default")
        if default is not None and len(default.split()) != len(word):
            raise ValueError(f"{word}: default {default!r} has the wrong syllable count")
        words[word] = WordRules(tuple(rules), default)
    return RuleTable(words, dict(data.get("surnames", {})), dict(data.get("names", {})))


@lru_cache(maxsize=1)
def rule_table() -> RuleTable:
    text = resources.files("flashcards").joinpath("data/polyphones.json").read_text("utf-8")
    return parse_rule_table(json.loads(text))


# --------------------------------------------------------------------------- readings


def _clean(numbered: str) -> str:
    """CC-CEDICT or pypinyin spelling -> ours: lowercase, ü as ü, a tone number 1-5."""
    syllables = []
    for s in numbered.split():
        s = normalise_u(s.lower())
        if not s[-1:].isdigit():
            s += "5"
        syllables.append(s)
    return " ".join(syllables)


def _usable(numbered: str, word: str) -> bool:
    """One syllable per character, no placeholder (xx5) and no bare letter syllable."""
    syllables = numbered.split()
    if len(syllables) != len(word):
        return False
    return all(s[:-1].isalpha() and not s.startswith("xx") for s in syllables)


@lru_cache(maxsize=65536)
def _pypinyin_char(ch: str) -> str:
    return _clean(lazy_pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True)[0])


@lru_cache(maxsize=65536)
def _pypinyin_phrase(word: str) -> str:
    """pypinyin's reading of a whole word, without the tone sandhi of 一 and 不 that its
    phrase list sometimes carries (不是 bu2 shi4): we cite the dictionary tone."""
    syllables = _clean(
        " ".join(lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True))
    ).split()
    for k, ch in enumerate(word):
        if ch in _SANDHI and syllables[k] != _SANDHI[ch][:-1] + "5":
            syllables[k] = _SANDHI[ch]
    return " ".join(syllables)


_SANDHI = {"一": "yi1", "不": "bu4"}


def _closest(wanted: str, choices: Sequence[str]) -> str:
    """The choice equal to ``wanted``; else one that differs only where it has the neutral
    tone (好处: pypinyin hao3 chu4, CC-CEDICT hao3 chu5); else the first."""
    if wanted in choices:
        return wanted
    target = wanted.split()
    for choice in choices:
        syllables = choice.split()
        if len(syllables) == len(target) and all(
            a == b or (a[:-1] == b[:-1] and a[-1] == "5")
            for a, b in zip(syllables, target, strict=True)
        ):
            return choice
    return choices[0]


@lru_cache(maxsize=65536)
def _pypinyin_polyphonic(ch: str) -> bool:
    """Does pypinyin know more than one reading of ``ch`` (so a phrase could choose)?"""
    return len(set(pinyin(ch, style=Style.TONE3, heteronym=True)[0])) > 1


def _pypinyin_run(text: str) -> list[str]:
    """pypinyin's reading of each character of ``text`` (non-Han characters: themselves)."""
    out = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
    )
    if len(out) != len(text):  # never seen, but alignment is what everything rests on
        out = [
            lazy_pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0] if is_han(c) else c
            for c in text
        ]
    return [_clean(s) if is_han(c) else s for c, s in zip(text, out, strict=True)]


@dataclass(frozen=True)
class _Candidates:
    common: tuple[str, ...]  # readings of real entries, dictionary order
    variant: tuple[str, ...]  # readings of "variant of X" entries (粘 nian2 = 黏)
    proper: tuple[str, ...]  # readings of name entries
    surname: tuple[str, ...]  # readings of entries that say "surname X"
    classifier: tuple[str, ...]  # readings with a "classifier for ..." sense (只 zhi1)


@lru_cache(maxsize=131072)
def _candidates(dictionary: Dictionary, word: str, written: str) -> _Candidates:
    entries = dictionary.lookup(word)
    if written != word:
        # The traditional form can settle what the simplified one cannot (隻 zhi1, 乾 gan1).
        narrowed = [e for e in entries if e.traditional == written]
        entries = narrowed or entries
    common: dict[str, None] = {}
    variant: dict[str, None] = {}
    proper: dict[str, None] = {}
    surname: dict[str, None] = {}
    classifier: dict[str, None] = {}
    for e in entries:
        reading = _clean(e.numbered)
        if not _usable(reading, word):
            continue
        if any(s.lower().startswith("surname ") for s in e.senses):
            surname.setdefault(reading, None)
        if e.proper:
            proper.setdefault(reading, None)
        elif not all(is_reference_sense(s) for s in e.senses):
            common.setdefault(reading, None)
            if any(s.startswith("classifier") for s in e.senses):
                classifier.setdefault(reading, None)
        elif any("variant of" in s for s in e.senses):
            variant.setdefault(reading, None)
    return _Candidates(
        tuple(common), tuple(variant), tuple(proper), tuple(surname), tuple(classifier)
    )


@lru_cache(maxsize=65536)
def _written_readings(dictionary: Dictionary, word: str, written: str) -> tuple[str, ...]:
    """The readings of the entries spelt exactly as ``written`` when that is a traditional
    form other than ``word``; () when the input was simplified or matches no entry."""
    if written == word:
        return ()
    found: dict[str, None] = {}
    for e in dictionary.lookup(written):
        if e.traditional == written:
            reading = _clean(e.numbered)
            if _usable(reading, word):
                found.setdefault(reading, None)
    return tuple(found)


def _count_char_readings(dictionary: Dictionary) -> tuple[dict, dict]:
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, dict[str, int]] = {}
    for word in dictionary.words():
        if len(word) < 2:
            continue
        for e in dictionary.lookup(word):
            if e.simplified != word:
                continue
            reading = _clean(e.numbered)
            if not _usable(reading, word):
                continue
            for ch, syl in zip(word, reading.split(), strict=True):
                per_char = counts.setdefault(ch, {})
                per_char[syl] = per_char.get(syl, 0) + 1
                if e.proper:
                    per_name = names.setdefault(ch, {})
                    per_name[syl] = per_name.get(syl, 0) + 1
    return counts, names


@lru_cache(maxsize=4)
def _char_counts(dictionary: Dictionary) -> tuple[dict[str, dict], dict[str, dict]]:
    """How often each character takes each reading across CC-CEDICT's multi-character
    words: in all of them, and in names only.

    The reading a character has in most words is its usual one when it stands alone in an
    unknown compound or a transliteration (勒 le4, 什 shi2, 蛤 ge2), which pypinyin's
    per-character default (from Unihan) often gets wrong. Counting reads every entry of
    the dictionary, so the counts are cached beside the parsed dictionary.
    """
    source = Path(dictionary.source) if dictionary.source else None
    if source is None or not source.is_file():
        return _count_char_readings(dictionary)
    return cached_table(
        "char-readings",
        [source],
        f"{PARSER_VERSION}-{_CHAR_COUNTS_VERSION}",
        lambda: _count_char_readings(dictionary),
    )


# Bump when _count_char_readings or _clean changes what it counts.
_CHAR_COUNTS_VERSION = 1


# The counts must say clearly that a reading is the usual one before they overrule
# pypinyin's default: a few words are no evidence (钌 liao3 has one word, liao4 another).
_MIN_WORDS = 3
_MARGIN = 2


def usual_reading(
    ch: str, dictionary: Dictionary, allowed: Sequence[str] = (), name: bool = False
) -> str:
    """The reading of a lone character when nothing in its context says otherwise."""
    table = rule_table().words.get(ch)
    if table is not None and table.default:
        return table.default
    fallback = _pypinyin_char(ch)
    fallback_ok = not allowed or fallback in allowed
    if fallback_ok and _standalone(ch):
        # A character often used as a word by itself (呢, 都, 还): its reading as a word,
        # which pypinyin's default gives, beats its reading inside compounds (呢子 ni2).
        return fallback
    all_counts, name_counts = _char_counts(dictionary)
    for found in (name_counts.get(ch), all_counts.get(ch)) if name else (all_counts.get(ch),):
        if not found:
            continue
        counts = Counter(found)
        ranked = [(r, n) for r, n in counts.most_common() if not allowed or r in allowed]
        if not ranked:
            continue
        top, n = ranked[0]
        if not fallback_ok:
            return top
        if top == fallback:
            return fallback
        if n >= _MIN_WORDS and n >= _MARGIN * counts.get(fallback, 0):
            return top
        break
    if fallback_ok:
        return fallback
    return allowed[0]


# --------------------------------------------------------------------------- the model


class PolyphoneModel:
    """g2pM's polyphone classifier (Kakao Brain, Apache-2.0): a one-layer BiLSTM over
    characters with a two-layer head, trained on the CPP corpus of Wikipedia sentences.

    The weights are the ones its PyPI package ships; the inference is ours, because g2pM's
    own code runs both directions over the whole sentence for every call (about 2 ms a
    sentence). Here the forward pass stops at the last character asked about and the
    backward pass at the first, the input projections are one matrix product, and the
    answer is the best of the character's own readings, never another character's.
    """

    def __init__(self, folder: str) -> None:
        import pickle

        import numpy as np

        def load(name: str):
            with open(f"{folder}/{name}", "rb") as fh:
                return pickle.load(fh)  # the package's own files, shipped with it

        weights = load("np_ckpt.pkl")
        self.np = np
        self.char_ids: dict[str, int] = load("char2idx.pkl")
        classes: dict[str, int] = load("class2idx.pkl")
        cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        # Only characters with two or more readings are the model's to decide.
        self.readings = {
            ch: [(classes[r], _clean(r.replace("u:", "v"))) for r in rs if r in classes]
            for ch, rs in cedict.items()
            if len(rs) > 1
        }
        self.embedding = weights["embedding.weight"]
        self.forward = self._direction(weights, "")
        self.backward = self._direction(weights, "_reverse")
        self.hidden = (weights["logit_layer.0.weight"].T, weights["logit_layer.0.bias"])
        self.output = (weights["logit_layer.2.weight"].T, weights["logit_layer.2.bias"])
        self.unknown = self.char_ids["<UNK>"]
        self.begin = self.char_ids["시"]  # g2pM's sentence-start and sentence-end tokens
        self.end = self.char_ids["끝"]

    @staticmethod
    def _direction(weights: dict, suffix: str):
        w_ih = weights[f"lstm.weight_ih_l0{suffix}"].T
        w_hh = weights[f"lstm.weight_hh_l0{suffix}"].T
        bias = weights[f"lstm.bias_ih_l0{suffix}"] + weights[f"lstm.bias_hh_l0{suffix}"]
        return w_ih, w_hh, bias

    def knows(self, ch: str) -> bool:
        return ch in self.readings

    def _run(self, inputs, direction, steps: int):
        """Hidden states of an LSTM over the first ``steps`` rows of ``inputs``."""
        np = self.np
        w_ih, w_hh, bias = direction
        gates_in = inputs[:steps] @ w_ih + bias
        size = w_hh.shape[0]
        h = np.zeros(size, dtype=np.float32)
        c = np.zeros(size, dtype=np.float32)
        out = np.empty((steps, size), dtype=np.float32)
        for t in range(steps):
            g = gates_in[t] + h @ w_hh
            i, f = 1 / (1 + np.exp(-g[: 2 * size].reshape(2, size)))
            o = 1 / (1 + np.exp(-g[3 * size :]))
            c = f * c + i * np.tanh(g[2 * size : 3 * size])
            h = o * np.tanh(c)
            out[t] = h
        return out

    def predict(self, text: str, positions: Sequence[int]) -> dict[int, str]:
        """The reading of the character at each of ``positions`` the model knows."""
        np = self.np
        wanted = [p for p in positions if text[p] in self.readings]
        if not wanted:
            return {}
        ids = [self.begin, *(self.char_ids.get(c, self.unknown) for c in text), self.end]
        emb = self.embedding[np.array(ids)]
        n = len(ids)
        first, last = min(wanted) + 1, max(wanted) + 1  # +1: the start token
        fw = self._run(emb, self.forward, last + 1)
        bw = self._run(emb[::-1], self.backward, n - first)
        out = {}
        for p in wanted:
            t = p + 1
            state = np.concatenate([fw[t], bw[n - 1 - t]])
            hidden = np.maximum(state @ self.hidden[0] + self.hidden[1], 0)
            logits = hidden @ self.output[0] + self.output[1]
            choices = self.readings[text[p]]
            best = max(choices, key=lambda cr: logits[cr[0]])
            out[p] = best[1]
        return out


@lru_cache(maxsize=1)
def _context_model() -> PolyphoneModel | None:
    """The g2pM weights where the package is installed, else None.

    The model knows the rare polyphones of written Chinese (names, classical words,
    terms) better than any usual reading, but not the grammar of the common ones (g2pM
    reads 他长得很快 with chang2), so it is only asked where neither the dictionary nor
    our rules settle a character.
    """
    spec = importlib.util.find_spec("g2pM")
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        return PolyphoneModel(next(iter(spec.submodule_search_locations)))
    except (ImportError, OSError, KeyError, ValueError):
        return None


@lru_cache(maxsize=65536)
def _standalone(ch: str) -> bool:
    """Is ``ch`` common enough as a word by itself to keep its usual reading?"""
    return zipf_frequency(ch) >= STANDALONE_ZIPF


def model_is_available() -> bool:
    return _context_model() is not None


def _model_knows(ch: str) -> bool:
    model = _context_model()
    return model is not None and model.knows(ch)


# --------------------------------------------------------------------------- context


class _Context:
    """The neighbours of a token, as the rules see them (spaces skipped)."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = [t for t in tokens if t.kind != SPACE]
        self.words = [_word_of(t) for t in self.tokens]

    def edge(self, i: int) -> bool:
        return i < 0 or i >= len(self.tokens) or self.tokens[i].kind == PUNCT

    def word(self, i: int) -> str:
        if i < 0 or i >= len(self.tokens):
            return EDGE
        return self.words[i]

    def is_one_of(self, i: int, value: frozenset[str]) -> bool:
        return self.word(i) in value or (EDGE in value and self.edge(i))

    def char_is_one_of(self, i: int, value: frozenset[str], last: bool) -> bool:
        """Is the last (or first) character of word ``i`` one of ``value``?"""
        if self.is_one_of(i, value):
            return True
        if i < 0 or i >= len(self.tokens):
            return False
        text = self.tokens[i].simplified or self.tokens[i].text
        return bool(text) and (text[-1] if last else text[0]) in value

    def pos(self, i: int) -> str:
        if i < 0 or i >= len(self.tokens):
            return ""
        return self.tokens[i].pos

    def clause_tags(self, i: int) -> list[str]:
        """The tags of the tokens after token ``i`` up to the end of its clause."""
        out = []
        j = i + 1
        while not self.edge(j):
            out.append(self.tokens[j].pos)
            j += 1
        return out

    def clause(self, i: int, step: int) -> list[str]:
        out = []
        j = i + step
        while not self.edge(j):
            out.append(self.words[j])
            j += step
        return out


def _word_of(token: Token) -> str:
    if token.kind == NUMBER:
        return NUM
    return token.simplified or token.text


def _pos_matches(pos: str, prefixes: frozenset[str]) -> bool:
    return any(pos.startswith(p) for p in prefixes)


def _reduplicated(word: str) -> bool:
    """慢慢, 高高兴兴, 研究研究: a word made by repeating its syllables."""
    n = len(word)
    if n == 2:
        return word[0] == word[1]
    if n == 4:
        return (word[0] == word[1] and word[2] == word[3]) or word[:2] == word[2:]
    return False


# What each condition looks at: (offset of the neighbour, test).
_WORD_AT = {"prev": -1, "prev2": -2, "next": 1, "next2": 2}
_NOT_WORD_AT = {"not_prev": -1, "not_next": 1, "not_next2": 2}
_POS_AT = {"prev_pos": -1, "prev2_pos": -2, "next_pos": 1, "next2_pos": 2, "pos": 0}
_NOT_POS_AT = {"not_next_pos": 1, "not_prev_pos": -1}


def _holds(name: str, value: Any, ctx: _Context, i: int) -> bool:
    if name in _WORD_AT:
        return ctx.is_one_of(i + _WORD_AT[name], value)
    if name in _NOT_WORD_AT:
        return not ctx.is_one_of(i + _NOT_WORD_AT[name], value)
    if name in _POS_AT:
        return _pos_matches(ctx.pos(i + _POS_AT[name]), value)
    if name in _NOT_POS_AT:
        return not _pos_matches(ctx.pos(i + _NOT_POS_AT[name]), value)
    if name == "prev_last":
        return ctx.char_is_one_of(i - 1, value, last=True)
    if name == "next_first":
        return ctx.char_is_one_of(i + 1, value, last=False)
    if name == "not_next_first":
        return not ctx.char_is_one_of(i + 1, value, last=False)
    if name == "before":
        return any(w in value for w in ctx.clause(i, -1))
    if name == "after":
        return any(w in value for w in ctx.clause(i, 1))
    if name == "prev_redup":
        return _reduplicated(ctx.word(i - 1)) == value
    if name == "after_pos":
        return any(_pos_matches(p, value) for p in ctx.clause_tags(i + 1))
    if name == "proper":
        return ctx.tokens[i].proper == value
    raise ValueError(name)


def _apply_rules(word_rules: WordRules, ctx: _Context, i: int) -> str | None:
    for rule in word_rules.rules:
        if all(_holds(name, value, ctx, i) for name, value in rule.conditions):
            return rule.reading
    return word_rules.default


# --------------------------------------------------------------------------- the reader

# jieba's tags for a person's name (nrt, transliterated names, has no surname first).
_PERSON_TAGS = frozenset(("nr", "nrfg"))
# Words after which a character is counted: 两只, 几幢, 这条, 每处.
_COUNTING = frozenset([*"〇零一二三四五六七八九十百千万亿两几每这那哪某半整", NUM])


class _SentenceReader:
    def __init__(self, tokens: Sequence[Token], dictionary: Dictionary, use_model: bool) -> None:
        self.dictionary = dictionary
        self.use_model = use_model
        self.ctx = _Context(tokens)
        self.table = rule_table()
        self._sentence_pinyin: list[str] | None = None
        self._model: dict[int, str] | None = None
        self._offsets: list[int] = []

    def _text(self) -> str:
        if not self._offsets:
            pos = 0
            for t in self.ctx.tokens:
                self._offsets.append(pos)
                pos += len(t.simplified or t.text)
        return "".join(t.simplified or t.text for t in self.ctx.tokens)

    def model_reading(self, i: int, k: int, ch: str, allowed: Sequence[str]) -> str | None:
        """The model's reading of character ``k`` of token ``i``, if it is one we allow.

        Characters common enough to be words on their own (会, 要, 中) keep their usual
        reading: the model adds nothing there, and skipping them keeps it off most sentences.
        """
        if not self.use_model or not _model_knows(ch) or _standalone(ch):
            return None
        if self._model is None:
            text = self._text()
            wanted = [p for p, c in enumerate(text) if _model_knows(c) and not _standalone(c)]
            self._model = _context_model().predict(text, wanted)  # type: ignore[union-attr]
        found = self._model.get(self._offsets[i] + k)
        if found is None or (allowed and found not in allowed):
            return None
        return found

    def pypinyin_in_sentence(self, i: int) -> list[str]:
        """pypinyin's reading of token ``i``'s characters within the whole sentence."""
        if self._sentence_pinyin is None:
            self._sentence_pinyin = _pypinyin_run(self._text())
        start = self._offsets[i]
        tok = self.ctx.tokens[i]
        return self._sentence_pinyin[start : start + len(tok.simplified or tok.text)]

    def read(self, i: int) -> str | None:
        tok = self.ctx.tokens[i]
        word = tok.simplified or tok.text
        written = tok.text if len(tok.text) == len(word) else word
        if not is_han(word):
            return self.read_mixed(i, word)
        # The traditional form can settle what the simplified one cannot (隻 zhi1, 乾 gan1).
        as_written = _written_readings(self.dictionary, word, written)
        if len(as_written) == 1:
            return as_written[0]
        rules = self.table.words.get(word)
        if rules is not None:
            by_rule = _apply_rules(rules, self.ctx, i)
            if by_rule is not None and (not as_written or by_rule in as_written):
                return by_rule
        cands = _candidates(self.dictionary, word, written)
        if len(word) == 1:
            return self.read_char(i, word, cands)
        if tok.proper:
            choices = tuple(dict.fromkeys(cands.proper + cands.common))
        else:
            choices = cands.common or cands.proper or cands.variant
        if len(choices) == 1:
            reading = choices[0]
        elif choices:
            reading = _closest(_pypinyin_phrase(word), choices)
        else:
            reading = self.read_unknown(i, tok, word)
        if written != word:
            reading = self.respell(written, reading)
        return reading

    def respell(self, written: str, reading: str) -> str:
        """Correct a syllable the traditional spelling rules out: 這隻是 was segmented as
        the simplified 只是 (zhi3 shi4), but 隻 is only ever zhi1."""
        syllables = reading.split()
        for k, ch in enumerate(written):
            own = _written_readings(self.dictionary, to_simplified(ch), ch)
            if len(own) == 1 and syllables[k] != own[0]:
                syllables[k] = own[0]
        return " ".join(syllables)

    def surname(self, ch: str) -> str | None:
        """The reading of ``ch`` as a family name, if it is one."""
        found = self.table.surnames.get(ch)
        if found:
            return found
        return next(iter(_candidates(self.dictionary, ch, ch).surname), None)

    def counted(self, i: int) -> bool:
        """Does token ``i`` follow a numeral or a demonstrative (两只, 这幢, 3幢)?"""
        return self.ctx.char_is_one_of(i - 1, _COUNTING, last=True)

    def read_char(self, i: int, ch: str, cands: _Candidates) -> str:
        tok = self.ctx.tokens[i]
        if tok.pos in _PERSON_TAGS:
            surname = self.surname(ch)
            if surname:
                return surname
        if tok.proper and ch in self.table.names:
            return self.table.names[ch]
        allowed = tuple(dict.fromkeys(cands.common + cands.variant))
        if tok.proper or not allowed:
            allowed = tuple(dict.fromkeys(cands.proper + allowed))
        if len(allowed) == 1:
            return allowed[0]
        if len(cands.classifier) == 1 and self.counted(i):
            return cands.classifier[0]
        by_model = self.model_reading(i, 0, ch, allowed)
        if by_model:
            return by_model
        if _standalone(ch) and _pypinyin_char(ch) in allowed:
            return _pypinyin_char(ch)  # 说, 中, 要: a common word's own reading
        if _pypinyin_polyphonic(ch):
            in_sentence = self.pypinyin_in_sentence(i)[0]
            if in_sentence != _pypinyin_char(ch) and (not allowed or in_sentence in allowed):
                return in_sentence  # a pypinyin phrase spanning tokens decided it
        return usual_reading(ch, self.dictionary, allowed, name=tok.proper)

    def char_choices(self, ch: str) -> tuple[str, ...]:
        """Readings of ``ch`` inside a longer word: any but a surname-only one."""
        c = _candidates(self.dictionary, ch, ch)
        given = tuple(r for r in c.proper if r not in c.surname)
        return tuple(dict.fromkeys(c.common + c.variant + given)) or c.proper

    def read_unknown(self, i: int, tok: Token, word: str) -> str:
        """A word CC-CEDICT lacks (a name kept whole): character by character."""
        return " ".join(self.char_in_word(i, k, ch, tok) for k, ch in enumerate(word))

    def read_mixed(self, i: int, word: str) -> str | None:
        """A token with Han and other characters (卡拉OK): its Han characters only."""
        if not has_han(word):
            return None
        tok = self.ctx.tokens[i]
        return " ".join(self.char_in_word(i, k, ch, tok) for k, ch in enumerate(word) if is_han(ch))

    def char_in_word(self, i: int, k: int, ch: str, tok: Token) -> str:
        """Character ``k`` of token ``i``, a word the dictionary does not know."""
        if k == 0 and tok.pos in _PERSON_TAGS:
            surname = self.surname(ch)
            if surname:
                return surname
        if tok.proper and ch in self.table.names:
            return self.table.names[ch]
        by_model = self.model_reading(i, k, ch, ())
        if by_model:
            return by_model
        if _pypinyin_polyphonic(ch) and not _standalone(ch):
            in_sentence = self.pypinyin_in_sentence(i)[k]
            if in_sentence != _pypinyin_char(ch):
                return in_sentence  # pypinyin knows a phrase here
        return usual_reading(ch, self.dictionary, self.char_choices(ch), tok.proper)


@lru_cache(maxsize=65536)
def _marked(numbered: str) -> str:
    return mark(numbered)


def read_sentence(
    tokens: Sequence[Token], dictionary: Dictionary, *, use_model: bool = True
) -> tuple[Reading, ...]:
    """Every token of one sentence with its pinyin in that sentence.

    ``numbered`` has one syllable per Han character ("yin2 hang2", ü as "ü", neutral tone
    5); it and ``marked`` are None for a token without Han characters. ``use_model=False``
    leaves out the g2pM fallback for rare polyphones (the benchmark compares both).
    """
    reader = _SentenceReader(tokens, dictionary, use_model)
    index = {id(t): k for k, t in enumerate(reader.ctx.tokens)}
    out = []
    for tok in tokens:
        k = index.get(id(tok))
        numbered = reader.read(k) if k is not None and has_han(tok.text) else None
        out.append(Reading(tok, numbered, _marked(numbered) if numbered else None))
    return tuple(out)
