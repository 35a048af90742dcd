"""Anki's card template language, the part of it decks use, rendered as Anki renders it.

``{{Field}}``, ``{{#Field}}…{{/Field}}`` (shown when the field is not empty),
``{{^Field}}…{{/Field}}`` (shown when it is), ``{{FrontSide}}`` and the special fields
(``Tags``, ``Type``, ``Deck``, ``Subdeck``, ``Card``, ``CardFlag``), and the filters
``text:``, ``cloze:``, ``cloze-only:``, ``type:``, ``hint:``, ``furigana:``, ``kana:``,
``kanji:`` and ``tts …:``. Filters apply from the field outwards, as in Anki.

The output is what Anki's renderer gives before it turns sound and TTS into players:
``[sound:…]`` and ``[anki:tts …]…[/anki:tts]`` stay in the text for the page to render
(see flashcards.preview.media). Anything else (an unknown field or filter, a section left
open) is a :class:`TemplateError`, never guessed at.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from flashcards.errors import FlashcardsError

# Anki's test for an empty field (rslib template.rs field_is_empty): only white space,
# <br> and <div> tags.
_EMPTY = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.IGNORECASE)
_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
# {{c1::text}} and {{c1::text::hint}}, not nested.
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
# Anki's furigana syntax: an optional space marks where the base starts, the reading follows.
_RUBY = re.compile(r" ?([^ >\[\]]+?)\[(.+?)\]")
SPECIAL_FIELDS = ("FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag")


class TemplateError(FlashcardsError):
    """A template the preview cannot render: unknown field or filter, unbalanced section."""


@dataclass(frozen=True)
class CardContext:
    """What one side of one card is rendered from."""

    fields: Mapping[str, str]
    note_type: str = ""
    card: str = ""  # the template's name
    deck: str = ""
    tags: Sequence[str] = ()
    cloze: int = 1  # the cloze number a card of a cloze note type shows (its ord + 1)
    front_side: str | None = None  # the rendered front, on the back; None on the front


@dataclass(frozen=True)
class _Replace:
    field: str
    filters: tuple[str, ...]  # outermost first, as written


@dataclass(frozen=True)
class _Section:
    field: str
    inverted: bool
    body: list = field(default_factory=list)


def field_is_empty(text: str) -> bool:
    return bool(_EMPTY.match(text))


def strip_html(text: str) -> str:
    return _HTML_TAG.sub("", text)


def parse(template: str) -> list:
    """The template as a tree of text, replacements and sections; TemplateError if bad."""
    root: list = []
    stack: list[tuple[_Section | None, list]] = [(None, root)]
    at = 0
    for match in _TAG.finditer(template):
        if match.start() > at:
            stack[-1][1].append(template[at : match.start()])
        at = match.end()
        # One line and short, as it may appear in an error message.
        tag = " ".join(match.group(1).split())
        if not tag:
            raise TemplateError("an empty {{}} in the template")
        if tag[0] in "#^":
            section = _Section(tag[1:].strip(), tag[0] == "^")
            stack[-1][1].append(section)
            stack.append((section, section.body))
        elif tag[0] == "/":
            name = tag[1:].strip()
            open_section = stack[-1][0]
            if open_section is None:
                raise TemplateError(f"{{{{/{name}}}}} closes no section")
            if open_section.field != name:
                raise TemplateError(
                    f"{{{{/{name}}}}} closes {{{{#{open_section.field}}}}}; sections must nest"
                )
            stack.pop()
        elif tag[0] in "=!>":
            raise TemplateError(
                f"{{{{{tag[:60]}}}}}: not Anki template syntax the preview renders"
            )
        else:
            *filters, name = (part.strip() for part in tag.split(":"))
            stack[-1][1].append(_Replace(name, tuple(filters)))
    if at < len(template):
        rest = template[at:]
        if "{{" in rest:
            raise TemplateError("a {{ in the template is never closed")
        stack[-1][1].append(rest)
    if len(stack) > 1:
        raise TemplateError(f"{{{{#{stack[-1][0].field}}}}} is never closed")
    return root


def render(template: str, context: CardContext) -> str:
    """One side of a card: ``template`` (a front or back) with the note's fields."""
    return "".join(_render(parse(template), context))


