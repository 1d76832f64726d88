"""Building and updating the index: articles read, parsed and tokenised (in worker processes on
large builds), numbered after what is stored, written as a generation or appended to one."""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.context
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from qabot import __version__
from qabot.corpus import decode_article, parse_article
from qabot.engines import ENGINES, NewPassages
from qabot.errors import QabotError
from qabot.index import format as fmt
from qabot.index.format import KINDS, PASSAGE_DTYPE, SENTENCE_DTYPE, Addition, ArticleRecord, Manifest, Stored
from qabot.index.scan import CorpusFile, read_text
from qabot.passages import indexed_passages
from qabot.settings import Settings
from qabot.text import SentenceSplitter

if TYPE_CHECKING:
    from qabot.semantic.encoder import SentenceEncoder

log = logging.getLogger(__name__)

PART_BYTES = 2_000_000
"""Article bytes one worker task reads: big enough to amortise the hand-over, small enough for a
smooth progress bar."""
PARALLEL_BYTES = 8_000_000
"""Builds of fewer article bytes run in this process: starting workers would cost more."""

Progress = Callable[[int], None]


@dataclass
class _Part:
    """What indexing some articles adds. A part built by a worker process numbers its articles,
    sentences and strings from zero; `_shift` puts it in place."""

    records: list[ArticleRecord]
    passages: np.ndarray
    sentences: np.ndarray
    strings: list[str]
    terms: list[str]


def _index_part(files: list[CorpusFile], splitter: SentenceSplitter, size: int, overlap: int) -> _Part:
    """Read, parse, split and tokenise some articles (runs in a worker process on large builds)."""
    records: list[ArticleRecord] = []
    passage_rows: list[tuple[int, int, int, int, int, int, int]] = []
    sentence_rows: list[tuple[int, int, int, int]] = []
    strings: dict[str, int] = {"": 0}
    all_terms: list[str] = []
    for number, f in enumerate(files):
        text, sha = read_text(f.path)
        article = parse_article(f.doc_id, str(f.path), text, sha)
        indexed = indexed_passages(article, splitter, size, overlap)
        byte_offsets = _byte_offsets(text, f.size, [(p.start, p.end) for p, _ in indexed])
        records.append(ArticleRecord(
            doc_id=f.doc_id, source=str(f.path), size=f.size, mtime_ns=f.mtime_ns, sha256=sha,
            title=article.title, first_passage=len(passage_rows), passages=len(indexed),
        ))
        for (passage, passage_terms), (byte_start, byte_end) in zip(indexed, byte_offsets):
            heading = strings.setdefault(passage.heading, len(strings))
            context = strings.setdefault(passage.context, len(strings))
            passage_rows.append(
                (number, len(sentence_rows), len(passage.sentences), heading, context, byte_start, byte_end)
            )
            sentence_rows.extend((s.start, s.end, s.paragraph, KINDS.index(s.kind)) for s in passage.sentences)
            all_terms.append(" ".join(passage_terms))
    return _Part(
        records, np.array(passage_rows, dtype=PASSAGE_DTYPE), np.array(sentence_rows, dtype=SENTENCE_DTYPE),
        list(strings), all_terms,
    )


