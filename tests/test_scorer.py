import json
from importlib import resources

import numpy as np

import pytest

from qabot.evidence import FEATURES, Evidence
from qabot.scorer import MODEL_FILE, SentenceScorer, packaged_scorer


def _scorer(units: int = 2) -> SentenceScorer:
    n = 3
    return SentenceScorer(
        features=("sentence", "held", "missing"),
        linear=np.array([1.0, -1.0, 0.0]),
        hidden=np.ones((n, units)),
        bias=np.zeros(units),
        output=np.full(units, 0.5),
    )


def test_the_packaged_model_reads_evidence_the_reader_gives() -> None:
    model = json.loads(resources.files("qabot").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    assert set(model["features"]) <= set(FEATURES)
    scorer = packaged_scorer()
    assert scorer.features == tuple(model["features"])
    n = len(scorer.features)
    assert scorer.linear.shape == (n,)
    assert scorer.hidden.shape[0] == n and scorer.hidden.shape[1] == scorer.bias.shape[0] == scorer.output.shape[0]


def test_score_is_linear_plus_a_tanh_layer() -> None:
    z = np.array([[1.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    x = z
    expected = z @ np.array([1.0, -1.0, 0.0]) + np.tanh(z.sum(axis=1, keepdims=True)).repeat(2, axis=1) @ np.full(2, 0.5)
    assert np.allclose(_scorer().score_matrix(x), expected)


def test_evidence_is_read_by_name() -> None:
    evidence = [Evidence(sentence=1.0, held=1.0, missing=2.0, length=9.0), Evidence()]
    assert np.allclose(_scorer().score(evidence), _scorer().score_matrix(np.array([[1.0, 1.0, 2.0], [0.0, 0.0, 0.0]])))


def test_a_model_reading_unknown_evidence_is_refused() -> None:
    with pytest.raises(ValueError, match="does not give"):
        SentenceScorer.from_model({"features": ["sentence", "astrology"], "parameters": {}})


def test_no_candidates_no_scores() -> None:
    assert _scorer().score([]).shape == (0,)


def test_parameters_round_trip() -> None:
    scorer = _scorer()
    model = {"features": list(scorer.features), "parameters": scorer.parameters()}
    again = SentenceScorer.from_model(json.loads(json.dumps(model)))
    x = np.random.default_rng(1).normal(size=(5, 3))
    assert np.allclose(scorer.score_matrix(x), again.score_matrix(x))


def test_the_packaged_model_prefers_a_sentence_holding_the_question() -> None:
    strong = Evidence(sentence=1.0, held=1.0, local=1.0, focused=1.0, confidence=1.0)
    weak = Evidence(missing=2.0)
    scores = packaged_scorer().score([strong, weak])
    assert scores[0] > scores[1]
