"""Render ``Vocab`` and ``SentenceItem`` records into Anki note fields, tags and GUIDs.

Every piece of text that came from the input goes through :func:`escape_field`, which
HTML-escapes it and also defuses what Anki itself would interpret in a field: ``[sound:…]``
(plays audio), ``[latex]``/``[$]`` (renders an image), ``{{c1::…}}`` (makes clozes) and
MathJax's ``\\(…\\)``. Markup in this module is built only from our own constant strings.

The field names, their order and the GUID recipes are part of the deck's identity: a deck
built by a later release must update the notes a user already studies. They are frozen; a new
field may only ever be added at the end of a list.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import genanki

from .errors import FlashcardsError
from .gloss import clean_sense, front_sense, split_gloss
from .models import SentenceItem, Vocab
from .tones import VOWEL_INITIAL, mark_syllable, normalise_u, reading_key, tone_of

# Frozen since the first release: never rename, reorder or remove; append new fields at the end.
VOCAB_FIELDS: tuple[str, ...] = (
    "Simplified",
    "Traditional",
    "Pinyin",  # tone-marked, each syllable in <span class="toneN">
    "PinyinNumbered",
    "Meaning",
    "MeasureWords",
    "HSK2",
    "HSK3",
    "Frequency",  # wordfreq's Zipf value
    "Count",  # uses of the word, in this reading, in the text
    "Sentence",  # example sentence, the word in <span class="hl">
    "SentencePinyin",
    "SentenceBlank",  # the example sentence with the word blanked out
    "Source",
    "Headword",  # the form the learner reads: simplified or traditional (--script)
    "Variant",  # the other script's form, only where it differs
    "MakeRecognition",  # non-empty: the note has a recognition card
    "MakeRecall",  # non-empty: the note has a recall card
    "MakeCloze",  # non-empty: the note has a fill-in-the-blank card
    "MoreMeanings",  # the senses after the first few in Meaning, shown smaller on the back
    "Audio",  # [sound:] of the word in its reading (--audio espeak), else empty
    "SentenceAudio",  # [sound:] of the example sentence (--audio espeak), else empty
)
VOCAB_SORT_FIELD = "Headword"

SENTENCE_FIELDS: tuple[str, ...] = (
    "Sentence",
    "SentencePinyin",
    "Words",  # the selected words of the sentence, with pinyin and gloss
    "Source",
    "SentenceAudio",  # [sound:] of the sentence (--audio espeak), else empty
)
SENTENCE_SORT_FIELD = "Sentence"

# The card kinds a vocabulary note can have, in template order.
CARD_KINDS: tuple[str, ...] = ("recognition", "recall", "cloze")
CARD_FLAG_FIELDS = {"recognition": "MakeRecognition", "recall": "MakeRecall", "cloze": "MakeCloze"}
SCRIPTS: tuple[str, ...] = ("simplified", "traditional")

# The namespace every GUID starts from. Changing it would orphan every note ever imported.
GUID_NAMESPACE = "flashcards"

# escape_field in one pass, a character at a time: HTML's < > & " ' as html.escape writes
# them; square brackets start [sound:], [latex], [$], [anki:tts]; braces start {{c1::}}
# and template syntax; a backslash starts MathJax's \( and \[; C0/C1 controls never belong
# in a field (\x1f is even Anki's field separator in its database); a line break is <br>.
_CONTROLS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_FIELD_ESCAPES = str.maketrans(
    {
        "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
        "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "\\": "&#92;",
        "\n": "<br>",
        **{chr(c): None for c in _CONTROLS},
    }
)
# What escape_field changes: those characters and \r. Most fields have none.
_ESCAPED = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f&<>\"'\[\]{}\\]")
_NUMBERED_SYLLABLE = re.compile(r"^[A-Za-zÜüÊê:]+[1-5]$")
# Anki puts tags into a card raw where a template says {{Tags}}: no markup, entity or
# Anki syntax may come through from a file name (<svg/onload=...>.txt).
_TAG_UNSAFE = re.compile(r"[\s\"':<>&{}\[\]\\]+")
_BLANK_CHAR = "＿"
# A media file name we made (flashcards.audio): never from the input, never markup.
_MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def escape_field(text: str) -> str:
    """Input text as literal HTML that Anki shows and never interprets.

    HTML-escapes ``< > & " '`` and turns ``[ ] { } \\`` into character references, so
    ``[sound:x.mp3]`` is shown rather than played and ``{{c1::x}}`` shown rather than clozed.
    Line breaks become ``<br>``; control characters are dropped.
    """
    if _ESCAPED.search(text) is None:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_FIELD_ESCAPES)


def sound_field(media_name: str) -> str:
    """``[sound:name]`` for a media file we made, or "" for none."""
    if not media_name:
        return ""
    if not _MEDIA_NAME.fullmatch(media_name):
        raise ValueError(f"not a media file name of ours: {media_name!r}")
    return f"[sound:{media_name}]"


def _pinyin_pieces(numbered: str, split_names: bool = True) -> list[tuple[str, str, int | None]]:
    """``"Xi1 an1"`` -> [("", "Xī", 1), ("'", "ān", 1)]: (separator, text, tone or None).

    Syllables of one word are written together (with an apostrophe before a, o, e); a
    capitalised syllable starts a new word (CC-CEDICT capitalises each part of a name), and
    anything that is not a numbered syllable (a letter, ·) stands apart.
    """
    pieces: list[tuple[str, str, int | None]] = []
    previous_was_syllable = False
    for raw in numbered.split():
        if _NUMBERED_SYLLABLE.match(raw):
            text = mark_syllable(raw)
            if not pieces:
                separator = ""
            elif previous_was_syllable and not (split_names and raw[0].isupper()):
                separator = "'" if VOWEL_INITIAL.match(text) else ""
            else:
                separator = " "
            pieces.append((separator, text, tone_of(raw)))
            previous_was_syllable = True
        else:
            pieces.append(("" if not pieces else " ", normalise_u(raw), None))
            previous_was_syllable = False
    return pieces


def pinyin_plain(numbered: str, split_names: bool = True) -> str:
    """``"yin2 hang2"`` -> ``"yínháng"`` (plain text, not escaped)."""
    return "".join(sep + text for sep, text, _ in _pinyin_pieces(numbered, split_names))


def pinyin_html(numbered: str, split_names: bool = True) -> str:
    """Tone-marked pinyin with each syllable in ``<span class="toneN">``, escaped."""
    out = []
    for sep, text, tone in _pinyin_pieces(numbered, split_names):
        body = escape_field(text)
        out.append(
            escape_field(sep) + (f'<span class="tone{tone}">{body}</span>' if tone else body)
        )
    return "".join(out)


def sentence_pinyin_html(numbered: str, marked: str) -> str:
    """The pinyin of a sentence, tone-coloured where the numbered form allows it.

    Both strings hold one space-separated group per token. A group whose numbered form is
    all syllables, spelling the same pinyin as its marked form, is coloured syllable by
    syllable; anything else (punctuation, Latin, a mismatch between the two strings) is shown
    as the marked text, escaped.
    """
    marked_groups = marked.split()
    numbered_groups = numbered.split()
    if not numbered_groups or len(marked_groups) != len(numbered_groups):
        return escape_field(" ".join(marked_groups))
    out = []
    for n_group, m_group in zip(numbered_groups, marked_groups, strict=True):
        syllables = re.findall(r"[A-Za-zÜüÊê:]+[1-5]", n_group)
        joined = " ".join(syllables)
        agrees = pinyin_plain(joined, split_names=False).replace("'", "") == m_group.replace(
            "'", ""
        )
        if syllables and "".join(syllables) == n_group and agrees:
            out.append(pinyin_html(joined, split_names=False))
        else:
            out.append(escape_field(m_group))
    return " ".join(out)


def _headword(v: Vocab, script: str) -> str:
    return v.traditional if script == "traditional" else v.simplified


def _check_script(script: str) -> None:
    if script not in SCRIPTS:
        raise FlashcardsError(f"unknown script {script!r}: use simplified or traditional")


def check_card_kinds(cards: Collection[str]) -> frozenset[str]:
    """The requested card kinds, or a one-line error naming the unknown one."""
    unknown = sorted(set(cards) - set(CARD_KINDS))
    if unknown:
        raise FlashcardsError(
            f"unknown card kind {unknown[0]!r}: choose from {', '.join(CARD_KINDS)}"
        )
    return frozenset(cards)


def _to_traditional_same_length(text: str) -> str:
    """The traditional form of a simplified ``text`` (offsets kept); text that is
    traditional already stays as the learner's book writes it (台灣 stays 台灣)."""
    from .segment import to_simplified, to_traditional

    return text if to_simplified(text) != text else to_traditional(text)


