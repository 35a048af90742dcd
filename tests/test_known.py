"""The known-word store: contents, both scripts, all-or-nothing imports, two writers at once,
a writer killed mid-import; and known words imported from real Anki exports."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from flashcards.errors import FlashcardsError
from flashcards.known import KnownWords, known_set, simplified_form, store_path
from flashcards.wordsources import read_words

# Real words for bulk tests: every two-character combination of these is distinct.
_CHARS = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着"
    "去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主"
    "行方又如前所本见经头面公同三已老从动两长"
)


def words(count: int, offset: int = 0) -> list[str]:
    """``count`` distinct two-character strings of Chinese characters."""
    n = len(_CHARS)
    return [_CHARS[i // n % n] + _CHARS[i % n] for i in range(offset, offset + count)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KnownWords]:
    with KnownWords.open(path=tmp_path / "known.sqlite3") as opened:
        yield opened


# --- where the store lives ------------------------------------------------------------------


def test_store_path_follows_flashcards_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    assert store_path() == tmp_path / "home" / "default.sqlite3"
    assert store_path("anna_2") == tmp_path / "home" / "anna_2.sqlite3"
    with KnownWords.open("anna_2") as opened:
        opened.add(["银行"])
    with KnownWords.open("ben") as other:
        assert other.count() == 0  # profiles are separate stores
    assert sorted(p.name for p in (tmp_path / "home").glob("*.sqlite3")) == [
        "anna_2.sqlite3",
        "ben.sqlite3",
    ]


def test_store_path_without_flashcards_home_is_a_per_user_data_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLASHCARDS_HOME", raising=False)
    path = store_path("maria")
    assert path.is_absolute()
    assert path.parts[-2:] == ("profiles", "maria.sqlite3")
    assert "flashcards" in path.parts


@pytest.mark.parametrize("bad", ["", "../escape", "a b", "x/y", "a.b", "x" * 65, "-\n"])
def test_bad_profile_names_are_refused(bad: str) -> None:
    with pytest.raises(FlashcardsError, match="bad profile name"):
        store_path(bad)


# --- contents -------------------------------------------------------------------------------


def test_add_remove_list_count(store: KnownWords) -> None:
    assert store.add(["银行", "  学生\n", "", "电脑", "银行"]) == 3
    assert store.add(["电脑", "喜欢"], source="lesson 3") == 1
    assert store.words() == sorted(["银行", "学生", "电脑", "喜欢"])
    assert store.count() == 4 == len(store)
    assert "学生" in store and "老师" not in store
    assert store.remove(["学生", "老师"]) == 1
    assert store.words() == sorted(["银行", "电脑", "喜欢"])
    sources = {entry.word: entry.source for entry in store.entries()}
    assert sources == {"银行": "manual", "电脑": "manual", "喜欢": "lesson 3"}
    assert all(entry.added_at.endswith("Z") for entry in store.entries())


def test_words_are_kept_across_opening_again(tmp_path: Path) -> None:
    path = tmp_path / "known.sqlite3"
    with KnownWords.open(path=path) as first:
        first.add(words(50))
    with KnownWords.open(path=path) as second:
        assert second.words() == sorted(words(50))


def test_a_traditional_word_makes_its_simplified_form_known(store: KnownWords) -> None:
    store.add(["銀行", "頭髮"])
    assert "银行" in store and "銀行" in store
    assert "头发" in store
    assert store.contains_any(["电脑", "银行"])
    assert not store.contains_any(["電腦", "电脑"])
    # One word in two scripts is one known word; the form first given is the one listed.
    assert store.add(["银行"]) == 0
    assert store.words() == ["銀行", "頭髮"]
    assert store.simplified_forms() == {"银行", "头发"}
    # Forgetting it in either script forgets it.
    assert store.remove(["银行"]) == 1
    assert "銀行" not in store


def test_words_are_normalized(store: KnownWords) -> None:
    store.add(["\uf907", " 学生\u3000"])  # a compatibility ideograph; an ideographic space
    assert store.words() == ["学生", "\u9f9c"]


def test_a_word_without_chinese_is_refused_and_nothing_is_added(store: KnownWords) -> None:
    store.add(["银行"])
    with pytest.raises(FlashcardsError, match="not a Chinese word: 'yinhang'"):
        store.add(["学生", "yinhang", "电脑"])
    assert store.words() == ["银行"]


# --- all or nothing -------------------------------------------------------------------------


def test_an_error_mid_import_leaves_the_store_as_it_was(store: KnownWords) -> None:
    store.add(["银行", "学生"])
    before = store.entries()

    def failing() -> Iterator[str]:
        yield from words(2500)  # more than one batch has reached the database
        raise OSError("the file went away")

    with pytest.raises(OSError, match="went away"):
        store.import_words(failing(), source="deck.apkg")
    assert store.entries() == before
    # The store still works after the rollback.
    assert store.import_words(words(10), source="deck.apkg") == 10


def test_an_interrupt_mid_import_leaves_the_store_as_it_was(store: KnownWords) -> None:
    store.add(["银行"])

    def interrupted() -> Iterator[str]:
        yield from words(1500)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.import_words(interrupted(), source="list.txt")
    assert store.words() == ["银行"]


def test_remove_is_all_or_nothing_too(store: KnownWords) -> None:
    store.add(words(30))

    def failing() -> Iterator[str]:
        yield from words(20)
        raise ValueError("stop")

    with pytest.raises(ValueError):
        store.remove(failing())
    assert store.count() == 30


def test_a_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("银行\n" * 500, encoding="utf-8")
    with pytest.raises(FlashcardsError, match="not a usable known-word store"):
        KnownWords.open(path=text)
    assert text.read_text(encoding="utf-8") == "银行\n" * 500

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE cards (id INTEGER)")
    connection.close()
    with pytest.raises(FlashcardsError, match="not a known-word store"):
        KnownWords.open(path=other)
    with sqlite3.connect(other) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    connection.close()
    assert tables == ["cards"]


# --- several processes ----------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from flashcards.known import KnownWords
    path, start, count, chars, go = sys.argv[1:]
    start, count, n = int(start), int(count), len(chars)
    print("ready", flush=True)  # imported: only the store's own work is left
    while not os.path.exists(go):  # both start together
        time.sleep(0.001)
    print(time.time(), flush=True)
    with KnownWords.open(path=path) as store:
        for i in range(start, start + count):  # one transaction per word: many lock hand-overs
            store.add([chars[i // n % n] + chars[i % n]], source=f"process {start}")
    print(time.time(), flush=True)
    """
)


