"""Fixtures for extraction tests: the spaCy pipeline, loaded once per session, and a helper to extract from text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.extract import ExtractedClaim, extract, load_pipeline
from bot.ingest.text import parse_text


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_pipeline()


@pytest.fixture(scope="session")
def claims_of(nlp: Any) -> Callable[..., list[ExtractedClaim]]:
    def run(text: str, aliases: dict[str, str] | None = None) -> list[ExtractedClaim]:
        return extract(parse_text(text), aliases=aliases, nlp=nlp)

    return run
