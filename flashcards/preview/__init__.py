"""Preview: one self-contained HTML page of every card of a deck, to look at before import.

Read from the Anki package itself, so the page shows exactly what Anki will: the note
types' own templates and CSS, the fields as the notes hold them, the package's media.

- ``deck``: the package's note types, notes, cards and media (read-only, bounded);
- ``template``: Anki's card template language, the subset decks use;
- ``cards``: both sides of every card;
- ``media``: sound, TTS and images on the page;
- ``page``: the HTML page, its day/night and phone-width switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flashcards.preview.cards import RenderedCard, render_cards
from flashcards.preview.deck import PackageContents, read_package
from flashcards.preview.media import media_names
from flashcards.preview.page import PHONE_WIDTH, page_html
from flashcards.preview.template import TemplateError

__all__ = [
    "PHONE_WIDTH",
    "PreviewResult",
    "RenderedCard",
    "TemplateError",
    "preview_html",
    "preview_path_for",
    "write_preview_page",
]

PREVIEW_SUFFIX = ".preview.html"


@dataclass(frozen=True)
class PreviewResult:
    path: Path
    cards: int
    notes: int
    media: int  # media files on the page


def preview_path_for(deck: Path) -> Path:
    """Where ``build --preview`` puts the page: beside the deck, deck.apkg -> deck.preview.html."""
    deck = Path(deck)
    return deck.with_name((deck.stem or deck.name or "deck") + PREVIEW_SUFFIX)


def _rendered_media(cards: list[RenderedCard]) -> set[str]:
    return media_names(side for c in cards for side in (c.front, c.back))


def preview_html(package: Path, title: str | None = None) -> tuple[str, PreviewResult]:
    """The page for the Anki package at ``package``, and what is on it (its path unset)."""
    package = Path(package)
    rendered: list[RenderedCard] = []

    def wanted(contents: PackageContents) -> set[str]:
        rendered.extend(render_cards(contents))
        return _rendered_media(rendered)

    contents, media = read_package(package, wanted)
    decks = list(dict.fromkeys(c.card.deck for c in rendered if c.card.deck))
    name = title or ", ".join(decks) or package.stem
    page = page_html(name, rendered, media, source=package.name)
    notes = len({c.note.id for c in rendered})
    return page, PreviewResult(Path(), len(rendered), notes, len(media))


def write_preview_page(tmp: Path, package: Path, title: str | None = None) -> PreviewResult:
    """Write the page for ``package`` to ``tmp`` (a file atomic_output gave)."""
    page, result = preview_html(package, title)
    Path(tmp).write_text(page, encoding="utf-8")
    return result
