"""The library API. Every CLI command is a thin layer over one function here.

>>> from flashcards import api
>>> [r.marked for r in api.pinyin("我还没吃饭，请把书还给我。") if r.marked]
['wǒ', 'hái', 'méi', 'chī fàn', 'qǐng', 'bǎ', 'shū', 'huán gěi', 'wǒ']
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .analyze import TextStats, report, source_rows
from .dictionary import Dictionary, load_dictionary
from .errors import FlashcardsError
from .han import has_han
from .levels import levels_of
from .memory import rare_collections
from .models import AnnotatedSentence, Reading, Sentence, SentenceItem, Token, Vocab
from .read import FORMATS as INPUT_FORMATS
from .read import folder_files, open_input
from .read.plain import clean_text
from .segment import segment_sentence
from .select import (
    ORDERS,
    Selection,
    SelectionOptions,
    SentenceWords,
    VocabularyCollector,
    known_forms,
    plan_vocabulary,
    select_sentences,
    sentence_words,
)
from .sentences import split_sentences
from .tones import mark

if TYPE_CHECKING:
    from .preview import PreviewResult

Input = str | os.PathLike[str]
T = TypeVar("T")
RECIPE_FILE = "deck.toml"
CARD_KINDS = ("recognition", "recall", "cloze")


# --- the language core -------------------------------------------------------------------


def load_reading_overrides(path: Input) -> dict[str, str]:
    """A file of readings that always win: ``word pinyin`` a line (``地方 di4 fang1``)."""
    from .pinyin import load_reading_overrides as load

    return load(path)


def annotate_sentence(
    sentence: Sentence,
    dictionary: Dictionary,
    *,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> AnnotatedSentence:
    (annotated,) = annotate_sentences(
        [sentence], dictionary, segmenter=segmenter, user_dict=user_dict, readings=readings
    )
    return annotated


def annotate_sentences(
    sentences: Sequence[Sentence],
    dictionary: Dictionary,
    *,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> list[AnnotatedSentence]:
    """``annotate_sentence`` of each sentence, the same for less CPU: the model that reads
    rare polyphones reads the sentences side by side (see pinyin.read_sentences)."""
    # Imported here: pypinyin's tables cost start-up time that `lookup` never needs.
    from .pinyin import read_sentences

    tokens = [
        segment_sentence(s, dictionary, segmenter=segmenter, user_dict=user_dict)
        for s in sentences
    ]
    read = read_sentences(tokens, dictionary, overrides=readings)
    return [AnnotatedSentence(s, r) for s, r in zip(sentences, read, strict=True)]


def iter_annotated(
    inputs: Sequence[Input],
    *,
    encoding: str | None = None,
    errors: str = "strict",
    dictionary: Dictionary | None = None,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    jobs: int | None = 1,
    input_format: str | None = None,
) -> Iterator[AnnotatedSentence]:
    """Read, split, segment and read aloud every sentence of ``inputs`` ("-" is stdin).

    Streams: memory stays bounded however long the inputs are. ``progress`` is called
    chunk by chunk with the number of bytes read since its last call (so that the calls
    add up to the size of the files), or of characters where stdin is a text stream.
    ``jobs`` processes annotate the sentences (None: one a core, fewer for a short input);
    the result is the same for any number. ``input_format`` (text, epub, subtitles, html,
    pdf) overrides what each file's content and suffix say it is.
    """
    dictionary = dictionary or load_dictionary()

    def annotate(sentences: list[Sentence]) -> list[AnnotatedSentence]:
        return annotate_sentences(
            sentences, dictionary, segmenter=segmenter, user_dict=user_dict, readings=readings
        )

    return _in_processes(inputs, encoding, errors, progress, jobs, annotate, input_format)


def _in_processes(
    inputs: Sequence[Input],
    encoding: str | None,
    errors: str,
    progress: Callable[[int], None] | None,
    jobs: int | None,
    work: Callable[[list[Sentence]], list[T]],
    input_format: str | None = None,
) -> Iterator[T]:
    """``work(batch)`` for batches of the sentences of ``inputs``, one result a sentence, in
    order, over ``jobs`` processes (None: one a core, fewer for a short input). ``work``
    annotates the sentences; run once on a warm-up sentence first, it loads every table in
    the parent."""
    from .parallel import default_jobs, map_in_order

    if jobs is None:
        jobs = default_jobs(_input_bytes(inputs))

    def warm() -> None:
        from .pinyin import model_is_available

        model_is_available()
        work([Sentence(0, _WARM_UP, "warm-up", 0)])

    sentences = _sentences(inputs, encoding, errors, progress, input_format)
    return map_in_order(sentences, work, jobs, warm)


# A sentence whose reading loads every table a worker needs (tagger, rules, model).
_WARM_UP = "他还长得很快，地方上的人都说了了不得。"


def _input_bytes(inputs: Sequence[Input]) -> int | None:
    try:
        return sum(Path(p).stat().st_size for p in inputs if str(p) != "-")
    except OSError:
        return None


def _sentences(
    inputs: Sequence[Input],
    encoding: str | None,
    errors: str,
    progress: Callable[[int], None] | None,
    input_format: str | None = None,
) -> Iterator[Sentence]:
    index = paragraph = 0
    names = _SourceNames()
    for path in inputs:
        # Chunks of 16k characters: a progress report every few seconds of segmenting.
        for text in open_input(path, input_format=input_format, encoding=encoding, errors=errors):
            chunks: Iterable[str] = text
            if progress is not None:
                chunks = _counting(text, progress)
            name = names.name(text.source.name, path)
            for sentence in split_sentences(chunks, name, index, paragraph):
                index = sentence.index + 1
                paragraph = sentence.paragraph + 1
                yield sentence


class _SourceNames:
    """Source names, made unique: two files called 01.srt in two folders are two sources
    (``01`` and ``01 (2)``), for tags and subdecks."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}

    def name(self, name: str, path: Input) -> str:
        key = os.fspath(path)
        candidate, n = name, 1
        while self.owner.setdefault(candidate, key) != key:
            n += 1
            candidate = f"{name} ({n})"
        return candidate


