"""File writes that never leave a half-written file in use, and the index folder's writer lock."""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)


def _fsync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def append_bytes(path: Path, committed: int, data: bytes) -> int:
    """Append `data` after the first `committed` bytes of `path` (a file only ever appended to),
    dropping whatever an interrupted writer left after them; returns the new size. Readers that
    read only up to a committed size never see the change until it is committed elsewhere."""
    with open(path, "r+b" if path.exists() else "w+b") as handle:
        handle.truncate(committed)
        handle.seek(committed)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()


@contextmanager
def writer_lock(folder: Path, name: str = "lock") -> Iterator[None]:
    """Hold the folder's exclusive writer lock; a second writer waits (saying so once) until the
    first is done. The lock is the operating system's (flock), so it ends with its process."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another qabot is writing the index in %s; waiting for it to finish", folder)
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
