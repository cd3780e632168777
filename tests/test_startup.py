"""What `peacetrack --help` and `peacetrack validate` of a small file load, run as a user runs
them, in a subprocess: a library loaded for nothing is start-up time paid on every call
(issue 15; scripts/bench_startup.py times it against `import duckdb`). No timing here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_entry_points import write_ten_released_rows

# Runs the command line on the arguments given, then prints the names of the modules loaded.
LOADED_AFTER = """
import json, sys
from peacetrack.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    assert done.code in (0, None), done.code
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(*args: str, cwd: Path) -> set[str]:
    """The modules loaded by `peacetrack ARGS` by the time it is done (sys.modules)."""
    done = subprocess.run([sys.executable, "-c", LOADED_AFTER, *args], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_loads_neither_pydantic_nor_a_data_library(tmp_path: Path) -> None:
    loaded = loaded_by("--help", cwd=tmp_path)
    assert "typer" in loaded  # the modules are read
    assert {"pydantic", "pandas", "pyarrow", "numpy"} & loaded == set()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_validating_ten_rows_prints_without_rich(tmp_path: Path, suffix: str) -> None:
    """A report in text is written as plain lines: rich is loaded only for a progress bar (a
    large file on a terminal) or a table, and neither is drawn here."""
    write_ten_released_rows(tmp_path, suffix)
    loaded = loaded_by("validate", f"statements{suffix}", cwd=tmp_path)
    assert "pyarrow.compute" in loaded  # the rows were read and checked
    assert not {name for name in loaded if name == "rich" or name.startswith("rich.")}


@pytest.mark.xfail(
    strict=True,
    reason="pyarrow 26 imports pandas on any Array.to_numpy (even zero-copy), pa.array, pa.scalar "
    "and compute call given a Python value; the validator's rules (rules.py, rowdata.py, checks.py, "
    "validator/cells.py, first_pass.py, keys.py, readers/) make such calls, and checks._stamps "
    "parses dates with pandas. Remove this mark when they no longer do.",
)
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_validating_ten_rows_does_not_load_pandas(tmp_path: Path, suffix: str) -> None:
    write_ten_released_rows(tmp_path, suffix)
    loaded = loaded_by("validate", f"statements{suffix}", cwd=tmp_path)
    assert "pyarrow.compute" in loaded  # the rows were read and checked
    assert "pandas" not in loaded


def test_sql_loads_no_pydantic_and_no_data_library_once_its_views_are_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `sql` on a release works its views out (and loads the contract); a later one
    reads them from the cache, and typer below 0.29 coerces its arguments without pydantic."""
    monkeypatch.setenv("PEACETRACK_CACHE_DIR", str(tmp_path / "cache"))
    query = "SELECT count(*) FROM statements"
    first = loaded_by("sql", query, "--release", "2.0.0", cwd=tmp_path)
    assert "peacetrack.tables" in first  # no plan yet: the views were worked out
    later = loaded_by("sql", query, "--release", "2.0.0", cwd=tmp_path)
    assert "duckdb" in later  # the query was run
    assert {"pydantic", "pandas", "pyarrow", "peacetrack.tables"} & later == set()
