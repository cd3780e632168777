"""What changed between two releases (or builds), table by table and row by row.

Each folder's tables and primary keys are its own, as its `datapackage.json` describes them
(the contract's for a build folder without one), so releases of two schemas compare: a column
in one of them only is an added or removed column, and rows are matched by primary key and
compared on the columns both have. Evidence is shown by the row it proves and a changed
`canonical_id` by the link it makes, not as opaque ids. Every name and value comes from the
folders' files: column names are quoted as SQL identifiers, and the text makes each value one
printable line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import pyarrow.parquet as pq

from peacetrack.descriptor import DATAPACKAGE_FILE, read_tables
from peacetrack.errors import DataError, ReleaseError
from peacetrack.tables import TABLES
from peacetrack.terminal import printable

EVIDENCE = "evidence"
EVIDENCE_COLUMNS = ["evidence_id", "table_name", "row_id", "quote"]
CANONICAL = "canonical_id"
QUOTE_WIDTH = 60  # characters of a quote the text shows
NAMES_SHOWN = 5  # rows a link names before it says how many more


@dataclass(frozen=True)
class EvidenceChange:
    """An evidence row added, removed or changed, told by the row it proves."""

    change: Literal["added", "removed", "changed"]
    evidence_id: str
    table: str
    row_id: str
    quote: str
    columns: list[str] = field(default_factory=list)  # of a changed row


@dataclass(frozen=True)
class Link:
    """A row's `canonical_id` as the link it makes: the other rows it is the same as, now and before."""

    key: str
    canonical_id: str
    was: str | None  # None: the row is new
    same_as: list[str]
    was_same_as: list[str]


@dataclass(frozen=True)
class TableDiff:
    """Rows of one table added, removed and changed (key -> names of the changed columns),
    columns in one folder only, the evidence of its rows and the links its rows make."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    added_columns: list[str] = field(default_factory=list)
    removed_columns: list[str] = field(default_factory=list)
    evidence: list[EvidenceChange] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _parquet_columns(path: Path) -> list[str]:
    return pq.read_schema(path).names


def _identifier(name: str) -> str:
    """A column name as a quoted SQL identifier: names come from Parquet files and are not trusted."""
    return '"' + name.replace('"', '""') + '"'


def primary_keys(folder: Path) -> dict[str, str]:
    """Each table of a release or build folder and its primary key, in order: as its own
    `datapackage.json` describes them, else (a build folder) as the contract does."""
    path = folder / DATAPACKAGE_FILE
    if not path.is_file():
        return {name: table.primary_key for name, table in TABLES.items()}
    try:
        tables = read_tables(path.read_bytes(), str(path))
    except DataError as error:
        raise ReleaseError(str(error)) from None
    except OSError as error:
        raise ReleaseError(f"{path}: cannot read: {error.strerror}") from None
    return {name: table.primary_key for name, table in tables.items()}


def diff_table(name: str, primary_key: str, old: Path, new: Path) -> TableDiff:
    """Compare one table's Parquet files by primary key, in DuckDB (lists and nulls compare exactly)."""
    key = _identifier(primary_key)
    old_path, new_path = old / f"{name}.parquet", new / f"{name}.parquet"
    if not old_path.exists() and not new_path.exists():
        return TableDiff(name)
    import duckdb  # imported when first needed: the validator reads releases without it

    with duckdb.connect() as db:
        if not new_path.exists() or not old_path.exists():
            present = old_path if old_path.exists() else new_path
            keys = [
                r[0] for r in db.execute(f"SELECT {key} FROM read_parquet(?) ORDER BY 1", [str(present)]).fetchall()
            ]
            return TableDiff(name, removed=keys) if present == old_path else TableDiff(name, added=keys)
        old_columns, new_columns = _parquet_columns(old_path), _parquet_columns(new_path)
        compared = [c for c in old_columns if c in new_columns and c != primary_key]
        flags = [f"a.{_identifier(c)} IS DISTINCT FROM b.{_identifier(c)}" for c in compared] or ["false"]
        rows = db.execute(
            f"SELECT a.{key}, b.{key}, {', '.join(flags)} "
            f"FROM read_parquet(?) a FULL OUTER JOIN read_parquet(?) b ON a.{key} = b.{key} "
            f"WHERE a.{key} IS NULL OR b.{key} IS NULL OR {' OR '.join(flags)} "
            f"ORDER BY coalesce(a.{key}, b.{key})",
            [str(old_path), str(new_path)],
        ).fetchall()
    diff = TableDiff(
        name,
        added_columns=[c for c in new_columns if c not in old_columns],
        removed_columns=[c for c in old_columns if c not in new_columns],
    )
    for old_key, new_key, *changed in rows:
        if old_key is None:
            diff.added.append(new_key)
        elif new_key is None:
            diff.removed.append(old_key)
        else:
            diff.changed[old_key] = [c for c, flag in zip(compared, changed, strict=False) if flag]
    return diff


