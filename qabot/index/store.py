"""Read access to a built index: articles, passages (built on demand from the arrays), article
texts (read lazily, a few kept), and the BM25 engine."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Iterator

import numpy as np

from qabot.corpus import ArticleInfo, decode_article
from qabot.engines import Engine
from qabot.engines.base import lucene_idf
from qabot.index.format import KINDS, Manifest, Stored
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
        self._live = stored.live_passages()
        live = stored.live_records()
        self.articles = {r.doc_id: ArticleInfo(r.doc_id, r.source, r.title) for i, r in enumerate(self.records) if live[i]}
        self._texts: OrderedDict[str, str] = OrderedDict()

    @property
    def passage_count(self) -> int:
        return int(self._live.sum())

    @property
    def sentence_count(self) -> int:
        return int(self._passages["count"][self._live].sum())

    def passage_ids(self) -> Iterator[int]:
        """The ids of the live passages, in order."""
        return (int(i) for i in np.flatnonzero(self._live))

    def passage(self, pid: int) -> Passage:
        row = self._passages[pid]
        record = self.records[int(row["article"])]
        first, count = int(row["first"]), int(row["count"])
        sentences = tuple(
            Sentence(int(s["start"]), int(s["end"]), int(s["paragraph"]), KINDS[int(s["kind"])])
            for s in self._sentences[first : first + count]
        )
        return Passage(record.doc_id, self._strings[int(row["heading"])], self._strings[int(row["context"])], sentences)

    def article(self, doc_id: str) -> ArticleInfo:
        return self.articles[doc_id]

    def doc_freq(self, term: str) -> int:
        return self.engine.doc_freq(term)

    def idf(self, doc_freq: int) -> float:
        """Always positive; a term the corpus never uses weighs like one seen once."""
        return lucene_idf(max(self.engine.passage_count, 1), max(doc_freq, 1))

    def article_text(self, doc_id: str) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            path = Path(self.articles[doc_id].source)
            text = decode_article(path.read_bytes(), str(path))
            self._texts[doc_id] = text
            while len(self._texts) > TEXT_CACHE_ARTICLES:
                self._texts.popitem(last=False)
        self._texts.move_to_end(doc_id)
        return text

    def text_of(self, doc_id: str, start: int, end: int) -> str:
        return self.article_text(doc_id)[start:end]

    def sentence_texts(self, pid: int, passage: Passage) -> list[str]:
        """The texts of a passage's sentences, read from its byte range of the article file alone."""
        row = self._passages[pid]
        byte_start, byte_end = int(row["byte_start"]), int(row["byte_end"])
        if byte_start < 0 or passage.doc_id in self._texts:
            return [self.text_of(passage.doc_id, s.start, s.end) for s in passage.sentences]
        with open(self.articles[passage.doc_id].source, "rb") as handle:
            chunk = os.pread(handle.fileno(), byte_end - byte_start, byte_start).decode("utf-8", errors="replace")
        base = passage.start
        return [chunk[s.start - base : s.end - base] for s in passage.sentences]
