"""What every BM25 engine shares: the hit it returns, the scoring constants, the protocol.

Engines score qabot's own terms with one BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) /
(n + 0.5)), as Lucene and tantivy define it), so their rankings agree. Each engine keeps its data
in the index folder under the generation the manifest names, and checks it when opened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable, Protocol

import numpy as np
from pydantic import BaseModel

K1 = 1.2
B = 0.75


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float


@dataclass(frozen=True)
class PassageBatch:
    """Some passages, in order: the article record number of each (what an update retires
    passages by) and each one's terms, space-separated."""

    articles: list[int]
    terms: list[str]


@dataclass(frozen=True)
class NewPassages:
    """Passages a build or update adds to an engine: ids from `first` on, in order, as a stream of
    batches read once, so that a large build never holds every passage's terms at once."""

    first: int
    batches: Iterable[PassageBatch]


class EngineState(BaseModel):
    """What an engine keeps in the index folder, recorded in the manifest: files (with their
    committed sizes), folders, and the number of documents it must hold when opened."""

    files: dict[str, int] = {}
    folders: list[str] = []
    docs: int = 0


def lucene_idf(n_docs: int, doc_freq: int) -> float:
    """Always positive, unlike Robertson's idf, so a term in most passages still counts a little."""
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


class Engine(Protocol):
    """A BM25 engine: built and updated as part of an index generation, opened, searched."""

    name: ClassVar[str]

    @classmethod
    def build(cls, folder: Path, tag: str, added: NewPassages) -> EngineState:
        """Write the engine's data for a whole corpus, in files named with `tag`."""
        ...

    @classmethod
    def update(cls, folder: Path, tag: str, state: EngineState, retired: list[int], added: NewPassages) -> EngineState:
        """The data of `state`, less the passages of the retired articles, plus `added`, without
        changing anything `state` names that a reader of it would see."""
        ...

    @classmethod
    def open(cls, folder: Path, state: EngineState, live: np.ndarray) -> Engine:
        """The engine over the data `state` names; raises IndexDamaged when it is not all there.
        `live` holds the ids of the passages of live article versions."""
        ...

    @property
    def passage_count(self) -> int: ...

    def doc_freq(self, term: str) -> int: ...

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        """The top `k` passages holding a query term, best first."""
        ...

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        """BM25 scores of the given passages only (to answer from known passages)."""
        ...
