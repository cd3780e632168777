"""A stand-in release made from the seed, laid out as `datasets/` is (index.json, releases/<version>/).

Small on purpose: it stands in for the real release function until that is merged.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pandas as pd

from peacetrack.coding import build_tables
from peacetrack.release import write_tables
from peacetrack.tables import SCHEMA_VERSION

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed_frames() -> dict[str, pd.DataFrame]:
    build = build_tables(SEEDS)
    assert build.ok, build.errors
    return build.frames


def write_release(
    data_dir: Path, version: str = "1.0.0", date: str = "2026-11-27", frames: dict[str, pd.DataFrame] | None = None
) -> dict:
    """Write the seed's tables (or `frames`) as release `version` under `data_dir` and list it in its index."""
    folder = data_dir / "releases" / version
    folder.mkdir(parents=True)
    frames = frames or seed_frames()
    write_tables(frames, folder)
    files = [
        {"path": p.relative_to(folder).as_posix(), "sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    entry = {
        "version": version,
        "date": date,
        "schema_version": SCHEMA_VERSION,
        "inputs_sha256": hashlib.sha256(version.encode()).hexdigest(),
        "rows": {name: len(frame) for name, frame in frames.items()},
        "files": files,
    }
    index_path = data_dir / "index.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {"releases": []}
    index["releases"].append(entry)
    index["releases"].sort(key=lambda r: tuple(int(p) for p in r["version"].split(".")))
    index_path.write_text(json.dumps(index, indent=2) + "\n")
    return entry
