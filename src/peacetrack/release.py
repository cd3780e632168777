"""Releases: cut from the seeds, published into a data folder, found, cleaned up and bundled.

A release is an immutable folder `releases/VERSION/` (tables, data card, `datapackage.json`,
`SHA256SUMS`) registered in `index.json`. It is written beside its place and moved in whole
under the release lock, and the index changes only once it is in place; the same inputs give
the same bytes, so a release can be re-derived and checked.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import semver

from peacetrack.changelog import changelog_date
from peacetrack.checks import check_tables
from peacetrack.datapackage import SUMS_FILE, datapackage, file_entries, file_entry, sha256sums
from peacetrack.descriptor import DATAPACKAGE_FILE
from peacetrack.errors import DataError, ReleaseError
from peacetrack.files import (
    atomic_folder,
    folder_lock,
    remove,
    reported_as_release_error,
    sha256_file,
    staging_leftovers,
    write_atomic,
)
from peacetrack.index import (
    INDEX_FILE,
    LATEST,
    RELEASES_DIR,
    FileEntry,
    ReleaseEntry,
    ReleaseIndex,
    is_release_name,
    read_index,
    read_index_bytes,
    release_folder,
    release_version,
    write_index,
)
from peacetrack.schema import duckdb_load_script, dump_json
from peacetrack.tablefiles import write_tables
from peacetrack.tables import SCHEMA_VERSION, TABLES

if TYPE_CHECKING:
    from peacetrack.seeds import Build

CHANGELOG_FILE = "CHANGELOG.md"
# The DuckDB script that makes a database of the release, run in its folder (`schema/load.sql`).
LOAD_SCRIPT_FILE = "load.sql"
# Published before releases carried the load script: releases are immutable, so they rebuild without it.
RELEASES_WITHOUT_LOAD_SCRIPT = frozenset({"1.0.0"})
Bump = Literal["major", "minor", "patch"]


def parse_version(text: str) -> semver.Version:
    try:
        return release_version(text)
    except ValueError as error:
        raise ReleaseError(str(error)) from None


def bump_version(latest: str | None, bump: Bump) -> str:
    """The next version after `latest` (after 0.0.0 when there is no release yet)."""
    current = parse_version(latest) if latest else semver.Version(0, 0, 0)
    return str(current.next_version(part=bump))


def inputs_sha256(seeds: Path) -> str:
    """One hash of everything a release is built from: every seed file (path and bytes) and the schema version.

    A symbolic link under `seeds` is refused: the hash would not see through it (or would
    see what it points at, outside the seeds), so it would not say what the release holds.
    """
    digest = hashlib.sha256(f"peacetrack schema {SCHEMA_VERSION}\n".encode())
    files = []
    for path in seeds.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(seeds).parts):
            continue
        if path.is_symlink():
            raise ReleaseError(f"{path}: a symbolic link in the seeds; put the file or folder itself there")
        if path.is_file():
            files.append(path)
    with reported_as_release_error(f"read the seeds in {seeds}"):
        for path in sorted(files):
            data = path.read_bytes()
            digest.update(f"{path.relative_to(seeds).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def verified_tables(root: Path, entry: ReleaseEntry) -> Path:
    """The folder of a listed release, once each table's Parquet file (and its descriptor,
    which says the tables' schema, where the index lists one) is a regular file (not a link)
    with the SHA-256 the index publishes: a changed file is refused, never read."""
    folder = release_folder(root, entry.version)
    described = [DATAPACKAGE_FILE] if entry.file(DATAPACKAGE_FILE) else []
    for file in [*(f"{name}.parquet" for name in TABLES), *described]:
        published, path = entry.file(file), folder / file
        if published is None:
            raise ReleaseError(f"release {entry.version} lists no file {path.name} in {root / INDEX_FILE}")
        if not os.path.lexists(path):
            raise ReleaseError(f"{path}: missing from release {entry.version}: restore the release folder")
        if path.is_symlink() or not path.is_file():
            raise ReleaseError(
                f"{path}: not a regular file of release {entry.version}: refused (links are never followed)"
            )
        if sha256_file(path) != published.sha256:
            raise ReleaseError(
                f"{path}: not the file published as release {entry.version} (its SHA-256 differs from the index's): restore it"
            )
    return folder


def write_release(
    frames: Mapping[str, pd.DataFrame], version: str, release_date: date, folder: Path
) -> list[FileEntry]:
    """Every file of a release into `folder` (tables, data card, datapackage.json, SHA256SUMS);
    returns each file with its hash and size, sorted by path."""
    from peacetrack.report import write_report  # matplotlib loads only when a card is drawn

    write_tables(frames, folder)
    if version not in RELEASES_WITHOUT_LOAD_SCRIPT:
        write_atomic(folder / LOAD_SCRIPT_FILE, duckdb_load_script())
    # The data card and its figures go in before the data package and the checksums, which cover them.
    write_report(dict(frames), version, release_date.isoformat(), folder)
    files = {entry.path: entry for entry in file_entries(folder)}
    write_atomic(folder / DATAPACKAGE_FILE, dump_json(datapackage(version, release_date, files)))
    files[DATAPACKAGE_FILE] = file_entry(folder, DATAPACKAGE_FILE)
    write_atomic(folder / SUMS_FILE, sha256sums(files.values()))
    files[SUMS_FILE] = file_entry(folder, SUMS_FILE)
    return sorted(files.values(), key=lambda entry: entry.path)


@contextmanager
def release_lock(root: Path) -> Iterator[None]:
    """Held by whoever changes `root`'s releases, from reading the index to writing it, so
    that two releases at once take turns and the index and the folders always agree."""
    root.mkdir(parents=True, exist_ok=True)
    with folder_lock(root):
        yield


def clean_command(root: Path) -> str:
    return f"peacetrack release --clean --root {root}"


def leftovers(root: Path, index: ReleaseIndex) -> list[Path]:
    """What an interrupted release left under `root`: staging folders and files, and release
    folders the index does not list. Only true under the release lock: outside it, they may
    be a running release's."""
    releases = root / RELEASES_DIR
    unlisted = []
    if releases.is_dir():
        listed = {r.version for r in index.releases}
        unlisted = [p for p in releases.iterdir() if semver.Version.is_valid(p.name) and p.name not in listed]
    return sorted([*staging_leftovers(root, INDEX_FILE), *staging_leftovers(releases), *unlisted])


