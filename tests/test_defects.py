"""Defects a careful tester found (issue 11): each test reproduces one; it failed before the fix."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from anki_check import (
    empty_card_ids,
    import_into_fresh_collection,
    import_package,
    import_text_file,
    notes_by_guid,
    open_fresh_collection,
    render_all_cards,
    review_some_cards,
    revlog_count,
    scheduling_snapshot,
    visible_text,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_errors_cli import assert_one_line_error, run_main

from flashcards.wordsources import _BRACKETED, _unbracket, _unbracket_all, clean_field

TEXT = "我们今天去银行取钱。银行门口排着长长的队，我等了二十分钟。\n"


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def run(*args):
    return run_main([str(a) for a in args])


# 1. build overwrites its own input --------------------------------------------------------


def test_build_refuses_to_write_over_its_own_input(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(TEXT, "utf-8")
    before = notes.read_bytes()
    for args in (
        ["-o", notes],  # the input named as output, format from its suffix
        ["-o", notes, "--format", "md"],
    ):
        code, _, err = run("build", notes, *args)
        assert_one_line_error(code, err, "is the input")
        assert notes.read_bytes() == before


def test_build_refuses_an_output_linked_to_an_input(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    before = text.read_bytes()
    symlink = tmp_path / "deck.json"
    symlink.symlink_to(text)
    hardlink = tmp_path / "deck.csv"
    os.link(text, hardlink)
    for out in (symlink, hardlink):
        code, _, err = run("build", text, "-o", out)
        assert_one_line_error(code, err, "is the input")
        assert text.read_bytes() == before


def test_build_to_another_file_still_works(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(TEXT, "utf-8")
    code, _, err = run("build", notes, "-o", tmp_path / "words.md")
    assert code == 0, err
    assert notes.read_text("utf-8") == TEXT


# 3. a recipe reads files outside its folder ------------------------------------------------


def _recipe(tmp_path, texts: str):
    folder = tmp_path / "decks" / "x"
    folder.mkdir(parents=True)
    (folder / "deck.toml").write_text(f"texts = {texts}\n", "utf-8")
    (folder / "ok.txt").write_text(TEXT, "utf-8")
    return folder


def test_a_recipe_cannot_name_a_file_outside_its_folder(tmp_path):
    diary = tmp_path / "diary.txt"
    diary.write_text("我的秘密日记。今天很难过。\n", "utf-8")
    for texts in ('["../../diary.txt"]', f'["{diary}"]', '["ok.txt", "/etc/passwd"]'):
        folder = _recipe(tmp_path / f"case{len(texts)}", texts)
        code, _, err = run("build", folder, "-o", tmp_path / "out.json")
        assert_one_line_error(code, err, "outside the recipe's folder")
        assert not (tmp_path / "out.json").exists()


def test_a_recipe_cannot_reach_out_through_a_symlink(tmp_path):
    diary = tmp_path / "diary.txt"
    diary.write_text("我的秘密日记。今天很难过。\n", "utf-8")
    folder = _recipe(tmp_path, '["inside.txt"]')
    (folder / "inside.txt").symlink_to(diary)
    code, _, err = run("build", folder, "-o", tmp_path / "out.json")
    assert_one_line_error(code, err, "outside the recipe's folder", "inside.txt")


def test_a_recipe_with_its_own_texts_builds(tmp_path):
    folder = _recipe(tmp_path, '["ok.txt"]')
    code, _, err = run("build", folder, "-o", tmp_path / "out.json")
    assert code == 0, err


# 4. rebuilding with fewer card kinds left blank cards in a studied deck -----------------

STUDY_TEXT = (
    "我们今天去银行取钱。银行门口排着长长的队，我等了二十分钟。"
    "后来我们去公园散步，看见很多老人在下棋。天气很好，阳光明媚。\n"
)


def _first_deck(tmp_path, *args):
    text = tmp_path / "text.txt"
    text.write_text(STUDY_TEXT, "utf-8")
    apkg = tmp_path / "deck.apkg"
    code, _, err = run("build", text, "-o", apkg, *args)
    assert code == 0, err
    return text, apkg


def _studied_collection(tmp_path, apkg):
    col = import_into_fresh_collection(apkg, tmp_path)
    reviewed = review_some_cards(col, 15)
    assert len(reviewed) == 15
    kinds = {col.get_card(c).ord for c in col.find_cards("")}
    assert kinds == {0, 1, 2}, "the first build has all three kinds"
    time.sleep(1.1)  # a note's mtime is in seconds: Anki updates only a newer note
    return col, reviewed


@pytest.mark.parametrize("where", ["output", "collection"])
def test_a_rebuild_with_fewer_card_kinds_keeps_the_cards_a_studied_deck_has(tmp_path, where):
    text, apkg = _first_deck(tmp_path)
    col, reviewed = _studied_collection(tmp_path, apkg)
    before = scheduling_snapshot(col, reviewed)
    reviews = revlog_count(col)
    cards = len(col.find_cards(""))
    if where == "output":  # the same output rebuilt: the old deck itself says what it had
        args = ["-o", apkg]
    else:  # a new file each week: the learner's collection says
        apkg = tmp_path / "week2.apkg"
        args = ["-o", apkg, "--keep-cards-from", col.path]
    code, _, err = run("build", text, *args, "--cards", "recognition")
    assert code == 0, err
    assert "kept" in err and "recall and cloze" in err and "--drop-cards" in err
    log = import_package(col, apkg)
    try:
        assert len(log.updated) == len(col.find_notes(""))
        assert empty_card_ids(col) == []
        assert len(col.find_cards("")) == cards
        render_all_cards(col)
        assert scheduling_snapshot(col, reviewed) == before
        assert revlog_count(col) == reviews
    finally:
        col.close()


def test_a_new_word_gets_only_the_kinds_asked_for_and_drop_cards_drops(tmp_path):
    text, apkg = _first_deck(tmp_path, "--cards", "recognition,recall")
    more = tmp_path / "more.txt"
    more.write_text(STUDY_TEXT + "图书馆里有很多学生在复习功课。\n", "utf-8")
    code, _, err = run("build", more, "-o", apkg, "--cards", "recognition", "--format", "apkg")
    assert code == 0 and "kept" in err
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        by_guid = notes_by_guid(col)
        old_or_new = {g: bool(f["MakeRecall"]) for g, f in by_guid.items() if "MakeRecall" in f}
        # 图书馆 is new in this build: recognition only; the old words keep recall.
        new = [g for g, f in by_guid.items() if f.get("Simplified") == "图书馆"]
        assert new and not old_or_new[new[0]]
        assert sum(old_or_new.values()) >= 5
    finally:
        col.close()
    code, _, err = run("build", more, "-o", apkg, "--cards", "recognition", "--drop-cards")
    assert code == 0 and "kept" not in err
    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        assert all(not f.get("MakeRecall") for f in notes_by_guid(col).values())
    finally:
        col.close()


def test_drop_cards_leaves_the_dropped_cards_to_anki_empty_cards(tmp_path):
    """What every rebuild did before: the old kinds dropped, Anki finds empty cards."""
    text, apkg = _first_deck(tmp_path)
    col, _ = _studied_collection(tmp_path, apkg)
    try:
        assert run("build", text, "-o", apkg, "--cards", "recognition", "--drop-cards")[0] == 0
        import_package(col, apkg)
        assert empty_card_ids(col), "dropping kinds on purpose does leave them to Empty Cards"
    finally:
        col.close()


# 5. a quadratic regular expression in clean_field -------------------------------------------


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" >[]a银行b\n", max_size=24))
def test_the_one_pass_unbracketing_is_the_regexs(text):
    assert _unbracket_all(text) == _BRACKETED.sub(_unbracket, text)


def test_a_long_field_with_no_closing_bracket_is_cleaned_and_cut(tmp_path):
    # 16k characters took seconds and 100 MB never ended with the regex (a hang, so run in
    # a process of its own that must finish); a field is read up to MAX_FIELD_CHARS only.
    import subprocess
    import sys

    script = (
        "from flashcards.wordsources import MAX_FIELD_CHARS, clean_field\n"
        "for text in ('银' * 200_000 + '[', '[' * 200_000 + ']', 'a[' * 100_000):\n"
        "    assert clean_field(text) == text[:MAX_FIELD_CHARS], text[:8]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert clean_field("银行[yínháng] 很好") == "银行 很好"
    assert clean_field("銀行[银行]") == "银行"


# 8. a damaged dictionary cache heals ----------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "garble", "delete", "check", "raw"])
def test_a_damaged_dictionary_cache_is_rebuilt_once(tmp_path, damage):
    import subprocess
    import sys

    from flashcards.dictionary import shard_of

    env = {**os.environ, "FLASHCARDS_CACHE": str(tmp_path / "cache"), "FLASHCARDS_HOME": str(
        tmp_path / "home"
    )}

    def lookup() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "flashcards", "lookup", "银行"],
            env=env, capture_output=True, text=True, timeout=120,
        )

    good = lookup()
    assert good.returncode == 0 and "bank" in good.stdout, good.stderr
    # The shard of CC-CEDICT that holds 银行, made from its raw lines by that lookup.
    (table,) = (tmp_path / "cache").glob(f"cedict-*/{shard_of('银行')}.sqlite")
    check = table.with_suffix(".check")
    data = table.read_bytes()
    if damage == "truncate":
        table.write_bytes(data[: len(data) // 2])
    elif damage == "garble":
        # Inside the rows, where sqlite itself would notice nothing until the page is read.
        middle = len(data) // 2
        table.write_bytes(data[:middle] + bytes(b ^ 0x55 for b in data[middle : middle + 100])
                          + data[middle + 100 :])
    elif damage == "delete":
        table.unlink()
    elif damage == "check":
        check.write_bytes(b"\x00garbage")
    else:  # the raw lines it is made from, and the made shard gone: the table is split again
        raw = table.with_suffix(".raw")
        raw.write_bytes(raw.read_bytes()[:100])
        table.unlink()
    healed = lookup()
    assert healed.returncode == 0, healed.stderr
    assert healed.stdout == good.stdout and "Interrupted" not in healed.stderr
    assert table.read_bytes() == data  # rebuilt, whole
    # Healed for good: the next run reads the cache and builds nothing.
    stamp = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    assert lookup().stdout == good.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == stamp
    assert len(list((tmp_path / "cache").glob("cedict-*"))) == 1


# 2. the atomic rename replaces what it should not --------------------------------------------


@pytest.fixture()
def text_file(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, "utf-8")
    return path


def test_a_symlinked_output_stays_a_link_and_its_target_is_written(tmp_path, text_file):
    target = tmp_path / "decks" / "real.json"
    target.parent.mkdir()
    target.write_text("old", "utf-8")
    link = tmp_path / "deck.json"
    link.symlink_to(target)
    code, _, err = run("build", text_file, "-o", link)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text("utf-8").startswith("[")  # the new deck, in the target


def test_a_rebuilt_deck_keeps_its_mode(tmp_path, text_file):
    deck = tmp_path / "deck.json"
    deck.write_text("old", "utf-8")
    deck.chmod(0o600)
    code, _, err = run("build", text_file, "-o", deck)
    assert code == 0, err
    assert deck.read_text("utf-8").startswith("[")
    assert (deck.stat().st_mode & 0o777) == 0o600


def test_a_read_only_deck_is_replaced_only_with_force(tmp_path, text_file):
    deck = tmp_path / "deck.json"
    deck.write_text("old", "utf-8")
    deck.chmod(0o444)
    code, _, err = run("build", text_file, "-o", deck)
    assert_one_line_error(code, err, "read-only", "--force")
    assert deck.read_text("utf-8") == "old"
    code, _, err = run("build", text_file, "-o", deck, "--force")
    assert code == 0, err
    assert deck.read_text("utf-8").startswith("[")
    assert (deck.stat().st_mode & 0o777) == 0o444


def test_a_device_as_output_is_written_to_never_replaced(tmp_path, text_file):
    import stat

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root (where the defect replaced /dev/null)")
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    code, _, err = run("build", text_file, "-o", node, "--format", "json")
    assert code == 0, err
    assert stat.S_ISCHR(node.stat().st_mode)
    assert not list(tmp_path.glob(".null.*"))


# 6. no limit on unpacking an Anki package ----------------------------------------------------


@pytest.mark.parametrize("member", ["collection.anki2", "collection.anki21b"])
def test_a_zip_bomb_package_is_stopped_with_a_clear_error(tmp_path, member):
    import tempfile
    import zipfile

    import zstandard

    bomb = tmp_path / "bomb.apkg"
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        if member.endswith("b"):
            # Anki's zstd frame, no content size: only the unpacking shows how big it is.
            packer = zstandard.ZstdCompressor().compressobj()
            frame = b"".join(packer.compress(zeros) for _ in range(300)) + packer.flush()
            archive.writestr(member, frame)
        else:
            with archive.open(member, "w") as out:
                for _ in range(300):
                    out.write(zeros)
    assert bomb.stat().st_size < 2 << 20  # 300 MiB inside
    before = set(Path(tempfile.gettempdir()).glob("flashcards-anki-*"))
    code, _, err = run("known", "import", bomb)
    assert_one_line_error(code, err, "unpacks to more than")
    assert set(Path(tempfile.gettempdir()).glob("flashcards-anki-*")) == before


# 7. an adversarial collection hangs known import ---------------------------------------------


def _hostile_collection(path: Path) -> Path:
    import sqlite3

    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE col (id integer primary key, models text);
        CREATE TABLE cards (id integer primary key, nid integer, type integer);
        CREATE VIEW notes AS
          WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)
          SELECT x AS id, 1 AS mid, '银行' AS flds FROM r;
        """
    )
    db.close()
    return path


