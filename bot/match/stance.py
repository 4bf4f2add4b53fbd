"""Stance: does a stored statement support, contradict or say nothing about a claim — with the reason why.

Explainable cues (denials, refutations, negation, hedges, opposite predicates, who is speaking, evaluative
polarity, word overlap) are weighed by a small three-way linear model; claims that argue for a policy or pass a
judgement go to a for/against model that also reads the statement's wording (both in ``stance_model.json``, trained
by ``bench/train_stance.py``). The reason names the cue or the learned wording that weighed most.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from bot.match.memo import text_cache
from bot.match.text import claim_subject, main_predicate, normalise, surface_words

Stance = Literal["supports", "contradicts", "neutral"]
LABELS: tuple[Stance, ...] = ("supports", "contradicts", "neutral")
MODEL_PATH = Path(__file__).with_name("stance_model.json")


@dataclass(frozen=True)
class StanceResult:
    stance: Stance
    score: float  # confidence 0..1
    reason: str  # a short sentence shown to users


# --- lexicons: general English cue words, not words of any particular story --------------------------------------

NEGATIONS = frozenset("not no never none nothing nobody nowhere neither nor cannot without".split())
# Calling the claim false outright
REFUTATIONS = frozenset(
    """hoax hoaxes fake faked false falsely untrue debunk debunks debunked debunking myth myths bogus baseless
    fabricated fabrication fabricate satire satirical parody prank pranked spoof misleading mislead incorrect
    inaccurate erroneous wrongly wrong mistaken mistakenly scam duped dupes fooled fooling nonsense rubbish lie lies
    lied fiction fictional groundless unfounded""".split()
)
REFUTATION_PHRASES = (
    "not true",
    "no evidence",
    "no proof",
    "no sign",
    "no signs",
    "no truth",
    "no indication",
    "no basis",
    "made up",
    "turns out",
    "not real",
    "did not happen",
    "didn't happen",
    "never happened",
    "is the opposite",
    "quite the opposite",
    "the opposite is true",
    "the opposite is happening",
)
# Speakers rejecting the claim
DENIALS = frozenset(
    """deny denies denied denying denial denials refute refutes refuted rebuff rebuffs rebuffed dispute disputes
    disputed reject rejects rejected rejecting dismiss dismisses dismissed dismissing contradict contradicts
    contradicted doubt doubts doubted doubting sceptical skeptical""".split()
)
DENIAL_PHRASES = (
    "ruled out",
    "rules out",
    "rule out",
    "ruling out",
    "played down",
    "plays down",
    "pushed back on",
    "nothing to do with",
)
# Wanting something to be so is not saying it is: "hopes to see a withdrawal" does not report one
WISHES = frozenset(
    """hope hopes hoped hoping hopeful wish wishes wished wishing want wants wanted wanting await awaits awaiting""".split()
)
WISH_PHRASES = ("look forward", "looks forward", "looking forward", "would like", "calls for", "called for")
# What evidence is called: "yet to see any evidence that X" and "no sign of X" say X is not (yet) so
EVIDENCE = frozenset("evidence sign signs indication indications proof confirmation trace".split())
# Words that, a few words before an evidence word, say it is missing
LACKING = frozenset("no not never without lack lacking little scant absence yet".split())
# Asking someone to act is not asserting anything: "urged Russia to prove it is withdrawing"
DIRECTIVE_CUES = frozenset(
    """urge urges urged urging ask asks asked asking demand demands demanded demanding call calls called calling
    press presses pressed pressing appeal appeals appealed challenge challenges challenged implore implored
    encourage encourages encouraged order orders ordered instruct instructed""".split()
)
_DIRECTIVE_IN_TEXT = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)? on|ask(?:s|ed|ing)?|demand(?:s|ed|ing)?|press(?:es|ed|ing)?|"
    r"appeal(?:s|ed|ing)? to|challeng(?:e|es|ed|ing))\s+(?:\w+\s+){1,4}?to\s+(?!the\b|a\b|an\b|its\b|their\b)\w+",
    re.IGNORECASE,
)
# Fixed terms whose words would otherwise read as cues or as the claim's event: a "denial of service" attack denies
# nothing, "no doubt" negates nothing, and what goes "according to plan" or "as planned" is planning nothing
FIXED_TERMS = re.compile(
    r"\b(?:no|without|beyond) (?:a )?doubt\b|\bdenial[- ]of[- ]service\b|\bwar games\b|\bno[- ]fly\b|\bno man's land\b|\bnot[- ]for[- ]profit\b|\bno[- ]go\b|"
    r"\baccording to (?:the )?(?:plan|schedule)\b|\bas (?:planned|scheduled)\b",
    re.IGNORECASE,
)
# Reporting the claim without asserting it
HEDGES = frozenset(
    """allegedly alleged alleges reportedly rumor rumors rumour rumours rumored rumoured apparently purportedly
    purported supposedly unconfirmed unverified speculation speculate speculates speculated believed suspected
    unclear uncertain whether seems seem appears appear probe probes investigate investigates investigating
    investigation considering considers mulls mulling expected expects predicts predicted forecast forecasts mystery
    confusion questions""".split()
)
# Modal words: a hedge in a news report ("may launch"), but in an argument they weigh consequences ("could harm")
MODALS = frozenset("may might could possibly possible perhaps likely unlikely suggest suggests suggested".split())
HEDGE_PHRASES = ("remains to be seen", "said to", "set to", "not clear", "not yet clear", "too early", "if true")
# Reporting words: who is speaking
REPORTING = frozenset("says say said claims claim claimed told tells according reports report reported".split())
CONFIRMATIONS = frozenset(
    """confirm confirms confirmed confirming confirmation official officially verified verifies proof proves proved
    proven indeed true real really actually""".split()
)
# Evaluative words: arguing for or against something
POSITIVE = frozenset(
    """benefit benefits beneficial help helps helpful protect protects protection safe safer safety improve improves
    improvement better best good great positive advantage advantages useful effective efficient success successful
    fair fairness just justice equal equality freedom free liberty right rights opportunity opportunities growth
    prosper prosperity healthy support supports encourage encourages promote promotes enable enables empower
    empowers prevent prevents save saves secure security stable stability peace peaceful valuable important essential
    necessary vital crucial responsible duty deserve deserves legitimate ethical moral honest trust respect dignity
    welcome innovation innovative progress education educate knowledge jobs wealth strong strengthen strengthens
    enhance enhances accountable transparency transparent democratic democracy inclusive diversity unity cheaper
    affordable relief competitive reward rewarding enjoy happy happiness welfare wellbeing care caring compassion
    humane deter deters deterrent ensure ensures guarantee guarantees""".split()
)
NEGATIVE = frozenset(
    """harm harms harmful hurt hurts damage damages damaging danger dangerous risk risks risky threat threatens
    threaten unsafe bad worse worst negative problem problems costly expensive waste wasteful unfair unjust injustice
    unequal inequality discrimination discriminate discriminatory abuse abuses violate violates violation violence
    violent crime criminal corrupt corruption fail fails failure ineffective inefficient useless pointless unnecessary
    wrong immoral unethical illegal illegitimate exploit exploits exploitation oppress oppression restrict restricts
    restriction restrictions infringe infringes undermine undermines weaken weakens destroy destroys destruction loss
    suffer suffering pain poverty poor disease dependence dependent addiction addictive lazy burden conflict war
    instability unstable chaos fear censorship coercion coercive forced forcing invasive intrusive exclusion exclude
    excludes divisive hate hatred racism racist sexism sexist bias biased misuse manipulate manipulation difficult
    impossible impractical unrealistic counterproductive backfire erode erodes refuse refuses oppose opposes against
    illness obesity pollution stress anxiety isolation distraction slavery tyranny authoritarian""".split()
)
# Verbs that turn what follows against it: "ban X" argues against X
REVERSERS = frozenset(
    """ban banned banning bans prohibit prohibited prohibiting abolish abolished abolishing outlaw outlawed forbid
    forbidden restrict restricted limit limited end ending stop stopping eliminate eliminated criminalize criminalise
    remove removed scrap scrapped""".split()
)
# Opposite predicates, as groups: any word of one side against any word of the other (compared as stems)
OPPOSITES: tuple[tuple[str, str], ...] = (
    (
        "increase rise rose risen grow grew expand advance deploy enter mobilise mobilize",
        "withdraw decrease fall fell fallen drop decline demobilise demobilize",
    ),
    ("win won victory", "lose lost defeat"),
    ("confirm accept approve admit recognise recognize", "deny reject veto"),
    ("fair fairly", "fraud unfair"),
    ("open opened reopen", "close closed shut"),
    ("alive survive survived", "kill dead"),
    ("support back backs favour favor endorse", "oppose opposes against condemn"),
    ("start begin launch resume impose continue", "stop end halt suspend cancel"),
    ("allow permit legalise legalize lift", "ban prohibit forbid outlaw impose"),
    ("legal lawful", "illegal unlawful"),
    ("true", "false"),
    ("guilty", "innocent"),
    ("succeed success successful", "fail failure failed"),
    ("more higher", "less fewer lower"),
    ("gain gains", "loss losses"),
    ("agree agreement", "disagree disagreement"),
    ("arrest arrested detain detained capture captured", "release released free freed"),
    ("peace ceasefire", "war attack"),
    ("strengthen strong", "weaken weak"),
    ("buy bought", "sell sold"),
    ("hire hired", "fire fired sack sacked"),
    ("join joined", "quit exit"),
    ("real genuine authentic", "fake forged"),
)
DENIAL_CUES = frozenset(
    """deny denies denied denying dismiss dismissed dismisses reject rejected rejects refute refuted refutes dispute
    disputed disputes rebuff rebuffed contradict contradicted doubt doubted doubts question questioned""".split()
)

FEATURES: tuple[str, ...] = (
    "refute",
    "denial",
    "negation",
    "negation_mismatch",
    "hedge",
    "wish",
    "modal",
    "question",
    "attributed",
    "self_report",
    "confirm",
    "antonym",
    "polarity_for",
    "polarity_against",
    "overlap",
    "no_overlap",
    "names_only",
    "conditional",
    "predicate_missing",
)

# One learned weight per evaluative word (its sign towards the claim), on top of the counts above: "harm" and
# "violates" need not weigh the same. Only words of the general lexicons above, never a story's own words.
LEXICON_WORDS: tuple[str, ...] = tuple(sorted(POSITIVE | NEGATIVE | REVERSERS))

_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class _Evidence:
    """Feature values for one pair and the words that set each, for the reason. The statement's n-grams (b:) are
    read by the argument model only, so they are added when it is consulted, not for every news-style pair."""

    values: dict[str, float]
    words: dict[str, list[str]]
    claim_tokens: frozenset[str] = frozenset()
    statement_words: tuple[str, ...] = ()
    statement: str = ""
    shared: tuple[str, ...] = ()  # the tokens claim and statement share, sorted

    def found(self, feature: str) -> list[str]:
        """The words that set ``feature``. The shared words are quoted as the statement writes them, looked up only
        when a reason quotes them: most pairs' reasons name another cue."""
        if feature == "overlap":
            shown = _surface(self.statement)
            return [shown.get(t, t) for t in self.shared]
        return self.words.get(feature, [])

    @cached_property
    def argument_values(self) -> dict[str, float]:
        """The values with the statement's n-grams set, as the argument model reads them."""
        return {**self.values, **dict.fromkeys(ngrams(self.claim_tokens, list(self.statement_words)), 1.0)}


