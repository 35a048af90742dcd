"""Real files of every input format, made from texts we have: EPUB books, subtitles, web
pages and PDFs, each with the clutter that format brings (ruby readings, navigation,
timing and styling tags, menus and comments, running headers and line wraps inside words).

Each maker returns nothing but the file; the test writes the same text as plain text
itself and compares the decks. Used by tests/test_formats.py and benchmarks/html_main_text.py.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from flashcards.han import HAN_CHAR

# --- texts -------------------------------------------------------------------------------


def paragraphs_after(text: str, heading: str, count: int) -> list[str]:
    """``count`` paragraphs of ``text`` after the line ``heading``, indents stripped."""
    lines = [line.strip(" \u3000\t") for line in text.split("\n")]
    start = next(i for i, line in enumerate(lines) if line == heading) + 1
    out = [line for line in lines[start:] if line]
    return out[:count]


def split_inside_word(text: str, at: int) -> tuple[str, str]:
    """``text`` cut at the first place from ``at`` on that falls between two Han
    characters (inside a word, as a wrap does)."""
    for i in range(max(1, at), len(text)):
        if HAN_CHAR.match(text[i - 1]) and HAN_CHAR.match(text[i]):
            return text[:i], text[i:]
    return text, ""


def plain_text(title: str | None, paragraphs: list[str]) -> str:
    """The same text as a plain file: the title, then paragraphs between blank lines."""
    parts = ([title] if title else []) + paragraphs
    return "\n\n".join(parts) + "\n"


# --- EPUB --------------------------------------------------------------------------------

_RUBY_WORDS = {"故乡": ("gù", "xiāng"), "母亲": ("mǔ", "qīn"), "闰土": ("rùn", "tǔ")}


def _ruby(text: str) -> str:
    """Escaped text with some words given ruby readings, character by character."""
    out = html.escape(text)
    for word, readings in _RUBY_WORDS.items():
        marked = "".join(
            f"<ruby>{c}<rp>(</rp><rt>{r}</rt><rp>)</rp></ruby>"
            for c, r in zip(word, readings, strict=True)
        )
        out = out.replace(word, marked)
    return out


def _xhtml_chapter(title: str, paragraphs: list[str], number: int) -> str:
    body = []
    for n, p in enumerate(paragraphs):
        if n == 1:
            # The source file itself wrapped this paragraph inside a word.
            head, tail = split_inside_word(p, 17)
            body.append(f"<p>{_ruby(head)}\n      {_ruby(tail)}</p>")
        elif n == 2:
            body.append(
                f'<p>{_ruby(p)}<a epub:type="noteref" href="#fn{number}" id="r{number}">1</a></p>'
            )
        else:
            body.append(f"<p>{_ruby(p)}</p>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="zh">
<head><title>{html.escape(title)}</title>
<style>p {{ text-indent: 2em; }} /* 样式表里的注释文字 */</style>
<script>var 广告 = "点击下载客户端领取红包";</script></head>
<body>
<nav epub:type="landmarks"><a href="toc.xhtml">返回目录</a> <a href="#">上一章节</a></nav>
<section epub:type="chapter">
<h1>{html.escape(title)}</h1>
{chr(10).join(body)}
<aside epub:type="footnote" id="fn{number}"><p><a epub:type="backlink" role="doc-backlink"
href="#r{number}">返回正文位置</a></p></aside>
</section>
</body>
</html>
"""


