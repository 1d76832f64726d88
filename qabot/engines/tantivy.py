"""tantivy for large corpora: an inverted index on disk that scores only the passages holding a
query term, milliseconds at a million passages.

On disk: `tantivy.<tag>/`, a folder per build or update. An update starts its folder as hard links
to the previous one's files (tantivy never changes a segment file once written: it writes new ones
and replaces its small `meta.json`), so the folder the manifest names stays intact until the
manifest naming the new one is written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, ClassVar, Iterator

import numpy as np
import tantivy

from qabot.engines.base import EngineState, Hit, NewPassages
from qabot.errors import IndexDamaged

TERMS_FIELD = "terms"
PASSAGE_FIELD = "pid"
ARTICLE_FIELD = "article"
WRITER_HEAP_BYTES = 256_000_000


def tantivy_schema() -> tantivy.Schema:
    """Passage terms, already qabot's own tokens (space-separated), plus passage and article ids."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(TERMS_FIELD, stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field(PASSAGE_FIELD, stored=True, indexed=True, fast=True)
    builder.add_unsigned_field(ARTICLE_FIELD, stored=False, indexed=True)
    return builder.build()


def _writer(index: tantivy.Index) -> Any:
    return index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=min(2, os.cpu_count() or 1))


def _add(writer: Any, added: NewPassages) -> None:
    pid = added.first
    for batch in added.batches:
        for article, joined in zip(batch.articles, batch.terms):
            doc = tantivy.Document()
            doc.add_text(TERMS_FIELD, joined)
            doc.add_unsigned(PASSAGE_FIELD, pid)
            doc.add_unsigned(ARTICLE_FIELD, article)
            writer.add_document(doc)
            pid += 1


def _commit(writer: Any, path: Path) -> int:
    writer.commit()
    writer.wait_merging_threads()
    return int(tantivy.Index.open(str(path)).searcher().num_docs)


def _link_copy(source: Path, target: Path) -> None:
    """`target` as a copy of `source` made of hard links (a plain copy where links are refused)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_file():
            try:
                os.link(item, target / item.name)
            except OSError:
                shutil.copy2(item, target / item.name)


class TantivyEngine:
    """tantivy's BM25 over qabot's terms, from one generation's folder (memory-mapped by tantivy)."""

    name: ClassVar[str] = "tantivy"

    def __init__(self, path: Path) -> None:
        self._index = tantivy.Index.open(str(path))
        self._schema = self._index.schema
        self._searcher = self._index.searcher()

    @classmethod
    def build(cls, folder: Path, tag: str, added: NewPassages) -> EngineState:
        name = f"tantivy.{tag}"
        shutil.rmtree(folder / name, ignore_errors=True)
        (folder / name).mkdir(parents=True)
        writer = _writer(tantivy.Index(tantivy_schema(), path=str(folder / name)))
        _add(writer, added)
        return EngineState(folders=[name], docs=_commit(writer, folder / name))

    @classmethod
    def update(cls, folder: Path, tag: str, state: EngineState, retired: list[int], added: NewPassages) -> EngineState:
        if len(state.folders) != 1:
            raise IndexDamaged("index file is damaged")
        name = f"tantivy.{tag}"
        _link_copy(folder / state.folders[0], folder / name)
        writer = _writer(tantivy.Index.open(str(folder / name)))
        schema = tantivy_schema()
        for article in retired:
            writer.delete_documents_by_query(tantivy.Query.term_query(schema, ARTICLE_FIELD, article))
        _add(writer, added)
        return EngineState(folders=[name], docs=_commit(writer, folder / name))

    @classmethod
    def open(cls, folder: Path, state: EngineState, live: np.ndarray) -> TantivyEngine:
        if len(state.folders) != 1:
            raise IndexDamaged("index file is damaged")
        try:
            engine = cls(folder / state.folders[0])
        except (OSError, ValueError):
            raise IndexDamaged("index file is damaged") from None
        if engine.passage_count != state.docs:
            raise IndexDamaged("index file is damaged")
        return engine

    @property
    def passage_count(self) -> int:
        return int(self._searcher.num_docs)

    def doc_freq(self, term: str) -> int:
        return int(self._searcher.doc_freq(TERMS_FIELD, term))

    def _query(self, query_terms: list[str]) -> tantivy.Query:
        should = tantivy.Occur.Should
        clauses = [(should, tantivy.Query.term_query(self._schema, TERMS_FIELD, t)) for t in query_terms]
        return tantivy.Query.boolean_query(clauses)

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        if not query_terms:
            return []
        hits = self._hits(self._query(list(dict.fromkeys(query_terms))), k)
        return sorted(hits, key=lambda h: (-h.score, h.passage))

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        if not passages or not query_terms:
            return [Hit(p, 0.0) for p in passages]
        within = tantivy.Query.term_set_query(self._schema, PASSAGE_FIELD, list(passages))
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, within), (tantivy.Occur.Should, self._query(query_terms))]
        )
        found = {h.passage: h.score for h in self._hits(query, len(passages))}
        return [Hit(p, found.get(p, 0.0)) for p in passages]

    def _hits(self, query: tantivy.Query, k: int) -> Iterator[Hit]:
        for score, address in self._searcher.search(query, k).hits:
            yield Hit(int(self._searcher.doc(address)[PASSAGE_FIELD][0]), float(score))
