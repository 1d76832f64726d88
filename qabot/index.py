"""The passage index: built from the corpus, kept on disk, reloaded when fresh, updated in place.

On disk (`index_dir`), nothing that can run code when loaded:

- `manifest.json`: format and qabot version, index settings, engine, counts and the generation of
  the data files; written last, it is the commit point of every build or update;
- `articles.<gen>.json`: one record per article version (id, source, size, mtime, SHA-256,
  title, its passages), with `live: false` for versions since changed or removed;
- `passages.<gen>.npy`, `sentences.<gen>.npy`: fixed-width numpy arrays, memory-mapped on load,
  so memory stays flat however large the corpus;
- `strings.<gen>.json` (headings, table headers), `punkt.json` (the trained splitter),
  `stems.json` (the corpus vocabulary's stems, so queries rarely need the stemmer);
- the engine's data: `terms.<gen>.txt` (one passage's terms a line) for rank-bm25, or `tantivy/`.

Article texts are not copied: quotes are read from the article files, whose sizes, times and
hashes the index checks. Adding or changing an article appends its passages and retires the old
ones, without touching the rest; the index is rebuilt when settings, engine or versions change,
when retired passages pile up, or when the files are damaged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import multiprocessing
import os
import shutil
import tempfile
import errno
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from itertools import islice, repeat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
from pydantic import BaseModel, ValidationError

from qabot import __version__
from qabot.corpus import decode_article, list_article_files, parse_article
from qabot.errors import QabotError
from qabot.passages import Passage, Sentence, indexed_passages
from qabot.retrieve import ARTICLE_FIELD, PASSAGE_FIELD, TERMS_FIELD, RankBM25Retriever, Retriever, TantivyRetriever, tantivy_schema
from qabot.settings import Settings
from qabot.storage import atomic_write_bytes
from qabot.text import SentenceSplitter, known_stems, preload_stems

log = logging.getLogger(__name__)

FORMAT_VERSION = 3
MANIFEST = "manifest.json"
PUNKT = "punkt.json"
STEMS = "stems.json"
TANTIVY_DIR = "tantivy"
MAX_RETIRED_SHARE = 0.3
"""Rebuild from scratch once this share of the stored passages belongs to retired article versions."""
MAX_STEM_MEMO = 300_000
TEXT_CACHE_ARTICLES = 256
PART_BYTES = 2_000_000
"""Article bytes one worker task reads: big enough to amortise the hand-over, small enough for a
smooth progress bar."""
PARALLEL_BYTES = 8_000_000
"""Builds of fewer article bytes run in this process: starting workers would cost more."""
KINDS = ("paragraph", "list_item", "table_row")
PASSAGE_DTYPE = np.dtype([
    ("article", "<i4"), ("first", "<i8"), ("count", "<i4"), ("heading", "<i4"), ("context", "<i4"),
    ("byte_start", "<i8"), ("byte_end", "<i8"),
])
"""A passage: its article, its sentences (first, count), its heading and context strings, and
where it stands in the article file in bytes (-1 when the file is not clean UTF-8), so that
answering reads only the passages it scores."""
SENTENCE_DTYPE = np.dtype([("start", "<i8"), ("end", "<i8"), ("paragraph", "<i4"), ("kind", "i1")])


class ArticleRecord(BaseModel):
    doc_id: str
    source: str
    size: int
    mtime_ns: int
    sha256: str
    title: str
    first_passage: int
    passages: int
    live: bool = True


class Manifest(BaseModel):
    format_version: int
    qabot_version: str
    settings: dict[str, Any]
    engine: str
    generation: int
    passages: int
    sentences: int
    strings: int
    tantivy_docs: int = 0


@dataclass(frozen=True)
class Stored:
    """One generation of the index as read from disk (arrays memory-mapped)."""

    manifest: Manifest
    records: list[ArticleRecord]
    passages: np.ndarray
    sentences: np.ndarray
    strings: list[str]


@dataclass(frozen=True)
class ArticleInfo:
    doc_id: str
    source: str
    title: str


@dataclass(frozen=True)
class CorpusFile:
    doc_id: str
    path: Path
    size: int
    mtime_ns: int


def scan_corpus(corpus_dir: Path) -> list[CorpusFile]:
    """Every article file with its size and time (cheap: no file is read)."""
    files = []
    seen: dict[str, Path] = {}
    for path in list_article_files(corpus_dir):
        doc_id = path.stem
        if doc_id in seen:
            raise QabotError(f"Articles {seen[doc_id]} and {path} share the id {doc_id}; rename one.")
        seen[doc_id] = path
        stat = path.stat()
        files.append(CorpusFile(doc_id, path, stat.st_size, stat.st_mtime_ns))
    return files


def read_text(path: Path) -> tuple[str, str]:
    """(decoded text, SHA-256 of the bytes)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QabotError(f"Cannot read the article {path} ({exc.strerror}).") from None
    return decode_article(data, str(path)), hashlib.sha256(data).hexdigest()