def _rows(path: Path, columns: list[str]) -> list[dict[str, Any]]:
    """The given columns of a Parquet file's rows; none when the file lacks one of them."""
    if not path.exists() or not set(columns) <= set(_parquet_columns(path)):
        return []
    return pq.read_table(path, columns=columns).to_pylist()


def evidence_changes(diff: TableDiff, old: Path, new: Path) -> list[EvidenceChange]:
    """The evidence table's changed rows as proofs of rows: a span that now proves another
    row is removed from the one and added to the other."""
    if not (diff.added or diff.removed or diff.changed):
        return []
    before = {r["evidence_id"]: r for r in _rows(old / f"{EVIDENCE}.parquet", EVIDENCE_COLUMNS)}
    after = {r["evidence_id"]: r for r in _rows(new / f"{EVIDENCE}.parquet", EVIDENCE_COLUMNS)}

    def proof(
        change: Literal["added", "removed", "changed"], row: dict[str, Any], columns: list[str]
    ) -> EvidenceChange:
        return EvidenceChange(change, row["evidence_id"], row["table_name"], row["row_id"], row["quote"], columns)

    changes = [proof("removed", before[key], []) for key in diff.removed if key in before]
    changes += [proof("added", after[key], []) for key in diff.added if key in after]
    for key, columns in diff.changed.items():
        if key not in before or key not in after:
            continue
        if {"table_name", "row_id"} & set(columns):
            changes += [proof("removed", before[key], []), proof("added", after[key], [])]
        else:
            changes.append(proof("changed", after[key], columns))
    return changes


def links(diff: TableDiff, primary_key: str, old: Path, new: Path) -> list[Link]:
    """The links made by rows whose `canonical_id` changed, and by added rows that share one."""
    if not diff.added and not any(CANONICAL in changed for changed in diff.changed.values()):
        return []
    columns = [primary_key, CANONICAL]
    before = {r[primary_key]: r[CANONICAL] for r in _rows(old / f"{diff.table}.parquet", columns)}
    after = {r[primary_key]: r[CANONICAL] for r in _rows(new / f"{diff.table}.parquet", columns)}
    members: tuple[defaultdict[str, list[str]], defaultdict[str, list[str]]] = (defaultdict(list), defaultdict(list))
    for rows, group in ((before, members[0]), (after, members[1])):
        for key, canonical in rows.items():
            group[canonical].append(key)

    def others(group: defaultdict[str, list[str]], key: str, canonical: str) -> list[str]:
        return sorted((k for k in group[canonical] if k != key), key=str)

    keys = [k for k in diff.added if k in after and after[k] != k]
    keys += [k for k, changed in diff.changed.items() if CANONICAL in changed and k in after]
    return [
        Link(
            key,
            after[key],
            before.get(key),
            others(members[1], key, after[key]),
            others(members[0], key, before[key]) if key in before else [],
        )
        for key in sorted(keys, key=str)
    ]


