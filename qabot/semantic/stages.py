"""The pipeline stages the sentence encoder adds: retrieval by words and by meaning fused, and the
question's similarity to each candidate as evidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from qabot.engines import Hit
from qabot.pipeline import Flow, Searcher
from qabot.semantic.space import SentenceSpace

RRF_K = 60
"""Reciprocal-rank fusion's constant (Cormack et al., 2009): a passage's fused score is the sum of
1 / (RRF_K + rank) over the rankings it is in."""
DEPTH = 4
"""Each ranking contributes its top `DEPTH * top_k` passages to the fusion."""


def fuse(rankings: Sequence[Sequence[int]], k: int) -> list[int]:
    """The top `k` items of several rankings by reciprocal-rank fusion (ties: first seen first)."""
    score: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            score[item] = score.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(score, key=lambda item: -score[item])[:k]


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
    """Each candidate's cosine with the question, as evidence (candidates left unencoded keep 0)."""

    space: SentenceSpace

    def __call__(self, flow: Flow) -> Flow:
        question = flow.question_vector
        if question is None:
            question = self.space.question(flow.asked or flow.question.text)
        found = self.space.similarities(question, flow.candidates)
        candidates = [
            c if cosine is None else replace(c, evidence=replace(c.evidence, similarity=cosine))
            for c, cosine in zip(flow.candidates, found)
        ]
        return replace(flow, candidates=candidates, question_vector=question)
