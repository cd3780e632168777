"""The pre-commit hook as its documentation says to use it: the config in the comment of
.pre-commit-hooks.yaml (only the repository's address changed to a local copy of this one,
tagged as the release process tags it), run by pre-commit itself on a scratch repository with
hostile and non-ASCII file names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from peacetrack.hook import validate_argv

from .conftest import ROOT
from .tagged_copy import TAG, tagged_copy
from .test_workflow import HOSTILE, git, scratch_repository

HOOKS = ROOT / ".pre-commit-hooks.yaml"
RELEASE = ROOT / "datasets" / "releases" / "1.0.0"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def documented_config() -> dict:
    """The `.pre-commit-config.yaml` shown in the comment atop .pre-commit-hooks.yaml."""
    lines = HOOKS.read_text(encoding="utf-8").splitlines()
    example = [line.removeprefix("#") for line in lines[1:] if line.startswith("#   ")]
    return YAML(typ="safe").load("\n".join(example))


def test_the_documented_rev_is_a_toolkit_release_tag() -> None:
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    (repo,) = documented_config()["repos"]
    assert repo["repo"] == "https://github.com/peacetrack/peacetrack"
    assert repo["rev"] == f"v{version}" == TAG


def test_options_come_first_and_every_other_argument_is_a_path() -> None:
    argv = ["--against", "1.0.0", "--help/statements.csv", "--against", "-x/evidence.jsonl"]
    assert validate_argv(argv) == ["validate", "--against", "1.0.0", "--", *argv[2:]]


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit")
    return tagged_copy(tmp_path_factory.mktemp("hook-source"))


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # the hook's environment, made once


def run_pre_commit(repo: Path, source: Path, home: Path) -> subprocess.CompletedProcess[str]:
    config = documented_config()
    config["repos"][0]["repo"] = str(source)
    with (repo / ".pre-commit-config.yaml").open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(config, stream)
    git(repo, "add", ".pre-commit-config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
    )


def test_the_documented_hook_passes_valid_rows(tmp_path: Path, hook_source: Path, pre_commit_home: Path) -> None:
    repo = scratch_repository(tmp_path, ["data/actors.csv"])
    shutil.copy(RELEASE / "actors.csv", repo / "data" / "actors.csv")
    git(repo, "add", "--all")
    done = run_pre_commit(repo, hook_source, pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "peacetrack validate" in done.stdout and "Passed" in done.stdout


def test_the_documented_hook_checks_hostile_names_and_runs_nothing(
    tmp_path: Path, hook_source: Path, pre_commit_home: Path
) -> None:
    repo = scratch_repository(tmp_path, HOSTILE)
    done = run_pre_commit(repo, hook_source, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert not list(tmp_path.rglob("PWNED*"))
    assert "Failed" in done.stdout
    for name in ("--help/statements.csv", "-x/evidence.jsonl", "data/*/military_transfers.parquet", "seeds/café/"):
        assert name in done.stdout, name  # validated as a path, not read as an option
    assert "No such option" not in done.stdout + done.stderr
