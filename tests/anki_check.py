"""Test harness: import decks into a real Anki collection and check what a learner would see.

Uses the real Anki backend (the ``anki`` package, AGPL, tests only). Every deck test in the
project goes through here:

    col = import_into_fresh_collection(apkg, tmp_path)
    try:
        rendered = render_all_cards(col)          # asserts no template error, blank front, media
        reviewed = review_some_cards(col, 3)      # gives cards review history
        log = import_package(col, rebuilt_apkg)   # re-import into the same collection
        assert_no_duplicate_notes(col)
    finally:
        col.close()

Text files go through :func:`import_text_file` (Anki's own CSV importer, header lines honoured).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition, ImportResponse
from anki.sound import AVTag, SoundOrVideoTag, TTSTag

from flashcards.models import Classifier, Levels, Sentence, SentenceItem, Vocab
from flashcards.tones import mark

# What our templates and fields may contain. Anything else in a rendered card (an <img>,
# <audio>, <script>, <iframe>, <a>, ...) can only have come from input text that escaped.
DEFAULT_ALLOWED_TAGS = frozenset(
    {"div", "span", "br", "hr", "ul", "ol", "li", "b", "i", "em", "strong", "ruby", "rt", "rp"}
)
# Attributes that load, run or link something.
_ACTIVE_ATTRIBUTE = re.compile(
    r"^(on.*|src|srcset|href|xlink:href|action|formaction|background|style)$"
)
# Markers of an Anki rendering problem: its error help links, the blank-front message,
# unrendered template syntax, and the isolation marks Anki's Fluent messages put around values.
_ERROR_MARKERS = (
    "templates/errors",
    "front of this card is blank",
    "{{",
    "}}",
    "\u2068",
    "\u2069",
)
# Sound, TTS and LaTeX syntax that Anki would act on if it reached the rendered card.
_AV_SYNTAX = re.compile(r"\[(sound|anki:|latex\]|\$\]|\$\$\])", re.IGNORECASE)
# The only audio a card may play, on its back: our templates' TTS tags (Chinese, read
# from a field the card shows) and the media files --audio espeak names.
TTS_LANG = "zh_CN"
OUR_MEDIA = re.compile(r"flashcards-[0-9a-f]{32}\.mp3")
_PLAY_MARKER = re.compile(r"\[anki:play:([qa]):(\d+)\]")

_UPDATE_CONDITION = {
    "if_newer": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
    "always": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
    "never": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_NEVER,
}


def open_fresh_collection(tmp_path: Path) -> Collection:
    """A new, empty collection in ``tmp_path`` (a new file each call). Close it when done."""
    for n in itertools.count(1):
        path = Path(tmp_path) / f"collection-{n}.anki2"
        if not path.exists():
            return Collection(str(path))
    raise AssertionError("unreachable")


def import_package(
    col: Collection,
    apkg: Path,
    *,
    update_notes: str = "if_newer",
    update_notetypes: str = "if_newer",
    merge_notetypes: bool = False,
    with_scheduling: bool = True,
) -> ImportResponse.Log:
    """Import an .apkg the way Anki 23.10+ does (File > Import), returning Anki's import log.

    The defaults are Anki's own import-dialog defaults; ``update_notes`` and
    ``update_notetypes`` take "if_newer", "always" or "never".
    """
    request = ImportAnkiPackageRequest(
        package_path=str(apkg),
        options=ImportAnkiPackageOptions(
            update_notes=_UPDATE_CONDITION[update_notes],
            update_notetypes=_UPDATE_CONDITION[update_notetypes],
            merge_notetypes=merge_notetypes,
            with_scheduling=with_scheduling,
        ),
    )
    response = col.import_anki_package(request)
    _after_import(col, response)
    return response.log


def _after_import(col: Collection, response) -> None:
    # The Python layer caches note types; Anki's GUI drops that cache when an operation
    # reports note type changes, as an import that adds or merges one does.
    if response.changes.notetype:
        col.models._clear_cache()


def import_into_fresh_collection(
    apkg: Path, tmp_path: Path, col: Collection | None = None, **options: object
) -> Collection:
    """Import ``apkg`` into ``col``, or into a new collection in ``tmp_path``; return it.

    ``options`` go to :func:`import_package`. The caller closes the collection.
    """
    target = col if col is not None else open_fresh_collection(tmp_path)
    try:
        import_package(target, apkg, **options)  # type: ignore[arg-type]
    except BaseException:
        if col is None:
            target.close()
        raise
    return target


def import_text_file(col: Collection, path: Path) -> ImportResponse.Log:
    """Import a .csv/.tsv with Anki's own text importer, taking every setting from the file's
    ``#`` header lines exactly as Anki's import dialog would preset them."""
    metadata = col.get_csv_metadata(str(path), None)
    response = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
    _after_import(col, response)
    return response.log


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_tags_and_text(fragment: str) -> tuple[list[tuple[str, list[tuple[str, str | None]]]], str]:
    """The start tags (with attributes) of an HTML fragment, and its visible text."""
    parser = _TagCollector()
    parser.feed(fragment)
    parser.close()
    return parser.tags, " ".join("".join(parser.text).split())


