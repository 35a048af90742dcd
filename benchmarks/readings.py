"""Readings and first senses on our own labelled dev set from real text.

``benchmarks/readings/*.jsonl`` hold items taken verbatim from the texts in ../shared
(corpus and seeds: modern prose and drama, a news page, classical-vernacular novels in both
scripts), each a sentence, a word in it, the reading it has there and the CC-CEDICT senses
that fit that use, labelled by hand from knowledge of Chinese and checked against CC-CEDICT.

Prints, in one run, the share of items whose reading is right for: plain pypinyin over the
sentence; CC-CEDICT's first reading of the word; ours (the reading ``flashcards build``
gives the word in that sentence). Then the share whose first sense on the card fits, beside
"CC-CEDICT order" (the first sense of the right reading's first entry), and the share of
items where our segmentation has the word as one token.

Files named ``heldout-*.jsonl`` were labelled after the rules were written and are never
read to write rules; their table is printed apart. Usage: ``python benchmarks/readings.py
[--errors] [--kind polyphone] [--split dev|heldout|all]``.

``notes.jsonl`` (dev) and ``heldout-c.jsonl`` are not chosen for hard words: they are
random notes of decks built from random sentences of ../shared, so their tables (printed
apart too) measure what a teacher reading a deck meets. The notes of that sample that were
no word of their own there (a piece of a name or of a longer word, a person's name) are in
``not_words.json``: the last table gives how many of them a deck of that sentence still
cards.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from flashcards.dictionary import Dictionary, load_dictionary
from flashcards.models import AnnotatedSentence, Sentence
from flashcards.pinyin import read_sentence
from flashcards.segment import segment_text
from flashcards.select import VocabularyCollector, _to_vocab, word_key
from flashcards.tones import normalise_u

HERE = Path(__file__).resolve().parent
DATA = HERE / "readings"
SHARED = HERE.parents[1] / "shared"
KINDS = ("two-reading", "polyphone", "single-reading")


@dataclass(frozen=True)
class Item:
    id: str
    source: str
    line: int
    sentence: str
    word: str
    offset: int
    reading: str
    senses: tuple[str, ...]
    kind: str


def load_items(folder: Path = DATA, split: str = "all") -> list[Item]:
    """The items of ``split``: "dev" (the files we read while writing rules), "heldout"
    (``heldout-*.jsonl``), or "all"."""
    items = []
    for path in sorted(folder.glob("*.jsonl")):
        heldout = path.name.startswith("heldout-")
        if (split == "dev" and heldout) or (split == "heldout" and not heldout):
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            item = Item(
                d["id"],
                d["source"],
                int(d["line"]),
                d["sentence"],
                d["word"],
                int(d["offset"]),
                normalise_u(d["reading"]),
                tuple(d["senses"]),
                d["kind"],
            )
            problem = check(item)
            if problem:
                raise SystemExit(f"{path.name}:{n} ({item.id}): {problem}")
            items.append(item)
    return items


def check(item: Item) -> str | None:
    """What is wrong with an item's form, or None."""
    if item.sentence[item.offset : item.offset + len(item.word)] != item.word:
        return "the word is not at its offset"
    if len(item.reading.split()) != len(item.word):
        return "one syllable per character expected"
    if item.kind not in KINDS:
        return f"kind must be one of {KINDS}"
    source = SHARED / item.source
    if source.is_file():
        lines = source.read_text("utf-8").splitlines()
        if not (0 < item.line <= len(lines)) or item.sentence not in lines[item.line - 1]:
            return f"the sentence is not on line {item.line} of {item.source}"
    return None


# --------------------------------------------------------------------------- the systems


def plain_pypinyin(item: Item, _: Dictionary) -> tuple[str | None, str | None]:
    out = lazy_pinyin(
        item.sentence, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
    )
    syllables = [normalise_u(s if s[-1:].isdigit() else s + "5") for s in out]
    return " ".join(syllables[item.offset : item.offset + len(item.word)]), None


def cedict_first(item: Item, dictionary: Dictionary) -> tuple[str | None, str | None]:
    """CC-CEDICT's first entry of the word as written; its first sense where the reading
    is the labelled one, else the first sense of the labelled reading's first entry."""
    entries = dictionary.lookup(item.word)
    if not entries:
        return None, None
    first = normalise_u(entries[0].numbered.lower())
    right = [e for e in entries if normalise_u(e.numbered.lower()) == item.reading]
    sense = right[0].senses[0] if right and right[0].senses else None
    return first, sense


def ours(item: Item, dictionary: Dictionary) -> tuple[str | None, str | None]:
    """The word's reading in the sentence, and the first sense of the note a deck would
    have for it (None where our segmentation does not have the word as one token)."""
    sentence = Sentence(0, item.sentence, "dev", 0)
    tokens = segment_text(item.sentence, dictionary)
    readings = read_sentence(tokens, dictionary)
    by_char: dict[int, str] = {}
    token = None
    for r in readings:
        if r.numbered is None:
            continue
        for k, syllable in enumerate(r.numbered.split()):
            by_char[r.token.start + k] = syllable
        if r.token.start == item.offset and len(r.token.text) == len(item.word):
            token = r
    span = [by_char.get(item.offset + k) for k in range(len(item.word))]
    reading = None if None in span else " ".join(span)
    if token is None:
        return reading, None
    # The whole sentence, as a deck reads it: the senses follow how the word is used there.
    collector = VocabularyCollector()
    collector.add(AnnotatedSentence(sentence, readings))
    key = word_key(token)
    stats = [st for st in collector.stats() if (st.simplified, st.numbered) == key]
    if not stats:
        return reading, None
    senses = _to_vocab(stats[0], dictionary).senses
    return reading, senses[0] if senses else None