# A question is judged against some 60 statements, and a live blog's statements are judged again for every question:
# the word lists of a text are cached rather than found again for each pair.
@lru_cache(maxsize=8192)
def _word_tuple(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.lower().replace("’", "'")))


def _words(text: str) -> list[str]:
    return list(_word_tuple(text))


# read only: which word of a text gave each token, to quote it in a reason
_surface = text_cache("surface")(surface_words)


@lru_cache(maxsize=8192)
def _padded(text: str) -> str:
    return " " + " ".join(_word_tuple(text)) + " "


def _phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    low = _padded(text)
    return [p for p in phrases if " " + p + " " in low]


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


# Words of "next to none": "the strike had little effect", "few signs of a pullback" ("a little", "a few" are some)
_SCANT = frozenset("little few hardly barely scarcely".split())


def _is_scant(words: Sequence[str], i: int) -> bool:
    return words[i] in _SCANT and (i == 0 or words[i - 1] not in {"a", "quite", "not", "no"})


# Verbs of stopping: a negation before one ("the shelling never stopped", "has not ended") says the activity goes on,
# unless stopping is what the claim itself says ("the war has ended")
_STOPS = frozenset(
    "stop stops stopped stopping cease ceases ceased ceasing end ends ended ending halt halts halted halting subside "
    "subsides subsided abate abates abated".split()
)


def _stop_after(words: Sequence[str], i: int) -> str:
    """The folded verb of stopping within two words after position ``i`` ("never stopped"), or ""."""
    return next((_folded(x) for x in words[i + 1 : i + 3] if x in _STOPS), "")


# Predicates that turn their object round: to violate a truce is to fight, to end a ceasefire is to fight again
_REVERSING = frozenset(
    normalise(
        "violate violates violated violating breach breaches breached break breaks broke broken breaking collapse "
        "collapses collapsed undermine undermines undermined abandon abandons abandoned end ends ended ending stop "
        "stops stopped halt halts halted cease ceases ceased"
    )
)


def _negations_of(words: Sequence[str], c_tokens: Set[str]) -> list[str]:
    """The negations of a text, leaving out those that negate a stopping the claim does not speak of."""
    return [w for i, w in enumerate(words) if _is_negation(w) and _stop_after(words, i) in ("", *c_tokens)]


@lru_cache(maxsize=4096)
def _folded(word: str) -> str:
    tokens = normalise(word)
    return tokens[0] if tokens else word


def _same_side_table() -> dict[str, frozenset[str]]:
    """Each opposite-predicate word's companions on its own side ("advance" for "increase"): the same event in
    other words."""
    table: dict[str, set[str]] = {}
    for group in OPPOSITES:
        for side in group:
            folded = {_folded(w) for w in side.split()}
            for x in folded:
                table.setdefault(x, set()).update(folded - {x})
    return {k: frozenset(v) for k, v in table.items() if v}


def _opposite_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for left, right in OPPOSITES:
        a = {_folded(w) for w in left.split()}
        b = {_folded(w) for w in right.split()}
        for x in a:
            table.setdefault(x, set()).update(b - a)
        for y in b:
            table.setdefault(y, set()).update(a - b)
    return {k: frozenset(v) for k, v in table.items() if v}


_OPPOSITE = _opposite_table()
_SAME_SIDE = _same_side_table()
# refutations that need no object: they call the claim itself false
_OPPOSITE_PHRASES = frozenset(p for p in REFUTATION_PHRASES if "opposite" in p or p in {"not true", "made up"})


def _denies_object(statement: str, tokens: Set[str]) -> bool:
    """Whether one of ``tokens`` comes after a denial word or phrase in the statement: what is denied."""
    low = _padded(statement)
    starts = [low.find(" " + p + " ") for p in DENIAL_PHRASES if " " + p + " " in low]
    sw = _words(statement)
    starts += [len(" ".join(sw[:i])) + 1 for i, w in enumerate(sw) if w in DENIALS]
    return bool(starts) and bool(set(normalise(low[min(starts) :])) & set(tokens))


def _evaluations(words: Sequence[str]) -> tuple[tuple[str, int, bool], ...]:
    """A text's evaluative words and reversers in order: (word, +1 / -1 / 0 for a reverser, negated just before)."""
    out = []
    for i, w in enumerate(words):
        value = (w in POSITIVE) - (w in NEGATIVE)
        if value or w in REVERSERS:
            out.append((w, value, any(_is_negation(x) for x in words[max(0, i - 3) : i])))
    return tuple(out)


def _polarity(
    evaluations: Sequence[tuple[str, int, bool]], claim_words: frozenset[str] = frozenset()
) -> tuple[float, list[str]]:
    """Evaluative leaning of a text (its ``_evaluations``): positive minus negative words, each flipped by a negation
    just before it.

    Words of ``claim_words`` count only when negated: repeating the claim's own "war" leans nowhere, "not harmful"
    against "harmful" does."""
    score = 0.0
    hits: list[str] = []
    for w, value, negated in evaluations:
        if not value or (w in claim_words and not negated):
            continue
        score += -value if negated else value
        hits.append(w)
    reversers = [w for w, _, _ in evaluations if w in REVERSERS]
    if reversers:
        # "ban X" leans against X: the text's own evaluative words then argue the other way round
        score = -score if score else -1.0
        hits += reversers
    return score, hits


# "according to plan" says how something goes, not who says so
_NOT_A_SOURCE = frozenset("plan plans schedule schedules script expectation expectations".split())


def _according_to_someone(words: list[str], i: int) -> bool:
    """Whether the "according" at ``i`` names a source ("according to officials"), not a plan ("according to plan")."""
    after = words[i + 1 : i + 4]
    return after[:1] == ["to"] and not set(after[1:3]) & _NOT_A_SOURCE


def _speaker_before(words: list[str], i: int) -> list[str]:
    """The words that name who speaks at a reporting word: up to three before it, or after 'according to'."""
    if words[i] == "according":
        return words[i + 2 : i + 5]
    return words[max(0, i - 3) : i]


# Where one assertion ends and the next begins: a hedge, wish or condition governs its own clause, not the next one
# "yet" joins two clauses, except in "is yet to see", where it belongs to the lack it says
_SEGMENT_BREAK = re.compile(
    r"(?<=[.!?;…])\s+|\s*…\s*|\s+(?:but|however|yet(?!\s+to\b)|although|though|whereas)\s+", re.I
)
_CONDITIONAL = frozenset("if unless whether".split())
# Clause openers after which a negation belongs to a subordinate clause, not the claim's main predicate
_SUBORDINATE = frozenset("that who which whose whom because if when while after before although though unless".split())


# Words right before "evidence"/"sign" when it is the noun ("any sign of"), not the verb ("will sign the budget")
_BEFORE_EVIDENCE = frozenset(
    "no any a an the little scant of hard clear real concrete credible firm see seen saw find found show shown".split()
)


def _negated_evidence(words: list[str]) -> list[str]:
    """The words of "no sign of", "yet to see any evidence", "without proof": evidence said to be missing."""
    for i, w in enumerate(words):
        if w in EVIDENCE and i > 0 and words[i - 1] in _BEFORE_EVIDENCE:
            window = words[max(0, i - 5) : i]
            for j, x in enumerate(window):
                if x in LACKING or _is_negation(x):
                    if x == "yet" and "to" not in window[j + 1 : j + 3]:
                        continue  # "yet" only lacks in "yet to see"; "and yet evidence shows" does not
                    return [" ".join(window[j:] + [w])]
    # "have not seen any withdrawal", "saw no troops leave": what was looked for was not there (after the evidence
    # words, so "not seen any sign" quotes the sign)
    for i, w in enumerate(words):
        if w in _PERCEPTION and i + 1 < len(words):
            after = words[i + 1]
            before = words[max(0, i - 3) : i]
            if after == "no" or (after in {"any", "a", "an"} and any(_is_negation(x) for x in before)):
                start = next((k for k, x in enumerate(before) if _is_negation(x)), len(before))
                return [" ".join([*before[start:], w, after])]
    return []


_PERCEPTION = frozenset("see seen saw observe observed notice noticed witness witnessed detect detected".split())


def _wishes(text: str, words: list[str]) -> list[str]:
    return [w for w in words if w in WISHES] + _phrases(text, WISH_PHRASES)


