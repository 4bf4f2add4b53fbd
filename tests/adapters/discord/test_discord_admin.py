"""Admin commands through the real discord.py client: permissions, ingest (file, pasted text, URL), sources, forget,
and the command declarations that sync_commands publishes."""

from __future__ import annotations

import asyncio

from conftest import ADMIN_ROLE, GUILD_A, Harness, seed
from fake_discord import APP_ID, MANAGE_GUILD, SEND_MESSAGES

from adapters.discord import sync_commands
from bot.service import Requester

EPHEMERAL = 64

# our own invented article: a live blog with a headline and attributed statements
ARTICLE = """Border talks: live

Talks resume at the river crossing
Freedonia's defence minister Ann Vale said on Tuesday that soldiers would return to their barracks within a week.
"We have no plans to move further," Vale told reporters in the capital.
"""

PASTED = """Harbour dispute
Sylvania's foreign minister Bo Rand said the harbour would stay closed to foreign ships until the spring.
"""


def test_members_are_refused_admin_commands_ephemerally(run_bot, service) -> None:
    source = seed(service, str(GUILD_A), [{"text": "the river is calm", "speaker": "Ann Vale", "actor": "Freedonia"}])

    async def scenario(h: Harness) -> None:
        for name, options in (
            ("ingest", {"url": "https://example.org/a"}),
            ("forget", {"source": source}),
            ("sources", {}),
        ):
            iid = await h.send.slash(name, options, guild_id=GUILD_A, permissions=SEND_MESSAGES, roles=(123,))
            body = await h.callback(iid)
            assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL
            assert body["data"]["content"].startswith("Only server admins can")

    run_bot(scenario)
    assert [s.id for s in service.sources(Requester(str(GUILD_A)))] == [source]  # nothing forgotten


def test_admins_ingest_a_file_and_pasted_text_then_list_and_forget(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        h.fake.files["talks.txt"] = ARTICLE.encode()
        attachment = {
            "id": str(h.fake.new_id()),
            "filename": "talks.txt",
            "size": len(ARTICLE.encode()),
            "url": f"{h.fake.base}/files/talks.txt",
            "proxy_url": f"{h.fake.base}/files/talks.txt",
            "content_type": "text/plain",
        }
        iid = await h.send.slash("ingest", guild_id=GUILD_A, permissions=MANAGE_GUILD, attachments={"file": attachment})
        first = await h.callback(iid)
        # an ingest that outlasts the reply budget (the language pipeline's first load does) is deferred, ephemeral,
        # and followed up; once another test of the run has loaded the pipeline, it is answered at once
        assert first["type"] in {4, 5} and first["data"]["flags"] & EPHEMERAL
        done = await h.followup(iid, after=0) if first["type"] == 5 else first["data"]
        assert done["flags"] & EPHEMERAL and done["embeds"][0]["title"] == "Ingested"
        assert "2 claims" in done["embeds"][0]["fields"][0]["value"]

        # no option: a form to paste the text, which an admin (by configured role) submits
        iid = await h.send.slash("ingest", guild_id=GUILD_A, permissions=SEND_MESSAGES, roles=(ADMIN_ROLE,))
        modal = await h.callback(iid)
        assert modal["type"] == 9
        inputs = [c["component"]["custom_id"] for c in modal["data"]["components"]]
        assert inputs == ["cc:paste:title", "cc:paste:text"]
        sent = await h.send.submit(
            modal["data"]["custom_id"],
            {"cc:paste:title": "Harbour live", "cc:paste:text": PASTED},
            guild_id=GUILD_A,
            user_id=702,
            permissions=SEND_MESSAGES,
        )
        body = await h.callback(sent)
        if body["type"] == 5:
            body = {"data": await h.followup(sent)}
        assert body["data"]["embeds"][0]["title"] == "Ingested"

        iid = await h.send.slash("sources", guild_id=GUILD_A, permissions=SEND_MESSAGES, roles=(ADMIN_ROLE,))
        listing = (await h.callback(iid))["data"]
        assert listing["flags"] & EPHEMERAL
        text = listing["embeds"][1]["fields"][0]["value"]
        assert "Border talks: live" in text and "Harbour live" in text

        sources = service.sources(Requester(str(GUILD_A)))
        iid = await h.send.slash("forget", {"source": sources[-1].id}, guild_id=GUILD_A, permissions=MANAGE_GUILD)
        forgot = (await h.callback(iid))["data"]
        assert forgot["flags"] & EPHEMERAL and "Forgot source" in forgot["embeds"][0]["description"]

    run_bot(scenario)
    audit = service.audit(Requester(str(GUILD_A), is_admin=True))
    assert {e.action for e in audit} >= {"ingest", "forget"}
    assert len(service.sources(Requester(str(GUILD_A)))) == 1


def test_bad_ingest_input_gets_a_sentence_not_a_traceback(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        # the core refuses loopback addresses (SSRF guard): the admin reads why, privately
        iid = await h.send.slash(
            "ingest", {"url": f"{h.fake.base}/files/x"}, guild_id=GUILD_A, permissions=MANAGE_GUILD
        )
        body = await h.callback(iid)
        assert body["type"] == 4 and body["data"]["flags"] & EPHEMERAL
        message = body["data"]["embeds"][0]["description"]
        assert message.endswith(".") and "Traceback" not in message

        url = f"{h.fake.base}/files/a.pdf"
        pdf = {"id": str(h.fake.new_id()), "filename": "a.pdf", "size": 10, "url": url, "proxy_url": url}
        iid = await h.send.slash("ingest", guild_id=GUILD_A, permissions=MANAGE_GUILD, attachments={"file": pdf})
        body = await h.callback(iid)
        assert "a .txt or .html file" in body["data"]["embeds"][0]["description"]
        assert not h.fake.find("GET", r"/files/a.pdf")  # refused before downloading

    run_bot(scenario)
    assert service.sources(Requester(str(GUILD_A))) == []


def test_sync_publishes_commands_with_admin_defaults(run_bot, service) -> None:
    async def scenario(h: Harness) -> None:
        names = await asyncio.to_thread(sync_commands, service.settings, str(GUILD_A))
        assert sorted(names) == sorted(
            ["Cross-check message", "ask", "forget", "help", "ingest", "latest", "sources"]
            + ["follow", "unfollow", "following", "subscribe", "unsubscribe", "actor"]
        )
        (call,) = h.fake.find("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_A}/commands")
        declared = {c["name"]: c for c in call.body}
        for admin in ("ingest", "forget", "sources", "follow", "unfollow", "following"):
            assert int(declared[admin]["default_member_permissions"]) == MANAGE_GUILD
        for everyone in ("ask", "latest", "help", "subscribe", "unsubscribe", "actor"):
            assert declared[everyone].get("default_member_permissions") is None
        assert declared["Cross-check message"]["type"] == 3
        options = {o["name"]: o for o in declared["ingest"]["options"]}
        assert options["file"]["type"] == 11 and not options["url"].get("required")

        names = await asyncio.to_thread(sync_commands, service.settings, None)  # production: global commands
        assert h.fake.find("PUT", rf"/applications/{APP_ID}/commands$") and len(names) == 13

    run_bot(scenario)
