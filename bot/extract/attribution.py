"""Finds attributions in one parsed paragraph: a cue, the source's head word and the content's token range."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.extract import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_VERB_POS = frozenset({"VERB", "AUX"})
# dependency labels through which a verb without a subject of its own shares its head's ("…, adding that …")
_SHARES_SUBJECT = frozenset({"advcl", "conj", "xcomp"})
# a cue reached from another cue's content root only through these is part of that content ("said she hopes …")
_SPINE = frozenset({"ccomp", "xcomp"})
_MODIFIERS = frozenset({"advcl", "prep", "pcomp", "pobj", "npadvmod", "conj", "parataxis", "acl", "relcl"})
# children of a source's head word that are not part of its name
_NOT_NAME = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "parataxis", "prep", "case"})
_RECIPIENTS = frozenset({"reporter", "journalist", "press", "media", "audience", "crowd", "supporter", "lawmaker"})
# what may follow an object claim as part of it: complements, prepositional phrases, measure phrases
_OBJECT_TAIL = frozenset({"oprd", "xcomp", "ccomp", "prep", "npadvmod", "dative", "advmod", "acomp"})
_GERUND_PREPS = frozenset({"by", "after", "before", "while", "when", "in", "since"})
_TIME_OR_PLACE = frozenset({"npadvmod", "prep", "advmod", "nsubj"})
_WH_WORDS = frozenset({"what", "which", "whom", "who"})
# verbs whose use opens a statement of its own, even coordinated into another's content
_STATEMENT_VERBS = lexicon.CLAUSE_VERBS | lexicon.OBJECT_VERBS
_SAYING = frozenset({"say", "tell", "add", "ask", "reply", "respond", "write", "tweet", "shout", "yell"})
_SUBORDINATORS = frozenset({"because", "since", "until", "unless", "if"})
_CLAUSAL = frozenset({"advcl", "ccomp", "conj", "parataxis", "xcomp"})
_ASIDE_MARKS = frozenset({",", "—", "–"})
_RELATIVE_ASIDE = frozenset({"which", "who", "whom", "whose", "where"})
_LEADING_JUNK = frozenset({"that", ",", ";", ":", "—", "–", "-", "and", "but"})


@dataclass
class Attribution:
    """One attribution found by the parse. ``content`` is a [start, end) token range, or None for a bare cue
    ("Dalen told reporters") that only introduces a quotation."""

    cue: Token
    cue_text: str
    source: Token | None
    content: tuple[int, int] | None
    root: Token | None = None
    excluded: set[int] = field(default_factory=set)
    quote_index: int | None = None  # set when this attribution introduces a standalone quotation
    gap: tuple[int, int] | None = None  # tokens inside ``content`` that are not part of it (a medial attribution)


def _children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _describes_next(first: Token, second: Token) -> bool:
    """ "The opposition Unity Bloc said": the parser makes two subjects of a common noun and the name it describes
    right after it; the name is the source."""
    return first.pos_ == "NOUN" and second.pos_ == "PROPN" and second.left_edge.i == first.right_edge.i + 1


def subject_of(verb: Token, inside_quote: Sequence[bool] | None = None) -> Token | None:
    """The verb's own subject, or the subject it shares with the verb it hangs from; None in the passive.
    A subject inside quotation marks is the parser mistaking the quote's last words for the speaker
    (“… Full panic mode,” said X): the one outside the marks is taken."""
    current = verb
    for _ in range(4):
        subjects = _children(current, "nsubj", "nsubjpass", "csubj")
        if inside_quote is not None and len(subjects) > 1:
            subjects = [s for s in subjects if not inside_quote[s.i]] or subjects
        if len(subjects) > 1 and _describes_next(subjects[0], subjects[1]):
            subjects = subjects[1:]
        if subjects:
            return subjects[0] if subjects[0].dep_ == "nsubj" else None
        if current.dep_ == "pcomp" and current.tag_ == "VBG" and _reports_by_gerund(current):
            # "responded by saying …", "after saying …": the gerund's subject is that of the verb it modifies
            prep = current.head
            if prep.head.i == prep.i or prep.head.pos_ not in _VERB_POS:
                return None
            current = prep.head
            continue
        if current.dep_ not in _SHARES_SUBJECT or current.head.i == current.i or current.head.pos_ not in _VERB_POS:
            return None
        if current.dep_ == "advcl" and current.tag_ == "VBN" and not _children(current, "aux", "auxpass"):
            return None  # "…, when asked to comment": a reduced passive, whose asker is not the clause's subject
        if current.dep_ == "xcomp" and _children(current.head, "dobj"):
            return None  # "urged Russia to prove": the object, not the subject, would act
        current = current.head
    return None


def _reports_by_gerund(verb: Token) -> bool:
    """ "by saying that …", "after warning that …": a verb of saying with its clause, in a phrase of manner or time."""
    lemma = lexicon.lemma(verb)
    return (
        verb.head.lower_ in _GERUND_PREPS
        and lemma in lexicon.CLAUSE_VERBS
        and lemma not in lexicon.WEAK_VERBS
        and bool(_children(verb, "ccomp"))
    )


def run_around(root: Token, excluded: set[int], tokens: Iterable[int] | None = None) -> tuple[int, int]:
    """The longest unbroken run of the root's subtree (minus ``excluded``) that contains the root."""
    members = set(tokens) if tokens is not None else {t.i for t in root.subtree}
    members -= excluded
    start = end = root.i
    while start - 1 in members:
        start -= 1
    while end + 1 in members:
        end += 1
    return start, end + 1