@dataclass(frozen=True)
class RenderedCard:
    card_id: int
    note_id: int
    note_type: str
    template: str
    question_html: str
    answer_html: str
    question_text: str  # visible text, tags stripped, entities decoded, whitespace collapsed
    answer_text: str
    answer_av_tags: tuple[AVTag, ...] = ()  # what the back plays, in order


def _check_side(where: str, rendered: str, allowed_tags: frozenset[str]) -> str:
    for marker in _ERROR_MARKERS:
        assert marker not in rendered, (
            f"{where}: Anki template problem ({marker!r}) in {rendered!r}"
        )
    assert not _AV_SYNTAX.search(rendered), f"{where}: sound/TTS/LaTeX syntax in {rendered!r}"
    tags, text = html_tags_and_text(rendered)
    for tag, attrs in tags:
        assert tag in allowed_tags, f"{where}: unexpected <{tag}> in {rendered!r}"
        for name, _ in attrs:
            assert not _ACTIVE_ATTRIBUTE.match(name), f"{where}: attribute {name!r} on <{tag}>"
    return text


def check_note_type_resources(col: Collection) -> None:
    """No note type in use loads anything from outside the card: no URLs, imports, scripts."""
    for nt in col.models.all():
        if not col.models.use_count(nt):
            continue  # Anki's stock note types are not ours to judge
        css = re.sub(r"/\*.*?\*/", "", nt["css"], flags=re.DOTALL).lower()
        for bad in ("url(", "@import", "@font-face", "http:", "https:", "//"):
            assert bad not in css, f"{nt['name']}: {bad!r} in CSS"
        for tmpl in nt["tmpls"]:
            for side in (tmpl["qfmt"], tmpl["afmt"]):
                lowered = side.lower()
                for bad in ("<script", "<link", "<img", "<iframe", "src=", "href=", "[sound:"):
                    assert bad not in lowered, f"{nt['name']}/{tmpl['name']}: {bad!r} in template"


def _our_audio(where: str, rendered: str, side: str, av_tags, media_dir: Path) -> str:
    """``rendered`` with the play markers of its audio taken out, once each tag is checked:
    a TTS tag of ours reading text the card shows, or a media file of ours that the
    collection has. Anything else that plays fails, naming the card."""
    markers = [(m.group(1), int(m.group(2))) for m in _PLAY_MARKER.finditer(rendered)]
    assert markers == [(side, i) for i in range(len(av_tags))], (
        f"{where}: play markers {markers} for {list(av_tags)}"
    )
    shown = html_tags_and_text(_PLAY_MARKER.sub("", rendered))[1]
    for tag in av_tags:
        if isinstance(tag, TTSTag):
            assert tag.lang == TTS_LANG and tag.voices, f"{where}: TTS {tag}"
            said = " ".join(tag.field_text.split())
            assert said and said in shown, f"{where}: TTS reads {said!r}, not on the card"
        elif isinstance(tag, SoundOrVideoTag):
            assert OUR_MEDIA.fullmatch(tag.filename), f"{where}: plays {tag.filename!r}"
            assert (media_dir / tag.filename).is_file(), f"{where}: {tag.filename} missing"
        else:
            raise AssertionError(f"{where}: plays {tag!r}")
    return _PLAY_MARKER.sub("", rendered)


