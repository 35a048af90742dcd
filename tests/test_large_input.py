"""Big inputs: streamed in bounded memory, with progress shown, and a 10,000-note deck that
builds and imports.

Peak memory is measured per child process (``os.wait4``'s ``ru_maxrss``), so each figure is
the process's own. Speed is not asserted here (benchmarks/ measures it); memory bounds and
correctness are.

The full pipeline (segmenting and reading aloud every sentence) runs at about 10,000 Han
characters a second, so a 50 MB Chinese text takes half an hour: the 50 MB tests stream the
whole file through reading and sentence splitting, and run the real CLI on it long enough to
see progress and flat memory, then press Ctrl-C. The 5 MB single-line page and the
10,000-note deck go through the whole pipeline.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anki_check import import_into_fresh_collection, render_all_cards
from terminal import read_pty, spawn_on_pty

from flashcards import api
from flashcards.dictionary import load_dictionary
from flashcards.han import HAN_RUN, is_han
from flashcards.sentences import MAX_SENTENCE_CHARS

MB = 1 << 20
_SIZE_UNIT = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KB on Linux, bytes on macOS


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def _env(folder: Path) -> dict[str, str]:
    return dict(os.environ, FLASHCARDS_HOME=str(folder / "home"))


def run_measured(args: list[str], cwd: Path, timeout: float = 600) -> tuple[int, float, str]:
    """Run a child to completion: (exit status, its own peak RSS in MB, its stderr)."""
    err_path = cwd / f".stderr-{time.monotonic_ns()}"
    with open(err_path, "wb") as err, open(os.devnull, "wb") as out:
        process = subprocess.Popen(
            args, cwd=cwd, env=_env(cwd), stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise AssertionError(f"{args} took more than {timeout} s")
            time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    err_path.unlink()
    return process.returncode, usage.ru_maxrss * _SIZE_UNIT / MB, stderr


def _dictionary_words(seed: int, n: int | None = None, max_len: int = 4) -> list[str]:
    dictionary = load_dictionary()
    words = sorted(
        w
        for w in dictionary.words()
        if 2 <= len(w) <= max_len
        and is_han(w)
        and dictionary.common_readings(w)
        and not dictionary.is_proper_only(w)
    )
    return random.Random(seed).sample(words, n) if n else words


def chinese_block(seed: int, chars: int) -> str:
    """Chinese-looking text from real dictionary words: sentences with commas, 。！？."""
    rng = random.Random(seed)
    common = ("我们", "他们", "这个", "已经", "因为", "所以", "但是", "可以", "没有", "非常")
    words = _dictionary_words(seed)[:3000] + list(common) * 50
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = "，".join(
            "".join(rng.choices(words, k=rng.randint(2, 5))) for _ in range(rng.randint(1, 3))
        )
        out.append(sentence + rng.choice("。。。！？"))
        size += len(sentence) + 1
    return "".join(out)


def write_repeated(path: Path, block: str, size: int, line_break: bool) -> int:
    """Write ``block`` again and again (with a line break after each sentence, or none at
    all) up to ``size`` bytes, ending on a sentence; return the Han characters written."""
    text = re.sub("([。！？])", "\\1\n", block) if line_break else block
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        for _ in range(size // len(data)):
            f.write(data)
        rest = data[: size % len(data)]
        rest = rest[: rest.rfind("。".encode()) + 3] if "。".encode() in rest else b""
        f.write(rest)
    han_per_block = sum(len(run) for run in HAN_RUN.findall(text))
    return (size // len(data)) * han_per_block + sum(
        len(run) for run in HAN_RUN.findall(rest.decode("utf-8"))
    )


_STREAM = """
import sys
from flashcards.han import HAN_RUN
from flashcards.sentences import split_sentences
from flashcards.read.plain import iter_text

source, chunks = iter_text(sys.argv[1], chunk_chars=1 << 14)
sentences = longest = han = 0
for sentence in split_sentences(chunks, source.name):
    sentences += 1
    longest = max(longest, len(sentence.text))
    han += sum(len(run) for run in HAN_RUN.findall(sentence.text))