@dataclass(frozen=True)
class _Clause:
    """One assertion of a statement: its comparable tokens and whether it asserts them plainly."""

    tokens: frozenset[str]
    negated: bool
    guarded: bool  # hedged, wished for, conditional or asked: not asserted
    # the clause's comma-separated parts, each with its tokens and whether it carries a negation: "moving towards
    # the border, not away from it" negates "away", not "towards"
    parts: tuple[tuple[frozenset[str], bool], ...] = ()
    # the verbs of stopping when every negation of the clause negates one: "the shelling never stopped" asserts it
    stops: frozenset[str] = frozenset()
    reported: bool = False  # it says what someone says ("Karvenia says it is withdrawing")
    # when "without" is the clause's only negation, the tokens after it: "ended without a deal" negates the deal only
    without: frozenset[str] | None = None

    def negates(self, token: str, claim_tokens: Set[str] = frozenset()) -> bool:
        """Whether the part of the clause that holds ``token`` is negated (a stopping the claim does not speak of,
        negated, is none)."""
        if self.stops and not self.stops & claim_tokens:
            return False
        if self.parts:
            return any(negated for tokens, negated in self.parts if token in tokens)
        return token in self.without if self.without is not None else self.negated


@text_cache("clauses")  # a statement's clauses do not depend on the claim it is judged against
def _clauses(statement: str) -> tuple[_Clause, ...]:
    out = []
    for part in _SEGMENT_BREAK.split(statement):
        words = _words(part)
        if not words:
            continue
        guarded = (
            "?" in part
            or any(w in HEDGES or w in _CONDITIONAL for w in words)
            # "may" is a modal, "May" inside a sentence the month
            or any(w.lower() in MODALS and (i == 0 or not w[:1].isupper()) for i, w in enumerate(part.split()))
            or bool(_phrases(part, HEDGE_PHRASES))
            or bool(_wishes(part, words))
        )
        negated = any(_is_negation(w) for w in words) or bool(_negated_evidence(words))
        pieces = [p for p in part.split(",") if p.strip()]
        parts = tuple(
            (frozenset(normalise(p)), any(_is_negation(w) for w in _words(p)) or bool(_negated_evidence(_words(p))))
            for p in pieces
        )
        at = [i for i, w in enumerate(words) if _is_negation(w)]
        stopped = [_stop_after(words, i) for i in at]
        stops = frozenset(stopped) if at and all(stopped) and not _negated_evidence(words) else frozenset()
        reported = any(w in REPORTING for w in words)
        only_without = bool(at) and all(words[i] == "without" for i in at) and not _negated_evidence(words)
        without = frozenset(normalise(" ".join(words[at[0] + 1 :]))) if only_without else None
        out.append(
            _Clause(
                frozenset(normalise(part)), negated, guarded, parts if len(parts) > 1 else (), stops, reported, without
            )
        )
    return tuple(out)


def _antonym(
    c_tokens: set[str], statement: str, event: Set[str] = frozenset(), subject: Set[str] = frozenset()
) -> tuple[str, str, bool] | None:
    """An opposite of the claim's predicate asserted by the statement: (claim token, opposite token, negated).

    Only plainly asserted clauses count ("It remains to be seen whether X… they have increased troops" contradicts
    through its second clause), and a clause that itself uses the claim's predicate is about it, whatever opposite
    word a relative clause carries ("the troops it has deployed are withdrawing").
    """
    predicates = c_tokens & _OPPOSITE.keys()
    if not predicates:
        return None
    clauses = _clauses(statement)
    # a statement that asserts the claim's own event (``event``, its main predicate) in one of its sentences ("The
    # shelling never stopped. They are using the truce to regroup") is about that event; the opposite word of another
    # is its context
    if len(clauses) > 1 and any(
        not c.guarded and not c.reported and not c.negates(p, c_tokens)
        for c in clauses
        for p in predicates & c.tokens & event
    ):
        return None
    # a word of the claim's subject is no predicate of it: "the ceasefire has ended" is about ending, so "the
    # ceasefire continues" opposes it though it names the ceasefire (whose own opposite is war)
    predicates = predicates - subject or predicates
    for clause in clauses:
        if clause.guarded or predicates & clause.tokens:
            continue
        for c in sorted(predicates):
            opposite = _OPPOSITE[c] & (clause.tokens - c_tokens)
            if opposite:
                o = sorted(opposite)[0]
                return c, o, clause.negates(o, c_tokens)
    return None


_CONDITION_SPAN = re.compile(r"\b(?:if|unless|whether|should)\b([^,;:.…]*)", re.IGNORECASE)
# a contrastive negation: "up, not down", "towards the border, not away from it"
_CONTRAST = re.compile(r",\s*(?:and\s+|but\s+)?not\s+[^,;:.…!?]*", re.IGNORECASE)
# an if-clause, whose negation is the condition's own ("should not" is a modal, "whether or not" no condition)
_IF_SPAN = re.compile(r"\b(?:if|unless)\b(?! not\b)([^,;:.…]*)", re.IGNORECASE)


# "would not lower its premiums until the blockade was lifted": after a refusal or a promise, "until" states a
# condition; after a past deed ("shelling went on until the truce took hold") it says the event happened
_UNTIL = re.compile(r"\buntil\b([^,;:.…]*)", re.IGNORECASE)
_UNTIL_CONDITION = re.compile(r"\b(?:would|will|won't|wouldn't|shall|can't|cannot|not|never|refused?|refuses)\b")


def _condition_spans(statement: str) -> list[re.Match[str]]:
    spans = list(_CONDITION_SPAN.finditer(statement))
    for m in _UNTIL.finditer(statement):
        clause = re.split(r"[,;:.…]", statement[: m.start()])[-1]
        if _UNTIL_CONDITION.search(clause.lower().replace("’", "'")):
            spans.append(m)
    return sorted(spans, key=lambda m: m.start())


@text_cache("conditions")
def _conditions(statement: str) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """A statement's conditions: the first one's word ("if"), the tokens said inside them and those said outside;
    None when it has none."""
    spans = _condition_spans(statement)
    if not spans:
        return None
    inside: set[str] = set()
    outside_text, at = [], 0
    for m in spans:
        inside.update(normalise(m.group(1)))
        outside_text.append(statement[at : m.start()])
        at = max(at, m.end())
    outside = frozenset(normalise(" ".join([*outside_text, statement[at:]])))
    return spans[0].group(0).split()[0].lower(), frozenset(inside), outside


def _only_conditional(content: set[str], statement: str) -> str:
    """The conditional word ("if") when every one of ``content`` (tokens the statement shares with the claim) occurs
    only inside a condition: "sanctions if Russia invades" does not say Russia invades."""
    conditions = _conditions(statement) if content else None
    if conditions is None:
        return ""
    word, inside, outside = conditions
    return word if content <= inside and not content & outside else ""


def _claim_words(claim: str) -> list[str]:
    """The claim's words with only negations of its main clause kept: "a panel that didn't include women" is a
    positive claim about a panel."""
    return list(_claim_word_tuple(claim))


@lru_cache(maxsize=1024)  # one claim (the user's) is judged against every statement found for it
def _claim_word_tuple(claim: str) -> tuple[str, ...]:
    words = _words(claim)
    for i, w in enumerate(words):
        if w in _SUBORDINATE and i > 0:
            return tuple(words[:i] + [x for x in words[i:] if not _is_negation(x)])
    return tuple(words)


@lru_cache(maxsize=1024)
def _claim_negations(claim: str) -> list[str]:
    """The claim's negation words, main clause or not (read only)."""
    return [w for w in _word_tuple(claim) if _is_negation(w)]


@lru_cache(maxsize=1024)
def _claim_polarity(claim: str) -> float:
    return _polarity(_evaluations(_claim_words(claim)))[0]


def is_negative_claim(claim: str) -> bool:
    """True when the claim's main clause is negated ("Russia is not withdrawing"), not only a subordinate one."""
    return any(_is_negation(w) for w in _claim_word_tuple(claim) if w != "without")


_COUNTRIES = frozenset(normalise("usa uk russia ukraine china eu"))


def _names(claim: str, statement: str) -> set[str]:
    """Tokens of the claim that are names (capitalised where a common word would not be): sharing only names with a
    claim ("Russia", "Ukraine") is sharing its topic, not its content."""
    first, later = _capitalised_tokens(claim)
    # the first word of a sentence is capitalised anyway: a name only if the statement capitalises it too where a
    # common word would not be, or it is a country the synonym table knows
    return set(later) | (first & (_capitalised_statement(statement) | _COUNTRIES))


@text_cache("capitalised statement")
def _capitalised_statement(statement: str) -> frozenset[str]:
    raw = _RAW_WORD.findall(statement)
    return frozenset(normalise(" ".join(w for w in raw[1:] if w[:1].isupper())))


@text_cache("capitalised")
def _capitalised_tokens(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The tokens of a text's capitalised words: of its first word, and of the others (read together, as a
    statement's, and word by word, as a claim's names)."""
    raw = _RAW_WORD.findall(text)
    first = frozenset(normalise(raw[0])) if raw and raw[0][:1].isupper() else frozenset()
    return first, frozenset(t for w in raw[1:] if w[:1].isupper() for t in normalise(w))


def _is_demonym(word: str, name: str) -> bool:
    """Whether a (stemmed) capitalised word is the adjective of a place name: Karvenian, Canadian, Mexican."""
    if len(name) < 4 or not word.endswith("an") or not word.startswith(name[:-1]):
        return False
    return word in {name + "n", name + "an", name + "ian", name[:-1] + "ian", name[:-1] + "an", name[:-1] + "ean"}


@lru_cache(maxsize=8192)
def _capitals(text: str) -> frozenset[str]:
    """The tokens of all of a text's capitalised words."""
    first, others = _capitalised_tokens(text)
    return first | others


def _with_demonyms(claim: str, statement: str, c_tokens: set[str], s_tokens: set[str]) -> set[str]:
    """The statement's tokens with a place's adjective read as the claim's place, or the other way round: "Karvenian
    forces" are Karvenia's. Only capitalised words: names, which no synonym table can list."""
    c_caps = _capitals(claim)
    s_caps = _capitals(statement) - c_tokens
    if not c_caps or not s_caps:
        return s_tokens
    out = set(s_tokens)
    for t in s_caps & s_tokens:
        for x in c_caps & c_tokens:
            if _is_demonym(t, x) or _is_demonym(x, t):
                out.discard(t)
                out.add(x)
    return out


CLAIM_WORD = "_c_"  # stands for any word the statement shares with the claim, so n-grams learn patterns, not topics


