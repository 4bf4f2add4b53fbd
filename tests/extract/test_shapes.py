"""Attribution shapes beyond "X said (that) …": each test fails without the rule it names. Invented wording only."""

from __future__ import annotations

from collections.abc import Callable

from bot.extract import ExtractedClaim

Claims = Callable[..., list[ExtractedClaim]]


def texts(claims: list[ExtractedClaim]) -> list[tuple[str | None, str]]:
    return [(c.speaker, c.text) for c in claims]


def test_hope_is_a_cue_in_every_form(claims_of: Claims) -> None:
    # the lemmatizer reads "hoped" as "hop"
    claims = claims_of("Mayor Ines Calvo hoped the ferry to Lindqvist Island would run again by spring.")
    assert ("Ines Calvo", "the ferry to Lindqvist Island would run again by spring") in texts(claims)


def test_a_reduced_passive_does_not_take_the_subject_as_its_speaker(claims_of: Claims) -> None:
    claims = claims_of(
        "Officials said the footage shows Edda Brun stepping out of her van when asked to do so by guards."
    )
    assert all(c.speaker != "Edda Brun" for c in claims), texts(claims)
    assert [c.speaker for c in claims] == ["Officials"]


def test_a_verb_of_saying_tagged_as_a_plural_noun(claims_of: Claims) -> None:
    claims = claims_of("Stonebridge charges that the harbour tax should be scrapped.")
    assert ("Stonebridge", "the harbour tax should be scrapped") in texts(claims)
    claims = claims_of("Meridian charges that the ferry is unsafe.")
    assert ("Meridian", "the ferry is unsafe") in texts(claims)


def test_a_statement_noun_made_by_its_light_verb(claims_of: Claims) -> None:
    claims = claims_of("Senator Ola Brandt made the case that the tunnel would never pay for itself.")
    assert ("Ola Brandt", "the tunnel would never pay for itself") in texts(claims)


def test_a_statement_noun_after_a_preposition_of_its_light_verb(claims_of: Claims) -> None:
    claims = claims_of("Farmers in Tessaly persisted in arguments that the dam had dried their wells.")
    claim = next(c for c in claims if c.text == "the dam had dried their wells")
    assert (claim.speaker or "").startswith("Farmers")


def test_expressed_hope_reports_the_clause_not_the_noun(claims_of: Claims) -> None:
    claims = claims_of("The Karvenian envoy expressed hope that the border talks would resume in May.")
    assert [c.text for c in claims] == ["the border talks would resume in May"]


def test_a_judged_statement_noun_is_not_its_judges_claim(claims_of: Claims) -> None:
    claims = claims_of("Veloria rejected claims that its troops had crossed the river.")
    assert all(c.text != "its troops had crossed the river" for c in claims), texts(claims)


def test_a_gerund_is_the_object_of_an_object_verb(claims_of: Claims) -> None:
    claims = claims_of("The mayor of Port Elna denied taking money from the harbour builders.")
    assert [c.text for c in claims] == ["taking money from the harbour builders"]


def test_a_trailing_relative_aside_is_cut(claims_of: Claims) -> None:
    claims = claims_of(
        "Tomas Weller said he expects the ferry service to resume next month, which would end a long winter."
    )
    assert [c.text for c in claims] == ["he expects the ferry service to resume next month"]


def test_an_act_coordinated_into_the_content_stays_in_it(claims_of: Claims) -> None:
    claims = claims_of("Guards say the driver ignored the barrier and refused to leave the van.")
    guards = next(c for c in claims if c.speaker == "Guards")
    assert guards.text == "the driver ignored the barrier and refused to leave the van"


def test_a_statement_coordinated_into_the_content_is_cut(claims_of: Claims) -> None:
    claims = claims_of("Residents said the mayor visited the dam and warned that the water would rise.")
    assert [(c.speaker, c.text) for c in claims] == [
        ("Residents", "the mayor visited the dam"),
        ("mayor", "the water would rise"),
    ]


def test_according_to_covers_the_whole_coordination(claims_of: Claims) -> None:
    claims = claims_of(
        "The herd of Tessaly stood at 900 in 1990 and has since grown to 40,000 animals, according to the park office."
    )
    assert [c.text for c in claims] == [
        "The herd of Tessaly stood at 900 in 1990 and has since grown to 40,000 animals"
    ]


def test_a_that_clause_after_a_phrase_hung_as_an_adverbial(claims_of: Claims) -> None:
    claims = claims_of(
        "Ruiz tweeted in the early morning hours that Calvo was “a fraud” and urged voters to stay home."
    )
    assert texts(claims) == [("Ruiz", "Calvo was “a fraud”"), ("Ruiz", "voters to stay home")]


def test_the_objects_of_verbs_of_stressing_and_describing(claims_of: Claims) -> None:
    claims = claims_of(
        "Mayor Ines Calvo stressed the need to rebuild the harbour wall. "
        "Residents described long queues at the only bakery in Port Elna."
    )
    assert ("Ines Calvo", "the need to rebuild the harbour wall") in texts(claims)
    assert ("Residents", "long queues at the only bakery in Port Elna") in texts(claims)


def test_a_reason_given_with_the_statement_stays_in_it(claims_of: Claims) -> None:
    claims = claims_of("Ruiz said he would not sign the deal because he doubted any court would enforce it.")
    ruiz = next(c for c in claims if c.cue == "said")
    assert ruiz.text == "he would not sign the deal because he doubted any court would enforce it"


def test_a_stance_joined_to_the_cue_without_a_subject_is_more_of_the_statement(claims_of: Claims) -> None:
    claims = claims_of("Calvo said she disagreed with the plan but could not bear to vote against it.")
    assert texts(claims) == [("Calvo", "she disagreed with the plan but could not bear to vote against it")]