print(sentences, longest, han, file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "size, line_break", [(50 * MB, True), (5 * MB, False)], ids=["50MB-lines", "5MB-one-line"]
)
def test_big_file_streams_through_reading_and_splitting_in_bounded_memory(
    tmp_path, size, line_break
):
    """Every byte read, every Han character kept, no sentence longer than the cut-off, and
    the process never holds the text: its peak memory stays below the size of the file."""
    path = tmp_path / "big.txt"
    han = write_repeated(path, chinese_block(seed=1, chars=300_000), size, line_break)
    assert path.stat().st_size > 0.95 * size
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("我们学习中文。\n", encoding="utf-8")
    code, baseline_mb, err = run_measured([sys.executable, "-c", _STREAM, str(tiny)], tmp_path)
    assert code == 0, err
    code, peak_mb, err = run_measured([sys.executable, "-c", _STREAM, str(path)], tmp_path)
    assert code == 0, err
    sentences, longest, han_seen = map(int, err.split())
    assert han_seen == han  # nothing lost
    assert longest <= MAX_SENTENCE_CHARS + 64
    assert sentences > size / 600
    # Holding the text would take its bytes and again as much as a Python str: the stream
    # takes a few read blocks more than reading one line does.
    extra = peak_mb - baseline_mb
    assert extra < min(8, size / MB / 2), f"{extra:.1f} MB above {baseline_mb:.0f} MB"


def _percentages(shown: bytes) -> list[int]:
    return [int(p) for p in re.findall(rb"(\d+)%", shown)]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/<pid>/status")
