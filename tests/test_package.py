"""Decks written by flashcards.package, imported and rendered by the real Anki backend."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import genanki
import pytest
from anki_check import (
    HOSTILE_SNIPPETS,
    assert_no_duplicate_notes,
    empty_card_ids,
    import_into_fresh_collection,
    import_package,
    import_text_file,
    notes_by_guid,
    open_fresh_collection,
    render_all_cards,
    review_some_cards,
    revlog_count,
    sample_sentences,
    sample_vocab,
    scheduling_snapshot,
)

from flashcards import notes, package
from flashcards.errors import FlashcardsError
from flashcards.models import Levels
from flashcards.notes import sentence_guid, vocab_guid
from flashcards.package import (
    SENTENCE_MODEL_ID,
    SENTENCE_MODEL_NAME,
    TEMPLATES_MTIME,
    VOCAB_MODEL_ID,
    VOCAB_MODEL_NAME,
    deck_id,
    write_deck,
)

T1 = 1_700_000_000.0  # a build, and a later rebuild: Anki updates notes only from newer ones
T2 = T1 + 86_400


def _with_gloss(vocab, simplified, senses):
    return [
        dataclasses.replace(v, senses=senses) if v.simplified == simplified else v for v in vocab
    ]


def _expected_templates(note_fields: dict[str, str]) -> set[str]:
    if note_fields["_notetype"] == SENTENCE_MODEL_NAME:
        return {"Reading"}
    flags = {"Recognition": "MakeRecognition", "Recall": "MakeRecall", "Cloze": "MakeCloze"}
    return {t for t, f in flags.items() if note_fields[f]}


def test_apkg_imports_into_fresh_collection_and_every_card_renders(tmp_path):
    vocab, sentences = sample_vocab(), sample_sentences()
    apkg = write_deck(
        tmp_path / "deck.apkg", vocab, sentences, deck_name="中文::课文", timestamp=T1
    )
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        rendered = render_all_cards(col)
        notes = notes_by_guid(col)
        assert len(notes) == len(vocab) + len(sentences)
        assert set(notes) == {vocab_guid(v) for v in vocab} | {sentence_guid(s) for s in sentences}
        # 12 recognition, 12 recall, 11 cloze (东西 has no example sentence), 2 sentence cards
        by_note: dict[int, set[str]] = {}
        for card in rendered:
            by_note.setdefault(card.note_id, set()).add(card.template)
        assert sum(len(t) for t in by_note.values()) == 12 + 12 + 11 + 2
        # No two cards of a kind show the same front (长 zhǎng and 长 cháng come with context).
        for kind in ("Recognition", "Recall", "Cloze"):
            fronts = [c.question_text for c in rendered if c.template == kind]
            assert len(set(fronts)) == len(fronts), kind
        for guid, fields in notes.items():
            nid = col.db.scalar("select id from notes where guid = ?", guid)
            assert by_note[nid] == _expected_templates(fields), fields["_notetype"]
        # The cards genanki wrote are exactly those Anki itself would make: Check Database
        # generates none, and Empty Cards finds none.
        assert empty_card_ids(col) == []
        before = col.card_count()
        col.fix_integrity()
        assert col.card_count() == before
        # The deck is where the name says, and the note types keep their frozen ids.
        assert col.decks.id_for_name("中文::课文")
        assert col.models.get(VOCAB_MODEL_ID)["name"] == VOCAB_MODEL_NAME
        assert col.models.get(SENTENCE_MODEL_ID)["name"] == SENTENCE_MODEL_NAME
    finally:
        col.close()


def test_input_markup_reaches_the_card_as_literal_text(tmp_path):
    apkg = write_deck(tmp_path / "deck.apkg", sample_vocab(), sample_sentences(), timestamp=T1)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        rendered = render_all_cards(col)  # no <script>/<img>, no av tags, no missing media
        shown = " ".join(c.answer_text for c in rendered)
        for snippet in HOSTILE_SNIPPETS:
            assert snippet in shown, snippet
        # The cloze syntax in the input made no cloze; the sound reference plays nothing.
        assert all(not c.answer_html.count("<img") for c in rendered)
        assert col.media.check().missing == []
    finally:
        col.close()


def test_two_readings_of_one_word_are_two_notes_with_their_own_sense_and_example(tmp_path):
    apkg = write_deck(tmp_path / "deck.apkg", sample_vocab(), timestamp=T1)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        chang = [f for f in notes_by_guid(col).values() if f["Simplified"] == "长"]
        by_reading = {f["PinyinNumbered"]: f for f in chang}
        assert set(by_reading) == {"zhang3", "chang2"}
        zhang, chang = by_reading["zhang3"], by_reading["chang2"]
        assert "to grow" in zhang["Meaning"] + zhang["MoreMeanings"]
        assert "long" in chang["Meaning"] + chang["MoreMeanings"]
        assert "校长" in by_reading["zhang3"]["Sentence"]
        assert "长城" in by_reading["chang2"]["Sentence"]
    finally:
        col.close()


def test_rebuilt_deck_updates_notes_keeps_reviews_and_adds_no_duplicates(tmp_path):
    vocab = sample_vocab()
    first = write_deck(tmp_path / "v1.apkg", vocab[:9], timestamp=T1)
    col = import_into_fresh_collection(first, tmp_path)
    try:
        reviewed = review_some_cards(col, 5)
        assert len(reviewed) == 5
        history = scheduling_snapshot(col, reviewed)
        assert all(ivl > 0 for (_, _, _, ivl, _, _) in history.values())
        reviews = revlog_count(col)
        assert reviews == 5
        cards_before = col.card_count()

        # Rebuild from more text (three more words), with a better gloss, in traditional script.
        improved = _with_gloss(vocab, "银行", ("bank", "banking institution"))
        second = write_deck(tmp_path / "v2.apkg", improved, script="traditional", timestamp=T2)
        log = import_package(col, second)  # Anki's default import options

        assert len(log.conflicting) == 0
        assert len(log.new) == 3
        assert len(log.updated) == 9
        assert_no_duplicate_notes(col)
        notes = notes_by_guid(col)
        assert len(notes) == 12 == len({vocab_guid(v) for v in vocab})
        bank = notes[vocab_guid(vocab[2])]
        assert bank["Meaning"] == "bank; banking institution"
        assert bank["Headword"] == "銀行"
        # Review history and intervals are untouched; old notes got no extra cards.
        assert scheduling_snapshot(col, reviewed) == history
        assert revlog_count(col) == reviews
        added = [vocab_guid(v) for v in vocab[9:]]
        new_cards = col.db.scalar(
            "select count() from cards join notes on notes.id = cards.nid"
            " where notes.guid in (?, ?, ?)",
            *added,
        )
        assert new_cards == 3 + 3 + 2  # 东西 has no example sentence: no cloze card
        assert col.card_count() == cards_before + new_cards
        render_all_cards(col)
    finally:
        col.close()


def test_an_older_build_does_not_overwrite_a_newer_import(tmp_path):
    vocab = sample_vocab()[:3]
    newer = write_deck(
        tmp_path / "new.apkg", _with_gloss(vocab, "银行", ("bank (new)",)), timestamp=T2
    )
    older = write_deck(tmp_path / "old.apkg", vocab, timestamp=T1)
    col = import_into_fresh_collection(newer, tmp_path)
    try:
        log = import_package(col, older)
        assert len(log.updated) == 0 and len(log.duplicate) == 3
        assert notes_by_guid(col)[vocab_guid(vocab[2])]["Meaning"] == "bank (new)"
    finally:
        col.close()


def test_card_kinds_follow_the_option_and_adding_kinds_later_adds_cards(tmp_path):
    vocab = sample_vocab()
    only_recognition = write_deck(tmp_path / "r.apkg", vocab, cards=("recognition",), timestamp=T1)
    col = import_into_fresh_collection(only_recognition, tmp_path)
    try:
        templates = {c.template for c in render_all_cards(col)}
        assert templates == {"Recognition"}
        assert col.card_count() == len(vocab)
        assert empty_card_ids(col) == []
        col.fix_integrity()
        assert col.card_count() == len(vocab)
        reviewed = review_some_cards(col, 2)
        history = scheduling_snapshot(col, reviewed)

        everything = write_deck(tmp_path / "all.apkg", vocab, timestamp=T2)
        log = import_package(col, everything)
        assert len(log.updated) == len(vocab)
        assert col.card_count() == 12 + 12 + 11
        assert scheduling_snapshot(col, reviewed) == history
        render_all_cards(col)
        assert empty_card_ids(col) == []
    finally:
        col.close()


def test_cloze_only_deck_leaves_out_words_without_an_example(tmp_path):
    vocab = sample_vocab()
    apkg = write_deck(tmp_path / "c.apkg", vocab, cards=["cloze"], timestamp=T1)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert {c.template for c in rendered} == {"Cloze"}
        assert len(rendered) == 11
        assert all("＿" in c.question_text for c in rendered)
        assert vocab_guid(vocab[-1]) not in notes_by_guid(col)  # 东西: no sentence, no card
    finally:
        col.close()


def test_same_input_gives_byte_identical_apkg_and_same_guids_at_another_time(tmp_path):
    vocab, sentences = sample_vocab(), sample_sentences()
    a = write_deck(tmp_path / "a.apkg", vocab, sentences, timestamp=T1).read_bytes()
    b = write_deck(tmp_path / "b.apkg", vocab, sentences, timestamp=T1).read_bytes()
    assert a == b
    c = write_deck(tmp_path / "c.json", vocab, sentences, timestamp=T2)
    d = write_deck(tmp_path / "d.json", vocab, sentences)
    assert c.read_text(encoding="utf-8") == d.read_text(encoding="utf-8")


def test_apkg_holds_no_media(tmp_path):
    apkg = write_deck(tmp_path / "deck.apkg", sample_vocab(), sample_sentences(), timestamp=T1)
    with zipfile.ZipFile(apkg) as z:
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
        assert json.loads(z.read("media")) == {}


def test_deck_id_is_stable_across_interpreter_runs():
    # Python's hash() of a str changes with PYTHONHASHSEED; the deck id must not.
    code = "from flashcards.package import deck_id; print(deck_id('中文::HSK 4'))"
    ids = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert ids == {str(deck_id("中文::HSK 4"))}
    assert deck_id("中文::HSK 4") != deck_id("中文::HSK 5")
    assert (1 << 30) <= deck_id("flashcards") < (1 << 31)


# --- text files ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "tsv"])
def test_text_file_updates_the_notes_imported_from_the_apkg(tmp_path, suffix):
    vocab = sample_vocab()
    apkg = write_deck(tmp_path / "deck.apkg", vocab[:6], timestamp=T1)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        reviewed = review_some_cards(col, 3)
        history = scheduling_snapshot(col, reviewed)
        improved = _with_gloss(vocab, "北京", ("Beijing",))
        text = write_deck(tmp_path / f"deck.{suffix}", improved)
        log = import_text_file(col, text)
        assert len(log.new) == len(vocab) - 6
        assert len(log.updated) == 1 and len(log.duplicate) == 5  # only 北京 changed
        assert len(log.missing_notetype) == 0
        assert_no_duplicate_notes(col)
        notes = notes_by_guid(col)
        assert len(notes) == len(vocab)
        assert {f["_notetype"] for f in notes.values()} == {VOCAB_MODEL_NAME}
        beijing = notes[vocab_guid(vocab[3])]
        assert beijing["Meaning"] == "Beijing"
        assert beijing["Pinyin"] == '<span class="tone3">Běi</span><span class="tone1">jīng</span>'
        assert "proper-noun" in beijing["_tags"].split()
        assert scheduling_snapshot(col, reviewed) == history
        # A second import of the same file changes nothing and adds nothing.
        again = import_text_file(col, text)
        assert len(again.new) == 0 and len(again.updated) == 0
        assert len(notes_by_guid(col)) == len(vocab)
        render_all_cards(col)
        assert empty_card_ids(col) == []
    finally:
        col.close()


def test_text_file_into_a_collection_without_our_note_type_does_not_duplicate(tmp_path):
    csv_path = write_deck(tmp_path / "deck.csv", sample_vocab())
    col = open_fresh_collection(tmp_path)
    try:
        first = import_text_file(col, csv_path)
        assert len(first.new) == 12
        second = import_text_file(col, csv_path)
        assert len(second.new) == 0
        assert col.note_count() == 12
        assert_no_duplicate_notes(col)
        fronts = {f["Front"] for f in notes_by_guid(col).values()}  # Anki fell back to Basic
        assert "银行" in fronts
    finally:
        col.close()


def test_text_file_with_sentences_maps_each_row_to_its_note_type(tmp_path):
    # Rows name their note type, so both must be in the collection: Anki imports a note type
    # from an .apkg only with a note of that type.
    vocab, sentences = sample_vocab(), sample_sentences()
    apkg = write_deck(tmp_path / "deck.apkg", vocab[:2], sentences[:1], timestamp=T1)
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        log = import_text_file(col, write_deck(tmp_path / "deck.tsv", vocab, sentences))
        assert len(log.missing_notetype) == 0
        assert len(log.new) == len(vocab) - 2 + 1
        notes = notes_by_guid(col)
        assert len(notes) == len(vocab) + len(sentences)
        reading = notes[sentence_guid(sentences[0])]
        assert reading["_notetype"] == SENTENCE_MODEL_NAME
        assert reading["Sentence"] == "我在北京学习中文。"
        assert "to learn" in reading["Words"]
        hostile = notes[sentence_guid(sentences[1])]
        assert "&#91;sound:x.mp3&#93;" in hostile["Sentence"]
        render_all_cards(col)
    finally:
        col.close()


def test_text_file_header_lines(tmp_path):
    text = write_deck(tmp_path / "deck.csv", sample_vocab(), deck_name="中文").read_text("utf-8")
    head = text.splitlines()[:7]
    assert head[:4] == [
        "#separator:Comma",
        "#html:true",
        f"#notetype:{VOCAB_MODEL_NAME}",
        "#deck:中文",
    ]
    assert head[4].startswith("#columns:Simplified,Traditional,Pinyin,")
    assert head[4].endswith(",Tags,GUID")
    assert head[5:] == ["#tags column:21", "#guid column:22"]
    assert not any(line.startswith("#") for line in text.splitlines()[7:])


# --- json and markdown --------------------------------------------------------------------


def test_json_lists_every_note_as_data(tmp_path):
    vocab, sentences = sample_vocab(), sample_sentences()
    notes = json.loads(write_deck(tmp_path / "deck.json", vocab, sentences).read_text("utf-8"))
    words = [n for n in notes if n["kind"] == "vocab"]
    assert len(words) == len(vocab) and len(notes) == len(vocab) + len(sentences)
    required = {"simplified", "traditional", "pinyin", "numbered", "senses", "classifiers", "hsk2",
                "hsk3", "zipf", "count", "sentence", "sentence_pinyin", "guid"}  # fmt: skip
    assert all(required <= set(n) for n in words)
    zhang, chang = words[0], words[1]
    assert (zhang["pinyin"], chang["pinyin"]) == ("zhǎng", "cháng")
    assert chang["classifiers"] == [
        {"simplified": "条", "traditional": "條", "numbered": "tiao2", "pinyin": "tiáo"}
    ]
    assert zhang["guid"] != chang["guid"]
    assert words[2]["sentence"] == "我去银行取钱<script>alert(1)</script>。"  # data, not HTML
    taiwan = next(n for n in words if n["simplified"] == "台湾")
    assert (taiwan["hsk2"], taiwan["hsk3"], taiwan["hsk3_label"]) == (None, 7, "7-9")
    assert next(n for n in words if n["simplified"] == "东西")["sentence"] is None


def test_markdown_is_a_table_with_input_markup_neutralised(tmp_path):
    vocab = sample_vocab() + [
        dataclasses.replace(
            sample_vocab()[2], simplified="管道", traditional="管道", numbered="guan3 dao4",
            senses=("pipe | tube", "*channel*"), levels=Levels(None, 6, 3.2),
        )
    ]  # fmt: skip
    md = write_deck(tmp_path / "deck.md", vocab, sample_sentences(), deck_name="课文").read_text(
        "utf-8"
    )
    lines = md.splitlines()
    assert lines[0] == "# 课文"
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == len(vocab)
    assert all(row.count(" | ") == 7 for row in rows)  # no cell broke the table
    assert "| 2 | 长 (長) | cháng | length; long; forever; always; constantly | 条 tiáo |" in md
    assert "pipe \\| tube; \\*channel\\*" in md
    assert "<script>" not in md and "<img" not in md
    assert "**银行**" in md
    assert "## Sentences" in md


# --- errors and atomic writes -------------------------------------------------------------


def test_bad_options_are_one_line_errors(tmp_path):
    vocab = sample_vocab()
    with pytest.raises(FlashcardsError, match="unknown output"):
        write_deck(tmp_path / "deck.txt", vocab)
    with pytest.raises(FlashcardsError, match="unknown output"):
        write_deck(tmp_path / "deck.apkg", vocab, format="xlsx")
    with pytest.raises(FlashcardsError, match="card kind 'listening'"):
        write_deck(tmp_path / "deck.apkg", vocab, cards=("recall", "listening"))
    with pytest.raises(FlashcardsError, match="script"):
        write_deck(tmp_path / "deck.apkg", vocab, script="pinyin")
    with pytest.raises(FlashcardsError, match="deck name"):
        write_deck(tmp_path / "deck.apkg", vocab, deck_name="中文::")
    with pytest.raises(FlashcardsError, match="does not exist"):
        write_deck(tmp_path / "missing" / "deck.apkg", vocab)
    with pytest.raises(FlashcardsError, match="is a folder"):
        (tmp_path / "d.apkg").mkdir()
        write_deck(tmp_path / "d.apkg", vocab)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.apkg"]


def test_format_option_overrides_the_suffix(tmp_path):
    out = write_deck(tmp_path / "deck.txt", sample_vocab(), format="tsv")
    assert out.read_text("utf-8").startswith("#separator:Tab\n")


def test_unwritable_folder_is_a_one_line_error(tmp_path):
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
    elif Path("/sys/kernel").is_dir():
        locked = Path("/sys")  # root may write anywhere but to sysfs
    else:
        pytest.skip("no folder this user cannot write to")
    try:
        with pytest.raises(FlashcardsError, match="cannot write"):
            write_deck(locked / "deck.apkg", sample_vocab())
    finally:
        if locked.is_relative_to(tmp_path):
            locked.chmod(0o700)


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, RuntimeError])
def test_interrupted_build_leaves_the_previous_file_and_no_partial_file(
    tmp_path, monkeypatch, interrupt
):
    target = tmp_path / "deck.apkg"
    write_deck(target, sample_vocab()[:2], timestamp=T1)
    previous = target.read_bytes()

    def fail_midway(self, cursor, timestamp, id_gen):
        cursor.execute("create table half_written (x)")
        raise interrupt("stopped")

    # Fault injection inside genanki's database write, after the temporary files exist.
    monkeypatch.setattr(genanki.Package, "write_to_db", fail_midway)
    with pytest.raises(interrupt):
        write_deck(target, sample_vocab(), timestamp=T2)
    assert target.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_written_file_gets_the_usual_permissions(tmp_path):
    out = write_deck(tmp_path / "deck.json", sample_vocab())
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_note_types_keep_a_learners_restyling_and_sort_by_headword(tmp_path):
    vocab = sample_vocab()
    col = import_into_fresh_collection(write_deck(tmp_path / "a.apkg", vocab[:4]), tmp_path)
    try:
        vocab_type = col.models.get(VOCAB_MODEL_ID)
        assert vocab_type["mod"] == TEMPLATES_MTIME
        assert vocab_type["flds"][vocab_type["sortf"]]["name"] == "Headword"
        vocab_type["css"] += "\n.tone3 { color: hotpink; }"
        col.models.update_dict(vocab_type)  # the learner restyles third tones
        log = import_package(col, write_deck(tmp_path / "b.apkg", vocab, timestamp=T2 * 2))
        assert len(log.updated) == 4 and len(log.new) == len(vocab) - 4
        assert "hotpink" in col.models.get(VOCAB_MODEL_ID)["css"]
    finally:
        col.close()


# Change detector: the note types' mtime must move forward whenever the templates change, or
# learners who already have the note type never receive the new templates. When this fails,
# bump TEMPLATES_MTIME to the release date and record the new digest here.
TEMPLATE_DIGESTS = {
    1795910400: "32806e4d6166efb2c4e18310e33a0890546f6d3155eebbe5affb65f9c12f918e",
    1796083200: "d8d10562b1e28681c9a0312ac134dcdbf9bc87f58ebd209846b852fb70781bd3",
    1796169600: "7a0b70abf3971b5729a58158fb33f80b694d872798bf0401d5f338ab3bfc2c89",
}


def test_templates_mtime_was_bumped_when_templates_changed():
    folder = Path(__file__).resolve().parents[1] / "flashcards" / "templates"
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert TEMPLATE_DIGESTS.get(TEMPLATES_MTIME) == digest.hexdigest()


def test_a_field_appended_by_a_later_release_needs_merge_note_types(tmp_path, monkeypatch):
    """What a learner meets if a release ever appends a field. Under Anki's default options the
    old notes stay as they were ("conflicting"); with "Merge note types" the note type gains
    the field, history kept, and the next rebuild then fills it in."""
    vocab = sample_vocab()[:3]
    first = write_deck(tmp_path / "a.apkg", vocab, timestamp=T1)
    col = import_into_fresh_collection(first, tmp_path)
    try:
        reviewed = review_some_cards(col, 2)
        history = scheduling_snapshot(col, reviewed)

        # Simulate the later release: one more field at the end of the vocabulary note type.
        def with_mnemonic(v, script="simplified", cards=package.CARD_KINDS):
            return {**notes.vocab_fields(v, script, cards), "Mnemonic": f"记住 {v.simplified}"}

        monkeypatch.setattr(package, "VOCAB_FIELDS", (*notes.VOCAB_FIELDS, "Mnemonic"))
        monkeypatch.setattr(package, "vocab_fields", with_mnemonic)
        monkeypatch.setattr(package, "TEMPLATES_MTIME", package.TEMPLATES_MTIME + 86_400)
        later = write_deck(tmp_path / "b.apkg", vocab, timestamp=T2)

        plain = import_package(col, later)
        assert len(plain.conflicting) == 3 and len(plain.updated) == 0
        assert all("Mnemonic" not in f for f in notes_by_guid(col).values())

        merged = import_package(col, later, merge_notetypes=True)
        assert len(merged.conflicting) == 0
        ours = [m for m in col.models.all() if m["name"].startswith(VOCAB_MODEL_NAME)]
        assert [f["name"] for f in ours[0]["flds"]][-1] == "Mnemonic" and len(ours) == 1
        # Adding the field touched the notes, so they are now newer than this build...
        assert {f["Mnemonic"] for f in notes_by_guid(col).values()} == {""}
        # ...and the next rebuild fills it in with the default options.
        rebuilt = write_deck(tmp_path / "c.apkg", vocab, timestamp=time.time() + 60)
        assert len(import_package(col, rebuilt).updated) == 3
        after = notes_by_guid(col)
        assert len(after) == 3
        assert after[vocab_guid(vocab[2])]["Mnemonic"] == "记住 银行"
        assert_no_duplicate_notes(col)
        assert scheduling_snapshot(col, reviewed) == history
        render_all_cards(col)
    finally:
        col.close()


def test_a_deck_built_before_more_meanings_updates_in_place_with_merge(tmp_path, monkeypatch):
    """A learner who studied a deck of the release before MoreMeanings existed re-imports a
    rebuilt deck: with "Merge note types" the notes update in place, the new field filled,
    no duplicates, review history kept; every card renders."""
    vocab = sample_vocab()[:4]
    old_fields = tuple(f for f in notes.VOCAB_FIELDS if f != "MoreMeanings")

    def old_vocab_fields(v, script="simplified", cards=package.CARD_KINDS):
        fields = notes.vocab_fields(v, script, cards)
        # The old release put every sense in Meaning.
        fields["Meaning"] = "; ".join(notes.escape_field(s) for s in v.senses)
        return {k: fields[k] for k in old_fields}

    with monkeypatch.context() as old:
        old.setattr(package, "VOCAB_FIELDS", old_fields)
        old.setattr(package, "vocab_fields", old_vocab_fields)
        old.setattr(package, "TEMPLATES_MTIME", 1795910400)
        first = write_deck(tmp_path / "old.apkg", vocab, timestamp=T1)
    col = import_into_fresh_collection(first, tmp_path)
    try:
        reviewed = review_some_cards(col, 3)
        history = scheduling_snapshot(col, reviewed)
        rebuilt = write_deck(tmp_path / "new.apkg", vocab, timestamp=time.time() + 60)
        log = import_package(col, rebuilt, merge_notetypes=True)
        assert len(log.conflicting) == 0 and len(log.new) == 0
        ours = [m for m in col.models.all() if m["name"].startswith(VOCAB_MODEL_NAME)]
        assert len(ours) == 1 and [f["name"] for f in ours[0]["flds"]][-1] == "MoreMeanings"
        again = write_deck(tmp_path / "again.apkg", vocab, timestamp=time.time() + 120)
        import_package(col, again)
        after = notes_by_guid(col)
        assert len(after) == len(vocab)
        zhang = next(f for f in after.values() if f["PinyinNumbered"] == "zhang3")
        assert zhang["MoreMeanings"] and "to grow" in zhang["Meaning"] + zhang["MoreMeanings"]
        assert_no_duplicate_notes(col)
        assert scheduling_snapshot(col, reviewed) == history
        render_all_cards(col)
    finally:
        col.close()
