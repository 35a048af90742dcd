"""The command line: a thin click layer over flashcards.api."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

# The g2pM model multiplies small matrices one sentence at a time: BLAS threads only spin
# (a third more CPU on a novel, no faster). Set before numpy loads; a user's setting wins.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import click  # noqa: E402

from . import __version__, api  # noqa: E402
from .cache import on_build  # noqa: E402
from .errors import FlashcardsError  # noqa: E402

_TEXT = dict(type=str, metavar="TEXT|-")


def _dictionary(ctx: click.Context):
    from .dictionary import load_dictionary

    return load_dictionary(ctx.obj.get("cedict"))


def _text_arg(text: str) -> str:
    """A TEXT argument, or stdin when it is "-"."""
    if text != "-":
        return text
    from .read.plain import decode_bytes

    if sys.stdin is None:
        raise FlashcardsError("stdin is closed; give the text as an argument or a file")
    data = sys.stdin.buffer.read()
    return decode_bytes(data)[0]


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _input_size(paths) -> int | None:
    try:
        return sum(Path(p).stat().st_size for p in paths if p != "-" and Path(p).is_file())
    except OSError:
        return None


class _Progress:
    """A progress bar on stderr for long inputs, only when stderr is a terminal."""

    def __init__(self, inputs, label: str) -> None:
        self.bar = None
        try:
            paths, _ = api.expand_inputs(inputs) if inputs else ([], {})
        except FlashcardsError:
            paths = []  # the command itself says what is wrong
        size = _input_size(paths)
        if sys.stderr.isatty() and size and size > 200_000:
            self.bar = click.progressbar(length=size, label=label, file=sys.stderr)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self.update if self.bar else None

    def update(self, n: int) -> None:
        self.bar.update(n)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashcards")
@click.option(
    "--cedict",
    type=click.Path(dir_okay=False),
    envvar="FLASHCARDS_CEDICT",
    help="A CC-CEDICT file (cedict_ts.u8) to use instead of the packaged one.",
)
@click.option(
    "--segmenter",
    type=click.Choice(["auto", "jieba"]),
    envvar="FLASHCARDS_SEGMENTER",
    hidden=True,
    help="Segmentation backend: jieba (auto means jieba).",
)
@click.option(
    "--user-dict",
    type=click.Path(dir_okay=False),
    envvar="FLASHCARDS_USER_DICT",
    help="Your word list in jieba's format ('word [freq] [tag]' a line; tag nr for a name).",
)
@click.option(
    "--readings",
    "readings_file",
    type=click.Path(dir_okay=False),
    envvar="FLASHCARDS_READINGS",
    help="Readings that always win: 'word pinyin' a line, e.g. '地方 di4 fang1'.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    cedict: str | None,
    segmenter: str | None,
    user_dict: str | None,
    readings_file: str | None,
) -> None:
    """Turn Chinese text into Anki decks of the words you don't know yet."""
    ctx.ensure_object(dict)
    ctx.obj["cedict"] = cedict
    ctx.obj["segmenter"] = segmenter
    ctx.obj["user_dict"] = user_dict
    ctx.obj["readings_file"] = readings_file


class _CacheNotice:
    """Says once, on a terminal, why the first command after an install takes longer."""

    def __init__(self) -> None:
        self.said = False

    def __call__(self, name: str) -> None:
        if not self.said and sys.stderr.isatty():
            self.said = True
            click.echo("building the dictionary cache (once)", err=True)


on_build(_CacheNotice())


def _language(ctx: click.Context, readings: bool = True) -> dict:
    """The segmenter and reading options every command that reads text shares."""
    out = {"segmenter": ctx.obj["segmenter"], "user_dict": ctx.obj["user_dict"]}
    if readings:
        path = ctx.obj["readings_file"]
        out["readings"] = api.load_reading_overrides(path) if path else None
    return out


