"""Bytes to text, strictly: UTF-8 (with or without BOM), else the declared charset, else a clear refusal.

Also tells HTML from plain text. Nothing here guesses an encoding: garbled text would turn into garbled claims.
"""

from __future__ import annotations

import codecs
import re

from bot.errors import BadInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# formats people paste or link by mistake, named so the refusal can say what it saw
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252, a superset
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_HTML_TAGS = re.compile(r"<(?:p|div|article|h[1-6]|title|meta|section|span|br)\b[^>]*>", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """``"text/html; charset=UTF-8"`` → ``("text/html", "utf-8")``."""
    if not content_type:
        return None, None
    parts = content_type.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return mime, charset


def _codec(label: str) -> str | None:
    label = _ALIASES.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes, content_type: str | None = None) -> str:
    """The text of ``data``; raises BadInput for empty, binary or undecodable input."""
    if not data.strip():
        raise BadInput("That input is empty; there is nothing to read.")
    for bom, unicode_codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(unicode_codec))
            except UnicodeDecodeError:
                raise BadInput("That text starts like Unicode but does not decode as it, so I can't read it.") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BadInput(f"That looks like {what}; I can read only HTML and plain text.")
    if b"\x00" in data:
        raise BadInput("That looks like a binary file, not text or HTML, so I can't read it.")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    _, declared = media_type(content_type)
    if declared is None:
        meta = _META_CHARSET.search(data[:4096])
        declared = meta.group(1).decode("ascii").lower() if meta else None
    codec = _codec(declared) if declared else None
    if codec is None or codec == "utf-8":
        raise BadInput(
            "That text is not valid UTF-8 and declares no other encoding I can use, so I won't guess; "
            "please save it as UTF-8."
        )
    try:
        return _checked(data.decode(codec))
    except UnicodeDecodeError:
        raise BadInput(f"That text does not decode as the {declared} it declares, so I can't read it.") from None


def _checked(text: str) -> str:
    """Refuses text that decoded but is mostly control characters (binary data that happens to decode)."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v" or ch == "\ufffd")
    if controls > max(8, len(sample) // 100):
        raise BadInput("That looks like a binary file, not text or HTML, so I can't read it.")
    if not text.strip():
        raise BadInput("That input is empty; there is nothing to read.")
    return text


def looks_like_html(text: str, content_type: str | None) -> bool:
    """HTML when served as HTML or when it starts like an HTML document; plain text otherwise.

    Text served as text/plain still counts as HTML when it opens with a doctype or <html>: saved pages often are.
    """
    mime, _ = media_type(content_type)
    if mime in _HTML_TYPES:
        return True
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    if mime == "text/plain":
        return False
    # no declared type (a file without a telling suffix, stdin): a fragment full of tags is HTML too
    return len(_HTML_TAGS.findall(head)) >= 3
