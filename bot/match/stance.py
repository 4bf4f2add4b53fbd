"""Stance: does a stored statement support, contradict or say nothing about a claim — with the reason why.

Explainable cues (denials, refutations, negation, hedges, opposite predicates, who is speaking, evaluative
polarity, word overlap) are weighed by a small linear model (``stance_model.json``, trained by
``bench/train_stance.py``); the reason names the cue that weighed most.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from bot.match.text import normalise

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
)
# Speakers rejecting the claim
DENIALS = frozenset(
    """deny denies denied denying denial denials refute refutes refuted rebuff rebuffs rebuffed dispute disputes
    disputed reject rejects rejected rejecting dismiss dismisses dismissed dismissing contradict contradicts
    contradicted""".split()
)
DENIAL_PHRASES = ("ruled out", "rules out", "rule out", "ruling out", "played down", "plays down", "pushed back on")
# Reporting the claim without asserting it
HEDGES = frozenset(
    """allegedly alleged alleges reportedly rumor rumors rumour rumours rumored rumoured apparently purportedly
    purported supposedly unconfirmed unverified speculation speculate speculates speculated believed suspected
    unclear uncertain whether seems seem appears appear probe probes investigate investigates investigating
    investigation considering considers mulls mulling expected expects predicts predicted forecast forecasts mystery
    confusion questions doubts doubt""".split()
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
        "increase rise rose risen grow grew expand advance deploy enter",
        "withdraw decrease fall fell fallen drop decline",
    ),
    ("win won victory", "lose lost defeat"),
    ("confirm accept approve admit", "deny reject veto"),
    ("open opened reopen", "close closed shut"),
    ("alive survive survived", "kill dead"),
    ("support back backs favour favor endorse", "oppose opposes against condemn"),
    ("start begin launch resume", "stop end halt suspend cancel"),
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
)

# One learned weight per evaluative word (its sign towards the claim), on top of the counts above: "harm" and
# "violates" need not weigh the same. Only words of the general lexicons above, never a story's own words.
LEXICON_WORDS: tuple[str, ...] = tuple(sorted(POSITIVE | NEGATIVE | REVERSERS))

_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class _Evidence:
    """Feature values for one pair and the words that set each, for the reason."""

    values: dict[str, float]
    words: dict[str, list[str]]


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("’", "'"))


def _phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    low = " " + " ".join(_words(text)) + " "
    return [p for p in phrases if " " + p + " " in low]


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


@lru_cache(maxsize=4096)
def _folded(word: str) -> str:
    tokens = normalise(word)
    return tokens[0] if tokens else word


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


def _polarity(words: list[str]) -> tuple[float, list[str]]:
    """Evaluative leaning of a text: positive minus negative words, each flipped by a negation just before it."""
    score = 0.0
    hits: list[str] = []
    for i, w in enumerate(words):
        value = (w in POSITIVE) - (w in NEGATIVE)
        if not value:
            continue
        if any(_is_negation(x) for x in words[max(0, i - 3) : i]):
            value = -value
        score += value
        hits.append(w)
    if any(w in REVERSERS for w in words):
        # "ban X" leans against X: the text's own evaluative words then argue the other way round
        score = -score if score else -1.0
        hits += [w for w in words if w in REVERSERS]
    return score, hits


def _speaker_before(words: list[str], i: int) -> list[str]:
    """The words that name who speaks at a reporting word: up to three before it, or after 'according to'."""
    if words[i] == "according":
        return words[i + 2 : i + 5]
    return words[max(0, i - 3) : i]


def _features(claim: str, statement: str) -> _Evidence:
    cw, sw = _words(claim), _words(statement)
    cset = set(cw)
    c_tokens, s_tokens = set(normalise(claim)), set(normalise(statement))
    values: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    words: dict[str, list[str]] = {}

    def hit(name: str, found: list[str], value: float | None = None) -> None:
        if found:
            values[name] = value if value is not None else float(min(2, len(found)))
            words[name] = found

    hit("refute", [w for w in sw if w in REFUTATIONS and w not in cset] + _phrases(statement, REFUTATION_PHRASES))
    hit("denial", [w for w in sw if w in DENIALS and w not in cset] + _phrases(statement, DENIAL_PHRASES))
    s_neg = [w for w in sw if _is_negation(w)]
    c_neg = [w for w in cw if _is_negation(w)]
    hit("negation", s_neg)
    if bool(s_neg) != bool(c_neg):
        hit("negation_mismatch", s_neg or c_neg, 1.0)
    hit("hedge", [w for w in sw if w in HEDGES and w not in cset] + _phrases(statement, HEDGE_PHRASES))
    hit("modal", [w for w in sw if w in MODALS and w not in cset])
    if "?" in statement:
        hit("question", ["?"], 1.0)
    hit("confirm", [w for w in sw if w in CONFIRMATIONS and w not in cset])

    # who speaks: the claim's own subject saying it is a self-report, anyone else only attributes it
    subject = set(normalise(" ".join(cw[:4]))[:2])
    for i, w in enumerate(sw):
        if w in REPORTING and w not in cset:
            speaker = _speaker_before(sw, i)
            if subject & set(normalise(" ".join(speaker))):
                hit("self_report", [*speaker, w], 1.0)
            else:
                hit("attributed", [*speaker[-2:], w], 1.0)
            break

    # opposite predicates: a claim word whose opposite the statement uses (and the claim does not)
    for c in c_tokens:
        opposite = _OPPOSITE.get(c, frozenset()) & (s_tokens - c_tokens)
        if opposite:
            hit("antonym", [c, sorted(opposite)[0]], 1.0)
            break

    c_pol, _ = _polarity(cw)
    s_pol, s_hits = _polarity(sw)
    towards = -1.0 if c_pol < 0 else 1.0
    lean = s_pol * towards
    for i, w in enumerate(sw):
        if (w in POSITIVE or w in NEGATIVE or w in REVERSERS) and w not in cset:
            negated = any(_is_negation(x) for x in sw[max(0, i - 3) : i])
            values["w:" + w] = values.get("w:" + w, 0.0) + (-towards if negated else towards)
    if lean > 0:
        hit("polarity_for", s_hits, min(2.0, lean))
    elif lean < 0:
        hit("polarity_against", s_hits, min(2.0, -lean))

    overlap = len(c_tokens & s_tokens) / len(c_tokens) if c_tokens else 0.0
    values["overlap"] = overlap
    words["overlap"] = sorted(c_tokens & s_tokens)
    if not c_tokens & s_tokens:
        values["no_overlap"] = 1.0
    return _Evidence(values, words)


# --- the model ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceModel:
    """Two logistic models over FEATURES: ``commit`` (does the statement take a position on the claim at all, or
    only report, hedge or ask?) and ``direction`` (given a position, for or against?)."""

    commit: dict[str, float]
    commit_bias: float
    direction: dict[str, float]
    direction_bias: float

    def probabilities(self, values: dict[str, float]) -> dict[Stance, float]:
        committed = _sigmoid(self.commit_bias + sum(w * values.get(f, 0.0) for f, w in self.commit.items()))
        supports = _sigmoid(self.direction_bias + sum(w * values.get(f, 0.0) for f, w in self.direction.items()))
        return {"supports": committed * supports, "contradicts": committed * (1 - supports), "neutral": 1 - committed}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> StanceModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return StanceModel(
        commit={f: float(data["commit"]["weights"].get(f, 0.0)) for f in FEATURES},
        commit_bias=float(data["commit"]["bias"]),
        direction={f: float(w) for f, w in data["direction"]["weights"].items()},
        direction_bias=float(data["direction"]["bias"]),
    )


def _quote(found: list[str], n: int = 2) -> str:
    return ", ".join(f'"{w}"' for w in dict.fromkeys(found[:n]))


def _reason(feature: str, evidence: _Evidence, stance: Stance) -> str:
    found = evidence.words.get(feature, [])
    if feature == "refute":
        return f"calls it false ({_quote(found)})"
    if feature == "denial":
        return f"the speaker denies it ({_quote(found)})"
    if feature in {"negation", "negation_mismatch"}:
        return f"negates it ({_quote(found)})" if stance == "contradicts" else f"negation ({_quote(found)})"
    if feature in {"hedge", "modal"}:
        return f"hedged: {_quote(found)}"
    if feature == "question":
        return "asks rather than asserts it"
    if feature == "attributed":
        return f'only reports what others say ("{" ".join(found)}")'
    if feature == "self_report":
        return f'the claim\'s own subject says so ("{" ".join(found)}")'
    if feature == "confirm":
        return f"confirms it ({_quote(found)})"
    if feature == "antonym" and stance == "supports":
        return f'rules out the opposite: "{found[1]}" vs "{found[0]}"'
    if feature == "antonym":
        return f'says the opposite: "{found[1]}" vs "{found[0]}"'
    if feature == "polarity_for":
        return f"argues for it ({_quote(found, 3)})"
    if feature == "polarity_against":
        return f"argues against it ({_quote(found, 3)})"
    if feature.startswith("w:"):
        word = f'"{feature[2:]}"'
        return f"argues for it ({word})" if stance == "supports" else f"argues against it ({word})"
    if feature == "overlap":
        return f"states the same thing ({_quote(found, 3)})" if found else "states something close to it"
    if feature == "no_overlap":
        return "shares no content words with the claim"
    return "no cue either way"


def _decide(claim: str, statement: str, model: StanceModel) -> tuple[Stance, float, str]:
    evidence = _features(claim, statement)
    values = evidence.values
    if values["no_overlap"] and not any(values[f] for f in _OWN_CUES):
        # nothing in common and no cue of its own: unrelated, whatever the learned bias would say
        return "neutral", 0.5, "shares no content words with the claim"
    hedged = any(values[f] for f in ("hedge", "modal", "question", "attributed"))
    if values["antonym"] and not hedged:
        # an opposite predicate is a contradiction by itself; negating it ("did not increase") turns it round
        opposite: Stance = "supports" if values["negation_mismatch"] else "contradicts"
        return opposite, 0.75, _reason("antonym", evidence, opposite)
    if values["self_report"]:
        # learned from headlines, "X says" reads as mere reporting; when X is the claim's own subject, X asserts it
        probs = model.probabilities({**values, "self_report": 0.0})
        if probs["neutral"] >= 0.5 and not hedged:
            return "supports", 0.6, _reason("self_report", evidence, "supports")
    else:
        probs = model.probabilities(values)
    stance: Stance
    if probs["neutral"] >= 0.5:
        weights, sign, stance = model.commit, -1.0, "neutral"
    elif probs["supports"] >= probs["contradicts"]:
        weights, sign, stance = model.direction, 1.0, "supports"
    else:
        weights, sign, stance = model.direction, -1.0, "contradicts"
    # the reason: the cue that pushed hardest towards the answer
    pushes = {f: sign * weights.get(f, 0.0) * v for f, v in values.items() if v}
    best = max(pushes, key=lambda f: pushes[f], default="")
    if not best or pushes[best] <= 0:
        best = ""
    if values["self_report"] and stance == "supports":
        best = "self_report"  # who says it is what a user weighs first
    return stance, probs[stance], _reason(best, evidence, stance)


# cues that take a position without sharing a word with the claim ("It's a hoax", "That would harm children")
_OWN_CUES = ("refute", "denial", "antonym", "polarity_for", "polarity_against")
_NEGATION_OUT = re.compile(r"\b(?:not|never)\s+|n't\b", re.IGNORECASE)
_FLIP: dict[Stance, Stance] = {"supports": "contradicts", "contradicts": "supports", "neutral": "neutral"}


def _without_negation(text: str) -> str:
    out = _NEGATION_OUT.sub(" ", text.replace("’", "'"))
    out = re.sub(r"\b(ca|wo)\s", lambda m: {"ca": "can ", "wo": "will "}[m.group(1).lower()], out)
    return re.sub(r"\bno\s+", "", out, flags=re.IGNORECASE)


def judge(claim: str, statement: str, *, cue: str | None = None, model: StanceModel | None = None) -> StanceResult:
    """How ``statement`` (a stored claim's text, said with ``cue``) stands to ``claim`` (the user's claim).

    ``model`` replaces the shipped weights (training and evaluation only).

    A negative claim ("Russia is not withdrawing") is judged as its positive form with the answer turned round,
    so a statement that refutes the positive form supports it. A denial cue ("denied") turns the statement's own
    stance round: its speaker rejects the text.
    """
    claim = " ".join((claim or "").split()).rstrip("?")
    statement = " ".join((statement or "").split())
    if not claim or not statement or not normalise(claim) or not normalise(statement):
        return StanceResult("neutral", 0.0, "nothing to compare")
    claim_negated = any(_is_negation(w) for w in _words(claim))
    base_claim = _without_negation(claim) if claim_negated else claim
    stance, score, reason = _decide(base_claim, statement, model or load_model())
    if claim_negated and stance != "neutral":
        stance = _FLIP[stance]
        reason = f"the claim is negative, and the statement {reason}" if not reason.startswith("the ") else reason
    if cue and cue.strip().lower() in DENIAL_CUES and stance != "neutral":
        stance = _FLIP[stance]
        reason = f'the speaker denies it ("{cue.strip().lower()}")'
    return StanceResult(stance, round(score, 3), reason)
