"""Audio on the cards: Anki's TTS tags always, and ``build --audio espeak`` files.

The espeak tests need espeak-ng and lame (Debian packages; .ci/run installs them). Where
they are absent the tests skip, except under FLASHCARDS_REQUIRE_AUDIO (CI), where that is
a failure: the audio path must be tested there, not skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import wave
import zipfile
from pathlib import Path

import pytest
from anki_check import (
    OUR_MEDIA,
    SoundOrVideoTag,
    TTSTag,
    assert_no_duplicate_notes,
    import_into_fresh_collection,
    import_package,
    notes_by_guid,
    render_all_cards,
    review_some_cards,
    sample_sentences,
    sample_vocab,
    scheduling_snapshot,
)

from flashcards import api, notes, package
from flashcards.audio import make_audio, speech
from flashcards.errors import FlashcardsError
from flashcards.notes import SENTENCE_FIELDS, VOCAB_FIELDS

# Two readings of 长, each in its own sentence; the first sentence is also a sentence card
# and the example of 他, so one file says it for all three.
TEXT = (
    "他长得很快。\n"
    "这条河很长，有三千公里！\n"
    "你今天去银行吗？我们一起去吧。\n"
    "我有3个苹果。\n"  # a digit: no embedded audio for this sentence, the device voice reads it
    "“老师说：‘明天考试。’”\n"
)

VOICES_FOR = {  # a voice each client's platform names, as Anki and AnkiDroid write them
    "Windows": "Microsoft_Huihui",
    "macOS/iOS": "Apple_Tingting",
    "Android": "com.google.android.tts-cmn-cn-x-ccc-local",
}


def _tools_or_skip() -> None:
    absent = [t for t in ("espeak-ng", "lame") if shutil.which(t) is None]
    if absent:
        if os.environ.get("FLASHCARDS_REQUIRE_AUDIO"):
            pytest.fail(f"{', '.join(absent)} missing and FLASHCARDS_REQUIRE_AUDIO is set")
        pytest.skip(f"needs {', '.join(absent)} (apt-get install espeak-ng lame)")


def _build(source: Path, output: Path, **options) -> api.BuildResult:
    return api.build([source], output, api.BuildOptions(sentences=20, **options))


@pytest.fixture(scope="module")
def text_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("text") / "课文.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def espeak_deck(text_file, tmp_path_factory) -> dict:
    _tools_or_skip()
    folder = tmp_path_factory.mktemp("espeak")
    apkg = _build(text_file, folder / "deck.apkg", audio="espeak")
    js = _build(text_file, folder / "deck.json", audio="espeak")
    return {
        "apkg": apkg.path,
        "result": apkg,
        "json": json.loads(js.path.read_text(encoding="utf-8")),
        "json_path": js.path,
    }


def _package_media(apkg: Path) -> dict[str, bytes]:
    """File name -> bytes of every media file in an .apkg."""
    with zipfile.ZipFile(apkg) as z:
        mapping = json.loads(z.read("media"))
        return {name: z.read(number) for number, name in mapping.items()}


def _package_fields(apkg: Path, tmp_path: Path) -> list[dict[str, str]]:
    """Every note's fields, by name, as the .apkg's collection holds them."""
    db = tmp_path / "collection.anki2"
    with zipfile.ZipFile(apkg) as z:
        db.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        models = json.loads(conn.execute("select models from col").fetchone()[0])
        names = {int(mid): [f["name"] for f in m["flds"]] for mid, m in models.items()}
        rows = conn.execute("select mid, flds from notes").fetchall()
    finally:
        conn.close()
    return [dict(zip(names[mid], flds.split("\x1f"), strict=True)) for mid, flds in rows]


def _seconds(mp3: bytes, tmp_path: Path) -> float:
    """How long an MP3 file plays, decoded by LAME."""
    source, decoded = tmp_path / "in.mp3", tmp_path / "out.wav"
    source.write_bytes(mp3)
    subprocess.run(["lame", "--quiet", "--decode", str(source), str(decoded)], check=True)
    with wave.open(str(decoded)) as w:
        assert w.getnframes() > 0
        return w.getnframes() / w.getframerate()


def _card_of(col, cards, numbered: str):
    """The one card of ``cards`` whose note has this reading."""
    (card,) = [c for c in cards if col.get_note(c.note_id)["PinyinNumbered"] == numbered]
    return card


def _syllables(numbered: str) -> int:
    """Syllables of a numbered pinyin string, counted from the note's own pinyin."""
    return len([s for s in re.findall(r"[A-Za-zÜüÊê:]+[1-5]", numbered) if s.lower() != "r5"])


# --- what is said ---------------------------------------------------------------------------


