"""Building twice from the same input and options gives the same notes, fields and GUIDs,
in one process and across processes with different hash seeds (set and dict order must
never leak into a deck).

The .apkg carries the build time (Anki updates a note only from a newer copy), so its
bytes differ between builds; everything in it that a learner or Anki's importer sees does not.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from flashcards import api

# Polyphones (长, 行, 得, 了), a name, numbers, traditional and simplified, a quotation,
# repeated words whose example sentence must be chosen the same way every time.
TEXT_A = (
    "他长得很高，是我们学校的校长。长城很长，有几千公里。\n"
    "我去银行取钱，银行门口排着长长的队。这家银行的人很多，我等了二十分钟。\n"
    "“你觉得这个办法行不行？”王老师问。我说：“我觉得行。”\n"
    "下午我们在图书馆学习了三个小时，然后去吃饭了。\n"
)
TEXT_B = (
    "每到晚上，台北的夜市就熱鬧起來了。街道兩邊擺滿了小吃攤。\n"
    "我最喜歡的是士林夜市。那裡的東西又便宜又好吃，還有很多有意思的小商店。\n"
    "他們在銀行工作，每天都很忙。\n"
)
OPTIONS = api.BuildOptions(deck_name="课文::第一课", sentences=5, names=True)


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    a, b = tmp_path / "lesson-a.txt", tmp_path / "lesson-b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return [a, b]


def apkg_contents(path: Path, tmp_path: Path) -> dict:
    """What Anki imports from an .apkg, without the build time: notes, cards, note types."""
    db = tmp_path / f"{path.name}.anki2"
    with zipfile.ZipFile(path) as package:
        db.write_bytes(package.read("collection.anki2"))
        media = package.read("media")
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute(
            "select guid, mid, flds, tags, sfld, csum from notes order by guid"
        ).fetchall()
        cards = conn.execute(
            "select n.guid, c.ord, c.did, c.due, c.type, c.queue "
            "from cards c join notes n on n.id = c.nid order by n.guid, c.ord"
        ).fetchall()
        models_json, decks_json = conn.execute("select models, decks from col").fetchone()
    finally:
        conn.close()
    db.unlink()
    models = {
        mid: (
            m["name"],
            [f["name"] for f in m["flds"]],
            [(t["name"], t["qfmt"], t["afmt"]) for t in m["tmpls"]],
            m["css"],
            m["sortf"],
        )
        for mid, m in json.loads(models_json).items()
    }
    decks = sorted((d["id"], d["name"]) for d in json.loads(decks_json).values())
    return {"notes": notes, "cards": cards, "models": models, "decks": decks, "media": media}


def test_two_builds_give_the_same_deck_in_every_format(tmp_path, inputs):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for fmt in ("apkg", "json", "csv", "tsv", "md"):
        a = api.build(inputs, first / f"deck.{fmt}", OPTIONS).path
        b = api.build(inputs, second / f"deck.{fmt}", OPTIONS).path
        if fmt == "apkg":
            contents = apkg_contents(a, tmp_path)
            assert contents == apkg_contents(b, tmp_path)
            assert len(contents["notes"]) > 40 and len(contents["cards"]) > 100
        else:
            assert a.read_bytes() == b.read_bytes(), fmt


def test_json_and_apkg_agree_on_guids(tmp_path, inputs):
    apkg = api.build(inputs, tmp_path / "deck.apkg", OPTIONS).path
    notes = json.loads(api.build(inputs, tmp_path / "deck.json", OPTIONS).path.read_text("utf-8"))
    guids = [n["guid"] for n in notes]
    assert len(set(guids)) == len(guids)
    assert sorted(guids) == [row[0] for row in apkg_contents(apkg, tmp_path)["notes"]]


def test_deck_does_not_depend_on_the_order_of_earlier_work(tmp_path, inputs):
    """Caches filled by another text first (dictionary, segmenter, pinyin) change nothing."""
    before = api.build(inputs, tmp_path / "before.json", OPTIONS).path.read_bytes()
    other = tmp_path / "other.txt"
    other.write_text("行长说银行的长期计划还不行。重庆的重要人物都来了。\n", encoding="utf-8")
    api.build([other], tmp_path / "other.json", OPTIONS)
    after = api.build(inputs, tmp_path / "after.json", OPTIONS).path.read_bytes()
    assert before == after


# One process builds both formats (start-up, jieba's above all, is most of a build's time).
_BUILD = (
    "import sys; from flashcards.cli import main\n"
    "for output in sys.argv[3:]:\n"
    "    try:\n"
    "        main(['build', *sys.argv[1:3], '-o', output, '--sentences', '5', '--names',"
    " '--deck-name', '课文::第一课'])\n"
    "    except SystemExit as exit_:\n"
    "        if exit_.code:\n"
    "            raise\n"
)


def test_builds_in_processes_with_different_hash_seeds_agree(tmp_path, inputs):
    runs = []
    for seed in ("0", "4242"):
        outputs = [tmp_path / f"deck-{seed}.json", tmp_path / f"deck-{seed}.apkg"]
        env = dict(os.environ, PYTHONHASHSEED=seed, FLASHCARDS_HOME=str(tmp_path / "home"))
        done = subprocess.run(
            [sys.executable, "-c", _BUILD, *map(str, inputs), *map(str, outputs)],
            env=env,
            capture_output=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr.decode()
        runs.append(outputs)
    (json_0, apkg_0), (json_1, apkg_1) = runs
    assert json_0.read_bytes() == json_1.read_bytes()
    assert apkg_contents(apkg_0, tmp_path) == apkg_contents(apkg_1, tmp_path)
    # And the same as this process, whatever its own hash seed.
    here = api.build(inputs, tmp_path / "here.json", OPTIONS).path
    assert here.read_bytes() == json_0.read_bytes()


def test_any_number_of_jobs_gives_the_same_deck(tmp_path):
    from click.testing import CliRunner
    from conftest import shared_path

    from flashcards.cli import cli
    from flashcards.parallel import BATCH, can_fork

    if not can_fork():
        pytest.skip("builds run in one process where the system cannot fork")
    novel = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")
    text = tmp_path / "novel.txt"
    text.write_text(novel[:60_000], "utf-8")
    outputs = []
    for jobs in (1, 2, 3):
        out = tmp_path / f"deck-{jobs}.json"
        result = CliRunner().invoke(
            cli, ["build", str(text), "-o", str(out), "--jobs", str(jobs), "--sentences", "20"]
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    sentences = sum(1 for _ in api.iter_annotated([text]))
    assert sentences > 3 * BATCH  # every worker gets batches
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_short_input_is_read_in_one_process_and_a_long_one_on_every_core():
    from flashcards.parallel import BYTES_PER_JOB, can_fork, cores, default_jobs

    assert default_jobs(24_000) == 1
    assert default_jobs(None) == 1
    expected = min(cores(), 40) if can_fork() else 1
    assert default_jobs(40 * BYTES_PER_JOB) == expected
