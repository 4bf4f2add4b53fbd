"""Sides the gazetteer cannot know: bodies named in the article itself give the side of those who speak for them."""

from __future__ import annotations

from collections.abc import Callable

from bot.extract import ExtractedClaim

Extract = Callable[..., list[ExtractedClaim]]


def only(claims: list[ExtractedClaim], speaker_word: str) -> ExtractedClaim:
    found = [c for c in claims if c.speaker and speaker_word in c.speaker]
    assert found, [(c.speaker, c.actor, c.text) for c in claims]
    return found[0]


def test_a_possessive_owner_of_a_title_is_the_side(claims_of: Extract) -> None:
    claim = only(claims_of("Tarvonia's farm minister Ilse Brandt said the harvest would be late this year."), "Brandt")
    assert claim.actor == "Tarvonia"


def test_a_named_body_inside_a_title_is_the_side(claims_of: Extract) -> None:
    text = "Coastal Union Secretary-General Piet Amsel said the fishing quotas would be cut by a third."
    assert only(claims_of(text), "Amsel").actor == "Coastal Union"


def test_a_department_word_alone_is_not_a_side(claims_of: Extract) -> None:
    claim = only(claims_of("Defence Secretary Oona Hale said the base would stay open."), "Hale")
    assert claim.actor != "Defence"


def test_a_body_owned_by_a_named_country_speaks_for_it(claims_of: Extract) -> None:
    claim = only(claims_of("Tarvonia's trade ministry said exports had risen by 4 percent."), "ministry")
    assert claim.actor == "Tarvonia"


def test_a_government_speaks_for_its_owner_after_another_side_spoke(claims_of: Extract) -> None:
    # the earlier speaker's side must not pass to "X's government", whatever the tagger takes "X" for
    text = (
        "Norlund said on Friday that it had started moving its ships out of the strait, but Velmar's government and "
        "the Harbour League said they had seen no ship leave."
    )
    assert only(claims_of(text), "government").actor == "Velmar"


def test_a_lowercase_department_is_no_side(claims_of: Extract) -> None:
    text = '"The exercises are over," defence ministry spokesman Aki Lund told reporters.'
    assert only(claims_of(text), "Lund").actor != "defence ministry"


def test_a_side_the_article_introduced_is_known_alone_by_demonym_and_by_short_name(claims_of: Extract) -> None:
    text = (
        "Tarvonia's farm minister Ilse Brandt said the harvest would be late this year. "
        "Coastal Union Secretary-General Piet Amsel said the fishing quotas would be cut by a third. "
        "The Tarvonian trade ministry said exports had risen by 4 percent. "
        "Later, the Union said the quotas would be reviewed in spring. "
        "Tarvonia said the border crossings would reopen on Monday."
    )
    claims = claims_of(text)
    assert only(claims, "Tarvonian").actor == "Tarvonia"
    assert only(claims, "Union").actor == "Coastal Union"
    assert [c.actor for c in claims if c.speaker == "Tarvonia"] == ["Tarvonia"]


def test_a_short_name_that_fits_two_sides_gives_none() -> None:
    from bot.extract.sides import side_named

    assert side_named("the Union", ["Coastal Union", "Harbour Union"]) is None
    assert side_named("the Coastal Union's", ["Coastal Union", "Harbour Union"]) == "Coastal Union"
    assert side_named("Canadian officials", ["Canada", "Tarvonia"]) == "Canada"


def test_only_a_one_word_side_is_taken_for_a_longer_one() -> None:
    from bot.extract.sides import sides_named_in_article

    def claim(speaker: str, side: str) -> ExtractedClaim:
        return ExtractedClaim(speaker, None, side, "text", "sentence", "indirect", "said", 0, 0, 4)

    claims = [
        claim("A", "Tarvonia"),
        claim("B", "Tarvonian Dream"),
        claim("the Union", "Union"),
        claim("C", "Coastal Union"),
    ]
    sides_named_in_article(claims)
    # "Union" was the Coastal Union named short; a party whose name begins with a demonym is a body of its own
    assert [c.actor for c in claims] == ["Tarvonia", "Tarvonian Dream", "Coastal Union", "Coastal Union"]


def test_a_party_named_in_a_title_case_headline_is_no_person_and_speaks_for_itself(claims_of: Extract) -> None:
    # the tagger sees no organisation in "Unity Party claims victory" and took it for a person's name
    text = (
        "Election night\n\n4 October 2033\n\nHere are the latest updates:\n\n"
        "19:05 GMT\nUnity Party claims victory\n"
        "The Unity Party said it had won a clear majority in the assembly.\n"
        '"The people have given us a strong mandate," party chairman Odo Vell told supporters.\n'
    )
    claims = claims_of(text)
    assert [(c.speaker, c.actor) for c in claims] == [("Unity Party", "Unity Party"), ("Odo Vell", "Unity Party")]