def trim(doc: Doc, span: tuple[int, int]) -> tuple[int, int] | None:
    """Drops a leading "that"/conjunction/punctuation and trailing punctuation; None if nothing is left."""
    start, end = span
    while start < end and (doc[start].lower_ in _LEADING_JUNK or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in '”’")]' or doc[end - 1].is_space):
        end -= 1
    while end > start and doc[end - 1].lower_ in {"and", "but", "or"}:
        end -= 1
    end = _without_trailing_aside(doc, start, end)
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in '”’")]' or doc[end - 1].is_space):
        end -= 1
    return (start, end) if end > start else None


def _without_trailing_aside(doc: Doc, start: int, end: int) -> int:
    """The content without what the writer adds at its end: a participle after a comma (", engaging in …") or
    the next clause after a semicolon. Quoted words are never cut; relative clauses and appositions stay (the
    live-blog reading keeps ", one of which …" as part of what was said)."""
    for k in range(start + 1, end - 1):
        if doc[k].text == ";" and not _quoted(doc, k):
            return k
    for k in range(end - 2, start, -1):
        if doc[k].text not in {",", "—", "–"} or _quoted(doc, k):
            continue
        tail = range(k + 1, end)
        roots = [t for t in doc[k + 1 : end] if t.head.i not in tail or t.head.i == t.i]
        if len(roots) != 1 or roots[0].head.i >= k + 1:
            return end
        root = roots[0]
        if root.dep_ == "advcl" and root.tag_ == "VBG":
            return k
        series = any(c.dep_ == "relcl" and c.i < k for c in root.head.children)  # "people who …, who …"
        if doc[k + 1].lower_ in _RELATIVE_ASIDE and root.dep_ in {"relcl", "advcl", "ccomp"} and root.head.i < k:
            return (
                end if series else k
            )  # ", which forced her to leave early": the writer's note on a word of the content
        return end
    return end


def _quoted(doc: Doc, k: int) -> bool:
    """Whether token ``k`` stands between quotation marks opened earlier in its sentence."""
    depth = 0
    for token in doc[doc[k].sent.start : k]:
        if token.text == "“":
            depth += 1
        elif token.text == "”":
            depth = max(0, depth - 1)
        elif token.text == '"':
            depth = 0 if depth else 1
    return depth > 0


def _infinitive(verb: Token) -> Token | None:
    for child in _children(verb, "xcomp"):
        if any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children):
            return child
    return None


def _more_infinitives(verb: Token, child: Token) -> bool:
    """A bare verb coordinated with a finite one cannot be its equal: it continues the infinitive before it."""
    return (
        child.dep_ == "conj"
        and child.tag_ == "VB"
        and verb.tag_ in {"VBZ", "VBD", "VBP"}
        and not _children(child, "nsubj", "aux", "nsubjpass")
    )


def _object(verb: Token) -> Token | None:
    objects = _children(verb, "dobj")
    return objects[0] if objects else None


def _is_recipient(token: Token) -> bool:
    return lexicon.lemma(token) in _RECIPIENTS or token.ent_type_ in {"ORG", "PERSON"} and token.dep_ == "dative"


