"""Senses in context: the first sense on a card fits the word as its example uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import shared_path

from flashcards import api
from flashcards.senses import Use, order_for_use

DECKS = Path(__file__).resolve().parents[1] / "decks"


def first_senses(text: str, tmp_path: Path, words: set[str]) -> dict[str, tuple[str, str]]:
    source = tmp_path / "t.txt"
    source.write_text(text, "utf-8")
    deck = api.make_deck([source], api.BuildOptions(allow_empty=True, names=True))
    return {v.simplified: (v.senses[0], v.traditional) for v in deck.vocab if v.simplified in words}


@pytest.mark.parametrize(
    "senses", [("seldom", "rarely"), ("vehement", "fierce"), ("random", "casual")]
)
def test_after_a_degree_word_an_adjective_that_looks_like_a_noun_keeps_its_place(senses):
    """-dom, -ment, -ence mark nouns (kingdom, anxiety), but not seldom, vehement, random."""
    assert order_for_use(senses, Use("a", after_degree=True)) == senses


def test_a_degree_word_works_the_same_in_either_script(tmp_path):
    """極 is 极: after it a verb jieba tags is said of something in traditional text too."""
    simplified = first_senses("他极感动。", tmp_path, {"感动"})["感动"][0]
    assert first_senses("他極感動。", tmp_path, {"感动"})["感动"][0] == simplified


def test_references_and_notes_come_last_and_rare_senses_late():
    senses = ["variant of 教", "(archaic) to instruct", "also pr. [jiao4]", "to teach"]
    assert order_for_use(senses, Use("v"))[0] == "to teach"
    assert order_for_use(senses, None)[-2:] == ("variant of 教", "also pr. [jiao4]")


@pytest.mark.parametrize(
    "pattern, classifier",
    [
        (r"[一两三几这那每][座]", "座"),
        (r"[一两三几这那每][只]", "只"),
        (r"[一两几这那每][家]", "家"),
    ],
)
def test_a_counted_word_leads_with_its_measure_word_sense(tmp_path, pattern, classifier):
    """Every such use in 呼兰河传 and 呐喊: the note's first sense is the classifier's
    (where the sentence has the word once: 你家的…老六一家的 uses it two ways)."""
    seen = 0
    for name in ("xiaohong-hulanhezhuan.txt", "luxun-nahan.txt"):
        text = shared_path("corpus", name).read_text("utf-8")
        for sentence in re.findall(r"[^。！？\n]*" + pattern + r"[^。！？\n]*[。！？]", text)[:15]:
            if sentence.count(classifier) > 1:
                continue
            got = first_senses(sentence, tmp_path, {classifier})
            if classifier in got:
                seen += 1
                assert got[classifier][0].startswith("classifier"), (sentence, got)
    assert seen >= 5


def test_the_traditional_form_follows_the_entry_the_use_chose(tmp_path):
    got = first_senses("院子里有两只猫，一只白的。", tmp_path, {"只"})
    assert got["只"][1] == "隻" and got["只"][0].startswith("classifier")


@pytest.mark.parametrize("name", ["laoshe-chaguan.txt", "xiaohong-hulanhezhuan.txt"])
def test_a_form_glossed_as_a_variant_is_not_the_traditional_form(tmp_path, name):
    """OpenCC writes 刚才 as 剛纔, whose one CC-CEDICT sense is "just now (variant of
    剛才|刚才[gang1 cai2])": the note takes 剛才 and its own senses."""
    sentence = _sentence_with(name, "刚才")
    sense, traditional = first_senses(sentence, tmp_path, {"刚才"})["刚才"]
    assert (traditional, sense) == ("剛才", "just now"), sentence


@pytest.mark.parametrize(
    "text, word, starts",
    [
        ("请把书还给我，我还没看完。", "把", "(used to put the object before the verb"),
        ("当他回到家的时候，天已经黑了。", "当", "when"),
        ("她去年还只有这么高，今年长得很快。", "长", "to grow"),
    ],
)
def test_a_function_word_or_a_verb_leads_with_that_sense(tmp_path, text, word, starts):
    assert first_senses(text, tmp_path, {word})[word][0].startswith(starts)


def test_weekend_deck_first_senses_fit(tmp_path):
    """decks/weekend: 长 of 她长得很快 leads with 'to grow'; 长长的队 has 'long' up front."""
    source = tmp_path / "weekend.txt"
    source.write_text((DECKS / "weekend" / "weekend.txt").read_text("utf-8"), "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    by_reading = {v.numbered: v.senses for v in deck.vocab if v.simplified == "长"}
    assert by_reading["zhang3"][0].startswith("to grow")
    assert "long" in by_reading["chang2"][:2]


@pytest.mark.parametrize(
    "text, word, not_first",
    [("你应该把书还给我。", "把", "classifier"), ("因此本次会议推迟了。", "本", "classifier")],
)
def test_a_word_ending_like_a_numeral_counts_nothing(tmp_path, text, word, not_first):
    assert not first_senses(text, tmp_path, {word})[word][0].startswith(not_first)


def _corpus_sentences(names: tuple[str, ...], pattern: str, limit: int) -> list[str]:
    found = []
    for name in names:
        text = shared_path("corpus", name).read_text("utf-8")
        found += re.findall(r"[^。！？\n]*" + pattern + r"[^。！？\n]*[。！？]", text)[:limit]
    return found


MODERN = ("xiaohong-hulanhezhuan.txt", "luxun-nahan.txt")


NOVELS = ("hongloumeng.txt", "sanguozhiyanyi-traditional.txt")


@pytest.mark.parametrize(
    "names, pattern, word, fits",
    [
        # 了 ending a statement: the change of state; before a comma: a completed action.
        (MODERN, r"[^\s，。]了(?=。)", "了", lambda s: s.startswith("(modal particle")),
        (MODERN, r"[去来到走说看]了(?=，)", "了", lambda s: s == "(completed action marker)"),
        # 几 before a number or a measure word, in a statement: several, not "how many".
        (MODERN, r"几[十百千万](?=[^？?]*。)", "几", lambda s: s in ("several", "a few")),
        # 好 right after a verb: the complement of completion.
        (MODERN, r"[做备吃]好(?=[了的，。])", "好", lambda s: "complement" in s),
        # 忽见, 大怒 in the novels: the adverb before its verb (before, "to neglect", "big").
        (NOVELS, r"忽[听見见聽]", "忽", lambda s: s == "suddenly"),
        (NOVELS, r"大[叫怒驚惊喜笑亂乱]", "大", lambda s: s.startswith("greatly")),
    ],
)
def test_the_place_of_a_word_in_its_sentence_picks_its_sense(
    tmp_path, names, pattern, word, fits
):
    """Real sentences of ../shared/corpus, each built as a deck of its own: the note's
    first sense is the one that place calls for in all but a few."""
    # One use a sentence: a note's sense follows its first use, and this is about each one.
    sentences = [
        s for s in _corpus_sentences(names, pattern, 40) if "？" not in s and s.count(word) == 1
    ][:24]
    checked = wrong = 0
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {word})
        if word in got:
            checked += 1
            wrong += not fits(got[word][0])
    assert checked >= 3, (pattern, checked)
    assert wrong <= checked // 5, (pattern, wrong, checked)


