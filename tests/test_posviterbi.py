"""Our cut of jieba's tables and the numpy decoder of its POS HMM give jieba.posseg's own
words and tags, ties included, on real text."""

from __future__ import annotations

import jieba.posseg
import pytest
from conftest import shared_path

from flashcards import posviterbi
from flashcards.postagger import PosCutter

TEXTS = [
    ("seeds", "000_6077f70e12453669.txt"),
    ("corpus", "hongloumeng.txt"),
    ("corpus", "sanguozhiyanyi-traditional.txt"),
    ("corpus", "laoshe-chaguan.txt"),
    ("corpus", "xiaohong-hulanhezhuan.txt"),
]


@pytest.mark.parametrize("folder,name", TEXTS)
def test_the_fast_tagger_tags_real_text_as_jieba_does(folder, name):
    text = shared_path(folder, name).read_text("utf-8")[:12_000]
    ours = PosCutter.cached().cut(text)
    theirs = [(p.word, p.flag) for p in jieba.posseg.dt.cut(text)]
    assert ours == theirs


def test_the_decoder_agrees_with_jiebas_on_every_unknown_run_of_a_novel():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    text = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")[:8_000]
    runs = []
    tokenizer = jieba.posseg.dt.tokenizer
    for word in tokenizer.cut(text, HMM=False):
        # jieba's HMM sees the runs of single characters its dictionary cannot join.
        runs.append(word)
    buffers = {"".join(runs[i : i + 4]) for i in range(0, len(runs), 4)}
    buffers = {b for b in buffers if b and all("\u4e00" <= c <= "\u9fff" for c in b)}
    assert len(buffers) > 200
    hmm = posviterbi.pos_hmm()
    for b in sorted(buffers):
        assert hmm.viterbi(b) == viterbi(b, char_state_tab_P, start_P, trans_P, emit_P)[1], b


def test_with_a_users_words_the_cut_is_jiebas_too(tmp_path):
    import jieba

    from flashcards.segment import _jieba

    words = tmp_path / "words.txt"
    words.write_text("宝二爷 nr\n大观园 ns\n", "utf-8")
    text = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")[:12_000]
    ours = _jieba(str(words)).tag(text)
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.tokenizer.initialize()
    tokenizer.tokenizer.add_word("宝二爷", None, "nr")
    tokenizer.tokenizer.add_word("大观园", None, "ns")
    theirs = [(p.word, p.flag) for p in tokenizer.cut(text)]
    assert ours == theirs
    assert ("宝二爷", "nr") in ours or "宝二爷" not in text