@cli.command("segment")
@click.argument("text", **_TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def segment_cmd(ctx: click.Context, text: str, as_json: bool) -> None:
    """The tokens of TEXT, with their flags."""
    tokens = api.segment(
        _text_arg(text), dictionary=_dictionary(ctx), **_language(ctx, readings=False)
    )
    if as_json:
        _echo_json(
            [
                {
                    "text": t.text,
                    "kind": t.kind,
                    "simplified": t.simplified or None,
                    "pos": t.pos or None,
                    "proper": t.proper,
                    "in_dictionary": t.in_dictionary,
                    "word": t.is_word,
                    "sentence": t.sentence,
                }
                for t in tokens
            ]
        )
        return
    for t in tokens:
        if t.kind == "space":
            continue
        flags = [t.kind]
        if t.proper:
            flags.append("name")
        if t.is_word and not t.in_dictionary:
            flags.append("not-in-dictionary")
        click.echo(f"{t.text}\t{','.join(flags)}\t{t.pos}")


@cli.command("pinyin")
@click.argument("text", **_TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON tokens.")
@click.option("--numbers", is_flag=True, help="Tone numbers instead of tone marks.")
@click.pass_context
def pinyin_cmd(ctx: click.Context, text: str, as_json: bool, numbers: bool) -> None:
    """Tone-marked pinyin of TEXT, each word read as its sentence needs."""
    text = _text_arg(text)
    options = dict(dictionary=_dictionary(ctx), **_language(ctx))
    if as_json:
        readings = api.pinyin(text, **options)
        _echo_json(
            [{"text": r.token.text, "pinyin": r.marked, "numbered": r.numbered} for r in readings]
        )
        return
    for line in api.pinyin_lines(text, numbers=numbers, **options):
        click.echo(line)


@cli.command("lookup")
@click.argument("word")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def lookup_cmd(ctx: click.Context, word: str, as_json: bool) -> None:
    """CC-CEDICT's entries for WORD (simplified or traditional), with HSK levels."""
    entries = api.lookup(word, dictionary=_dictionary(ctx))
    if as_json:
        _echo_json(entries)
        return
    if not entries:
        raise FlashcardsError(f"{word}: not in CC-CEDICT")
    for e in entries:
        head = e["simplified"]
        if e["traditional"] != head:
            head += f" ({e['traditional']})"
        levels = f"HSK2.0 {e['hsk2'] or '-'} · HSK3.0 {e['hsk3'] or '-'} · Zipf {e['zipf']}"
        click.echo(f"{head}  {e['pinyin']}  [{e['numbered']}]  {levels}")
        for s in e["senses"]:
            click.echo(f"  - {s}")
        if e["classifiers"]:
            click.echo(f"  measure words: {', '.join(e['classifiers'])}")


def _known_option(f):
    f = click.option(
        "--known",
        "known_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="A file of known words (list, CSV, Anki or Pleco export) for this run.",
    )(f)
    f = click.option("--profile", default="default", show_default=True, help="Known-word store.")(f)
    return f


def _read_options(f):
    f = click.option(
        "--input-format",
        type=click.Choice(api.INPUT_FORMATS),
        help="Read every input as this format (default: detected from each file's "
        "content, then its suffix).",
    )(f)
    f = click.option("--encoding", help="Input encoding (detected when not given).")(f)
    f = click.option(
        "--errors",
        type=click.Choice(["strict", "replace", "ignore"]),
        default="strict",
        show_default=True,
        help="What to do with bytes the encoding cannot decode.",
    )(f)
    return f


def _target_coverage_option(f):
    return click.option(
        "--target-coverage",
        type=click.FloatRange(0, 100, min_open=True),
        help="Percent of the text's tokens to know: the fewest words that get there "
        "(the most used first).",
    )(f)


def _report_skip(path: Path, reason: str) -> None:
    click.echo(f"skipped {path}: {reason}", err=True)


@cli.command("analyze")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--level",
    "beyond",
    type=click.IntRange(1, 9),
    default=4,
    show_default=True,
    help="List the most frequent words beyond this HSK level.",
)
@click.option("--hsk-standard", type=click.Choice(["2.0", "3.0"]), default="3.0", show_default=True)
@click.option("--top", type=click.IntRange(0), default=20, show_default=True)
@click.option("--no-known", is_flag=True, help="Leave the known-word store out of the report.")
@_target_coverage_option
@_known_option
@_read_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def analyze_cmd(
    ctx,
    inputs,
    beyond,
    hsk_standard,
    top,
    no_known,
    target_coverage,
    known_files,
    profile,
    input_format,
    encoding,
    errors,
    as_json,
) -> None:
    """Size, dictionary coverage, HSK levels and known coverage of INPUT files (or folders,
    or "-"); with several files or chapters, one row each and the running total."""
    learner = None if no_known else _learner(profile, known_files, True)
    known = None if learner is None else learner.known | learner.ignored
    paths = api.expand_inputs(inputs, _report_skip)[0]
    with _Progress(paths, "Reading") as progress:
        result = api.analyze(
            paths,
            beyond=beyond,
            standard=hsk_standard,
            top=top,
            known=known,
            encoding=encoding,
            errors=errors,
            dictionary=_dictionary(ctx),
            **_language(ctx),
            progress=progress,
            input_format=input_format,
            learning=() if learner is None else learner.learning,
            target_coverage=target_coverage,
        )
    if as_json:
        _echo_json(result)
        return
    _print_report(result)
    _print_plan_report(result)
    if len(result["sources"]) > 1:
        _print_sources(result["sources"], known is not None)


def _print_sources(rows: list[dict], with_known: bool) -> None:
    """One row a file or chapter, then the running total: which one to read next."""
    title = "file or chapter"
    width = min(40, max(len(title), *(len(r["source"]) for r in rows)))
    known = "known" if with_known else ""
    click.echo("")
    click.echo(
        f"{title:<{width}}  {'chars':>7} {known:>6} {'new':>5} {'first':>5}"
        f"   {'total chars':>11} {known:>6} {'new':>6}"
    )
    for r in rows:
        t = r["total"]
        name = r["source"] if len(r["source"]) <= width else r["source"][: width - 1] + "…"
        cover = _pct(r["known_coverage"]) if with_known else ""
        total_cover = _pct(t["known_coverage"]) if with_known else ""
        click.echo(
            f"{name:<{width}}  {r['characters']:>7} {cover:>6} {r['new_words']:>5} "
            f"{r['new_words_not_met_before']:>5}   {t['characters']:>11} {total_cover:>6} "
            f"{t['new_words']:>6}"
        )
    click.echo(
        "(new: words not known; first: of those, the ones no earlier file has"
        + ("; known: share of the word tokens known)" if with_known else ")")
    )


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _print_report(r: dict) -> None:
    click.echo(f"characters        {r['characters']} ({r['han_characters']} Han)")
    click.echo(f"sentences         {r['sentences']} ({r['fragments']} fragments)")
    click.echo(f"tokens            {r['tokens']}")
    click.echo(f"word tokens       {r['word_tokens']} (+{r['name_tokens']} names)")
    click.echo(f"distinct words    {r['distinct_words']} (+{r['distinct_names']} names)")
    click.echo(f"in CC-CEDICT      {_pct(r['dictionary_coverage'])} of word tokens")
    for std in ("hsk2", "hsk3"):
        label = "HSK 2.0" if std == "hsk2" else "HSK 3.0"
        click.echo(
            f"{label:<8} level    "
            + "  ".join(
                f"{k}:{_pct(r[std]['tokens'][k])}/{_pct(r[std]['distinct'][k])}"
                for k in r[std]["tokens"]
            )
        )
    click.echo("                  (share of word tokens / of distinct words)")
    b = r["beyond"]
    click.echo(f"most used beyond HSK {b['standard']} level {b['level']}:")
    for w in b["words"]:
        click.echo(f"  {w['word']}\t{w['count']}\t{w['level'] or '-'}")
    if "known" in r:
        k = r["known"]
        click.echo(
            f"known coverage    {_pct(k['token_coverage'])} of word tokens "
            f"({k['known_words']} known words; 90-95% reads comfortably)"
        )
        click.echo(f"unknown words     {k['unknown_distinct']} distinct; most used:")
        for w in k["unknown_top"]:
            click.echo(f"  {w['word']}\t{w['count']}")


def _print_plan_report(r: dict) -> None:
    """The study plan's part of the report: learning words, coverage of the whole text
    and what a coverage target takes."""
    k = r.get("known")
    if not k:
        return
    if k.get("learning_distinct"):
        click.echo(
            f"learning          {_pct(k['learning_token_share'])} of word tokens "
            f"({k['learning_distinct']} words of the text being learned); most used:"
        )
        for w in k["learning_top"]:
            click.echo(f"  {w['word']}\t{w['count']}")
    if "text_coverage" in k:
        click.echo(
            f"text coverage     {k['text_coverage']:.1f}% of all tokens "
            "(names, numbers and punctuation count as known)"
        )
    t = k.get("target")
    if t:
        if t["reached"]:
            click.echo(
                f"target {t['coverage']:g}%       {t['words_needed']} new words "
                f"(→ {t['coverage_after']:.1f}%)"
            )
        else:
            click.echo(
                f"target {t['coverage']:g}%       not reachable: all {t['words_needed']} "
                f"unknown words give {t['coverage_after']:.1f}%"
            )


def _learner(profile: str, files, include_store: bool):
    from .known import learner_words

    return learner_words(profile if include_store else None, tuple(files))


@cli.command("build")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file; its suffix picks the format (default: <first input>.apkg).",
)
@click.option("--format", "fmt", type=click.Choice(["apkg", "csv", "tsv", "json", "md"]))
@click.option("--deck-name", help="Deck name in Anki.")
@click.option("--max-words", type=click.IntRange(1), help="Keep the N most useful words.")
@click.option(
    "--order",
    type=click.Choice(["appearance", "frequency", "level"]),
    help="Note order (default: first appearance).",
)
@click.option("--hsk-min", type=click.IntRange(1, 7), help="Leave out words below this level.")
@click.option(
    "--hsk-max",
    type=click.IntRange(1, 7),
    help="Leave out words above this level (words on no list count as above).",
)
@click.option("--hsk-standard", type=click.Choice(["2.0", "3.0"]))
@click.option("--names/--no-names", default=None, help="Include proper nouns (default: no).")
@click.option(
    "--script",
    type=click.Choice(["simplified", "traditional"]),
    help="Which form is the headword (both are always on the note).",
)
@click.option("--sentences", type=click.IntRange(0), help="Also make N sentence cards.")
@click.option("--cards", help="Card kinds, comma-separated: recognition,recall,cloze.")
@click.option(
    "--keep-cards-from",
    "keep_cards_from",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="An Anki package or collection whose notes keep the card kinds they have there "
    "(the output .apkg is always read); repeatable.",
)
@click.option(
    "--drop-cards",
    is_flag=True,
    help="Drop card kinds not in --cards even from notes that had them (Anki's Empty Cards "
    "then deletes those cards and their reviews).",
)
@click.option("--include-known", is_flag=True, help="Keep words in the known-word store.")
@click.option(
    "--skip-learning",
    is_flag=True,
    default=None,
    help="Leave out words you are learning in Anki too (default: keep them).",
)
@_target_coverage_option
@click.option("--allow-empty", is_flag=True, help="Write a deck even when no word is left.")
@click.option("--force", is_flag=True, help="Replace the output even if it is read-only.")
@click.option(
    "--preview",
    is_flag=True,
    help="Also write the deck's preview page beside it (deck.apkg -> deck.preview.html).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    help="Processes reading the text (default: one a core, fewer for a short input; "
    "Linux only). Any number gives the same deck.",
)
@click.option(
    "--audio",
    type=click.Choice(["none", "espeak"]),
    help="espeak: embed each word and sentence said from its pinyin (needs espeak-ng and "
    "lame; default: none, the device's voice reads the cards).",
)
@click.option(
    "--subdecks",
    is_flag=True,
    default=None,
    help="One subdeck a source file or book chapter (Deck::Episode 03).",
)
@_known_option
@_read_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print the build's summary as one JSON object."
)
@click.pass_context
def build_cmd(
    ctx,
    inputs,
    output,
    fmt,
    deck_name,
    max_words,
    order,
    hsk_min,
    hsk_max,
    hsk_standard,
    names,
    script,
    sentences,
    cards,
    keep_cards_from,
    drop_cards,
    include_known,
    skip_learning,
    target_coverage,
    allow_empty,
    force,
    preview,
    jobs,
    audio,
    subdecks,
    known_files,
    profile,
    input_format,
    encoding,
    errors,
    as_json,
) -> None:
    """Build a deck from INPUT files (text, EPUB, subtitles, web pages, PDF), folders of
    them, "-" (stdin) or a recipe folder in decks/."""
    given = {
        "format": fmt,
        "deck_name": deck_name,
        "max_words": max_words,
        "order": order,
        "hsk_min": hsk_min,
        "hsk_max": hsk_max,
        "hsk_standard": hsk_standard,
        "names": names,
        "script": script,
        "sentences": sentences,
        "encoding": encoding,
        "segmenter": ctx.obj["segmenter"],
        "user_dict": ctx.obj["user_dict"],
        "readings": ctx.obj["readings_file"],
        "jobs": jobs,
        "audio": audio,
        "input_format": input_format,
        "subdecks": subdecks,
        "skip_learning": skip_learning,
        "target_coverage": target_coverage,
    }
    if cards:
        kinds = tuple(k.strip() for k in cards.split(",") if k.strip())
        bad = [k for k in kinds if k not in api.CARD_KINDS]
        if bad or not kinds:
            raise click.BadParameter(
                f"choose from {', '.join(api.CARD_KINDS)}", param_hint="--cards"
            )
        given["cards"] = kinds
    if errors != "strict":
        given["errors"] = errors
    if allow_empty:
        given["allow_empty"] = True
    if keep_cards_from:
        given["keep_cards_from"] = tuple(keep_cards_from)
    if drop_cards:
        given["drop_cards"] = True
    learner = _learner(profile, known_files, not include_known)
    given["known"], given["learning"] = learner.known, learner.learning
    given["ignored"] = learner.ignored
    if output is None:
        output = _default_output(inputs, fmt)
    overrides = {k: v for k, v in given.items() if v is not None}
    with _Progress(inputs, "Building") as progress:
        result = api.build(
            inputs,
            output,
            overrides=overrides,
            dictionary=_dictionary(ctx),
            progress=progress,
            force=force,
            preview=preview,
            on_skip=_report_skip,
        )
    for notice in result.notices:
        click.echo(notice, err=True)
    media = f", {result.media} audio files" if result.media else ""
    click.echo(
        f"{result.words} words, {result.sentences} sentences, {result.cards} cards{media} "
        f"-> {result.path}",
        err=True,
    )
    if result.summary is not None:
        planned = learner.known or learner.learning or learner.ignored or target_coverage
        if planned or result.summary.left_out:
            # Nothing left out and no plan: the line above says it all.
            _print_build_summary(result.summary)
        if as_json:
            _echo_json({"path": str(result.path), **result.summary.to_dict()})
    if result.kept_cards:
        click.echo(
            f"kept {result.kept_cards} {' and '.join(result.kept_kinds)} cards that these notes "
            "already had, so none is left blank in Anki (--drop-cards drops them)",
            err=True,
        )
    if result.preview is not None:
        click.echo(f"preview of {result.preview.cards} cards -> {result.preview.path}", err=True)