def diff_releases(old: Path, new: Path) -> list[TableDiff]:
    """Per table (of either folder), what changed from release folder `old` to `new`."""
    import duckdb
    import pyarrow as pa

    keys_old, keys_new = primary_keys(old), primary_keys(new)
    keys = keys_new | {name: key for name, key in keys_old.items() if name not in keys_new}
    for folder in (old, new):
        if not any((folder / f"{name}.parquet").exists() for name in keys):
            raise ReleaseError(f"{folder}: no table files (*.parquet): not a release or build folder")
    try:
        diffs = {name: diff_table(name, key, old, new) for name, key in keys.items()}
        diffs = {name: replace(d, links=links(d, keys[name], old, new)) for name, d in diffs.items()}
        if EVIDENCE in diffs:
            for change in evidence_changes(diffs[EVIDENCE], old, new):
                proven = diffs.get(change.table, diffs[EVIDENCE])
                proven.evidence.append(change)
    except (OSError, pa.ArrowException, duckdb.Error) as error:
        raise ReleaseError(f"cannot compare {old} and {new}: {error}") from None
    return list(diffs.values())


def diff_json(diffs: list[TableDiff]) -> dict[str, Any]:
    return {
        d.table: {
            "added": d.added,
            "removed": d.removed,
            "changed": [{"key": k, "columns": cols} for k, cols in d.changed.items()],
            "added_columns": d.added_columns,
            "removed_columns": d.removed_columns,
            "links": [vars(link) for link in d.links],
            "evidence": [vars(change) for change in d.evidence],
        }
        for d in diffs
    }


def _line(value: object) -> str:
    """A value from the data as one printable line."""
    return printable(value, keep="")


def _names(keys: list[str]) -> str:
    shown = ", ".join(map(_line, keys[:NAMES_SHOWN]))
    return shown + (f" and {len(keys) - NAMES_SHOWN} more" if len(keys) > NAMES_SHOWN else "")


def link_text(table: str, link: Link) -> str:
    """`statements/x now the same as y`: what a row's canonical_id says."""
    row = f"{_line(table)}/{_line(link.key)}"
    if link.same_as:
        return f"{row} now the same as {_names(link.same_as)}"
    if link.was_same_as:
        return f"{row} no longer the same as {_names(link.was_same_as)}"
    return f"{row}: canonical_id now {_line(link.canonical_id)}, shared by no other row"


def evidence_text(change: EvidenceChange) -> str:
    """`+ evidence for statements/x: “the quote, shortened…”`."""
    sign = {"added": "+", "removed": "-", "changed": "~"}[change.change]
    changed = f" ({', '.join(map(_line, change.columns))})" if change.columns else ""
    quote = " ".join(printable(change.quote).split())  # one line, whatever line breaks the source has
    quote = quote if len(quote) <= QUOTE_WIDTH else quote[: QUOTE_WIDTH - 1] + "…"
    return f"{sign} evidence for {_line(change.table)}/{_line(change.row_id)}{changed}: “{quote}”"


def diff_text(diffs: list[TableDiff]) -> str:
    """One summary line per table, then `+ key`, `- key`, `~ key: columns` per row, `= ` the
    links rows make, and the evidence of the table's rows; evidence rows are not listed by id
    where they are shown by the rows they prove."""
    shown_by_row = {change.evidence_id for d in diffs for change in d.evidence}
    lines = []
    for d in diffs:
        shown = shown_by_row if d.table == EVIDENCE else set()
        summary = f"{_line(d.table)}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        if d.added_columns:
            summary += f"; columns added: {', '.join(map(_line, d.added_columns))}"
        if d.removed_columns:
            summary += f"; columns removed: {', '.join(map(_line, d.removed_columns))}"
        lines.append(summary)
        lines += [f"  + {_line(k)}" for k in d.added if k not in shown]
        lines += [f"  - {_line(k)}" for k in d.removed if k not in shown]
        lines += [f"  ~ {_line(k)}: {', '.join(map(_line, cols))}" for k, cols in d.changed.items() if k not in shown]
        lines += [f"  = {link_text(d.table, link)}" for link in d.links]
        lines += [
            f"  {evidence_text(change)}" for change in sorted(d.evidence, key=lambda c: (str(c.row_id), c.change))
        ]
    return "\n".join(lines) + "\n"