def content_of(verb: Token, evidence: bool = False) -> tuple[Token, tuple[int, int]] | None:
    """The root and token range of what the cue verb reports, by the shape of its complement. ``evidence``: the
    source is a document, poll or recording, whose object is what it shows ("the poll shows Ruiz ahead")."""
    lemma = lexicon.lemma(verb)
    if _is_aside(verb):
        # "…, as a memo put it", "As the bank noted, …": the clause the aside hangs from is what was said
        head = verb.head
        return head, run_around(head, {t.i for t in verb.subtree})
    ccomps = [c for c in _children(verb, "ccomp") if c.pos_ in _VERB_POS or c.dep_ == "ccomp"]
    ccomps += [c for c in _misplaced_clauses(verb) if c.i > verb.i]
    # "“You winning?” she said, but …, Melanie said yes": an earlier attribution is not the later one's content
    ccomps = [
        c
        for c in ccomps
        if c.i > verb.i or not (lexicon.lemma(c) in _SAYING and _children(c, "nsubj") and not _children(c, "ccomp"))
    ]
    if lemma in lexicon.CLAUSE_VERBS and ccomps:
        after = [c for c in ccomps if c.i > verb.i] or ccomps
        root = after[0]
        start, end = run_around(root, set())
        if len(after) > 1:  # "said drills had ended and that soldiers were returning"
            end = max(end, after[-1].right_edge.i + 1)
        obj = _object(verb)
        if (
            obj is not None
            and verb.i < obj.i < root.i
            and not _is_recipient(obj)
            and obj.pos_ != "PRON"
            and lemma not in lexicon.RECIPIENT_VERBS
            and not any(m.lower_ == "that" and m.i > obj.i for m in _children(root, "mark"))
        ):
            start = min(start, obj.left_edge.i)  # the tagger took the clause's subject for an object
        return root, (start, _continued(verb, end))
    infinitive = _infinitive(verb)
    if lemma in lexicon.INFINITIVE_VERBS and infinitive is not None:
        obj = _object(verb)
        start = obj.left_edge.i if obj is not None and obj.i < infinitive.i else infinitive.left_edge.i
        end = infinitive.right_edge.i + 1
        for child in verb.children:  # the rest of a split infinitive ("to de-escalate" parsed as siblings)
            if child.i > infinitive.i and child.dep_ in {"xcomp", "dobj", "prep"}:
                end = max(end, child.right_edge.i + 1)
            elif child.i > infinitive.i and _more_infinitives(verb, child):
                end = max(end, child.right_edge.i + 1)  # "wants to triple A, grow B and create C"
        return infinitive, (start, end)
    preps = lexicon.PREPOSITION_VERBS.get(lemma)
    if preps:
        obj = _object(verb)
        candidates = _children(verb, "prep") + (_children(obj, "prep") if obj is not None and "as" in preps else [])
        for prep in candidates:
            if prep.head.i != verb.i and prep.lower_ != "as":
                continue
            objects = _children(prep, "pobj", "pcomp")
            if prep.lower_ not in preps or not objects or prep.i < verb.i:
                continue
            obj = _object(verb)
            if prep.lower_ == "as" or obj is None or obj.i > prep.i:
                return objects[0], (prep.i + 1, prep.right_edge.i + 1)
            return obj, (obj.left_edge.i, prep.right_edge.i + 1)
    obj = _object(verb)
    if lemma in lexicon.OBJECT_VERBS and obj is None:
        for gerund in _children(verb, "xcomp", "ccomp", "pcomp"):
            if gerund.i > verb.i and gerund.tag_ == "VBG" and not _children(gerund, "aux", "nsubj"):
                # "proposed dropping the levy", "denied taking money": the gerund's clause is the object
                return gerund, (gerund.left_edge.i, _object_tail(verb, gerund))
        for clause in _children(verb, "ccomp"):
            if clause.i > verb.i and clause.left_edge.lower_ in _WH_WORDS:
                # "condemned what he called a brazen breach": the free relative is the object
                return clause, (clause.left_edge.i, clause.right_edge.i + 1)
    if obj is not None and lemma in lexicon.LIGHT_VERBS and lexicon.lemma(obj) in lexicon.STATEMENT_NOUNS:
        clauses = [c for c in _that_clauses(obj) if c.pos_ in _VERB_POS]
        if clauses:  # "expressed hope that talks resume": the clause, not the noun, is what was said
            return clauses[0], run_around(clauses[0], set())
    shows = evidence and lemma in lexicon.EVIDENCE_VERBS
    if (lemma in lexicon.OBJECT_VERBS and lemma not in lexicon.CLAUSE_ONLY or shows) and obj is not None:
        end = _object_tail(verb, obj)
        # "called the charges unsubstantiated", "attacked her opponent as a fraud": the object and what is said of
        # it; a bare person or pronoun ("attacked Machado") says too little to be a claim
        described = end > obj.right_edge.i + 1 and any(
            c.dep_ in {"oprd", "xcomp", "ccomp"} or c.lower_ in {"as", "for", "of"}
            for c in verb.children
            if c.i > obj.i
        )
        described = described or shows and end > obj.right_edge.i + 1
        # "the paper endorsed Ruiz": whom a stance is for or against is the claim, even a bare name
        target = lemma in lexicon.STANCE_VERBS and obj.pos_ == "PROPN"
        if (
            (obj.pos_ != "PRON" and obj.ent_type_ != "PERSON" or described or target)
            and not _is_recipient(obj)
            and (obj.right_edge.i > obj.left_edge.i or described or target)
        ):
            return obj, (obj.left_edge.i, end)
    if lemma in lexicon.CLAUSE_VERBS and verb.dep_ == "parataxis" and verb.head.i < verb.i and _closes(verb):
        # "Traffic was rerouted …, it said": the clause the cue hangs from is the claim
        head = verb.head
        return head, run_around(head, {t.i for t in verb.subtree})
    return None


