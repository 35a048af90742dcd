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
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .cache import cached_table
from .conditions import NUM, Context, holds, parse_conditions, rule_data
from .dictionary import PARSER_VERSION, Dictionary, is_reference_sense
from .han import has_han, is_han
from .learner import learner_reading
from .levels import zipf_frequency
from .models import Reading, Token
from .pypinyin_phrases import RE_HANS, Style, lazy_pinyin, pinyin
from .segment import split_by_dictionary, to_simplified
from .senses import is_count_word
from .tones import mark, normalise_u

# wordfreq's Zipf value above which a character is a common word on its own (~1 in 100,000
# words): 呢 5.8, 都 6.6, 只 5.9; 勒 4.5, 什 4.3, 蛤 3.8 mostly live inside longer words.
STANDALONE_ZIPF = 5.0

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
    degree: frozenset[str] = frozenset()  # adverbs of degree (很, 最, 有些): an adjective follows
    strict_degree: frozenset[str] = frozenset()  # those never before a noun (很, 最, not 有些)
    # Nouns after which a lone 子 is "son" or a name, not the suffix (兄子, 字子龍, 石子).
    zi_full_tone_after: frozenset[str] = frozenset()


def parse_rule_table(data: dict) -> RuleTable:
    """Check and compile the JSON rule table; a mistake in it fails loudly and at once."""
    sets: dict[str, list[str]] = data.get("sets", {})
    words: dict[str, WordRules] = {}
    for word, spec in data["words"].items():
        rules = []
        for raw in spec.get("rules", ()):
            (reading,), conditions = parse_conditions(word, raw, sets, "reading")
            rules.append(Rule(reading, conditions))
        default = spec.get("default")
        if default is not None and len(default.split()) != len(word):
            raise ValueError(f"{word}: default {default!r} has the wrong syllable count")
        words[word] = WordRules(tuple(rules), default)
    return RuleTable(
        words,
        dict(data.get("surnames", {})),
        dict(data.get("names", {})),
        frozenset(sets.get("DEGREE", ())),
        frozenset(sets.get("DEGREE_NEVER_BEFORE_A_NOUN", ())),
        frozenset(sets.get("ZI_FULL_TONE_AFTER", ())),
    )


@lru_cache(maxsize=1)
def rule_table() -> RuleTable:
    return parse_rule_table(rule_data("polyphones.json"))


# --------------------------------------------------------------------------- readings


@lru_cache(maxsize=1)
def _deciders() -> dict[str, frozenset[str]]:
    text = resources.files("flashcards").joinpath("data/deciders.json").read_text("utf-8")
    data = json.loads(text)
    return {k: frozenset(data.get(k, "")) for k in ("model_beats_rules", "usual_beats_model")}


def model_beats_rules() -> frozenset[str]:
    """Characters whose rules lost to the model on labelled data (data/deciders.json)."""
    return _deciders()["model_beats_rules"]


def usual_beats_model() -> frozenset[str]:
    """Characters whose everyday reading beat the model where no rule fired."""
    return _deciders()["usual_beats_model"]


def load_reading_overrides(path: str | os.PathLike[str]) -> dict[str, str]:
    """A user's file of readings that always win: ``word pinyin`` a line, the pinyin in
    tone numbers or marks (``地方 di4 fang1``, ``行 háng``); ``#`` starts a comment."""
    from .errors import FlashcardsError
    from .tones import numbered_syllable

    p = Path(path).expanduser()
    try:
        text = p.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise FlashcardsError(f"reading overrides {p} are not UTF-8 text") from None
    except OSError as exc:
        raise FlashcardsError(f"cannot read reading overrides {p}: {exc.strerror}") from None
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, *syllables = line.split()
        numbered = _clean(" ".join(numbered_syllable(x) for x in syllables))
        if not is_han(word) or not _usable(numbered, word):
            raise FlashcardsError(
                f"reading overrides {p}, line {n}: expected a word and one pinyin syllable "
                f"per character, e.g. '地方 di4 fang1'"
            )
        out[word] = numbered  # as written: 乾 gan1 says nothing of 幹 or 干
    return out




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


