"""Who is speaking: people named in the article with their roles and sides, and references back to them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.extract import lexicon
from bot.extract.attribution import antecedent, name_span
from bot.extract.gazetteer import canonical_side, is_known_name, lookup_side

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
_APPOS_DROP = frozenset({"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"})
_GROUP_NOUNS = frozenset(
    {"company", "firm", "group", "agency", "organisation", "organization", "party", "bank", "newspaper"}
)
_COUNTRY_WORDS = frozenset({"country", "nation", "government", "state"})
# Offices only a country (or a body) holds: a one-word name owning one ("Talmir's prime minister", "Talmir's energy
# ministry") is a place even where the tagger took it for a person's, unless the article names that person in full
# ("Vladimir Putin" ... "Putin's defence minister"). Not the army or the troops: "Putin's troops" is a leader's.
_STATE_OFFICES = frozenset({"government", "ministry", "minister", "parliament", "embassy", "ambassador", "president"})


@dataclass
class Person:
    """Someone named in the article; the first role and side found for them stick."""

    name: str
    role: str | None = None
    side: str | None = None
    # how often each full form of the name was seen: the usual one is shown ("Hillary Clinton", not a nickname
    # one tweet put in front of it)
    forms: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def seen(self, name: str) -> None:
        if len(name.split()) < 2:
            return
        self.forms[name] = self.forms.get(name, 0) + 1
        self.name = max(self.forms, key=lambda form: (self.forms[form], len(form.split())))


@dataclass
class Speaker:
    """A resolved source: its display name, role, side and whether it is one person."""

    name: str | None
    role: str | None
    side: str | None
    person: Person | None = None
    head: str = ""  # lemma of the name's head word, for "the ministry said" → the ministry named before


def _text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text.strip() if end > start else ""


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _surname(name: str) -> str:
    last = name.split()[-1].lower() if name.split() else ""
    return last[:-2] if last.endswith(("'s", "’s")) else last


def is_person_entity(span: Span) -> bool:
    if span.label_ == "PERSON":
        return not is_known_name(span.text)
    # "Commission spokeswoman Ilka Brand": the tagger can read an unfamiliar name after a title noun as an
    # organisation; two or three capitalised words after the title, none of them a body's word, are a person
    return (
        span.label_ == "ORG"
        and 2 <= len(span) <= 3
        and span.start > 0
        and span.doc[span.start - 1].lower_ in lexicon.TITLE_NOUNS
        and span.doc[span.start - 1].pos_ == "NOUN"
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span)
        and span[-1].lower_ not in lexicon.ORGANISATION_HEADS
        and not is_known_name(span.text)
    )


def _clean_name(text: str) -> str:
    """The name without a possessive ending or the titles in front of it."""
    words = text.replace("’s", "").replace("'s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in lexicon.HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _given_name(token: Token) -> bool:
    """A word that can start a person's name: capitalised, not a title, not a known place or organisation."""
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "compound"
        and token.text[:1].isupper()
        and token.lower_ not in lexicon.TITLE_NOUNS
        and not is_known_name(token.text)
        and token.ent_type_ not in _ORG_LABELS
    )


def person_span(span: Span) -> Span:
    """A person's name widened over given names the tagger left out ("Ana" before "Petrel")."""
    doc = span.doc
    start = span.start
    while start > 0 and _given_name(doc[start - 1]) and doc[start - 1].head.i in range(start, span.end):
        start -= 1
    # a title the tagger took into the name ("Councillor Rui Matos") is the person's role, not their name
    while start < span.end - 2 and _is_title(doc[start]):
        start += 1
    return doc[start : span.end]