def test_in_a_question_the_asking_sense_comes_first(tmp_path):
    got = first_senses("这本书要几块钱？", tmp_path, {"几"})
    assert got["几"][0].startswith("how")
    got = first_senses("他买了几块糖，分给大家吃。", tmp_path, {"几"})
    assert got["几"][0] in ("several", "a few")


def test_the_object_marker_sense_before_a_noun(tmp_path):
    """将 moving its object forward, in real news and novel sentences."""
    sentences = _corpus_sentences(MODERN, r"将[他她我这那]", 10)
    assert len(sentences) >= 4
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"将"})
        if "将" in got:
            assert got["将"][0].startswith("(introduces object"), (sentence, got)


def test_a_measure_word_after_an_approximate_number_is_counted(tmp_path):
    """三國: 百餘騎, 千餘騎 are horsemen counted, not "to ride"."""
    text = shared_path("corpus", "sanguozhiyanyi-traditional.txt").read_text("utf-8")
    sentences = re.findall(r"[^。！？\n]*[十百千數]餘騎[^。！？\n]*[。！？]", text)[:10]
    checked = 0
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"骑"})
        if "骑" in got:  # not where jieba made a word of it (數十餘騎)
            checked += 1
            assert got["骑"][0].startswith("classifier"), (sentence, got)
    assert checked >= 4


def test_every_everyday_sense_is_a_sense_of_its_reading_in_cc_cedict():
    """The labels name CC-CEDICT's own text; one that no longer matches would silently
    stop applying, so a dictionary update that changes a sense must show here."""
    import json
    from importlib import resources

    from flashcards.dictionary import load_dictionary

    dictionary = load_dictionary()
    table = json.loads(
        resources.files("flashcards").joinpath("data/everyday_senses.json").read_text("utf-8")
    )
    labels = {k: v for k, v in table.items() if not k.startswith("_")}
    assert len(labels) >= 300
    missing = []
    for key, sense in labels.items():
        word, reading = key.split(" ", 1)
        senses = {s for e in dictionary.entries_for_reading(word, reading) for s in e.senses}
        if sense not in senses:
            missing.append(key)
    assert not missing, missing[:10]


def test_dates_and_place_words_in_the_news_page_read_as_such(tmp_path):
    """Every 月 and 日 of a date on the seed page is month and day (CC-CEDICT leads with
    moon and sun); 中, 里 and 后 after a word place it (会晤中: within, not middle), or
    after a verb, in time (正在进行中: while doing it)."""
    seed = shared_path("seeds", "000_6077f70e12453669.txt").read_text("utf-8")
    dates = re.findall(r"[^。！？\n]*\d+月\d+日[^。！？\n]*[。！？]", seed)[:6]
    assert len(dates) >= 3
    for sentence in dates:
        got = first_senses(sentence, tmp_path, {"月", "日"})
        assert got["月"][0] == "month" and got["日"][0] == "day", (sentence, got)
    placed = re.findall(r"[^。！？\n，]*[\u4e00-\u9fff]{2}[中里后](?=[，。、])", seed)[:12]
    checked = 0
    for clause in placed:
        word = clause[-1]
        got = first_senses(clause + "。", tmp_path, {word})
        if word in got:
            checked += 1
            assert got[word][0].startswith(("within", "inside", "after", "in", "while")), (
                clause,
                got,
            )
    assert checked >= 4


def _real(name: str, sentence: str) -> str:
    """``sentence``, checked to stand verbatim in ../shared/corpus/``name``."""
    assert sentence in shared_path("corpus", name).read_text("utf-8"), sentence
    return sentence


def test_a_number_counts_rooms_before_a_place_word_places(tmp_path):
    """五间房子: 间 after a number is the measure word for rooms, not "among"."""
    sentences = _corpus_sentences(MODERN, r"[一二三四五六七八九十两几]间(?=[屋房])", 10)
    assert len(sentences) >= 3
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"间"})
        if "间" in got:
            assert got["间"][0].startswith("classifier"), (sentence, got)


def test_dang_closing_with_shi_is_when(tmp_path):
    """当…时 / 當…的時候: 当 is "when", in every such clause of the corpus."""
    names = ("luxun-nahan.txt", "luxun-traditional.txt", "xiaohong-hulanhezhuan.txt")
    clause = r"[当當][^，。！？]{2,14}(?:时|時|的时候|的時候)[，。]"
    sentences = _corpus_sentences(names, clause, 8)
    checked = 0
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"当"})
        if "当" in got and sentence.count("当") + sentence.count("當") == 1:
            checked += 1
            assert got["当"][0] == "when", (sentence, got)
    assert checked >= 4


def test_a_modal_before_its_verb_leads_with_the_modal_sense(tmp_path):
    """不该 + verb is "should not" (not "to owe nothing"); 要 ending a resolve is "will"."""
    sentences = _corpus_sentences(MODERN + ("hongloumeng.txt",), r"不该[\u4e00-\u9fff]", 8)
    checked, wrong = 0, []
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"不该"})
        if "不该" in got:
            checked += 1
            if got["不该"][0] != "should not":
                # 不该如此胡说: jieba tags 胡说 a name; 今儿不该我的班儿: "not my turn".
                wrong.append(sentence)
    assert checked >= 5 and len(wrong) <= checked // 3, (checked, wrong)
    need_not = _real("hongloumeng.txt", "你就进去罢，不必送我。")
    assert first_senses(need_not, tmp_path, {"不必"})["不必"][0] == "need not"
    resolve = _real("luxun-traditional.txt", "無論如何，我明天決計要走了。")
    assert first_senses(resolve, tmp_path, {"要"})["要"][0].startswith("will")
    # A direction complement completes 要; it is no verb for a modal: 把她要回来.
    back = _real("xiaohong-hulanhezhuan.txt", "所以请了不少的二神来，设法从大神那里把她要回来。")
    assert first_senses(back, tmp_path, {"要"})["要"][0].startswith("to want")


