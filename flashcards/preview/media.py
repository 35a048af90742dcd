"""Sound, TTS and images of a rendered card, as the self-contained page plays and shows them.

``[sound:x.mp3]`` becomes an ``<audio>`` player whose source is the package's file as a
``data:`` URI (each file is on the page once, however many cards play it); a file the
package lacks is marked as missing, as Anki reports it. ``[anki:tts …]text[/anki:tts]`` (what
``{{tts …}}`` renders to) becomes a small button that reads the text with the browser's
own voices (speechSynthesis), hidden where the browser has none. ``<img src="x.png">``
shows the package's file inline.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Mapping

_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_TTS = re.compile(r"\[anki:tts([^\]]*)\](.*?)\[/anki:tts\]", re.DOTALL)
_TTS_LANG = re.compile(r"\blang=(\S+)")
_IMG_SRC = re.compile(
    r"""(<img\b[^>]*?\s)src\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE
)

MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "webm": "audio/webm",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}


def _name(raw: str) -> str:
    return html.unescape(raw.strip())


def _image_name(match: re.Match[str]) -> str:
    return _name(next(g for g in match.groups()[1:] if g is not None))


def media_names(rendered: Iterable[str]) -> set[str]:
    """The media files these rendered card sides refer to."""
    names: set[str] = set()
    for text in rendered:
        names.update(_name(m.group(1)) for m in _SOUND.finditer(text))
        names.update(_image_name(m) for m in _IMG_SRC.finditer(text))
    return names


def data_uri(name: str, data: bytes) -> str:
    kind = MEDIA_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _missing(name: str) -> str:
    return (
        f'<span class="pv-missing" title="not in the package">missing: {html.escape(name)}</span>'
    )


def players(text: str, media: Mapping[str, bytes]) -> str:
    """A rendered card side with its sound, TTS and images made playable and visible."""

    def sound(match: re.Match[str]) -> str:
        name = _name(match.group(1))
        if name not in media:
            return _missing(name)
        return (
            f'<audio class="pv-audio" controls preload="none" '
            f'data-media="{html.escape(name, quote=True)}"></audio>'
        )

    def tts(match: re.Match[str]) -> str:
        lang = _TTS_LANG.search(match.group(1))
        code = lang.group(1).replace("_", "-") if lang else ""
        spoken = html.escape(html.unescape(match.group(2)), quote=True)
        # Braces as the note's fields hold them: text from the input is never a template tag.
        spoken = spoken.replace("{", "&#123;").replace("}", "&#125;")
        return (
            f'<button type="button" class="pv-tts" hidden data-lang="{html.escape(code)}" '
            # ▶ (U+25B6), a shape most text fonts carry: the speaker emoji showed as a box where
            # the system has no emoji font.
            f'data-text="{spoken}" title="read aloud (this browser\'s voice)">&#9654;</button>'
        )

    def image(match: re.Match[str]) -> str:
        name = _image_name(match)
        if name not in media:  # no src at all: nothing to fetch, from anywhere
            quoted = html.escape(name, quote=True)
            return f'{match.group(1)}data-missing="{quoted}" alt="missing: {quoted}"'
        return f'{match.group(1)}src="{data_uri(name, media[name])}"'

    return _IMG_SRC.sub(image, _TTS.sub(tts, _SOUND.sub(sound, text)))