def render_all_cards(
    col: Collection, allowed_tags: frozenset[str] = DEFAULT_ALLOWED_TAGS
) -> list[RenderedCard]:
    """Render both sides of every card with Anki's own renderer and check each one.

    Asserts, naming the card: no template error or unrendered ``{{…}}``; the front has visible
    text and plays nothing; the back plays only our audio (a Chinese TTS tag reading text the
    card shows, a ``flashcards-….mp3`` the collection has); no other sound, TTS or media
    reference (no ``[sound:``/``[anki:``/LaTeX, no tag outside ``allowed_tags``, no
    src/href/on* attribute); the media check finds nothing missing; the note types load no
    external resource.
    """
    check_note_type_resources(col)
    media_dir = Path(col.media.dir())
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        note = card.note()
        note_type = note.note_type()["name"]
        template = card.template()["name"]
        where = f"card {cid} ({note_type}/{template}, {note.fields[0]!r})"
        output = card.render_output(reload=True)
        assert not output.question_av_tags, f"{where}: front plays {output.question_av_tags}"
        answer_html = _our_audio(
            f"{where} back", output.answer_text, "a", output.answer_av_tags, media_dir
        )
        question_text = _check_side(f"{where} front", output.question_text, allowed_tags)
        answer_text = _check_side(f"{where} back", answer_html, allowed_tags)
        assert question_text.strip(), f"{where}: blank front {output.question_text!r}"
        assert answer_text.strip(), f"{where}: blank back"
        out.append(
            RenderedCard(
                card_id=cid,
                note_id=note.id,
                note_type=note_type,
                template=template,
                question_html=output.question_text,
                answer_html=answer_html,
                question_text=question_text,
                answer_text=answer_text,
                answer_av_tags=tuple(output.answer_av_tags),
            )
        )
    media = col.media.check()
    assert not media.missing, f"missing media: {list(media.missing)}"
    assert not media.missing_media_notes, (
        f"notes referring to missing media: {media.missing_media_notes}"
    )
    return out


def empty_card_ids(col: Collection) -> list[int]:
    """Cards whose front Anki considers empty (what Tools > Empty Cards would delete)."""
    report = col.get_empty_cards()
    return [cid for note in report.notes for cid in note.card_ids]


def review_some_cards(col: Collection, n: int, deck_name: str | None = None) -> list[int]:
    """Answer up to ``n`` cards "Easy" through the scheduler, so they get review history and
    an interval; returns their ids. Studies ``deck_name``, or the deck of the first card."""
    if deck_name is not None:
        did = col.decks.id_for_name(deck_name)
        assert did, f"no deck {deck_name!r}"
    else:
        cids = col.find_cards("")
        assert cids, "collection has no cards"
        did = col.get_card(cids[0]).did
    col.decks.select(did)
    reviewed: list[int] = []
    while len(reviewed) < n:
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, 4)
        reviewed.append(card.id)
    return reviewed


