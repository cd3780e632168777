"""Reading releases as an attacker would feed them: hostile cells and column names, changed
local files, mirrors that send too much, stall or are given with secrets, and SQL that reaches
for the machine."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import filelock
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import peacetrack
from peacetrack import data
from peacetrack.cli import app
from peacetrack.contrib.validate import _release_path as validator_release_path
from peacetrack.index import ReleaseEntry
from peacetrack.release import diff_releases

from .test_data import QuietHandler, cached_files, dirs, local_release, published, runner, serve  # noqa: F401

WAIT_SECONDS = 60


def squeezed(text: str) -> str:
    """`text` without white space: rich wraps long lines where it likes."""
    return "".join(text.split())


# --- item 4: diff and sql run only what the user asked ---------------------------------------------------


def with_column(path: Path, name: str, values: list[object]) -> None:
    table = pq.read_table(path)
    pq.write_table(table.append_column(name, pa.array(values)), path)


@pytest.mark.parametrize(
    "hostile",
    ['a"b', 'x" IS DISTINCT FROM b."x" OR true OR a."x', "name\" FROM read_csv('/etc/passwd') --"],
)
def test_diff_reads_a_hostile_column_name_as_a_name(tmp_path: Path, local_release: ReleaseEntry, dirs: dict[str, Path], hostile: str) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(dirs["data"] / "releases" / "1.0.0", old)
    shutil.copytree(old, new)
    rows = local_release.rows["actors"]
    with_column(old / "actors.parquet", hostile, ["same"] * rows)
    with_column(new / "actors.parquet", hostile, ["same"] * (rows - 1) + ["changed"])
    (actors,) = [d for d in diff_releases(old, new) if d.table == "actors"]
    last = pq.read_table(new / "actors.parquet").column("actor_id")[rows - 1].as_py()
    assert (actors.added, actors.removed, actors.changed) == ([], [], {last: [hostile]})


def test_sql_prints_cells_and_headers_as_plain_text(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", """SELECT '[sic] [bold]x[/bold] [/italic]' AS "[red]head[/red]" """])
    assert result.exit_code == 0, result.output
    assert "[sic] [bold]x[/bold] [/italic]" in result.output
    assert "[red]head[/red]" in result.output


def test_sql_shows_terminal_escapes_escaped(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", "SELECT 'a' || chr(27) || ']0;owned' || chr(7) || 'b' AS c"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"a\x1b]0;owned\x07b" in result.output


def test_info_prints_descriptions_as_plain_text(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "text[char_start:char_end]" in squeezed(result.output)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "COPY (SELECT 1) TO '{out}'",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
    ],
)
def test_sql_sees_only_the_release(local_release: ReleaseEntry, tmp_path: Path, query: str) -> None:
    out = tmp_path / "written"
    result = runner.invoke(app, ["sql", query.format(out=out)])
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and "--allow-files" in result.output
    assert "Traceback" not in result.output and "root:" not in result.output
    assert not out.exists()


def test_sql_with_allow_files_reads_a_file(local_release: ReleaseEntry, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("actor_id,score\narm,1\naze,2\n")
    query = f"SELECT a.name, m.score FROM read_csv('{mine}') m JOIN actors a USING (actor_id) ORDER BY m.score"
    result = runner.invoke(app, ["sql", query, "--format", "csv", "--allow-files"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["Armenia,1", "Azerbaijan,2"]


def test_connect_joins_files_unless_locked(local_release: ReleaseEntry, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("actor_id\narm\n")
    query = f"SELECT count(*) FROM read_csv('{mine}') JOIN actors USING (actor_id)"
    assert peacetrack.connect().execute(query).fetchone() == (1,)
    locked = peacetrack.connect(allow_files=False)
    assert locked.execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)
    with pytest.raises(data.duckdb.PermissionException):
        locked.execute(query)
