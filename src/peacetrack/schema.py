"""The published contract: JSON Schema, Frictionless table schemas and DuckDB DDL.

All three are rendered from `tables.TABLES`, so they cannot drift from the row models;
`write_schema` lays them out under `schema/` and a test compares the committed copies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from peacetrack.files import write_atomic
from peacetrack.tables import LIST_DELIMITER, SCHEMA_VERSION, TABLES, Column, Kind, ModelTable, Table

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_URN = f"urn:peacetrack:schema:{SCHEMA_VERSION}"
MISSING_VALUES = [""]


def json_schema(table: ModelTable) -> dict[str, Any]:
    """JSON Schema (Draft 2020-12) of one row, from the pydantic model."""
    schema = table.model.model_json_schema(mode="serialization")
    order = [c.name for c in table.columns]
    schema["properties"] = {name: schema["properties"][name] for name in order}
    schema["required"] = order  # every column is present in a row, null where unknown
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_URN}:{table.name}",
        "title": f"peacetrack {table.name} row",
        **{k: v for k, v in schema.items() if k != "title"},
    }


_FRICTIONLESS_TYPES = {
    Kind.date: "date",
    Kind.integer: "integer",
    Kind.boolean: "boolean",
}


def frictionless_field(column: Column) -> dict[str, Any]:
    base = _FRICTIONLESS_TYPES.get(column.kind, "string")
    field: dict[str, Any] = {"name": column.name, "description": column.description}
    if column.is_list:
        field |= {"type": "list", "delimiter": LIST_DELIMITER, "itemType": base}
    else:
        field["type"] = base
    if column.kind is Kind.boolean:
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    # An empty list is an empty CSV cell, so only a list that needs items requires one.
    required = not column.nullable and (not column.is_list or bool(column.min_items))
    constraints: dict[str, Any] = {"required": required}
    if column.primary_key:
        constraints["unique"] = True
    if column.pattern and not column.is_list:
        constraints["pattern"] = column.pattern.removeprefix("^").removesuffix("$")
    if column.enum and not column.is_list:
        constraints["enum"] = list(column.enum)
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.min_items is not None:
        constraints["minLength"] = column.min_items
    field["constraints"] = constraints
    return field


def frictionless_schema(table: Table) -> dict[str, Any]:
    """Frictionless table schema: types, constraints, primary and foreign keys.

    A list column's foreign key (`parties`) cannot be expressed here; peacetrack checks it.
    """
    foreign_keys = [
        {
            "fields": [column],
            "reference": {"resource": "" if parent == table.name else parent, "fields": [TABLES[parent].primary_key]},
        }
        for column, parent in table.foreign_keys.items()
        if not table.column(column).is_list
    ]
    schema: dict[str, Any] = {
        "fields": [frictionless_field(c) for c in table.columns],
        "missingValues": MISSING_VALUES,
        "primaryKey": [table.primary_key],
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


_DUCKDB_TYPES = {Kind.date: "DATE", Kind.integer: "BIGINT", Kind.boolean: "BOOLEAN"}


def sql_string(text: str) -> str:
    """`text` as an SQL string literal, every `'` doubled: for where no `?` parameter can go."""
    return "'" + text.replace("'", "''") + "'"


def duckdb_type(column: Column) -> str:
    base = column.enum_name if column.enum_name else _DUCKDB_TYPES.get(column.kind, "VARCHAR")
    return f"{base}[]" if column.is_list else base


def _duckdb_column(column: Column, tables: Mapping[str, Table]) -> str:
    parts = [column.name, duckdb_type(column)]
    if column.primary_key:
        parts.append("PRIMARY KEY")
    elif not column.nullable:
        parts.append("NOT NULL")
    if column.references and not column.is_list:
        parts.append(f"REFERENCES {column.references} ({tables[column.references].primary_key})")
    checks = []
    if column.pattern and not column.is_list:
        checks.append(f"regexp_full_match({column.name}, {sql_string(column.pattern)})")
    if column.minimum is not None:
        checks.append(f"{column.name} >= {column.minimum}")
    if column.min_items is not None:
        checks.append(f"len({column.name}) >= {column.min_items}")
    if checks:
        parts.append(f"CHECK ({' AND '.join(checks)})")
    return "    " + " ".join(parts)


def vocabularies(tables: Mapping[str, Table] = TABLES) -> dict[str, dict[str, str]]:
    """Every vocabulary of the contract (or of `tables`, a release's own) by its enum name
    (`topic`), each value with its one-line definition, in order: what `peacetrack info` and the
    data card show a coder. ISO country codes aside: they are a list of their own
    (`country_code`), not a vocabulary to read."""
    found: dict[str, dict[str, str]] = {}
    for table in tables.values():
        for column in table.columns:
            if column.enum_name and column.enum and column.definitions and column.enum_name != "country_code":
                found.setdefault(column.enum_name, dict(zip(column.enum, column.definitions, strict=True)))
    return found


def duckdb_enum_types(tables: Mapping[str, Table] = TABLES) -> list[str]:
    """CREATE TYPE for every enum of the contract (or of `tables`, a release's own), each once."""
    enums: dict[str, tuple[str, ...]] = {}
    for table in tables.values():
        for column in table.columns:
            if column.enum_name and column.enum:
                enums.setdefault(column.enum_name, column.enum)
    return [f"CREATE TYPE {name} AS ENUM ({', '.join(map(sql_string, values))});" for name, values in enums.items()]


def duckdb_comments(table: Table, kind: Literal["TABLE", "VIEW"] = "TABLE") -> list[str]:
    """COMMENT ON the table (or the view of it) and each of its columns."""
    lines = [f"COMMENT ON {kind} {table.name} IS {sql_string(table.description)};"]
    for column in table.columns:
        lines.append(f"COMMENT ON COLUMN {table.name}.{column.name} IS {sql_string(column.description)};")
    return lines


def duckdb_ddl(tables: Mapping[str, Table] = TABLES, version: str = SCHEMA_VERSION) -> str:
    """CREATE TYPE for every enum, CREATE TABLE with keys and checks, COMMENT ON everything,
    of the contract (or of `tables`, a release's own, of schema `version`).

    Tables come in an order in which every foreign key points backwards, so the DDL runs
    top to bottom and rows load table by table in the same order.
    """
    lines = [f"-- peacetrack schema {version}: generated by `peacetrack schema`; do not edit.", ""]
    lines += duckdb_enum_types(tables)
    for table in tables.values():
        lines += ["", f"CREATE TABLE {table.name} ("]
        lines.append(",\n".join(_duckdb_column(c, tables) for c in table.columns))
        lines.append(");")
        lines += duckdb_comments(table)
    return "\n".join(lines) + "\n"


def duckdb_select(table: Table, source: str) -> str:
    """SELECT a table's columns from `source` (an SQL string literal naming a Parquet file, or
    `?` for a parameter), each cast to its DuckDB type: as `INSERT INTO`, `CREATE TABLE AS` or
    `CREATE VIEW AS` take them."""
    return f"SELECT {duckdb_casts(table)} FROM read_parquet({source})"


def duckdb_casts(table: Table) -> str:
    """A table's columns, each cast to its DuckDB type and named as itself: a SELECT list."""
    return ", ".join(f"CAST({c.name} AS {duckdb_type(c)}) AS {c.name}" for c in table.columns)


def self_references(table: Table) -> list[str]:
    """The columns of `table` whose foreign key points at `table` itself (actors' parent_id)."""
    return [c for c, target in table.foreign_keys.items() if target == table.name and not table.column(c).is_list]


# DuckDB checks a foreign key against the rows in the table before the statement, not those the
# same statement inserts: a self-referencing table goes in a level of its tree per statement.
SELF_REFERENCE_LEVELS = 16


def duckdb_load_script() -> str:
    """`load.sql` of a release: the DDL, then every table's rows from its Parquet file.

    Run from the release's folder: `duckdb peacetrack.duckdb < load.sql`. A table that
    references itself loads a level at a time, parents before children; a final check stops
    with an error if any row is left out (a tree deeper than SELF_REFERENCE_LEVELS)."""
    lines = [
        f"-- peacetrack schema {SCHEMA_VERSION}: loads this release into DuckDB with every key and check.",
        "-- Run it in this folder: duckdb peacetrack.duckdb < load.sql   (generated; do not edit)",
        "",
        duckdb_ddl().split("\n", 2)[2],
    ]
    for table in TABLES.values():
        file = sql_string(f"{table.name}.parquet")
        select = duckdb_select(table, file)
        parents = self_references(table)
        if not parents:
            lines.append(f"INSERT INTO {table.name} {select};")
            continue
        key = table.primary_key
        ready = " AND ".join(f"({c} IS NULL OR {c} IN (SELECT {key} FROM {table.name}))" for c in parents)
        new = f"{key} NOT IN (SELECT {key} FROM {table.name})"
        step = f"INSERT INTO {table.name} SELECT * FROM ({select}) WHERE {new} AND {ready};"
        lines += [step] * SELF_REFERENCE_LEVELS
        left_out = sql_string(f"{table.name}: rows left out (a loop, or more than {SELF_REFERENCE_LEVELS} levels)")
        lines.append(
            f"SELECT CASE WHEN (SELECT count(*) FROM {table.name}) <> (SELECT count(*) FROM read_parquet({file})) "
            f"THEN error({left_out}) END AS loaded;"
        )
    return "\n".join(lines) + "\n"


def dump_json(data: Any) -> str:
    """JSON as every generated file writes it: sorted-free, indented, UTF-8, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """Every file of the published contract, by path relative to `schema/`."""
    files = {"duckdb.sql": duckdb_ddl(), "load.sql": duckdb_load_script()}
    for table in TABLES.values():
        files[f"json/{table.name}.schema.json"] = dump_json(json_schema(table))
        files[f"frictionless/{table.name}.schema.json"] = dump_json(frictionless_schema(table))
    return files


def write_schema(folder: Path) -> list[Path]:
    """Write the published contract into `folder`, each file atomically."""
    written = []
    for relative, content in schema_files().items():
        path = folder / relative
        write_atomic(path, content)
        written.append(path)
    return written