@pytest.mark.parametrize(
    "name, sentence, word, starts",
    [
        # Before a result or direction complement, or after the adverbial 地, a verb.
        ("hongloumeng.txt", "说着，便又委屈，禁不住泪流下来。", "流", "to flow"),
        ("luxun-nahan.txt", "舂了一会，他热起来了，又歇了手脱衣服。", "热", "to warm up"),
        ("luxun-nahan.txt", "这祭祀，说是三十多年才能轮到一回，所以很郑重；", "轮", "to take"),
        ("xiaohong-hulanhezhuan.txt", "就这样一年一年地过去，", "过去", "to go over"),
        # Between an adverb or a subject and its object, a verb whatever jieba's tag.
        ("luxun-traditional.txt", "我不信你這麽大的力氣，真會拗他不過。", "信", "to trust"),
        ("hongloumeng.txt", "别人又笑话他是假的了。", "笑话", "to laugh at"),
        # After a modal or a causative verb, the verb it governs.
        ("hongloumeng.txt", "别的一家子爷们被琏二叔并蔷大爷都让过去听戏去了。", "过去", "to go"),
        ("luxun-nahan.txt", "当时我并不想到他们为什么年年要演戏。", "演戏", "to put on a play"),
        # A verb between its object and that object's verb makes someone do it.
        ("luxun-nahan.txt", "但也藏着许多凄凉的神情，教我坐下，歇息，喝茶", "教", "to tell"),
        ("laoshe-chaguan.txt", "他说这儿的老掌柜托他请个女招待。", "托", "to ask"),
        # After a time word, a place word tells a time: 八月间.
        ("luxun-nahan.txt", "或者在八月间做过生日，那一定是阿桂了；", "间", "within a definite"),
    ],
)
def test_the_verb_or_time_sense_where_the_sentence_calls_for_it(
    tmp_path, name, sentence, word, starts
):
    got = first_senses(_real(name, sentence), tmp_path, {word})
    assert got[word][0].startswith(starts), got


@pytest.mark.parametrize(
    "name, sentence, word, starts",
    [
        ("xiaohong-hulanhezhuan.txt", "旁边的人听到这里都笑了，可是有二伯还不自觉。", "自觉",
         "conscious"),
        ("sanguozhiyanyi-traditional.txt", "只恐將軍狐疑不定。", "不定", "indefinite"),
        ("laoshe-chaguan.txt", "他还硬朗，穿的可很不整齐。", "整齐", "orderly"),
    ],
)
def test_a_word_ending_its_clause_is_no_adverb_or_preposition(
    tmp_path, name, sentence, word, starts
):
    """jieba tags these adverbs; nothing follows them to modify, so the adverb's senses
    ("on one's own initiative", "(botany) adventitious") are no better than the others."""
    got = first_senses(_real(name, sentence), tmp_path, {word})
    assert got[word][0].startswith(starts), got


@pytest.mark.parametrize(
    "name, sentence, word, starts",
    [
        ("sanguozhiyanyi-traditional.txt", "許褚大怒，引軍尋路上山。", "上山", "to climb a hill"),
        ("xiaohong-hulanhezhuan.txt", "因为没有开花，就不结樱桃。", "开花", "to bloom"),
        ("xiaohong-hulanhezhuan.txt", "我们上树爬墙，几乎连房顶也要上去了。", "爬墙", "to climb"),
    ],
)
def test_a_verb_tagged_otherwise_does_not_lead_with_a_sense_said_of_something_else(
    tmp_path, name, sentence, word, starts
):
    """jieba tags these nouns; "(of silkworms) to go up bundles of straw" and "(fig.) to
    be unfaithful" are verbs' senses all the same, no better for a noun than "to climb"."""
    got = first_senses(_real(name, sentence), tmp_path, {word})
    assert got[word][0].startswith(starts), got


def test_yi_x_wei_y_takes_x_as_y(tmp_path):
    """以联合国为核心, 以人民为中心 on the seed page: 为 "to take sth as"."""
    seed = shared_path("seeds", "000_6077f70e12453669.txt").read_text("utf-8")
    sentences = re.findall(r"[^。！？\n]*以[^，。为]{1,6}为[^。！？\n]*[。！？]", seed)[:6]
    assert len(sentences) >= 2
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"为"})
        assert got["为"][0] == "to take sth as", (sentence, got)


@pytest.mark.parametrize(
    "name, sentence, word, fits",
    [
        ("luxun-traditional.txt", "嚇，你看，這多麽好打算？", "吓", lambda s: "interjection" in s),
        ("laoshe-chaguan.txt", "大婶，等等，我拿件衣服去！", "等等", lambda s: s[:4] == "wait"),
        # Not said alone: inside a clause, or ending a list.
        ("hongloumeng.txt", "既已行在先，更比我明白了。", "行", lambda s: s != "OK!"),
        ("sanguozhiyanyi-traditional.txt", "徐庶受命而行，至樊城。", "行", lambda s: s != "OK!"),
    ],
)
def test_an_exclamation_only_where_it_is_said_alone(tmp_path, name, sentence, word, fits):
    got = first_senses(_real(name, sentence), tmp_path, {word})
    assert fits(got[word][0]), got


def test_a_list_ends_with_etc_not_wait(tmp_path):
    seed = shared_path("seeds", "000_6077f70e12453669.txt").read_text("utf-8")
    sentence = next(s for s in re.findall(r"[^。！？\n]*，等等。", seed))
    assert first_senses(sentence, tmp_path, {"等等"})["等等"][0].startswith("and so on")


def test_a_pronoun_leads_with_what_it_stands_for_not_a_note_on_a_use(tmp_path):
    """他 "he; him", not "(used before sb's name for emphasis)"; 为什么 "why?"; 那
    keeps "(specifier) that" (a word-class label is no note)."""
    text = shared_path("corpus", "luxun-nahan.txt").read_text("utf-8")
    checked = 0
    cases = (("他", "he"), ("为什么", "why"), ("那", "(specifier) that"))
    for word, starts in cases:
        for sentence in re.findall(r"[^。！？\n]*" + word + r"[^。！？\n]*[。！？]", text)[:4]:
            got = first_senses(sentence, tmp_path, {word})
            if word in got:
                checked += 1
                assert got[word][0].startswith(starts), (sentence, got)
    assert checked >= 6


def test_a_function_word_keeps_its_literary_sense_first(tmp_path):
    """则 between clauses is "(literary) … but; then", not "(bound form) standard"."""
    sentences = _corpus_sentences(("luxun-nahan.txt", "xiaohong-hulanhezhuan.txt"), r"，则", 8)
    checked = 0
    for sentence in sentences:
        got = first_senses(sentence, tmp_path, {"则"})
        if "则" in got:
            checked += 1
            assert "then" in got["则"][0], (sentence, got)
    assert checked >= 2


def test_an_idiom_leads_with_what_it_means_not_its_words(tmp_path):
    """Every idiom of a stretch of 红楼梦 that CC-CEDICT glosses word by word ("lit. …") and
    then figuratively ("fig. …") leads with a figurative sense: the text uses it for what
    it means (负荆请罪 "to offer sb a humble apology", not "to bring a bramble")."""
    from flashcards.dictionary import load_dictionary

    dictionary = load_dictionary()
    source = tmp_path / "hlm.txt"
    source.write_text(shared_path("corpus", "hongloumeng.txt").read_text("utf-8")[:150000])
    deck = api.make_deck([source], api.BuildOptions(allow_empty=True))
    checked = 0
    for v in deck.vocab:
        senses = [s for e in dictionary.lookup(v.simplified) for s in e.senses]
        literal = [s for s in senses if s.startswith("lit.") or s.endswith("(idiom)")]
        figurative = [s for s in senses if s.startswith("fig.")]
        if not literal or not figurative or not any("(idiom)" in s for s in senses):
            continue
        checked += 1
        assert v.senses[0] not in literal, (v.simplified, v.senses)
    assert checked >= 5