def name_chain(token: Token) -> Span | None:
    """An untagged full name ending in ``token``: "Neave Barker" when the tagger saw no person."""
    if token.pos_ != "PROPN" or not token.text[:1].isupper() or is_known_name(token.text):
        return None
    doc = token.doc
    # an organisation's first word is no surname, unless a given name outside the entity stands before it: the
    # tagger often takes an unfamiliar surname for a company ("Ana [Petrel]")
    given = token.i > 0 and _given_name(doc[token.i - 1]) and doc[token.i - 1].head.i == token.i
    organisation = token.ent_type_ in _ORG_LABELS and token.ent_iob_ == "B"
    single = organisation and (token.i + 1 >= len(doc) or doc[token.i + 1].ent_iob_ != "I")
    if token.lower_ in lexicon.TITLE_NOUNS or organisation and not (given and single and token.ent_type_ == "ORG"):
        return None
    if token.lower_ in lexicon.ORGANISATION_HEADS:
        return None  # "Unity Party" in a title-case headline, where the tagger sees no organisation
    start = token.i
    while start > 0 and _given_name(doc[start - 1]) and doc[start - 1].head.i == token.i:
        start -= 1
    return doc[start : token.i + 1] if start < token.i else None


class People:
    """The article's people by surname, filled from every PERSON entity before any claim is resolved."""

    def __init__(self, aliases: Mapping[str, str] | None) -> None:
        self.by_surname: dict[str, Person] = {}
        self.aliases = aliases
        self.places: set[str] = set()  # one-word names, lowercased, that are places and not people (settle_places)
        self._office_owners: set[str] = set()  # lowercased one-word owners of a state office

    def find(self, name: str) -> Person | None:
        return self.by_surname.get(_surname(name))

    def add(self, name: str, role: str | None = None, side: str | None = None) -> Person:
        person = self.by_surname.get(_surname(name))
        if person is None:
            person = Person(name=name)
            self.by_surname[_surname(name)] = person
        elif len(name.split()) > len(person.name.split()) and not person.forms:
            person.name = name  # "Biden" then "Joe Biden": keep the fuller name
        person.seen(name)
        if role and not person.role:
            person.role = role
        if side and not person.side:
            person.side = side
        return person

    def learn(self, doc: Doc) -> None:
        for ent in doc.ents:
            if is_person_entity(ent):
                self.add_mention(person_span(ent))
        for token in doc:
            if token.dep_ == "poss" and token.pos_ == "PROPN" and token.head.lemma_.lower() in _STATE_OFFICES:
                start, end = name_span(token)
                if end - start == 1:
                    self._office_owners.add(token.lower_)

    def settle_places(self) -> None:
        """After every unit is learned: the one-word owners of a state office that the article never names as a
        person in full are places; their people's entries go, and a person whose role they own speaks for them."""
        for key in self._office_owners:
            person = self.by_surname.get(key)
            if person is not None and len(person.name.split()) > 1:
                continue
            self.places.add(key)
            if person is not None:
                del self.by_surname[key]
        for person in self.by_surname.values():
            owner = re.match(r"([\w-]+)['’]s\b", person.role or "")
            if person.side is None and owner and owner.group(1).lower() in self.places:
                person.side = canonical_side(owner.group(1), self.aliases) or owner.group(1)

    def add_mention(self, span: Span) -> Person:
        role, side = describe(span, self.aliases)
        return self.add(_clean_name(span.text), role, side)

    def with_role(self, head: str, side: str | None) -> Person | None:
        for person in self.by_surname.values():
            words = person.role.lower().replace("-", " ").split() if person.role else []
            if head in words and (side is None or person.side in (None, side)):
                return person
        return None


def _organisation_in(tokens: list[Token], aliases: Mapping[str, str] | None) -> str | None:
    """An organisation named as the object of "of/at/with/for" in a role ("an analyst at Agritel")."""
    for token in tokens:
        if token.dep_ != "pobj" or token.head.lower_ not in {"of", "at", "with", "for", "from"}:
            continue
        if token.pos_ != "PROPN" and token.ent_type_ not in _ORG_LABELS:
            continue
        start, end = name_span(token)
        name = _strip_the(_text(token.doc, start, end))
        if name and not token.ent_type_ == "PERSON":
            return canonical_side(name, aliases) or name
    return None