def test_a_word_is_said_from_its_numbered_pinyin():
    assert speech.word_text("yin2 hang2") == "yin2hang2"
    assert speech.word_text("Bei3 jing1") == "bei3jing1"
    assert speech.word_text("lu:4") == "lv4" == speech.word_text("lü4")
    assert speech.word_text("yi1 dian3 r5") == "yi1dian3r5"
    # CC-CEDICT readings that are not all syllables: nothing is guessed.
    assert speech.word_text("K a1 la1 O K") is None
    assert speech.word_text("A A zhi4") is None
    assert speech.word_text("") is None


def test_a_sentence_is_said_with_pauses_and_never_with_what_we_did_not_read():
    said = speech.sentence_text(
        "这条河很长，有三千公里！", "zhe4 tiao2 he2 hen3 chang2，you3 san1 qian1 gong1li3！"
    )
    assert said == "zhe4 tiao2 he2 hen3 chang2 , you3 san1 qian1 gong1 li3"
    quoted = speech.sentence_text("“你好？”他说。", "“ni3hao3？”ta1 shuo1。")
    assert quoted == "ni3 hao3 ? ta1 shuo1"
    # Digits and Latin letters in the text: their reading is not ours.
    assert speech.sentence_text("我有3个苹果。", "wo3 you3 3 ge4 ping2guo3。") is None
    assert speech.sentence_text("用A4纸。", "yong4 A4 zhi3。") is None
    assert speech.sentence_text("ＯＫ了。", "ＯＫ le5。") is None
    assert speech.syllables("yi1dian3r5 , ni3 hao3") == 4


# --- Anki's TTS tags, with no files ---------------------------------------------------------


def test_without_audio_every_back_reads_the_word_and_sentence_with_a_chinese_device_voice(
    text_file, tmp_path
):
    result = _build(text_file, tmp_path / "deck.apkg")
    assert result.media == 0 and result.notices == ()
    assert _package_media(result.path) == {}
    col = import_into_fresh_collection(result.path, tmp_path)
    try:
        rendered = render_all_cards(col)  # fronts play nothing; backs only TTS of shown text
        notes = notes_by_guid(col)
        assert all(not f.get("Audio") and not f.get("SentenceAudio") for f in notes.values())
        by_kind: dict[str, list] = {}
        for card in rendered:
            by_kind.setdefault(card.template, []).append(card)
            tags = card.answer_av_tags
            assert tags and all(isinstance(t, TTSTag) for t in tags), card
            for tag in tags:
                assert tag.lang == "zh_CN"
                assert set(VOICES_FOR.values()) <= set(tag.voices), tag.voices
                # The text read is Chinese the card shows: no blank, pinyin or markup.
                assert "＿" not in tag.field_text and not re.search(
                    r"[A-Za-z<>\[\]{}]", tag.field_text
                )
        assert set(by_kind) == {"Recognition", "Recall", "Cloze", "Reading"}
        zhang = _card_of(col, by_kind["Recognition"], "zhang3")
        assert [t.field_text for t in zhang.answer_av_tags] == ["长", "他长得很快。"]
        reading = next(c for c in by_kind["Reading"] if "他长得很快" in c.question_text)
        assert [t.field_text for t in reading.answer_av_tags] == ["他长得很快。"]
    finally:
        col.close()


# --- --audio espeak -------------------------------------------------------------------------


def test_every_sound_reference_has_its_file_in_the_package(espeak_deck, tmp_path):
    media = _package_media(espeak_deck["apkg"])
    fields = _package_fields(espeak_deck["apkg"], tmp_path)
    referenced = set()
    for note in fields:
        for name in ("Audio", "SentenceAudio"):
            value = note.get(name, "")
            if value:
                found = re.fullmatch(r"\[sound:([^\]]+)\]", value)
                assert found and OUR_MEDIA.fullmatch(found.group(1)), value
                referenced.add(found.group(1))
        # No other field refers to a sound (the input's [sound:] stays literal text).
        assert all("[sound:" not in v for k, v in note.items() if "Audio" not in k)
    assert referenced and referenced == set(media), "every file referred to, every one there"
    assert espeak_deck["result"].media == len(media)
    # The new fields come last in both note types, the frozen ones before them unchanged.
    assert VOCAB_FIELDS[-2:] == ("Audio", "SentenceAudio") and VOCAB_FIELDS[19] == "MoreMeanings"
    assert SENTENCE_FIELDS == ("Sentence", "SentencePinyin", "Words", "Source", "SentenceAudio")