# Sentences from ../shared/corpus, verbatim: each rule of data/sense_rules.json, and the
# uses where it must stay silent.
_HLM, _NAHAN, _CHAGUAN = "hongloumeng.txt", "luxun-nahan.txt", "laoshe-chaguan.txt"
_RULED = [
    (_HLM, "也都去奉承贾琏，乘机讨些便宜，谁肯去露风？", "便宜", "a petty advantage"),
    (_HLM, "没的白便宜了外人。", "便宜", "to let sb off lightly"),
    ("xiaohong-hulanhezhuan.txt", "何况呼兰河这个地方，又常有卖便宜猪肉的。", "便宜", "cheap"),
    (_HLM, "娘娘说了，还叫多多的种松柏树，楼底下还叫种些花草儿。", "还", "also"),
    (_HLM, "我喂雀儿的时候儿，你还睡觉呢。", "还", "still"),
    (_HLM, "连老太太让姑娘们吃酒，姑娘们还不肯吃呢，", "还", "still"),
    (_HLM, "姑娘来了，我倒不防，唬了一跳。", "倒", "contrary to what one"),
    (_HLM, "邢夫人不便就走，只得倒了一碗茶来，", "倒", "to pour out"),
    (_HLM, "代儒也只当他看书，不甚理会。", "当", "to regard as"),
    (_NAHAN, "赵府上请道士祓除缢鬼，费用由阿Ｑ负担。", "由", "by; via; through"),
    (_CHAGUAN, "由上海调运到天津，还是由汉口调运到重庆；", "由", "from"),
    (_HLM, "凤姐笑而不睬，叫平儿把昨儿那包银子拿来，", "而", "but (not)"),
    (_HLM, "便伸手拉着晴雯的手，同看门斗上新写的三个字。", "同", "together"),
    (_HLM, "只得暗暗差人下屯，将地亩暂卖数千金作为监中使费。", "差", "to send"),
    (_HLM, "怨不得都说你空长了个好胎子，真真是个傻东西。", "长", "to grow"),
    (_HLM, "因欲择出数人，胡乱凑几首诗，以寄感慨。", "数", "several"),
    (_HLM, "还要停放数日，方入地宫，故得一月光景。", "数", "several"),
    (_HLM, "这话老祖宗说差了。", "差", "wrong; mistaken"),
]


@pytest.mark.parametrize(
    "sentence, word, starts",
    [
        ("赏他们几两银子作工钱就是了。", "两", "tael"),  # counted, though "(old)"
        ("明儿赌气花几两银子买进他们来就是了。", "两", "tael"),
    ],
)
def test_a_number_before_a_measure_is_that_number_and_a_counted_unit_its_unit(
    tmp_path, sentence, word, starts
):
    assert sentence in shared_path("corpus", _HLM).read_text("utf-8")
    assert first_senses(sentence, tmp_path, {word})[word][0].startswith(starts)


@pytest.mark.parametrize("name, sentence, word, starts", _RULED)
def test_a_sense_rule_gives_the_sense_of_that_construction(tmp_path, name, sentence, word, starts):
    assert sentence in shared_path("corpus", name).read_text("utf-8")
    assert first_senses(sentence, tmp_path, {word})[word][0].startswith(starts)


def test_every_sense_a_rule_names_is_one_cc_cedict_gives_that_reading(dictionary):
    from flashcards.senses import sense_rules

    for word, rules in sense_rules().items():
        for rule in rules:
            entries = dictionary.entries_for_reading(word, rule.reading)
            senses = {s for e in entries for s in e.senses}
            assert rule.sense in senses, (word, rule.reading, rule.sense)


def test_a_sense_rule_with_an_unknown_condition_fails_at_once():
    from flashcards.senses import parse_sense_rules

    bad = {"words": {"还": [{"reading": "hai2", "sense": "also", "nxt": ["v"]}]}}
    with pytest.raises(ValueError, match="unknown rule conditions"):
        parse_sense_rules(bad, {})


def test_a_numeral_before_a_measure_word_leads_with_its_number(dictionary):
    """两个孩子 (numerals are not carded, but their senses are ordered the same way):
    "two", not "some; a few", which fit 数 and 几 there."""
    senses = [s for e in dictionary.lookup("两") for s in e.senses]
    assert order_for_use(senses, Use("m", before_measure=True))[0] == "two"
    several = [s for e in dictionary.entries_for_reading("数", "shu4") for s in e.senses]
    assert order_for_use(several, Use("m", before_measure=True))[0].startswith("several")


def test_chong_before_its_verb_is_again(tmp_path):
    """The seed's 从低谷重归正道: chóng "again", not "to repeat"."""
    text = shared_path("seeds", "000_6077f70e12453669.txt").read_text("utf-8")
    sentence = "正是人民的双向奔赴，让中美关系一次次从低谷重归正道。"
    assert sentence in text
    assert first_senses(sentence, tmp_path, {"重"})["重"][0] == "again"


def test_a_word_before_a_number_leads_with_approximately(tmp_path):
    """The seed's 约400人出席: 约 "approximately", not "to make an appointment"."""
    text = shared_path("seeds", "000_6077f70e12453669.txt").read_text("utf-8")
    sentence = next(s for s in re.findall(r"[^。！？\n]*约\d+[^。！？\n]*[。！？]", text))
    assert first_senses(sentence, tmp_path, {"约"})["约"][0] == "approximately"


def _sentence_with(name: str, phrase: str) -> str:
    """The sentence of ../shared/corpus/``name`` (or the seed) that holds ``phrase``."""
    folder = "seeds" if name.startswith("000_") else "corpus"
    text = shared_path(folder, name).read_text("utf-8")
    found = re.search(r"[^。！？\n]*" + re.escape(phrase) + r"[^。！？\n]*[。！？]?", text)
    assert found, phrase
    return found.group(0)


