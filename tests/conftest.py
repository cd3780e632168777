"""Fixtures that more than one test file uses; pytest hands each to a test that names it.

Plain helpers (paths, `write_release`, scratch repositories, the local mirror) are in helpers.py.
Session-scoped fixtures are made once per run and shared: never change them, copy them.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from peacetrack import data, mirror
from peacetrack.index import ReleaseEntry
from peacetrack.release import cut_release
from peacetrack.seeds import Build, build_tables
from peacetrack.tablefiles import write_tables

from . import helpers
from .helpers import CLOSED_PORT_URL, RELEASE_DATE, SEEDS, changelog, shared_folder, write_release

# Hypothesis profiles. A test that sets no max_examples of its own (the validator's fuzzers, whose
# every example runs a whole validation) takes it from the profile: "quick" for `make test`, "deep"
# for a maintainer's hunt (`python -m pytest --hypothesis-profile=deep`, or PEACETRACK_HYPOTHESIS=deep).
# Failures found are kept in .hypothesis/ and tried first next time, whatever the profile.
settings.register_profile("quick", max_examples=30)
settings.register_profile("deep", max_examples=1000)
settings.load_profile(os.environ.get("PEACETRACK_HYPOTHESIS", "quick"))


@pytest.fixture(scope="session", autouse=True)
def shared_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder in which helpers.shared_folder keeps what is made once per run; one for all
    pytest-xdist workers (their temporary folders are side by side)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "shared"
    folder.mkdir(exist_ok=True)
    helpers.SHARED[:] = [folder]
    yield folder
    helpers.SHARED.clear()


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


@pytest.fixture(scope="session")
def release(seed_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the seed's tables as a release holds them (`<table>.parquet` and `.csv`,
    no data card), to validate against. Read-only: copy it to change it."""
    folder = tmp_path_factory.mktemp("release")
    write_tables(seed_build.frames, folder)
    return folder


@pytest.fixture(scope="session")
def released() -> Path:
    """A data folder (`datasets/` layout) with release 1.0.0 cut from the seeds by `cut_release`,
    data card and figures included; made once per run. Read-only: copy it to change it."""

    def cut(folder: Path) -> None:
        root = folder / "datasets"
        changelog(root, ("1.0.0", RELEASE_DATE))
        cut_release("1.0.0", SEEDS, root)

    return shared_folder("released", cut) / "datasets"


# --- a data folder and a mirror, as `load` and `download` find them ----------------------------


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An empty data folder and cache, made current through the environment.

    The mirror defaults to a closed local port, so no test can reach the real network.
    """
    paths = {"data": tmp_path / "data", "cache": tmp_path / "cache"}
    paths["data"].mkdir()
    monkeypatch.setenv(data.DATA_DIR_ENV, str(paths["data"]))
    monkeypatch.setenv(mirror.CACHE_DIR_ENV, str(paths["cache"]))
    monkeypatch.setenv(mirror.BASE_URL_ENV, CLOSED_PORT_URL)
    monkeypatch.setenv(mirror.CONFIG_ENV, str(tmp_path / "no-config.toml"))
    monkeypatch.delenv(mirror.REMOTE_ENV, raising=False)
    return paths


@pytest.fixture
def local_release(dirs: dict[str, Path]) -> ReleaseEntry:
    """Release 1.0.0 at hand in the data folder, as the bundled release is."""
    return write_release(dirs["data"])


@pytest.fixture
def published(tmp_path: Path, dirs: dict[str, Path]) -> Path:
    """Release 1.0.0 on a would-be mirror; the data folder holds only its index."""
    site = tmp_path / "site"
    write_release(site)
    shutil.copy(site / "index.json", dirs["data"] / "index.json")
    return site / "releases"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
