"""Word boundaries on real text (../shared and decks/), class by class."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import shared_path

from flashcards import api
from flashcards.dictionary import load_dictionary
from flashcards.models import HAN, NUMBER
from flashcards.pinyin import read_sentence
from flashcards.read.plain import read_text
from flashcards.segment import segment_text, to_simplified
from flashcards.sentences import split_sentences

DECKS = Path(__file__).resolve().parents[1] / "decks"


def sentences_of(path: Path, containing: str, limit: int = 400) -> list[str]:
    _, text = read_text(path)
    found = [s.text for s in split_sentences([text], "t") if re.search(containing, s.text)]
    return found[:limit]


def tokens(text, dictionary):
    return [t for t in segment_text(text, dictionary) if t.kind in (HAN, NUMBER)]


def test_every_zhongmei_of_the_seed_is_one_word(seed_path, dictionary):
    found = sentences_of(seed_path, "中美")
    assert len(found) >= 20
    for s in found:
        words = [t.simplified for t in tokens(s, dictionary)]
        assert "美" not in words, s  # 中 美 would teach 美 "beautiful"


def test_a_unit_after_a_number_is_its_own_word(seed_path, dictionary):
    # 158年前, 78年前 ...: never 年前 "shortly before New Year", never 个人 "individual".
    found = sentences_of(seed_path, r"[0-9０-９]+(年前|年来|个人)")
    luxun = shared_path("corpus", "luxun-nahan.txt")
    found += sentences_of(luxun, r"[0-9一二三四五六七八九十两]+(年前|年来|个人)", 40)
    assert len(found) >= 3
    for s in found:
        words = [t.simplified for t in tokens(s, dictionary)]
        assert not {"年前", "年来"} & set(words), (s, words)


def test_tokens_the_dictionary_lacks_are_cut_into_likely_words(dictionary):
    dialogue = (DECKS / "dialogue" / "dialogue.txt").read_text("utf-8")
    weekend = (DECKS / "weekend" / "weekend.txt").read_text("utf-8")
    for text, banned in ((dialogue, {"十分", "钟"}), (weekend, {"小女"})):
        words = {t.simplified for t in tokens(text, dictionary)}
        assert not banned & words, banned & words
    assert [t.simplified for t in tokens("每年500多万人次的往来", dictionary)][-3:-1] == [
        "人次",
        "的",
    ]


def test_dictionary_words_jieba_splits_are_joined(seed_path, dictionary):
    for pattern, word in (("零和", "零和"), ("碳中和", "碳中和")):
        found = sentences_of(seed_path, pattern) or [f"这不是{pattern}的问题。"]
        for s in found:
            words = [t.simplified for t in tokens(s, dictionary)]
            assert any(word in w for w in words), (s, words)


def test_names_of_a_novel_stay_whole_and_are_names(dictionary):
    # 红楼梦's given names have no surname; jieba's HMM glues verbs and demonstratives to
    # them (黛玉方, 那黛玉, 扶黛玉). Nearly every use must come out as the name, whole.
    novel = shared_path("corpus", "hongloumeng.txt")
    for name in ("黛玉", "宝钗", "凤姐", "紫鹃"):
        found = sentences_of(novel, name, 60)
        assert len(found) >= 30, name
        whole = sum(
            any(name in t.simplified and t.proper for t in tokens(s, dictionary)) for s in found
        )
        assert whole >= 0.85 * len(found), (name, whole, len(found))


@pytest.mark.parametrize(
    "glued, name, rest",
    [
        ("凤姐笑道", "凤姐", ["笑", "道"]),
        ("熙凤忙拉黛玉在左边", "熙凤", ["忙", "拉", "黛玉"]),
        ("黛玉方进房", "黛玉", ["方"]),
    ],
)
def test_a_name_jieba_glued_to_a_verb_comes_apart(dictionary, glued, name, rest):
    # 红楼梦's given names have no surname, and jieba's HMM glues the verb after them on.
    got = tokens(glued, dictionary)
    assert got[0].simplified == name and got[0].proper
    assert [t.simplified for t in got[1 : 1 + len(rest)]] == rest


def test_a_glued_run_with_no_name_shape_is_cut_into_its_words(dictionary):
    got = [(t.simplified, t.proper) for t in tokens("福如东海，与天同寿。", dictionary)]
    assert ("天", False) in got and ("寿", False) in got, got


def test_everyday_and_hsk_words_are_never_names(seed_path, dictionary):
    from flashcards.levels import hsk2_level, hsk3_level

    _, text = read_text(seed_path)
    for s in split_sentences([text], "seed"):
        all_tokens = segment_text(s.text, dictionary)
        for i, t in enumerate(all_tokens):
            # A piece of a name is the one exception: 雷 of 罗伯特·雷, 德 of 德沃切克.
            piece = any(
                0 <= j < len(all_tokens)
                and (all_tokens[j].text == "·" or all_tokens[j].proper)
                for j in (i - 1, i + 1)
            )
            if t.kind == HAN and (hsk2_level(t.simplified) or hsk3_level(t.simplified)):
                assert not t.proper or piece, (t.simplified, s.text)


def test_two_free_words_are_not_joined_into_a_rare_one(dictionary):
    # 袭人道：… is the name 袭人 and 道 "said"; 人道 "humane" must not appear.
    novel = shared_path("corpus", "hongloumeng.txt")
    for s in sentences_of(novel, "袭人道", 20):
        assert "人道" not in [t.simplified for t in tokens(s, dictionary)], s


def test_a_full_name_and_the_verb_glued_to_it_come_apart(dictionary):
    novel = shared_path("corpus", "hongloumeng.txt")
    found = sentences_of(novel, "贾母笑道", 20)
    assert found
    for s in found:
        names = [t for t in tokens(s, dictionary) if t.simplified == "贾母"]
        assert names and names[0].proper, s


@pytest.mark.parametrize("word", ["老婆子", "明白人", "家里人"])
def test_an_everyday_word_and_a_common_character_are_no_name(word, dictionary):
    # jieba's dictionary tags 老婆子 "old woman" and 明白人 "a sensible person" as names; a
    # given name is rarely an HSK word followed by 子, 人 or 感.
    novel = shared_path("corpus", "hongloumeng.txt")
    found = sentences_of(novel, word, 30)
    assert found
    for s in found:
        assert not any(t.proper and word[:2] in t.simplified for t in tokens(s, dictionary)), s


def test_a_name_made_of_a_word_and_a_rare_character_stays_a_name(dictionary):
    novel = shared_path("corpus", "hongloumeng.txt")
    found = sentences_of(novel, "王子腾", 20)
    assert found
    for s in found:
        names = [t for t in tokens(s, dictionary) if t.simplified == "王子腾"]
        assert names and names[0].proper, s


@pytest.mark.parametrize(
    "name, sentence, word, base, reading",
    [
        ("hongloumeng.txt", "此时荣宁二府内外上下，皆是忙忙碌碌。", "忙忙碌碌", "忙碌",
         "mang2 mang2 lu4 lu4"),
        ("xiaohong-hulanhezhuan.txt", "所以就孤孤单单地，凄凄凉凉在大土坑那里把那扎彩人烧了。",
         "孤孤单单", "孤单", "gu1 gu1 dan1 dan1"),
    ],
)
def test_an_aabb_form_is_one_word_with_the_senses_of_ab(tmp_path, name, sentence, word, base,
                                                         reading):
    """jieba keeps 忙忙碌碌 whole; CC-CEDICT lacks it, which cut it into 忙 忙碌 碌 and
    carded 碌 "(bound form used in 忙碌)". It is one word, read and glossed as 忙碌."""
    assert sentence in shared_path("corpus", name).read_text("utf-8")
    source = tmp_path / "t.txt"
    source.write_text(sentence, "utf-8")
    deck = api.make_deck([source], api.BuildOptions())
    notes = {v.simplified: v for v in deck.vocab}
    assert notes[word].numbered == reading
    base_senses = {s for e in load_dictionary().lookup(base) for s in e.senses}
    assert notes[word].senses[0] in base_senses
    assert not {word[0], word[2]} & set(notes), sorted(notes)


def _carded(tmp_path: Path, sentences: list[str], names: bool = False) -> set[str]:
    return set(_deck_words(tmp_path, sentences, names))


def test_a_given_name_cut_from_its_surname_is_not_carded(tmp_path):
    """红楼梦 writes 李纨 often and jieba cuts it 李 纨; 纨 "white silk" is never a word of
    the text, so it is no card (with --names it is)."""
    sentences = sentences_of(shared_path("corpus", "hongloumeng.txt"), "李纨", 12)
    assert len(sentences) >= 6
    assert "纨" not in _carded(tmp_path, sentences)
    assert "纨" in _carded(tmp_path, sentences, names=True)


@pytest.mark.parametrize(
    "name, person, piece",
    [
        ("luxun-nahan.txt", "闰土", "闰"),
        ("laoshe-chaguan.txt", "唐铁嘴", "唐"),
        ("sanguozhiyanyi-traditional.txt", "李傕", "傕"),
        ("hongloumeng.txt", "茜雪", "茜"),
    ],
)
def test_a_name_the_segmenter_always_cuts_apart_is_not_carded(tmp_path, name, person, piece):
    """jieba never has 闰土 whole (闰 a person, 土 "earth"): written that often, and most
    uses of 闰 in it, the two are a name; 闰 "intercalary" is no card (with --names it is)."""
    sentences = sentences_of(shared_path("corpus", name), person, 12)
    assert len(sentences) >= 8
    assert piece not in _carded(tmp_path, sentences)
    assert piece in _carded(tmp_path, sentences, names=True)


def test_a_person_and_a_word_often_side_by_side_are_no_name(tmp_path):
    """曹 (tagged a person) before 賊 "traitor" is no name: most uses of either are not
    beside the other, so 賊 stays a card."""
    novel = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    sentences = sentences_of(novel, "曹賊", 10)
    others = sentences_of(novel, "(?<!曹)賊", 10)
    assert len(sentences) >= 6 and len(others) >= 6
    assert "贼" in _carded(tmp_path, sentences + others)


def test_the_given_name_after_a_two_character_surname_is_not_carded(tmp_path):
    """三國志演義's 夏侯德 comes out 夏侯 德: 德 "virtue" is his given name there."""
    sentences = sentences_of(shared_path("corpus", "sanguozhiyanyi-traditional.txt"), "夏侯德")
    assert len(sentences) >= 4
    assert "德" not in _carded(tmp_path, sentences)