def test_fifty_megabytes_through_the_cli_show_progress_in_flat_memory(tmp_path):
    """The real CLI on 50 MB: it starts at once (nothing read up front), the progress bar
    moves, memory stays where a small build's is; then Ctrl-C stops it cleanly."""
    small = tmp_path / "small.txt"
    small.write_text(chinese_block(seed=3, chars=3000), encoding="utf-8")
    code, small_peak, err = run_measured(
        [sys.executable, "-m", "flashcards", "build", str(small), "-o", "small.json"], tmp_path
    )
    assert code == 0, err

    path = tmp_path / "big.txt"
    write_repeated(path, chinese_block(seed=2, chars=300_000), 50 * MB, line_break=True)
    process, master = spawn_on_pty(
        [sys.executable, "-m", "flashcards", "build", str(path), "-o", "big.apkg"],
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    try:
        # Two progress steps past 0%: reading, segmenting and reading aloud are under way.
        shown = read_pty(master, lambda out: len([p for p in _percentages(out) if p > 0]) >= 1, 180)
        first = _rss_mb(process.pid)
        shown += read_pty(
            master, lambda out: len({p for p in _percentages(out) if p > 0}) >= 2, 180
        )
        second = _rss_mb(process.pid)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
        shown += read_pty(master, lambda out: False, 0.5)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert b"Building" in shown
    assert len({p for p in _percentages(shown) if p > 0}) >= 2, shown[-400:]
    assert code == 130
    assert not (tmp_path / "big.apkg").exists()
    # A build in progress on 50 MB holds what a 3,000-character build holds, give or take
    # its word counts: nowhere near the file's 50 MB (or 100 MB as text).
    assert second < small_peak + 40, (small_peak, first, second)
    assert second - first < 10, (first, second)


def _minified_page(seed: int, size: int) -> str:
    """A saved web page on one line: markup, scripts and a data: image, with Chinese
    paragraphs a tenth of its bytes (as on a news site's page)."""
    rng = random.Random(seed)
    chinese = chinese_block(seed, 40_000)
    paragraphs = [p + "。" for p in chinese.split("。") if p]
    blob = base64.b64encode(rng.randbytes(size // 5)).decode()
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻</title>']
    length = 0
    while length < size - len(blob):
        part = (
            f'<div class="p{rng.randint(1, 99)}"><p>{rng.choice(paragraphs)}</p>'
            f'<script>var d={{"id":{rng.randint(1, 10**6)},"k":"{"x" * rng.randint(400, 2000)}"}};'
            "</script></div>"
        )
        parts.append(part)
        length += len(part.encode("utf-8"))
    parts.append(f'<img src="data:image/png;base64,{blob}"></body></html>')
    return "".join(parts)


@pytest.mark.slow
def test_five_megabytes_without_a_line_break_through_the_whole_pipeline(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_minified_page(seed=5, size=5 * MB), encoding="utf-8")
    assert page.stat().st_size > 4.9 * MB
    assert b"\n" not in page.read_bytes()
    code, peak_mb, err = run_measured(
        [sys.executable, "-m", "flashcards", "build", str(page), "-o", "page.json"], tmp_path
    )
    assert code == 0, err
    notes = json.loads((tmp_path / "page.json").read_text(encoding="utf-8"))
    assert len(notes) > 500
    for note in notes:
        sentence = note.get("sentence") or ""
        assert len(sentence) <= MAX_SENTENCE_CHARS
    words = {n["simplified"] for n in notes if n["kind"] == "vocab"}
    assert {"我们", "因为", "所以", "已经"} <= words
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"


@pytest.mark.slow
def test_ten_thousand_notes_build_and_import(tmp_path):
    words = _dictionary_words(seed=10, n=11_000, max_len=3)
    text = "".join("，".join(words[i : i + 8]) + "。\n" for i in range(0, len(words), 8))
    source = tmp_path / "words.txt"
    source.write_text(text, encoding="utf-8")
    code, peak_mb, err = run_measured(
        [sys.executable, "-m", "flashcards", "build", str(source), "-o", "deck.apkg"], tmp_path
    )
    assert code == 0, err
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    col = import_into_fresh_collection(tmp_path / "deck.apkg", tmp_path)
    try:
        assert col.note_count() >= 10_000
        assert col.card_count() >= 3 * 10_000
        # Mostly the words of the text (jieba cuts up some CC-CEDICT words it does not know).
        learned = set(col.db.list("select sfld from notes"))
        assert len(learned & set(words)) > len(words) // 2
        rendered = render_all_cards(col)
        assert len(rendered) == col.card_count()
    finally:
        col.close()


# --- progress ---------------------------------------------------------------------------


def _cheap_text(lines: int) -> str:
    """Mostly Latin, a little Chinese: big in bytes, quick to segment."""
    return "".join(
        f"Line {i}: the quick brown fox jumps over the lazy dog, 第{i}行我们学习中文。\n"
        for i in range(lines)
    )


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_progress_calls_add_up_to_the_file_size(tmp_path, encoding):
    path = tmp_path / "text.txt"
    path.write_bytes(_cheap_text(5000).encode(encoding))
    calls: list[int] = []
    api.analyze([path], progress=calls.append)
    assert len(calls) >= 3
    assert all(n > 0 for n in calls)
    assert sum(calls) == path.stat().st_size


def test_progress_over_several_inputs(tmp_path):
    paths = []
    for n in range(3):
        path = tmp_path / f"part{n}.txt"
        path.write_text(_cheap_text(800 * (n + 1)), encoding="utf-8")
        paths.append(path)
    calls: list[int] = []
    api.make_deck(paths, progress=calls.append)
    assert sum(calls) == sum(p.stat().st_size for p in paths)


def _run_on_pty(args: list[str], cwd: Path) -> tuple[int, bytes]:
    process, master = spawn_on_pty(args, cwd=cwd, env=_env(cwd))
    try:
        shown = read_pty(master, lambda out: False, timeout=0.1)
        while process.poll() is None:
            shown += read_pty(master, lambda out: False, timeout=0.5)
        shown += read_pty(master, lambda out: False, timeout=0.5)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return process.wait(), shown


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_reaches_100_percent(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(_cheap_text(4000), encoding="utf-8")
    assert path.stat().st_size > 200_000
    code, shown = _run_on_pty(
        [sys.executable, "-m", "flashcards", "build", str(path), "-o", "deck.json"], tmp_path
    )
    assert code == 0, shown
    assert b"Building" in shown
    percentages = _percentages(shown)
    assert percentages == sorted(percentages) and percentages[-1] == 100, shown[-300:]
    assert len(set(percentages)) >= 3


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_progress_bar_for_small_input_or_a_pipe(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text(_cheap_text(20), encoding="utf-8")
    code, shown = _run_on_pty(
        [sys.executable, "-m", "flashcards", "build", str(small), "-o", "a.json"], tmp_path
    )
    assert code == 0 and b"%" not in shown and b"Building" not in shown
    big = tmp_path / "big.txt"
    big.write_text(_cheap_text(4000), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "build", str(big), "-o", "b.json"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0
    assert b"%" not in done.stderr and b"Building" not in done.stderr
    assert done.stderr.decode().count("\n") == 1  # just the summary line
