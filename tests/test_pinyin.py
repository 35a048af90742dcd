"""Pinyin in context: each polyphone read the way its sentence needs.

Expected readings are written from knowledge of Mandarin (and, for neutral tones, from
CC-CEDICT's citation of the word), never copied from the program's output.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.han import is_han
from flashcards.models import Reading
from flashcards.pinyin import (
    model_is_available,
    parse_rule_table,
    read_sentence,
    rule_table,
)
from flashcards.segment import segment_text
from flashcards.sentences import split_sentences
from flashcards.tones import mark_syllable, normalise_u, numbered_syllable

HAN_CHAR = re.compile(r"[\u3400-\u9fff]")


def read(text: str, dictionary) -> tuple[Reading, ...]:
    return read_sentence(segment_text(text, dictionary), dictionary)


def syllable_at(text: str, position: int, dictionary) -> tuple[str, str]:
    """(numbered, marked) syllable of the character at ``position`` of ``text``."""
    for r in read(text, dictionary):
        tok = r.token
        if tok.start <= position < tok.start + len(tok.text):
            assert r.numbered is not None, tok
            han_before = sum(1 for c in tok.text[: position - tok.start] if is_han(c))
            return r.numbered.split()[han_before], r.marked.split()[han_before]
    raise AssertionError(f"no token covers position {position} of {text!r}")


def marked_syllable(text: str, target: str, dictionary, occurrence: int = 0) -> str:
    """The tone-marked syllable of the ``occurrence``-th ``target`` character in ``text``."""
    positions = [m.start() for m in re.finditer(re.escape(target), text)]
    return syllable_at(text, positions[occurrence], dictionary)[1]


# The issue's own examples.
ISSUE_EXAMPLES = [
    ("他长得很快", "长", 0, "zhǎng"),
    ("这条河很长", "长", 0, "cháng"),
    ("我还没吃饭", "还", 0, "hái"),
    ("请把书还给我", "还", 0, "huán"),
    ("你得多休息", "得", 0, "děi"),
    ("他得了第一名", "得", 0, "dé"),
    ("他跑得很快", "得", 0, "de"),
    ("她教我唱歌", "教", 0, "jiāo"),
    ("他慢慢地走", "地", 0, "de"),
    ("他数了数钱", "数", 0, "shǔ"),
    ("他数了数钱", "数", 1, "shǔ"),
    ("两只猫", "只", 0, "zhī"),
]


@pytest.mark.parametrize("text, char, occurrence, expected", ISSUE_EXAMPLES)
def test_issue_examples(dictionary, text, char, occurrence, expected):
    assert marked_syllable(text, char, dictionary, occurrence) == expected


def test_issue_words_read_from_cedict(dictionary):
    assert [r.marked for r in read("银行", dictionary)] == ["yín háng"]
    assert [r.marked for r in read("只有", dictionary)] == ["zhǐ yǒu"]
    assert [r.numbered for r in read("银行", dictionary)] == ["yin2 hang2"]


# Each common polyphone in each of its common readings, in ordinary short sentences.
POLYPHONES = [
    # 了 le / liǎo
    ("我吃了饭", "了", 0, "le"),
    ("我不了解他", "了", 0, "liǎo"),
    ("这么多菜，他一个人吃不了", "了", 0, "liǎo"),
    # 着 zhe / zháo / zhuó
    ("他笑着说", "着", 0, "zhe"),
    ("孩子睡着了", "着", 0, "zháo"),
    ("别着急", "着", 0, "zháo"),
    ("我怎么也睡不着", "着", 0, "zháo"),
    ("他的衣着很朴素", "着", 0, "zhuó"),
    ("我们要着眼于未来", "着", 0, "zhuó"),
    # 重 zhòng / chóng
    ("这个箱子很重", "重", 0, "zhòng"),
    ("这件事很重要", "重", 0, "zhòng"),
    ("请你重新写一遍", "重", 0, "chóng"),
    ("他把作业重写了", "重", 0, "chóng"),
    ("他重重地摔了一跤", "重", 0, "zhòng"),
    # 行 xíng / háng
    ("这样做不行", "行", 0, "xíng"),
    ("我们明天出发旅行", "行", 0, "xíng"),
    ("他在银行工作", "行", 0, "háng"),
    ("黑板上写着两行字", "行", 0, "háng"),
    ("他是这一行的专家", "行", 0, "háng"),
    # 为 wèi / wéi
    ("我们为人民服务", "为", 0, "wèi"),
    ("你为什么不来", "为", 0, "wèi"),
    ("他成为了一名老师", "为", 0, "wéi"),
    ("我以为你不来了", "为", 0, "wéi"),
    ("这个城市的人口为一百万", "为", 0, "wéi"),
    ("我们要以人民为中心", "为", 0, "wéi"),
    ("为促进两国交流，双方签了协议", "为", 0, "wèi"),
    ("他为公司工作了十年", "为", 0, "wèi"),
    # 好 hǎo / hào
    ("今天天气很好", "好", 0, "hǎo"),
    ("我的爱好是看书", "好", 0, "hào"),
    ("孩子对什么都很好奇", "好", 0, "hào"),
    # 都 dōu / dū
    ("我们都是学生", "都", 0, "dōu"),
    ("北京是中国的首都", "都", 0, "dū"),
    ("成都是一座美丽的城市", "都", 0, "dū"),
    # 觉 jué / jiào
    ("我觉得他说得对", "觉", 0, "jué"),
    ("我想睡觉", "觉", 0, "jiào"),
    ("他睡了一觉", "觉", 0, "jiào"),
    # 处 chù / chǔ
    ("这里到处都是人", "处", 0, "chù"),
    ("我在找住处", "处", 0, "chù"),
    # 好处 "benefit" is hao3 chu5 in CC-CEDICT (hao3 chu3 is "get along well")
    ("运动有很多好处", "处", 0, "chu"),
    ("这个问题很难处理", "处", 0, "chǔ"),
    ("我们相处得很好", "处", 0, "chǔ"),
    # 种 zhǒng / zhòng
    ("这种水果很好吃", "种", 0, "zhǒng"),
    ("他在院子里种树", "种", 0, "zhòng"),
    ("农民在地里种花", "种", 0, "zhòng"),
    # 差 chà / chā / chāi
    ("他的成绩很差", "差", 0, "chà"),
    ("我们差不多到了", "差", 0, "chà"),
    ("两个国家的时差是八小时", "差", 0, "chā"),
    ("它们之间有很大的差别", "差", 0, "chā"),
    ("他明天去上海出差", "差", 0, "chāi"),
    # 调 diào / tiáo
    ("警察正在调查这件事", "调", 0, "diào"),
    ("他调到北京工作了", "调", 0, "diào"),
    ("请把空调调到二十六度", "调", 1, "tiáo"),
    ("我们需要调整计划", "调", 0, "tiáo"),
    # 传 chuán / zhuàn
    ("这个消息很快传开了", "传", 0, "chuán"),
    ("他写了一本自传", "传", 0, "zhuàn"),
    ("我在看《水浒传》", "传", 0, "zhuàn"),
    # 藏 cáng / zàng
    ("他把钱藏在床下", "藏", 0, "cáng"),
    ("他喜欢收藏邮票", "藏", 0, "cáng"),
    ("她是藏族人", "藏", 0, "zàng"),
    ("我们夏天去西藏旅游", "藏", 0, "zàng"),
    # 便 biàn / pián
    ("坐地铁很方便", "便", 0, "biàn"),
    ("这件衣服很便宜", "便", 0, "pián"),
    # 朝 cháo / zhāo
    ("我的房间朝南", "朝", 0, "cháo"),
    ("他生活在明朝", "朝", 0, "cháo"),
    ("年轻人朝气蓬勃", "朝", 0, "zhāo"),
    # 空 kōng / kòng
    ("这里的空气很好", "空", 0, "kōng"),
    ("你明天有空吗", "空", 0, "kòng"),
    ("请在空白处写名字", "空", 0, "kòng"),
    # 乐 lè / yuè
    ("祝你生日快乐", "乐", 0, "lè"),
    ("我喜欢听音乐", "乐", 0, "yuè"),
    ("他在乐队里弹吉他", "乐", 0, "yuè"),
    # 数 shù / shǔ
    ("我喜欢数学", "数", 0, "shù"),
    ("学生的人数很多", "数", 0, "shù"),
    ("我们数一数有几个人", "数", 0, "shǔ"),
    ("天上的星星数不清", "数", 0, "shǔ"),
    # 背 bèi / bēi
    ("他每天背单词", "背", 0, "bèi"),
    ("我的后背很疼", "背", 0, "bèi"),
    ("妈妈背着孩子去医院", "背", 0, "bēi"),
    ("我买了一个新背包", "背", 0, "bēi"),
    # 长 cháng / zhǎng
    ("长城很有名", "长", 0, "cháng"),
    ("孩子长大了", "长", 0, "zhǎng"),
    ("他是我们的校长", "长", 0, "zhǎng"),
    ("她的头发很长", "长", 0, "cháng"),
    # 还 hái / huán
    ("你还是去吧", "还", 0, "hái"),
    ("他借钱不还", "还", 0, "huán"),
    ("你什么时候还书", "还", 0, "huán"),
    # 得 dé / de / děi
    ("他得到了很多帮助", "得", 0, "dé"),
    ("我们得走了", "得", 0, "děi"),
    ("她唱得很好听", "得", 0, "de"),
    ("我觉得很好", "得", 0, "de"),
    # 地 dì / de
    ("地上有一本书", "地", 0, "dì"),
    ("这块地很大", "地", 0, "dì"),
    ("他高兴地笑了", "地", 0, "de"),
    ("我们认真地学习", "地", 0, "de"),
    ("他好奇地问", "地", 0, "de"),
    # 教 jiāo / jiào
    ("他在大学教汉语", "教", 0, "jiāo"),
    ("老师教我们写字", "教", 0, "jiāo"),
    ("教育很重要", "教", 0, "jiào"),
    ("他是一名教师", "教", 0, "jiào"),
    # 只 zhǐ / zhī
    ("我只有一个妹妹", "只", 0, "zhǐ"),
    ("这只是一个开始", "只", 0, "zhǐ"),
    ("树上有一只鸟", "只", 0, "zhī"),
    ("那只猫很可爱", "只", 0, "zhī"),
    # 的 de / dí / dì
    ("这是我的书", "的", 0, "de"),
    ("他的确很忙", "的", 0, "dí"),
    ("你的目的是什么", "的", 1, "dì"),
]


@pytest.mark.parametrize("text, char, occurrence, expected", POLYPHONES)
def test_common_polyphones_in_context(dictionary, text, char, occurrence, expected):
    assert marked_syllable(text, char, dictionary, occurrence) == expected


@pytest.mark.parametrize(
    "text, word, numbered, marked",
    [
        ("她是我的女儿", "女", "nü3", "nǚ"),
        ("树叶是绿色的", "绿", "lü4", "lǜ"),
        ("我们去旅游", "旅", "lü3", "lǚ"),
        ("法律很重要", "律", "lü4", "lǜ"),
        ("我们去旅游", "游", "you2", "yóu"),
    ],
)
def test_u_umlaut_is_written_u_umlaut(dictionary, text, word, numbered, marked):
    position = text.index(word)
    assert syllable_at(text, position, dictionary) == (numbered, marked)


def test_neutral_tone(dictionary):
    readings = {r.token.text: r for r in read("我的朋友们都来了", dictionary)}
    assert readings["的"].numbered == "de5" and readings["的"].marked == "de"
    assert readings["朋友"].numbered == "peng2 you5"
    assert readings["朋友"].marked == "péng you"
    assert readings["们"].numbered == "men5" and readings["们"].marked == "men"


@pytest.mark.parametrize(
    "numbered, marked",
    [
        ("zhang3", "zhǎng"),
        ("lu:e4", "lüè"),
        ("nü3", "nǚ"),
        ("Lü3", "Lǚ"),
        ("de5", "de"),
        ("r5", "r"),
        ("er2", "ér"),
        ("m2", "ḿ"),
        ("n2", "ń"),
        ("ng4", "ǹg"),
        ("hng2", "hńg"),
        ("ê4", "ề"),
    ],
)
def test_tone_marks_and_back(numbered, marked):
    assert mark_syllable(numbered) == marked
    assert numbered_syllable(marked) == numbered.replace("u:", "ü")


def test_no_tone_sandhi_dictionary_citation_tones(dictionary):
    # 一 and 不 keep their citation tones, as CC-CEDICT cites them.
    assert marked_syllable("一个人", "一", dictionary) == "yī"
    assert marked_syllable("不是我", "不", dictionary) == "bù"


def test_traditional_input_is_read_like_simplified(dictionary):
    assert marked_syllable("他長得很快", "長", dictionary) == "zhǎng"
    assert marked_syllable("請把書還給我", "還", dictionary) == "huán"
    assert marked_syllable("我還沒吃飯", "還", dictionary) == "hái"
    # The traditional spelling settles what the simplified one cannot: 隻 is only zhī.
    assert marked_syllable("這隻是我的", "隻", dictionary) == "zhī"
    tokens = [r.token.text for r in read("他長得很快", dictionary)]
    assert "長" in tokens  # the input's own spelling is kept on the token


def test_non_han_tokens_have_no_reading(dictionary):
    for r in read("我有3个iPhone，价格是100%！", dictionary):
        if HAN_CHAR.search(r.token.text):
            assert r.numbered and r.marked
        else:
            assert r.numbered is None and r.marked is None


HAN_POOL = "我你他她的了着得地还长行为只数重都好觉处种差调传藏便朝空乐背教银女绿一不們長還隻"
TEXT = st.text(alphabet=st.sampled_from(HAN_POOL + "ab3，。 x-"), min_size=1, max_size=24)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_one_syllable_per_han_character(dictionary, text):
    for r in read(text, dictionary):
        han = [c for c in r.token.text if is_han(c)]
        if not han:
            assert r.numbered is None
            continue
        syllables = r.numbered.split()
        assert len(syllables) == len(han), (text, r)
        assert len(r.marked.split()) == len(han), (text, r)
        for s in syllables:
            assert re.fullmatch(r"[a-zü]+[1-5]", s), (text, r)


def test_every_rule_reading_is_a_reading_cedict_knows(dictionary):
    """A typo in the rule table (zhang4 for 长) would read a word in a way no dictionary
    knows; every rule and default must be one of the word's CC-CEDICT readings."""
    known_elsewhere = {"得了": {"de2 le5"}, "穿着": {"chuan1 zhe5"}, "一行": {"yi1 hang2"}}
    # Older texts write 那 for 哪: the readings of 哪里 and 哪儿.
    known_elsewhere |= {"那里": set(dictionary.readings("哪里")), "那儿": {"na3 r5"}}
    # CC-CEDICT has 地下 only as di4 xia4 "underground"; 跪在地下 is dìxia, on the floor
    # (the reading 现代汉语词典 gives it), which no entry of ours glosses.
    known_elsewhere |= {"地下": {"di4 xia5"}}
    for word, rules in rule_table().words.items():
        readings = {r.lower().replace("u:", "ü") for r in dictionary.readings(word)}
        wanted = {r.reading for r in rules.rules} | ({rules.default} if rules.default else set())
        unknown = wanted - readings - known_elsewhere.get(word, set())
        assert not unknown, (word, unknown)


