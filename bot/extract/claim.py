"""The unit of extraction: one attributed statement with its speaker, side, cue and offsets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExtractedClaim:
    """A statement attributed to a speaker; ``start``/``end`` locate ``text`` in ``Document.text``."""

    speaker: str | None
    speaker_role: str | None
    actor: str | None
    text: str
    sentence: str
    kind: str
    cue: str
    update_index: int
    start: int
    end: int
