"""The pre-commit hook as its documentation says to use it, run by pre-commit itself on a scratch
repository with hostile and non-ASCII file names.

The hook pre-commit runs is the one .pre-commit-hooks.yaml defines (its id, name, entry, file
pattern and options) with the arguments of the config shown in that file's comment. It runs as
a `repo: local` hook with `language: system`, on this test's own Python (with `python` first on
PATH), instead of in a virtual environment pre-commit would make by installing a tagged copy
with every dependency: what is run, on which files and with which arguments is pre-commit's and
the hook file's; that the tagged toolkit installs and runs outside a checkout is test_installed's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from peacetrack.hook import validate_argv

from .helpers import HOOKS, HOSTILE, ROOT, TAG, documented_config, git, load_yaml, scratch_repository

RELEASE = ROOT / "datasets" / "releases" / "2.0.0"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_the_documented_rev_is_a_toolkit_release_tag() -> None:
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    (repo,) = documented_config()["repos"]
    assert repo["repo"] == "https://github.com/peacetrack/peacetrack"
    assert repo["rev"] == f"v{version}" == TAG


def test_options_come_first_and_every_other_argument_is_a_path() -> None:
    argv = ["--against", "2.0.0", "--help/statements.csv", "--against", "-x/evidence.jsonl"]
    assert validate_argv(argv) == ["validate", "--against", "2.0.0", "--", *argv[2:]]


def local_hook() -> dict[str, Any]:
    """The hook of .pre-commit-hooks.yaml as the documented config uses it (its `args` laid over
    the hook's definition, as pre-commit does), to run on this Python instead of its own venv."""
    (defined,) = load_yaml(HOOKS)
    ((used,),) = [repo["hooks"] for repo in documented_config()["repos"]]
    assert defined["language"] == "python" and used["id"] == defined["id"]
    return {**defined, **used, "language": "system"}


def test_the_local_hook_is_the_defined_hook_with_the_documented_arguments() -> None:
    hook = local_hook()
    assert hook["entry"] == "python -m peacetrack.hook"
    assert hook["args"] == ["--against", "2.0.0"] and hook["pass_filenames"] is True


@pytest.fixture
def python_first(tmp_path: Path) -> dict[str, str]:
    """The environment with a `python` first on PATH that is this test's Python (and so the
    peacetrack under test, with its dependencies)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }


def run_pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    config = {"repos": [{"repo": "local", "hooks": [local_hook()]}]}
    with (repo / ".pre-commit-config.yaml").open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(config, stream)
    git(repo, "add", ".pre-commit-config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, capture_output=True, text=True, env=env
    )


def test_the_documented_hook_passes_valid_rows(tmp_path: Path, python_first: dict[str, str]) -> None:
    pytest.importorskip("pre_commit")
    repo = scratch_repository(tmp_path, ["data/actors.csv"])
    shutil.copy(RELEASE / "actors.csv", repo / "data" / "actors.csv")
    git(repo, "add", "--all")
    done = run_pre_commit(repo, python_first)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "peacetrack validate" in done.stdout and "Passed" in done.stdout


def test_the_documented_hook_checks_hostile_names_and_runs_nothing(
    tmp_path: Path, python_first: dict[str, str]
) -> None:
    pytest.importorskip("pre_commit")
    repo = scratch_repository(tmp_path, HOSTILE)
    done = run_pre_commit(repo, python_first)
    assert done.returncode == 1, done.stdout + done.stderr
    assert not list(tmp_path.rglob("PWNED*"))
    assert "Failed" in done.stdout
    for name in ("--help/statements.csv", "-x/evidence.jsonl", "data/*/military_transfers.parquet", "seeds/café/"):
        assert name in done.stdout, name  # validated as a path, not read as an option
    assert "No such option" not in done.stdout + done.stderr
