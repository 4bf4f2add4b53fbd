"""The `crosscheck` command line: every data command speaks JSON with --json (the contract in DESIGN.md).

stdout carries only the answer; logs go to stderr. Exit 0 when the command did its job, 1 for bad input, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot.config import Settings, database_url
from bot.errors import CrosscheckError
from bot.logs import configure as configure_logging

log = logging.getLogger("crosscheck")


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _load_dotenv() -> None:
    """An optional .env file in the working folder; variables already in the environment win."""
    from pathlib import Path

    if Path(".env").is_file():
        from dotenv import load_dotenv

        load_dotenv(".env", override=False)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crosscheck", description="Cross-reference who said what in news articles.")
    p.add_argument("--db", help="a SQLite file path or a database URL (default: $DATABASE_URL, else ./crosscheck.db)")
    p.add_argument("--workspace", default="local", help="whose claims (a Slack team, a Discord guild; default: local)")
    p.add_argument("--verbose", "-v", action="store_true", help="log details to stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, json_flag: bool = True) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        if json_flag:
            c.add_argument("--json", action="store_true", help="answer in JSON")
        return c

    c = command("ingest", "add an article: a file, an http(s) URL, or - for stdin")
    c.add_argument("target")
    c = command("import", "add already-extracted claims from a JSON-lines file (- for stdin)")
    c.add_argument("file")
    command("claims", "every stored claim")
    c = command("search", "claims ranked by relevance to a question (- reads one question a line)")
    c.add_argument("--limit", type=int, default=10)
    c.add_argument("question", nargs="+")
    c = command("ask", "who supports and who contradicts a claim, grouped by side")
    c.add_argument("question", nargs="+")
    command("stance", "stance of statements towards claims: JSON lines {claim, statement} on stdin; needs no database")
    c = command("latest", "the newest updates and their claims")
    c.add_argument("--actor", help="only updates with claims of this side or speaker")
    c.add_argument("--since", help="only updates from this date or time on (ISO, e.g. 2022-02-16)")
    c.add_argument("--limit", type=int, default=5)
    c.add_argument("--new", action="store_true", help="only what arrived since this channel last asked")
    c.add_argument("--channel", default=CLI_CHANNEL, help="whose --new mark (default: terminal)")
    command("actors", "sides and speakers with claim counts")
    _follow_commands(command)
    command("sources", "ingested sources")
    c = command("forget", "remove a source and its claims")
    c.add_argument("source_id", type=int)
    c = command("correct", "fix a claim's speaker or side (admins; audited)")
    c.add_argument("claim_id", type=int)
    c.add_argument("--speaker")
    c.add_argument("--actor")
    c = command("alias", "side names of this workspace: alias add NAME SIDE | alias list")
    c.add_argument("action", choices=["add", "list"])
    c.add_argument("names", nargs="*")
    command("feedback", "users' wrong-match / wrong-stance reports")
    command("audit", "who ingested, forgot, corrected or changed what, and when")
    c = command("serve", "run the bot: console (a chat in this terminal), slack or discord", json_flag=False)
    c.add_argument("adapter", choices=["console", "slack", "discord"])
    command("export", "every claim of the workspace as JSON lines, the format import reads (a backup)")
    command("doctor", "check the configuration, the database, the parser and the platform tokens (no secrets shown)")
    c = command(
        "db", "database maintenance: db upgrade applies the schema migrations and analyses the claims", json_flag=False
    )
    c.add_argument("action", choices=["upgrade"])
    c = command(
        "discord-sync", "publish the Discord slash commands: to one server (--guild) or globally", json_flag=False
    )
    c.add_argument("--guild", help="a test server's id (default: $DISCORD_GUILD_ID; none: global, takes up to an hour)")
    c.add_argument(
        "--global", dest="everywhere", action="store_true", help="sync globally even if DISCORD_GUILD_ID is set"
    )
    return p


CLI_PLATFORM, CLI_CHANNEL = "cli", "terminal"  # the command line's own "channel" for subscriptions and --new


def _follow_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Following live blogs, subscriptions and timelines (bot/follow)."""
    c = command("follow", "poll a live blog's URL for new updates (admins)")
    c.add_argument("url")
    c.add_argument("--every", default="5m", help="how often: 90s, 5m, 2h (at least the minimum, 1m by default)")
    c = command("unfollow", "stop polling a URL (or a follow id from `following`)")
    c.add_argument("url")
    command("following", "the followed sources and how their polls went")
    for name, verb in (("subscribe", "send a channel"), ("unsubscribe", "stop sending a channel")):
        c = command(name, f'{verb} new claims of a side or speaker, a topic:"...", or alerts (contradictions)')
        c.add_argument("what", nargs="*" if name == "unsubscribe" else "+")
        c.add_argument("--channel", default=CLI_CHANNEL, help="the channel (default: terminal)")
        c.add_argument("--platform", default=CLI_PLATFORM, help="slack, discord or cli (default: cli)")
    c = command("subscriptions", "a channel's subscriptions")
    c.add_argument("--channel", help="one channel (default: every channel of the platform)")
    c.add_argument("--platform", default=CLI_PLATFORM)
    c = command("actor", "a side's or speaker's statements over time, flagging where it contradicts itself")
    c.add_argument("name", nargs="+")
    c.add_argument("--limit", type=int, default=30)
    c = command("worker", "poll followed sources and post to subscribed channels until stopped")
    c.add_argument("--once", action="store_true", help="one round, then exit")
    c.add_argument("--every", type=float, default=15.0, help="seconds between rounds (default 15)")


