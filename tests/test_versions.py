"""Releases of two schemas side by side: the committed release 1.0.0 loads, connects, diffs and
is described with its own schema (its datapackage.json) while the package's contract is newer."""

from __future__ import annotations

import dataclasses
import json
import shutil
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import peacetrack
from peacetrack import data, report
from peacetrack.cli import app
from peacetrack.datapackage import datapackage
from peacetrack.descriptor import DATAPACKAGE_FILE, described_tables
from peacetrack.files import sha256_file
from peacetrack.index import FileEntry, ReleaseEntry, read_index, write_index
from peacetrack.tables import SCHEMA_VERSION, TABLES, Column, Kind

from .helpers import DATASETS, card_without_figures, runner, write_release

COMMITTED = DATASETS / "releases" / "1.0.0"  # the release cut under schema 1.0.0, as committed
NEW = "2.0.0"


def committed_release(data_dir: Path) -> ReleaseEntry:
    """The committed release 1.0.0, files and index entry as published, in the data folder."""
    shutil.copytree(COMMITTED, data_dir / "releases" / "1.0.0")
    entry = read_index(DATASETS).find("1.0.0")
    assert entry is not None
    write_index(data_dir, read_index(data_dir).model_copy(update={"releases": (entry,)}))
    return entry


def fields(folder: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Each table's fields by name, as the release's datapackage.json describes them."""
    descriptor = json.loads((folder / DATAPACKAGE_FILE).read_text(encoding="utf-8"))
    return {
        r["path"].removesuffix(".parquet"): {f["name"]: f for f in r["schema"]["fields"]}
        for r in descriptor["resources"]
        if r["format"] == "parquet"
    }


@pytest.fixture
def two_schemas(dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[ReleaseEntry, ReleaseEntry]:
    """The data folder holds the committed 1.0.0 and a release of the seed cut under this package's schema."""
    monkeypatch.setattr(report, "write_report", card_without_figures)  # the card is not what this is about
    old = committed_release(dirs["data"])
    new = write_release(dirs["data"], NEW, "2026-11-30")
    return old, new


def test_the_committed_release_was_cut_under_another_schema(two_schemas: tuple[ReleaseEntry, ReleaseEntry]) -> None:
    """What makes the other tests here prove something: 1.0.0's columns are not the contract's."""
    old, new = two_schemas
    assert (old.schema_version, new.schema_version) == ("1.0.0", SCHEMA_VERSION) and SCHEMA_VERSION != "1.0.0"
    assert fields(COMMITTED)["statements"].keys() != {c.name for c in TABLES["statements"].columns}


def test_each_release_loads_with_its_own_columns_and_dtypes(two_schemas: tuple[ReleaseEntry, ReleaseEntry]) -> None:
    old, _ = two_schemas
    before, after = peacetrack.load_all("1.0.0"), peacetrack.load_all(NEW)
    described = fields(COMMITTED)
    assert list(before) == list(described)
    assert {name: len(frame) for name, frame in before.items()} == old.rows
    for name, frame in before.items():
        assert list(frame.columns) == list(described[name]), name
        for column, field in described[name].items():
            if "enum" in field["constraints"]:
                assert frame[column].dtype == pd.CategoricalDtype(field["constraints"]["enum"]), (name, column)
            if field["type"] == "date":
                assert frame[column].dtype == np.dtype("datetime64[s]"), (name, column)
    for name, frame in after.items():
        assert list(frame.columns) == [c.name for c in TABLES[name].columns], name
    precision_before = before["statements"]["date_precision"].dtype.categories.tolist()
    assert precision_before == ["day", "month", "year", "unknown"]
    assert after["statements"]["date_precision"].dtype.categories.tolist() == list(
        TABLES["statements"].column("date_precision").enum or ()
    )
    assert before["negotiation_rounds"]["parties"].iloc[0] == ["arm", "aze"]


def test_polars_loads_each_release_with_its_own_enums(two_schemas: tuple[ReleaseEntry, ReleaseEntry]) -> None:
    pl = pytest.importorskip("polars")
    before = peacetrack.load("military_transfers", "1.0.0", backend="polars")
    after = peacetrack.load("military_transfers", NEW, backend="polars")
    assert before.columns == list(fields(COMMITTED)["military_transfers"])
    assert before.schema["status"] == pl.Enum(fields(COMMITTED)["military_transfers"]["status"]["constraints"]["enum"])
    assert after.schema["status"] == pl.Enum(list(TABLES["military_transfers"].column("status").enum or ()))


@pytest.mark.parametrize(
    "how", [{}, {"allow_files": False}, {"strict": True}], ids=["views", "locked tables", "strict tables"]
)
def test_connect_gives_each_release_its_own_types_and_comments(
    two_schemas: tuple[ReleaseEntry, ReleaseEntry], how: dict[str, bool]
) -> None:
    old, new = two_schemas
    for entry, described in ((old, fields(COMMITTED)), (new, None)):
        with closing(peacetrack.connect(entry.version, **how)) as db:
            columns = db.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'statements' ORDER BY column_index"
            ).fetchall()
            (precision,) = db.execute("SELECT enum_range(NULL::date_precision)").fetchone() or ()
            counts = {name: db.execute(f"SELECT count(*) FROM {name}").fetchone() for name in entry.rows}
        assert counts == {name: (rows,) for name, rows in entry.rows.items()}
        if described is None:
            assert [name for name, _ in columns] == [c.name for c in TABLES["statements"].columns]
            assert precision == list(TABLES["statements"].column("date_precision").enum or ())
        else:
            assert columns == [(name, f["description"]) for name, f in described["statements"].items()]
            assert precision == described["statements"]["date_precision"]["constraints"]["enum"]


