"""The rule tables in flashcards/data are well-formed JSON a reader can trust."""

from __future__ import annotations

import json
from importlib import resources

import pytest

DATA_FILES = sorted(
    f.name
    for f in resources.files("flashcards").joinpath("data").iterdir()
    if f.name.endswith(".json")
)


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"keys given twice (the first is silently lost): {repeated}"
    return dict(pairs)


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_key_is_given_twice(name):
    # json.loads keeps the last of two equal keys: a second "所" entry in sense_rules.json
    # would drop every rule of the first without a word.
    text = resources.files("flashcards").joinpath(f"data/{name}").read_text("utf-8")
    json.loads(text, object_pairs_hook=_no_repeated_keys)


def test_a_repeated_key_is_caught():
    with pytest.raises(AssertionError):
        json.loads('{"words": {"所": [], "所": []}}', object_pairs_hook=_no_repeated_keys)
