"""Every input format gives the deck its text gives as plain text (issue 13).

Real files are made here from ../shared texts (tests/make_files.py): an EPUB with ruby,
navigation and two chapters, SRT in GBK with <i> tags, ASS with bilingual events, saved
article pages with a 30-link menu, a sidebar, comments and a footer, and a PDF typeset
with a CJK font so that lines wrap inside words. For each: the deck's notes (GUIDs and
fields but Source) equal those of the same text as plain text, no word of the clutter is
in it, and no word is split by a line break. Bad files get one-line errors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import make_files
import pytest
from conftest import shared_path

from flashcards import api
from flashcards.errors import FlashcardsError
from flashcards.han import is_han
from flashcards.read import open_input
from flashcards.read.subtitles import dialogue, runs_on
from flashcards.read.wrap import join_wrapped_lines

OPTIONS = api.BuildOptions(deck_name="formats", sentences=30, jobs=1, names=True)


@pytest.fixture(autouse=True)
def _own_known_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def nahan() -> str:
    return shared_path("corpus", "luxun-nahan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def speeches() -> list[str]:
    """Lines of dialogue from 茶馆, without the speakers' names."""
    text = shared_path("corpus", "laoshe-chaguan.txt").read_text(encoding="utf-8")
    lines = [x.split("：", 1)[1].strip() for x in text.split("\n") if "：" in x]
    return [x for x in lines if 8 <= len(x) <= 60 and "（" not in x][100:160]


def build_notes(inputs, folder: Path, dictionary, name: str, **options) -> dict[str, dict]:
    """The deck's notes as JSON, by GUID, without what names the source."""
    out = folder / f"{name}.json"
    api.build(
        [str(p) for p in inputs],
        out,
        api.BuildOptions(**{**OPTIONS.__dict__, **options}),
        dictionary=dictionary,
    )
    notes = {}
    for note in json.loads(out.read_text(encoding="utf-8")):
        note = dict(note)
        note.pop("sources", None)
        note.pop("source", None)
        note["tags"] = [t for t in note["tags"] if not t.startswith("source::")]
        notes[note["guid"]] = note
    return notes


def words_of(notes: dict[str, dict]) -> set[str]:
    return {n["simplified"] for n in notes.values() if n["kind"] == "vocab"}


def assert_same_deck(got: dict[str, dict], want: dict[str, dict]) -> None:
    assert words_of(got) == words_of(want)
    assert set(got) == set(want)
    for guid, note in want.items():
        assert got[guid] == note, (note.get("simplified") or note.get("sentence"), got[guid])


def clutter_words(clutter: list[str], text: str, dictionary) -> set[str]:
    """Words of the clutter (menus, comments, footers) that the real text never has."""
    from flashcards.segment import segment_sentence
    from flashcards.sentences import split_sentences

    words = set()
    for s in split_sentences(["\n".join(clutter)], "clutter"):
        for token in segment_sentence(s, dictionary):
            if token.is_word and len(token.text) > 1 and token.text not in text:
                words.add(token.simplified)
    assert len(words) >= 10, words  # else the test could not fail
    return words


# --- EPUB --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapters(nahan) -> list[tuple[str, list[str]]]:
    return [
        ("故乡", make_files.paragraphs_after(nahan, "故乡", 14)),
        ("社戏", make_files.paragraphs_after(nahan, "社戏", 10)),
    ]


@pytest.mark.parametrize("version", [3, 2])
def test_an_epub_gives_the_deck_of_its_text(chapters, tmp_path, dictionary, version):
    book = make_files.make_epub(tmp_path / "nahan.epub", "呐喊", chapters, version=version)
    plain = tmp_path / "nahan.txt"
    plain.write_text(
        "\n".join(make_files.plain_text(t, ps) for t, ps in chapters), encoding="utf-8"
    )
    got = build_notes([book], tmp_path, dictionary, "epub")
    want = build_notes([plain], tmp_path, dictionary, "plain")
    assert_same_deck(got, want)
    text = plain.read_text(encoding="utf-8")
    # Navigation, scripts, styles, the cover (not linear), footnote back-links: not read.
    for word in ("目录", "章节", "客户端", "红包", "样式", "注释", "封面", "插图", "正文"):
        assert word not in text
        assert word not in words_of(got)
    # The ruby readings are no text: 故乡 is a word of the deck, not 故gù乡xiāng.
    assert {"故乡", "母亲"} <= words_of(got)
    assert not any("gù" in (n.get("sentence") or "") for n in got.values())


