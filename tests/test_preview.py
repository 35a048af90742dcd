"""flashcards preview and build --preview: the page holds every card, rendered from the
package, self-contained; media inside it; the bad-input rules (tests/test_preview_browser.py
opens the pages in a real browser)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import re
import sqlite3
import struct
import wave
import zipfile
from pathlib import Path

import genanki
import pytest
from anki_check import (
    DEFAULT_ALLOWED_TAGS,
    HOSTILE_SNIPPETS,
    html_tags_and_text,
    import_into_fresh_collection,
    sample_sentences,
    sample_vocab,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_errors_cli import assert_one_line_error, run_main
from test_property_hostile import _make_collection, collections

from flashcards import api
from flashcards.errors import FlashcardsError
from flashcards.package import write_deck
from flashcards.preview import preview_html, preview_path_for
from flashcards.preview.template import CardContext, TemplateError, render

TEXT = "我们今天去银行取钱。银行门口排着长长的队，我等了二十分钟。\n他长得很快，这条河很长。\n"


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def run(*args):
    return run_main([str(a) for a in args])


def package_card_ids(apkg: Path, tmp_path: Path) -> set[int]:
    with zipfile.ZipFile(apkg) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    try:
        return {row[0] for row in db.execute("SELECT id FROM cards")}
    finally:
        db.close()


def page_card_ids(page: str) -> list[int]:
    found = re.findall(r'<section class="pv-item[^"]*" id="card-\d+" data-card-id="(\d+)"', page)
    return [int(n) for n in found]


def main_part(page: str) -> str:
    return page.split('<main class="pv-cards">', 1)[1].split("</main>", 1)[0]


def media_store(page: str) -> dict[str, str]:
    raw = page.split('<script type="application/json" id="pv-media">', 1)[1].split("</script>")[0]
    return json.loads(raw)


# What the preview itself adds to what the templates and fields hold.
PAGE_TAGS = DEFAULT_ALLOWED_TAGS | {"section", "audio", "button", "input", "code", "details",
                                    "summary"}


def test_preview_of_a_deck_shows_every_card_its_fields_literal(tmp_path):
    vocab = sample_vocab()
    apkg = write_deck(tmp_path / "deck.apkg", vocab, sample_sentences(vocab))
    code, _, err = run("preview", apkg)
    assert code == 0, err
    page_path = tmp_path / "deck.preview.html"
    assert page_path == preview_path_for(apkg)
    page = page_path.read_text("utf-8")
    ids = page_card_ids(page)
    assert len(ids) == len(set(ids)) and set(ids) == package_card_ids(apkg, tmp_path)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        assert len(ids) == len(col.find_cards(""))
    finally:
        col.close()
    assert f"{len(ids)} cards of " in err
    body = main_part(page)
    assert "{{" not in body and "}}" not in body  # every template tag rendered
    tags, text = html_tags_and_text(body)
    for tag, attrs in tags:  # no markup from the input: it is text on the page
        assert tag in PAGE_TAGS, tag
        assert not any(name.startswith("on") or name in ("src", "href") for name, _ in attrs)
    for snippet in HOSTILE_SNIPPETS:
        visible = html_tags_and_text(snippet.replace("<", "&lt;"))[1]
        assert visible in text, snippet
    # The front of the first card is the recognition card of 长 zhǎng with its example.
    first = body.split("</section>")[0]
    assert "flashcards vocabulary · Recognition · 长" in first
    assert '<span class="hl">长</span>' in first


def test_the_page_loads_nothing_and_runs_only_its_own_script(tmp_path):
    apkg = write_deck(tmp_path / "deck.apkg", sample_vocab()[:3])
    page = api.preview(apkg, tmp_path / "p.html").path.read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp, "no CSP"
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in csp.group(1).split(";") if d.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["data:"] and policy["media-src"] == ["data:"]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert policy["script-src"] == [f"'sha256-{digest}'"]  # no 'unsafe-inline'
    assert not re.search(r"<link|@import|url\(|https?:|src=\"(?!data:)", page)
    # The page's stylesheet is the note types' own, byte for byte.
    css = (Path(__file__).resolve().parents[1] / "flashcards/templates/style.css").read_text()
    assert f'<style class="pv-deck-css">{css}</style>' in page


def test_build_preview_writes_the_page_beside_the_deck_in_every_format(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    counts = {}
    for suffix in ("apkg", "csv", "json"):
        deck = tmp_path / f"deck-{suffix}.{suffix}"
        code, _, err = run("build", text, "-o", deck, "--preview")
        assert code == 0, err
        page = (tmp_path / f"deck-{suffix}.preview.html").read_text("utf-8")
        assert deck.exists() and "preview of" in err
        counts[suffix] = len(page_card_ids(page))
    assert counts["apkg"] == counts["csv"] == counts["json"] > 5
    apkg = tmp_path / "deck-apkg.apkg"
    assert set(page_card_ids((tmp_path / "deck-apkg.preview.html").read_text())) == (
        package_card_ids(apkg, tmp_path)
    )  # the page of an .apkg build is the page of that very package


def test_preview_of_a_text_is_the_preview_of_its_deck(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    code, _, err = run("preview", text, "-o", tmp_path / "from-text.html")
    assert code == 0, err
    assert run("build", text, "-o", tmp_path / "d.apkg")[0] == 0
    assert run("preview", tmp_path / "d.apkg", "-o", tmp_path / "from-deck.html")[0] == 0

    def cards(name: str) -> str:  # card ids are times; the rest must match
        page = (tmp_path / name).read_text("utf-8")
        return re.sub(r'data-card-id="\d+"', "", main_part(page))

    assert cards("from-text.html") == cards("from-deck.html")
    assert "银行" in cards("from-text.html")


def _wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                for n in range(int(seconds * rate))
            )
        )
    return out.getvalue()


def media_deck(tmp_path: Path) -> Path:
    """A package with media as the audio fields will hold it: [sound:] in a field at the end
    of the note type, a {{tts}} tag, one sound the package lacks, an image."""
    (tmp_path / "nihao.wav").write_bytes(_wav())
    (tmp_path / "unused.wav").write_bytes(_wav(0.1))
    png = base64.b64decode(  # one pixel
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
        "RU5ErkJggg=="
    )
    (tmp_path / "dot.png").write_bytes(png)
    model = genanki.Model(
        1_700_000_201,
        "media test",
        fields=[{"name": "Word"}, {"name": "Picture"}, {"name": "Audio"}],
        templates=[
            {
                "name": "Listening",
                "qfmt": "{{Word}} {{tts zh_CN voices=Apple_Tingting,Microsoft_Huihui:Word}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Picture}}{{Audio}}",
            }
        ],
    )
    deck = genanki.Deck(1_700_000_202, "media")
    deck.add_note(
        genanki.Note(model=model, fields=["你好", '<img src="dot.png">', "[sound:nihao.wav]"])
    )
    deck.add_note(genanki.Note(model=model, fields=["再见", "", "[sound:absent.mp3]"]))
    package = genanki.Package(deck)
    package.media_files = [str(tmp_path / n) for n in ("nihao.wav", "unused.wav", "dot.png")]
    path = tmp_path / "media.apkg"
    package.write_to_file(str(path))
    return path


def _check_media_page(page: str) -> None:
    store = media_store(page)
    assert set(store) == {"nihao.wav"}  # played sound once; no unused file, images inline
    assert base64.b64decode(store["nihao.wav"].split(",", 1)[1]) == _wav()
    assert store["nihao.wav"].startswith("data:audio/wav;base64,")
    body = main_part(page)
    player = '<audio class="pv-audio" controls preload="none" data-media="nihao.wav">'
    assert body.count(player) == 1
    assert "missing: absent.mp3" in body and "[sound:" not in body
    assert body.count('class="pv-tts"') == 4  # on both sides of both cards
    assert 'data-lang="zh-CN" data-text="你好"' in body
    assert '<img src="data:image/png;base64,' in body


def test_sound_and_images_are_inside_the_page(tmp_path):
    page = api.preview(media_deck(tmp_path), tmp_path / "p.html")
    assert page.media == 2 and page.cards == 2
    _check_media_page(page.path.read_text("utf-8"))


def test_media_of_a_package_current_anki_exported(tmp_path):
    """Current Anki packages keep media zstd-compressed, listed in a protobuf message."""
    from anki.collection import ExportAnkiPackageOptions

    col = import_into_fresh_collection(media_deck(tmp_path), tmp_path)
    try:
        exported = tmp_path / "exported.apkg"
        col.export_anki_package(
            out_path=str(exported),
            options=ExportAnkiPackageOptions(with_media=True, legacy=False),
            limit=None,
        )
    finally:
        col.close()
    with zipfile.ZipFile(exported) as archive:
        assert "collection.anki21b" in archive.namelist()
    _check_media_page(api.preview(exported, tmp_path / "p.html").path.read_text("utf-8"))


# --- bad input ---------------------------------------------------------------------------


def test_a_zip_bomb_deck_is_stopped_by_the_known_import_limits(tmp_path):
    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("collection.anki2", "w") as out:
            for _ in range(300):
                out.write(bytes(1 << 20))
    code, _, err = run("preview", bomb, "-o", tmp_path / "p.html")
    assert_one_line_error(code, err, "unpacks to more than")
    assert not (tmp_path / "p.html").exists()


def test_a_template_the_preview_cannot_render_is_a_one_line_error(tmp_path):
    model = genanki.Model(
        1_700_000_301,
        "odd",
        fields=[{"name": "Front"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Nope}}"}],
    )
    deck = genanki.Deck(1_700_000_302, "odd")
    deck.add_note(genanki.Note(model=model, fields=["你好"]))
    path = tmp_path / "odd.apkg"
    genanki.Package(deck).write_to_file(str(path))
    code, _, err = run("preview", path, "-o", tmp_path / "p.html")
    assert_one_line_error(code, err, "'odd'", "{{Nope}}")
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob(".p.html*"))


def test_the_page_never_replaces_its_deck_or_a_read_only_file(tmp_path):
    apkg = write_deck(tmp_path / "deck.apkg", sample_vocab()[:2])
    before = apkg.read_bytes()
    code, _, err = run("preview", apkg, "-o", apkg)
    assert_one_line_error(code, err, "is the input")
    assert apkg.read_bytes() == before
    locked = tmp_path / "locked.html"
    locked.write_text("mine")
    locked.chmod(0o444)
    code, _, err = run("preview", apkg, "-o", locked)
    assert_one_line_error(code, err, "read-only", "--force")
    assert run("preview", apkg, "-o", locked, "--force")[0] == 0
    assert "<!DOCTYPE html>" in locked.read_text()


def test_build_preview_that_cannot_be_written_writes_no_deck(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    (tmp_path / "deck.preview.html").mkdir()
    code, _, err = run("build", text, "-o", tmp_path / "deck.apkg", "--preview")
    assert_one_line_error(code, err, "deck.preview.html")
    assert not (tmp_path / "deck.apkg").exists()


def test_a_zip_that_is_no_deck_is_read_as_a_text_input_and_refused(tmp_path):
    other = tmp_path / "book.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("chapter.txt", "我们今天去银行。")
    code, _, err = run("preview", other, "-o", tmp_path / "p.html")
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p.html").exists()


# --- hostile packages and templates --------------------------------------------------------

@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=collections)
def test_any_package_is_previewed_or_refused_in_one_line(spec):
    """The hostile collections known import meets (views, missing tables, NULL and BLOB
    cells, odd note-type JSON), packaged: a page or a one-line error, never a traceback."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = _make_collection(Path(tmp), {**spec, "packaged": True})
        try:
            page, result = preview_html(path)
        except FlashcardsError as error:
            assert "\n" not in str(error), str(error)
            event("refused")
            return
        event(f"previewed {'some' if result.cards else 'no'} cards")
        assert page.startswith("<!DOCTYPE html>")