def test_a_collection_whose_notes_are_a_view_is_refused_at_once(tmp_path):
    collection = _hostile_collection(tmp_path / "collection.anki2")
    # In a process of its own that must finish: the view made the import run forever.
    result = _process([b"known", b"import", os.fsencode(collection)], tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in err, err
    assert "not an Anki collection" in err and "view" in err and err.count("\n") == 1


def test_a_query_past_the_time_limit_stops_with_a_clear_error(tmp_path, monkeypatch):
    import sqlite3

    from flashcards import ankifile

    collection = _hostile_collection(tmp_path / "collection.anki2")
    db = sqlite3.connect(collection)
    # Tables now, as Anki writes them; but a query that runs as long as the recursion did.
    db.executescript(
        """
        DROP VIEW notes;
        CREATE TABLE notes (id integer primary key, mid integer, flds text);
        """
    )
    db.executemany("INSERT INTO notes (mid, flds) VALUES (1, ?)", [("银行",)] * 20_000)
    db.execute("INSERT INTO col (models) VALUES ('{}')")
    db.commit()
    db.close()
    monkeypatch.setattr(ankifile, "READ_SECONDS", -1)  # every query is past it
    code, _, err = run("known", "import", collection)
    assert_one_line_error(code, err, "took over")


def test_a_collection_with_an_empty_col_table_is_a_one_line_error(tmp_path):
    import sqlite3

    collection = tmp_path / "collection.anki2"
    db = sqlite3.connect(collection)
    db.executescript(
        "CREATE TABLE col (models text); CREATE TABLE cards (nid integer, type integer);"
        "CREATE TABLE notes (id integer, mid integer, flds text);"
        "INSERT INTO notes VALUES (1, 1, '银行');"
    )
    db.close()
    code, _, err = run("known", "import", collection)
    assert_one_line_error(code, err, "damaged Anki collection")


# 9. a known-word store that is readable but not writable blocked every command -------------


@pytest.fixture
def read_only_store(tmp_path, monkeypatch):
    """A store of three words that this user cannot write (root: the immutable attribute,
    as root writes any file; others: permissions)."""
    import subprocess

    home = tmp_path / "ro-home"
    monkeypatch.setenv("FLASHCARDS_HOME", str(home))
    code, _, err = run("known", "add", "银行", "公园", "老人")
    assert code == 0, err
    paths = [home, *home.rglob("*")]
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        try:
            yield home
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        return
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield home
    finally:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("command", ["list", "count", "export", "build"])
def test_a_store_the_user_cannot_write_still_serves_the_commands_that_read(
    read_only_store, tmp_path, command
):
    text = tmp_path / "text.txt"
    text.write_text("我们今天去银行取钱，然后去公园散步。\n", "utf-8")
    deck = tmp_path / "deck.json"
    args = {
        "list": ["known", "list"],
        "count": ["known", "count"],
        "export": ["known", "export"],
        "build": ["build", text, "-o", deck],
    }[command]
    code, out, err = run(*args)
    assert code == 0 and "Traceback" not in err, err
    if command in ("list", "export"):
        assert out.split() == ["公园", "老人", "银行"]
    elif command == "count":
        assert out.strip() == "3"
    else:
        words = {n["simplified"] for n in json.loads(deck.read_text("utf-8"))}
        assert words and not words & {"银行", "公园"}


def test_a_write_into_a_read_only_store_is_a_one_line_error(read_only_store):
    code, _, err = run("known", "add", "图书馆")
    assert_one_line_error(code, err, "read-only")


def test_a_damaged_store_is_found_before_anything_is_written(tmp_path):
    import sqlite3

    from flashcards.known import store_path

    words = [f"词{chr(0x4E00 + i)}{chr(0x4E00 + i // 7)}" for i in range(3000)]
    code, _, err = run("known", "add", *words)
    assert code == 0, err
    store = store_path("default")
    db = sqlite3.connect(store)
    page = db.execute("PRAGMA page_size").fetchone()[0]
    # A leaf page of the words table (where it is depends on the schema's other tables).
    leaf = db.execute(
        "SELECT min(pageno) FROM dbstat WHERE name = 'known' AND pagetype = 'leaf'"
    ).fetchone()[0]
    db.close()
    data = bytearray(store.read_bytes())
    assert len(data) > 8 * page
    at = (leaf - 1) * page
    data[at + 100 : at + 400] = os.urandom(300)  # a page of the table, garbled
    store.write_bytes(bytes(data))
    before = store.read_bytes()
    code, _, err = run("known", "add", "图书馆")
    assert_one_line_error(code, err, "damaged", "nothing was written", "known import")
    assert store.read_bytes() == before


# 10. wrong-typed recipe values are silently misread ------------------------------------------


@pytest.mark.parametrize(
    "line,needle",
    [
        ("max_words = -5", "max_words = -5: must be from 1"),
        ('names = "no"', "names = 'no': must be true or false"),
        ("cards = []", "cards = []: must list card kinds"),
        ('cards = ["recognition", "flip"]', "must list card kinds"),
        ("hsk_max = 12", "must be from 1 to 7"),
        ('order = "random"', "must be one of appearance"),
        ("sentences = 2.5", "must be a whole number"),
        ('deck_name = ""', "must be a non-empty string"),
    ],
)
def test_a_wrong_recipe_value_is_a_one_line_error(tmp_path, line, needle):
    folder = _recipe(tmp_path, '["ok.txt"]')
    toml = folder / "deck.toml"
    toml.write_text(toml.read_text("utf-8") + line + "\n", "utf-8")
    code, _, err = run("build", folder, "-o", tmp_path / "out.json")
    assert_one_line_error(code, err, needle)
    assert not (tmp_path / "out.json").exists()


def test_a_recipe_with_a_bom_and_good_values_builds(tmp_path):
    folder = _recipe(tmp_path, '["ok.txt"]')
    toml = folder / "deck.toml"
    body = toml.read_text("utf-8") + "max_words = 5\nnames = false\nhsk_standard = 3.0\n"
    toml.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    out = tmp_path / "out.json"
    code, _, err = run("build", folder, "-o", out)
    assert code == 0, err
    import json

    assert 0 < len([n for n in json.loads(out.read_text("utf-8")) if n["kind"] == "vocab"]) <= 5


# 11. outputs a renderer would misread; hidden files a killed build left ------------------------


def test_bare_urls_in_markdown_output_are_no_live_links(tmp_path):
    text = tmp_path / "text.txt"
    line = "我们的网站是https://example.com/a，也可以去www.example.org看看新闻。\n"
    text.write_text(line, "utf-8")
    out = tmp_path / "words.md"
    code, _, err = run("build", text, "-o", out, "--sentences", "2")
    assert code == 0, err
    md = out.read_text("utf-8")
    assert "https://" not in md and "www.example" not in md
    assert "https\\://" in md or "www\\.example" in md


def test_parts_left_by_a_killed_build_are_removed_by_the_next(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    stale = [
        tmp_path / ".deck.apkg.abc123.part",
        tmp_path / ".deck.apkg.abc123.part.x9.anki2-journal",
    ]
    fresh = tmp_path / ".deck.apkg.def456.part"  # a build writing the same deck right now
    for p in (*stale, fresh):
        p.write_bytes(b"half a deck")
    old = time.time() - 2 * 3600
    for p in stale:
        os.utime(p, (old, old))
    other = tmp_path / ".notes.txt.swp"  # not ours
    other.write_bytes(b"x")
    os.utime(other, (old, old))
    code, _, err = run("build", text, "-o", tmp_path / "deck.apkg")
    assert code == 0, err
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and other.exists()


FORMULA_TEXT = (
    "@张三 你好，我们明天去银行吧。\n"
    "-我也去银行，我要取钱。\n"
    "+86是中国的电话区号，我记住了。\n"
    "=1+1，这个问题很简单。\n"
    "#话题# 今天的天气很好。\n"
)


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_text_exports_have_no_formula_cells_and_no_comment_rows(tmp_path, fmt, sep):
    import csv

    text = tmp_path / "text.txt"
    text.write_text(FORMULA_TEXT, "utf-8")
    out = tmp_path / f"deck.{fmt}"
    code, _, err = run("build", text, "-o", out, "--sentences", "5")
    assert code == 0, err
    lines = out.read_text("utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    headers = [line for line in lines if line.startswith("#")]
    assert all(":" in h for h in headers)  # Anki's header lines only: no row lost as comment
    rows = list(csv.reader(body, delimiter=sep))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    shown = {re.sub(r"<!---->", "", row[0]) for row in rows}
    for line in FORMULA_TEXT.splitlines():
        assert line in shown, line  # each sentence note is there, its text whole


def test_a_formula_safe_csv_updates_the_same_notes_in_anki_and_shows_the_same_text(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text(FORMULA_TEXT, "utf-8")
    apkg, csv_file = tmp_path / "deck.apkg", tmp_path / "deck.csv"
    for out in (apkg, csv_file):
        code, _, err = run("build", text, "-o", out, "--sentences", "5")
        assert code == 0, err
    col = open_fresh_collection(tmp_path)
    try:
        import_into_fresh_collection(apkg, tmp_path, col=col)
        before = notes_by_guid(col)
        log = import_text_file(col, csv_file)
        assert not log.first_field_match and not log.conflicting and not log.missing_notetype
        after = notes_by_guid(col)
        assert set(after) == set(before)  # updated in place: nothing duplicated
        for guid, fields in after.items():
            for name, value in fields.items():
                if not name.startswith("_"):
                    assert visible_text(value) == visible_text(before[guid][name]), name
        render_all_cards(col)
    finally:
        col.close()


# 10. tracebacks left: non-UTF-8 arguments, a closed stdin, /dev/zero as a word list -----------


def _process(args: list, tmp_path: Path, **kwargs):
    import subprocess
    import sys

    env = {**os.environ, "FLASHCARDS_HOME": str(tmp_path / "home")}
    return subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"flashcards", *args],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, **kwargs,
    )


def _anki_collection_with_words(path: Path, words: list[str]) -> Path:
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        basic = col.models.by_name("Basic")
        for word in words:
            note = col.new_note(basic)
            note["Front"] = word
            col.add_note(note, col.decks.id_for_name("Default") or 1)
    finally:
        col.close()
    return path


def test_notes_with_null_or_blob_fields_are_read_not_a_traceback(tmp_path):
    import sqlite3

    collection = _anki_collection_with_words(tmp_path / "c.anki2", ["银行", "公园", "老人"])
    db = sqlite3.connect(collection)
    db.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    # As a hand-edited or foreign-made collection has it: the same columns, no NOT NULL.
    db.executescript(
        "CREATE TABLE loose AS SELECT * FROM notes; DROP TABLE notes;"
        "ALTER TABLE loose RENAME TO notes;"
    )
    ids = [row[0] for row in db.execute("SELECT id FROM notes ORDER BY id")]
    db.execute("UPDATE notes SET flds = NULL WHERE id = ?", (ids[0],))
    db.execute("UPDATE notes SET flds = CAST(? AS BLOB) WHERE id = ?", ("公园".encode(), ids[1]))
    db.execute("UPDATE notes SET guid = NULL WHERE id = ?", (ids[2],))
    db.commit()
    db.close()
    code, _, err = run("known", "import", collection)
    assert code == 0 and "Traceback" not in err, err
    code, out, _ = run("known", "list")
    assert out.split() == ["公园", "老人"]


@pytest.mark.parametrize(
    "models", ["[1, 2]", '{"1": "x"}', '{"one": {}}', '{"1": {"flds": [{"ord": 0}]}}', "null", "{"]
)
def test_a_legacy_collection_with_odd_note_type_json_is_a_one_line_error(tmp_path, models):
    import sqlite3

    collection = tmp_path / "legacy.anki2"
    db = sqlite3.connect(collection)
    db.executescript(
        """
        CREATE TABLE col (id integer primary key, models text);
        CREATE TABLE cards (id integer primary key, nid integer, type integer);
        CREATE TABLE notes (id integer primary key, guid text, mid integer, flds text);
        INSERT INTO notes (guid, mid, flds) VALUES ('g', 1, '银行');
        """
    )
    db.execute("INSERT INTO col (models) VALUES (?)", (models,))
    db.commit()
    db.close()
    code, _, err = run("known", "import", collection)
    if code == 0:  # JSON null is no note type: nothing to read, and nothing goes wrong
        assert models == "null" and "Traceback" not in err
    else:
        assert_one_line_error(code, err, "damaged Anki collection")


def test_an_encrypted_package_member_is_a_one_line_error(tmp_path):
    import zipfile

    collection = _anki_collection_with_words(tmp_path / "c.anki2", ["银行"])
    package = tmp_path / "locked.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", collection.read_bytes())
    data = bytearray(package.read_bytes())
    # Mark the member encrypted as a zip tool with a password does (general purpose bit 0),
    # in its local header and in the central directory.
    data[6] |= 0x1
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x1
    package.write_bytes(bytes(data))
    code, _, err = run("known", "import", package)
    assert_one_line_error(code, err, "locked.apkg")


@pytest.mark.parametrize("long_cell", ["meaning", "word"])
def test_a_csv_cell_over_csvs_own_limit_is_read(tmp_path, long_cell):
    long_text = "长" * 140_000  # csv's default cap is 131,072 characters
    rows = ["word,meaning", "银行,bank"]
    rows.append(f"公园,{long_text}" if long_cell == "meaning" else f'"{long_text}",x')
    rows.append("老人,old person")
    words = tmp_path / "words.csv"
    words.write_text("\n".join(rows) + "\n", "utf-8")
    code, _, err = run("known", "import", words)
    assert code == 0 and "Traceback" not in err, err
    expected = ["公园", "老人", "银行"] if long_cell == "meaning" else ["老人", "银行"]
    assert sorted(run("known", "list")[1].split()) == expected


@pytest.mark.parametrize("damage", ["garbled", "cut short", "not utf-8"])
def test_a_bad_gzip_cedict_is_a_one_line_error(tmp_path, damage):
    import gzip

    from flashcards.dictionary import _open_text, resolve_cedict_path

    with _open_text(resolve_cedict_path()) as fh:
        head = "".join(next(fh) for _ in range(400)).encode()
    packed = gzip.compress(head)
    bad = tmp_path / "cedict.u8.gz"
    if damage == "garbled":
        bad.write_bytes(packed[:10] + bytes(b ^ 0x5A for b in packed[10:]))
    elif damage == "cut short":
        bad.write_bytes(packed[: len(packed) // 2])
    else:
        bad.write_bytes(gzip.compress(b"\xc1\xff" * 500))
    code, _, err = run("--cedict", bad, "lookup", "银行")
    assert_one_line_error(code, err, "cannot read CC-CEDICT file")


@pytest.mark.parametrize(
    "args",
    [[b"lookup", b"\xff"], [b"build", b"bad\xff.txt", b"-o", b"x.json"],
     [b"build", b"ok.txt", b"--deck-name", b"\xff\xfe"]],
)
def test_an_argument_that_is_not_utf8_is_a_one_line_error(tmp_path, args):
    (tmp_path / "ok.txt").write_text(TEXT, "utf-8")
    (tmp_path / os.fsdecode(b"bad\xff.txt")).write_text(TEXT, "utf-8")
    result = _process(args, tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "Traceback" not in err, err
    assert err.startswith("error: argument") and "not UTF-8" in err and err.count("\n") == 1


@pytest.mark.parametrize("command", [[b"segment", b"-"], [b"pinyin", b"-"], [b"build", b"-"]])
def test_a_closed_stdin_is_a_one_line_error(tmp_path, command):
    result = _process(command, tmp_path, stdin=None, preexec_fn=lambda: os.close(0))
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in err, err
    assert err.startswith("error:") and "stdin" in err and err.count("\n") == 1


def test_an_endless_device_as_a_word_list_is_a_one_line_error(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    commands = (
        [b"known", b"import", b"/dev/zero"],
        [b"analyze", b"t.txt", b"--known", b"/dev/zero"],
    )
    for args in commands:
        (tmp_path / "t.txt").write_text(TEXT, "utf-8")
        result = _process(args, tmp_path)
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 1 and "Traceback" not in err, err
        assert "too big for a word list" in err
