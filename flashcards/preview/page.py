"""The preview page: one self-contained HTML file showing every card, front and back.

Nothing on the page loads from anywhere: the deck's CSS and media are inside it, fonts
are the system's, and a Content-Security-Policy forbids every request but ``data:`` images
and sound (and runs no script but the page's own, so a field's markup cannot run any).
A day/night switch sets Anki's own night-mode classes on the cards; the phone switch shows
them 390 px wide and applies the deck's width media queries as a phone would.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping, Sequence

from flashcards.notes import escape_field
from flashcards.preview.cards import RenderedCard
from flashcards.preview.media import data_uri, players
from flashcards.preview.template import strip_html

PHONE_WIDTH = 390

_PAGE_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #e9ebee; color: #1d1d1f;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
body.pv-night { color-scheme: dark; background: #111113; color: #e8e8ea; }
.pv-bar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap;
  align-items: center; gap: 0.4em 1em; padding: 0.5em 1em; background: #fff;
  border-bottom: 1px solid #c9ccd1; }
.pv-night .pv-bar { background: #232326; border-color: #3a3a40; }
.pv-bar h1 { font-size: 1.05em; margin: 0; overflow-wrap: anywhere; }
.pv-summary { font-size: 0.85em; color: #55575c; }
.pv-night .pv-summary { color: #b0b0b8; }
.pv-switches { display: flex; gap: 0.5em; margin-left: auto; }
.pv-switches button { font: inherit; font-size: 0.85em; padding: 0.3em 0.8em; cursor: pointer;
  border: 1px solid #8a8d93; border-radius: 1em; background: transparent; color: inherit; }
.pv-switches button[aria-pressed="true"] { background: #1d1d1f; color: #fff; }
.pv-night .pv-switches button[aria-pressed="true"] { background: #e8e8ea; color: #111113; }
.pv-cards { max-width: 1100px; margin: 0 auto; padding: 0.6em; }
.pv-phone .pv-cards { max-width: @PHONE@px; padding: 0.6em 0; }
.pv-item { margin: 0 0 1em; border: 1px solid #c9ccd1; border-radius: 8px; overflow: clip;
  background: #fff; }
.pv-night .pv-item { border-color: #3a3a40; background: #1e1e20; }
.pv-label { font-size: 12px; padding: 0.35em 0.7em; color: #55575c;
  border-bottom: 1px solid #dcdfe3; overflow-wrap: anywhere; }
.pv-night .pv-label { color: #b0b0b8; border-color: #3a3a40; }
.pv-sides { display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); }
.pv-phone .pv-sides { grid-template-columns: 1fr; }
.pv-side { min-width: 0; display: flex; flex-direction: column; }
.pv-side + .pv-side { border-left: 1px dashed #dcdfe3; }
.pv-phone .pv-side + .pv-side { border-left: 0; border-top: 1px dashed #dcdfe3; }
@media (max-width: 680px) {
  .pv-side + .pv-side { border-left: 0; border-top: 1px dashed #dcdfe3; }
}
.pv-night .pv-side + .pv-side { border-color: #3a3a40; }
.pv-side-name { font-size: 11px; letter-spacing: 0.06em; text-transform: uppercase;
  color: #55575c; padding: 0.3em 0.7em 0; }
.pv-night .pv-side-name { color: #b0b0b8; }
.pv-face { flex: 1; min-height: 3em; padding-bottom: 0.8em; }
.pv-missing { color: #b00020; font-size: 0.8em; border: 1px dashed currentColor;
  padding: 0 0.3em; }
.pv-tts { font: inherit; font-size: 0.8em; border: 0; background: transparent;
  cursor: pointer; padding: 0 0.2em; vertical-align: middle; }
.pv-audio { display: block; margin: 0.3em auto; max-width: 100%; height: 2.2em; }
.pv-empty { padding: 2em; text-align: center; }
""".replace("@PHONE@", str(PHONE_WIDTH))

