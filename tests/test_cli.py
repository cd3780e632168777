"""The command line, as a user runs it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.tables import TABLES

from .helpers import SEED_ID, SEEDS

runner = CliRunner()


def test_build_writes_six_parquet_and_six_csv_files(tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--seeds", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.{x}" for t in TABLES for x in ("parquet", "csv"))
    for name in ("statements", "military_transfers", "evidence"):
        assert name in result.output
    for name, table in TABLES.items():
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv")
        assert list(parquet.columns) == list(csv.columns) == [c.name for c in table.columns]
        assert len(parquet) == len(csv) > 0
        assert parquet[table.primary_key].is_monotonic_increasing
        rows = duckdb.connect().execute(f"SELECT count(*) FROM '{out / f'{name}.parquet'}'").fetchone()
        assert rows == (len(parquet),)
    assert "│ statements         │   23 │" in result.output


@pytest.mark.parametrize("name", ["odd[/x]", "odd[red]x"])
def test_build_prints_its_folder_as_given(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["build", "--seeds", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in "".join(result.output.split())  # the title wraps


def test_build_refuses_a_bad_coding_file_and_writes_nothing(tmp_path: Path, seeds_copy: Path) -> None:
    coding = seeds_copy / SEED_ID / "coding.yaml"
    original = coding.read_text(encoding="utf-8")
    coding.write_text(original.replace("    item_category: uav\n", "    item_category: drone\n"), encoding="utf-8")
    before = coding.read_bytes()
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out)])
    assert result.exit_code == 1
    line = original.splitlines().index("    item_category: uav") + 1
    assert f"{coding}:{line}: error: military_transfers row 'usa-arm-strike-mini-drones-2024-08'" in result.output
    assert "column 'item_category'" in result.output and "nothing written" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert coding.read_bytes() == before  # nothing a user gave is modified


def test_a_failed_build_leaves_the_previous_build_in_place(tmp_path: Path, seeds_copy: Path) -> None:
    out = tmp_path / "build"
    assert runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (seeds_copy / SEED_ID / "coding.yaml").write_text("statements: [oops\n", encoding="utf-8")
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out)])
    assert result.exit_code == 1 and "coding.yaml:" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_build_of_a_missing_seeds_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no such seeds folder" in result.output
    assert "Traceback" not in result.output
