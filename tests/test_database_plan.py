"""`connect` on a release it has connected to before: the views made from the plan kept in the
cache, without the index, the contract or pyarrow; the locked views reading sealed copies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

import peacetrack
from peacetrack import data, database, viewplan
from peacetrack.cli import app
from peacetrack.index import ReleaseEntry
from peacetrack.tables import TABLES

from .helpers import runner, seed_frames, write_release

# What a user can see of a connection: relations, columns with their types and comments, enum types, rows.
SEEN = {
    "relations": "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL",
    "columns": "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() ORDER BY ALL",
    "types": "SELECT type_name FROM duckdb_types() WHERE NOT internal ORDER BY ALL",
    "tables": "SELECT count(*) FROM duckdb_tables()",
}


def seen(db: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    found = {what: db.execute(query).fetchall() for what, query in SEEN.items()}
    return found | {name: db.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in TABLES}


def plans(dirs: dict[str, Path]) -> list[Path]:
    return sorted((dirs["cache"] / "views").glob("*.json"))


def without_working_it_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A connect from here on must come from its plan."""
    monkeypatch.setattr(database, "_connect", lambda *a, **k: pytest.fail("the plan was not used"))


@pytest.mark.parametrize("allow_files", [True, False], ids=["open", "locked"])
def test_a_second_connect_makes_the_same_database_from_its_plan(
    local_release: ReleaseEntry, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, allow_files: bool
) -> None:
    first = peacetrack.connect(allow_files=allow_files)
    assert len(plans(dirs)) == 1
    without_working_it_out(monkeypatch)
    second = peacetrack.connect(allow_files=allow_files)
    assert seen(second) == seen(first) == seen(peacetrack.connect(allow_files=not allow_files))


def test_connect_from_a_plan_imports_neither_the_contract_nor_pyarrow(local_release: ReleaseEntry) -> None:
    program = (
        "import sys, peacetrack\n"
        "for allow_files in (True, False):\n"
        "    assert peacetrack.connect(allow_files=allow_files).execute('SELECT count(*) FROM actors').fetchone()[0]\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'pydantic', 'peacetrack.tables') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(peacetrack.__file__).parents[1])}
    first, second = (
        subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True) for _ in "12"
    )
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout != "[]\n"  # the first works the plan out
    assert second.stdout == "[]\n"


