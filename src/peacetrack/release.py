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
from pydantic import ValidationError

from peacetrack.checks import check_schema
from peacetrack.files import write_atomic
from peacetrack.index import FileEntry, ReleaseEntry, ReleaseIndex
from peacetrack.schema import dump_json, frictionless_schema
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


def write_tables(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each table as `<name>.parquet` and `<name>.csv` in `folder`, in contract order."""
    written = []
    for name, table in TABLES.items():
        for suffix, writer in ((".parquet", write_parquet), (".csv", write_csv)):
            path = folder / f"{name}{suffix}"
            writer(table, frames[name], path)
            written.append(path)
    return written


@contextmanager
def atomic_folder(target: Path, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `target` and move it into place only on success.

    An interrupted write leaves `target` as it was. With `replace`, an existing `target`
    is swapped out; without, an existing `target` is an error.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        if target.exists():
            if not replace:
                raise FileExistsError(target)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(staging, target)
            shutil.rmtree(old)
        else:
            os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def write_build(frames: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write a build's tables into `out`, replacing an earlier build there."""
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
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
Bump = Literal["major", "minor", "patch"]


class ReleaseError(Exception):
    """A release or diff that cannot go ahead; the message says why and what to do."""


def parse_version(text: str) -> semver.Version:
    try:
        return semver.Version.parse(text)
    except ValueError:
        raise ReleaseError(f"not a semantic version: {text!r} (write MAJOR.MINOR.PATCH, e.g. 1.0.0)") from None


def bump_version(latest: str | None, bump: Bump) -> str:
    """The next version after `latest` (after 0.0.0 when there is no release yet)."""
    current = parse_version(latest) if latest else semver.Version(0, 0, 0)
    return str(current.next_version(part=bump))


def changelog_date(changelog: Path, version: str) -> date:
    """The release date of `version`, from its `## [VERSION] - YYYY-MM-DD` changelog entry.

    The date is the only one a release carries, so nothing depends on when it was cut.
    """
    if not changelog.is_file():
        raise ReleaseError(f"{changelog}: no changelog; add an entry `## [{version}] - YYYY-MM-DD` first")
    heading = re.compile(r"^##\s+\[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>\S+))?\s*$")
    for number, line in enumerate(changelog.read_text(encoding="utf-8").splitlines(), start=1):
        match = heading.match(line)
        if not match or match["version"] != version:
            continue
        try:
            return date.fromisoformat(match["date"] or "")
        except ValueError:
            raise ReleaseError(f"{changelog}:{number}: entry for {version} needs a date: `## [{version}] - YYYY-MM-DD`") from None
    raise ReleaseError(f"{changelog}: no entry for {version}; add `## [{version}] - YYYY-MM-DD` describing the changes first")


def inputs_sha256(seeds: Path) -> str:
    """One hash of everything a release is built from: every seed file (path and bytes) and the schema version."""
    digest = hashlib.sha256(f"peacetrack schema {SCHEMA_VERSION}\n".encode())
    files = sorted(p for p in seeds.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(seeds).parts))
    for path in files:
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
    # The data card and its figures go in before the data package and the checksums, which cover them.
    write_report(dict(frames), version, release_date.isoformat(), folder)
    files = {entry.path: entry for entry in file_entries(folder)}
    write_atomic(folder / DATAPACKAGE_FILE, dump_json(datapackage(version, release_date, files)))
    files[DATAPACKAGE_FILE] = file_entry(folder, DATAPACKAGE_FILE)
    write_atomic(folder / SUMS_FILE, sha256sums(files.values()))
    files[SUMS_FILE] = file_entry(folder, SUMS_FILE)
    return sorted(files.values(), key=lambda entry: entry.path)


def read_index(root: Path) -> ReleaseIndex:
    """The registry of releases under `root`; empty when there is none yet."""
    path = root / INDEX_FILE
    if not path.exists():
        return ReleaseIndex()
    try:
        return ReleaseIndex.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise ReleaseError(f"{path}: not a peacetrack release index: {error}") from None


def sorted_index(index: ReleaseIndex) -> ReleaseIndex:
    return ReleaseIndex(releases=tuple(sorted(index.releases, key=lambda r: r.key)))


def write_index(root: Path, index: ReleaseIndex) -> None:
    write_atomic(root / INDEX_FILE, dump_json(sorted_index(index).model_dump(mode="json")))


def release_folder(root: Path, version: str) -> Path:
    return root / RELEASES_DIR / version


def check_new_version(root: Path, index: ReleaseIndex, version: str) -> None:
    """Refuse a version that was released before: a release never changes."""
    if any(r.version == version for r in index.releases) or release_folder(root, version).exists():
        raise ReleaseError(
            f"release {version} already exists ({release_folder(root, version)}); "
            "a release is never changed: cut a new version"
        )


def build_tables(seeds: Path) -> Build:
    """The tables built from `seeds`; the build stack (YAML, pydantic) loads only when asked."""
    from peacetrack.coding import build_tables as build

    return build(seeds)


