"""Main text of saved web pages: trafilatura against readability-lxml, and what we ship.

Pages are made from ../shared texts by tests/make_files.py (an article with a 30-link
menu, a sidebar, comments and a footer, in three layouts and three encodings, and a short
news item where the clutter outweighs the article). Precision and recall are over the Han
characters of the article (title and paragraphs), matched in order.

    python benchmarks/html_main_text.py
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import make_files  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"


def pages() -> list[tuple[str, str, str, str]]:
    """(name, encoding, page, true main text)."""
    nahan = (SHARED / "luxun-nahan.txt").read_text(encoding="utf-8")
    hulan = (SHARED / "xiaohong-hulanhezhuan.txt").read_text(encoding="utf-8")
    trad = (SHARED / "luxun-traditional.txt").read_text(encoding="utf-8")
    chaguan = (SHARED / "laoshe-chaguan.txt").read_text(encoding="utf-8")
    talk = [x.strip() for x in chaguan.split("\n") if 12 < len(x.strip()) < 60][200:260]
    footer = ["版权所有 未经授权禁止转载", "联系我们 广告服务 网站地图 京ICP备12345678号"]
    made = []
    specs = [
        (
            "article, semantic, UTF-8",
            "utf-8",
            "故乡",
            make_files.paragraphs_after(nahan, "故乡", 12),
            "semantic",
        ),
        ("blog, divs, GBK", "gbk", "第一章", make_files.paragraphs_after(hulan, "1", 10), "divs"),
        (
            "forum, table, Big5",
            "big5",
            "故鄉",
            make_files.paragraphs_after(trad, "故鄉", 8),
            "table",
        ),
        (
            "short news, semantic",
            "utf-8",
            "社戏",
            make_files.paragraphs_after(nahan, "社戏", 2),
            "semantic",
        ),
        (
            "article with ads and related links",
            "utf-8",
            "药",
            make_files.paragraphs_after(nahan, "药", 9),
            "ads",
        ),
        (
            "short article, long comments",
            "utf-8",
            "孔乙己",
            make_files.paragraphs_after(nahan, "孔乙己", 3),
            "semantic",
        ),
    ]
    for name, encoding, title, paragraphs, layout in specs:
        page = make_files.article_page(
            title,
            paragraphs,
            sidebar=talk[:12],
            comments=talk[12:20] if "long comments" not in name else talk[12:60],
            footer=footer,
            layout=layout,
            charset=encoding,
        )
        made.append((name, encoding, page, "\n".join([title, *paragraphs])))
    return made


def score(found: str, truth: str) -> tuple[float, float]:
    got, want = make_files.han_text(found), make_files.han_text(truth)
    if not got:
        return 0.0, 0.0
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / len(got), same / len(want)


def with_trafilatura(page: bytes) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False, include_tables=True) or ""


def with_trafilatura_no_tables(page: bytes) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False, include_tables=False) or ""


def with_trafilatura_and_title(page: bytes) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(page, include_comments=False, include_tables=True)
    if not doc:
        return ""
    return "\n".join(x for x in (doc.title, doc.text) if x)


def with_readability(page: bytes) -> str:
    from readability import Document

    from flashcards.read.markup import text_lines

    doc = Document(page)
    lines, _ = text_lines(doc.summary(html_partial=True))
    return "\n".join([doc.short_title(), *lines])


def with_flashcards(page: bytes, path: Path) -> str:
    from flashcards.read import html as reader

    path.write_bytes(page)
    _, lines = reader.read_html(path)
    return "\n".join(lines)


def main() -> None:
    import tempfile

    rows = []
    tmp = Path(tempfile.mkdtemp()) / "page.html"
    extractors = [
        ("trafilatura", with_trafilatura),
        ("trafilatura, no tables", with_trafilatura_no_tables),
        ("trafilatura + title", with_trafilatura_and_title),
        ("readability-lxml", with_readability),
        ("flashcards.read.html", lambda page: with_flashcards(page, tmp)),
    ]
    for name, encoding, page, truth in pages():
        data = page.encode(encoding, "xmlcharrefreplace")
        for label, extract in extractors:
            start = time.perf_counter()
            try:
                found = extract(data)
            except Exception as error:  # a benchmark reports, it does not stop
                found = f"error: {error}"
            seconds = time.perf_counter() - start
            precision, recall = score(found, truth)
            rows.append((name, label, precision, recall, seconds))
    print("| page | extractor | precision | recall | ms |\n|---|---|---|---|---|")
    for name, label, precision, recall, seconds in rows:
        print(f"| {name} | {label} | {precision:.4f} | {recall:.4f} | {seconds * 1000:.0f} |")


if __name__ == "__main__":
    main()