def test_each_file_decodes_and_lasts_as_long_as_its_syllables_need(espeak_deck, tmp_path):
    media = _package_media(espeak_deck["apkg"])
    said: dict[str, str] = {}  # file -> the numbered pinyin the note says it has
    for note in espeak_deck["json"]:
        if note["kind"] == "vocab":
            if note["audio"]:
                said[note["audio"]] = note["numbered"]
            if note["sentence_audio"]:
                said[note["sentence_audio"]] = note["sentence_numbered"]
        elif note["sentence_audio"]:
            said[note["sentence_audio"]] = note["numbered"]
    assert set(said) == set(media)
    for name, numbered in said.items():
        assert media[name][:3] == b"ID3" or media[name][0] == 0xFF, name  # an MP3 frame
        per_syllable = _seconds(media[name], tmp_path) / _syllables(numbered)
        assert 0.25 <= per_syllable <= 0.6, (name, numbered, per_syllable)
    words = [media[n["audio"]] for n in espeak_deck["json"] if n["kind"] == "vocab" and n["audio"]]
    assert sum(map(len, words)) / len(words) <= 12_000


def test_chang_and_zhang_are_two_files_and_one_sentence_is_one_file(espeak_deck, tmp_path):
    notes = espeak_deck["json"]
    vocab = {(n["simplified"], n["numbered"]): n for n in notes if n["kind"] == "vocab"}
    zhang, chang = vocab[("长", "zhang3")], vocab[("长", "chang2")]
    assert zhang["sentence"] == "他长得很快。" and chang["sentence"] == "这条河很长，有三千公里！"
    assert zhang["audio"] and chang["audio"] and zhang["audio"] != chang["audio"]
    assert zhang["sentence_audio"] != chang["sentence_audio"]
    media = _package_media(espeak_deck["apkg"])
    assert media[zhang["audio"]] != media[chang["audio"]]
    # Everything that says 他长得很快 plays one file: 长's and 他's example, the sentence card.
    sentence_card = next(
        n for n in notes if n["kind"] == "sentence" and n["sentence"] == "他长得很快。"
    )
    same = {n["sentence_audio"] for n in notes if n.get("sentence") == "他长得很快。"}
    assert (
        same == {sentence_card["sentence_audio"]}
        and vocab[("他", "ta1")]["sentence"] == "他长得很快。"
    )
    # A sentence with a digit has no file (its reading is not ours); its words still do.
    apple = vocab[("苹果", "ping2 guo3")]
    assert (
        apple["sentence"] == "我有3个苹果。" and apple["sentence_audio"] is None and apple["audio"]
    )


def test_rebuilding_gives_the_same_media_names_and_bytes(espeak_deck, text_file, tmp_path):
    again = _build(text_file, tmp_path / "again.apkg", audio="espeak")
    assert _package_media(again.path) == _package_media(espeak_deck["apkg"])
    first = {n["guid"]: (n.get("audio"), n.get("sentence_audio")) for n in espeak_deck["json"]}
    rebuilt = _build(text_file, tmp_path / "again.json", audio="espeak", jobs=1)
    second = json.loads(rebuilt.path.read_text(encoding="utf-8"))
    assert {n["guid"]: (n.get("audio"), n.get("sentence_audio")) for n in second} == first


def test_anki_imports_the_deck_with_its_media_and_misses_none(espeak_deck, text_file, tmp_path):
    col = import_into_fresh_collection(espeak_deck["apkg"], tmp_path)
    try:
        rendered = render_all_cards(col)  # asserts every played file is in the media folder
        check = col.media.check()
        assert not check.missing and not check.unused and not check.missing_media_notes
        folder = {p.name for p in Path(col.media.dir()).iterdir()}
        assert folder == set(_package_media(espeak_deck["apkg"]))
        played = {
            t.filename for c in rendered for t in c.answer_av_tags if isinstance(t, SoundOrVideoTag)
        }
        assert played == folder
        # Where a note has its own file the device voice stays quiet; where not, it reads.
        recognition = [c for c in rendered if c.template == "Recognition"]
        zhang = _card_of(col, recognition, "zhang3")
        assert [type(t) for t in zhang.answer_av_tags] == [SoundOrVideoTag, SoundOrVideoTag]
        apple = _card_of(col, recognition, "ping2 guo3")
        assert [type(t) for t in apple.answer_av_tags] == [SoundOrVideoTag, TTSTag]
        # Re-importing the same deck adds no media and no note, and keeps the reviews.
        reviewed = review_some_cards(col, 3)
        history = scheduling_snapshot(col, reviewed)
        rebuilt = _build(text_file, tmp_path / "rebuilt.apkg", audio="espeak")
        time.sleep(0.01)
        log = import_package(col, rebuilt.path)
        assert not log.new and not log.conflicting
        assert {p.name for p in Path(col.media.dir()).iterdir()} == folder
        assert_no_duplicate_notes(col)
        assert scheduling_snapshot(col, reviewed) == history
    finally:
        col.close()