def _inner_hyphen(token: Token) -> bool:
    """A hyphen inside one word ("Secretary-General"), which the tokenizer splits off."""
    doc = token.doc
    return (
        token.text in {"-", "‐"}
        and not token.whitespace_
        and token.i > 0
        and not doc[token.i - 1].whitespace_
        and token.i + 1 < len(doc)
    )


def _joined(tokens: Iterable[Token]) -> str:
    """Tokens as they stand in the text: "Secretary-General" stays one word."""
    ordered = sorted(tokens, key=lambda t: t.i)
    return "".join(t.text + (t.whitespace_ if n + 1 < len(ordered) else "") for n, t in enumerate(ordered)).strip()


def _is_title(token: Token) -> bool:
    word = token.lower_.rstrip(".")
    return word in lexicon.TITLE_NOUNS or word in lexicon.HONORIFICS


def describe(ent: Span, aliases: Mapping[str, str] | None) -> tuple[str | None, str | None]:
    """Role and side from a person's own mention: title words before the name, an owner, an apposition."""
    doc = ent.doc
    root = ent.root
    subtree = {t.i for t in root.subtree}
    left: list[Token] = []
    i = ent.start - 1
    # the title words joined to the name ("Kremlin spokesman", "Al Jazeera's"), up to a determiner or comma
    while i >= 0 and i in subtree and doc[i].dep_ != "det" and (not doc[i].is_punct or _inner_hyphen(doc[i])):
        left.insert(0, doc[i])
        i -= 1
    owner_tokens = [t for t in left if t.dep_ == "poss" or any(a.dep_ == "poss" for a in t.ancestors if a in left)]
    owner = _joined(t for t in owner_tokens if t.dep_ != "case") or None
    role_tokens = [t for t in left if t not in owner_tokens and t.dep_ != "case"]
    role = _joined(role_tokens) or None
    appos_role = None
    appos_tokens: list[Token] = []
    for child in root.children:
        if child.dep_ == "appos":
            excluded = {t.i for c in child.children if c.dep_ in _APPOS_DROP for t in c.subtree}
            appos_tokens = [t for t in child.subtree if t.i not in excluded and (not t.is_punct or _inner_hyphen(t))]
            appos_role = _strip_article(_joined(appos_tokens))
            break
    if root.dep_ == "appos" and root.head.pos_ in {"NOUN", "PROPN"} and root.head.i < ent.start:
        head = root.head
        # "the head of the observer mission, Ines Ruda": the role is the whole phrase the name was hung inside
        while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ == "NOUN":
            head = head.head.head
        excluded = {t.i for c in head.children if c.dep_ in _APPOS_DROP for t in c.subtree} | subtree
        appos_tokens = [t for t in head.subtree if t.i not in excluded and (not t.is_punct or _inner_hyphen(t))]
        appos_role = _strip_article(_joined(appos_tokens))
    side = canonical_side(" ".join(x for x in (owner, role, appos_role) if x), aliases)
    if side is None and owner and not any(t.ent_type_ == "PERSON" for t in owner_tokens):
        side = _strip_the(owner)
    if side is None and appos_tokens:
        side = _organisation_in(appos_tokens, aliases)
    if side is None:
        side = _named_body(left + appos_tokens, aliases)
    if side is None:
        side = _body_spoken_for(root, aliases)
    return role or appos_role, side


# "X, who speaks for the Coastal Shippers Association": verbs of a person's clause that name whom they speak for
_SPEAKS_FOR = frozenset({"speak", "work"})
_LEADS = frozenset({"represent", "lead", "head", "chair", "run", "direct"})


