"""The sentence scorer: one number per candidate sentence from its evidence.

A score is a linear term plus an optional hidden layer of tanh units, so that evidence can count
differently together than alone; the shipped model has no hidden units (`bench/fit_scorer.py`
says why). The candidates of one question are compared by score only: the model is a conditional
logit, trained so that the softmax over a question's candidates puts its mass on the sentences
that hold the answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

MODEL_FILE = "sentence_model.json"
"""The trained parameters, shipped inside the package; `bench/fit_scorer.py` writes them."""


@dataclass(frozen=True)
class SentenceScorer:
    linear: np.ndarray
    hidden: np.ndarray
    """Feature -> hidden unit weights, shape (features, units)."""
    bias: np.ndarray
    output: np.ndarray
    """Hidden unit -> score weights."""

    def score(self, features: np.ndarray) -> np.ndarray:
        """One score per row of `features`; higher is likelier to hold the answer."""
        if not len(features):
            return np.zeros(0)
        return features @ self.linear + np.tanh(features @ self.hidden + self.bias) @ self.output

    @classmethod
    def from_parameters(cls, parameters: dict[str, list]) -> SentenceScorer:
        return cls(**{name: np.asarray(values, dtype=float) for name, values in parameters.items()})

    def parameters(self) -> dict[str, list]:
        return {name: getattr(self, name).tolist() for name in ("linear", "hidden", "bias", "output")}


@cache
def packaged_scorer() -> SentenceScorer:
    """The scorer trained on the tuning half of SQuAD v1.1 dev, read once per process."""
    text = resources.files("qabot").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return SentenceScorer.from_parameters(json.loads(text)["parameters"])
