"""Fixtures of the follow tests (they live in liveblog.py, which the tests also import helpers from)."""

from liveblog import blog, clock, db_path, notifier, service  # noqa: F401
