from qabot.question import (
    CHAT_NOISE, PERSON_NOUNS, PLACE_NOUNS, QUANTITY_NOUNS, QUESTION_NOISE, TIME_NOUNS, AnswerType, analyze,
)
from qabot.text import normalize

WORDS = {
    "TIME_NOUNS": "day date year month time week hour century decade season era period",
    "PLACE_NOUNS": "city state country place town county region nation location area continent province village neighborhood street capital",
    "PERSON_NOUNS": "person people man woman official governor mayor president senator leader spokesman spokeswoman spokesperson judge minister player author writer actor singer scientist king queen emperor",
    "QUANTITY_NOUNS": "population number amount size cost price percentage rate total count budget salary age height weight length distance temperature",
    "QUESTION_NOISE": "do does did done happen happened according described kind type sort exactly",
    "CHAT_NOISE": "yo hey lol lmao omg pls plz thx btw tbh imo idk rn ur ya gonna wanna gotta kinda sorta anyone "
    "anything anybody someone something somebody everyone everything everybody",
}


def test_written_out_stems_match_the_stemmer() -> None:
    sets = {"TIME_NOUNS": TIME_NOUNS, "PLACE_NOUNS": PLACE_NOUNS, "PERSON_NOUNS": PERSON_NOUNS,
            "QUANTITY_NOUNS": QUANTITY_NOUNS, "QUESTION_NOISE": QUESTION_NOISE, "CHAT_NOISE": CHAT_NOISE}
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
    }
    for question, kind in cases.items():
        assert analyze(question).answer_type is kind, question


def test_weights_and_borrowed_terms() -> None:
    q = analyze("Which state, along with Chicago, has strong rules?", borrowed=("illinoi",))
    assert q.weights["state"] < q.weights["chicago"]
    assert q.roles["chicago"] > q.roles["rule"]
    assert "illinoi" in q.terms and q.weights["illinoi"] < 1


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