_LEFT_OUT_LABELS = {
    "known": "known",
    "ignored": "ignored",
    "learning": "learning (--skip-learning)",
    "not_in_dictionary": "not in the dictionary",
    "cut": "only where a column cut them",
    "below_hsk_min": "below --hsk-min",
    "beyond_hsk_max": "beyond --hsk-max",
    "names": "names",
    "no_senses": "without an English sense",
    "target_reached": "not needed for the target",
    "max_words": "past --max-words",
}


def _print_build_summary(summary) -> None:
    """What the build did with the text's words, on stderr."""
    left = sum(summary.left_out.values())
    why = ", ".join(
        f"{n} {_LEFT_OUT_LABELS.get(reason, reason)}" for reason, n in summary.left_out.items()
    )
    click.echo(
        f"the text has {summary.text_words} words; {left} left out"
        + (f" ({why})" if why else ""),
        err=True,
    )
    target = ""
    if summary.target_coverage is not None and not summary.target_reached:
        target = f" (short of the {summary.target_coverage:g}% target: no more words to teach)"
    click.echo(
        f"known {summary.coverage_before:.1f}% → {summary.coverage_after:.1f}% with "
        f"{summary.new_words} new words{target}",
        err=True,
    )
    if summary.sentence_new_words:
        click.echo(
            "sentences: "
            + ", ".join(f"{n} {tag}" for tag, n in summary.sentence_new_words.items()),
            err=True,
        )
    click.echo(f"deck: {summary.notes} notes, {summary.cards} cards", err=True)