def test_each_chapter_is_a_source(chapters, tmp_path):
    book = make_files.make_epub(tmp_path / "nahan.epub", "呐喊", chapters)
    sources = [text.source.name for text in open_input(book)]
    assert sources == ["nahan 01 故乡", "nahan 02 社戏"]  # the spine's order


# --- subtitles ---------------------------------------------------------------------------


def test_srt_in_gbk_with_tags_gives_the_deck_of_its_lines(speeches, tmp_path, dictionary):
    srt = make_files.make_srt(tmp_path / "第03集.srt", speeches, encoding="gbk")
    raw = srt.read_bytes()
    assert b"<i>" in raw and b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(speeches) + "\n", encoding="utf-8")
    got = build_notes([srt], tmp_path, dictionary, "srt")
    want = build_notes([plain], tmp_path, dictionary, "plain")
    assert_same_deck(got, want)
    # Lines wrapped inside a word, and sentences carried over into the next event, were
    # read whole: the events are not the sentences.
    events = make_files.subtitle_events(speeches)
    assert any("\n" in e for e in events) and len(events) > len(speeches)


def test_ass_keeps_the_chinese_of_bilingual_events(speeches, tmp_path, dictionary):
    english = ["Where are you going, sir?", "I have no money left."]
    ass = make_files.make_ass(tmp_path / "ep.ass", speeches, english)
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(speeches) + "\n", encoding="utf-8")
    got = build_notes([ass], tmp_path, dictionary, "ass")
    want = build_notes([plain], tmp_path, dictionary, "plain")
    assert_same_deck(got, want)
    (text,) = open_input(ass)
    read = "".join(text)
    assert "Where" not in read and "\\k" not in read and "m 0 0" not in read
    assert "翻译" not in read  # a comment event


def test_subtitle_events_run_on_only_where_a_sentence_clearly_goes_on():
    assert runs_on("我昨天在城里，", "碰见了一个老朋友")
    assert runs_on("如果你明天有空的话我们就", "一起去看电影吧")
    assert runs_on("你真的不想去", "吗")
    assert runs_on("我想…", "…回家")
    assert not runs_on("你好！", "吗")
    assert not runs_on("我们走吧", "好的")
    assert not runs_on("我想…", "你走吧")
    assert list(dialogue(["- 走吧\n- 好的", "你去哪儿\nWhere are you going?"])) == [
        "走吧",
        "好的",
        "你去哪儿",
    ]
    assert list(dialogue(["今天天气", "很好。"])) == ["今天天气", "很好。"]


# --- web pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "encoding"), [("semantic", "utf-8"), ("divs", "gbk"), ("ads", "gb2312")]
)
def test_an_article_page_gives_the_deck_of_its_article(
    nahan, speeches, tmp_path, dictionary, layout, encoding
):
    paragraphs = make_files.paragraphs_after(nahan, "故乡", 14)
    footer = ["版权所有 未经授权禁止转载", "联系我们 广告服务 网站地图 京ICP备12345678号"]
    page = make_files.article_page(
        "故乡",
        paragraphs,
        sidebar=speeches[:12],
        comments=speeches[12:24],
        footer=footer,
        layout=layout,
        charset=encoding,
    )
    html = make_files.make_html(tmp_path / "article.html", page, encoding)
    assert html.read_bytes().count(b"<a href=\"/") >= 30 + 12
    plain = tmp_path / "plain.txt"
    plain.write_text(make_files.plain_text("故乡", paragraphs), encoding="utf-8")
    got = build_notes([html], tmp_path, dictionary, "html")
    want = build_notes([plain], tmp_path, dictionary, "plain")
    assert_same_deck(got, want)
    clutter = clutter_words(
        make_files.MENU + speeches[:24] + footer, plain.read_text("utf-8"), dictionary
    )
    assert not clutter & words_of(got)


def test_a_big5_page_is_read_by_its_meta_charset(tmp_path, dictionary):
    text = shared_path("corpus", "luxun-traditional.txt").read_text(encoding="utf-8")
    paragraphs = make_files.paragraphs_after(text, "故鄉", 10)
    assert not all(_big5(p) for p in paragraphs)  # 鄕 and 淸: written as &#37781; and &#28120;
    page = make_files.article_page(
        "故鄉", paragraphs, sidebar=["熱門文章"], comments=["說得好"], footer=["版權所有"],
        charset="big5",
    )
    html = make_files.make_html(tmp_path / "page.htm", page, "big5")
    with pytest.raises(UnicodeDecodeError):
        html.read_bytes().decode("utf-8")
    (source,) = open_input(html)
    assert source.source.encoding == "cp950"
    assert "".join(source).split("\n") == ["故鄉", *paragraphs, ""]


