"""Question normalisation: a question turned into the claim it asks about, text into comparable stems, and a safe
SQLite FTS5 query."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.match.memo import text_cache

# Words that carry no topic. Reporting verbs are here too: every stored claim was "said" by someone, so they only
# add noise when a question is compared with a claim.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it it's its itself just let's me more most my myself no nor
    not of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves yet via per amid
    says say said saying told tells tell according reportedly
    """.split()
)

# A small general synonym table: each group folds to its first word (the representative). Phrases are folded before
# the text is split into words, so "pull back" and "pullback" become the same token as "withdraw".
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("troops", "troop", "soldiers", "soldier", "forces", "servicemen", "personnel"),
    (
        "withdraw",
        "withdrawal",
        "withdrawing",
        "withdrew",
        "withdrawn",
        "pull back",
        "pulls back",
        "pulling back",
        "pulled back",
        "pullback",
        "pull-back",
        "pull out",
        "pulling out",
        "pulled out",
        "pulls out",
        "pullout",
        "leave",
        "leaving",
        "has left",
        "have left",
        "had left",
        "retreat",
        "drawdown",
        "draw down",
        "drawing down",
        "drew down",
        "return to base",
        "returned to base",
        "returning to base",
        "return to their bases",
        "returned to their bases",
        "returning to their bases",
        "return to barracks",
        "returned to barracks",
        "returning to barracks",
        "go home",
        "going home",
        "went home",
        "gone home",
        "head home",
        "heading home",
        "headed home",
        "de-escalate",
        "de-escalation",
        "deescalate",
        "deescalation",
        "disengage",
        "disengagement",
    ),
    (
        "increase",
        "build up",
        "building up",
        "built up",
        "buildup",
        "build-up",
        "massing",
        "massed",
        "amass",
        "amassing",
        "amassed",
        "bolster",
        "reinforce",
        "reinforcement",
        "boost",
        "escalate",
        "escalation",
        "ramp up",
        "step up",
    ),
    (
        "decrease",
        "reduce",
        "reduction",
        "cut",
        "lower",
        "shrink",
        "scale back",
        "scaling back",
        "scaled back",
        "scale down",
        "scaling down",
        "scaled down",
    ),
    # an activity that has stopped: "the drills are over" says they ended ("over" alone is a stop word)
    (
        "end",
        "finish",
        "wrap up",
        "wrapped up",
    ),
    ("attack", "strike", "assault", "offensive", "raid", "shelling", "bombardment"),
    # an election's honesty: "the vote was rigged", "no evidence of fraud", "ballot boxes were stuffed"
    (
        "fraud",
        "fraudulent",
        "rigged",
        "rigging",
        "vote-rigging",
        "ballot stuffing",
        "ballot-stuffing",
        "ballot boxes were stuffed",
        "stolen election",
    ),
    # the poll itself: "the vote was transparent and fair" answers "was the election rigged?"
    ("election", "elections", "vote", "votes"),
    ("invade", "invasion", "incursion"),
    ("deny", "denial", "reject", "rejection", "dismiss", "refute", "rebut"),
    # being answerable for a deed: "was behind the attack" ("carry out" is any task's verb: an attack's, see
    # _CARRY_OUT_DEED)
    (
        "perpetrate",
        "orchestrate",
        "mastermind",
        "is behind",
        "are behind",
        "was behind",
        "were behind",
        "be behind",
        "been behind",
        "responsible for",
        "involved in",
        "involvement in",
        "role in",
        # "the attack bore all the hallmarks of X": an attribution, the usual wording of officials and analysts
        "hallmarks of",
        "hallmark of",
    ),
    ("see", "saw", "seen", "sees", "seeing", "observe", "notice", "witness"),
    ("confirm", "confirmation", "acknowledge", "verify"),
    ("kill", "killed", "dead", "death", "die", "died"),
    ("talks", "talk", "negotiation", "negotiations", "negotiate", "dialogue", "diplomacy"),
    ("ceasefire", "cease-fire", "truce", "armistice"),
    ("sanctions", "sanction", "penalties", "embargo"),
    ("border", "frontier"),
    ("weapons", "weapon", "arms", "munitions"),
    ("exercise", "exercises", "drill", "drills", "manoeuvres", "maneuvers"),
    ("usa", "u.s.", "u.s.a.", "united states", "america", "american", "americans"),
    ("uk", "u.k.", "united kingdom", "britain", "british"),
    ("russia", "russian", "russians"),
    ("ukraine", "ukrainian", "ukrainians"),
    ("china", "chinese"),
    ("eu", "european union"),
    # singulars ending in -s, whose plural the Porter stemmer cuts differently ("bus" -> "bu", "buses" -> "buse")
    ("bus", "buses"),
    ("gas", "gases"),
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_VOWEL = re.compile(r"[aeiouy]")


