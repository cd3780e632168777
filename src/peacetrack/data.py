"""Releases to analysts: find a release, verify its files, load its tables into pandas or polars.

A release is named by its version or `latest`, and found, in this order, in the index of the
data folder (the release bundled with the package, or the folder named by
`PEACETRACK_DATA_DIR`, laid out like `datasets/`: `index.json` and `releases/<version>/`), then
in the mirror's index (`mirror.py`). Its files are read from the data folder, else the
download cache, else the mirror. Every file is checked against the SHA-256 the index publishes
for it, so what is loaded is what was released; its tables have the columns, types and enums
of the release's own schema, as its `datapackage.json` (verified like every file) describes
them, so a release made under an older schema still loads. `database.py` loads them into DuckDB. A newer
release on the mirror is used as the latest only when asked (`remote=True`, `--remote` or
`PEACETRACK_REMOTE=1`), never silently.

A little over 400 lines: about a third is the public functions' numpydoc (parameters, examples
run as doctests), which an analyst reads here first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from peacetrack.descriptor import DATAPACKAGE_FILE, read_tables
from peacetrack.errors import DataError, StaleIndexWarning
from peacetrack.index import LATEST, ReleaseEntry, ReleaseIndex, parse_index
from peacetrack.mirror import fetch, mirror_index, mirror_url, release_file, release_file_sha256
from peacetrack.places import DATA_DIR_ENV as DATA_DIR_ENV  # importable from here too, where they were defined first
from peacetrack.places import data_dir, wants_remote
from peacetrack.tables import Kind, Table, analysis_dtype, arrow_schema, frame_from_arrow

__all__ = [
    "DataError",
    "StaleIndexWarning",
    "download",
    "find_release",
    "load",
    "load_all",
    "read_index",
    "release_path",
    "release_tables",
    "table_folder",
    "versions",
]

# --- the index of releases -------------------------------------------------------------------


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
    """The versions of every release in the data folder's index, newest first.

    Parameters
    ----------
    remote : bool, optional
        Also list the releases in the mirror's index. None (the default) reads
        `PEACETRACK_REMOTE` (`1` or `0`); unset, it is False.
    base_url : str, optional
        The mirror: a web folder laid out like `datasets/`. None: `PEACETRACK_BASE_URL`,
        else `base_url` in the config file.

    Returns
    -------
    list of str
        Semantic versions, newest first; a version on both lists once.

    Raises
    ------
    DataError
        The data folder has no valid index; or, with `remote`, no mirror is set, or its
        index cannot be read (and none is cached) or is not a valid one.

    Examples
    --------
    >>> import peacetrack
    >>> "1.0.0" in peacetrack.versions()
    True
    """
    return [entry.version for entry, _ in listed_releases(remote, base_url)]


def listed_releases(
    remote: bool | None = None, base_url: str | None = None
) -> list[tuple[ReleaseEntry, Literal["local", "mirror"]]]:
    """Each release, newest first, with where it is listed: the data folder's entry wins."""
    mirrored = mirror_index(base_url).releases if wants_remote(remote) else ()
    where: dict[str, tuple[ReleaseEntry, Literal["local", "mirror"]]] = {r.version: (r, "mirror") for r in mirrored}
    where |= {r.version: (r, "local") for r in read_index().releases}
    return sorted(where.values(), key=lambda listed: listed[0].key, reverse=True)


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


def _local_folder(release: ReleaseEntry, paths: list[str]) -> Path | None:
    """The release's folder in the data folder, when it holds `paths`, each the published file.

    A missing file sends the caller to the cache; a file that is there with other bytes than
    the published ones is refused, never served as the release."""
    folder = data_dir() / "releases" / release.version
    for entry in (release_file(release, path) for path in paths):
        sha256 = release_file_sha256(folder, entry)
        if sha256 is None:
            return None
        if sha256 != entry.sha256:
            raise DataError(
                f"{folder / entry.path}: not the file published as release {release.version} (its "
                f"SHA-256 differs from the index's): it was changed; restore it, or for the bundled "
                f"release reinstall peacetrack"
            )
    return folder


def _release_folder(release: ReleaseEntry, paths: list[str], base_url: str | None = None) -> Path:
    """A folder holding `paths` of `release`, each verified against its published hash.

    The one way to a release's files: the data folder's, else the cache's (downloading
    what it lacks)."""
    return _local_folder(release, paths) or fetch(release, paths, base_url)