def _big5(text: str) -> bool:
    try:
        text.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


# --- PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def font() -> Path:
    found = make_files.cjk_font()
    if found is None:
        if os.environ.get("FLASHCARDS_REQUIRE_SHARED"):
            pytest.fail("no CJK font: .ci/run installs fonts-wqy-microhei")
        pytest.skip("needs a CJK font (apt-get install fonts-wqy-microhei)")
    pytest.importorskip("reportlab", reason="reportlab typesets the test PDF")
    return found


def test_a_pdf_gives_the_deck_of_its_text(nahan, font, tmp_path, dictionary):
    import pypdf

    paragraphs = make_files.paragraphs_after(nahan, "故乡", 30)
    pdf = make_files.make_pdf(
        tmp_path / "guxiang.pdf", "故乡", paragraphs, font, running_header="中国现代文学丛书"
    )
    pages = [p.extract_text() for p in pypdf.PdfReader(pdf).pages]
    assert len(pages) >= 4
    raw = "\n".join(pages)
    # The typesetting broke lines between two Han characters, many times over.
    breaks = [i for i, c in enumerate(raw[1:-1], 1) if c == "\n"]
    inside = [i for i in breaks if is_han(raw[i - 1]) and is_han(raw[i + 1])]
    assert len(inside) >= 30, len(inside)
    plain = tmp_path / "plain.txt"
    plain.write_text(make_files.plain_text("故乡", paragraphs), encoding="utf-8")
    got = build_notes([pdf], tmp_path, dictionary, "pdf")
    want = build_notes([plain], tmp_path, dictionary, "plain")
    assert_same_deck(got, want)
    assert "丛书" not in words_of(got) and "丛书" in raw  # the running header
    (text,) = open_input(pdf)
    read = "".join(text)
    assert "- 2 -" not in read and "- 2 -" in raw


def test_wrapped_lines_are_joined_however_the_text_is_chunked(nahan):
    paragraphs = make_files.paragraphs_after(nahan, "故乡", 10)
    wrapped = "\n\n".join(
        "\n".join(p[i : i + 25] for i in range(0, len(p), 25)) for p in paragraphs
    )
    whole = "".join(join_wrapped_lines([wrapped]))
    assert whole.split("\n\n") == paragraphs
    for size in (1, 7, 64, 1000):
        chunks = [wrapped[i : i + size] for i in range(0, len(wrapped), size)]
        assert "".join(join_wrapped_lines(chunks)) == whole


def test_headings_verse_and_blank_lines_still_end_paragraphs():
    text = (
        "第一回 宴桃园豪杰三结义\n"
        "滚滚长江东逝水，浪花淘尽英雄。是非成败转头空，青山依旧在，几度夕阳红。\n"
        "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡\n\n"
        "汇聚两国人民力量 推进中美友好事业\n——在美国友好团体联合欢迎宴会上的演讲\n"
    )
    assert "".join(join_wrapped_lines([text])) == text


# --- many files, folders, subdecks, analyze ------------------------------------------------


@pytest.fixture()
def season(speeches, tmp_path) -> Path:
    folder = tmp_path / "season1"
    folder.mkdir()
    for n, part in enumerate((speeches[:20], speeches[20:40], speeches[40:]), start=1):
        make_files.make_srt(folder / f"Episode {n:02d}.srt", part, encoding="utf-8")
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "data.bin").write_bytes(bytes(range(256)) * 4)
    (folder / ".hidden.srt").write_text("1\n", encoding="utf-8")
    return folder


def test_a_folder_builds_one_deck_with_a_subdeck_a_file(season, tmp_path, anki_exports):
    import anki_check

    from flashcards.cli import main

    out = tmp_path / "season.apkg"
    code, err = _run_cli(main, ["build", str(season), "-o", str(out), "--subdecks"])
    assert code == 0, err
    assert "skipped" in err and "cover.png" in err and "data.bin" in err
    assert ".hidden" not in err
    col = anki_check.import_into_fresh_collection(out, tmp_path)
    try:
        anki_check.render_all_cards(col)
        decks = {d.name for d in col.decks.all_names_and_ids()}
        assert {f"flashcards::Episode {n:02d}" for n in (1, 2, 3)} <= decks
        for n in (1, 2, 3):
            cards = col.find_cards(f'"deck:flashcards::Episode {n:02d}"')
            notes = {col.get_card(c).note().id for c in cards}
            assert notes
            tags = {t for nid in notes for t in col.get_note(nid).tags}
            assert f"source::Episode_{n:02d}" in tags
    finally:
        col.close()


