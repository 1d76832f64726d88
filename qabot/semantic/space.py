"""The index's sentences as unit vectors: stored ones (for corpora small enough), or encoded when
first needed and kept in a bounded cache; cosines with a question, for passages and candidates."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol, Sequence

import numpy as np

from qabot.passages import Passage
from qabot.reader import Candidate
from qabot.semantic.encoder import SentenceEncoder

CACHE_SENTENCES = 20_000
"""Sentence vectors kept for corpora without stored ones (1.5 KB each)."""
ENCODED_CANDIDATES = 8
"""Without stored vectors, how many candidates (those holding most of the question) are encoded
per question: encoding is the costly part, a few milliseconds a sentence."""


class Sentences(Protocol):
    """What the space needs from an index."""

    vectors: np.ndarray | None

    @property
    def live_passages(self) -> np.ndarray: ...

    @property
    def passage_firsts(self) -> np.ndarray: ...

    def sentence_rows(self, pid: int) -> range: ...

    def passage(self, pid: int) -> Passage: ...


class SentenceSpace:
    def __init__(self, encoder: SentenceEncoder, index: Sentences) -> None:
        self.encoder = encoder
        self.index = index
        self._cache: OrderedDict[tuple[str, int, str], np.ndarray] = OrderedDict()

    @property
    def stored(self) -> bool:
        """Whether every sentence has a stored vector (and passages can be ranked by meaning)."""
        return self.index.vectors is not None

    def question(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def passages(self, question: np.ndarray, k: int) -> list[int]:
        """The live passages whose best sentence is nearest the question, nearest first."""
        vectors = self.index.vectors
        if vectors is None or not len(vectors):
            return []
        cosines = np.asarray(vectors, dtype=np.float32) @ question
        firsts = self.index.passage_firsts
        best = np.maximum.reduceat(cosines, firsts) if len(firsts) else np.zeros(0)
        best[~self.index.live_passages] = -np.inf
        k = min(k, int(self.index.live_passages.sum()))
        if k <= 0:
            return []
        top = np.argpartition(-best, k - 1)[:k]
        return [int(p) for p in sorted(top, key=lambda p: (-best[p], p))]

    def similarities(self, question: np.ndarray, candidates: Sequence[Candidate]) -> list[float | None]:
        """Each candidate's cosine with the question; None for those left unencoded (large
        corpora encode only the candidates that hold most of the question)."""
        vectors = self.index.vectors
        if vectors is not None:
            return [float(np.asarray(vectors[self._row(c)], dtype=np.float32) @ question) for c in candidates]
        chosen = sorted(range(len(candidates)), key=lambda i: -candidates[i].evidence.confidence)[:ENCODED_CANDIDATES]
        found: list[float | None] = [None] * len(candidates)
        for i, vector in zip(chosen, self._encoded([candidates[i] for i in chosen])):
            found[i] = float(vector @ question)
        return found

    def _row(self, candidate: Candidate) -> int:
        passage = self.index.passage(candidate.passage)
        position = next(i for i, s in enumerate(passage.sentences) if s.start == candidate.sentence.start)
        return self.index.sentence_rows(candidate.passage)[position]

    def _encoded(self, candidates: list[Candidate]) -> list[np.ndarray]:
        keys = [(c.doc_id, c.sentence.start, c.text) for c in candidates]
        missing = [key for key in dict.fromkeys(keys) if key not in self._cache]
        for key, vector in zip(missing, self.encoder.encode([key[2] for key in missing])):
            self._cache[key] = vector
        for key in keys:
            self._cache.move_to_end(key)
        vectors = [self._cache[key] for key in keys]
        while len(self._cache) > CACHE_SENTENCES:
            self._cache.popitem(last=False)
        return vectors
