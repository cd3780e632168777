"""The tables of a release as its own `datapackage.json` describes them.

A release keeps the schema it was made under: a release of schema 1.0.0 still loads, with its
own columns, types and enums, once the package's contract (`tables.TABLES`) is 2.0.0. The
contract as data is the release's Frictionless descriptor (a field's type, `required`, `enum`,
`pattern`, `minimum`, `minLength`, description; each table's primary and foreign keys), which
`datapackage.py` writes from the contract and the index publishes with its SHA-256. This
module reads it back into the same `Table`s and `Column`s the contract gives, so loading,
DuckDB and diff treat either alike.

The descriptor may come from a mirror: it is parsed strictly, and every table and column name
must be a plain lower-case identifier (names go into SQL as they are).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from peacetrack.errors import DataError
from peacetrack.tables import BCP47_PATTERN, SHA256_PATTERN, SLUG_PATTERN, TABLES, Column, Kind, Table

DATAPACKAGE_FILE = "datapackage.json"
# Names go into SQL unquoted (views, comments, DDL): a plain identifier, nothing to escape.
IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
FieldType = Literal["string", "date", "integer", "boolean"]

_KINDS: dict[str, Kind] = {"date": Kind.date, "integer": Kind.integer, "boolean": Kind.boolean}
# A string column's kind, told by its pattern; any other string column is text.
_STRING_KINDS: dict[str, Kind] = {SLUG_PATTERN: Kind.slug, SHA256_PATTERN: Kind.sha256, BCP47_PATTERN: Kind.bcp47}


class _Read(BaseModel):
    """A part of a descriptor, as much as peacetrack reads of it; the rest is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Constraints(_Read):
    required: bool = False
    enum: tuple[str, ...] | None = Field(default=None, min_length=1)
    pattern: str | None = None
    minimum: int | None = None
    min_length: int | None = Field(default=None, alias="minLength", ge=0)


class _Field(_Read):
    name: Identifier
    type: FieldType | Literal["list"]
    item_type: FieldType | None = Field(default=None, alias="itemType")
    description: str = ""
    constraints: _Constraints = _Constraints()


class _Reference(_Read):
    resource: str
    fields: tuple[Identifier]


class _ForeignKey(_Read):
    fields: tuple[Identifier]
    reference: _Reference


class _Schema(_Read):
    fields: tuple[_Field, ...] = Field(min_length=1)
    primary_key: tuple[Identifier] = Field(alias="primaryKey")
    foreign_keys: tuple[_ForeignKey, ...] = Field(default=(), alias="foreignKeys")


class _Resource(_Read):
    name: str
    path: str
    format: str | None = None
    description: str = ""
    table_schema: _Schema | None = Field(default=None, alias="schema")


class _Package(_Read):
    resources: tuple[_Resource, ...]


def _kind(field: _Field) -> Kind:
    base = field.item_type if field.type == "list" else field.type
    if base is None:
        raise ValueError(f"list column {field.name} names no itemType")
    if field.constraints.enum:
        return Kind.enum
    if base == "string":
        return _STRING_KINDS.get(f"^{field.constraints.pattern}$", Kind.text)
    return _KINDS[base]


def _column(table: str, field: _Field, primary_key: str, references: dict[str, str]) -> Column:
    is_list, rules = field.type == "list", field.constraints
    enum = rules.enum
    if enum is not None and len(set(enum)) != len(enum):
        raise ValueError(f"column {table}.{field.name}: an enum value is listed twice")
    contract = TABLES.get(table)
    same = next((c for c in contract.columns if c.name == field.name), None) if contract else None
    return Column(
        name=field.name,
        kind=_kind(field),
        # An empty list is an empty cell, never null: the writer requires only a list that needs items.
        nullable=not rules.required and not is_list,
        is_list=is_list,
        description=field.description,
        enum=enum,
        # The SQL type's name is the contract's, where it has the column (`transfer_status`),
        # so a query reads alike across releases; the values are this release's own.
        enum_name=((same.enum_name if same and same.enum_name else field.name) if enum else None),
        # What each value means, where the release's vocabulary is the contract's own.
        definitions=same.definitions if same and enum is not None and same.enum == enum else None,
        references=references.get(field.name),
        primary_key=field.name == primary_key,
        minimum=rules.minimum,
        min_items=rules.min_length if is_list else None,
        pattern=f"^{rules.pattern}$" if rules.pattern is not None else None,
    )


def _table_name(resource: _Resource) -> str:
    """A Parquet resource's table: its file `<table>.parquet`, beside the descriptor."""
    path = PurePosixPath(resource.path)
    if path.suffix != ".parquet" or str(path.parent) != "." or not re.fullmatch(IDENTIFIER_PATTERN, path.stem):
        raise ValueError(f"resource {resource.name[:80]!r}: not a table file <table>.parquet: {resource.path[:80]!r}")
    return path.stem


def described_tables(descriptor: Any) -> dict[str, Table]:
    """Each table of a release (its Parquet resources, in order) with the columns it describes,
    from a descriptor as JSON gives it.

    Raises ValueError saying what is wrong, never quoting more than a name."""
    try:
        package = _Package.model_validate(descriptor)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        raise ValueError("; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems[:5])) from None
    parquet = [r for r in package.resources if r.format == "parquet"]
    names = {r.name: _table_name(r) for r in parquet}
    tables: dict[str, Table] = {}
    for resource in parquet:
        table, schema = names[resource.name], resource.table_schema
        if schema is None:
            raise ValueError(f"table {table}: no schema")
        if table in tables:
            raise ValueError(f"table {table}: described twice")
        columns = [f.name for f in schema.fields]
        if len(set(columns)) != len(columns):
            raise ValueError(f"table {table}: a column is described twice")
        (primary_key,) = schema.primary_key
        references = {}
        for key in schema.foreign_keys:
            parent = names.get(key.reference.resource) if key.reference.resource else table
            if parent is None:
                raise ValueError(f"table {table}: a foreign key names no table of the release")
            references[key.fields[0]] = parent
        if not {primary_key, *references} <= set(columns):
            raise ValueError(f"table {table}: a key names a column it does not describe")
        tables[table] = Table(
            table, resource.description, tuple(_column(table, f, primary_key, references) for f in schema.fields)
        )
    if not tables:
        raise ValueError("no table (Parquet resource) described")
    return tables


def read_tables(data: bytes, where: str) -> dict[str, Table]:
    """The tables the descriptor `data` (read from `where`) describes; a DataError if it is no
    descriptor peacetrack can read."""
    try:
        return described_tables(json.loads(data))
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DataError(f"{where}: not a data package descriptor peacetrack can read: {error}") from None
