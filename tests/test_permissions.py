"""Files a user may not read and folders a user may not write, with permissions enforced.

Root reads and writes whatever the permissions say, and CI runs as root; there the CLI runs
under setpriv with the capabilities that override file permissions dropped, so the
permission bits hold for it as for any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")

TEXT = "我们在银行门口见面。\n"
# Without these, root obeys permission bits like anyone else.
_DROP = "-dac_override,-dac_read_search,-fowner"


def run_cli(args: list[str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flashcards", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop privileges")
        command = [setpriv, "--bounding-set", _DROP, *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def assert_one_line_error(result, *needles):
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_unreadable_input_file(tmp_path):
    text = tmp_path / "secret.txt"
    text.write_text(TEXT, encoding="utf-8")
    text.chmod(0)
    out = tmp_path / "deck.apkg"
    try:
        result = run_cli(["build", str(text), "-o", str(out)])
    finally:
        text.chmod(0o600)
    assert_one_line_error(result, "secret.txt", "permission denied")
    assert not out.exists()


def test_output_folder_not_writable(tmp_path):
    text = tmp_path / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run_cli(["build", str(text), "-o", str(locked / "deck.apkg")])
        assert_one_line_error(result, "locked")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_previous_deck_that_cannot_be_replaced_is_left_as_it_was(tmp_path):
    text = tmp_path / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "deck.apkg"
    deck.write_bytes(b"the previous deck")
    folder.chmod(0o555)
    try:
        result = run_cli(["build", str(text), "-o", str(deck)])
        assert_one_line_error(result, "decks")
        assert deck.read_bytes() == b"the previous deck"
        assert sorted(p.name for p in folder.iterdir()) == ["deck.apkg"]
    finally:
        folder.chmod(0o755)