def test_analyze_prints_a_row_a_file_and_the_running_total(season):
    from flashcards.cli import main

    files = [str(season / f"Episode {n:02d}.srt") for n in (1, 2, 3)]
    code, out = _run_cli(main, ["analyze", "--no-known", "--json", *files], stdout=True)
    assert code == 0, out
    result = json.loads(out)
    rows = result["sources"]
    assert [r["source"] for r in rows] == ["Episode 01", "Episode 02", "Episode 03"]
    assert sum(r["characters"] for r in rows) == result["characters"]
    assert rows[-1]["total"]["characters"] == result["characters"]
    assert rows[-1]["total"]["new_words"] == result["distinct_words"]
    assert rows[0]["new_words_not_met_before"] == rows[0]["new_words"]
    assert rows[1]["new_words_not_met_before"] < rows[1]["new_words"]
    code, out = _run_cli(main, ["analyze", "--no-known", *files], stdout=True)
    table = [line for line in out.splitlines() if line.startswith("Episode")]
    assert len(table) == 3 and str(result["characters"]) in table[-1]


def test_the_input_format_can_be_named(speeches, tmp_path, dictionary):
    srt = make_files.make_srt(tmp_path / "ep.srt", speeches[:10], encoding="utf-8")
    named_txt = tmp_path / "ep.txt"
    named_txt.write_bytes(srt.read_bytes())
    # Content first: an SRT called .txt is subtitles.
    assert build_notes([named_txt], tmp_path, dictionary, "a") == build_notes(
        [srt], tmp_path, dictionary, "b"
    )
    (text,) = open_input(srt, input_format="text")
    assert "-->" in "".join(text)
    with pytest.raises(FlashcardsError, match="unknown input format"):
        list(open_input(srt, input_format="docx"))
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "ep.srt").write_bytes(srt.read_bytes())
    (recipe / "deck.toml").write_text('texts = ["ep.srt"]\ninput_format = "srt"\n', "utf-8")
    with pytest.raises(FlashcardsError, match="input_format"):
        api.load_recipe(recipe)


# --- bad files ---------------------------------------------------------------------------


def _run_cli(main, args, stdout=False) -> tuple[int, str]:
    """(exit status, stdout or stderr) of the command line run in-process; with stdout,
    the status is checked here and stderr shown when it fails."""
    from click.testing import CliRunner

    runner = CliRunner()
    with runner.isolation() as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        out = streams[0].getvalue().decode("utf-8", "replace")
        err = streams[1].getvalue().decode("utf-8", "replace")
    if stdout:
        assert code == 0, err
    return code, out if stdout else err


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad file, with what its one-line error says."""
    not_zip = folder / "book.epub"
    not_zip.write_text("这不是一本电子书，只是一个文本文件。\n", encoding="utf-8")
    climbing = folder / "climbing.epub"
    with zipfile.ZipFile(climbing, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("../../evil.xhtml", "<p>我们</p>")
    bomb = folder / "bomb.epub"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", b" " * (70 << 20))
    no_text = folder / "scan.pdf"
    no_text_ok = make_files.make_scanned_pdf(no_text) if _has_reportlab() else None
    empty = make_files.make_html(folder / "home.html", make_files.empty_page())
    huge = folder / "huge.srt"
    block = "1\n00:00:01,000 --> 00:00:02,000\n我们今天去银行取钱。\n\n".encode()
    with open(huge, "wb") as f:
        for _ in range((50 << 20) // len(block) + 1):
            f.write(block)
    cases = {
        "not a zip": (not_zip, "not a zip file"),
        "path traversal": (climbing, "outside the book"),
        "zip bomb": (bomb, "unpacks to more than"),
        "no main text": (empty, "no main text"),
        "50 MB subtitles": (huge, "subtitle file"),
    }
    if no_text_ok is not None:
        cases["no text layer"] = (no_text, "no text layer")
    return cases


def _has_reportlab() -> bool:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return False
    return True


# Runs the command line and, at exit, writes the process's own peak memory (VmHWM, of this
# program only: ru_maxrss would count the pytest process it was forked from).
_PROBE = """
import atexit, os, runpy, sys
def peak():
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])
atexit.register(peak)
sys.argv = ["flashcards", *sys.argv[1:]]
runpy.run_module("flashcards", run_name="__main__")
"""


def _peak_memory(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run the command line to the end: exit status, stderr, its own peak RSS in bytes."""
    peak_file = cwd / "peak.txt"
    env = dict(os.environ, FLASHCARDS_HOME=str(cwd / "home"), PEAK_FILE=str(peak_file))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env, capture_output=True, timeout=300
    )
    peak = int(peak_file.read_text()) * 1024
    return done.returncode, done.stderr.decode("utf-8", "replace"), peak


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_bad_files_get_one_line_errors_and_nothing_is_written(tmp_path):
    # What a build of a short good text takes (the dictionary and the models, loaded):
    # a bad file may add little to it, whatever its size.
    good = tmp_path / "good.txt"
    good.write_text("我们今天去银行取钱，然后回家。\n", encoding="utf-8")
    code, err, baseline = _peak_memory(["build", str(good), "-o", "good.apkg"], tmp_path)
    assert code == 0, err
    for name, (path, needle) in _bad_files(tmp_path).items():
        out = tmp_path / f"{path.stem}.apkg"
        start = time.monotonic()
        code, err, peak = _peak_memory(["build", str(path), "-o", str(out)], tmp_path)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 1, (name, err)
        assert "Traceback" not in err, (name, err)
        assert len(lines) == 1 and lines[0].startswith("error: "), (name, err)
        assert needle in lines[0], (name, lines[0])
        assert not out.exists(), name
        assert not list(tmp_path.glob(f".{out.name}*")), name
        # Refused before the file is held in memory: far less than its size on top.
        assert peak < baseline + (32 << 20), (name, peak >> 20, baseline >> 20)
        assert time.monotonic() - start < 120, name


