"""Words that mark attribution: reporting and cognition verbs, statement nouns, and who can be a source."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs whose clausal complement (ccomp: "X said (that) ...") is what the subject asserts. Lemmas, as spaCy gives
# them. Broad on purpose: news attributes with hundreds of verbs, and a clause after one of these is the claim.
CLAUSE_VERBS = frozenset(
    """
    say tell add note state declare announce report write tweet post claim assert contend maintain insist argue
    reason explain observe remark comment mention reveal disclose confirm acknowledge admit concede grant allow
    deny dispute reject refute rebut counter respond reply answer retort recall recount describe testify
    warn caution alert threaten predict forecast project estimate calculate expect anticipate foresee
    believe think feel suspect suppose assume presume reckon consider guess imagine hope fear worry doubt
    know understand realize realise recognize recognise learn hear discover find conclude determine decide judge
    show suggest indicate imply signal demonstrate prove establish illustrate highlight underline underscore stress
    emphasize emphasise point charge allege accuse complain lament protest object concur agree acknowledge
    promise pledge vow swear guarantee assure reassure vouch commit affirm reaffirm reiterate repeat
    propose recommend urge demand ask request require insist order instruct advise suggest
    boast brag joke quip scoff sneer mock snap shout yell scream cry whisper mutter murmur sigh
    conclude infer deduce speculate theorize wonder question ask inquire query rule opine muse bemoan
    signal hint insinuate concede confess divulge relay inform notify brief advise convey
    say""".split()
)

# Verbs whose object before the clause is whom they address ("told Morning Joe on Friday that …")
RECIPIENT_VERBS = frozenset("tell inform assure reassure remind notify convince persuade brief promise teach".split())

# Verbs whose infinitive complement (xcomp, with or without an object) is the claim: "urged Russia to prove ...",
# "vowed to push ...", "threatened to block ...".
INFINITIVE_VERBS = frozenset(
    """
    urge ask call press push implore beg appeal encourage invite challenge dare demand request tell order
    instruct advise warn caution promise pledge vow swear threaten plan intend want wish hope expect aim seek
    offer agree refuse decline reject propose vote commit resolve decide tell""".split()
)

# Verbs whose noun-phrase object is itself the claim: "announced a pullback", "denied involvement".
OBJECT_VERBS = frozenset(
    """
    announce deny reject dispute confirm acknowledge admit predict forecast estimate promise pledge vow
    propose recommend urge demand call criticize criticise condemn blast slam decry denounce praise hail welcome
    applaud endorse support oppose back defend dismiss question challenge blame accuse cite claim allege
    report reveal disclose warn threaten mention note cite attack tout discuss offer promote champion ridicule
    mock rip lambast thank fault commend congratulate call label brand express echo reference bemoan admire
    embrace liken compare characterize characterise describe detail outline unveil stress emphasize emphasise
    highlight underscore underline signal lament deplore regret concede reiterate""".split()
)

# Verbs of taking a side: their object, even a bare name, is whom the stance is for or against
STANCE_VERBS = frozenset(
    """
    endorse support back oppose attack criticize criticise condemn denounce praise defend blame thank slam blast
    reject admire embrace""".split()
)

# "accused A of ...", "blamed A for ...", "warned of ...", "described A as ...": the preposition that opens the claim
PREPOSITION_VERBS: dict[str, frozenset[str]] = {
    "accuse": frozenset({"of"}),
    "blame": frozenset({"for"}),
    "criticize": frozenset({"for"}),
    "criticise": frozenset({"for"}),
    "praise": frozenset({"for"}),
    "thank": frozenset({"for"}),
    "warn": frozenset({"of", "about", "against"}),
    "caution": frozenset({"against", "about"}),
    "call": frozenset({"for", "on"}),
    "describe": frozenset({"as"}),
    "characterize": frozenset({"as"}),
    "characterise": frozenset({"as"}),
    "label": frozenset({"as"}),
    "brand": frozenset({"as"}),
    "dismiss": frozenset({"as"}),
    "speak": frozenset({"of", "about"}),
    "talk": frozenset({"about", "of"}),
    "complain": frozenset({"about", "of"}),
    "insist": frozenset({"on"}),
    "argue": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "press": frozenset({"for"}),
    "appeal": frozenset({"for"}),
    "liken": frozenset({"to"}),
    "compare": frozenset({"to", "with"}),
    "refer": frozenset({"to"}),
    "point": frozenset({"to"}),
    "view": frozenset({"as"}),
    "regard": frozenset({"as"}),
    "see": frozenset({"as"}),
    "worry": frozenset({"about"}),
    "rail": frozenset({"against"}),
}

# Nouns of saying whose that-clause is a claim when a source is named: "claims from the United States that ...",
# "Moscow's assertion that ...".
STATEMENT_NOUNS = frozenset(
    """
    claim claims statement assertion allegation accusation charge denial warning assurance insistence suggestion
    argument contention belief view fear fears hope hopes concern concerns promise pledge vow threat prediction
    estimate forecast report reports finding findings conclusion announcement admission acknowledgement
    confirmation comment comments remark remarks testimony message word indication signal""".split()
)

# Nouns that are a statement only as their speaker's own act, with a light verb: "made the case that …"
CASE_NOUNS = frozenset({"case", "point", "possibility", "idea", "notion", "prospect", "impression", "sense"})

# Verbs that make a statement noun their subject's own act: "made the argument that", "expressed hope that",
# "raised the possibility that", "stood by her claim that", "persisted in arguments that"
LIGHT_VERBS = frozenset(
    """
    make express voice raise offer give issue repeat reiterate air float advance put share renew press persist
    stand stick deliver convey publish release restate renew echo""".split()
)

# Sources that are documents or studies: "a report found ...", "the poll shows ..."
DOCUMENT_NOUNS = frozenset(
    """
    report study survey poll analysis review investigation inquiry audit assessment estimate estimates data
    figures statistics document documents statement release memo letter filing indictment complaint lawsuit
    ruling verdict decision video footage photo photos image images evidence research paper book article
    record records tally count census model projection forecast average averages polling""".split()
)

# What documents, polls and recordings do with what they hold: with such a source even a bare object is the claim
EVIDENCE_VERBS = frozenset({"show", "find", "suggest", "indicate", "reveal", "document", "confirm"})

# Verbs that are cues only with a clause (never with a bare object): "the video shows that ...", not "shows images".
CLAUSE_ONLY = frozenset({"show", "find", "see", "know", "hear", "learn", "feel", "think", "hope", "fear", "prove"})

# Subjects that are never sources
NON_SOURCES = frozenset(
    {"there", "what", "which", "that", "this", "these", "those", "something", "nothing", "anything"}
)

# Verbs too common to be cues unless their subject is clearly a speaker (a name, a pronoun, an organisation)
WEAK_VERBS = frozenset(
    {
        "add",
        "see",
        "know",
        "find",
        "show",
        "feel",
        "hear",
        "learn",
        "understand",
        "allow",
        "grant",
        "repeat",
        "answer",
        "decide",
        "determine",
        "commit",
        "order",
        "point",
        "charge",
        "want",
        "wish",
        "plan",
        "intend",
        "aim",
        "seek",
        "offer",
        "vote",
        "resolve",
        "expect",
        "prove",
        "establish",
        "question",
        "support",
        "back",
        "defend",
        "oppose",
    }
)

# Particles that belong to the cue ("pointed out", "called on")
PARTICLES = frozenset({"out", "up", "on", "for", "back", "off", "down", "over"})

# Role words that make a description a title of one person ("the defence minister", "NATO's chief")
TITLE_NOUNS = frozenset(
    """
    minister secretary spokesman spokeswoman spokesperson president chancellor premier prime chief head leader
    director general commander envoy ambassador governor mayor senator representative congressman congresswoman
    chairman chairwoman chair ceo founder king queen prince emperor pope official adviser advisor aide
    secretary-general deputy justice judge attorney prosecutor negotiator diplomat lawmaker mp
    analyst economist correspondent reporter editor councillor councilor councilman councilwoman alderman
    commissioner superintendent sheriff inspector""".split()
)

# the last word of a party's or an alliance's name, which speaks for itself: "Unity Party", "Civic Front"
POLITICAL_HEADS = frozenset("party front union alliance league coalition movement bloc federation".split())
# the last word of any body's name, never a surname: "Unity Party claims victory", "Harbour Council says ..."
ORGANISATION_HEADS = POLITICAL_HEADS | frozenset(
    """council commission committee ministry department government parliament assembly congress senate court army
    navy police agency bank company corporation group institute university association organisation organization
    office bureau authority board""".split()
)

# words before a name that are not part of it ("Professor Alba Greco", "Sen. Ruiz")
HONORIFICS = frozenset(
    """mr mrs ms miss dr prof professor sen senator rep gov governor gen general lt col colonel maj major capt
    captain sgt rev reverend sir dame lord lady president minister secretary judge justice mayor""".split()
)

# forms the pipeline's lemmatizer gets wrong ("hoped" → "hop"), by the word as written
_LEMMA_FIXES = {"hoped": "hope", "hopes": "hope", "hoping": "hope", "echos": "echo", "echoes": "echo"}


def lemma(token: Token) -> str:
    """The token's lemma in lower case, with the lemmatizer's known slips on cue words mended."""
    return _LEMMA_FIXES.get(token.lower_) or token.lemma_.lower()


PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "it"})