class Index:
    """Read access to a built index: articles, passages (built on demand from the arrays),
    article texts (read lazily, a few kept), and the retrieval engine."""

    def __init__(self, stored: Stored, retriever: Retriever) -> None:
        self.manifest = stored.manifest
        self.records = stored.records
        self._passages = stored.passages
        self._sentences = stored.sentences
        self._strings = stored.strings
        self.retriever = retriever
        self._live = _live_passages(stored)
        self.articles = {r.doc_id: ArticleInfo(r.doc_id, r.source, r.title) for r in self.records if r.live}
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

    def doc_freq(self, term: str) -> int:
        return self.retriever.doc_freq(term)

    def idf(self, doc_freq: int) -> float:
        """Always positive; a term the corpus never uses weighs like one seen once."""
        n = max(self.retriever.passage_count, 1)
        df = max(doc_freq, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

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


# ----------------------------------------------------------------------------- loading

def _gen(name: str, generation: int) -> str:
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{generation}.{suffix}"


def _live_passages(stored: Stored) -> np.ndarray:
    """Which passages belong to live article versions."""
    live_articles = np.array([r.live for r in stored.records], dtype=bool)
    return live_articles[stored.passages["article"]] if len(stored.passages) else np.zeros(0, dtype=bool)


def _load(folder: Path) -> Stored | str:
    """The stored index, or why it cannot be used."""
    path = folder / MANIFEST
    if not path.is_file():
        return "no index yet"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format_version") != FORMAT_VERSION:
            return "index is from another qabot version"
        manifest = Manifest.model_validate(raw)
        g = manifest.generation
        records = [ArticleRecord.model_validate(r) for r in json.loads((folder / _gen("articles.json", g)).read_text(encoding="utf-8"))]
        passages = np.load(folder / _gen("passages.npy", g), mmap_mode="r", allow_pickle=False)
        sentences = np.load(folder / _gen("sentences.npy", g), mmap_mode="r", allow_pickle=False)
        strings = json.loads((folder / _gen("strings.json", g)).read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError, TypeError):
        return "index file is damaged"
    consistent = (
        passages.dtype == PASSAGE_DTYPE
        and sentences.dtype == SENTENCE_DTYPE
        and len(passages) == manifest.passages
        and len(sentences) == manifest.sentences
        and len(strings) == manifest.strings
        and all(isinstance(s, str) for s in strings)
        and (len(passages) == 0 or int(passages["article"].max()) < len(records))
    )
    return Stored(manifest, records, passages, sentences, strings) if consistent else "index file is damaged"


def _retriever(folder: Path, stored: Stored) -> Retriever | str:
    manifest, passages = stored.manifest, stored.passages
    try:
        if manifest.engine == "tantivy":
            retriever = TantivyRetriever(folder / TANTIVY_DIR)
            if retriever.passage_count != manifest.tantivy_docs:
                return "index file is damaged"
            return retriever
        lines = (folder / _gen("terms.txt", manifest.generation)).read_text(encoding="utf-8").split("\n")
        if len(lines) != len(passages) + 1:
            return "index file is damaged"
        ids = np.flatnonzero(_live_passages(stored))
        return RankBM25Retriever(ids, [lines[i].split() for i in ids])
    except (OSError, ValueError):
        return "index file is damaged"


# ----------------------------------------------------------------------------- building

@dataclass
class _Batch:
    """What indexing some articles adds to the stored arrays. A part built by a worker process
    numbers its articles, sentences and strings from zero; `_shift` puts it in place."""

    records: list[ArticleRecord]
    passages: np.ndarray
    sentences: np.ndarray
    strings: list[str]
    terms: list[str]
    stems: dict[str, str]


def _index_part(files: list[CorpusFile], splitter: SentenceSplitter, size: int, overlap: int) -> _Batch:
    """Read, parse, split and tokenise some articles (runs in a worker process on large builds)."""
    memo = known_stems()
    seen_stems = len(memo)
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
    new_stems = dict(islice(memo.items(), seen_stems, None))
    return _Batch(
        records, np.array(passage_rows, dtype=PASSAGE_DTYPE), np.array(sentence_rows, dtype=SENTENCE_DTYPE),
        list(strings), all_terms, new_stems,
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


def _shift(part: _Batch, first_article: int, first_passage: int, first_sentence: int, strings: dict[str, int]) -> _Batch:
    """A part renumbered to follow what is already indexed, its strings looked up in `strings`."""
    string_ids = np.array([strings.setdefault(text, len(strings)) for text in part.strings], dtype="<i4")
    passages = part.passages
    if len(passages):
        passages["article"] += first_article
        passages["first"] += first_sentence
        passages["heading"] = string_ids[passages["heading"]]
        passages["context"] = string_ids[passages["context"]]
    records = [r.model_copy(update={"first_passage": r.first_passage + first_passage}) for r in part.records]
    return _Batch(records, passages, part.sentences, [], part.terms, part.stems)


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


def _index_articles(
    files: list[CorpusFile],
    splitter: SentenceSplitter,
    settings: Settings,
    first_article: int,
    first_passage: int,
    first_sentence: int,
    strings: dict[str, int],
    progress: Callable[[int], None],
) -> _Batch:
    """Index the files after what is already stored, in worker processes when there are many."""
    parts = _parts(files)
    workers = _workers(settings, files)
    jobs = (parts, repeat(splitter), repeat(settings.passage_size), repeat(settings.passage_overlap))
    done: list[_Batch] = []
    article, passage, sentence = first_article, first_passage, first_sentence
    with ProcessPoolExecutor(workers, mp_context=_process_context()) if workers else nullcontext() as pool:
        built = pool.map(_index_part, *jobs) if pool else map(_index_part, *jobs)
        for part_files, part in zip(parts, built):
            done.append(_shift(part, article, passage, sentence, strings))
            article, passage, sentence = article + len(part.records), passage + len(part.passages), sentence + len(part.sentences)
            preload_stems(part.stems)
            progress(len(part_files))
    return _Batch(
        [r for b in done for r in b.records],
        np.concatenate([b.passages for b in done]) if done else np.zeros(0, PASSAGE_DTYPE),
        np.concatenate([b.sentences for b in done]) if done else np.zeros(0, SENTENCE_DTYPE),
        [], [t for b in done for t in b.terms], {},
    )


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork where there is one (workers inherit the loaded modules and the stem memo)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _engine_for(settings: Settings, passages: int) -> str:
    if settings.engine != "auto":
        return settings.engine
    return "rank-bm25" if passages <= settings.small_corpus_passages else "tantivy"


def _write(folder: Path, stored: Stored, terms_lines: list[str] | None) -> None:
    """Write a generation's files, then the manifest naming it, then drop older generations."""
    g = stored.manifest.generation
    atomic_write_bytes(folder / _gen("articles.json", g), json.dumps([r.model_dump() for r in stored.records]).encode())
    for name, array in (("passages.npy", stored.passages), ("sentences.npy", stored.sentences)):
        tmp = folder / f".{name}.{g}.tmp.npy"
        np.save(tmp, np.ascontiguousarray(array), allow_pickle=False)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, folder / _gen(name, g))
    atomic_write_bytes(folder / _gen("strings.json", g), json.dumps(stored.strings).encode())
    if terms_lines is not None:
        atomic_write_bytes(folder / _gen("terms.txt", g), ("\n".join(terms_lines) + "\n").encode())
    atomic_write_bytes(folder / MANIFEST, stored.manifest.model_dump_json().encode())
    for old in folder.iterdir():
        parts = old.name.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) != g:
            old.unlink(missing_ok=True)


