"""Opening the index for the corpus as it is now: reloaded when fresh, updated in place when
articles changed, rebuilt when it must be; one writer at a time."""

from __future__ import annotations

import atexit
import errno
import gc
import logging
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from qabot.engines import ENGINES
from qabot.errors import IndexDamaged, IndexOutdated, IndexUnusable, QabotError
from qabot.index import build
from qabot.index import format as fmt
from qabot.index.build import Progress
from qabot.index.format import Stored
from qabot.index.scan import CorpusFile, changes, scan_corpus
from qabot.index.store import Index
from qabot.settings import Settings
from qabot.storage import writer_lock

if TYPE_CHECKING:
    from qabot.semantic.encoder import SentenceEncoder

log = logging.getLogger(__name__)

MAX_RETIRED_SHARE = 0.3
"""Rebuild from scratch once this share of the stored passages belongs to retired article versions."""
_GENERATION = re.compile(r"^[a-z]+\.(\d+)")


@dataclass
class _Plan:
    """What opening must do: reuse or update `stored`, or build anew (for `reason`)."""

    stored: Stored | None
    changed: list[CorpusFile] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    redated: list[CorpusFile] = field(default_factory=list)
    reason: str = ""


def _stored(settings: Settings, earlier: Stored | None = None) -> Stored:
    """The committed index, if it was built for these settings; else IndexUnusable says why.
    `earlier`, a state read before, spares reading again what it holds."""
    stored = fmt.load(settings.index_dir, earlier)
    manifest = stored.manifest
    if manifest.settings != settings.index_fingerprint() or settings.engine not in ("auto", manifest.engine):
        raise IndexOutdated("index settings changed")
    return stored


def _plan(settings: Settings, files: list[CorpusFile], rebuild: bool) -> _Plan:
    if rebuild:
        return _Plan(None, reason="rebuild asked for")
    try:
        stored = _stored(settings)
    except IndexUnusable as problem:
        return _Plan(None, reason=str(problem))
    live = stored.live_records()
    live_flags = live.tolist()
    found = changes({r.doc_id: r for r, alive in zip(stored.records, live_flags) if alive}, files)
    leaving = found.removed | {f.doc_id for f in found.changed}
    retired_after = sum(r.passages for r, alive in zip(stored.records, live_flags) if not alive or r.doc_id in leaving)
    if leaving and retired_after > MAX_RETIRED_SHARE * max(len(stored.passages), 1):
        return _Plan(None, reason=f"{len(leaving)} article(s) changed")
    return _Plan(stored, found.changed, found.removed, found.redated)


def _opened(settings: Settings, stored: Stored) -> Index:
    engine = ENGINES[stored.manifest.engine].open(settings.index_dir, stored.manifest.engine_state, stored.live_passages().nonzero()[0])
    return Index(stored, engine)


def _next_generation(folder: Path) -> int:
    """A generation number no file in the folder has, so a reader of an older one is never
    overwritten, whatever state the manifest is in."""
    found = [int(m.group(1)) for entry in folder.iterdir() if (m := _GENERATION.match(entry.name))]
    return max(found, default=0) + 1


def index_problem(settings: Settings) -> str | None:
    """Why the saved index could not serve the corpus as it is now, or None when it can."""
    with _collector_paused():
        plan = _plan(settings, scan_corpus(settings.corpus_dir), rebuild=False)
    if plan.stored is None:
        return plan.reason
    if plan.changed or plan.removed:
        return f"{len(plan.changed) + len(plan.removed)} article(s) changed"
    return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while opening or checking the index: it scanned the tens of
    thousands of records and file entries opening makes (none of them in cycles) again and again,
    which took half the time of adding an article to a 20,000-article index."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_index(
    settings: Settings, rebuild: bool = False, progress: Progress | None = None, fallback: bool = True,
    encoder: SentenceEncoder | None = None,
) -> tuple[Index, bool]:
    """The index for the corpus: reloaded when fresh, updated when articles changed, rebuilt when
    it must be. Also says whether it was built or updated (recording files' new times alone is
    neither). `progress` is called once per article indexed.
    An index folder that cannot be written is replaced, with a warning, by a temporary one that is
    removed when the process ends; without `fallback`, that is an error instead. With `encoder`,
    the index also holds a vector per sentence, when the corpus is small enough."""
    step = progress or (lambda _n: None)
    try:
        with _collector_paused():
            return _open_index(settings, rebuild, step, encoder)
    except PermissionError as exc:
        problem = exc.strerror
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.ENOTDIR, errno.EACCES, errno.EEXIST, errno.ENOSPC):
            raise
        problem = exc.strerror
    if not fallback:
        raise QabotError(f"Cannot write the index to {settings.index_dir} ({problem}).")
    temporary = Path(tempfile.mkdtemp(prefix="qabot-index-"))
    atexit.register(shutil.rmtree, temporary, True)
    log.warning("could not save the index to %s (%s); using a temporary one", settings.index_dir, problem)
    return _open_index(settings.model_copy(update={"index_dir": temporary}), True, step, encoder)


