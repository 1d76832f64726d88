"""Parts of speech from the tagger TextBlob ships: no data is downloaded, one class per word."""

from qabot.question import analyze
from qabot.span import FEATURES, TAGGED_FEATURES, candidates
from qabot.tags import TAG_CLASSES, word_classes
from qabot.text import tokens


def _classes(sentence: str) -> dict[str, str | None]:
    words = tokens(sentence)
    return dict(zip((w.surface for w in words), word_classes(sentence, words)))


def test_each_word_gets_its_class() -> None:
    found = _classes("The halftime show was headlined by the British rock group Coldplay in 2016.")
    assert found["show"] == "noun"
    assert found["headlined"] == "participle"
    assert found["British"] == "adjective"
    assert found["Coldplay"] == "proper"
    assert found["2016"] == "number"
    assert found["by"] == "preposition"
    assert set(found.values()) <= {*TAG_CLASSES, None}


def test_words_joined_by_a_hyphen_are_one_word() -> None:
    found = _classes("It fed the anti-communist fervor of the state-run press.")
    assert found["anti"] == found["communist"] == "adjective"
    assert found["fervor"] == "noun"


def test_one_class_per_word_whatever_the_text() -> None:
    assert word_classes("", []) == []
    text = "It's the U.S. — a state-run, well-known  place; 34–19."
    assert len(word_classes(text, tokens(text))) == len(tokens(text))


def test_spans_learn_what_the_tags_say() -> None:
    sentence = "The order encouraged the growing anti-communist fervor there."
    found = candidates(sentence, analyze("What did the order encourage?"))
    evidence = {sentence[a:b]: found.evidence(k) for k, (a, b) in enumerate(found.offsets)}
    phrase = evidence["growing anti-communist fervor"]
    assert phrase["noun_phrase"] == 0.0 and phrase["first_tag:gerund"] == 1.0 and phrase["last_tag:noun"] == 1.0
    assert evidence["anti-communist fervor"]["noun_phrase"] == 1.0
    assert evidence["anti-communist fervor"]["before_tag:gerund"] == 1.0


def test_a_word_beyond_punctuation_is_not_beside_a_span() -> None:
    sentence = "Cities like New York, Los Angeles and San Francisco acted."
    found = candidates(sentence, analyze("Which cities acted?"))
    evidence = {sentence[a:b]: found.evidence(k) for k, (a, b) in enumerate(found.offsets)}
    assert not any(value for name, value in evidence["New York"].items() if name.startswith("after_tag:"))
    assert evidence["New York"]["before_tag:preposition"] == 1.0
    assert evidence["Los Angeles"]["after_tag:conjunction"] == 1.0


def test_untagged_spans_carry_the_same_evidence_but_the_taggers() -> None:
    sentence = "The order encouraged the growing anti-communist fervor there."
    question = analyze("What did the order encourage?")
    tagged, untagged = candidates(sentence, question), candidates(sentence, question, tagged=False)
    assert tagged.offsets == untagged.offsets
    columns = [FEATURES.index(name) for name in TAGGED_FEATURES]
    others = [k for k in range(len(FEATURES)) if k not in columns]
    assert not untagged.values[:, columns].any() and tagged.values[:, columns].any()
    assert (tagged.values[:, others] == untagged.values[:, others]).all()