def test_a_person_called_by_the_given_name_alone_is_not_carded(tmp_path):
    """三國志演義 names 劉琮 and then calls him 琮 (琮聞命大驚): 琮 is him, no word."""
    novel = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    named = sentences_of(novel, "劉琮", 8)
    alone = sentences_of(novel, "(?<!劉)琮", 2)
    assert len(named) >= 3 and alone
    assert "琮" not in _carded(tmp_path, named + alone)
    assert "琮" in _carded(tmp_path, named + alone, names=True)


@pytest.mark.parametrize(
    "name, sentence, joining, person",
    [
        ("hongloumeng.txt", "就是小丫头们亦多和宝钗亲近。", "和", "宝钗"),
        ("hongloumeng.txt", "只得同雪雁把他扶起，两边用软枕靠住，自己却倚在旁边。", "同", "雪雁"),
        ("luxun-traditional.txt", "母親和宏兒下樓來了，他們大約也聽到了聲音。", "和", "宏儿"),
    ],
)
def test_and_or_with_glued_to_a_name_comes_off(dictionary, name, sentence, joining, person):
    """jieba's HMM makes 和宝钗 one name (和 is a rare surname): it is 'and' + 宝钗, and 和
    gets its card and its sense."""
    assert sentence in shared_path("corpus", name).read_text("utf-8")
    got = [(t.simplified or t.text, t.proper) for t in tokens(sentence, dictionary)]
    at = got.index((joining, False))
    assert got[at + 1] == (person, True), got