def _stance(args: argparse.Namespace) -> int:
    from bot.match.stance import judge

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
            claim, statement = str(pair.get("claim") or ""), str(pair.get("statement") or "")
        except (ValueError, AttributeError):
            claim = statement = ""
        if claim.strip() and statement.strip():
            result = judge(claim, statement, cue=pair.get("cue"))
            out = {"stance": result.stance, "score": round(result.score, 4), "reason": result.reason}
        else:
            out = {"stance": "neutral", "score": 0.0, "reason": "no claim or statement to compare"}
        if args.json:
            _print_json(out)
        else:
            sys.stdout.write(f"{out['stance']}\t{out['reason']}\n")
        sys.stdout.flush()
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "stance":
        return _stance(args)

    from adapters import console
    from bot.service import Crosscheck, Requester, parse_time
    from bot.store import Store

    settings = Settings.from_env()
    url = database_url(args.db) if args.db else settings.database_url
    if args.command == "doctor":
        return _doctor(args)
    if args.command == "db":
        from bot.store.migrate import upgrade

        revision = upgrade(url)
        store = Store(url)
        try:  # claims analysed by other rules (an older version's) are analysed again, as new ones are at ingest
            analysed = store.analyse()
        finally:
            store.close()
        done = f"{analysed} claims analysed again" if analysed else "every claim's analysis is current"
        sys.stdout.write(f"The database is at schema revision {revision}; {done}.\n")
        return 0
    if args.command == "discord-sync":
        from adapters.discord import sync_commands

        guild = None if args.everywhere else (args.guild or settings.discord_guild_id)
        names = sync_commands(settings, guild)
        where = f"server {guild}" if guild else "every server (global commands can take up to an hour to appear)"
        sys.stdout.write(f"Published {len(names)} commands to {where}: {', '.join(names)}.\n")
        return 0
    service = Crosscheck(settings, Store(url))
    # the person at the terminal runs this installation: an admin of every workspace it holds
    me = Requester(workspace=args.workspace, user="cli", is_admin=True, local=True)
    as_json = getattr(args, "json", False)

    def show(value: Any, text: Callable[[], str]) -> None:
        if as_json:
            _print_json(value)
        else:
            sys.stdout.write(text() + "\n")

    match args.command:
        case "ingest":
            if args.target == "-":
                report = service.ingest(me, data=sys.stdin.buffer.read(), name="stdin")
            else:
                report = service.ingest(me, args.target, allow_files=True)
            show(report.to_json(), lambda: report.summary)
        case "import":
            stream = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
            with stream:
                result = service.import_claims(me, stream, name=args.file)
            show(
                result.to_json(), lambda: f"Imported {result.imported} claims, skipped {result.skipped} already stored."
            )
        case "claims":
            claims = service.claims(me)
            show([c.to_json() for c in claims], lambda: console.render_claims(claims))
        case "search":
            questions = sys.stdin if args.question == ["-"] else [" ".join(args.question)]
            for question in questions:
                found = service.search(me, question.strip(), limit=max(1, args.limit))
                payload = [{**c.to_json(), "score": round(s, 4)} for c, s in found]
                show(payload, lambda found=found: console.render_search(found))  # type: ignore[misc]
                sys.stdout.flush()
        case "ask":
            answer = service.ask(me, " ".join(args.question))
            show(answer.to_json(), lambda: console.render_answer(answer))
        case "latest" if args.new:
            new = service.latest_new(me, CLI_PLATFORM, args.channel, limit=args.limit)
            body = console.render_latest(new.latest) if new.latest.updates else ""
            show(new.to_json(), lambda: "\n".join(filter(None, (new.summary, body))))
        case "latest":
            latest = service.latest(me, actor=args.actor, since=parse_time(args.since), limit=args.limit)
            show(latest.to_json(), lambda: console.render_latest(latest))
        case "follow" | "unfollow" | "following" | "subscribe" | "unsubscribe" | "subscriptions" | "actor" | "worker":
            return _follow_run(args, service, me, show)
        case "actors":
            actors = service.actors(me)
            show([a.to_json() for a in actors], lambda: console.render_actors(actors))
        case "sources":
            sources = service.sources(me)
            show([s.to_json() for s in sources], lambda: console.render_sources(sources))
        case "forget":
            label = service.forget(me, args.source_id)
            show({"forgotten": args.source_id, "title": label}, lambda: f"Forgot source {args.source_id}: {label}.")
        case "correct":
            claim = service.correct(me, args.claim_id, speaker=args.speaker, actor=args.actor)
            show(
                claim.to_json(),
                lambda: f"Claim {claim.id}: {claim.speaker or 'unknown'} / {claim.actor or 'unknown side'}.",
            )
        case "alias":
            if args.action == "add":
                if len(args.names) != 2:
                    raise _usage('alias add takes a name and a side, as in: alias add "Kremlin" Russia')
                service.add_alias(me, args.names[0], args.names[1])
                show(
                    {"alias": args.names[0], "side": args.names[1]},
                    lambda: f"“{args.names[0]}” now counts as {args.names[1]}.",
                )
            else:
                aliases = service.aliases(me)
                show(aliases, lambda: "\n".join(f"{k} → {v}" for k, v in sorted(aliases.items())) or "No aliases.")
        case "feedback":
            rows = service.list_feedback(me)
            show(
                [r.to_json() for r in rows],
                lambda: (
                    "\n".join(
                        f"{console.when(r.at)}  {r.user}  {r.kind}  claim {r.claim_id}  “{r.question}”" for r in rows
                    )
                    or "No feedback yet."
                ),
            )
        case "export":
            for record in service.export(me):
                _print_json(record)
        case "audit":
            entries = service.audit(me)
            show(
                [e.to_json() for e in entries],
                lambda: (
                    "\n".join(f"{console.when(e.at)}  {e.user:<12} {e.action:<8} {e.detail}" for e in entries)
                    or "Nothing recorded yet."
                ),
            )
        case "serve":
            return _serve(args.adapter, service, me)
    return 0