def _python(code: str, *args: str, **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,  # type: ignore[arg-type]
    )


def test_two_processes_writing_at_once_both_land(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"  # created by the two writers racing each other
    go = tmp_path / "go"
    writers = [
        _python(_WRITER, str(path), str(start), "300", _CHARS, str(go)) for start in (0, 300)
    ]
    for writer in writers:  # both past their imports, so "go" starts both at once
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    go.touch()
    spans = []
    for writer in writers:
        output, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        spans.append([float(line) for line in output.split()])
    # The two really wrote at the same time: each started before the other finished.
    assert max(start for start, _ in spans) < min(end for _, end in spans)
    with KnownWords.open(path=path) as store:
        assert store.words() == sorted(words(600))
        sources = {entry.source for entry in store.entries()}
    assert sources == {"process 0", "process 300"}


_KILLED_MID_TRANSACTION = textwrap.dedent(
    """
    import sys, time
    from flashcards.known import KnownWords
    chars = sys.argv[2]
    n = len(chars)
    def endless():
        i = 0
        while True:
            yield chars[i // n % n] + chars[i % n] + chars[(i // (n * n)) % n]
            i += 1
            if i == 5000:  # several batches are in the database, not yet committed
                print("writing", flush=True)
                time.sleep(60)
    with KnownWords.open(path=sys.argv[1]) as store:
        store.import_words(endless(), source="killed")
    """
)

_KILLED_BETWEEN_COMMITS = textwrap.dedent(
    """
    import sys
    from flashcards.known import KnownWords
    chars = sys.argv[2]
    n = len(chars)
    with KnownWords.open(path=sys.argv[1]) as store:
        for batch in range(10**6):
            store.import_words(
                [chars[batch // n % n] + chars[batch % n] + chars[i] for i in range(50)],
                source=f"batch {batch}",
            )
            if batch == 20:
                print("committing", flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_import_leaves_the_store_consistent(tmp_path: Path) -> None:
    path = tmp_path / "known.sqlite3"
    with KnownWords.open(path=path) as store:
        store.add(["银行", "学生"])
    writer = _python(_KILLED_MID_TRANSACTION, str(path), _CHARS)
    assert writer.stdout is not None
    assert writer.stdout.readline() == "writing\n", writer.stderr.read() if writer.stderr else ""
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    with KnownWords.open(path=path) as store:
        assert store.words() == ["学生", "银行"]
        assert store.add(["电脑"]) == 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_while_committing_leaves_whole_imports_only(tmp_path: Path) -> None:
    path = tmp_path / "known.sqlite3"
    writer = _python(_KILLED_BETWEEN_COMMITS, str(path), _CHARS)
    assert writer.stdout is not None
    assert writer.stdout.readline() == "committing\n"
    os.kill(writer.pid, signal.SIGKILL)  # somewhere in a later import, maybe in its commit
    writer.wait(timeout=30)

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        per_source = connection.execute(
            "SELECT source, count(*) FROM known GROUP BY source"
        ).fetchall()
    connection.close()
    assert len(per_source) > 20
    assert {count for _, count in per_source} == {50}  # no import is there in part


# --- known_set, and words from real Anki exports ----------------------------------------------


def test_known_set_joins_the_store_and_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    assert known_set() == frozenset()
    assert not (tmp_path / "home").exists()  # asking does not create a store
    with KnownWords.open() as store:
        store.add(["銀行", "学生"])
    extra = tmp_path / "extra.txt"
    extra.write_text("電腦\n喜欢\n", encoding="utf-8")
    assert known_set() == {"银行", "学生"}
    assert known_set(extra_files=[extra]) == {"银行", "学生", "电脑", "喜欢"}
    assert known_set(None, [extra]) == {"电脑", "喜欢"}
    extra.write_text("银行\n", encoding="utf-8")
    assert len(known_set(extra_files=[extra])) == 2  # 銀行 and 银行 are one known word
    assert simplified_form(" 頭髮 ") == "头发"


@pytest.mark.parametrize("kind", ["apkg", "apkg-legacy", "colpkg", "colpkg-legacy"])
def test_studied_words_of_an_anki_export_become_known(
    anki_exports: ModuleType, anki_files: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    package = anki_files[kind]
    with KnownWords.open(path=tmp_path / "known.sqlite3") as store:
        added = store.import_words(read_words(package, studied_only=True), source=package.name)
        assert added == len(anki_exports.STUDIED_WORDS)
        assert store.words() == sorted(anki_exports.STUDIED_WORDS)
        # 電腦 was studied in traditional characters: simplified text's 电脑 is known too.
        assert "电脑" in store
        # 学生 and 飛機 (reviewed, then reset) have new cards only: not known.
        assert "学生" not in store and "飞机" not in store and "飛機" not in store
        # Importing the whole deck adds only the words not yet known.
        added = store.import_words(read_words(package), source=package.name)
        assert added == len(anki_exports.ALL_WORDS) - len(anki_exports.STUDIED_WORDS)
        assert "飞机" in store


def test_a_damaged_package_imports_nothing(anki_files: dict[str, Path], tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.apkg"
    data = anki_files["apkg"].read_bytes()
    damaged.write_bytes(data[: len(data) * 2 // 3])
    with KnownWords.open(path=tmp_path / "known.sqlite3") as store:
        store.add(["银行"])
        with pytest.raises(FlashcardsError):
            store.import_words(read_words(damaged), source=damaged.name)
        assert store.words() == ["银行"]


TEXT = "我的朋友在银行工作。他喜欢咖啡，也喜欢用电脑。学生们在图书馆学习。我们坐飞机去北京。"


@pytest.mark.parametrize("kind", ["apkg", "colpkg-legacy"])
def test_known_words_from_anki_are_left_out_of_a_build_and_counted_in_analyze(
    anki_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dictionary: object,  # the session's parsed CC-CEDICT (conftest)
    kind: str,
) -> None:
    from flashcards import api

    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    with KnownWords.open() as store:
        store.import_words(read_words(anki_files[kind], studied_only=True), source=kind)
    known = known_set()

    everything = api.make_deck([text], api.BuildOptions(), dictionary=dictionary)
    deck = api.make_deck([text], api.BuildOptions(known=known), dictionary=dictionary)
    all_words = [vocab.simplified for vocab in everything.vocab]
    # Studied in Anki, so known: 朋友, 银行, 喜欢, and 电脑 (studied as 電腦).
    studied_in_text = ["朋友", "银行", "喜欢", "电脑"]
    assert set(studied_in_text) <= set(all_words)
    assert [vocab.simplified for vocab in deck.vocab] == [
        word for word in all_words if word not in studied_in_text
    ]
    # 学生 never answered, 飞机 answered and reset: still to learn.
    assert {"学生", "飞机", "咖啡", "图书馆"} <= {vocab.simplified for vocab in deck.vocab}

    without = api.analyze([text], known=frozenset(), dictionary=dictionary)["known"]
    report = api.analyze([text], known=known, dictionary=dictionary)["known"]
    assert report["known_words"] == 5  # 银行 電腦 朋友 喜欢 再见
    assert without["token_coverage"] == 0
    assert report["token_coverage"] > 0
    assert report["unknown_distinct"] == without["unknown_distinct"] - len(studied_in_text)
    unknown = {row["word"] for row in report["unknown_top"]}
    assert not unknown & set(studied_in_text)