@pytest.mark.parametrize(
    "sentence, person, word",
    [
        ("今貂蟬不過一女子，而呂布乃太師心腹猛將也。", "吕布", "乃"),
        ("乃分關公引一千軍伏山左，張飛引一千軍伏山右，鳴金為號，齊出接應。", "张飞", "引"),
    ],
)
def test_a_known_name_and_the_word_glued_after_it_come_apart(dictionary, sentence, person, word):
    """jieba's HMM makes 呂布乃 and 張飛引 one three-character name; jieba's dictionary knows
    呂布 and 張飛 from many uses, so the adverb or verb after them is a word of its own."""
    assert sentence in shared_path("corpus", "sanguozhiyanyi-traditional.txt").read_text("utf-8")
    got = [(t.simplified or t.text, t.proper) for t in tokens(sentence, dictionary)]
    at = got.index((person, True))
    assert got[at + 1] == (word, False), got


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("卻說黃忠聽知夏侯尚，", "夏侯尚"),  # a compound surname starts the name
        ("忽侍郎王子服至。", "王子服"),  # 王子 is also the word "prince"
    ],
)
def test_a_three_character_name_starting_with_a_surname_or_a_word_stays_whole(
    dictionary, sentence, name
):
    assert sentence in shared_path("corpus", "sanguozhiyanyi-traditional.txt").read_text("utf-8")
    name = to_simplified(name)
    got = [t.simplified or t.text for t in tokens(sentence, dictionary)]
    assert name in got, got


