"""rank-bm25 for small corpora: every passage's terms held in memory, and only the passages that
hold a query term scored (through postings built when the index opens), with rank-bm25's own
statistics and its formula, step for step.

On disk: `terms.<generation>.txt`, one passage's terms a line, retired passages included (their
lines are skipped when loading), so an update only appends lines; the manifest records how many
bytes of it are committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from rank_bm25 import BM25Okapi

from qabot.engines.base import B, K1, EngineState, Hit, NewPassages, lucene_idf
from qabot.errors import IndexDamaged
from qabot.storage import append_bytes

DAMAGED = "index file is damaged"


class _LuceneOkapi(BM25Okapi):
    """rank-bm25's Okapi BM25 with Lucene's always-positive idf, the one tantivy uses."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.df = nd
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}


def _encoded(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _appended(folder: Path, name: str, size: int, docs: int, added: NewPassages) -> EngineState:
    """The terms file with the added passages' lines after its first `size` bytes, batch by batch."""
    for batch in added.batches:
        size = append_bytes(folder / name, size, _encoded(batch.terms))
        docs += len(batch.terms)
    return EngineState(files={name: size}, docs=docs)


def _committed_lines(folder: Path, state: EngineState) -> list[str]:
    """The committed terms lines, one a passage; IndexDamaged when they are not all there."""
    if len(state.files) != 1:
        raise IndexDamaged(DAMAGED)
    [(name, size)] = state.files.items()
    try:
        with open(folder / name, "rb") as handle:
            data = handle.read(size)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise IndexDamaged(DAMAGED) from None
    lines = text.split("\n")
    if len(data) != size or lines[-1] != "" or len(lines) - 1 != state.docs:
        raise IndexDamaged(DAMAGED)
    return lines[:-1]


@dataclass(frozen=True)
class _Postings:
    """A term's rows (passages in load order), ascending, and how often it stands in each."""

    rows: np.ndarray
    counts: np.ndarray


def _postings(doc_freqs: list[dict[str, int]]) -> dict[str, _Postings]:
    rows: dict[str, list[int]] = {}
    counts: dict[str, list[int]] = {}
    for row, frequencies in enumerate(doc_freqs):
        for term, count in frequencies.items():
            rows.setdefault(term, []).append(row)
            counts.setdefault(term, []).append(count)
    return {term: _Postings(np.asarray(found, dtype=np.int64), np.asarray(counts[term], dtype=np.int64)) for term, found in rows.items()}


class RankBM25Engine:
    """rank-bm25 over in-memory term lists; `ids` are the passage ids of the lists, in order."""

    name: ClassVar[str] = "rank-bm25"

    def __init__(self, ids: np.ndarray, term_lists: list[list[str]]) -> None:
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row = {int(pid): row for row, pid in enumerate(self._ids)}
        self._bm25 = _LuceneOkapi(term_lists, k1=K1, b=B) if term_lists else None
        self._df: dict[str, int] = self._bm25.df if self._bm25 else {}
        self._postings = _postings(self._bm25.doc_freqs) if self._bm25 else {}
        self._length_norm = np.zeros(0)
        if self._bm25 is not None:
            bm25 = self._bm25
            # avgdl is 0 only when no passage holds a term: then no postings read these values.
            average = bm25.avgdl or 1.0
            self._length_norm = bm25.k1 * (1 - bm25.b + bm25.b * np.asarray(bm25.doc_len, dtype=np.int64) / average)

    @classmethod
    def build(cls, folder: Path, tag: str, added: NewPassages) -> EngineState:
        return _appended(folder, f"terms.{tag}.txt", 0, 0, added)

    @classmethod
    def update(cls, folder: Path, tag: str, state: EngineState, retired: list[int], added: NewPassages) -> EngineState:
        """Retired passages keep their lines (loading skips them); new ones are appended."""
        if len(state.files) != 1 or state.docs != added.first:
            raise IndexDamaged(DAMAGED)
        [(name, size)] = state.files.items()
        return _appended(folder, name, size, state.docs, added)

    @classmethod
    def open(cls, folder: Path, state: EngineState, live: np.ndarray) -> RankBM25Engine:
        lines = _committed_lines(folder, state)
        return cls(live, [lines[i].split() for i in live])

    @property
    def passage_count(self) -> int:
        return len(self._ids)

    def doc_freq(self, term: str) -> int:
        return self._df.get(term, 0)

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        """The top `k` by rank-bm25's scores. A passage holding no query term scores 0 and is never
        a hit, so only the passages in the terms' postings are scored: the same scores as scoring
        every passage (`get_scores`); ties go to the earlier passage."""
        if not query_terms or self._bm25 is None:
            return []
        scores = self._scores(query_terms)
        rows = np.flatnonzero(scores)
        ranked = rows[np.lexsort((rows, -scores[rows]))[:k]]
        return [Hit(int(self._ids[row]), float(scores[row])) for row in ranked]

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        rows = [self._row[p] for p in passages if p in self._row]
        if not rows or not query_terms or self._bm25 is None:
            return [Hit(p, 0.0) for p in passages]
        scores = self._scores(query_terms)
        return [Hit(int(self._ids[row]), float(scores[row])) for row in rows]

    def _scores(self, query_terms: list[str]) -> np.ndarray:
        """rank-bm25's `get_scores`, its arithmetic step for step (so its very floats), computed
        only where a term's postings stand: a term a passage lacks adds exactly 0 there, so adding
        each term's share to its own passages, term by term in the query's order, gives the same
        sums. rank-bm25 instead looks every passage up in a dict per term."""
        bm25 = self._bm25
        assert bm25 is not None
        score = np.zeros(len(self._ids))
        for term in query_terms:
            held = self._postings.get(term)
            if held is not None:
                q_freq = held.counts
                share = bm25.idf[term] * (q_freq * (bm25.k1 + 1) / (q_freq + self._length_norm[held.rows]))
                score[held.rows] += share
        return score
