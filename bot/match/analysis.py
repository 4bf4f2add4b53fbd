"""A claim's analysis, worked out when the claim is stored and kept beside it: its comparable tokens (what a question
is scored against) and what its statement says whatever claim it is judged against (bot.match.stance.kept_readings).

A question scores some 200 candidates and judges some 60 statements; reading them again for every question was
most of its time. ``VERSION`` names the code that made an analysis: one made by other rules is not used (the store
reads only its own version), and `crosscheck db upgrade` works the claims out again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.match import memo, stance
from bot.match import text as text_rules


def _version() -> str:
    """A digest of the modules whose rules make an analysis: any change to them makes every stored one stale."""
    digest = hashlib.sha256()
    for module in (memo, stance, text_rules):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


VERSION = _version()


@dataclass(frozen=True)
class Analysis:
    terms: str  # the text's comparable tokens (bot.match.text.normalise), space-separated
    reading: str  # JSON: [texts, [[kind, text's index, result], ...]]


def analyse(text: str) -> Analysis:
    """What a claim's text gives whatever the question: its tokens, and the readings a judge asks of it."""
    kept = stance.kept_readings(text)
    texts = list(dict.fromkeys(t for _, t in kept))
    results = [[kind, texts.index(t), _encode(memo.CACHES[kind](t))] for kind, t in kept]
    return Analysis(
        terms=" ".join(text_rules.normalise(text)), reading=json.dumps([texts, results], separators=(",", ":"))
    )


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _identity(value: Any) -> Any:
    return value


def _decoder(kind: Any) -> Callable[[Any], Any]:
    """What turns the JSON of a value of type ``kind`` back into that value (the cached functions' return types)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        fields = [f.name for f in dataclasses.fields(kind)]
        decoders = [(i, d) for i, name in enumerate(fields) if (d := _decoder(hints[name])) is not _identity]
        cls = kind

        def build(values: list[Any]) -> Any:
            for i, decode in decoders:
                values[i] = decode(values[i])
            # the frozen class's __init__ sets each field through object.__setattr__: several times slower
            made = object.__new__(cls)
            made.__dict__.update(zip(fields, values, strict=True))
            return made

        return build
    if origin is types.UnionType or origin is typing.Union:
        (inner,) = [a for a in args if a is not type(None)]
        decode = _decoder(inner)
        return lambda value: None if value is None else decode(value)
    if origin in (tuple, frozenset):
        container = typing.cast(Callable[[Any], Any], origin)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            items = [_decoder(a) for a in args]
            return lambda value: tuple(d(v) for d, v in zip(items, value, strict=True))
        item = _decoder(args[0])
        if item is _identity:
            return container
        return lambda value: container(map(item, value))
    if origin is dict and all(_decoder(a) is _identity for a in args):
        return _identity  # a JSON object of plain values is the dict
    if kind in (str, int, float, bool):
        return _identity
    raise TypeError(f"no stored form for {kind!r}")


_DECODERS: dict[str, Callable[[Any], Any]] = {}


def _decoder_of(kind: str) -> Callable[[Any], Any]:
    decode = _DECODERS.get(kind)
    if decode is None:
        returns = typing.get_type_hints(memo.CACHES[kind].__wrapped__)["return"]  # type: ignore[attr-defined]
        decode = _DECODERS[kind] = _decoder(returns)
    return decode


def _entries(reading: str) -> list[tuple[str, str, Callable[[Any], Any], Any]]:
    """(kind, text, its decoder, the stored form) of each result of a stored reading."""
    texts, results = json.loads(reading)
    return [(kind, texts[at], _decoder_of(kind), value) for kind, at, value in results]


def readings(reading: str) -> Iterator[tuple[str, str, Any]]:
    """The (kind, text, result) of a stored reading."""
    for kind, text, decode, value in _entries(reading):
        yield kind, text, decode(value)


def read_back(reading: str | None) -> AbstractContextManager[None]:
    """Within the block, judging the claim takes its stored reading rather than working it out again (each result
    decoded when the judge asks for it)."""
    return memo.handed(_entries(reading)) if reading else nullcontext()
