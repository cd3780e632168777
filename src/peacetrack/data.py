"""Releases to analysts: find a release, fetch and verify its files, load it into pandas or DuckDB.

A release is found, in this order, in the data folder (the release bundled with the package,
or the folder named by `PEACETRACK_DATA_DIR`, laid out like `datasets/`: `index.json` and
`releases/<version>/`), then in the download cache, then on a mirror. Every downloaded file is
checked against the SHA-256 the index publishes for it, so what is loaded is what was released.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs
import pooch
import pyarrow as pa
import pyarrow.parquet as pq
import requests
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from peacetrack.index import FileEntry, ReleaseEntry, ReleaseIndex
from peacetrack.schema import duckdb_ddl
from peacetrack.tables import SCHEMA_VERSION, TABLES, Table, frame_from_arrow

DATA_DIR_ENV = "PEACETRACK_DATA_DIR"
BASE_URL_ENV = "PEACETRACK_BASE_URL"
CACHE_DIR_ENV = "PEACETRACK_CACHE_DIR"
# Files at least this large get a progress bar while they download.
PROGRESS_BAR_BYTES = 1_000_000
DOWNLOAD_CHUNK_BYTES = 65_536


class DataError(Exception):
    """A release cannot be found, fetched or read; the message says which and why."""


# --- the index of releases -------------------------------------------------------------------


def data_dir() -> Path:
    """The folder laid out like `datasets/` that holds the index and any local releases."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(str(importlib.resources.files("peacetrack") / "bundled"))


def cache_dir() -> Path:
    """Where downloaded releases are kept, one folder per version."""
    return Path(os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("peacetrack"))


def read_index(folder: Path | None = None) -> ReleaseIndex:
    """The index of releases in `folder` (by default the data folder)."""
    path = (folder or data_dir()) / "index.json"
    return _parse_index(path, *_stamp(path))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataError(
            f"no release index at {path}: this peacetrack has no bundled release; "
            f"set {DATA_DIR_ENV} to a folder laid out like datasets/ (index.json, releases/)"
        ) from None
    return stat.st_mtime_ns, stat.st_size


@cache
def _parse_index(path: Path, mtime_ns: int, size: int) -> ReleaseIndex:
    """Parsed once per file state: `load` and `connect` ask for the index on every call."""
    try:
        return ReleaseIndex.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise DataError(f"{path}: not a valid release index:\n{error}") from None


def versions() -> list[str]:
    """The versions of every release in the index, newest first."""
    return [r.version for r in sorted(read_index().releases, key=lambda r: r.key, reverse=True)]


def find_release(version: str | None = None) -> ReleaseEntry:
    """The index entry of `version`, or of the latest release when `version` is None."""
    index = read_index()
    release = index.latest() if version is None else index.find(version)
    if release is not None:
        return release
    if not index.releases:
        raise DataError(f"the release index in {data_dir()} lists no release")
    known = ", ".join(versions())
    raise DataError(f"no release {version!r} in the index; known releases: {known}")


# --- local, cached or downloaded files ----------------------------------------------------------


def release_url(version: str, base_url: str | None = None) -> str:
    """Any web folder laid out like `datasets/releases/` is a mirror; there is no default one.

    The mirror folder of a release: `<base>/<version>/`, or `base` with `{version}` filled in."""
    base = base_url or os.environ.get(BASE_URL_ENV)
    if not base:
        raise DataError(
            f"release {version} is neither bundled nor cached, and no mirror is set: pass base_url "
            f"(--base-url) or set {BASE_URL_ENV} to a web folder laid out like datasets/releases/"
        )
    if "{version}" in base:
        return base.replace("{version}", version).rstrip("/") + "/"
    return f"{base.rstrip('/')}/{version}/"


def _local_folder(release: ReleaseEntry) -> Path | None:
    """The release's folder in the data folder, when it holds every file at its published size."""
    folder = data_dir() / "releases" / release.version
    for entry in release.files:
        path = folder / entry.path
        if not path.is_file() or path.stat().st_size != entry.bytes:
            return None
    return folder


class RichDownloadBar:
    """The small tqdm-like surface that pooch drives (`total`, `update`, `reset`, `close`), drawn by rich."""

    def __init__(self, label: str) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = self._progress.add_task(label, total=None)

    @property
    def total(self) -> float | None:
        return self._progress.tasks[0].total

    @total.setter
    def total(self, value: int) -> None:
        """pooch sets the size once the server answers: the bar appears then, not before."""
        self._progress.update(self._task, total=value or None)
        self._progress.start()

    def update(self, advance: int) -> None:
        self._progress.update(self._task, advance=advance)

    def reset(self) -> None:
        self._progress.reset(self._task)

    def close(self) -> None:
        self._progress.stop()


@contextmanager
def _download_bar(release: ReleaseEntry, entry: FileEntry) -> Iterator[RichDownloadBar | bool]:
    if entry.bytes < PROGRESS_BAR_BYTES:
        yield False
        return
    bar = RichDownloadBar(f"{release.version}/{entry.path}")
    try:
        yield bar
    finally:
        bar.close()