def release_path(version: str | None = None, base_url: str | None = None, *, remote: bool | None = None) -> Path:
    """A local folder holding every file of a release: bundled, else cached, else downloaded.

    Every file is checked against the SHA-256 the index publishes for it.

    Parameters
    ----------
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    base_url : str, optional
        The mirror to download from when the release is neither local nor cached. None:
        `PEACETRACK_BASE_URL`, else `base_url` in the config file.
    remote : bool, optional
        Let the latest be a newer release on the mirror. None reads `PEACETRACK_REMOTE`.

    Returns
    -------
    pathlib.Path
        The folder: the data folder's `releases/<version>/`, else the cache's `<version>/`.

    Raises
    ------
    DataError
        No such release; a local or cached file is not the published one; or a download
        is needed and no mirror is set, the mirror fails, or it sends other bytes.

    Examples
    --------
    >>> import peacetrack
    >>> folder = peacetrack.release_path("2.0.0")
    >>> (folder / "statements.parquet").is_file(), (folder / "datapackage.json").is_file()
    (True, True)
    """
    release = find_release(version, remote=remote, base_url=base_url)
    return _release_folder(release, [entry.path for entry in release.files], base_url)


def download(version: str | None = None, base_url: str | None = None, *, remote: bool | None = None) -> Path:
    """Make every file of a release available offline, and say where.

    What `peacetrack download` does: a release neither in the data folder nor cached is
    fetched from the mirror into the cache, each file verified against its published
    SHA-256 before it is kept. A release already here is only verified.

    Parameters
    ----------
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    base_url : str, optional
        The mirror. None: `PEACETRACK_BASE_URL`, else `base_url` in the config file.
    remote : bool, optional
        Let the latest be a newer release on the mirror. None reads `PEACETRACK_REMOTE`.

    Returns
    -------
    pathlib.Path
        The folder holding every file of the release, as `release_path` returns it.

    Raises
    ------
    DataError
        As `release_path`.

    Examples
    --------
    >>> import peacetrack
    >>> folder = peacetrack.download("2.0.0")  # bundled: nothing to fetch
    >>> folder == peacetrack.release_path("2.0.0")
    True
    """
    return release_path(version, base_url, remote=remote)


def release_tables(release: ReleaseEntry) -> dict[str, Table]:
    """The tables of `release` with the columns of its own schema, read from its `datapackage.json`.

    The descriptor is verified against the SHA-256 the index publishes, as every file is: a
    release without one, or with other bytes, is refused, never read with another schema."""
    entry = release.file(DATAPACKAGE_FILE)
    if entry is None:
        raise DataError(
            f"release {release.version} lists no {DATAPACKAGE_FILE} in the index: without it, the "
            f"columns of its schema {release.schema_version} are unknown, so its tables cannot be read"
        )
    path = _release_folder(release, [DATAPACKAGE_FILE]) / DATAPACKAGE_FILE
    try:
        descriptor = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read the descriptor of release {release.version}: {error.strerror}") from None
    if hashlib.sha256(descriptor).hexdigest() != entry.sha256:  # changed since it was verified
        raise DataError(f"{path}: not the file published as release {release.version}: refused")
    return dict(_described(descriptor, str(path)))


@cache
def _described(descriptor: bytes, where: str) -> dict[str, Table]:
    """Parsed once per content: `load` and `connect` ask for a release's tables on every call."""
    return read_tables(descriptor, where)


def table_folder(version: str | None = None, *, remote: bool | None = None) -> tuple[ReleaseEntry, Path]:
    """A release and a folder holding its descriptor and each table's Parquet file, verified,
    found as `load` finds them."""
    release = find_release(version, remote=remote)
    paths = [DATAPACKAGE_FILE, *(f"{name}.parquet" for name in release_tables(release))]
    return release, _release_folder(release, paths)


def table_files(release: ReleaseEntry, names: list[str]) -> dict[str, Path]:
    """The Parquet file of each named table, verified: local, else cached or downloaded."""
    paths = [f"{name}.parquet" for name in names]
    folder = _release_folder(release, paths)
    return {name: folder / path for name, path in zip(names, paths, strict=True)}


def _table(tables: dict[str, Table], name: str) -> Table:
    if name not in tables:
        raise DataError(f"no table {name!r}; the tables are: {', '.join(tables)}")
    return tables[name]


# --- pandas and polars -------------------------------------------------------------------------------


Backend = Literal["pandas", "polars"]


