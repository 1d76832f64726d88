"""The index on disk: the manifest, the files it names, reading them back and committing them.

Nothing in an index can run code when loaded (JSON, raw fixed-width arrays, text). The manifest
is the commit point: it names every data file with the number of bytes that belong to it. A full
build writes generation `g`'s files, then the manifest; an update only appends to those files
(and starts a new engine folder), then writes the manifest. Bytes past a committed size are what
an interrupted writer left: readers ignore them and the next writer cuts them off. Files that no
manifest names are removed after each commit.

- `articles.<g>.jsonl`: one record per article version (id, source, size, mtime, SHA-256, title,
  its passages, the abbreviations it defines); the manifest lists the versions since changed or
  removed (`retired`);
- `passages.<g>.bin`, `sentences.<g>.bin`: fixed-width rows, memory-mapped, so memory stays flat
  however large the corpus;
- `strings.<g>.jsonl`: headings and table headers, one JSON string a line;
- `times.<g>.jsonl`: `[record, mtime_ns]` a line, the new time of an article file whose bytes are
  still those indexed (a copy, a checkout, `touch`), so that opening hashes such a file once, not
  at every start;
- `punkt.<g>.json`: the trained sentence splitter, so later additions split the same way;
- `vectors.<g>.f16` (with the sentence encoder, for corpora small enough): a unit vector per row
  of the sentence table, float16, memory-mapped; the manifest names the model that made them;
- the engine's own files (see `qabot.engines`).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

from qabot import __version__
from qabot.engines.base import EngineState
from qabot.errors import IndexDamaged, IndexOutdated, NoIndex
from qabot.storage import append_bytes, atomic_write_bytes

FORMAT_VERSION = 9
"""Raised whenever what an index holds changes meaning, its terms included (6: irregular plurals
as their singulars; 7: each article's abbreviations; 8: numbers written out as their digits; 9:
irregular past forms as their verb), so that an older index is rebuilt, not misread."""
MANIFEST = "manifest.json"
LOCK = "lock"
KINDS = ("paragraph", "list_item", "table_row")
PASSAGE_DTYPE = np.dtype([
    ("article", "<i4"), ("first", "<i8"), ("count", "<i4"), ("heading", "<i4"), ("context", "<i4"),
    ("byte_start", "<i8"), ("byte_end", "<i8"),
])
"""A passage: its article, its sentences (first, count), its heading and context strings, and
where it stands in the article file in bytes (-1 when the file is not clean UTF-8), so that
answering reads only the passages it scores."""
SENTENCE_DTYPE = np.dtype([("start", "<i8"), ("end", "<i8"), ("paragraph", "<i4"), ("kind", "i1")])
APPENDED = ("articles", "passages", "sentences", "strings", "times")
"""The files an update appends to, by kind."""
VECTORS = "vectors"
VECTOR_DTYPE = np.dtype("<f2")
DAMAGED = "index file is damaged"
_OWN_NAME = re.compile(r"^(?:[a-z]+\.\d+(?:\.\d+)?(?:\.[a-z]+)?|\.[\w.-]+\.tmp|punkt\.json|stems\.json|tantivy)$")
"""Names qabot gives files and folders in an index folder (with those of format 3): the only
ones it ever removes, whatever else a user keeps there."""


def file_name(kind: str, generation: int) -> str:
    """The name of one of a generation's files."""
    suffix = {"passages": "bin", "sentences": "bin", VECTORS: "f16"}.get(kind, "jsonl")
    return f"{kind}.{generation}.{suffix}"


class ArticleRecord(BaseModel):
    doc_id: str
    source: str
    size: int
    mtime_ns: int
    sha256: str
    title: str
    first_passage: int
    passages: int
    abbreviations: list[tuple[str, str]] = []
    """The abbreviations the article defines, (short form, long form) as written."""


class Manifest(BaseModel):
    format_version: int
    qabot_version: str
    settings: dict[str, Any]
    engine: str
    generation: int
    revision: int = 0
    """Updates since the full build of this generation."""
    files: dict[str, int]
    """Each appended file of the generation and how many of its bytes are committed."""
    punkt: str
    engine_state: EngineState
    articles: int
    passages: int
    sentences: int
    strings: int
    retired: list[int] = []
    """Record numbers of article versions since changed or removed."""
    vectors_model: str = ""
    """SHA-256 of the sentence encoder's weights that made `vectors.<g>.f16`; "" for none."""
    vector_dims: int = 0

    def file(self, kind: str) -> str:
        return file_name(kind, self.generation)