def check_new_version(root: Path, index: ReleaseIndex, version: str) -> None:
    """Refuse a version that was released before (a release never changes), and any release
    while an interrupted one left files behind. Call under the release lock."""
    if index.find(version) is not None:
        raise ReleaseError(
            f"release {version} already exists ({release_folder(root, version)}); "
            "a release is never changed: cut a new version"
        )
    left = leftovers(root, index)
    if left:
        listing = "\n".join(f"  {path}" for path in left)
        raise ReleaseError(
            f"an interrupted release left files that {root / INDEX_FILE} does not list:\n{listing}\n"
            f"remove them with `{clean_command(root)}` (a release can always be cut again from its seeds), then retry"
        )


def build_tables(seeds: Path) -> Build:
    """The tables built from `seeds`; the build stack (YAML, pydantic) loads only when asked."""
    from peacetrack.seeds import build_tables as build

    return build(seeds)


def cut_release(version: str, seeds: Path, root: Path) -> ReleaseEntry:
    """Build from `seeds` and publish it as `root/releases/VERSION/` (see `publish_release`).

    The version is checked before the build, for a quick answer, and again under the lock.
    """
    version = str(parse_version(version))
    with reported_as_release_error(f"cut release {version} in {root}"):
        if root.is_dir():
            with release_lock(root):
                check_new_version(root, read_index(root), version)
        release_date = changelog_date(root / CHANGELOG_FILE, version)
        build = build_tables(seeds)
        if not build.ok:
            faults = "\n".join(str(f) for f in build.errors)
            raise ReleaseError(f"{faults}\n{len(build.errors)} error(s) in {seeds}: no release written")
        inputs = inputs_sha256(seeds)
    return publish_release(build.frames, version, release_date, root, inputs, checked=True)