def _deck_words(tmp_path: Path, sentences: list[str], names: bool = False) -> dict:
    source = tmp_path / "t.txt"
    source.write_text("\n".join(sentences), "utf-8")
    deck = api.make_deck([source], api.BuildOptions(names=names, allow_empty=True))
    return {v.simplified: v for v in deck.vocab}


def test_a_name_the_text_also_writes_whole_is_no_example_of_its_characters(tmp_path):
    """红楼梦 writes 雨村 110 times, and jieba cuts it 雨 村 in most; where the text has
    雨村 as a name often enough, those uses are pieces of it: 雨 "rain" keeps its card
    from the sentences where it is rain, and no example of it shows 雨村. 黛 of 黛玉, a
    piece in every use, is no card (with --names it is)."""
    text = shared_path("corpus", "hongloumeng.txt").read_text("utf-8")
    yucun = re.findall(r"[^。！？\n]*雨村[^。！？\n]*[。！？]", text)[:80]
    rain = re.findall(r"[^。！？\n雨]*[^村\n]雨[^村][^。！？\n雨]*[。！？]", text[300_000:])[:2]
    daiyu = re.findall(r"[^。！？\n]*黛玉[^。！？\n]*[。！？]", text)[:60]
    assert len(yucun) >= 60 and len(rain) == 2 and len(daiyu) >= 40
    words = _deck_words(tmp_path, yucun + rain + daiyu)
    assert "雨" in words and "雨村" not in words["雨"].sentence.text
    assert "黛" not in words
    assert "黛" in _deck_words(tmp_path, yucun + rain + daiyu, names=True)


def test_two_characters_jieba_seldom_calls_a_name_are_no_name(tmp_path):
    """三國志演義: jieba's HMM calls 引兵 a person a few times in dozens; 引 and 兵 are
    words of the text in every use."""
    text = shared_path("corpus", "sanguozhiyanyi-traditional.txt").read_text("utf-8")
    sentences = re.findall(r"[^。！？\n]*引兵[^。！？\n]*[。！？]", text)[:80]
    words = _deck_words(tmp_path, sentences)
    assert "引" in words and "兵" in words
    assert "引兵" in words["引"].sentence.text and "引兵" in words["兵"].sentence.text


@pytest.mark.parametrize(
    "name, sentence, word",
    [
        ("sanguozhiyanyi-traditional.txt", "我聞丞相待汝不薄", "丞相"),
        ("sanguozhiyanyi-traditional.txt", "操大喜", "大喜"),
        ("laoshe-chaguan.txt", "这儿正查户口呢", "户口"),
        ("hongloumeng.txt", "燕那里肯回来", "回来"),
    ],
)
def test_a_verb_glued_before_a_word_comes_off(dictionary, name, sentence, word):
    """jieba's HMM makes one 'name' of a verb or a preposition and the word after it (聞丞相,
    操大喜, 查户口): the word stands on its own."""
    assert sentence in shared_path("corpus", name).read_text("utf-8")
    got = [t.text for t in tokens(sentence, dictionary)]
    assert word in got, got


def test_a_surname_the_text_puts_before_the_same_word_again_and_again_is_no_word(tmp_path):
    """茶馆 writes 康顺子 dozens of times and jieba cuts it 康 顺子, 康 tagged a person:
    those uses of 康 "healthy" are the surname, no example of it."""
    text = shared_path("corpus", "laoshe-chaguan.txt").read_text("utf-8")
    sentences = re.findall(r"[^。！？\n]*康[^。！？\n]*[。！？]", text)[:80]
    assert sum("康顺子" in s for s in sentences) >= 10
    words = _deck_words(tmp_path, sentences)
    assert "康" not in words or "康顺子" not in words["康"].sentence.text


