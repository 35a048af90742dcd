"""jieba's part-of-speech HMM, decoded with numpy: the same tags, a tenth of the time.

``jieba.posseg`` cuts the runs of characters its dictionary does not know with a Viterbi
decoder over 256 (position, tag) states, written as Python loops over dicts: on a novel it
was half of a build's CPU. This decoder runs the same model with arrays and gives the same
path, ties included (jieba's ``max`` over ``(score, state)`` pairs prefers the greater
state; the states here are indexed in sorted order, so the greater index wins a tie).
``tests/test_posviterbi.py`` checks it against jieba's own decoder on real text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

MIN_FLOAT = -3.14e100  # jieba's score for an emission the model never saw


def _compact_tables() -> tuple:
    """jieba.posseg's HMM as few objects: the states in sorted order, the transition and
    start scores as bytes of float64, and per character the states it may take and its
    emission scores as bytes (state indices, then their float64 scores). jieba's dicts
    of dicts held 89,000 emission scores as Python floats: 17 MiB; these take 2."""
    from array import array

    from .postagger import hmm_tables

    char_state_tab_P, start_P, trans_P, emit_P = hmm_tables()
    states = sorted(trans_P)
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    trans = array("d", [-np.inf]) * (n * n)
    for y0, row in trans_P.items():
        for y, p in row.items():
            trans[index[y0] * n + index[y]] = p
    has_next = bytes(bool(trans_P[s]) for s in states)
    start = array("d", [start_P[s] for s in states])
    emissions: dict[str, tuple[list[int], list[float]]] = {}
    for i, s in enumerate(states):
        for ch, p in emit_P[s].items():
            at, scores = emissions.setdefault(ch, ([], []))
            at.append(i)
            scores.append(p)
    emit = {
        ch: (array("H", at).tobytes(), array("d", scores).tobytes())
        for ch, (at, scores) in emissions.items()
    }
    allowed = {
        ch: array("H", [index[s] for s in ch_states]).tobytes()
        for ch, ch_states in char_state_tab_P.items()
    }
    return (tuple(states), trans.tobytes(), start.tobytes(), has_next, emit, allowed)


@lru_cache(maxsize=1)
def _tables() -> tuple:
    from .cache import cached_table
    from .postagger import hmm_sources

    # The name of the dicts cached before, so that their file goes when this one comes.
    return cached_table("jieba-hmm", hmm_sources(), "compact-1", _compact_tables)


class PosHMM:
    """The model of ``jieba.posseg`` as arrays, and a decoder for it."""

    def __init__(self) -> None:
        states, trans, start, has_next, emit, allowed = _tables()
        self.states = list(states)
        n = len(self.states)
        self.trans = np.frombuffer(trans, dtype=np.float64).reshape(n, n).copy()
        self.follows = np.isfinite(self.trans)  # jieba's trans_p[y0].keys()
        self.has_next = np.frombuffer(has_next, dtype=np.uint8).astype(bool)
        self.start = np.frombuffer(start, dtype=np.float64).copy()
        self._emit = emit
        self._char_states = allowed
        self._all = np.ones(n, dtype=bool)
        # Per character, filled as characters come: at most the few thousand a text uses.
        self._emissions: dict[str, np.ndarray] = {}
        self._masks: dict[str, np.ndarray] = {}

    def _emission(self, ch: str) -> np.ndarray:
        found = self._emissions.get(ch)
        if found is None:
            found = np.full(len(self.states), MIN_FLOAT)
            packed = self._emit.get(ch)
            if packed is not None:
                found[np.frombuffer(packed[0], dtype=np.uint16)] = np.frombuffer(
                    packed[1], dtype=np.float64
                )
            self._emissions[ch] = found
        return found

    def _allowed(self, ch: str) -> np.ndarray:
        found = self._masks.get(ch)
        if found is None:
            states = self._char_states.get(ch)
            if states is None:
                found = self._all
            else:
                found = np.zeros(len(self.states), dtype=bool)
                found[np.frombuffer(states, dtype=np.uint16)] = True
            self._masks[ch] = found
        return found

    def viterbi(self, obs: str) -> list[tuple[str, str]]:
        """The most likely (position, tag) state of each character, as jieba decodes it."""
        active = np.flatnonzero(self._allowed(obs[0]))
        score = np.full(len(self.states), -np.inf)
        score[active] = self.start[active] + self._emission(obs[0])[active]
        back: list[np.ndarray] = []
        for ch in obs[1:]:
            prev = active[self.has_next[active]][::-1]  # greatest first: ties go to it
            if not len(prev):
                raise ValueError("no state can follow")  # jieba's decoder fails here too
            expect = self.follows[prev].any(axis=0)
            allowed = self._allowed(ch) & expect
            if not allowed.any():
                allowed = expect
            cols = np.flatnonzero(allowed)
            table = score[prev][:, None] + self.trans[prev][:, cols]
            table = table + self._emission(ch)[cols][None, :]
            best = np.argmax(table, axis=0)
            step = np.zeros(len(self.states), dtype=np.intp)
            step[cols] = prev[best]
            back.append(step)
            score = np.full(len(self.states), -np.inf)
            score[cols] = table[best, np.arange(len(cols))]
            active = cols
        last = active[::-1][int(np.argmax(score[active[::-1]]))]
        path = [int(last)]
        for step in reversed(back):
            path.append(int(step[path[-1]]))
        return [self.states[i] for i in reversed(path)]


@lru_cache(maxsize=1)
def pos_hmm() -> PosHMM:
    return PosHMM()


@lru_cache(maxsize=1 << 14)
def _path(sentence: str) -> tuple[tuple[str, str], ...]:
    # A third of the runs of a novel come again (names, set phrases): decoded once.
    return tuple(pos_hmm().viterbi(sentence))


def cut(sentence: str) -> Iterator[tuple[str, str]]:
    """(word, tag) pairs of a run of Han characters, as ``POSTokenizer.__cut`` gives them."""
    pos_list = _path(sentence)
    begin, nexti = 0, 0
    for i, char in enumerate(sentence):
        pos = pos_list[i][0]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin : i + 1], pos_list[i][1]
            nexti = i + 1
        elif pos == "S":
            yield char, pos_list[i][1]
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:], pos_list[nexti][1]
