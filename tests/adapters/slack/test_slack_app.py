"""The real Bolt app over loopback: signed requests in, recorded Web API calls and database rows out."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest
from slack_fakes import (
    ADMIN,
    BOT_TOKEN,
    CONFIGURED_ADMIN,
    MEMBER,
    SECRET,
    RecordingService,
    Running,
    SlackSender,
    add_claims,
    responses,
    settings_for,
    sign,
    start,
)

from adapters.slack import blocks
from adapters.slack.app import parse_command, question_text
from bot.answers import Answer, ClaimView, Match, SideGroup
from bot.service import Requester

T1_CLAIMS = [
    {"id": "f1", "text": "Freedonia will pull its troops back from the northern border", "speaker": "Rufus Firefly",
     "actor": "Freedonia", "kind": "indirect", "cue": "said"},
    {"id": "s1", "text": "Sylvania is not withdrawing a single soldier from the border", "speaker": "Ambassador Trentino",
     "actor": "Sylvania", "kind": "direct", "cue": "told reporters"},
]  # fmt: skip
T2_CLAIMS = [
    {"id": "m1", "text": "The harbour of Marsalia reopened to grain ships", "speaker": "Port Authority",
     "actor": "Marsalia", "kind": "indirect", "cue": "announced"},
]  # fmt: skip


def all_text(message: dict) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + (message.get("text") or "")


# ---- the transport: signatures, url_verification, health -------------------------------------------------------


def test_url_verification_echoes_the_challenge(running: Running) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "legacy"})
    reply = running.slack.post(body, "application/json")
    assert reply.status == 200
    assert "abc123" in reply.body


def test_unsigned_badly_signed_and_old_requests_are_refused(running: Running) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123"})
    assert running.slack.post(body, "application/json", signed=False).status == 401
    forged = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    assert running.slack.post(body, "application/json", forged, signed=False).status == 401
    other_secret = sign(body, secret="not-our-secret")
    assert running.slack.post(body, "application/json", other_secret, signed=False).status == 401
    stale = sign(body, timestamp=int(time.time()) - 3600)  # a replayed request, correctly signed an hour ago
    assert running.slack.post(body, "application/json", stale, signed=False).status == 401
    assert running.fake.of("response") == [] and running.fake.of("chat.postMessage") == []


def test_health_checks_the_database(running: Running) -> None:
    reply = running.slack.get("/health")
    assert reply.status == 200
    assert reply.json() == {"ok": True, "database": "ok"}


# ---- /crosscheck ----------------------------------------------------------------------------------------------


def test_subcommands_only_when_the_words_fit() -> None:
    assert parse_command("").name == "help"
    assert parse_command("help").name == "help"
    assert parse_command("help me decide whether the troops left").name == "ask"
    assert parse_command("latest Freedonia").args == ("Freedonia",)
    assert parse_command("latest news says the troops are leaving the border today").name == "ask"
    assert parse_command("forget 12").args == ("12",)
    assert parse_command("forget the troops, are they leaving?").name == "ask"
    assert parse_command("ingest").name == "ingest" and parse_command("ingest https://example.org/a").args
    assert parse_command("sources").name == "sources" and parse_command("sources say the port reopened").name == "ask"
    public = parse_command("--public Is the harbour open?")
    assert (public.name, public.public, public.text) == ("ask", True, "Is the harbour open?")
    assert question_text("<@UBOT> is <https://a.example/x|this> true? <!channel>") == "is https://a.example/x true?"


def test_help_is_answered_on_the_response_url(running: Running) -> None:
    ack, url = running.slack.command("help")
    assert ack.status == 200
    (message,) = responses(running.fake, url)
    assert message["response_type"] == "ephemeral"
    assert "/crosscheck latest" in all_text(message)


def test_question_answer_is_grouped_by_side_with_buttons(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    ack, url = running.slack.command("--public Are the troops pulling back from the border?")
    assert ack.status == 200
    (message,) = responses(running.fake, url)
    assert message["response_type"] == "in_channel"
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds[0] == "header" and "actions" in kinds and len(kinds) <= blocks.MAX_BLOCKS
    text = all_text(message)
    assert "*Freedonia*" in text and "*Sylvania*" in text and "Rufus Firefly" in text
    # the direct quote in quotation marks, the paraphrase without
    assert "“Sylvania is not withdrawing a single soldier from the border”" in text
    assert "“Freedonia will" not in text and "Freedonia will pull its troops back" in text
    assert "Why: test stance" in text
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    assert {e["action_id"] for e in actions["elements"]} == {blocks.WRONG_MATCH, blocks.WRONG_STANCE}


def test_workspaces_never_see_each_others_claims(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS, name="t1.jsonl")
    add_claims(running.service, "T2", T2_CLAIMS, name="t2.jsonl")
    _, url = running.slack.command("Did the harbour reopen to grain ships?", team="T1")
    (t1_answer,) = responses(running.fake, url)
    assert "Marsalia" not in all_text(t1_answer) and "I found nothing" in all_text(t1_answer)
    _, url = running.slack.command("Did the harbour reopen to grain ships?", team="T2")
    assert "Marsalia" in all_text(responses(running.fake, url)[0])
    _, url = running.slack.command("sources", team="T2")
    sources = all_text(responses(running.fake, url)[0])
    assert "t2.jsonl" not in sources or "t1.jsonl" not in sources
    _, url = running.slack.command("latest", team="T2")
    latest = all_text(responses(running.fake, url)[0])
    assert "Freedonia" not in latest and "Sylvania" not in latest


def test_members_are_refused_admin_commands(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    source_id = running.service.sources(Requester("T1"))[0].id
    for text in ("ingest https://news.example/article", f"forget {source_id}", "feedback"):
        _, url = running.slack.command(text, user=MEMBER)
        (message,) = responses(running.fake, url)
        assert message["response_type"] == "ephemeral"
        assert "Only admins can" in all_text(message)
    assert running.service.ingested == []
    assert [s.id for s in running.service.sources(Requester("T1"))] == [source_id]
    assert any(c.params.get("user") == MEMBER for c in running.fake.of("users.info"))


def test_workspace_admins_and_configured_admins_may_forget(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS, name="one.jsonl")
    add_claims(running.service, "T1", T2_CLAIMS, name="two.jsonl")
    first, second = sorted(s.id for s in running.service.sources(Requester("T1")))
    _, url = running.slack.command(f"forget {first}", user=ADMIN)  # admin per users.info
    assert "Forgot source" in all_text(responses(running.fake, url)[0])
    _, url = running.slack.command(f"forget {second}", user=CONFIGURED_ADMIN)  # admin per configuration
    assert "Forgot source" in all_text(responses(running.fake, url)[0])
    assert running.service.sources(Requester("T1")) == []
    assert not any(c.params.get("user") == CONFIGURED_ADMIN for c in running.fake.of("users.info"))


def test_a_slow_ingest_does_not_delay_the_acknowledgement(running: Running) -> None:
    running.service.hold = threading.Event()
    ack, url = running.slack.command("ingest https://news.example/live", user=ADMIN)
    # the acknowledgement came back while the ingest is still held: it did not wait for the work
    assert ack.status == 200 and "Working on it" in ack.body
    assert running.service.entered.wait(20) and not running.service.hold.is_set()
    assert running.service.ingested == [] and running.fake.of("response") == []
    running.service.hold.set()
    (message,) = responses(running.fake, url)
    assert "Ingested" in all_text(message)
    assert running.service.ingested[0]["target"] == "https://news.example/live"
    assert running.service.ingested[0]["who"] == Requester("T1", ADMIN, is_admin=True)


# ---- events -------------------------------------------------------------------------------------------------


def mention(text: str, ts: str = "100.1") -> dict:
    return {"type": "app_mention", "user": MEMBER, "text": text, "ts": ts, "channel": "C1", "event_ts": ts}


def test_a_mention_is_answered_in_a_thread(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    assert running.slack.event(mention("<@UBOT> are troops leaving the border?")).status == 200
    (post,) = running.fake.wait_calls("chat.postMessage")
    assert post.params["thread_ts"] == "100.1" and post.params["channel"] == "C1"
    assert "Freedonia" in json.dumps(post.params["blocks"])
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def test_a_retried_event_is_handled_once_also_by_another_replica(running: Running, tmp_path: Path) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    event = mention("<@UBOT> are troops leaving the border?")
    assert running.slack.event(event, event_id="EvSame").status == 200
    running.fake.wait_calls("chat.postMessage")
    assert running.slack.event(event, event_id="EvSame", retry=1).status == 200
    # a second replica on the same database gets the next retry
    replica_service = RecordingService(settings_for(tmp_path))
    replica = start(replica_service, running.fake)
    try:
        again = SlackSender(f"http://127.0.0.1:{replica.port}", running.fake)
        assert again.event(event, event_id="EvSame", retry=2).status == 200
        assert again.event(mention("<@UBOT> anything on the border?", "100.2"), event_id="EvOther").status == 200
        running.fake.wait_calls("chat.postMessage", 2)  # the new event went through the replica
    finally:
        replica.stop()
    assert len(running.fake.of("chat.postMessage")) == 2


def test_an_empty_mention_gets_an_ephemeral_sentence(running: Running) -> None:
    running.slack.event(mention("<@UBOT>"))
    (call,) = running.fake.wait_calls("chat.postEphemeral")
    assert call.params["user"] == MEMBER and "Ask me a question" in call.params["text"]
    assert running.fake.of("chat.postMessage") == []


def test_uninstall_deletes_the_workspace_and_only_it(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    add_claims(running.service, "T2", T2_CLAIMS)
    assert running.slack.event({"type": "app_uninstalled"}, team="T1").status == 200
    running.fake.wait_for(lambda _calls: not running.service.claims(Requester("T1")))
    assert running.service.claims(Requester("T1")) == [] and running.service.sources(Requester("T1")) == []
    assert len(running.service.claims(Requester("T2"))) == 1


def test_tokens_revoked_deletes_the_workspace(running: Running) -> None:
    add_claims(running.service, "T2", T2_CLAIMS)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert running.slack.event(event, team="T2").status == 200
    running.fake.wait_for(lambda _calls: not running.service.claims(Requester("T2")))


# ---- buttons, shortcuts, modals -------------------------------------------------------------------------------


def test_feedback_buttons_store_the_question_and_the_claim(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    _, url = running.slack.command("Are troops leaving the border?")
    (message,) = responses(running.fake, url)
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    wrong_stance = next(e for e in actions["elements"] if e["action_id"] == blocks.WRONG_STANCE)
    running.slack.button(blocks.WRONG_STANCE, wrong_stance["value"])
    # two statements were shown: a modal asks which one
    (opened,) = running.fake.wait_calls("views.open")
    view = opened.params["view"]
    options = view["blocks"][0]["element"]["options"]
    chosen = options[0]
    submission = {
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": MEMBER, "team_id": "T1"}, "api_app_id": "A1",
        "view": {**view, "id": "V1", "team_id": "T1", "state": {"values": {"claims": {"claims": {
            "type": "multi_static_select", "selected_options": [chosen]}}}}},
    }  # fmt: skip
    assert running.slack.interaction(submission).status == 200
    running.fake.wait_for(lambda _c: running.service.list_feedback(Requester("T1", is_admin=True)))
    (row,) = running.service.list_feedback(Requester("T1", is_admin=True))
    assert (row.kind, row.claim_id, row.user) == ("wrong_stance", int(chosen["value"]), MEMBER)
    assert row.question == "Are troops leaving the border?"
    # an admin lists it in Slack too
    _, url = running.slack.command("feedback", user=ADMIN)
    assert "wrong stance" in all_text(responses(running.fake, url)[0])


def test_feedback_on_a_single_statement_needs_no_modal(running: Running) -> None:
    add_claims(running.service, "T2", T2_CLAIMS)
    claim_id = running.service.claims(Requester("T2"))[0].id
    url = running.slack.button(blocks.WRONG_MATCH, json.dumps({"q": "harbour?", "ids": [claim_id]}), team="T2")
    assert "Thanks" in all_text(responses(running.fake, url)[0])
    (row,) = running.service.list_feedback(Requester("T2", is_admin=True))
    assert (row.kind, row.claim_id, row.question) == ("wrong_match", claim_id, "harbour?")
    # a claim of another workspace can't be reported from here
    url = running.slack.button(blocks.WRONG_MATCH, json.dumps({"q": "x", "ids": [claim_id]}), team="T1")
    assert "no longer stored" in all_text(responses(running.fake, url)[0])


def test_the_message_shortcut_asks_the_message_text(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    url = running.slack.response_url()
    payload = {
        "type": "message_action", "callback_id": "crosscheck_message", "team": {"id": "T1"},
        "user": {"id": MEMBER, "team_id": "T1"}, "channel": {"id": "C1"}, "trigger_id": "t", "response_url": url,
        "message": {"type": "message", "text": "I heard the troops are leaving the border", "ts": "5.5"},
    }  # fmt: skip
    assert running.slack.interaction(payload).status == 200
    (message,) = responses(running.fake, url)
    assert "Freedonia" in all_text(message) and message["response_type"] == "ephemeral"


def test_admins_paste_an_article_in_a_modal(running: Running) -> None:
    ack, url = running.slack.command("ingest", user=ADMIN)
    assert ack.status == 200
    (opened,) = running.fake.wait_calls("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "crosscheck_paste"
    submission = {
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": ADMIN, "team_id": "T1"}, "api_app_id": "A1",
        "view": {**view, "id": "V2", "team_id": "T1", "state": {"values": {
            "title": {"title": {"type": "plain_text_input", "value": "Border talks"}},
            "article": {"text": {"type": "plain_text_input", "value": "The envoy said the talks would go on."}}}}},
    }  # fmt: skip
    assert running.slack.interaction(submission).status == 200
    assert "Ingested" in all_text(responses(running.fake, url)[0])
    (done,) = running.service.ingested
    assert done["data"] == b"Border talks\n\nThe envoy said the talks would go on."
    # members get no modal
    running.slack.command("ingest", user=MEMBER)
    assert len(running.fake.of("views.open")) == 1


def test_show_more_pages_through_a_200_statement_answer_within_limits(running: Running) -> None:
    running.service.scripted_answer = big_answer(200)
    _, url = running.slack.command("Is the border open?")
    seen: list[int] = []
    message = responses(running.fake, url)[0]
    for _page in range(60):
        check_limits(message["blocks"])
        seen.extend(int(x) for x in _statement_ids(message["blocks"]))
        more = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == blocks.SHOW_MORE]  # fmt: skip
        if not more:
            break
        message = responses(running.fake, running.slack.button(blocks.SHOW_MORE, more[0]["value"]))[0]
    assert sorted(seen) == list(range(1, 201))  # every statement shown exactly once over the pages


def test_rate_limits_are_waited_out_and_api_errors_answered(running: Running) -> None:
    add_claims(running.service, "T1", T1_CLAIMS)
    running.fake.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    running.slack.event(mention("<@UBOT> are troops leaving the border?", "7.1"))
    posts = running.fake.wait_calls("chat.postMessage", 2)  # the same message again after Retry-After
    assert posts[0].params["thread_ts"] == posts[1].params["thread_ts"] == "7.1"
    running.fake.script("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    running.slack.event(mention("<@UBOT> are troops leaving the border?", "7.2"))
    (sorry,) = running.fake.wait_calls("chat.postEphemeral")
    assert "Slack refused my reply" in sorry.params["text"]
    ack, url = running.slack.command("help")  # and the app still answers
    assert ack.status == 200 and responses(running.fake, url)


# ---- files ------------------------------------------------------------------------------------------------------


def test_an_admin_shares_a_text_file_and_it_is_ingested_once(running: Running) -> None:
    running.fake.add_file("F1", "report.txt", b"The minister said the bridge will reopen.", mimetype="text/plain")
    file_event = {"type": "file_shared", "file_id": "F1", "user_id": ADMIN, "channel_id": "D1", "file": {"id": "F1"}}
    message_event = {"type": "message", "subtype": "file_share", "user": ADMIN, "channel": "D1", "channel_type": "im",
                     "files": [{"id": "F1"}], "ts": "9.9"}  # fmt: skip
    running.slack.event(file_event)
    running.slack.event(message_event)
    (post,) = running.fake.wait_calls("chat.postMessage")
    assert post.params["channel"] == "D1" and "Ingested" in post.params["text"]
    (download,) = running.fake.of("GET /files/F1")
    assert download.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert [d["data"] for d in running.service.ingested] == [b"The minister said the bridge will reopen."]
    assert running.service.ingested[0]["name"] == "report.txt"


def test_files_from_members_and_other_kinds_are_not_ingested(running: Running) -> None:
    running.fake.add_file("F2", "notes.txt", b"A member's notes.")
    running.fake.add_file("F3", "photo.png", b"\x89PNG", mimetype="image/png", filetype="png")
    running.slack.event({"type": "file_shared", "file_id": "F2", "user_id": MEMBER, "channel_id": "D2"})
    running.slack.event({"type": "file_shared", "file_id": "F3", "user_id": ADMIN, "channel_id": "D3"})
    (refusal,) = running.fake.wait_calls("chat.postMessage")
    assert refusal.params["channel"] == "D2" and "Only admins" in refusal.params["text"]
    running.fake.wait_for(lambda calls: [c for c in calls if c.method == "files.info" and c.params["file"] == "F3"])
    assert running.service.ingested == [] and running.fake.of("GET /files/F2") == []


def test_no_token_or_secret_reaches_the_log(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    add_claims(running.service, "T1", T1_CLAIMS)
    running.slack.event(mention("<@UBOT> are troops leaving the border?", "8.1"))
    running.fake.wait_calls("chat.postMessage")
    running.fake.add_file("F9", "a.txt", b"The mayor said the square will be renamed.")
    running.slack.event({"type": "file_shared", "file_id": "F9", "user_id": ADMIN, "channel_id": "D9"})
    running.fake.wait_calls("chat.postMessage", 2)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # the run did log (at DEBUG, the Web API calls)
    assert BOT_TOKEN not in logged and SECRET not in logged


# ---- helpers ---------------------------------------------------------------------------------------------------


def claim(i: int, actor: str) -> ClaimView:
    return ClaimView(id=i, text=f"statement number {i} " + "about the border " * 20, sentence="", kind="indirect",
                     speaker=f"Speaker {i}", actor=actor, source_url="https://news.example/live", source_title="Live")  # fmt: skip


def big_answer(n: int) -> Answer:
    """n statements over 25 sides, supporting and contradicting, most of them hidden behind "and N more"."""
    groups: dict[tuple[str, str], list[Match]] = {}
    for i in range(1, n + 1):
        stance = "supports" if i % 3 else "contradicts"
        actor = f"Side {i % 25}"
        m = Match(claim=claim(i, actor), score=0.9, stance=stance, reason=f"reason {i % 4}", tier="strong")  # type: ignore[arg-type]
        groups.setdefault((stance, actor), []).append(m)
    made = {
        s: tuple(SideGroup(actor=a, stance=s, matches=tuple(ms[:3]), hidden=tuple(ms[3:]))  # type: ignore[arg-type]
                 for (st, a), ms in groups.items() if st == s)
        for s in ("supports", "contradicts")
    }  # fmt: skip
    return Answer(query="Is the border open?", supporting=made["supports"], contradicting=made["contradicts"])


def check_limits(message_blocks: list[dict]) -> None:
    assert len(message_blocks) <= blocks.MAX_BLOCKS
    for b in message_blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= blocks.MAX_SECTION_CHARS
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= blocks.MAX_HEADER_CHARS
        if b["type"] == "actions":
            assert all(len(e["value"]) <= blocks.MAX_BUTTON_VALUE for e in b["elements"])


def _statement_ids(message_blocks: list[dict]) -> list[str]:
    import re

    text = " ".join(b["text"]["text"] for b in message_blocks if b["type"] == "section")
    return re.findall(r"statement number (\d+) ", text)