def _value(name: str, context: CardContext) -> str:
    if name in context.fields:
        return context.fields[name]
    if name == "FrontSide":
        return context.front_side or ""
    if name == "Tags":
        return html.escape(" ".join(context.tags))
    if name == "Type":
        return html.escape(context.note_type)
    if name == "Deck":
        return html.escape(context.deck)
    if name == "Subdeck":
        return html.escape(context.deck.rsplit("::", 1)[-1])
    if name == "Card":
        return html.escape(context.card)
    if name == "CardFlag":
        return ""
    raise TemplateError(
        f"the template uses {{{{{name[:60]}}}}}, a field the note type {context.note_type!r} "
        "does not have"
    )


def _render(nodes: list, context: CardContext) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Section):
            shown = not field_is_empty(_value(node.field, context))
            if shown != node.inverted:
                out.extend(_render(node.body, context))
        else:
            out.append(_replace(node, context))
    return out


def _replace(node: _Replace, context: CardContext) -> str:
    filters = [f for f in node.filters if f]
    if any(f.split()[0] == "type" for f in filters):
        return _type_answer(node, context)
    if not node.field and filters and filters[-1].split()[0] == "tts-voices":
        return ""  # Anki's list of the voices installed: nothing to list here
    text = _value(node.field, context)
    for name in reversed(filters):
        text = _filter(name, text, context)
    return text


def _type_answer(node: _Replace, context: CardContext) -> str:
    """Anki's type-in box on the front; on the back, the answer it compares with."""
    if context.front_side is None:
        return '<input type="text" class="typeans" aria-label="type the answer" disabled>'
    answer = _value(node.field, context)
    if "cloze" in node.filters:
        answer = ", ".join(
            m.group(2) for m in _CLOZE.finditer(answer) if int(m.group(1)) == context.cloze
        )
    return f'<code class="typeans">{strip_html(answer)}</code>'


def _cloze(text: str, context: CardContext, *, only: bool = False) -> str:
    """Anki's cloze filter: the card's own cloze blanked on the front, shown on the back."""
    question = context.front_side is None
    shown: list[str] = []

    def one(match: re.Match[str]) -> str:
        number, body, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != context.cloze:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{body}</span>'
        shown.append(body)
        if question:
            blank = f"[{hint}]" if hint else "[...]"
            data = html.escape(body, quote=True)
            return (
                f'<span class="cloze" data-cloze="{data}" data-ordinal="{number}">{blank}</span>'
            )
        return f'<span class="cloze" data-ordinal="{number}">{body}</span>'

    rendered = _CLOZE.sub(one, text)
    return ", ".join(shown) if only else rendered


def _tts(args: str, text: str) -> str:
    words = args.split()
    lang = words[0] if words else ""
    options = " ".join(words[1:])
    spoken = strip_html(text).strip()
    if not spoken:
        return ""
    return f"[anki:tts lang={lang}{' ' + options if options else ''}]{spoken}[/anki:tts]"


def _furigana(text: str) -> str:
    return _RUBY.sub(r"<ruby><rb>\1</rb><rt>\2</rt></ruby>", text)


def _kana(text: str) -> str:
    return _RUBY.sub(r"\2", text)


def _kanji(text: str) -> str:
    return _RUBY.sub(r"\1", text)


def _hint(text: str) -> str:
    if field_is_empty(text):
        return ""
    return f'<details class="hint"><summary>Show hint</summary>{text}</details>'


_FILTERS: dict[str, Callable[[str, CardContext], str]] = {
    "text": lambda text, context: strip_html(text),
    "cloze": lambda text, context: _cloze(text, context),
    "cloze-only": lambda text, context: _cloze(text, context, only=True),
    "hint": lambda text, context: _hint(text),
    "furigana": lambda text, context: _furigana(text),
    "kana": lambda text, context: _kana(text),
    "kanji": lambda text, context: _kanji(text),
}


def _filter(spec: str, text: str, context: CardContext) -> str:
    name, _, args = spec.partition(" ")
    if name == "tts":
        return _tts(args, text)
    if name not in _FILTERS:
        raise TemplateError(
            f"the template uses the filter {name[:60]!r}, which the preview lacks"
        )
    return _FILTERS[name](text, context)
