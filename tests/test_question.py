import pytest

from qabot.question import (
    CHAT_NOISE, LIGHT_VERBS, PERSON_NOUNS, PLACE_NOUNS, QUANTITY_NOUNS, QUESTION_NOISE, TIME_NOUNS, AnswerType, analyze,
)
from qabot.text import normalize

WORDS = {
    "TIME_NOUNS": "day date year month time week hour century decade season era period",
    "PLACE_NOUNS": "city state country place town county region nation location area continent province village neighborhood street capital",
    "PERSON_NOUNS": "person people man woman official governor mayor president senator leader spokesman spokeswoman spokesperson judge minister player author writer actor singer scientist king queen emperor",
    "QUANTITY_NOUNS": "population number amount size cost price percentage rate total count budget salary age height weight length distance temperature",
    "QUESTION_NOISE": "do does did done happen happened according described kind type sort exactly thing things stuff",
    "CHAT_NOISE": "yo hey lol lmao omg pls plz thx btw tbh imo idk rn ur ya gonna wanna gotta kinda sorta anyone "
    "anything anybody someone something somebody everyone everything everybody",
    "LIGHT_VERBS": "go goes going went gone get gets getting got gotten make made take took taken come came put "
    "keep kept give gave given",
}


def test_written_out_stems_match_the_stemmer() -> None:
    sets = {"TIME_NOUNS": TIME_NOUNS, "PLACE_NOUNS": PLACE_NOUNS, "PERSON_NOUNS": PERSON_NOUNS,
            "QUANTITY_NOUNS": QUANTITY_NOUNS, "QUESTION_NOISE": QUESTION_NOISE, "CHAT_NOISE": CHAT_NOISE,
            "LIGHT_VERBS": LIGHT_VERBS}
    for name, words in WORDS.items():
        assert sets[name] == {normalize(w) for w in words.split()} - {""}, name


def test_answer_types() -> None:
    cases = {
        "Who signed the order?": AnswerType.PERSON,
        "When will it take effect?": AnswerType.TIME,
        "On what day did she propose it?": AnswerType.TIME,
        "Where were they killed?": AnswerType.PLACE,
        "In which city were two citizens killed?": AnswerType.PLACE,
        "How many people were deported?": AnswerType.NUMBER,
        "How long will the surge last?": AnswerType.DURATION,
        "Which newspaper reported it?": AnswerType.NAME,
        "Why did he sign it?": AnswerType.REASON,
        "What did the mayor sign?": AnswerType.OTHER,
        "What is the population of Chicago?": AnswerType.NUMBER,
        "What is the name of the federal judge who declined the injunction?": AnswerType.PERSON,
        "What was the name of the city where it began?": AnswerType.PLACE,
        "What is the name of the ship?": AnswerType.NAME,
    }
    for question, kind in cases.items():
        assert analyze(question).answer_type is kind, question


def test_the_name_of_a_thing_asks_for_the_thing() -> None:
    """"the name of the judge" asks who the judge is: the judge is the focus, not "name"."""
    assert analyze("What is the name of the federal judge who declined it?").focus == normalize("judge")
    assert analyze("What was the name of the ship that sank?").focus == normalize("ship")
    assert analyze("What is the population of Chicago?").focus == normalize("population")


def test_the_wh_phrase_ends_at_an_irregular_verb_as_at_a_regular_one() -> None:
    """"what team *won* Super Bowl 50": the team is asked for; the Super Bowl is the topic, weighed
    in full, as after "signed"."""
    for verb in ("won", "signed"):
        q = analyze(f"What team {verb} Super Bowl 50?")
        assert q.focus == normalize("team") and q.kind_terms == {normalize("team")}
        assert q.weights[normalize("bowl")] == 1.0 > q.weights[normalize("team")]
    assert analyze("What kept immigrants from reporting crimes?").focus == ""


def test_a_light_verb_counts_less_than_the_words_of_the_topic() -> None:
    q = analyze("how long will the federal surge go on")
    assert q.weights["go"] < q.weights["surg"] and q.roles["go"] < q.roles["surg"]


