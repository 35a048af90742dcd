"""Hostile recipes and collections, generated (issue 11): whatever a deck.toml or an Anki
file holds, the command reads it or refuses it in one line; never a traceback, never a file
read from outside the recipe's folder, never a hang."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_errors_cli import run_main

from flashcards import api
from flashcards.errors import FlashcardsError
from flashcards.wordsources import card_kinds_by_guid, read_words

TEXT = "我们今天去银行取钱，然后去公园散步。\n"

# --- recipes ------------------------------------------------------------------------------

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -5, 7, 8, 400]),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "no", "yes", "3.0", "2.0", "apkg", "json", "recall", "traditional"]),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("abc"), inner, max_size=2)
    ),
    max_leaves=6,
)
option_names = st.sampled_from(sorted(api._RECIPE_RULES) + ["texts", "known", "bogus", "cards"])
text_names = st.sampled_from(
    ["text.txt", "../outside.txt", "/etc/passwd", "sub/../text.txt", "link.txt", "missing.txt"]
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML's, but for surrogates: refused
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"


# Values a recipe may well hold, so that many generated recipes are good ones.
good_values = {
    "deck_name": st.sampled_from(["我的词", "Deck::Week 1"]),
    "format": st.sampled_from(["json", "apkg"]),
    "max_words": st.sampled_from([1, 5]),
    "order": st.sampled_from(["appearance", "frequency", "level"]),
    "hsk_min": st.integers(1, 7),
    "hsk_max": st.integers(1, 7),
    "hsk_standard": st.sampled_from(["2.0", "3.0"]),
    "names": st.booleans(),
    "script": st.sampled_from(["simplified", "traditional"]),
    "sentences": st.sampled_from([0, 2]),
    "cards": st.lists(st.sampled_from(["recognition", "recall", "cloze"]), min_size=1),
    "jobs": st.sampled_from([1, 2]),
    "drop_cards": st.booleans(),
}
options = st.one_of(
    st.dictionaries(option_names, values, max_size=5),
    st.lists(st.sampled_from(sorted(good_values)), max_size=4, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: good_values[k] for k in keys})
    ),
)
recipes = st.tuples(
    st.one_of(
        st.none(),
        st.just(["text.txt"]),
        st.lists(text_names, min_size=1, max_size=2),
        st.lists(st.one_of(text_names, values), max_size=3),
    ),
    options,
    st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe"]),  # nothing, a BOM, not UTF-8
    st.sampled_from([b"", b"", b"", b"[texts\n", b"\x00"]),  # and sometimes broken TOML
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(recipe=recipes)
def test_any_recipe_builds_or_is_a_one_line_error(recipe, tmp_path_factory):
    texts, options, prefix, tail = recipe
    root = tmp_path_factory.mktemp("recipe")
    (root / "outside.txt").write_text("秘密日记里写着我的银行密码。\n", "utf-8")
    folder = root / "deck"
    folder.mkdir()
    (folder / "text.txt").write_text(TEXT, "utf-8")
    (folder / "link.txt").symlink_to(root / "outside.txt")
    lines = [] if texts is None else [f"texts = {_toml_value(texts)}"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in options.items() if key != "texts"]
    (folder / "deck.toml").write_bytes(prefix + "\n".join(lines).encode() + b"\n" + tail)
    out = root / "deck.json"
    # The command line's --format wins over the recipe's, whose value is still checked.
    code, _, err = run_main(
        ["build", str(folder), "-o", str(out), "--format", "json", "--allow-empty"]
    )
    assert "Traceback" not in err, err
    event("built" if code == 0 else "refused")
    if code == 0:
        notes = json.loads(out.read_text("utf-8"))
        shown = json.dumps(notes, ensure_ascii=False)
        assert "秘密" not in shown and "密码" not in shown, "a file outside the folder was read"
        assert texts and all(t in ("text.txt", "sub/../text.txt") for t in texts)
    else:
        lines = [line for line in err.splitlines() if line.strip()]
        assert code in (1, 2) and len(lines) == 1, err
        assert not out.exists()


# --- collections --------------------------------------------------------------------------

model_ids = st.sampled_from([1, 2, 1, "1", None])
fields_text = st.one_of(
    st.sampled_from(["银行\x1fbank\x1fy\x1f\x1fy", "公园\x1f\x1f\x1f", "老人", "\x1f\x1f"]),
    st.lists(st.sampled_from(["银行", "y", "", "[sound:x.mp3]", "{{c1::公园}}"]), max_size=6).map(
        "\x1f".join
    ),
)
cells = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["银行\x1f公园", "\x1f\x1f", "y", "[sound:x.mp3]银行", "{{c1::银行}}"]),
    st.binary(max_size=20),
    st.just("银行".encode()),
)
OURS = json.dumps(
    {
        "1": {
            "name": "flashcards vocabulary",
            "flds": [
                {"name": name, "ord": i}
                for i, name in enumerate(
                    ["Simplified", "MakeRecognition", "MakeRecall", "MakeCloze"]
                )
            ],
        }
    }
)
models_json = st.one_of(
    st.just(OURS),
    st.just(OURS),
    st.none(),
    st.sampled_from(["{", "null", "[]", '{"1": 5}', '{"x": {}}', '{"1": {"flds": 3}}']),
    st.dictionaries(
        st.sampled_from(["1", "2", "1", "-1"]),
        st.fixed_dictionaries(
            {"name": st.one_of(st.none(), st.text(max_size=5))},
            optional={
                "flds": st.lists(
                    st.fixed_dictionaries(
                        {
                            "name": st.sampled_from(
                                ["Front", "Hanzi", "MakeRecall", "MakeCloze", "MakeRecognition"]
                            )
                        },
                        optional={"ord": st.one_of(st.integers(-2, 5), st.text(max_size=2))},
                    ),
                    max_size=4,
                )
            },
        ),
        max_size=2,
    ).map(json.dumps),
)
table_kinds = st.sampled_from(["table"] * 8 + ["view", "missing"])
collections = st.fixed_dictionaries(
    {
        "notes": table_kinds,
        "cards": table_kinds,
        "col": table_kinds,
        "schema18": st.booleans(),
        "models": models_json,
        "note_rows": st.lists(
            st.one_of(
                st.tuples(st.integers(1, 9), st.text(max_size=4), model_ids, fields_text),
                st.tuples(cells, cells, cells, cells),
            ),
            max_size=6,
        ),
        "field_rows": st.lists(
            st.one_of(
                st.tuples(
                    model_ids,
                    st.integers(0, 5),
                    st.sampled_from(["Front", "MakeRecognition", "MakeRecall", "MakeCloze"]),
                ),
                st.tuples(cells, cells, cells),
            ),
            max_size=6,
        ),
        "card_rows": st.lists(st.tuples(cells, cells), max_size=4),
        "packaged": st.booleans(),
    }
)


def _make_collection(folder: Path, spec: dict) -> Path:
    path = folder / "collection.anki2"
    db = sqlite3.connect(path)
    columns = {
        "notes": "id, guid, mid, flds",
        "cards": "nid, type",
        "col": "models",
    }
    rows = {
        "notes": spec["note_rows"],
        "cards": spec["card_rows"],
        "col": [] if spec["models"] is None and spec["col"] == "table" else [(spec["models"],)],
    }
    for name, kind in ((n, spec[n]) for n in ("notes", "cards", "col")):
        if kind == "table":
            db.execute(f"CREATE TABLE {name} ({columns[name]})")  # untyped: any value goes
            marks = ", ".join("?" * len(columns[name].split(", ")))
            db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows[name])
        elif kind == "view":
            selected = ", ".join(f"1 AS {c}" for c in columns[name].split(", "))
            db.execute(f"CREATE VIEW {name} AS SELECT {selected}")
    if spec["schema18"]:
        db.execute("CREATE TABLE notetypes (id, name)")
        db.execute("CREATE TABLE fields (ntid, ord, name)")
        db.executemany("INSERT INTO fields VALUES (?, ?, ?)", spec["field_rows"])
        db.executemany(
            "INSERT INTO notetypes VALUES (?, ?)", [(r[0], r[2]) for r in spec["field_rows"]]
        )
    db.commit()
    db.close()
    if not spec["packaged"]:
        return path
    package = folder / "deck.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(path, "collection.anki2")
    return package


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=collections)
def test_any_collection_is_read_or_refused_in_one_line(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = _make_collection(Path(tmp), spec)
        for read in (read_words, card_kinds_by_guid):
            try:
                found = read(path)
            except FlashcardsError as error:
                assert "\n" not in str(error), str(error)
                event(f"{read.__name__}: refused")
                continue
            event(f"{read.__name__}: read {'some' if found else 'none'}")
            if read is read_words:
                assert all(isinstance(w, str) and w for w in found)
            else:
                assert all(isinstance(g, str) for g in found)
                assert all(kinds <= {"recognition", "recall", "cloze"} for kinds in found.values())


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
