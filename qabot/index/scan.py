"""The corpus as the index sees it: which article files there are, and which changed."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from qabot.corpus import decode_article, list_article_files
from qabot.errors import QabotError
from qabot.index.format import ArticleRecord


@dataclass(frozen=True)
class CorpusFile:
    doc_id: str
    path: str
    size: int
    mtime_ns: int


def scan_corpus(corpus_dir: Path) -> list[CorpusFile]:
    """Every article file with its size and time (cheap: no file is read)."""
    files = []
    seen: dict[str, str] = {}
    for path, stat in list_article_files(corpus_dir):
        doc_id = _stem(os.path.basename(path))
        if doc_id in seen:
            raise QabotError(f"Articles {seen[doc_id]} and {path} share the id {doc_id}; rename one.")
        seen[doc_id] = path
        files.append(CorpusFile(doc_id, path, stat.st_size, stat.st_mtime_ns))
    return files


def _stem(name: str) -> str:
    """`Path.stem` of a file name, without making a `Path`."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def read_text(path: str) -> tuple[str, str]:
    """(decoded text, SHA-256 of the bytes)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise QabotError(f"Cannot read the article {path} ({exc.strerror}).") from None
    return decode_article(data, path), hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> str:
    """SHA-256 of the file's bytes, without decoding them; "" when it cannot be read (then it is
    not the file indexed)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


def same_bytes(record: ArticleRecord, size: int) -> bool:
    """Whether the record's file, now of `size` bytes under a time the record does not hold, still
    has the bytes indexed (a copy, a checkout, `touch`)."""
    return size == record.size and file_sha256(record.source) == record.sha256


@dataclass(frozen=True)
class Changes:
    """How the corpus differs from the live article records."""

    changed: list[CorpusFile]
    """Added, or changed in size or bytes."""
    removed: set[str]
    redated: list[CorpusFile]
    """Files whose time alone moved (a copy, a checkout, `touch`): their bytes hash as indexed."""


def changes(live: dict[str, ArticleRecord], files: list[CorpusFile]) -> Changes:
    """Articles added or changed (by size and time, then by hash), ids no longer in the corpus, and
    files whose new time hides the same bytes."""
    changed: list[CorpusFile] = []
    redated: list[CorpusFile] = []
    for f in files:
        record = live.get(f.doc_id)
        if record is None or record.source != f.path:
            changed.append(f)
        elif (record.size, record.mtime_ns) != (f.size, f.mtime_ns):
            (redated if same_bytes(record, f.size) else changed).append(f)
    removed = set(live) - {f.doc_id for f in files}
    return Changes(changed, removed, redated)
