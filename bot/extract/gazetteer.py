"""A small shipped gazetteer: names, demonyms, capitals used as metonyms and organisations, to canonical sides."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

# canonical side -> other names that stand for it. Capitals are listed only where news uses them for the
# government ("Moscow said"); a capital that is also an ordinary place of meetings stays out (Geneva, Vienna).
SIDES: dict[str, tuple[str, ...]] = {
    # countries: short forms, demonyms, capitals and seats of government
    "Afghanistan": ("Afghan", "Afghans", "Kabul", "Taliban"),
    "Albania": ("Albanian", "Tirana"),
    "Algeria": ("Algerian", "Algiers"),
    "Argentina": ("Argentine", "Argentinian", "Buenos Aires"),
    "Armenia": ("Armenian", "Yerevan"),
    "Australia": ("Australian", "Canberra"),
    "Austria": ("Austrian",),
    "Azerbaijan": ("Azerbaijani", "Azeri", "Baku"),
    "Bahrain": ("Bahraini", "Manama"),
    "Bangladesh": ("Bangladeshi", "Dhaka"),
    "Belarus": ("Belarusian", "Belarussian", "Byelorussian", "Minsk"),
    "Belgium": ("Belgian",),
    "Bolivia": ("Bolivian", "La Paz"),
    "Bosnia and Herzegovina": ("Bosnia", "Bosnian", "Sarajevo"),
    "Brazil": ("Brazilian", "Brasilia", "Brasília"),
    "Bulgaria": ("Bulgarian", "Sofia"),
    "Cambodia": ("Cambodian", "Phnom Penh"),
    "Canada": ("Canadian", "Ottawa"),
    "Chile": ("Chilean", "Santiago"),
    "China": ("Chinese", "Beijing", "People's Republic of China", "PRC", "Zhongnanhai"),
    "Colombia": ("Colombian", "Bogota", "Bogotá"),
    "Croatia": ("Croatian", "Zagreb"),
    "Cuba": ("Cuban", "Havana"),
    "Cyprus": ("Cypriot", "Nicosia"),
    "Czech Republic": ("Czech", "Czechia", "Prague"),
    "Denmark": ("Danish", "Dane", "Danes", "Copenhagen"),
    "Egypt": ("Egyptian", "Cairo"),
    "Estonia": ("Estonian", "Tallinn"),
    "Ethiopia": ("Ethiopian", "Addis Ababa"),
    "Finland": ("Finnish", "Finn", "Finns", "Helsinki"),
    "France": ("French", "Paris", "Elysee", "Élysée", "Elysee Palace", "Élysée Palace", "Quai d'Orsay"),
    "Georgia": ("Georgian", "Tbilisi"),
    "Germany": ("German", "Germans", "Berlin", "Bundestag", "Bundeswehr"),
    "Greece": ("Greek", "Athens"),
    "Hungary": ("Hungarian", "Budapest"),
    "India": ("Indian", "New Delhi"),
    "Indonesia": ("Indonesian", "Jakarta"),
    "Iran": ("Iranian", "Tehran", "Islamic Republic"),
    "Iraq": ("Iraqi", "Baghdad"),
    "Ireland": ("Irish", "Dublin"),
    "Israel": ("Israeli", "Israelis", "Knesset", "IDF"),
    "Italy": ("Italian", "Rome"),
    "Japan": ("Japanese", "Tokyo"),
    "Jordan": ("Jordanian", "Amman"),
    "Kazakhstan": ("Kazakh", "Kazakhstani", "Astana"),
    "Kenya": ("Kenyan", "Nairobi"),
    "Kosovo": ("Kosovar", "Pristina"),
    "Kuwait": ("Kuwaiti",),
    "Latvia": ("Latvian", "Riga"),
    "Lebanon": ("Lebanese", "Beirut", "Hezbollah"),
    "Libya": ("Libyan", "Tripoli"),
    "Lithuania": ("Lithuanian", "Vilnius"),
    "Malaysia": ("Malaysian", "Kuala Lumpur"),
    "Mexico": ("Mexican", "Mexico City"),
    "Moldova": ("Moldovan", "Chisinau"),
    "Mongolia": ("Mongolian", "Ulaanbaatar"),
    "Morocco": ("Moroccan", "Rabat"),
    "Myanmar": ("Burma", "Burmese", "Naypyidaw"),
    "Netherlands": ("Dutch", "The Hague", "Holland"),
    "New Zealand": ("Wellington",),
    "Nigeria": ("Nigerian", "Abuja"),
    "North Korea": ("North Korean", "Pyongyang", "DPRK"),
    "Norway": ("Norwegian", "Oslo"),
    "Pakistan": ("Pakistani", "Islamabad"),
    "Palestine": ("Palestinian", "Palestinians", "Palestinian Authority", "Ramallah", "Hamas"),
    "Peru": ("Peruvian", "Lima"),
    "Philippines": ("Filipino", "Philippine", "Manila"),
    "Poland": ("Polish", "Pole", "Poles", "Warsaw"),
    "Portugal": ("Portuguese", "Lisbon"),
    "Qatar": ("Qatari", "Doha"),
    "Romania": ("Romanian", "Bucharest"),
    "Russia": ("Russian", "Russians", "Russian Federation", "Moscow", "Kremlin"),
    "Saudi Arabia": ("Saudi", "Saudis", "Riyadh"),
    "Serbia": ("Serbian", "Serb", "Serbs", "Belgrade"),
    "Slovakia": ("Slovak", "Slovakian", "Bratislava"),
    "Slovenia": ("Slovenian", "Ljubljana"),
    "South Africa": ("South African", "Pretoria"),
    "South Korea": ("South Korean", "Seoul", "Republic of Korea"),
    "Spain": ("Spanish", "Madrid"),
    "Sudan": ("Sudanese", "Khartoum"),
    "Sweden": ("Swedish", "Swede", "Swedes", "Stockholm"),
    "Switzerland": ("Swiss", "Bern"),
    "Syria": ("Syrian", "Damascus"),
    "Taiwan": ("Taiwanese", "Taipei"),
    "Thailand": ("Thai", "Bangkok"),
    "Turkey": ("Turkish", "Turk", "Turks", "Ankara", "Türkiye"),
    "Ukraine": ("Ukrainian", "Ukrainians", "Kyiv", "Kiev"),
    "United Arab Emirates": ("UAE", "Emirati", "Abu Dhabi"),
    "United Kingdom": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "British",
        "Briton",
        "Britons",
        "London",
        "Downing Street",
        "Whitehall",
        "England",
        "English",
        "Scotland Yard",
    ),
    "United States": (
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "America",
        "American",
        "Americans",
        "United States of America",
        "Washington",
        "White House",
        "Pentagon",
        "State Department",
        "Capitol Hill",
        "Congress",
    ),
    "Venezuela": ("Venezuelan", "Caracas"),
    "Vietnam": ("Vietnamese", "Hanoi"),
    "Yemen": ("Yemeni", "Sanaa", "Houthi", "Houthis"),
    # organisations: acronyms and their long forms
    "NATO": ("North Atlantic Treaty Organization", "North Atlantic Treaty Organisation", "Nato", "the alliance"),
    "European Union": (
        "EU",
        "E.U.",
        "European Commission",
        "European Council",
        "European Parliament",
        "Brussels",
        "Council of the European Union",
    ),
    "United Nations": (
        "UN",
        "U.N.",
        "UN Security Council",
        "Security Council",
        "UNHCR",
        "UNICEF",
        "UN General Assembly",
    ),
    "OSCE": (
        "Organization for Security and Co-operation in Europe",
        "Organization for Security and Cooperation in Europe",
    ),
    "International Monetary Fund": ("IMF",),
    "World Bank": (),
    "World Health Organization": ("WHO", "World Health Organisation"),
    "International Atomic Energy Agency": ("IAEA",),
    "International Criminal Court": ("ICC",),
    "International Committee of the Red Cross": ("ICRC", "Red Cross"),
    "African Union": ("AU",),
    "Arab League": (),
    "ASEAN": ("Association of Southeast Asian Nations",),
    "OPEC": ("Organization of the Petroleum Exporting Countries",),
    "G7": ("Group of Seven",),
    "G20": ("Group of 20",),
    "Amnesty International": ("Amnesty",),
    "Human Rights Watch": ("HRW",),
    # news organisations: a journalist's side is their outlet
    "Al Jazeera": ("Al-Jazeera",),
    "Reuters": (),
    "Associated Press": ("AP",),
    "Agence France-Presse": ("AFP",),
    "BBC": ("British Broadcasting Corporation",),
    "CNN": (),
}

# names in SIDES that news also uses for a place or thing that is not the side speaking ("in Congress" is still
# the US; "the alliance" is NATO only when the text is about NATO), so they resolve only as a whole speaker name
_WHOLE_NAME_ONLY = frozenset({"the alliance", "english", "congress", "georgia", "jordan", "amnesty", "au", "ap", "who"})


def _normal(name: str) -> str:
    """Lower case, curly apostrophes straightened, white space squeezed: the key the table is looked up by."""
    return re.sub(r"\s+", " ", name.replace("’", "'").strip().lower())


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canon, names in SIDES.items():
        for name in (canon, *names):
            table[_normal(name)] = canon
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # the longest alias wins inside a longer name: "Russian defence ministry" finds "russian" before "russia"
    names = sorted((n for n in _table() if n not in _WHOLE_NAME_ONLY), key=len, reverse=True)
    # a name inside a hyphenated word is not the side ("African-American", "Florida-based", "Russian-backed")
    return re.compile(r"(?<![\w.])(?<!\w-)(" + "|".join(re.escape(n) for n in names) + r")(?![\w])(?!-\w)")


def _possessive_free(name: str) -> str:
    return re.sub(r"'s?\b", "", name)


def lookup_side(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The side a whole name stands for ("Kremlin" -> "Russia"), or None; no search inside longer names."""
    key = _normal(name)
    if key.startswith("the "):
        bare = key[4:]
    else:
        bare = key
    for candidate in (key, bare, _possessive_free(key), _possessive_free(bare)):
        if aliases and candidate in aliases:
            return aliases[candidate]
        if candidate in _table():
            return _table()[candidate]
    return None


def canonical_side(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The canonical side a name stands for or contains ("the U.S. State Department" -> "United States").

    ``aliases`` (lowercased name -> side) are a workspace's own names and are consulted first; inside a longer
    name the longest known name wins. Returns None when nothing is known: a side is never guessed.
    """
    if not name or not name.strip():
        return None
    whole = lookup_side(name, aliases)
    if whole:
        return whole
    key = _normal(name)
    if aliases:
        for alias in sorted(aliases, key=len, reverse=True):
            if re.search(r"(?<![\w.])" + re.escape(_normal(alias)) + r"(?!\w)", key):
                return aliases[alias]
    match = _pattern().search(key)
    return _table()[match.group(1)] if match else None


def is_known_name(name: str) -> bool:
    """True when the whole name is in the gazetteer (used to overrule the tagger calling "Kyiv" a person)."""
    return lookup_side(name) is not None
