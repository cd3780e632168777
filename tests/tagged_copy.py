"""A copy of this checkout (its committed files and its changes) in a git repository tagged as
the release process tags the toolkit, for tests that install it as a user would from GitHub."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

from .conftest import ROOT

TAG = "v" + tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def tagged_copy(folder: Path) -> Path:
    """`folder/peacetrack`, a repository of this checkout with one commit, tagged TAG."""
    source = folder / "peacetrack"
    if (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout
        for name in filter(None, listed.split(b"\0")):
            path = ROOT / os.fsdecode(name)
            if path.is_file():
                target = source / os.fsdecode(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    else:  # an unpacked sdist
        shutil.copytree(
            ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", "build", "dist")
        )
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "--all")
    git(source, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "commit", "-q", "-m", "snapshot")
    git(source, "tag", TAG)
    return source
