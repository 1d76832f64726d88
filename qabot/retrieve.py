"""Retrieval: the top-k passages for a question's terms, by BM25, behind one interface.

Two engines score the same terms with the same BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n +
0.5) / (n + 0.5)), as Lucene and tantivy define it), so their rankings agree:

- rank-bm25 for small corpora: every passage is scored in Python, its term lists live in memory;
- tantivy for large ones: an inverted index on disk, memory-mapped, that scores only the passages
  holding a query term.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

import numpy as np
from rank_bm25 import BM25Okapi

K1 = 1.2
B = 0.75
TERMS_FIELD = "terms"
PASSAGE_FIELD = "pid"
ARTICLE_FIELD = "article"


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float


class Retriever(Protocol):
    def search(self, query_terms: list[str], k: int) -> list[Hit]: ...

    def score(self, query_terms: list[str], passages: list[int]) -> list[tuple[int, float]]: ...

    def doc_freq(self, term: str) -> int: ...

    @property
    def passage_count(self) -> int: ...


def lucene_idf(n_docs: int, doc_freq: int) -> float:
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


class _LuceneOkapi(BM25Okapi):
    """rank-bm25's Okapi BM25 with Lucene's always-positive idf, the one tantivy uses."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.df = nd
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}


class RankBM25Retriever:
    """rank-bm25 over in-memory term lists; `ids` are the passage ids of the lists, in order."""

    def __init__(self, ids: np.ndarray, term_lists: list[list[str]]) -> None:
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row = {int(pid): row for row, pid in enumerate(self._ids)}
        self._bm25 = _LuceneOkapi(term_lists, k1=K1, b=B) if term_lists else None
        self._df: dict[str, int] = self._bm25.df if self._bm25 else {}

    @property
    def passage_count(self) -> int:
        return len(self._ids)

    def doc_freq(self, term: str) -> int:
        return self._df.get(term, 0)

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        if not query_terms or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(query_terms)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(top, key=lambda row: (-scores[row], row))
        return [Hit(int(self._ids[row]), float(scores[row])) for row in ranked if scores[row] > 0]

    def score(self, query_terms: list[str], passages: list[int]) -> list[tuple[int, float]]:
        """BM25 scores of the given passages only (to answer from a known passage)."""
        rows = [self._row[p] for p in passages if p in self._row]
        if not rows or not query_terms or self._bm25 is None:
            return [(p, 0.0) for p in passages]
        scores = self._bm25.get_batch_scores(query_terms, rows)
        return [(int(self._ids[row]), float(s)) for row, s in zip(rows, scores)]


class TantivyRetriever:
    """tantivy's BM25 over the same terms, from an index folder (memory-mapped by tantivy)."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self._tantivy = tantivy
        self._index = tantivy.Index.open(str(path))
        self._schema = self._index.schema
        self._searcher = self._index.searcher()

    @property
    def passage_count(self) -> int:
        return self._searcher.num_docs

    def doc_freq(self, term: str) -> int:
        return self._searcher.doc_freq(TERMS_FIELD, term)

    def _query(self, query_terms: list[str]):  # type: ignore[no-untyped-def]
        should = self._tantivy.Occur.Should
        clauses = [(should, self._tantivy.Query.term_query(self._schema, TERMS_FIELD, t)) for t in query_terms]
        return self._tantivy.Query.boolean_query(clauses)

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        if not query_terms:
            return []
        hits = self._hits(self._query(list(dict.fromkeys(query_terms))), k)
        return sorted(hits, key=lambda h: (-h.score, h.passage))

    def score(self, query_terms: list[str], passages: list[int]) -> list[tuple[int, float]]:
        if not passages or not query_terms:
            return [(p, 0.0) for p in passages]
        t = self._tantivy
        within = t.Query.term_set_query(self._schema, PASSAGE_FIELD, list(passages))
        query = t.Query.boolean_query([(t.Occur.Must, within), (t.Occur.Should, self._query(query_terms))])
        found = {h.passage: h.score for h in self._hits(query, len(passages))}
        return [(p, found.get(p, 0.0)) for p in passages]

    def _hits(self, query, k: int) -> Iterable[Hit]:  # type: ignore[no-untyped-def]
        for score, address in self._searcher.search(query, k).hits:
            yield Hit(int(self._searcher.doc(address)[PASSAGE_FIELD][0]), float(score))


def tantivy_schema():  # type: ignore[no-untyped-def]
    """Passage terms, already qabot's own tokens (space-separated), plus passage and article ids."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field(TERMS_FIELD, stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field(PASSAGE_FIELD, stored=True, indexed=True, fast=True)
    builder.add_unsigned_field(ARTICLE_FIELD, stored=False, indexed=True)
    return builder.build()
