import numpy as np

from qabot.extract import FEATURES, Candidate, Extractor, _Reading, local_evidence
from qabot.passages import Sentence
from qabot.question import analyze


def _reading(own: set[str], around: set[str] = frozenset()) -> _Reading:
    candidate = Candidate("d", 0, Sentence(0, 1, 1, "paragraph"), "x", 0.0, 0.0)
    return _Reading(candidate, [0.0] * (len(FEATURES) - 3), set(own), set(around))


def test_local_evidence_prefers_terms_few_candidates_hold() -> None:
    weights = {"tesla": 1.0, "patent": 1.0}
    readings = [_reading({"tesla"}), _reading({"tesla"}), _reading({"tesla"}), _reading({"patent"})]
    rows = local_evidence(weights, readings)
    local, exclusive = FEATURES.index("local"), FEATURES.index("exclusive")
    assert rows.shape == (4, len(FEATURES))
    assert rows[3, local] > rows[0, local]
    assert rows[3, exclusive] == 0.5 and rows[0, exclusive] == 0.0


def test_terms_the_title_holds_count_less() -> None:
    weights = {"tesla": 1.0, "patent": 1.0}
    rows = local_evidence(weights, [_reading({"tesla"}, {"tesla"}), _reading({"patent"}, {"tesla"})])
    focused = FEATURES.index("focused")
    assert rows[1, focused] > rows[0, focused]
    assert np.isclose(rows[0, focused] + rows[1, focused], 1.0)


def test_no_candidates_gives_an_empty_matrix() -> None:
    assert local_evidence({"a": 1.0}, []).shape == (0, len(FEATURES))


def test_wording_counts_the_question_phrases_a_sentence_repeats() -> None:
    question = analyze("What was Kennedy put off by?")
    said = "he was put off by the massive financial commitment".split()
    other = "kennedy was not sure about the cost".split()
    pairs, triples = Extractor._wording(said, question)
    assert pairs > 0 and triples > 0
    assert Extractor._wording(other, question)[1] == 0.0
    assert Extractor._wording(said, question)[0] > Extractor._wording(other, question)[0]
