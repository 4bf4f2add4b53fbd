"""Fetching a file a user shared in Slack: only .txt/.html, only from Slack's own file host, size-capped."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from bot.errors import BadInput

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")
ARTICLE_TYPES = ("text/plain", "text/html")


def is_article(file: dict[str, Any]) -> bool:
    """A plain-text or HTML file, judged by its name, Slack's file type or its MIME type."""
    name = str(file.get("name") or file.get("title") or "").lower()
    return (
        name.endswith(ARTICLE_SUFFIXES)
        or str(file.get("filetype") or "").lower() in ("text", "html")
        or str(file.get("mimetype") or "").lower().split(";")[0] in ARTICLE_TYPES
    )


def trusted_host(url: str, api_base_url: str) -> bool:
    """The bot token is sent only to Slack's file hosts (or to the API host the client is configured with)."""
    host = (urlsplit(url).hostname or "").lower()
    api_host = (urlsplit(api_base_url).hostname or "").lower()
    return bool(host) and (host == "slack.com" or host.endswith(".slack.com") or host == api_host)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # a redirect would carry the Authorization header to wherever it points
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def download(url: str, token: str, *, api_base_url: str, max_bytes: int, timeout: float = 15.0) -> bytes:
    """The file's bytes, read with the bot token; BadInput (a sentence) when it can't or shouldn't be read."""
    if not trusted_host(url, api_base_url):
        raise BadInput("That file is not stored on Slack, so I won't download it with the bot's token.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "code", None) or type(error).__name__
        raise BadInput(f"I could not download that file from Slack ({reason}); please try again.") from None
    if len(data) > max_bytes:
        raise BadInput(f"That file is larger than {max_bytes / 1e6:.1f} MB, the limit for an article.")
    return data