def load(table: str, version: str | None = None, *, backend: Backend = "pandas", remote: bool | None = None) -> Any:
    """One table of a release as a pandas (or polars) data frame, its file verified first.

    The frame has the columns, types and enums of the release's own schema (its
    `datapackage.json`): a release made under schema 1.0.0 keeps 1.0.0's columns and values.

    Parameters
    ----------
    table : str
        The table's name: sources, actors, statements, military_transfers,
        negotiation_rounds or evidence.
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    backend : {"pandas", "polars"}
        pandas dtypes: dates `datetime64[s]`, enums categoricals of every value the
        release's schema allows,
        integers `Int64`, booleans `boolean`, lists `list<string>[pyarrow]`, text `string`.
        polars (`pip install 'peacetrack[polars]'`): dates `Date`, enums `Enum` of every
        value it allows, integers `Int64`, lists `List(String)`.
    remote : bool, optional
        Let the latest be a newer release on the mirror. None reads `PEACETRACK_REMOTE`.

    Returns
    -------
    pandas.DataFrame or polars.DataFrame
        The table's rows, its columns in the order of the release's schema.

    Raises
    ------
    DataError
        No such table, backend or release; its file or its `datapackage.json` is missing,
        not the published one, or cannot be fetched; the descriptor is not one this
        peacetrack can read.

    Examples
    --------
    >>> import peacetrack
    >>> actors = peacetrack.load("actors", "2.0.0")
    >>> list(actors.columns)
    ['actor_id', 'name', 'actor_type', 'country', 'parent_id', 'role', 'aliases']
    >>> len(actors), actors["actor_id"].is_unique
    (10, True)
    >>> actors.set_index("actor_id").loc["arm", "name"]
    'Armenia'
    """
    return load_all(version, tables=[table], backend=backend, remote=remote)[table]


def load_all(
    version: str | None = None,
    tables: list[str] | None = None,
    *,
    backend: Backend = "pandas",
    remote: bool | None = None,
) -> dict[str, Any]:
    """Every table (or the named ones) of a release, by name, in the order of its schema.

    Parameters
    ----------
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    tables : list of str, optional
        The tables to load; None for every one.
    backend : {"pandas", "polars"}
        The kind of data frame, as for `load`.
    remote : bool, optional
        Let the latest be a newer release on the mirror. None reads `PEACETRACK_REMOTE`.

    Returns
    -------
    dict of str to pandas.DataFrame or polars.DataFrame
        Each table by its name, in the release's order (the named ones as named).

    Raises
    ------
    DataError
        As `load`.

    Examples
    --------
    >>> import peacetrack
    >>> tables = peacetrack.load_all("2.0.0")
    >>> {name: len(frame) for name, frame in tables.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'sources': 1, 'actors': 10, 'statements': 23, 'military_transfers': 11,
     'negotiation_rounds': 1, 'evidence': 60}
    """
    if backend not in ("pandas", "polars"):
        raise DataError(f"no backend {backend!r}; the backends are: pandas, polars")
    release = find_release(version, remote=remote)
    described = release_tables(release)
    chosen = [_table(described, name) for name in (tables or list(described))]
    files = table_files(release, [table.name for table in chosen])
    schema = release.schema_version
    convert = (
        partial(_polars_frame, schema=schema)
        if backend == "polars"
        else partial(frame_from_arrow, dtype=analysis_dtype)
    )
    frames = {}
    for table in chosen:
        try:
            frames[table.name] = convert(table, pq.read_table(files[table.name]))
        except (pa.ArrowException, KeyError) as error:
            raise DataError(f"{files[table.name]}: not a {table.name} table of schema {schema}: {error}") from None
    return frames


def _polars_frame(table: Table, data: pa.Table, schema: str) -> Any:
    """A polars frame in the release's Arrow types, each enum an `Enum` of its allowed values."""
    try:
        import polars as pl
    except ImportError:
        raise DataError("backend='polars' needs polars: pip install 'peacetrack[polars]'") from None
    frame = pl.DataFrame(pl.from_arrow(data.select([c.name for c in table.columns]).cast(arrow_schema(table))))
    enums = [
        pl.col(c.name).cast(pl.Enum(list(c.enum or ()))) for c in table.columns if c.kind is Kind.enum and not c.is_list
    ]
    try:
        return frame.with_columns(enums)
    except pl.exceptions.PolarsError:  # its message would quote the file's values
        raise DataError(f"{table.name}: an enum column holds a value it does not allow: not schema {schema}") from None