_ADVERBIAL = [
    # An adverb's sense where the word stands before the verb or adjective it modifies,
    # whatever jieba's tag: an adverb, an adjective, one character it calls a noun.
    ("luxun-nahan.txt", "孩子们自然大得意了", "自然", "naturally"),
    ("luxun-nahan.txt", "这病自然一定全好", "自然", "naturally"),
    ("xiaohong-hulanhezhuan.txt", "完全高兴，什么都忘了", "完全", "totally"),
    ("hongloumeng.txt", "那宝玉素闻北静王的贤德", "素", "usually"),
    ("hongloumeng.txt", "忽听山坡上也有悲声", "忽", "suddenly"),
    ("sanguozhiyanyi-traditional.txt", "江東諸軍大亂", "大", "greatly"),
    ("luxun-nahan.txt", "别家的炊烟早消歇了", "早", "long ago"),
    # Not where the word is no adverb, or where an adverb's own sense already leads.
    ("laoshe-chaguan.txt", "正与乙下象棋", "正", "just (at that time)"),
    ("luxun-nahan.txt", "顺手也就随便拿走", "顺手", "while one is at it"),
    ("luxun-nahan.txt", "在街边坐着", "边", "side"),
    ("xiaohong-hulanhezhuan.txt", "那井是多么深", "井", "a well"),
    ("hongloumeng.txt", "近观西北", "近", "near"),
]


_NOUN_AFTER_DE = [
    # A verb that 的 joins to a noun or a pronoun, with nothing after it, is a noun there.
    ("000_6077f70e12453669.txt", "是我们对人民的承诺", "承诺", "commitment"),
    ("laoshe-chaguan.txt", "怎么知道娘娘的委屈", "委屈", "grievance"),
    ("000_6077f70e12453669.txt", "在金门大桥的留影", "留影", "a souvenir photo"),
    ("xiaohong-hulanhezhuan.txt", "真是一种光荣的工作", "工作", "job"),
    # Not a lone verb after 的 standing for 地, nor one that says what follows a colon.
    ("luxun-nahan.txt", "这才慢慢的走", "走", "to walk"),
    ("luxun-traditional.txt", "那短工簡捷的說", "说", "to speak"),
    ("000_6077f70e12453669.txt", "全力救治伤员", "全力", "with all one's strength"),
    # 是……的 closing a statement; 为 after its subject; 更 the plain "more".
    ("luxun-nahan.txt", "这碗是在城内钉合的", "的", "(used at the end of a declarative"),
    ("xiaohong-hulanhezhuan.txt", "我家是静的", "的", "(used at the end of a declarative"),
    ("luxun-nahan.txt", "他答道，“是的", "的", "of; ~'s"),
    ("sanguozhiyanyi-traditional.txt", "孫歆為先鋒", "为", "to be"),
    ("xiaohong-hulanhezhuan.txt", "比祖父的声音更大", "更", "more"),
    # 闻 "to hear" before what is heard of (classical), "to smell" before 着, 到.
    ("hongloumeng.txt", "从来不闻有", "闻", "to hear"),
    ("hongloumeng.txt", "宝玉闻着，倒觉比往常之味", "闻", "to smell"),
    # 本 "this" before what it points to (本次会晤), a measure word after 一 (一本册).
    ("000_6077f70e12453669.txt", "落实本次会晤达成的新愿景", "本", "this"),
    ("hongloumeng.txt", "拿起一本册来打开看时", "本", "classifier for books"),
    # 为……所, the passive; a suffix's sense never leads for a word alone (惟 "-ism").
    ("sanguozhiyanyi-traditional.txt", "作事不密，反為所害", "为", "by (in the passive voice)"),
    ("sanguozhiyanyi-traditional.txt", "惟子龍不折一人一騎", "惟", "only"),
    ("sanguozhiyanyi-traditional.txt", "碩慌走入御花園", "慌", "to get panicky"),
    # After an adverb of degree a word of two characters is said of something.
    ("xiaohong-hulanhezhuan.txt", "那哭声特别吵闹", "吵闹", "noisy"),
    ("xiaohong-hulanhezhuan.txt", "好像它们都很疲倦了", "疲倦", "tired"),
    ("000_6077f70e12453669.txt", "中美更需要有宽广的胸怀", "需要", "to need"),
    # Set constructions: 那还了得, V得不得了, 到底 in a question.
    ("hongloumeng.txt", "好好的宝玉倘或叫这蹄子勾引坏了，那还了得", "了得", "dreadful"),
    ("xiaohong-hulanhezhuan.txt", "这几年来就紧得不得了", "不得了", "extremely"),
    ("laoshe-chaguan.txt", "你们到底一共有多少块现大", "到底", "after all"),
    ("laoshe-chaguan.txt", "无论怎么说，你比我强", "强", "better"),
    # What a subject does: 风住了 'to stop', 席散 'to break up'; 空 before a noun 'vacant'.
    ("luxun-nahan.txt", "风全住了", "住", "to stop"),
    ("xiaohong-hulanhezhuan.txt", "等席散之后", "散", "to break up"),
    ("luxun-nahan.txt", "阿Ｑ两只手都捏住了自己的辫根", "住", "(suffix indicating firmness"),
    # The novels' classical constructions: rounds of a fight, stationing troops, 或否.
    ("sanguozhiyanyi-traditional.txt", "延揮刀來迎，戰不十合", "合", "round (in battle)"),
    ("sanguozhiyanyi-traditional.txt", "廖化屯兵在四冢", "屯", "to station (soldiers)"),
    ("sanguozhiyanyi-traditional.txt", "汝等敢出戰否", "否", "not"),
    ("sanguozhiyanyi-traditional.txt", "引敗兵望木門道中而走", "走", "to run"),
    # The commonest words of the novels: 笑道 'to say', 用 'to use', 所 + verb, 啦.
    ("hongloumeng.txt", "便和平儿笑道", "道", "to say"),
    ("hongloumeng.txt", "即用随便的纸笔录出", "用", "to use"),
    ("hongloumeng.txt", "不知所请何人", "所", "particle introducing"),
    ("luxun-nahan.txt", "阿Ｑ见自己被搀进一所破衙门", "所", "classifier for houses"),
    ("hongloumeng.txt", "自贾母起，诸人皆有祝贺之礼", "自", "from; since"),
    ("hongloumeng.txt", "宝玉自去黛玉房中来看视", "自", "(bound form) self"),
    ("hongloumeng.txt", "贾母因问黛玉念何书", "何", "what"),
    ("hongloumeng.txt", "于是大家看戏，到晚方散", "方", "only or just"),
    ("luxun-nahan.txt", "但总觉得站不住", "总", "in every case; always"),
    ("luxun-nahan.txt", "其实地上本没有路", "本", "originally"),
    ("hongloumeng.txt", "刚服下去，命他盖上被窝渥汗", "命", "order or command"),
    ("hongloumeng.txt", "令太监传与外厢", "令", "to order"),
    # 三國志演義's classical function words: 耳 closing, 即, 欲, 急 and 忽 before a verb.
    ("sanguozhiyanyi-traditional.txt", "但恐諸將不服耳", "耳", "and that is all"),
    ("sanguozhiyanyi-traditional.txt", "倘有違誤，即按軍法", "即", "at once"),
    ("sanguozhiyanyi-traditional.txt", "吾但欲救百姓", "欲", "to wish for"),
    ("sanguozhiyanyi-traditional.txt", "玄德急辭劉表", "急", "hurried"),
    ("sanguozhiyanyi-traditional.txt", "忽報蜀兵不知多少", "忽", "suddenly"),
    ("sanguozhiyanyi-traditional.txt", "蔡瑁引軍萬餘", "引", "to lead"),
    ("sanguozhiyanyi-traditional.txt", "守屍軍士報知孫策", "报", "to announce"),
    ("sanguozhiyanyi-traditional.txt", "吾姓關，名羽", "名", "name"),
    ("hongloumeng.txt", "榴花开处照宫闱", "花", "flower"),
    ("laoshe-chaguan.txt", "永远花不完", "花", "to spend"),
    ("xiaohong-hulanhezhuan.txt", "于是他和老厨子骂了起来", "老", "old (of people)"),
    ("hongloumeng.txt", "红颜命薄古今同", "同", "same"),
    ("sanguozhiyanyi-traditional.txt", "孔明乃請孟獲上帳", "乃", "then"),
    # After a preposition or 与 a word is its object, no adverb (人与自然和谐共生).
    ("000_6077f70e12453669.txt", "让人与自然和谐共生", "自然", "nature"),
    # After 地 an adverb or a preposition is still one; after a modal, 是 or 来/去 of
    # purpose comes a verb, no complement; 一 + verb is "as soon as", no count.
    ("xiaohong-hulanhezhuan.txt", "流着流着地就少了一个", "就", "(after a suppositional"),
    ("xiaohong-hulanhezhuan.txt", "哭天叫地地从墙头上跳过来", "从", "from"),
    ("xiaohong-hulanhezhuan.txt", "我是来问问那广和银号", "来", "to come"),
    ("hongloumeng.txt", "竟要去探望探望", "去", "to go"),
    ("xiaohong-hulanhezhuan.txt", "我一听就更生气", "听", "to listen"),
    ("luxun-nahan.txt", "太阳一出，热也会退", "出", "to go out"),
    ("hongloumeng.txt", "便先点了一出", "出", "classifier for dramas"),
    ("hongloumeng.txt", "都笑着称赞了一回", "回", "time"),
    # The spoken words of modern prose: 回 counting times (a chapter after 第), 可 the
    # stress, 家 one's home (two families: a count), 对 "right" closing its clause.
    ("luxun-nahan.txt", "这回是初次", "回", "time"),
    ("hongloumeng.txt", "第九回", "回", "section or chapter"),
    ("xiaohong-hulanhezhuan.txt", "她可就偏不这样说", "可", "(particle used for emphasis)"),
    ("laoshe-chaguan.txt", "咱们可把话说开了", "可", "(particle used for emphasis)"),
    ("xiaohong-hulanhezhuan.txt", "我家的院子是很荒凉的", "家", "home"),
    ("luxun-nahan.txt", "深更半夜没有睡的只有两家", "家", "classifier for families"),
    ("xiaohong-hulanhezhuan.txt", "也不该晓得才对的", "对", "right; correct"),
    # 一 + verb "as soon as" (not 点一点头), 好 + adjective "so", 连…也/带, 南头 "end".
    ("xiaohong-hulanhezhuan.txt", "我一听就更生气", "一", "as soon as"),
    ("luxun-nahan.txt", "我点一点头", "一", "one"),
    ("xiaohong-hulanhezhuan.txt", "好冷的天", "好", "(before an adjective for exclamatory"),
    ("xiaohong-hulanhezhuan.txt", "连想也没有想", "连", "(used with 也"),
    ("xiaohong-hulanhezhuan.txt", "连馒头带冰雪一起拣到箱子去", "连", "including"),
    ("xiaohong-hulanhezhuan.txt", "一个在南头，一个在北头", "头", "end"),
    # Where the construction names the sense: 着 after a harm, X一般 "the same as", 作为 and
    # 结果 opening a clause, 恢复 talks, 使得 as a predicate, 怪 + adjective "quite".
    ("luxun-nahan.txt", "孔乙己着了慌", "着", "to be affected by"),
    ("xiaohong-hulanhezhuan.txt", "我自己觉得我跑得和风一般快", "一般", "same"),
    ("000_6077f70e12453669.txt", "作为东道主，拜登总统", "作为", "as (in the capacity of)"),
    ("000_6077f70e12453669.txt", "恢复两军高层沟通", "恢复", "to resume"),
    ("hongloumeng.txt", "这一句可还使得", "使得", "usable"),
    ("xiaohong-hulanhezhuan.txt", "长得怪好的", "怪", "quite"),
    ("xiaohong-hulanhezhuan.txt", "结果抬不起来了", "结果", "in the end"),
    # 此系 "is", 回说 "to answer", 访华 "China", 拉磨 the millstone, 虧你 "fancy that",
    # 大似 + a person "to resemble".
    ("hongloumeng.txt", "此系身前身后事", "系", "to be (literary)"),
    ("hongloumeng.txt", "众人回说", "回", "to answer"),
    ("000_6077f70e12453669.txt", "议员访华", "华", "abbr. for China"),
    ("xiaohong-hulanhezhuan.txt", "看着小驴拉磨", "磨", "grindstone"),
    ("sanguozhiyanyi-traditional.txt", "虧你如何睡得著", "亏", "(often ironically) fancy"),
    ("hongloumeng.txt", "大似宝玉房里的小红", "似", "to resemble"),
    ("xiaohong-hulanhezhuan.txt", "古语说", "古语", "old expression"),
    ("xiaohong-hulanhezhuan.txt", "冤魂枉鬼", "枉", "unjust"),
    ("luxun-nahan.txt", "这真教我怕", "教", "to make"),
    ("000_6077f70e12453669.txt", "作出的五点承诺，即：", "即", "namely"),
    ("000_6077f70e12453669.txt", "两国元首同意继续保持经常性联系", "性", "suffix forming noun"),
    # A surname the segmenter found, carded with --names: the surname, not 华 "Mt Hua".
    ("luxun-nahan.txt", "华大妈跟了他指头", "华", "surname Hua"),
    ("laoshe-chaguan.txt", "唐先生，你外边吧", "唐", "surname Tang"),
]