def _locate_word(v: Vocab) -> tuple[int, int] | None:
    """Where the word stands in its example sentence: (start, end), or None."""
    if v.sentence is None:
        return None
    text = v.sentence.text
    forms = [f for f in dict.fromkeys((v.simplified, v.traditional)) if f]
    for form in forms:
        if 0 <= v.word_start and text[v.word_start : v.word_start + len(form)] == form:
            return v.word_start, v.word_start + len(form)
    for form in forms:
        found = text.find(form)
        if found >= 0:
            return found, found + len(form)
    if 0 <= v.word_start < len(text) and forms:
        # The pipeline placed the word here though the spelling differs (a variant character).
        return v.word_start, min(len(text), v.word_start + len(forms[0]))
    return None


def _sentence_fields(v: Vocab, script: str = "simplified") -> tuple[str, str, str]:
    """(Sentence with the word highlighted, SentencePinyin, SentenceBlank), in ``script``:
    a traditional deck shows a simplified text's example converted (OpenCC), so that a card
    never mixes scripts."""
    if v.sentence is None or not v.sentence.text.strip():
        return "", "", ""
    text = v.sentence.text
    pinyin = sentence_pinyin_html(v.sentence_numbered, v.sentence_marked)
    where = _locate_word(v)
    converted = script == "traditional" and _to_traditional_same_length(text) != text
    if converted:
        text = _to_traditional_same_length(text)
    if where is None:
        return escape_field(text), pinyin, ""
    start, end = where
    if converted and len(v.traditional) == end - start:
        text = text[:start] + v.traditional + text[end:]  # the entry's form: 两隻, not 两只
    word = text[start:end]
    highlighted = (
        escape_field(text[:start])
        + f'<span class="hl">{escape_field(word)}</span>'
        + escape_field(text[end:])
    )
    # Blank every occurrence: a second, visible copy of the word would give the answer away.
    blank = f'<span class="blank">{_BLANK_CHAR * len(word)}</span>'
    parts = text.split(word)
    if _gives_away(v, parts):
        # One of its characters stands elsewhere (中美 beside 中国): no blank to show.
        return highlighted, pinyin, ""
    blanked = blank.join(escape_field(part) for part in parts)
    return highlighted, pinyin, blanked


