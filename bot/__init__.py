"""Crosscheck's platform-neutral core: ingest articles, extract who said what, answer questions."""

__version__ = "0.1.0"
