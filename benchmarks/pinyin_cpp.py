"""Pinyin in context on the CPP polyphone benchmark, beside plain pypinyin.

Reads ../shared/bench/cpp/dev.sent and dev.lb (9,893 sentences, each with one polyphonic
character wrapped in U+2581 and its gold numbered pinyin) and scores, on the same sentences
in one run, the target character's reading from:

- pypinyin: ``lazy_pinyin(sentence, style=TONE3, neutral_tone_with_five=True)``;
- flashcards: ``segment_text`` then ``read_sentence`` (what ``flashcards build`` does).

Prints overall accuracy, per-character accuracy for the common polyphones, and time per
sentence as a ratio. Usage: ``python benchmarks/pinyin_cpp.py [--limit N] [--errors FILE]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from flashcards.dictionary import Dictionary, load_dictionary
from flashcards.pinyin import read_sentence
from flashcards.segment import is_han, segment_text
from flashcards.tones import normalise_u

CPP = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "cpp"
MARK = "\u2581"
# The polyphones the issue names, shown per character whenever the data has them.
COMMON_POLYPHONES = "了着重行为好都觉处种差调传藏便朝空乐数背长还得地教只的和中大会要发"


@dataclass(frozen=True)
class Item:
    text: str  # the sentence without the markers
    index: int  # where the polyphonic character stands in it
    gold: str  # numbered pinyin, ü as "ü", tone 1-5

    @property
    def char(self) -> str:
        return self.text[self.index]


def parse_item(marked_sentence: str, label: str) -> Item:
    """One line of dev.sent (target wrapped in U+2581) and its line of dev.lb."""
    index = marked_sentence.index(MARK)
    text = marked_sentence.replace(MARK, "")
    return Item(text, index, normalise_u(label.strip().lower()))


def load_items(directory: Path = CPP, limit: int | None = None) -> list[Item]:
    sents = (directory / "dev.sent").read_text("utf-8").splitlines()
    labels = (directory / "dev.lb").read_text("utf-8").splitlines()
    if len(sents) != len(labels):
        raise SystemExit(f"dev.sent has {len(sents)} lines but dev.lb has {len(labels)}")
    items = [parse_item(s, lb) for s, lb in zip(sents, labels, strict=True)]
    return items[:limit] if limit else items


def plain_pypinyin(text: str) -> list[str | None]:
    """pypinyin's reading of every character of ``text`` (None for non-Han characters)."""
    out = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
    )
    return [normalise_u(p) if is_han(c) else None for c, p in zip(text, out, strict=True)]


def context_pinyin(dictionary: Dictionary) -> Callable[[str], list[str | None]]:
    """Our reading of every character: segment, read in context, spread over characters."""

    def read(text: str) -> list[str | None]:
        per_char: list[str | None] = [None] * len(text)
        for r in read_sentence(segment_text(text, dictionary), dictionary):
            if r.numbered is None:
                continue
            syllables = iter(r.numbered.split())
            for k, ch in enumerate(r.token.text):
                if is_han(ch):
                    per_char[r.token.start + k] = next(syllables, None)
        return per_char

    return read


@dataclass
class Score:
    name: str
    right: int = 0
    total: int = 0
    seconds: float = 0.0
    by_char: dict[str, list[int]] = field(default_factory=dict)  # char -> [right, total]
    errors: list[tuple[Item, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def evaluate(
    name: str, items: Iterable[Item], system: Callable[[str], Sequence[str | None]]
) -> Score:
    score = Score(name)
    start = time.perf_counter()
    for item in items:
        got = system(item.text)[item.index]
        ok = got == item.gold
        score.right += ok
        score.total += 1
        tally = score.by_char.setdefault(item.char, [0, 0])
        tally[0] += ok
        tally[1] += 1
        if not ok:
            score.errors.append((item, got))
    score.seconds = time.perf_counter() - start
    return score


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:6.2f}%" if total else "     -"


def report(scores: Sequence[Score], items: Sequence[Item], top_errors: int = 15) -> str:
    base, ours = scores
    lines = [
        f"CPP dev: {len(items)} sentences, {len({i.char for i in items})} polyphonic characters",
        "",
        f"{'system':<28}{'accuracy':>10}{'ms/sentence':>13}{'time ratio':>12}",
    ]
    for s in scores:
        ms = 1000 * s.seconds / max(1, s.total)
        ratio = s.seconds / base.seconds if base.seconds else float("nan")
        lines.append(f"{s.name:<28}{_pct(s.right, s.total):>10}{ms:>13.3f}{ratio:>11.1f}x")
    lines += ["", "per character (the issue's polyphones, then our most frequent errors):"]
    lines.append(f"{'char':<6}{'n':>4}{base.name:>14}{ours.name:>14}  gold readings")
    gold_by_char: dict[str, Counter] = {}
    for it in items:
        gold_by_char.setdefault(it.char, Counter())[it.gold] += 1
    worst = sorted(ours.by_char, key=lambda c: (ours.by_char[c][0] - ours.by_char[c][1], c))
    shown = [c for c in COMMON_POLYPHONES if c in ours.by_char]
    shown += [c for c in worst if c not in shown][:top_errors]
    for c in shown:
        b, o = base.by_char[c], ours.by_char[c]
        golds = " ".join(f"{r}:{n}" for r, n in gold_by_char[c].most_common())
        lines.append(f"{c:<6}{o[1]:>4}{_pct(*b):>14}{_pct(*o):>14}  {golds}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--errors", type=Path, help="write our errors to this file (TSV)")
    args = parser.parse_args(argv)
    if not (CPP / "dev.sent").is_file() or not (CPP / "dev.lb").is_file():
        print(
            f"error: the CPP benchmark data is missing: expected {CPP}/dev.sent and dev.lb "
            "(../shared beside the repository)",
            file=sys.stderr,
        )
        return 2
    items = load_items(limit=args.limit)
    dictionary = load_dictionary()
    ours_reader = context_pinyin(dictionary)
    ours_reader("他长得很快。")  # load jieba, the rule table and the dictionary outside the clock
    plain_pypinyin("预热")
    scores = [
        evaluate("pypinyin (plain)", items, plain_pypinyin),
        evaluate("flashcards (in context)", items, ours_reader),
    ]
    print(report(scores, items))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            for item, got in scores[1].errors:
                fh.write(f"{item.char}\t{item.gold}\t{got}\t{item.text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
