"""Releases made from the seed (or given frames) in a test's own folder, laid out as `datasets/`."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from peacetrack.coding import build_tables
from peacetrack.index import ReleaseEntry
from peacetrack.release import publish_release

from .conftest import SEEDS


@cache
def seed_frames() -> dict[str, pd.DataFrame]:
    build = build_tables(SEEDS)
    assert build.ok, build.errors
    return build.frames


def write_release(
    data_dir: Path,
    version: str = "1.0.0",
    release_date: str = "2026-11-27",
    frames: dict[str, pd.DataFrame] | None = None,
) -> ReleaseEntry:
    """Publish the seed's tables (or `frames`) as release `version` under `data_dir`."""
    inputs = hashlib.sha256(version.encode()).hexdigest()  # stands for the seeds' hash
    return publish_release(frames or seed_frames(), version, date.fromisoformat(release_date), data_dir, inputs)
