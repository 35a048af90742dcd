"""The first command after an install (an empty cache folder) builds the cached tables:
it says so on a terminal, once, and never elsewhere; and what it prints is what every
later command, reading those tables from the cache, prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from terminal import read_pty, spawn_on_pty

NOTICE = b"building the dictionary cache (once)"
# Polyphones a rule, the dictionary or the model decides (还, 长, 行, 说), traditional
# characters, a name jieba's HMM cuts, and a lone character read by its usual reading.
TEXT = "我还没看完这本书，请把它还给银行的欧阳震华。長城很长，他说：“行不行？”嗯，勒。"


def _env(cache: Path, home: Path) -> dict[str, str]:
    return {**os.environ, "FLASHCARDS_CACHE": str(cache), "FLASHCARDS_HOME": str(home)}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flashcards", *args],
        env=env, capture_output=True, check=True, timeout=180,
    )


def _on_terminal(args: list[str], env: dict[str, str], cwd: Path) -> tuple[bytes, bytes]:
    """What the command shows on its terminal (stderr) and prints to its pipe (stdout)."""
    process, master = spawn_on_pty(
        [sys.executable, "-m", "flashcards", *args], cwd=cwd, env=env, stdout=subprocess.PIPE
    )
    try:
        shown = read_pty(master, lambda out: False, timeout=1)
        out, _ = process.communicate(timeout=180)
        shown += read_pty(master, lambda out: False, timeout=0.2)
    finally:
        os.close(master)
    assert process.returncode == 0, shown
    return shown, out


def test_the_first_pinyin_says_once_on_a_terminal_that_it_builds_the_cache(tmp_path):
    env = _env(tmp_path / "cache", tmp_path / "home")
    # pinyin builds several tables (CC-CEDICT, wordfreq, jieba's words and tags): one line.
    shown, out = _on_terminal(["pinyin", "你好"], env, tmp_path)
    assert shown.count(NOTICE) == 1, shown
    assert out.decode("utf-8").strip() == "nǐhǎo"
    shown, out = _on_terminal(["pinyin", "你好"], env, tmp_path)
    assert NOTICE not in shown  # built: nothing to say
    assert out.decode("utf-8").strip() == "nǐhǎo"
    # Making jieba's shards of other characters from the cached raw ones is quick: quiet.
    shown, out = _on_terminal(["pinyin", "我们"], env, tmp_path)
    assert NOTICE not in shown
    assert out.decode("utf-8").strip() == "wǒmen"


def test_a_cold_command_not_on_a_terminal_says_nothing(tmp_path):
    piped = _run(["pinyin", "你好"], _env(tmp_path / "cache", tmp_path / "home"))
    assert piped.stderr == b""
    assert piped.stdout.decode("utf-8").strip() == "nǐhǎo"


def _outputs(env: dict[str, str]) -> list[bytes]:
    return [
        _run(["pinyin", TEXT], env).stdout,
        _run(["segment", "--json", TEXT], env).stdout,
        _run(["lookup", "--json", "長"], env).stdout,
    ]


def _files(cache: Path) -> dict[str, int]:
    return {str(p.relative_to(cache)): p.stat().st_mtime_ns for p in cache.rglob("*")}


def test_a_cold_cache_and_a_warm_cache_give_the_same_output(tmp_path):
    home = tmp_path / "home"
    cold = _env(tmp_path / "cold", home)
    first = _outputs(cold)  # each table built by the command that first needs it
    built = _files(tmp_path / "cold")
    warm = _outputs(cold)
    assert warm == first
    assert _files(tmp_path / "cold") == built  # read from the cache, nothing built again
    # A cache that a smaller command began (some of jieba's shards made, others not).
    partial = _env(tmp_path / "partial", home)
    assert _run(["pinyin", "你好"], partial).stdout.decode("utf-8").strip() == "nǐhǎo"
    assert _outputs(partial) == first
    assert first[0].strip() and first[1].startswith(b"[")


def test_processes_building_the_cache_at_once_all_succeed_alike(tmp_path):
    """Several first commands at once on one empty cache folder (a shell loop, parallel
    builds): each builds, renames its files into place, and reads them or the others'."""
    env = _env(tmp_path / "cache", tmp_path / "home")
    args = [sys.executable, "-m", "flashcards", "pinyin", TEXT]
    running = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    results = [(p.communicate(timeout=180), p.returncode) for p in running]
    for (_out, err), code in results:
        assert code == 0 and err == b"", err.decode("utf-8", "replace")[-2000:]
    alone = _run(["pinyin", TEXT], _env(tmp_path / "alone", tmp_path / "home")).stdout
    assert {out for (out, _), _ in results} == {alone}