def ngrams(claim_tokens: Set[str], statement_words: list[str]) -> list[str]:
    """The statement's word unigrams and bigrams ("b:" features of the direction model), with the claim's own words
    masked: "_c_ is a myth", "no _c_" generalise across stories where "vaccines" would not."""
    masked = [CLAIM_WORD if _folded(w) in claim_tokens else w for w in statement_words]
    out = ["b:" + w for w in masked]
    out += ["b:" + a + " " + b for a, b in zip(masked, masked[1:], strict=False)]
    return out


@dataclass(frozen=True)
class _Reading:
    """What a statement says whatever claim it is judged against: its cue words, negations and evaluative words.
    Every question judges some 60 statements, and a live blog's statements again for every question."""

    text: str  # with the fixed terms taken out
    words: tuple[str, ...]
    tokens: frozenset[str]
    negations: tuple[str, ...]
    negation_stops: tuple[str, ...]  # for each negation, the verb of stopping it negates ("never stopped"), or ""
    # cue words (unnegated where a negation would turn them round) with the phrases and absences that need no
    # filtering by the claim's own words after them
    refutations: tuple[str, ...]
    refutation_phrases: tuple[str, ...]
    denials: tuple[str, ...]
    denial_phrases: tuple[str, ...]
    hedges: tuple[str, ...]
    hedge_phrases: tuple[str, ...]
    wishes: tuple[str, ...]
    modals: tuple[str, ...]
    confirmations: tuple[str, ...]
    reporting: tuple[int, ...]  # where a reporting word names who says it ("according to plan" does not)
    evaluations: tuple[tuple[str, int, bool], ...]
    contrast: bool
    condition: bool
    evidence_missing: bool  # "no sign of it", "yet to see any evidence" (in the statement as given)


@text_cache("reading")
def _reading(statement: str) -> _Reading:
    text = FIXED_TERMS.sub(" ", statement)
    sw = _words(text)
    negation_at = [_is_negation(w) or _is_scant(sw, i) for i, w in enumerate(sw)]
    unnegated = [w for i, w in enumerate(sw) if not any(negation_at[max(0, i - 2) : i])]
    return _Reading(
        text=text,
        words=tuple(sw),
        tokens=frozenset(normalise(text)),
        negations=tuple(w for w, negation in zip(sw, negation_at, strict=True) if negation),
        negation_stops=tuple(_stop_after(sw, i) for i, negation in enumerate(negation_at) if negation),
        refutations=tuple(w for w in unnegated if w in REFUTATIONS),
        refutation_phrases=(*_phrases(text, REFUTATION_PHRASES), *_negated_evidence(sw)),
        denials=tuple(w for w in unnegated if w in DENIALS),
        denial_phrases=tuple(_phrases(text, DENIAL_PHRASES)),
        hedges=tuple(w for w in sw if w in HEDGES),
        hedge_phrases=tuple(_phrases(text, HEDGE_PHRASES)),
        wishes=tuple(_wishes(text, sw)),
        modals=tuple(w for w in sw if w in MODALS),
        confirmations=tuple(w for w in sw if w in CONFIRMATIONS),
        reporting=tuple(
            i for i, w in enumerate(sw) if w in REPORTING and (w != "according" or _according_to_someone(sw, i))
        ),
        evaluations=_evaluations(sw),
        contrast=bool(_CONTRAST.search(text)),
        condition=bool(_IF_SPAN.search(text)),
        evidence_missing=bool(_negated_evidence(_words(statement))),
    )


def kept_readings(statement: str) -> list[tuple[str, str]]:
    """The readings a judge asks of ``statement`` whatever the claim (each cache's kind, bot.match.memo, and the text
    it is asked of): what a stored claim keeps of its text (bot.match.analysis), so that a question's judge takes
    them instead of working them out again."""
    said = " ".join(statement.split())  # as judge() reads it
    text = _reading(said).text
    return [
        ("normalise", said),
        ("reading", said),
        ("clauses", text),
        ("capitalised", said),
        ("capitalised statement", text),
        ("speculation", said),
        ("conditions", text),
        ("surface", text),
    ]


@lru_cache(maxsize=1024)
def _subject_tokens(claim: str) -> frozenset[str]:
    return frozenset(normalise(claim_subject(claim)))


def _features(claim: str, statement: str) -> _Evidence:
    reading = _reading(statement)
    statement = reading.text
    cw, sw = _claim_words(claim), list(reading.words)
    c_tokens, s_tokens = set(normalise(claim)), set(reading.tokens)
    s_tokens = _with_demonyms(claim, statement, c_tokens, s_tokens)
    # a cue word the claim uses itself ("wants" in "Russia wants war") is the claim's content, not a cue
    cset = set(cw) | {w for w in sw if _folded(w) in c_tokens}
    # "no doubt", "did not deny": a negated denial or refutation is no denial
    s_neg = [
        w for w, stop in zip(reading.negations, reading.negation_stops, strict=True) if not stop or stop in c_tokens
    ]
    if s_neg and reading.contrast:
        # "towards the border, not away from it": the contrast negates what follows it, not the rest (unless what
        # follows is the claim's own: "self-promotion, not journalism")
        main = _CONTRAST.sub(lambda m: m.group(0) if set(normalise(m.group(0))) & c_tokens else " ", statement)
        if set(normalise(main)) & c_tokens:
            s_neg = _negations_of(_words(main), c_tokens)
    if s_neg and reading.condition:
        # "would strengthen its flank if X did not withdraw": a negation inside the condition negates the condition,
        # not what the statement says of the claim (when the claim's words are said outside it)
        main = _IF_SPAN.sub(" ", statement)
        if set(normalise(main)) & c_tokens:
            s_neg = _negations_of(_words(main), c_tokens)
    values: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    words: dict[str, list[str]] = {}

    def hit(name: str, found: list[str], value: float | None = None) -> None:
        if found:
            values[name] = value if value is not None else float(min(2, len(found)))
            words[name] = found

    def unclaimed(found: tuple[str, ...]) -> list[str]:
        return [w for w in found if w not in cset]

    hit("refute", unclaimed(reading.refutations) + list(reading.refutation_phrases))
    hit("denial", unclaimed(reading.denials) + list(reading.denial_phrases))
    c_neg = _claim_negations(claim)
    # negations the claim itself carries ("a coach who never played") are its content, not a denial of it
    hit("negation", s_neg[len(c_neg) :])
    if bool(s_neg) != bool(c_neg):
        hit("negation_mismatch", s_neg or c_neg, 1.0)
    hit("hedge", unclaimed(reading.hedges) + list(reading.hedge_phrases))
    hit("wish", unclaimed(reading.wishes), 1.0)
    hit("modal", unclaimed(reading.modals))
    if "?" in statement:
        hit("question", ["?"], 1.0)
    hit("confirm", unclaimed(reading.confirmations))

    # who speaks: the claim's own subject saying it is a self-report, anyone else only attributes it
    reporting = next((i for i in reading.reporting if sw[i] not in cset), None)
    if reporting is not None:
        speaker = _speaker_before(sw, reporting)
        if set(normalise(" ".join(cw[:4]))[:2]) & set(normalise(" ".join(speaker))):
            hit("self_report", [*speaker, sw[reporting]], 1.0)
        else:
            hit("attributed", [sw[reporting]], 1.0)

    found = _antonym(c_tokens, statement, frozenset(main_predicate(claim)), _subject_tokens(claim))
    if found:
        c, o, negated = found
        shown_c, shown_s = _surface(claim), _surface(statement)
        hit("antonym", [shown_c.get(c, c), shown_s.get(o, o)], 1.0)
        reversing = _REVERSING & set(main_predicate(claim)) if c not in main_predicate(claim) else set()
        if reversing:
            # the claim breaks what has the opposite ("violating the truce", "the ceasefire has ended"): the
            # opposite asserted ("shelling") says so
            negated = not negated
            words["antonym_reversed"] = [shown_c.get(r, r) for r in sorted(reversing)]
        if negated:
            values["antonym_negated"] = 1.0

    c_pol = _claim_polarity(claim)
    # the claim's own evaluative words say nothing about the statement's leaning ("war" in "Russia wants war")
    s_pol, s_hits = _polarity(reading.evaluations, frozenset(cset))
    towards = -1.0 if c_pol < 0 else 1.0
    lean = s_pol * towards
    for w, _, negated in reading.evaluations:
        if w not in cset:
            values["w:" + w] = values.get("w:" + w, 0.0) + (-towards if negated else towards)
    if lean > 0:
        hit("polarity_for", s_hits, min(2.0, lean))
    elif lean < 0:
        hit("polarity_against", s_hits, min(2.0, -lean))

    shared = c_tokens & s_tokens
    overlap = len(shared) / len(c_tokens) if c_tokens else 0.0
    values["overlap"] = overlap
    names = _names(claim, statement)
    if not shared:
        values["no_overlap"] = 1.0
    elif not shared - names and c_tokens - names:
        shown = _surface(statement)
        hit("names_only", [shown.get(t, t) for t in sorted(shared)], 1.0)
    condition = _only_conditional(shared - names, statement)
    hit("conditional", [condition] if condition else [], 1.0)
    # the claim's predicate, when it has one we know ("withdraw", "end"), neither said nor opposed by the statement
    predicates = c_tokens & _OPPOSITE.keys()
    if predicates and not predicates & s_tokens and not values["antonym"]:
        hit("predicate_missing", [_surface(claim).get(c, c) for c in sorted(predicates)], 1.0)
    # the claim's event (its main predicate, else a predicate with a known opposite) neither said, nor said in other
    # words of its side ("advance" for "massing"), nor opposed: read only when the pair was found by a search (judge)
    event = set(main_predicate(claim)) or predicates  # "Veloria saw a pullback" is about seeing
    said = event | {w for e in event for w in _SAME_SIDE.get(e, ())}
    # a deed's answerability ("was behind", "a role in") is said of that deed: "a role in the fishing talks" says
    # nothing of "carried out the raid"
    light = bool(event) and event <= _LIGHT_EVENTS and not (shared - names - event - set(normalise(_claim_side(claim))))
    if event and (light or not said & s_tokens) and not values["antonym"]:
        values["event_missing"] = 1.0
        words["event_missing"] = [_surface(claim).get(c, c) for c in sorted(event)]
        content = shared - names - (event if light else set())
        if len(content) <= 1:
            values["one_word_only"] = 1.0
            words["one_word_only"] = sorted(content)
    return _Evidence(values, words, frozenset(c_tokens), tuple(sw), statement, tuple(sorted(shared)))


