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
from flashcards.han import is_han
from flashcards.pinyin import model_is_available, read_sentence
from flashcards.segment import segment_text
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


def load_items(
    directory: Path = CPP, limit: int | None = None, split: str = "dev"
) -> list[Item]:
    sents = (directory / f"{split}.sent").read_text("utf-8").splitlines()
    labels = (directory / f"{split}.lb").read_text("utf-8").splitlines()
    if len(sents) != len(labels):
        raise SystemExit(f"{split}.sent has {len(sents)} lines but {split}.lb has {len(labels)}")
    items = [parse_item(s, lb) for s, lb in zip(sents, labels, strict=True)]
    return items[:limit] if limit else items


def plain_pypinyin(text: str) -> list[str | None]:
    """pypinyin's reading of every character of ``text`` (None for non-Han characters)."""
    out = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
    )
    return [normalise_u(p) if is_han(c) else None for c, p in zip(text, out, strict=True)]


def g2pm_alone(text: str, index: int) -> str | None:
    """The g2pM model's reading of the character at ``index``, choosing among all of that
    character's readings (what g2pM itself reports on CPP)."""
    from flashcards.pinyin import _context_model

    return _context_model().predict(text, [index]).get(index)


class ContextPinyin:
    """Our reading of every character: segment, read in context, spread over characters.

    Keeps the time spent in each stage, so that the pinyin stage can be compared with
    pypinyin on its own as well as with segmentation included.
    """

    def __init__(self, dictionary: Dictionary, use_model: bool = True) -> None:
        self.dictionary = dictionary
        self.use_model = use_model
        self.segment_seconds = 0.0
        self.read_seconds = 0.0

    def __call__(self, text: str) -> list[str | None]:
        per_char: list[str | None] = [None] * len(text)
        t0 = time.perf_counter()
        tokens = segment_text(text, self.dictionary)
        t1 = time.perf_counter()
        readings = read_sentence(tokens, self.dictionary, use_model=self.use_model)
        self.segment_seconds += t1 - t0
        self.read_seconds += time.perf_counter() - t1
        for r in readings:
            if r.numbered is None:
                continue
            syllables = iter(r.numbered.split())
            for k, ch in enumerate(r.token.text):
                if is_han(ch):
                    per_char[r.token.start + k] = next(syllables, None)
        return per_char


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
        if system is g2pm_alone:
            got = g2pm_alone(item.text, item.index)
        else:
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
    return f"{100 * right / total:.2f}%" if total else "-"


def neutral_only(score: Score) -> int:
    """Errors where we read the neutral tone and the gold has the full tone of the same
    syllable (衣服 fu5 / fu2): CC-CEDICT's and the standard dictionaries' neutral tones,
    which this benchmark's labels write with the citation tone."""
    return sum(
        1
        for item, got in score.errors
        if got and got.endswith("5") and got[:-1] == item.gold[:-1] and item.gold[-1] != "5"
    )


def cedict_disagrees(item: Item, dictionary: Dictionary) -> bool:
    """Is the target inside a word CC-CEDICT reads one way only, and that way is not the
    label's (勃艮第 gen3 against gen4, 枇杷 pa5 against pa2)? No system that keeps the
    card's pinyin on its dictionary entry can score those."""
    for tok in segment_text(item.text, dictionary):
        if tok.start <= item.index < tok.start + len(tok.text) and len(tok.text) > 1:
            readings = {normalise_u(r.lower()) for r in dictionary.readings(tok.simplified)}
            syllables = {r.split()[item.index - tok.start] for r in readings if r}
            return len(readings) == 1 and item.gold not in syllables
    return False


