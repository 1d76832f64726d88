import pytest

from qabot.entities import ADDRESSED, APART, name_spans, type_evidence
from qabot.question import AnswerType


@pytest.mark.parametrize(
    "sentence",
    [
        "Their invasion at Bannow Bay in 1169 changed Ireland.",
        "The banquet was made up two weeks later on 27 June.",
        "It was signed on June 27.",
        "Identity emerged in the first half of the 10th century.",
        "Names were used well into the nineteenth century.",
        "In the 1530s and 1540s, printed images were crucial.",
        "Geoglyphs date between AD 0 and 1250.",
        "The facade of the house is dated c1600.",
        "The order was signed on Monday.",
    ],
)
def test_dates_in_many_forms_answer_a_when_question(sentence: str) -> None:
    assert type_evidence(sentence, AnswerType.TIME, frozenset({"sign"})) == 1.0


@pytest.mark.parametrize("sentence", ["He may go home.", "They march on the capital.", "We had 300 cars."])
def test_words_that_only_look_like_dates_do_not(sentence: str) -> None:
    assert type_evidence(sentence, AnswerType.TIME, frozenset()) == 0.0


@pytest.mark.parametrize("sentence", ["His office announced the order today.", "The order was signed last week."])
def test_a_time_told_from_the_day_of_writing_speaks_of_when_without_giving_it(sentence: str) -> None:
    assert type_evidence(sentence, AnswerType.TIME, frozenset({"sign"})) == ADDRESSED
    assert type_evidence(sentence.replace(".", " on Saturday."), AnswerType.TIME, frozenset({"sign"})) == 1.0


def test_a_date_the_question_already_gives_is_not_an_answer() -> None:
    assert type_evidence("What happened in the 10th century was new.", AnswerType.TIME, frozenset({"10th", "centuri"})) == 0.0


def test_a_duration_can_be_given_by_its_start() -> None:
    assert type_evidence("It has been a principle of EU law since the 1950s.", AnswerType.DURATION, frozenset()) == 1.0
    assert type_evidence("He was bedridden for nine months.", AnswerType.DURATION, frozenset()) == 1.0
    assert type_evidence("It is a principle of EU law.", AnswerType.DURATION, frozenset()) == 0.0


def test_a_number_can_be_a_word() -> None:
    assert type_evidence("There are several lakes in Warsaw.", AnswerType.NUMBER, frozenset({"lake", "warsaw"})) == 1.0


@pytest.mark.parametrize("word", ["seventeen", "sixty", "ninety", "billions"])
def test_every_number_word_counts_as_a_number_and_gives_a_duration(word: str) -> None:
    assert type_evidence(f"The strike drew {word} of workers.", AnswerType.NUMBER, frozenset({"strike"})) == 1.0
    assert type_evidence(f"It lasted {word} days.", AnswerType.DURATION, frozenset()) == 1.0


def test_names_skip_an_ordinary_first_word() -> None:
    sentence = "The mayor met Brandon Johnson in Chicago on a Friday night."
    assert [sentence[s:e] for s, e in name_spans(sentence)] == ["Brandon Johnson", "Chicago", "Friday"]


def test_a_label_that_opens_a_sentence_is_no_name() -> None:
    sentence = "National Trends: Other cities like New York may follow."
    assert [sentence[s:e] for s, e in name_spans(sentence)] == ["New York"]
    breaking = "BREAKING: Johnson signs the order."
    assert [breaking[s:e] for s, e in name_spans(breaking)] == ["Johnson"]
    assert type_evidence("Legal Challenges: other cities may adopt similar measures.", AnswerType.PLACE, frozenset({"citi"})) == 0.0


def test_a_place_may_follow_its_article() -> None:
    assert type_evidence("She spoke at the White House yesterday.", AnswerType.PLACE, frozenset({"spoke"})) == 1.0
    assert type_evidence("The White House said so.", AnswerType.PLACE, frozenset({"said"})) == 0.5


def test_a_day_or_a_month_is_no_place_and_no_person() -> None:
    assert type_evidence("The order took effect in January.", AnswerType.PLACE, frozenset({"order"})) == 0.0
    assert type_evidence("It was signed on Monday.", AnswerType.PERSON, frozenset({"sign"})) == 0.0
    assert type_evidence("The talks open in Geneva in June.", AnswerType.PLACE, frozenset({"talk"})) == 1.0


def test_the_cheap_test_before_a_pattern_never_refuses_a_sentence_it_matches() -> None:
    """`_may_match` skips the date, number and duration patterns on sentences they cannot match; it
    must never skip one they do match."""
    from qabot.entities import _DURATION, _NUMBER, _TIME, _may_match

    from conftest import SEEDS

    sentences = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").split(". ")]
    sentences += [
        "They met on Sunday.", "Late summer came.", "It took several hours.", "A dozen came.", "In the tenth century.",
        "Every morning.", "No date here at all.", "Ninety seconds.", "Twice a week.", "The ſunday market.",
    ]
    skipped = 0
    for pattern in (_TIME, _NUMBER, _DURATION):
        for sentence in sentences:
            if not _may_match(pattern, sentence):
                skipped += 1
                assert not pattern.search(sentence), (pattern.pattern[:20], sentence)
    assert skipped > len(sentences)


def test_the_word_start_before_a_pattern_changes_none_of_its_matches() -> None:
    """`_AT_WORD` only speeds the date, number and duration patterns up: without it they find the
    same spans, in sentences of the bundled articles and in ones that Unicode folds or digits
    could trip."""
    import re

    from qabot.entities import _AT_WORD, _DURATION, _NUMBER, _TIME

    from conftest import SEEDS

    sentences = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").split(". ")]
    sentences += [
        "The ſunday market opened on Sept. 5, 2025.", "It lasted ٣ days in the 1970s.", "(12 hours), [3 weeks]; 'ten' years",
        "—Monday—", "at 10:30 p.m. on 27 June", "AD 1250 or 1250 AD, c. 1600",
    ]
    found = 0
    for pattern in (_TIME, _NUMBER, _DURATION):
        assert pattern.pattern.startswith(_AT_WORD)
        plain = re.compile(pattern.pattern.removeprefix(_AT_WORD), pattern.flags)
        for sentence in sentences:
            spans = [m.span() for m in pattern.finditer(sentence)]
            assert spans == [m.span() for m in plain.finditer(sentence)], sentence
            found += len(spans)
    assert found > 30


def test_a_name_counts_fully_only_beside_the_focus_the_sentence_names() -> None:
    """"Who is the mayor ...?": a sentence naming the mayor and, apart, the National Guard holds a
    person less surely than one that titles a name mayor; without the focus nothing changes."""
    apart = "The Mayor has also directed all city departments to guard against a National Guard deployment."
    assert type_evidence(apart, AnswerType.PERSON, frozenset({"mayor"}), "mayor") == APART
    assert type_evidence(apart, AnswerType.PERSON, frozenset({"mayor"})) == 1.0
    for beside in ("Chicago Mayor Brandon Johnson drew a line.", "Brandon Johnson, the mayor, drew a line."):
        assert type_evidence(beside, AnswerType.PERSON, frozenset({"mayor"}), "mayor") == 1.0
    assert type_evidence("Brandon Johnson drew a line.", AnswerType.PERSON, frozenset(), "mayor") == 1.0
