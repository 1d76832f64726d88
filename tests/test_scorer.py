import json
from importlib import resources

import numpy as np

from qabot.extract import FEATURES
from qabot.scorer import MODEL_FILE, SentenceScorer, packaged_scorer


def _scorer(units: int = 2) -> SentenceScorer:
    n = 3
    return SentenceScorer(
        linear=np.array([1.0, -1.0, 0.0]),
        hidden=np.ones((n, units)),
        bias=np.zeros(units),
        output=np.full(units, 0.5),
    )


def test_the_packaged_model_reads_the_features_the_extractor_gives() -> None:
    model = json.loads(resources.files("qabot").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    assert model["features"] == list(FEATURES)
    scorer = packaged_scorer()
    n = len(FEATURES)
    assert scorer.linear.shape == (n,)
    assert scorer.hidden.shape[0] == n and scorer.hidden.shape[1] == scorer.bias.shape[0] == scorer.output.shape[0]


def test_score_is_linear_plus_a_tanh_layer() -> None:
    z = np.array([[1.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    x = z
    expected = z @ np.array([1.0, -1.0, 0.0]) + np.tanh(z.sum(axis=1, keepdims=True)).repeat(2, axis=1) @ np.full(2, 0.5)
    assert np.allclose(_scorer().score(x), expected)


def test_no_candidates_no_scores() -> None:
    assert _scorer().score(np.zeros((0, 3))).shape == (0,)


def test_parameters_round_trip() -> None:
    scorer = _scorer()
    again = SentenceScorer.from_parameters(json.loads(json.dumps(scorer.parameters())))
    x = np.random.default_rng(1).normal(size=(5, 3))
    assert np.allclose(scorer.score(x), again.score(x))


def test_the_packaged_model_prefers_a_sentence_holding_the_question() -> None:
    scorer = packaged_scorer()
    weak = np.zeros(len(FEATURES))
    strong = weak.copy()
    for name in ("sentence", "held", "local", "focused", "confidence"):
        strong[FEATURES.index(name)] = 1.0
    weak[FEATURES.index("missing")] = 2.0
    assert scorer.score(np.array([strong]))[0] > scorer.score(np.array([weak]))[0]