def _continued(verb: Token, end: int) -> int:
    """The content's end, carried over what the parser hung from the cue verb but belongs to what was said: a
    reason or condition right after it ("… because he doubted any court would enforce it") and a stance joined
    to it without a subject of its own ("… but could not bear to insult him")."""
    doc = verb.doc
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i < end:
            continue
        if any(not (t.is_punct or t.dep_ == "cc") for t in doc[end : child.left_edge.i]):
            break
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _SUBORDINATORS for m in child.children):
            end = child.right_edge.i + 1
        elif (
            child.dep_ == "conj"
            and child.pos_ in _VERB_POS
            and not _children(child, "nsubj", "nsubjpass", "expl")
            and any(a.tag_ == "MD" for a in child.children)
            and not _is_cue_verb(child)
        ):
            end = child.right_edge.i + 1
        else:
            break
    return end


def _misplaced_clauses(verb: Token) -> list[Token]:
    """ "tweeted in the early hours that …": a that-clause after a phrase, which the parser hangs as an adverbial
    of the verb or as a relative clause of the phrase's noun, with "that" as a marker rather than a pronoun."""
    candidates = _children(verb, "advcl") + [
        c for prep in _children(verb, "prep") for obj in _children(prep, "pobj") for c in _children(obj, "relcl")
    ]
    return [
        c
        for c in candidates
        if c.pos_ in _VERB_POS
        and c.left_edge.lower_ == "that"
        and c.left_edge.head.i == c.i
        and c.left_edge.dep_ in {"mark", "advmod"}
    ]


def _closes(verb: Token) -> bool:
    """Whether the cue's clause is set off after a comma or dash at its sentence's end ("…, it said.")."""
    doc = verb.doc
    before = verb.left_edge.i - 1
    after = [t for t in doc[verb.right_edge.i + 1 : verb.sent.end] if not (t.is_punct or t.is_space)]
    return before >= verb.sent.start and doc[before].text in _ASIDE_MARKS | {"”", '"'} and not after


def _is_aside(verb: Token) -> bool:
    """ "as X put it", "as X said": an "as" clause of saying with no content of its own."""
    lemma = lexicon.lemma(verb)
    if verb.dep_ != "advcl" or not (lemma in lexicon.CLAUSE_VERBS or lemma == "put"):
        return False
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return False
    if _children(verb, "ccomp", "xcomp"):
        return False
    objects = _children(verb, "dobj")
    if lemma == "put":
        return len(objects) == 1 and objects[0].lower_ == "it"
    return all(o.lower_ in {"it", "so", "this"} for o in objects)


def _object_tail(verb: Token, obj: Token) -> int:
    """End of an object claim: the object and the verb's complements right after it ("… the complaint as silly",
    "… for accepting donations", "… a day earlier"), up to a comma or a clause of its own."""
    end = obj.right_edge.i + 1
    doc = verb.doc
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i <= obj.i or child.dep_ in {"cc", "punct"} and child.i >= end:
            continue  # the conjunction or comma before the next part is judged with that part
        between = doc[end : child.left_edge.i]
        if any(t.dep_ != "cc" for t in between):
            break
        coordinated = child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN"}
        if child.dep_ not in _OBJECT_TAIL and not coordinated:
            break
        end = child.right_edge.i + 1
    return end


def _cue_text(verb: Token) -> str:
    words = [verb]
    for child in verb.children:
        if child.dep_ == "prt" and child.lower_ in lexicon.PARTICLES:
            words.append(child)
        if child.dep_ in {"dobj", "dative"} and lexicon.lemma(child) in _RECIPIENTS and child.i == verb.i + 1:
            words.append(child)
    return " ".join(w.text for w in sorted(words, key=lambda w: w.i))


