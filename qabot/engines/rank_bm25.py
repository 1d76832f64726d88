"""rank-bm25 for small corpora: every passage's terms held in memory, and only the passages that
hold a query term scored (through postings built when the index opens), by rank-bm25 itself.

On disk: `terms.<generation>.txt`, one passage's terms a line, retired passages included (their
lines are skipped when loading), so an update only appends lines; the manifest records how many
bytes of it are committed.
"""

from __future__ import annotations

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


def _postings(doc_freqs: list[dict[str, int]]) -> dict[str, np.ndarray]:
    """Each term's rows (passages in load order), ascending."""
    rows: dict[str, list[int]] = {}
    for row, frequencies in enumerate(doc_freqs):
        for term in frequencies:
            rows.setdefault(term, []).append(row)
    return {term: np.asarray(found, dtype=np.int64) for term, found in rows.items()}


class RankBM25Engine:
    """rank-bm25 over in-memory term lists; `ids` are the passage ids of the lists, in order."""

    name: ClassVar[str] = "rank-bm25"

    def __init__(self, ids: np.ndarray, term_lists: list[list[str]]) -> None:
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row = {int(pid): row for row, pid in enumerate(self._ids)}
        self._bm25 = _LuceneOkapi(term_lists, k1=K1, b=B) if term_lists else None
        self._df: dict[str, int] = self._bm25.df if self._bm25 else {}
        self._postings = _postings(self._bm25.doc_freqs) if self._bm25 else {}

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
        a hit, so only the passages in the terms' postings are scored: the same scores, computed
        by the same formula element by element, as scoring every passage (`get_scores`); ties go to
        the earlier passage."""
        if not query_terms or self._bm25 is None:
            return []
        found = [self._postings[term] for term in set(query_terms) if term in self._postings]
        if not found:
            return []
        rows = np.unique(np.concatenate(found)) if len(found) > 1 else found[0]
        scores = np.asarray(self._bm25.get_batch_scores(query_terms, rows.tolist()))
        ranked = np.lexsort((rows, -scores))[:k]
        return [Hit(int(self._ids[rows[at]]), float(scores[at])) for at in ranked if scores[at] > 0]

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        rows = [self._row[p] for p in passages if p in self._row]
        if not rows or not query_terms or self._bm25 is None:
            return [Hit(p, 0.0) for p in passages]
        scores = self._bm25.get_batch_scores(query_terms, rows)
        return [Hit(int(self._ids[row]), float(s)) for row, s in zip(rows, scores)]
