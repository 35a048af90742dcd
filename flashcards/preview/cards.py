"""Every card of a package, both sides rendered from its note type's own templates."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flashcards.preview.deck import Card, CardTemplate, Note, NoteType, PackageContents
from flashcards.preview.template import CardContext, TemplateError, render


@dataclass(frozen=True)
class RenderedCard:
    card: Card
    note: Note
    note_type: NoteType
    template: CardTemplate
    front: str  # as Anki renders it: [sound:] and [anki:tts] still in it
    back: str


def render_cards(contents: PackageContents) -> list[RenderedCard]:
    """Front and back of every card, in the package's card order."""
    out = []
    for card in contents.cards:
        note = contents.notes[card.note]
        note_type = contents.note_types[note.note_type]
        # A cloze note type has one template; its card n shows cloze number n + 1.
        index = 0 if note_type.cloze else card.ord
        if not 0 <= index < len(note_type.templates):
            raise TemplateError(
                f"card {card.id} of note type {note_type.name!r} has no template {card.ord}"
            )
        template = note_type.templates[index]
        fields = dict(zip(note_type.fields, note.fields, strict=False))
        for name in note_type.fields[len(note.fields) :]:
            fields[name] = ""  # a note saved before its note type gained a field
        context = CardContext(
            fields=fields,
            note_type=note_type.name,
            card=template.name,
            deck=card.deck,
            tags=note.tags,
            cloze=card.ord + 1,
        )
        where = f"note type {note_type.name!r}, card {template.name!r}"
        try:
            front = render(template.front, context)
            back = render(template.back, replace(context, front_side=front))
        except TemplateError as error:
            raise TemplateError(f"{where}: {error}") from None
        out.append(RenderedCard(card, note, note_type, template, front, back))
    return out