def test_subdecks_in_a_text_file_for_anki(season, tmp_path, anki_exports):
    import anki_check

    out = tmp_path / "season.tsv"
    api.build([str(season)], out, api.BuildOptions(deck_name="剧集", subdecks=True, jobs=1))
    header = out.read_text(encoding="utf-8").split("\n")[:9]
    assert any(line.startswith("#deck column:") for line in header)
    col = anki_check.open_fresh_collection(tmp_path)
    try:
        anki_check.import_text_file(col, out)
        decks = {d.name for d in col.decks.all_names_and_ids()}
        assert {f"剧集::Episode {n:02d}" for n in (1, 2, 3)} <= decks
        assert col.find_cards('"deck:剧集::Episode 02"')
    finally:
        col.close()


def test_a_book_gives_the_same_deck_with_any_number_of_jobs(chapters, tmp_path, dictionary):
    book = make_files.make_epub(tmp_path / "nahan.epub", "呐喊", chapters)
    one = build_notes([book], tmp_path, dictionary, "one", jobs=1)
    two = build_notes([book], tmp_path, dictionary, "two", jobs=2)
    assert one == two


def test_webvtt_cues_give_their_text_only(tmp_path):
    vtt = tmp_path / "ep.vtt"
    vtt.write_text(
        "WEBVTT\n\nNOTE 这是注释，不是台词\n\n"
        "00:00:01.000 --> 00:00:03.000 align:start position:10%\n"
        "<v 老王><c.yellow>今天的天气</c>真不错。</v>\n\n"
        "00:00:04.000 --> 00:00:06.000\n我们去公园<i>散散步</i>吧？\nShall we take a walk?\n",
        encoding="utf-8",
    )
    (text,) = open_input(vtt)
    assert text.source.format == "subtitles"
    assert "".join(text) == "今天的天气真不错。\n我们去公园散散步吧？\n"


def test_markup_inside_a_text_file_does_not_make_it_a_web_page(tmp_path):
    from flashcards.read import format_of

    quoted = "网页的正文写在 <body> 里，标题写在 <title> 里。\n"
    (tmp_path / "notes.txt").write_text(quoted, encoding="utf-8")
    (tmp_path / "saved").write_text("保存的网页\n<html><body><p>正文</p></body></html>", "utf-8")
    (tmp_path / "page.txt").write_text("<!DOCTYPE html><html><body></body></html>", "utf-8")
    assert format_of(tmp_path / "notes.txt") == "text"  # its suffix decides
    assert format_of(tmp_path / "saved") == "html"  # no suffix: the markup decides
    assert format_of(tmp_path / "page.txt") == "html"  # a page from its first byte on
