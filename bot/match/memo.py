"""Caches of functions of one text that can also be handed their results: what a stored claim's reading holds
(bot.match.analysis) is taken from it instead of being worked out again when a question judges the claim."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache, update_wrapper
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

# (kind, text) -> (how to make the result, what from): put by ``handed`` for the length of a block, taken by the
# cache of that kind on a miss. A result is made only when taken: a judge need not ask for every reading.
_HANDED: dict[tuple[str, str], tuple[Callable[[Any], Any], Any]] = {}
CACHES: dict[str, Callable[[str], Any]] = {}  # each kind's cached function


def text_cache(kind: str, maxsize: int = 8192) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """An LRU cache of a function of one text, which on a miss first takes a result handed in for that text."""

    def wrap(function: Callable[[str], T]) -> Callable[[str], T]:
        def work_out(text: str) -> T:
            found = _HANDED.pop((kind, text), None)
            return function(text) if found is None else found[0](found[1])

        cached = update_wrapper(lru_cache(maxsize=maxsize)(work_out), function)
        CACHES[kind] = cached
        return cached

    return wrap


class handed:  # noqa: N801 - a context manager, used as a function is: `with handed(...):`
    """Within the block, the cache of each ``(kind, text, make, source)`` gives ``make(source)`` for that text; what
    no cache took is dropped after it. The results must be what the functions would give: a cache keeps what it
    takes."""

    __slots__ = ("_results", "_keys")

    def __init__(self, results: Iterable[tuple[str, str, Callable[[Any], Any], Any]]) -> None:
        self._results = results
        self._keys: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        for kind, text, make, source in self._results:
            _HANDED[(kind, text)] = (make, source)
            self._keys.append((kind, text))

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for key in self._keys:
            _HANDED.pop(key, None)
