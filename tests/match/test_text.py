"""question_to_claim, normalise and fts_query, including hostile input run against a real SQLite FTS5 table."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.match.text import fts_query, main_predicate, normalise, question_to_claim, stem, surface_words


@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("Is Russia pulling back its troops?", "Russia is pulling back its troops"),
        ("Are the troops leaving the town?", "the troops are leaving the town"),
        ("Did the Kremlin deny the report?", "the Kremlin denied the report"),
        ("Did the army withdraw?", "the army withdrew"),
        ("Has Ukraine asked for more weapons?", "Ukraine has asked for more weapons"),
        ("Will China hold talks?", "China will hold talks"),
        ("Does Germany support sanctions?", "Germany supports sanctions"),
        ("Isn't the bridge open?", "the bridge is not open"),
        ("Is it true that the mayor resigned?", "the mayor resigned"),
        ("Is there a ceasefire?", "There is a ceasefire"),
    ],
)
def test_question_becomes_claim(question: str, claim: str) -> None:
    assert question_to_claim(question) == claim


def test_statements_and_open_questions_are_kept() -> None:
    assert question_to_claim("The mayor resigned on Monday.") == "The mayor resigned on Monday."
    assert question_to_claim("Who closed the bridge?") == "Who closed the bridge"
    assert question_to_claim("   ") == ""
    assert question_to_claim("?") == ""


def test_normalise_folds_synonyms_stems_and_stop_words() -> None:
    assert normalise("Soldiers are pulling back!") == normalise("the forces withdrawing") == ["troops", "withdraw"]
    assert normalise("a build-up of troops") == ["increase", "troops"]
    assert normalise("The, of and it") == []
    assert stem("running") == "run" and stem("attacks") == "attack"
    assert "usa" in normalise("The US said") and "usa" not in normalise("they told us")


def test_a_singular_ending_in_s_meets_its_plural() -> None:
    # the Porter stemmer cuts "bus" to "bu" but "buses" to "buse": both the scorer and the index query must join them
    assert normalise("the buses") == normalise("a bus") == ["bus"]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
    db.execute("INSERT INTO t(text) VALUES ('Nobody will drive a bus this week')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts_query("Are the buses running?"),)).fetchone()[0]


def test_normalise_keeps_unrelated_senses_apart() -> None:
    # "forced" is not "forces", "mass graves" are not a troop build-up
    assert "troops" not in normalise("they were forced out")
    assert "increase" not in normalise("mass graves")


def test_a_phrasal_verb_split_by_its_object_folds_as_a_whole() -> None:
    # "pulling its rangers back" is "pulling back its rangers": the verb is the withdrawal, not "back"
    assert normalise("Is Ostland pulling its rangers back from the dam?") == ["ostland", "withdraw", "ranger", "dam"]
    assert normalise("they pulled the last two brigades out") == normalise("they withdrew the last two brigades")
    assert "withdraw" not in normalise("Ostland pulled two brigades and went back home")  # "and" ends an object
    assert normalise("Ostland moved three brigades towards the dam")[1] == normalise("they advanced")[0]
    assert "increase" in normalise("they are building their garrison up")
    assert surface_words("Ostland is pulling its rangers back")["withdraw"] == "pulling … back"


def test_withdrawing_worded_as_leaving_or_returning_home_folds_to_withdraw() -> None:
    for text in (
        "the rangers withdrew",
        "the rangers have withdrawn",
        "the rangers were returning to their bases",
        "the rangers are going home",
        "the rangers had left the dam",
    ):
        assert "withdraw" in normalise(text), text
    assert normalise("the rangers are massing") == normalise("the rangers are amassing") == ["ranger", "increase"]


def test_an_activity_that_is_over_has_ended() -> None:
    assert normalise("the manoeuvres are over") == normalise("they finished the drills")[::-1] == ["exercise", "end"]
    # a time adverbial ends nothing, nor does "over" that means "about", nor reaching a conclusion
    assert "end" not in normalise("more rangers will leave by the end of the month")
    assert "end" not in normalise("the quarrel is over the dam")
    assert "end" not in normalise("the inquiry concluded that the dam was safe")


def test_a_cyber_compound_is_an_attack_and_is_searched_as_written() -> None:
    assert normalise("the cyberattacks") == normalise("a cyber-attack") == ["cyber", "attack"]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
    db.execute("INSERT INTO t(text) VALUES ('A cyberattack took the tax portal offline')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts_query("Who ran the cyberattacks?"),)).fetchone()[0]


@pytest.mark.parametrize(
    ("claim", "event"),
    [
        ("Ostland is pulling its rangers back from the dam", ("withdraw",)),
        ("the manoeuvres are over", ("end",)),
        ("Norland saw a pullback", ("see",)),
        ("Ostland carried out the raid", ("perpetrate",)),
        ("Ostland carried out the inspection", ("carri",)),
        ("Ostland was behind the raid", ("perpetrate",)),
        ("Ostland had a role in the raid", ("perpetrate",)),
        ("the League will reinforce its flank", ("increase",)),
        ("Ostland is planning to invade Norland", ("plan", "invade")),
        ("Ostland is not withdrawing its rangers", ("withdraw",)),
        ("Ostland", ()),
        # a verb form after its determiner is a noun: the event is what follows
        ("the strike is over", ("end",)),
        ("an abandoned depot was searched", ("search",)),
    ],
)
def test_the_main_predicate_of_a_claim(claim: str, event: tuple[str, ...]) -> None:
    assert main_predicate(claim) == event


def _fts() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
    db.executemany(
        "INSERT INTO t(text) VALUES (?)",
        [("Soldiers pulled back from the border town",), ("The bakery opens at nine",), ("Водитель сказал",)],
    )
    return db


def test_fts_query_finds_synonyms() -> None:
    db = _fts()
    query = fts_query("Is the army pulling back its troops?")
    rows = db.execute("SELECT text FROM t WHERE t MATCH ?", (query,)).fetchall()
    assert rows == [("Soldiers pulled back from the border town",)]


NASTY = [
    'troops" OR "x',
    "AND OR NOT NEAR(a b, 3)",
    "withdraw* ^start text:col -minus +plus",
    "😀😀 🚀",
    "Водитель сказал 中文 عربى",
    "(((",
    "'; DROP TABLE t; --",
    "x" * 10_000,
    "border " * 2_000,
]


@pytest.mark.parametrize("text", NASTY)
def test_fts_query_never_breaks_match(text: str) -> None:
    db = _fts()
    query = fts_query(text)
    if query:
        db.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
    assert query.count('"') % 2 == 0


def test_fts_query_of_only_stop_words_or_symbols_is_empty() -> None:
    assert fts_query("is it the and of?") == ""
    assert fts_query("😀 ... !!!") == ""
    assert fts_query("") == ""


def test_other_scripts_are_searchable() -> None:
    db = _fts()
    rows = db.execute("SELECT text FROM t WHERE t MATCH ?", (fts_query("сказал"),)).fetchall()
    assert rows == [("Водитель сказал",)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_query(text: str) -> None:
    query = fts_query(text)
    if query:
        _fts().execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
    question_to_claim(text)
    assert all(token.strip() for token in normalise(text))


def test_claim_subject_is_what_comes_before_the_predicate() -> None:
    from bot.match.text import claim_subject

    assert claim_subject("Ostland's army is ready") == "Ostland's army"
    assert claim_subject("The Meridian League sent rangers to the dam") == "The Meridian League"
    assert claim_subject("Norland is planning a raid") == "Norland"
    assert claim_subject("rangers") == ""


def test_every_phrase_of_the_synonym_table_is_folded_whatever_surrounds_it() -> None:
    # the phrase step runs only on texts holding one of the phrases' anchors: no phrase may be left without one
    from bot.match.text import _PHRASE_TO_REP, _fold_phrases

    for phrase, rep in _PHRASE_TO_REP.items():
        for text in (phrase, f"Officials said on Monday that {phrase}, as expected.", f"({phrase.upper()})"):
            assert f" {rep} " in f" {_fold_phrases(text)} ", (phrase, text)


def test_the_phrase_anchors_are_words_the_steps_before_them_never_add() -> None:
    # the anchors are looked up among the words of the text before the split phrasal verbs are folded: each must be a
    # whole word of letters, and none the word a split phrasal verb becomes
    from bot.match.text import _LETTERS, _PHRASE_ANCHORS, _SPLIT_PHRASAL

    assert all(_LETTERS.fullmatch(anchor) for anchor in _PHRASE_ANCHORS)
    assert not {rep for _, _, rep in _SPLIT_PHRASAL} & _PHRASE_ANCHORS


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["US", "U.S.", "cyber", "cyberattacks", "is", "over", "the end of", "by", "pull",
                                 "their", "troops", "back", "role in", "build-up", "de-escalation", "u.k.", "home",
                                 "going", ",", ".", "carried out", "attacks"]), max_size=14))  # fmt: skip
def test_the_substring_tests_before_each_step_change_no_result(words: list[str]) -> None:
    import bot.match.text as text

    sentence = " ".join(words)
    lowered = text._CYBER.sub("cyber ", text._US.sub(" usa ", sentence).lower())
    plain = text._CARRY_OUT_DEED.sub(" perpetrate ", text._IS_OVER.sub(" end ", lowered))
    words = set(text._LETTERS.findall(plain))
    for verbs, pattern, rep in text._SPLIT_PHRASAL:
        plain = pattern.sub(" " + rep + r" \2", plain) if verbs & words else plain
    plain = text._TIME_END.sub(" ", plain)
    unfiltered = text._PHRASES.sub(lambda m: " " + text._phrase_rep(m.group(0)) + " ", plain)
    assert text._fold_phrases(sentence) == unfiltered


def test_a_phrase_is_read_through_quotation_marks_between_its_words() -> None:
    # news quotes a few words of a phrase: 'bore "all the hallmarks" of', 'a "pulling back" of troops'
    assert normalise('the attack bore "all the hallmarks" of Ostland') == normalise(
        "the attack bore all the hallmarks of Ostland"
    )
    assert "perpetrate" in normalise('the raid bore "all the hallmarks" of Ostland')
    assert normalise("units are 'pulling' back") == normalise("units are pulling back")
    # a reason quotes the phrase as it reads, without the stray mark
    assert surface_words('bore "all the hallmarks" of Ostland')["perpetrate"] == "hallmarks of"


def test_moving_something_back_is_a_withdrawal_and_back_and_forth_is_not() -> None:
    assert "withdraw" in normalise("Ostland had moved its artillery back from the front")
    assert "withdraw" in normalise("the rangers moved back overnight")
    assert "withdraw" not in normalise("they have always moved forces back and forth")


def test_an_elections_fraud_in_other_words_is_one_concept() -> None:
    assert normalise("the vote was rigged") == normalise("the vote was fraudulent") == ["election", "fraud"]
    assert normalise("the election was rigged") == normalise("the vote was rigged")
    assert "fraud" in normalise("ballot boxes were stuffed in forty districts")
    assert "fraud" not in normalise("an oil rig off the coast")


def test_carrying_out_an_attack_is_perpetrating_it() -> None:
    assert normalise("Ostland carried out the cyberattacks") == normalise("Ostland perpetrated the cyberattacks")
    assert "perpetrate" in normalise("who carried out Sunday's raid on the depot")
    assert "perpetrate" not in normalise("carrying out the next phase of combat training")


def test_returning_to_bases_in_more_words_is_a_withdrawal() -> None:
    assert "withdraw" in normalise("some rangers would also return to their permanent bases")
    assert "withdraw" in normalise("soldiers were returning to their garrisons")
    assert "withdraw" not in normalise("the envoy returned to the base of the mountain")


def test_a_plural_noun_before_its_auxiliary_is_the_subject_not_the_predicate() -> None:
    assert main_predicate("Ostland forces are massing near the dam") == ("increase",)
    assert main_predicate("Peace talks have collapsed") == ("collaps",)
    assert main_predicate("Ostland plans to raid the depot") == ("plan", "attack")


def test_lifting_a_restriction_ends_it_and_lifting_anything_else_does_not() -> None:
    assert normalise("Kaskia has lifted the blockade") == normalise("Kaskia has ended the blockade")
    assert "end" in normalise("sanctions were finally lifted on Monday")
    assert "end" in normalise("the ban has not been lifted")
    assert "end" not in normalise("prices lifted sharply") and "end" not in normalise("it lifted spirits")
    # the predicate as the whole claim reads it, past its subject
    assert main_predicate("sanctions were lifted") == ("end",)


def test_reasons_quote_a_lifted_restriction_as_written() -> None:
    assert surface_words("its navy has lifted the blockade")["end"] == "lifted"
    assert surface_words("the sanctions were lifted on Monday")["end"] == "lifted"
