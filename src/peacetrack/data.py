"""Releases to analysts: find a release, fetch and verify its files, load it into pandas or DuckDB.

A release is named by its version or `latest`, and found, in this order, in the index of the
data folder (the release bundled with the package, or the folder named by
`PEACETRACK_DATA_DIR`, laid out like `datasets/`: `index.json` and `releases/<version>/`), then
in the mirror's index (cached for an hour). Its files are read from the data folder, else the
download cache, else the mirror. Every file is checked against the SHA-256 the index publishes
for it, so what is loaded is what was released. A newer release on the mirror is used as the
latest only when asked (`remote=True`, `--remote` or `PEACETRACK_REMOTE=1`), never silently.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import logging
import os
import re
import stat
import time
import tomllib
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

import duckdb
import platformdirs
import pooch
import pyarrow as pa
import pyarrow.parquet as pq
import requests
from filelock import FileLock
from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from peacetrack.errors import DataError, StaleIndexWarning
from peacetrack.files import write_atomic
from peacetrack.index import LATEST, FileEntry, ReleaseEntry, ReleaseIndex, parse_index
from peacetrack.schema import duckdb_comments, duckdb_ddl, duckdb_enum_types, duckdb_select, sql_string
from peacetrack.tables import SCHEMA_VERSION, TABLES, Kind, Table, analysis_dtype, arrow_schema, frame_from_arrow
from peacetrack.terminal import printable

DATA_DIR_ENV = "PEACETRACK_DATA_DIR"
BASE_URL_ENV = "PEACETRACK_BASE_URL"
CACHE_DIR_ENV = "PEACETRACK_CACHE_DIR"
TIMEOUT_ENV = "PEACETRACK_TIMEOUT"
REMOTE_ENV = "PEACETRACK_REMOTE"
CONFIG_ENV = "PEACETRACK_CONFIG"
# A mirror's index is asked for again once the cached copy is this old.
MIRROR_INDEX_LIFETIME_SECONDS = 3600
# A mirror's index larger than this is refused unread: an index of thousands of releases is smaller.
MIRROR_INDEX_MAX_BYTES = 8 * 1024 * 1024
# Seconds a mirror may take to accept the connection, and then to send each next chunk.
TIMEOUT_SECONDS = 30.0
# Files at least this large get a progress bar while they download.
PROGRESS_BAR_BYTES = 1_000_000
DOWNLOAD_CHUNK_BYTES = 65_536


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
        return parse_index(path.read_bytes())
    except ValueError as error:
        raise DataError(f"{path}: not a valid release index:\n{error}") from None


def _wanted(version: str | None) -> str | None:
    """The version asked for; None for the latest."""
    return None if version in (None, LATEST) else version


def _newest(releases: Iterable[ReleaseEntry]) -> list[ReleaseEntry]:
    return sorted(releases, key=lambda r: r.key, reverse=True)


def versions(remote: bool | None = None, base_url: str | None = None) -> list[str]:
    """The versions of every release in the index, newest first.

    With `remote=True` (or `PEACETRACK_REMOTE=1`), those on the mirror too."""
    local = read_index().releases
    mirrored = mirror_index(base_url).releases if wants_remote(remote) else ()
    return list(dict.fromkeys(r.version for r in _newest([*local, *mirrored])))


def find_release(
    version: str | None = None, *, remote: bool | None = None, base_url: str | None = None
) -> ReleaseEntry:
    """The index entry of `version`, or of the latest release when it is None or `latest`.

    The data folder's index comes first. A version it does not list is looked up in the
    mirror's index, when a mirror is set. The latest is the data folder's, unless `remote`
    (else `PEACETRACK_REMOTE`) asks for the newest of the data folder's and the mirror's."""
    wanted = _wanted(version)
    index = read_index()
    release = index.latest() if wanted is None else index.find(wanted)
    if wanted is None and wants_remote(remote):
        newer = mirror_index(base_url).latest()
        if newer is not None and (release is None or newer.key > release.key):
            release = newer
    if release is not None:
        return release
    if wanted is None and index.releases:  # only pre-releases, which are never the latest
        known = ", ".join(r.version for r in _newest(index.releases))
        raise DataError(f"the release index in {data_dir()} lists only pre-releases ({known}): name one as the version")
    if wanted is None:
        raise DataError(f"the release index in {data_dir()} lists no release")
    mirror, why = None, ""
    if mirror_url(base_url) is not None:
        try:
            mirror = mirror_index(base_url)
        except DataError as error:
            why = f"; the mirror's index could not be read: {error}"
    found = mirror.find(wanted) if mirror is not None else None
    if found is not None:
        return found
    known = ", ".join(r.version for r in _newest([*index.releases, *(mirror.releases if mirror else ())]))
    where = "the index or the mirror's" if mirror is not None else "the index"
    raise DataError(f"no release {version!r} in {where}; known releases: {known or 'none'}{why}")


# --- the mirror and its index ------------------------------------------------------------------


class Config(BaseModel):
    """`config.toml`: settings made once for every command and program."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base_url: str | None = None


