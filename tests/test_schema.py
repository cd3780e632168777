"""The published contract in schema/: committed as generated, and true of the released data.

Each oracle (DuckDB with keys enforced, jsonschema, frictionless) reads the latest committed
release, so a contract that says something the data does not do fails here.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pandas as pd
import pytest
from jsonschema import Draft202012Validator

from peacetrack import release
from peacetrack.files import sha256_file
from peacetrack.index import read_index
from peacetrack.schema import schema_files
from peacetrack.seeds import build_tables
from peacetrack.tablefiles import write_tables
from peacetrack.tables import TABLES, Column, Kind, Table

from .helpers import ROOT

SCHEMA = ROOT / "schema"
DATASETS = ROOT / "datasets"


@pytest.fixture(scope="module")
def release_folder() -> Path:
    """The latest committed release; its absence is a failure, not a skip."""
    latest = read_index(DATASETS).latest()
    assert latest is not None, "datasets/index.json lists no release: cut and commit one"
    return DATASETS / "releases" / latest.version


# --- drift -----------------------------------------------------------------------------------


def test_committed_schema_files_are_as_generated() -> None:
    generated = schema_files()
    committed = {p.relative_to(SCHEMA).as_posix() for p in SCHEMA.rglob("*") if p.is_file()}
    drifted = sorted(
        name
        for name in generated.keys() | committed
        if name not in committed
        or name not in generated
        or (SCHEMA / name).read_text(encoding="utf-8") != generated[name]
    )
    assert drifted == [], f"schema/ has drifted from tables.py in {drifted}: run `peacetrack schema`"


# --- DuckDB ----------------------------------------------------------------------------------


def load_ddl() -> duckdb.DuckDBPyConnection:
    db = duckdb.connect()
    db.execute((SCHEMA / "duckdb.sql").read_text(encoding="utf-8"))
    return db


def insert_table(db: duckdb.DuckDBPyConnection, table: Table, parquet: Path) -> None:
    """Insert a table's rows; self-referencing rows (actors' parents) go in parents first."""
    names = ", ".join(c.name for c in table.columns)
    source = f"SELECT {names} FROM read_parquet('{parquet}')"
    self_keys = [c for c, parent in table.foreign_keys.items() if parent == table.name]
    if not self_keys:
        db.execute(f"INSERT INTO {table.name} {source}")
        return
    key, (parent,) = table.primary_key, self_keys
    while True:
        db.execute(
            f"INSERT INTO {table.name} SELECT * FROM ({source}) "
            f"WHERE {key} NOT IN (SELECT {key} FROM {table.name}) "
            f"AND ({parent} IS NULL OR {parent} IN (SELECT {key} FROM {table.name}))"
        )
        if db.fetchone() == (0,):
            break


def test_duckdb_ddl_loads_with_comments_on_everything() -> None:
    db = load_ddl()
    tables = dict(db.execute("SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal").fetchall())
    assert set(tables) == set(TABLES) and all(tables.values())
    columns = db.execute("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal").fetchall()
    assert sorted((t, c) for t, c, _ in columns) == sorted((t.name, c.name) for t in TABLES.values() for c in t.columns)
    assert [(t, c) for t, c, comment in columns if not comment] == []


def test_every_release_row_inserts_with_keys_enforced(release_folder: Path) -> None:
    db = load_ddl()
    for name, table in TABLES.items():
        insert_table(db, table, release_folder / f"{name}.parquet")
    counts = {name: db.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}  # type: ignore[index]
    latest = read_index(DATASETS).latest()
    assert latest is not None and counts == latest.rows


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO sources SELECT * FROM sources LIMIT 1",  # duplicate primary key
        "INSERT INTO actors (actor_id, name, actor_type, parent_id, aliases) VALUES ('x', 'X', 'state', 'no-such-actor', [])",
        "UPDATE evidence SET source_id = 'no-such-source' WHERE evidence_id IN (SELECT evidence_id FROM evidence LIMIT 1)",
        "INSERT INTO actors (actor_id, name, actor_type, aliases) VALUES ('x', 'X', 'planet', [])",  # not an enum value
        "INSERT INTO actors (actor_id, name, actor_type, aliases) VALUES ('Not A Slug', 'X', 'state', [])",
    ],
)
def test_rows_breaking_the_contract_are_refused(release_folder: Path, statement: str) -> None:
    db = load_ddl()
    for name, table in TABLES.items():
        insert_table(db, table, release_folder / f"{name}.parquet")
    with pytest.raises(duckdb.Error):
        db.execute(statement)


# --- JSON Schema -----------------------------------------------------------------------------


def json_cell(column: Column, text: str) -> Any:
    """A CSV cell as the JSON value of the contract's type; an empty cell is null (or [])."""
    if column.is_list:
        return [] if text == "" and not column.nullable else (None if text == "" else text.split(";"))
    if text == "":
        return None
    if column.kind is Kind.date:
        return date.fromisoformat(text).isoformat()
    if column.kind is Kind.integer:
        return int(text)
    if column.kind is Kind.boolean:
        return {"true": True, "false": False}[text]
    return text


