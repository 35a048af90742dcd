"""Real Anki exports for the tests, made with the real Anki backend (the ``anki`` package).

:func:`make_chinese_collection` builds a collection of Chinese notes the way a learner's looks:
markup in the fields, traditional words, a Basic note type next to a Chinese one, cards
reviewed, suspended and reset. :func:`export_packages` writes it out in every package format
Anki has: the current ``.apkg``/``.colpkg`` (zstd-compressed ``collection.anki21b``) and the
legacy ones (``collection.anki21``). The expected words are stated here, by hand, next to the
field text they come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import genanki
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

CHINESE_NOTE_TYPE = "Chinese Vocab"


@dataclass(frozen=True)
class VocabNote:
    hanzi: str  # the Hanzi field exactly as stored in Anki, markup and all
    pinyin: str
    meaning: str
    word: str  # the word a reader must find in it
    studied: bool  # answered in Anki (a card that is not new)


# In note creation order, which is the order read_words returns them in.
VOCAB = (
    VocabNote("<b>银行</b>", "yínháng", "bank", "银行", True),
    VocabNote(
        "<ruby>学<rt>xué</rt></ruby><ruby>生<rt>sheng</rt></ruby>",
        "xuésheng",
        "student",
        "学生",
        False,
    ),
    VocabNote("電腦", "diànnǎo", "computer", "電腦", True),
    VocabNote("图书馆[túshūguǎn]", "túshūguǎn", "library", "图书馆", False),
    VocabNote("朋友&nbsp;(péngyou)", "péngyou", "friend", "朋友", True),
    VocabNote("[sound:xihuan.mp3]喜欢", "xǐhuan", "to like", "喜欢", True),  # then suspended
    VocabNote("<div>咖啡</div><div>kāfēi</div>", "kāfēi", "coffee", "咖啡", False),
    VocabNote("卡拉OK", "kǎlā'ōukèi", "karaoke", "卡拉OK", False),  # suspended while new
    VocabNote("飛機", "fēijī", "airplane", "飛機", False),  # reviewed, then reset to new
)
# A "Basic (and reversed card)" note whose reversed card alone was answered: studied.
BASIC_REVERSED = ("再见", "goodbye")
# A Basic note with English on the front: the default field (Front) holds no Chinese.
BASIC_ENGLISH = ("hello", "你好")
CLOZE_TEXT = "我{{c1::喜欢}}你"

ALL_WORDS = [note.word for note in VOCAB] + [BASIC_REVERSED[0]]
STUDIED_WORDS = [note.word for note in VOCAB if note.studied] + [BASIC_REVERSED[0]]


def _answer(col: Collection, card_id: int, ease: int = 3) -> None:
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, ease)


def make_chinese_collection(path: Path) -> Collection:
    """A new collection at ``path`` with the notes above, some of them studied."""
    col = Collection(str(path))
    models = col.models
    model = models.new(CHINESE_NOTE_TYPE)
    for name in ("Hanzi", "Pinyin", "Meaning"):
        models.add_field(model, models.new_field(name))
    template = models.new_template("Recognition")
    template["qfmt"] = "{{Hanzi}}"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{Pinyin}}<br>{{Meaning}}"
    models.add_template(model, template)
    models.add(model)
    model = models.by_name(CHINESE_NOTE_TYPE)
    deck_id = col.decks.id("Chinese")

    card_of: dict[str, int] = {}
    for vocab in VOCAB:
        note = col.new_note(model)
        note["Hanzi"], note["Pinyin"], note["Meaning"] = vocab.hanzi, vocab.pinyin, vocab.meaning
        col.add_note(note, deck_id)
        card_of[vocab.word] = col.card_ids_of_note(note.id)[0]

    for vocab in VOCAB:
        if vocab.studied:
            _answer(col, card_of[vocab.word])
    col.sched.suspend_cards([card_of["喜欢"], card_of["卡拉OK"]])
    _answer(col, card_of["飛機"], ease=4)
    col.sched.schedule_cards_as_new([card_of["飛機"]])

    reversed_model = models.by_name("Basic (and reversed card)")
    note = col.new_note(reversed_model)
    note["Front"], note["Back"] = BASIC_REVERSED
    col.add_note(note, deck_id)
    forward, backward = col.card_ids_of_note(note.id)
    _answer(col, backward, ease=1)

    note = col.new_note(models.by_name("Basic"))
    note["Front"], note["Back"] = BASIC_ENGLISH
    col.add_note(note, deck_id)

    note = col.new_note(models.by_name("Cloze"))
    note["Text"] = CLOZE_TEXT
    col.add_note(note, deck_id)
    return col


def export_packages(col: Collection, folder: Path) -> dict[str, Path]:
    """The collection exported in every format: keys ``apkg``, ``apkg-legacy``, ``colpkg``,
    ``colpkg-legacy``. The collection is left open."""
    paths = {}
    for name, legacy in (("apkg", False), ("apkg-legacy", True)):
        paths[name] = folder / f"{name}.apkg"
        col.export_anki_package(
            out_path=str(paths[name]),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            ),
            limit=None,
        )
    for name, legacy in (("colpkg", False), ("colpkg-legacy", True)):
        paths[name] = folder / f"{name}.colpkg"
        col.export_collection_package(str(paths[name]), include_media=True, legacy=legacy)
        col.reopen()  # exporting a whole collection closes it
    return paths


def export_notes_text(col: Collection, path: Path) -> Path:
    """Anki's "Notes in Plain Text" export, with the note type and deck columns."""
    col.export_note_csv(
        out_path=str(path),
        limit=None,
        with_html=True,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=False,
    )
    return path