def config_path() -> Path:
    """`PEACETRACK_CONFIG`, else `config.toml` in the platform's user config folder."""
    return Path(os.environ.get(CONFIG_ENV) or platformdirs.user_config_path("peacetrack") / "config.toml")


def read_config() -> Config:
    """The config file's settings; none when there is no file."""
    path = config_path()
    try:
        return Config.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise DataError(f"{path}: not a valid peacetrack config file: {error}") from None


def mirror_url(base_url: str | None = None) -> str | None:
    """The mirror's address: `base_url` (--base-url), else `PEACETRACK_BASE_URL`, else the
    config file's `base_url`; None when none is set (there is no default mirror)."""
    return base_url or os.environ.get(BASE_URL_ENV) or read_config().base_url or None


def wants_remote(remote: bool | None) -> bool:
    """Whether to look for a newer release on the mirror: `remote`, else `PEACETRACK_REMOTE`."""
    if remote is not None:
        return remote
    text = os.environ.get(REMOTE_ENV, "").strip().lower()
    if text not in ("", "0", "1", "false", "true", "no", "yes"):
        raise DataError(f"{REMOTE_ENV} must be 1 or 0 (true or false), not {text[:20]!r}")
    return text in ("1", "true", "yes")


def _require_mirror(base_url: str | None, why: str) -> str:
    base = mirror_url(base_url)
    if not base:
        raise DataError(
            f"{why}, and no mirror is set: pass --base-url (base_url=), set {BASE_URL_ENV}, or "
            f"set base_url in {config_path()}, to a web folder laid out like datasets/"
        )
    return base


def index_url(base: str) -> str:
    """Where a mirror publishes its index: `<base>/index.json`."""
    if "{version}" in base:
        raise DataError(
            f"{redact(base)}: a mirror address with {{version}} names a release folder, not the "
            f"mirror's root; give the folder that holds index.json to read its releases"
        )
    return f"{base.rstrip('/')}/index.json"


def _index_copy(url: str) -> Path:
    """The cached copy of a mirror's index: one per mirror address."""
    return cache_dir() / "mirrors" / hashlib.sha256(url.encode()).hexdigest()[:32] / "index.json"


def _parse_mirror_index(body: bytes, where: str) -> ReleaseIndex:
    """A mirror's index, parsed strictly: types as published, nothing coerced."""
    if len(body) > MIRROR_INDEX_MAX_BYTES:
        raise DataError(f"{where}: an index over {MIRROR_INDEX_MAX_BYTES} bytes: refused")
    try:
        return ReleaseIndex.model_validate_json(body, strict=True)
    except ValidationError as error:
        raise DataError(f"{where}: not a valid release index, refused:\n{error}") from None


def _get_index(url: str) -> bytes:
    """A mirror's index as sent, at most MIRROR_INDEX_MAX_BYTES + 1 bytes of it."""
    timeout = _timeout()
    with requests.get(url, stream=True, timeout=(timeout, timeout)) as response:
        response.raise_for_status()
        body = bytearray()
        for chunk in response.iter_content(DOWNLOAD_CHUNK_BYTES):
            body += chunk
            if len(body) > MIRROR_INDEX_MAX_BYTES:
                break
        return bytes(body)


