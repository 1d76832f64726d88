"""The pipeline stages the sentence encoder adds: retrieval by words and by meaning fused, and the
question's similarity to each candidate as evidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from qabot.engines import Hit
from qabot.pipeline import Flow, Searcher
from qabot.semantic.space import SentenceSpace

RRF_K = 60
"""Reciprocal-rank fusion's constant (Cormack et al., 2009): a passage's fused score is the sum of
1 / (RRF_K + rank) over the rankings it is in."""
DEPTH = 4
"""Each ranking contributes its top `DEPTH * top_k` passages to the fusion."""
SPREAD_FLOOR = 0.05
"""Added to the cosines' standard deviation, so that candidates all about as near the question do
not look far apart."""


def fuse(rankings: Sequence[Sequence[int]], k: int) -> list[int]:
    """The top `k` items of several rankings by reciprocal-rank fusion (ties: first seen first)."""
    score: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            score[item] = score.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(score, key=lambda item: -score[item])[:k]


def standings(cosines: Sequence[float | None]) -> list[float]:
    """Each encoded candidate's cosine in standard deviations above the encoded candidates' mean (the
    deviation plus `SPREAD_FLOOR`), 0 for the others."""
    known = np.array([c for c in cosines if c is not None], dtype=float)
    if not len(known):
        return [0.0] * len(cosines)
    mean, spread = float(known.mean()), float(known.std()) + SPREAD_FLOOR
    return [0.0 if c is None else (c - mean) / spread for c in cosines]


@dataclass(frozen=True)
class HybridRetrieve:
    """The top `top_k` passages by BM25 and by the nearest sentence's meaning, fused; each keeps
    its BM25 score (0 for one that only meaning found), which reading weighs."""

    engine: Searcher
    space: SentenceSpace
    top_k: int

    def __call__(self, flow: Flow) -> Flow:
        question = self.space.question(flow.asked or flow.question.text)
        terms = list(flow.question.terms)
        lexical = [hit.passage for hit in self.engine.search(terms, DEPTH * self.top_k)]
        chosen = fuse([lexical, self.space.passages(question, DEPTH * self.top_k)], self.top_k)
        bm25 = {hit.passage: hit.score for hit in self.engine.score(terms, chosen)} if terms else {}
        return replace(flow, hits=[Hit(p, bm25.get(p, 0.0)) for p in chosen], question_vector=question)


@dataclass(frozen=True)
class Compare:
    """Each candidate's cosine with the question and its standing among the candidates', as
    evidence (candidates left unencoded keep 0 for both)."""

    space: SentenceSpace

    def __call__(self, flow: Flow) -> Flow:
        question = flow.question_vector
        if question is None:
            question = self.space.question(flow.asked or flow.question.text)
        found = self.space.similarities(question, flow.candidates)
        candidates = [
            c if cosine is None else replace(c, evidence=replace(c.evidence, similarity=cosine, similarity_z=z))
            for c, cosine, z in zip(flow.candidates, found, standings(found))
        ]
        return replace(flow, candidates=candidates, question_vector=question)