def _tantivy_add(writer, batch: _Batch, first_passage: int) -> None:  # type: ignore[no-untyped-def]
    import tantivy

    for offset, (article, joined) in enumerate(zip(batch.passages["article"].tolist(), batch.terms)):
        doc = tantivy.Document()
        doc.add_text(TERMS_FIELD, joined)
        doc.add_unsigned(PASSAGE_FIELD, first_passage + offset)
        doc.add_unsigned(ARTICLE_FIELD, article)
        writer.add_document(doc)


def _tantivy_writer(folder: Path, create: bool):  # type: ignore[no-untyped-def]
    import tantivy

    path = folder / TANTIVY_DIR
    if create:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(tantivy_schema(), path=str(path))
    else:
        index = tantivy.Index.open(str(path))
    return index.writer(heap_size=256_000_000, num_threads=min(2, os.cpu_count() or 1))


def _full_build(settings: Settings, files: list[CorpusFile], progress: Callable[[int], None]) -> None:
    folder = settings.index_dir
    folder.mkdir(parents=True, exist_ok=True)
    splitter = SentenceSplitter.trained_on(read_text(f.path)[0] for f in files)
    strings: dict[str, int] = {"": 0}
    batch = _index_articles(files, splitter, settings, 0, 0, 0, strings, progress)
    if not len(batch.passages):
        raise QabotError(f"Corpus folder {settings.corpus_dir} holds no article text to index.")
    passages, sentences = batch.passages, batch.sentences
    engine = _engine_for(settings, len(passages))
    tantivy_docs = 0
    if engine == "tantivy":
        writer = _tantivy_writer(folder, create=True)
        _tantivy_add(writer, batch, 0)
        writer.commit()
        writer.wait_merging_threads()
        tantivy_docs = len(passages)
    else:
        shutil.rmtree(folder / TANTIVY_DIR, ignore_errors=True)
    atomic_write_bytes(folder / PUNKT, json.dumps(splitter.to_dict()).encode())
    atomic_write_bytes(folder / STEMS, json.dumps(dict(islice(known_stems().items(), MAX_STEM_MEMO))).encode())
    previous = _previous_generation(folder)
    manifest = Manifest(
        format_version=FORMAT_VERSION, qabot_version=__version__, settings=settings.index_fingerprint(),
        engine=engine, generation=previous + 1, passages=len(passages), sentences=len(sentences),
        strings=len(strings), tantivy_docs=tantivy_docs,
    )
    stored = Stored(manifest, batch.records, passages, sentences, list(strings))
    _write(folder, stored, batch.terms if engine == "rank-bm25" else None)