def _byte_offsets(text: str, size: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans as byte spans of the UTF-8 file; (-1, -1) when the file did not decode
    cleanly (its replaced bytes would shift every offset after them)."""
    if text.isascii() and len(text) == size:
        return spans
    cuts = sorted({offset for span in spans for offset in span})
    position = {0: 0}
    chars = nbytes = 0
    for cut in cuts:
        nbytes += len(text[chars:cut].encode("utf-8"))
        chars = cut
        position[cut] = nbytes
    if nbytes + len(text[chars:].encode("utf-8")) != size:
        return [(-1, -1)] * len(spans)
    return [(position[start], position[end]) for start, end in spans]


@dataclass
class _Offsets:
    """Where the next part's numbering starts, and the strings numbered so far."""

    articles: int
    passages: int
    sentences: int
    strings: dict[str, int]


def _shift(part: _Part, at: _Offsets) -> _Part:
    """A part renumbered to follow what is already indexed, its strings looked up (and added) in
    `at.strings`; only the strings it adds are kept."""
    added: list[str] = []
    ids = []
    for text in part.strings:
        number = at.strings.get(text)
        if number is None:
            number = at.strings[text] = len(at.strings)
            added.append(text)
        ids.append(number)
    string_ids = np.array(ids, dtype="<i4")
    passages = part.passages
    if len(passages):
        passages["article"] += at.articles
        passages["first"] += at.sentences
        passages["heading"] = string_ids[passages["heading"]]
        passages["context"] = string_ids[passages["context"]]
    records = [r.model_copy(update={"first_passage": r.first_passage + at.passages}) for r in part.records]
    at.articles, at.passages, at.sentences = at.articles + len(records), at.passages + len(passages), at.sentences + len(part.sentences)
    return _Part(records, passages, part.sentences, added, part.terms)


def _parts(files: list[CorpusFile]) -> list[list[CorpusFile]]:
    """The files cut into runs of about PART_BYTES each, in order."""
    parts: list[list[CorpusFile]] = [[]]
    size = 0
    for f in files:
        if size >= PART_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(f)
        size += f.size
    return parts


def _workers(settings: Settings, files: list[CorpusFile]) -> int:
    """Worker processes for this build: none (all in this process) for small ones."""
    if sum(f.size for f in files) < PARALLEL_BYTES:
        return 0
    wanted = settings.index_workers or os.cpu_count() or 1
    return wanted if wanted > 1 else 0


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork where there is one (workers inherit the loaded modules)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _index_articles(
    files: list[CorpusFile], splitter: SentenceSplitter, settings: Settings, at: _Offsets, progress: Progress
) -> tuple[Addition, list[str]]:
    """Index the files after what is already stored (`at`), in worker processes when there are
    many; returns what they add and each new passage's terms."""
    parts = _parts(files)
    workers = _workers(settings, files)
    jobs = (parts, repeat(splitter), repeat(settings.passage_size), repeat(settings.passage_overlap))
    done: list[_Part] = []
    with ProcessPoolExecutor(workers, mp_context=_process_context()) if workers else nullcontext() as pool:
        built = pool.map(_index_part, *jobs) if pool else map(_index_part, *jobs)
        for part_files, part in zip(parts, built):
            done.append(_shift(part, at))
            progress(len(part_files))
    addition = Addition(
        [r for p in done for r in p.records],
        np.concatenate([p.passages for p in done]) if done else np.zeros(0, PASSAGE_DTYPE),
        np.concatenate([p.sentences for p in done]) if done else np.zeros(0, SENTENCE_DTYPE),
        [s for p in done for s in p.strings],
    )
    return addition, [t for p in done for t in p.terms]


def row_texts(records: list[ArticleRecord], passages: np.ndarray, sentences: np.ndarray, rows: np.ndarray,
              live: np.ndarray) -> list[str | None]:
    """The texts of sentence rows, read from their article files once each; None for the rows of
    article versions no longer live (their files have changed)."""
    owner = np.searchsorted(passages["first"], rows, side="right") - 1
    articles = passages["article"][owner]
    texts: list[str | None] = [None] * len(rows)
    for article in np.unique(articles):
        if not live[article]:
            continue
        record = records[int(article)]
        text = decode_article(Path(record.source).read_bytes(), record.source)
        for i in np.flatnonzero(articles == article):
            row = sentences[rows[i]]
            texts[i] = text[int(row["start"]) : int(row["end"])]
    return texts


def sentence_vectors(encoder: SentenceEncoder, texts: list[str | None]) -> np.ndarray:
    """A unit vector per text (zeros for None), each distinct text encoded once."""
    distinct = list(dict.fromkeys(t for t in texts if t is not None))
    log.info("encoding %d sentences", len(distinct))
    encoded = dict(zip(distinct, encoder.encode(distinct)))
    vectors = np.zeros((len(texts), encoder.dimensions), dtype=fmt.VECTOR_DTYPE)
    for i, text in enumerate(texts):
        if text is not None:
            vectors[i] = encoded[text]
    return vectors


def _without_vectors(manifest: Manifest) -> Manifest:
    files = {k: v for k, v in manifest.files.items() if k != manifest.file(fmt.VECTORS)}
    return manifest.model_copy(update={"files": files, "vectors_model": "", "vector_dims": 0})


def wants_vectors(encoder: SentenceEncoder | None, settings: Settings, sentences: int) -> bool:
    """Whether sentence vectors are stored: with an encoder, for corpora small enough."""
    return encoder is not None and sentences <= settings.semantic_max_sentences


def _with_vectors(
    folder: Path, manifest: Manifest, encoder: SentenceEncoder, records: list[ArticleRecord],
    passages: np.ndarray, sentences: np.ndarray, live: np.ndarray,
) -> Manifest:
    """The manifest with a vector for every sentence row (rows this model encoded already kept)."""
    files = dict(manifest.files)
    kept = files.get(manifest.file(fmt.VECTORS), 0) if manifest.vectors_model == encoder.sha256 else 0
    done = kept // (encoder.dimensions * fmt.VECTOR_DTYPE.itemsize)
    rows = np.arange(done, len(sentences))
    vectors = sentence_vectors(encoder, row_texts(records, passages, sentences, rows, live))
    files[manifest.file(fmt.VECTORS)] = fmt.append_vectors(folder, manifest, vectors, kept)
    return manifest.model_copy(update={"files": files, "vectors_model": encoder.sha256, "vector_dims": encoder.dimensions})


def add_vectors(folder: Path, stored: Stored, encoder: SentenceEncoder) -> None:
    """Give a committed index the vectors of this encoder, and commit it."""
    fmt.commit(folder, _with_vectors(
        folder, stored.manifest, encoder, stored.records, stored.passages, stored.sentences, stored.live_records()
    ))


def engine_for(settings: Settings, passages: int) -> str:
    if settings.engine != "auto":
        return settings.engine
    return "rank-bm25" if passages <= settings.small_corpus_passages else "tantivy"


def full_build(
    folder: Path, settings: Settings, files: list[CorpusFile], generation: int, progress: Progress,
    encoder: SentenceEncoder | None = None,
) -> None:
    """Write generation `generation` for the whole corpus and commit it."""
    folder.mkdir(parents=True, exist_ok=True)
    splitter = SentenceSplitter.trained_on(read_text(f.path)[0] for f in files)
    strings: dict[str, int] = {}
    addition, terms = _index_articles(files, splitter, settings, _Offsets(0, 0, 0, strings), progress)
    if not len(addition.passages):
        raise QabotError(f"Corpus folder {settings.corpus_dir} holds no article text to index.")
    engine = engine_for(settings, len(addition.passages))
    state = ENGINES[engine].build(folder, str(generation), NewPassages(0, addition.passages["article"], terms))
    manifest = Manifest(
        format_version=fmt.FORMAT_VERSION, qabot_version=__version__, settings=settings.index_fingerprint(),
        engine=engine, generation=generation, files={}, punkt=f"punkt.{generation}.json", engine_state=state,
        articles=len(addition.records), passages=len(addition.passages), sentences=len(addition.sentences),
        strings=len(addition.strings),
    )
    fmt.write_punkt(folder, manifest.punkt, splitter.to_dict())
    manifest = manifest.model_copy(update={"files": fmt.append(folder, manifest, addition)})
    if encoder is not None and wants_vectors(encoder, settings, len(addition.sentences)):
        live = np.ones(len(addition.records), dtype=bool)
        manifest = _with_vectors(folder, manifest, encoder, addition.records, addition.passages, addition.sentences, live)
    fmt.commit(folder, manifest)


def update(
    folder: Path, settings: Settings, stored: Stored, changed: list[CorpusFile], removed: set[str], progress: Progress,
    encoder: SentenceEncoder | None = None,
) -> None:
    """Append the changed articles' passages and retire the old versions'; the rest stays as it is."""
    manifest = stored.manifest
    splitter = SentenceSplitter.from_dict(fmt.read_punkt(folder, manifest))
    leaving = removed | {f.doc_id for f in changed}
    live = stored.live_records()
    retired = [i for i, r in enumerate(stored.records) if live[i] and r.doc_id in leaving]
    strings = {s: i for i, s in enumerate(stored.strings)}
    at = _Offsets(len(stored.records), len(stored.passages), len(stored.sentences), strings)
    addition, terms = _index_articles(changed, splitter, settings, at, progress)
    revision = manifest.revision + 1
    state = ENGINES[manifest.engine].update(
        folder, f"{manifest.generation}.{revision}", manifest.engine_state, retired,
        NewPassages(len(stored.passages), addition.passages["article"], terms),
    )
    sizes = fmt.append(folder, manifest, addition)
    updated = manifest.model_copy(update={
        "revision": revision, "files": {**manifest.files, **sizes}, "engine_state": state,
        "retired": sorted(manifest.retired + retired), "articles": at.articles, "passages": at.passages,
        "sentences": at.sentences, "strings": len(strings),
    })
    if encoder is not None and wants_vectors(encoder, settings, at.sentences):
        records = stored.records + addition.records
        live = np.ones(len(records), dtype=bool)
        live[updated.retired] = False
        passages = np.concatenate([stored.passages, addition.passages])
        updated = _with_vectors(
            folder, updated, encoder, records, passages, np.concatenate([stored.sentences, addition.sentences]), live
        )
    else:
        updated = _without_vectors(updated)
    fmt.commit(folder, updated)