@cli.command("preview")
@click.argument("inputs", nargs=-1, required=True, metavar="DECK.apkg|INPUT...")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The page to write (default: beside a deck, deck.preview.html; "
    "<first input>.preview.html for text).",
)
@click.option("--force", is_flag=True, help="Replace the page even if it is read-only.")
@click.option(
    "--include-known", is_flag=True, help="Text input: keep words in the known-word store."
)
@_known_option
@_read_options
@click.pass_context
def preview_cmd(
    ctx,
    inputs,
    output,
    force,
    include_known,
    known_files,
    profile,
    input_format,
    encoding,
    errors,
) -> None:
    """One self-contained HTML page showing every card of a deck, front and back.

    DECK.apkg is read (never changed); text files, "-" or a recipe folder are built first,
    with the recipe's options (for other options, use build --preview).
    """
    from .ankifile import is_anki_package

    package = len(inputs) == 1 and inputs[0] != "-" and is_anki_package(Path(inputs[0]))
    overrides = None
    if not package:
        given = {
            "encoding": encoding,
            "input_format": input_format,
            "segmenter": ctx.obj["segmenter"],
            "user_dict": ctx.obj["user_dict"],
            "readings": ctx.obj["readings_file"],
        }
        learner = _learner(profile, known_files, not include_known)
        given["known"], given["learning"] = learner.known, learner.learning
        given["ignored"] = learner.ignored
        if errors != "strict":
            given["errors"] = errors
        overrides = {k: v for k, v in given.items() if v is not None}
        if output is None:
            output = _default_output(inputs, "preview.html")
    with _Progress(() if package else inputs, "Building") as progress:
        result = api.preview(
            inputs,
            output,
            overrides=overrides,
            dictionary=None if package else _dictionary(ctx),
            progress=progress,
            force=force,
            on_skip=_report_skip,
        )
    click.echo(
        f"{result.cards} cards of {result.notes} notes, {result.media} media files "
        f"-> {result.path}",
        err=True,
    )