def _body_spoken_for(root: Token, aliases: Mapping[str, str] | None) -> str | None:
    """The body a person's relative clause says they speak for, work for, represent or lead, if it is named."""
    for clause in root.children:
        if clause.dep_ != "relcl" or not any(c.lower_ == "who" for c in clause.children):
            continue
        verb = clause.lemma_.lower()
        if verb in _SPEAKS_FOR:
            objects = [o for p in clause.children if p.lower_ == "for" for o in p.children if o.dep_ == "pobj"]
        elif verb in _LEADS:
            objects = [o for o in clause.children if o.dep_ == "dobj"]
        else:
            continue
        for token in objects:
            if token.pos_ == "PROPN" or token.ent_type_ in _ORG_LABELS:
                start, end = name_span(token)
                name = _strip_the(_text(token.doc, start, end))
                if name and token.ent_type_ != "PERSON":
                    return canonical_side(name, aliases) or name
    return None


def _named_body(tokens: list[Token], aliases: Mapping[str, str] | None) -> str | None:
    """A country or organisation the gazetteer doesn't know, named inside a title ("Meridian Alliance
    Secretary-General", "Veloria's defence minister"): the article itself says whom the speaker speaks for."""
    if not tokens:
        return None
    doc = tokens[0].doc
    for ent in doc.ents:
        # one bare word is too often a department taken for a body ("Defence Secretary"): it must own the title
        owns = ent.end < len(doc) and doc[ent.end].dep_ == "case"
        # a proper name is capitalised: the tagger also calls "defence ministry" a PROPN organisation
        proper = any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in ent)
        if ent.label_ in {"ORG", "GPE"} and proper and all(t in tokens for t in ent) and (len(ent) > 1 or owns):
            name = _strip_the(ent.text.replace("’s", "").replace("'s", ""))
            return canonical_side(name, aliases) or name
    return None


def _political_body(name: str) -> bool:
    """A capitalised name of two or more words ending in a party's or an alliance's word: "Unity Party"."""
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in lexicon.POLITICAL_HEADS and all(w[:1].isupper() for w in words)


# bodies that speak for themselves when the text names them by what they are ("the port authority", "the dockers'
# union"); a state's organs are not among them: "the defence ministry" speaks for its country
_OWN_BODIES = lexicon.ORGANISATION_HEADS - frozenset(
    "ministry department government parliament assembly congress senate court army navy police office".split()
)


def _own_body(token: Token, name: Span) -> bool:
    """A body named by a common noun and a word that tells it from others of its kind: "port authority", "dockers'
    union", "the city council"; not "the union" alone (a description of one named before) nor "unions"."""
    if token.pos_ != "NOUN" or token.tag_ != "NN" or token.lemma_.lower() not in _OWN_BODIES:
        return False
    modifiers = [t for t in name if t.i < token.i and t.dep_ in {"compound", "poss", "amod"} and t.pos_ != "PRON"]
    if not modifiers or any(t.ent_type_ in {"GPE", "NORP"} or t.pos_ == "PROPN" for t in modifiers):
        return False  # a named owner ("Veloria's central bank", "the Velorian army") is the side, found elsewhere
    return True


def _strip_article(text: str) -> str:
    # "Its chair, Oskar Lind": the owner a pronoun stands for is the side, found elsewhere; the role is "chair"
    for article in ("the ", "a ", "an ", "its ", "their ", "his ", "her "):
        if text.lower().startswith(article):
            return text[len(article) :]
    return text