def mirror_index(base_url: str | None = None) -> ReleaseIndex:
    """The mirror's index: the cached copy while under an hour old, else asked for again.

    A mirror that does not answer leaves the cached copy in use, with a StaleIndexWarning
    saying how old it is; an index that is not a valid one is refused, never cached."""
    url = index_url(_require_mirror(base_url, "cannot read the mirror's index"))
    copy = _index_copy(url)
    try:
        age = time.time() - copy.stat().st_mtime
    except FileNotFoundError:
        age = None
    if age is not None and age < MIRROR_INDEX_LIFETIME_SECONDS:
        return _parse_mirror_index(copy.read_bytes(), str(copy))
    try:
        body = _get_index(url)
    except requests.exceptions.RequestException as error:
        if age is None:
            raise DataError(redact(f"could not read the mirror's index {url}: {error}")) from None
        warnings.warn(
            redact(
                f"the mirror did not answer ({error}); using its index as cached {age / 60:.0f} "
                f"minute(s) ago, which may be stale: {copy}"
            ),
            StaleIndexWarning,
            stacklevel=2,
        )
        return _parse_mirror_index(copy.read_bytes(), str(copy))
    index = _parse_mirror_index(body, redact(url))
    try:
        write_atomic(copy, body)
    except OSError as error:
        raise DataError(f"could not cache the mirror's index in {copy}: {error}") from None
    return index


# --- local, cached or downloaded files ----------------------------------------------------------

# What a URL may carry besides where it points: `user:password@` and a `?query` (often a token).
# A password may hold `/`, `?`, `#` or `@` unescaped: all up to the URL's last `@` is hidden.
_USERINFO = re.compile(r"(?<=://)[^\s'\"]*@")
_QUERY = re.compile(r"\?[^\s#'\"]+")


def redact(text: str) -> str:
    """`text` with the credentials of any URL in it hidden: mirror addresses may hold secrets."""
    return _QUERY.sub("?***", _USERINFO.sub("***@", text))


def release_url(version: str, base_url: str | None = None) -> str:
    """The mirror folder of a release. A mirror is any web folder laid out like `datasets/`
    (`index.json`, `releases/<version>/<file>`); there is no default one. An address holding
    `{version}` names each release's folder instead (its index cannot be read)."""
    base = _require_mirror(base_url, f"release {version} is neither bundled nor cached")
    if "{version}" in base:
        return base.replace("{version}", version).rstrip("/") + "/"
    return f"{base.rstrip('/')}/releases/{version}/"


def _entry(release: ReleaseEntry, path: str) -> FileEntry:
    entry = release.file(path)
    if entry is None:
        raise DataError(f"release {release.version} has no file {path!r} in the index")
    return entry


def _file_sha256(folder: Path, entry: FileEntry) -> str | None:
    """The SHA-256 of a release file in `folder`, None when it is not there.

    A link out of `folder` is refused, never followed. Hashed once per file state."""
    path = folder / entry.path
    try:
        state = path.stat()
        inside = path.resolve().is_relative_to(folder.resolve())
    except FileNotFoundError:
        return None
    except OSError as error:  # e.g. a name too long for the file system
        raise DataError(f"{path}: cannot read the file of release: {error.strerror}") from None
    except ValueError as error:  # a NUL in the name
        raise DataError(f"{entry.path!r}: not a file name this system can read: {error}") from None
    if not inside or not stat.S_ISREG(state.st_mode):
        raise DataError(f"{path}: not a regular file inside {folder}: refused (links out are never followed)")
    return _hash(path, state.st_size, state.st_mtime_ns, state.st_ctime_ns, state.st_ino, state.st_dev)


@cache
def _hash(path: Path, size: int, mtime_ns: int, ctime_ns: int, inode: int, device: int) -> str:
    """Hashed once per file state: `load` and `connect` verify their files on every call."""
    try:
        return pooch.file_hash(str(path))
    except OSError as error:
        raise DataError(f"{path}: cannot read the file of release: {error.strerror}") from None