@cli.group("known")
def known_group() -> None:
    """The words you already know: builds leave them out, analyze counts them."""


_profile = click.option(
    "--profile", default="default", show_default=True, help="Whose words (one store each)."
)


def _store(profile: str, read_only: bool = False):
    from .known import KnownWords

    return KnownWords.open(profile, read_only=read_only)


def _source_options(f):
    f = click.option("--column", help="CSV/TSV column: a header name or a 0-based index.")(f)
    f = click.option("--note-type", help="Anki note type to read (default: every one).")(f)
    f = click.option("--field", help="Anki field to read (default: Hanzi, Simplified, …).")(f)
    f = click.option(
        "--studied-only", is_flag=True, help="Leave out Anki notes whose cards are all new."
    )(f)
    return f


def _read_sources(paths, column, note_type, field, studied_only) -> list[tuple[str, list]]:
    from .wordsources import read_words

    col = int(column) if column is not None and column.isdigit() else column
    # Every file is read before anything is written: a bad one fails the whole import.
    return [
        (
            Path(p).name,
            read_words(p, column=col, note_type=note_type, field=field, studied_only=studied_only),
        )
        for p in paths
    ]


def _hsk_level(level: int | None, standard: str) -> int | None:
    # 3.0's band 7-9 is one list: 8 and 9 name it too.
    return 7 if level is not None and standard == "3.0" and level > 7 else level