def test_a_text_deck_puts_its_media_in_a_folder_beside_it(espeak_deck):
    folder = espeak_deck["json_path"].with_name("deck.media")
    named = {n[k] for n in espeak_deck["json"] for k in ("audio", "sentence_audio") if n.get(k)}
    assert named and {p.name for p in folder.iterdir()} == named
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        k: v for k, v in _package_media(espeak_deck["apkg"]).items() if k in named
    }


def test_without_espeak_the_build_says_so_in_one_line_and_makes_the_deck(text_file, tmp_path):
    """PATH without espeak-ng (nor lame): one line on stderr, exit 0, the TTS deck."""
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "deck.apkg"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashcards",
            "build",
            str(text_file),
            "-o",
            str(out),
            "--audio",
            "espeak",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(empty)},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    notices = [line for line in lines if "espeak-ng" in line]
    assert len(notices) == 1 and "without embedded audio" in notices[0], lines
    assert "Traceback" not in done.stderr and lines[-1].endswith(f"-> {out}")
    assert _package_media(out) == {}
    col = import_into_fresh_collection(out, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert all(isinstance(t, TTSTag) for c in rendered for t in c.answer_av_tags)
        assert all(not f["Audio"] for f in notes_by_guid(col).values() if "Audio" in f)
    finally:
        col.close()


def test_a_recipe_asks_for_audio_by_name(tmp_path):
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "deck.toml").write_text(
        'texts = ["text.txt"]\naudio = "espeak"\n', encoding="utf-8"
    )
    assert api.load_recipe(tmp_path).options["audio"] == "espeak"
    (tmp_path / "deck.toml").write_text('texts = ["text.txt"]\naudio = "loud"\n', encoding="utf-8")
    with pytest.raises(FlashcardsError, match="audio = 'loud': must be one of none, espeak"):
        api.load_recipe(tmp_path)


def test_the_seed_deck_with_audio_imports_with_every_card_and_file(seed_path, tmp_path):
    _tools_or_skip()
    result = api.build(
        [seed_path], tmp_path / "seed.apkg", api.BuildOptions(sentences=20, audio="espeak")
    )
    media = _package_media(result.path)
    assert result.media == len(media) > result.words  # a file a word, and the sentences
    col = import_into_fresh_collection(result.path, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert len(rendered) == col.card_count() == result.cards
        check = col.media.check()
        assert not check.missing and not check.unused
        assert {p.name for p in Path(col.media.dir()).iterdir()} == set(media)
    finally:
        col.close()


def test_a_deck_studied_before_audio_takes_it_with_merge_note_types(tmp_path, monkeypatch):
    """A learner's deck from before the Audio fields: the rebuilt deck, imported with "Merge
    note types" (as the README says), updates the notes in place with their files, reviews
    kept, nothing duplicated, no media missing."""
    _tools_or_skip()
    vocab, sentences = sample_vocab()[:4], sample_sentences()[:1]
    old_vocab = notes.VOCAB_FIELDS[: notes.VOCAB_FIELDS.index("Audio")]
    old_sentence = notes.SENTENCE_FIELDS[: notes.SENTENCE_FIELDS.index("SentenceAudio")]
    with monkeypatch.context() as old:
        old.setattr(package, "VOCAB_FIELDS", old_vocab)
        old.setattr(package, "SENTENCE_FIELDS", old_sentence)
        old.setattr(package, "TEMPLATES_MTIME", 1796083200)
        first = package.write_deck(tmp_path / "old.apkg", vocab, sentences, timestamp=1.7e9)
    col = import_into_fresh_collection(first, tmp_path)
    try:
        reviewed = review_some_cards(col, 3)
        history = scheduling_snapshot(col, reviewed)
        (tmp_path / "media").mkdir()
        audio = make_audio(vocab, sentences, tmp_path / "media")
        records = package.build_records(vocab, sentences, audio=audio)
        rebuilt = package.write_deck(
            tmp_path / "new.apkg", vocab, sentences, records=records, media=audio.files
        )
        log = import_package(col, rebuilt, merge_notetypes=True)
        assert not log.conflicting and not log.new
        again = package.write_deck(
            tmp_path / "again.apkg",
            vocab,
            sentences,
            records=records,
            media=audio.files,
            timestamp=time.time() + 60,
        )
        import_package(col, again)
        after = notes_by_guid(col)
        assert len(after) == len(vocab) + len(sentences)
        assert all(
            f["Audio"].startswith("[sound:flashcards-") for f in after.values() if "Audio" in f
        )
        assert_no_duplicate_notes(col)
        assert scheduling_snapshot(col, reviewed) == history
        render_all_cards(col)  # every file played is in the media folder
        assert not col.media.check().missing
    finally:
        col.close()
