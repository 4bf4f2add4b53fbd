"""Each extraction rule on invented sentences: speaker, side, statement text, kind and cue."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.errors import BadInput
from bot.extract import ExtractedClaim, canonical_side, load_pipeline

Claims = Callable[..., list[ExtractedClaim]]


def one(claims: list[ExtractedClaim], fragment: str) -> ExtractedClaim:
    """The claim whose text contains ``fragment`` (exactly one must)."""
    hits = [c for c in claims if fragment in c.text]
    assert len(hits) == 1, [(c.speaker, c.text) for c in claims]
    return hits[0]


# --- direct quotations -------------------------------------------------------------------------------------------


def test_quote_before_attribution(claims_of: Claims) -> None:
    claims = claims_of(
        "“The harbour will reopen to fishing boats next week,” Norwegian Fisheries Minister Ola Brandt said."
    )
    claim = one(claims, "harbour will reopen")
    assert claim.text == "The harbour will reopen to fishing boats next week,"
    assert (claim.speaker, claim.actor, claim.kind, claim.cue) == ("Ola Brandt", "Norway", "direct", "said")
    assert claim.speaker_role == "Norwegian Fisheries Minister"


def test_quote_after_colon(claims_of: Claims) -> None:
    claims = claims_of("Mayor Ines Calvo said: “Our water supply is safe and the tests prove it.”")
    claim = one(claims, "water supply")
    assert claim.text == "Our water supply is safe and the tests prove it."
    assert (claim.speaker, claim.kind, claim.cue) == ("Ines Calvo", "direct", "said")


def test_inverted_said_and_apposition_organisation(claims_of: Claims) -> None:
    claims = claims_of(
        "“Grain prices will swing wildly until the harvest is known,” said Tomas Weller, an analyst at Fieldmark."
    )
    claim = one(claims, "Grain prices")
    assert (claim.speaker, claim.actor, claim.kind) == ("Tomas Weller", "Fieldmark", "direct")


def test_told_reporters_cue_and_kremlin_side(claims_of: Claims) -> None:
    claims = claims_of(
        "“We see no reason to change our plans for the summit,” Kremlin spokesman Ivan Petrov told reporters."
    )
    claim = one(claims, "no reason")
    assert (claim.speaker, claim.actor, claim.cue) == ("Ivan Petrov", "Russia", "told reporters")
    assert claim.speaker_role == "Kremlin spokesman"


def test_a_quotation_split_by_its_attribution_is_one_statement(claims_of: Claims) -> None:
    text = (
        "“The bridge is safe for cars,” engineer Marta Lind said. “Lorries will have to wait until the repairs "
        "are finished.”"
    )
    claims = claims_of(text)
    assert len(claims) == 1, claims
    claim = claims[0]
    assert claim.text == "The bridge is safe for cars … Lorries will have to wait until the repairs are finished."
    assert (claim.speaker, claim.kind, claim.cue) == ("Marta Lind", "direct", "said")
    assert claim.sentence.startswith("“The bridge") and claim.sentence.endswith("finished.”")


def test_a_second_quotation_with_its_own_attribution_stays_apart(claims_of: Claims) -> None:
    text = "“The bridge is safe for cars,” Marta Lind said. “Lorries must wait a week,” she added."
    claims = claims_of(text)
    assert [c.cue for c in claims] == ["said", "added"]
    assert {c.speaker for c in claims} == {"Marta Lind"}


def test_attribution_opening_the_next_sentence_owns_the_quotation(claims_of: Claims) -> None:
    # the parser ends a sentence at a closing mark after a question; the "X said" after it is still the owner
    text = "“Who would have thought the ferry could carry nine hundred cars?” Pilar Ostend said, smiling."
    claim = one(claims_of(text), "ferry could carry")
    assert (claim.speaker, claim.kind, claim.cue) == ("Pilar Ostend", "direct", "said")


def test_quotation_after_reported_speech_is_the_same_speaker(claims_of: Claims) -> None:
    text = (
        "Harbour master Ivo Brandt said the pier would close for the winter. "
        "“We will rebuild it in the spring with stronger timber.”"
    )
    claim = one(claims_of(text), "rebuild it in the spring")
    assert (claim.speaker, claim.kind) == ("Ivo Brandt", "direct")


def test_he_added_resolves_to_the_previous_speaker(claims_of: Claims) -> None:
    text = (
        "Swedish Trade Minister Karl Berg has said exports grew in the spring.\n"
        "“We expect the summer to be even stronger for our factories,” he added."
    )
    claim = one(claims_of(text), "summer to be even stronger")
    assert (claim.speaker, claim.actor, claim.cue) == ("Karl Berg", "Sweden", "added")


def test_unattributed_quote_paragraph_inherits_the_previous_quote_speaker(claims_of: Claims) -> None:
    text = (
        "“Talks with the unions went well this morning,” Transport Secretary Leah Moss told reporters in London.\n"
        "“We hope to sign an agreement before the end of the month.”"
    )
    claims = claims_of(text)
    claim = one(claims, "sign an agreement")
    assert (claim.speaker, claim.kind) == ("Leah Moss", "direct")


def test_quote_running_over_two_paragraphs(claims_of: Claims) -> None:
    text = (
        "Professor Alba Greco, who led the survey, said: “The coral is recovering faster than anyone predicted.\n"
        "“Three reefs that were white two years ago now have colour again.”"
    )
    claims = claims_of(text)
    assert one(claims, "coral is recovering").speaker == "Alba Greco"
    assert one(claims, "Three reefs").speaker == "Alba Greco"


def test_quoted_phrase_inside_narration_is_not_a_quotation(claims_of: Claims) -> None:
    claims = claims_of("Residents marked a “day of remembrance” on the old market square.")
    assert claims == []


def test_dash_signed_quote(claims_of: Claims) -> None:
    claims = claims_of("“The new library changed how our whole street spends its evenings.” ― Rosa Delgado")
    claim = one(claims, "new library")
    assert claim.speaker == "Rosa Delgado" and claim.kind == "direct"


def test_transcript_label(claims_of: Claims) -> None:
    text = "The interview went on.\nHARLOW: We will cut the ferry fares for students by half next year."
    claim = one(claims_of(text), "ferry fares")
    assert claim.speaker == "Harlow" and claim.cue == ":"
    assert claim.text == "We will cut the ferry fares for students by half next year."


# --- indirect speech ---------------------------------------------------------------------------------------------


def test_said_that(claims_of: Claims) -> None:
    claim = one(claims_of("Finland has said that its border crossings will stay open through the winter."), "border")
    assert claim.text == "its border crossings will stay open through the winter"
    assert (claim.speaker, claim.actor, claim.kind, claim.cue) == ("Finland", "Finland", "indirect", "said")


def test_denied_that(claims_of: Claims) -> None:
    claims = claims_of("The Kremlin’s spokesman has denied that Russia had sabotaged the ferry terminal's radar.")
    claim = one(claims, "radar")
    assert claim.text == "Russia had sabotaged the ferry terminal's radar"
    assert (claim.cue, claim.actor, claim.kind) == ("denied", "Russia", "indirect")


def test_urged_object_to(claims_of: Claims) -> None:
    claim = one(claims_of("NATO has urged Serbia to withdraw its tanks from the valley."), "withdraw")
    assert claim.text == "Serbia to withdraw its tanks from the valley"
    assert (claim.speaker, claim.actor, claim.cue) == ("NATO", "NATO", "urged")


def test_accused_object_of(claims_of: Claims) -> None:
    claim = one(claims_of("China has accused the US of stirring up trouble in the strait."), "stirring")
    assert claim.text == "the US of stirring up trouble in the strait"
    assert (claim.speaker, claim.actor, claim.cue) == ("China", "China", "accused")


def test_warned_with_clause_and_capital_as_metonym(claims_of: Claims) -> None:
    claim = one(claims_of("Washington has warned that the sanctions could widen next month."), "sanctions")
    assert claim.text == "the sanctions could widen next month"
    assert (claim.speaker, claim.actor, claim.cue) == ("Washington", "United States", "warned")


def test_according_to_a_document_by_an_agency(claims_of: Claims) -> None:
    text = "Rice harvests fell by a fifth this year, according to estimates by the US Department of Agriculture."
    claim = one(claims_of(text), "Rice harvests")
    assert claim.text == "Rice harvests fell by a fifth this year"
    assert (claim.speaker, claim.actor, claim.cue) == ("US Department of Agriculture", "United States", "according to")


def test_attribution_after_the_clause(claims_of: Claims) -> None:
    text = "The power cut was caused by a storm, officials in the region said."
    claim = one(claims_of(text), "power cut")
    assert claim.text == "The power cut was caused by a storm"
    assert claim.speaker == "officials in the region" and claim.actor is None


def test_ministry_said_in_a_statement(claims_of: Claims) -> None:
    text = "Japan’s foreign ministry said in a statement that the envoy would travel to Seoul on Monday."
    claim = one(claims_of(text), "envoy")
    assert (claim.speaker, claim.actor) == ("Japan’s foreign ministry", "Japan")


def test_statement_noun_with_a_source(claims_of: Claims) -> None:
    text = "Markets fell amid claims from the United States that the talks had collapsed."
    claim = one(claims_of(text), "talks had collapsed")
    assert (claim.speaker, claim.actor, claim.cue) == ("United States", "United States", "claims")


def test_report_found(claims_of: Claims) -> None:
    claim = one(claims_of("A report by Amnesty International found that prisoners were denied water."), "prisoners")
    assert claim.text == "prisoners were denied water"
    assert claim.speaker == "Amnesty International" and claim.actor == "Amnesty International"


def test_adding_shares_the_subject(claims_of: Claims) -> None:
    text = "Poland’s defence ministry has published new figures, adding that more volunteers had signed up."
    claim = one(claims_of(text), "volunteers")
    assert (claim.speaker, claim.actor, claim.cue) == ("Poland’s defence ministry", "Poland", "adding")


def test_nested_cue_in_a_modifier_is_its_own_claim(claims_of: Claims) -> None:
    text = "Ottawa has warned a strike could come within days despite Russia repeatedly denying it has such plans."
    claims = claims_of(text)
    assert one(claims, "strike could come").text == "a strike could come within days"
    denial = one(claims, "such plans")
    assert (denial.speaker, denial.actor, denial.cue) == ("Russia", "Russia", "denying")


def test_a_cue_naming_a_phrase_of_the_content_stays_inside_it(claims_of: Claims) -> None:
    text = "Mayor Lena Fisk said the tram would revive what she calls the sleepy corner of the old town."
    claim = one(claims_of(text), "tram would revive")
    assert claim.text == "the tram would revive what she calls the sleepy corner of the old town"


def test_object_claim_keeps_what_is_said_of_the_object(claims_of: Claims) -> None:
    claims = claims_of("Councillor Rui Matos attacked the housing budget as a gift to landlords.")
    claim = one(claims, "housing budget")
    assert claim.text == "the housing budget as a gift to landlords"
    assert claim.cue == "attacked"


def test_calling_a_person_something_is_a_claim(claims_of: Claims) -> None:
    claim = one(claims_of("Senator Ana Lopes called Governor Tim Hale a reckless spender."), "reckless")
    assert claim.text == "Governor Tim Hale a reckless spender"
    assert claim.speaker == "Ana Lopes"


def test_poll_shows_an_object(claims_of: Claims) -> None:
    claim = one(claims_of("The latest survey shows the mayor with a narrow lead among older voters."), "narrow lead")
    assert claim.text == "the mayor with a narrow lead among older voters"
    assert claim.cue == "shows"


def test_document_speaks_for_its_publisher(claims_of: Claims) -> None:
    text = "The video, published by the Kremlin news agency, showed dozens of trucks crossing a bridge."
    claim = one(claims_of(text), "dozens of trucks")
    assert (claim.speaker, claim.actor) == ("Kremlin news agency", "Russia")


def test_as_aside_attributes_the_clause(claims_of: Claims) -> None:
    claims = claims_of("The harbour needs a new breakwater, as the port authority put it in its annual review.")
    claim = one(claims, "breakwater")
    assert claim.text == "The harbour needs a new breakwater"
    assert (claim.speaker, claim.cue) == ("port authority", "put")


def test_as_clause_of_time_is_not_an_aside(claims_of: Claims) -> None:
    assert claims_of("Prices at the market rose sharply as the mayor arrived.") == []


def test_free_relative_is_the_object(claims_of: Claims) -> None:
    claim = one(claims_of("Mayor Lena Fisk condemned what she called a reckless plan."), "reckless")
    assert claim.text == "what she called a reckless plan"


def test_block_quotation_after_a_colon(claims_of: Claims) -> None:
    text = (
        "The radio host went further.\n"
        "Tomas Weller added:\n"
        "Nobody in this town has ever seen the river so low in the middle of spring.\n"
        "The programme ended at noon."
    )
    claims = claims_of(text)
    claim = one(claims, "river so low")
    assert (claim.speaker, claim.kind, claim.cue) == ("Tomas Weller", "direct", "added")
    assert not [c for c in claims if "programme" in c.text]


def test_subject_inside_the_quotation_is_not_the_speaker(claims_of: Claims) -> None:
    text = "“The roads are ready. Every single bridge,” said Ana Ruiz, head of the regional transport office."
    claim = one(claims_of(text), "roads are ready")
    assert (claim.speaker, claim.kind) == ("Ana Ruiz", "direct")


def test_hyphenated_demonym_is_not_a_side(claims_of: Claims) -> None:
    text = "Ana Ruiz, a Florida-based director of the African-American Arts Fund, said the gallery would open."
    assert one(claims_of(text), "gallery").actor != "United States"


def test_endorsing_a_named_person_is_a_claim(claims_of: Claims) -> None:
    claim = one(claims_of("The Harbour Gazette endorsed Ruiz on Sunday."), "Ruiz")
    assert (claim.speaker, claim.cue) == ("Harbour Gazette", "endorsed")


def test_closing_attribution_after_a_comma(claims_of: Claims) -> None:
    claim = one(claims_of("The ferry talks collapsed on Monday night, port officials said."), "ferry talks")
    assert claim.text == "The ferry talks collapsed on Monday night"
    assert (claim.speaker, claim.kind) == ("port officials", "indirect")


def test_opening_phrase_before_the_speaker_is_not_a_claim(claims_of: Claims) -> None:
    claims = claims_of("During his years in the council, Tomas Weller said the port would grow.")
    assert [c.text for c in claims] == ["the port would grow"]


def test_gerund_of_saying_shares_the_subject(claims_of: Claims) -> None:
    text = "Mayor Lena Fisk answered the critics by saying that the budget was balanced."
    claim = one(claims_of(text), "budget was balanced")
    assert (claim.speaker, claim.cue) == ("Lena Fisk", "saying")


def test_narration_is_not_a_claim(claims_of: Claims) -> None:
    claims = claims_of("Farmers drove their tractors into the city centre on Tuesday and blocked two bridges.")
    assert claims == []


# --- headlines ---------------------------------------------------------------------------------------------------


def test_headline_says(claims_of: Claims) -> None:
    text = "Chile says copper exports will rise\nThe mining ministry published its forecast on Monday."
    claim = one(claims_of(text), "copper")
    assert claim.text == "copper exports will rise"
    assert (claim.speaker, claim.actor, claim.update_index) == ("Chile", "Chile", 0)


def test_headline_trailing_attribution(claims_of: Claims) -> None:
    text = "Ceasefire is holding in the north, UN envoy says\nThe envoy spoke after visiting three villages."
    claim = one(claims_of(text), "Ceasefire")
    assert claim.text == "Ceasefire is holding in the north"
    assert claim.actor == "United Nations"


def test_a_headline_statement_runs_to_the_headline_end_past_a_misparse(claims_of: Claims) -> None:
    # the parser hangs "gates" from "denies" in this title-case headline: it is still the statement's last word
    text = "Talmir denies closing the sluice gates\nTalmir's energy ministry denied that it had closed the gates."
    assert one(claims_of(text), "closing").text == "closing the sluice gates"


def test_a_headline_statement_stops_before_another_clause(claims_of: Claims) -> None:
    text = "Norland says troops are leaving the border, Ostland disagrees\nThe two governments spoke on Monday."
    assert one(claims_of(text), "troops").text == "troops are leaving the border"


# --- speakers and sides ------------------------------------------------------------------------------------------


def test_surname_and_pronoun_keep_the_side(claims_of: Claims) -> None:
    text = (
        "Irish Foreign Minister Aoife Kelly met her counterparts in Rome.\n"
        "Kelly said the fishing quotas would be settled by June.\n"
        "She also said that the ferry link to France would be subsidised."
    )
    claims = claims_of(text)
    assert (one(claims, "quotas").speaker, one(claims, "quotas").actor) == ("Aoife Kelly", "Ireland")
    assert (one(claims, "ferry link").speaker, one(claims, "ferry link").actor) == ("Aoife Kelly", "Ireland")


def test_definite_description_refers_to_the_ministry_named_before(claims_of: Claims) -> None:
    text = (
        "Ukraine’s defence ministry says its website was attacked overnight.\n"
        "The ministry said the attackers had found a weakness in an old server."
    )
    claim = one(claims_of(text), "attackers")
    assert (claim.speaker, claim.actor) == ("Ukraine’s defence ministry", "Ukraine")


def test_hyphenated_title_stays_whole(claims_of: Claims) -> None:
    claim = one(claims_of("NATO Secretary-General Maria Jensen said the drills would go ahead."), "drills")
    assert (claim.speaker, claim.speaker_role, claim.actor) == ("Maria Jensen", "NATO Secretary-General", "NATO")


def test_title_inside_the_name_is_the_role(claims_of: Claims) -> None:
    claim = one(claims_of("Councillor Rui Matos attacked the housing budget as a gift to landlords."), "budget")
    assert (claim.speaker, claim.speaker_role) == ("Rui Matos", "Councillor")


def test_a_name_after_a_title_is_a_person_where_the_tagger_reads_an_organisation(claims_of: Claims) -> None:
    # the tagger labels "Ilka Brand" ORG here; the title noun before it says it is a person
    claim = one(claims_of("Commission spokeswoman Ilka Brand told reporters that the talks had stalled."), "stalled")
    assert (claim.speaker, claim.speaker_role) == ("Ilka Brand", "Commission spokeswoman")
    assert claim.actor != "Ilka Brand"
    # a body's name after a title noun stays a body
    claim = one(claims_of("Ministry spokesman Tarek Oduya said the convoy had reached the border."), "convoy")
    assert (claim.speaker, claim.speaker_role) == ("Tarek Oduya", "Ministry spokesman")


_FERRY_BLOG = (
    "Ferry news live\n"
    "Sweden says ferry link will reopen in May\n"
    "Maria Jensen said the ferry link would reopen in May after repairs.\n"
    "Ferry timetable published for the summer\n"
    "Maria Jensen said tickets would go on sale on Monday morning.\n"
    "Port repairs finished early, trade minister says\n"
    "“The new pier is finished and the cranes are working again,” Swedish Trade Minister Karl Berg told reporters.\n"
)


def test_a_speakers_side_holds_across_the_article(claims_of: Claims) -> None:
    claims = claims_of(_FERRY_BLOG)
    # the side comes from the first update's headline; the second update does not restate it
    tickets = one(claims, "tickets would go on sale")
    assert (tickets.speaker, tickets.actor) == ("Maria Jensen", "Sweden")


def test_conflicting_sides_are_not_spread() -> None:
    from bot.extract.extractor import _one_side_per_speaker

    def claim(speaker: str, actor: str | None) -> ExtractedClaim:
        return ExtractedClaim(speaker, None, actor, "x", "x", "indirect", "said", 0, 0, 1)

    agreed = [claim("Ana Ruiz", None), claim("Ana Ruiz", "Chile")]
    conflicting = [claim("Ivo Brandt", None), claim("Ivo Brandt", "Chile"), claim("Ivo Brandt", "Peru")]
    _one_side_per_speaker(agreed + conflicting)
    assert [c.actor for c in agreed] == ["Chile", "Chile"]
    assert [c.actor for c in conflicting] == [None, "Chile", "Peru"]


def test_headline_role_is_the_person_with_that_role_in_the_update(claims_of: Claims) -> None:
    claim = one(claims_of(_FERRY_BLOG), "Port repairs finished early")
    assert (claim.speaker, claim.speaker_role, claim.actor) == ("Karl Berg", "Swedish Trade Minister", "Sweden")


def test_journalist_side_is_the_outlet(claims_of: Claims) -> None:
    text = "Al Jazeera’s Omar Haddad, reporting from Beirut, says the border crossing has reopened."
    claim = one(claims_of(text), "border crossing")
    assert (claim.speaker, claim.actor) == ("Omar Haddad", "Al Jazeera")


def test_apposition_names_the_organisation(claims_of: Claims) -> None:
    text = "“Rents will keep rising in the capital,” Dana Hollis, director of the Urban Futures Institute, told us."
    claim = one(claims_of(text), "Rents")
    assert (claim.speaker, claim.actor) == ("Dana Hollis", "Urban Futures Institute")
    assert claim.speaker_role == "director of the Urban Futures Institute"


def test_a_name_hung_inside_the_sources_phrase_is_the_speaker(claims_of: Claims) -> None:
    # the parser hangs "Ines Ruda" from "mission", the last noun of the phrase, not from its head "head"
    claim = one(
        claims_of("The head of the regional observer mission, Ines Ruda, said the count had been fair."), "count"
    )
    assert (claim.speaker, claim.speaker_role) == ("Ines Ruda", "head of the regional observer mission")


def test_a_role_named_again_is_the_person_introduced_with_it(claims_of: Claims) -> None:
    text = (
        "An attorney for Tomas Ebb, Rena Holm, stressed that her client was ready to testify. "
        "The vote took place despite warnings from his attorney that the hearing was pointless."
    )
    claim = one(claims_of(text), "hearing")
    assert (claim.speaker, claim.speaker_role) == ("Rena Holm", "attorney for Tomas Ebb")


def test_unknown_side_is_none(claims_of: Claims) -> None:
    claim = one(claims_of("“The river has never been this low,” said Edda, a retired teacher."), "river")
    assert claim.speaker == "Edda" and claim.actor is None


def test_workspace_aliases_come_first(claims_of: Claims) -> None:
    claims = claims_of("The Rebel Council said the ceasefire would hold.", aliases={"rebel council": "Northern Front"})
    assert one(claims, "ceasefire").actor == "Northern Front"


def test_offsets_slice_the_document_text(claims_of: Claims) -> None:
    from bot.extract import extract
    from bot.ingest.text import parse_text

    text = "Intro line that is a title\n“Prices will fall,” Ana Ruiz, an economist at Banco Norte, said."
    document = parse_text(text)
    for claim in extract(document, nlp=load_pipeline()):
        assert document.text[claim.start : claim.end] == claim.text
        assert claim.text in claim.sentence


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("Kremlin", "Russia"),
        ("Moscow", "Russia"),
        ("Russian", "Russia"),
        ("U.S.", "United States"),
        ("Washington", "United States"),
        ("White House", "United States"),
        ("EU", "European Union"),
        ("the U.S. State Department", "United States"),
        ("Russian defence ministry", "Russia"),
        ("Kyiv", "Ukraine"),
        ("Nowhere Land", None),
    ],
)
def test_canonical_side(name: str, side: str | None) -> None:
    assert canonical_side(name) == side


def test_canonical_side_aliases_first() -> None:
    assert canonical_side("Moscow", {"moscow": "Kremlin camp"}) == "Kremlin camp"


def test_unknown_pipeline_is_a_sentence_not_a_traceback() -> None:
    with pytest.raises(BadInput, match="spaCy pipeline"):
        load_pipeline("no_such_pipeline_xyz")


@pytest.mark.parametrize(
    "text, said, speaker",
    [
        ("Ines Ruda, who said the count was fair, left on Monday.", "count", "Ines Ruda"),
        ("The mayor met the union leaders, who said the strike would go on.", "strike", "union leaders"),
        (
            "Tarvonia's foreign ministry, which said the dam was safe, declined to comment.",
            "dam",
            "Tarvonia's foreign ministry",
        ),
        ("It was the ministry that said the dam was safe.", "dam", "ministry"),
        ("Ivo Lesk runs the port and is a veteran who has long said the docks will stay open.", "docks", "Ivo Lesk"),
    ],
)
def test_a_relative_pronoun_speaks_for_what_it_stands_for(
    claims_of: Claims, text: str, said: str, speaker: str
) -> None:
    assert one(claims_of(text), said).speaker == speaker


def test_which_is_no_source_where_it_stands_for_a_thing(claims_of: Claims) -> None:
    claims = claims_of("The senators backed a provision that allows farmers to deduct the cost of new machinery.")
    assert not [c for c in claims if c.speaker == "provision"]