def _is_cue_verb(token: Token) -> bool:
    if token.pos_ not in _VERB_POS or token.tag_ == "MD":
        return False
    lemma = lexicon.lemma(token)
    return (
        _is_aside(token)
        or lemma in lexicon.CLAUSE_VERBS
        or lemma in lexicon.INFINITIVE_VERBS
        or lemma in lexicon.OBJECT_VERBS
        or lemma in lexicon.PREPOSITION_VERBS
    )


def antecedent(token: Token) -> Token | None:
    """What a relative pronoun stands for: "Ines Ruda, who said …" (Ines Ruda), "the union leaders, who said …";
    "X is a veteran who has said …": X, the subject a predicate noun describes. "which" and "that" stand for a
    source only where it is a name, a body or a document ("the ministry, which said …"), not any thing that can
    "allow" or "require"."""
    if token.lower_ not in {"who", "that", "which"} or token.head.dep_ != "relcl":
        return None
    noun = token.head.head
    while noun.dep_ == "conj" and noun.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head
    if noun.dep_ == "attr":
        verb = noun.head
        while not _children(verb, "nsubj") and verb.dep_ == "conj":
            verb = verb.head  # "X incites … and is a liar who …": the subject the verbs share
        subjects = _children(verb, "nsubj")
        if subjects and subjects[0].lower_ not in {"it", "this", "that"}:  # "It was the ministry that said …"
            return subjects[0]
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    if token.lower_ == "who":
        return noun
    word = lexicon.lemma(noun)
    speaks = (
        noun.pos_ == "PROPN"
        or noun.ent_type_ in {"ORG", "GPE", "NORP", "PERSON"}
        or word in lexicon.DOCUMENT_NOUNS
        or word in lexicon.TITLE_NOUNS
        or word in lexicon.ORGANISATION_HEADS
    )
    return noun if speaks else None


def _plausible_source(token: Token) -> bool:
    named = antecedent(token)
    if named is not None:
        return _plausible_source(named)  # "the ministry, which said …"
    if token.lower_ in lexicon.NON_SOURCES or token.dep_ == "expl":
        return False
    if token.pos_ == "PRON":
        return token.lower_ not in {"it"} or True
    return token.pos_ in {"PROPN", "NOUN", "NUM", "ADJ"} or bool(token.ent_type_)


def _verb_attributions(doc: Doc, inside_quote: Sequence[bool]) -> list[Attribution]:
    found = []
    for token in doc:
        if inside_quote[token.i] or not _is_cue_verb(token):
            continue
        source = subject_of(token, inside_quote)
        if source is None or not _plausible_source(source) or inside_quote[source.i]:
            continue
        if source.lower_ == "it" and _children(token, "xcomp") and lexicon.lemma(token) in {"remain", "seem"}:
            continue
        evidence = lexicon.lemma(source) in lexicon.DOCUMENT_NOUNS
        medial = _medial(token, inside_quote)
        content = medial[:2] if medial else content_of(token, evidence) or _fronted(token, source, inside_quote)
        if evidence and lexicon.lemma(token) in lexicon.EVIDENCE_VERBS and content is not None:
            pass  # "the video shows …", "polls show …": a document's findings, whatever their shape
        elif lexicon.lemma(token) in lexicon.WEAK_VERBS and source.pos_ == "NOUN" and not source.ent_type_:
            if content is None or content[0].dep_ != "ccomp":
                continue
        if content is None and lexicon.lemma(token) not in lexicon.CLAUSE_VERBS:
            continue  # only a verb of saying can stand bare, introducing a quotation ("X told reporters")
        gap = medial[2] if medial else None
        root, span = (content[0], content[1]) if content else (None, None)
        found.append(Attribution(cue=token, cue_text=_cue_text(token), source=source, content=span, root=root, gap=gap))
    return found


