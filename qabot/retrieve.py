"""Retrieval: the top-k passages for a question's terms, by BM25 (rank-bm25's Okapi)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float


class BM25Retriever:
    """rank-bm25 over passage terms; scores every passage, which is fast enough for small corpora."""

    def __init__(self, passage_terms: list[list[str]]) -> None:
        self._bm25 = BM25Okapi(passage_terms)

    def score(self, query_terms: list[str], passages: list[int]) -> list[tuple[int, float]]:
        """BM25 scores of the given passages only (to answer from a known passage)."""
        if not passages or not query_terms:
            return [(p, 0.0) for p in passages]
        scores = self._bm25.get_batch_scores(query_terms, passages)
        return [(p, float(s)) for p, s in zip(passages, scores)]

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        if not query_terms:
            return []
        scores = self._bm25.get_scores(query_terms)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(top, key=lambda i: (-scores[i], i))
        return [Hit(int(i), float(scores[i])) for i in ranked if scores[i] > 0]