# --- the model ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceModel:
    """Two linear models. ``classes``: one weight vector per label over FEATURES and the evaluative words (w:), a
    three-way softmax for news-style pairs (reports, hedges, denials). ``argument``: a logistic for/against model that
    adds statement n-grams (b:, the claim's words masked) for arguments about a policy or a judgement, where every
    statement takes a side and the side is carried by wording ("_c_ violates", "protects the")."""

    classes: dict[Stance, dict[str, float]]
    bias: dict[Stance, float]
    argument: dict[str, float]
    argument_bias: float

    def probabilities(self, values: dict[str, float]) -> dict[Stance, float]:
        # sum over the features set (a handful), not over every weight of the model (thousands)
        known = self._class_features
        present = [(f, v) for f, v in values.items() if v and f in known]
        scores = {s: self.bias[s] + sum(self.classes[s].get(f, 0.0) * v for f, v in present) for s in LABELS}
        top = max(scores.values())
        exp = {s: math.exp(z - top) for s, z in scores.items()}
        total = sum(exp.values())
        return {s: e / total for s, e in exp.items()}

    @cached_property
    def _class_features(self) -> frozenset[str]:
        return frozenset(f for weights in self.classes.values() for f in weights)

    def argues_for(self, values: dict[str, float]) -> float:
        """Probability that an argument supports the claim (argument model)."""
        return _sigmoid(self.argument_bias + sum(self.argument.get(f, 0.0) * v for f, v in values.items() if v))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> StanceModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return StanceModel(
        classes={s: {f: float(w) for f, w in data["classes"][s]["weights"].items()} for s in LABELS},
        bias={s: float(data["classes"][s]["bias"]) for s in LABELS},
        argument={f: float(w) for f, w in data["argument"]["weights"].items()},
        argument_bias=float(data["argument"]["bias"]),
    )