def scheduling_snapshot(col: Collection, card_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """(type, queue, due, interval, reps, lapses) of each card, to compare before and after."""
    out = {}
    for cid in card_ids:
        c = col.get_card(cid)
        out[cid] = (c.type, c.queue, c.due, c.ivl, c.reps, c.lapses)
    return out


def revlog_count(col: Collection) -> int:
    return col.db.scalar("select count() from revlog")


def assert_no_duplicate_notes(col: Collection) -> None:
    """Every note has its own GUID (a duplicate import would add a second note with it)."""
    guids = Counter(col.db.list("select guid from notes"))
    repeated = {g: k for g, k in guids.items() if k > 1}
    assert not repeated, f"duplicate notes for GUIDs {repeated}"


def notes_by_guid(col: Collection) -> dict[str, dict[str, str]]:
    """GUID -> {field name: field HTML} (plus "_notetype" and "_tags") for every note."""
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        fields = dict(note.items())
        fields["_notetype"] = note.note_type()["name"]
        fields["_tags"] = " ".join(sorted(note.tags))
        out[note.guid] = fields
    return out


def visible_text(fragment: str) -> str:
    """The text a learner sees in an HTML fragment (tags dropped, entities decoded)."""
    return html_tags_and_text(fragment)[1]


# --- hand-made records for deck tests -----------------------------------------------------
# Real Chinese, with the readings and senses CC-CEDICT gives, 长 in two readings, a proper
# noun, a traditional-script sentence, a word without an example, and input text carrying
# markup that must reach a card as literal text: HTML, entities, Anki's template and cloze
# syntax, sound and image references, LaTeX and MathJax.

HOSTILE_SNIPPETS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "{{Hanzi}}",
    "{{c1::考试}}",
    "[sound:x.mp3]",
    '<img src="x.jpg">',
    "[latex]x^2[/latex]",
    "\\(x^2\\)",
)


