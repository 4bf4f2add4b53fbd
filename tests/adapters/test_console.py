"""The console adapter: one typed line, one reply; commands with or without the slash chat users are used to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters import console
from bot.config import Settings
from bot.service import Crosscheck, Requester
from bot.store import Store

OPERATOR = Requester(workspace="local", user="cli", is_admin=True, local=True)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Crosscheck]:
    store = Store(f"sqlite:///{tmp_path / 'console.db'}")
    try:
        yield Crosscheck(Settings(), store=store)
    finally:
        store.close()


def test_a_slash_is_taken_as_the_command_it_names(service: Crosscheck) -> None:
    assert console.handle(service, OPERATOR, "/help") == console.HELP
    assert console.handle(service, OPERATOR, "help") == console.HELP
    assert console.handle(service, OPERATOR, "/sources") == console.handle(service, OPERATOR, "sources")


def test_an_unknown_slash_command_is_named_not_searched_for(service: Crosscheck) -> None:
    reply = console.handle(service, OPERATOR, "/lastest Karvenia")
    assert reply == "I don't know the command /lastest. Type help for the commands, or ask a question."


def test_a_plain_line_is_still_a_question(service: Crosscheck) -> None:
    assert console.handle(service, OPERATOR, "lastest news from the harbour").startswith("I found nothing about")


def test_a_cue_that_is_no_verb_goes_before_the_speaker() -> None:
    from bot.answers import ClaimView

    def view(cue: str) -> ClaimView:
        return ClaimView(id=1, text="the bridge is shut", sentence="", kind="indirect", speaker="Ada Renn", cue=cue)

    assert console.attributed(view("according to")) == "according to Ada Renn"
    assert console.attributed(view("told reporters")) == "Ada Renn told reporters"