template_text = st.text(alphabet="{}#^/:! \nAB<>文", max_size=30)


@settings(max_examples=400, deadline=None)
@given(template=template_text, value=st.text(alphabet="{}<>:a文 \n", max_size=8))
def test_any_template_renders_or_is_a_one_line_error(template, value):
    context = CardContext(fields={"A": value, "B": ""}, note_type="t")
    try:
        out = render(template, context)
    except TemplateError as error:
        assert "\n" not in str(error)
        return
    if "{{" not in template:
        assert out == template  # text without tags is the text


_cells = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.binary(max_size=6),
    st.text(alphabet="{}#^/:\x1f 文a<>", max_size=12),
)
_mutations = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(
                [
                    ("notes", "flds"),
                    ("notes", "tags"),
                    ("notes", "guid"),
                    ("notes", "mid"),
                    ("cards", "ord"),
                    ("cards", "did"),
                    ("cards", "nid"),
                    ("col", "decks"),
                    ("col", "models"),
                ]
            ),
            _cells,
        ),
        st.tuples(st.sampled_from([("template", "qfmt"), ("template", "afmt")]), template_text),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def our_collection(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("ours")
    apkg = write_deck(folder / "deck.apkg", sample_vocab()[:2], timestamp=1_700_000_000)
    with zipfile.ZipFile(apkg) as archive:
        return archive.read("collection.anki2")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutations=_mutations)
def test_a_deck_of_ours_with_damaged_cells_is_previewed_or_refused_in_one_line(
    our_collection, mutations
):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "c.anki2"
        database.write_bytes(our_collection)
        db = sqlite3.connect(database)
        # Templates first, while the note types are still JSON; a cell its column's NOT NULL
        # refuses stays as it was.
        for (table, column), value in sorted(mutations, key=lambda m: m[0][0] != "template"):
            if table == "template":
                (models,) = db.execute("SELECT models FROM col").fetchone()
                data = json.loads(models)
                data[sorted(data)[0]]["tmpls"][0][column] = value
                db.execute("UPDATE col SET models = ?", (json.dumps(data),))
                continue
            first = f"(SELECT min(rowid) FROM {table})"
            try:
                db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = {first}", (value,))
            except sqlite3.IntegrityError:
                event("cell kept: NOT NULL")
        db.commit()
        db.close()
        package = Path(tmp) / "deck.apkg"
        with zipfile.ZipFile(package, "w") as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
        try:
            page, result = preview_html(package)
        except FlashcardsError as error:
            assert "\n" not in str(error), str(error)
            event("refused")
            return
        event("previewed")
        assert page.count('<section class="pv-item') == result.cards
