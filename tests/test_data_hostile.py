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