def _gives_away(v: Vocab, rest: Sequence[str]) -> bool:
    """Does the sentence outside the word still show one of the word's characters?"""
    own = set(v.simplified) | set(v.traditional)
    return any(ch in own for part in rest for ch in part)


def _classifiers_html(v: Vocab, script: str) -> str:
    out = []
    for cl in v.classifiers:
        form = cl.traditional if script == "traditional" else cl.simplified
        out.append(f"{escape_field(form)} {pinyin_html(cl.numbered)}")
    return "、".join(out)


def hsk3_label(level: int | None) -> str:
    """HSK 3.0 level as learners name it: 1-6, or 7-9 for the advanced band."""
    if level is None:
        return ""
    return "7-9" if level >= 7 else str(level)


def vocab_fields(
    v: Vocab,
    script: str = "simplified",
    cards: Collection[str] = CARD_KINDS,
    *,
    word_audio: str = "",
    sentence_audio: str = "",
) -> dict[str, str]:
    """The note fields of a vocabulary note, in :data:`VOCAB_FIELDS` order, all escaped.

    ``cards`` picks the card kinds: a kind is switched on by a non-empty flag field, and only
    where the note has what its front needs (a cloze card needs an example sentence).
    ``word_audio`` and ``sentence_audio`` name the media files of the word and its example
    (flashcards.audio), if the deck has them.
    """
    _check_script(script)
    kinds = check_card_kinds(cards)
    sentence, sentence_pinyin, sentence_blank = _sentence_fields(v, script)
    headword = _headword(v, script)
    variant = v.simplified if script == "traditional" else v.traditional
    meaning, more = _meaning_and_more(v, script)
    sources = v.sources or ((v.sentence.source,) if v.sentence is not None else ())
    fields = {
        "Simplified": escape_field(v.simplified),
        "Traditional": escape_field(v.traditional),
        # A proper noun is written capitalised, as CC-CEDICT writes it (Zhōngguó).
        "Pinyin": pinyin_html(v.numbered[:1].upper() + v.numbered[1:] if v.proper else v.numbered),
        "PinyinNumbered": escape_field(" ".join(v.numbered.split())),
        "Meaning": "; ".join(escape_field(s) for s in meaning),
        "MeasureWords": _classifiers_html(v, script),
        "HSK2": str(v.levels.hsk2) if v.levels.hsk2 else "",
        "HSK3": hsk3_label(v.levels.hsk3),
        "Frequency": f"{v.levels.zipf:.1f}" if v.levels.zipf > 0 else "",
        "Count": str(v.count) if v.count > 0 else "",
        "Sentence": sentence,
        "SentencePinyin": sentence_pinyin,
        "SentenceBlank": sentence_blank,
        "Source": escape_field(", ".join(s for s in sources if s)),
        "Headword": escape_field(headword),
        "Variant": escape_field(variant) if variant and variant != headword else "",
    }
    # A flag is set only where the card's front has content, so that the cards genanki writes
    # are exactly the ones Anki would generate: no blank fronts, nothing for "Empty Cards".
    has_front = {
        "recognition": bool(fields["Headword"]),
        "recall": bool(fields["Meaning"]),
        "cloze": bool(fields["SentenceBlank"]),
    }
    for kind, flag in CARD_FLAG_FIELDS.items():
        fields[flag] = "y" if kind in kinds and has_front[kind] else ""
    fields["MoreMeanings"] = "; ".join(escape_field(s) for s in more)
    fields["Audio"] = sound_field(word_audio)
    fields["SentenceAudio"] = sound_field(sentence_audio) if sentence else ""
    assert tuple(fields) == VOCAB_FIELDS
    return fields


