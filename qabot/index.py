"""The passage index: built from the corpus, saved as JSON with a manifest, reloaded when fresh."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qabot import __version__
from qabot.corpus import decode_article, list_article_files, parse_article
from qabot.errors import QabotError
from qabot.passages import Passage, Sentence, passage_terms, split_passages
from qabot.settings import Settings
from qabot.storage import atomic_write_bytes
from qabot.text import SentenceSplitter

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
INDEX_FILE = "index.json.gz"


class ArticleRecord(BaseModel):
    doc_id: str
    source: str
    sha256: str
    title: str


class PassageRecord(BaseModel):
    doc_id: str
    heading: str
    context: str
    sentences: list[tuple[int, int, int, str]]
    terms: list[str]


class Manifest(BaseModel):
    format_version: int
    qabot_version: str
    settings: dict[str, Any]
    files: dict[str, str]
    """doc_id -> sha256 of the file's bytes."""


class IndexFile(BaseModel):
    """The on-disk shape; validated on load, so a damaged file is rejected, never half-used."""

    manifest: Manifest
    articles: list[ArticleRecord]
    passages: list[PassageRecord]


@dataclass(frozen=True)
class ArticleInfo:
    doc_id: str
    source: str
    title: str
    text: str


@dataclass
class Index:
    """Articles, passages and their terms: everything retrieval and answering read."""

    articles: dict[str, ArticleInfo]
    passages: list[Passage]
    passage_terms: list[list[str]]

    def __post_init__(self) -> None:
        self.doc_freq: Counter[str] = Counter()
        for terms in self.passage_terms:
            self.doc_freq.update(set(terms))

    def idf(self, term: str) -> float:
        """Always positive; a term the corpus never uses weighs like one seen once."""
        n = len(self.passages)
        df = max(self.doc_freq.get(term, 0), 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def text_of(self, doc_id: str, start: int, end: int) -> str:
        return self.articles[doc_id].text[start:end]


@dataclass(frozen=True)
class CorpusFile:
    doc_id: str
    source: str
    sha256: str
    text: str


def scan_corpus(corpus_dir: Path) -> list[CorpusFile]:
    files = []
    seen: dict[str, Path] = {}
    for path in list_article_files(corpus_dir):
        doc_id = path.stem
        if doc_id in seen:
            raise QabotError(f"Articles {seen[doc_id]} and {path} share the id {doc_id}; rename one.")
        seen[doc_id] = path
        data = path.read_bytes()
        files.append(CorpusFile(doc_id, str(path), hashlib.sha256(data).hexdigest(), decode_article(data, str(path))))
    return files


def build_index(files: list[CorpusFile], settings: Settings) -> tuple[Index, IndexFile]:
    articles = [parse_article(f.doc_id, f.source, f.text, f.sha256) for f in files]
    splitter = SentenceSplitter.trained_on(article.text for article in articles)
    passages: list[Passage] = []
    all_terms: list[list[str]] = []
    for article in articles:
        for passage in split_passages(article, splitter, settings.passage_size, settings.passage_overlap):
            passages.append(passage)
            all_terms.append(passage_terms(passage, article))
    if not passages:
        raise QabotError(f"Corpus folder {settings.corpus_dir} holds no article text to index.")
    infos = {a.doc_id: ArticleInfo(a.doc_id, a.source, a.title, a.text) for a in articles}
    stored = IndexFile(
        manifest=_manifest(files, settings),
        articles=[ArticleRecord(doc_id=a.doc_id, source=a.source, sha256=a.sha256, title=a.title) for a in articles],
        passages=[
            PassageRecord(
                doc_id=p.doc_id,
                heading=p.heading,
                context=p.context,
                sentences=[(s.start, s.end, s.paragraph, s.kind) for s in p.sentences],
                terms=t,
            )
            for p, t in zip(passages, all_terms)
        ],
    )
    return Index(infos, passages, all_terms), stored


def _manifest(files: list[CorpusFile], settings: Settings) -> Manifest:
    return Manifest(
        format_version=FORMAT_VERSION,
        qabot_version=__version__,
        settings=settings.index_fingerprint(),
        files={f.doc_id: f.sha256 for f in files},
    )


def save_index(stored: IndexFile, index_dir: Path) -> None:
    data = gzip.compress(stored.model_dump_json().encode("utf-8"), compresslevel=5, mtime=0)
    try:
        atomic_write_bytes(index_dir / INDEX_FILE, data)
    except OSError as exc:
        log.warning("could not save the index to %s (%s); it will be rebuilt next time", index_dir, exc.strerror)


def _read_stored(index_dir: Path) -> IndexFile | str:
    """The stored index, or why it cannot be used."""
    path = index_dir / INDEX_FILE
    if not path.is_file():
        return "no index yet"
    try:
        raw = json.loads(gzip.decompress(path.read_bytes()))
        if raw.get("manifest", {}).get("format_version") != FORMAT_VERSION:
            return "index is from another qabot version"
        return IndexFile.model_validate(raw)
    except (OSError, EOFError, ValueError, ValidationError, AttributeError):
        return "index file is damaged"


def _stale_reason(stored: IndexFile, files: list[CorpusFile], settings: Settings) -> str | None:
    wanted = _manifest(files, settings)
    have = stored.manifest
    if have.qabot_version != wanted.qabot_version:
        return "index is from another qabot version"
    if have.settings != wanted.settings:
        return "index settings changed"
    if have.files != wanted.files:
        changed = sorted(set(have.files.items()) ^ set(wanted.files.items()))
        return f"{len({doc for doc, _ in changed})} article(s) changed"
    return None


def _from_stored(stored: IndexFile, files: list[CorpusFile]) -> Index:
    texts = {f.doc_id: f for f in files}
    articles = {
        a.doc_id: ArticleInfo(a.doc_id, texts[a.doc_id].source, a.title, texts[a.doc_id].text)
        for a in stored.articles
    }
    passages = [
        Passage(p.doc_id, p.heading, p.context, tuple(Sentence(*s) for s in p.sentences))
        for p in stored.passages
    ]
    return Index(articles, passages, [p.terms for p in stored.passages])


def index_problem(settings: Settings) -> str | None:
    """Why the saved index could not serve the corpus as it is now, or None when it can."""
    stored = _read_stored(settings.index_dir)
    if isinstance(stored, str):
        return stored
    return _stale_reason(stored, scan_corpus(settings.corpus_dir), settings)


def open_index(settings: Settings, rebuild: bool = False) -> tuple[Index, bool]:
    """The index for the corpus: reloaded when fresh, else rebuilt and saved. Also says if it was built."""
    files = scan_corpus(settings.corpus_dir)
    if not rebuild:
        stored = _read_stored(settings.index_dir)
        reason = stored if isinstance(stored, str) else _stale_reason(stored, files, settings)
        if reason is None and not isinstance(stored, str):
            return _from_stored(stored, files), False
        if reason != "no index yet":
            log.warning("rebuilding the index: %s", reason)
    index, stored = build_index(files, settings)
    save_index(stored, settings.index_dir)
    return index, True
