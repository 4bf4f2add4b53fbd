"""Smoke: the real client connects to the fake Discord and answers /help ephemerally."""

from __future__ import annotations

from conftest import GUILD_A, Harness


def test_help_is_ephemeral(run_bot) -> None:
    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("help", guild_id=GUILD_A)
        body = await h.callback(iid)
        assert body["type"] == 4
        assert body["data"]["flags"] & 64
        assert "/ask" in body["data"]["content"]

    run_bot(scenario)