def _local_folder(release: ReleaseEntry, paths: list[str]) -> Path | None:
    """The release's folder in the data folder, when it holds `paths`, each the published file.

    A missing file sends the caller to the cache; a file that is there with other bytes than
    the published ones is refused, never served as the release."""
    folder = data_dir() / "releases" / release.version
    for entry in (_entry(release, path) for path in paths):
        sha256 = _file_sha256(folder, entry)
        if sha256 is None:
            return None
        if sha256 != entry.sha256:
            raise DataError(
                f"{folder / entry.path}: not the file published as release {release.version} (its "
                f"SHA-256 differs from the index's): it was changed; restore it, or for the bundled "
                f"release reinstall peacetrack"
            )
    return folder


class RichDownloadBar:
    """A download's progress bar, drawn by rich on stderr."""

    def __init__(self, label: str) -> None:
        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = self._progress.add_task(printable(label), total=None)

    @property
    def total(self) -> float | None:
        return self._progress.tasks[0].total

    @total.setter
    def total(self, value: int) -> None:
        """Set once the server answers: the bar appears then, not before."""
        self._progress.update(self._task, total=value or None)
        self._progress.start()

    def update(self, advance: int) -> None:
        self._progress.update(self._task, advance=advance)

    def close(self) -> None:
        self._progress.stop()


@contextmanager
def _download_bar(release: ReleaseEntry, entry: FileEntry) -> Iterator[RichDownloadBar | None]:
    if entry.bytes < PROGRESS_BAR_BYTES:
        yield None
        return
    bar = RichDownloadBar(f"{release.version}/{entry.path}")
    try:
        yield bar
    finally:
        bar.close()


def _timeout() -> float:
    text = os.environ.get(TIMEOUT_ENV)
    try:
        seconds = float(text) if text else TIMEOUT_SECONDS
    except ValueError:
        seconds = 0
    if not seconds > 0:
        raise DataError(f"{TIMEOUT_ENV} must be a number of seconds above 0, not {text!r}")
    return seconds


def _capped_downloader(entry: FileEntry, bar: RichDownloadBar | None) -> Callable[[str, str, object], None]:
    """A pooch downloader that writes at most the published size, and gives up on a stalled mirror.

    More bytes than published can only be the wrong file: refused before they are written."""
    timeout = _timeout()

    def download(url: str, output_file: str, _pooch: object) -> None:
        with requests.get(url, stream=True, timeout=(timeout, timeout)) as response:
            response.raise_for_status()
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > entry.bytes:
                raise ValueError(f"the mirror announced {announced} bytes; {entry.bytes} are published")
            if bar is not None:
                bar.total = entry.bytes
            written = 0
            with open(output_file, "wb") as out:
                for chunk in response.iter_content(DOWNLOAD_CHUNK_BYTES):
                    written += len(chunk)
                    if written > entry.bytes:
                        raise ValueError(f"the mirror sent more than the {entry.bytes} bytes published")
                    out.write(chunk)
                    if bar is not None:
                        bar.update(len(chunk))

    return download


@contextmanager
def _download_lock(folder: Path, release: ReleaseEntry) -> Iterator[None]:
    """One download into a cache folder at a time, across processes.

    pooch downloads into `tmp*` files beside their targets; a killed download leaves its one
    behind. Whoever holds the lock downloads alone, so every such file is a leftover: removed."""
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.with_name(f"{folder.name}.lock")):
        published = {folder / entry.path for entry in release.files}
        for leftover in folder.rglob("tmp*"):
            if leftover not in published and not leftover.is_dir():
                leftover.unlink(missing_ok=True)
        yield


