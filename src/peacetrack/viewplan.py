"""What `connect` makes a release's views from, worked out once and kept in the cache.

Making the views of a release takes its index entry (the index, parsed by pydantic), its tables
(its `datapackage.json`, read into the contract's `Table`s) and the SQL `schema.py` renders from
them: the imports alone (pydantic, pyarrow, the contract) took 0.6 s of the 1 s `connect()`
spent on a release of 1M statements, where plain DuckDB views take 0.37 s in all. None of it
changes while the index, the release's files and peacetrack's own code stay the same. So the
first `connect` writes it down (a `ViewPlan`, JSON in the cache, named by a hash of the data
folder, the version asked for, the index's bytes and the stamp of peacetrack's modules), and a
later one with the same index and code reads it back, verifies every file against its
published SHA-256 (hashing again only a file no longer in the state it was hashed in: see
`file_stamp`), and runs its SQL, without those imports.

A plan is SQL that runs before a connection is locked, so it is trusted only as the user's own
files are: a file owned by another user, or that another user may write, is never read; a plan
whose name is not its own key (a copy, or a link) neither. Anything else wrong with it (not JSON,
another shape, a file not as published) means no plan: `connect` then works it out again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peacetrack.files import sha256_file, write_atomic
from peacetrack.places import cache_dir, data_dir

# A plan's shape; another number is another shape, never read as this one.
PLAN_FORMAT = 1
# A plan is a few dozen kilobytes; anything larger is not one.
PLAN_MAX_BYTES = 4 * 1024 * 1024
# The newest plans kept; older ones are removed when a plan is written.
PLANS_KEPT = 16


@dataclass(frozen=True)
class ViewPlan:
    """A release's views: its files (verified at each connect) and the SQL that makes them.

    `files` maps each file `connect` verifies, the descriptor and each table's Parquet file (the
    table's name, `.parquet`), to its published SHA-256; `folder` is where they were found.
    `stamps` holds the state (`file_stamp`) of each file whose SHA-256 was found to be the
    published one in that state: a file still in it is not hashed again (see `file_stamp`).
    `types` are the enum types' CREATE TYPE statements, `selects` each table's select list (its
    columns cast to their types), `sources` each table's file as an SQL string literal,
    `comments` the COMMENT ON statements of the views."""

    version: str
    folder: Path
    files: dict[str, str]
    stamps: dict[str, list[int]]
    types: tuple[str, ...]
    selects: dict[str, str]
    sources: dict[str, str]
    comments: tuple[str, ...]


def file_stamp(path: Path) -> list[int]:
    """The state of the file at `path`: size, modification and change times (ns), inode, device.

    The state files.sha256_file keys its hashes by. A write changes the change time (ctime),
    whatever it does to the modification time, and no call sets it back: a file changed in
    place, even with its modification time restored, is in another state and is hashed again.
    What this cannot see is a change made below the file system (its device written directly,
    or the clock set back by root), as a hash kept in memory could not either."""
    state = path.stat()
    return [state.st_size, state.st_mtime_ns, state.st_ctime_ns, state.st_ino, state.st_dev]


def verified_stamp(path: Path, sha256: str) -> list[int] | None:
    """The state of the file at `path` in which its SHA-256 is `sha256`; None if it is not, is
    not there, or changed while it was hashed."""
    try:
        before = file_stamp(path)
        if sha256_file(path) != sha256:
            return None
        return before if file_stamp(path) == before else None
    except OSError:
        return None


def plan_key(version: str | None) -> str | None:
    """The name of the plan of `version` (None or `latest`: the latest) with the data folder's
    index as it is now and peacetrack's code as it is; None when there is no index to read."""
    folder = data_dir()
    try:
        index = (folder / "index.json").read_bytes()
    except OSError:
        return None
    modules = Path(__file__).parent
    code = sorted((p.name, *_stamp(p)) for p in modules.glob("*.py"))
    what = [PLAN_FORMAT, str(folder), version or "latest", hashlib.sha256(index).hexdigest(), code]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()


def _stamp(path: Path) -> tuple[int, int]:
    state = path.stat()
    return state.st_size, state.st_mtime_ns


def _plan_path(key: str) -> Path:
    return cache_dir() / "views" / f"{key}.json"


def read_plan(key: str) -> ViewPlan | None:
    """The plan named `key`, if there is one the user's own, of this shape; else None."""
    try:
        fd = os.open(_plan_path(key), os.O_RDONLY | os.O_NOFOLLOW)
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as handle:
        state = os.fstat(fd)
        mine = state.st_uid == os.geteuid() and not state.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        if not (mine and stat.S_ISREG(state.st_mode) and state.st_size <= PLAN_MAX_BYTES):
            return None
        try:
            return _parsed(json.loads(handle.read()), key)
        except (OSError, ValueError, TypeError, KeyError):
            return None


def _parsed(data: dict[str, Any], key: str) -> ViewPlan | None:
    if data["format"] != PLAN_FORMAT or data["key"] != key:
        return None
    plan = ViewPlan(
        version=data["version"],
        folder=Path(data["folder"]),
        files=dict(data["files"]),
        stamps={name: list(stamp) for name, stamp in data["stamps"].items()},
        types=tuple(data["types"]),
        selects=dict(data["selects"]),
        sources=dict(data["sources"]),
        comments=tuple(data["comments"]),
    )
    texts = [plan.version, data["folder"], *plan.files, *plan.files.values(), *plan.types, *plan.comments]
    texts += [*plan.selects, *plan.selects.values(), *plan.sources.values()]
    if not all(isinstance(text, str) for text in texts) or plan.sources.keys() != plan.selects.keys():
        return None
    if not all(f"{name}.parquet" in plan.files for name in plan.selects):
        return None
    if not all(isinstance(n, int) for stamp in plan.stamps.values() for n in stamp):
        return None
    return plan


def write_plan(key: str, plan: ViewPlan) -> None:
    """Keep `plan` as `key`, atomically, and only the newest PLANS_KEPT plans; a cache that
    cannot be written only means the next connect works the plan out again."""
    data = {
        "format": PLAN_FORMAT,
        "key": key,
        "version": plan.version,
        "folder": str(plan.folder),
        "files": plan.files,
        "stamps": plan.stamps,
        "types": list(plan.types),
        "selects": plan.selects,
        "sources": plan.sources,
        "comments": list(plan.comments),
    }
    path = _plan_path(key)
    with suppress(OSError):
        write_atomic(path, json.dumps(data, ensure_ascii=False))
        plans = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in plans[PLANS_KEPT:]:
            old.unlink(missing_ok=True)
