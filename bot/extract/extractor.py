"""Extracts attributed claims from a Document: quotations and reported speech, each with speaker and side."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.extract import lexicon
from bot.extract.attribution import Attribution, find_attributions
from bot.extract.claim import ExtractedClaim
from bot.extract.gazetteer import canonical_side
from bot.extract.pipeline import load_pipeline
from bot.extract.quotes import Quote, find_quotes, inner_span
from bot.extract.sides import sides_named_in_article
from bot.extract.speakers import People, Person, Resolver, Speaker
from bot.ingest.document import Document

if TYPE_CHECKING:
    from spacy.tokens import Doc

# an unattributed quotation inherits the previous paragraph's speaker only if little else stands beside it
_MAX_WORDS_BESIDE_QUOTE = 3
_DIRECT_SHARE = 0.8
# verbs of saying a title-case headline uses in the present tense ("Ruiz Vows …", "Calvo Slams …")
_HEADLINE_VERBS = (
    lexicon.CLAUSE_VERBS | lexicon.INFINITIVE_VERBS | lexicon.OBJECT_VERBS | frozenset(lexicon.PREPOSITION_VERBS)
)
_SIGNATURE = re.compile(r"\s*[―—–]\s*([A-Z][\w.'’ -]{1,60}?)\s*(?:[,(]|$)")
_LABEL = re.compile(r"^[\"“]?([A-Z][\w.'’ -]{0,40}?)\s*:\s+(\S.*)$")


@dataclass
class _Unit:
    """A headline or paragraph, parsed: the piece of text the rules run over."""

    text: str
    start: int
    update_index: int
    is_headline: bool
    doc: Doc | None = None
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class _Found:
    speaker: Speaker
    text_span: tuple[int, int]  # character offsets in the unit
    sentence_span: tuple[int, int]
    kind: str
    cue: str
    unit: _Unit
    # a quotation interrupted by its attribution ("“A,” X said. “B.”") is one statement: its later pieces
    more: list[tuple[int, int]] = field(default_factory=list)


def _units(document: Document) -> list[_Unit]:
    units = []
    for index, update in enumerate(document.updates):
        if update.headline and update.headline_start is not None:
            units.append(_Unit(update.headline, update.headline_start, index, True))
        for paragraph in update.paragraphs:
            units.append(_Unit(paragraph.text, paragraph.start, index, False))
    return units


def _char_span(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _sentence_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character range of the sentences holding character offsets ``first`` to ``last``."""
    start, end = first, last
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        if e > first and s < last:
            start, end = min(start, s), max(end, e)
    return start, end


