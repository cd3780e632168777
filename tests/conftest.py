"""Shared fixtures: the repository's seeds and the tables built from them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from peacetrack.coding import Build, build_tables

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "aliyev-milli-majlis-2024-09-23"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_build() -> Build:
    build = build_tables(SEEDS)
    assert build.ok, "\n".join(map(str, build.errors))
    return build


@pytest.fixture
def frames(seed_build: Build) -> dict[str, pd.DataFrame]:
    """A fresh copy of the seed's tables, for a test to break."""
    return {name: frame.copy(deep=True) for name, frame in seed_build.frames.items()}


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of seeds/, for a test to break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed_without_text(seeds: Path, char_start: int) -> Path:
    """A seed folder whose text is not in the repository (`text_in_repo: false`: only its hash
    and length), coding one actor quoted at `char_start`; returns its coding.yaml."""
    text = "Minister Ada Lovelace met the envoy."
    folder = seeds / "no-text-source"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text(
        f"language: en\ntext_in_repo: false\ntext_sha256: {hashlib.sha256(text.encode()).hexdigest()}\nchar_count: {len(text)}\n"
    )
    (folder / "coding.yaml").write_text(
        "actors:\n  - actor_id: ada-lovelace\n    name: Ada Lovelace\n    actor_type: person\n"
        f"    evidence:\n      - quote: Ada Lovelace\n        char_start: {char_start}\n"
    )
    return folder / "coding.yaml"
