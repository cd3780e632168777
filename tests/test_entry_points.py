"""The ways in: `peacetrack --version`, `python -m peacetrack`, shell completion and
`peacetrack.__version__`, each as a user would call it, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import peacetrack

from .helpers import PYPROJECT_VERSION


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_the_package_knows_its_version_from_pyproject() -> None:
    assert peacetrack.__version__ == PYPROJECT_VERSION
    assert "__version__" in peacetrack.__all__


def test_version_option_prints_the_toolkit_version(tmp_path: Path) -> None:
    done = run("peacetrack", "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"peacetrack {PYPROJECT_VERSION}\n"


def test_python_dash_m_peacetrack_runs_the_command_line(tmp_path: Path) -> None:
    done = run("peacetrack", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage: peacetrack" in done.stdout and "validate" in done.stdout


def test_shell_completion_is_offered_and_completes_commands(tmp_path: Path) -> None:
    assert "--install-completion" in run("peacetrack", "--help", cwd=tmp_path).stdout
    script = run("peacetrack", "--show-completion", "bash", cwd=tmp_path)
    assert script.returncode == 0 and "_peacetrack_completion" in script.stdout
    # What the installed script asks when the user types `peacetrack val<TAB>`.
    env = {**os.environ, "_PEACETRACK_COMPLETE": "complete_bash", "COMP_WORDS": "peacetrack val", "COMP_CWORD": "1"}
    done = subprocess.run(
        [sys.executable, "-c", "from peacetrack.cli import app; app(prog_name='peacetrack')"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.stdout.split() == ["validate"]


def test_install_completion_writes_the_shell_script(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = run("peacetrack", "--install-completion", "bash", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "_peacetrack_completion" in (tmp_path / ".bash_completions" / "peacetrack.sh").read_text(encoding="utf-8")
    assert ".bash_completions/peacetrack.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