def test_rule_table_rejects_mistakes():
    with pytest.raises(ValueError, match="unknown rule conditions"):
        parse_rule_table({"words": {"长": {"rules": [{"reading": "zhang3", "nxet": ["大"]}]}}})
    with pytest.raises(ValueError, match="syllable count"):
        parse_rule_table({"words": {"银行": {"rules": [], "default": "yin2"}}})
    with pytest.raises(KeyError):
        parse_rule_table({"words": {"长": {"rules": [{"reading": "zhang3", "next": "@NOPE"}]}}})


@pytest.mark.parametrize(
    "name", ["polyphones", "sense_rules", "everyday_senses", "segmentation", "deciders"]
)
def test_a_rule_file_names_each_key_once(name):
    """JSON keeps the last of two equal keys: a second "降" would silently drop the rules
    of the first."""
    path = Path(__file__).resolve().parents[1] / "flashcards" / "data" / f"{name}.json"
    twice = []

    def pairs(items):
        keys = [k for k, _ in items]
        twice.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(path.read_text("utf-8"), object_pairs_hook=pairs)
    assert not twice, twice


def test_the_shipped_rule_table_is_valid_json_we_wrote():
    path = Path(__file__).resolve().parents[1] / "flashcards" / "data" / "polyphones.json"
    data = json.loads(path.read_text("utf-8"))
    assert parse_rule_table(data).words.keys() == rule_table().words.keys()


