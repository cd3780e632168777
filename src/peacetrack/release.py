"""Tables to files, and files to releases.

Parquet and CSV are written the same way every time, and atomically. A release is an
immutable folder `releases/VERSION/` (tables, `datapackage.json`, `SHA256SUMS`) registered
in `index.json`; the same inputs give the same bytes, so a release can be re-derived and
checked. `diff_releases` compares two of them row by row.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import semver

from peacetrack.checks import check_schema
from peacetrack.errors import ReleaseError
from peacetrack.files import OLD_SUFFIX, STAGING_SUFFIX, folder_lock, staging_leftovers, staging_prefix, write_atomic
from peacetrack.index import (
    LATEST,
    FileEntry,
    ReleaseEntry,
    ReleaseIndex,
    is_release_name,
    parse_index,
    release_version,
)
from peacetrack.schema import duckdb_load_script, dump_json, frictionless_schema
from peacetrack.tables import LIST_DELIMITER, SCHEMA_VERSION, TABLES, Table, arrow_from_frame, frame_from_arrow

if TYPE_CHECKING:
    from peacetrack.coding import Build

# Every writer option is fixed so that the same rows give the same bytes.
PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=9,
    use_dictionary=True,
    write_statistics=True,
    version="2.6",
    data_page_version="1.0",
    row_group_size=1_000_000,
)


def sorted_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(table.primary_key, kind="stable", ignore_index=True)


def write_parquet(table: Table, frame: pd.DataFrame, path: Path) -> None:
    data = arrow_from_frame(table, sorted_frame(table, frame))
    data = data.replace_schema_metadata({"peacetrack.table": table.name, "peacetrack.schema_version": SCHEMA_VERSION})
    pq.write_table(data, path, **PARQUET_OPTIONS)


def csv_cell(value: object) -> str:
    """A value as a CSV cell: empty for null, ISO dates, `;`-joined lists, `true`/`false`."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | np.ndarray):
        return LIST_DELIMITER.join(csv_cell(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as CSV cells, column by column in the contract's order."""
    return pd.DataFrame({c.name: frame[c.name].astype(object).map(csv_cell) for c in table.columns})


def write_csv(table: Table, frame: pd.DataFrame, path: Path) -> None:
    csv_frame(table, sorted_frame(table, frame)).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


TABLE_SUFFIXES = (".parquet", ".csv")
BUILD_FILES = frozenset(f"{name}{suffix}" for name in TABLES for suffix in TABLE_SUFFIXES)  # what a build holds


def write_tables(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each table as `<name>.parquet` and `<name>.csv` in `folder`, in contract order."""
    written = []
    for name, table in TABLES.items():
        for suffix, writer in zip(TABLE_SUFFIXES, (write_parquet, write_csv), strict=True):
            path = folder / f"{name}{suffix}"
            writer(table, frames[name], path)
            written.append(path)
    return written


@contextmanager
def atomic_folder(target: Path, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `target` and move it into place only on success.

    An interrupted write leaves `target` as it was. With `replace`, an existing `target`
    is swapped out; without, an existing `target` is an error. Two writers of the same
    `target` swap in turn (a lock on its folder), the last one's folder stays.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), suffix=STAGING_SUFFIX, dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        with folder_lock(target.parent):
            if target.exists() or target.is_symlink():
                if not replace:
                    raise FileExistsError(target)
                old = Path(tempfile.mkdtemp(prefix=staging_prefix(target), suffix=OLD_SUFFIX, dir=target.parent))
                os.replace(target, old / target.name)
                os.replace(staging, target)
                shutil.rmtree(old)
            else:
                os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def write_build(frames: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write a build's tables into `out`, replacing an earlier build there, and nothing else:
    `out` replaced whole may not be a file or a folder holding more (the releases, the seeds)."""
    with reported_as_release_error(f"write the build into {out}"):
        if out.is_symlink() or out.exists():
            kept = (
                [p.name for p in out.iterdir() if p.name not in BUILD_FILES]
                if out.is_dir() and not out.is_symlink()
                else [out.name]
            )
            if kept:
                raise ReleaseError(
                    f"refusing to replace {out}: it is not a build folder (it holds {', '.join(sorted(kept)[:3])}); "
                    "give --out a new folder or an earlier build's"
                )
        with atomic_folder(out, replace=True) as staging:
            written = write_tables(frames, staging)
    return [out / p.name for p in written]


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of a build or release folder, from its Parquet files, with contract dtypes."""
    return {name: frame_from_arrow(table, pq.read_table(folder / f"{name}.parquet")) for name, table in TABLES.items()}


# --- releases ------------------------------------------------------------------------------

INDEX_FILE = "index.json"
CHANGELOG_FILE = "CHANGELOG.md"
RELEASES_DIR = "releases"
SUMS_FILE = "SHA256SUMS"
DATAPACKAGE_FILE = "datapackage.json"
# The DuckDB script that makes a database of the release, run in its folder (`schema/load.sql`).
LOAD_SCRIPT_FILE = "load.sql"
# Published before releases carried the load script: releases are immutable, so they rebuild without it.
RELEASES_WITHOUT_LOAD_SCRIPT = frozenset({"1.0.0"})
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
Bump = Literal["major", "minor", "patch"]


@contextmanager
def reported_as_release_error(doing: str) -> Iterator[None]:
    """An OSError while `doing` (a read-only folder, a file where a folder should be, a name
    too long) becomes a ReleaseError that says what failed and where."""
    try:
        yield
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ReleaseError(f"cannot {doing}: {error.strerror or error}{where}") from None


def parse_version(text: str) -> semver.Version:
    try:
        return release_version(text)
    except ValueError as error:
        raise ReleaseError(str(error)) from None


def bump_version(latest: str | None, bump: Bump) -> str:
    """The next version after `latest` (after 0.0.0 when there is no release yet)."""
    current = parse_version(latest) if latest else semver.Version(0, 0, 0)
    return str(current.next_version(part=bump))


CHANGELOG_HEADING = re.compile(r"^##\s+\[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>\S+))?\s*$")


def changelog_text(changelog: Path, version: str) -> str:
    """The changelog's text; a missing, unreadable or non-UTF-8 one is a clear error."""
    if not changelog.is_file():
        raise ReleaseError(f"{changelog}: no changelog; add an entry `## [{version}] - YYYY-MM-DD` first")
    with reported_as_release_error(f"read the changelog {changelog}"):
        data = changelog.read_bytes()
    try:
        return data.decode("utf-8-sig")  # the byte order mark some editors put first is no text
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReleaseError(
            f"{changelog}:{line}: not UTF-8 (byte offset {error.start}); save the changelog as UTF-8"
        ) from None


def changelog_date(changelog: Path, version: str) -> date:
    """The release date of `version`, from its `## [VERSION] - YYYY-MM-DD` changelog entry.

    The date is the only one a release carries, so nothing depends on when it was cut. A
    level-2 heading that names the version in another form is reported where it is.
    """
    named = re.compile(rf"^##(?!#).*(?<![\w.+-])[vV]?{re.escape(version)}(?![\w.+-])")
    entries, malformed = [], []
    for number, line in enumerate(changelog_text(changelog, version).split("\n"), start=1):
        match = CHANGELOG_HEADING.match(line)
        if match and match["version"] == version:
            entries.append((number, match["date"]))
        elif named.match(line):
            malformed.append(number)
    expected = f"`## [{version}] - YYYY-MM-DD`"
    if len(entries) > 1:
        lines = ", ".join(str(number) for number, _ in entries)
        raise ReleaseError(f"{changelog}: {len(entries)} entries for {version} (lines {lines}); keep one")
    if not entries and malformed:
        raise ReleaseError(f"{changelog}:{malformed[0]}: malformed heading for {version}; write it as {expected}")
    if not entries:
        raise ReleaseError(f"{changelog}: no entry for {version}; add {expected} describing the changes first")
    ((number, day),) = entries
    try:
        return date.fromisoformat(day or "")
    except ValueError:
        found = f", not {day[:40]!r}" if day else ""
        raise ReleaseError(f"{changelog}:{number}: entry for {version} needs a date{found}: {expected}") from None


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_tables(root: Path, entry: ReleaseEntry) -> Path:
    """The folder of a listed release, once each table's Parquet file is a regular file (not a
    link) with the SHA-256 the index publishes: a changed file is refused, never read."""
    folder = release_folder(root, entry.version)
    for name in TABLES:
        published, path = entry.file(f"{name}.parquet"), folder / f"{name}.parquet"
        if published is None:
            raise ReleaseError(f"release {entry.version} lists no file {path.name} in {root / INDEX_FILE}")
        if not os.path.lexists(path):
            raise ReleaseError(f"{path}: missing from release {entry.version}: restore the release folder")
        if path.is_symlink() or not path.is_file():
            raise ReleaseError(
                f"{path}: not a regular file of release {entry.version}: refused (links are never followed)"
            )
        if file_sha256(path) != published.sha256:
            raise ReleaseError(
                f"{path}: not the file published as release {entry.version} (its SHA-256 differs from the index's): restore it"
            )
    return folder


def folder_files(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def file_entry(folder: Path, name: str) -> FileEntry:
    return FileEntry(path=name, sha256=file_sha256(folder / name), bytes=(folder / name).stat().st_size)


def file_entries(folder: Path) -> list[FileEntry]:
    return [file_entry(folder, name) for name in folder_files(folder)]


def _resource_schema(table: Table, suffix: str) -> dict[str, Any]:
    """The table schema, its foreign keys pointing at the resources of the same format."""
    schema = frictionless_schema(table)
    for key in schema.get("foreignKeys", []):
        if key["reference"]["resource"]:
            key["reference"]["resource"] += suffix
    return schema


# The CSV resources are tables that validators check row by row. The Parquet resources carry
# the same schema but are typed `file`: frictionless 5 reads Parquet through pandas, which
# turns nullable integers into floats and lists into arrays, and it then reports no byte
# count, so as tables they would fail; as files it still checks their hash and size.
RESOURCE_FORMATS = (
    ("csv", "", "table", "text/csv"),
    ("parquet", "-parquet", "file", "application/vnd.apache.parquet"),
)


def datapackage(version: str, release_date: date, files: Mapping[str, FileEntry]) -> dict[str, Any]:
    """Frictionless Data Package (v2): a CSV and a Parquet resource per table, with hashes.

    `files` are the release's files by path, hashed once for the package, the sums and the index.
    """
    resources = []
    for name, table in TABLES.items():
        for fmt, suffix, kind, mediatype in RESOURCE_FORMATS:
            entry = files[f"{name}.{fmt}"]
            resource: dict[str, Any] = {
                "name": f"{name}{suffix}",
                "type": kind,
                "path": entry.path,
                "format": fmt,
                "mediatype": mediatype,
            }
            if fmt == "csv":
                resource["encoding"] = "utf-8"
            resource |= {
                "title": f"{name} ({fmt.upper()})",
                "description": table.description,
                "bytes": entry.bytes,
                "hash": f"sha256:{entry.sha256}",
                "schema": _resource_schema(table, suffix),
            }
            resources.append(resource)
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "peacetrack",
        "title": "peacetrack: the Armenia–Azerbaijan peace process",
        "description": (
            f"Release {version} of {release_date.isoformat()}. Sources, actors, statements, military transfers "
            "and negotiation rounds of the Armenia–Azerbaijan peace process, each row proven by a verbatim "
            "quote at exact offsets in its source. Every table as CSV and as Parquet, with the same rows."
        ),
        "version": version,
        "licenses": [DATA_LICENSE],
        "keywords": ["Armenia", "Azerbaijan", "peace process", "arms transfers", "event data"],
        "resources": resources,
    }


def sha256sums(files: Iterable[FileEntry]) -> str:
    """`SHA256SUMS` of the given files, sorted by path, as `sha256sum -c` reads it."""
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in sorted(files, key=lambda e: e.path))


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


def read_index_bytes(root: Path) -> tuple[ReleaseIndex, bytes]:
    """The registry of releases under `root` and the bytes it was read from; empty when there is none yet."""
    path = root / INDEX_FILE
    with reported_as_release_error(f"read the release index {path}"):
        if not path.exists():
            return ReleaseIndex(), b""
        data = path.read_bytes()
    try:
        return parse_index(data), data
    except ValueError as error:
        raise ReleaseError(f"{path}: not a peacetrack release index:\n{error}") from None


def read_index(root: Path) -> ReleaseIndex:
    """The registry of releases under `root`; empty when there is none yet."""
    return read_index_bytes(root)[0]


def sorted_index(index: ReleaseIndex) -> ReleaseIndex:
    return ReleaseIndex(releases=tuple(sorted(index.releases, key=lambda r: r.key)))


def write_index(root: Path, index: ReleaseIndex) -> None:
    write_atomic(root / INDEX_FILE, dump_json(sorted_index(index).model_dump(mode="json")))


def release_folder(root: Path, version: str) -> Path:
    return root / RELEASES_DIR / version


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
    from peacetrack.coding import build_tables as build

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
    return publish_release(build.frames, version, release_date, root, inputs)


def publish_release(
    frames: Mapping[str, pd.DataFrame], version: str, release_date: date, root: Path, inputs: str
) -> ReleaseEntry:
    """Write `root/releases/VERSION/` and register it in the index, under the release lock;
    refuse tables that break the contract (`check_schema`: its column rules among them).

    The folder is written beside its place and moved in whole; the index changes only once
    the folder is in place, and a failure to update it takes the folder away again. A kill
    in between leaves a folder the index does not list, which the next release reports.
    """
    with reported_as_release_error(f"write release {version} in {root}"), release_lock(root):
        index = read_index(root)
        check_new_version(root, index, version)
        faults = [fault for name, table in TABLES.items() for fault in check_schema(table, frames[name])]
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


def remove(path: Path) -> None:
    """Remove a file, a link (never what it points at) or a folder tree."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


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
    from peacetrack.report import write_report

    entry: ReleaseEntry | None
    if version is not None and not is_release_name(version):
        folder = resolve_release(version, root)
        with reported_as_release_error(f"read the tables in {folder}"):
            frames = read_tables(folder)
        out = out or Path(f"report-{UNRELEASED}")
        if out.resolve().is_relative_to(folder.resolve()):
            raise ReleaseError(f"refusing to write into {out}: the card goes beside the tables, not among them")
        return write_report(frames, UNRELEASED, "none (read from a folder, not a listed release)", out)
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
    else:
        with reported_as_release_error(f"read release {entry.version}"):
            frames = read_tables(folder)
        label, release_date = entry.version, entry.date.isoformat()
    out = out or (Path(f"report-{label}") if root is None else root / "build" / f"report-{label}")
    if out.resolve().is_relative_to(immutable.resolve()):
        raise ReleaseError(
            f"refusing to write into {out}: a release is immutable; `peacetrack release` writes its card"
        )
    return write_report(frames, label, release_date, out)


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


# --- diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableDiff:
    """Rows of one table added, removed and changed (key -> names of the changed columns)."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)


def _found_tables(version: str | None, remote: bool | None) -> tuple[ReleaseEntry, Path]:
    """A release found as `load` finds it, and its verified tables' folder."""
    from peacetrack import data  # duckdb, pooch, requests: loaded only when a release is read

    try:
        return data.table_folder(version, remote=remote)
    except data.DataError as error:
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


def _parquet_columns(path: Path) -> list[str]:
    return pq.read_schema(path).names


def _identifier(name: str) -> str:
    """A column name as a quoted SQL identifier: names come from Parquet files and are not trusted."""
    return '"' + name.replace('"', '""') + '"'


def diff_table(table: Table, old: Path, new: Path) -> TableDiff:
    """Compare one table's Parquet files by primary key, in DuckDB (lists and nulls compare exactly)."""
    key = _identifier(table.primary_key)
    old_path, new_path = old / f"{table.name}.parquet", new / f"{table.name}.parquet"
    if not old_path.exists() and not new_path.exists():
        return TableDiff(table.name)
    import duckdb  # imported when first needed: the validator reads releases without it

    with duckdb.connect() as db:
        if not new_path.exists() or not old_path.exists():
            present = old_path if old_path.exists() else new_path
            keys = [
                r[0] for r in db.execute(f"SELECT {key} FROM read_parquet(?) ORDER BY 1", [str(present)]).fetchall()
            ]
            return TableDiff(table.name, removed=keys) if present == old_path else TableDiff(table.name, added=keys)
        new_columns = set(_parquet_columns(new_path))
        compared = [c for c in _parquet_columns(old_path) if c in new_columns and c != table.primary_key]
        flags = [f"a.{_identifier(c)} IS DISTINCT FROM b.{_identifier(c)}" for c in compared] or ["false"]
        rows = db.execute(
            f"SELECT a.{key}, b.{key}, {', '.join(flags)} "
            f"FROM read_parquet(?) a FULL OUTER JOIN read_parquet(?) b ON a.{key} = b.{key} "
            f"WHERE a.{key} IS NULL OR b.{key} IS NULL OR {' OR '.join(flags)} "
            f"ORDER BY coalesce(a.{key}, b.{key})",
            [str(old_path), str(new_path)],
        ).fetchall()
    diff = TableDiff(table.name)
    for old_key, new_key, *changed in rows:
        if old_key is None:
            diff.added.append(new_key)
        elif new_key is None:
            diff.removed.append(old_key)
        else:
            diff.changed[old_key] = [c for c, flag in zip(compared, changed, strict=False) if flag]
    return diff


def diff_releases(old: Path, new: Path) -> list[TableDiff]:
    """Per table, what changed from release folder `old` to `new`."""
    import duckdb
    import pyarrow as pa

    for folder in (old, new):
        if not any((folder / f"{name}.parquet").exists() for name in TABLES):
            raise ReleaseError(f"{folder}: no table files (*.parquet): not a release or build folder")
    try:
        return [diff_table(table, old, new) for table in TABLES.values()]
    except (OSError, pa.ArrowException, duckdb.Error) as error:
        raise ReleaseError(f"cannot compare {old} and {new}: {error}") from None


def diff_json(diffs: list[TableDiff]) -> dict[str, Any]:
    return {
        d.table: {
            "added": d.added,
            "removed": d.removed,
            "changed": [{"key": k, "columns": cols} for k, cols in d.changed.items()],
        }
        for d in diffs
    }


def diff_text(diffs: list[TableDiff]) -> str:
    """One summary line per table, then `+ key`, `- key`, `~ key: columns` per row."""
    lines = []
    for d in diffs:
        lines.append(f"{d.table}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed")
        lines += [f"  + {k}" for k in d.added]
        lines += [f"  - {k}" for k in d.removed]
        lines += [f"  ~ {k}: {', '.join(cols)}" for k, cols in d.changed.items()]
    return "\n".join(lines) + "\n"
