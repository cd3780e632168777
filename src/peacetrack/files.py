"""Writing files so that a reader sees the old file or the new one, never half of one; and a
file's SHA-256."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

# `.<target>.<8 random characters>.partial` (or `.old`): what `tempfile.mkstemp` / `mkdtemp`
# make beside a target for `write_atomic` and `release.atomic_folder`. One left behind means
# a writer was killed before it could clean up.
STAGING_SUFFIX = ".partial"
OLD_SUFFIX = ".old"
_STAGING_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.(?:partial|old)")


def staging_prefix(target: Path) -> str:
    return f".{target.name}."


def staging_leftovers(folder: Path, target: str | None = None) -> list[Path]:
    """Staging files and folders in `folder` (of `target` only, if given), sorted."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _STAGING_NAME.fullmatch(path.name)
        if match and (target is None or match["target"] == target):
            found.append(path)
    return sorted(found)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `path` whole or not at all: a temporary file beside it, then a rename.

    Text is written as UTF-8 with `\\n` line ends on every platform, so bytes are reproducible.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=staging_prefix(path), suffix=STAGING_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(staging, 0o644)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.remove(staging)


_locked: set[tuple[int, int, int]] = set()


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the existing `folder` until the block ends; wait for it if
    another process holds it.

    The lock is `flock` on the folder itself, so it leaves no lock file behind, and the kernel
    drops it when its holder dies, even by SIGKILL. Taking a lock this process already holds
    in the same thread goes straight in (the release lock is held while the bundle is swapped
    in, and the bundle may sit in the same folder).
    """
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        stat = os.fstat(handle)
        key = (threading.get_ident(), stat.st_dev, stat.st_ino)
        if key in _locked:
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        _locked.add(key)
        try:
            yield
        finally:
            _locked.discard(key)
    finally:
        os.close(handle)


def sha256_file(path: Path) -> str:
    """The SHA-256 of the file at `path` (followed if a link: callers that refuse links check first).

    Hashed once per state of the file (size, change times, inode): a release's files are
    checked on every read, and rehashing megabytes of unchanged files each time is what it saves.
    """
    state = path.stat()
    return _sha256(path, state.st_size, state.st_mtime_ns, state.st_ctime_ns, state.st_ino, state.st_dev)


@cache
def _sha256(path: Path, size: int, mtime_ns: int, ctime_ns: int, inode: int, device: int) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