def _follow_run(args: argparse.Namespace, service: Any, me: Any, show: Callable[[Any, Callable[[], str]], None]) -> int:
    from adapters.console import render_timeline
    from bot.follow.views import describe_interval

    match args.command:
        case "follow":
            view, new = service.follow(me, args.url, args.every)
            verb = "Following" if new else "Still following"
            show(
                {**view.to_json(), "new": new},
                lambda: (
                    f"{verb} {view.url} every {describe_interval(view.every_seconds)} (follow {view.id}); "
                    "`crosscheck worker` or a running bot polls it."
                ),
            )
        case "unfollow":
            url = service.unfollow(me, args.url)
            show({"unfollowed": url}, lambda: f"No longer following {url}; its claims stay stored.")
        case "following":
            follows = service.followed(me)
            show([f.to_json() for f in follows], lambda: "\n".join(f.summary for f in follows) or "Following nothing.")
        case "subscribe":
            sub, new = service.subscribe(me, args.platform, args.channel, " ".join(args.what))
            show(
                {**sub.to_json(), "new": new},
                lambda: f"{'Subscribed' if new else 'Already subscribed'} {sub.channel} to {sub.summary}.",
            )
        case "unsubscribe":
            removed = service.unsubscribe(me, args.platform, args.channel, " ".join(args.what) or None)
            show({"removed": removed}, lambda: f"Removed {removed} subscription{'s' if removed != 1 else ''}.")
        case "subscriptions":
            subs = service.subscriptions(me, args.platform, args.channel)
            show(
                [s.to_json() for s in subs],
                lambda: "\n".join(f"{s.id}. {s.channel}: {s.summary}" for s in subs) or "No subscriptions.",
            )
        case "actor":
            timeline = service.actor_timeline(me, " ".join(args.name), limit=max(1, args.limit))
            show(timeline.to_json(), lambda: render_timeline(timeline))
        case "worker":
            return _worker(service, once=args.once, every=args.every, as_json=args.json)
    return 0


