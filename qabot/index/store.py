"""Read access to a built index: articles, passages (built on demand from the arrays), article
texts (read lazily, a few kept), and the BM25 engine."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Iterator

import numpy as np

from qabot.abbreviations import Abbreviations
from qabot.corpus import ArticleInfo, decode_article
from qabot.engines import Engine
from qabot.engines.base import lucene_idf
from qabot.errors import ArticleChanged
from qabot.index.format import ArticleRecord, KINDS, Manifest, Stored
from qabot.index.scan import same_bytes
from qabot.passages import Passage, Sentence

TEXT_CACHE_ARTICLES = 256


class Index:
    """One committed state of the index, opened: what reading, retrieval and citations ask of it."""

    def __init__(self, stored: Stored, engine: Engine) -> None:
        self.manifest: Manifest = stored.manifest
        self.records = stored.records
        self._passages = stored.passages
        self._sentences = stored.sentences
        self._strings = stored.strings
        self.engine = engine
        self.vectors = stored.vectors
        """A unit vector per sentence row (float16, memory-mapped), when the index holds them."""
        self._live = stored.live_passages()
        live = stored.live_records()
        self._live_records = {r.doc_id: r for r, alive in zip(self.records, live.tolist()) if alive}
        self.articles = {doc_id: ArticleInfo(r.doc_id, r.source, r.title) for doc_id, r in self._live_records.items()}
        self.abbreviations = Abbreviations.from_definitions(d for r in self._live_records.values() for d in r.abbreviations)
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._same_bytes: dict[str, tuple[int, int]] = {}
        """The size and time of each file found to hold the indexed bytes under a new time."""

    @property
    def passage_count(self) -> int:
        return int(self._live.sum())

    @property
    def sentence_count(self) -> int:
        return int(self._passages["count"][self._live].sum())

    def passage_ids(self) -> Iterator[int]:
        """The ids of the live passages, in order."""
        return (int(i) for i in np.flatnonzero(self._live))

    @property
    def live_passages(self) -> np.ndarray:
        """Which passages belong to live article versions (a boolean per passage id)."""
        return self._live

    @property
    def passage_firsts(self) -> np.ndarray:
        """Each passage's first row in the sentence table (its rows follow in order)."""
        return np.asarray(self._passages["first"])

    def sentence_rows(self, pid: int) -> range:
        row = self._passages[pid]
        return range(int(row["first"]), int(row["first"]) + int(row["count"]))

    def passage(self, pid: int) -> Passage:
        article, first, count, heading, context, _, _ = self._passages[pid].item()
        sentences = tuple(
            Sentence(start, end, paragraph, KINDS[kind])
            for start, end, paragraph, kind in self._sentences[first : first + count].tolist()
        )
        return Passage(self.records[article].doc_id, self._strings[heading], self._strings[context], sentences)

    def article(self, doc_id: str) -> ArticleInfo:
        return self.articles[doc_id]

    def doc_freq(self, term: str) -> int:
        return self.engine.doc_freq(term)

    def idf(self, doc_freq: int) -> float:
        """Always positive; a term the corpus never uses weighs like one seen once."""
        return lucene_idf(max(self.engine.passage_count, 1), max(doc_freq, 1))

    def _check(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """ArticleChanged unless the file is still the one indexed: it has the size and time the
        index recorded or, when its time alone moved (a copy, a checkout, `touch`), the same bytes,
        hashed once per new time. Opening the index judges such a file unchanged by its hash too,
        so without this it would be "changed while answering" at every question."""
        record: ArticleRecord = self._live_records[doc_id]
        if (size, mtime_ns) in ((record.size, record.mtime_ns), self._same_bytes.get(doc_id)):
            return
        if same_bytes(record, size):
            self._same_bytes[doc_id] = (size, mtime_ns)
            return
        self._texts.pop(doc_id, None)
        raise ArticleChanged(doc_id)

    def article_text(self, doc_id: str) -> str:
        """The article's text as indexed; ArticleChanged when the file is no longer that."""
        path = Path(self.articles[doc_id].source)
        try:
            stat = path.stat()
            self._check(doc_id, stat.st_size, stat.st_mtime_ns)
            text = self._texts.get(doc_id)
            if text is None:
                data = path.read_bytes()
                stat = path.stat()
                self._check(doc_id, stat.st_size, stat.st_mtime_ns)
                text = decode_article(data, str(path))
                self._texts[doc_id] = text
                while len(self._texts) > TEXT_CACHE_ARTICLES:
                    self._texts.popitem(last=False)
        except OSError:
            raise ArticleChanged(doc_id) from None
        self._texts.move_to_end(doc_id)
        return text

    def text_of(self, doc_id: str, start: int, end: int) -> str:
        return self.article_text(doc_id)[start:end]

    def sentence_texts(self, pid: int, passage: Passage) -> list[str]:
        """The texts of a passage's sentences, read from its byte range of the article file alone;
        ArticleChanged when the file is not the one indexed (checked after reading)."""
        *_, byte_start, byte_end = self._passages[pid].item()
        if byte_start < 0:
            return [self.text_of(passage.doc_id, s.start, s.end) for s in passage.sentences]
        try:
            descriptor = os.open(self.articles[passage.doc_id].source, os.O_RDONLY)
            try:
                data = os.pread(descriptor, byte_end - byte_start, byte_start)
                stat = os.fstat(descriptor)
            finally:
                os.close(descriptor)
        except OSError:
            raise ArticleChanged(passage.doc_id) from None
        self._check(passage.doc_id, stat.st_size, stat.st_mtime_ns)
        chunk = data.decode("utf-8", errors="replace")
        base = passage.start
        return [chunk[s.start - base : s.end - base] for s in passage.sentences]
