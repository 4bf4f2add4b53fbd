"""Questions through the real discord.py client: /ask, the context menu, paging, feedback, escaping, deferral."""

from __future__ import annotations

from typing import Any

from conftest import GUILD_A, Harness, seed
from fake_discord import CHANNEL_ID

from adapters.discord.bot import DiscordOptions

EPHEMERAL = 64


def embed_chars(embed: dict[str, Any]) -> int:
    """Characters as Discord counts them towards the 6,000 a message."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    total += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return total


def assert_within_limits(embeds: list[dict[str, Any]]) -> None:
    assert 1 <= len(embeds) <= 10
    assert sum(embed_chars(e) for e in embeds) <= 6000
    for e in embeds:
        assert len(e.get("title", "")) <= 256
        assert len(e.get("description", "")) <= 4096
        assert len(e.get("fields", [])) <= 25
        for f in e.get("fields", []):
            assert 0 < len(f["name"]) <= 256
            assert 0 < len(f["value"]) <= 1024


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"] if "custom_id" in c]


def claim_ids_shown(embeds: list[dict[str, Any]]) -> set[int]:
    import re

    text = " ".join(f["value"] for e in embeds for f in e.get("fields", []))
    return {int(n) for n in re.findall(r"claim (\d+)", text)}


STATEMENTS = [
    {"text": "the army will pull its soldiers back from the border", "speaker": "Ann Vale", "actor": "Freedonia"},
    {"text": "no soldiers are pulled back from the border", "speaker": "Bo Rand", "actor": "Sylvania"},
    {"text": "We are moving soldiers home", "kind": "direct", "speaker": "Cy Oda", "actor": "Freedonia"},
]


def test_ask_answers_at_once_with_sides_colours_and_feedback_buttons(run_bot, service) -> None:
    seed(service, str(GUILD_A), STATEMENTS)

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "Are soldiers pulled back from the border?"}, guild_id=GUILD_A)
        body = await h.callback(iid)
        assert body["type"] == 4  # answered at once: the stand-in core is fast
        data = body["data"]
        assert not data.get("flags", 0) & EPHEMERAL
        assert data["allowed_mentions"] == {"parse": []}
        assert_within_limits(data["embeds"])
        header, supporting, contradicting = data["embeds"]
        assert "1 side" in header["description"] and "support" in header["description"]
        assert supporting["title"] == "Supporting" and contradicting["title"] == "Contradicting"
        assert supporting["color"] != contradicting["color"]
        assert supporting["fields"][0]["name"] == "Freedonia (2)"
        value = supporting["fields"][0]["value"]
        # direct quotes in quotation marks, paraphrases never; a link to the source; the reason
        assert "\n“We are moving soldiers home”\n" in value
        assert "\nthe army will pull its soldiers back from the border" in value
        assert "](https://example.org/" in value and "why: shares the words" in value
        assert custom_ids(data) == ["cc:wrong_match", "cc:wrong_stance"]  # one page: no page buttons

    run_bot(scenario)


def test_slow_answer_is_deferred_then_followed_up(run_bot, service) -> None:
    seed(service, str(GUILD_A), STATEMENTS)

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "soldiers at the border"}, guild_id=GUILD_A)
        body = await h.callback(iid)
        assert body == {"type": 5, "data": {}} or (body["type"] == 5 and not body.get("data", {}).get("flags"))
        follow = await h.followup(iid)
        assert_within_limits(follow["embeds"])
        assert follow["embeds"][0]["title"] == "soldiers at the border"
        assert "cc:wrong_match" in custom_ids(follow)

    run_bot(scenario, options=DiscordOptions(reply_budget=0))  # no budget: always defer first


def test_two_hundred_statements_are_paged_within_limits_and_turned_by_the_asker(run_bot, service) -> None:
    sides = ["Freedonia", "Sylvania", "Grand Fenwick", "Ruritania", None]
    claims = [
        {
            "text": f"statement {i} about the border: " + ("not " if i % 3 == 0 else "") + "word " * (i % 90),
            "speaker": f"Speaker {i} " + "x" * (i % 40),
            "actor": sides[i % len(sides)],
            "kind": "direct" if i % 2 else "indirect",
        }
        for i in range(200)
    ]
    seed(service, str(GUILD_A), claims)

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "what about the border?"}, guild_id=GUILD_A, user_id=700)
        data = (await h.callback(iid))["data"]
        assert_within_limits(data["embeds"])
        assert custom_ids(data) == ["cc:previous", "cc:page", "cc:next", "cc:wrong_match", "cc:wrong_stance"]
        footer = data["embeds"][0]["footer"]["text"]
        pages = int(footer.rsplit(" ", 1)[1])
        assert footer == f"Page 1 of {pages}" and pages > 5
        message_id = h.message_of(iid)

        seen = claim_ids_shown(data["embeds"])
        for page in range(2, pages + 1):
            before = len(h.fake.calls)
            click = await h.send.click(message_id, "cc:next", guild_id=GUILD_A, user_id=700)
            turned = await h.callback(click, after=before)
            assert turned["type"] == 7  # the message itself is edited
            assert_within_limits(turned["data"]["embeds"])
            assert turned["data"]["embeds"][0]["footer"]["text"] == f"Page {page} of {pages}"
            seen |= claim_ids_shown(turned["data"]["embeds"])
        # nothing cut silently: every one of the 200 statements appears on some page
        assert seen == {c.id for c in service.claims(_requester())}

        other = await h.send.click(message_id, "cc:previous", guild_id=GUILD_A, user_id=999)
        refused = await h.callback(other)
        assert refused["type"] == 4 and refused["data"]["flags"] & EPHEMERAL
        assert "Only the person who asked" in refused["data"]["content"]

    run_bot(scenario)


def _requester():
    from bot.service import Requester

    return Requester(str(GUILD_A))


def test_wrong_stance_feedback_is_stored_with_question_and_claim(run_bot, service) -> None:
    seed(service, str(GUILD_A), STATEMENTS)

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "soldiers pulled back"}, guild_id=GUILD_A)
        await h.callback(iid)
        message_id = h.message_of(iid)
        click = await h.send.click(message_id, "cc:wrong_stance", guild_id=GUILD_A, user_id=701)
        picker = await h.callback(click)
        assert picker["type"] == 4 and picker["data"]["flags"] & EPHEMERAL
        menu = picker["data"]["components"][0]["components"][0]
        assert menu["custom_id"] == "cc:pick:wrong_stance" and len(menu["options"]) == 3
        chosen = menu["options"][1]["value"]
        picker_message = h.message_of(click)
        pick = await h.send.click(
            picker_message, "cc:pick:wrong_stance", guild_id=GUILD_A, user_id=701, values=[chosen]
        )
        thanks = await h.callback(pick)
        assert thanks["type"] == 7 and "wrong stance" in thanks["data"]["content"]

    run_bot(scenario)
    admin = _requester().__class__(str(GUILD_A), is_admin=True)
    (row,) = service.list_feedback(admin)
    assert (row.kind, row.question, row.user) == ("wrong_stance", "soldiers pulled back", "701")
    assert row.claim_id is not None and row.claim_id in {c.id for c in service.claims(admin)}


def test_context_menu_checks_the_message_text(run_bot, service) -> None:
    seed(service, str(GUILD_A), STATEMENTS)

    async def scenario(h: Harness) -> None:
        iid = await h.send.message_menu("Cross-check message", "Soldiers are leaving the border", guild_id=GUILD_A)
        data = (await h.callback(iid))["data"]
        assert data["embeds"][0]["title"] == "Soldiers are leaving the border"
        assert "Freedonia" in data["embeds"][1]["fields"][0]["name"]

        empty = await h.send.message_menu("Cross-check message", "   ", guild_id=GUILD_A)
        refused = await h.callback(empty)
        assert refused["data"]["flags"] & EPHEMERAL and "no text" in refused["data"]["content"]

    run_bot(scenario)


def test_article_and_user_text_is_escaped_and_never_pings(run_bot, service) -> None:
    seed(
        service,
        str(GUILD_A),
        [{"text": "@everyone the **border** is <@123> open", "speaker": "_Dee_", "actor": "Freedonia"}],
    )

    async def scenario(h: Harness) -> None:
        iid = await h.send.slash("ask", {"question": "@here is the border **open**?"}, guild_id=GUILD_A)
        data = (await h.callback(iid))["data"]
        assert data["allowed_mentions"] == {"parse": []}
        assert data["embeds"][0]["title"] == "@\u200bhere is the border \\*\\*open\\*\\*?"
        value = data["embeds"][1]["fields"][0]["value"]
        assert "@\u200beveryone the \\*\\*border\\*\\* is <\u200b@123> open" in value
        assert "\\_Dee\\_" in value

    run_bot(scenario)


def test_mentions_are_answered_when_message_content_is_on(run_bot, service) -> None:
    seed(service, str(GUILD_A), STATEMENTS)

    async def scenario(h: Harness) -> None:
        await h.send.mention("<@810000000000000001> are soldiers pulled back?", guild_id=GUILD_A)
        (call,) = await h.fake.wait_for("POST", rf"/channels/{CHANNEL_ID}/messages$")
        assert call.body["allowed_mentions"]["parse"] == [] and call.body["allowed_mentions"]["replied_user"] is False
        assert int(call.body["message_reference"]["channel_id"]) == CHANNEL_ID
        assert call.body["embeds"][0]["title"] == "are soldiers pulled back?"
        assert "cc:wrong_match" in custom_ids(call.body)

    run_bot(scenario, options=DiscordOptions(message_content=True))


def test_mentions_are_ignored_without_message_content(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        await h.send.mention("<@810000000000000001> are soldiers pulled back?", guild_id=GUILD_A)
        iid = await h.send.slash("help", guild_id=GUILD_A)  # events are handled in order: help comes after
        await h.callback(iid)
        assert not h.fake.find("POST", r"/channels/\d+/messages$")
        assert h.client.intents.message_content is False

    run_bot(scenario)