# --- a light Porter-style stemmer: close to what the FTS5 porter tokenizer does, cheap, and cached per word ---------


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in the stem."""
    form = "".join("v" if _is_vowel(stem, i) else "c" for i in range(len(stem)))
    return len(re.findall(r"v+c+", form))


def _is_vowel(word: str, i: int) -> bool:
    ch = word[i]
    if ch in "aeiou":
        return True
    return ch == "y" and i > 0 and not _is_vowel(word, i - 1)


def _has_vowel(stem: str) -> bool:
    return any(_is_vowel(stem, i) for i in range(len(stem)))


def _cvc(stem: str) -> bool:
    """Consonant-vowel-consonant ending, last not w/x/y: 'hop' -> 'hope' after 'hoping' lost its suffix."""
    n = len(stem)
    if n < 3 or stem[-1] in "wxy":
        return False
    return not _is_vowel(stem, n - 3) and _is_vowel(stem, n - 2) and not _is_vowel(stem, n - 1)


_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("abli", "able"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
)
_STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""))
# longest suffix first, as Porter's step 4 takes the longest match
_STEP4 = sorted(
    "al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize".split(), key=len, reverse=True
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A Porter-style stem of one lowercase word; words of other scripts and short words come back unchanged."""
    if len(word) <= 2 or not word.isascii() or not word.isalpha():
        return word
    w = word
    # step 1a: plurals
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b: -ed / -ing
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif len(w) > 1 and w[-1] == w[-2] and w[-1] not in "lsz" and not _is_vowel(w, len(w) - 1):
                    w = w[:-1]
                elif _measure(w) == 1 and _cvc(w):
                    w += "e"
                break
    # step 1c: y -> i
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    for table in (_STEP2, _STEP3):
        for suffix, repl in table:
            if w.endswith(suffix):
                if _measure(w[: -len(suffix)]) > 0:
                    w = w[: -len(suffix)] + repl
                break
    for suffix in _STEP4:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    # step 5: final e, double l
    if w.endswith("e"):
        base = w[:-1]
        if _measure(base) > 1 or (_measure(base) == 1 and not _cvc(base)):
            w = base
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w


# --- synonyms ---------------------------------------------------------------------------------------------------


# Members whose stem would catch unrelated words ("forced", "mass graves", "arms" -> "armed", "rig"): matched as written
_EXACT_ONLY = frozenset(
    {"forces", "massing", "massed", "arms", "dead", "lower", "leave", "leaving", "personnel", "rigged", "rigging"}
)


def _build_tables() -> tuple[
    re.Pattern[str], dict[str, str], dict[str, str], dict[str, str], dict[str, tuple[str, ...]]
]:
    phrase_to_rep: dict[str, str] = {}
    word_to_rep: dict[str, str] = {}
    stem_to_rep: dict[str, str] = {}
    expansions: dict[str, tuple[str, ...]] = {}  # representative -> every member, for the index query
    for group in SYNONYMS:
        rep = group[0]
        expansions[rep] = group
        for member in group:
            if " " in member or "-" in member or "." in member:
                phrase_to_rep[member] = rep
            else:
                word_to_rep[member] = rep
                if member not in _EXACT_ONLY:
                    stem_to_rep[stem(member)] = rep
    # longest phrase first, so "pulling back" wins over "pull back"; a quotation mark may close or open between the
    # words of a phrase ('bore "all the hallmarks" of', 'a "pullback" from')
    between = r"""["“”‘']?\s+["“”‘']?"""
    alternatives = "|".join(re.escape(p).replace(r"\ ", between) for p in sorted(phrase_to_rep, key=len, reverse=True))
    phrases = re.compile(r"(?<![\w.])(?:" + alternatives + r")(?![\w-])")
    return phrases, phrase_to_rep, word_to_rep, stem_to_rep, expansions


