"""What a text asks of a learner: size, dictionary coverage, HSK levels, known coverage.

Names are counted apart: a learner is not expected to know 习近平 from a word list, and
counting names as unknown words would make every news article look out of reach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from .levels import hsk2_level, hsk3_label, hsk3_level
from .models import HAN, SPACE, AnnotatedSentence

LEVEL_KEYS = ("1", "2", "3", "4", "5", "6", "7-9", "none")


def _hsk2_key(word: str) -> str:
    level = hsk2_level(word)
    return "none" if level is None else str(level)


def _hsk3_key(word: str) -> str:
    level = hsk3_level(word)
    return "none" if level is None else hsk3_label(level)


@dataclass
class TextStats:
    """Streaming counts over annotated sentences."""

    characters: int = 0  # every character but white space
    han_characters: int = 0
    tokens: int = 0  # every token but white space
    sentences: int = 0
    fragments: int = 0
    word_counts: Counter = field(default_factory=Counter)  # simplified -> uses (names excluded)
    name_counts: Counter = field(default_factory=Counter)
    in_dictionary: int = 0  # word tokens (names excluded) CC-CEDICT knows
    first_seen: dict[str, int] = field(default_factory=dict)

    def add(self, annotated: AnnotatedSentence) -> None:
        self.sentences += 1
        self.fragments += annotated.sentence.fragment
        for r in annotated.readings:
            tok = r.token
            if tok.kind == SPACE:
                continue
            self.tokens += 1
            self.characters += len(tok.text)
            if tok.kind != HAN:
                continue
            self.han_characters += len(tok.text)
            if tok.proper:
                self.name_counts[tok.simplified] += 1
                continue
            self.word_counts[tok.simplified] += 1
            self.first_seen.setdefault(tok.simplified, len(self.first_seen))
            self.in_dictionary += tok.in_dictionary

    @property
    def word_tokens(self) -> int:
        return sum(self.word_counts.values())


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def level_shares(stats: TextStats, key) -> dict[str, dict[str, float]]:
    tokens: Counter = Counter()
    distinct: Counter = Counter()
    for word, n in stats.word_counts.items():
        k = key(word)
        tokens[k] += n
        distinct[k] += 1
    return {
        "tokens": {k: _share(tokens[k], stats.word_tokens) for k in LEVEL_KEYS},
        "distinct": {k: _share(distinct[k], len(stats.word_counts)) for k in LEVEL_KEYS},
    }


def beyond_level(stats: TextStats, level: int, standard: str, limit: int) -> list[dict]:
    """The most used words above ``level`` (words on no list count as above every level)."""
    lookup = hsk2_level if standard in ("2.0", "2") else hsk3_level
    rows = []
    for word, n in stats.word_counts.items():
        lv = lookup(word)
        if lv is None or lv > level:
            rows.append((-n, stats.first_seen[word], word, lv))
    rows.sort()
    return [
        {"word": w, "count": -n, "level": (hsk3_label(lv) if lookup is hsk3_level else lv)}
        for n, _, w, lv in rows[:limit]
    ]


def known_coverage(
    stats: TextStats, known: Collection[str], limit: int, learning: Collection[str] = ()
) -> dict:
    known_tokens = sum(n for w, n in stats.word_counts.items() if w in known)
    unknown = [
        (-n, stats.first_seen[w], w)
        for w, n in stats.word_counts.items()
        if w not in known and w not in learning
    ]
    unknown.sort()
    return {
        "known_words": len(known),
        "token_coverage": _share(known_tokens, stats.word_tokens),
        "unknown_distinct": len(unknown),
        "unknown_top": [{"word": w, "count": -n} for n, _, w in unknown[:limit]],
    }


def learning_coverage(stats: TextStats, learning: Collection[str], limit: int) -> dict:
    """The words being learned (reviewed in Anki, not yet for long), counted apart from the
    known ones: their share of word tokens and the most used of them."""
    rows = sorted(
        (-n, stats.first_seen[w], w) for w, n in stats.word_counts.items() if w in learning
    )
    return {
        "learning_words": len(learning),
        "learning_distinct": len(rows),
        "learning_token_share": _share(sum(-n for n, _, _ in rows), stats.word_tokens),
        "learning_top": [{"word": w, "count": -n} for n, _, w in rows[:limit]],
    }


def text_coverage(stats: TextStats, known: Collection[str], target: float | None) -> dict:
    """Coverage over every token of the text (names, numbers and punctuation count as
    known; see flashcards.coverage) and, for a ``target`` percent, the fewest words that
    reach it: the most used unknown words first, ties to the more frequent in wordfreq."""
    from .coverage import plan_coverage
    from .levels import zipf_frequency

    unknown = [(w, n) for w, n in stats.word_counts.items() if w not in known]
    plan = plan_coverage(
        unknown,
        tokens=stats.tokens,
        known_tokens=stats.tokens - sum(n for _, n in unknown),
        target=target,
        tie_break=lambda w: (-zipf_frequency(w),),
    )
    out = {"text_coverage": round(plan.before, 2)}
    if target is not None:
        out["target"] = {
            "coverage": target,
            "words_needed": len(plan.words),
            "reached": plan.reached,
            "coverage_after": round(plan.after, 2),
            "words": list(plan.words),
        }
    return out


def report(
    stats: TextStats,
    *,
    beyond: int = 4,
    standard: str = "3.0",
    top: int = 20,
    known: Collection[str] | None = None,
    learning: Collection[str] = (),
    target_coverage: float | None = None,
) -> dict:
    """The analysis as plain data (what ``flashcards analyze --json`` prints)."""
    out = {
        "characters": stats.characters,
        "han_characters": stats.han_characters,
        "sentences": stats.sentences,
        "fragments": stats.fragments,
        "tokens": stats.tokens,
        "word_tokens": stats.word_tokens,
        "distinct_words": len(stats.word_counts),
        "name_tokens": sum(stats.name_counts.values()),
        "distinct_names": len(stats.name_counts),
        "dictionary_coverage": _share(stats.in_dictionary, stats.word_tokens),
        "hsk2": level_shares(stats, _hsk2_key),
        "hsk3": level_shares(stats, _hsk3_key),
        "beyond": {
            "level": beyond,
            "standard": standard,
            "words": beyond_level(stats, beyond, standard, top),
        },
    }
    if known is not None:
        out["known"] = known_coverage(stats, known, top, learning)
        out["known"].update(learning_coverage(stats, learning, top))
        out["known"].update(text_coverage(stats, known, target_coverage))
    elif target_coverage is not None:
        out["known"] = text_coverage(stats, frozenset(), target_coverage)
    return out


def source_rows(per_source: dict[str, TextStats], known: Collection[str] | None) -> list[dict]:
    """One row a source (file or chapter), in reading order, with the running total:
    its size, the share of its word tokens the learner knows, the words it has that they
    don't ("new", all its words when no known words are given), and of those the ones no
    earlier source had. The running total adds the sources up to this one."""
    known = known if known is not None else frozenset()
    rows = []
    seen_new: set[str] = set()
    total_chars = total_tokens = total_known = 0
    for name, stats in per_source.items():
        new = {w for w in stats.word_counts if w not in known}
        known_tokens = sum(n for w, n in stats.word_counts.items() if w in known)
        first = new - seen_new
        seen_new |= new
        total_chars += stats.characters
        total_tokens += stats.word_tokens
        total_known += known_tokens
        rows.append(
            {
                "source": name,
                "characters": stats.characters,
                "han_characters": stats.han_characters,
                "sentences": stats.sentences,
                "word_tokens": stats.word_tokens,
                "known_coverage": _share(known_tokens, stats.word_tokens),
                "new_words": len(new),
                "new_words_not_met_before": len(first),
                "total": {
                    "characters": total_chars,
                    "known_coverage": _share(total_known, total_tokens),
                    "new_words": len(seen_new),
                },
            }
        )
    return rows
