"""Attributed-claim extraction: who said what (speaker, side, statement, cue, direct or indirect) in a Document."""

from bot.extract.claim import ExtractedClaim
from bot.extract.extractor import extract
from bot.extract.gazetteer import canonical_side
from bot.extract.pipeline import load_pipeline

__all__ = ["ExtractedClaim", "canonical_side", "extract", "load_pipeline"]