def _medial(verb: Token, inside_quote: Sequence[bool]) -> tuple[Token, tuple[int, int], tuple[int, int]] | None:
    """ "The museum, Bush said, celebrated his heroes": an attribution set off by commas inside the sentence it
    reports. The content is the sentence on both sides of it; the attribution (the gap) is left out of its text."""
    if lexicon.lemma(verb) not in lexicon.CLAUSE_VERBS or verb.dep_ != "parataxis" or _children(verb, "ccomp"):
        return None
    subjects = _children(verb, "nsubj")
    if not subjects or subjects[0].i > verb.i:
        return None
    doc = verb.doc
    # the attribution itself: its subject, the verb and what follows it ("told me on Friday"), between two commas
    tail = [c.right_edge.i for c in verb.children if c.i > verb.i and c.dep_ not in _CLAUSAL and not c.is_punct]
    start, end = subjects[0].left_edge.i - 1, max([verb.i, *tail]) + 1
    if start <= verb.sent.start or end >= verb.sent.end or end - start > 12:
        return None
    if doc[start].text not in _ASIDE_MARKS or doc[end].text not in _ASIDE_MARKS:
        return None
    gap = (start, end + 1)
    head = verb.head
    while head.pos_ not in _VERB_POS and head.head.i != head.i:
        head = head.head  # "The difference now, he told me, is that …": the clause, not the noun it cut off
    start = max(min(head.left_edge.i, verb.left_edge.i), verb.sent.start)
    end = min(max(head.right_edge.i, verb.right_edge.i) + 1, verb.sent.end)
    for side in (doc[gap[0] - 1], doc[gap[1]]):
        path = _path_deps(side, head)
        if path is not None and any(t.dep_ in {"relcl", "acl", "appos"} for t in path):
            return None  # "Schultz, who works for RT and, he said, …": inside a phrase, not the sentence
    words = [t for t in doc[start:end] if not (t.is_punct or t.is_space) and not gap[0] <= t.i < gap[1]]
    if not start < gap[0] or len([t for t in words if t.i >= gap[1]]) < 2:
        return None
    before = [t for t in words if t.i < gap[0]]
    if sum(inside_quote[t.i] for t in before) * 2 >= len(before):
        return None  # a quotation interrupted by its attribution: the quotation rules own it
    return head, (start, end), gap


def _fronted(verb: Token, source: Token, inside_quote: Sequence[bool]) -> tuple[Token, tuple[int, int]] | None:
    """ "The talks collapsed, officials said.": an attribution that closes its sentence after a comma, with no
    complement of its own, reports the clause before the comma (quotations are left to the quotation rules)."""
    if lexicon.lemma(verb) not in lexicon.CLAUSE_VERBS or verb.dep_ not in {"ROOT", "parataxis"}:
        return None
    doc = verb.doc
    sent = verb.sent
    comma = min(source.left_edge.i, verb.i) - 1
    if comma <= sent.start or doc[comma].text != ",":
        return None
    after = [t for t in doc[verb.i + 1 : sent.end] if not t.is_punct and not t.is_space]
    subtree = {t.i for t in verb.subtree}
    if any(t.i not in subtree or t.head.i == verb.i and t.dep_ not in _TIME_OR_PLACE for t in after):
        return None  # more than a time or place follows the cue: it is not the sentence's closing attribution
    span = (sent.start, comma)
    words = [t for t in doc[span[0] : span[1]] if not t.is_punct and not t.is_space]
    if len(words) < 3 or sum(inside_quote[t.i] for t in words) * 2 >= len(words):
        return None
    roots = [t for t in words if t.head.i not in range(*span) or t.head.i == t.i]
    if len(roots) != 1 or roots[0].pos_ not in _VERB_POS:
        return None  # "During his years in office, X said …": an opening phrase, not a clause
    return roots[0], span


def _according_to(doc: Doc, inside_quote: Sequence[bool]) -> list[Attribution]:
    found = []
    for token in doc:
        if token.lower_ != "according" or inside_quote[token.i]:
            continue
        to = [c for c in token.children if c.lower_ == "to"]
        objects = _children(to[0], "pobj") if to else []
        if not objects:
            continue
        clause = token.head
        while clause.pos_ not in _VERB_POS and clause.head.i != clause.i:
            clause = clause.head
        while clause.dep_ == "conj" and clause.head.pos_ in _VERB_POS and not _is_cue_verb(clause.head):
            clause = clause.head  # "A stood at … and has since grown …, according to X": the whole coordination
        if clause.i == token.i:
            opening = _opening_according(token)
            if opening is not None:
                found.append(opening)
            continue
        excluded = {t.i for t in token.subtree}
        span = run_around(clause, excluded)
        gap = _aside_gap(doc, token.left_edge.i, token.right_edge.i + 1)
        whole = (max(clause.left_edge.i, clause.sent.start), min(clause.right_edge.i + 1, clause.sent.end))
        if gap is not None and whole[0] < gap[0] and whole[1] - gap[1] >= 3 and span[1] <= gap[0] + 1:
            span = whole  # "Scott's relatives, according to their lawyers, said they …": both sides of the aside
        else:
            gap = None
        found.append(
            Attribution(
                cue=token,
                cue_text="according to",
                source=objects[0],
                content=span,
                root=clause,
                excluded=excluded,
                gap=gap,
            )
        )
    return found