# Claims that argue for a policy or pass a judgement ("X should be banned", "X is harmful"), rather than report an
# event: their statements are arguments, which take a side through consequences and values, not by restating them
_ARGUMENT_CLAIM = re.compile(
    r"\b(?:should|shouldn't|must|ought|needs? to|has to|have to|better|worse|best|worst|good|bad|right|wrong|allow|"
    r"allowed|ban|banned|banning|legali[sz]e[ds]?|compulsory|mandatory|necessary|unnecessary|justified|unjustified|"
    r"beneficial|harmful|fair|unfair|ethical|unethical|moral|immoral|acceptable|unacceptable|deserves?|worth|"
    r"outweighs?|abolish(?:ed)?|preferable)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def is_argument_claim(claim: str) -> bool:
    """True when the claim argues for a policy or passes a judgement rather than reports an event."""
    return bool(_ARGUMENT_CLAIM.search(claim))


def _quote(found: list[str], n: int = 2) -> str:
    return ", ".join(f'"{w}"' for w in dict.fromkeys(found[:n]))


def _reason(feature: str, evidence: _Evidence, stance: Stance) -> str:
    found = evidence.found(feature)
    if feature == "refute":
        return f"calls it false or unproven ({_quote(found)})"
    if feature == "denial":
        return f"the speaker denies it ({_quote(found)})"
    if feature in {"negation", "negation_mismatch"}:
        return f"negates it ({_quote(found)})" if stance == "contradicts" else f"negation ({_quote(found)})"
    if feature in {"hedge", "modal"}:
        return f"hedged: {_quote(found)}"
    if feature == "conditional":
        return f"says it only as a condition ({_quote(found)})"
    if feature in {"predicate_missing", "event_missing"}:
        return f"does not say whether it is so ({_quote(found)} is not mentioned)"
    if feature == "wish":
        return f"only hopes for it ({_quote(found)})"
    if feature == "names_only":
        return f"shares only names with the claim ({_quote(found, 3)}), not what it says about them"
    if feature == "question":
        return "asks rather than asserts it"
    if feature == "attributed":
        return f"only reports what others say ({_quote(found)})"
    if feature == "self_report":
        return f'the claim\'s own subject says so ("{" ".join(found)}")'
    if feature == "confirm":
        return f"confirms it ({_quote(found)})"
    if feature == "antonym" and evidence.found("antonym_reversed"):
        # the claim breaks what the statement's word is the opposite of ("violating the truce" and "shelled")
        if stance == "supports":
            return f'says "{found[1]}", against the "{found[0]}"'
        return f'rules out "{found[1]}": the "{found[0]}" holds'
    if feature == "antonym" and stance == "supports":
        return f'rules out the opposite: "{found[1]}" vs "{found[0]}"'
    if feature == "antonym":
        return f'says the opposite: "{found[1]}" vs "{found[0]}"'
    if feature == "polarity_for":
        return f"argues for it ({_quote(found, 3)})"
    if feature == "polarity_against":
        return f"argues against it ({_quote(found, 3)})"
    if feature.startswith("b:"):
        gram = feature[2:].replace(CLAIM_WORD, "…")
        return f'learned wording "{gram}" leans {"for" if stance == "supports" else "against"} it'
    if feature.startswith("w:"):
        word = f'"{feature[2:]}"'
        return f"argues for it ({word})" if stance == "supports" else f"argues against it ({word})"
    if feature == "overlap":
        return f"states the same thing ({_quote(found, 3)})" if found else "states something close to it"
    if feature == "no_overlap":
        return "shares no content words with the claim"
    return "no cue either way"


def _pushes(weights: dict[str, float], values: dict[str, float], sign: float) -> str:
    """The feature that pushed hardest towards the answer (``sign`` +1 for the weights' own direction), or ""."""
    pushes = {f: sign * weights.get(f, 0.0) * v for f, v in values.items() if v}
    best = max(pushes, key=lambda f: pushes[f], default="")
    return best if best and pushes[best] > 0 else ""


def _argue(evidence: _Evidence, model: StanceModel, margin: float) -> tuple[Stance, float, str] | None:
    """For or against, read as an argument; None when the argument model is less sure than ``margin``."""
    values = evidence.argument_values
    p = model.argues_for(values)
    if abs(p - 0.5) < margin:
        return None
    stance: Stance = "supports" if p >= 0.5 else "contradicts"
    best = _pushes(model.argument, values, 1.0 if stance == "supports" else -1.0)
    if best in _ABSENCES:
        best = ""
    return stance, max(p, 1 - p), _reason(best, evidence, stance)


# "any drop in the river was caused by the dry summer": what the claim has its doer do, put down to something else
_CAUSE = re.compile(
    r"\b(?:caused by|due to|because of|(?:the|a) result of|blamed on|put down to|attributed to|the work of)\s+"
    r"([^,.;:!?]{1,80})",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _other_cause(claim: str, statement: str) -> str:
    """The cause a statement gives for the claim's event when it is not the claim's doer (the claim's subject, or the
    cause the claim itself names), or "". The doer named doing it ("Talmir cut the flow because of the drought"), a
    cause the claim names anywhere ("delayed when a scorpion stung" and "due to a scorpion") or a negated one ("was
    not caused by") is no other cause."""
    claimed = _CAUSE.search(claim)
    if claimed:
        doer, explained = set(normalise(claimed.group(1))), set(normalise(claim[: claimed.start()]))
    else:
        doer, explained = set(normalise(_claim_side(claim))), set(_event_words(claim))
    if not doer or not explained:
        return ""
    for m in _CAUSE.finditer(statement):
        before = statement[: m.start()]
        said = set(normalise(before))
        cause = set(normalise(m.group(1)))
        if not explained & said or doer & said or not cause or cause & set(normalise(claim)):
            continue
        if any(_is_negation(w) for w in _words(before)[-3:]):
            continue
        return " ".join(m.group(0).split())
    return ""


def _decide(claim: str, statement: str, model: StanceModel, found_by_search: bool = False) -> tuple[Stance, float, str]:
    cause = _other_cause(claim, statement)
    if cause:
        return "contradicts", 0.6, f'puts it down to something else ("{cause}")'
    evidence = _features(claim, statement)
    values = evidence.values
    own_cue = values["refute"] or values["denial"]
    if is_argument_claim(claim) and not values["antonym"]:
        # an argument about a policy or a judgement takes a side through what it says follows; the news rules below
        # (only names shared, a condition, a wish) would call most arguments neutral. A judgement's opposite said
        # outright ("the vote was fair" and "the vote was rigged") is read as the opposite below
        argued = _argue(evidence, model, ARGUMENT_MARGIN)
        if argued:
            return argued
    elif values["no_overlap"] and not any(values[f] for f in _OWN_CUES):
        # retrieval hands the judge related statements only, so a pair with no word in common comes from someone
        # comparing a perspective with a claim ("It keeps children safe"): read it as an argument when the wording
        # is telling, else it is unrelated. A statement a search found that shares no word with a claim about an
        # event, and says neither the event nor its opposite, was found for its speaker's name: it is about something
        # else ("her country would not be provoked" for "Is Veloria pulling its troops back?")
        if found_by_search and values.get("event_missing"):
            return "neutral", 0.5, _reason("no_overlap", evidence, "neutral")
        argued = _argue(evidence, model, UNRELATED_MARGIN)
        return argued or ("neutral", 0.5, _reason("no_overlap", evidence, "neutral"))
    if values["names_only"] and not any(values[f] for f in ("denial", "antonym")):
        # evaluative words about something else ("threat", "tension") say nothing about what the claim says
        return "neutral", 0.5, _reason("names_only", evidence, "neutral")
    if found_by_search and values.get("event_missing"):
        # a statement a search found for sharing a word or two ("the border") need not be about the claim at all.
        # Without the claim's event or its opposite, sharing more than one word says something only with a denial,
        # refutation or negation; sharing one word, only with a refutation that needs no object ("the opposite",
        # "a hoax") or a denial of the shared word ("nothing to do with the attack")
        if values.get("one_word_only"):
            telling = any(w in REFUTATIONS or w in _OPPOSITE_PHRASES for w in evidence.words.get("refute", [])) or (
                values["denial"] and _denies_object(statement, set(evidence.words["one_word_only"]))
            )
        else:
            telling = any(values[f] for f in ("refute", "denial", "negation"))
        if not telling:
            return "neutral", 0.5, _reason("event_missing", evidence, "neutral")
    if _reading(statement).evidence_missing and not values["antonym"]:
        # "no sign of it", "yet to see any evidence": said of the claim itself, this is its contradiction
        return "contradicts", 0.7, _reason("refute", evidence, "contradicts")
    if values["antonym"]:
        # an opposite predicate is a contradiction by itself; negating it ("did not increase") turns it round
        opposite: Stance = "supports" if values.get("antonym_negated") else "contradicts"
        return opposite, 0.75, _reason("antonym", evidence, opposite)
    if values["wish"] and not own_cue:
        return "neutral", 0.6, _reason("wish", evidence, "neutral")
    if values["conditional"] and not own_cue:
        return "neutral", 0.6, _reason("conditional", evidence, "neutral")
    hedged = any(values[f] for f in ("hedge", "modal", "question", "attributed", "wish"))
    if values["self_report"]:
        # learned from headlines, "X says" reads as mere reporting; when X is the claim's own subject, X asserts it
        probs = model.probabilities({**values, "self_report": 0.0})
        if probs["neutral"] >= max(probs["supports"], probs["contradicts"]) and not hedged:
            return "supports", 0.6, _reason("self_report", evidence, "supports")
    else:
        probs = model.probabilities(values)
    stance: Stance = max(LABELS, key=lambda s: probs[s])
    runner_up = max((s for s in LABELS if s != stance), key=lambda s: probs[s])
    # the reason: the cue that pushed hardest towards the answer rather than the next best one
    contrast = {
        f: model.classes[stance].get(f, 0.0) - model.classes[runner_up].get(f, 0.0) for f, v in values.items() if v
    }
    best = _pushes(contrast, values, 1.0)
    if values["self_report"] and stance == "supports":
        best = "self_report"  # who says it is what a user weighs first
    elif stance == "supports" and values["overlap"] >= 0.5 and contrast.get("overlap", 0.0) > 0:
        best = "overlap"  # saying the same thing explains a support better than a stray evaluative word
    if (stance, best) in {("supports", "polarity_against"), ("contradicts", "polarity_for")}:
        best = ""  # a learned weight can lean the other way; the reason must not say the opposite of the answer
    if stance != "neutral" and (best in _ABSENCES or (not best and values["overlap"])):
        best = "overlap"  # what is missing cannot explain a position; what is shared can
    reason = _reason(best, evidence, stance)
    condition = _IF_SPAN.search(statement)
    if (
        stance != "neutral"
        and condition
        and not values["conditional"]
        and not set(normalise(condition.group(0))) & set(evidence.claim_tokens)
    ):
        # said of the claim outside an if-clause, but only on its condition: the user should see which
        reason += f' on a condition ("{" ".join(condition.group(0).split()[:8])}")'
    return stance, probs[stance], reason


def _directive(cue: str | None, statement: str) -> str:
    """The words that make the statement a request rather than an assertion ("urged", "called on"), or ""."""
    if cue:
        first = cue.strip().lower().split()
        if first and first[0] in DIRECTIVE_CUES:
            # "called" alone may name something ("called it a hoax"); "called on"/"called for" asks
            if first[0] not in {"call", "calls", "called", "calling"} or first[1:2] in (["on"], ["for"], ["upon"]):
                return cue.strip().lower()
    m = _DIRECTIVE_IN_TEXT.search(statement)
    return m.group(0).split()[0].lower() if m else ""


_ABSENCES = frozenset({"no_overlap", "names_only", "predicate_missing"})
# How sure the argument model must be: for a claim that argues, below this the news-style reading decides; for a pair
# with no word in common, below this it is unrelated (PERSPECTRUM dev 0.658 at 0.1, 0.650 at 0.3: the larger keeps
# stray wording out of news pairs)
ARGUMENT_MARGIN = 0.0
UNRELATED_MARGIN = 0.3
# cues that take a position without sharing a word with the claim ("It's a hoax", "That would harm children")
_OWN_CUES = ("refute", "denial", "antonym", "polarity_for", "polarity_against")
_NEGATION_OUT = re.compile(r"\b(?:not|never)\s+|n't\b", re.IGNORECASE)
_FLIP: dict[Stance, Stance] = {"supports": "contradicts", "contradicts": "supports", "neutral": "neutral"}


def _without_negation(text: str) -> str:
    out = _NEGATION_OUT.sub(" ", text.replace("’", "'"))
    out = re.sub(r"\b(ca|wo)\s", lambda m: {"ca": "can ", "wo": "will "}[m.group(1).lower()], out)
    return re.sub(r"\bno\s+", "", out, flags=re.IGNORECASE)


# --- guesses at what is so: "could have been orchestrated by X", "may be readying" ----------------------------------
#
# An epistemic modal over a perfect ("may/might/could/must (well) have + past participle") is a speaker's guess about
# a past fact: "the attack could have been orchestrated by X" puts forward that X did it, only hedged. It is an
# accusation that leans towards the claim, unlike the same modals over a base verb ("X could invade at any moment",
# "troops may leave next week"), which name a possibility in the future and assert nothing about what is so. Negated
# ("could not have been", "may not have", "can't have") it leans against. "Would/should have" are counterfactual
# ("should have withdrawn" says it did not), and so is "could have" when a contrast follows ("could have left weeks
# ago but chose to stay") or a condition frames it ("if talks had failed, it might have invaded"); a guess inside an
# uncertainty frame ("it is unclear whether X may have", "no one knows if") or a question asserts nothing either way.
# The same modals over a progressive ("X may be readying an invasion", "could be planning") guess at what is going on
# now, and lean the same way, unless a time ahead makes the progressive a plan or a forecast ("may be leaving next
# week") or "there may be" names a possible event. Read only for statements found by a search (judge's
# found_by_search): the stance benchmarks pair a headline with a claim, where a hedged headline is labelled neutral
# ("X may have …" observes, "X says" reports); and not for a claim that argues, whose statements' modals weigh
# consequences ("could harm").
_SPECULATIVE_MODAL = re.compile(
    r"\b(?P<modal>(?:could|may|might|must)(?P<nt>n['’]t)?|(?P<cannot>cannot|can['’]t))"
    r"(?P<not>\s+(?:not|never))?(?:\s+(?:well|also|even|possibly|probably|perhaps|likely|indeed|already))?"
    r"(?:(?:\s+have|['’]ve)\s+(?:(?:also|already|even|just|never)\s+)?(?P<participle>[a-z]+)|"
    r"\s+be\s+(?:(?:also|already|even|just|now|still|quietly|secretly)\s+)?(?P<ing>[a-z]{3,}ing))\b",
    re.IGNORECASE,
)
# "-ing" words that are not a verb's: "may be something", "could be during"
_NOT_PROGRESSIVE = frozenset(
    "thing nothing something anything everything during morning evening spring string bring swing wing king".split()
)
# After a progressive, a time ahead makes it a plan or a forecast ("may be leaving next week"), not a guess about now
_FUTURE_TIME = re.compile(
    r"\b(?:next|tomorrow|tonight|soon|later|within|in the coming|by the end|in (?:a|two|three|several|a few) "
    r"(?:days?|weeks?|months?))\b",
    re.IGNORECASE,
)
# Irregular past participles of verbs news reports use (the regular ones end in -ed)
PARTICIPLES = frozenset(
    """been done gone taken given seen known shown begun written spoken fallen risen driven broken chosen hidden stolen
    struck flown drawn withdrawn sent won lost built bought sold shot hit put cut let met held kept brought thought
    fought run come got gotten found led sought paid spent left made had said told become thrown grown blown torn worn
    sworn beaten bitten ridden eaten forgotten frozen overtaken undertaken mistaken shaken woken arisen""".split()
)
# In the sentence before the guess, words that leave it open ("unclear whether", "no one knows if") or make it a
# condition; after it, words that turn "could have" into what did not happen ("but chose not to", "instead", "months
# ago", "sooner")
_OPEN_FRAME = re.compile(
    r"\b(?:if|unless|whether|unclear|uncertain|unknown|wonder(?:s|ed|ing)?|not (?:yet )?(?:clear|known)|"
    r"(?:no one|nobody|none of us) (?:knows?|can say)|remains? to be seen|too early|ask(?:s|ed|ing)? if)\b",
    re.IGNORECASE,
)
_COUNTERFACTUAL_AFTER = re.compile(
    r"\b(?:but|instead|rather than|if|had (?:they|it|he|she|we)|ago|sooner|earlier|by now|long before)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?;…]")


@dataclass(frozen=True)
class _Speculation:
    plain: str  # the statement with the guess read as a plain assertion ("the attack been orchestrated by X")
    words: str  # the hedge as the user reads it: "could have", "may not have"
    negated: bool


@text_cache("speculation")
def _speculation(statement: str) -> _Speculation | None:
    """The statement with its guesses at what is or was so read as plain assertions, when it makes them outside an
    open frame; None otherwise."""
    found: list[re.Match[str]] = []
    for m in _SPECULATIVE_MODAL.finditer(statement):
        start = max((e.end() for e in _SENTENCE_END.finditer(statement, 0, m.start())), default=0)
        end = _SENTENCE_END.search(statement, m.end())
        before = statement[start : m.start()]
        after = statement[m.end() : end.start() if end else len(statement)]
        if m.group("ing"):
            if m.group("ing").lower() in _NOT_PROGRESSIVE or re.search(r"\bthere\s*$", before, re.IGNORECASE):
                continue  # "there may be fighting": an event's possibility, not a guess about what someone does
            if _FUTURE_TIME.search(after):
                continue
        elif not (
            m.group("participle").lower() in PARTICIPLES
            or (m.group("participle").lower().endswith("ed") and len(m.group("participle")) > 3)
        ):
            continue  # "may have to leave", "could have troops there": not a perfect
        if _OPEN_FRAME.search(before) or _COUNTERFACTUAL_AFTER.search(after) or (end and end.group(0) == "?"):
            return None
        found.append(m)
    if not found:
        return None
    negated = [bool(m.group("nt") or m.group("not") or m.group("cannot")) for m in found]
    if len(set(negated)) > 1:
        return None  # one guess each way: no leaning
    plain, at = [], 0
    for m, no in zip(found, negated, strict=True):
        verb = m.group("participle") or m.group("ing")
        plain += [statement[at : m.start()], " not " if no else " ", verb]
        at = m.end()
    plain.append(statement[at:])
    first = found[0]
    shown = statement[first.start() : first.start("participle" if first.group("participle") else "ing")]
    shown = shown.replace("’", "'")
    return _Speculation(" ".join("".join(plain).split()), " ".join(shown.lower().split()), negated[0])


# --- whose deed: the statement's own subject against the claim's ---------------------------------------------------
#
# A statement found by a search can say the claim's event of someone else: "it is planning an attack", said by
# Karvenia, is about Karvenia, whatever the question asks of Veloria. Its subject is read without a parse: "we"/"our"
# stand for the speaker's side (a spokesman speaks as "we" for a government), "it"/"its" only when the speaker is the
# side itself ("Karvenia said it …": a person's "it" is mostly a thing), and a leading name counts when it is the
# speaker's side or a side the gazetteer knows ("Moscow" is Russia's). The subject must be the doer of the claim's
# event: the event (or a word of its side, or its opposite) must be the first content word after it, past auxiliaries,
# negations and catenative verbs ("it had begun pulling back"), so "we have seen no sign of a pullback" is not
# Veloria's pullback. Such a statement, when its side is not the claim's subject, takes no side on the claim.
_PRONOUN_SUBJECTS = frozenset({"we", "our", "it", "its"})
_SIDE_ITSELF_ONLY = frozenset({"it", "its"})
_BEFORE_EVENT = frozenset(
    """is are was were am be been being has have had do does did will would can could may might must shall should not
    never no still now already also just really actually finally indeed reportedly begun began begin begins started
    start starts continue continues continued""".split()
)
_LIGHT_EVENTS = frozenset({"perpetrate"})
_PREPOSITIONS = frozenset("in of on at to for from with near by into over about against".split())
_SUBJECT_WORD = re.compile(r"^[\"'“‘(]*([^\W\d_][\w'’-]*?)(?:['’]s)?[\"'”’),;:.!?]*$")


@lru_cache(maxsize=4096)
def _side_of(name: str) -> str:
    """A name's side: the gazetteer's ("Moscow" -> "Russia"), else the name itself."""
    from bot.extract.gazetteer import canonical_side  # read only; imported when a speaker's side is given

    return canonical_side(name) or name


@lru_cache(maxsize=8192)
def _same_side(a: str, b: str) -> bool:
    ta, tb = set(normalise(_side_of(a))), set(normalise(_side_of(b)))
    if ta & tb:
        return True
    return any(_is_demonym(x, y) or _is_demonym(y, x) for x in ta for y in tb)


@lru_cache(maxsize=1024)
def _claim_side(claim: str) -> str:
    """The name a claim's subject starts with ("Karvenia" of "Karvenia's army is ready"), or ""."""
    words = claim_subject(claim).split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(_leading_name(words))


def _leading_name(words: Sequence[str]) -> list[str]:
    """The capitalised words a text starts with, up to and including a possessive ("Karvenia's")."""
    name = []
    for w in words:
        m = _SUBJECT_WORD.match(w)
        if not m or not w[:1].isupper():
            break
        name.append(m.group(1))
        if re.search(r"['’]s$", w):
            break
    return name


@lru_cache(maxsize=8192)  # a live blog's statements are judged again for every question
def _statement_subject(
    statement: str, speaker_side: str, speaker: str | None
) -> tuple[str, frozenset[str], frozenset[str], frozenset[str]] | None:
    """The statement's subject when it is a side: (side, tokens of what it owns: "army" of "our army", tokens of the
    four words after it and its auxiliaries, tokens of the last three of them); None otherwise."""
    raw = statement.replace("’", "'").split()
    lowered = [w.lower().strip("\"'“”‘(),;:.!?") for w in raw]
    if not raw:
        return None
    at, side, owned = 1, "", frozenset[str]()
    if lowered[0] in _PRONOUN_SUBJECTS:
        if lowered[0] in _SIDE_ITSELF_ONLY and speaker and not _same_side(speaker, speaker_side):
            return None  # a person's "it" is mostly a thing
        side = speaker_side
        possessive = lowered[0] in {"our", "its"}
    else:
        start = 1 if lowered[0] == "the" else 0
        name = _leading_name(raw[start : start + 3])
        if not name:
            return None
        joined = " ".join(name)
        known = _side_of(joined)
        if known == joined and not _same_side(joined, speaker_side):
            return None  # a name that is neither a known side nor the speaker's: a person, a thing
        side, at = known if known != joined else speaker_side, start + len(name)
        # "Karvenia's army", and "Russian soldiers will leave": a place's adjective owns the noun after it as its
        # possessive does, unless a preposition ties that noun to what follows ("Russian involvement in the attacks")
        possessive = bool(re.search(r"'s$", raw[at - 1])) or (
            _adjective_of(joined, side) and lowered[at + 1 : at + 2] != [] and lowered[at + 1] not in _PREPOSITIONS
        )
    if possessive:
        # "our army", "its armoured units": the possessed noun is part of the subject
        k = at
        while k < len(lowered) and k < at + 2 and lowered[k] not in _BEFORE_EVENT:
            k += 1
        owned, at = frozenset(normalise(" ".join(lowered[at:k]))), k
    while at < len(lowered) and (lowered[at] in _BEFORE_EVENT or lowered[at : at + 2] == ["going", "to"]):
        at += 2 if lowered[at] == "going" else 1
    window = lowered[at : at + 4]
    if not window:
        return None
    return side, owned, frozenset(normalise(" ".join(window))), frozenset(normalise(" ".join(window[1:])))


def _adjective_of(name: str, side: str) -> bool:
    """Whether a one-word name is the adjective of its side's place ("Russian" of Russia, "Karvenian" of Karvenia)."""
    if " " in name or name == side:
        return False
    word, place = normalise(name), normalise(side)  # the gazetteer's adjectives normalise to their place's name
    return len(word) == 1 and len(place) == 1 and (word == place or _is_demonym(word[0], place[0]))


@lru_cache(maxsize=1024)
def _event_words(claim: str) -> frozenset[str]:
    """The claim's event with the words of its side and of its opposite: what its doer would be said to do."""
    event = set(main_predicate(claim))
    return frozenset(event | {w for e in event for w in _SAME_SIDE.get(e, frozenset()) | _OPPOSITE.get(e, frozenset())})


def _statement_doer(
    claim: str, statement: str, speaker_side: str, speaker: str | None
) -> tuple[str, frozenset[str]] | None:
    """(side, what it owns) when the statement's subject is a side and does the claim's event; None otherwise."""
    subject = _statement_subject(statement, speaker_side, speaker)
    if not subject:
        return None
    side, owned, window, rest = subject
    event = _event_words(claim)
    # the event must come from the first word after the subject ("had nothing to do"), not a later one ("saw no
    # pullback")
    if not event & window or event & rest:
        return None
    return side, owned


def _someone_else(claim: str, statement: str, speaker_side: str | None, speaker: str | None) -> tuple[str, str] | None:
    """(the statement's side, the claim's) when the statement says the claim's event of another side than the one the
    claim names as its subject."""
    if not speaker_side:
        return None
    claimed = _claim_side(claim)
    if not claimed or (speaker and set(normalise(claimed)) <= set(normalise(speaker))):
        return None  # no named subject, or the speaker is the claim's subject: "we" includes them
    # each clause has its own subject ("the drills are over and our soldiers are going home"); the statement is about
    # another side when some clause says the event of that side and none says it of the claim's
    doers = [d for clause in _clause_starts(statement) if (d := _statement_doer(claim, clause, speaker_side, speaker))]
    if not doers or any(_same_side(side, claimed) or set(normalise(claimed)) <= owned for side, owned in doers):
        return None
    return doers[0][0], claimed


# Who the titles of live blogs and news articles say does the event: "Karvenia says its troops are leaving the Veloria
# border", "NATO has urged Russia to prove it is pulling back troops". Clauses are cut at a semicolon, a colon, a dash.
_TITLE_CLAUSE = re.compile(r"[;:|–—]|\s-\s")
# The doers a statement may name with a common noun ("the alliance is sending more troops"): its own side, not the
# title's
_ORGANISATIONS = frozenset(
    "alliance government ministry army military navy country state administration kremlin coalition bloc union "
    "leadership president minister authorities regime".split()
)


@lru_cache(maxsize=1024)
def _title_doer(claim: str, title: str, sides: frozenset[str]) -> str:
    """The side a source's title names as doing the claim's event or its opposite ("Karvenia" of "Karvenia says its
    troops are leaving the Veloria border" for "Veloria is pulling its troops back"), or "": the side named nearest
    before the event's first word in its clause. A side is a name the gazetteer knows or one of ``sides``."""
    event = _event_words(claim)
    if not event:
        return ""
    for clause in _TITLE_CLAUSE.split(title.replace("’", "'")):
        raw = clause.split()
        if not event & set(normalise(clause)):
            continue
        # the event's first word: the shortest start of the clause that says it ("pulling back" reads as one word)
        at = next((i for i in range(len(raw)) if event & set(normalise(" ".join(raw[: i + 1])))), len(raw))
        reported, referred = False, False
        for word in reversed(raw[:at]):
            low = word.lower().strip("\"'“”‘(),.!?")
            if low in _HEADLINE_REPORTING:
                reported = True
            elif low in _BACK_REFERENCES and not reported:
                referred = True
            m = _SUBJECT_WORD.match(word)
            if m and word[:1].isupper() and (_is_known_side(m.group(1)) or _among(m.group(1), sides)):
                # the speaker of a reported event is its doer only when the report refers back to them ("Karvenia
                # says its troops are leaving"), not in "Veloria's minister says troops are still massing"
                return _side_of(m.group(1)) if referred or not reported else ""
        return ""
    return ""


_HEADLINE_REPORTING = REPORTING | frozenset(
    "warns warned announces announced insists insisted denies denied admits admitted believes stresses "
    # who sees an event is its witness, not its doer: "Alliance sees no withdrawal"
    "sees see saw seen observes observed notes noted finds found doubts doubted".split()
)
_BACK_REFERENCES = frozenset("it its they their we our".split())


@lru_cache(maxsize=4096)
def _is_known_side(name: str) -> bool:
    from bot.extract.gazetteer import canonical_side

    return canonical_side(name) is not None


def _among(name: str, sides: frozenset[str]) -> bool:
    return any(_same_side(name, side) for side in sides)


def _organisation_does(claim: str, statement: str) -> bool:
    """Whether the statement's subject is an organisation named by a common noun ("the alliance") that does the
    claim's event itself: "the alliance is sending more troops"."""
    lowered = [w.lower().strip("\"'“”‘(),;:.!?") for w in statement.replace("’", "'").split()]
    if len(lowered) < 3 or lowered[0] not in {"the", "our", "its"} or lowered[1] not in _ORGANISATIONS:
        return False
    at = 2
    while at < len(lowered) and lowered[at] in _BEFORE_EVENT:
        at += 1
    return at < len(lowered) and bool(_event_words(claim) & set(normalise(lowered[at])))


_NOT_GERUNDS = frozenset("nothing something anything everything during morning evening king bring thing".split())


def _denies_own_deed(claim: str, statement: str, cue: str | None, speaker_side: str | None) -> tuple[str, str] | None:
    """(the speaker's side, the claim's) when a side denies a deed of its own, named without a subject ("Belmont
    denied shelling any villages"), and the claim is about another side: its denial says nothing of that side."""
    if not cue or cue.strip().lower() not in DENIAL_CUES or not speaker_side:
        return None
    claimed = _claim_side(claim)
    words = statement.split()
    first = words[0].lower().strip("\"'“”‘(") if words else ""
    if not claimed or not first.endswith("ing") or len(first) < 5 or first in _NOT_GERUNDS:
        return None
    if _same_side(speaker_side, claimed) or any(
        _same_side(t, claimed) for t in set().union(*_capitalised_tokens(statement))
    ):
        return None
    return speaker_side, claimed


_ACCUSING = re.compile(r"^(?:accus|blam)", re.IGNORECASE)


def _accused_other(claim: str, statement: str, cue: str | None, sides: frozenset[str]) -> tuple[str, str] | None:
    """(the accused side, the claim's) when an accusation names whom it accuses ("Ostrava accuses: Belmont of shelling
    villages") and that is another side than the claim's subject: it says the deed of the accused."""
    claimed = _claim_side(claim)
    if not cue or not _ACCUSING.match(cue.strip()) or not claimed:
        return None
    m = re.match(r"^(?:the\s+)?((?:[A-Z][\w'’-]*\s+){1,3}?)(?:of|for)\s", statement)
    if not m:
        return None
    accused = m.group(1).strip()
    if not (_is_known_side(accused) or _among(accused, sides)) or _same_side(accused, claimed):
        return None
    return _side_of(accused), claimed


def _title_says_other(
    claim: str,
    statement: str,
    speaker_side: str | None,
    speaker: str | None,
    titles: Sequence[str | None],
    sides: frozenset[str],
) -> tuple[str, str] | None:
    """(the headline's side, the claim's) when a statement that names no doer of the claim's event ("more units will
    leave this week", "no evidence of a withdrawal") stands under a headline (its update's, else its source's title)
    that says another side than the claim's subject does it: a live blog's short updates leave their subject to the
    headlines above them. A statement that names a doer itself (its own "we", a side, "the alliance"), or names the
    claim's subject anywhere, is left to what it says."""
    claimed = _claim_side(claim)
    if not claimed or not any(titles):
        return None
    known = sides | {claimed}
    doer = next((d for t in titles if t and (d := _title_doer(claim, " ".join(t.split()), known))), "")
    if not doer or _same_side(doer, claimed):
        return None
    reading = _reading(statement)
    # about the event: it says the event or its opposite, or calls something false that it does not name ("what we
    # observe is the opposite"), which under the headline is the headline's event
    objectless = any(p in _OPPOSITE_PHRASES for p in reading.refutation_phrases)
    if not _event_words(claim) & reading.tokens and not objectless:
        return None  # not about the event: what else it says is judged as usual
    first, others = _capitalised_tokens(statement)
    if any(_same_side(t, claimed) for t in first | others):
        return None
    if any(_statement_subject(clause, speaker_side or doer, speaker) for clause in _clause_starts(statement)):
        return None
    if _organisation_does(claim, statement):
        return None
    return doer, claimed


_CLAUSE_START = re.compile(r"(?:[,;:]|\s[-–—])\s+(?:and\s+|but\s+)?|\s+(?:and|but|while|whereas)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _clause_starts(statement: str) -> tuple[str, ...]:
    """The statement from each place a clause may start: its beginning, and after a comma, "and" or "but"."""
    return (statement, *(statement[m.end() :] for m in _CLAUSE_START.finditer(statement)))


SPECULATION_SCORE = 0.6  # a guess is never a confident answer


def _speculation_reason(stance: Stance, reason: str, speculation: _Speculation) -> str:
    head = "suggests it" if stance == "supports" else "suggests it is not so"
    said = f'{head}, hedged ("{speculation.words}")'
    # what the plain assertion would have shown is worth adding when it is a cue of its own, not the shared words or
    # the guess's own negation, which the head already says
    if reason.startswith(("states ", "negates it", "negation", "no cue")):
        return said
    return f"{said}: {reason}"


def judge(
    claim: str,
    statement: str,
    *,
    cue: str | None = None,
    model: StanceModel | None = None,
    found_by_search: bool = False,
    speaker_side: str | None = None,
    speaker: str | None = None,
    titles: Sequence[str | None] = (),
    sides: Set[str] = frozenset(),
) -> StanceResult:
    """How ``statement`` (a stored claim's text, said with ``cue``) stands to ``claim`` (the user's claim).

    ``model`` replaces the shipped weights (training and evaluation only).

    ``found_by_search``: the statement was found by searching for the claim, so it may share no more than a word with
    it. A pair handed in as a claim and a statement about it (the stance command, the benchmarks: every Emergent
    headline is of an article about its claim) is read as being about the claim, and there a statement that shares
    the claim's topic but words its event differently ("seized" for "captured") mostly supports it. A searched
    statement that shares at most one word with the claim and neither its event nor the event's opposite ("new
    bridges on the border" for "Is X pulling its troops back from the border?") is neutral instead: it is about
    something else. A searched statement that guesses at the claim ("could have been orchestrated by X", "may be
    readying") leans the way its plain assertion would, with the hedge in the reason.

    ``speaker_side``, ``speaker`` (searched statements only): the statement's side and speaker, which its "we"/"our"
    (and the side's own "it"/"its") stand for. A statement whose subject does the claim's event for another side than
    the claim's subject ("it is planning an attack", said by Ostland, for "Norland is planning an attack") is neutral.

    ``titles``, ``sides`` (searched statements only): the headlines above the statement, nearest first (its update's,
    its source's title), and the sides of the other statements found with it. A statement that names no doer of the
    claim's event ("more units will leave this week") is read as the doer its nearest headline names ("Karvenia says
    its troops are leaving the Veloria border"): neutral for a claim about another side ("Veloria is pulling its
    troops back").

    A negative claim ("Russia is not withdrawing") is judged as its positive form with the answer turned round,
    so a statement that refutes the positive form supports it. A denial cue ("denied") turns the statement's own
    stance round: its speaker rejects the text. A directive cue ("urged", "called on") makes it a request, which
    asserts nothing.
    """
    claim = " ".join((claim or "").split()).rstrip("?")
    statement = " ".join((statement or "").split())
    if not claim or not statement or not normalise(claim) or not normalise(statement):
        return StanceResult("neutral", 0.0, "nothing to compare")
    directive = _directive(cue, statement)
    if directive:
        return StanceResult("neutral", 0.6, f'asks for it rather than says it is so ("{directive}")')
    claim_negated = is_negative_claim(claim)
    if found_by_search:
        other = (
            _someone_else(claim, statement, speaker_side, speaker)
            or _denies_own_deed(claim, statement, cue, speaker_side)
            or _accused_other(claim, statement, cue, frozenset(sides))
        )
        if other:
            return StanceResult("neutral", 0.6, f"says it of {other[0]}, not of {other[1]}")
        other = _title_says_other(claim, statement, speaker_side, speaker, titles, frozenset(sides))
        if other:
            return StanceResult("neutral", 0.6, f"says it of {other[0]} (as its headline has it), not of {other[1]}")
    base_claim = _without_negation(claim) if claim_negated else claim
    model = model or load_model()
    stance, score, reason = _decide(base_claim, statement, model, found_by_search)
    # an argument's modals weigh consequences ("students could be developing other skills"), not guesses at facts
    speculation = _speculation(statement) if found_by_search and not is_argument_claim(base_claim) else None
    if speculation:
        # a guess leans the way its plain assertion would, named as a guess whatever decided it
        guessed, guessed_score, guessed_reason = _decide(base_claim, speculation.plain, model, found_by_search)
        if guessed != "neutral":
            stance, score = guessed, min(guessed_score, SPECULATION_SCORE)
            reason = _speculation_reason(guessed, guessed_reason, speculation)
    if claim_negated and stance != "neutral":
        stance = _FLIP[stance]
        reason = f"the claim is negative, and the statement {reason}" if not reason.startswith("the ") else reason
    if cue and cue.strip().lower() in DENIAL_CUES and stance != "neutral":
        stance = _FLIP[stance]
        reason = f'the speaker denies it ("{cue.strip().lower()}")'
    return StanceResult(stance, round(score, 3), reason)