def test_weights_and_borrowed_terms() -> None:
    q = analyze("Which state, along with Chicago, has strong rules?", borrowed=("illinoi",))
    assert q.weights["state"] < q.weights["chicago"]
    assert q.roles["chicago"] > q.roles["rule"]
    assert "illinoi" in q.terms and q.weights["illinoi"] < 1


def test_borrowed_terms_together_weigh_no_more_than_one_own_word_however_many() -> None:
    """For ranking and for coverage alike: a long earlier turn once diluted a follow-up's coverage,
    and so its confidence, in proportion to its length."""
    question = "What did state officials there file?"
    lent = tuple(f"term{i}" for i in range(9))
    many, alone = analyze(question, borrowed=lent), analyze(question)
    assert sum(many.weights[t] for t in lent) == pytest.approx(1.0)
    assert sum(many.roles[t] for t in lent) == pytest.approx(1.0)
    assert {t: many.roles[t] for t in alone.terms} == alone.roles


def test_wording_keeps_function_words_and_leaves_out_wh_words() -> None:
    pairs, triples = analyze("What was Kennedy put off by?").wording
    assert ("put", "off") in pairs and ("off", "by") in pairs and ("kennedy", "put") in pairs
    assert ("put", "off", "by") in triples
    assert not any("what" in pair for pair in pairs)


def test_chat_spellings_and_fillers_are_read_as_the_question_they_stand_for() -> None:
    """"whats"/"whos" are wh-words, and chat filler carries no topic: the question keeps only
    what it is about."""
    casual = analyze("yo whos the mayor of chicago lol")
    assert casual.answer_type is AnswerType.PERSON
    assert casual.terms == analyze("Who is the mayor of Chicago?").terms
    assert analyze("did anyone sue?").terms == ("sue",)
    assert analyze("r u sure the mayor signed it rn").terms == analyze("Are you sure the mayor signed it?").terms
    assert "r" in analyze("What must an element p of R satisfy?").terms
    assert analyze("whats gonna happen to the order").terms == analyze("What will happen to the order?").terms


def test_a_wh_word_with_is_run_on_is_still_a_wh_word() -> None:
    assert analyze("Who's the mayor of Chicago?").answer_type is AnswerType.PERSON
    assert analyze("When’s the surge kicking off").answer_type is AnswerType.TIME
    whats = analyze("What's the population of Chicago?")
    assert (whats.answer_type, whats.focus) == (AnswerType.NUMBER, normalize("population"))
    assert analyze("what's NY's governor pushing for?").answer_type is AnswerType.OTHER


def test_a_possessive_names_what_is_asked_for() -> None:
    """"What's Chicago's population?" asks for a number as "the population of Chicago" does."""
    for question in ("what's chicago's population?", "What is the U.S. Department of Homeland Security's budget?"):
        assert analyze(question).answer_type is AnswerType.NUMBER
    assert analyze("whats chicago's population").focus == normalize("population")
    assert analyze("whats the age of the mayor").focus == normalize("age")
    assert analyze("What are the city's sanctuary policies meant to build?").answer_type is AnswerType.OTHER
    assert analyze("What is the city's name?").answer_type is AnswerType.PLACE


def test_the_words_that_ask_for_a_name_say_what_kind_of_answer_is_wanted_not_the_topic() -> None:
    """"the mayor's full name" asks who the mayor is; a sentence that answers names him without
    saying "name"."""
    mayor = analyze("what's the mayor's full name?")
    assert (mayor.answer_type, mayor.focus, mayor.terms) == (AnswerType.PERSON, normalize("mayor"), (normalize("mayor"),))
    judge = analyze("What is the name of the federal judge?")
    assert (judge.answer_type, judge.terms) == (AnswerType.PERSON, tuple(map(normalize, ("federal", "judge"))))
    assert normalize("name") in analyze("What name did he give the city?").terms


def test_chat_shorthand_is_read_in_the_words_news_prose_uses() -> None:
    """"cops" are "police" and "WH" is the "White House", possessive or not; acronyms news
    prose uses itself stay as they are."""
    assert analyze("what happens to the bodycam vids when cops show up").terms == analyze(
        "What happens to the body camera videos when police show up?"
    ).terms
    assert analyze("who's the WH press person").terms[:2] == ("white", "hous")
    assert analyze("what's NY's governor pushing for?").terms[:2] == ("new", "york")
    assert "ice" in analyze("did ICE respond?").terms
    assert analyze("has chicago PD agreed").terms == analyze("has chicago pd agreed").terms != analyze("has Pd reacted").terms
    assert analyze("how many DAs teamed up").terms == analyze("how many district attorneys teamed up").terms


