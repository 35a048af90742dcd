"""A build that fails or is interrupted leaves the previous deck as it was and nothing
half-written beside it: Ctrl-C while reading or while writing, a full disk, an exception
from a progress callback.

The write path itself is tested with fault injection in test_package.py; here the failures
are real: a KeyboardInterrupt from the caller's own callback, SIGINT sent to a real
``python -m flashcards build``, and a file-size limit that makes the kernel refuse writes.
"""

from __future__ import annotations

import os
import pty
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from terminal import read_pty, spawn_on_pty

from flashcards import api
from flashcards.dictionary import load_dictionary
from flashcards.errors import FlashcardsError
from flashcards.han import is_han

ARTICLE = (
    "星期六早上，我醒得很早。窗外下着小雨，空气很新鲜。\n"
    "我先去银行取钱，银行门口排着长长的队，我等了二十分钟。\n"
    "下午我在图书馆看了一本关于长城的书，还有很多照片。\n"
)
OTHER_ARTICLE = "晚上我和朋友一起吃了北京烤鸭，觉得非常好吃！我们聊到很晚才回家。\n"
FORMATS = ("apkg", "json", "csv", "tsv", "md")


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def leftovers(folder: Path) -> list[str]:
    """Temporary files of a write: ``.deck.apkg.*.part``, its ``.anki2`` and journal."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(".") or p.suffix in (".part", ".anki2") or "journal" in p.name
    )


def previous_deck(folder: Path, fmt: str) -> tuple[Path, bytes]:
    """A deck from an earlier build, as the learner has it before the failing rebuild."""
    source = folder / "earlier.txt"
    source.write_text(OTHER_ARTICLE, encoding="utf-8")
    output = folder / f"deck.{fmt}"
    api.build([source], output)
    source.unlink()
    return output, output.read_bytes()


def _process_env(folder: Path) -> dict[str, str]:
    return dict(os.environ, FLASHCARDS_HOME=str(folder / "home"))


# --- in-process ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_keyboard_interrupt_from_the_progress_callback(tmp_path, fmt):
    output, before = previous_deck(tmp_path, fmt)
    first = tmp_path / "one.txt"
    second = tmp_path / "two.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(OTHER_ARTICLE, encoding="utf-8")
    calls = []

    def progress(n: int) -> None:
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.build([first, second], output, progress=progress)
    assert calls  # the interrupt came from inside the build
    assert output.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_failing_build_keeps_the_previous_deck(tmp_path):
    """An error found late (bytes that do not decode, far into the second input) fails the
    whole build: the previous deck stays, no deck of the first input alone appears."""
    output, before = previous_deck(tmp_path, "apkg")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    filler = "".join(f"Line {n} of an English preface.\n" for n in range(4000))  # > 64 KB
    bad.write_bytes((ARTICLE + filler).encode("utf-8") + b"\xff\xfe" + ARTICLE.encode("utf-8"))
    with pytest.raises(FlashcardsError, match="cannot decode"):
        api.build([good, bad], output)
    assert output.read_bytes() == before
    assert leftovers(tmp_path) == []


# --- a real process -----------------------------------------------------------------------


def _limit_file_size() -> None:
    # Python ignores SIGXFSZ, so an over-limit write fails with EFBIG like a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


# One process tries every format (start-up is most of a small build's time).
_BUILD_EACH = (
    "import sys; from flashcards.cli import main\n"
    "for output in sys.argv[2:]:\n"
    "    try:\n"
    "        main(['build', sys.argv[1], '-o', output])\n"
    "    except SystemExit as exit_:\n"
    "        print(f'{output} {exit_.code}', file=sys.stderr)\n"
)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE behaviour is Linux's")
def test_a_full_disk_mid_write_is_one_line_and_keeps_the_previous_deck(tmp_path):
    previous = {fmt: previous_deck(tmp_path, fmt) for fmt in FORMATS}
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE * 40 + OTHER_ARTICLE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_EACH, source.name, *(p.name for p, _ in previous.values())],
        cwd=tmp_path,
        env=_process_env(tmp_path),
        capture_output=True,
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in err
    lines = err.splitlines()
    for (output, before), error, status in zip(
        previous.values(), lines[0::2], lines[1::2], strict=True
    ):
        assert error.startswith(f"error: cannot write {output.name}: "), err
        assert status == f"{output.name} 1", err
        assert output.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_ctrl_c_while_reading(tmp_path):
    """SIGINT once the progress bar shows the build under way: exit 130, a short message,
    the previous deck untouched, no partial file."""
    output, before = previous_deck(tmp_path, "apkg")
    source = tmp_path / "big.txt"
    # 450 KB: a progress bar. Each copy is numbered: repeated sentences come from a cache,
    # and the build could end before the signal arrives.
    copies = (ARTICLE.replace("，", f"{n}，") for n in range(3000))
    source.write_text("".join(copies), encoding="utf-8")
    process, master = spawn_on_pty(
        [sys.executable, "-m", "flashcards", "build", source.name, "-o", output.name],
        cwd=tmp_path,
        env=_process_env(tmp_path),
        stdout=subprocess.PIPE,
    )
    try:
        # Wait for the bar to move past 0%: the text is being read and segmented.
        shown = read_pty(master, lambda out: b"%" in out.replace(b" 0%", b""), timeout=120)
        assert b"Building" in shown, shown
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
        shown += read_pty(master, lambda out: False, timeout=0.5)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert code == 130, shown
    assert b"Traceback" not in shown
    assert b"Interrupted; no file was changed." in shown
    assert process.stdout.read() == b""
    assert output.read_bytes() == before
    assert leftovers(tmp_path) == []


def _many_words_text(n: int, seed: int) -> str:
    dictionary = load_dictionary()
    words = sorted(
        w
        for w in dictionary.words()
        if 2 <= len(w) <= 3 and is_han(w) and dictionary.common_readings(w)
    )
    chosen = random.Random(seed).sample(words, n)
    return "".join("，".join(chosen[i : i + 8]) + "。\n" for i in range(0, n, 8))


@pytest.mark.slow
def test_ctrl_c_while_writing(tmp_path):
    """SIGINT the moment the temporary file appears, while thousands of notes are written."""
    output, before = previous_deck(tmp_path, "apkg")
    source = tmp_path / "words.txt"
    source.write_text(_many_words_text(8000, seed=11), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "flashcards", "build", source.name, "-o", output.name],
        cwd=tmp_path,
        env=_process_env(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    caught = False
    try:
        deadline = time.monotonic() + 180
        while process.poll() is None and time.monotonic() < deadline:
            if any(name.endswith(".part") for name in os.listdir(tmp_path)):
                process.send_signal(signal.SIGINT)
                caught = True
                break
            time.sleep(0.002)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    err = process.stderr.read().decode()
    assert caught, f"the build finished before its temporary file was seen: {err}"
    assert code == 130, err
    assert "Traceback" not in err
    assert output.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_an_interrupted_build_can_be_run_again(tmp_path):
    """After an interrupt the next build writes the deck: no stale lock or temporary file
    stands in its way."""
    output, before = previous_deck(tmp_path, "json")
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")

    def stop(n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.build([source], output, progress=stop)
    result = api.build([source], output)
    assert output.read_bytes() != before
    assert result.words > 10
    assert leftovers(tmp_path) == []


def test_pty_helper_sees_a_real_terminal(tmp_path):
    """The Ctrl-C test relies on the CLI drawing its bar on a terminal: check that premise."""
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "import sys; print(sys.stderr.isatty(), file=sys.stderr)"],
            stderr=slave,
            timeout=30,
        )
        assert done.returncode == 0
        assert b"True" in read_pty(master, lambda out: b"\n" in out, timeout=5)
    finally:
        os.close(slave)
        os.close(master)
