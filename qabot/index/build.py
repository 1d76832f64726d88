"""Building and updating the index: articles read, parsed and tokenised (in worker processes on
large builds), numbered after what is stored, written as a generation or appended to one."""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.context
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain, islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from qabot import __version__
from qabot.abbreviations import definitions
from qabot.corpus import decode_article, parse_article
from qabot.engines import ENGINES, NewPassages, PassageBatch
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
        article = parse_article(f.doc_id, f.path, text, sha)
        indexed = indexed_passages(article, splitter, size, overlap)
        byte_offsets = _byte_offsets(text, f.size, [(p.start, p.end) for p, _ in indexed])
        records.append(ArticleRecord(
            doc_id=f.doc_id, source=f.path, size=f.size, mtime_ns=f.mtime_ns, sha256=sha,
            title=article.title, first_passage=len(passage_rows), passages=len(indexed),
            abbreviations=definitions("\n".join(map(article.block_text, article.blocks))),
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


def _bounded_map(pool: ProcessPoolExecutor, work: Callable[..., _Part], jobs: Iterator[tuple], ahead: int) -> Iterator[_Part]:
    """`pool.map`, in order, with at most `ahead` parts handed out and not yet taken: `map` submits
    every part at once, and finished parts wait in memory for a consumer slower than the workers."""
    pending = deque(pool.submit(work, *job) for job in islice(jobs, ahead))
    while pending:
        done = pending.popleft().result()
        pending.extend(pool.submit(work, *job) for job in islice(jobs, 1))
        yield done


def _indexed_parts(
    files: list[CorpusFile], splitter: SentenceSplitter, settings: Settings, at: _Offsets, progress: Progress
) -> Iterator[_Part]:
    """The files indexed after what is already stored (`at`), part by part, in order; in worker
    processes when there are many."""
    parts = _parts(files)
    workers = _workers(settings, files)
    jobs = zip(parts, repeat(splitter), repeat(settings.passage_size), repeat(settings.passage_overlap))
    with ProcessPoolExecutor(workers, mp_context=_process_context()) if workers else nullcontext() as pool:
        built = _bounded_map(pool, _index_part, jobs, 2 * workers) if pool else (_index_part(*job) for job in jobs)
        for part_files, part in zip(parts, built):
            yield _shift(part, at)
            progress(len(part_files))


@dataclass
class _Appender:
    """A generation's files as indexed parts are appended to them: their committed sizes so far,
    and the article records they hold (small; the rows and terms are not kept)."""

    folder: Path
    generation: int
    files: dict[str, int]
    records: list[ArticleRecord]

    def add(self, part: _Part) -> PassageBatch:
        """Append a part; what the BM25 engine needs of it."""
        addition = Addition(part.records, part.passages, part.sentences, part.strings)
        self.files.update(fmt.append(self.folder, self.generation, self.files, addition))
        self.records.extend(part.records)
        return PassageBatch(part.passages["article"].tolist(), part.terms)

    def rows(self, kind: str, dtype: np.dtype, count: int) -> np.ndarray:
        """The rows appended so far to an array file (read back: they are not kept)."""
        return np.fromfile(self.folder / fmt.file_name(kind, self.generation), dtype=dtype, count=count)


def _chosen_engine(settings: Settings, batches: Iterator[PassageBatch], at: _Offsets) -> tuple[str, Iterator[PassageBatch]]:
    """The engine for a build, and the batches still to give it. With `auto`, batches are read
    ahead until the corpus is known to be large or has ended (small corpora are held whole)."""
    if settings.engine != "auto":
        return settings.engine, batches
    taken = []
    for batch in batches:
        taken.append(batch)
        if at.passages > settings.small_corpus_passages:
            return engine_for(settings, at.passages), chain(taken, batches)
    return engine_for(settings, at.passages), iter(taken)


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
    """Write generation `generation` for the whole corpus and commit it. Parts are appended to the
    files and handed to the engine as they are indexed, so memory stays that of a few parts."""
    folder.mkdir(parents=True, exist_ok=True)
    splitter = SentenceSplitter.trained_on(read_text(f.path)[0] for f in files)
    at = _Offsets(0, 0, 0, {})
    written = _Appender(folder, generation, {}, [])
    indexed = (written.add(part) for part in _indexed_parts(files, splitter, settings, at, progress))
    engine, batches = _chosen_engine(settings, indexed, at)
    state = ENGINES[engine].build(folder, str(generation), NewPassages(0, batches))
    if not at.passages:
        raise QabotError(f"Corpus folder {settings.corpus_dir} holds no article text to index.")
    manifest = Manifest(
        format_version=fmt.FORMAT_VERSION, qabot_version=__version__, settings=settings.index_fingerprint(),
        engine=engine, generation=generation, files=written.files, punkt=f"punkt.{generation}.json",
        engine_state=state, articles=at.articles, passages=at.passages, sentences=at.sentences, strings=len(at.strings),
    )
    fmt.write_punkt(folder, manifest.punkt, splitter.to_dict())
    if encoder is not None and wants_vectors(encoder, settings, at.sentences):
        live = np.ones(at.articles, dtype=bool)
        manifest = _with_vectors(
            folder, manifest, encoder, written.records, written.rows("passages", PASSAGE_DTYPE, at.passages),
            written.rows("sentences", SENTENCE_DTYPE, at.sentences), live,
        )
    fmt.commit(folder, manifest)


def _record_times(stored: Stored, redated: list[CorpusFile]) -> list[tuple[int, int]]:
    """(record number, new time) of each live record whose file's time alone moved."""
    numbers = {r.doc_id: i for i, (r, alive) in enumerate(zip(stored.records, stored.live_records().tolist())) if alive}
    return [(numbers[f.doc_id], f.mtime_ns) for f in redated]


def redate(folder: Path, stored: Stored, redated: list[CorpusFile]) -> None:
    """Commit the new times of files whose bytes are as indexed."""
    times = fmt.append_times(folder, stored.manifest, _record_times(stored, redated))
    fmt.commit(folder, stored.manifest.model_copy(update={"files": times}))


def update(
    folder: Path, settings: Settings, stored: Stored, changed: list[CorpusFile], removed: set[str],
    redated: list[CorpusFile], progress: Progress, encoder: SentenceEncoder | None = None,
) -> None:
    """Append the changed articles' passages and retire the old versions'; the rest stays as it
    is, but for the new times of files whose bytes are unchanged."""
    times = fmt.append_times(folder, stored.manifest, _record_times(stored, redated))
    manifest = stored.manifest.model_copy(update={"files": times})
    splitter = SentenceSplitter.from_dict(fmt.read_punkt(folder, manifest))
    leaving = removed | {f.doc_id for f in changed}
    live = stored.live_records()
    retired = [i for i, (r, alive) in enumerate(zip(stored.records, live.tolist())) if alive and r.doc_id in leaving]
    strings = {s: i for i, s in enumerate(stored.strings)}
    at = _Offsets(len(stored.records), len(stored.passages), len(stored.sentences), strings)
    written = _Appender(folder, manifest.generation, dict(manifest.files), [])
    batches = (written.add(part) for part in _indexed_parts(changed, splitter, settings, at, progress))
    revision = manifest.revision + 1
    state = ENGINES[manifest.engine].update(
        folder, f"{manifest.generation}.{revision}", manifest.engine_state, retired, NewPassages(len(stored.passages), batches),
    )
    updated = manifest.model_copy(update={
        "revision": revision, "files": written.files, "engine_state": state,
        "retired": sorted(manifest.retired + retired), "articles": at.articles, "passages": at.passages,
        "sentences": at.sentences, "strings": len(strings),
    })
    if encoder is not None and wants_vectors(encoder, settings, at.sentences):
        records = stored.records + written.records
        live = np.ones(len(records), dtype=bool)
        live[updated.retired] = False
        updated = _with_vectors(
            folder, updated, encoder, records, written.rows("passages", PASSAGE_DTYPE, at.passages),
            written.rows("sentences", SENTENCE_DTYPE, at.sentences), live,
        )
    else:
        updated = _without_vectors(updated)
    fmt.commit(folder, updated)