@pytest.mark.parametrize(
    "name, phrase, surname",
    [
        ("laoshe-chaguan.txt", "唐先生，你外边吧", "唐"),
        ("laoshe-chaguan.txt", "王掌柜的长子", "王"),
        ("luxun-nahan.txt", "赵太爷的儿子进了秀才", "赵"),
        ("luxun-nahan.txt", "赵七爷", "赵"),
    ],
)
def test_a_surname_before_a_title_is_a_name(dictionary, name, phrase, surname):
    """jieba leaves the surname of 唐先生, 王掌柜, 赵太爷 alone and tags it as it likes: before a
    form of address it is a name (not 唐 "empty", 王 "king"), read as the surname."""
    assert phrase in shared_path("corpus", name).read_text("utf-8")
    got = {t.text: t for t in tokens(phrase, dictionary)}
    assert surname in got and got[surname].proper, [(t.text, t.proper) for t in got.values()]


def test_a_word_inside_names_is_shown_where_it_is_the_word(tmp_path):
    """茶馆's 常四爷 is cut 常 四 爷; 四 "four" is shown where it counts (四侄媳妇), never
    inside the name, and stays a word to learn, being on the HSK lists."""
    text = shared_path("corpus", "laoshe-chaguan.txt").read_text("utf-8")
    named = re.findall(r"[^。！？\n]*常四爷[^。！？\n]*[。！？]", text)[:20]
    counted = re.findall(r"[^。！？\n]*庞太监的四侄媳妇[^。！？\n]*[。！？]", text)[:1]
    assert len(named) >= 10 and counted
    words = _deck_words(tmp_path, named + counted)
    assert "四" in words and "常四爷" not in words["四"].sentence.text
    assert "常" not in words or "常四爷" not in words["常"].sentence.text


def _sentence_with(name: str, phrase: str) -> str:
    """The first sentence of ../shared/corpus/``name`` with ``phrase`` in it."""
    return sentences_of(shared_path("corpus", name), re.escape(phrase), 1)[0]


def _tokens_of_phrase(name: str, phrase: str, dictionary) -> dict[int, object]:
    """The Han tokens of the sentence that holds ``phrase``, by where each starts in it
    (0 is the phrase's first character)."""
    sentence = _sentence_with(name, phrase)
    at = sentence.index(phrase)
    return {t.start - at: t for t in tokens(sentence, dictionary)}


@pytest.mark.parametrize(
    "name, phrase",
    [
        ("luxun-nahan.txt", "猜得到"),
        ("xiaohong-hulanhezhuan.txt", "听得到"),
        ("xiaohong-hulanhezhuan.txt", "坐得到"),
        ("laoshe-chaguan.txt", "找得出"),
        ("luxun-nahan.txt", "辨得出"),
        ("hongloumeng.txt", "看得到"),
        ("sanguozhiyanyi-traditional.txt", "探得出"),
    ],
)
def test_a_potential_form_is_verb_particle_complement(dictionary, name, phrase):
    # V得到 / V得出 "can V": 得 is the particle de5, not the verb 得到 de2 dao4 "to obtain".
    sentence = _sentence_with(name, phrase)
    at = sentence.index(phrase)
    readings = {
        r.token.start - at: (r.token.text, r.numbered)
        for r in read_sentence(segment_text(sentence, dictionary), dictionary)
    }
    assert readings[1] == ("得", "de5"), readings.get(1)
    assert readings[2][0] == phrase[2], readings.get(2)


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("他会得到大家的尊重。", "得到"),  # after a modal: the verb 'to obtain'
        ("大约是得到祥林嫂好运的消息之后。", "得到"),
        ("后来我又得到了一个小锯。", "得到"),
        ("他说不能得出这个结论。", "得出"),
    ],
)
def test_the_verb_dedao_stays_a_word(dictionary, sentence, word):
    assert word in [t.simplified for t in tokens(sentence, dictionary)]


