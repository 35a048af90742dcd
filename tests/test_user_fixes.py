"""A learner's own fixes: a word list for the segmenter, and readings that always win."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from flashcards import api
from flashcards.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_user_dict_keeps_a_word_whole_and_marks_a_name(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("碳达峰 5\n李华 nr\n", "utf-8")
    text = "李华说碳达峰是大事。"
    before = {t.text for t in api.segment(text)}
    assert "碳达峰" not in before
    result = invoke("--user-dict", words, "segment", "--json", text)
    assert result.exit_code == 0, result.output
    by_text = {t["text"]: t for t in json.loads(result.output)}
    assert "碳达峰" in by_text and not by_text["碳达峰"]["proper"]
    assert by_text["李华"]["proper"]
    # The word list of one call leaks into no other.
    assert "碳达峰" not in {t.text for t in api.segment(text)}


def test_reading_overrides_win_in_every_command(tmp_path):
    fixes = tmp_path / "readings.txt"
    fixes.write_text("# my readings\n地方 di4 fang1\n行 háng\n", "utf-8")
    assert [r.numbered for r in api.pinyin("这个地方很好") if r.token.text == "地方"] == [
        "di4 fang5"
    ]
    result = invoke("--readings", fixes, "pinyin", "--numbers", "这个地方很好。他走在行里。")
    assert result.exit_code == 0, result.output
    assert "di4 fang1" in result.output and "hang2" in result.output
    out = tmp_path / "deck.json"
    deck = tmp_path / "t.txt"
    deck.write_text("这个地方很好，我很喜欢这个地方。", "utf-8")
    assert invoke("--readings", fixes, "build", deck, "-o", out).exit_code == 0
    notes = [n for n in json.loads(out.read_text("utf-8")) if n.get("simplified") == "地方"]
    assert notes and all(n["numbered"] == "di4 fang1" for n in notes)


def test_bad_fix_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("地方 di4\n", "utf-8")
    for args in (
        ["--readings", bad, "pinyin", "地方"],
        ["--readings", tmp_path / "missing.txt", "pinyin", "地方"],
        ["--user-dict", tmp_path / "missing.txt", "segment", "地方"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "flashcards", *map(str, args)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_traditional_override_leaves_the_simplified_spelling_alone(tmp_path):
    fixes = tmp_path / "readings.txt"
    fixes.write_text("乾 gan1\n", "utf-8")
    readings = api.load_reading_overrides(fixes)
    got = {r.token.text: r.numbered for r in api.pinyin("他干了一天。", readings=readings)}
    assert got["干"] == "gan4"