def test_a_speaker_is_shown_by_the_usual_form_of_the_name(claims_of: Claims) -> None:
    claims = claims_of(
        "Mayor Tomas Weller said the port would stay open.\n"
        "“Sleepy Tomas Weller is lying again,” the rival campaign wrote.\n"
        "Tomas Weller said the ferries would run on time.\n"
        "Tomas Weller told reporters the harbour tax would fall."
    )
    assert {c.speaker for c in claims if c.cue != "wrote"} == {"Tomas Weller"}


def test_an_attribution_inside_its_sentence_is_left_out_of_the_statement(claims_of: Claims) -> None:
    claims = claims_of("The new bridge, Mayor Ines Calvo said, would open to traffic before the winter.")
    assert texts(claims) == [("Ines Calvo", "The new bridge … would open to traffic before the winter")]


def test_a_medial_attribution_after_an_opening_clause(claims_of: Claims) -> None:
    claims = claims_of(
        "Tomas Weller said the count in Port Elna was fair.\n"
        "Though the first vote went smoothly, he said, a second vote would be much more bitter."
    )
    assert ("Tomas Weller", "Though the first vote went smoothly … a second vote would be much more bitter") in texts(
        claims
    )


def test_a_medial_attribution_cutting_off_a_noun(claims_of: Claims) -> None:
    claims = claims_of("The difference now, Ola Brandt told me on Friday, is that the ferry runs every hour.")
    assert texts(claims) == [("Ola Brandt", "The difference now … is that the ferry runs every hour")]


def test_according_to_inside_a_coordination(claims_of: Claims) -> None:
    claims = claims_of(
        "The harbour handled 900 ships in 2030, according to the port office, and the airport handled 40 flights."
    )
    assert texts(claims) == [
        ("port office", "The harbour handled 900 ships in 2030 … and the airport handled 40 flights")
    ]


def test_a_pronoun_inside_a_medial_attribution_is_not_the_subject_it_interrupts(claims_of: Claims) -> None:
    claims = claims_of("The average weekly benefit, it says, would be 300 crowns.")
    assert [c.speaker for c in claims] != ["average weekly benefit"]


def test_an_earlier_attribution_is_not_the_content_of_a_later_one(claims_of: Claims) -> None:
    claims = claims_of(
        "“Are you winning?” she said, but Edda was drifting off again, and as Ruiz went on about “how the vote is "
        "rigged,” Ana Petrel said yes, yes, yes, over and over again."
    )
    assert all("she said" not in c.text for c in claims), texts(claims)


def test_a_surname_the_tagger_takes_for_a_company_is_still_a_person(claims_of: Claims) -> None:
    claims = claims_of("Ana Petrel said the port would stay open.")
    assert [(c.speaker, c.actor) for c in claims] == [("Ana Petrel", None)]


def test_whom_a_speaker_tells_is_not_part_of_what_they_said(claims_of: Claims) -> None:
    claims = claims_of("Ines Calvo told Harbour Radio host Ola Brandt on Thursday that the ferry fares would fall.")
    assert texts(claims) == [("Ines Calvo", "the ferry fares would fall")]


def test_a_series_of_relative_clauses_stays_in_the_content(claims_of: Claims) -> None:
    claims = claims_of(
        "Ruiz said there are farmers all over Tessaly who think in terms of wells and rain, who live in fear of the new dam."
    )
    assert texts(claims) == [
        (
            "Ruiz",
            "there are farmers all over Tessaly who think in terms of wells and rain, who live in fear of the new dam",
        )
    ]


def test_a_list_of_infinitives_stays_together(claims_of: Claims) -> None:
    claims = claims_of(
        "She wants to triple the size of the Tessaly ferry fleet, grow the harbour and create a new port."
    )
    assert [c.text for c in claims] == [
        "to triple the size of the Tessaly ferry fleet, grow the harbour and create a new port"
    ]


def test_coordinated_objects_and_what_is_said_of_them(claims_of: Claims) -> None:
    claims = claims_of(
        "Residents called the toll increase and the demand for a new ferry permit a cynical ploy aimed at tourists."
    )
    assert texts(claims) == [
        (
            "Residents",
            "the toll increase and the demand for a new ferry permit a cynical ploy aimed at tourists",
        )
    ]


def test_an_opening_according_to_that_the_parser_made_the_root(claims_of: Claims) -> None:
    claims = claims_of("According to talk radio host Ola Brandt, the move reeks of fear and desperation.")
    assert texts(claims) == [("Ola Brandt", "the move reeks of fear and desperation")]


def test_a_content_holding_its_own_cue_is_dropped(claims_of: Claims) -> None:
    claims = claims_of("Ruiz sat down for what many expect to be a soft interview with Calvo.")
    assert texts(claims) == []


def test_a_medial_attribution_before_a_quoted_continuation(claims_of: Claims) -> None:
    claims = claims_of(
        "Mayor Ines Calvo said the port was busy. "
        "Many of the visitors were older, she said, and “I had to step back and think about their lives.”"
    )
    texts_only = [c.text for c in claims]
    assert "Many of the visitors were older … and “I had to step back and think about their lives.”" in texts_only


def test_a_title_case_headline_with_a_verb_of_saying(claims_of: Claims) -> None:
    claims = claims_of(
        "Facing Critics, Calvo Vows To Scrap The Harbour Tax Before Winter\n\n"
        "Mayor Ines Calvo said on Monday that the tax would go."
    )
    headline = next(c for c in claims if c.cue == "Vows")
    assert headline.speaker == "Ines Calvo"
    assert headline.text == "To Scrap The Harbour Tax Before Winter"