_PHRASES, _PHRASE_TO_REP, _WORD_TO_REP, _STEM_TO_REP, _EXPANSIONS = _build_tables()


_BETWEEN = re.compile(r"""["“”‘']?\s+["“”‘']?""")


def _phrase_rep(found: str) -> str:
    """The synonym group's word of a phrase as the text writes it (quotation marks between its words dropped)."""
    return _PHRASE_TO_REP.get(found) or _PHRASE_TO_REP[_BETWEEN.sub(" ", found)]


def _anchor(phrase: str) -> str:
    """A word every match of ``phrase`` holds whole (its parts are letters set apart by spaces, hyphens or dots, and
    the pattern wants no word character on either side): its longest part, the rarer."""
    return max(reversed(re.split(r"[ .-]", phrase)), key=len)  # "have left": "left"


# Most texts hold no phrase of the table, which a set test on their words tells: the alternation is tried at every
# position of the text
_PHRASE_ANCHORS = frozenset(_anchor(p) for p in _PHRASE_TO_REP)
# "US" in capitals is the country, "us" is a pronoun: told apart before the text is lowercased
_US = re.compile(r"\b(?:U\.S\.A?\.?|USA|US)(?![\w.])")


# Phrasal verbs whose object splits them: "pulling its troops back" is "pulling back its troops", so it folds to
# "withdraw its troops" (the object is kept). Up to four words between, none of them punctuation or a clause word.
_OBJECT = r"((?:(?!(?:and|or|but|that|which|who|because|if|when|while)\b)[^\W_][\w'-]*\s+){%d,4}?)"
_SPLIT_PHRASAL: tuple[tuple[frozenset[str], re.Pattern[str], str], ...] = tuple(
    (
        frozenset(verbs.split("|")),  # the verbs alone: most texts hold none, and then the pattern is not tried
        re.compile(r"(?<![\w-])(" + verbs + r")\s+" + _OBJECT % least + r"(" + particles + r")(?![\w-])"),
        rep,
    )
    for verbs, particles, least, rep in (
        (r"pull|pulls|pulling|pulled", r"back|out", 1, "withdraw"),
        (r"draw|draws|drawing|drew|drawn", r"down", 1, "withdraw"),
        (r"bring|brings|bringing|brought|send|sends|sending|sent", r"home", 1, "withdraw"),
        (r"scale|scales|scaling|scaled", r"back|down", 1, "decrease"),
        (r"build|builds|building|built|step|steps|stepping|stepped|ramp|ramps|ramping|ramped", r"up", 1, "increase"),
        # "moved two battalions towards the border", "troops moving towards the border": an advance
        (r"move|moves|moving|moved", r"towards|toward|closer\s+to", 0, "advance"),
        # "returning to their permanent bases", "returned to their garrisons": a withdrawal
        (r"return|returns|returning|returned", r"bases|base(?!\s+of)|barracks|garrisons|garrison", 1, "withdraw"),
        # "moved its artillery back from the front": a withdrawal ("back and forth" goes nowhere)
        (r"move|moves|moving|moved", r"back(?!\s+and\s+forth)", 0, "withdraw"),
    )
)
_LETTERS = re.compile(r"[a-z]+")
# A closed compound of "cyber" is the two words: "cyberattacks" are attacks ("cyber-attack", "cyber attack")
_CYBER = re.compile(r"\bcyber-?(?=[a-z]{3,})")
_CYBER_WORD = re.compile(r"\bcyber-?[a-z]{3,}")
# "the drills are over" has them ended, where "a dispute over the border" or "is over the border" does not: "over"
# ends the clause
_IS_OVER = re.compile(r"\b(?:is|are|was|were|be|been)\s+over(?=\s*(?:$|[,.;:!?…\"”]|(?:and|but|now|already)\b))")
# A time adverbial is no event: "by the end of the week" says nothing has ended
# "carried out the cyberattacks": carrying out is any task's verb, but carrying out an attack is perpetrating it
_CARRY_OUT_DEED = re.compile(
    r"\bcarr(?:y|ies|ied|ying)\s+out\b(?=(?:\s+[\w'-]+){0,3}?\s+(?:cyber\s+)?(?:attacks?|strikes?|raids?|"
    r"bombings?|assaults?|hacks?|hacking|massacres?|killings?|shootings?)\b)"
)
_TIME_END = re.compile(r"\b(?:by|at|until|till|before|after|towards|toward|from|since) the end of\b")
# Lifting a restriction ends it ("lifted the blockade", "sanctions were lifted"), where lifting prices or spirits
# raises them: "lift" is folded into "end" only before or after what a restriction is called
_RESTRICTION = (
    r"(?:blockades?|bans?|sanctions?|sieges?|curfews?|restrictions?|embargo(?:es)?|lockdowns?|moratori(?:um|a)|"
    r"quarantines?|state of emergency)"
)
_LIFT_RESTRICTION = re.compile(r"\blift(?:s|ed|ing)?\b(?=(?:\s+[\w'-]+){0,3}?\s+" + _RESTRICTION + r"\b)")
_RESTRICTION_LIFTED = re.compile(
    r"\b(" + _RESTRICTION + r"\s+(?:(?:has|have|had|will|would)\s+)?(?:not\s+)?(?:(?:been|be|was|were|is|are)\s+)?"
    r"(?:(?:partly|partially|fully|finally|now|not)\s+)?)lifted\b"
)