def _previous_generation(folder: Path) -> int:
    try:
        return int(json.loads((folder / MANIFEST).read_text())["generation"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _update(
    settings: Settings, stored: Stored, changed: list[CorpusFile], removed: set[str], progress: Callable[[int], None]
) -> None:
    """Append the changed articles' passages and retire the old versions'; the rest stays as it is."""
    manifest, records, passages, sentences = stored.manifest, stored.records, stored.passages, stored.sentences
    strings_list = stored.strings
    folder = settings.index_dir
    splitter = SentenceSplitter.from_dict(json.loads((folder / PUNKT).read_text(encoding="utf-8")))
    strings = {s: i for i, s in enumerate(strings_list)}
    retire = removed | {f.doc_id for f in changed}
    records = [r.model_copy(update={"live": False}) if r.live and r.doc_id in retire else r for r in records]
    retired = [i for i, r in enumerate(records) if r.doc_id in retire]
    batch = _index_articles(changed, splitter, settings, len(records), len(passages), len(sentences), strings, progress)
    new_passages, new_sentences = batch.passages, batch.sentences
    terms_lines = None
    tantivy_docs = 0
    if manifest.engine == "tantivy":
        import tantivy

        writer = _tantivy_writer(folder, create=False)
        schema = tantivy_schema()
        for article in retired:
            writer.delete_documents_by_query(tantivy.Query.term_query(schema, ARTICLE_FIELD, article))
        _tantivy_add(writer, batch, len(passages))
        writer.commit()
        writer.wait_merging_threads()
        tantivy_docs = TantivyRetriever(folder / TANTIVY_DIR).passage_count
    else:
        terms_lines = (folder / _gen("terms.txt", manifest.generation)).read_text(encoding="utf-8").split("\n")[:-1]
        terms_lines += batch.terms
    memo = json.loads((folder / STEMS).read_text(encoding="utf-8")) if (folder / STEMS).is_file() else {}
    if len(memo) < MAX_STEM_MEMO:
        memo.update(islice(known_stems().items(), MAX_STEM_MEMO - len(memo)))
        atomic_write_bytes(folder / STEMS, json.dumps(memo).encode())
    all_passages = np.concatenate([np.asarray(passages), new_passages]) if len(new_passages) else np.asarray(passages)
    all_sentences = np.concatenate([np.asarray(sentences), new_sentences]) if len(new_sentences) else np.asarray(sentences)
    updated = manifest.model_copy(update={
        "generation": manifest.generation + 1, "passages": len(all_passages), "sentences": len(all_sentences),
        "strings": len(strings), "tantivy_docs": tantivy_docs,
    })
    _write(folder, Stored(updated, records + batch.records, all_passages, all_sentences, list(strings)), terms_lines)


def _changes(records: list[ArticleRecord], files: list[CorpusFile]) -> tuple[list[CorpusFile], set[str]]:
    """Articles added or changed (by size and time, then by hash), and ids no longer in the corpus."""
    live = {r.doc_id: r for r in records if r.live}
    changed = []
    for f in files:
        record = live.get(f.doc_id)
        if record is None or record.source != str(f.path):
            changed.append(f)
        elif (record.size, record.mtime_ns) != (f.size, f.mtime_ns) and read_text(f.path)[1] != record.sha256:
            changed.append(f)
    removed = set(live) - {f.doc_id for f in files}
    return changed, removed


def _open_stored(settings: Settings) -> Index | str:
    stored = _load(settings.index_dir)
    if isinstance(stored, str):
        return stored
    retriever = _retriever(settings.index_dir, stored)
    if isinstance(retriever, str):
        return retriever
    stems = settings.index_dir / STEMS
    if stems.is_file():
        try:
            preload_stems(json.loads(stems.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    return Index(stored, retriever)


def index_problem(settings: Settings) -> str | None:
    """Why the saved index could not serve the corpus as it is now, or None when it can."""
    stored = _load(settings.index_dir)
    if isinstance(stored, str):
        return stored
    if stored.manifest.qabot_version != __version__ or stored.manifest.settings != settings.index_fingerprint():
        return "index settings or version changed"
    changed, removed = _changes(stored.records, scan_corpus(settings.corpus_dir))
    if changed or removed:
        return f"{len(changed) + len(removed)} article(s) changed"
    return None


def open_index(
    settings: Settings, rebuild: bool = False, progress: Callable[[int], None] | None = None
) -> tuple[Index, bool]:
    """The index for the corpus: reloaded when fresh, updated when articles changed, rebuilt when
    it must be. Also says whether anything was written. `progress` is called once per article indexed.
    An index folder that cannot be written is replaced by a temporary one, with a warning."""
    try:
        return _open_index(settings, rebuild, progress or (lambda _n: None))
    except PermissionError as exc:
        problem = exc.strerror
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.ENOTDIR, errno.EACCES, errno.EEXIST):
            raise
        problem = exc.strerror
    temporary = Path(tempfile.mkdtemp(prefix="qabot-index-"))
    log.warning("could not save the index to %s (%s); using a temporary one", settings.index_dir, problem)
    return _open_index(settings.model_copy(update={"index_dir": temporary}), True, progress or (lambda _n: None))


def _open_index(settings: Settings, rebuild: bool, step: Callable[[int], None]) -> tuple[Index, bool]:
    files = scan_corpus(settings.corpus_dir)
    stored = None if rebuild else _load(settings.index_dir)
    reason = "rebuild asked for" if rebuild else None
    if isinstance(stored, str):
        reason = None if stored == "no index yet" else stored
        stored = None
    if stored is not None:
        manifest = stored.manifest
        if manifest.qabot_version != __version__:
            reason, stored = "index is from another qabot version", None
        elif manifest.settings != settings.index_fingerprint() or (settings.engine != "auto" and settings.engine != manifest.engine):
            reason, stored = "index settings changed", None
    if stored is not None:
        changed, removed = _changes(stored.records, files)
        if not changed and not removed:
            index = _open_stored(settings)
            if not isinstance(index, str):
                return index, False
            reason, stored = index, None
        else:
            leaving = removed | {f.doc_id for f in changed}
            retired_after = sum(r.passages for r in stored.records if not r.live or r.doc_id in leaving)
            if retired_after > MAX_RETIRED_SHARE * max(len(stored.passages), 1):
                reason, stored = f"{len(changed) + len(removed)} article(s) changed", None
            else:
                log.warning("updating the index: %d article(s) changed", len(changed) + len(removed))
                _update(settings, stored, changed, removed, step)
    if stored is None:
        if reason and reason != "rebuild asked for":
            log.warning("rebuilding the index: %s", reason)
        _full_build(settings, files, step)
    index = _open_stored(settings)
    if isinstance(index, str):
        raise QabotError(f"The index in {settings.index_dir} could not be read back after writing it ({index}).")
    return index, True