def publish_release(
    frames: Mapping[str, pd.DataFrame],
    version: str,
    release_date: date,
    root: Path,
    inputs: str,
    *,
    checked: bool = False,
) -> ReleaseEntry:
    """Write `root/releases/VERSION/` and register it in the index, under the release lock;
    refuse tables that break the contract (`check_tables`: every rule on rows, keys and links).
    Tables a build without errors made (`checked`) were checked by it, their quotes against
    the texts too: not checked a second time (a fifth of a release's time at 500 sources).

    The folder is written beside its place and moved in whole; the index changes only once
    the folder is in place, and a failure to update it takes the folder away again. A kill
    in between leaves a folder the index does not list, which the next release reports.
    """
    with reported_as_release_error(f"write release {version} in {root}"), release_lock(root):
        index = read_index(root)
        check_new_version(root, index, version)
        # Every rule on the tables (the texts are not at hand: quotes are checked by the build).
        faults = [] if checked else [fault for fault in check_tables(frames, {}) if fault.severity == "error"]
        if faults:  # frames may come from elsewhere than a build: they keep the contract all the same
            raise ReleaseError(
                "\n".join(map(str, faults)) + f"\n{len(faults)} error(s) in the tables: no release written"
            )
        target = release_folder(root, version)
        with atomic_folder(target) as staging:
            files = write_release(frames, version, release_date, staging)
        entry = ReleaseEntry(
            version=version,
            date=release_date,
            schema_version=SCHEMA_VERSION,
            inputs_sha256=inputs,
            rows={name: len(frames[name]) for name in TABLES},
            files=tuple(files),
        )
        try:
            write_index(root, ReleaseIndex(releases=(*index.releases, entry)))
        except BaseException:
            shutil.rmtree(target)
            raise
    return entry


def clean_releases(root: Path, bundle: Path | None = None) -> list[Path]:
    """Remove, under the release lock, what interrupted releases left under `root` (and beside
    `bundle`): staging folders and files, release folders the index does not list. Returns them.

    Nothing the index lists is touched; an unlisted release is cut again from its seeds.
    """
    found = []
    with reported_as_release_error(f"clean {root}"):
        if root.is_dir():
            with release_lock(root):
                found = leftovers(root, read_index(root))
                if bundle is not None:
                    found += staging_leftovers(bundle.parent, bundle.name)
                for path in found:
                    remove(path)
    return found


def write_card(
    version: str | None, root: Path | None, seeds: Path, out: Path | None = None, *, remote: bool | None = None
) -> list[Path]:
    """Draw the data card of release `version` (default: the latest) into `out`, never into a
    release: a release is immutable. The release is found as `load` finds it, or with `root` in
    that folder's index; with no release there at all, the card is of the current build from
    `seeds`. A folder's path instead of a version is read as it is, as an unreleased card.
    `out` defaults to `report-<VERSION>` (under `root/build/` with `root`)."""
    from peacetrack.card import UNRELEASED
    from peacetrack.report import read_report_tables, write_report

    entry: ReleaseEntry | None
    if version is not None and not is_release_name(version):
        folder = resolve_release(version, root)
        with reported_as_release_error(f"read the tables in {folder}"):
            frames, nulls = read_report_tables(folder)
        out = out or Path(f"report-{UNRELEASED}")
        if out.resolve().is_relative_to(folder.resolve()):
            raise ReleaseError(f"refusing to write into {out}: the card goes beside the tables, not among them")
        return write_report(frames, UNRELEASED, "none (read from a folder, not a listed release)", out, nulls)
    if root is None:
        entry, folder = _found_tables(version, remote)
        immutable = folder.parent
    else:
        index, immutable = read_index(root), root / RELEASES_DIR
        entry = index.latest() if version in (None, LATEST) else index.find(version)
        if version not in (None, LATEST) and entry is None:
            known = ", ".join(r.version for r in index.releases) or "none"
            raise ReleaseError(f"no release {version!r} in {root / INDEX_FILE}; releases there: {known}")
        if entry is not None:
            with reported_as_release_error(f"read release {entry.version}"):
                folder = verified_tables(root, entry)
    if entry is None:
        build = build_tables(seeds)
        if not build.ok:
            faults = "\n".join(str(f) for f in build.errors)
            raise ReleaseError(f"{faults}\nno release yet, and {len(build.errors)} error(s) in {seeds}")
        frames, label, release_date = build.frames, UNRELEASED, f"none (built from {seeds}, not released)"
        nulls = {}  # counted from the frames
    else:
        label, release_date = entry.version, entry.date.isoformat()
    out = out or (Path(f"report-{label}") if root is None else root / "build" / f"report-{label}")
    if out.resolve().is_relative_to(immutable.resolve()):
        raise ReleaseError(
            f"refusing to write into {out}: a release is immutable; `peacetrack release` writes its card"
        )
    if entry is not None:
        if entry.schema_version != SCHEMA_VERSION:  # the card is drawn from this contract's columns
            raise ReleaseError(
                f"release {entry.version} is of schema {entry.schema_version}; this peacetrack draws cards of "
                f"schema {SCHEMA_VERSION}: read the card published with it, DATACARD.md in its folder "
                f"(`peacetrack download --release {entry.version}` prints where)"
            )
        with reported_as_release_error(f"read release {entry.version}"):
            frames, nulls = read_report_tables(folder)
    return write_report(frames, label, release_date, out, nulls)