def _tag_safe(name: str) -> str:
    return _TAG_UNSAFE.sub("_", name.strip()).strip("_")


def _source_tags(names: Sequence[str]) -> list[str]:
    return [f"source::{safe}" for safe in dict.fromkeys(_tag_safe(n) for n in names) if safe]


def vocab_tags(v: Vocab) -> list[str]:
    """``HSK2.0::N``, ``HSK3.0::N`` (``7-9`` for the top band), ``source::<name>``,
    ``proper-noun``."""
    tags = []
    if v.levels.hsk2:
        tags.append(f"HSK2.0::{v.levels.hsk2}")
    if v.levels.hsk3:
        tags.append(f"HSK3.0::{hsk3_label(v.levels.hsk3)}")
    sources = v.sources or ((v.sentence.source,) if v.sentence is not None else ())
    tags.extend(_source_tags(sources))
    if v.proper:
        tags.append("proper-noun")
    return tags


def vocab_guid(v: Vocab) -> str:
    """The note's identity: the word and its reading, nothing else.

    Rebuilding from more text, with a better gloss or another example sentence, therefore
    updates the same note; 长 zhǎng and 长 cháng stay two notes.
    """
    return genanki.guid_for(GUID_NAMESPACE, "vocab", v.simplified, reading_key(v.numbered))


