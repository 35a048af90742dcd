"""`flashcards lookup`: entries in JSON, found by either script, and no jieba loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from flashcards.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_lookup_json_has_every_reading_with_levels():
    result = run("lookup", "长", "--json")
    assert result.exit_code == 0
    entries = json.loads(result.output)
    readings = {e["numbered"]: e for e in entries}
    assert readings["chang2"]["pinyin"] == "cháng"
    assert "long" in readings["chang2"]["senses"]
    assert "to grow" in readings["zhang3"]["senses"]
    for e in entries:
        assert set(e) >= {
            "simplified",
            "traditional",
            "pinyin",
            "numbered",
            "senses",
            "classifiers",
            "hsk2",
            "hsk3",
            "zipf",
        }
        assert e["hsk2"] == 2 and e["hsk3"] == 2


def test_lookup_by_traditional_form_gives_measure_words():
    (bank,) = json.loads(run("lookup", "銀行", "--json").output)
    assert bank["simplified"] == "银行" and bank["traditional"] == "銀行"
    assert bank["pinyin"] == "yín háng" and bank["numbered"] == "yin2 hang2"
    assert bank["classifiers"] == ["家[jia1]", "个|個[ge4]"]
    assert bank["hsk2"] == 3 and bank["hsk3"] == 2


def test_unknown_word_is_a_one_line_error():
    result = CliRunner().invoke(cli, ["lookup", "xyzzy"])
    assert result.exit_code == 1
    assert "not in CC-CEDICT" in str(result.exception)


def test_lookup_does_not_load_jieba():
    code = (
        "import sys; from flashcards.cli import main\n"
        "try:\n    main(['lookup', '银行'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('jieba', 'pypinyin') if m in sys.modules) or 'NO-JIEBA')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "bank" in out.stdout
    assert out.stdout.strip().endswith("NO-JIEBA")


def test_the_first_command_says_on_a_terminal_that_it_builds_the_cache(tmp_path):
    import os
    import subprocess
    import sys

    from terminal import read_pty, spawn_on_pty

    env = {**os.environ, "FLASHCARDS_CACHE": str(tmp_path / "cache")}
    notice = b"building the dictionary cache (once)"

    def on_terminal() -> bytes:
        process, master = spawn_on_pty(
            [sys.executable, "-m", "flashcards", "lookup", "银行"], cwd=tmp_path, env=env
        )
        try:
            shown = read_pty(master, lambda out: False, timeout=1)
            process.wait(timeout=60)
            shown += read_pty(master, lambda out: False, timeout=0.2)
        finally:
            os.close(master)
        assert process.returncode == 0
        return shown

    first = on_terminal()
    assert first.count(notice) == 1, first
    assert notice not in on_terminal()  # the cache is built: nothing to say
    # Not on a terminal (a pipe, a log): nothing either, even on a cold cache.
    cold = {**env, "FLASHCARDS_CACHE": str(tmp_path / "other")}
    piped = subprocess.run(
        [sys.executable, "-m", "flashcards", "lookup", "银行"],
        env=cold, capture_output=True, check=True,
    )
    assert notice not in piped.stderr and b"bank" in piped.stdout
