"""A release as an in-memory DuckDB database (`peacetrack.connect`, `peacetrack sql`): its tables
found and verified as `load` finds them, typed and commented as `schema/duckdb.sql` publishes them,
with the columns, enums and comments of the release's own schema (its `datapackage.json`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from peacetrack.data import find_release, release_tables, table_files
from peacetrack.errors import DataError
from peacetrack.schema import (
    duckdb_casts,
    duckdb_comments,
    duckdb_ddl,
    duckdb_enum_types,
    duckdb_select,
    sql_string,
)
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
    its verified Parquet file, read at query time without checking keys again. The connection
    is the caller's own: it may join the tables with the caller's files.

    Parameters
    ----------
    version : str, optional
        A version (`1.0.0`), or None or `latest` for the latest release.
    allow_files : bool
        False (as `peacetrack sql`): the connection is locked: queries cannot read or write
        files, reach the network, install or load extensions, or undo that. The views then
        read their files through Arrow, opened before the lock, not through DuckDB's file
        system. (DuckDB's `allowed_paths` would let views read their files under the lock,
        but it lets queries write those files too.)
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
    release = find_release(version, remote=remote)
    tables = release_tables(release)
    files = table_files(release, list(tables))
    connection = duckdb.connect()
    try:
        if strict:
            connection.execute(duckdb_ddl(tables, release.schema_version))
            for name, table in tables.items():
                _insert(connection, table, files[name])
        elif allow_files:
            _create_views(connection, tables, files)
        else:
            _create_arrow_views(connection, tables, files)
        if not allow_files:
            connection.execute(LOCK_STATEMENTS)
    except duckdb.Error as error:  # the release's own schema, which DuckDB would not take (a name it reserves)
        connection.close()
        raise DataError(f"release {release.version}: its schema cannot be made in DuckDB: {error}") from None
    except BaseException:
        connection.close()
        raise
    return connection


def _create_views(connection: duckdb.DuckDBPyConnection, tables: dict[str, Table], files: dict[str, Path]) -> None:
    """Each table a view of its verified Parquet file, typed and commented.

    A view cannot take a `?` parameter, so the path goes in as a quoted SQL string."""
    connection.execute("\n".join(duckdb_enum_types(tables)))
    for name, table in tables.items():
        try:
            connection.execute(f"CREATE VIEW {name} AS {duckdb_select(table, sql_string(str(files[name])))}")
        except duckdb.Error as error:
            raise DataError(f"{files[name]}: cannot load into DuckDB table {name}: {error}") from None
    _comment(connection, tables)


def _create_arrow_views(
    connection: duckdb.DuckDBPyConnection, tables: dict[str, Table], files: dict[str, Path]
) -> None:
    """Each table a view of its verified Parquet file read through an Arrow dataset, typed and commented.

    What a locked connection can read without DuckDB's file system: copying the rows in
    instead took 2 s for a release of 1M statements (the statements' 400 MB of text) where
    the view answers a group-by in 0.1 s, reading only the columns the query names. The
    view holds the dataset, so nothing else names it; a query cannot write through it. Text
    columns are read as Arrow dictionaries, as the Parquet files store them: decoded into plain
    strings, the group-by took 0.2 s, as dictionaries 0.02 s (DuckDB's own reader 0.013 s)."""
    import pyarrow.dataset  # imports pandas: only a locked connection needs it

    connection.execute("\n".join(duckdb_enum_types(tables)))
    for name, table in tables.items():
        try:
            text = [f.name for f in pq.read_schema(files[name]) if pyarrow.types.is_string(f.type)]
            options = pyarrow.dataset.ParquetReadOptions(dictionary_columns=text)
            form = pyarrow.dataset.ParquetFileFormat(read_options=options)
            dataset = pyarrow.dataset.dataset(files[name], format=form)
            connection.from_arrow(dataset).project(duckdb_casts(table)).create_view(name, replace=False)
        except (duckdb.Error, pyarrow.ArrowException) as error:
            raise DataError(f"{files[name]}: cannot load into DuckDB table {name}: {error}") from None
    _comment(connection, tables)


def _comment(connection: duckdb.DuckDBPyConnection, tables: dict[str, Table]) -> None:
    """Every view and column commented, in one transaction: one by one the comments took more
    time than the views (~50 ms)."""
    comments = [line for table in tables.values() for line in duckdb_comments(table, "VIEW")]
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