# Senses that read "old friend", "old (of people)", "old man" are the word's own, not an
# old word for something (only "old name for", "old variant of" are); a bracket naming a
# field or a word class is no grammatical note (别 before a verb: "don't", not "(bound
# form) other"); a number after a demonstrative counts the measure word after it (那两桌
# "two", not "tael").
_LABELS_AND_NUMBERS = [
    ("laoshe-chaguan.txt", "你还能坑老朋友吗", "老朋友", "old friend"),
    ("xiaohong-hulanhezhuan.txt", "蟹船上的老头说", "老头", "old man"),
    ("luxun-nahan.txt", "多少故人的脸", "故人", "old friend"),
    ("luxun-nahan.txt", "老屋离我愈远了", "老", "old (of people)"),
    ("laoshe-chaguan.txt", "耽误了事别怨我", "别", "don't"),
    ("laoshe-chaguan.txt", "别再提啦", "别", "don't"),
    ("luxun-nahan.txt", "即使生得多，也会给真的人除灭了", "真的", "really"),
    ("laoshe-chaguan.txt", "明天还不定是风是雨呢", "不定", "indefinite"),
    ("laoshe-chaguan.txt", "那两桌家伙怎样啦", "两", "two"),
    # A bracket that says where the word goes is a grammatical note (略有 "slightly"); 别
    # before a noun "other"; 老 before a surname the prefix of familiarity.
    ("luxun-nahan.txt", "略有些浮云", "略", "(bound form before a single-character verb)"),
    ("luxun-nahan.txt", "别家的炊烟", "别", "(bound form) other"),
    ("xiaohong-hulanhezhuan.txt", "老胡家要", "老", "prefix used before the surname"),
]


