"""The sentence scorer: one number per candidate sentence from its evidence.

A score is a linear term plus an optional hidden layer of tanh units, so that evidence can count
differently together than alone; the shipped model has no hidden units (`bench/fit_scorer.py`
says why). The candidates of one question are compared by score only: the model is a conditional
logit, trained so that the softmax over a question's candidates puts its mass on the sentences
that hold the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Sequence

import numpy as np

from qabot.evidence import FEATURES, Evidence, as_matrix
from qabot.model_files import known_features, packaged_json

MODEL_FILE = "sentence_model.json"
"""The trained parameters, shipped inside the package; `bench/fit_scorer.py` writes them."""
SEMANTIC_MODEL_FILE = "sentence_model_semantic.json"
"""The model that reads the sentence encoder's similarity too (`bench/fit_scorer.py --semantic`)."""


@dataclass(frozen=True)
class SentenceScorer:
    features: tuple[str, ...]
    """The evidence it reads, by name, in the order of its weights."""
    linear: np.ndarray
    hidden: np.ndarray
    """Feature -> hidden unit weights, shape (features, units)."""
    bias: np.ndarray
    output: np.ndarray
    """Hidden unit -> score weights."""

    def score_matrix(self, features: np.ndarray) -> np.ndarray:
        """One score per row of features (in `self.features` order); higher is likelier to hold the answer."""
        if not len(features):
            return np.zeros(0)
        return features @ self.linear + np.tanh(features @ self.hidden + self.bias) @ self.output

    def score(self, evidence: Sequence[Evidence]) -> np.ndarray:
        return self.score_matrix(as_matrix(evidence, self.features))

    @classmethod
    def from_model(cls, model: dict) -> SentenceScorer:
        """From the JSON the fitting script writes: the feature names and the parameters."""
        names = known_features(model, FEATURES, "sentence model reads evidence")
        parameters = {name: np.asarray(values, dtype=float) for name, values in model["parameters"].items()}
        return cls(features=names, **parameters)

    def parameters(self) -> dict[str, list]:
        return {name: getattr(self, name).tolist() for name in ("linear", "hidden", "bias", "output")}


@cache
def packaged_scorer(semantic: bool = False) -> SentenceScorer:
    """The scorer trained on the tuning half of SQuAD v1.1 dev, read once per process."""
    return SentenceScorer.from_model(packaged_json(SEMANTIC_MODEL_FILE if semantic else MODEL_FILE))
