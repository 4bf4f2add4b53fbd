"""The Slack app: Bolt listeners that turn commands, mentions, shortcuts, buttons and files into core calls.

Every listener acknowledges at once and does slow work (asking, fetching, ingesting) in a lazy listener.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.webhook import WebhookClient

from adapters.slack import blocks
from adapters.slack.files import download, is_article
from bot.config import Settings
from bot.errors import BadInput, CrosscheckError, NotAllowed
from bot.service import Crosscheck, Requester

log = logging.getLogger(__name__)

COMMAND = "/crosscheck"
MESSAGE_SHORTCUT = "crosscheck_message"  # "Cross-check this message"
PASTE_SHORTCUT = "crosscheck_paste_article"  # global shortcut: the paste modal
PASTE_VIEW = "crosscheck_paste"
FEEDBACK_VIEW = "crosscheck_feedback"
BOT_SCOPES = ("app_mentions:read", "chat:write", "commands", "files:read", "im:history", "users:read")
ADMIN_CACHE_SECONDS = 60.0
MAX_PASTE_CHARS = 3_000  # Slack's limit for a plain_text_input
PUBLIC_FLAGS = ("--public", "--share")

HELP = """*Ask me* whether a claim is supported or contradicted, and by whom:
`/crosscheck Is Russia pulling back its troops?` — only you see the answer; add `--public` first to post it here.
You can also mention me with a question (I answer in a thread), or use the message menu: *Cross-check this message*.
*Commands*
`/crosscheck latest [side]` — the newest updates and their statements
`/crosscheck sources` — the articles I have read
`/crosscheck help` — this text
`/crosscheck latest --new` — only what arrived since this channel last asked
`/crosscheck subscribe NATO` · `subscribe topic:"troop withdrawal"` · `subscribe alerts` — this channel gets new statements and contradictions as they arrive · `unsubscribe …` · `subscriptions`
`/crosscheck actor NAME` — a side's or speaker's statements over time, and where it contradicts itself
*Admins*
`/crosscheck follow URL 5m` — poll a live blog · `unfollow URL` · `following`
`/crosscheck ingest URL` — read an article; `/crosscheck ingest` alone opens a box to paste one
Share a .txt or .html file with me to add it · `/crosscheck forget ID` removes a source · `/crosscheck feedback` lists reports
Every answer has *Wrong match* / *Wrong stance* buttons: they tell the admins which statements were off."""

# the first word picks a subcommand only when the words after it fit that subcommand
_NO_ARGS = ("help", "sources", "feedback", "following", "subscriptions")
_FOLLOW_COMMANDS = ("follow", "unfollow", "subscribe", "unsubscribe", "actor")  # take the rest of the text
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


@dataclass(frozen=True)
class Command:
    """A parsed `/crosscheck` text: a subcommand and its words, or a question ("ask")."""

    name: str
    args: tuple[str, ...] = ()
    public: bool = False
    text: str = ""


def parse_command(text: str) -> Command:
    words = (text or "").split()
    public = bool(words) and words[0].lower() in PUBLIC_FLAGS
    if public:
        words = words[1:]
    question = " ".join(words)
    if not words:
        return Command("help", public=public)
    first, rest = words[0].lower(), tuple(words[1:])
    if first in _NO_ARGS and not rest:
        return Command(first, public=public)
    if first == "latest" and len(rest) <= 3:
        return Command("latest", rest, public=public)
    if first == "forget" and len(rest) == 1 and rest[0].isdigit():
        return Command("forget", rest)
    if first == "ingest" and len(rest) <= 1:
        return Command("ingest", rest)
    if first == "follow" and rest and not rest[0].lstrip("<").lower().startswith(("http://", "https://")):
        return Command("ask", public=public, text=question)  # "follow the money…" is a question
    if first in _FOLLOW_COMMANDS and (rest or first == "unsubscribe") and len(rest) <= 8:
        return Command(first, rest, public=public, text=" ".join(rest))
    return Command("ask", public=public, text=question)


def question_text(text: str | None) -> str:
    """A message's text as a question: mentions of people and the bot removed, Slack's escapes undone."""
    text = _MENTION.sub(" ", text or "")
    text = re.sub(r"<(https?://[^|>]+)(\|[^>]*)?>", r"\1", text)  # links keep their address
    text = re.sub(r"<![^>]*>", " ", text)  # @here, @channel and the like are not part of a question
    return " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())


class Admins:
    """Who is an admin: the configured list, or a workspace admin/owner per users.info (cached briefly)."""

    def __init__(self, service: Crosscheck, ttl: float = ADMIN_CACHE_SECONDS) -> None:
        self.service = service
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def is_admin(self, client: WebClient, workspace: str, user: str) -> bool:
        if user in self.service.settings.admin_users:
            return True
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get((workspace, user))
        if cached and cached[0] > now:
            return cached[1]
        try:
            info = client.users_info(user=user)
        except SlackApiError as error:
            # not cached: a passing API error should not lock an admin out for a minute
            log.warning("users.info failed workspace=%s user=%s error=%s", workspace, user, _api_error(error))
            return False
        person = info.get("user") or {}
        admin = bool(person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner"))
        with self._lock:
            self._cache[(workspace, user)] = (now + self.ttl, admin)
        return admin


def _api_error(error: SlackApiError) -> str:
    response = getattr(error, "response", None)
    try:
        return f"{response.status_code} {response.get('error')}" if response is not None else str(error)
    except Exception:  # a malformed response must not hide the original failure
        return type(error).__name__


def _workspace(context: BoltContext, body: dict[str, Any]) -> str:
    workspace = context.team_id or context.enterprise_id or body.get("team_id")
    if not workspace:
        raise BadInput("I could not tell which Slack workspace this came from.")
    return str(workspace)


SORRY = "Something went wrong on my side; an admin can find the details in the bot's log."


class SlackBot:
    """The listeners, holding the core service and the per-process admin cache."""

    def __init__(self, service: Crosscheck, installation_store: InstallationStore | None, api_base_url: str) -> None:
        self.service = service
        self.admins = Admins(service)
        self.installation_store = installation_store
        self.api_base_url = api_base_url

    # ---- helpers -------------------------------------------------------------------------------------------

    def requester(self, client: WebClient, context: BoltContext, body: dict[str, Any], *, admin: bool) -> Requester:
        """Workspace = team_id; the users.info look-up happens only for commands that need an admin."""
        workspace = _workspace(context, body)
        user = str(context.user_id or "")
        if not user:
            raise BadInput("I could not tell who sent this.")
        is_admin = admin and self.admins.is_admin(client, workspace, user)
        return Requester(workspace=workspace, user=user, is_admin=is_admin)

    def guarded(self, reply: Callable[[str], None], work: Callable[[], None]) -> None:
        """Runs slow work; errors become one sentence for the user (never a traceback), details go to the log."""
        try:
            work()
        except CrosscheckError as error:
            self._tell(reply, str(error))
        except SlackApiError as error:
            log.warning("Slack API error: %s", _api_error(error))
            self._tell(reply, "Slack refused my reply; please try again in a minute.")
        except Exception:
            log.exception("unexpected error in a Slack listener")
            self._tell(reply, SORRY)

    @staticmethod
    def _tell(reply: Callable[[str], None], message: str) -> None:
        try:
            reply(message)
        except Exception as error:  # the reply channel itself failed (expired response_url, API error)
            log.warning("could not tell the user: %s", type(error).__name__)

    @staticmethod
    def ephemeral(respond: Respond) -> Callable[[str], None]:
        def reply(message: str) -> None:
            rendered = blocks.text_blocks(message)
            respond(text=rendered.text, blocks=rendered.blocks, response_type="ephemeral", replace_original=False)

        return reply

    @staticmethod
    def respond_rendered(respond: Respond, rendered: blocks.Rendered, *, public: bool = False) -> None:
        respond(
            text=rendered.text,
            blocks=rendered.blocks,
            response_type="in_channel" if public else "ephemeral",
            replace_original=False,
        )

    @staticmethod
    def post_ephemeral(
        client: WebClient, channel: str, user: str, thread_ts: str | None = None
    ) -> Callable[[str], None]:
        def reply(message: str) -> None:
            rendered = blocks.text_blocks(message)
            client.chat_postEphemeral(
                channel=channel, user=user, text=rendered.text, blocks=rendered.blocks, thread_ts=thread_ts
            )

        return reply

    # ---- /crosscheck ---------------------------------------------------------------------------------------

    def ack_command(self, ack: Ack, command: dict[str, Any]) -> None:
        parsed = parse_command(command.get("text", ""))
        if parsed.name == "ingest" and parsed.args:
            ack(text="Working on it: I'll fetch and read that article, then tell you the result.")
        else:
            ack()

    def run_command(self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        parsed = parse_command(body.get("text", ""))
        reply = self.ephemeral(respond)

        def work() -> None:
            admin = parsed.name in ("ingest", "forget", "feedback", "follow", "unfollow")
            who = self.requester(client, context, body, admin=admin)
            service = self.service
            if parsed.name == "help":
                self.respond_rendered(respond, blocks.text_blocks(HELP, escaped=True))
            elif parsed.name == "latest" and "--new" in parsed.args:
                new = service.latest_new(who, "slack", str(body.get("channel_id") or ""))
                self.respond_rendered(respond, blocks.latest_new_blocks(new), public=parsed.public)
            elif parsed.name in (
                "follow",
                "unfollow",
                "following",
                "subscribe",
                "unsubscribe",
                "subscriptions",
                "actor",
            ):
                self.run_follow_command(parsed, who, str(body.get("channel_id") or ""), respond, reply)
            elif parsed.name == "latest":
                latest = service.latest(who, actor=" ".join(parsed.args) or None)
                self.respond_rendered(respond, blocks.latest_blocks(latest), public=parsed.public)
            elif parsed.name == "sources":
                self.respond_rendered(respond, blocks.sources_blocks(service.sources(who)), public=parsed.public)
            elif parsed.name == "feedback":
                self.respond_rendered(respond, _feedback_blocks(service, who))
            elif parsed.name == "forget":
                label = service.forget(who, int(parsed.args[0]))
                reply(f"Forgot source {parsed.args[0]} ({label}) and its claims.")
            elif parsed.name == "ingest" and parsed.args:
                report = service.ingest(who, parsed.args[0].strip("<>").split("|")[0])
                self.respond_rendered(respond, blocks.ingest_blocks(report))
            elif parsed.name == "ingest":
                self.open_paste_modal(client, who, body.get("trigger_id"), body.get("response_url"))
            else:
                answer = service.ask(who, parsed.text)
                self.respond_rendered(respond, blocks.answer_blocks(answer), public=parsed.public)

        self.guarded(reply, work)

    def run_follow_command(
        self, parsed: Command, who: Requester, channel: str, respond: Respond, reply: Callable[[str], None]
    ) -> None:
        """follow / unfollow / following (admins) · subscribe / unsubscribe / subscriptions (this channel) · actor."""
        from bot.follow.views import describe_interval

        service, args = self.service, parsed.args
        if parsed.name == "follow":
            every = args[1] if len(args) > 1 else "5m"
            view, new = service.follow(who, args[0], every)
            reply(
                f"{'Following' if new else 'Still following'} {view.url} every {describe_interval(view.every_seconds)}."
            )
        elif parsed.name == "unfollow":
            reply(f"No longer following {service.unfollow(who, args[0])}; its statements stay stored.")
        elif parsed.name == "following":
            lines = [blocks.escape(f.summary) for f in service.followed(who)]
            self.respond_rendered(respond, blocks.list_blocks("Followed sources", lines or ["Following nothing yet."]))
        elif parsed.name == "subscribe":
            sub, new = service.subscribe(who, "slack", channel, parsed.text)
            reply(f"{'This channel now gets' if new else 'This channel already gets'} {sub.summary}.")
        elif parsed.name == "unsubscribe":
            removed = service.unsubscribe(who, "slack", channel, parsed.text or None)
            reply(f"Removed {removed} subscription{'s' if removed != 1 else ''} of this channel.")
        elif parsed.name == "subscriptions":
            lines = [blocks.escape(s.summary) for s in service.subscriptions(who, "slack", channel)]
            self.respond_rendered(respond, blocks.list_blocks("This channel gets", lines or ["No subscriptions."]))
        else:
            timeline = service.actor_timeline(who, parsed.text)
            self.respond_rendered(respond, blocks.timeline_blocks(timeline), public=parsed.public)

    # ---- the paste modal (admins) --------------------------------------------------------------------------

    def open_paste_modal(
        self, client: WebClient, who: Requester, trigger_id: str | None, response_url: str | None
    ) -> None:
        if not self.service.is_admin(who):
            raise NotAllowed(
                "Only admins can add articles. Ask a workspace admin, or one listed in CROSSCHECK_ADMIN_USERS."
            )
        if not trigger_id:
            raise BadInput("Slack sent no trigger for a dialog; use `/crosscheck ingest` again.")
        client.views_open(trigger_id=trigger_id, view=paste_view(response_url))

    def run_paste_shortcut(self, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        try:
            who = self.requester(client, context, body, admin=True)
            self.open_paste_modal(client, who, body.get("trigger_id"), None)
        except CrosscheckError as error:
            client.views_open(trigger_id=body.get("trigger_id", ""), view=notice_view("Add an article", str(error)))
        except SlackApiError as error:
            log.warning("views.open failed: %s", _api_error(error))

    def ack_paste(self, ack: Ack, view: dict[str, Any]) -> None:
        text = _view_value(view, "article", "text")
        if not text.strip():
            ack(response_action="errors", errors={"article": "Paste the article's text here."})
            return
        ack()

    def run_paste(self, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        meta = _json(view.get("private_metadata"))
        reply = self._reply_to_user(client, context, body, meta.get("response_url"))

        def work() -> None:
            who = self.requester(client, context, body, admin=True)
            title = _view_value(view, "title", "title").strip()
            text = _view_value(view, "article", "text")
            data = ((title + "\n\n") if title else "").encode() + text.encode()
            report = self.service.ingest(who, data=data, name=(title or "pasted text")[:200] + ".txt")
            reply(report.summary)

        self.guarded(reply, work)

    def _reply_to_user(
        self, client: WebClient, context: BoltContext, body: dict[str, Any], response_url: str | None
    ) -> Callable[[str], None]:
        """Where a modal's result goes: the command's response_url if there was one, else a direct message."""

        def reply(message: str) -> None:
            rendered = blocks.text_blocks(message)
            if response_url:
                WebhookClient(response_url).send(
                    text=rendered.text, blocks=rendered.blocks, response_type="ephemeral", replace_original=False
                )
            else:
                client.chat_postMessage(channel=str(context.user_id), text=rendered.text, blocks=rendered.blocks)

        return reply

    # ---- mentions, direct messages, the message shortcut ---------------------------------------------------

    def run_mention(self, event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        channel, user = event.get("channel", ""), event.get("user", "")
        thread = event.get("thread_ts") or event.get("ts")
        reply = self.post_ephemeral(client, channel, user, thread)

        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            answer = self.service.ask(who, question_text(event.get("text")))
            rendered = blocks.answer_blocks(answer)
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread,
                text=rendered.text,
                blocks=rendered.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )

        self.guarded(reply, work)

    def run_direct_message(
        self, event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        channel = event.get("channel", "")

        def reply(message: str) -> None:
            client.chat_postMessage(channel=channel, text=message, blocks=blocks.text_blocks(message).blocks)

        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            rendered = blocks.answer_blocks(self.service.ask(who, question_text(event.get("text"))))
            client.chat_postMessage(
                channel=channel, text=rendered.text, blocks=rendered.blocks, unfurl_links=False, unfurl_media=False
            )

        self.guarded(reply, work)

    def run_message_shortcut(
        self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            message = body.get("message") or {}
            answer = self.service.ask(who, question_text(message.get("text")))
            self.respond_rendered(respond, blocks.answer_blocks(answer))

        self.guarded(self.ephemeral(respond), work)

    # ---- buttons on answers --------------------------------------------------------------------------------

    def run_show_more(self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            value = _json(_action(body).get("value"))
            answer = self.service.ask(who, str(value.get("q") or ""))
            offset = value.get("o")
            rendered = blocks.answer_blocks(answer, offset=offset if isinstance(offset, int) and offset >= 0 else 0)
            self.respond_rendered(respond, rendered)

        self.guarded(self.ephemeral(respond), work)

    def run_feedback_button(
        self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        reply = self.ephemeral(respond)

        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            action = _action(body)
            kind = "wrong_match" if action.get("action_id") == blocks.WRONG_MATCH else "wrong_stance"
            value = _json(action.get("value"))
            question = str(value.get("q") or "")
            ids = [i for i in value.get("ids", []) if isinstance(i, int)]
            claims = self.service.store.claims_by_id(who.workspace, ids)
            shown = [claims[i] for i in ids if i in claims]
            if not shown:
                raise BadInput("Those statements are no longer stored, so there is nothing to report.")
            if len(shown) == 1:
                self.service.feedback(who, question, shown[0].id, kind)
                reply(_thanks(kind, 1))
                return
            meta = {"q": question[:2_000], "kind": kind, "response_url": body.get("response_url")}
            client.views_open(trigger_id=body.get("trigger_id", ""), view=feedback_view(kind, shown, meta))

        self.guarded(reply, work)

    def ack_feedback(self, ack: Ack, view: dict[str, Any]) -> None:
        if not _view_selected(view):
            ack(response_action="errors", errors={"claims": "Pick at least one statement."})
            return
        ack()

    def run_feedback(self, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        meta = _json(view.get("private_metadata"))
        reply = self._reply_to_user(client, context, body, meta.get("response_url"))

        def work() -> None:
            who = self.requester(client, context, body, admin=False)
            kind = str(meta.get("kind") or "")
            chosen = _view_selected(view)
            for claim_id in chosen:
                self.service.feedback(who, str(meta.get("q") or ""), claim_id, kind)
            reply(_thanks(kind, len(chosen)))

        self.guarded(reply, work)

    # ---- files (admins) ------------------------------------------------------------------------------------

    def run_file_shared(
        self, event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        file_id = event.get("file_id") or (event.get("file") or {}).get("id")
        if file_id:
            self._ingest_file(
                str(file_id), event.get("channel_id", ""), event.get("user_id", ""), body, client, context
            )

    def run_file_message(
        self, event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        for file in event.get("files") or []:
            if file.get("id"):
                self._ingest_file(
                    str(file["id"]), event.get("channel", ""), event.get("user", ""), body, client, context
                )

    def _ingest_file(
        self, file_id: str, channel: str, user: str, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        workspace = _workspace(context, body)
        # file_shared and message/file_share both announce one upload; replicas share this memory via the database
        if not self.service.store.first_time(f"slack:file:{workspace}:{file_id}"):
            return
        direct = channel.startswith("D")

        def reply(message: str) -> None:
            rendered = blocks.text_blocks(message)
            if direct:
                client.chat_postMessage(channel=channel, text=rendered.text, blocks=rendered.blocks)
            elif channel:
                client.chat_postEphemeral(channel=channel, user=user, text=rendered.text, blocks=rendered.blocks)

        def work() -> None:
            file = (client.files_info(file=file_id).get("file")) or {}
            if not is_article(file):
                return  # images, PDFs and the like are not articles: stay quiet
            who = Requester(workspace=workspace, user=user, is_admin=self.admins.is_admin(client, workspace, user))
            if not self.service.is_admin(who):
                if direct:  # in a channel, a non-admin's text file is most likely not meant for the bot
                    raise NotAllowed("Only admins can add articles. Ask a workspace admin to share the file with me.")
                return
            size = int(file.get("size") or 0)
            limit = self.service.settings.max_article_bytes
            if size > limit:
                raise BadInput(f"That file is {size / 1e6:.1f} MB; the limit for an article is {limit / 1e6:.1f} MB.")
            url = file.get("url_private_download") or file.get("url_private")
            token = context.bot_token or client.token
            if not url or not token:
                raise BadInput("Slack did not give me a way to download that file.")
            data = download(str(url), token, api_base_url=self.api_base_url, max_bytes=limit)
            report = self.service.ingest(who, data=data, name=str(file.get("name") or file_id))
            reply(report.summary)

        self.guarded(reply, work)

    # ---- uninstall -----------------------------------------------------------------------------------------

    def on_app_uninstalled(self, body: dict[str, Any], context: BoltContext) -> None:
        workspace = _workspace(context, body)
        if self.installation_store is not None:
            self.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        self.service.delete_workspace(workspace)

    def on_tokens_revoked(self, event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        if self.installation_store is not None:
            for user_id in tokens.get("oauth") or []:
                self.installation_store.delete_installation(
                    enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
                )
            if tokens.get("bot"):
                self.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=context.team_id)
        if tokens.get("bot"):  # without its bot token the app is gone from the workspace: so is its data
            self.service.delete_workspace(_workspace(context, body))


# ---- views -----------------------------------------------------------------------------------------------------


def paste_view(response_url: str | None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": PASTE_VIEW,
        "title": {"type": "plain_text", "text": "Add an article"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"response_url": response_url} if response_url else {}),
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "optional": True,
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "title", "max_length": 200},
            },
            {
                "type": "input",
                "block_id": "article",
                "label": {"type": "plain_text", "text": "Article text"},
                "hint": {
                    "type": "plain_text",
                    "text": "Up to 3,000 characters; share a .txt or .html file with me for longer articles.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": MAX_PASTE_CHARS,
                },
            },
        ],
    }


def notice_view(title: str, message: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": blocks.plain(title, 24)},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks.text_blocks(message).blocks,
    }


def feedback_view(kind: str, claims: list[Any], meta: dict[str, Any]) -> dict[str, Any]:
    options = [
        {
            "text": {"type": "plain_text", "text": blocks.plain(f"{c.speaker or 'unknown'}: {blocks.said(c)}", 75)},
            "value": str(c.id),
        }
        for c in claims[:100]
    ]
    label = "matched the question wrongly" if kind == "wrong_match" else "has the wrong stance"
    return {
        "type": "modal",
        "callback_id": FEEDBACK_VIEW,
        "title": {"type": "plain_text", "text": "Report a statement"},
        "submit": {"type": "plain_text", "text": "Report"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta)[:3_000],
        "blocks": [
            {
                "type": "input",
                "block_id": "claims",
                "label": {"type": "plain_text", "text": f"Which statement {label}?"},
                "element": {"type": "multi_static_select", "action_id": "claims", "options": options},
            }
        ],
    }


def _view_value(view: dict[str, Any], block_id: str, action_id: str) -> str:
    value = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(action_id, {}).get("value")
    return str(value or "")


def _view_selected(view: dict[str, Any]) -> list[int]:
    field = ((view.get("state") or {}).get("values") or {}).get("claims", {}).get("claims", {})
    chosen = field.get("selected_options") or []
    return [int(o["value"]) for o in chosen if str(o.get("value", "")).isdigit()]


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return dict(actions[0])


def _json(raw: Any) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _thanks(kind: str, n: int) -> str:
    what = "wrong match" if kind == "wrong_match" else "wrong stance"
    return f"Thanks: I noted {n} statement{'s' if n != 1 else ''} as a {what}; the admins review these reports."


def _feedback_blocks(service: Crosscheck, who: Requester) -> blocks.Rendered:
    entries = service.list_feedback(who)
    if not entries:
        return blocks.text_blocks("No feedback yet.")
    lines = [
        f"{blocks.escape(e.at.strftime('%Y-%m-%d %H:%M'))} · {e.kind.replace('_', ' ')} · claim {e.claim_id} · "
        f"“{blocks.escape(blocks.cut(e.question, 300))}”"
        for e in entries
    ]
    return blocks.list_blocks("Feedback", lines)


# ---- the app ---------------------------------------------------------------------------------------------------


def default_client(base_url: str | None = None) -> WebClient:
    """A Web API client that waits out rate limits (429 + Retry-After) instead of failing."""
    kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
    client = WebClient(**kwargs)
    _add_rate_limit_retries(client)
    return client


def _add_rate_limit_retries(client: WebClient) -> None:
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))


def installation_stores(service: Crosscheck, settings: Settings) -> tuple[InstallationStore, OAuthStateStore]:
    """slack_sdk's installation and OAuth-state tables, on the service's own database (shared by replicas)."""
    if not settings.slack_client_id:
        raise BadInput("Multi-workspace mode needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")
    # imported here: slack_sdk's SQLAlchemy stores pull in SQLAlchemy's asyncio part, which needs greenlet
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    engine = service.store.engine
    installations = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    installations.create_tables()  # create_all checks first: safe on every start and from several replicas
    states.create_tables()
    return installations, states


def build_app(
    service: Crosscheck,
    settings: Settings | None = None,
    *,
    client: WebClient | None = None,
    oauth: bool = False,
    workers: int = 16,
) -> App:
    """The Bolt app with every listener; single-workspace (bot token) or multi-workspace (OAuth) installation."""
    settings = settings or service.settings
    client = client or default_client()
    _add_rate_limit_retries(client)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crosscheck-slack")
    signing_secret = settings.slack_signing_secret or ""
    installation_store: InstallationStore | None = None
    if oauth:
        if not settings.slack_client_secret:
            raise BadInput("Multi-workspace mode needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")
        installation_store, state_store = installation_stores(service, settings)
        app = App(
            signing_secret=signing_secret,
            client=client,
            listener_executor=executor,
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=installation_store,
                state_store=state_store,
            ),
        )
    else:
        if not settings.slack_bot_token:
            raise BadInput("Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth).")
        client.token = client.token or settings.slack_bot_token  # Bolt takes the token from the client it is given
        app = App(signing_secret=signing_secret, client=client, listener_executor=executor)

    bot = SlackBot(service, installation_store, client.base_url)

    @app.middleware
    def handle_each_event_once(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        # Slack retries an event it thinks we missed (X-Slack-Retry-Num); every replica shares this memory
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not service.store.first_time(f"slack:event:{event_id}"):
            log.info("skipping a repeated event event_id=%s", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    def just_ack(ack: Ack) -> None:
        ack()

    app.command(COMMAND)(ack=bot.ack_command, lazy=[bot.run_command])
    app.event("app_mention")(ack=just_ack, lazy=[bot.run_mention])
    app.shortcut(MESSAGE_SHORTCUT)(ack=just_ack, lazy=[bot.run_message_shortcut])
    app.shortcut(PASTE_SHORTCUT)(ack=just_ack, lazy=[bot.run_paste_shortcut])
    app.view(PASTE_VIEW)(ack=bot.ack_paste, lazy=[bot.run_paste])
    app.view(FEEDBACK_VIEW)(ack=bot.ack_feedback, lazy=[bot.run_feedback])
    app.action(blocks.SHOW_MORE)(ack=just_ack, lazy=[bot.run_show_more])
    app.action(blocks.WRONG_MATCH)(ack=just_ack, lazy=[bot.run_feedback_button])
    app.action(blocks.WRONG_STANCE)(ack=just_ack, lazy=[bot.run_feedback_button])
    app.event("file_shared")(ack=just_ack, lazy=[bot.run_file_shared])
    app.event({"type": "message", "subtype": "file_share"})(ack=just_ack, lazy=[bot.run_file_message])
    app.event({"type": "message", "subtype": None})(ack=just_ack, lazy=[bot.run_direct_message])
    app.event("app_uninstalled")(bot.on_app_uninstalled)
    app.event("tokens_revoked")(bot.on_tokens_revoked)

    @app.event("message")
    def other_messages() -> None:
        """Edits, joins and the like: acknowledged and ignored."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        # never a crash, never a token in the log: the kind of request and the error's type
        log.error("unhandled error type=%s request=%s", type(error).__name__, body.get("type") or body.get("command"))

    return app