def sentence_key(item: SentenceItem) -> str:
    """The sentence text as compared for identity (NFC, outer whitespace dropped)."""
    return item.sentence.identity


def sentence_guid(item: SentenceItem) -> str:
    """A sentence note's identity: the sentence text alone."""
    return genanki.guid_for(GUID_NAMESPACE, "sentence", sentence_key(item))


def clean_senses(v: Vocab, script: str = "simplified", *, hide: bool = True) -> list[str]:
    """The note's senses as a card shows them: CC-CEDICT's markup rendered; with ``hide``,
    the word itself never in its own gloss (see flashcards.gloss)."""
    forms = (v.simplified, v.traditional)
    cleaned = (clean_sense(s, forms, v.numbered, script, hide=hide) for s in v.senses)
    return list(dict.fromkeys(s for s in cleaned if s))


def _meaning_and_more(v: Vocab, script: str) -> tuple[list[str], list[str]]:
    """``Meaning``, which a recall card's front shows: each sense without what names the
    word, or hidden by ～ where it is nothing but that; ``MoreMeanings``, on the back only:
    the other senses whole, and first the whole of any the front had to cut."""
    forms = (v.simplified, v.traditional)
    # The front's form of each sense -> (the sense with the word hidden, the sense whole).
    front: dict[str, tuple[str, str]] = {}
    for sense in v.senses:
        hidden = clean_sense(sense, forms, v.numbered, script)
        shown = front_sense(hidden)
        if shown:
            front.setdefault(
                shown, (hidden, clean_sense(sense, forms, v.numbered, script, hide=False))
            )
    meaning, rest = split_gloss(list(front))
    cut = [front[s][1] for s in meaning if s != front[s][0] or "～" in s]
    return meaning, list(dict.fromkeys(cut + [front[s][1] for s in rest]))


def _gloss(v: Vocab, script: str, senses: int = 2) -> str:
    # A sentence note's list of its words: on the back, nothing to hide.
    return "; ".join(escape_field(s) for s in clean_senses(v, script, hide=False)[:senses])


def sentence_fields(
    item: SentenceItem, script: str = "simplified", *, audio: str = ""
) -> dict[str, str]:
    """The note fields of a sentence note, in :data:`SENTENCE_FIELDS` order, all escaped;
    ``audio`` names the media file of the sentence (flashcards.audio), if there is one."""
    _check_script(script)
    words = "".join(
        f'<li><span class="w">{escape_field(_headword(w, script))}</span> '
        f'<span class="py">{pinyin_html(w.numbered)}</span> '
        f'<span class="gloss" lang="en">{_gloss(w, script)}</span></li>'
        for w in item.words
    )
    fields = {
        "Sentence": escape_field(item.sentence.text.strip()),
        "SentencePinyin": sentence_pinyin_html(item.numbered, item.marked),
        "Words": f'<ul class="words">{words}</ul>' if words else "",
        "Source": escape_field(item.sentence.source),
        "SentenceAudio": sound_field(audio),
    }
    assert tuple(fields) == SENTENCE_FIELDS
    return fields


def sentence_tags(item: SentenceItem) -> list[str]:
    """``source::<name>`` of the sentence, and ``i+N``: how many words it holds that the
    learner neither knew nor was taught before it (1: only the word it introduces)."""
    tags = _source_tags([item.sentence.source])
    if item.new_words:
        tags.append(f"i+{item.new_words}")
    return tags