def _sub(pattern: re.Pattern[str], needle: str, replacement: str, text: str) -> str:
    """``pattern.sub`` where the text holds ``needle``, which every match of the pattern holds (most texts do not:
    a substring test is a tenth of the pattern's own scan)."""
    return pattern.sub(replacement, text) if needle in text else text


def _lowered(text: str) -> str:
    """Lowercase, "US" the country kept apart from "us", closed "cyber" compounds split."""
    if "US" in text or "U.S" in text:
        text = _US.sub(" usa ", text)
    return _sub(_CYBER, "cyber", "cyber ", text.lower().replace("’", "'"))


def _fold_phrases(text: str) -> str:
    """Lowered text with each split phrasal verb turned into its synonym group's word (the object kept), then each
    phrase of the synonym table."""
    text = _sub(_IS_OVER, "over", " end ", _lowered(text))
    text = _sub(_CARRY_OUT_DEED, " out", " perpetrate ", text)
    if "lift" in text:
        text = _RESTRICTION_LIFTED.sub(r"\1 end ", _LIFT_RESTRICTION.sub(" end ", text))
    # the words before the steps below: those steps add only their groups' words (no anchor) and take some away, so
    # every anchor the text holds at the end is among them
    words = set(_LETTERS.findall(text))
    for verbs, pattern, rep in _SPLIT_PHRASAL:
        if not verbs.isdisjoint(words):
            text = pattern.sub(" " + rep + r" \2", text)
    text = _sub(_TIME_END, "the end of", " ", text)
    if _PHRASE_ANCHORS.isdisjoint(words):
        return text
    return _PHRASES.sub(lambda m: " " + _phrase_rep(m.group(0)) + " ", text)