# --- a deck as this tool builds it ----------------------------------------------------------

TOOL_VOCAB = (
    ("银行", "銀行", "yínháng"),
    ("图书馆", "圖書館", "túshūguǎn"),
    ("电脑", "電腦", "diànnǎo"),
)
TOOL_SENTENCE = "我在银行工作。"


def make_tool_deck(path: Path) -> Path:
    """A stand-in for a deck this tool builds: a genanki package (legacy ``collection.anki2``
    only) with a vocabulary note type whose word field is "Simplified" and a sentence note
    type whose fields match no default name."""
    vocab = genanki.Model(
        1_700_000_001,
        "flashcards vocab",
        fields=[{"name": "Simplified"}, {"name": "Traditional"}, {"name": "Pinyin"}],
        templates=[{"name": "Recognition", "qfmt": "{{Simplified}}", "afmt": "{{Pinyin}}"}],
    )
    sentence = genanki.Model(
        1_700_000_002,
        "flashcards sentence",
        fields=[{"name": "Sentence"}, {"name": "Translation"}],
        templates=[{"name": "Reading", "qfmt": "{{Sentence}}", "afmt": "{{Translation}}"}],
    )
    deck = genanki.Deck(1_700_000_003, "flashcards test deck")
    for simplified, traditional, pinyin in TOOL_VOCAB:
        deck.add_note(genanki.Note(model=vocab, fields=[simplified, traditional, pinyin]))
    deck.add_note(genanki.Note(model=sentence, fields=[TOOL_SENTENCE, "I work at a bank."]))
    genanki.Package(deck).write_to_file(str(path))
    return path


def study_tool_deck(deck_path: Path, folder: Path, studied: str) -> Path:
    """The tool's deck imported into a fresh Anki collection, the card of ``studied``
    answered, and the deck exported again as a current .apkg: a deck the learner worked on."""
    col = Collection(str(folder / "learner.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck_path),
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        (note_id,) = col.find_notes(f"Simplified:{studied}")
        _answer(col, col.card_ids_of_note(note_id)[0])
        out = folder / "studied-deck.apkg"
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(with_scheduling=True, legacy=False),
            limit=None,
        )
        return out
    finally:
        col.close()