# An adverb opening its clause says how the whole is (自然那老太太无理 "naturally"); a
# conjunction's senses in English are function senses ("moreover", "otherwise"), not
# "let alone"'s rivals; 再说 closing a clause puts a matter off; 行 after 就/也 closing a
# clause "will do"; 那一边 a side; 问道 asks.
_CLAUSE_OPENERS_AND_CLOSERS = [
    ("xiaohong-hulanhezhuan.txt", "自然那老太太无理", "自然", "naturally"),
    ("xiaohong-hulanhezhuan.txt", "再说戏台下边也有一些个调情的", "再说", "moreover"),
    ("laoshe-chaguan.txt", "先揍了再说", "再说", "to put off"),
    ("hongloumeng.txt", "晚饭后你来再说罢", "再说", "to put off"),
    ("hongloumeng.txt", "我倒喜欢他这么着，况且", "况且", "moreover"),
    ("hongloumeng.txt", "念书是很好的事，不然", "不然", "otherwise"),
    ("hongloumeng.txt", "何况尘世之情景呢", "何况", "let alone"),
    ("laoshe-chaguan.txt", "专凭打打小鼓就行哪", "行", "all right"),
    ("xiaohong-hulanhezhuan.txt", "教导教导也就行了", "行", "all right"),
    ("hongloumeng.txt", "回来由那一边出去", "一边", "one side"),
    ("luxun-nahan.txt", "他忽然问道", "问道", "to ask"),
    # 復 before its verb "again", 之所 closing a clause "place", 装 before an adjective
    # "to pretend", 等 after names (one cut 探 春) "and so on".
    ("sanguozhiyanyi-traditional.txt", "你可引去，復取原寨", "复", "again"),
    ("sanguozhiyanyi-traditional.txt", "乃糧草之所", "所", "place"),
    ("hongloumeng.txt", "因自己只装不耐烦", "装", "to pretend"),
    ("hongloumeng.txt", "宝钗探春等都笑说", "等", "and so on"),
    # V起…来 "to start", 由 + an abbreviation-tagged agent "by", 暗 + verb "secretly",
    # 且 + verb "for now", 就是…也 "even".
    ("luxun-nahan.txt", "吱的念起书来", "起", "verb suffix, to start"),
    ("luxun-nahan.txt", "便由地保埋了", "由", "by"),
    ("sanguozhiyanyi-traditional.txt", "暗取荊州", "暗", "secret"),
    ("hongloumeng.txt", "且听下回分解", "且", "for the time being"),
    ("luxun-nahan.txt", "且看且走的说", "且", "and"),
    ("xiaohong-hulanhezhuan.txt", "就是同院住的人也都", "就是", "(used correlatively"),
]

# Where a word stands says which of its senses: 也 closing a clause is the classical final
# particle, not "also"; 到 before a time word "until"; 最后 before its verb "finally".
_PLACE_SAYS = [
    ("sanguozhiyanyi-traditional.txt", "車中之囚，乃盧植也", "也", "(literary) particle"),
    ("hongloumeng.txt", "此开卷第一回也", "也", "(literary) particle"),
    ("laoshe-chaguan.txt", "我到今天还没忘", "到", "to (a place); until"),
    ("xiaohong-hulanhezhuan.txt", "从早晨到晚上忙了个不休", "到", "to (a place); until"),
    ("xiaohong-hulanhezhuan.txt", "最后也毕竟是买了", "最后", "finally"),
    ("xiaohong-hulanhezhuan.txt", "惟独到了最后", "最后", "final"),
    ("luxun-nahan.txt", "他的笑也不像真笑", "也", "(adverb) also"),
    # After its verb a pronoun and 也 still close the clause; a time that comes is reached.
    ("sanguozhiyanyi-traditional.txt", "此天佑我也", "也", "(literary) particle"),
    ("luxun-traditional.txt", "將到新年的氣象", "到", "to reach"),
]

# After an adverb of degree a word says how much of a quality, so a sense naming a thing
# does not lead: 很焦急 "anxious" (not "anxiety"), 更体面 not "dignity", 很光 "bright".
_AFTER_DEGREE = [
    ("luxun-nahan.txt", "赵府的全眷都很焦急", "焦急", "anxious"),
    ("luxun-nahan.txt", "本来很疏远", "疏远", "to drift apart"),
    ("luxun-nahan.txt", "一个辫子很光的却来领我们", "光", "bright"),
    ("laoshe-chaguan.txt", "川绸，更体面", "体面", "honorable"),
    ("hongloumeng.txt", "又不敢十分委屈", "委屈", "to feel wronged"),
    ("sanguozhiyanyi-traditional.txt", "極其壯麗", "壮丽", "magnificent"),
    # 甚 also asks "what": 无甚关系 is no matter of any relation.
    ("hongloumeng.txt", "作的是个玩意儿，无甚关系的", "关系", "relation"),
    # 有些 before a noun counts it: some selfishness.
    ("hongloumeng.txt", "倘或真与宝玉有些私心", "私心", "selfish"),
]