_hsk_options = [
    click.option(
        "--hsk",
        "hsk_level",
        type=click.IntRange(1, 9),
        help="Every word of HSK levels 1 to N (3.0: 7 is the band 7-9).",
    ),
    click.option(
        "--hsk-standard", type=click.Choice(["2.0", "3.0"]), default="3.0", show_default=True
    ),
]


def _with_hsk(f):
    for option in reversed(_hsk_options):
        f = option(f)
    return f


@known_group.command("add")
@click.argument("words", nargs=-1)
@click.option(
    "--from-deck",
    "decks",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Mark the words of a finished deck (.apkg) as known.",
)
@_with_hsk
@_source_options
@_profile
def known_add(
    words, decks, hsk_level, hsk_standard, column, note_type, field, studied_only, profile
) -> None:
    """Add WORDS (and the words of --from-deck decks, or of HSK levels) to the known words."""
    if not words and not decks and hsk_level is None:
        raise click.UsageError("give words to add, --from-deck DECK or --hsk LEVEL")
    sources = _read_sources(decks, column, note_type, field, studied_only)
    with _store(profile) as store:
        added = store.add(words) if words else 0
        if hsk_level is not None:
            added += store.add_hsk(_hsk_level(hsk_level, hsk_standard), hsk_standard)
        for name, found in sources:
            added += store.import_words(found, source=f"deck:{name}")
        total = store.count()
    click.echo(f"{added} added, {total} known", err=True)