def _fetch(release: ReleaseEntry, paths: list[str], base_url: str | None) -> Path:
    """The cache folder of `release`, holding `paths` verified; missing ones are downloaded.

    pooch downloads into a temporary file beside the target, checks the hash, and only then
    moves it into place: a failed, cut or tampered download leaves nothing behind.
    """
    folder = cache_dir() / release.version
    entries = [_entry(release, path) for path in paths]
    wanted = [entry for entry in entries if _file_sha256(folder, entry) != entry.sha256]
    if not wanted:
        return folder
    try:
        url = release_url(release.version, base_url)
    except DataError:
        corrupt = [folder / entry.path for entry in wanted if _file_sha256(folder, entry) is not None]
        if corrupt:
            raise DataError(
                f"{corrupt[0]}: the cached file is corrupt (its SHA-256 is not the published one): "
                f"fetch it again with `peacetrack download --release {release.version} --base-url URL` "
                f"(or set {BASE_URL_ENV}), or delete {folder} to clear the cache of this release"
            ) from None
        raise
    store = pooch.create(
        path=folder,
        base_url=url,
        registry={entry.path: f"sha256:{entry.sha256}" for entry in release.files},
        retry_if_failed=0,
    )
    shown = redact(url)
    pooch_log = pooch.get_logger()
    level = pooch_log.level
    pooch_log.setLevel(logging.WARNING)  # pooch would print the mirror's address, secrets and all
    try:
        with _download_lock(folder, release):
            for entry in wanted:
                with _download_bar(release, entry) as bar:
                    try:
                        store.fetch(entry.path, downloader=_capped_downloader(entry, bar))
                    except requests.exceptions.RequestException as error:
                        raise DataError(redact(f"could not download {shown}{entry.path}: {error}")) from None
                    except ValueError as error:  # the bytes sent are not the published ones
                        raise DataError(redact(f"refused {shown}{entry.path}, not kept: {error}")) from None
    except OSError as error:
        raise DataError(f"could not store release {release.version} in {folder}: {error}") from None
    finally:
        pooch_log.setLevel(level)
    return folder


def _release_folder(release: ReleaseEntry, paths: list[str], base_url: str | None = None) -> Path:
    """A folder holding `paths` of `release`, each verified against its published hash.

    The one way to a release's files: the data folder's, else the cache's (downloading
    what it lacks)."""
    return _local_folder(release, paths) or _fetch(release, paths, base_url)


def release_path(version: str | None = None, base_url: str | None = None, *, remote: bool | None = None) -> Path:
    """A local folder holding every file of a release: bundled, else cached, else downloaded.

    `version` None or `latest` is the latest release (see `find_release` for `remote`).
    `base_url` (else `PEACETRACK_BASE_URL`, else the config file) names the mirror. Every
    file is checked against its published hash.
    """
    release = find_release(version, remote=remote, base_url=base_url)
    return _release_folder(release, [entry.path for entry in release.files], base_url)


def download(version: str | None = None, base_url: str | None = None, *, remote: bool | None = None) -> Path:
    """Make every file of a release available offline and say where; see `release_path`."""
    return release_path(version, base_url, remote=remote)


def table_folder(version: str | None = None, *, remote: bool | None = None) -> tuple[ReleaseEntry, Path]:
    """A release and a folder holding each table's Parquet file, verified, found as `load` does."""
    release = find_release(version, remote=remote)
    return release, _release_folder(release, [f"{name}.parquet" for name in TABLES])


def _table_files(release: ReleaseEntry, names: list[str]) -> dict[str, Path]:
    """The Parquet file of each named table, verified: local, else cached or downloaded."""
    paths = [f"{name}.parquet" for name in names]
    folder = _release_folder(release, paths)
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


Backend = Literal["pandas", "polars"]


def load(table: str, version: str | None = None, *, backend: Backend = "pandas", remote: bool | None = None) -> Any:
    """One table of a release as a pandas frame (or, with `backend="polars"`, a polars one).

    pandas dtypes: dates `datetime64[s]`, enums categoricals of every allowed value, integers
    `Int64`, booleans `boolean`, lists `list<string>[pyarrow]`, text `string`. polars: dates
    `Date`, enums `Enum` of every allowed value, integers `Int64`, lists `List(String)`.
    """
    return load_all(version, tables=[table], backend=backend, remote=remote)[table]


