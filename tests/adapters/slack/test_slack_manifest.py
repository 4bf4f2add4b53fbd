"""The manifest users paste into Slack matches what the app listens for and asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.app import BOT_SCOPES, COMMAND, MESSAGE_SHORTCUT, PASTE_SHORTCUT

yaml = pytest.importorskip("yaml", reason="PyYAML reads the manifest")
MANIFEST = Path(__file__).resolve().parents[3] / "adapters" / "slack" / "manifest.yml"


def test_manifest_declares_what_the_app_handles() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert {s["callback_id"]: s["type"] for s in features["shortcuts"]} == {
        MESSAGE_SHORTCUT: "message",
        PASTE_SHORTCUT: "global",
    }
    assert all(len(s["name"]) <= 24 for s in features["shortcuts"])  # Slack's limit for a shortcut's name
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"app_mention", "app_uninstalled", "tokens_revoked", "file_shared", "message.im"} == events
    assert settings["interactivity"]["is_enabled"] is True
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in features["slash_commands"]]
    assert all(u.endswith("/slack/events") for u in urls)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