@lru_cache(maxsize=65536)
def _token(word: str) -> str | None:
    """One lowercase word's comparable form: None for stop words, else the synonym group or the stem."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in STOP_WORDS or not word:
        return None
    if word in _WORD_TO_REP:
        return _WORD_TO_REP[word]
    s = stem(word)
    return _STEM_TO_REP.get(s, s)


@text_cache("normalise")
def _normalise(text: str) -> tuple[str, ...]:
    out = []
    for word in _WORD.findall(_fold_phrases(text)):
        token = _token(word)
        if token is not None:
            out.append(token)
    return tuple(out)


def normalise(text: str) -> list[str]:
    """Lowercase stems of the content words, in order; synonyms folded to one representative, stop words out."""
    return list(_normalise(text))


def surface_words(text: str) -> dict[str, str]:
    """Each comparable token of ``text`` (as ``normalise`` gives it) mapped to the words that produced it first, so
    a reason can quote "deployed" rather than the stem "deploi"."""
    lowered = _lowered(text or "")
    out: dict[str, str] = {}
    for m in _IS_OVER.finditer(lowered):
        out.setdefault("end", m.group(0))
    for m in _CARRY_OUT_DEED.finditer(lowered):
        out.setdefault("perpetrate", " ".join(m.group(0).split()))
    for m in (*_LIFT_RESTRICTION.finditer(lowered), *_RESTRICTION_LIFTED.finditer(lowered)):
        out.setdefault("end", m.group(0).split()[-1])  # "lifted", of "lifted the blockade" and "were lifted"
    for _verbs, pattern, rep in _SPLIT_PHRASAL:
        for m in pattern.finditer(lowered):
            # "pulling … back" leaves the object out; "returning to their bases" has none worth leaving out
            between = " … " if any(_token(w) for w in m.group(2).split()) else " " + m.group(2)
            out.setdefault(_token(rep) or rep, " ".join((m.group(1) + between + m.group(3)).split()))
    for m in _PHRASES.finditer(lowered):
        out.setdefault(_phrase_rep(m.group(0)), _BETWEEN.sub(" ", m.group(0)))
    for word in _WORD.findall(lowered):
        token = _token(word)
        if token is not None:
            out.setdefault(token, word[:-2] if word.endswith("'s") else word)
    return out


# --- FTS5 ---------------------------------------------------------------------------------------------------------

MAX_QUERY_WORDS = 24  # enough for any real question; bounds the index's work on a pasted essay
MAX_QUERY_TERMS = 64  # the words and their synonyms together


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: the content words, each quoted, OR-ed together with their synonyms.

    Every term is a quoted string of letters and digits only, so no user input can form an operator (AND, NEAR, *,
    column filters) or a syntax error. Returns "" when nothing searchable is left (only stop words, emoji...): the
    caller must not run MATCH with an empty string.
    """
    lowered = _fold_phrases(text or "")
    # a closed compound is searched as written too: the index holds "cyberattack" as one word
    words: dict[str, None] = dict.fromkeys(
        m.group(0).replace("-", "") for m in _CYBER_WORD.finditer((text or "").lower())
    )
    for word in _WORD.findall(lowered):
        if word.endswith("'s"):
            word = word[:-2]
        if word and word not in STOP_WORDS:
            words[word] = None
            if len(words) >= MAX_QUERY_WORDS:
                break
    # the index stems each quoted term itself; terms with the same stem would only repeat the work
    terms: dict[str, str] = {}
    for word in words:
        rep = _token(word)
        for term in (word, *_EXPANSIONS.get(rep or "", ())):
            cleaned = " ".join(_WORD.findall(term.replace("'", " ").replace(".", " ").replace("-", " ")))
            key = " ".join(stem(w) for w in cleaned.split())
            if cleaned and key not in terms and len(terms) < MAX_QUERY_TERMS:
                terms[key] = cleaned
    return " OR ".join('"' + term + '"' for term in terms.values())


# --- questions -> claims --------------------------------------------------------------------------------------------