def _counting(chunks, progress: Callable[[int], None]) -> Iterator[str]:
    """The chunks, with progress reported in bytes of the file read (characters where
    stdin is a text stream)."""
    reported = 0
    for chunk in chunks:
        yield chunk
        read = chunks.bytes_read
        if read > reported:
            progress(read - reported)
            reported = read


def annotate_text(
    text: str,
    *,
    source: str = "text",
    dictionary: Dictionary | None = None,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> list[AnnotatedSentence]:
    """Every sentence of ``text`` with its tokens read in context."""
    dictionary = dictionary or load_dictionary()
    return annotate_sentences(
        list(split_sentences([clean_text(text)], source)),
        dictionary,
        segmenter=segmenter,
        user_dict=user_dict,
        readings=readings,
    )


def segment(
    text: str,
    *,
    dictionary: Dictionary | None = None,
    segmenter: str | None = None,
    user_dict: str | None = None,
) -> list[Token]:
    """The tokens of ``text``, sentence by sentence, with their flags."""
    readings = pinyin(text, dictionary=dictionary, segmenter=segmenter, user_dict=user_dict)
    return [r.token for r in readings]


def pinyin(
    text: str,
    *,
    dictionary: Dictionary | None = None,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> list[Reading]:
    """Every token of ``text`` with the pinyin it has in its sentence."""
    return [
        r
        for a in annotate_text(
            text,
            dictionary=dictionary,
            segmenter=segmenter,
            user_dict=user_dict,
            readings=readings,
        )
        for r in a.readings
    ]


def pinyin_lines(
    text: str,
    *,
    numbers: bool = False,
    dictionary: Dictionary | None = None,
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> list[str]:
    """The pinyin of each sentence of ``text``, written as pinyin is read (yínháng)."""
    from .select import sentence_pinyin

    lines = []
    for a in annotate_text(
        text,
        dictionary=dictionary,
        segmenter=segmenter,
        user_dict=user_dict,
        readings=readings,
    ):
        numbered, marked = sentence_pinyin(a.readings)
        lines.append(numbered if numbers else marked)
    return lines


def lookup(word: str, *, dictionary: Dictionary | None = None) -> list[dict]:
    """CC-CEDICT's entries for ``word`` (simplified or traditional), with levels."""
    from .segment import to_simplified

    dictionary = dictionary or load_dictionary()
    word = word.strip()
    entries = dictionary.lookup(word)
    out = []
    for e in entries:
        lv = levels_of(e.simplified)
        out.append(
            {
                "simplified": e.simplified,
                "traditional": e.traditional,
                "pinyin": mark(e.numbered),
                "numbered": e.numbered,
                "senses": list(e.senses),
                "classifiers": [
                    f"{c.simplified}|{c.traditional}[{c.numbered}]"
                    if c.traditional != c.simplified
                    else f"{c.simplified}[{c.numbered}]"
                    for c in e.classifiers
                ],
                "hsk2": lv.hsk2,
                "hsk3": lv.hsk3,
                "zipf": lv.zipf,
            }
        )
    if not out and has_han(word) and to_simplified(word) != word:
        return lookup(to_simplified(word), dictionary=dictionary)
    return out


# --- analyze -----------------------------------------------------------------------------


def analyze(
    inputs: Sequence[Input],
    *,
    beyond: int = 4,
    standard: str = "3.0",
    top: int = 20,
    known: Iterable[str] | None = None,
    encoding: str | None = None,
    errors: str = "strict",
    segmenter: str | None = None,
    user_dict: str | None = None,
    readings: Mapping[str, str] | None = None,
    dictionary: Dictionary | None = None,
    progress: Callable[[int], None] | None = None,
    input_format: str | None = None,
    learning: Iterable[str] = (),
    target_coverage: float | None = None,
) -> dict:
    """Counts, dictionary coverage, HSK shares, and known coverage when ``known`` is given
    (words being ``learning`` counted apart; ignored words belong in ``known``), and for a
    ``target_coverage`` percent how many words reaching it takes; under ``sources``, one
    row a file or chapter with its size, known coverage and new words, and the running
    total (see :func:`flashcards.analyze.source_rows`)."""
    check_target_coverage(target_coverage)
    stats = TextStats()
    per_source: dict[str, TextStats] = {}
    for annotated in iter_annotated(
        inputs,
        encoding=encoding,
        errors=errors,
        dictionary=dictionary,
        segmenter=segmenter,
        user_dict=user_dict,
        readings=readings,
        progress=progress,
        input_format=input_format,
    ):
        stats.add(annotated)
        source = annotated.sentence.source
        if source not in per_source:
            per_source[source] = TextStats()
        per_source[source].add(annotated)
    known_set = known_forms(known) if known is not None else None
    result = report(
        stats,
        beyond=beyond,
        standard=standard,
        top=top,
        known=known_set,
        learning=known_forms(learning) - (known_set or frozenset()),
        target_coverage=target_coverage,
    )
    result["sources"] = source_rows(per_source, known_set)
    return result


def check_target_coverage(target: float | None) -> None:
    """FlashcardsError unless ``target`` is None or a percentage above 0, at most 100."""
    if target is None:
        return
    if isinstance(target, bool) or not isinstance(target, (int, float)) or not (
        0 < target <= 100
    ):
        raise FlashcardsError(
            f"target coverage must be a percentage above 0, at most 100: {target!r}"
        )


# --- build -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildOptions:
    deck_name: str = "flashcards"
    format: str | None = None  # from the output's suffix when None
    max_words: int | None = None
    order: str = "appearance"
    hsk_min: int | None = None
    hsk_max: int | None = None
    hsk_standard: str = "3.0"
    names: bool = False
    script: str = "simplified"
    sentences: int = 0
    cards: tuple[str, ...] = CARD_KINDS
    known: frozenset[str] = frozenset()
    allow_empty: bool = False
    encoding: str | None = None
    errors: str = "strict"
    segmenter: str | None = None
    user_dict: str | None = None  # a word list in jieba's format, loaded before cutting
    readings: str | None = None  # a file of reading overrides (load_reading_overrides)
    jobs: int | None = None  # processes annotating the text; None: one a core, fewer if short
    # Card kinds a note already had stay on, so a studied deck rebuilt with fewer kinds gets
    # no blank cards: from these Anki packages or collections, and from the output itself
    # when it is an .apkg; drop_cards turns this off.
    keep_cards_from: tuple[str, ...] = ()
    drop_cards: bool = False
    audio: str = "none"  # "espeak": embed the words and sentences said (flashcards.audio)
    input_format: str | None = None  # text, epub, subtitles, html, pdf; None: detected
    subdecks: bool = False  # one subdeck a source file or chapter (Deck::Episode 03)
    # The study plan (issue 14): words being learned in Anki stay in the deck unless
    # skip_learning; ignored words never do and count as known for coverage;
    # target_coverage: the fewest words that make that percent of the text's tokens known.
    learning: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()
    skip_learning: bool = False
    target_coverage: float | None = None


@dataclass(frozen=True)
class Deck:
    vocab: tuple[Vocab, ...]
    sentences: tuple[SentenceItem, ...]
    sentences_read: int
    selection: Selection | None = None  # what was left out and why, coverage


@dataclass(frozen=True)
class BuildResult:
    path: Path
    words: int
    sentences: int
    notes: int
    cards: int
    kept_cards: int = 0  # cards of kinds not asked for, kept because the notes had them
    kept_kinds: tuple[str, ...] = ()
    media: int = 0  # audio files in the deck
    notices: tuple[str, ...] = ()  # one line each: what the build left out, and why
    preview: PreviewResult | None = None  # the preview page, with build(..., preview=True)
    skipped: tuple[tuple[Path, str], ...] = ()  # files of a folder that were not read, and why
    summary: BuildSummary | None = None  # what the text had and what was left out, and why


@dataclass(frozen=True)
class BuildSummary:
    """What a build did with the text's words (``build --json`` prints it)."""

    text_words: int  # distinct words of the text (a word with two readings counts twice)
    deck_words: int
    left_out: dict[str, int]  # reason -> words (see select.LEFT_OUT_REASONS)
    coverage_before: float  # percent of the text's tokens known before the deck
    coverage_after: float  # with every word of the deck learned
    new_words: int
    target_coverage: float | None
    target_reached: bool
    sentences: int
    sentence_new_words: dict[str, int]  # "i+1", "i+2"… -> sentence notes
    notes: int
    cards: int

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


@dataclass(frozen=True)
class Recipe:
    """A deck recipe: ``decks/<name>/deck.toml`` naming the texts and the options."""

    folder: Path
    texts: tuple[Path, ...]
    options: dict = field(default_factory=dict)


_RECIPE_OPTIONS = {f for f in BuildOptions.__dataclass_fields__} - {
    "known",
    "learning",
    "ignored",
    "allow_empty",
}


def _whole(low: int, high: int | None = None):
    def check(value: object) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return "must be a whole number"
        if value < low or (high is not None and value > high):
            return f"must be from {low}" + (f" to {high}" if high is not None else " up")
        return None

    return check


def _one_of(*choices: str):
    def check(value: object) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _text(value: object) -> str | None:
    return None if isinstance(value, str) and value else "must be a non-empty string"


def _card_kinds(value: object) -> str | None:
    if not isinstance(value, list) or not value or not all(v in CARD_KINDS for v in value):
        return f"must list card kinds from {', '.join(CARD_KINDS)}"
    return None


def _file_list(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return "must list file names"
    return None


def _percentage(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
        return "must be a percentage above 0, at most 100"
    return None


# The same rules as the command line's: a recipe's value is never silently misread.
_RECIPE_RULES = {
    "deck_name": _text,
    "format": _one_of("apkg", "csv", "tsv", "json", "md"),
    "max_words": _whole(1),
    "order": _one_of(*ORDERS),
    "hsk_min": _whole(1, 7),
    "hsk_max": _whole(1, 7),
    "hsk_standard": _one_of("2.0", "3.0"),
    "names": _flag,
    "script": _one_of("simplified", "traditional"),
    "sentences": _whole(0),
    "cards": _card_kinds,
    "encoding": _text,
    "errors": _one_of("strict", "replace", "ignore"),
    "segmenter": _one_of("auto", "jieba"),
    "user_dict": _text,
    "readings": _text,
    "jobs": _whole(1),
    "keep_cards_from": _file_list,
    "drop_cards": _flag,
    "audio": _one_of("none", "espeak"),
    "input_format": _one_of(*INPUT_FORMATS),
    "subdecks": _flag,
    "skip_learning": _flag,
    "target_coverage": _percentage,
}


def load_recipe(folder: Input) -> Recipe:
    folder = Path(folder)
    file = folder / RECIPE_FILE
    if not file.is_file():
        raise FlashcardsError(f"{folder} is a directory, not a deck recipe (no {RECIPE_FILE})")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8-sig"))  # a BOM is no key
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FlashcardsError(f"{file}: {exc}") from None
    texts = data.pop("texts", None)
    if not texts or not isinstance(texts, list):
        raise FlashcardsError(f"{file}: 'texts' must list the recipe's text files")
    unknown = set(data) - _RECIPE_OPTIONS
    if unknown:
        raise FlashcardsError(f"{file}: unknown option(s): {', '.join(sorted(unknown))}")
    if isinstance(data.get("hsk_standard"), (int, float)) and not isinstance(
        data["hsk_standard"], bool
    ):
        data["hsk_standard"] = f"{float(data['hsk_standard']):.1f}"  # 3.0 written unquoted
    for key, value in data.items():
        problem = _RECIPE_RULES[key](value) if key in _RECIPE_RULES else None
        if problem:
            raise FlashcardsError(f"{file}: {key} = {value!r}: {problem}")
    if "cards" in data:
        data["cards"] = tuple(data["cards"])
    if "keep_cards_from" in data:
        names = data["keep_cards_from"]
        data["keep_cards_from"] = tuple(str(_inside(folder, file, n)) for n in names)
    for key in ("user_dict", "readings"):  # files of the recipe, beside its texts
        if isinstance(data.get(key), str):
            data[key] = str(_inside(folder, file, data[key]))
    return Recipe(folder, tuple(_inside(folder, file, t) for t in texts), data)


def _inside(folder: Path, recipe: Path, name: object) -> Path:
    """A file a recipe names, which must be in the recipe's folder (symlinks followed): a
    shared or downloaded recipe must not pull ../../diary.txt or /etc/passwd into a deck."""
    if not isinstance(name, str) or not name:
        raise FlashcardsError(f"{recipe}: a file name must be a non-empty string, not {name!r}")
    path = folder / name
    if not path.resolve().is_relative_to(folder.resolve()):
        raise FlashcardsError(f"{recipe}: {name} is outside the recipe's folder; not read")
    return path


def expand_inputs(
    inputs: Sequence[Input], on_skip: Callable[[Path, str], None] | None = None
) -> tuple[list[Input], dict]:
    """Recipe folders become their texts, other folders every readable file in them
    (sorted; files that are no text in any format go to ``on_skip`` with the reason); the
    first recipe's options are returned too."""
    paths: list[Input] = []
    options: dict = {}
    for item in inputs:
        if not os.fspath(item):
            raise FlashcardsError("an input file name is empty")  # Path("") would be "."
        if item != "-" and Path(item).is_dir():
            if (Path(item) / RECIPE_FILE).is_file():
                recipe = load_recipe(item)
                paths.extend(recipe.texts)
                options = options or recipe.options
                continue
            files = folder_files(Path(item), on_skip)
            if not files:
                raise FlashcardsError(f"{item}: no readable file in this folder")
            paths.extend(files)
        else:
            paths.append(item)
    return paths, options


@rare_collections()
def make_deck(
    inputs: Sequence[Input],
    options: BuildOptions = BuildOptions(),
    *,
    dictionary: Dictionary | None = None,
    progress: Callable[[int], None] | None = None,
) -> Deck:
    """The vocabulary and sentence notes for ``inputs``, without writing anything."""
    dictionary = dictionary or load_dictionary()
    collector = VocabularyCollector(study_sentences=options.sentences > 0)
    readings = load_reading_overrides(options.readings) if options.readings else None

    from .parallel import can_fork, default_jobs

    jobs = options.jobs if options.jobs is not None else default_jobs(_input_bytes(inputs))
    in_workers = jobs > 1 and can_fork()

    def work(sentences: list[Sentence]) -> list[tuple[bool, SentenceWords]]:
        # In a worker process, the sentences' words go back ready-made: the parent only
        # adds them up, and little has to be sent.
        annotated = annotate_sentences(
            sentences,
            dictionary,
            segmenter=options.segmenter,
            user_dict=options.user_dict,
            readings=readings,
        )
        out = []
        for a in annotated:
            words = sentence_words(a)
            out.append((has_han(a.sentence.text), words.freeze() if in_workers else words))
        return out

    seen_han = False
    for han, words in _in_processes(
        inputs, options.encoding, options.errors, progress, jobs, work, options.input_format
    ):
        seen_han = seen_han or han
        collector.add_words(words)
    if not seen_han and not options.allow_empty:
        names = ", ".join("stdin" if str(p) == "-" else str(p) for p in inputs)
        raise FlashcardsError(f"no Chinese text found in {names}; no deck written")
    from .memory import after_annotating

    after_annotating(collector.tokens)  # planning and writing the deck need none of it
    selection = replace(
        SelectionOptions(
            **{name: getattr(options, name) for name in SelectionOptions.__dataclass_fields__}
        ),
        # Known words may come in either script, from a caller of this library too.
        known=known_forms(options.known),
        learning=known_forms(options.learning),
        ignored=known_forms(options.ignored),
    )
    check_target_coverage(options.target_coverage)
    plan = plan_vocabulary(collector, dictionary, selection)
    vocab = list(plan.vocab)
    readable = selection.known | selection.ignored
    if options.skip_learning:  # learned in Anki, not here: readable as known ones are
        readable |= selection.learning
    sentences = select_sentences(collector, vocab, options.sentences, readable)
    return Deck(tuple(vocab), tuple(sentences), collector.sentences, plan)


def _refuse_to_overwrite_an_input(paths: Sequence[Input], output: Path) -> None:
    """The deck must never replace the learner's own text (notes.md built with --format md,
    or -o naming an input, also through a symlink or a hard link)."""
    if not output.exists():
        return
    for p in paths:
        if str(p) == "-":
            continue
        try:
            same = os.path.samefile(p, output)
        except OSError:
            continue
        if same:
            raise FlashcardsError(
                f"the output {output} is the input {p}; name another output with -o"
            )


@rare_collections()
def build(
    inputs: Sequence[Input],
    output: Input,
    options: BuildOptions | None = None,
    *,
    overrides: dict | None = None,
    dictionary: Dictionary | None = None,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    preview: bool | Input = False,
    on_skip: Callable[[Path, str], None] | None = None,
) -> BuildResult:
    """Build a deck from ``inputs`` (files, "-", folders or recipe folders) and write
    ``output`` (``force``: also over a read-only file). Files of a folder that are no text
    in any format are skipped, passed to ``on_skip`` and listed in the result.

    Options come from ``options``, else from a recipe's deck.toml, else the defaults;
    ``overrides`` (what a user set on the command line) win over all of them.
    ``preview``: also write the deck's preview page (see :func:`preview`), beside the deck
    (deck.apkg -> deck.preview.html) when True, or at the path given.
    """
    from .package import (
        build_records,
        count_cards,
        kept_cards,
        media_of,
        output_format,
        write_deck,
    )

    skipped: list[tuple[Path, str]] = []

    def skip(path: Path, reason: str) -> None:
        skipped.append((path, reason))
        if on_skip is not None:
            on_skip(path, reason)

    paths, recipe_options = expand_inputs(inputs, skip)
    _refuse_to_overwrite_an_input(paths, Path(output))
    preview_path = _preview_path(preview, Path(output))
    if preview_path is not None:
        _refuse_to_overwrite_an_input([*paths, output], preview_path)
    if options is None:
        options = BuildOptions(**recipe_options)
    if overrides:
        options = replace(options, **overrides)
    deck = make_deck(paths, options, dictionary=dictionary, progress=progress)
    if not deck.vocab and not deck.sentences and not options.allow_empty:
        raise FlashcardsError("no words left to learn in the input; no deck written")
    earlier = _earlier_card_kinds(options, Path(output))
    notices: list[str] = []
    page = None
    with tempfile.TemporaryDirectory(prefix="flashcards-audio-") as folder:
        audio = None
        # A Markdown list plays nothing: no audio is made for it.
        if options.audio != "none" and output_format(Path(output), options.format) != "md":
            audio, notice = _deck_audio(deck, options, Path(folder))
            notices += [notice] if notice else []
        records = build_records(
            deck.vocab,
            deck.sentences,
            script=options.script,
            cards=options.cards,
            keep=earlier,
            audio=audio,
        )

        def write(path: Path, format: str | None) -> Path:
            return write_deck(
                path,
                deck.vocab,
                deck.sentences,
                deck_name=options.deck_name,
                format=format,
                script=options.script,
                cards=options.cards,
                records=records,
                force=force,
                media=audio.files if audio else (),
                subdecks=options.subdecks,
            )

        if preview_path is None:
            written = write(Path(output), options.format)
        else:
            written, page = _write_with_preview(
                write, Path(output), options.format, preview_path, force
            )
    kept = kept_cards(records, options.cards)
    return BuildResult(
        path=Path(written),
        words=len(deck.vocab),
        sentences=len(deck.sentences),
        notes=len(records),
        cards=count_cards(records),
        kept_cards=sum(kept.values()),
        kept_kinds=tuple(k for k in CARD_KINDS if kept.get(k)),
        media=len(media_of(records)),
        notices=tuple(notices),
        preview=page,
        skipped=tuple(skipped),
        summary=build_summary(deck, options, len(records), count_cards(records)),
    )


def build_summary(deck: Deck, options: BuildOptions, notes: int, cards: int) -> BuildSummary:
    """What the build did with the text's words, from the deck it made."""
    selection = deck.selection
    assert selection is not None
    plan = selection.coverage
    new: dict[str, int] = {}
    for item in deck.sentences:
        if item.new_words:
            tag = f"i+{item.new_words}"
            new[tag] = new.get(tag, 0) + 1
    return BuildSummary(
        text_words=selection.words,
        deck_words=len(deck.vocab),
        left_out={k: n for k, n in selection.left_out.items() if n},
        coverage_before=round(plan.before, 2),
        coverage_after=round(plan.after, 2),
        new_words=len(plan.words),
        target_coverage=options.target_coverage,
        target_reached=plan.reached,
        sentences=len(deck.sentences),
        sentence_new_words=dict(sorted(new.items(), key=lambda kv: int(kv[0][2:]))),
        notes=notes,
        cards=cards,
    )


def _earlier_card_kinds(options: BuildOptions, output: Path) -> dict[str, frozenset[str]]:
    """The card kinds each note had before, by GUID (see BuildOptions.keep_cards_from)."""
    from .package import output_format
    from .wordsources import card_kinds_by_guid

    if options.drop_cards or set(options.cards) >= set(CARD_KINDS):
        return {}
    kinds: dict[str, frozenset[str]] = {}
    for source in options.keep_cards_from:
        for guid, had in card_kinds_by_guid(source).items():
            kinds[guid] = kinds.get(guid, frozenset()) | had
    if output.is_file() and output_format(output, options.format) == "apkg":
        try:
            earlier = card_kinds_by_guid(output)
        except FlashcardsError:
            earlier = {}  # not a deck of ours, and about to be replaced
        for guid, had in earlier.items():
            kinds[guid] = kinds.get(guid, frozenset()) | had
    return kinds


def _deck_audio(deck: Deck, options: BuildOptions, folder: Path):
    """(the deck's audio, None), or (None, why not) where the tools are missing."""
    from .audio import ENGINES, make_audio, missing

    if options.audio not in ENGINES:
        raise FlashcardsError(f"unknown audio {options.audio!r}: use one of {', '.join(ENGINES)}")
    why = missing(options.audio)
    if why:
        return None, why
    return make_audio(deck.vocab, deck.sentences, folder, jobs=options.jobs), None


# --- preview -----------------------------------------------------------------------------


def _preview_path(preview: bool | Input, output: Path) -> Path | None:
    from .preview import preview_path_for

    if preview is True:
        return preview_path_for(output)
    if preview is False or preview is None:
        return None
    return Path(preview)


def _write_with_preview(
    write: Callable[[Path, str | None], Path],
    output: Path,
    format: str | None,
    page: Path,
    force: bool,
) -> tuple[Path, PreviewResult]:
    """The deck, then its preview page from the .apkg (the deck itself, or the same notes
    packaged in a temporary folder when the deck is a text format). A page that cannot be
    written (read-only, a folder) stops the build before the deck is written."""
    from dataclasses import replace as with_path

    from .ankifile import is_anki_package
    from .package import atomic_output
    from .preview import write_preview_page

    with atomic_output(page, force=force) as page_tmp:
        written = write(output, format)
        if written.is_file() and is_anki_package(written):
            result = write_preview_page(page_tmp, written)
        else:
            with tempfile.TemporaryDirectory(prefix="flashcards-preview-") as tmp:
                result = write_preview_page(page_tmp, write(Path(tmp) / "deck.apkg", "apkg"))
    return written, with_path(result, path=page)


def preview(
    inputs: Sequence[Input] | Input,
    output: Input | None = None,
    options: BuildOptions | None = None,
    *,
    overrides: dict | None = None,
    dictionary: Dictionary | None = None,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    on_skip: Callable[[Path, str], None] | None = None,
) -> PreviewResult:
    """Write one self-contained HTML page showing every card of a deck, front and back.

    ``inputs`` is an Anki package (``.apkg``: read, never changed), or what :func:`build`
    takes (text files, "-", recipe folders; ``options`` and ``overrides`` as there), built
    into a temporary package first. The page renders the package's own templates and CSS
    with the fields as the notes hold them, and its media. ``output`` defaults to beside
    the package (deck.apkg -> deck.preview.html); it is required for text inputs.
    """
    from .ankifile import is_anki_package
    from .package import atomic_output
    from .preview import preview_path_for, write_preview_page

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = list(inputs)
    if not inputs:
        raise FlashcardsError("nothing to preview: name a deck (.apkg) or a text")
    first = inputs[0]
    if len(inputs) == 1 and str(first) != "-" and is_anki_package(Path(first)):
        package = Path(first)
        page = Path(output) if output is not None else preview_path_for(package)
        _refuse_to_overwrite_an_input([package], page)
        with atomic_output(page, force=force) as tmp:
            result = write_preview_page(tmp, package)
        return replace(result, path=page)
    if output is None:
        raise FlashcardsError("name the preview page to write (-o preview.html)")
    page = Path(output)
    _refuse_to_overwrite_an_input(expand_inputs(inputs, lambda path, reason: None)[0], page)
    with tempfile.TemporaryDirectory(prefix="flashcards-preview-") as tmp:
        built = build(
            inputs,
            Path(tmp) / "deck.apkg",
            options,
            overrides={**(overrides or {}), "format": "apkg"},
            dictionary=dictionary,
            progress=progress,
            on_skip=on_skip,
        )
        with atomic_output(page, force=force) as page_tmp:
            result = write_preview_page(page_tmp, built.path)
    return replace(result, path=page)
