"""What changed between two releases (or builds), table by table and row by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from peacetrack.errors import ReleaseError
from peacetrack.tables import TABLES, Table


@dataclass(frozen=True)
class TableDiff:
    """Rows of one table added, removed and changed (key -> names of the changed columns)."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)


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
