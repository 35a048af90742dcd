"""Bad paths, folders, permissions, usage errors and input with no Chinese in it.

Every user error is one line on stderr naming the problem, exit status 1 (2 for usage
errors, as click gives them), no traceback, and nothing written. A few cases run the real
``python -m flashcards`` in a subprocess; the rest call ``flashcards.cli.main`` in-process
under click's test isolation, which is what the console script runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashcards.cli import main

SENTENCE = "我在北京学习中文，周末常常去图书馆看书。\n"


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    """Every run reads and writes a known-word store of its own, never the user's."""
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


def run_main(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the CLI's entry point as the console script does: (exit status, stdout, stderr)."""
    runner = CliRunner()
    with runner.isolation(input=stdin) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        out = streams[0].getvalue().decode("utf-8", "replace")
        err_stream = streams[1] if len(streams) > 1 else None
        err = err_stream.getvalue().decode("utf-8", "replace") if err_stream is not None else out
    return code, out, err


def run_process(args: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = dict(os.environ, FLASHCARDS_HOME=str(cwd / "home"))
    return subprocess.run(
        [sys.executable, "-m", "flashcards", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def assert_one_line_error(code: int, err: str, *needles: str, status: int = 1) -> None:
    assert code == status, err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {err!r}"
    assert lines[0].startswith("error: "), lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def assert_usage_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err, err
    assert "Error:" in err
    for needle in needles:
        assert needle in err, (needle, err)


@pytest.fixture
def text_file(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    return path


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != "home"}


# --- the real process: exit status and no traceback --------------------------------------


def test_missing_input_in_a_real_process(tmp_path):
    done = run_process(["build", "nowhere.txt", "-o", "deck.apkg"], tmp_path)
    err = done.stderr.decode()
    assert_one_line_error(done.returncode, err, "no such file", "nowhere.txt")
    assert done.stdout == b""
    assert not (tmp_path / "deck.apkg").exists()


def test_directory_that_is_no_recipe_in_a_real_process(tmp_path):
    """A folder without deck.toml is a folder of texts (issue 13); with nothing readable
    in it, a one-line error."""
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    done = run_process(["build", "texts", "-o", "deck.apkg"], tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("skipped ") and "a.png" in lines[0] and "PNG" in lines[0]
    assert lines[1:] == ["error: texts: no readable file in this folder"]
    assert not (tmp_path / "deck.apkg").exists()
    (tmp_path / "texts" / "a.txt").write_text(SENTENCE, encoding="utf-8")
    done = run_process(["build", "texts", "-o", "deck.apkg"], tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "deck.apkg").exists()


def test_output_folder_missing_in_a_real_process(tmp_path, text_file):
    done = run_process(["build", text_file.name, "-o", "decks/new/deck.apkg"], tmp_path)
    assert_one_line_error(
        done.returncode, done.stderr.decode(), "output folder does not exist", "decks/new"
    )
    assert not (tmp_path / "decks").exists()


def test_usage_errors_in_a_real_process(tmp_path, text_file):
    for args, needle in [
        (["build"], "Missing argument"),
        (["build", text_file.name, "--no-such-option"], "No such option"),
        (["build", text_file.name, "--max-words", "0"], "--max-words"),
        (["frobnicate"], "No such command"),
    ]:
        done = run_process(args, tmp_path)
        assert_usage_error(done.returncode, done.stderr.decode(), needle)
    assert files_in(tmp_path) == {"article.txt"}


def test_han_free_stdin_in_a_real_process(tmp_path):
    done = run_process(["build", "-", "-o", "deck.apkg"], tmp_path, stdin=b"Hello, world. 42\n")
    assert_one_line_error(
        done.returncode, done.stderr.decode(), "no Chinese text found in stdin", "no deck written"
    )
    assert not (tmp_path / "deck.apkg").exists()


# --- inputs ------------------------------------------------------------------------------


def test_missing_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(["build", "missing.txt", "-o", "deck.apkg"])
    assert_one_line_error(code, err, "no such file: missing.txt")
    code, out, err = run_main(["analyze", "missing.txt"])
    assert_one_line_error(code, err, "no such file: missing.txt")
    assert out == ""


def test_one_missing_input_among_good_ones_writes_nothing(tmp_path, text_file):
    output = tmp_path / "deck.apkg"
    code, _, err = run_main(
        ["build", str(text_file), str(tmp_path / "gone.txt"), "-o", str(output)]
    )
    assert_one_line_error(code, err, "gone.txt")
    assert not output.exists()


@pytest.mark.parametrize(
    "toml, says",
    [
        ("texts = [\n", "deck.toml"),
        ('deck_name = "x"\n', "'texts' must list"),
        ('texts = ["missing.txt"]\n', "no such file"),
        ('texts = ["a.txt"]\ncolour = "red"\n', "unknown option(s): colour"),
    ],
)
def test_broken_recipes(tmp_path, toml, says):
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (recipe / "deck.toml").write_text(toml, encoding="utf-8")
    code, _, err = run_main(["build", str(recipe), "-o", str(tmp_path / "deck.apkg")])
    assert_one_line_error(code, err, says)
    assert not (tmp_path / "deck.apkg").exists()


def test_recipe_file_in_a_wrong_encoding(tmp_path):
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "deck.toml").write_bytes('texts = ["课文.txt"]\n'.encode("gbk"))
    code, _, err = run_main(["build", str(recipe), "-o", str(tmp_path / "deck.apkg")])
    assert_one_line_error(code, err, "deck.toml", "decode")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_input(tmp_path, text_file):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions (see the /proc/self/mem case)")
    text_file.chmod(0)
    try:
        code, _, err = run_main(["build", str(text_file), "-o", str(tmp_path / "d.apkg")])
    finally:
        text_file.chmod(0o644)
    assert_one_line_error(code, err, "cannot read", "article.txt", "permission denied")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_input_that_fails_while_being_read(tmp_path):
    """/proc/self/mem opens but every read fails (EIO), even for root: a file that cannot
    be read is reported, not a traceback."""
    code, _, err = run_main(["build", "/proc/self/mem", "-o", str(tmp_path / "d.apkg")])
    assert_one_line_error(code, err, "cannot read /proc/self/mem", "input/output error")
    code, _, err = run_main(["analyze", "/proc/self/mem"])
    assert_one_line_error(code, err, "cannot read /proc/self/mem")


def test_empty_input_name(tmp_path, monkeypatch):
    """An empty argument (an unset shell variable) is not the current folder."""
    monkeypatch.chdir(tmp_path)
    for command in (["build", "", "-o", "d.apkg"], ["analyze", ""]):
        code, _, err = run_main(command)
        assert_one_line_error(code, err, "input file name is empty")
    assert files_in(tmp_path) == set()


def test_input_name_too_long(tmp_path):
    name = str(tmp_path / ("长" * 200 + ".txt"))
    code, _, err = run_main(["build", name, "-o", str(tmp_path / "d.apkg")])
    assert_one_line_error(code, err, "too long")


# --- outputs -----------------------------------------------------------------------------


def test_output_folder_missing(tmp_path, text_file):
    code, _, err = run_main(["build", str(text_file), "-o", str(tmp_path / "no" / "d.apkg")])
    assert_one_line_error(code, err, "output folder does not exist", str(tmp_path / "no"))
    assert files_in(tmp_path) == {"article.txt"}


def test_output_folder_is_a_file(tmp_path, text_file):
    """A path through a file (ENOTDIR): said so, not 'does not exist'."""
    code, _, err = run_main(["build", str(text_file), "-o", str(text_file / "d.apkg")])
    assert_one_line_error(code, err, "is not a folder", "article.txt")
    assert text_file.read_text(encoding="utf-8") == SENTENCE


def test_output_is_a_folder_is_a_usage_error(tmp_path, text_file):
    (tmp_path / "out").mkdir()
    code, _, err = run_main(["build", str(text_file), "-o", str(tmp_path / "out")])
    assert_usage_error(code, err, "is a directory")
    assert list((tmp_path / "out").iterdir()) == []


def test_output_folder_not_writable(tmp_path, text_file):
    if os.name == "posix" and os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
    elif Path("/sys/kernel").is_dir():
        folder = Path("/sys")  # root writes anywhere but into sysfs
    else:
        pytest.skip("no folder this user cannot write to")
    try:
        code, _, err = run_main(["build", str(text_file), "-o", str(folder / "d.apkg")])
        assert_one_line_error(code, err, "cannot write", str(folder))
        assert not (folder / "d.apkg").exists()
    finally:
        if folder.is_relative_to(tmp_path):
            assert list(folder.iterdir()) == []
            folder.chmod(0o755)


def test_output_name_too_long(tmp_path, text_file):
    code, _, err = run_main(["build", str(text_file), "-o", str(tmp_path / ("x" * 300 + ".apkg"))])
    assert_one_line_error(code, err, "too long")
    assert files_in(tmp_path) == {"article.txt"}


def test_unknown_output_format(tmp_path, text_file):
    code, _, err = run_main(["build", str(text_file), "-o", str(tmp_path / "deck.docx")])
    assert_one_line_error(code, err, "unknown output", "deck.docx")
    assert files_in(tmp_path) == {"article.txt"}


def test_known_word_file_missing(tmp_path, text_file):
    code, _, err = run_main(
        [
            "build",
            str(text_file),
            "--known",
            str(tmp_path / "k.txt"),
            "-o",
            str(tmp_path / "d.json"),
        ]
    )
    assert_one_line_error(code, err, "k.txt")
    assert not (tmp_path / "d.json").exists()


@pytest.mark.parametrize(
    "args, needle",
    [
        (["build"], "Missing argument"),
        (["build", "{text}", "--cards", "recognition,typing"], "--cards"),
        (["build", "{text}", "--errors", "loose"], "--errors"),
        (["build", "{text}", "--format", "docx"], "--format"),
        (["build", "{text}", "--hsk-min", "0"], "--hsk-min"),
        (["build", "{text}", "--sentences", "-1"], "--sentences"),
        (["build", "{text}", "--order", "random"], "--order"),
        (["analyze"], "Missing argument"),
        (["analyze", "{text}", "--level", "10"], "--level"),
        (["known", "add"], "give words to add"),
        (["--segmenter", "thulac", "segment", "我们"], "--segmenter"),
    ],
)
def test_usage_errors_exit_2(tmp_path, text_file, args, needle):
    args = [a.replace("{text}", str(text_file)) for a in args]
    code, _, err = run_main(args)
    assert_usage_error(code, err, needle)
    assert files_in(tmp_path) == {"article.txt"}


def test_unknown_encoding(tmp_path, text_file):
    code, _, err = run_main(["build", str(text_file), "--encoding", "klingon", "-o", "d.json"])
    assert_one_line_error(code, err, "unknown encoding: klingon")
    code, _, err = run_main(["build", str(text_file), "--encoding", "rot13", "-o", "d.json"])
    assert_one_line_error(code, err, "rot13", "not a text encoding")


# --- nothing to learn --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n\t\n\r\n  \n",
        "\u3000\u3000\n\u00a0\n".encode(),
        b"The quick brown fox jumps over the lazy dog.\nHello, world!\n",
        b"0123456789 3.14159 2024-11-16 100%\n",
        "，。！？、——……《》\n".encode(),
        "Ｈｅｌｌｏ　１２３\n".encode(),
        "😀🎉👍\n".encode(),
    ],
    ids=[
        "empty",
        "whitespace",
        "ideographic-space",
        "english",
        "digits",
        "punctuation",
        "full-width",
        "emoji",
    ],
)
@pytest.mark.parametrize("fmt", ["apkg", "json"])
def test_han_free_input_writes_no_deck(tmp_path, content, fmt):
    source = tmp_path / "input.txt"
    source.write_bytes(content)
    output = tmp_path / f"deck.{fmt}"
    code, out, err = run_main(["build", str(source), "-o", str(output)])
    assert_one_line_error(code, err, "no Chinese text found in", "input.txt", "no deck written")
    assert out == ""
    assert files_in(tmp_path) == {"input.txt"}


def test_han_free_input_keeps_an_existing_deck(tmp_path):
    output = tmp_path / "deck.json"
    output.write_text("[]\n", encoding="utf-8")
    before = output.read_bytes()
    (tmp_path / "en.txt").write_text("English only.\n", encoding="utf-8")
    code, _, err = run_main(["build", str(tmp_path / "en.txt"), "-o", str(output)])
    assert code == 1
    assert output.read_bytes() == before


def test_han_free_input_gives_an_empty_deck_only_when_asked(tmp_path):
    source = tmp_path / "en.txt"
    source.write_text("Only English here, and 42.\n", encoding="utf-8")
    output = tmp_path / "deck.json"
    code, _, err = run_main(["build", str(source), "-o", str(output), "--allow-empty"])
    assert code == 0, err
    assert json.loads(output.read_text(encoding="utf-8")) == []
    assert "0 words" in err


def test_every_word_known_writes_no_deck(tmp_path, text_file):
    from flashcards import api

    words = {v.simplified for v in api.make_deck([text_file]).vocab}
    known = tmp_path / "known.txt"
    known.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    output = tmp_path / "deck.apkg"
    code, _, err = run_main(["build", str(text_file), "--known", str(known), "-o", str(output)])
    assert_one_line_error(code, err, "no words left to learn", "no deck written")
    assert not output.exists()


def test_analyze_of_han_free_input_reports_zero(tmp_path):
    source = tmp_path / "en.txt"
    source.write_text("Only English here.\n", encoding="utf-8")
    code, out, err = run_main(["analyze", str(source), "--json", "--no-known"])
    assert code == 0, err
    report = json.loads(out)
    assert report["han_characters"] == 0
    assert report["word_tokens"] == 0
    assert report["dictionary_coverage"] in (0, 0.0, None)


def test_empty_stdin(tmp_path):
    code, _, err = run_main(["build", "-", "-o", str(tmp_path / "d.apkg")], stdin=b"")
    assert_one_line_error(code, err, "no Chinese text found in stdin")
    assert not (tmp_path / "d.apkg").exists()