_BE = {"is", "are", "was", "were", "am"}
_HAVE = {"has", "have", "had"}
_DO = {"do", "does", "did"}
_MODAL = {"will", "would", "can", "could", "should", "shall", "may", "might", "must"}
_NEGATED = {
    "isn't": "is",
    "aren't": "are",
    "wasn't": "was",
    "weren't": "were",
    "hasn't": "has",
    "haven't": "have",
    "hadn't": "had",
    "doesn't": "does",
    "don't": "do",
    "didn't": "did",
    "won't": "will",
    "wouldn't": "would",
    "can't": "can",
    "couldn't": "could",
    "shouldn't": "should",
}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your"}
# Words that end a subject in "Is <subject> <predicate>?": a predicate starts with one of these
# Words that start the predicate in "Is <subject> <predicate>?"
_PREDICATE_START = frozenset(
    """about in on at behind near to from against for with under over likely going able ready responsible true false
    right wrong a an the more less being been set""".split()
)
_ADVERBS = frozenset("not really still now already actually ever also just even finally".split())
# Base forms of verbs common in news questions, to find where the subject ends in "Did <subject> <verb> ...?"
_COMMON_VERBS = frozenset(
    """accept accuse acknowledge admit agree aim allow announce approve arm arrest ask attack back ban become begin
    blame block break bring build buy call cancel cause change claim close collapse come condemn confirm consider
    continue cut decide declare defend deny deploy destroy die do drop end escalate expect expel face fail fall fight
    fire force gain get give go grow happen have help hide hit hold impose increase intend invade join kill know
    launch lead leave lie lift lose make meet mobilise mobilize move need negotiate occupy offer open oppose order own
    pay plan play plan prepare promise pull push raise reach recognise recognize reduce refuse reject release remain
    remove reply report respond resign retreat return rise rule run say see seek seize sell send shell shoot sign
    start stay steal stop strike suggest support suspend take talk target tell threaten try turn use violate want
    warn win withdraw work""".split()
)
_IRREGULAR_PAST = {
    "say": "said",
    "tell": "told",
    "have": "had",
    "do": "did",
    "go": "went",
    "send": "sent",
    "win": "won",
    "lose": "lost",
    "take": "took",
    "give": "gave",
    "make": "made",
    "know": "knew",
    "see": "saw",
    "leave": "left",
    "begin": "began",
    "build": "built",
    "buy": "bought",
    "sell": "sold",
    "shoot": "shot",
    "hit": "hit",
    "put": "put",
    "cut": "cut",
    "let": "let",
    "meet": "met",
    "hold": "held",
    "keep": "kept",
    "bring": "brought",
    "think": "thought",
    "fight": "fought",
    "run": "ran",
    "come": "came",
    "get": "got",
    "write": "wrote",
    "speak": "spoke",
    "fall": "fell",
    "rise": "rose",
    "spend": "spent",
    "pay": "paid",
    "lead": "led",
    "seek": "sought",
    "steal": "stole",
    "strike": "struck",
    "find": "found",
    "withdraw": "withdrew",
    "draw": "drew",
    "fly": "flew",
    "drive": "drove",
    "break": "broke",
    "choose": "chose",
    "hide": "hid",
    "become": "became",
}


def _past(verb: str) -> str:
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _third_person(verb: str) -> str:
    if verb in {"have"}:
        return "has"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


_AUXILIARIES = _BE | _HAVE | _DO | _MODAL | {"be", "been", "being"}
_VERB_FORMS = frozenset(
    {v for v in _COMMON_VERBS}
    | {_third_person(v) for v in _COMMON_VERBS}
    | {_past(v) for v in _COMMON_VERBS}
    | set(_IRREGULAR_PAST.values())
)


def _predicate_start(words: list[str]) -> int | None:
    """Where a claim's predicate starts: its first auxiliary, else its first verb form; None when none is found."""
    lowered = [w.lower().strip(",;:.!?\"'") for w in words]
    for i, w in enumerate(lowered[1:], 1):
        if w in _AUXILIARIES or w.endswith("n't"):
            return i  # the auxiliary and "not" are stop words: the predicate's first content word follows
        if w in _VERB_FORMS or (w.endswith("ed") and len(w) > 4 and not words[i][:1].isupper()):
            if lowered[i - 1] in _DETERMINERS:
                continue  # a noun after its determiner: "the strike is over", "a cut in rates"
            if w.endswith("s") and lowered[i + 1 : i + 2] and lowered[i + 1] in _AUXILIARIES:
                continue  # a plural noun before its auxiliary is the subject's: "Russian forces are massing"
            return i
    return None


@lru_cache(maxsize=1024)
def claim_subject(claim: str) -> str:
    """The words before a claim's predicate, its subject as written ("Karvenia's army" in "Karvenia's army is
    ready"); "" when no predicate is found."""
    words = (claim or "").replace("’", "'").split()
    start = _predicate_start(words)
    return " ".join(words[:start]) if start else ""


