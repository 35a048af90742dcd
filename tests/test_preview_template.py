"""The preview's Anki template renderer: the syntax by hand, then card for card against the
real Anki backend's own renderer (our decks, and packages Anki itself exported)."""

from __future__ import annotations

import re
from pathlib import Path

import genanki
import pytest
from anki_check import import_into_fresh_collection, sample_sentences, sample_vocab

from flashcards.package import write_deck
from flashcards.preview.cards import render_cards
from flashcards.preview.deck import read_package
from flashcards.preview.template import CardContext, TemplateError, render

FIELDS = {"Word": "银行", "Empty": "", "Blankish": " <br> <div></div> ", "Pinyin": "<b>yín</b>háng"}


def _render(template: str, **kwargs) -> str:
    return render(template, CardContext(fields=FIELDS, note_type="T", **kwargs))


@pytest.mark.parametrize(
    "template,expected",
    [
        ("{{Word}}", "银行"),
        ("{{ Word }}", "银行"),
        ("a{{#Word}}[{{Word}}]{{/Word}}b", "a[银行]b"),
        ("a{{#Empty}}[{{Word}}]{{/Empty}}b", "ab"),
        ("a{{#Blankish}}x{{/Blankish}}b", "ab"),  # Anki's empty: spaces, <br>, <div>
        ("a{{^Empty}}x{{/Empty}}b", "axb"),
        ("a{{^Word}}x{{/Word}}b", "ab"),
        ("{{#Word}}{{#Empty}}no{{/Empty}}{{^Empty}}yes{{/Empty}}{{/Word}}", "yes"),
        ("{{text:Pinyin}}", "yínháng"),
        ("{{Pinyin}}", "<b>yín</b>háng"),  # as the note holds it
        ("{{Type}}/{{Card}}/{{Deck}}/{{Subdeck}}", "T/Recall/Chinese::HSK 3/HSK 3"),
        ("{{Tags}}", "HSK3.0::2 source::a"),
        ("{{tts zh_CN voices=Apple_Tingting,Microsoft_Huihui:Pinyin}}",
         "[anki:tts lang=zh_CN voices=Apple_Tingting,Microsoft_Huihui]yínháng[/anki:tts]"),
        ("{{tts zh_CN:Empty}}", ""),
    ],
)
def test_template_syntax(template, expected):
    got = _render(
        template, card="Recall", deck="Chinese::HSK 3", tags=("HSK3.0::2", "source::a")
    )
    assert got == expected


def test_front_side_is_the_rendered_front_on_the_back_only():
    assert _render("{{FrontSide}}<hr>{{Word}}", front_side="<b>front</b>") == "<b>front</b><hr>银行"
    assert _render("[{{FrontSide}}]") == "[]"


def test_cloze_shows_the_cards_own_gap_and_the_others():
    fields = {"Text": "我{{c1::喜欢}}你，{{c2::他::who}}也是"}
    front = render("{{cloze:Text}}", CardContext(fields, cloze=2))
    back = render("{{cloze:Text}}", CardContext(fields, cloze=2, front_side=front))
    assert re.sub("<[^>]+>", "", front) == "我喜欢你，[who]也是"
    assert re.sub("<[^>]+>", "", back) == "我喜欢你，他也是"
    assert render("{{cloze-only:Text}}", CardContext(fields, cloze=1)) == "喜欢"


