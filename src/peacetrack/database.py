"""A release as an in-memory DuckDB database (`peacetrack.connect`, `peacetrack sql`): its tables
found and verified as `load` finds them, typed and commented as `schema/duckdb.sql` publishes them,
with the columns, enums and comments of the release's own schema (its `datapackage.json`).

Views are made from a `ViewPlan` (`viewplan.py`): worked out from the index, the descriptor and
`schema.py` on the first connect, read back from the cache on later ones, so that those import
neither pydantic, pyarrow nor the contract (0.6 s of the 1 s connect took on 1M statements).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from peacetrack.errors import DataError
from peacetrack.files import sha256_file
from peacetrack.places import data_dir, release_file_path, wants_remote
from peacetrack.viewplan import ViewPlan, file_stamp, plan_key, read_plan, verified_stamp, write_plan

if TYPE_CHECKING:
    from peacetrack.index import ReleaseEntry
    from peacetrack.tables import Table

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
    """An in-memory DuckDB database holding every table of a release, its files verified first.

    The tables have the published enum types, column types and comments (`schema/duckdb.sql`)
    of the release's own schema: a release made under schema 1.0.0 has 1.0.0's columns and enums.
    A release was validated when it was cut, so by default each table is a read-only VIEW of
    its verified Parquet file, read at query time without checking keys again: a release whose
    files match their published SHA-256 is trusted as it was checked. The connection is the
    caller's own: it may join the tables with the caller's files.

    Parameters
    ----------
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    allow_files : bool
        False (as `peacetrack sql`): the connection is locked: queries cannot read or write
        files, reach the network, install or load extensions, or undo that. The views then
        read sealed in-memory copies of their files (`_sealed_copy`), the only paths DuckDB's
        `allowed_paths` lets them read, which no query can write; where the system has no
        sealed memory files (Linux's memfd), they read their files through Arrow, opened
        before the lock. (`allowed_paths` naming the files themselves would let queries
        overwrite them.)
    strict : bool
        True: tables made by the full DDL, declaring and enforcing every key and check, as
        `load.sql` does; they can be written to.
    remote : bool, optional
        Let the latest be a newer release on the mirror. None reads `PEACETRACK_REMOTE`.

    Returns
    -------
    duckdb.DuckDBPyConnection
        The connection; close it when done.

    Raises
    ------
    DataError
        As `load`; or a table's file cannot be loaded into DuckDB.

    Examples
    --------
    >>> import peacetrack
    >>> db = peacetrack.connect("2.0.0", allow_files=False)
    >>> db.execute("SELECT count(*) FROM statements WHERE speaker_id = 'ilham-aliyev'").fetchone()
    (23,)
    >>> db.close()
    """
    if not strict and not _asks_mirror(remote):
        connection = _connect_by_plan(version, allow_files)
        if connection is not None:
            return connection
    return _connect(version, allow_files=allow_files, strict=strict, remote=remote)


def _asks_mirror(remote: bool | None) -> bool:
    """Whether the mirror may be asked for the release; a PEACETRACK_REMOTE that says neither
    counts as yes: `_connect` says what is wrong with it, where it matters."""
    try:
        return wants_remote(remote)
    except DataError:
        return True


def _connect_by_plan(version: str | None, allow_files: bool) -> duckdb.DuckDBPyConnection | None:
    """The views of the release as a cached plan makes them, its files verified; None where
    there is no plan, or anything differs from it: `_connect` then does all again, and says
    what is wrong, if anything is."""
    key = plan_key(version)
    plan = read_plan(key) if key else None
    if plan is None or not _as_published(plan, sealed=not allow_files):
        return None
    connection = duckdb.connect()
    try:
        if allow_files:
            _create_views(connection, plan, plan.sources)
        elif _create_sealed_views(connection, plan):
            connection.execute(LOCK_STATEMENTS)
        else:
            connection.close()
            return None
    except (duckdb.Error, DataError):
        connection.close()
        return None
    return connection


def _as_published(plan: ViewPlan, *, sealed: bool) -> bool:
    """Whether the plan's files are where `_connect` would find them, each the published one:
    as hashed in the state the plan saw it in, else hashed now; the tables' files not at all
    when `sealed`, as their bytes are hashed as they are copied.

    `_connect` looks in the data folder first: a plan of files in the cache holds only while the
    data folder has no folder of that release."""
    home = data_dir() / "releases" / plan.version
    if plan.folder != home and home.exists():
        return False
    try:
        for name, sha256 in plan.files.items():
            path = release_file_path(plan.folder, name)
            if path is None:
                return False
            if sealed and name.removesuffix(".parquet") in plan.selects:
                continue
            if plan.stamps.get(name) != file_stamp(path) and sha256_file(path) != sha256:
                return False
    except (DataError, OSError):
        return False
    return True


def _connect(version: str | None, *, allow_files: bool, strict: bool, remote: bool | None) -> duckdb.DuckDBPyConnection:
    """`connect` the whole way: the release found and its files verified as `load` does, its
    plan worked out (and kept for the next connect, for a release of the data folder's index)."""
    from peacetrack.data import find_release, read_index, release_tables, table_files
    from peacetrack.schema import duckdb_ddl

    release = find_release(version, remote=remote)
    tables = release_tables(release)
    files = table_files(release, list(tables))
    connection = duckdb.connect()
    try:
        if strict:
            connection.execute(duckdb_ddl(tables, release.schema_version))
            for name, table in tables.items():
                _insert(connection, table, files[name])
        else:
            plan = _plan(release, tables, files)
            if allow_files:
                _create_views(connection, plan, plan.sources)
            elif not _create_sealed_views(connection, plan):
                _create_arrow_views(connection, plan, files)
            key = plan_key(version)
            if key and not _asks_mirror(remote) and read_index().find(release.version) == release:
                write_plan(key, plan)
        if not allow_files:
            connection.execute(LOCK_STATEMENTS)
    except duckdb.Error as error:  # the release's own schema, which DuckDB would not take (a name it reserves)
        connection.close()
        raise DataError(f"release {release.version}: its schema cannot be made in DuckDB: {error}") from None
    except BaseException:
        connection.close()
        raise
    return connection


def _plan(release: ReleaseEntry, tables: dict[str, Table], files: dict[str, Path]) -> ViewPlan:
    """The views of `release` (its `tables`, each read from its verified file in `files`)."""
    from peacetrack.descriptor import DATAPACKAGE_FILE
    from peacetrack.schema import duckdb_casts, duckdb_comments, duckdb_enum_types, sql_string

    folder = next(iter(files.values())).parent
    names = [DATAPACKAGE_FILE, *(path.name for path in files.values())]
    published = {name: entry.sha256 for name in names if (entry := release.file(name)) is not None}
    stamps = {name: stamp for name, sha256 in published.items() if (stamp := verified_stamp(folder / name, sha256))}
    return ViewPlan(
        version=release.version,
        folder=folder,
        files=published,
        stamps=stamps,
        types=tuple(duckdb_enum_types(tables)),
        selects={name: duckdb_casts(table) for name, table in tables.items()},
        sources={name: sql_string(str(path)) for name, path in files.items()},
        comments=tuple(line for table in tables.values() for line in duckdb_comments(table, "VIEW")),
    )


def _create_views(connection: duckdb.DuckDBPyConnection, plan: ViewPlan, sources: dict[str, str]) -> None:
    """The enum types; each table a view of its file (`sources`: each an SQL string literal, as
    a view cannot take a `?` parameter), typed; every view and column commented, in one
    transaction (`_comment`)."""
    connection.execute("\n".join(plan.types))
    for name, select in plan.selects.items():
        try:
            connection.execute(f"CREATE VIEW {name} AS SELECT {select} FROM read_parquet({sources[name]})")
        except duckdb.Error as error:
            raise DataError(
                f"{plan.folder / f'{name}.parquet'}: cannot load into DuckDB table {name}: {error}"
            ) from None
    _comment(connection, plan)


def _comment(connection: duckdb.DuckDBPyConnection, plan: ViewPlan) -> None:
    """Every view and column commented, in one transaction: one by one the comments took more
    time than the views."""
    connection.execute("\n".join(["BEGIN TRANSACTION;", *plan.comments, "COMMIT;"]))


def _create_sealed_views(connection: duckdb.DuckDBPyConnection, plan: ViewPlan) -> bool:
    """The views of a connection to be locked, each of a sealed copy of its file, which DuckDB's
    `allowed_paths` lets it read under the lock; False where the system has no sealed
    memory files, or DuckDB no `allowed_paths`, and nothing was made.

    DuckDB reads the copies with its own Parquet reader, as an open connection reads the files:
    the same types and rows, at the same speed, without pyarrow.dataset, which imports pandas
    (0.5-0.7 s of the 1.8 s `peacetrack sql` took on 1M statements)."""
    sources = {}
    for name in plan.selects:
        path = _sealed_copy(plan.folder / f"{name}.parquet", plan.files[f"{name}.parquet"])
        if path is None:
            return False
        sources[name] = f"'{path}'"  # /proc/self/fd/ and digits: nothing to quote
    try:
        connection.execute(f"SET allowed_paths = [{', '.join(sources.values())}]")
    except duckdb.Error:  # a DuckDB before allowed_paths
        return False
    _create_views(connection, plan, sources)
    return True


# Each sealed copy made, by the published SHA-256 of its bytes: its descriptor, device and inode.
# Never closed: a view (of a connection, or a cursor of one, which outlives it) reads it by its
# descriptor's number as long as it lives, and a closed number may be reused for any other file.
_SEALED: dict[str, tuple[int, int, int]] = {}
_SEALS = ("F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_GROW", "F_SEAL_WRITE")


def _sealed_copy(path: Path, sha256: str) -> str | None:
    """`/proc/self/fd/<n>`: an in-memory copy of the verified file at `path` (Linux's memfd),
    its bytes checked again as they are copied, sealed so that nothing can write, grow or
    shrink it; None where the system has none. One copy a file per process, kept (`_SEALED`).

    The copy is what the views read, so a file changed after it was verified is never read."""
    changed = DataError(f"{path}: not the file published (its SHA-256 is not the index's): refused")
    known = _SEALED.get(sha256)
    if known is not None:
        descriptor, device, inode = known
        try:
            state = os.fstat(descriptor)
        except OSError:
            state = None
        if state is not None and (state.st_dev, state.st_ino) == (device, inode):
            if sha256_file(path) != sha256:  # the file as it is now: hashed again only if changed
                raise changed
            return f"/proc/self/fd/{descriptor}"
        del _SEALED[sha256]  # closed by someone else, its number maybe reused: not ours to close
    if not hasattr(os, "memfd_create") or not all(hasattr(fcntl, seal) for seal in _SEALS):
        return None
    try:
        content = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read the file of release: {error.strerror}") from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise changed
    descriptor = os.memfd_create(path.name, os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    rest = memoryview(content)
    while rest:
        rest = rest[os.write(descriptor, rest) :]
    seals = 0
    for seal in _SEALS:
        seals |= getattr(fcntl, seal)
    fcntl.fcntl(descriptor, fcntl.F_ADD_SEALS, seals)
    if not os.path.exists(f"/proc/self/fd/{descriptor}"):  # no /proc: DuckDB could not open it
        os.close(descriptor)
        return None
    state = os.fstat(descriptor)
    _SEALED[sha256] = (descriptor, state.st_dev, state.st_ino)
    return f"/proc/self/fd/{descriptor}"


def _create_arrow_views(connection: duckdb.DuckDBPyConnection, plan: ViewPlan, files: dict[str, Path]) -> None:
    """Each table of `plan` a view of its verified Parquet file (in `files`) read through an
    Arrow dataset, typed and commented: what a locked connection reads where there are no
    sealed copies.

    Copying the rows in instead took 2 s for a release of 1M statements (the statements' 400 MB
    of text) where the view answers a group-by in 0.1 s, reading only the columns the query
    names. The view holds the dataset, so nothing else names it; a query cannot write through
    it. Text columns are read as Arrow dictionaries, as the Parquet files store them: decoded
    into plain strings, the group-by took 0.2 s, as dictionaries 0.02 s."""
    import pyarrow
    import pyarrow.dataset  # imports pandas
    import pyarrow.parquet as pq

    connection.execute("\n".join(plan.types))
    for name, select in plan.selects.items():
        try:
            text = [f.name for f in pq.read_schema(files[name]) if pyarrow.types.is_string(f.type)]
            options = pyarrow.dataset.ParquetReadOptions(dictionary_columns=text)
            form = pyarrow.dataset.ParquetFileFormat(read_options=options)
            dataset = pyarrow.dataset.dataset(files[name], format=form)
            connection.from_arrow(dataset).project(select).create_view(name, replace=False)
        except (duckdb.Error, pyarrow.ArrowException) as error:
            raise DataError(f"{files[name]}: cannot load into DuckDB table {name}: {error}") from None
    _comment(connection, plan)


def _insert(connection: duckdb.DuckDBPyConnection, table: Table, path: Path) -> None:
    """Insert a table's rows; rows that point at rows of the same table go in after them.

    DuckDB checks a foreign key against rows already in the table, not against the rows of
    the same statement, so a self-referencing table (actors' parent_id) goes in by rounds.
    """
    key = table.primary_key
    parents = [c for c, target in table.foreign_keys.items() if target == table.name and not table.column(c).is_list]
    ready = " AND ".join(f"({c} IS NULL OR {c} IN (SELECT {key} FROM {table.name}))" for c in parents) or "TRUE"
    import pyarrow.parquet as pq

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


def run_query(connection: duckdb.DuckDBPyConnection, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and rows of `query`; DuckDB's complaint about it a DataError."""
    try:
        cursor = connection.execute(query)
        if cursor is None:  # DuckDB's answer to a query of only blanks or comments
            raise DataError("no SQL statement in the query")
        return [d[0] for d in cursor.description or []], cursor.fetchall()
    except duckdb.Error as error:
        locked = isinstance(error, duckdb.PermissionException) or "configuration has been locked" in str(error)
        hint = "\nthe query sees only the release's tables: --allow-files lets it use files" if locked else ""
        raise DataError(f"{error}{hint}") from None
