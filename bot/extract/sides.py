"""Sides the article itself introduces, recognised again where they are named another way: alone ("Veloria says"),
by their demonym ("the Velorian government") or by the last word of their name ("the Alliance" after "the Meridian
Alliance"). The gazetteer knows these forms for real countries and organisations; for a side it cannot know, the
article's own introductions are the only source, and a side is never guessed beyond them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.extract.claim import ExtractedClaim

# how a demonym is made from a country's name: Karvenia -> Karvenian, Canada -> Canadian, Israel -> Israeli,
# Sudan -> Sudanese; the name's closing vowel may drop first (Veloria -> Velori + an)
_DEMONYM_ENDINGS = ("n", "an", "ian", "i", "ese", "ish")
_VOWELS = "aeiou"


def _demonyms(side: str) -> frozenset[str]:
    if " " in side or len(side) < 4:
        return frozenset()
    lower = side.lower()
    stems = {lower, lower[:-1]} if lower[-1] in _VOWELS else {lower}
    return frozenset(stem + ending for stem in stems for ending in _DEMONYM_ENDINGS)


def _bare(name: str) -> str:
    name = re.sub(r"['’]s?$", "", name.strip())
    return name[4:] if name.lower().startswith("the ") else name


def side_named(speaker: str, sides: Iterable[str]) -> str | None:
    """The one side among ``sides`` (the article's own) that ``speaker`` names, or None when none or several do."""
    bare = _bare(speaker)
    if not bare:
        return None
    words = bare.split()
    found: set[str] = set()
    for side in sides:
        if bare.lower() == side.lower():
            return side
        side_words = side.split()
        if (
            len(words) == 1
            and len(side_words) > 1
            and words[0][:1].isupper()
            and words[0].lower() == side_words[-1].lower()
        ):
            found.add(side)  # "Alliance" for "Meridian Alliance"
        elif words[0].lower() in _demonyms(side) or (len(words) > 1 and words[0].lower() == side.lower()):
            found.add(side)  # "Velorian government", "Veloria government"
    return next(iter(found)) if len(found) == 1 else None


def sides_named_in_article(claims: list[ExtractedClaim]) -> None:
    """A one-word side that is another side of the article named another way ("Union" beside "Coastal Union")
    becomes that side (a longer name is a body of its own: "Georgian Dream" is not Georgia); a claim of no known side
    whose speaker names one of the article's sides gets that side."""
    sides = {claim.actor for claim in claims if claim.actor}
    renamed = {side: side_named(side, sides - {side}) if " " not in side else None for side in sides}
    for claim in claims:
        if claim.actor is not None:
            claim.actor = renamed[claim.actor] or claim.actor
    known = sorted({claim.actor for claim in claims if claim.actor})
    for claim in claims:
        if claim.actor is None and claim.speaker:
            claim.actor = side_named(claim.speaker, known)
