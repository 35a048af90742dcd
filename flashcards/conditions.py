"""The conditions our rule tables test, and the context of a token they look at.

``data/polyphones.json`` (readings) and ``data/sense_rules.json`` (senses) state rules as
data: "after a numeral", "before a verb", "the next word is one of 给, 回". This module is
the one reading of those conditions, so both tables mean the same thing by them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from .models import NUMBER, PUNCT, SPACE, Token

# Stands for "no token here or punctuation": the edge of a clause.
EDGE = "$EDGE"
# Stands for any number token (digits, or a run of Chinese numerals).
NUM = "$NUM"


CONDITIONS = (
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
    "after_first",
    "before_first",
    "not_after",
    "not_before",
    "not_prev",
    "not_next",
    "not_next_first",
    "not_next_pos",
    "not_prev_pos",
    "not_next2_pos",
    "not_next2",
    "next2_pos",
    "prev_redup",
    "prev_long",
    "after_pos",
    "not_after_pos",
    "proper",
    "only_question_word",
)


@cache
def rule_data(name: str) -> dict:
    """The JSON of the rule table ``data/<name>``, read once: both stages use polyphones.json
    (its rules, its sets)."""
    return json.loads(resources.files("flashcards").joinpath(f"data/{name}").read_text("utf-8"))


def expand(values: Any, sets: dict[str, list[str]]) -> Any:
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


def parse_conditions(
    word: str, raw: dict[str, Any], sets: dict[str, list[str]], *fields: str
) -> tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]]:
    """One rule of a table for ``word``: the values of ``fields`` (the first a reading, its
    syllables one a character), and its conditions with their sets expanded. A condition
    this module does not know, or a reading of the wrong length, fails at once."""
    raw = dict(raw)
    values = tuple(raw.pop(name) for name in fields)
    raw.pop("why", None)
    unknown = set(raw) - set(CONDITIONS)
    if unknown:
        raise ValueError(f"{word}: unknown rule conditions {sorted(unknown)}")
    if len(values[0].split()) != len(word):
        raise ValueError(f"{word}: reading {values[0]!r} has the wrong syllable count")
    return values, tuple((k, expand(v, sets)) for k, v in raw.items())


class Context:
    """The neighbours of a token, as the rules see them (spaces skipped)."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = [t for t in tokens if t.kind != SPACE]
        self.words = [word_of(t) for t in self.tokens]

    def edge(self, i: int, step: int = 0) -> bool:
        """Does the clause end at token ``i``, looking from a token on its ``step`` side
        (forwards for a positive step, backwards for a negative one; 0: any punctuation)?
        An opening quotation mark ahead (如得了“凤凰”) or a closing one behind (“噢噢”地叫)
        is inside the clause, not its end."""
        if i < 0 or i >= len(self.tokens):
            return True
        tok = self.tokens[i]
        if tok.kind != PUNCT:
            return False
        if step > 0 and tok.text in _OPENING_MARKS:
            return False
        if step < 0 and tok.text in _CLOSING_MARKS:
            return False
        return True

    def word(self, i: int) -> str:
        if i < 0 or i >= len(self.tokens):
            return EDGE
        return self.words[i]

    def is_one_of(self, i: int, value: frozenset[str], step: int = 0) -> bool:
        return self.word(i) in value or (EDGE in value and self.edge(i, step))

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
        while not self.edge(j, 1):
            out.append(self.tokens[j].pos)
            j += 1
        return out

    def only_question_word(self, i: int, others: frozenset[str]) -> bool:
        """Does token ``i``'s clause end in a question mark, with none of ``others`` (other
        question words, 吗) in it? Then token ``i`` is what the question asks."""
        j = i + 1
        while not self.edge(j):
            j += 1
        if j >= len(self.tokens) or not any(c in self.tokens[j].text for c in "?？"):
            return False
        words = self.clause(i, -1) + self.clause(i, 1)
        return not any(w in others or any(c in others for c in w) for w in words)

    def clause(self, i: int, step: int) -> list[str]:
        out = []
        j = i + step
        while not self.edge(j, step):
            out.append(self.words[j])
            j += step
        return out


# Marks that open or close a quotation or a title inside a clause (a bracket in a play
# holds a stage direction, which is no part of the line around it).
_OPENING_MARKS = frozenset("“‘「『《〈【")
_CLOSING_MARKS = frozenset("”’」』》〉】")


def word_of(token: Token) -> str:
    if token.kind == NUMBER:
        return NUM
    return token.simplified or token.text


def pos_matches(pos: str, prefixes: frozenset[str]) -> bool:
    return any(pos.startswith(p) for p in prefixes)


def reduplicated(word: str) -> bool:
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
_NOT_POS_AT = {"not_next_pos": 1, "not_prev_pos": -1, "not_next2_pos": 2}


def holds(name: str, value: Any, ctx: Context, i: int) -> bool:
    if name in _WORD_AT:
        offset = _WORD_AT[name]
        return ctx.is_one_of(i + offset, value, offset)
    if name in _NOT_WORD_AT:
        offset = _NOT_WORD_AT[name]
        return not ctx.is_one_of(i + offset, value, offset)
    if name in _POS_AT:
        return pos_matches(ctx.pos(i + _POS_AT[name]), value)
    if name in _NOT_POS_AT:
        return not pos_matches(ctx.pos(i + _NOT_POS_AT[name]), value)
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
    if name == "after_first":
        return any(w[:1] in value for w in ctx.clause(i, 1))
    if name == "before_first":
        return any(w[:1] in value for w in ctx.clause(i, -1))
    if name == "not_after":
        return not any(w in value for w in ctx.clause(i, 1))
    if name == "not_before":
        return not any(w in value for w in ctx.clause(i, -1))
    if name == "prev_redup":
        return reduplicated(ctx.word(i - 1)) == value
    if name == "prev_long":
        # A word of two or more characters before (模样 儿), not one (平 儿, a name).
        return (not ctx.edge(i - 1, -1) and len(ctx.word(i - 1)) > 1) == value
    if name == "after_pos":
        return any(pos_matches(p, value) for p in ctx.clause_tags(i + 1))
    if name == "not_after_pos":
        return not any(pos_matches(p, value) for p in ctx.clause_tags(i + 1))
    if name == "proper":
        return ctx.tokens[i].proper == value
    if name == "only_question_word":
        return ctx.only_question_word(i, value)
    raise ValueError(name)