def check_bundle(root: Path, bundle: Path) -> None:
    """Refuse a bundle folder that is `root`, lies in it or holds it, or that holds more than a
    bundle: bundling replaces the bundle folder whole, and would take the rest with it."""
    inner, outer = bundle.resolve(), root.resolve()
    if inner.is_relative_to(outer) or outer.is_relative_to(inner):
        raise ReleaseError(
            f"refusing to bundle into {bundle}: it overlaps the data folder {root}, which bundling would "
            "replace; give a package folder outside it (e.g. src/peacetrack/bundled)"
        )
    with reported_as_release_error(f"read the bundle folder {bundle}"):
        if bundle.is_symlink() or not bundle.exists():
            return  # a link is replaced, never what it points at
        kept = sorted(set(os.listdir(bundle)) - {INDEX_FILE, RELEASES_DIR}) if bundle.is_dir() else [bundle.name]
    if kept:
        raise ReleaseError(
            f"refusing to bundle into {bundle}: bundling replaces it whole, and it holds more than a bundle "
            f"({', '.join(kept[:3])}); give the package's bundled/ folder or a new one"
        )


def bundle_latest(root: Path, bundle: Path) -> Path:
    """Replace `bundle` with the index and the files of the latest release, to ship in the package.

    Under the release lock, so the bundled index is the one the bundled release was read with;
    what a killed bundling left beside `bundle` is a copy of a release, and is removed first.
    """
    check_bundle(root, bundle)
    with reported_as_release_error(f"bundle the latest release into {bundle}"), release_lock(root):
        index, data = read_index_bytes(root)
        latest = index.latest()
        if latest is None:
            raise ReleaseError(f"{root / INDEX_FILE}: no release to bundle")
        for path in staging_leftovers(bundle.parent, bundle.name):
            remove(path)
        with atomic_folder(bundle, replace=True) as staging:
            (staging / INDEX_FILE).write_bytes(data)
            shutil.copytree(release_folder(root, latest.version), release_folder(staging, latest.version))
    return release_folder(bundle, latest.version)


def _found_tables(version: str | None, remote: bool | None) -> tuple[ReleaseEntry, Path]:
    """A release found as `load` finds it, and its verified tables' folder."""
    from peacetrack import data  # duckdb, pooch, requests: loaded only when a release is read

    try:
        return data.table_folder(version, remote=remote)
    except DataError as error:
        raise ReleaseError(str(error)) from None


def resolve_release(ref: str, root: Path | None = None, *, remote: bool | None = None) -> Path:
    """A release folder: a version or `latest`, or a folder given as a path.

    A version is found as `load` finds it (data folder, cache, mirror), or with `root` in that
    folder's index only. A folder under `root/releases/` that the index does not list is no
    release: an interrupted release left it, and it may be incomplete.
    """
    if not is_release_name(ref):
        if os.path.isdir(ref):
            return Path(ref)
        raise ReleaseError(f"{ref}: neither a release version (or latest) nor a folder")
    if root is None:
        return _found_tables(ref, remote)[1]
    index = read_index(root)
    entry = index.latest() if ref == LATEST else index.find(ref)
    if entry is not None:
        with reported_as_release_error(f"read release {ref}"):
            return verified_tables(root, entry)
    known = ", ".join(r.version for r in index.releases) or "none"
    message = f"{ref}: no release {ref} in {root / INDEX_FILE} (releases there: {known})"
    if os.path.lexists(release_folder(root, ref)):
        message += (
            f"; {release_folder(root, ref)} was left by an interrupted release: remove it with `{clean_command(root)}`"
        )
    raise ReleaseError(f"{message}; to compare a folder, give its path (e.g. ./{ref})")