@known_group.command("remove")
@click.argument("words", nargs=-1)
@_with_hsk
@_profile
def known_remove(words, hsk_level, hsk_standard, profile) -> None:
    """Remove WORDS (or what `known add --hsk` added) from the known words.

    --hsk N undoes `known add --hsk N` exactly: words another source also gives stay."""
    if not words and hsk_level is None:
        raise click.UsageError("give words to remove or --hsk LEVEL")
    with _store(profile) as store:
        removed = store.remove(words) if words else 0
        if hsk_level is not None:
            removed += store.remove_hsk(_hsk_level(hsk_level, hsk_standard), hsk_standard)
        total = store.count()
    click.echo(f"{removed} removed, {total} known", err=True)


@known_group.command("ignore")
@click.argument("words", nargs=-1)
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A file of words to ignore, one a line; repeatable.",
)
@_profile
def known_ignore(words, files, profile) -> None:
    """Never make cards of WORDS (names, places, words you don't want); coverage counts
    them as known. `known remove` takes them off the list."""
    if not words and not files:
        raise click.UsageError("give words to ignore or --file FILE")
    from .known import read_word_lines

    lists = [(Path(f).name, read_word_lines(f)) for f in files]  # all read before writing
    with _store(profile) as store:
        added = store.ignore(words) if words else 0
        for name, found in lists:
            added += store.ignore(found, source=f"ignore:{name}")
        total = store.count("ignored")
    click.echo(f"{added} added, {total} ignored", err=True)


