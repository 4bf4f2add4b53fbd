"""Fixtures of the Slack adapter's tests (the fakes themselves live in slack_fakes.py)."""

from slack_fakes import fake, running

__all__ = ["fake", "running"]
