"""Caches of functions of one text that can also be handed their results: what a stored claim's reading holds
(bot.match.analysis) is taken from it instead of being worked out again when a question judges the claim."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache, update_wrapper
from typing import Any, TypeVar

T = TypeVar("T")

# (kind, text) -> result, put by ``handed`` for the length of a block and taken by the cache of that kind on a miss
_HANDED: dict[tuple[str, str], Any] = {}
_NOTHING = object()
CACHES: dict[str, Callable[[str], Any]] = {}  # each kind's cached function


def text_cache(kind: str, maxsize: int = 8192) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """An LRU cache of a function of one text, which on a miss first takes a result handed in for that text."""

    def wrap(function: Callable[[str], T]) -> Callable[[str], T]:
        def work_out(text: str) -> T:
            found = _HANDED.pop((kind, text), _NOTHING)
            return function(text) if found is _NOTHING else found

        cached = update_wrapper(lru_cache(maxsize=maxsize)(work_out), function)
        CACHES[kind] = cached
        return cached

    return wrap


@contextmanager
def handed(results: Iterable[tuple[str, str, Any]]) -> Iterator[None]:
    """Within the block, the caches of each ``(kind, text, result)`` give that result for that text; what no cache
    took is dropped after it. The results must be what the functions would give: a cache keeps what it takes."""
    keys = []
    for kind, text, result in results:
        _HANDED[(kind, text)] = result
        keys.append((kind, text))
    try:
        yield
    finally:
        for key in keys:
            _HANDED.pop(key, None)
