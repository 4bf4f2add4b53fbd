"""Ingest: load an article (URL, file, stdin) under a policy and parse it into a Document with its live-blog updates."""

from __future__ import annotations

from bot.errors import BadInput
from bot.ingest.decode import decode, looks_like_html
from bot.ingest.document import DATE_UNKNOWN, Document, Paragraph, Update
from bot.ingest.language import is_english
from bot.ingest.load import Loaded, LoadPolicy
from bot.ingest.load import load as _load  # bound as "load", the function would hide the bot.ingest.load module
from bot.ingest.text import parse_text

__all__ = [
    "DATE_UNKNOWN",
    "Document",
    "LoadPolicy",
    "Loaded",
    "Paragraph",
    "Update",
    "load_and_parse",
    "parse",
    "parse_text",
]


def parse(loaded: Loaded) -> Document:
    """Decodes ``loaded``, tells HTML from plain text, parses it and checks there is English article text in it."""
    text = decode(loaded.data, loaded.content_type)
    if looks_like_html(text, loaded.content_type):
        from bot.ingest.htmlpage import parse_html  # pulls in trafilatura only for HTML

        document = parse_html(text, url=loaded.url, name=loaded.name)
    else:
        document = parse_text(text, url=loaded.url, name=loaded.name)
    if not any(update.paragraphs for update in document.updates):
        raise BadInput("I found no article text in that page.")
    if not is_english(document.text):
        raise BadInput("That article doesn't look like English; I can only read articles in English.")
    return document


def load_and_parse(target: str, policy: LoadPolicy) -> Document:
    """``parse(load(target, policy))``: a path, an http(s) URL, or "-" for standard input."""
    return parse(_load(target, policy))
