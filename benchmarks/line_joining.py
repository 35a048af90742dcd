"""How well flashcards.read.wrap tells a hard wrap from a paragraph end.

Each text of ../shared is read as it is (its line breaks are paragraph ends, so every join
is a mistake), then hard-wrapped: every paragraph cut into lines of N characters wherever
the line is full (inside words too), the paragraphs separated by a single line break and
no indent, the hardest case (a blank line or an indent always ends a paragraph). Counted
over the line breaks between two lines of text:

    python benchmarks/line_joining.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flashcards.han import HAN_CHAR  # noqa: E402
from flashcards.read.plain import read_text  # noqa: E402
from flashcards.read.wrap import join_wrapped_lines  # noqa: E402

SHARED = ROOT.parent / "shared"
TEXTS = [
    *sorted((SHARED / "corpus").glob("*.txt")),
    SHARED / "seeds" / "000_6077f70e12453669.txt",
]


def joined_breaks(text: str) -> list[bool]:
    """For each line break of ``text``, whether the joiner took it out."""
    out = "".join(join_wrapped_lines([text]))
    decisions = []
    j = 0
    for char in text:
        if char == "\n":
            kept = j < len(out) and out[j] == "\n"
            decisions.append(not kept)
            j += kept or (j < len(out) and out[j] == " ")
        else:
            assert out[j] == char
            j += 1
    return decisions


def wrapped(paragraphs: list[str], width: int) -> tuple[str, list[bool]]:
    """The paragraphs hard-wrapped at ``width`` characters, and for each line break
    whether it is a wrap (True) or a paragraph end (False)."""
    lines, kinds = [], []
    for p in paragraphs:
        pieces = [p[i : i + width] for i in range(0, len(p), width)]
        lines.extend(pieces)
        kinds.extend([True] * (len(pieces) - 1) + [False])
    return "\n".join(lines) + "\n", kinds


def main() -> None:
    print(
        "| text | as it is: breaks between lines, joined | wrapped at | wraps joined | "
        "wraps inside a word left | paragraph ends joined |"
    )
    print("|---|---|---|---|---|---|")
    for path in TEXTS:
        if not path.exists():
            continue
        _, text = read_text(path)
        lines = text.split("\n")
        between = [
            bool(lines[i].strip() and lines[i + 1].strip()) for i in range(len(lines) - 1)
        ]
        decisions = joined_breaks(text)
        wrong = sum(d for d, b in zip(decisions, between, strict=False) if b)
        paragraphs = [x.strip() for x in lines if x.strip()]
        for width in (20, 30, 40):
            body, kinds = wrapped(paragraphs, width)
            got = joined_breaks(body)
            wraps = sum(kinds)
            ends = len(kinds) - wraps
            hit = sum(g for g, k in zip(got, kinds, strict=True) if k)
            false = sum(g for g, k in zip(got, kinds, strict=True) if not k)
            breaks = [i for i, c in enumerate(body) if c == "\n"]
            inside = [
                HAN_CHAR.match(body[i - 1]) and HAN_CHAR.match(body[i + 1 : i + 2])
                for i in breaks
            ]
            words = sum(1 for g, k, w in zip(got, kinds, inside, strict=True) if k and w)
            left = sum(1 for g, k, w in zip(got, kinds, inside, strict=True) if k and w and not g)
            first = f"{sum(between)}, {wrong}" if width == 20 else ""
            print(
                f"| {path.name if width == 20 else ''} | {first} | {width} | "
                f"{hit}/{wraps} ({hit / wraps:.1%}) | {left}/{words} | "
                f"{false}/{ends} ({false / ends:.2%}) |"
            )


if __name__ == "__main__":
    main()