def test_sql_and_info_read_the_release_asked_for_in_its_schema(two_schemas: tuple[ReleaseEntry, ReleaseEntry]) -> None:
    query = "SELECT DISTINCT date_precision FROM statements ORDER BY 1"
    result = runner.invoke(app, ["sql", query, "--release", "1.0.0", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "date_precision"
    missing = runner.invoke(app, ["sql", "SELECT date_edtf FROM statements", "--release", "1.0.0"])
    assert missing.exit_code == 1 and "date_edtf" in missing.output and "Traceback" not in missing.output
    assert runner.invoke(app, ["sql", "SELECT date_edtf FROM statements", "--release", NEW]).exit_code == 0
    before = runner.invoke(app, ["info", "--release", "1.0.0"])
    after = runner.invoke(app, ["info", "--release", NEW])
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    assert "schema 1.0.0" in before.output and f"schema {SCHEMA_VERSION}" in after.output
    assert "date_edtf" not in before.output and "date_edtf" in after.output
    assert "border_delimitation" not in before.output and "border_delimitation" in after.output  # its vocabularies


def test_diff_of_releases_of_two_schemas(two_schemas: tuple[ReleaseEntry, ReleaseEntry]) -> None:
    """Columns of one side only are added or removed columns; rows match by primary key."""
    result = runner.invoke(app, ["diff", "1.0.0", NEW, "--format", "json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    described = fields(COMMITTED)
    for name, table in TABLES.items():
        added = [c.name for c in table.columns if c.name not in described[name]]
        assert tables[name]["added_columns"] == added, name
        assert tables[name]["removed_columns"] == [
            c for c in described[name] if c not in {c.name for c in table.columns}
        ], name
    assert "date_edtf" in tables["statements"]["added_columns"]
    kept = set(pd.read_parquet(COMMITTED / "actors.parquet")["actor_id"]) & set(
        peacetrack.load("actors", NEW)["actor_id"]
    )
    assert kept and not kept & {*tables["actors"]["added"], *tables["actors"]["removed"]}
    text = runner.invoke(app, ["diff", "1.0.0", NEW])
    assert text.exit_code == 0
    assert "statements: 0 added, 0 removed" in text.output and "; columns added: date_edtf" in text.output


def test_report_of_a_release_of_another_schema_points_at_its_own_card(
    two_schemas: tuple[ReleaseEntry, ReleaseEntry], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["report", "--release", "1.0.0", "--out", str(tmp_path / "card")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "release 1.0.0 is of schema 1.0.0" in result.output and "DATACARD.md" in result.output
    assert not (tmp_path / "card").exists()


# --- a release whose schema cannot be read is refused ---------------------------------------------------


def republished(data_dir: Path, version: str, change: Any) -> None:
    """`change(folder)` applied to a release, and the index made to publish what it left."""
    folder = data_dir / "releases" / version
    change(folder)
    index = read_index(data_dir)
    entry = index.find(version)
    assert entry is not None
    files = tuple(
        FileEntry(path=f.path, sha256=sha256_file(folder / f.path), bytes=(folder / f.path).stat().st_size)
        for f in entry.files
        if (folder / f.path).exists()
    )
    write_index(data_dir, index.model_copy(update={"releases": (entry.model_copy(update={"files": files}),)}))


def test_a_release_without_its_descriptor_is_refused(dirs: dict[str, Path]) -> None:
    committed_release(dirs["data"])
    republished(dirs["data"], "1.0.0", lambda folder: (folder / DATAPACKAGE_FILE).unlink())
    for call in (lambda: peacetrack.load("actors", "1.0.0"), lambda: peacetrack.connect("1.0.0")):
        with pytest.raises(
            data.DataError, match=r"release 1\.0\.0 lists no datapackage\.json in the index: .*schema 1\.0\.0"
        ):
            call()
    result = runner.invoke(app, ["info", "--release", "1.0.0"])
    assert result.exit_code == 1 and "lists no datapackage.json" in result.output and "Traceback" not in result.output


def test_a_descriptor_other_than_the_published_one_is_refused(dirs: dict[str, Path]) -> None:
    committed_release(dirs["data"])
    path = dirs["data"] / "releases" / "1.0.0" / DATAPACKAGE_FILE
    path.write_bytes(path.read_bytes().replace(b'"day",', b'"day", "week",', 1))
    for call in (lambda: peacetrack.load("statements", "1.0.0"), lambda: peacetrack.connect("1.0.0")):
        with pytest.raises(data.DataError, match=r"datapackage\.json: not the file published as release 1\.0\.0"):
            call()


def test_diff_with_root_refuses_a_descriptor_other_than_the_published_one(tmp_path: Path) -> None:
    """The descriptor says a release's tables and keys: `diff --root` checks it as it checks the tables."""
    root = tmp_path / "datasets"
    committed_release(root)
    path = root / "releases" / "1.0.0" / DATAPACKAGE_FILE
    path.write_bytes(path.read_bytes().replace(b'"day",', b'"week",', 1))
    result = runner.invoke(app, ["diff", "1.0.0", "1.0.0", "--root", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"{path}: not the file published as release 1.0.0" in result.output


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("a column name that is SQL", lambda d: d["resources"][1]["schema"]["fields"][1].update(name='x" FROM t --')),
        ("a type it cannot read", lambda d: d["resources"][1]["schema"]["fields"][1].update(type="geojson")),
        ("a table file outside the release", lambda d: d["resources"][1].update(path="../actors.parquet")),
        ("a primary key of no column", lambda d: d["resources"][1]["schema"].update(primaryKey=["nothing"])),
        ("no JSON", None),
    ],
)
def test_a_descriptor_peacetrack_cannot_read_is_a_clear_error(dirs: dict[str, Path], what: str, change: Any) -> None:
    """Published with its hash, but not a descriptor this peacetrack reads: a message, no SQL run."""
    committed_release(dirs["data"])

    def rewrite(folder: Path) -> None:
        path = folder / DATAPACKAGE_FILE
        if change is None:
            path.write_bytes(b"\x1b[2J not json")
            return
        descriptor = json.loads(path.read_bytes())
        assert descriptor["resources"][1]["format"] == "parquet"
        change(descriptor)
        path.write_text(json.dumps(descriptor), encoding="utf-8")

    republished(dirs["data"], "1.0.0", rewrite)
    with pytest.raises(
        data.DataError, match=r"datapackage\.json: not a data package descriptor peacetrack can read"
    ) as error:
        peacetrack.connect("1.0.0")
    assert "\x1b" not in str(error.value), what


def test_a_descriptor_naming_a_column_as_sql_reserves_a_word_is_a_message(dirs: dict[str, Path]) -> None:
    """A plain identifier, so nothing is injected; but DuckDB reserves it: a message, not a traceback."""
    committed_release(dirs["data"])

    def rewrite(folder: Path) -> None:
        path = folder / DATAPACKAGE_FILE
        descriptor = json.loads(path.read_bytes())
        for resource in descriptor["resources"][:2]:  # sources, as CSV and as Parquet
            resource["schema"]["fields"][3]["name"] = "select"
        path.write_text(json.dumps(descriptor), encoding="utf-8")

    republished(dirs["data"], "1.0.0", rewrite)
    for how in ({}, {"strict": True}):
        with pytest.raises(
            data.DataError,
            match=r"cannot load into DuckDB table sources|release 1\.0\.0: its schema cannot be made in DuckDB",
        ):
            peacetrack.connect("1.0.0", **how)


def carried(column: Column) -> Column:
    """What a Frictionless field carries of a column: not whether its text is verbatim, nor a
    list column's foreign key, pattern or kind of string (`parties`, a list of slugs, reads as text)."""
    if not column.is_list:
        return dataclasses.replace(column, verbatim=False)
    kind = Kind.text if column.kind in (Kind.slug, Kind.text) else column.kind
    return dataclasses.replace(column, verbatim=False, references=None, pattern=None, kind=kind)


def test_the_descriptor_of_this_contract_reads_back_as_its_columns() -> None:
    """What `datapackage.py` writes, `descriptor.py` reads: a release cut now loads as the contract says."""
    files = {
        f"{name}.{fmt}": FileEntry(path=f"{name}.{fmt}", sha256="0" * 64, bytes=1)
        for name in TABLES
        for fmt in ("csv", "parquet")
    }
    described = described_tables(datapackage(NEW, date(2026, 11, 30), files))
    assert list(described) == list(TABLES)
    for name, table in TABLES.items():
        assert described[name].description == table.description
        assert list(map(carried, described[name].columns)) == list(map(carried, table.columns)), name