# The page's one script: media sources, TTS buttons, the two switches (also from the URL's
# #night and #phone, so a screenshot can be taken of either without clicking).
_PAGE_JS = """
(function () {
  "use strict";
  var body = document.body;
  var media = JSON.parse(document.getElementById("pv-media").textContent);
  document.querySelectorAll("audio[data-media]").forEach(function (a) {
    if (media[a.dataset.media]) { a.src = media[a.dataset.media]; }
  });
  if ("speechSynthesis" in window) {
    document.querySelectorAll(".pv-tts").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        var say = new SpeechSynthesisUtterance(b.dataset.text);
        if (b.dataset.lang) { say.lang = b.dataset.lang; }
        speechSynthesis.cancel();
        speechSynthesis.speak(say);
      });
    });
  }
  // The deck's width media queries, as they would match on a phone: each (max-width: N)
  // and (min-width: N) is replaced by one that is always or never true.
  var queries = [];
  function collect(rules) {
    for (var i = 0; i < rules.length; i++) {
      var rule = rules[i];
      if (rule.media && rule.media.mediaText !== undefined) {
        queries.push([rule.media, rule.media.mediaText]);
      }
      if (rule.cssRules) { collect(rule.cssRules); }
    }
  }
  document.querySelectorAll("style.pv-deck-css").forEach(function (s) {
    collect(s.sheet.cssRules);
  });
  var WIDTH = @PHONE@;
  function asPhone(text) {
    return text.replace(/\\((max|min)-width\\s*:\\s*([\\d.]+)(px|r?em)\\)/g,
      function (m, kind, n, unit) {
        var px = parseFloat(n) * (unit === "px" ? 1 : 16);
        var holds = kind === "max" ? WIDTH <= px : WIDTH >= px;
        return holds ? "(min-width: 0px)" : "(max-width: 0px)";
      });
  }
  function press(id, on) { document.getElementById(id).setAttribute("aria-pressed", on); }
  function night(on) {
    body.classList.toggle("pv-night", on);
    document.querySelectorAll(".pv-face").forEach(function (f) {
      f.classList.toggle("nightMode", on);
      f.classList.toggle("night_mode", on);
    });
    press("pv-night", on);
  }
  function phone(on) {
    body.classList.toggle("pv-phone", on);
    queries.forEach(function (q) { q[0].mediaText = on ? asPhone(q[1]) : q[1]; });
    press("pv-phone", on);
  }
  document.getElementById("pv-night").addEventListener("click", function () {
    night(!body.classList.contains("pv-night"));
  });
  document.getElementById("pv-phone").addEventListener("click", function () {
    phone(!body.classList.contains("pv-phone"));
  });
  var wanted = location.hash.slice(1).split(",");
  night(wanted.indexOf("night") >= 0);
  phone(wanted.indexOf("phone") >= 0);
})();
""".replace("@PHONE@", str(PHONE_WIDTH))

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_PAGE_JS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; media-src data:; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)


def _label_text(raw: str) -> str:
    """Field HTML as plain text for a label, escaped as a field is (no {{ or [sound: in it)."""
    return escape_field(" ".join(html.unescape(strip_html(raw)).split()))


def _style(css: str) -> str:
    # Only a closing tag could end the <style> early; a CSS escape reads the same.
    return css.replace("</", "<\\/")


def page_html(
    title: str, cards: Sequence[RenderedCard], media: Mapping[str, bytes], source: str = ""
) -> str:
    """The whole page: ``cards`` with their note types' CSS, ``media`` inside it."""
    stylesheets = list(dict.fromkeys(c.note_type.css for c in cards))
    scoped = len(stylesheets) > 1
    if scoped:  # note types with CSS of their own: each applies to its own cards only
        by_type = {c.note_type.id: c.note_type.css for c in cards}
        deck_css = "\n".join(
            f'<style class="pv-deck-css">@scope (.pv-nt-{ntid}) {{\n{_style(css)}\n}}</style>'
            for ntid, css in by_type.items()
        )
    else:
        deck_css = "\n".join(
            f'<style class="pv-deck-css">{_style(css)}</style>' for css in stylesheets
        )
    notes = len({c.note.id for c in cards})
    kinds = len({c.note_type.id for c in cards})
    items = []
    for n, c in enumerate(cards, start=1):
        ordinal = c.card.ord + 1
        face = f"card card{ordinal} pv-face"
        head = _label_text(c.note.fields[0]) if c.note.fields else ""
        scope = f" pv-nt-{c.note_type.id}" if scoped else ""
        items.append(
            f'<section class="pv-item{scope}" id="card-{n}" data-card-id="{c.card.id}" '
            f'data-note-type="{html.escape(c.note_type.name, quote=True)}" '
            f'data-template="{html.escape(c.template.name, quote=True)}">\n'
            f'<div class="pv-label">{n} · {html.escape(c.note_type.name)} · '
            f"{html.escape(c.template.name)} · {head}</div>\n"
            '<div class="pv-sides">\n'
            f'<div class="pv-side pv-front"><div class="pv-side-name">Front</div>'
            f'<div class="{face}">{players(c.front, media)}</div></div>\n'
            f'<div class="pv-side pv-back"><div class="pv-side-name">Back</div>'
            f'<div class="{face}">{players(c.back, media)}</div></div>\n'
            "</div>\n</section>"
        )
    if not items:
        items.append('<p class="pv-empty">This deck has no cards.</p>')
    # Sound once for the whole page, whichever cards play it (images are inline already).
    sounds = {
        name: uri
        for name, data in sorted(media.items())
        if not (uri := data_uri(name, data)).startswith("data:image/")
    }
    media_json = json.dumps(sounds, ensure_ascii=True).replace("<", "\\u003c")
    summary = (
        f"{len(cards)} card{'s' * (len(cards) != 1)} of {notes} note{'s' * (notes != 1)}, "
        f"{kinds} note type{'s' * (kinds != 1)}" + (f" · {html.escape(source)}" if source else "")
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} · preview</title>\n"
        f"<style>{_PAGE_CSS}</style>\n{deck_css}\n</head>\n<body>\n"
        '<header class="pv-bar">\n'
        f"<h1>{html.escape(title)}</h1>\n"
        f'<span class="pv-summary">{summary}</span>\n'
        '<span class="pv-switches">'
        '<button type="button" id="pv-night" aria-pressed="false">Night</button>'
        '<button type="button" id="pv-phone" aria-pressed="false">Phone width</button>'
        "</span>\n</header>\n"
        '<main class="pv-cards">\n' + "\n".join(items) + "\n</main>\n"
        f'<script type="application/json" id="pv-media">{media_json}</script>\n'
        f"<script>{_PAGE_JS}</script>\n</body>\n</html>\n"
    )