def _sentence(index: int, text: str, source: str = "课文 一") -> Sentence:
    return Sentence(index=index, text=text, source=source, paragraph=index // 3)


def _vocab(
    simplified: str,
    traditional: str,
    numbered: str,
    senses: tuple[str, ...],
    levels: tuple[int | None, int | None, float],
    sentence: Sentence | None,
    word_start: int | None = None,
    sentence_numbered: str = "",
    sentence_marked: str = "",
    classifiers: tuple[Classifier, ...] = (),
    count: int = 1,
    first_index: int = 0,
    proper: bool = False,
) -> Vocab:
    if word_start is None:  # where the pipeline would have found it: its first occurrence
        assert sentence is not None
        word_start = sentence.text.find(simplified)
        assert word_start >= 0, (simplified, sentence.text)
    return Vocab(
        simplified=simplified,
        traditional=traditional,
        numbered=numbered,
        marked=mark(numbered),
        senses=senses,
        classifiers=classifiers,
        levels=Levels(*levels),
        count=count,
        first_index=first_index,
        sentence=sentence,
        sentence_numbered=sentence_numbered,
        sentence_marked=sentence_marked,
        word_start=word_start,
        proper=proper,
        sources=(sentence.source,) if sentence is not None else (),
    )


GE = Classifier("个", "個", "ge4")
TIAO = Classifier("条", "條", "tiao2")
JIA = Classifier("家", "家", "jia1")


def sample_vocab() -> list[Vocab]:
    """Twelve words as the pipeline would hand them over, hostile markup in some sentences."""
    s = [
        _sentence(0, "他长得很高，是我们学校的校长。"),
        _sentence(1, "长城很长，有几千公里。"),
        _sentence(2, "我去银行取钱<script>alert(1)</script>。"),
        _sentence(3, "我在北京学习中文。"),
        _sentence(4, "我想了解<img src=x onerror=alert(1)>这个问题&amp;{{Hanzi}}。"),
        _sentence(5, "[sound:x.mp3]我很喜欢音乐。"),
        _sentence(6, '{{c1::考试}}明天有考试<img src="x.jpg">。'),
        _sentence(7, "请说慢一点儿[latex]x^2[/latex]。"),
        _sentence(8, "我們去臺灣旅行\\(x^2\\)。", source="travel notes"),
    ]
    return [
        _vocab(
            "长",
            "長",
            "zhang3",
            ("chief", "head", "elder", "to grow", "to develop"),
            (3, 2, 5.43),
            s[0],
            None,
            "ta1 zhang3 de5 hen3 gao1 ， shi4 wo3men5 xue2xiao4 de5 xiao4zhang3 。",
            "tā zhǎng de hěn gāo ， shì wǒmen xuéxiào de xiàozhǎng 。",
            count=2,
            first_index=0,
        ),
        _vocab(
            "长",
            "長",
            "chang2",
            ("length", "long", "forever", "always", "constantly"),
            (2, 1, 5.43),
            s[1],
            3,
            "Chang2cheng2 hen3 chang2 ， you3 ji3 qian1 gong1li3 。",
            "Chángchéng hěn cháng ， yǒu jǐ qiān gōnglǐ 。",
            classifiers=(TIAO,),
            first_index=1,
        ),
        _vocab(
            "银行",
            "銀行",
            "yin2 hang2",
            ("bank",),
            (3, 2, 4.71),
            s[2],
            None,
            classifiers=(JIA, GE),
            first_index=2,
        ),
        _vocab(
            "北京",
            "北京",
            "Bei3 jing1",
            ("Beijing, capital of the People's Republic of China",),
            (1, 1, 5.2),
            s[3],
            None,
            "wo3 zai4 Bei3jing1 xue2xi2 Zhong1wen2 。",
            "wǒ zài Běijīng xuéxí Zhōngwén 。",
            first_index=3,
            proper=True,
        ),
        _vocab(
            "学习",
            "學習",
            "xue2 xi2",
            ("to learn", "to study"),
            (1, 1, 5.6),
            s[3],
            None,
            "wo3 zai4 Bei3jing1 xue2xi2 Zhong1wen2 。",
            "wǒ zài Běijīng xuéxí Zhōngwén 。",
            first_index=3,
        ),
        _vocab(
            "了解",
            "了解",
            "liao3 jie3",
            ("to understand", "to realize", "to find out"),
            (4, 3, 4.9),
            s[4],
            None,
            first_index=4,
        ),
        _vocab(
            "问题",
            "問題",
            "wen4 ti2",
            ("question", "problem", "issue", "topic"),
            (2, 2, 5.8),
            s[4],
            None,
            classifiers=(GE,),
            first_index=4,
        ),
        _vocab(
            "音乐",
            "音樂",
            "yin1 yue4",
            ("music",),
            (1, 2, 5.0),
            s[5],
            None,
            classifiers=(GE,),
            first_index=5,
        ),
        _vocab(
            "考试",
            "考試",
            "kao3 shi4",
            ("to take an exam", "exam"),
            (2, 2, 5.1),
            s[6],
            13,
            count=2,
            first_index=6,
        ),
        _vocab(
            "一点儿",
            "一點兒",
            "yi1 dian3 r5",
            ("a bit", "a little"),
            (1, 1, 4.8),
            s[7],
            None,
            first_index=7,
        ),
        # Traditional input: the sentence has 臺灣, the record's keys are simplified.
        _vocab(
            "台湾",
            "臺灣",
            "Tai2 wan1",
            ("Taiwan",),
            (None, 7, 4.9),
            s[8],
            -1,
            first_index=8,
            proper=True,
        ),
        # No complete example sentence in the text: no cloze card, a recall card without one.
        _vocab(
            "东西", "東西", "dong1 xi5", ("thing", "stuff"), (1, 1, 5.5), None, -1, first_index=9
        ),
    ]


def sample_sentences(vocab: list[Vocab] | None = None) -> list[SentenceItem]:
    """Two sentences to study whole; the second carries hostile markup."""
    words = {v.simplified + v.numbered: v for v in (vocab or sample_vocab())}
    return [
        SentenceItem(
            sentence=_sentence(3, "我在北京学习中文。"),
            numbered="wo3 zai4 Bei3jing1 xue2xi2 Zhong1wen2 。",
            marked="wǒ zài Běijīng xuéxí Zhōngwén 。",
            words=(words["北京Bei3 jing1"], words["学习xue2 xi2"]),
        ),
        SentenceItem(
            sentence=_sentence(6, '{{c1::考试}}明天有考试<img src="x.jpg">[sound:x.mp3]。'),
            numbered="ming2tian1 you3 kao3shi4 。",
            marked="míngtiān yǒu kǎoshì 。",
            words=(words["考试kao3 shi4"],),
        ),
    ]