def _fetch(release: ReleaseEntry, paths: list[str], base_url: str | None) -> Path:
    """The cache folder of `release`, holding `paths` verified; missing ones are downloaded.

    pooch downloads into a temporary file beside the target, checks the hash, and only then
    moves it into place: a failed, cut or tampered download leaves nothing behind.
    """
    folder = cache_dir() / release.version
    try:
        url = release_url(release.version, base_url)
    except DataError:  # no mirror set: enough, when the cache already holds every file intact
        if all(_cached_intact(folder, release.file(path)) for path in paths):
            return folder
        raise
    store = pooch.create(
        path=folder,
        base_url=url,
        registry={entry.path: f"sha256:{entry.sha256}" for entry in release.files},
        retry_if_failed=0,
    )
    for path in paths:
        entry = release.file(path)
        if entry is None:
            raise DataError(f"release {release.version} has no file {path!r} in the index")
        with _download_bar(release, entry) as bar:
            try:
                store.fetch(path, downloader=pooch.HTTPDownloader(progressbar=bar, chunk_size=DOWNLOAD_CHUNK_BYTES))
            except requests.exceptions.RequestException as error:
                raise DataError(f"could not download {url}{path}: {error}") from None
            except ValueError as error:  # pooch: the downloaded bytes are not the published ones
                raise DataError(f"refused {url}{path}, not kept: {error}") from None
            except OSError as error:
                raise DataError(f"could not store {store.abspath / path}: {error}") from None
    return Path(store.abspath)


def _cached_intact(folder: Path, entry: FileEntry | None) -> bool:
    path = folder / entry.path if entry else None
    return path is not None and path.is_file() and pooch.file_hash(str(path)) == entry.sha256


def release_path(version: str | None = None, base_url: str | None = None) -> Path:
    """A local folder holding every file of a release: bundled, else cached, else downloaded.

    `version=None` is the latest release in the index. `base_url` (else `PEACETRACK_BASE_URL`)
    names the mirror. Cached files are checked against their published hashes.
    """
    release = find_release(version)
    local = _local_folder(release)
    if local is not None:
        return local
    return _fetch(release, [entry.path for entry in release.files], base_url)


def download(version: str | None = None, base_url: str | None = None) -> Path:
    """Make every file of a release available offline and say where; see `release_path`."""
    return release_path(version, base_url)


def _table_files(release: ReleaseEntry, names: list[str]) -> dict[str, Path]:
    """The Parquet file of each named table: from the local release, else cached or downloaded."""
    paths = [f"{name}.parquet" for name in names]
    folder = _local_folder(release) or _fetch(release, paths, base_url=None)
    return {name: folder / path for name, path in zip(names, paths, strict=True)}


def _check_schema(release: ReleaseEntry) -> None:
    """A release of another major schema version may not fit this package's dtypes."""
    if release.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise DataError(
            f"release {release.version} uses schema {release.schema_version}; this peacetrack "
            f"reads schema {SCHEMA_VERSION}: install a peacetrack made for that schema"
        )


def _table(name: str) -> Table:
    if name not in TABLES:
        raise DataError(f"no table {name!r}; the tables are: {', '.join(TABLES)}")
    return TABLES[name]


# --- pandas and DuckDB ------------------------------------------------------------------------------


def load(table: str, version: str | None = None) -> pd.DataFrame:
    """One table of a release as a pandas frame with the contract's dtypes.

    Dates are `date32[pyarrow]`, enums categoricals with every allowed value, integers
    `Int64`, booleans `boolean`, lists `list<string>[pyarrow]`, text `string`.
    """
    return load_all(version, tables=[table])[table]


def load_all(version: str | None = None, tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table (or the named ones) of a release, by name, in contract order."""
    names = [_table(name).name for name in (tables or list(TABLES))]
    release = find_release(version)
    _check_schema(release)
    files = _table_files(release, names)
    frames = {}
    for name in names:
        try:
            frames[name] = frame_from_arrow(TABLES[name], pq.read_table(files[name]))
        except (pa.ArrowException, KeyError) as error:
            raise DataError(f"{files[name]}: not a {name} table of schema {SCHEMA_VERSION}: {error}") from None
    return frames


# Once the tables are in: no file, network or extension, and no way for a query to undo it.
LOCK_STATEMENTS = """
SET enable_external_access = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET lock_configuration = true;
"""


def connect(version: str | None = None, *, allow_files: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database holding every table of a release.

    The tables are made by the published DDL (`schema/duckdb.sql`), so they carry its enum
    types, keys, checks and comments; rows are loaded so that every foreign key holds.
    The connection is the caller's own: it may join the tables with the caller's files. With
    `allow_files=False` it is locked once the tables are in (as `peacetrack sql` does): queries
    cannot read or write files, reach the network, install or load extensions, or undo that.
    """
    release = find_release(version)
    _check_schema(release)
    files = _table_files(release, list(TABLES))
    connection = duckdb.connect()
    try:
        connection.execute(duckdb_ddl())
        for name, table in TABLES.items():
            _insert(connection, table, files[name])
        if not allow_files:
            connection.execute(LOCK_STATEMENTS)
    except BaseException:
        connection.close()
        raise
    return connection


def _insert(connection: duckdb.DuckDBPyConnection, table: Table, path: Path) -> None:
    """Insert a table's rows; rows that point at rows of the same table go in after them.

    DuckDB checks a foreign key against rows already in the table, not against the rows of
    the same statement, so a self-referencing table (actors' parent_id) goes in by rounds.
    """
    key = table.primary_key
    parents = [c for c, target in table.foreign_keys.items() if target == table.name and not table.column(c).is_list]
    ready = " AND ".join(f"({c} IS NULL OR {c} IN (SELECT {key} FROM {table.name}))" for c in parents) or "TRUE"
    total = pq.read_metadata(path).num_rows
    inserted = 0
    while inserted < total:
        try:
            (count,) = connection.execute(
                f"INSERT INTO {table.name} BY NAME SELECT * FROM read_parquet(?) "
                f"WHERE {key} NOT IN (SELECT {key} FROM {table.name}) AND {ready}",
                [str(path)],
            ).fetchone() or (0,)
        except duckdb.Error as error:
            raise DataError(f"{path}: cannot load into DuckDB table {table.name}: {error}") from None
        if count == 0:
            raise DataError(f"{path}: {total - inserted} row(s) of {table.name} point at rows that never load")
        inserted += count