def report(
    scores: Sequence[Score],
    items: Sequence[Item],
    stage_seconds: dict[str, tuple[float, float]] | None = None,
    top_errors: int = 15,
    disagreeing: set[int] | None = None,
    title: str = "CPP dev",
) -> str:
    """The table: one row per system, then per-character accuracy for every system."""
    base = scores[0]
    lines = [
        f"{title}: {len(items)} sentences, {len({i.char for i in items})} polyphonic characters",
        "",
        f"{'system':<34}{'accuracy':>10}{'neutral':>9}{'ms/sent':>9}{'time':>8}"
        f"{'pinyin stage':>14}",
    ]
    for s in scores:
        ms = 1000 * s.seconds / max(1, s.total)
        ratio = s.seconds / base.seconds if base.seconds else float("nan")
        stage = ""
        if stage_seconds and s.name in stage_seconds:
            _, read = stage_seconds[s.name]
            stage = f"{read / base.seconds:.1f}x" if base.seconds else ""
        lines.append(
            f"{s.name:<34}{_pct(s.right, s.total):>10}{neutral_only(s):>9}{ms:>9.3f}"
            f"{ratio:>7.1f}x{stage:>14}"
        )
    if disagreeing:
        lines += [
            "",
            f"on the {len(items) - len(disagreeing)} sentences where CC-CEDICT allows the label"
            f" (left out: {len(disagreeing)} inside a word CC-CEDICT reads one other way only)",
        ]
        for s in scores:
            wrong = sum(1 for item, _ in s.errors if id(item) not in disagreeing)
            kept = len(items) - len(disagreeing)
            lines.append(f"{s.name:<34}{_pct(kept - wrong, kept):>10}")
    lines += [
        "",
        "neutral: errors that are only CC-CEDICT's neutral tone against the label's full tone.",
        "time: whole system against plain pypinyin; pinyin stage: read_sentence alone",
        "(segmentation excluded) against plain pypinyin.",
        "",
        "per character (the issue's polyphones, then the most frequent errors of the last row):",
    ]
    ours = scores[-1]
    header = f"{'char':<5}{'n':>4}" + "".join(f"{s.name[:22]:>24}" for s in scores)
    lines.append(header + "  gold readings")
    gold_by_char: dict[str, Counter] = {}
    for it in items:
        gold_by_char.setdefault(it.char, Counter())[it.gold] += 1
    worst = sorted(ours.by_char, key=lambda c: (ours.by_char[c][0] - ours.by_char[c][1], c))
    shown = [c for c in COMMON_POLYPHONES if c in ours.by_char]
    shown += [c for c in worst if c not in shown][:top_errors]
    for c in shown:
        golds = " ".join(f"{r}:{n}" for r, n in gold_by_char[c].most_common())
        row = f"{c:<5}{ours.by_char[c][1]:>4}"
        row += "".join(f"{_pct(*s.by_char[c]):>24}" for s in scores)
        lines.append(f"{row}  {golds}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--errors", type=Path, help="write our errors to this file (TSV)")
    parser.add_argument(
        "--data", type=Path, default=CPP, help="a folder with dev.sent and dev.lb (g2pL's too)"
    )
    args = parser.parse_args(argv)
    data = args.data
    if not (data / "dev.sent").is_file() or not (data / "dev.lb").is_file():
        print(
            f"error: the {'CPP ' if data == CPP else ''}benchmark data is missing: "
            f"expected {data}/dev.sent and dev.lb "
            "(../shared beside the repository)",
            file=sys.stderr,
        )
        return 2
    items = load_items(data, limit=args.limit)
    dictionary = load_dictionary()
    readers = {"flashcards, rules only": ContextPinyin(dictionary, use_model=False)}
    if model_is_available():
        readers["flashcards (shipped)"] = ContextPinyin(dictionary)
    # One untimed pass fills the caches (dictionary entries, jieba, the model), so that
    # every timed row below runs warm and the row order does not favour the later ones.
    warm = list(readers.values())[-1]
    for item in items:
        warm(item.text)
    for reader in readers.values():
        reader.segment_seconds = reader.read_seconds = 0.0
    plain_pypinyin("预热")
    scores = [evaluate("pypinyin (plain)", items, plain_pypinyin)]
    if model_is_available():
        scores.append(evaluate("g2pM alone", items, g2pm_alone))
    scores += [evaluate(name, items, reader) for name, reader in readers.items()]
    stages = {name: (r.segment_seconds, r.read_seconds) for name, r in readers.items()}
    disagreeing = {id(item) for item in items if cedict_disagrees(item, dictionary)}
    title = "CPP dev" if data == CPP else f"{data.name} dev"
    print(report(scores, items, stages, disagreeing=disagreeing, title=title))
    if not model_is_available():
        print("\n(g2pM is not installed: the rules + g2pM row is missing)")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            for item, got in scores[-1].errors:
                fh.write(f"{item.char}\t{item.gold}\t{got}\t{item.text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