@pytest.mark.parametrize(
    "template,message",
    [
        ("{{Nope}}", "{{Nope}}"),
        ("{{#Nope}}x{{/Nope}}", "{{Nope}}"),
        ("{{shout:Word}}", "filter 'shout'"),
        ("{{#Word}}x", "never closed"),
        ("{{#Word}}x{{/Empty}}", "sections must nest"),
        ("x{{/Word}}", "closes no section"),
        ("{{Word", "never closed"),
        ("{{}}", "empty"),
        ("{{=<% %>=}}", "not Anki template syntax"),
    ],
)
def test_an_unknown_or_broken_tag_is_an_error_never_a_guess(template, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        _render(template)


# --- against the real Anki renderer --------------------------------------------------------

_PLAY = re.compile(r"\[anki:play:([qa]):(\d+)\]")
_MINE_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_MINE_TTS = re.compile(r"\[anki:tts lang=(\S+)[^\]]*\](.*?)\[/anki:tts\]", re.DOTALL)


def _anki_av(text: str, output) -> str:
    """Anki's [anki:play:q:N] placeholders as what they play: sound:NAME or tts:LANG:TEXT."""

    def one(match: re.Match[str]) -> str:
        side = output.question_av_tags if match.group(1) == "q" else output.answer_av_tags
        tag = side[int(match.group(2))]
        if hasattr(tag, "filename"):
            return f"<<sound:{tag.filename}>>"
        return f"<<tts:{tag.lang}:{tag.field_text}>>"

    return _PLAY.sub(one, text)


def _mine_av(text: str) -> str:
    text = _MINE_SOUND.sub(lambda m: f"<<sound:{m.group(1)}>>", text)
    return _MINE_TTS.sub(lambda m: f"<<tts:{m.group(1)}:{m.group(2)}>>", text)


def _compare_with_anki(package: Path, col) -> int:
    """Every card of ``col`` (which imported or exported ``package``) rendered by Anki and by
    the preview from the package: the same HTML, sound and TTS compared by what they play."""
    contents, _ = read_package(package)
    mine = {(c.note.guid, c.card.ord): c for c in render_cards(contents)}
    card_ids = col.find_cards("")
    assert len(mine) == len(card_ids)
    for cid in card_ids:
        card = col.get_card(cid)
        note = card.note()
        output = card.render_output(reload=True)
        ours = mine[(note.guid, card.ord)]
        where = f"{note.note_type()['name']}/{card.template()['name']} {note.fields[0]!r}"
        assert _mine_av(ours.front) == _anki_av(output.question_text, output), where
        assert _mine_av(ours.back) == _anki_av(output.answer_text, output), where
    return len(card_ids)


def test_every_card_of_our_deck_renders_exactly_as_anki_renders_it(tmp_path):
    vocab = sample_vocab()
    apkg = write_deck(tmp_path / "deck.apkg", vocab, sample_sentences(vocab))
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        assert _compare_with_anki(apkg, col) > 30
    finally:
        col.close()


@pytest.mark.parametrize("kind", ["apkg", "apkg-legacy", "colpkg", "colpkg-legacy"])
def test_packages_anki_exported_render_as_anki_renders_them(anki_files, anki_exports, kind):
    """Current (collection.anki21b, protobuf note types, zstd media list) and legacy packages
    with Basic, reversed, Cloze and a [sound:] field: the same cards, the same HTML."""
    from anki.collection import Collection

    col = Collection(str(anki_files["collection"]))
    try:
        assert _compare_with_anki(anki_files[kind], col) == 13
    finally:
        col.close()


def test_tts_tags_render_as_anki_reads_them(tmp_path):
    """The {{tts}} tags of the audio templates: the same language and text as Anki's TTS tag."""
    model = genanki.Model(
        1_700_000_101,
        "tts test",
        fields=[{"name": "Word"}, {"name": "Sentence"}],
        templates=[
            {
                "name": "Listening",
                "qfmt": "{{tts zh_CN voices=Apple_Tingting,Microsoft_Huihui:Word}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Word}} "
                "{{#Sentence}}{{tts zh_CN voices=Apple_Tingting:text:Sentence}}{{/Sentence}}",
            }
        ],
    )
    deck = genanki.Deck(1_700_000_102, "tts")
    deck.add_note(genanki.Note(model=model, fields=["银行", "我去<b>银行</b>。"]))
    # Empty to Anki, so the back's section is left out (not empty to genanki, which would
    # otherwise make no card: it cannot read a template whose front is only a tts tag).
    deck.add_note(genanki.Note(model=model, fields=["长", "<br>"]))
    apkg = tmp_path / "tts.apkg"
    genanki.Package(deck).write_to_file(str(apkg))
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        assert _compare_with_anki(apkg, col) == 2
    finally:
        col.close()