class _Extractor:
    def __init__(self, document: Document, nlp: Any, aliases: Mapping[str, str] | None) -> None:
        self.document = document
        self.aliases = {k.lower(): v for k, v in aliases.items()} if aliases else None
        self.units = _units(document)
        for unit, doc in zip(self.units, nlp.pipe([u.text for u in self.units]), strict=True):
            unit.doc = doc
            unit.quotes = [] if unit.is_headline else find_quotes(unit.text)
        self.people = People(self.aliases)
        for unit in self.units:
            assert unit.doc is not None
            self.people.learn(unit.doc)
        self.people.settle_places()
        self.resolver = Resolver(self.people, self.aliases)
        self.found: list[_Found] = []
        # an update's headline source: its side, possibly learnt only from the update's text, is its people's
        self.headline_source: dict[int, Speaker] = {}

    def run(self) -> list[ExtractedClaim]:
        current = -1
        previous_quote_speaker: Speaker | None = None
        for unit in self.units:
            if unit.update_index != current:
                current = unit.update_index
                self.resolver.new_update()
                previous_quote_speaker = self._introduced = None
            previous_quote_speaker = self._unit(unit, previous_quote_speaker)
        return self._claims()

    def _unit(self, unit: _Unit, previous_quote_speaker: Speaker | None) -> Speaker | None:
        doc = unit.doc
        assert doc is not None
        inside = [any(q.contains(t.idx) for q in unit.quotes) for t in doc]
        attributions = find_attributions(doc, inside)
        if unit.is_headline:
            _to_headline_end(doc, attributions)
        introduced, self._introduced = self._introduced, None
        if not attributions:
            self._block_quote(unit, introduced)
        speakers: dict[int, Speaker] = {}
        for attribution in attributions:
            assert attribution.source is not None
            speaker = self.resolver.resolve(attribution.source)
            speakers[attribution.cue.i] = speaker
            self.resolver.remember(speaker)
        if unit.is_headline:
            self._headline_source(unit, attributions, speakers)
            if not any(a.content for a in attributions):
                self._title_case_headline(unit)
        self._label(unit)
        quote_owner = self._link_quotes(unit, attributions)
        last_speaker: Speaker | None = None
        last_quote: _Found | None = None
        used: set[int] = set()
        for qi, quote in enumerate(unit.quotes):
            if not quote.standalone:
                continue
            owner = quote_owner.get(qi)
            if owner is not None:
                speaker, cue = speakers[owner.cue.i], owner.cue_text
                used.add(owner.cue.i)
                first, last = min(quote.start, owner.cue.idx), max(quote.end, owner.cue.idx)
            elif (signed := self._signature(unit, quote)) is not None:
                speaker, cue, first, last = signed, "―", quote.start, quote.end
                self.resolver.remember(speaker)
            elif last_speaker is not None:
                if last_quote is not None and last_quote.speaker is last_speaker:
                    span = inner_span(unit.text, quote)
                    if span[1] > span[0]:
                        last_quote.more.append(span)
                        last_quote.sentence_span = (
                            last_quote.sentence_span[0],
                            max(last_quote.sentence_span[1], _sentence_span(doc, quote.start, quote.end)[1]),
                        )
                    continue
                speaker, cue, first, last = last_speaker, self._last_cue, quote.start, quote.end
            elif (earlier := self._earlier_attribution(quote, attributions, speakers)) is not None:
                # "X said A. “B.”": a quotation after the paragraph's reported speech is the same speaker's
                speaker, cue, first, last = speakers[earlier.cue.i], earlier.cue_text, quote.start, quote.end
            elif previous_quote_speaker is not None and self._mostly_quoted(unit):
                speaker, cue, first, last = previous_quote_speaker, self._last_cue, quote.start, quote.end
                self.resolver.remember(speaker)
            else:
                continue
            last_speaker = speaker
            self._last_cue = cue
            span = inner_span(unit.text, quote)
            if span[1] > span[0]:
                last_quote = _Found(speaker, span, _sentence_span(doc, first, last), "direct", cue, unit)
                self.found.append(last_quote)
        for attribution in attributions:
            if attribution.content is None or attribution.cue.i in used:
                continue
            span = _char_span(doc, attribution.content)
            quoted = sum(1 for i in range(*span) if any(q.contains(i) for q in unit.quotes))
            kind = "direct" if quoted >= _DIRECT_SHARE * (span[1] - span[0]) else "indirect"
            if kind == "direct" and any(
                q.standalone and q.start <= span[0] + 1 and span[1] <= q.end + 1 for q in unit.quotes
            ):
                continue  # the quotation is already a claim of its own
            sentence = _sentence_span(doc, min(span[0], attribution.cue.idx), max(span[1], attribution.cue.idx))
            found = _Found(speakers[attribution.cue.i], span, sentence, kind, attribution.cue_text, unit)
            if attribution.gap is not None:  # "The museum, Bush said, celebrated …": the attribution is left out
                before, after = doc[attribution.gap[0] - 1], doc[attribution.gap[1]]
                found.text_span = (span[0], before.idx + len(before.text))
                found.more = [(after.idx, span[1])]
            self.found.append(found)
        if last_speaker is not None:
            return last_speaker
        if unit.text.rstrip().endswith(":") and attributions and attributions[-1].content is None:
            self._introduced = (speakers[attributions[-1].cue.i], attributions[-1].cue_text)
            return self._introduced[0]
        return None

    # the speaker of a paragraph that ends "X added:", whose words are the next paragraph
    _introduced: tuple[Speaker, str] | None = None

    def _block_quote(self, unit: _Unit, introduced: tuple[Speaker, str] | None) -> None:
        """ "Limbaugh added:" then a paragraph without marks: a block quotation, the speaker's own words."""
        if introduced is None or unit.is_headline or unit.quotes or len(unit.text.split()) < 4:
            return
        end = len(unit.text.rstrip())
        self.found.append(_Found(introduced[0], (0, end), (0, end), "direct", introduced[1], unit))

    _last_cue = "said"

    def _signature(self, unit: _Unit, quote: Quote) -> Speaker | None:
        """ "“…” ― Jane Doe": a quotation signed with a dash and a name after it."""
        if not quote.closed:
            return None
        after = quote.end
        while after < len(unit.text) and unit.text[after] in "”\"'":
            after += 1
        match = _SIGNATURE.match(unit.text, after)
        if match is None:
            return None
        return self._named(match.group(1))

    def _named(self, name: str) -> Speaker | None:
        name = name.strip()
        known = self.people.find(name)
        if known is not None:
            return self.resolver.person_speaker(known)
        words = name.split()
        if not 1 <= len(words) <= 5 or not all(w[:1].isupper() for w in words if w.isalpha()):
            return None
        if canonical_side(name, self.aliases) and len(words) == 1:
            side = canonical_side(name, self.aliases)
            return Speaker(name=name, role=None, side=side)
        return self.resolver.person_speaker(self.people.add(name))

    def _label(self, unit: _Unit) -> None:
        """ "PENCE: Well, …" or "Poll: Voters …": a speaker's label and a colon, the rest is what they said."""
        match = _LABEL.match(unit.text)
        doc = unit.doc
        if match is None or doc is None or len(match.group(2).split()) < 3:
            return
        label = match.group(1).strip()
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        letters = [c for c in label if c.isalpha()]
        is_person = span is not None and any(e.label_ == "PERSON" for e in span.ents)
        is_document = len(label.split()) == 1 and label.lower() in lexicon.DOCUMENT_NOUNS
        # a person the article names elsewhere ("Pence: …"); in a headline also an organisation ("NATO: …")
        is_known = label[:1].isupper() and len(label.split()) <= 3 and self.people.find(label) is not None
        is_body = unit.is_headline and span is not None and any(e.label_ == "ORG" and e == span for e in span.ents)
        if not (letters and (label.isupper() and len(letters) > 1 or is_person or is_document or is_known or is_body)):
            return
        speaker = self._named(label.title() if label.isupper() else label)
        if speaker is None:
            return
        self.resolver.remember(speaker)
        start, end = match.start(2), len(unit.text.rstrip())
        while end > start and unit.text[end - 1] in '"”':
            end -= 1
        self.found.append(_Found(speaker, (start, end), (0, len(unit.text)), "direct", ":", unit))

    def _title_case_headline(self, unit: _Unit) -> None:
        """ "Ruiz Vows To Scrap Harbour Tax": in a headline set in title case the tagger reads the verb as a noun. A
        capitalised present-tense verb of saying after a short name is the cue; the rest is what was said."""
        doc = unit.doc
        assert doc is not None
        words = [t for t in doc if t.is_alpha and len(t) > 3]
        if len(words) < 3 or sum(t.text[:1].isupper() for t in words) < 0.8 * len(words):
            return
        for token in doc:
            verb = token.lower_[:-1] if token.lower_.endswith("s") else ""
            if not token.text[:1].isupper() or verb not in _HEADLINE_VERBS or token.i == 0:
                continue
            start = token.i
            while start > 0 and not doc[start - 1].is_punct:
                start -= 1
            name = doc[start : token.i]
            rest = [t for t in doc[token.i + 1 :] if not t.is_space]
            while rest and rest[-1].is_punct and rest[-1].text not in "’”'\"":
                rest.pop()
            if not 1 <= len(name) <= 4 or not all(t.text[:1].isupper() for t in name) or len(rest) < 2:
                return
            speaker = self._named(name.text)
            if speaker is None:
                return
            span = (rest[0].idx, rest[-1].idx + len(rest[-1].text))
            self.found.append(_Found(speaker, span, (0, len(unit.text)), "indirect", token.text, unit))
            return

    @staticmethod
    def _earlier_attribution(
        quote: Quote, attributions: list[Attribution], speakers: dict[int, Speaker]
    ) -> Attribution | None:
        """The paragraph's last attribution of speech before the quotation, if it names someone."""
        for attribution in reversed(attributions):
            if attribution.cue.idx >= quote.start or lexicon.lemma(attribution.cue) not in lexicon.CLAUSE_VERBS:
                continue
            return attribution if speakers[attribution.cue.i].name else None
        return None

    def _mostly_quoted(self, unit: _Unit) -> bool:
        outside = "".join(ch for i, ch in enumerate(unit.text) if not any(q.contains(i) for q in unit.quotes))
        return len([w for w in outside.split() if any(c.isalnum() for c in w)]) <= _MAX_WORDS_BESIDE_QUOTE

    def _link_quotes(self, unit: _Unit, attributions: list[Attribution]) -> dict[int, Attribution]:
        """Each standalone quotation's attribution: a cue in the same sentence whose content is the quote or
        that has no content of its own, the nearest one first."""
        doc = unit.doc
        assert doc is not None
        owner: dict[int, Attribution] = {}
        taken: set[int] = set()
        for qi, quote in enumerate(unit.quotes):
            if not quote.standalone:
                continue
            sentence = _sentence_span(doc, max(0, quote.start - 1), min(len(unit.text), quote.end + 1))
            if quote.closed and sentence[1] <= quote.end + 2:
                # the parser often ends the sentence with the quotation ("“…?” Trump said."): the attribution
                # then opens the next sentence, which still belongs to this quotation
                rest = unit.text[sentence[1] :]
                after = sentence[1] + len(rest) - len(rest.lstrip())
                sentence = (sentence[0], _sentence_span(doc, after, after + 1)[1])
            best: tuple[int, Attribution] | None = None
            for attribution in attributions:
                cue_at = attribution.cue.idx
                if not sentence[0] <= cue_at < sentence[1] or attribution.cue.i in taken:
                    continue
                if (
                    lexicon.lemma(attribution.cue) not in lexicon.CLAUSE_VERBS
                    and attribution.cue_text != "according to"
                ):
                    continue
                if attribution.content is not None:
                    start, end = _char_span(doc, attribution.content)
                    overlap = min(end, quote.end) - max(start, quote.start)
                    if overlap < 0.5 * (end - start):
                        continue
                distance = quote.start - cue_at if cue_at < quote.start else cue_at - quote.end
                if best is None or distance < best[0]:
                    best = (distance, attribution)
            if best is not None:
                owner[qi] = best[1]
                taken.add(best[1].cue.i)
        return owner

    def _headline_source(self, unit: _Unit, attributions: list[Attribution], speakers: dict[int, Speaker]) -> None:
        """A headline names the side ("UK says …"); the update's people without a side of their own take it. A
        source without a side yet ("Opposition says …") may get it from the update ("The opposition Unity Bloc")."""
        for attribution in attributions:
            if speakers[attribution.cue.i].side:
                self.headline_source[unit.update_index] = speakers[attribution.cue.i]
                return
        doc = unit.doc
        assert doc is not None
        for token in doc:
            if token.dep_ == "nsubj" and token.lemma_.lower() in lexicon.TITLE_NOUNS:
                speaker = self.resolver.resolve(token)
                if speaker.side:
                    self.headline_source[unit.update_index] = speaker
                return
        bodies = [speakers[a.cue.i] for a in attributions if speakers[a.cue.i].person is None]
        if bodies:
            self.headline_source[unit.update_index] = bodies[0]

    def _headline_person(self, found: _Found, body_people: list[Person]) -> Person | None:
        """ "…, foreign minister says": a headline's role-only speaker is the update's person with that role,
        else the first person the update quotes, if their sides agree."""
        speaker = found.speaker
        words = (speaker.name or "").lower().replace("-", " ").split()
        if speaker.person is not None or not words or words[-1] not in lexicon.TITLE_NOUNS:
            return None
        agree = [p for p in body_people if speaker.side is None or p.side in (None, speaker.side)]
        for person in agree:
            role = (person.role or "").lower().replace("-", " ").split()
            if words[-1] in role:
                return person
        return agree[0] if agree else None

    def _claims(self) -> list[ExtractedClaim]:
        claims: list[ExtractedClaim] = []
        seen: set[tuple[int, int]] = set()
        body_people: dict[int, list[Person]] = {}
        for found in self.found:
            person = found.speaker.person
            if person is not None and not found.unit.is_headline:
                people = body_people.setdefault(found.unit.update_index, [])
                if person not in people:
                    people.append(person)
        for found in sorted(self.found, key=lambda f: f.unit.start + f.text_span[0]):
            unit = found.unit
            start, end = unit.start + found.text_span[0], unit.start + found.text_span[1]
            if (start, end) in seen:
                continue
            seen.add((start, end))
            speaker = found.speaker
            name, role, side = speaker.name, speaker.role, speaker.side
            people = body_people.get(unit.update_index, [])
            person = speaker.person or (self._headline_person(found, people) if unit.is_headline else None)
            if person is not None:
                name, role, side = person.name, person.role, person.side or side
                if side is None and people and people[0] is person:
                    headline = self.headline_source.get(unit.update_index)
                    side = headline.side if headline else None
            sentence = unit.text[found.sentence_span[0] : found.sentence_span[1]].strip()
            text = self.document.text[start:end]
            for piece in found.more:  # the pieces of one quotation, joined where its attribution stood
                text = text.rstrip(" ,") + " … " + unit.text[piece[0] : piece[1]]
                end = unit.start + piece[1]
            claims.append(
                ExtractedClaim(
                    speaker=name,
                    speaker_role=role,
                    actor=side,
                    text=text,
                    sentence=sentence,
                    kind=found.kind,
                    cue=found.cue,
                    update_index=unit.update_index,
                    start=start,
                    end=end,
                )
            )
        _one_side_per_speaker(claims)
        sides_named_in_article(claims)
        return claims