def load_all(
    version: str | None = None,
    tables: list[str] | None = None,
    *,
    backend: Backend = "pandas",
    remote: bool | None = None,
) -> dict[str, Any]:
    """Every table (or the named ones) of a release, by name, in contract order."""
    if backend not in ("pandas", "polars"):
        raise DataError(f"no backend {backend!r}; the backends are: pandas, polars")
    names = [_table(name).name for name in (tables or list(TABLES))]
    release = find_release(version, remote=remote)
    _check_schema(release)
    files = _table_files(release, names)
    convert = _polars_frame if backend == "polars" else partial(frame_from_arrow, dtype=analysis_dtype)
    frames = {}
    for name in names:
        try:
            frames[name] = convert(TABLES[name], pq.read_table(files[name]))
        except (pa.ArrowException, KeyError) as error:
            raise DataError(f"{files[name]}: not a {name} table of schema {SCHEMA_VERSION}: {error}") from None
    return frames


def _polars_frame(table: Table, data: pa.Table) -> Any:
    """A polars frame in the contract's Arrow types, each enum an `Enum` of its allowed values."""
    try:
        import polars as pl
    except ImportError:
        raise DataError("backend='polars' needs polars: pip install 'peacetrack[polars]'") from None
    frame = pl.from_arrow(data.select([c.name for c in table.columns]).cast(arrow_schema(table)))
    enums = {c.name: pl.Enum(list(c.enum or ())) for c in table.columns if c.kind is Kind.enum and not c.is_list}
    try:
        return frame.cast(enums)
    except pl.exceptions.PolarsError:  # its message would quote the file's values
        raise DataError(
            f"{table.name}: an enum column holds a value it does not allow: not schema {SCHEMA_VERSION}"
        ) from None


# Once the tables are in: no file, network or extension, and no way for a query to undo it.
# No temporary folder either: a locked DuckDB still lets queries read and write in it (`.tmp`).
LOCK_STATEMENTS = """
SET temp_directory = '';
SET enable_external_access = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET lock_configuration = true;
"""


def connect(
    version: str | None = None, *, allow_files: bool = True, strict: bool = False, remote: bool | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database holding every table of a release.

    The tables have the published enum types, column types and comments (`schema/duckdb.sql`).
    Their files are verified against the published hashes first, and a release was validated
    when it was cut, so by default each table is a read-only VIEW of its verified Parquet file,
    read at query time without checking keys again (copying the rows in is most of the time on
    a large release). `strict=True` makes tables by the full DDL, declaring and enforcing every
    key and check, as `load.sql` does; they can be written to.
    The connection is the caller's own: it may join the tables with the caller's files. With
    `allow_files=False` (as `peacetrack sql` does) the rows are copied into tables and the
    connection locked: queries cannot read or write files, reach the network, install or load
    extensions, or undo that. (DuckDB's `allowed_paths` would let views read their files under
    the lock, but it lets queries write those files too.)
    """
    release = find_release(version, remote=remote)
    _check_schema(release)
    files = _table_files(release, list(TABLES))
    connection = duckdb.connect()
    try:
        if strict:
            connection.execute(duckdb_ddl())
            for name, table in TABLES.items():
                _insert(connection, table, files[name])
        else:
            _create_tables(connection, files, "VIEW" if allow_files else "TABLE")
        if not allow_files:
            connection.execute(LOCK_STATEMENTS)
    except BaseException:
        connection.close()
        raise
    return connection


def _create_tables(
    connection: duckdb.DuckDBPyConnection, files: dict[str, Path], kind: Literal["TABLE", "VIEW"]
) -> None:
    """Each table made from its verified Parquet file in one statement, typed and commented.

    A view cannot take a `?` parameter, so the path goes in as a quoted SQL string."""
    connection.execute("\n".join(duckdb_enum_types()))
    for name, table in TABLES.items():
        try:
            connection.execute(f"CREATE {kind} {name} AS {duckdb_select(table, sql_string(str(files[name])))}")
        except duckdb.Error as error:
            raise DataError(f"{files[name]}: cannot load into DuckDB table {name}: {error}") from None
    # Every comment in one transaction: one by one they took more time than the views (~50 ms).
    comments = [line for table in TABLES.values() for line in duckdb_comments(table, kind)]
    connection.execute("\n".join(["BEGIN TRANSACTION;", *comments, "COMMIT;"]))


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
