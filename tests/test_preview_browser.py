"""The preview page in a real browser (headless Chromium, tests/browser.py): the seed deck at
390 px (a phone) and 1000 px, day and night. Every card is there, no template tag is left,
nothing is wider than the window, text is large enough, tone colours and the cloze blank
have 4.5:1 contrast as rendered, and the page asks for nothing but itself.

Screenshots of the first cards are kept in test-artifacts/preview/ (not in git;
FLASHCARDS_TEST_ARTIFACTS moves them)."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki_check import import_into_fresh_collection, sample_sentences, sample_vocab
from browser import Browser, chromium_path
from test_card_look import AA, contrast
from test_preview import _wav, media_deck

from flashcards import api
from flashcards.package import write_deck

ARTIFACTS = Path(
    os.environ.get("FLASHCARDS_TEST_ARTIFACTS")
    or Path(__file__).resolve().parents[1] / "test-artifacts"
) / "preview"
MIN_FONT_PX = 11


@pytest.fixture(scope="module")
def browser():
    chromium_path()  # skip, or fail under FLASHCARDS_REQUIRE_CHROMIUM, before building
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def seed_deck(seed_path, tmp_path_factory):
    """The seed text's deck with sentence cards, its preview page, and its card count."""
    folder = tmp_path_factory.mktemp("seed-preview")
    result = api.build(
        [seed_path],
        folder / "seed.apkg",
        api.BuildOptions(deck_name="seed", sentences=20),
        preview=True,
    )
    assert result.preview is not None and result.preview.path == folder / "seed.preview.html"
    with zipfile.ZipFile(result.path) as archive:
        (folder / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(folder / "c.anki2")
    ids = {row[0] for row in db.execute("SELECT id FROM cards")}
    db.close()
    col = import_into_fresh_collection(result.path, folder)
    try:
        assert len(col.find_cards("")) == len(ids) == result.cards
    finally:
        col.close()
    return result, ids


# Everything the checks need, measured in the page in one go.
MEASURE = """
(() => {
  const W = window.innerWidth;
  const faces = [...document.querySelectorAll(".pv-face")];
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > W + 0.5 || r.left < -0.5)) {
      wide.push(el.tagName + "." + el.className + ": " + (el.textContent || "").slice(0, 40));
    }
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  }
  const colours = {};
  for (const el of document.querySelectorAll(
      ".pv-face [class^=tone], .pv-face .blank, .pv-face .hl")) {
    const key = el.className + " " + getComputedStyle(el).color + " on " + background(el);
    colours[key] = [el.className, getComputedStyle(el).color, background(el)];
  }
  let smallest = 1000, smallestText = "";
  for (const el of document.querySelectorAll(".pv-face *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (own && el.getClientRects().length && size < smallest) {
      smallest = size; smallestText = el.className + ": " + el.textContent.slice(0, 30);
    }
  }
  return {
    width: W,
    scrollWidth: document.documentElement.scrollWidth,
    ids: [...document.querySelectorAll(".pv-item")].map(s => Number(s.dataset.cardId)),
    blankFaces: faces.filter(f => !f.innerText.trim() &&
      !f.querySelector("audio, .pv-tts")).length,
    faces: faces.length,
    text: document.querySelector("main").innerText,
    wide: wide.slice(0, 10),
    colours: Object.values(colours),
    smallest: [smallest, smallestText],
    night: document.getElementById("pv-night").getAttribute("aria-pressed"),
    nightFaces: faces.filter(f => f.classList.contains("nightMode")).length,
    cardFont: getComputedStyle(document.querySelector(".pv-face")).fontSize,
  };
})()
"""


def check_page(page, url: str, card_ids: set[int], width: int, mode: str, shot: Path) -> dict:
    """Everything a preview page must be, as the browser renders it; a screenshot of its top."""
    m = page.evaluate(MEASURE)
    assert page.screenshot(shot, height=1400).stat().st_size > 10_000
    assert m["width"] == width
    assert m["ids"] and sorted(m["ids"]) == sorted(card_ids)  # every card, once
    assert m["faces"] == 2 * len(card_ids) and m["blankFaces"] == 0
    assert "{{" not in m["text"] and "}}" not in m["text"]
    assert m["scrollWidth"] <= width, m["wide"]
    assert not m["wide"], m["wide"]
    assert m["smallest"][0] >= MIN_FONT_PX, m["smallest"]
    # The switch ran (the page's script passed its own CSP) and set Anki's night classes.
    assert m["night"] == ("true" if mode == "night" else "false")
    assert m["nightFaces"] == (m["faces"] if mode == "night" else 0)
    assert m["cardFont"] == ("18px" if width <= 480 else "20px")  # the deck's phone rule
    for kind, colour, background in m["colours"]:
        ratio = contrast(colour, background)
        assert ratio >= AA, f"{mode}: .{kind} {colour} on {background}: {ratio:.2f}:1"
    outside = [u for u in page.requests if u != url.split("#")[0]]
    assert outside == [], outside
    assert page.console_errors == [] and page.csp_violations == []
    return m


@pytest.mark.parametrize("mode", ["day", "night"])
@pytest.mark.parametrize("width", [390, 1000])
def test_seed_preview_in_a_real_browser(browser, seed_deck, width, mode):
    result, card_ids = seed_deck
    url = result.preview.path.as_uri() + ("#night" if mode == "night" else "")
    page = browser.open(url, width=width, height=1400)
    m = check_page(page, url, card_ids, width, mode, ARTIFACTS / f"seed-{width}px-{mode}.png")
    kinds = {c[0] for c in m["colours"]}
    assert {"tone1", "tone2", "tone3", "tone4", "blank", "hl"} <= kinds, kinds


@pytest.mark.parametrize("mode", ["day", "night"])
def test_every_tone_colour_as_rendered_on_a_phone(browser, tmp_path, mode):
    """长 zhǎng and cháng, 银行 yínháng, 北京 Běijīng, 学习: all five tones on the first cards."""
    vocab = sample_vocab()[:5]
    apkg = write_deck(tmp_path / "sample.apkg", vocab, sample_sentences()[:1])
    preview = api.preview(apkg)
    url = preview.path.as_uri() + ("#night" if mode == "night" else "")
    page = browser.open(url, width=390, height=1400)
    with zipfile.ZipFile(apkg) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    ids = {row[0] for row in db.execute("SELECT id FROM cards")}
    db.close()
    m = check_page(page, url, ids, 390, mode, ARTIFACTS / f"sample-390px-{mode}.png")
    kinds = {c[0] for c in m["colours"]}
    assert {f"tone{n}" for n in range(1, 6)} | {"blank", "hl"} <= kinds, kinds


def test_phone_switch_shows_a_wide_window_the_phone_layout(browser, seed_deck):
    result, _ = seed_deck
    page = browser.open(result.preview.path.as_uri(), width=1000, height=1000)
    assert page.evaluate("getComputedStyle(document.querySelector('.pv-face')).fontSize") == "20px"
    page.evaluate("document.getElementById('pv-phone').click()")
    phone = page.evaluate(
        """(() => ({
          main: document.querySelector('main').getBoundingClientRect().width,
          font: getComputedStyle(document.querySelector('.pv-face')).fontSize,
          overflowing: [...document.querySelectorAll('.pv-face')]
            .filter(f => f.scrollWidth > f.clientWidth + 1).length,
        }))()"""
    )
    page.screenshot(ARTIFACTS / "seed-1000px-phone-switch.png", height=1000)
    assert phone == {"main": 390, "font": "18px", "overflowing": 0}
    page.evaluate("document.getElementById('pv-phone').click()")
    assert page.evaluate("getComputedStyle(document.querySelector('.pv-face')).fontSize") == "20px"


def test_sound_plays_from_the_page_itself(browser, tmp_path):
    preview = api.preview(media_deck(tmp_path), tmp_path / "media.html")
    page = browser.open(preview.path.as_uri(), width=390)
    audio = page.evaluate(
        """new Promise(done => {
          const a = document.querySelector('audio.pv-audio');
          a.addEventListener('loadedmetadata', () => done(
            {src: a.src.slice(0, 22), duration: a.duration}));
          a.addEventListener('error', () => done({error: String(a.error && a.error.code)}));
          a.preload = 'auto';
          a.load();
        })"""
    )
    assert audio["src"] == "data:audio/wav;base64,"
    assert audio["duration"] == pytest.approx(len(_wav()) / 16000, abs=0.05)
    assert page.evaluate("document.querySelector('img').naturalWidth") == 1
    assert page.evaluate("document.querySelectorAll('.pv-missing').length") == 1  # Audio: back
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []
    assert page.csp_violations == []


def test_the_request_watch_sees_a_request(browser, tmp_path):
    """The check above can fail: a page without our CSP that loads an image is caught."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png">', "utf-8")
    page = browser.open(leaky.as_uri(), width=390)
    assert "http://example.invalid/x.png" in page.requests


def test_note_types_with_their_own_css_each_keep_it(browser, tmp_path):
    """Two note types, two stylesheets: each applies to its own cards only (@scope)."""
    import genanki

    deck = genanki.Deck(1_700_000_401, "two styles")
    for n, colour in enumerate(("rgb(10, 20, 30)", "rgb(40, 50, 60)")):
        model = genanki.Model(
            1_700_000_410 + n,
            f"style {n}",
            fields=[{"name": "Front"}],
            templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}"}],
            css=f".card {{ color: {colour}; }}\n@media (max-width: 480px) {{ .card {{ "
            f"font-size: {30 + n}px; }} }}",
        )
        deck.add_note(genanki.Note(model=model, fields=[f"字{n}"]))
    path = tmp_path / "styles.apkg"
    genanki.Package(deck).write_to_file(str(path))
    page = browser.open(api.preview(path).path.as_uri(), width=390)
    styles = page.evaluate(
        """[...document.querySelectorAll('.pv-item')].map(s => {
          const f = getComputedStyle(s.querySelector('.pv-face'));
          return [s.dataset.noteType, f.color, f.fontSize];
        })"""
    )
    assert sorted(styles) == [
        ["style 0", "rgb(10, 20, 30)", "30px"],
        ["style 1", "rgb(40, 50, 60)", "31px"],
    ]
    assert page.csp_violations == []
