"""Passage order after reading: the retrieved passages ranked again by their best sentence."""

from __future__ import annotations

from qabot.reader import Candidate
from qabot.engines import Hit


def rerank(hits: list[Hit], candidates: list[Candidate]) -> list[Hit]:
    """Passages holding a scored sentence, best sentence first, then the rest in BM25 order.

    BM25 sees a passage as a bag of words; the sentence scorer sees whether one sentence holds the
    question's words together, with the kind of answer asked for, which tells the passage that
    answers from one that only shares vocabulary. A passage keeps its BM25 score."""
    best: dict[int, float] = {}
    for candidate in candidates:
        if candidate.passage not in best or candidate.score > best[candidate.passage]:
            best[candidate.passage] = candidate.score
    bm25_rank = {hit.passage: rank for rank, hit in enumerate(hits)}
    read = sorted((hit for hit in hits if hit.passage in best), key=lambda h: (-best[h.passage], bm25_rank[h.passage]))
    return read + [hit for hit in hits if hit.passage not in best]