class Resolver:
    """Turns a source's head word into a speaker, remembering who spoke earlier in the update and article."""

    def __init__(self, people: People, aliases: Mapping[str, str] | None) -> None:
        self.people = people
        self.aliases = aliases
        self.update_speakers: list[Speaker] = []
        self.article_speakers: list[Speaker] = []

    def new_update(self) -> None:
        self.update_speakers = []

    def remember(self, speaker: Speaker) -> None:
        if speaker.name:
            self.update_speakers.append(speaker)
            self.article_speakers.append(speaker)

    def _last(self, person: bool) -> Speaker | None:
        for history in (self.update_speakers, self.article_speakers):
            for speaker in reversed(history):
                if (speaker.person is not None) == person:
                    return speaker
            if history is self.update_speakers and self.update_speakers:
                continue
        return None

    def person_speaker(self, person: Person) -> Speaker:
        return Speaker(name=person.name, role=person.role, side=person.side, person=person, head=_surname(person.name))

    def _entity_person(self, token: Token) -> Person | None:
        doc = token.doc
        for ent in doc.ents:
            if ent.start <= token.i < ent.end and is_person_entity(ent):
                if len(ent) == 1 and ent.text.lower() in self.people.places:
                    return None
                return self.people.find(_clean_name(ent.text)) or self.people.add_mention(person_span(ent))
        if token.pos_ == "NOUN" and token.text[:1].isupper() and token.dep_ in {"nsubj", "nsubjpass"}:
            # the tagger takes an unfamiliar surname for a common noun, even an organisation ("Basz said ..."):
            # the article's person of that surname, if it has one
            known = self.people.find(token.text)
            if known is not None and _surname(known.name) == token.lower_ and len(known.name.split()) > 1:
                return known
        if token.pos_ == "PROPN" and not is_known_name(token.text) and token.lower_ not in self.people.places:
            known = self.people.find(token.text)
            chain = name_chain(token)
            if known is not None and (chain is None or len(chain) <= len(known.name.split())):
                return known
            if chain is not None:  # also "Calvo" in a headline, then "Ines Calvo" in the text: the full name
                return self.people.add_mention(chain)
            if any(
                c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() not in _GROUP_NOUNS for c in token.children
            ):
                # "Edda, a retired teacher": one word, but described as a person
                return self.people.add_mention(doc[token.i : token.i + 1])
        return None

    def resolve(self, token: Token) -> Speaker:
        """The speaker behind a source's head word (names, pronouns, descriptions, documents)."""
        lower = token.lower_
        if token.pos_ == "PRON" or token.tag_ in {"WP", "WDT"}:
            stands_for = antecedent(token)
            if stands_for is not None:
                return self.resolve(stands_for)
            if lower in lexicon.PERSON_PRONOUNS:
                return self._last(person=True) or Speaker(None, None, None)
            if lower in {"it", "they", "them"}:
                earlier = self._same_sentence_subject(token)
                return earlier or self._last(person=False) or Speaker(None, None, None)
            return Speaker(None, None, None)
        # a document or study speaks for whoever made it: "estimates by the US Department of Agriculture"
        if token.lemma_.lower() in lexicon.DOCUMENT_NOUNS:
            # "a report by X", "the video, published by X,": the maker named beside the document
            preps = [c for c in token.children if c.dep_ == "prep"] + [
                p for c in token.children if c.dep_ == "acl" for p in c.children if p.dep_ == "agent"
            ]
            for prep in preps:
                if prep.lower_ in {"by", "from", "of"}:
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and (obj.pos_ == "PROPN" or obj.ent_type_ or prep.dep_ == "agent"):
                            return self.resolve(obj)
        person = self._entity_person(token)
        if person is None:
            # "The head of the observer mission, Ines Ruda, said": the parser hangs the name from the last noun of
            # the source's phrase, not from the source
            named = [c for c in token.children if c.dep_ == "appos"] + [
                t
                for t in token.subtree
                if t.dep_ == "appos" and t.pos_ == "PROPN" and t.head.i != token.i and t.head.dep_ == "pobj"
            ]
            for child in named:
                person = self._entity_person(child)
                if person:
                    break
        if person is not None:
            return self.person_speaker(person)
        start, end = name_span(token)
        doc = token.doc
        name = _strip_the(_text(doc, start, end))
        head = token.lemma_.lower()
        side = canonical_side(name, self.aliases)
        if side is None:
            side = self._organisation(token)
        if side is None:
            side = self._owner(doc[start:end])
        if side is None and name.lower() in self.people.places:
            side = name  # "Talmir denies closing the gates", where Talmir has a prime minister
        if side is None and _political_body(name):
            side = name  # "Unity Party claims victory": a party or front speaks for itself, named or not by the tagger
        if side is None and _own_body(token, doc[start:end]):
            side = name[:1].upper() + name[1:]  # "the dockers' union", "Port authority says …": one side
        if side is not None:
            self._side_of_description(token, side)
        described = self._description(token, name, side)
        if described is not None:
            return described
        if side is None and any(t.lower_ in _COUNTRY_WORDS for t in doc[start:end]) and start < token.i + 3:
            side = self._last_side()
        if side and name and lookup_side(name, self.aliases) and name.replace(".", "").isupper():
            name = side  # an abbreviation ("UK") is shown by its full name; a metonym ("Moscow") is kept
        return Speaker(name=name or None, role=None, side=side, head=head)

    def _owner(self, name: Span) -> str | None:
        """The named owner of a body ("Veloria's government"): it speaks for its owner, known to the gazetteer or not.
        A government's or a nation's owner is a country even where the tagger took its name for a person's."""
        governs = name.root.lower_ in _COUNTRY_WORDS
        for token in name:
            place = token.lower_ in self.people.places
            if token.dep_ == "poss" and token.pos_ == "PROPN" and (token.ent_type_ != "PERSON" or governs or place):
                start, end = name_span(token)
                owner = _strip_the(_text(token.doc, start, end).replace("’s", "").replace("'s", ""))
                return canonical_side(owner, self.aliases) or owner or None
        return None

    def _organisation(self, token: Token) -> str | None:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end and ent.label_ in {"ORG", "NORP", "GPE"}:
                return canonical_side(ent.text, self.aliases) or _strip_the(ent.text.replace("’s", ""))
        return None

    def _last_side(self) -> str | None:
        for speaker in reversed(self.update_speakers):
            if speaker.side:
                return speaker.side
        return None

    def _same_sentence_subject(self, token: Token) -> Speaker | None:
        """ "X released footage that it says …": the clause's own earlier subject, if it is not a person."""
        # "The benefit, it says, would be $300": the clause the attribution interrupts is what is said, not who
        said = token.head.head if token.head.dep_ == "parataxis" else None
        for candidate in token.sent:
            if candidate.i >= token.i:
                break
            if said is not None and candidate.head.i == said.i:
                continue
            if candidate.dep_ == "nsubj" and candidate.pos_ in {"PROPN", "NOUN"}:
                speaker = self.resolve(candidate)
                if speaker.person is None and speaker.name:
                    return speaker
        return None

    def _side_of_description(self, token: Token, side: str) -> None:
        """ "Opposition says …", then "The opposition Unity Bloc said" (two subjects to the parser): the update's
        earlier source named by the describing word alone was this one."""
        described = [c for c in token.head.children if c.dep_ == "nsubj" and c.i < token.i and c.pos_ == "NOUN"]
        if described and described[-1].right_edge.i + 1 == token.left_edge.i:
            word = described[-1].lemma_.lower()
            for speaker in self.update_speakers:
                if speaker.head == word and speaker.person is None and speaker.side is None:
                    speaker.side = side

    def _description(self, token: Token, name: str, side: str | None) -> Speaker | None:
        """ "the ministry", "Ukraine's defence minister": a description standing for a source named elsewhere."""
        head = token.lemma_.lower()
        if token.pos_ != "NOUN" or token.tag_ == "NNS":
            return None
        determiner = any(c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an"} for c in token.children)
        if not determiner:
            return None
        for speaker in reversed(self.update_speakers):
            if speaker.head != head or speaker.person is not None:
                continue
            if side is None or speaker.side == side:
                return speaker
            if speaker.side is None:
                # "Government rejects fraud claims", then "Kaskia's government denied …": the body named in full
                # was the one mentioned before; the earlier mention takes its side, this one keeps its fuller name
                speaker.side = side
                break
        if head not in lexicon.TITLE_NOUNS and not head.endswith(("minister", "secretary-general")):
            return None
        person = self.people.with_role(head, side)
        if person is None:
            last = self._last(person=True)
            if last and last.person and not last.person.role and (side is None or last.person.side in (None, side)):
                person = last.person
        if person is None:
            return None
        if not person.role:
            person.role = name
        if side and not person.side:
            person.side = side
        return self.person_speaker(person)
