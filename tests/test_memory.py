"""A long text's build lets go of the annotating tables before it plans the deck."""

from __future__ import annotations

import pytest

from flashcards import api, pinyin, posviterbi, segment
from flashcards.errors import FlashcardsError
from flashcards.memory import LONG_TEXT_TOKENS


def _held() -> dict[str, int]:
    return {
        "jieba": segment._segmenter.cache_info().currsize,
        "hmm": posviterbi.pos_hmm.cache_info().currsize,
        "readings": pinyin._candidates.cache_info().currsize,
    }


def test_a_long_text_lets_go_and_the_next_build_loads_it_all_again(seed_path):
    first = api.make_deck([seed_path])
    assert first.selection is not None and first.selection.words > 1000
    assert _held() == {"jieba": 0, "hmm": 0, "readings": 0}
    again = api.make_deck([seed_path])  # everything loaded again, from the cache on disk
    assert again == first
    assert _held() == {"jieba": 0, "hmm": 0, "readings": 0}


def test_a_short_text_keeps_the_tables_for_the_next_build(tmp_path):
    text = tmp_path / "short.txt"
    text.write_text("我还没吃饭，请把书还给我。他长得很快，银行行长说了不得。\n", encoding="utf-8")
    deck = api.make_deck([text])
    assert deck.vocab
    held = _held()
    assert held["jieba"] == 1 and held["readings"] > 0
    assert len(text.read_text(encoding="utf-8")) < LONG_TEXT_TOKENS


def test_a_build_collects_cycles_rarely_and_gives_the_callers_collector_back(tmp_path):
    import gc

    text = tmp_path / "short.txt"
    text.write_text("我还没吃饭，请把书还给我。他长得很快，银行行长说了不得。\n", encoding="utf-8")
    seen = []
    original = api.plan_vocabulary

    def plan(*args, **kwargs):
        seen.append(gc.get_threshold())
        return original(*args, **kwargs)

    before = gc.get_threshold()
    api.plan_vocabulary = plan
    try:
        api.build([text], tmp_path / "deck.apkg")
        with pytest.raises(FlashcardsError):
            api.build([tmp_path / "missing.txt"], tmp_path / "deck2.apkg")
    finally:
        api.plan_vocabulary = original
    assert seen and seen[0][0] > before[0]
    assert gc.get_threshold() == before


def test_the_workers_run_beside_a_frozen_parent_that_thaws_after(tmp_path):
    import gc

    from flashcards.models import Sentence
    from flashcards.parallel import map_in_order

    sentences = [Sentence(i, f"第{i}句。", "s", i) for i in range(300)]
    frozen = []

    def work(batch):
        return [len(s.text) for s in batch]

    for n in map_in_order(sentences, work, jobs=2):
        frozen.append(gc.get_freeze_count())
        assert n > 0
    assert len(frozen) == 300 and min(frozen) > 0
    assert gc.get_freeze_count() == 0