def _opening_according(token: Token) -> Attribution | None:
    """ "According to X, …" that the parser made its sentence's root: the rest of the sentence after the first comma
    is what X says (the words in between name X)."""
    doc, sent = token.doc, token.sent
    if token.i != sent.start:
        return None
    comma = next((t.i for t in doc[token.i + 2 : sent.end] if t.text == ","), None)
    if comma is None or comma - token.i > 10:
        return None
    source = next((t for t in reversed(doc[token.i + 2 : comma]) if t.pos_ in {"PROPN", "NOUN"}), None)
    words = [t for t in doc[comma + 1 : sent.end] if not (t.is_punct or t.is_space)]
    if source is None or len(words) < 3:
        return None
    root = words[0]
    return Attribution(cue=token, cue_text="according to", source=source, content=(comma + 1, sent.end), root=root)


def _aside_gap(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The tokens ``start``–``end`` with the commas that set them off inside their sentence, or None."""
    if start < 1 or end >= len(doc) or doc[start - 1].text not in _ASIDE_MARKS or doc[end].text not in _ASIDE_MARKS:
        return None
    return start - 1, end + 1


def _that_clauses(token: Token) -> list[Token]:
    return [
        c
        for c in token.children
        if c.dep_ in {"acl", "ccomp"} and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    ]


def _mistagged_verb(token: Token, inside_quote: Sequence[bool]) -> Attribution | None:
    """ "Trump claims that …", "Ruiz charges that …": a verb of saying in the present tense that the tagger took for a
    plural noun, with the name before it as its subject or modifier and a that-clause after it."""
    if (
        token.tag_ != "NNS"
        or token.dep_ not in {"ROOT", "ccomp", "conj"}
        or lexicon.lemma(token) not in lexicon.CLAUSE_VERBS
    ):
        return None
    if any(c.dep_ in {"det", "poss", "nummod"} or c.dep_ == "amod" and c.is_lower for c in token.children):
        return None  # "the charges that …", "her claims that …", "false claims that …": a noun after all
    clauses = [c for c in _that_clauses(token) if c.i > token.i and c.pos_ in _VERB_POS]
    sources = [
        c
        for c in token.children
        if c.i < token.i and (c.dep_ == "nsubj" or c.dep_ in {"compound", "amod"} and c.text[:1].isupper())
    ]
    if not clauses or not sources or inside_quote[sources[0].i]:
        return None
    root = clauses[0]
    return Attribution(cue=token, cue_text=token.text, source=sources[0], content=run_around(root, set()), root=root)


def _noun_attributions(doc: Doc, inside_quote: Sequence[bool]) -> list[Attribution]:
    found = []
    for token in doc:
        if token.pos_ == "NOUN" and not inside_quote[token.i] and (verb := _mistagged_verb(token, inside_quote)):
            found.append(verb)
            continue
        noun = lexicon.lemma(token)
        if token.pos_ != "NOUN" or inside_quote[token.i] or noun not in lexicon.STATEMENT_NOUNS | lexicon.CASE_NOUNS:
            continue
        clauses = _that_clauses(token)
        if not clauses:
            continue
        source = None
        for child in token.children:
            if child.dep_ == "poss":
                source = child
            elif child.dep_ == "prep" and child.lower_ in {"from", "by"}:
                objects = _children(child, "pobj")
                source = objects[0] if objects else source
        cue_text = token.text
        if source is None or source.pos_ == "PRON" and source.lower_ in {"its", "their"} and noun in lexicon.CASE_NOUNS:
            light = _light_verb(token)
            source = subject_of(light, inside_quote) if light is not None else None
            if light is None or source is None or not _plausible_source(source) or inside_quote[source.i]:
                continue
            cue_text = doc[light.i : token.i + 1].text if token.i - light.i <= 4 else token.text
        elif noun not in lexicon.STATEMENT_NOUNS:
            continue
        root = clauses[0]
        found.append(
            Attribution(cue=token, cue_text=cue_text, source=source, content=run_around(root, set()), root=root)
        )
    return found


def _light_verb(noun: Token) -> Token | None:
    """The verb that makes a statement noun its subject's act: "made the argument that", "voiced fears that",
    "persisted in claims that". Verbs that judge someone else's statement ("rejected claims that") are not."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {"in", "by", "to", "with"}:
        head = head.head
    elif noun.dep_ not in {"dobj", "nsubjpass"}:
        return None
    if head.pos_ not in _VERB_POS or lexicon.lemma(head) not in lexicon.LIGHT_VERBS or head.i > noun.i:
        return None
    return head


def _path_deps(token: Token, ancestor: Token) -> list[Token] | None:
    """Tokens from ``token`` up to (not including) ``ancestor``; None if ``ancestor`` is not above it."""
    path = []
    current = token
    while current.i != ancestor.i:
        path.append(current)
        if current.head.i == current.i:
            return None
        current = current.head
    return path


def _shares(cue: Token) -> bool:
    """Whether a coordinated cue is an act of the content's own subject ("… and refused to …"); a verb of saying
    ("… and warned that …") opens a statement of its own."""
    return (
        cue.dep_ == "conj"
        and lexicon.lemma(cue) not in _STATEMENT_VERBS
        and not _children(cue, "nsubj", "nsubjpass", "expl")
    )


def _names_part_of_content(cue: Token, top: Token) -> bool:
    """An inner cue that only qualifies a phrase of the outer content: in a relative clause ("the plan, which he
    called reckless"), a free relative ("what she calls a war"), or below a clause that is itself the object of a
    preposition ("for what he believed was …"). Events beside the content ("after it announced …") are cut."""
    if top.dep_ in {"relcl", "acl"}:
        return True
    if any(c.lower_ in _WH_WORDS and c.dep_ in {"dobj", "nsubj", "attr", "oprd"} for c in cue.children):
        return True
    return top.dep_ in {"pcomp", "pobj"} and top.i != cue.i


def _nest(found: list[Attribution]) -> list[Attribution]:
    """A cue on another's content spine is part of that content; one in a modifier is cut out of it."""
    dropped: set[int] = set()
    for outer in found:
        if outer.content is None or outer.root is None:
            continue
        for inner in found:
            if inner is outer or inner.cue.i in dropped or not outer.content[0] <= inner.cue.i < outer.content[1]:
                continue
            path = _path_deps(inner.cue, outer.root)
            if inner.cue.i == outer.root.i or (path is not None and all(t.dep_ in _SPINE for t in path)):
                dropped.add(inner.cue.i)
                continue
            if path is not None and all(t.dep_ in _SPINE or t.dep_ == "conj" for t in path) and _shares(inner.cue):
                # "say he posed a threat and refused to drop the gun": a verb coordinated into the content with
                # the content's own subject is more of what was said: it stays in the content (and is a claim too)
                continue
            if path is None:
                continue
            top = next((t for t in path if t.dep_ in _MODIFIERS), path[-1])
            if inner.content is None or _names_part_of_content(inner.cue, top):
                continue  # "… through what she calls a war of words": the phrase is part of what is said
            if top.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _SUBORDINATORS for m in top.children):
                continue  # "… because he doubted a court would enforce it": the speaker's reason, said too
            # cut the nearest modifier that holds the inner cue ("…, a day after it announced …") out of the content
            if top.dep_ in {"pcomp", "pobj"} and top.head.i != outer.root.i:
                top = top.head
            outer.excluded |= {t.i for t in top.subtree}
            outer.content = run_around(outer.root, outer.excluded, range(*outer.content))
    return [a for a in found if a.cue.i not in dropped]