@pytest.mark.parametrize(
    ("casual", "plain"),
    [
        ("tell me about the body cam rule", "The body camera rule?"),
        ("yo whats the deal with the ice on notice thing", "ICE On Notice?"),
        ("any news on the lawsuit?", "The lawsuit?"),
        ("do you know anything about the surge", "The surge?"),
        ("what is going on with the surge", "The surge?"),
        ("ok so whats up with the judge in minnesota", "the judge in Minnesota?"),
        ("wait, what did johnson really say about cops", "What did Johnson say about cops?"),
        ("i heard trump might send troops, is that true", "Trump might send troops?"),
        ("any idea who signed it? thanks", "Who signed it?"),
        ("does anyone know what the mayor is doing these days", "What is the mayor doing?"),
        ("quick question: i'm wondering who signed it", "Who signed it?"),
    ],
)
def test_chat_phrases_that_name_no_topic_leave_the_question_it_pads(casual: str, plain: str) -> None:
    """Phrases that only say "tell me about", and the padding around a question."""
    assert analyze(casual).terms == analyze(plain).terms


def test_the_same_words_elsewhere_are_content() -> None:
    assert analyze("can u tell me who signed it").answer_type is AnswerType.PERSON
    assert "deal" in analyze("What was the deal with Iran?").terms
    assert "tell" in analyze("What did the mayor tell reporters?").terms
    assert analyze("How long did they wait?").terms == ("wait",)
    assert "basic" in analyze("What is the basic unit of life?").terms
    assert "wonder" in analyze("What was Einstein wondering about?").terms


def test_a_verb_of_intent_before_to_is_no_word_of_the_topic() -> None:
    """An article reports the act in its own words ("moved to clarify"): "trying to" and "meant to"
    ask about the verb after them, and their own terms would only lower coverage."""
    assert analyze("What was the mayor trying to explain about his order?").terms == analyze(
        "What was the mayor explaining about his order?"
    ).terms
    assert analyze("What are the policies meant to build?").terms == ("polici", "build")
    assert "tri" in analyze("Who was tried for the murder?").terms
    assert normalize("meant") in analyze("What is meant by sanctuary?").terms
    assert "mean" in analyze("What are the means to pay for it?").terms
    assert "attempt" in analyze("Was there an attempt to stop the order?").terms
    assert analyze("Which governor wants to stop the order?").terms == tuple(map(normalize, ("governor", "stop", "order")))
    assert normalize("want") in analyze("What did the mayor want?").terms


def test_a_verb_that_frames_the_question_is_no_word_of_the_topic() -> None:
    """"end up" and "play out" ask what comes of something: an article says neither, so only the
    topic's words are left."""
    assert analyze("could this end up in court?").terms == (normalize("court"),)
    assert analyze("Who ended up replacing Shea?").terms == tuple(map(normalize, ("replacing", "Shea")))
    assert analyze("how will the lawsuit play out?").terms == (normalize("lawsuit"),)
    assert normalize("mean") in analyze("what does being a sanctuary city mean?").terms
    assert normalize("end") in analyze("When did the strike end?").terms
    assert normalize("play") in analyze("Who will play at halftime?").terms


def test_a_command_to_name_asks_who_or_what() -> None:
    """"name the ..." asks as "which ..." does: "name" is no word of the topic, and the noun named
    says whether a person or a place is wanted."""
    people = analyze("name the two people killed in minneapolis")
    assert normalize("name") not in people.terms and people.answer_type is AnswerType.PERSON
    assert analyze("can you name the judge who ruled?").answer_type is AnswerType.PERSON
    assert analyze("Name one country that banned flying on Sundays.").answer_type is AnswerType.PLACE
    assert analyze("Name a luxury division of Toyota.").terms == tuple(map(normalize, ("luxury", "division", "Toyota")))
    assert normalize("name") in analyze("name is what?").terms