@pytest.mark.parametrize(
    "name, phrase, person",
    [
        ("hongloumeng.txt", "地下女人们忙进里间", "女人"),
        ("hongloumeng.txt", "查查家人们有无生事", "家人"),
        ("luxun-nahan.txt", "未庄的闲人们便愈喜欢玩笑他", "闲人"),
        ("xiaohong-hulanhezhuan.txt", "大人们也不大讲给他们听", "大人"),
        ("luxun-traditional.txt", "主人們就覺得她手腳", "主人"),
    ],
)
def test_a_person_word_before_men_is_that_word_and_the_plural(dictionary, name, phrase, person):
    # jieba cuts 女 人们 'people': the women are 女人 and the plural 们.
    by_offset = _tokens_of_phrase(name, phrase, dictionary)
    at = phrase.index(person)
    found = {k: t.simplified for k, t in by_offset.items()}
    assert found.get(at) == person and found.get(at + len(person)) == "们", found


@pytest.mark.parametrize("sentence", ["这是为了让人们知道真相。", "我们要为人们服务。"])
def test_renmen_stays_after_a_verb_or_a_preposition(dictionary, sentence):
    assert "人们" in [t.simplified for t in tokens(sentence, dictionary)]


@pytest.mark.parametrize(
    "name, phrase, word, proper",
    [
        ("sanguozhiyanyi-traditional.txt", "皆英俊之士", "士", False),
        ("sanguozhiyanyi-traditional.txt", "徐榮勿傷吾主", "主", False),
        ("sanguozhiyanyi-traditional.txt", "堅令諸軍不可輕動", "軍", False),
        ("sanguozhiyanyi-traditional.txt", "汝乃婦人", "乃", False),
        ("sanguozhiyanyi-traditional.txt", "曹操聞之", "聞", False),
        ("sanguozhiyanyi-traditional.txt", "仁亦敗走", "仁", True),
        ("sanguozhiyanyi-traditional.txt", "仁亦敗走", "亦", False),
    ],
)
def test_a_glued_two_character_name_is_its_words(dictionary, name, phrase, word, proper):
    # jieba's HMM calls 之士, 吾主, 諸軍, 聞之 names: a function word is in them, so they are
    # two words; the one-character name before a function word (仁 of 曹仁) stays a name.
    by_offset = _tokens_of_phrase(name, phrase, dictionary)
    token = by_offset.get(phrase.index(word))
    assert token is not None and token.text == word, [t.text for t in by_offset.values()]
    assert token.proper == proper


@pytest.mark.parametrize(
    "name, phrase, whole",
    [
        ("sanguozhiyanyi-traditional.txt", "急遣袁尚分兵", "袁尚"),
        ("luxun-nahan.txt", "咸亨酒店", "咸亨"),
    ],
)
def test_a_name_without_a_function_word_stays_whole(dictionary, name, phrase, whole):
    assert whole in [t.text for t in _tokens_of_phrase(name, phrase, dictionary).values()]


@pytest.mark.parametrize(
    "name, phrase, count",
    [
        ("hongloumeng.txt", "忽见一块大石", "一块"),
        ("xiaohong-hulanhezhuan.txt", "买一块豆腐", "一块"),
        ("hongloumeng.txt", "众人答应了一声", "一声"),
        ("luxun-nahan.txt", "挂着一轮金黄的圆月", "一轮"),
        ("luxun-nahan.txt", "只有不怕冷的几点青白小花", "几点"),
        ("luxun-nahan.txt", "窜出一道白气", "一道"),
        ("sanguozhiyanyi-traditional.txt", "一聲暗號", "一聲"),
    ],
)
def test_a_number_and_a_measure_word_that_count_something_are_two_words(
    dictionary, name, phrase, count
):
    # jieba joins 一块, 一声, 一道, which CC-CEDICT also lists as words ("together", "first
    # tone"): before what they count, or closing a clause after 了, they are the count.
    by_offset = _tokens_of_phrase(name, phrase, dictionary)
    at = phrase.index(count)
    found = [t.text for t in by_offset.values()]
    assert by_offset[at].text == count[0] and by_offset[at + 1].text == count[1], found


@pytest.mark.parametrize(
    "name, phrase, whole",
    [
        ("xiaohong-hulanhezhuan.txt", "就把尼姑列在和尚一起", "一起"),
        ("xiaohong-hulanhezhuan.txt", "蘑菇和粉配在一道", "一道"),
        ("sanguozhiyanyi-traditional.txt", "四下火光並起", "四下"),
        ("hongloumeng.txt", "一则年老无嗣", "一则"),
        ("hongloumeng.txt", "我再不和他们一块儿喝酒了", "一块儿"),
    ],
)
def test_a_count_word_that_is_no_count_stays_whole(dictionary, name, phrase, whole):
    assert whole in [t.simplified for t in _tokens_of_phrase(name, phrase, dictionary).values()]