SYSTEMS: dict[str, Callable[[Item, Dictionary], tuple[str | None, str | None]]] = {
    "pypinyin (plain)": plain_pypinyin,
    "CC-CEDICT first": cedict_first,
    "flashcards": ours,
}


# --------------------------------------------------------------------------- the table


def score(items: Iterable[Item], dictionary: Dictionary) -> dict:
    """{system: {kind: [reading right, sense right, n, reading and sense right, n with
    a fitting sense, of those: carded as that word, and its first sense fits]}}, and our
    errors."""
    table: dict[str, dict[str, list[int]]] = {
        s: defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0]) for s in SYSTEMS
    }
    errors = []
    for item in items:
        for name, system in SYSTEMS.items():
            reading, sense = system(item, dictionary)
            ok = reading == item.reading
            fits = sense is not None and sense in item.senses
            for kind in (item.kind, "all"):
                t = table[name][kind]
                t[0] += ok
                t[1] += fits
                t[2] += 1
                t[3] += ok and fits
                if item.senses:
                    t[4] += 1
                    t[5] += sense is not None
                    t[6] += ok and fits
            if name == "flashcards" and (not ok or (item.senses and not fits)):
                errors.append((item, reading, sense))
    return {"table": table, "errors": errors}


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.1f}%" if n else "-"


def report(result: dict, items: list[Item], title: str = "readings dev set") -> str:
    table = result["table"]
    kinds = [k for k in (*KINDS, "all") if table["flashcards"][k][2]]
    lines = [
        f"{title}: {len(items)} items from {len({i.source for i in items})} texts",
        "",
        "reading right".ljust(24) + "".join(f"{k:>16}" for k in kinds),
    ]
    for name in SYSTEMS:
        row = "".join(f"{_pct(table[name][k][0], table[name][k][2]):>16}" for k in kinds)
        lines.append(f"{name:<24}{row}")
    lines += ["", "n".ljust(24) + "".join(f"{table['flashcards'][k][2]:>16}" for k in kinds)]
    with_senses = [i for i in items if i.senses]

    def row(name: str, label: str, hits: int, of: int) -> str:
        return f"{label:<24}" + "".join(
            f"{_pct(table[name][k][hits], table[name][k][of]):>16}" for k in kinds
        )

    lines += [
        "",
        f"first sense fits, of the {len(with_senses)} items with a fitting CC-CEDICT sense",
        row("CC-CEDICT first", "CC-CEDICT order", 1, 4),
        row("flashcards", "flashcards", 1, 4),
        row("flashcards", "flashcards, and reading", 6, 4),
        "",
        "of those, the word carded as itself (not inside a longer word) by flashcards",
        row("flashcards", "share carded", 5, 4),
        row("flashcards", "reading and sense fit", 6, 5),
    ]
    return "\n".join(lines)


# Items of the random-notes sample, by the prefix of their ids.
RANDOM_NOTES = {"dev": "note-", "heldout": "hoc-"}
NOT_WORDS = DATA / "not_words.json"


def still_carded(entry: dict, dictionary: Dictionary) -> bool:
    """Does a deck of the entry's sentence card the characters at its offset as a word?"""
    import tempfile

    from flashcards.api import BuildOptions, make_deck

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sentence.txt"
        path.write_text(entry["sentence"] + "\n", "utf-8")
        deck = make_deck([path], BuildOptions(allow_empty=True), dictionary=dictionary)
    return any(
        v.sentence is not None
        and v.word_start == entry["offset"]
        and len(v.simplified) == len(entry["word"])
        for v in deck.vocab
    )


def not_words_report(dictionary: Dictionary) -> str:
    entries = json.loads(NOT_WORDS.read_text("utf-8"))
    lines = [
        "random deck notes that are no word there, still carded by a deck of their sentence",
        "".ljust(24) + "".join(f"{s:>16}" for s in RANDOM_NOTES),
    ]
    statuses = sorted({e["status"] for e in entries})
    for status in statuses:
        cells = []
        for split in RANDOM_NOTES:
            group = [e for e in entries if e["split"] == split and e["status"] == status]
            carded = sum(still_carded(e, dictionary) for e in group)
            cells.append(f"{carded} of {len(group)}")
        lines.append(f"{status:<24}" + "".join(f"{c:>16}" for c in cells))
    return "\n".join(lines)


def _print_errors(result: dict) -> None:
    print("\nour errors: id, word, gold reading, ours, our first sense")
    for item, reading, sense in result["errors"]:
        print(f"{item.id}\t{item.word}\t{item.reading}\t{reading}\t{sense}\t{item.sentence}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list our errors")
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    args = parser.parse_args(argv)
    dictionary = load_dictionary()
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    for n, split in enumerate(splits):
        # The random notes have tables of their own, below: these stay comparable with
        # earlier runs.
        items = [i for i in load_items(split=split) if not i.id.startswith(RANDOM_NOTES[split])]
        if args.kind:
            items = [i for i in items if i.kind == args.kind]
        if not items:
            continue
        result = score(items, dictionary)
        print(("\n\n" if n else "") + report(result, items, f"readings {split} set"))
        if args.errors and split == "dev":
            _print_errors(result)
    for split in splits:
        notes = [i for i in load_items(split=split) if i.id.startswith(RANDOM_NOTES[split])]
        if args.kind:
            notes = [i for i in notes if i.kind == args.kind]
        if notes:
            title = f"random deck notes, {split} ({RANDOM_NOTES[split]}*)"
            result = score(notes, dictionary)
            print("\n\n" + report(result, notes, title))
            if args.errors and split == "dev":
                _print_errors(result)
    if args.split == "all" and not args.kind:
        print("\n\n" + not_words_report(dictionary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