def cut_release(version: str, seeds: Path, root: Path) -> ReleaseEntry:
    """Build from `seeds` and publish it as `root/releases/VERSION/` (see `publish_release`)."""
    version = str(parse_version(version))
    check_new_version(root, read_index(root), version)
    release_date = changelog_date(root / CHANGELOG_FILE, version)
    build = build_tables(seeds)
    if not build.ok:
        faults = "\n".join(str(f) for f in build.errors)
        raise ReleaseError(f"{faults}\n{len(build.errors)} error(s) in {seeds}: no release written")
    return publish_release(build.frames, version, release_date, root, inputs_sha256(seeds))


def publish_release(
    frames: Mapping[str, pd.DataFrame], version: str, release_date: date, root: Path, inputs: str
) -> ReleaseEntry:
    """Write `root/releases/VERSION/` and register it in the index; refuse tables that break
    the contract (`check_schema`: its column rules among them).

    The folder is written beside its place and moved in whole; the index changes only once
    the folder is in place, and a failure to update it takes the folder away again.
    """
    index = read_index(root)
    check_new_version(root, index, version)
    faults = [fault for name, table in TABLES.items() for fault in check_schema(table, frames[name])]
    if faults:  # frames may come from elsewhere than a build: they keep the contract all the same
        raise ReleaseError("\n".join(map(str, faults)) + f"\n{len(faults)} error(s) in the tables: no release written")
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


def write_card(version: str | None, root: Path, seeds: Path, out: Path | None = None) -> list[Path]:
    """Draw the data card of release `version` (default: the latest; with no release at all,
    of the current build from `seeds`) into `out`, never into a release: a release is immutable."""
    from peacetrack.report import UNRELEASED, write_report

    index = read_index(root)
    entry = index.latest() if version is None else index.find(version)
    if version is not None and entry is None:
        known = ", ".join(r.version for r in index.releases) or "none"
        raise ReleaseError(f"no release {version!r} in {root / INDEX_FILE}; releases there: {known}")
    if entry is None:
        build = build_tables(seeds)
        if not build.ok:
            faults = "\n".join(str(f) for f in build.errors)
            raise ReleaseError(f"{faults}\nno release yet, and {len(build.errors)} error(s) in {seeds}")
        frames, label, release_date = build.frames, UNRELEASED, f"none (built from {seeds}, not released)"
    else:
        frames, label, release_date = read_tables(release_folder(root, entry.version)), entry.version, entry.date.isoformat()
    out = out or Path("datasets/build") / f"report-{label}"
    if out.resolve().is_relative_to((root / RELEASES_DIR).resolve()):
        raise ReleaseError(f"refusing to write into {out}: a release is immutable; `peacetrack release` writes its card")
    return write_report(frames, label, release_date, out)


def bundle_latest(root: Path, bundle: Path) -> Path:
    """Replace `bundle` with the index and the files of the latest release, to ship in the package."""
    index = read_index(root)
    latest = index.latest()
    if latest is None:
        raise ReleaseError(f"{root / INDEX_FILE}: no release to bundle")
    with atomic_folder(bundle, replace=True) as staging:
        shutil.copy2(root / INDEX_FILE, staging / INDEX_FILE)
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


def resolve_release(ref: str, root: Path) -> Path:
    """A release folder from a version under `root/releases/`, or a folder path."""
    if semver.Version.is_valid(ref) and release_folder(root, ref).is_dir():
        return release_folder(root, ref)
    if Path(ref).is_dir():
        return Path(ref)
    raise ReleaseError(f"{ref}: neither a release in {root / RELEASES_DIR} nor a folder")


def _parquet_columns(path: Path) -> list[str]:
    return pq.read_schema(path).names


def diff_table(table: Table, old: Path, new: Path) -> TableDiff:
    """Compare one table's Parquet files by primary key, in DuckDB (lists and nulls compare exactly)."""
    key = table.primary_key
    old_path, new_path = old / f"{table.name}.parquet", new / f"{table.name}.parquet"
    if not old_path.exists() and not new_path.exists():
        return TableDiff(table.name)
    import duckdb  # imported when first needed: the validator reads releases without it

    with duckdb.connect() as db:
        if not new_path.exists() or not old_path.exists():
            present = old_path if old_path.exists() else new_path
            keys = [r[0] for r in db.execute(f'SELECT "{key}" FROM read_parquet(?) ORDER BY 1', [str(present)]).fetchall()]
            return TableDiff(table.name, removed=keys) if present == old_path else TableDiff(table.name, added=keys)
        new_columns = set(_parquet_columns(new_path))
        compared = [c for c in _parquet_columns(old_path) if c in new_columns and c != key]
        flags = [f'a."{c}" IS DISTINCT FROM b."{c}"' for c in compared] or ["false"]
        rows = db.execute(
            f'SELECT a."{key}", b."{key}", {", ".join(flags)} '
            f'FROM read_parquet(?) a FULL OUTER JOIN read_parquet(?) b ON a."{key}" = b."{key}" '
            f'WHERE a."{key}" IS NULL OR b."{key}" IS NULL OR {" OR ".join(flags)} '
            f'ORDER BY coalesce(a."{key}", b."{key}")',
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
    for folder in (old, new):
        if not any((folder / f"{name}.parquet").exists() for name in TABLES):
            raise ReleaseError(f"{folder}: no table files (*.parquet): not a release or build folder")
    return [diff_table(table, old, new) for table in TABLES.values()]


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
