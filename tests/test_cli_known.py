"""`flashcards known …` and how build and analyze use the store, through the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from flashcards.cli import cli

TEXT = "我的朋友在银行工作。他喜欢咖啡，也喜欢用电脑。学生们在图书馆学习。"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def deck_words(path):
    return [n["simplified"] for n in json.loads(path.read_text("utf-8")) if n["kind"] == "vocab"]


def test_add_list_count_remove_export(home, tmp_path):
    run("known", "add", "银行", "電腦", "朋友")
    assert run("known", "count").output.strip() == "3"
    assert set(run("known", "list").output.split()) == {"银行", "電腦", "朋友"}
    run("known", "remove", "朋友")
    out = tmp_path / "known.txt"
    run("known", "export", "-o", out)
    assert set(out.read_text("utf-8").split()) == {"银行", "電腦"}
    # Profiles are separate learners.
    assert run("known", "count", "--profile", "teacher").output.strip() == "0"


def test_build_leaves_out_known_words_unless_asked(home, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(TEXT, encoding="utf-8")
    full, without = tmp_path / "full.json", tmp_path / "without.json"
    run("build", text, "-o", full)
    run("known", "add", "银行", "電腦")  # a traditional form makes 电脑 known too
    run("build", text, "-o", without)
    kept = tmp_path / "kept.json"
    run("build", text, "-o", kept, "--include-known")
    assert {"银行", "电脑"} <= set(deck_words(full))
    assert deck_words(without) == [w for w in deck_words(full) if w not in {"银行", "电脑"}]
    assert deck_words(kept) == deck_words(full)


def test_known_file_for_one_run_and_hsk_max(home, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(TEXT, encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("咖啡\t kāfēi coffee\n图书馆\n", encoding="utf-8")
    out = tmp_path / "o.json"
    run("build", text, "-o", out, "--known", words)
    assert not {"咖啡", "图书馆"} & set(deck_words(out))
    from flashcards.levels import hsk3_level

    run("build", text, "-o", out, "--hsk-min", "2", "--hsk-max", "3")
    assert all(2 <= (hsk3_level(w) or 10) <= 3 for w in deck_words(out))


def test_import_anki_export_studied_only_then_analyze(home, tmp_path, anki_exports, anki_files):
    run("known", "import", anki_files["apkg"], "--studied-only")
    # Each studied card was answered once: reviewed, its interval far under 21 days.
    assert run("known", "list").output.split() == []
    learning = set(run("known", "list", "--status", "learning").output.split())
    assert learning == set(anki_exports.STUDIED_WORDS)
    run("known", "add", "咖啡")
    text = tmp_path / "t.txt"
    text.write_text(TEXT, encoding="utf-8")
    report = json.loads(run("analyze", "--json", text).output)["known"]
    assert report["token_coverage"] > 0
    unknown = {w["word"] for w in report["unknown_top"]}
    assert not unknown & {"银行", "朋友", "喜欢", "电脑", "咖啡"}
    assert {"银行", "朋友", "喜欢", "电脑"} <= {w["word"] for w in report["learning_top"]}


def test_from_deck_marks_a_finished_decks_words_known(home, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(TEXT, encoding="utf-8")
    deck = tmp_path / "d.apkg"
    run("build", text, "-o", deck)
    run("known", "add", "--from-deck", deck)
    out = tmp_path / "again.json"
    result = run("build", text, "-o", out, ok=False)
    # Every word of the text is now known: nothing to learn, a clear error, no file.
    assert result.exit_code == 1
    assert "no words left" in str(result.exception)
    assert not out.exists()


def test_unreadable_source_imports_nothing(home, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("银行\n", encoding="utf-8")
    bad = tmp_path / "bad.apkg"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("known", "import", good, bad, ok=False)
    assert result.exit_code != 0
    assert run("known", "count").output.strip() == "0"