@dataclass(frozen=True)
class Stored:
    """One committed state of the index as read from disk (arrays memory-mapped)."""

    manifest: Manifest
    records: list[ArticleRecord]
    passages: np.ndarray
    sentences: np.ndarray
    strings: list[str]
    vectors: np.ndarray | None = None
    """A unit vector per sentence row (float16), when the manifest names a model."""

    def live_records(self) -> np.ndarray:
        live = np.ones(len(self.records), dtype=bool)
        live[self.manifest.retired] = False
        return live

    def live_passages(self) -> np.ndarray:
        """Which passages belong to live article versions."""
        return self.live_records()[self.passages["article"]] if len(self.passages) else np.zeros(0, dtype=bool)


@dataclass(frozen=True)
class Addition:
    """What a build or update adds: records, rows and strings numbered after what is stored."""

    records: list[ArticleRecord]
    passages: np.ndarray
    sentences: np.ndarray
    strings: list[str]


_RECORDS = TypeAdapter(list[ArticleRecord])
_STRINGS = TypeAdapter(list[str])
_TIMES = TypeAdapter(list[tuple[int, int]])


def _lines(data: bytes) -> list[bytes]:
    if data and not data.endswith(b"\n"):
        raise IndexDamaged(DAMAGED)
    return data.split(b"\n")[:-1] if data else []


def _json_array(lines: list[bytes]) -> bytes:
    return b"[" + b",".join(lines) + b"]"


def _array(folder: Path, name: str, size: int, dtype: np.dtype, count: int) -> np.ndarray:
    if size != count * dtype.itemsize:
        raise IndexDamaged(DAMAGED)
    if count == 0:
        return np.zeros(0, dtype=dtype)
    try:
        if (folder / name).stat().st_size < size:
            raise IndexDamaged(DAMAGED)
        return np.memmap(folder / name, dtype=dtype, mode="r", shape=(count,))
    except (OSError, ValueError):
        raise IndexDamaged(DAMAGED) from None


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise NoIndex("no index yet")
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        raise IndexDamaged(DAMAGED) from None
    if not isinstance(raw, dict) or raw.get("format_version") != FORMAT_VERSION:
        raise IndexOutdated("index is from another qabot version")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError:
        raise IndexDamaged(DAMAGED) from None
    if manifest.qabot_version != __version__:
        raise IndexOutdated("index is from another qabot version")
    return manifest


def _appended_lines(folder: Path, manifest: Manifest, kind: str, earlier: Manifest | None) -> tuple[bytes, int]:
    """The committed lines of an appended JSON-lines file as a JSON array, from where `earlier`
    (a committed state of the same generation) ended, and that byte offset (0: from the start)."""
    name = manifest.file(kind)
    size = manifest.files[name]
    start = earlier.files.get(name, 0) if earlier is not None and earlier.generation == manifest.generation else 0
    if start > size:
        start = 0
    try:
        with open(folder / name, "rb") as handle:
            handle.seek(start)
            data = handle.read(size - start)
    except OSError:
        raise IndexDamaged(DAMAGED) from None
    if len(data) != size - start:
        raise IndexDamaged(DAMAGED)
    return _json_array(_lines(data)), start


def load(folder: Path, earlier: Stored | None = None) -> Stored:
    """The committed index in `folder`; raises an IndexUnusable saying why it cannot be used.

    Given an `earlier` committed state of the same generation, only what was appended since is
    parsed: the files are append-only, so the bytes it read are still there, unchanged. At 20,000
    articles that saves a quarter second per load."""
    manifest = read_manifest(folder)
    kinds = APPENDED + ((VECTORS,) if manifest.vectors_model else ())
    if set(manifest.files) != {manifest.file(kind) for kind in kinds}:
        raise IndexDamaged(DAMAGED)
    size = {kind: manifest.files[manifest.file(kind)] for kind in APPENDED}
    known = earlier.manifest if earlier is not None else None
    try:
        new_records, start = _appended_lines(folder, manifest, "articles", known)
        kept = earlier.records if earlier is not None and start else []
        records = kept + _RECORDS.validate_json(new_records)
        new_times, _ = _appended_lines(folder, manifest, "times", known if start else None)
        _redate(records, _TIMES.validate_json(new_times), len(kept))
        new_strings, start = _appended_lines(folder, manifest, "strings", known)
        strings = (earlier.strings if earlier is not None and start else []) + _STRINGS.validate_json(new_strings)
    except ValidationError:
        raise IndexDamaged(DAMAGED) from None
    passages = _array(folder, manifest.file("passages"), size["passages"], PASSAGE_DTYPE, manifest.passages)
    sentences = _array(folder, manifest.file("sentences"), size["sentences"], SENTENCE_DTYPE, manifest.sentences)
    vectors = _vectors(folder, manifest) if manifest.vectors_model else None
    read_punkt(folder, manifest)
    consistent = (
        len(records) == manifest.articles
        and len(strings) == manifest.strings
        and all(0 <= r < len(records) for r in manifest.retired)
        and (len(passages) == 0 or int(passages["article"].max()) < len(records))
    )
    if not consistent:
        raise IndexDamaged(DAMAGED)
    return Stored(manifest, records, passages, sentences, strings, vectors)


