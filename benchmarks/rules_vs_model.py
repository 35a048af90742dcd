"""Per character: is our rule, or our everyday reading, or the g2pM model more often right?

Reads g2pL's train split (../shared/bench/g2pl/train.sent, train.lb: 114 frequent
polyphones, target wrapped in U+2581). For every sentence whose target character stands as
a word of its own, scores against the label, side by side: where a rule of ours fires, the
rule and the model; where none fires, the model and the reading we would give without it
(our table's default, the learner's dictionary, the usual reading). Prints one row per
character; with ``--write``, stores in ``flashcards/data/deciders.json`` the characters
where the model beats the rules, and those where our everyday reading beats the model (by
at least ``--margin`` items), which the reader then consults. Dev splits are never used
here: they measure what this fits.

Usage: ``python benchmarks/rules_vs_model.py [--limit N] [--write]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from pinyin_cpp import load_items

from flashcards.dictionary import load_dictionary
from flashcards.pinyin import _candidates, _fired_rule, _SentenceReader, rule_table
from flashcards.segment import segment_text

G2PL = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "g2pl"
DECIDERS = Path(__file__).resolve().parents[1] / "flashcards" / "data" / "deciders.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--margin", type=int, default=3)
    args = parser.parse_args(argv)
    if not (G2PL / "train.sent").is_file():
        print(f"error: g2pL data missing: expected {G2PL}/train.sent", file=sys.stderr)
        return 2
    items = load_items(G2PL, limit=args.limit, split="train")
    dictionary = load_dictionary()
    table = rule_table()
    # char -> [ours right, model right, n], where a rule fired and where none did
    fired: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    unfired: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in items:
        tokens = segment_text(item.text, dictionary)
        reader = _SentenceReader(tokens, dictionary, True, {})
        plain = _SentenceReader(tokens, dictionary, False, {})
        for i, tok in enumerate(reader.ctx.tokens):
            if tok.start != item.index or len(tok.simplified) != 1:
                continue
            ch = tok.simplified
            rules = table.words.get(ch)
            by_rule = _fired_rule(rules, reader.ctx, i) if rules else None
            cands = _candidates(dictionary, ch, tok.text)
            allowed = tuple(dict.fromkeys(cands.common + cands.variant))
            by_model = reader.model_reading(i, 0, ch, allowed)
            if by_model is None or len(allowed) < 2:
                break
            if by_rule is None:
                default = rules.default if rules else None
                ours, t = plain.read_char(i, ch, cands, None, default), unfired[item.char]
            else:
                ours, t = by_rule, fired[item.char]
            t[0] += ours == item.gold
            t[1] += by_model == item.gold
            t[2] += 1
            break
    model_wins = _table("where a rule fires: rule vs model", fired, args.margin)
    _table("where none fires: our everyday reading vs model", unfired, args.margin)
    prior_wins = _losers(unfired, args.margin)
    if args.write:
        data = json.loads(DECIDERS.read_text("utf-8"))
        data["model_beats_rules"] = "".join(sorted(model_wins))
        data["usual_beats_model"] = "".join(sorted(prior_wins))
        DECIDERS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"wrote {len(model_wins)} + {len(prior_wins)} characters to {DECIDERS.name}")
    return 0


def _table(title: str, tally: dict[str, list[int]], margin: int) -> list[str]:
    """Print the rows; return the characters where the model wins by ``margin`` items."""
    print(f"\n{title}\n{'char':<5}{'n':>6}{'ours':>8}{'model':>8}  better")
    wins = []
    for ch in sorted(tally, key=lambda c: (-tally[c][2], c)):
        ours, model, n = tally[ch]
        better = "model" if model - ours >= margin else "ours" if ours - model >= margin else "-"
        if better == "model":
            wins.append(ch)
        print(f"{ch:<5}{n:>6}{100 * ours / n:>7.1f}%{100 * model / n:>7.1f}%  {better}")
    total = [sum(t[k] for t in tally.values()) for k in range(3)]
    if total[2]:
        print(f"{'all':<5}{total[2]:>6}{100 * total[0] / total[2]:>7.1f}%"
              f"{100 * total[1] / total[2]:>7.1f}%")
    return wins


def _losers(tally: dict[str, list[int]], margin: int) -> list[str]:
    """The characters where our reading beats the model by ``margin`` items."""
    return [ch for ch, (ours, model, _) in tally.items() if ours - model >= margin]


if __name__ == "__main__":
    sys.exit(main())
