"""Shared fixtures: the ../shared material, and the parsed dictionary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config):
    # Tests never touch a real learner's known-word store.
    if "FLASHCARDS_HOME" not in os.environ:
        import tempfile

        os.environ["FLASHCARDS_HOME"] = tempfile.mkdtemp(prefix="flashcards-test-home-")


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a skip where a user's clone has none.

    CI sets FLASHCARDS_REQUIRE_SHARED, and there a missing file is a failure, not a skip.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("FLASHCARDS_REQUIRE_SHARED"):
            pytest.fail(f"{path} is missing and FLASHCARDS_REQUIRE_SHARED is set")
        pytest.skip(f"needs ../shared/{'/'.join(parts)}, which this checkout does not have")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_path("seeds", "000_6077f70e12453669.txt")


@pytest.fixture(scope="session")
def dictionary():
    from flashcards.dictionary import load_dictionary

    return load_dictionary()


@pytest.fixture(scope="session")
def anki_exports():
    """tests/anki_exports.py, which makes real Anki exports (needs the anki package)."""
    pytest.importorskip("anki", reason="the real Anki backend (pip install anki) makes exports")
    import anki_exports

    return anki_exports


@pytest.fixture(scope="session")
def anki_files(anki_exports, tmp_path_factory) -> dict[str, Path]:
    """A collection of Chinese notes, some studied, exported every way Anki can: keys
    apkg, apkg-legacy, colpkg, colpkg-legacy, notes-text, and collection (the file)."""
    folder = tmp_path_factory.mktemp("anki")
    col = anki_exports.make_chinese_collection(folder / "collection.anki2")
    try:
        files = anki_exports.export_packages(col, folder)
        files["notes-text"] = anki_exports.export_notes_text(col, folder / "notes.txt")
    finally:
        col.close()
    files["collection"] = folder / "collection.anki2"
    return files