def _worker(service: Any, *, once: bool, every: float, as_json: bool) -> int:
    """Polls and posts: subscriptions of the command line are printed here; Slack's are posted when a bot token is
    configured; Discord's wait for `serve discord` (posting there needs its gateway connection)."""
    from adapters.console import PrintNotifier
    from bot.follow import Notifier
    from bot.follow.scheduler import Scheduler

    notifiers: dict[str, Notifier] = {CLI_PLATFORM: PrintNotifier(sys.stdout, as_json=as_json)}
    if service.settings.slack_bot_token:
        from adapters.slack.notify import SlackNotifier

        notifiers["slack"] = SlackNotifier.from_token(service.settings.slack_bot_token)
    scheduler = Scheduler(service, notifiers)
    if once:
        report = scheduler.tick()
        for polled in report.polled:
            log.info("polled %s: %s", polled.url, polled.outcome)
        return 0
    import threading

    stop = threading.Event()
    try:
        scheduler.run(stop, every=max(1.0, every))
    except KeyboardInterrupt:
        stop.set()
    return 0


def _doctor(args: argparse.Namespace) -> int:
    import os

    from bot.doctor import run_checks

    checks = run_checks(os.environ, database_url(args.db) if args.db else None)
    if args.json:
        _print_json([{"check": c.name, "ok": c.ok, "detail": c.detail, "required": c.required} for c in checks])
    else:
        for c in checks:
            mark = "ok " if c.ok else ("!! " if c.required else "-- ")
            sys.stdout.write(f"{mark} {c.name}: {c.detail}\n")
    return 0 if all(c.ok or not c.required for c in checks) else 1


class _UsageError(Exception):
    pass


def _usage(message: str) -> _UsageError:
    return _UsageError(message)


def _serve(adapter: str, service: Any, me: Any) -> int:
    if adapter == "console":
        from adapters import console

        console.run(service, me)
        return 0
    import os

    port = os.environ.get("CROSSCHECK_HEALTH_PORT", "").strip()
    if port:
        from adapters import health

        if not port.isdigit():
            raise _usage(f"CROSSCHECK_HEALTH_PORT must be a port number, not {port!r}")
        health.start(service.store, os.environ.get("CROSSCHECK_HEALTH_HOST", "0.0.0.0"), int(port))
    if adapter == "slack":
        from adapters.slack import serve as serve_slack

        serve_slack(service)
        return 0
    from adapters.discord import serve as serve_discord

    serve_discord(service)
    return 0


def _semantic_scope(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """One-shot commands leave the semantic extra's model unloaded (bot.match.semantic.one_shot); servers, workers
    and `search -` (a batch of questions) use it."""
    if args.command in {"ask", "ingest", "import"} or (args.command == "search" and args.question != ["-"]):
        from bot.match import semantic

        return semantic.one_shot()
    return contextlib.nullcontext()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _load_dotenv()
    try:
        secrets = Settings.from_env().secrets
    except CrosscheckError:
        secrets = ()
    # servers log one line per event at INFO; one-shot commands only warnings unless -v
    configure_logging(logging.INFO if args.verbose or args.command == "serve" else logging.WARNING, secrets)
    try:
        with _semantic_scope(args):
            return _run(args)
    except _UsageError as error:
        sys.stderr.write(f"crosscheck: {error}\n")
        return 2
    except CrosscheckError as error:
        sys.stderr.write(f"crosscheck: {error}\n")
        return 1
    except OSError as error:
        sys.stderr.write(
            f"crosscheck: {error.strerror or error}: {getattr(error, 'filename', '') or ''}\n".replace(": \n", "\n")
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