@known_group.command("list")
@click.option(
    "--source",
    "with_source",
    is_flag=True,
    help="Also print each word's status (known, learning, ignored) and where it came from.",
)
@click.option(
    "--status",
    type=click.Choice(["known", "learning", "ignored"]),
    help="Only the words of this status (default: known; with --source, all).",
)
@_profile
def known_list(with_source, status, profile) -> None:
    """Print the known words, one per line (with --source: word, status and sources,
    tab-separated)."""
    from .known import describe_source

    with _store(profile, read_only=True) as store:
        if not with_source:
            for w in store.words(status or "known"):
                click.echo(w)
            return
        for entry in store.entries():
            if status is None or entry.status == status:
                where = "; ".join(describe_source(s) for s in entry.sources or (entry.source,))
                click.echo(f"{entry.word}\t{entry.status}\t{where}")


@known_group.command("count")
@_profile
def known_count(profile) -> None:
    """Print how many words are known."""
    with _store(profile, read_only=True) as store:
        click.echo(store.count())


@known_group.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_source_options
@click.option(
    "--known-interval",
    type=click.IntRange(1),
    default=21,
    show_default=True,
    help="Anki: a word is known when a card's interval is at least this many days; "
    "reviewed but shorter is learning.",
)
@_profile
def known_import(sources, column, note_type, field, studied_only, known_interval, profile) -> None:
    """Import known words from word lists, CSV/TSV, Anki exports or Pleco exports.

    An Anki collection or package gives each word its review state: known (interval at
    least --known-interval days), learning (reviewed, shorter), or new (left out)."""
    from .known import statuses_in_file

    col = int(column) if column is not None and column.isdigit() else column
    # Every file is read before anything is written: a bad one fails the whole import.
    found = [
        (
            Path(p).name,
            statuses_in_file(
                p,
                known_interval=known_interval,
                column=col,
                note_type=note_type,
                field=field,
                studied_only=studied_only,
            ),
        )
        for p in sources
    ]
    with _store(profile) as store:
        added = sum(store.import_statuses(items, source=f"import:{name}") for name, items in found)
        counts = store.counts()
    learning = f", {counts['learning']} learning" if counts["learning"] else ""
    click.echo(f"{added} added, {counts['known']} known{learning}", err=True)


@known_group.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default: stdout).")
@_profile
def known_export(output, profile) -> None:
    """Write the known words, one per line (a list `known import` reads back)."""
    with _store(profile, read_only=True) as store:
        text = "".join(f"{w}\n" for w in store.words())
    if output is None:
        click.echo(text, nl=False)
        return
    from .package import atomic_output

    with atomic_output(Path(output)) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _default_output(inputs, fmt: str | None) -> str:
    first = inputs[0]
    stem = (
        "stdin" if first == "-" else Path(first).name if Path(first).is_dir() else Path(first).stem
    )
    return f"{stem or 'deck'}.{fmt or 'apkg'}"


_SURROGATES = re.compile("[\udc80-\udcff]")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: user errors are one line on stderr and exit 1, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    for n, arg in enumerate(args, 1):
        if _SURROGATES.search(arg):
            # Bytes that are not UTF-8 (a Latin-1 file name, a mangled paste): every name and
            # text ends up in UTF-8 fields, so say which argument it is rather than fail later.
            raw = os.fsencode(arg)
            click.echo(f"error: argument {n} is not UTF-8 text: {raw!r}", err=True)
            sys.exit(2)
    try:
        cli.main(args=argv, prog_name="flashcards", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # click turns Ctrl-C into Abort. Outputs are renamed into place only when complete.
        click.echo("Interrupted; no file was changed.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FlashcardsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # Output piped into head and the like: quietly stop.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        where = f" {exc.filename}:" if exc.filename else ""
        click.echo(f"error:{where} {exc.strerror.lower() if exc.strerror else exc}", err=True)
        sys.exit(1)
