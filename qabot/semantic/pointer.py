"""Where the short answer starts and ends, as the sentence encoder reads it: the question and the
sentence encoded together (BERT's sentence pair), then a linear pointer over the sentence's token
vectors, one weight vector for starts and one for ends, fitted by `bench/fit_pointer.py` on SQuAD
v1.1's tuning half (`span_pointer.json`).

The span model (`qabot.span`) reads words and where they stand; the pointer reads meaning. Its
log-probabilities, weighed by `blend`, are added to the span model's score of each span: a second
opinion, never a span of its own. The weights belong to one model (`model_sha256`): with any other
encoder there is no pointer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from qabot.model_files import packaged_json
from qabot.semantic.encoder import SentenceEncoder

POINTER_FILE = "span_pointer.json"


@dataclass(frozen=True)
class PointerWeights:
    start: np.ndarray
    end: np.ndarray
    blend: float
    """How much the pointer's log-probabilities count beside the span model's score."""
    model_sha256: str
    """The encoder whose token vectors the weights read."""

    @classmethod
    def from_model(cls, model: dict[str, Any]) -> PointerWeights:
        start, end = (np.asarray(model[key], dtype=np.float32) for key in ("start", "end"))
        if start.shape != end.shape or start.ndim != 1:
            raise ValueError("the span pointer needs one start and one end weight per dimension")
        return cls(start, end, float(model["blend"]), str(model["model_sha256"]))

    def to_model(self) -> dict[str, Any]:
        return {
            "start": self.start.tolist(), "end": self.end.tolist(), "blend": self.blend, "model_sha256": self.model_sha256,
        }


def _log_softmax(values: np.ndarray) -> np.ndarray:
    shifted = values - values.max()
    return shifted - np.log(np.exp(shifted).sum())


@dataclass(frozen=True)
class EdgeOpinion:
    """The pointer's opinion of one sentence's spans: what to add to a span's score."""

    token_starts: np.ndarray
    token_ends: np.ndarray
    """Each token's character offsets in the sentence."""
    start_scores: np.ndarray
    end_scores: np.ndarray
    """Weighed log-probabilities that the answer starts (ends) at each token."""

    def __call__(self, start: int, end: int) -> float:
        """The span's start at the token it begins in, its end at the token it ends in."""
        last = len(self.token_starts) - 1
        first_token = min(max(int(np.searchsorted(self.token_starts, start, side="right")) - 1, 0), last)
        last_token = min(max(int(np.searchsorted(self.token_ends, end, side="left")), 0), last)
        return float(self.start_scores[first_token] + self.end_scores[last_token])


def opinion(states: np.ndarray, offsets: list[tuple[int, int]], weights: PointerWeights) -> EdgeOpinion | None:
    """The opinion from a sentence's token vectors (None for a sentence of no tokens)."""
    if not len(offsets):
        return None
    starts = np.array([a for a, _ in offsets])
    ends = np.array([b for _, b in offsets])
    return EdgeOpinion(
        starts, ends,
        weights.blend * _log_softmax(states @ weights.start), weights.blend * _log_softmax(states @ weights.end),
    )


class SpanPointer:
    """The encoder and the pointer's weights: `judge` is what `qabot.span.best_span` asks."""

    def __init__(self, encoder: SentenceEncoder, weights: PointerWeights) -> None:
        self.encoder = encoder
        self.weights = weights

    def judge(self, question: str, sentence: str) -> EdgeOpinion | None:
        states, offsets = self.encoder.pair_states(question, sentence)
        return opinion(states, offsets, self.weights)

    @classmethod
    def packaged(cls, encoder: SentenceEncoder) -> SpanPointer | None:
        """The shipped pointer, if its weights are for this encoder."""
        weights = packaged_weights()
        if weights.model_sha256 != encoder.sha256 or len(weights.start) != encoder.dimensions:
            return None
        return cls(encoder, weights)


@cache
def packaged_weights() -> PointerWeights:
    return PointerWeights.from_model(packaged_json(POINTER_FILE))
