"""Errors that reach users as sentences: every message says what went wrong and, where it can, what to do."""


class CrosscheckError(Exception):
    """Base class; ``str(error)`` is a complete sentence fit to show a user."""


class BadInput(CrosscheckError):
    """The input cannot be used (empty, too large, binary, not an article, not English, unreachable URL)."""


class NotAllowed(CrosscheckError):
    """The requester lacks the permission the command needs."""


class NotFound(CrosscheckError):
    """The thing named does not exist in this workspace."""


class RateLimited(CrosscheckError):
    """Too many requests in a short time; the message says when to try again."""


class Unavailable(CrosscheckError):
    """A service the bot depends on (the database) is not answering; nothing was changed."""