def _redate(records: list[ArticleRecord], times: list[tuple[int, int]], shared: int) -> None:
    """Give records the times their files have since had with the same bytes (the last, for a file
    touched again and again). The first `shared` records belong to an earlier state too, so they
    are replaced, not changed; the rest are set in place (copying all 20,000 took 0.1 s)."""
    for number, mtime_ns in dict(times).items():
        if not 0 <= number < len(records):
            raise IndexDamaged(DAMAGED)
        if number < shared:
            records[number] = records[number].model_copy(update={"mtime_ns": mtime_ns})
        else:
            records[number].mtime_ns = mtime_ns


def _vectors(folder: Path, manifest: Manifest) -> np.ndarray:
    name = manifest.file(VECTORS)
    dims = manifest.vector_dims
    if dims <= 0 or manifest.files[name] != manifest.sentences * dims * VECTOR_DTYPE.itemsize:
        raise IndexDamaged(DAMAGED)
    if manifest.sentences == 0:
        return np.zeros((0, dims), dtype=VECTOR_DTYPE)
    try:
        if (folder / name).stat().st_size < manifest.files[name]:
            raise IndexDamaged(DAMAGED)
        return np.memmap(folder / name, dtype=VECTOR_DTYPE, mode="r", shape=(manifest.sentences, dims))
    except (OSError, ValueError):
        raise IndexDamaged(DAMAGED) from None


def append_vectors(folder: Path, manifest: Manifest, vectors: np.ndarray, committed: int) -> int:
    """Append vector rows after the first `committed` bytes; returns the new committed size."""
    data = np.ascontiguousarray(vectors, dtype=VECTOR_DTYPE).tobytes()
    return append_bytes(folder / manifest.file(VECTORS), committed, data)


def read_punkt(folder: Path, manifest: Manifest) -> dict[str, list[Any]]:
    """The sentence splitter's parameters as saved, for splitting added articles the same way."""
    try:
        data = json.loads((folder / manifest.punkt).read_bytes())
    except (OSError, ValueError):
        raise IndexDamaged(DAMAGED) from None
    keys = ("abbrev_types", "collocations", "sent_starters", "ortho_context")
    if not isinstance(data, dict) or not all(isinstance(data.get(key), list) for key in keys):
        raise IndexDamaged(DAMAGED)
    return data


def _encoded(addition: Addition) -> dict[str, bytes]:
    """Each appended file's new bytes. Times are appended by `append_times` alone; an addition
    only starts their file, so that every generation has one."""
    return {
        "articles": b"".join(r.model_dump_json().encode() + b"\n" for r in addition.records),
        "passages": np.ascontiguousarray(addition.passages, dtype=PASSAGE_DTYPE).tobytes(),
        "sentences": np.ascontiguousarray(addition.sentences, dtype=SENTENCE_DTYPE).tobytes(),
        "strings": b"".join(json.dumps(s).encode() + b"\n" for s in addition.strings),
        "times": b"",
    }


def _time_lines(times: list[tuple[int, int]]) -> bytes:
    return b"".join(b"[%d,%d]\n" % time for time in times)


def append_times(folder: Path, manifest: Manifest, times: list[tuple[int, int]]) -> dict[str, int]:
    """Append new record times after the manifest's committed bytes; returns its files' sizes then."""
    name = manifest.file("times")
    return {**manifest.files, name: append_bytes(folder / name, manifest.files[name], _time_lines(times))}


def append(folder: Path, generation: int, files: dict[str, int], addition: Addition) -> dict[str, int]:
    """Append an addition to a generation's files after their committed sizes `files` (written for
    the first time when it names none yet); returns the files' new committed sizes."""
    sizes = {}
    for kind, data in _encoded(addition).items():
        name = file_name(kind, generation)
        sizes[name] = append_bytes(folder / name, files.get(name, 0), data)
    return sizes


def write_punkt(folder: Path, name: str, parameters: dict[str, list[Any]]) -> None:
    atomic_write_bytes(folder / name, json.dumps(parameters).encode())


def commit(folder: Path, manifest: Manifest) -> None:
    """Write the manifest (the commit point), then remove every file of qabot's that it does not
    name: earlier generations, and what an interrupted writer left."""
    atomic_write_bytes(folder / MANIFEST, manifest.model_dump_json().encode())
    keep = {manifest.punkt, *manifest.files, *manifest.engine_state.files, *manifest.engine_state.folders}
    for entry in folder.iterdir():
        if entry.name in keep or not _OWN_NAME.match(entry.name):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