# A construction says which sense: 租给 lets, 穿上 puts on, V不动 is whether the thing
# moves, 那个 and 善 before a noun qualify it, 外带 before a verb is "as well", 自是 before
# its predicate "naturally", 所可 "can", 于 before a pronoun "to, for" (someone).
_CONSTRUCTIONS = [
    ("laoshe-chaguan.txt", "租给我一间屋子", "租", "to rent out"),
    ("xiaohong-hulanhezhuan.txt", "三间碾磨房一起租给", "租", "to rent out"),
    ("xiaohong-hulanhezhuan.txt", "就穿上了满身的新衣裳", "穿", "to put on"),
    ("luxun-nahan.txt", "也须穿上棉袄了", "穿", "to put on"),
    ("luxun-nahan.txt", "穿一件破夹袄", "穿", "to wear"),
    ("laoshe-chaguan.txt", "可全嚼不动", "动", "(of sth) to move"),
    ("xiaohong-hulanhezhuan.txt", "我走不动的时候", "动", "(of sth) to move"),
    ("hongloumeng.txt", "治风俗的善政", "善", "good (virtuous)"),
    ("laoshe-chaguan.txt", "康大力：那个老东西", "那个", "that (as opposed to this)"),
    ("xiaohong-hulanhezhuan.txt", "把他塑成那个样子", "那个", "that (as opposed to this)"),
    ("laoshe-chaguan.txt", "外带贩卖鸦片烟", "外带", "as well"),
    ("hongloumeng.txt", "宝玉听了，自是羡慕", "自", "naturally"),
    ("hongloumeng.txt", "我父母自是不从", "自", "naturally"),
    ("sanguozhiyanyi-traditional.txt", "所可限制", "可", "(prefix) can; may"),
    ("luxun-nahan.txt", "因为这于我太痛苦", "于", "(indicating any indirect relation)"),
    ("luxun-traditional.txt", "似乎這話於我有關係", "于", "(indicating any indirect relation)"),
    ("hongloumeng.txt", "今黛玉虽客居于此", "于", "(of time or place)"),
    # 应 before its verb "should"; after a quality 处 is the respect, after a verb at the
    # end of a clause 间 "while"; 混到 "to muddle along".
    ("hongloumeng.txt", "原不应辞", "应", "should"),
    ("xiaohong-hulanhezhuan.txt", "就知道是应烧晚饭的时候了", "应", "should"),
    ("hongloumeng.txt", "却说袭人倒有些痴处", "处", "point"),
    ("luxun-nahan.txt", "说出他的佳处来", "处", "point"),
    ("hongloumeng.txt", "说话间，刘姥姥已吃完了饭", "间", "within a definite time"),
    ("luxun-nahan.txt", "他照例的混到夜深", "混", "to drift along"),
    # After a country jieba tags a place, 方 is its side (美方: no word of its own).
    ("000_6077f70e12453669.txt", "希望美方严肃对待中方关切", "方", "side"),
    ("000_6077f70e12453669.txt", "美方恪守一个中国政策", "方", "side"),
    ("hongloumeng.txt", "直至红日三竿方醒", "方", "only or just"),
    # A two-character adjective before a verb and its object says how it is done: the
    # verb keeps its verb's senses (a lone adjective before a verb makes it a thing: 新冷战).
    ("000_6077f70e12453669.txt", "希望美方严肃对待中方关切", "对待", "to treat"),
    ("000_6077f70e12453669.txt", "严重损害中方正当利益", "损害", "to damage"),
    ("laoshe-chaguan.txt", "我叫老大追你们", "追", "to chase"),
    ("000_6077f70e12453669.txt", "体现在具体行动上", "行动", "action"),
    # Among a verb's senses the everyday one leads (our labels): 出口 exports, 肯 is willing.
    ("000_6077f70e12453669.txt", "美方在出口管制", "出口", "to export"),
    ("laoshe-chaguan.txt", "常四爷（不肯示弱）", "肯", "to be willing to"),
    ("sanguozhiyanyi-traditional.txt", "丞相新棄洛陽，防有追兵", "防", "to guard against"),
]


@pytest.mark.parametrize(
    "name, phrase, word, starts",
    _CONSTRUCTIONS
    + _ADVERBIAL
    + _NOUN_AFTER_DE
    + _LABELS_AND_NUMBERS
    + _CLAUSE_OPENERS_AND_CLOSERS
    + _AFTER_DEGREE
    + _PLACE_SAYS,
)
def test_where_a_word_stands_in_a_real_sentence_picks_its_sense(
    tmp_path, name, phrase, word, starts
):
    sentence = _sentence_with(name, phrase)
    assert first_senses(sentence, tmp_path, {word})[word][0].startswith(starts), sentence


def test_a_country_short_name_leads_with_the_country(tmp_path):
    """The seed's 美方 (jieba: 美 a place): 美 "USA", from the name's entry, not
    "beautiful"; 等 after what it lists: "and so on", not "by the time"."""
    sentence = _sentence_with("000_6077f70e12453669.txt", "中方重视美方在巴厘岛会晤中")
    assert first_senses(sentence, tmp_path, {"美"})["美"][0].startswith("(bound form) USA")
    listing = _sentence_with("000_6077f70e12453669.txt", "事故原因调查等工作正在进行中")
    assert first_senses(listing, tmp_path, {"等"})["等"][0].startswith("and so on")
    waiting = _sentence_with("luxun-nahan.txt", "幸亏王九妈等得不耐烦")
    assert first_senses(waiting, tmp_path, {"等"})["等"][0] == "to wait for; to await"
    ye = _sentence_with("sanguozhiyanyi-traditional.txt", "汝等敢出戰否")
    assert "plural suffix" in first_senses(ye, tmp_path, {"等"})["等"][0]


@pytest.mark.parametrize(
    "text, word, starts",
    [
        # A number before 两 counts taels (only a demonstrative before it makes it "two").
        ("他赏了银子三十余两，又花了一百多两银子。", "两", "tael"),
        # 别 before a verb jieba tags a noun is still "don't".
        ("你别生气，我们明天再来。", "别", "don't"),
        # 别再说了 is "don't say it again", not "put off until later".
        ("你别再说了，我都知道。", "再说", "to say again"),
        # 就是 inside a clause with 都 after it is "exactly", not "even".
        ("这就是大家都知道的事情。", "就是", "exactly"),
        # 拿起刀来: 起 is up, not "to start".
        ("他慢慢拿起刀来，看了半天。", "起", "to rise"),
        # A time that comes is reached (每到, 快到, 已经到), not "until".
        ("每到秋天，树叶就黄了。", "到", "to reach"),
        ("已经到中午了，他还没起床。", "到", "to reach"),
        # A pronoun alone and 也 is "me too"; speech broken off is no classical particle.
        ("我也！", "也", "(adverb) also"),
        ("我也……不知道。", "也", "(adverb) also"),
        # Second read: 混到一起 mixes; a place adjective before 处 keeps the place; 自是以來
        # is "from then on"; 誰也？ asks (the particle); 勝於我 compares, no "to; for".
        ("把两种颜料混到一起。", "混", "to mix"),
        ("他们走到狭窄处停了下来。", "处", "place"),
        ("自是以來，天下大亂。", "自", "from; since"),
        ("“誰也？”", "也", "(literary) particle"),
        ("此人才智勝於我。", "于", "(of time or place)"),
    ],
)
def test_a_rule_for_one_construction_leaves_its_neighbours_alone(tmp_path, text, word, starts):
    assert first_senses(text, tmp_path, {word})[word][0].startswith(starts), text


@pytest.mark.parametrize(
    "text", ["最后离开的人要关灯。", "他是最后进来的。", "谁最后走？", "他最后说的话很重要。"]
)
def test_the_last_one_to_do_something_is_not_finally(tmp_path, text):
    """最后 before a verb that ends a relative clause (最后离开的人), or after 是/谁, is the
    last one to do it: "final", not "finally"."""
    assert first_senses(text, tmp_path, {"最后"})["最后"][0] == "final", text