def _to_headline_end(doc: Doc, attributions: list[Attribution]) -> None:
    """A headline's statement after its cue runs to the headline's end: the parser often leaves a title-case
    headline's last words hanging from the cue ("Talmir denies closing the sluice | gates"). Only words that hang
    from the cue or the statement, with no punctuation or subject of their own ("…, Ukraine disagrees" is not)."""
    end = len(doc)
    while end and doc[end - 1].is_punct:
        end -= 1
    for a in attributions:
        if a.content is None or a.source is None or not a.source.i < a.cue.i < a.content[0] or a.content[1] >= end:
            continue
        start, stop = a.content
        tail = doc[stop:end]
        if all(
            not t.is_punct
            and t.dep_ not in {"nsubj", "nsubjpass", "expl"}
            and (t.head.i == a.cue.i and t.dep_ == "dep" or start <= t.head.i < end)
            for t in tail
        ):
            a.content = (start, end)


def _one_side_per_speaker(claims: list[ExtractedClaim]) -> None:
    """A speaker whose side is stated anywhere in the article has it on every claim, unless sides conflict."""
    sides: dict[str, set[str]] = {}
    for claim in claims:
        if claim.speaker and claim.actor:
            sides.setdefault(claim.speaker, set()).add(claim.actor)
    for claim in claims:
        known = sides.get(claim.speaker or "")
        if claim.actor is None and known and len(known) == 1:
            claim.actor = next(iter(known))


def extract(document: Document, *, aliases: Mapping[str, str] | None = None, nlp: Any = None) -> list[ExtractedClaim]:
    """Every attributed claim in the document, in reading order.

    ``aliases`` maps extra side names (lower case) to canonical sides and is consulted before the gazetteer;
    ``nlp`` is a loaded spaCy pipeline (default: ``load_pipeline()``).
    """
    if not document.updates:
        return []
    return _Extractor(document, nlp or load_pipeline(), aliases).run()