def test_model_inference_matches_g2pm_own_code():
    """Our inference over g2pM's weights gives what g2pM's own code gives, wherever its
    answer is one of the character's readings."""
    g2pm = pytest.importorskip("g2pM")
    from flashcards.pinyin import _context_model

    reference = g2pm.G2pM()
    model = _context_model()
    sentences = [
        "杨侗奉越王为皇帝，隗嚣据守陇西。",
        "该患者出现咽痛、头昏等症状。",
        "他在湖边的亭子里弹琴，弹得很好。",
        "大禹治水三过家门而不入。",
    ]
    compared = 0
    for text in sentences:
        theirs = reference(text, tone=True, char_split=True)
        ours = model.predict(text, range(len(text)))
        for p, reading in ours.items():
            want = theirs[p].replace("u:", "ü")
            if want in {r for _, r in model.readings[text[p]]}:
                assert reading == want, (text, text[p])
                compared += 1
    assert compared >= 8


def test_pypinyin_in_sentence_reads_as_the_whole_sentence_does(dictionary, seed_path):
    """pypinyin is asked only about the runs of Han characters a token stands in: every
    token's characters come out as pypinyin reads them in the whole sentence."""
    from flashcards.pinyin import _pypinyin_run, _SentenceReader

    novel = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")[:20000]
    text = seed_path.read_text("utf-8") + novel + "他在KTV唱卡拉OK，唱了3个 小时。長得很快"
    compared = 0
    for sentence in re.split(r"(?<=[。！？\n])", text):
        reader = _SentenceReader(segment_text(sentence, dictionary), dictionary, False, {})
        whole = _pypinyin_run(reader._text())
        for i, tok in enumerate(reader.ctx.tokens):
            start = reader._offsets[i]
            word = tok.simplified or tok.text
            assert reader.pypinyin_in_sentence(i) == whole[start : start + len(word)], word
            compared += 1
    assert compared > 5000


def test_sentences_read_together_read_as_each_alone(dictionary, seed_path):
    """read_sentences runs the model over many sentences side by side: every reading, and
    every answer of the model, is what the sentence read alone gives."""
    from flashcards.pinyin import _context_model, _SentenceReader, read_sentences

    novel = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")[:15000]
    text = seed_path.read_text("utf-8") + novel
    sentences = [segment_text(s, dictionary) for s in re.split(r"(?<=[。！？\n])", text)]
    together = read_sentences(sentences, dictionary)
    assert together == [read_sentence(t, dictionary) for t in sentences]
    model = _context_model()
    questions = [_SentenceReader(t, dictionary, True, {}).model_question() for t in sentences]
    answers = model.predict_many(questions)
    assert answers == [model.predict(text, wanted) for text, wanted in questions]
    assert sum(len(a) for a in answers) > 500
    # Not only the same answers: the same bits of every LSTM state, sentences of any length.
    import numpy as np

    embedded = [
        model.embedding[[model.char_ids.get(c, model.unknown) for c in s]]
        for s in re.split(r"[，。！？\n]", novel)
        if s
    ][:300]
    steps = [len(e) for e in embedded]
    side_by_side = model._run(embedded, model.forward, steps)
    for e, n, states in zip(embedded, steps, side_by_side, strict=True):
        assert np.array_equal(states, model._run([e], model.forward, [n])[0])


