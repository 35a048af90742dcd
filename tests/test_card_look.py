"""The card stylesheet, measured: every colour of text at 4.5:1 contrast or more (WCAG 2
level AA for normal text) on the background it stands on, in day and in night mode.

Read from flashcards/templates/style.css itself; the browser tests measure the same on the
rendered preview (tests/test_preview_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flashcards.notes import pinyin_html

CSS = (Path(__file__).resolve().parents[1] / "flashcards" / "templates" / "style.css").read_text(
    encoding="utf-8"
)
AA = 4.5


def wcag_luminance(colour: str) -> float:
    """Relative luminance of #rgb / #rrggbb / rgb(r, g, b) (WCAG 2.x definition)."""
    colour = colour.strip().lower()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    else:
        match = re.match(r"rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)", colour)
        assert match, f"not a colour: {colour!r}"
        channels = [int(g) for g in match.groups()]

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((wcag_luminance(a), wcag_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_gives_wcags_own_reference_values():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#fff", "#fff") == pytest.approx(1.0)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)  # the classic near-miss
    assert contrast("rgb(224, 138, 0)", "#fafafa") == pytest.approx(2.58, abs=0.01)


def _block(selector: str) -> str:
    """The declarations of the rule whose selector list (up to its brace) matches ``selector``,
    a regular expression."""
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
    found = re.findall(r"(?m)^(" + selector + r")\s*\{([^}]*)\}", css)
    assert len(found) == 1, f"{len(found)} rules {selector!r} in style.css"
    return found[0][1]


def _declarations(block: str) -> dict[str, str]:
    return {
        name.strip(): value.strip()
        for name, value in re.findall(r"([-\w]+)\s*:\s*([^;]+);", block)
    }


def _modes() -> dict[str, dict[str, str]]:
    day = _declarations(_block(r"\.card"))
    night = {**day, **_declarations(_block(r"\.card\.nightMode,[^{]*"))}
    return {"day": day, "night": night}


def _resolve(value: str, variables: dict[str, str], fallback: str) -> str:
    if value == "inherit":
        return fallback
    match = re.fullmatch(r"var\((--[-\w]+)\)", value)
    return _resolve(variables[match.group(1)], variables, fallback) if match else value


# (what, colour variable, background variable or None for the card's background)
PAIRS = [
    *((f"tone {n}", f"--tone{n}", None) for n in range(1, 6)),
    ("text", "--text", None),
    ("muted text", "--muted", None),
    ("the cloze blank on its slot", "--blank", "--blank-bg"),
    ("the cloze blank on the card", "--blank", None),
    ("highlighted word", "--highlight-text", "--highlight-bg"),
]


@pytest.mark.parametrize("mode", ["day", "night"])
@pytest.mark.parametrize("what,colour,background", PAIRS, ids=[p[0] for p in PAIRS])
def test_text_colours_have_aa_contrast_on_their_background(mode, what, colour, background):
    variables = _modes()[mode]
    card = variables["background-color"]
    fg = _resolve(variables[colour], variables, variables["--text"])
    bg = card if background is None else _resolve(variables[background], variables, card)
    assert contrast(fg, bg) >= AA, f"{mode}: {what} {fg} on {bg} is {contrast(fg, bg):.2f}:1"


@pytest.mark.parametrize("mode", ["day", "night"])
def test_muted_text_inside_a_highlight_stays_readable(mode):
    """The example on a recognition card's front is muted, its word highlighted."""
    variables = _modes()[mode]
    highlight = _resolve(variables["--highlight-bg"], variables, variables["background-color"])
    fg = _resolve(variables["--highlight-text"], variables, variables["--muted"])
    assert contrast(fg, highlight) >= AA


def test_tone_colours_stay_classes_a_learner_can_restyle():
    for n in range(1, 6):
        assert re.search(rf"\.tone{n}\s*\{{\s*color:\s*var\(--tone{n}\);\s*\}}", CSS), n
    assert pinyin_html("yin2 hang2 ma5") == (
        '<span class="tone2">yín</span><span class="tone2">háng</span>'
        '<span class="tone5">ma</span>'
    )


def test_the_five_tones_are_five_different_colours_in_each_mode():
    for mode, variables in _modes().items():
        tones = {variables[f"--tone{n}"].lower() for n in range(1, 6)}
        assert len(tones) == 5, mode