@pytest.mark.parametrize(
    "name, phrase, person",
    [
        ("sanguozhiyanyi-traditional.txt", "韓遂二將", "韓遂"),
        ("sanguozhiyanyi-traditional.txt", "宋憲四將", "宋憲"),
        ("hongloumeng.txt", "宁荣二府", "宁荣"),
    ],
)
def test_a_name_and_the_number_after_it_are_two_words(dictionary, name, phrase, person):
    # jieba's HMM glues the number that counts the people named to the name (韓遂二).
    found = [t.text for t in _tokens_of_phrase(name, phrase, dictionary).values()]
    assert person in found and phrase[len(person)] in found, found


@pytest.mark.parametrize("given, full", [("操", "曹操"), ("布", "呂布"), ("肅", "魯肅")])
def test_a_given_name_that_speaks_in_the_text_is_not_carded(tmp_path, given, full):
    """三国演义 names 曹操 and then calls him 操 (操曰, 操大喜: about a fifth of the lone
    uses open a clause before 曰): there 操 is the person, no card for "to grasp" (with
    --names it is carded)."""
    path = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    sentences = sentences_of(path, full, 40) + sentences_of(path, f"(^|[，。：「]){given}[^曰]", 40)
    sentences += sentences_of(path, f"(^|[，。：「]){given}曰", 20)
    assert len(sentences) >= 60
    simplified = to_simplified(given)
    assert simplified not in _carded(tmp_path, sentences)
    assert simplified in _carded(tmp_path, sentences, names=True)


def test_a_verb_of_speech_is_no_given_name(tmp_path):
    """答 opens a clause before 曰 where the subject is left out (答曰：), and jieba glues
    it to a name now and then (雲答 曰): but it says something after its subject far more
    often (孔明答曰), so it is the verb, carded."""
    path = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    sentences = sentences_of(path, "(雲|艾|酈)答曰", 10) + sentences_of(path, "[，。：]答曰", 30)
    sentences += sentences_of(path, "[^，。：「]答曰", 30)
    assert len(sentences) >= 40
    assert "答" in _carded(tmp_path, sentences)


@pytest.mark.parametrize("word_uses_first", [False, True])
def test_a_given_name_that_is_also_a_word_keeps_its_word_uses(tmp_path, word_uses_first):
    """孫權 is 權 where he speaks or a clause opens with him (權曰, 權大喜); inside a clause
    權 is "power" (弄權, 重權): the card stays, with one of those as its example, whether
    the text has them before or after it shows 權 as a name."""
    path = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    word_uses = sentences_of(path, "(弄|重|兵|大)權", 10)
    assert len(word_uses) >= 5
    sentences = sentences_of(path, "孫權", 40) + sentences_of(path, "(^|[，。：「])權[^曰]", 40)
    sentences += sentences_of(path, "(^|[，。：「])權曰", 20)
    if word_uses_first:
        # One long word use (written for this test), then a short and so better sentence
        # of the person: the name use must not take the example from the word use.
        word_uses = ["國家不幸，閹官弄權，以致萬民塗炭，天下大亂，百姓流離失所，盜賊蜂起。"]
        sentences = word_uses + ["權大喜，即日起兵。"] + sentences
    else:
        sentences += word_uses
    words = _deck_words(tmp_path, sentences)
    assert "权" in words
    example = words["权"].sentence.text
    assert any(example in s or s in example for s in word_uses), example


def test_words_that_say_or_are_said_to_stay_words(tmp_path):
    """眾曰 "all said" opens a clause before 曰 but ends no name; 笑道 follows its subject
    (红楼梦: 7% of 笑 before 道): both stay words."""
    path = shared_path("corpus", "sanguozhiyanyi-traditional.txt")
    crowd = sentences_of(path, "眾曰", 30) + sentences_of(path, "眾將", 30)
    assert "众" in _carded(tmp_path, crowd)
    laugh = sentences_of(shared_path("corpus", "hongloumeng.txt"), "笑", 200)
    assert "笑" in _carded(tmp_path, laugh)
