"""judge() on invented pairs, one for each rule, and the dataset bars when ../shared is beside the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.match.stance import LABELS, StanceResult, judge

CLAIM = "The port authority is closing the northern harbour"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
STANCE_DATA = SHARED / "datasets" / "stance"


def test_the_subject_saying_it_supports() -> None:
    result = judge("Russia is withdrawing", "Russia says it is withdrawing")
    assert result.stance == "supports"
    assert "says" in result.reason


def test_same_statement_supports() -> None:
    assert judge(CLAIM, "The port authority closed the northern harbour on Friday").stance == "supports"


def test_no_evidence_contradicts() -> None:
    result = judge("Russia is withdrawing", "There is no evidence of a withdrawal")
    assert result.stance == "contradicts"
    assert '"no evidence"' in result.reason


def test_opposite_predicate_contradicts() -> None:
    result = judge("Russia is withdrawing", "They have increased the number of troops")
    assert result.stance == "contradicts"
    assert result.reason.startswith("says the opposite")
    assert judge("The cyclist won the final", "The cyclist lost the final").stance == "contradicts"


def test_calling_it_the_opposite_contradicts() -> None:
    result = judge(CLAIM, "What the crews see is quite the opposite: more ferries, longer hours")
    assert result.stance == "contradicts"
    assert '"quite the opposite"' in result.reason


def test_according_to_plan_names_no_source() -> None:
    # "according to the rota" reports what others say; "according to plan" only says how it goes
    assert "reports what others say" in judge(CLAIM, "The northern harbour is closing, according to the rota").reason
    assert "reports what others say" not in judge(CLAIM, "The harbour closure goes according to plan").reason


def test_the_reason_never_says_the_opposite_of_the_answer() -> None:
    pairs = [
        (CLAIM, "More ferries will leave the northern harbour by the end of the week"),
        ("The bridge will reopen", "The bridge reopens at the end of a long repair"),
    ]
    for claim, statement in pairs:
        result = judge(claim, statement)
        if result.stance == "supports":
            assert "against" not in result.reason
        if result.stance == "contradicts":
            assert "argues for" not in result.reason


def test_negated_opposite_supports() -> None:
    assert judge("Bread prices rose in May", "Bread prices did not fall in May").stance == "supports"


def test_refutation_contradicts() -> None:
    result = judge(CLAIM, "The story about the harbour closing is a hoax")
    assert result.stance == "contradicts"
    assert "hoax" in result.reason


def test_denial_in_the_statement_contradicts() -> None:
    result = judge(CLAIM, "The port authority denied it is closing the northern harbour")
    assert result.stance == "contradicts"
    assert "denied" in result.reason


def test_a_statement_read_for_one_claim_is_read_afresh_for_the_next() -> None:
    """A statement's reading is cached across claims; what counts as a cue still depends on each claim's words."""
    from bot.match.stance import _reading

    statement = "The ministry denied that Norland had closed the crossing"
    denial, content = "Norland closed the crossing", "The ministry denied that Norland had closed the crossing"
    _reading.cache_clear()
    fresh = judge(content, statement)
    first, second = judge(denial, statement), judge(content, statement)
    assert _reading.cache_info().hits >= 1
    assert first.stance == "contradicts" and "denied" in first.reason
    # the claim says "denied" itself: here it is the claim's content, not the speaker's denial
    assert second == fresh and second.stance == "supports"


def test_denial_cue_turns_the_statement_round() -> None:
    text = "the harbour pilots caused the collision"
    result = judge("The harbour pilots caused the collision", text, cue="denied")
    assert result.stance == "contradicts"
    assert result.reason == 'the speaker denies it ("denied")'
    assert judge("The harbour pilots did not cause the collision", text, cue="denied").stance == "supports"


def test_negation_contradicts() -> None:
    result = judge(CLAIM, "The port authority is not closing the northern harbour")
    assert result.stance == "contradicts"
    assert '"not"' in result.reason


def test_hedge_is_neutral() -> None:
    result = judge(CLAIM, "The port authority is reportedly closing the northern harbour")
    assert result.stance == "neutral"
    assert result.reason.startswith("hedged")


def test_question_polarity_negative_claim_supported_by_a_refutation() -> None:
    result = judge("Russia is not withdrawing", "There is no evidence of a withdrawal")
    assert result.stance == "supports"
    assert "negative" in result.reason


def test_unrelated_is_neutral() -> None:
    result = judge(CLAIM, "The choir rehearses every Tuesday evening")
    assert result.stance == "neutral"
    assert result.reason == "shares no content words with the claim"


def test_empty_input_is_neutral() -> None:
    assert judge("", "anything").stance == "neutral"
    assert judge("the of it", "and the").stance == "neutral"


def test_every_result_is_well_formed() -> None:
    for statement in ("It is fake", "It may happen", "They confirmed it", "Opens at nine?", "x" * 5000):
        result = judge(CLAIM, statement)
        assert result.stance in LABELS
        assert 0.0 <= result.score <= 1.0
        assert result.reason and result.reason[0].islower()


def test_missing_evidence_contradicts() -> None:
    claim = "The ferry company is cutting its winter timetable"
    for statement in (
        "The union is yet to see any evidence that the ferry company is cutting its winter timetable",
        "We have not seen any sign that the winter timetable is being cut",
    ):
        result = judge(claim, statement)
        assert result.stance == "contradicts", statement
        assert "evidence" in result.reason or "sign" in result.reason


def test_no_doubt_is_no_denial() -> None:
    result = judge("The mayor will sign the budget", "There is no doubt the mayor will sign the budget this week")
    assert result.stance != "contradicts"


def test_hoping_for_it_is_neutral() -> None:
    result = judge(
        "The ferry company is cutting its winter timetable", "She hopes to see the winter timetable cut soon"
    )
    assert result.stance == "neutral"
    assert "hopes" in result.reason


def test_a_directive_asserts_nothing() -> None:
    claim = "The ferry company is cutting its winter timetable"
    result = judge(claim, "the ferry company to prove it is cutting its winter timetable", cue="urged")
    assert result.stance == "neutral"
    assert '"urged"' in result.reason
    assert judge(claim, "the company to cut its winter timetable", cue="called on").stance == "neutral"
    assert judge(claim, "The council urged the ferry company to cut its winter timetable").stance == "neutral"


def test_the_main_predicate_wins_over_an_opposite_in_a_relative_clause() -> None:
    claim = "The league is withdrawing its referees from the cup"
    result = judge(claim, "more of the referees it has deployed to the cup were withdrawing")
    assert result.stance == "supports"


def test_a_hedge_governs_only_its_own_clause() -> None:
    claim = "The league is withdrawing its referees from the cup"
    statement = "It remains to be seen whether the league is withdrawing … They have increased the number of referees"
    result = judge(claim, statement)
    assert result.stance == "contradicts"
    assert '"increased"' in result.reason


def test_reasons_quote_words_not_stems() -> None:
    result = judge("The league is withdrawing its referees", "The league deployed more referees")
    assert result.stance == "contradicts"
    assert '"deployed"' in result.reason and "deploi" not in result.reason


def test_only_names_in_common_is_neutral() -> None:
    result = judge("The outage in Sweden was caused by Norway", "Norway and Sweden signed a fishing treaty")
    assert result.stance == "neutral"
    assert "only names" in result.reason


def test_a_condition_is_not_an_assertion() -> None:
    result = judge("Norway invades Sweden", "Denmark will cut trade ties if Norway invades Sweden")
    assert result.stance == "neutral"
    assert '"if"' in result.reason


def test_denial_of_service_is_not_a_denial() -> None:
    result = judge("Hackers attacked the tax portal", "hackers attacked the tax portal with a denial of service flood")
    assert result.stance == "supports"
    flipped = judge(
        "Hackers attacked the tax portal",
        "hackers attacked the tax portal with a denial of service flood",
        cue="denied",
    )
    assert flipped.stance == "contradicts"


def test_a_negation_in_a_subordinate_clause_leaves_the_claim_positive() -> None:
    result = judge("The club hired a coach who never played", "The club hired a coach who never played professionally")
    assert result.stance == "supports"


def test_an_argument_about_a_policy_takes_a_side_through_its_consequences() -> None:
    claim = "Homework should be banned in primary schools"
    against = judge(claim, "Practice at home helps pupils learn and improves their results")
    assert against.stance == "contradicts"
    assert '"helps"' in against.reason
    assert judge(claim, "Homework causes stress and robs children of sleep").stance == "supports"


def test_a_report_with_no_word_in_common_and_no_telling_wording_is_unrelated() -> None:
    result = judge("The ferry company cancelled the night crossing", "The weather in the valley was mild on Tuesday")
    assert result.stance == "neutral"
    assert "no content words" in result.reason


def test_massing_contradicts_a_withdrawal_worded_with_a_split_phrasal_verb() -> None:
    # "pulling its rangers back" is a withdrawal, so massing rangers is its opposite, not a support on "rangers"
    claim = "Ostland is pulling its rangers back from the dam"
    result = judge(claim, "rangers are still massing")
    assert result.stance == "contradicts"
    assert '"massing"' in result.reason and '"pulling … back"' in result.reason
    assert judge(claim, "Ostland moved three more brigades towards the dam overnight").stance == "contradicts"
    assert judge(claim, "the rangers were returning to their bases").stance == "supports"


def test_withdrew_is_the_opposite_of_a_reinforcement() -> None:
    result = judge("Ostland reinforced its garrison at the dam", "Ostland withdrew its garrison from the dam")
    assert result.stance == "contradicts"
    assert '"withdrew"' in result.reason


def test_a_negation_belongs_to_its_own_part_of_the_clause() -> None:
    # "not away" negates "away", not "moving towards": the trains advance, the opposite of a withdrawal
    claim = "Ostland is pulling its rangers back from the dam"
    result = judge(claim, "the film showed trains moving towards the dam, not away from it")
    assert result.stance == "contradicts"
    assert result.reason.startswith("says the opposite")


def test_a_searched_statement_sharing_one_word_and_not_the_event_is_neutral() -> None:
    claim = "Ostland is pulling its rangers back from the dam"
    statement = "new floating bridges appeared on the river below the dam"
    searched = judge(claim, statement, found_by_search=True)
    assert searched.stance == "neutral"
    assert "is not mentioned" in searched.reason
    # a statement that shares the event, or its opposite, still takes a side when searched
    assert judge(claim, "the rangers have left the dam", found_by_search=True).stance == "supports"
    assert judge(claim, "rangers are still massing", found_by_search=True).stance == "contradicts"


def test_a_searched_statement_without_the_claims_event_takes_no_side_on_shared_words() -> None:
    claim = "Ostland is pulling its rangers back from the dam"
    # two words in common and nothing said of the withdrawal: a support on overlap when handed in as a pair, nothing
    # when a search found it
    assert judge(claim, "Ostland keeps its rangers near the dam").stance == "supports"
    assert judge(claim, "Ostland keeps its rangers near the dam", found_by_search=True).stance == "neutral"
    # the claim's event is its main predicate: seeing a pullback is not the pullback
    seen = judge("Norland saw a pullback", "Ostland rangers have left the dam", found_by_search=True)
    assert seen.stance == "neutral" and '"saw" is not mentioned' in seen.reason
    assert judge("Norland saw a pullback", "Norland has seen no sign of a pullback", found_by_search=True).stance == (
        "contradicts"
    )
    # the same event in other words of its side ("moved … towards" for "massed") is the event
    massed = judge("Ostland massed rangers at the dam", "Ostland moved rangers towards the dam", found_by_search=True)
    assert massed.stance == "supports"


def test_one_shared_word_takes_a_side_only_by_refuting_the_claim_itself_or_denying_that_word() -> None:
    claim = "Ostland carried out the raid on the depot"
    denied = judge(claim, "it had nothing to do with the raid", found_by_search=True)
    assert denied.stance == "contradicts" and "nothing to do with" in denied.reason
    assert judge(claim, "Ostland denied any role in the fishing talks", found_by_search=True).stance == "neutral"
    assert judge(claim, "Norland had offered no evidence for its own account", found_by_search=True).stance == "neutral"
    opposite = judge(
        "Ostland is pulling its rangers back", "What we see is the opposite: more rangers", found_by_search=True
    )
    assert opposite.stance == "contradicts"


def test_a_negation_inside_an_if_clause_belongs_to_the_condition() -> None:
    claim = "the League will reinforce its northern flank"
    result = judge(claim, "the league would reinforce its northern flank if Ostland did not withdraw its rangers")
    assert result.stance == "supports"
    assert 'on a condition ("if Ostland did not withdraw' in result.reason
    # a condition that is the claim's own event is no condition on what else the statement says
    other = judge(
        "Ostland is pulling its rangers back",
        "If they really start to withdraw rangers, we will welcome it … but moving rangers about does not mean withdrawal",
    )
    assert "on a condition" not in other.reason


def test_a_contrastive_not_negates_only_what_follows_it() -> None:
    result = judge(
        "Ostland rangers are advancing on the dam", "the film showed rangers moving towards the dam, not away"
    )
    assert result.stance == "supports"
    # unless what follows is the claim's own
    assert judge("Mara Quill is a surgeon", "Mara Quill is mostly a showman, not a surgeon").stance == "contradicts"


def test_not_having_seen_it_is_missing_evidence() -> None:
    claim = "Ostland is pulling its rangers back from the dam"
    for statement in ("the league had not seen any withdrawal of rangers", "observers saw no rangers leave the dam"):
        result = judge(claim, statement)
        assert result.stance == "contradicts" and result.reason.startswith("calls it false or unproven"), statement
    assert judge(claim, "observers have seen a withdrawal of rangers").stance == "supports"


def test_a_places_adjective_is_the_place() -> None:
    # "Ostlandian rangers" are Ostland's: without it the statement shares only "withdrawal" and "dam"
    result = judge("Ostland is pulling its rangers back from the dam", "Ostlandian rangers began their withdrawal")
    assert result.stance == "supports" and '"ostland"' in result.reason
    # a name that merely starts like another is not its adjective
    assert "steve" not in judge("Steve Marr won the race", "Steven Marr lost the race").reason


def _figures(name: str) -> dict[str, float]:
    pairs = [json.loads(line) for line in (STANCE_DATA / name).open(encoding="utf-8") if line.strip()]
    said = [judge(p["claim"], p["statement"]).stance for p in pairs]
    out = {"accuracy": sum(p["label"] == s for p, s in zip(pairs, said, strict=True)) / len(pairs)}
    tp = sum(p["label"] == s == "contradicts" for p, s in zip(pairs, said, strict=True))
    fp = sum(p["label"] != "contradicts" and s == "contradicts" for p, s in zip(pairs, said, strict=True))
    fn = sum(p["label"] == "contradicts" and s != "contradicts" for p, s in zip(pairs, said, strict=True))
    out["f1_contradicts"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


@pytest.mark.shared
@pytest.mark.skipif(not STANCE_DATA.is_dir(), reason="needs ../shared/datasets/stance beside the project")
@pytest.mark.xfail(
    reason="Emergent bar not reached: grouped 5-fold CV 0.729 accuracy, 0.731 contradicts-F1 (bars 0.80, 0.75); "
    "PERSPECTRUM dev 0.658 meets its bar (0.60)"
)
def test_bars_on_shared_datasets() -> None:
    emergent = _figures("emergent_train.jsonl")
    assert emergent["accuracy"] >= 0.80
    assert emergent["f1_contradicts"] >= 0.75
    assert _figures("perspectrum_dev.jsonl")["accuracy"] >= 0.60


@pytest.mark.shared
@pytest.mark.skipif(not STANCE_DATA.is_dir(), reason="needs ../shared/datasets/stance beside the project")
def test_no_regression_on_shared_datasets() -> None:
    # the figures measured when the weights were shipped (in-sample Emergent 0.733, PERSPECTRUM dev 0.652, held out),
    # less a small margin
    emergent = _figures("emergent_train.jsonl")
    assert emergent["accuracy"] >= 0.71
    assert emergent["f1_contradicts"] >= 0.70
    assert _figures("perspectrum_dev.jsonl")["accuracy"] >= 0.62


RAID = "Ostland was behind the raid on the Norland depot"


def test_a_searched_guess_about_the_past_leans_towards_it_and_says_it_is_hedged() -> None:
    # "could/may/might/must have" + participle puts a past fact forward, hedged: an accusation, not a possibility
    for statement, hedge in [
        ("the raid on the depot could have been orchestrated by Ostland", "could have"),
        ("Ostland may well have orchestrated the raid on the depot", "may well have"),
        ("the depot raid might've been orchestrated by Ostland", "might've"),
    ]:
        searched = judge(RAID, statement, found_by_search=True)
        assert searched.stance == "supports", statement
        assert searched.reason == f'suggests it, hedged ("{hedge}")'
        assert "states the same thing" not in searched.reason
    # the stance command reads a hedged headline as the benchmarks label it: unchanged
    assert judge(RAID, "the raid on the depot could have been orchestrated by Ostland").stance == "neutral"


def test_a_searched_negated_guess_about_the_past_leans_against_it() -> None:
    for statement, hedge in [
        ("the raid on the depot could not have been orchestrated by Ostland", "could not have"),
        ("Ostland can't have orchestrated the raid on the depot", "can't have"),
        ("Ostland may not have orchestrated the depot raid", "may not have"),
    ]:
        searched = judge(RAID, statement, found_by_search=True)
        assert searched.stance == "contradicts", statement
        assert searched.reason.startswith(f'suggests it is not so, hedged ("{hedge}")')


def test_a_modal_over_a_future_or_an_open_question_stays_neutral_when_searched() -> None:
    # a possibility ("could raid … at any moment", "may leave next week") asserts nothing about what is so
    for claim, statement in [
        ("Ostland raided the Norland depot", "Ostland could raid the depot at any moment"),
        ("the Ostland rangers have left the dam", "the rangers may leave the dam next week"),
        ("the Ostland rangers have left the dam", "the rangers may have to leave the dam"),
        # uncertainty frames leave the guess open
        (RAID, "it remains to be seen whether Ostland may have orchestrated the raid on the depot"),
        (RAID, "it is unclear if the raid on the depot could have been orchestrated by Ostland"),
        (RAID, "no one knows whether Ostland might have orchestrated the raid on the depot"),
        (RAID, "Could the raid on the depot have been orchestrated by Ostland?"),
        # a condition or a contrast makes "could have" what did not happen
        ("the Ostland rangers have left the dam", "if talks had failed, the rangers might have left the dam"),
        ("the Ostland rangers have left the dam", "the rangers could have left the dam weeks ago but stayed"),
        ("Norland ended the siege", "Norland could have ended the siege months ago"),
        ("Norland ended the siege", "Norland could have ended the siege sooner"),
    ]:
        result = judge(claim, statement, found_by_search=True)
        assert result.stance != "supports", statement
        assert not result.reason.startswith("suggests"), statement


def test_a_searched_statement_saying_the_event_of_the_speakers_own_side_is_not_about_another() -> None:
    claim = "Norland is planning a raid on the depot"

    def searched(statement: str, side: str, speaker: str) -> str:
        return judge(claim, statement, found_by_search=True, speaker_side=side, speaker=speaker).stance

    # "it", said by Ostland itself, and "we"/"our", said by its spokesman, are Ostland: its plans say nothing of Norland's
    result = judge(claim, "it is planning a raid on the depot", found_by_search=True, speaker_side="Ostland")
    assert result.stance == "neutral" and result.reason == "says it of Ostland, not of Norland"
    assert searched("it is not planning any raid on the depot", "Ostland", "Ostland") == "neutral"
    assert searched("we are planning a raid on the depot", "Ostland", "Ivo Marrant") == "neutral"
    assert searched("Ostland has never planned a raid on the depot", "Ostland", "Ivo Marrant") == "neutral"
    assert searched("its rangers are planning a raid on the depot", "Ostland", "Ostland") == "neutral"
    # without the speaker's side, or when the side is the claim's own, the statement is read as before
    assert judge(claim, "it is planning a raid on the depot", found_by_search=True).stance == "supports"
    assert searched("it is planning a raid on the depot", "Norland", "Norland") == "supports"
    assert searched("we are planning a raid on the depot", "Norlandian army", "Ivo Marrant") == "supports"
    # a person's "it" is mostly a thing; the pair reader (the stance command) never takes a side from the speaker
    assert searched("it is planning a raid on the depot", "Ostland", "Ivo Marrant") == "supports"
    assert judge(claim, "we are planning a raid on the depot", speaker_side="Ostland").stance == "supports"


def test_the_speakers_side_only_counts_when_its_subject_does_the_claims_event() -> None:
    claim = "Norland is pulling its rangers back from the dam"
    for statement in ["we have seen no sign of a pullback", "we saw no pullback of rangers"]:
        # Ostland's looking is not the event: what it saw of Norland's pullback still contradicts
        result = judge(claim, statement, found_by_search=True, speaker_side="Ostland", speaker="Ada Renn")
        assert result.stance == "contradicts", statement
    # a subject that owns the claim's own subject ("our drills") is the claim's subject
    drills = judge("Drills are over", "our drills are over", found_by_search=True, speaker_side="Ostland")
    assert drills.stance == "supports"


def test_what_goes_according_to_plan_is_planning_nothing() -> None:
    claim = "Norland is planning to raid the depot"
    for statement in ["The pullback continues according to plan", "the pullback is going as planned"]:
        assert judge(claim, statement, found_by_search=True).stance == "neutral", statement
    assert judge(claim, "Norland plans to raid the depot", found_by_search=True).stance == "supports"


def test_a_searched_guess_about_what_is_going_on_now_leans_towards_it() -> None:
    # "may/could/might be" + a progressive guesses at the present, as "may have" + a participle at the past
    claim = "Norland is planning a raid on the depot"
    guess = judge(claim, "Norland may be planning a raid on the depot", found_by_search=True)
    assert guess.stance == "supports" and guess.reason == 'suggests it, hedged ("may be")'
    assert judge(claim, "Norland cannot be planning a raid on the depot", found_by_search=True).stance == "contradicts"
    # a time ahead makes it a forecast; "there may be" names a possible event; an argument's modals weigh consequences
    for statement in [
        "Norland may be planning a raid on the depot by the end of the month",
        "there may be raiding near the depot",
    ]:
        assert not judge(claim, statement, found_by_search=True).reason.startswith("suggests"), statement
    argued = judge("Depots should be closed", "guards could be losing their jobs", found_by_search=True)
    assert not argued.reason.startswith("suggests")


def test_each_clause_of_a_searched_statement_has_its_own_subject() -> None:
    claim = "Norland is pulling its rangers back"

    def searched(statement: str, side: str) -> str:
        return judge(claim, statement, found_by_search=True, speaker_side=side, speaker="Ivo Marrant").stance

    assert searched("The drills are over and our rangers are going home", "Ostland") == "neutral"
    assert searched("we are going to pull our rangers back", "Ostland") == "neutral"
    assert searched("we are going to pull our rangers back", "Norland") == "supports"
    # one clause of the claim's own side is enough for the statement to be about it
    assert searched("Ostland is withdrawing and we are withdrawing our rangers too", "Norland") == "supports"


def test_a_speaker_who_is_the_claims_subject_speaks_of_themselves_with_their_side() -> None:
    claim = "Marrant is planning a raid on the depot"
    result = judge(
        claim,
        "we are planning a raid on the depot",
        found_by_search=True,
        speaker_side="Ostland",
        speaker="Ivo Marrant",
    )
    assert result.stance == "supports"


def test_a_statement_naming_no_doer_is_read_as_its_headlines_doer() -> None:
    # a live blog's short updates leave their subject to the headlines above them
    title = "Ostland says its rangers are leaving the dam; Norland sees no sign of it"

    def under(claim: str, statement: str, side: str, *titles: str | None) -> tuple[str, str]:
        result = judge(claim, statement, found_by_search=True, speaker_side=side, titles=titles, sides={"Ostland"})
        return result.stance, result.reason

    stance, reason = under("Norland is pulling its rangers back", "more units will leave this week", "Ostland", title)
    assert stance == "neutral" and reason == "says it of Ostland (as its headline has it), not of Norland"
    # the same words about the headline's own doer, and without any headline, are read as before
    assert under("Ostland is pulling its rangers back", "more units will leave this week", "Ostland", title)[0] == (
        "supports"
    )
    assert under("Norland is pulling its rangers back", "more units will leave this week", "Ostland")[0] == "supports"
    # another side's "no sign of a withdrawal" under that headline is about Ostland's withdrawal too
    assert under("Norland is pulling its rangers back", "they had seen no evidence of a withdrawal", "Norland", title)[
        0
    ] == ("neutral")
    # the nearest headline that names a doer decides; one whose speaker only reports ("Norland's minister says ...")
    # names none, and the source's title is read next
    update = "Norland's defence minister says rangers are still massing"
    assert under("Norland is pulling its rangers back", "rangers are still massing", "Norland", update, title)[0] == (
        "neutral"
    )
    assert under("Norland is pulling its rangers back", "rangers are still massing", "Norland", update)[0] == (
        "contradicts"
    )
    # calling something false without naming it ("what we observe is the opposite") answers the headline's event
    opposite = "what we observe is the opposite: more rangers, more fuel"
    assert under("Norland is pulling its rangers back", opposite, "Norland", update, title)[0] == "neutral"
    assert under("Ostland is pulling its rangers back", opposite, "Norland", update, title)[0] == "contradicts"


def test_a_statement_that_names_its_doer_is_not_read_from_its_headline() -> None:
    title = "Ostland says its rangers are leaving the dam"
    claim = "Norland is pulling its rangers back"
    for statement, side in [
        ("we are pulling our rangers back", "Norland"),  # its own "we"
        ("Norland is pulling its rangers back too", "Valdia"),  # the claim's subject, named
        ("the Norlandian rangers are withdrawing as well", "Valdia"),  # named by its adjective
    ]:
        result = judge(claim, statement, found_by_search=True, speaker_side=side, titles=(title,), sides={"Ostland"})
        assert result.stance == "supports", statement
    # an organisation named by a common noun ("the alliance") doing the event itself is the speaker's, not the title's
    alliance = judge(
        "The Meridian Alliance is sending more rangers",
        "the alliance is sending more rangers to the dam",
        found_by_search=True,
        speaker_side="Meridian Alliance",
        titles=("Ostland is sending more rangers to the dam",),
        sides={"Ostland"},
    )
    assert alliance.stance == "supports"


def test_a_places_adjective_is_its_sides_subject() -> None:
    # "Russian soldiers will leave", said by Belarus: Russia's soldiers; "Russian involvement in ..." owns nothing
    leave = judge(
        "Veloria is pulling its troops back",
        "Russian soldiers will leave Belarus once drills conclude",
        found_by_search=True,
        speaker_side="Belarus",
        speaker="Vladimir Makei",
    )
    assert leave.stance == "neutral" and leave.reason == "says it of Russia, not of Veloria"
    involvement = judge(
        "Karvenia was behind the cyberattack",
        "Russian involvement in the cyberattack",
        cue="denies",
        found_by_search=True,
        speaker_side="Russia",
        speaker="Kremlin",
    )
    assert involvement.stance == "neutral" and involvement.reason == "says it of Russia, not of Karvenia"


def test_a_searched_statement_sharing_no_word_with_an_event_claim_is_unrelated() -> None:
    # found for its speaker's side alone: its negation negates something else
    claim = "Norland is pulling its rangers back"
    for statement in ["her country would not be provoked", "this was not the work of teenagers in a basement"]:
        result = judge(claim, statement, found_by_search=True, speaker_side="Norland", speaker="Ada Renn")
        assert result.stance == "neutral" and result.reason == "shares no content words with the claim", statement
    # the event's opposite, though no word is shared, still answers it
    assert judge(claim, "numbers are rising every day", found_by_search=True).stance == "contradicts"


def test_bearing_the_hallmarks_of_a_side_says_it_was_behind_it() -> None:
    result = judge(
        "Ostland was behind the cyberattack",
        'the attack bore "all the hallmarks" of Ostlandian military intelligence',
        found_by_search=True,
        speaker_side="Norland",
        speaker="Jonas Kell",
    )
    assert result.stance == "supports"


def test_a_negated_stopping_says_the_activity_goes_on() -> None:
    claim = "Norland shelled the villages"
    result = judge(claim, "The shelling never stopped. They are using the truce to regroup", found_by_search=True)
    assert result.stance == "supports"
    held = judge("The ceasefire is holding", "the shelling has not stopped", found_by_search=True)
    assert held.stance == "contradicts" and held.reason == 'says the opposite: "shelling" vs "ceasefire"'
    # unless stopping is what the claim says
    assert judge("The war has ended", "the war has not ended", found_by_search=True).stance == "contradicts"
    assert judge("The shelling has stopped", "the shelling has not stopped", found_by_search=True).stance == (
        "contradicts"
    )


def test_a_claim_that_breaks_something_is_supported_by_its_opposite() -> None:
    # to violate a truce is to fight; to end a ceasefire, to fight again
    violated = judge("Ostland is violating the truce", "Ostland artillery shelled two villages", found_by_search=True)
    assert violated.stance == "supports" and violated.reason == 'says "shelled", against the "truce"'
    assert judge("The ceasefire has collapsed", "the shelling resumed overnight", found_by_search=True).stance == (
        "supports"
    )
    kept = judge("Ostland is violating the truce", "Ostland has not shelled any village", found_by_search=True)
    assert kept.stance == "contradicts" and kept.reason == 'rules out "shelled": the "truce" holds'
    # a claim that keeps it reads the opposite as before
    assert judge("The ceasefire is holding", "the shelling resumed overnight", found_by_search=True).stance == (
        "contradicts"
    )


def test_next_to_none_is_a_negation() -> None:
    claim = "The strike is having an effect"
    assert judge(claim, "the strike had little effect", found_by_search=True).stance == "contradicts"
    assert judge(claim, "the strike had a little effect", found_by_search=True).stance == "supports"


def test_a_side_denying_a_deed_of_its_own_says_nothing_of_another_side() -> None:
    claim = "Ostland shelled the villages"
    own = judge(claim, "shelling any villages", cue="denied", found_by_search=True, speaker_side="Norland")
    assert own.stance == "neutral" and own.reason == "says it of Norland, not of Ostland"
    # its own side's denial, or one that names the side asked about, still contradicts
    assert judge(claim, "shelling any villages", cue="denied", found_by_search=True, speaker_side="Ostland").stance == (
        "contradicts"
    )
    named = judge(claim, "shelling by Ostland", cue="denied", found_by_search=True, speaker_side="Norland")
    assert named.stance == "contradicts"


def test_an_elections_honesty_in_other_words() -> None:
    claim = "The election was rigged"
    assert judge(claim, "there was no evidence of fraud", found_by_search=True).stance == "contradicts"
    assert judge(claim, "ballot boxes were stuffed in forty districts", found_by_search=True).stance == "supports"
    # a judgement's opposite said outright answers it, though the claim reads as an argument ("fair")
    fair = judge("The vote was free and fair", "the vote was rigged", found_by_search=True)
    assert fair.stance == "contradicts" and fair.reason == 'says the opposite: "rigged" vs "fair"'
    # not recognising a result is not accepting it
    accepted = judge("The Front accepted the result", "her party would not recognise the result", found_by_search=True)
    assert accepted.stance == "contradicts"


def test_an_accusation_is_about_the_accused() -> None:
    sides = {"Norland", "Ostland"}

    def accused(claim: str) -> StanceResult:
        statement = "Norland of shelling villages"
        return judge(claim, statement, cue="accuses", found_by_search=True, speaker_side="Ostland", sides=sides)

    other = accused("Ostland is violating the truce")
    assert other.stance == "neutral" and other.reason == "says it of Norland, not of Ostland"
    assert accused("Norland is violating the truce").stance == "supports"
    # a name that is no side is not taken for the accused
    lone = judge("Ostland shelled villages", "Marta of lying", cue="accused", found_by_search=True, sides=sides)
    assert not lone.reason.startswith("says it of")


def test_is_yet_to_see_is_one_clause_of_missing_evidence() -> None:
    # "yet" joins clauses ("they say so, yet more arrive"), but "is yet to see" says what is lacking
    statement = "Norland is yet to see any evidence that Ostland is withdrawing rangers from the dam"
    assert judge("Ostland is withdrawing its rangers", statement, found_by_search=True).stance == "contradicts"
    massing = judge("Ostland rangers are massing near the dam", statement, found_by_search=True)
    assert massing.stance == "supports"


def test_the_event_put_down_to_another_cause_contradicts_the_doer() -> None:
    claim = "Norland has cut the river's flow"
    other = judge(claim, "any drop in the river was caused by the dry summer", found_by_search=True)
    assert other.stance == "contradicts" and "caused by the dry summer" in other.reason
    # the claim turned negative takes the other cause in support
    assert judge(
        "Norland has not cut the river's flow", "any drop in the river was caused by the dry summer"
    ).stance == ("supports")
    # the doer named doing it, for a reason of its own, is no other cause
    assert judge(claim, "Norland cut the flow because of the drought", found_by_search=True).stance == "supports"


def test_a_cause_against_the_claims_own_cause() -> None:
    claim = "The blackout was caused by a cyberattack"
    assert judge(claim, "the blackout was caused by a storm").stance == "contradicts"
    assert judge(claim, "the blackout was caused by a cyberattack from abroad").stance == "supports"
    # a cause the claim names in other words of its own is not another one
    assert judge("A plane was delayed when a scorpion stung a woman", "Flight delayed due to scorpion").stance != (
        "contradicts"
    )


def test_until_after_a_refusal_or_a_promise_is_a_condition() -> None:
    claim = "Kaskia has lifted the blockade"
    refused = judge(claim, "it would not lower its premiums until the blockade was lifted", found_by_search=True)
    assert refused.stance == "neutral" and '"until"' in refused.reason
    assert judge(claim, "the navy will stay until the blockade is lifted", found_by_search=True).stance == "neutral"
    # after a past deed, "until" says the event happened
    assert judge("The ceasefire took hold", "shelling went on until the ceasefire took hold").stance == "supports"


def test_continuing_and_imposing_oppose_ending() -> None:
    assert judge("Kaskia has lifted the blockade", "the blockade continues", found_by_search=True).stance == (
        "contradicts"
    )
    assert judge("Kaskia has lifted the sanctions", "Kaskia imposed new sanctions").stance == "contradicts"
    # the claim's subject is no predicate: "the ceasefire continues" opposes "the ceasefire has ended"
    assert judge("the ceasefire has ended", "the ceasefire continues to hold").stance == "contradicts"


def test_without_negates_what_follows_it_only() -> None:
    ended = judge("the talks will continue", "the talks ended without a deal", found_by_search=True)
    assert ended.stance == "contradicts" and "ended" in ended.reason
    assert judge("the troops fired", "the troops withdrew without firing a shot").stance == "contradicts"


def test_a_strike_that_continues_is_not_over() -> None:
    result = judge("the strike is over", "The dockers' union said the strike would continue", found_by_search=True)
    assert result.stance == "contradicts" and '"continue"' in result.reason