@lru_cache(maxsize=1 << 14)
def _pypinyin_of_run(run: str) -> tuple[str, ...]:
    # Clauses come again in a long text (宝玉道, 笑道): each is read once.
    return tuple(_pypinyin_run(run))


def _pypinyin_reads(ch: str) -> bool:
    """Is ``ch`` one of the characters pypinyin reads (its own test, as it cuts a text)?"""
    return RE_HANS.match(ch) is not None


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
        narrowed = [e for e in entries if e.traditional in _spellings(dictionary, word, written)]
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


_VARIANT_OF = re.compile(r"^variant of ([^|\[\s]+)\|([^\[\s]+)\[")


@lru_cache(maxsize=65536)
def _spellings(dictionary: Dictionary, word: str, written: str) -> frozenset[str]:
    """``written`` and the traditional forms it is a variant spelling of: 麽, CC-CEDICT's
    "variant of 麼|么[me5]", is written for 麼 in every use, the question particle ma5 too
    (偶像麽？), not only in the one its entry names."""
    forms = {written}
    for e in dictionary.lookup(word):
        if e.traditional != written:
            continue
        for sense in e.senses:
            m = _VARIANT_OF.match(sense)
            if m and m.group(2) == word:
                forms.add(m.group(1))
    return frozenset(forms)


@lru_cache(maxsize=65536)
def _written_readings(dictionary: Dictionary, word: str, written: str) -> tuple[str, ...]:
    """The readings of the entries spelt exactly as ``written`` when that is a traditional
    form other than ``word``; () when the input was simplified or matches no entry."""
    if written == word:
        return ()
    found: dict[str, None] = {}
    spellings = _spellings(dictionary, word, written)
    for e in [*dictionary.lookup(written), *dictionary.lookup(word)]:
        if e.traditional in spellings:
            reading = _clean(e.numbered)
            if _usable(reading, word):
                found.setdefault(reading, None)
    return tuple(found)