def find_attributions(doc: Doc, inside_quote: Sequence[bool]) -> list[Attribution]:
    """Every attribution whose cue lies outside quotation marks, nested ones resolved, contents trimmed."""
    found = (
        _verb_attributions(doc, inside_quote) + _according_to(doc, inside_quote) + _noun_attributions(doc, inside_quote)
    )
    found.sort(key=lambda a: a.cue.i)
    found = _nest(found)
    for attribution in found:
        if attribution.content is not None:
            attribution.content = trim(doc, attribution.content)
        gap, content = attribution.gap, attribution.content
        if gap is not None and (content is None or not content[0] < gap[0] or not gap[1] < content[1]):
            attribution.gap = None
        if content is not None and attribution.gap is None and content[0] <= attribution.cue.i < content[1]:
            attribution.content = None  # a content holding its own cue is a misparse, not a statement
    return found


def name_span(head: Token) -> tuple[int, int]:
    """The token range of a source's name: its head with modifiers, without clauses, appositions or lists."""
    excluded: set[int] = set()
    for child in head.children:
        if child.dep_ in _NOT_NAME and not (child.dep_ == "prep" and child.lower_ in {"of", "in", "at", "for", "from"}):
            excluded |= {t.i for t in child.subtree}
    start, end = run_around(head, excluded)
    doc = head.doc
    while start < end - 1 and (doc[start].dep_ == "det" and doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end
