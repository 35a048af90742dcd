"""How much of a text a learner can read, and the fewest words that make it readable.

Coverage is the share of a text's tokens the learner knows, counted over every token but
white space: names, numbers, punctuation and Latin text count as known (nobody learns 习近平
or 2024 from a card), and so do ignored words. A word taught adds all its uses at once, so
the fewest words that reach a target are the most used ones: taking words by how often the
text uses them, most first, reaches any target with as few words as any choice can (an
exchange argument: any set of k words covers at most the k largest counts).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class CoveragePlan:
    """What a coverage target takes: the words to learn, most useful first."""

    tokens: int  # every token of the text but white space
    known_tokens: int  # of them, known before any of ``words``
    words: tuple  # the words to learn, in the order they were taken
    new_tokens: int  # the tokens ``words`` cover
    target: float | None  # percent, as asked; None: no target, every candidate taken
    reached: bool  # False: even every candidate falls short of the target

    @property
    def before(self) -> float:
        """Coverage before, in percent."""
        return percent(self.known_tokens, self.tokens)

    @property
    def after(self) -> float:
        """Coverage with ``words`` learned, in percent."""
        return percent(self.known_tokens + self.new_tokens, self.tokens)


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def reaches(covered: int, tokens: int, target: float) -> bool:
    """Is ``covered`` of ``tokens`` at least ``target`` percent? Exact: no float rounding
    decides whether 95 of 100 is 95%."""
    from fractions import Fraction

    return tokens == 0 or Fraction(covered) * 100 >= Fraction(str(target)) * tokens


def plan_coverage(
    candidates: Iterable[tuple[K, int]],
    *,
    tokens: int,
    known_tokens: int,
    target: float | None,
    tie_break: Callable[[K], tuple] = lambda key: (),
) -> CoveragePlan:
    """The fewest of ``candidates`` ((word, uses in the text) pairs) that bring coverage to
    ``target`` percent: the most used first, ties by ``tie_break`` (smaller first: give the
    more frequent word in wordfreq a smaller key), then by the word itself, so the choice is
    the same on every run. With ``target`` None every candidate is taken, in that order."""
    ranked = sorted(candidates, key=lambda item: (-item[1], tie_break(item[0]), item[0]))
    chosen: list[K] = []
    covered = known_tokens
    reached = target is None or reaches(covered, tokens, target)
    for key, uses in ranked:
        if target is not None and reached:
            break
        chosen.append(key)
        covered += uses
        reached = target is None or reaches(covered, tokens, target)
    return CoveragePlan(
        tokens=tokens,
        known_tokens=known_tokens,
        words=tuple(chosen),
        new_tokens=covered - known_tokens,
        target=target,
        reached=reached,
    )


def summary_line(plan: CoveragePlan) -> str:
    """ "known 81.2% → 95.0% with 214 new words" """
    return (
        f"known {plan.before:.1f}% → {plan.after:.1f}% with {len(plan.words)} new "
        f"word{'' if len(plan.words) == 1 else 's'}"
    )