def _count_char_readings(dictionary: Dictionary) -> tuple[dict, dict]:
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, dict[str, int]] = {}
    for word, entries in dictionary.headwords():  # one pass, none of them kept
        if len(word) < 2:
            continue
        for e in entries:
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

    def _run(self, inputs: Sequence, direction, steps: Sequence[int]) -> list:
        """Hidden states of an LSTM over the first ``steps[k]`` rows of each ``inputs[k]``,
        the sequences side by side, a step at a time (a step's numpy calls, not a
        sequence's, are what costs).

        The recurrent product is a stack of vector-matrix products, one BLAS call a
        sequence as when each ran alone, not one matrix product: a sequence's states are
        the same bits whatever it runs beside. The longest go first, so that those still
        running at a step are the first rows.
        """
        np = self.np
        w_ih, w_hh, bias = direction
        size = w_hh.shape[0]
        two, three = 2 * size, 3 * size
        order = sorted(range(len(inputs)), key=lambda k: -steps[k])
        out: list = [None] * len(inputs)
        at = 0
        while at < len(order):
            longest = steps[order[at]]
            group = order[at : at + max(1, _MODEL_ROWS // longest)]
            at += len(group)
            lengths = [steps[k] for k in group]
            gates_in = np.zeros((longest, len(group), 4 * size), dtype=np.float32)
            for b, k in enumerate(group):
                gates_in[: lengths[b], b] = inputs[k][: lengths[b]] @ w_ih + bias
            h = np.zeros((len(group), size), dtype=np.float32)
            c = np.zeros((len(group), size), dtype=np.float32)
            states = np.empty((longest, len(group), size), dtype=np.float32)
            running = len(group)
            for t in range(longest):
                while lengths[running - 1] <= t:
                    running -= 1
                g = gates_in[t, :running] + (h[:running, None, :] @ w_hh)[:, 0]
                # The sigmoid of all four gates in one call (the cell gate's is not used):
                # fewer numpy calls a step, the same numbers.
                s = 1 / (1 + np.exp(-g))
                c = s[:, size:two] * c[:running] + s[:, :size] * np.tanh(g[:, two:three])
                h = s[:, three:] * np.tanh(c)
                states[t, :running] = h
            for b, k in enumerate(group):
                out[k] = states[: lengths[b], b]
        return out

    def predict(self, text: str, positions: Sequence[int]) -> dict[int, str]:
        """The reading of the character at each of ``positions`` the model knows."""
        return self.predict_many([(text, positions)])[0]

    def predict_many(
        self, questions: Sequence[tuple[str, Sequence[int]]]
    ) -> list[dict[int, str]]:
        """``predict(text, positions)`` for each question, the sentences run together."""
        # The products here are small: BLAS threads cost more than they save. The CLI sets
        # OPENBLAS_NUM_THREADS before numpy loads; a library caller's numpy may be loaded
        # already (its 1 MB build took 48 s of CPU on OpenBLAS's threads, 28 s without).
        with _one_blas_thread():
            return self._predict_many(questions)

    def _predict_many(
        self, questions: Sequence[tuple[str, Sequence[int]]]
    ) -> list[dict[int, str]]:
        if len(questions) > _MODEL_SENTENCES:  # a bounded batch's embeddings and states
            return [
                answer
                for at in range(0, len(questions), _MODEL_SENTENCES)
                for answer in self._predict_many(questions[at : at + _MODEL_SENTENCES])
            ]
        np = self.np
        asked = []  # (question, text, wanted, length with the start and end tokens)
        embedded, forward_steps, backward_steps = [], [], []
        for q, (text, positions) in enumerate(questions):
            wanted = [p for p in positions if text[p] in self.readings]
            if not wanted:
                continue
            ids = [self.begin, *(self.char_ids.get(c, self.unknown) for c in text), self.end]
            n = len(ids)
            embedded.append(self.embedding[np.array(ids)])
            # The forward pass stops at the last character asked about, the backward pass
            # at the first (+1: the start token).
            forward_steps.append(max(wanted) + 2)
            backward_steps.append(n - 1 - min(wanted))
            asked.append((q, text, wanted, n))
        out: list[dict[int, str]] = [{} for _ in questions]
        if not asked:
            return out
        fw = self._run(embedded, self.forward, forward_steps)
        bw = self._run([e[::-1] for e in embedded], self.backward, backward_steps)
        states = np.stack(
            [
                np.concatenate([fw[k][p + 1], bw[k][n - 2 - p]])
                for k, (_, _, wanted, n) in enumerate(asked)
                for p in wanted
            ]
        )
        # Stacks of vector-matrix products again: each position's numbers as if alone.
        hidden = np.maximum((states[:, None, :] @ self.hidden[0])[:, 0] + self.hidden[1], 0)
        logits = (hidden[:, None, :] @ self.output[0])[:, 0] + self.output[1]
        row = 0
        for q, text, wanted, _ in asked:
            for p in wanted:
                scores = logits[row]
                best = max(self.readings[text[p]], key=lambda cr: scores[cr[0]])
                out[q][p] = best[1]
                row += 1
        return out


@lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # scans the loaded libraries once, not at every call


def _one_blas_thread():
    """A context in which numpy's BLAS runs on the calling thread alone."""
    return _blas_controller().limit(limits=1, user_api="blas")


# Rows of LSTM steps the model runs side by side at most (sequences x their longest): a
# few megabytes of gates, however long a sentence is.
_MODEL_ROWS = 16384
# Sentences the model reads side by side at most.
_MODEL_SENTENCES = 256


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


def _fired_rule(word_rules: WordRules, ctx: Context, i: int) -> str | None:
    """The reading of the first rule whose every condition holds, else None."""
    for rule in word_rules.rules:
        if all(holds(name, value, ctx, i) for name, value in rule.conditions):
            return rule.reading
    return None


# --------------------------------------------------------------------------- the reader


def _neutral_twin(reading: str, choices: Sequence[str]) -> bool:
    """Is ``reading`` another of ``choices`` with a neutral tone in place of a full one?"""
    mine = reading.split()
    for other in choices:
        theirs = other.split()
        if other == reading or len(theirs) != len(mine):
            continue
        pairs = [(a, b) for a, b in zip(mine, theirs, strict=True) if a != b]
        if pairs and all(a[:-1] == b[:-1] and a.endswith("5") for a, b in pairs):
            return True
    return False


@lru_cache(maxsize=65536)
def _noun_rank(dictionary: Dictionary, word: str, reading: str) -> int:
    """How much the entries of ``word`` in ``reading`` look like a noun's: 0 where a sense
    is a verb's ("to bear fruit") or a grammatical note ("(after a verb) ..."); 2 where a
    measure word is listed too (人家 ren2 jia1 "household"); else 1."""
    entries = [e for e in dictionary.lookup(word) if _clean(e.numbered) == reading]
    senses = [s for e in entries for s in e.senses]
    if not senses or any(s.startswith(("to ", "(")) for s in senses):
        return 0
    return 2 if any(e.classifiers for e in entries) else 1


_COMPLEMENT = re.compile(r"after (?:a )?verb|verb suffix|verb complement", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _complement_reading(dictionary: Dictionary, word: str, reading: str) -> bool:
    """Is ``reading`` of ``word`` its use as a complement after a verb (起来 qi5 lai5
    "(after a verb) indicating the beginning ...", 过去 guo4 qu5 "(verb suffix)")?"""
    entries = [e for e in dictionary.lookup(word) if _clean(e.numbered) == reading]
    return bool(entries) and all(
        any(_COMPLEMENT.search(s) for s in e.senses[:1]) for e in entries
    )


# jieba's tags for a person's name (nrt, transliterated names, has no surname first).
_PERSON_TAGS = frozenset(("nr", "nrfg"))
# Modal and causative verbs: what follows them is a main verb, never a complement.
_MAIN_VERB_HOSTS = frozenset(
    "要 想 会 能 可以 应该 应当 该 得 愿意 肯 敢 让 叫 请 使 令 准 许 打算 准备 不要 别".split()
)
# Words after which a noun stands: demonstratives with their measure word, 什么, 任何
# (others: is_count_word).
_DETERMINERS = frozenset(("这个", "那个", "哪个", "什么", "任何", "某个", "每个"))


# The tags of a plain noun, after which a lone 子 CC-CEDICT has no word for is its suffix.
_SUFFIX_HOSTS = frozenset(("n", "ng", "q"))


class _SentenceReader:
    def __init__(
        self,
        tokens: Sequence[Token],
        dictionary: Dictionary,
        use_model: bool,
        overrides: Mapping[str, str],
    ) -> None:
        self.dictionary = dictionary
        self.use_model = use_model
        self.overrides = overrides
        self.ctx = Context(tokens)
        self.table = rule_table()
        self._model: dict[int, str] | None = None
        self._offsets: list[int] = []
        self._joined: str | None = None

    def _text(self) -> str:
        if self._joined is None:
            pos = 0
            for t in self.ctx.tokens:
                self._offsets.append(pos)
                pos += len(t.simplified or t.text)
            self._joined = "".join(t.simplified or t.text for t in self.ctx.tokens)
        return self._joined

    def model_reading(self, i: int, k: int, ch: str, allowed: Sequence[str]) -> str | None:
        """The model's reading of character ``k`` of token ``i``, if it is one we allow.

        The model is run once a sentence, for every polyphone it knows in it (or once for
        many sentences, by read_sentences, before they are read).
        """
        if not self.use_model or not _model_knows(ch):
            return None
        if self._model is None:
            self._model = _context_model().predict(*self.model_question())  # type: ignore[union-attr]
        found = self._model.get(self._offsets[i] + k)
        if found is None or (allowed and found not in allowed):
            return None
        return found

    def model_question(self) -> tuple[str, list[int]]:
        """The sentence's text and the positions the model may be asked about in it.

        Only characters the model may decide: a word of one character, a name, or a word
        the dictionary lacks; the shorter the span, the fewer LSTM steps. A dictionary word
        of one character whose usual reading beats the model never asks it (read_char);
        the states elsewhere do not depend on what is asked.
        """
        text = self._text()
        skip = usual_beats_model()
        model = _context_model()
        knows = model.readings if model is not None else {}  # what model.knows() asks
        offsets = self._offsets
        wanted = [
            offsets[j] + k
            for j, tok in enumerate(self.ctx.tokens)
            if len(tok.simplified or tok.text) == 1 or not tok.in_dictionary or tok.proper
            for k, c in enumerate(tok.simplified or tok.text)
            if c in knows and not (c in skip and tok.in_dictionary and not tok.proper)
        ]
        return text, wanted

    def pypinyin_in_sentence(self, i: int) -> list[str]:
        """pypinyin's reading of token ``i``'s characters within the whole sentence.

        pypinyin cuts a text into runs of the characters it reads and matches its phrases
        inside a run, never across one (pypinyin.seg.simpleseg): reading only the runs the
        token stands in gives what reading the whole sentence would, for less.
        """
        text = self._text()
        start = self._offsets[i]
        tok = self.ctx.tokens[i]
        end = start + len(tok.simplified or tok.text)
        out: list[str] = []
        pos = start
        while pos < end:
            ch = text[pos]
            if not _pypinyin_reads(ch):
                out.append(_clean(ch) if is_han(ch) else ch)  # what pypinyin gives back
                pos += 1
                continue
            lo, hi = pos, pos + 1
            while lo > 0 and _pypinyin_reads(text[lo - 1]):
                lo -= 1
            while hi < len(text) and _pypinyin_reads(text[hi]):
                hi += 1
            upto = min(end, hi)
            out.extend(_pypinyin_of_run(text[lo:hi])[pos - lo : upto - lo])
            pos = upto
        return out

    def read(self, i: int) -> str | None:
        tok = self.ctx.tokens[i]
        word = tok.simplified or tok.text
        written = tok.text if len(tok.text) == len(word) else word
        if not is_han(word):
            return self.read_mixed(i, word)
        override = self.overrides.get(written) or self.overrides.get(word)
        if override and len(override.split()) == len(word):
            return override
        # The traditional form can settle what the simplified one cannot (隻 zhi1, 乾 gan1).
        as_written = _written_readings(self.dictionary, word, written)
        if len(as_written) == 1:
            return as_written[0]
        rules = self.table.words.get(word)
        by_rule = _fired_rule(rules, self.ctx, i) if rules is not None else None
        if by_rule is not None and as_written and by_rule not in as_written:
            by_rule = None
        default = rules.default if rules is not None else None
        cands = _candidates(self.dictionary, word, written)
        if len(word) == 1:
            return self.read_char(i, word, cands, by_rule, default)
        if by_rule is not None:
            return by_rule
        if tok.proper:
            choices = tuple(dict.fromkeys(cands.proper + cands.common))
        else:
            # A name's reading stays a candidate: 明朝 is Ming2 chao2 "the Ming dynasty" as
            # often as ming2 zhao1 "tomorrow morning".
            choices = tuple(dict.fromkeys(cands.common + cands.proper)) or cands.variant
        if len(choices) == 1:
            reading = choices[0]
        elif choices:
            reading = self.read_word(i, word, written, choices, default)
        else:
            reading = self.read_unknown(i, tok, word)
        if written != word:
            reading = self.respell(written, reading)
        return reading

    def read_word(
        self, i: int, word: str, written: str, choices: Sequence[str], default: str | None
    ) -> str:
        """A word CC-CEDICT lists under several readings, where no rule decided: where it
        stands as a noun (after a measure word or 的: 一个小铺盖, 读书人家), the reading
        whose entries are nouns; else the everyday reading a learner's dictionary gives
        (东西 dong1 xi5 "thing"), else our table's default, else the one pypinyin's phrase
        list gives, else CC-CEDICT's first."""
        complements = [r for r in choices if _complement_reading(self.dictionary, word, r)]
        if len(complements) == 1 and len(choices) == 2:
            # 站出来, 跑过去, 悲凉起来: the complement after a verb; 既然起来 "get up".
            if self.after_verb(i):
                return complements[0]
            return next(r for r in choices if r != complements[0])
        if self.attributive(i):
            # 东西海岸, 地方政府: a countable noun (东西 "thing", 地方 "place", measure words
            # listed) does not modify a noun, so its full-tone reading does; an adjective
            # in the neutral tone does (地道 "authentic": 地道老好人).
            full = [r for r in choices if not any(x.endswith("5") for x in r.split())]
            neutral = [r for r in choices if r not in full]
            if (
                len(full) == 1
                and neutral
                and all(_noun_rank(self.dictionary, word, r) == 2 for r in neutral)
            ):
                return full[0]
        before = self.ctx.word(i - 1)
        if before in self.table.degree and (
            before in self.table.strict_degree or not self.ctx.pos(i).startswith("n")
        ):
            # 太大意, 最公道, 很地道: after an adverb of degree the word is an adjective,
            # and where two readings differ only in a neutral tone, the colloquial
            # adjective is the neutral one (da4 yi5 "careless", not da4 yi4 "gist").
            neutral = [r for r in choices if _neutral_twin(r, choices)]
            if len(neutral) == 1:
                return neutral[0]
        if self.nominal(i):
            ranks = {r: _noun_rank(self.dictionary, word, r) for r in choices}
            best = max(ranks.values())
            nouns = [r for r in choices if ranks[r] == best]
            if best and len(nouns) == 1:
                return nouns[0]
        for prior in (learner_reading(written), learner_reading(word), default):
            if prior in choices:
                return prior
        return _closest(_pypinyin_phrase(word), choices)

    def after_verb(self, i: int) -> bool:
        """Does token ``i`` follow a verb or an adjective, or 了 or 着 after a verb?"""
        if self.ctx.word(i - 1) in _MAIN_VERB_HOSTS:
            return False  # 他要出来了, 都让过去听戏: a modal or causative takes a main verb
        prev = self.ctx.pos(i - 1)
        if self.ctx.word(i - 1) in ("了", "着") and not self.ctx.edge(i - 1):
            prev = self.ctx.pos(i - 2)
        return not self.ctx.edge(i - 1) and prev.startswith(("v", "a"))

    def attributive(self, i: int) -> bool:
        """Does token ``i`` stand right before a noun, and not itself as one (这东西好)?"""
        following = self.ctx.pos(i + 1)
        if self.ctx.pos(i).startswith(("a", "b")):
            return False  # an adjective before its noun keeps its own reading (地道老好人)
        return (
            following.startswith(("n", "s", "vn"))
            and not following.startswith(("nr", "ns", "nt"))
            and not self.nominal(i)
            and not self.ctx.edge(i + 1)
        )

    def nominal(self, i: int) -> bool:
        """Does token ``i`` stand where a noun goes: after a measure word or 的, with at
        most one adjective between (一个小铺盖)?"""
        j = i - 1
        if self.ctx.pos(j).startswith(("a", "b")) and len(self.ctx.word(j)) == 1:
            j -= 1
        word = self.ctx.word(j)
        return (
            self.ctx.pos(j).startswith(("q", "uj"))
            or word == NUM
            or word in _DETERMINERS
            or is_count_word(word)
        )

    def respell(self, written: str, reading: str) -> str:
        """Correct a syllable the traditional spelling rules out: 這隻是 was segmented as
        the simplified 只是 (zhi3 shi4), but 隻 is only ever zhi1."""
        syllables = reading.split()
        for k, ch in enumerate(written):
            own = _written_readings(self.dictionary, to_simplified(ch), ch)
            # A neutral tone is the word's, not another reading (起來 qi3 lai5, 來 lai2).
            if len(own) != 1 or syllables[k] == own[0]:
                continue
            if not (syllables[k].endswith("5") and syllables[k][:-1] == own[0][:-1]):
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
        return self.ctx.word(i - 1) == NUM or is_count_word(self.ctx.word(i - 1))

    def read_char(
        self,
        i: int,
        ch: str,
        cands: _Candidates,
        by_rule: str | None = None,
        default: str | None = None,
    ) -> str:
        """A single character standing as a word, from the evidence in this order: a rule
        that fired on the context; the model's reading in this sentence; the everyday
        reading (our table's default, then a learner's dictionary); only then the usual one.
        Which of the rule, the model and the everyday reading wins for a character was
        measured on labelled data (data/deciders.json, benchmarks/rules_vs_model.py)."""
        tok = self.ctx.tokens[i]
        if tok.proper and tok.pos in _PERSON_TAGS:
            # A surname standing alone (王 of 王说): jieba's tag alone is no evidence, it
            # tags 么 of 绸裙么 as a name too.
            surname = self.surname(ch)
            if surname:
                return surname
        if tok.proper and ch in self.table.names:
            return self.table.names[ch]
        # A capitalised entry that is no surname is a reading of the word too: 佛 Fo2
        # "Buddha" beside fu2 of 彷彿.
        named = tuple(r for r in cands.proper if r not in cands.surname)
        allowed = tuple(dict.fromkeys(cands.common + cands.variant + named))
        if tok.proper or not allowed:
            allowed = tuple(dict.fromkeys(cands.proper + allowed))
        if tok.pos in _PERSON_TAGS and not tok.proper and cands.surname:
            # jieba tags a lone 冯, 褚 or 翟 as a name, but also 么 of 绸裙么: the model,
            # which has read many names, says whether this one is the surname.
            widened = tuple(dict.fromkeys(allowed + cands.surname))
            by_model = self.model_reading(i, 0, ch, widened)
            if by_model in cands.surname and by_model not in allowed:
                return by_model
        if len(allowed) == 1:
            return allowed[0]
        if by_rule is None and len(cands.classifier) == 1 and self.counted(i):
            by_rule = cands.classifier[0]  # 两幢, 一通, 四乘: a measure word after a count
        if by_rule is None:
            by_rule = self.suffix_reading(i, ch, allowed)
        if by_rule is not None and ch not in model_beats_rules():
            return by_rule
        by_model = None if ch in usual_beats_model() else self.model_reading(i, 0, ch, allowed)
        if by_model:
            return by_model
        if by_rule is not None:
            return by_rule
        for prior in (default, learner_reading(ch)):
            if prior and (not allowed or prior in allowed):
                return prior
        if _standalone(ch) and _pypinyin_char(ch) in allowed:
            return _pypinyin_char(ch)  # 说, 中, 要: a common word's own reading
        if _pypinyin_polyphonic(ch):
            in_sentence = self.pypinyin_in_sentence(i)[0]
            if in_sentence != _pypinyin_char(ch) and (not allowed or in_sentence in allowed):
                return in_sentence  # a pypinyin phrase spanning tokens decided it
        return usual_reading(ch, self.dictionary, allowed, name=tok.proper)

    def suffix_reading(self, i: int, ch: str, allowed: Sequence[str]) -> str | None:
        """The neutral tone of a suffix split from its word: jieba cuts 门洞子, 烟签子 and
        木槽子 before 子, but 洞子, 签子 and 槽子 are CC-CEDICT words read zi5 at the end
        (so are 里头 and 尾巴); 石子 shi2 zi3 and 易子而食 keep the full tone."""
        neutral = [r for r in allowed if r.endswith("5")]
        if len(neutral) != 1 or self.ctx.edge(i - 1) or not is_han(self.ctx.word(i - 1)):
            return None
        word = self.ctx.word(i - 1)[-1] + ch
        readings = {_clean(r) for r in self.dictionary.readings(word)}
        if len(readings) == 1 and next(iter(readings)).endswith(" " + neutral[0]):
            return neutral[0]
        if (
            not readings
            and ch == "子"
            and self.ctx.pos(i - 1) in _SUFFIX_HOSTS
            and self.ctx.word(i - 1) not in self.table.zi_full_tone_after
        ):
            # 筐子, 泥坑子, 园子: CC-CEDICT lacks the word, but after a noun 子 is its suffix
            # (之子, 其子, 二子 follow no plain noun; 兄子, 犬子, 字子龍 are in the table's
            # ZI_FULL_TONE_AFTER).
            return neutral[0]
        return None

    def char_choices(self, ch: str) -> tuple[str, ...]:
        """Readings of ``ch`` inside a longer word: any but a surname-only one."""
        c = _candidates(self.dictionary, ch, ch)
        given = tuple(r for r in c.proper if r not in c.surname)
        return tuple(dict.fromkeys(c.common + c.variant + given)) or c.proper

    def read_unknown(self, i: int, tok: Token, word: str) -> str:
        """A word CC-CEDICT lacks (a name kept whole, a glued token): a dictionary word
        inside it with one reading is read so (王夫人 fu1 ren5, 曹丞相 cheng2 xiang4, 何曾
        he2 ceng2), other characters one by one."""
        syllables: list[str] = []
        for piece in split_by_dictionary(word, self.dictionary):
            readings = _candidates(self.dictionary, piece, piece).common if len(piece) > 1 else ()
            if len(readings) == 1:
                syllables += readings[0].split()
            else:
                at = len(syllables)
                syllables += [
                    self.char_in_word(i, at + k, ch, tok) for k, ch in enumerate(piece)
                ]
        return " ".join(syllables)

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
    tokens: Sequence[Token],
    dictionary: Dictionary,
    *,
    use_model: bool = True,
    overrides: Mapping[str, str] | None = None,
) -> tuple[Reading, ...]:
    """Every token of one sentence with its pinyin in that sentence.

    ``numbered`` has one syllable per Han character ("yin2 hang2", ü as "ü", neutral tone
    5); it and ``marked`` are None for a token without Han characters. ``use_model=False``
    leaves out the g2pM model (the benchmark compares both). ``overrides`` maps a word (as
    written, or simplified) to the reading it always has (see load_reading_overrides).
    """
    reader = _SentenceReader(tokens, dictionary, use_model, overrides or {})
    return _read_all(reader, tokens, dictionary)


def read_sentences(
    sentences: Sequence[Sequence[Token]],
    dictionary: Dictionary,
    *,
    use_model: bool = True,
    overrides: Mapping[str, str] | None = None,
) -> list[tuple[Reading, ...]]:
    """``read_sentence`` of each sentence's tokens, the same readings for less: the model
    reads all the sentences side by side first (a sentence at a time, its numpy calls
    cost more than its sums)."""
    readers = [_SentenceReader(t, dictionary, use_model, overrides or {}) for t in sentences]
    model = _context_model() if use_model else None
    if model is not None:
        answers = model.predict_many([r.model_question() for r in readers])
        for reader, answer in zip(readers, answers, strict=True):
            reader._model = answer
    return [_read_all(r, t, dictionary) for r, t in zip(readers, sentences, strict=True)]


def _read_all(
    reader: _SentenceReader, tokens: Sequence[Token], dictionary: Dictionary
) -> tuple[Reading, ...]:
    index = {id(t): k for k, t in enumerate(reader.ctx.tokens)}
    out = []
    for tok in tokens:
        k = index.get(id(tok))
        numbered = reader.read(k) if k is not None and has_han(tok.text) else None
        capital = bool(numbered) and _is_proper_reading(dictionary, tok, numbered)
        out.append(Reading(tok, numbered, _marked(numbered) if numbered else None, capital))
    return tuple(out)


def _is_proper_reading(dictionary: Dictionary, tok: Token, numbered: str) -> bool:
    """A name, or a word whose reading here only CC-CEDICT's capitalised entries have."""
    if tok.proper:
        return True
    word = tok.simplified or tok.text
    written = tok.text if len(tok.text) == len(word) else word
    cands = _candidates(dictionary, word, written)
    return numbered in cands.proper and numbered not in cands.common