def csv_rows(table: Table, path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [c.name for c in table.columns], path
        return [{c.name: json_cell(c, row[c.name]) for c in table.columns} for row in reader]


def validator(table: Table) -> Draft202012Validator:
    schema = json.loads((SCHEMA / "json" / f"{table.name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", list(TABLES))
def test_jsonschema_accepts_every_csv_row(release_folder: Path, name: str) -> None:
    table = TABLES[name]
    rows = csv_rows(table, release_folder / f"{name}.csv")
    assert rows
    check = validator(table)
    faults = [f"row {i + 2}: {e.json_path}: {e.message}" for i, row in enumerate(rows) for e in check.iter_errors(row)]
    assert faults == []


def test_jsonschema_refuses_a_wrong_row(release_folder: Path) -> None:
    table = TABLES["actors"]
    row = csv_rows(table, release_folder / "actors.csv")[0]
    check = validator(table)
    for broken in ({"actor_type": "planet"}, {"country": "XXX"}, {"name": None}, {"extra": 1}, {"actor_id": "A B"}):
        assert not check.is_valid(row | broken), broken


# --- Frictionless ----------------------------------------------------------------------------


def frictionless_errors(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Validate `datapackage.json` from its own folder, as `frictionless validate` would."""
    monkeypatch.chdir(folder)
    report = frictionless.validate("datapackage.json")
    return [(task.name, error.type, error.message) for task in report.tasks for error in task.errors] + [
        ("package", error.type, error.message) for error in report.errors
    ]


def test_frictionless_validates_the_release(release_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert frictionless_errors(release_folder, monkeypatch) == []


def test_frictionless_sees_a_broken_foreign_key_and_a_changed_file(
    release_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "release"
    shutil.copytree(release_folder, folder)
    actors = folder / "actors.csv"
    actors.write_text(actors.read_text(encoding="utf-8").replace(",aze,", ",no-such-actor,", 1), encoding="utf-8")
    (folder / "evidence.parquet").write_bytes((folder / "evidence.parquet").read_bytes() + b"\0")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    (csv_resource,) = [r for r in package["resources"] if r["name"] == "actors"]
    csv_resource["hash"], csv_resource["bytes"] = f"sha256:{sha256_file(actors)}", actors.stat().st_size
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    errors = {(name, kind) for name, kind, _ in frictionless_errors(folder, monkeypatch)}
    assert errors == {("actors", "foreign-key"), ("evidence-parquet", "hash-count"), ("evidence-parquet", "byte-count")}


def test_an_empty_list_is_valid_where_the_contract_allows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An actor with no aliases is an empty CSV cell, which the contract must accept."""
    frames = build_tables(ROOT / "seeds").frames
    actors = frames["actors"].copy()
    actors["aliases"] = pd.Series([[] for _ in actors.index], index=actors.index, dtype=actors["aliases"].dtype)
    release.write_release(frames | {"actors": actors}, "1.0.0", date(2026, 11, 27), tmp_path)
    rows = csv_rows(TABLES["actors"], tmp_path / "actors.csv")
    assert {tuple(row["aliases"]) for row in rows} == {()}
    assert [e.message for row in rows for e in validator(TABLES["actors"]).iter_errors(row)] == []
    assert frictionless_errors(tmp_path, monkeypatch) == []


# --- load.sql: a database from a release folder, as a DuckDB user makes it ----------------------


def run_load_script(folder: Path, script: Path, monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    """`load.sql` run as its header says: from the release folder, the script read whole."""
    monkeypatch.chdir(folder)
    db = duckdb.connect()
    db.execute(script.read_text(encoding="utf-8"))
    return db


def test_load_script_makes_the_database_of_the_committed_release(
    release_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Release 1.0.0 was published without load.sql: the schema folder's copy loads it."""
    db = run_load_script(release_folder, SCHEMA / "load.sql", monkeypatch)
    latest = read_index(DATASETS).latest()
    counts = {name: db.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}  # type: ignore[index]
    assert latest is not None and counts == latest.rows
    assert db.execute("SELECT parent_id FROM actors WHERE actor_id = 'us-air-force'").fetchone() == ("usa",)
    constraints = db.execute("SELECT DISTINCT constraint_type FROM duckdb_constraints()").fetchall()
    assert {"PRIMARY KEY", "FOREIGN KEY", "CHECK", "NOT NULL"} <= {c for (c,) in constraints}
    with pytest.raises(duckdb.ConstraintException):
        db.execute(
            "INSERT INTO actors (actor_id, name, actor_type, parent_id, aliases) VALUES ('x', 'X', 'state', 'nobody', [])"
        )


def test_load_script_loads_a_deep_tree_and_stops_on_a_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = dict(build_tables(ROOT / "seeds").frames)
    actors = frames["actors"]
    chain = pd.DataFrame(
        {
            "actor_id": [f"unit-{i}" for i in range(10)],
            "name": [f"Unit {i}" for i in range(10)],
            "actor_type": "armed_force",
            "parent_id": ["usa"] + [f"unit-{i}" for i in range(9)],
            "aliases": [[]] * 10,
        }
    ).iloc[::-1]  # children before their parents, ten levels under usa
    frames["actors"] = pd.concat([actors, chain.astype({c: actors[c].dtype for c in chain})], ignore_index=True)
    folder = tmp_path / "release"
    folder.mkdir()
    write_tables(frames, folder)
    db = run_load_script(folder, SCHEMA / "load.sql", monkeypatch)
    assert db.execute("SELECT count(*) FROM actors").fetchone() == (len(frames["actors"]),)
    looped = frames["actors"].copy()
    looped.loc[looped["actor_id"] == "usa", "parent_id"] = "unit-9"
    write_tables({**frames, "actors": looped}, folder)
    with pytest.raises(duckdb.Error, match="actors: rows left out"):
        run_load_script(folder, SCHEMA / "load.sql", monkeypatch)


def test_new_releases_carry_the_load_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = build_tables(ROOT / "seeds").frames
    entry = release.publish_release(frames, "1.1.0", date(2026, 12, 1), tmp_path, "0" * 64)
    folder = tmp_path / "releases" / "1.1.0"
    assert (folder / "load.sql").read_text(encoding="utf-8") == (SCHEMA / "load.sql").read_text(encoding="utf-8")
    assert "load.sql" in {f.path for f in entry.files} and "load.sql" in (folder / "SHA256SUMS").read_text()
    db = run_load_script(folder, folder / "load.sql", monkeypatch)
    assert db.execute("SELECT count(*) FROM statements").fetchone() == (entry.rows["statements"],)