def test_model_runs_numpy_on_one_blas_thread(dictionary, monkeypatch):
    """The model's small products run on one BLAS thread (threads made a build slower and
    cost a third more CPU); the limit holds only while the model runs."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from flashcards.pinyin import _context_model

    model = _context_model()
    if model is None:
        pytest.skip("g2pM is not installed")

    def blas_threads() -> set[int]:
        info = threadpoolctl.threadpool_info()
        return {i["num_threads"] for i in info if i["user_api"] == "blas"}

    seen = []
    run = model._run

    def recording_run(*args):
        seen.append(blas_threads())
        return run(*args)

    monkeypatch.setattr(model, "_run", recording_run)
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        model.predict("他长得很快，还给我。", [1, 5])
        after = blas_threads()
    assert seen and all(threads == {1} for threads in seen)
    assert after == {2}


def test_model_is_only_a_fallback(dictionary):
    """The model reads 他长得很快 with chang2; the rules must still win where they apply."""
    text = "他长得很快，请把书还给我。"
    with_model = [r.numbered for r in read_sentence(segment_text(text, dictionary), dictionary)]
    without = [
        r.numbered
        for r in read_sentence(segment_text(text, dictionary), dictionary, use_model=False)
    ]
    assert with_model == without
    assert "zhang3" in with_model and "huan2 gei3" in with_model


# ---------------------------------------------------------------- the benchmark script


def _benchmark_module():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "pinyin_cpp.py"
    spec = importlib.util.spec_from_file_location("pinyin_cpp_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_scores_inline_sentences(dictionary):
    bench = _benchmark_module()
    items = [
        bench.parse_item("他▁长▁得很快。", "zhang3"),
        bench.parse_item("这条河很▁长▁。", "chang2"),
        bench.parse_item("她是我的▁女▁儿。", "nu:3"),
    ]
    assert items[0].text == "他长得很快。" and items[0].index == 1 and items[0].char == "长"
    assert items[2].gold == "nü3"
    ours = bench.evaluate("ours", items, bench.ContextPinyin(dictionary))
    plain = bench.evaluate("plain", items, bench.plain_pypinyin)
    assert (ours.right, ours.total) == (3, 3)
    # pypinyin reads 长 the same way in both sentences, so it gets one of the two wrong.
    assert plain.total == 3 and plain.right == 2
    assert [it.char for it, _ in plain.errors] == ["长"]
    table = bench.report([plain, ours], items)
    assert "ours" in table and "100.00%" in table and "66.67%" in table


def test_benchmark_exits_clearly_without_shared(tmp_path, monkeypatch, capsys):
    bench = _benchmark_module()
    monkeypatch.setattr(bench, "CPP", tmp_path / "missing")
    assert bench.main([]) == 2
    assert "CPP benchmark data is missing" in capsys.readouterr().err


@pytest.mark.slow
def test_cpp_accuracy(dictionary):
    """Every third sentence of the CPP dev set: at least 95% with the model fallback."""
    folder = shared_path("bench", "cpp")
    bench = _benchmark_module()
    items = bench.load_items(folder)[::3]
    ours = bench.evaluate("ours", items, bench.ContextPinyin(dictionary))
    plain = bench.evaluate("plain", items, bench.plain_pypinyin)
    assert ours.accuracy >= plain.accuracy + 0.05
    # g2pM is a dependency: without its weights the rules alone reach about 93%.
    assert model_is_available()
    assert ours.accuracy >= 0.95, ours.accuracy


def _first_sentence_with(parts: tuple[str, ...], needle: str) -> str:
    """The first sentence of a ../shared text that contains ``needle``, cut as a build
    cuts it."""
    text = shared_path(*parts).read_text("utf-8")
    at = text.index(needle)
    line = text[text.rfind("\n", 0, at) + 1 : text.find("\n", at)]
    return next(s.text for s in split_sentences([line + "\n"], "test") if needle in s.text)


# A surname jieba cuts off from its given name: its reading as a surname, though its
# commonest reading as a word differs (贾 gu3 "merchant", 冯 ping2 "gallop", 褚 zhu3 "padded").
LONE_SURNAMES = [
    (("corpus", "hongloumeng.txt"), "长子贾赦袭了官", "贾", "jiǎ"),
    (("corpus", "hongloumeng.txt"), "贾政", "贾", "jiǎ"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "冯歪嘴子", "冯", "féng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "許褚", "褚", "chǔ"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "褚曰", "褚", "chǔ"),
]


def test_a_particle_jieba_tags_as_a_name_keeps_its_reading(dictionary):
    # jieba tags this 么 as a person's name; the question particle it is stays ma5.
    assert marked_syllable("衣裳是绸裙么？", "么", dictionary) == "ma"


# A token CC-CEDICT lacks (a name with a title, a glued run) is read through the dictionary
# words inside it, not character by character: 王夫人 is Wáng fūren, not fūrén.
WORDS_INSIDE_UNKNOWN_TOKENS = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "曹丞相差我", "相", "xiàng"),
    (("corpus", "hongloumeng.txt"), "宋妈妈道", "妈", "ma"),
    (("corpus", "hongloumeng.txt"), "欲洁何曾洁", "曾", "céng"),
    (("corpus", "laoshe-chaguan.txt"), "崔先生", "生", "sheng"),
]


# The passive 为…所 ("by"), beside 为 "for" in the same texts.
PASSIVE_WEI = [
    (("corpus", "luxun-nahan.txt"), "不为世间所知", "为", "wéi"),
    (("corpus", "hongloumeng.txt"), "竟为风露所欺", "为", "wéi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "為賊所害", "為", "wéi"),
    (("corpus", "laoshe-chaguan.txt"), "为这点功劳", "为", "wèi"),
    (("corpus", "luxun-nahan.txt"), "为报仇起见", "为", "wèi"),
]

# 过 after a verb marks experience (guo); after 不知 or a modal it is the verb "pass".
GUO_AFTER_A_VERB = [
    (("corpus", "hongloumeng.txt"), "又不知过了几世几劫", "过", "guò"),
    (("corpus", "hongloumeng.txt"), "又怨他不会过", "过", "guò"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "他没有想过", "过", "guo"),
    (("corpus", "laoshe-chaguan.txt"), "的确那么想过", "过", "guo"),
]
# 应 ending a clause, or before 了 or 曰, is "answer, respond" (ying4); the modal "should"
# (ying1) needs a verb after it.
YING_WITHOUT_A_VERB = [
    (("corpus", "luxun-nahan.txt"), "仍然没有人应", "应", "yìng"),
    (("corpus", "hongloumeng.txt"), "凤姐应了", "应", "yìng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "肅不應", "應", "yìng"),
    (("corpus", "hongloumeng.txt"), "也是应有此灾", "应", "yīng"),
]
# 地 the noun "ground, place", where jieba tags it as the adverbial particle.
DI_THE_GROUND = [
    (("corpus", "hongloumeng.txt"), "落花满地鸟惊飞", "地", "dì"),
    (("corpus", "hongloumeng.txt"), "出身之地", "地", "dì"),
    (("corpus", "hongloumeng.txt"), "这么天不怕地不怕", "地", "dì"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "十天半月地", "地", "de"),
    (("corpus", "luxun-nahan.txt"), "终于慢慢地走了", "地", "de"),
]
# Older texts write 那里 for 哪里 "where": where it is what a question asks, or before a
# verb of knowing in a rhetorical "how could"; not 在那里 + a verb, "there, at it".
NALI_FOR_WHERE = [
    (("corpus", "luxun-nahan.txt"), "现在你的同党在那里", "里", "lǐ"),
    (("corpus", "hongloumeng.txt"), "那里知道这清幽气象呢", "里", "lǐ"),
    (("corpus", "hongloumeng.txt"), "那里肯舍", "那", "nǎ"),
    (("corpus", "luxun-nahan.txt"), "你又在那里打猫了", "那", "nà"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "李永春是在那里", "那", "nà"),
]
# After an adverb of degree the word is an adjective: where two readings differ only in a
# neutral tone, the neutral one (大意 da4 yi5 "careless", not da4 yi4 "gist").
NEUTRAL_ADJECTIVE_AFTER_DEGREE = [
    (("corpus", "laoshe-chaguan.txt"), "你别太大意了", "意", "yi"),
    (("corpus", "hongloumeng.txt"), "又最公道", "道", "dao"),
    (("corpus", "hongloumeng.txt"), "心里很受用", "用", "yong"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "还有些女人", "人", "rén"),
]
# A suffix jieba cuts from its word has the word's neutral tone (洞子, 里头 are CC-CEDICT
# words); 子 "son" and a pebble 石子 keep the full tone.
SPLIT_SUFFIXES = [
    (("corpus", "xiaohong-hulanhezhuan.txt"), "大门洞子", "子", "zi"),
    (("corpus", "hongloumeng.txt"), "几个老婆子", "子", "zi"),
    (("corpus", "laoshe-chaguan.txt"), "城外头", "头", "tou"),
    (("corpus", "hongloumeng.txt"), "往前头", "头", "tou"),
    (("corpus", "luxun-nahan.txt"), "易子而食", "子", "zǐ"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "抛一颗石子", "子", "zǐ"),
]
# The classical novels' verbs: 降 to surrender (a state, 否, after 而/肯), 將 the generals
# after 眾/諸 whatever follows, 教 and 差 someone to do something, 地 after 於 the ground,
# 應之, 重權, 今得, 為 closing its clause; 從天降 still descends.
CLASSICAL_READINGS = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "不得已而降蜀", "降", "xiáng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "肯降否", "降", "xiáng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "疑從天降", "降", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "操令眾將於甬道兩旁", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "只教孫策出馬", "教", "jiào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "傳令差一萬軍", "差", "chāi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "擲弓於地", "地", "dì"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "何以應之", "應", "yìng"),
    (("corpus", "hongloumeng.txt"), "皆应劫而生者", "应", "yìng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "因握重權", "重", "zhòng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "今得相隨", "得", "dé"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "久必為變", "為", "wéi"),
    # 红楼梦's household verbs: 弄 (not the lane long4), 倒茶 pours, 放重 heavier (一重山坡
    # a layer), at someone's place 处, 那几日 several, 地了 the ground.
    (("corpus", "hongloumeng.txt"), "弄点子药吃吃就好", "弄", "nòng"),
    (("corpus", "hongloumeng.txt"), "不去倒茶", "倒", "dào"),
    (("corpus", "hongloumeng.txt"), "遂把脚步放重些", "重", "zhòng"),
    (("corpus", "hongloumeng.txt"), "将转过了一重山坡儿", "重", "chóng"),
    (("corpus", "hongloumeng.txt"), "又在邢夫人处住了两日", "处", "chù"),
    (("corpus", "hongloumeng.txt"), "到交节的那几日", "几", "jǐ"),
    (("corpus", "hongloumeng.txt"), "抱怨天、抱怨地了", "地", "dì"),
    # The suffix 子 after a noun CC-CEDICT has no word for (泥坑子, 绢子), not a courtesy
    # name (字子龍); a mill 火磨; the particle 吧 after 酒; 和 + a person; 给 + a person;
    # 教 + a person + a feeling.
    (("corpus", "xiaohong-hulanhezhuan.txt"), "老头走在泥坑子", "子", "zi"),
    (("corpus", "hongloumeng.txt"), "用绢子包好", "子", "zi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "名雲，字子龍", "子", "zǐ"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "东二道街上有一家火磨", "磨", "mò"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "带回去给公公去喝酒吧", "吧", "ba"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "他一和祖父", "和", "hé"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "有的主张给她扎", "给", "gěi"),
    (("corpus", "luxun-nahan.txt"), "这真教我怕", "教", "jiào"),
    # Words CC-CEDICT reads two ways, by their place: 言语 the verb, 抢过来 the complement,
    # 议论起来, 他的女人 "wife", 骂得尤利害, 重重的赏, 和别人口角, 过不了, 也精神了.
    (("corpus", "luxun-nahan.txt"), "便不再言语了", "语", "yu"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "我也抢过来浇", "来", "lai"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "河灯从上流过来", "来", "lái"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "又都议论起来", "起", "qi"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "他看见他的女人", "人", "ren"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "那女人仍旧躺着", "人", "rén"),
    (("corpus", "luxun-nahan.txt"), "而学生骂得尤利害", "害", "hai"),
    (("corpus", "hongloumeng.txt"), "我必重重的赏你", "重", "zhòng"),
    (("corpus", "luxun-nahan.txt"), "独有和别人口角的时候", "角", "jué"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "可是过不了一会", "了", "liǎo"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "要回家睡觉的也精神了", "神", "shen"),
    # 地方 "local" before what it qualifies (the place keeps fang5), 大夫 an official before
    # his name, 渭水東西 east and west, 屋後劈柴 the verb.
    (("seeds", "000_6077f70e12453669.txt"), "扩大地方交往", "方", "fāng"),
    (("seeds", "000_6077f70e12453669.txt"), "美最早建立友城的地方", "方", "fang"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "大夫劉曄諫曰", "夫", "fū"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "渭水東西踏看地理", "西", "xī"),
    (("corpus", "luxun-traditional.txt"), "我就在屋後劈柴", "柴", "chái"),
    (("corpus", "hongloumeng.txt"), "你我不必同行", "行", "xíng"),
    (("corpus", "luxun-nahan.txt"), "非其所长", "长", "cháng"),
    (("corpus", "laoshe-chaguan.txt"), "你要是能琢磨出个好名字", "磨", "mo"),
    (("corpus", "hongloumeng.txt"), "便可以高中了", "中", "zhòng"),
    (("corpus", "hongloumeng.txt"), "各干营生去罢", "生", "sheng"),
    (("corpus", "luxun-nahan.txt"), "一伙鸟男女才好笑哩", "哩", "li"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "这事情一发", "发", "fā"),
]
# 人家 "a household" after what kind of family it is (富贵人家), else "other people";
# 场 chang2 counts an event's course (一场病, 一场战争), chang3 a show or a game.
HOUSEHOLDS_AND_EVENTS = [
    (("corpus", "hongloumeng.txt"), "富贵人家养的孩子都娇嫩", "家", "jiā"),
    (("corpus", "hongloumeng.txt"), "那庄农人家", "家", "jiā"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "帮了人家的忙", "家", "jia"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "吓出一场病来", "场", "cháng"),
    (("seeds", "000_6077f70e12453669.txt"), "一场战争", "场", "cháng"),
]
# A two-reading word before a noun or a verbal noun takes the reading that modifies
# (正当利益 "legitimate", 東西衝殺 "east and west"); after 什么 it is the noun (什么东西).
BEFORE_AND_AFTER_A_NOUN = [
    (("seeds", "000_6077f70e12453669.txt"), "中方正当利益", "当", "dàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "布東西衝殺", "西", "xī"),
    (("corpus", "hongloumeng.txt"), "我是个什么东西儿", "西", "xi"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "什么地方有空", "方", "fang"),
]
# 将 ending a clause is the noun "general" (jiang4); 一通 after a verb is "a bout" (tong4).
CLAUSE_ENDS = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "我正要捉拿賊將", "將", "jiàng"),
    (("corpus", "hongloumeng.txt"), "便点兵派将", "将", "jiàng"),
    (("corpus", "luxun-nahan.txt"), "飘飘然的飞了一通", "通", "tòng"),
    (("corpus", "luxun-nahan.txt"), "想了一通", "通", "tòng"),
    # 耶 before a question mark is the classical question particle yé.
    (("corpus", "sanguozhiyanyi-traditional.txt"), "何言反耶？", "耶", "yé"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "游說東吳耶？", "耶", "yé"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "汝敢小覷我耶！", "耶", "yé"),
]
# 大夫 after an official's rank is da4 fu1 (an official), else dai4 fu5 (a doctor);
# 当夜 "that same night" is dang4 ye4, as 现代汉语词典 gives it.
OFFICIALS_AND_NIGHTS = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "諫議大夫劉陶", "夫", "fū"),
    (("corpus", "hongloumeng.txt"), "请大夫", "夫", "fu"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "當夜三更", "當", "dàng"),
]
# Classical 說 shui4 "persuade" (往說之), beside the storyteller's 卻說 shuo1.
PERSUADE = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "願往說之", "說", "shuì"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "往說張繡", "說", "shuì"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "卻說袁紹興兵", "說", "shuō"),
]
# A polyphone read by the construction it stands in, one construction per comment: 着 zháo
# as a main verb after its subject or as the result after 没 + verb, not 那么着; 降 jiàng with
# what is sent down (詔, 大雪); 这得 + amount, "will need".
READINGS_BY_CONSTRUCTION = [
    (("corpus", "luxun-nahan.txt"), "孔乙己着", "着", "zháo"),
    (("corpus", "hongloumeng.txt"), "也没打着", "着", "zháo"),
    (("corpus", "hongloumeng.txt"), "没寻着", "着", "zháo"),
    (("corpus", "hongloumeng.txt"), "就是那么着", "着", "zhe"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "被火烧着", "着", "zháo"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "朝廷降詔", "降", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "天降大雪", "降", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "吾已降曹", "降", "xiáng"),
    (("corpus", "laoshe-chaguan.txt"), "这得多少钱", "得", "děi"),
    # 為 wéi after its subject with no verb to follow: 遣張松為使, 折箭為誓.
    (("corpus", "sanguozhiyanyi-traditional.txt"), "遣張松為使", "為", "wéi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "遂折箭為誓", "為", "wéi"),
    (("corpus", "hongloumeng.txt"), "四个丫鬟为伴", "为", "wéi"),
    # 干 gān "dry" before a food or after what dries, gàn for what someone did.
    (("corpus", "xiaohong-hulanhezhuan.txt"), "姐姐亲手晒的干鱼", "干", "gān"),
    (("corpus", "luxun-nahan.txt"), "油灯干了", "干", "gān"),
    (("corpus", "hongloumeng.txt"), "小时候干的营生", "干", "gàn"),
    # 將 jiàng "general" counted or of a kind, whatever follows: 眾將大驚, 一將飛出, 牙將.
    (("corpus", "sanguozhiyanyi-traditional.txt"), "眾將大驚", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "一將飛出", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "牙將任夔", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "先將汝許嫁呂布", "將", "jiāng"),
    # 還 huán ending its clause or before where one goes back to: 不能還。, 還寨.
    (("corpus", "sanguozhiyanyi-traditional.txt"), "但可惜蹇滯不能還", "還", "huán"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "新還京師", "還", "huán"),
    (("corpus", "hongloumeng.txt"), "欠命的命已还", "还", "huán"),
    (("corpus", "hongloumeng.txt"), "还泪", "还", "huán"),
    # 中 zhōng "among, in" after a place before a number (内中一个), zhòng after the body
    # it hits (身中三槍); 倒 dào before a verb (我倒开心), dǎo "fall" before 了.
    (("corpus", "hongloumeng.txt"), "内中一个管门的", "中", "zhōng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "身中三槍", "中", "zhòng"),
    (("corpus", "hongloumeng.txt"), "我倒开心", "倒", "dào"),
    (("corpus", "hongloumeng.txt"), "倒唬了一跳", "倒", "dào"),
    (("corpus", "hongloumeng.txt"), "恰似窗屉子倒了", "倒", "dǎo"),
    # 重 zhòng after 还, 日 and the like: heavier, more serious.
    (("corpus", "hongloumeng.txt"), "这病日重一日", "重", "zhòng"),
    (("corpus", "hongloumeng.txt"), "比老爷太太还重么", "重", "zhòng"),
    # 行 xíng "to serve, to go" where the model says háng: 命左右行酒, 與玄德同行。
    (("corpus", "sanguozhiyanyi-traditional.txt"), "命左右行酒", "行", "xíng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "與玄德同行", "行", "xíng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "兩行紅炬", "行", "háng"),
    # 啦 the particle closing a clause, lā the sound.
    (("corpus", "laoshe-chaguan.txt"), "吓死我啦", "啦", "la"),
    (("corpus", "luxun-nahan.txt"), "你听，啦", "啦", "lā"),
]
# A classifier after a number (乘 of carriages), the noun after what a clause's 睡 sleeps,
# the verb 'grow' in its potential form.
COUNTED_AND_SLEPT = [
    (("corpus", "hongloumeng.txt"), "四乘大轿", "乘", "shèng"),
    (("corpus", "hongloumeng.txt"), "两乘小轿", "乘", "shèng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "萬乘之軀", "乘", "shèng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "自己卻獨乘一馬", "乘", "chéng"),
    (("corpus", "laoshe-chaguan.txt"), "钟头的觉", "觉", "jiào"),
    (("corpus", "hongloumeng.txt"), "睡你的觉", "觉", "jiào"),
    (("corpus", "hongloumeng.txt"), "多有长", "长", "zhǎng"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "就要长不大", "长", "zhǎng"),
    (("corpus", "laoshe-chaguan.txt"), "长不了", "长", "cháng"),
    (("corpus", "hongloumeng.txt"), "叠得长不满", "长", "cháng"),
]
# 便宜 piányi 'a petty advantage' one gains, 'to let off lightly' before whom it lets off.
PIANYI = [
    (("corpus", "hongloumeng.txt"), "乘机讨些便宜", "宜", "yi"),
    (("corpus", "hongloumeng.txt"), "得些便宜", "便", "pián"),
    (("corpus", "hongloumeng.txt"), "白便宜了外人", "便", "pián"),
]
# 还 the adverb hái before an adjective, an adverb, a modal or 都 + what they do; huán
# where something is given back or someone goes back (还都 'to the capital' ends a clause).
STILL_OR_BACK = [
    (("corpus", "hongloumeng.txt"), "还都好", "还", "hái"),
    (("corpus", "hongloumeng.txt"), "谁还肯认", "还", "hái"),
    (("corpus", "hongloumeng.txt"), "离潇湘馆还远", "还", "hái"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "比浆糊还黏", "还", "hái"),
    (("corpus", "luxun-traditional.txt"), "也還都不錯", "還", "hái"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "請陛下還都", "還", "huán"),
    (("corpus", "hongloumeng.txt"), "若他不还正经礼数", "还", "huán"),
    (("corpus", "hongloumeng.txt"), "还孽债", "还", "huán"),
]
# 好酒: hǎo the good wine one has, drinks or counts; hào 'to love drinking' after its subject.
HAO_JIU = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "老夫家無好酒", "好", "hǎo"),
    (("corpus", "hongloumeng.txt"), "再喝一钟好酒", "好", "hǎo"),
    (("corpus", "hongloumeng.txt"), "一味的好酒", "好", "hào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "好酒廢事", "好", "hào"),
]
# 差 chāi 'to send' before whom it sends: soldiers, a trusted man, a runner.
CHAI_TO_SEND = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "可差軍士", "差", "chāi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "都督差心腹人至", "差", "chāi"),
    (("corpus", "hongloumeng.txt"), "发签差公人", "差", "chāi"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "操連夜差軍", "差", "chāi"),
]
# 得 before a verb: dé 'get to, manage to' in narrative (得脫, 得令, 勿得 'must not'), de
# after a feeling or a state (气得, 红得), děi 'must' after its subject and a modal.
DE_BEFORE_A_VERB = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "太史慈得脫", "得", "dé"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "眾將得令", "得", "dé"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "勿得妄動", "得", "dé"),
    (("corpus", "hongloumeng.txt"), "贾环气得发怔", "得", "de"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "脸红得像", "得", "de"),
    (("corpus", "laoshe-chaguan.txt"), "早晚得死", "得", "děi"),
    (("corpus", "luxun-nahan.txt"), "我得去看看", "得", "děi"),
]
# 教 jiào: having someone do something (教左右備馬, 操教先打, 教她走開); jiāo where a
# skill or a way is taught (教我以破紹之計, 教出来).
CAUSATIVE_JIAO = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "便教左右備馬", "教", "jiào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "操教先打", "教", "jiào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "教軍士飽餐", "教", "jiào"),
    (("corpus", "luxun-traditional.txt"), "教她走開", "教", "jiào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "願即教我以破紹之計", "教", "jiāo"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "君當教我脫身之術", "教", "jiāo"),
    (("corpus", "laoshe-chaguan.txt"), "我爸爸教出来", "教", "jiāo"),
]
# 相 xiàng the chancellor's (相府, 相父) and a telling face (反相, 人臣之相); xiāng
# 'each other' after a degree word (极相熟).
XIANG_MINISTER_OR_EACH_OTHER = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "卓進至相府", "相", "xiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "惟相父斟酌", "相", "xiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "魏延素有反相", "相", "xiàng"),
    (("corpus", "hongloumeng.txt"), "极相熟", "相", "xiāng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "自相衝擊", "相", "xiāng"),
]
# 将 jiāng, the object marker, before the door it shuts and before a quotation; jiàng,
# the general, ending a clause after a verb (撤坛谢将。).
JIANG_MARKER_OR_GENERAL = [
    (("corpus", "hongloumeng.txt"), "贾珍命人将门关上", "将", "jiāng"),
    (("corpus", "hongloumeng.txt"), "回身便将门闭了", "将", "jiāng"),
    (("corpus", "hongloumeng.txt"), "宝钗将“稻香老农”", "将", "jiāng"),
    (("corpus", "hongloumeng.txt"), "一面撤坛谢将", "将", "jiàng"),
]
# 数 shù, the number, ending a clause (不知其數, 月例之数) and 'several' before what it
# counts (去未数日); shǔ 'to count (as)' in 不足数, 从头数至; 处 chù, someone's place;
# 种 zhòng 'to plant' after 所 or a modal.
SHU_CHU_ZHONG = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "死者不知其數", "數", "shù"),
    (("corpus", "hongloumeng.txt"), "每人月例之数", "数", "shù"),
    (("corpus", "hongloumeng.txt"), "去未数日", "数", "shù"),
    (("corpus", "luxun-nahan.txt"), "尚且不足数", "数", "shǔ"),
    (("corpus", "hongloumeng.txt"), "便从头数至", "数", "shǔ"),
    (("corpus", "hongloumeng.txt"), "贾母王夫人处请安", "处", "chù"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "吾當於兄長處", "處", "chù"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "所種松柏", "種", "zhòng"),
    (("corpus", "hongloumeng.txt"), "他怎么种出来", "种", "zhòng"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "种小白菜", "种", "zhòng"),
]
# 少 shào 'young' in 少帝; 重 zhòng 'generously' in 重待; 行 xíng before how far it goes;
# 长 zhǎng where 的 stands for 得 after 'grow' (长的实在好看), cháng in 筷子长的麻花.
YOUNG_GENEROUS_FAR_GROWN = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "尋覓少帝", "少", "shào"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "孔融重待太史慈", "重", "zhòng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "倒行百餘步", "行", "xíng"),
    (("corpus", "hongloumeng.txt"), "长的实在好看", "长", "zhǎng"),
    (("corpus", "xiaohong-hulanhezhuan.txt"), "竹筷子长的大麻花", "长", "cháng"),
]
# A quotation inside a clause does not end it: an opening mark after a word, or a closing
# one before it, is no clause edge (如得了“凤凰”, ‘蕉下客’罢, “列传”么).
QUOTATION_INSIDE_A_CLAUSE = [
    (("corpus", "hongloumeng.txt"), "众人真如得了", "了", "le"),
    (("corpus", "hongloumeng.txt"), "就称‘蕉下客’罢", "罢", "ba"),
    (("corpus", "luxun-nahan.txt"), "“列传”么", "么", "ma"),
]
# A particle closing a clause (哪 for 呢 or 啊 after a noun, a pronoun or a verb; 喽 for
# 了; 咧), which the model reads as the full syllable; 哪 after 在/到 asks where.
PARTICLES_CLOSING_A_CLAUSE = [
    (("corpus", "laoshe-chaguan.txt"), "咱们哪", "哪", "na"),
    (("corpus", "laoshe-chaguan.txt"), "您在这儿哪", "哪", "na"),
    (("corpus", "hongloumeng.txt"), "学针线哪", "哪", "na"),
    (("corpus", "laoshe-chaguan.txt"), "还没走哪", "哪", "na"),
    (("seeds", "000_6077f70e12453669.txt"), "发展到哪", "哪", "nǎ"),
    (("corpus", "laoshe-chaguan.txt"), "给顶垮喽", "喽", "lou"),
    (("corpus", "laoshe-chaguan.txt"), "出不来喽", "喽", "lou"),
    (("corpus", "hongloumeng.txt"), "只是不肯罢咧", "咧", "lie"),
    (("corpus", "luxun-nahan.txt"), "到他家玩去咧", "咧", "lie"),
]
# 將 after a number or 眾/諸 is the generals, whatever follows (眾將曰, 三將俱走,
# 急聚眾將商議 with 眾 inside jieba's 聚眾, 韓遂二將 once the name and the number part).
GENERALS_COUNTED = [
    (("corpus", "sanguozhiyanyi-traditional.txt"), "回顧眾將", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "急聚眾將", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "三將俱走", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "原來二將", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "韓遂二將", "將", "jiàng"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "宋憲四將", "將", "jiàng"),
]
# 儿 after a word of its own, or a measure word, is the suffix r (闲话儿, 趁早儿, 一声儿);
# after 吾 or 我的 a son, and after one character it may end a name (莺儿).
ERHUA_SUFFIX = [
    (("corpus", "hongloumeng.txt"), "闲话儿", "儿", "r"),
    (("corpus", "hongloumeng.txt"), "眼圈儿红了", "儿", "r"),
    (("corpus", "hongloumeng.txt"), "趁早儿", "儿", "r"),
    (("corpus", "hongloumeng.txt"), "一声儿", "儿", "r"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "吾兒", "兒", "ér"),
    (("corpus", "hongloumeng.txt"), "我的儿，", "儿", "ér"),
    (("corpus", "hongloumeng.txt"), "莺儿", "儿", "ér"),
]
# 地下 where one kneels, falls or throws something, or toward it, is the ground or the floor
# (di4 xia5); what is buried there is underground (di4 xia4).
DIXIA_THE_FLOOR = [
    (("corpus", "hongloumeng.txt"), "跪在地下乱颤", "下", "xia"),
    (("corpus", "hongloumeng.txt"), "狠命往地下一摔", "下", "xia"),
    (("corpus", "hongloumeng.txt"), "满地下皆是婆", "下", "xia"),
    (("corpus", "luxun-nahan.txt"), "马倒在地下", "下", "xia"),
    (("corpus", "sanguozhiyanyi-traditional.txt"), "擲於地下", "下", "xia"),
    (("corpus", "hongloumeng.txt"), "埋在地下", "下", "xià"),
]
@pytest.mark.parametrize(
    "sentence", ["城市向地下发展。", "根系往地下延伸。", "往地下挖了三米。", "雨水往地下渗。"]
)
def test_underground_is_where_a_verb_goes_into_the_earth(dictionary, sentence):
    """往地下/向地下 before a verb that goes into the earth is underground, not the floor."""
    assert syllable_at(sentence, sentence.index("地下") + 1, dictionary)[1] == "xià"


# 麽, CC-CEDICT's variant spelling of 麼, is written for 麼 in all its uses: closing a
# question it is ma, as 么 is; 甚麽 and 甚么 are 什么, shén me.
MO_WRITTEN_FOR_ME = [
    (("corpus", "luxun-traditional.txt"), "手製的偶像麽", "麽", "ma"),
    (("corpus", "luxun-traditional.txt"), "他不咬人麽", "麽", "ma"),
    (("corpus", "luxun-traditional.txt"), "我們甚麽時候", "甚", "shén"),
    (("corpus", "luxun-traditional.txt"), "我們甚麽時候", "麽", "me"),
    (("corpus", "hongloumeng.txt"), "又来问我做甚么", "么", "me"),
]
READINGS_IN_REAL_TEXT = (
    PERSUADE
    + READINGS_BY_CONSTRUCTION
    + OFFICIALS_AND_NIGHTS
    + CLAUSE_ENDS
    + BEFORE_AND_AFTER_A_NOUN
    + HOUSEHOLDS_AND_EVENTS
    + SPLIT_SUFFIXES
    + CLASSICAL_READINGS
    + NEUTRAL_ADJECTIVE_AFTER_DEGREE
    + NALI_FOR_WHERE
    + DI_THE_GROUND
    + LONE_SURNAMES
    + WORDS_INSIDE_UNKNOWN_TOKENS
    + PASSIVE_WEI
    + GUO_AFTER_A_VERB
    + YING_WITHOUT_A_VERB
    + COUNTED_AND_SLEPT
    + PIANYI
    + STILL_OR_BACK
    + HAO_JIU
    + CHAI_TO_SEND
    + DE_BEFORE_A_VERB
    + CAUSATIVE_JIAO
    + XIANG_MINISTER_OR_EACH_OTHER
    + JIANG_MARKER_OR_GENERAL
    + SHU_CHU_ZHONG
    + YOUNG_GENEROUS_FAR_GROWN
    + QUOTATION_INSIDE_A_CLAUSE
    + PARTICLES_CLOSING_A_CLAUSE
    + GENERALS_COUNTED
    + ERHUA_SUFFIX
    + DIXIA_THE_FLOOR
    + MO_WRITTEN_FOR_ME
)


@pytest.mark.parametrize("parts, needle, char, expected", READINGS_IN_REAL_TEXT)
def test_reading_in_real_text(dictionary, parts, needle, char, expected):
    """The last ``char`` of ``needle`` in the first sentence of a ../shared text with it."""
    sentence = _first_sentence_with(parts, needle)
    at = sentence.index(needle) + needle.rindex(char)
    assert syllable_at(sentence, at, dictionary)[1] == expected, sentence


@pytest.mark.parametrize(
    "pattern, char",
    [
        # 分子 fèn zǐ "members of a group" after a kind of person, not fēn zǐ "molecule".
        (r"(好战|腐败|恐怖主义)\u2581分\u2581子", "分"),
        # 所处 chǔ: where one is placed.
        (r"所\u2581处\u2581", "处"),
        # 教会 jiāo huì "taught (someone) to", before the one taught, not jiào huì "church".
        (r"\u2581教\u2581会(了|孩子|他|我)", "教"),
        # 调 tiáo "adjust, mix" before what is adjusted (调脂, 调参, 调座位), not diào.
        (r"\u2581调\u2581(脂|参|座)", "调"),
        # 只 zhī in 只字未提, 睁只眼, 多只产品: one, several (of them).
        (r"\u2581只\u2581(字|眼闭)|多\u2581只\u2581(产品|军队)", "只"),
    ],
)
def test_a_construction_in_g2pl_sentences_reads_as_labelled(dictionary, pattern, char):
    """g2pL's sentences (../shared/bench/g2pl, the target wrapped in U+2581) where the
    construction stands: our reading of the target is g2pL's label in every one."""
    folder = shared_path("bench", "g2pl")
    lines = (folder / "train.sent").read_text("utf-8").splitlines()
    labels = (folder / "train.lb").read_text("utf-8").splitlines()
    found = [(line, lb) for line, lb in zip(lines, labels, strict=True) if re.search(pattern, line)]
    assert len(found) >= 3
    for line, label in found:
        at = line.index("\u2581")
        sentence = line.replace("\u2581", "")
        assert sentence[at] == char
        got = syllable_at(sentence, at, dictionary)[0]
        assert normalise_u(got) == normalise_u(label.strip()), sentence


@pytest.mark.parametrize("sentence", ["千教万教教人求真，千学万学学做真人。", "妈妈教我包饺子。"])
def test_teaching_someone_to_do_something_stays_jiao1(dictionary, sentence):
    # 教 + a person + a verb is the causative jiào in the novels (教軍士飽餐) only where the
    # person is no pronoun or 人: after those, teaching is as likely.
    at = sentence.index("教人" if "教人" in sentence else "教我")
    assert syllable_at(sentence, at, dictionary)[1] == "jiāo", sentence