def test_sql_as_csv_imports_neither_pandas_nor_pyarrow(local_release: ReleaseEntry) -> None:
    query = "SELECT 'a' AS text, [1, 2] AS list, true AS yes, DATE '2024-01-02' AS day, NULL AS none, 1.5 AS number"
    program = (
        "import sys\n"
        "from peacetrack.cli import app\n"
        "try:\n"
        f"    app(['sql', {query!r}, '--format', 'csv'])\n"
        "except SystemExit as done:\n"
        "    assert not done.code\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(peacetrack.__file__).parents[1])}
    peacetrack.connect(allow_files=False)  # the plan is made
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["text,list,yes,day,none,number", "a,1;2,true,2024-01-02,,1.5", "[]"]


def change_in_place(path: Path) -> None:
    """Flip a byte of `path` in place, and set its modification time back to what it was."""
    before = path.stat()
    with path.open("r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)
        handle.seek(before.st_size // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size


@pytest.mark.parametrize("name", ["statements.parquet", "datapackage.json"])
@pytest.mark.parametrize("allow_files", [True, False], ids=["open", "locked"])
def test_a_file_changed_in_place_after_its_plan_is_refused(
    local_release: ReleaseEntry, dirs: dict[str, Path], allow_files: bool, name: str
) -> None:
    peacetrack.connect(allow_files=allow_files)
    path = dirs["data"] / "releases" / "1.0.0" / name
    change_in_place(path)
    with pytest.raises(data.DataError, match=rf"{path}: not the file published as release 1\.0\.0"):
        peacetrack.connect(allow_files=allow_files)


def test_a_newer_release_is_not_hidden_by_the_plan_of_the_last(dirs: dict[str, Path]) -> None:
    write_release(dirs["data"], "1.0.0")
    query = "SELECT name FROM actors WHERE actor_id = 'arm'"
    assert peacetrack.connect().execute(query).fetchone() == ("Armenia",)
    frames = dict(seed_frames())
    actors = frames["actors"].copy()
    actors.loc[actors["actor_id"] == "arm", "name"] = "Republic of Armenia"
    write_release(dirs["data"], "1.1.0", frames={**frames, "actors": actors})
    assert peacetrack.connect().execute(query).fetchone() == ("Republic of Armenia",)
    assert peacetrack.connect("1.0.0").execute(query).fetchone() == ("Armenia",)


def test_a_plan_another_user_may_write_or_under_another_name_is_not_read(
    local_release: ReleaseEntry, dirs: dict[str, Path]
) -> None:
    peacetrack.connect()
    (plan,) = plans(dirs)
    key = plan.stem
    assert viewplan.read_plan(key) is not None
    plan.chmod(0o666)
    assert viewplan.read_plan(key) is None
    plan.chmod(0o644)
    other = "0" * 64
    (plan.parent / f"{other}.json").write_bytes(plan.read_bytes())
    assert viewplan.read_plan(other) is None
    plan.write_text('{"format": 1, "key": "' + key + '", "version": 7}')
    assert viewplan.read_plan(key) is None
    assert peacetrack.connect().execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)


def test_a_cache_that_cannot_be_written_only_costs_time(
    local_release: ReleaseEntry, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    dirs["cache"].mkdir(exist_ok=True)
    (dirs["cache"] / "views").write_text("a file where the folder of plans would be")
    assert peacetrack.connect().execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)
    assert peacetrack.connect(allow_files=False).execute("SELECT count(*) FROM actors").fetchone() == (
        local_release.rows["actors"],
    )


@pytest.mark.parametrize(
    "query",
    [
        "COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet, USE_TMP_FILE false)",
        "COPY (SELECT 1 AS a) TO '{path}' (FORMAT csv, USE_TMP_FILE false)",
        "COPY (SELECT 1 AS a) TO '{path}' (FORMAT csv)",
        "ATTACH '{path}' AS other",
        "SELECT * FROM glob('/proc/self/fd/*')",
        "SELECT * FROM read_text('/proc/self/fd/0')",
    ],
)
def test_no_query_can_write_the_sealed_copies_the_locked_views_read(local_release: ReleaseEntry, query: str) -> None:
    locked = peacetrack.connect(allow_files=False)
    (sql,) = locked.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'statements'").fetchone()
    (path,) = [word.strip("'") for word in sql.replace("(", " ").replace(")", " ").split() if "/proc/self/fd/" in word]
    before = locked.execute("SELECT * FROM statements ORDER BY ALL").fetchall()
    with pytest.raises(duckdb.Error):
        locked.execute(query.format(path=path))
    assert locked.execute("SELECT * FROM statements ORDER BY ALL").fetchall() == before
    assert peacetrack.connect(allow_files=False).execute("SELECT * FROM statements ORDER BY ALL").fetchall() == before


def test_locked_views_read_through_arrow_where_there_are_no_sealed_copies(
    local_release: ReleaseEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_ = peacetrack.connect()
    monkeypatch.setattr(database, "_SEALED", {})
    monkeypatch.delattr(os, "memfd_create")
    locked = peacetrack.connect(allow_files=False)
    assert seen(locked) == seen(open_)
    assert "/proc/self/fd/" not in str(locked.execute("SELECT sql FROM duckdb_views()").fetchall())


def test_sql_cli_reads_the_plan_too(local_release: ReleaseEntry, monkeypatch: pytest.MonkeyPatch) -> None:
    peacetrack.connect(allow_files=False)
    without_working_it_out(monkeypatch)
    result = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM statements", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", str(local_release.rows["statements"])]


def test_only_the_newest_plans_are_kept(local_release: ReleaseEntry, dirs: dict[str, Path]) -> None:
    peacetrack.connect()
    plan = viewplan.read_plan(plans(dirs)[0].stem)
    assert plan is not None
    for number in range(viewplan.PLANS_KEPT + 2):
        viewplan.write_plan(f"{number:064x}", plan)
    assert len(plans(dirs)) == viewplan.PLANS_KEPT
    assert viewplan.read_plan(f"{viewplan.PLANS_KEPT + 1:064x}") == plan