def test_a_known_persons_surname_read_as_a_common_noun_is_that_person(claims_of: Extract) -> None:
    text = (
        '"The people have given us a strong mandate," party chairman Oren Basz told supporters in Karsk.\n\n'
        "Basz said the opposition had lost fairly and should accept the result."
    )
    claims = claims_of(text)
    later = [c for c in claims if "opposition" in c.text]
    assert later and later[0].speaker == "Oren Basz" and later[0].actor != "Basz"


def test_a_one_word_owner_of_a_state_office_is_a_place_even_when_tagged_a_person(claims_of: Extract) -> None:
    # the tagger takes "Talmir" for a person's name; a prime minister and a ministry are a country's
    text = (
        "Talmir's prime minister, Anja Seld, said her government would open the gates wider.\n\n"
        "Talmir's energy ministry denied that it had closed the sluice gates.\n\n"
        "Talmir said it would open the gates wider this week."
    )
    claims = claims_of(text)
    assert only(claims, "Seld").actor == "Talmir"
    assert only(claims, "ministry").actor == "Talmir"
    said = [c for c in claims if c.speaker == "Talmir"]
    assert said and said[0].actor == "Talmir"


def test_a_leader_named_in_full_stays_a_person(claims_of: Extract) -> None:
    text = "Vladimir Putin chaired a meeting on Monday.\n\nPutin's defence minister said troops would return to base."
    assert all(c.actor != "Putin" for c in claims_of(text))


_BALLOT_BLOG = """Ballot in Marenia: live

09:05 Opposition says the count was rigged
The opposition Civic Front said on Sunday that the count had been rigged. "Ballot boxes were stuffed in twenty
districts," party leader Ilo Varga told reporters.

11:45 Government rejects fraud claims
Marenia's government denied any fraud. "Every vote was counted," interior minister Pol Aster said.
"""


def test_a_name_after_its_describing_word_is_the_source(claims_of: Extract) -> None:
    # the parser makes two subjects of "The opposition Civic Front"
    claim = only(claims_of("The opposition Civic Front said on Sunday that the count had been rigged."), "Front")
    assert (claim.speaker, claim.actor) == ("Civic Front", "Civic Front")


def test_a_headline_body_named_in_full_in_its_update_takes_that_side(claims_of: Extract) -> None:
    claims = claims_of(_BALLOT_BLOG)
    headline = {c.text: c for c in claims if c.speaker in {"Opposition", "Government"}}
    assert headline["the count was rigged"].actor == "Civic Front"
    assert headline["fraud claims"].actor == "Marenia"
    assert only(claims, "Marenia").actor == "Marenia"  # the full name is kept, not the headline's "Government"
    # and the update's people without a side of their own speak for it, as under a headline that named it
    assert only(claims, "Varga").actor == "Civic Front"
    assert only(claims, "Aster").actor == "Marenia"


def test_a_person_who_speaks_for_a_named_body_speaks_for_it(claims_of: Extract) -> None:
    text = "Tessa Varn, who speaks for the Coastal Shippers Association, said no cargo had left the port since Friday."
    assert only(claims_of(text), "Varn").actor == "Coastal Shippers Association"
    text = "Ada Renn, who heads the Harbour Pilots Guild, said the channel was closed."
    assert only(claims_of(text), "Renn").actor == "Harbour Pilots Guild"
    assert only(claims_of("Ada Renn, who lives in Port Ember, said the channel was closed."), "Renn").actor is None


_STRIKE_BLOG = """Harbour strike: live

08:10 Dockers' union says strike will continue
The dockers' union said on Monday that the strike would continue until the bonus is restored. "Not a single ship
will be loaded before then," union secretary Alva Renn told reporters.

09:30 Port authority says cargo is moving again
The port authority said two container ships had been unloaded overnight. Its chair, Oskar Lind, said the harbour was
"working normally".

11:20 Union denies talks have resumed
The union denied reports that it had resumed talks with the authority.
"""


def test_a_body_named_by_what_it_is_speaks_for_itself(claims_of: Extract) -> None:
    claims = claims_of(_STRIKE_BLOG)
    sides = {c.text: c.actor for c in claims}
    assert sides["strike will continue"] == "Dockers' union"
    assert sides["cargo is moving again"] == "Port authority"
    assert only(claims, "Renn").actor == "Dockers' union"
    lind = only(claims, "Lind")
    assert (lind.actor, lind.speaker_role) == ("Port authority", "chair")
    # "the union" alone is the union named before, not a side of its own
    assert {c.actor for c in claims if c.speaker and c.speaker.lower() == "union"} == {"Dockers' union"}


def test_a_state_organ_or_a_plural_is_no_side_of_its_own(claims_of: Extract) -> None:
    assert only(claims_of("The defence ministry said the drills were over."), "ministry").actor is None
    assert only(claims_of("Three shipping firms said their vessels were waiting."), "firms").actor is None