@lru_cache(maxsize=1024)
def main_predicate(claim: str) -> tuple[str, ...]:
    """The comparable tokens of a claim's main predicate, the event it reports: the first content word after its
    auxiliary ("Karvenia is pulling its troops back" -> withdraw, "the drills are over" -> end), else from the
    first word that is a verb form ("Veloria saw a pullback" -> see), and the verb a "to" joins to it ("is planning
    to invade" -> plan, invade); () when no predicate is found."""
    words = (claim or "").replace("’", "'").split()
    start = _predicate_start(words)
    if start is None:
        return ()
    rest = " ".join(words[start:])
    tokens = _normalise(rest)
    if not tokens:
        return ()
    whole = _normalise(" ".join(words))
    if tokens[0] not in whole:
        # the predicate folds otherwise with its subject before it ("sanctions were lifted": ended): as the whole
        # claim reads it, past the subject's words
        subject = set(_normalise(" ".join(words[:start])))
        tokens = (next((t for t in whole if t not in subject), tokens[0]), *tokens[1:])
    # "planning to invade", "intends to leave": the second verb is the event as much as the first
    m = re.match(r"(?i)^(?:\S+\s+){0,3}?\S+\s+to\s+(\S+)", rest)
    joined = _normalise(m.group(1)) if m else ()
    return (tokens[0], *[t for t in joined[:1] if t != tokens[0]])


def _subject_length(words: list[str], *, be: bool) -> int:
    """How many words the subject takes at the start of ``words``: a guess without a parser, which is enough here
    because the claim is compared as a bag of words; word order only matters to the user reading it back."""
    for i in range(1, len(words)):
        w = words[i].lower()
        if w in _ADVERBS:
            return i
        if be and (w in _PREDICATE_START or w.endswith("ing") or (w.endswith("ed") and len(w) > 4)):
            return i
        if not be and w in _COMMON_VERBS and not words[i][:1].isupper():
            return i
    # no telling word: a determiner and its noun, or a run of capitalised names, or the first word
    if words[0].lower() in _DETERMINERS:
        return min(2, max(1, len(words) - 1))
    i = 1
    while i < len(words) - 1 and (words[i][:1].isupper() or words[i][:1].isdigit()):
        i += 1
    return i


def question_to_claim(question: str) -> str:
    """The statement a yes/no question asks about; other text comes back unchanged (less a final '?').

    "Is Russia pulling back its troops?" -> "Russia is pulling back its troops"; "Did Russia deny it?" ->
    "Russia denied it"; "Isn't Russia withdrawing?" -> "Russia is not withdrawing". Questions of the form "Is it
    true that X?" give X.
    """
    text = " ".join((question or "").split())
    stripped = text.rstrip(" ?!.").strip()
    if not stripped:
        return ""
    if not text.endswith("?"):
        return text
    m = re.match(r"(?i)^(?:is|was) it (?:true|correct|the case|right) (?:that )?(.+)$", stripped)
    if m:
        return m.group(1)
    words = stripped.split(" ")
    head = words[0].lower().replace("’", "'")
    negated = head in _NEGATED
    aux = _NEGATED.get(head, head)
    rest = words[1:]
    if aux not in _BE | _HAVE | _DO | _MODAL or not rest:
        return stripped
    if rest[0].lower() == "not":
        negated, rest = True, rest[1:]
    if not rest:
        return stripped
    if rest[0].lower() == "there" and aux in _BE | _HAVE | _MODAL:
        return " ".join(["There", aux, *(["not"] if negated else []), *rest[1:]])
    n = _subject_length(rest, be=aux in _BE)
    subject, predicate = rest[:n], rest[n:]
    if predicate and predicate[0].lower() == "not":
        negated, predicate = True, predicate[1:]
    if aux in _DO:
        if not predicate:
            return " ".join(subject + [aux] + (["not"] if negated else []))
        if negated:
            return " ".join(subject + [aux + " not"] + predicate)
        verb = predicate[0]
        if aux == "did":
            verb = _past(verb.lower())
        elif aux == "does":
            verb = _third_person(verb.lower())
        return " ".join(subject + [verb] + predicate[1:])
    return " ".join(subject + [aux] + (["not"] if negated else []) + predicate)