def _served(settings: Settings, plan: _Plan, encoder: SentenceEncoder | None) -> Index | None:
    """The committed index when it serves the corpus as it is, else None (and `plan` says why)."""
    if plan.stored is None or plan.changed or plan.removed:
        return None
    manifest = plan.stored.manifest
    if build.wants_vectors(encoder, settings, manifest.sentences) and manifest.vectors_model != getattr(encoder, "sha256", ""):
        return None
    try:
        return _opened(settings, plan.stored)
    except IndexDamaged as problem:
        plan.stored, plan.reason = None, str(problem)
        return None


def _unchanged(folder: Path, plan: _Plan) -> bool:
    """Whether the index `plan` was made from is still the committed one (no other writer came
    between), so that planning need not load it again."""
    if plan.stored is None:
        return False
    try:
        return fmt.read_manifest(folder) == plan.stored.manifest
    except IndexUnusable:
        return False


def _redated(settings: Settings, files: list[CorpusFile], plan: _Plan, stored: Stored) -> _Plan:
    """The plan once the new times of files whose bytes are as indexed are committed, so that later
    openings (and `qabot health`, every 30 s in the container) need not hash them again. Best
    effort: an index folder that cannot be written is served as it is, hashing them each time."""
    folder = settings.index_dir
    try:
        with writer_lock(folder):
            if not _unchanged(folder, plan):
                return _plan(settings, files, rebuild=False)
            build.redate(folder, stored, plan.redated)
    except OSError as exc:
        log.info("could not record the new file times in %s (%s)", folder, exc.strerror)
        return plan
    try:
        return _Plan(_stored(settings, stored))
    except IndexUnusable as problem:
        return _Plan(None, reason=str(problem))


def _open_index(settings: Settings, rebuild: bool, step: Progress, encoder: SentenceEncoder | None) -> tuple[Index, bool]:
    files = scan_corpus(settings.corpus_dir)
    plan = _plan(settings, files, rebuild)
    if plan.stored is not None and plan.redated and not plan.changed and not plan.removed:
        plan = _redated(settings, files, plan, plan.stored)
    if not rebuild and (index := _served(settings, plan, encoder)):
        return index, False
    folder = settings.index_dir
    with writer_lock(folder):
        if not _unchanged(folder, plan):
            plan = _plan(settings, files, rebuild)
            if index := _served(settings, plan, encoder):
                return index, False
        if plan.stored is not None and not plan.changed and not plan.removed and encoder is not None:
            build.add_vectors(folder, plan.stored, encoder)
        elif plan.stored is not None:
            log.warning("updating the index: %d article(s) changed", len(plan.changed) + len(plan.removed))
            try:
                build.update(folder, settings, plan.stored, plan.changed, plan.removed, plan.redated, step, encoder)
            except IndexDamaged as problem:
                plan = _Plan(None, reason=str(problem))
        if plan.stored is None:
            if plan.reason not in ("rebuild asked for", "no index yet"):
                log.warning("rebuilding the index: %s", plan.reason)
            build.full_build(folder, settings, files, _next_generation(folder), step, encoder)
    try:
        return _opened(settings, _stored(settings, plan.stored)), True
    except IndexUnusable as problem:
        raise QabotError(f"The index in {folder} could not be read back after writing it ({problem}).") from None
