import numpy as np

from qabot.evidence import FEATURES, Evidence, Holding, as_matrix, relative_evidence, wording
from qabot.question import analyze


def _relative(weights: dict[str, float], held: list[tuple[set[str], set[str]]]) -> list[Evidence]:
    return [Evidence(**row) for row in relative_evidence(weights, [Holding(own, around) for own, around in held])]


def test_local_evidence_prefers_terms_few_candidates_hold() -> None:
    weights = {"tesla": 1.0, "patent": 1.0}
    rows = _relative(weights, [({"tesla"}, set()), ({"tesla"}, set()), ({"tesla"}, set()), ({"patent"}, set())])
    assert rows[3].local > rows[0].local
    assert rows[3].exclusive == 0.5 and rows[0].exclusive == 0.0


def test_terms_the_title_holds_count_less() -> None:
    weights = {"tesla": 1.0, "patent": 1.0}
    rows = _relative(weights, [({"tesla"}, {"tesla"}), ({"patent"}, {"tesla"})])
    assert rows[1].focused > rows[0].focused
    assert np.isclose(rows[0].focused + rows[1].focused, 1.0)


def test_no_candidates_gives_an_empty_matrix() -> None:
    assert relative_evidence({"a": 1.0}, []) == []
    assert as_matrix([]).shape == (0, len(FEATURES))


def test_evidence_becomes_columns_by_name() -> None:
    evidence = [Evidence(sentence=1.0, exclusive=3.0), Evidence(held=2.0)]
    assert as_matrix(evidence).shape == (2, len(FEATURES))
    assert as_matrix(evidence, ("exclusive", "held")).tolist() == [[3.0, 0.0], [0.0, 2.0]]
    assert as_matrix(evidence[:1], ("sentence",)).tolist() == [[1.0]]


def test_wording_counts_the_question_phrases_a_sentence_repeats() -> None:
    question = analyze("What was Kennedy put off by?")
    said = "he was put off by the massive financial commitment".split()
    other = "kennedy was not sure about the cost".split()
    pairs, triples = wording(said, question)
    assert pairs > 0 and triples > 0
    assert wording(other, question)[1] == 0.0
    assert wording(said, question)[0] > wording(other, question)[0]


def test_wording_equals_counting_every_pair_and_triple_of_the_sentence() -> None:
    """Wording looks only from words that start a question pair; it must count what comparing
    every pair and triple of the sentence counts, repeats and sentence ends included."""
    question = analyze("Why did Kennedy cancel the lunar mission, and the lunar rover?")
    pairs, triples = question.wording
    vocabulary = ["did", "kennedy", "cancel", "the", "lunar", "mission", "rover", "and", "a"]
    rng = np.random.default_rng(5)
    for length in range(0, 12):
        for _ in range(40):
            said = [vocabulary[i] for i in rng.integers(0, len(vocabulary), size=length)]
            every = (
                len(pairs & set(zip(said, said[1:]))) / max(len(pairs), 1),
                len(triples & set(zip(said, said[1:], said[2:]))) / max(len(triples), 1),
            )
            assert wording(said, question) == every
