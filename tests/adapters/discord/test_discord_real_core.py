"""/ask through the real core (retrieval, stance, grouping), not the stand-in matcher the other tests use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GUILD_A, GUILD_B, Harness, seed, settings_in

from bot.service import Crosscheck


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Crosscheck]:
    core = Crosscheck(settings_in(tmp_path))  # the real core, overriding the stand-in of conftest
    yield core
    core.store.close()


def test_ask_groups_the_real_answer_by_side(run_bot, service: Crosscheck) -> None:
    seed(
        service,
        str(GUILD_A),
        [
            {"text": "its troops were withdrawing from the border", "speaker": "Ivo Marrant", "actor": "Northland"},
            {
                "text": "there is no evidence of a withdrawal of troops from the border",
                "speaker": "Lena Sorvik",
                "actor": "Southern Alliance",
            },
        ],
    )
    seed(
        service,
        str(GUILD_B),
        [{"text": "troops are withdrawing from the border", "speaker": "Other", "actor": "Elsewhere"}],
    )

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash(
            "ask", {"question": "Is Northland withdrawing its troops from the border?"}, guild_id=GUILD_A
        )
        body = await h.callback(iid)
        if body["type"] == 5:  # deferred on a slow machine: the answer comes as a follow-up
            data = await h.followup(iid)
        else:
            data = body["data"]
        text = " ".join(
            [e.get("title", "") + " " + e.get("description", "") for e in data["embeds"]]
            + [f["name"] + " " + f["value"] for e in data["embeds"] for f in e.get("fields", [])]
        )
        assert "Northland" in text and "Southern Alliance" in text
        assert "Elsewhere" not in text  # another server's statements never show
        supporting = [e for e in data["embeds"] if "Support" in e.get("title", "")]
        contradicting = [e for e in data["embeds"] if "Contradict" in e.get("title", "")]
        assert supporting and "Northland" in str(supporting[0]["fields"])
        assert contradicting and "Southern Alliance" in str(contradicting[0]["fields"])

    run_bot(scenario)
