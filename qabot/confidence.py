"""`confidence`: the probability that the first quote answers the question, from a logistic model
over the answerability signals (`qabot.answerability`), fitted by `bench/fit_confidence.py` and
shipped as package data. qabot abstains when it is below `min_confidence`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from qabot.answerability import SEMANTIC_SIGNALS, SIGNALS, Signals, as_matrix
from qabot.model_files import known_features, packaged_json

LEXICAL_MODEL = "confidence_model.json"
SEMANTIC_MODEL = "confidence_model_semantic.json"
"""The model for when the sentence encoder gives similarities too."""


@dataclass(frozen=True)
class ConfidenceModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    @property
    def semantic(self) -> bool:
        return not set(SEMANTIC_SIGNALS).isdisjoint(self.features)

    def probability_matrix(self, features: np.ndarray) -> np.ndarray:
        """P(right) for each row of features, in `self.features` order."""
        z = (features - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.weights + self.bias)))

    def probability(self, signals: Signals) -> float:
        return float(self.probability_matrix(as_matrix([signals], self.features))[0])

    @classmethod
    def from_model(cls, model: dict[str, Any]) -> ConfidenceModel:
        names = known_features(model, SIGNALS, "confidence model reads signals")
        array = {key: np.asarray(model[key], dtype=float) for key in ("mean", "scale", "weights")}
        return cls(names, array["mean"], array["scale"], array["weights"], float(model["bias"]))

    def to_model(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "weights": self.weights.tolist(), "bias": self.bias,
        }


@cache
def packaged_model(semantic: bool = False) -> ConfidenceModel:
    """The shipped model (with or without the similarity signals), read once per process."""
    name = SEMANTIC_MODEL if semantic else LEXICAL_MODEL
    return ConfidenceModel.from_model(packaged_json(name))
