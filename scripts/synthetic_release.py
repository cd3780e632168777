"""A synthetic release for the benchmarks: the tables, their data package and an index entry
publishing every file's hash, written by the project's own writers so that `load`, `connect`
and `sql` read it as they read a published release (with its own schema, verified). No data
card: drawing one is what `bench_report.py` times.

    from synthetic_release import write_synthetic_release  # beside the bench scripts
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from peacetrack.datapackage import datapackage, file_entries, file_entry
from peacetrack.descriptor import DATAPACKAGE_FILE
from peacetrack.files import write_atomic
from peacetrack.schema import dump_json
from peacetrack.tablefiles import write_tables
from peacetrack.tables import SCHEMA_VERSION


def write_synthetic_release(frames: Mapping[str, pd.DataFrame], root: Path, version: str, released: date) -> Path:
    """`root/releases/VERSION/` (tables and datapackage.json) and `root/index.json` listing it
    alone; returns the release folder."""
    folder = root / "releases" / version
    folder.mkdir(parents=True)
    write_tables(dict(frames), folder)
    files = {entry.path: entry for entry in file_entries(folder)}
    write_atomic(folder / DATAPACKAGE_FILE, dump_json(datapackage(version, released, files)))
    files[DATAPACKAGE_FILE] = file_entry(folder, DATAPACKAGE_FILE)
    entry = {
        "version": version,
        "date": released.isoformat(),
        "schema_version": SCHEMA_VERSION,
        "inputs_sha256": "0" * 64,
        "rows": {name: len(frame) for name, frame in frames.items()},
        "files": [{"path": e.path, "sha256": e.sha256, "bytes": e.bytes} for _, e in sorted(files.items())],
    }
    write_atomic(root / "index.json", json.dumps({"releases": [entry]}))
    return folder