def make_epub(
    path: Path, book_title: str, chapters: list[tuple[str, list[str]]], version: int = 3
) -> Path:
    """An EPUB (2 or 3) whose spine lists the navigation, the chapters in an order other
    than the manifest's, and a non-linear cover."""
    names = [f"text/chapter{n:02d}.xhtml" for n in range(1, len(chapters) + 1)]
    manifest = [
        '<item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    # The manifest lists the chapters backwards: the spine's order is the reading order.
    for n in reversed(range(len(chapters))):
        manifest.append(f'<item id="c{n}" href="{names[n]}" media-type="application/xhtml+xml"/>')
    spine = ['<itemref idref="cover" linear="no"/>']
    if version == 3:
        spine.insert(0, '<itemref idref="nav"/>')
    spine += [f'<itemref idref="c{n}"/>' for n in range(len(chapters))]
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{html.escape(book_title)}</dc:title>
<dc:language>zh</dc:language><dc:identifier id="id">urn:uuid:0</dc:identifier></metadata>
<manifest>{"".join(manifest)}</manifest>
<spine toc="ncx">{"".join(spine)}</spine>
</package>"""
    nav = (
        """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>目录</title></head><body><nav epub:type="toc"><h1>目录</h1><ol>"""
        + "".join(
            f'<li><a href="{n}">{html.escape(t)}</a></li>'
            for n, (t, _) in zip(names, chapters, strict=True)
        )
        + "</ol></nav></body></html>"
    )
    cover = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>封面</title></head><body><p>封面插图版权所有翻印必究</p></body></html>"
    )
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", container, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.xhtml", nav, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", "<ncx/>", zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/cover.xhtml", cover, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/style.css", "p { margin: 0 }", zipfile.ZIP_DEFLATED)
        for name, (title, paragraphs) in zip(names, chapters, strict=True):
            number = names.index(name) + 1
            z.writestr(f"OEBPS/{name}", _xhtml_chapter(title, paragraphs, number), 8)
    return path


# --- subtitles ---------------------------------------------------------------------------


def _srt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def subtitle_events(sentences: list[str]) -> list[str]:
    """Sentences as a subtitler cuts them: most one an event, a long one wrapped onto two
    lines inside a word, and one carried over into the next event after its comma."""
    events: list[str] = []
    for n, sentence in enumerate(sentences):
        if n % 5 == 1 and len(sentence) > 12:
            head, tail = split_inside_word(sentence, len(sentence) // 2)
            events.append(f"{head}\n{tail}" if tail else sentence)
        elif n % 5 == 3 and "，" in sentence[:-1]:
            cut = sentence.index("，") + 1
            events.extend([sentence[:cut], sentence[cut:]])
        else:
            events.append(sentence)
    return events


def make_srt(path: Path, sentences: list[str], encoding: str = "gbk") -> Path:
    """SubRip with <i> and <font> tags, Windows line ends, in ``encoding``."""
    blocks = []
    for n, event in enumerate(subtitle_events(sentences)):
        start = 1000 + n * 3000
        text = event
        if n % 3 == 0:
            text = f"<i>{text}</i>"
        elif n % 3 == 1:
            text = f'<font color="#ffff00">{text}</font>'
        blocks.append(f"{n + 1}\n{_srt_time(start)} --> {_srt_time(start + 2500)}\n{text}\n")
    path.write_bytes("\n".join(blocks).replace("\n", "\r\n").encode(encoding))
    return path


def _ass_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, rest = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{rest // 10:02d}"


_STYLE = (
    "SimHei,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,"
    "10,10,10,1"
)
_ASS_STYLES = "\n".join(
    [
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        f"Style: Default,{_STYLE}",
        f"Style: Sign,{_STYLE}",
    ]
)


def make_ass(path: Path, sentences: list[str], english: list[str]) -> Path:
    """Advanced SubStation Alpha: bilingual events (中文\\NEnglish), override and karaoke
    tags, a comment, a sign drawn with vector commands, events out of time order."""
    lines = []
    for n, event in enumerate(subtitle_events(sentences)):
        start, end = _ass_time(1000 + n * 3000), _ass_time(3500 + n * 3000)
        chinese = event.replace("\n", "\\N")
        if n % 4 == 0:
            chinese = "{\\i1}" + chinese + "{\\i0}"
        elif n % 4 == 2:
            chinese = "".join("{\\k20}" + c for c in chinese)
        text = chinese + "\\N{\\fs12}" + english[n % len(english)]
        lines.append(f"Dialogue: 0,{start},{end},Default,,0,0,0,,{text}")
    lines.append("Comment: 0,0:00:00.00,0:00:05.00,Default,,0,0,0,,翻译校对时间轴压制")
    lines.append(
        "Dialogue: 0,0:00:00.00,0:00:05.00,Sign,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}"
    )
    lines.reverse()  # written in any order; read in time order
    text = f"""[Script Info]
Title: 测试字幕
ScriptType: v4.00+

[V4+ Styles]
{_ASS_STYLES}

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
{chr(10).join(lines)}
"""
    path.write_text(text, encoding="utf-8-sig")
    return path


# --- web pages ---------------------------------------------------------------------------

MENU = (
    "首页 新闻 国内 国际 军事 财经 股票 基金 科技 手机 数码 汽车 房产 家居 教育 "
    "健康 旅游 美食 时尚 星座 娱乐 电影 音乐 体育 彩票 游戏 动漫 读书 视频 直播"
).split()


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    sidebar: list[str],
    comments: list[str],
    footer: list[str],
    layout: str = "semantic",
    charset: str = "utf-8",
) -> str:
    """A saved article page: a 30-link menu, a sidebar, the article, comments, a footer.

    ``layout`` semantic uses header/nav/article/aside/footer; ``divs`` only classed divs
    (as older sites); ``table`` a table layout with the text in a cell (as forums);
    ``ads`` semantic with advertisements and a related-articles list inside the article."""
    esc = html.escape
    menu = "".join(f'<li><a href="/{n}/">{esc(w)}</a></li>' for n, w in enumerate(MENU))
    side = "".join(f'<li><a href="/a/{n}.html">{esc(s)}</a></li>' for n, s in enumerate(sidebar))
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    talk = "".join(
        f'<div class="comment"><span class="user">网友{n}</span><p>{esc(c)}</p>'
        f'<a href="#">回复</a> <a href="#">点赞</a></div>'
        for n, c in enumerate(comments)
    )
    foot = "".join(f"<p>{esc(f)}</p>" for f in footer)
    head = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}">'
        f"<title>{esc(title)}_新闻中心_某某网</title>"
        "<script>window.ads = ['点击领取优惠券'];</script>"
        "<style>.nav li { float: left }</style></head>"
    )
    if layout == "ads":
        parts = []
        for n, p in enumerate(paragraphs):
            parts.append(f"<p>{esc(p)}</p>")
            if n % 3 == 1:
                parts.append(
                    "<div class='ad adsbygoogle'><a href='/ad'>限时特惠 全场五折 立即抢购</a></div>"
                )
        related = "".join(f"<li><a href='/r/{n}'>{esc(s)}</a></li>" for n, s in enumerate(sidebar))
        body = "".join(parts) + f"<div class='related'><h3>相关阅读</h3><ul>{related}</ul></div>"
        layout = "semantic"
    if layout == "semantic":
        return (
            f"{head}<body><header><div class='logo'>某某网</div><nav><ul>{menu}</ul></nav>"
            f"</header><main><article><h1>{esc(title)}</h1>"
            f"<div class='meta'>2023-11-16 08:00 来源：某某网</div>{body}</article>"
            f"<aside class='sidebar'><h3>热门推荐</h3><ul>{side}</ul></aside></main>"
            f"<section id='comments'><h3>网友评论</h3>{talk}</section>"
            f"<footer>{foot}</footer></body></html>"
        )
    if layout == "divs":
        return (
            f"{head}<body><div id='top'><div class='menu'><ul>{menu}</ul></div></div>"
            f"<div id='wrap'><div class='left'><div class='post'><div class='post-title'>"
            f"<h2>{esc(title)}</h2></div><div class='post-content'>{body}</div></div>"
            f"<div class='comment-list'>{talk}</div></div>"
            f"<div class='right widget'><div class='widget-title'>最新文章</div><ul>{side}</ul>"
            f"</div></div><div id='bottom' class='copyright'>{foot}</div></body></html>"
        )
    assert layout == "table"
    return (
        f"{head}<body><table width='100%'><tr><td colspan='2'><ul>{menu}</ul></td></tr>"
        f"<tr><td width='200' valign='top'><ul>{side}</ul></td><td valign='top'>"
        f"<h1>{esc(title)}</h1>{body}<hr><div class='replies'>{talk}</div></td></tr>"
        f"<tr><td colspan='2'>{foot}</td></tr></table></body></html>"
    )


def make_html(path: Path, page: str, encoding: str = "utf-8") -> Path:
    # Characters the encoding lacks become character references, as browsers save them.
    path.write_bytes(page.encode(encoding, "xmlcharrefreplace"))
    return path


def empty_page() -> str:
    """A page with a menu, links and a footer but no article: nothing to read."""
    menu = "".join(f'<li><a href="/{n}/">{w}</a></li>' for n, w in enumerate(MENU))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>首页</title></head><body>'
        f"<nav><ul>{menu}</ul></nav><div class='login'><a href='/login'>登录</a>"
        "<a href='/reg'>注册</a></div><footer>版权所有 © 某某网</footer></body></html>"
    )


# --- PDF ---------------------------------------------------------------------------------

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def cjk_font() -> Path | None:
    return next((Path(p) for p in CJK_FONTS if Path(p).exists()), None)


def make_pdf(
    path: Path,
    title: str,
    paragraphs: list[str],
    font: Path,
    *,
    chars_per_line: int = 26,
    lines_per_page: int = 24,
    running_header: str = "",
) -> Path:
    """A PDF typeset with a CJK font: each paragraph indented two characters and wrapped
    at a fixed number of characters wherever the line is full (inside words too), a
    running header and a page number on every page."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name = "CJK-" + font.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font), subfontIndex=0))
    size = 12
    lines: list[tuple[str, float]] = [(title, 0.0), ("", 0.0)]
    for p in paragraphs:
        first = chars_per_line - 2  # the indent takes two characters' room
        lines.append((p[:first], 2.0 * size))
        rest = p[first:]
        while rest:
            lines.append((rest[:chars_per_line], 0.0))
            rest = rest[chars_per_line:]
    c = canvas.Canvas(str(path), pagesize=A5, invariant=1)
    width, height = A5
    for page, start in enumerate(range(0, len(lines), lines_per_page), start=1):
        c.setFont(name, 9)
        if running_header:
            c.drawCentredString(width / 2, height - 36, running_header)
        c.drawCentredString(width / 2, 30, f"- {page} -")
        c.setFont(name, size)
        y = height - 70
        for text, indent in lines[start : start + lines_per_page]:
            if text:
                c.drawString(50 + indent, y, text)
            y -= size * 1.6
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF whose pages are only pictures (a scan): no text layer."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A5, invariant=1)
    for _ in range(2):
        c.rect(40, 40, 300, 500, fill=1)
        c.showPage()
    c.save()
    return path


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def han_text(text: str) -> str:
    return "".join(_HAN_RUN.findall(text))
