"""peacetrack as a user outside this repository gets it: the sdist and wheel built by `build`,
and a fresh virtual environment with the toolkit installed the way the README says
(`pip install "git+https://github.com/peacetrack/peacetrack@v0.1.0"`, the address swapped for a
tagged local copy), used from a folder outside any checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from .helpers import ROOT, TAG, tagged_copy
from .test_entry_points import PYPROJECT_VERSION
from .test_workflow import HOSTILE, scratch_repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
NOT_SHIPPED = {".ci/run", ".gitattributes", ".gitignore"}  # the sdist's own files aside


def clean_environment(home: Path | None = None) -> dict[str, str]:
    """This process's environment less what points at this checkout; with `home`, caches and
    configuration there too, as on a fresh machine."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PEACETRACK_")}
    if home is not None:
        env |= {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config")}
    return env


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, as `python -m build` makes them."""
    pytest.importorskip("build")
    source = tagged_copy(tmp_path_factory.mktemp("build-source"))  # builds write into their source
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def tagged_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tagged_copy(tmp_path_factory.mktemp("install-source"))


@pytest.fixture(scope="session")
def installed(tagged_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with peacetrack installed from a tagged repository, not editable."""
    source = tagged_source
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, with_pip=True)
    done = subprocess.run(
        [
            str(folder / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"git+file://{source}@{TAG}",
        ],
        capture_output=True,
        text=True,
        env=clean_environment(),
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_the_sdist_holds_the_repository_and_builds_the_wheel(dist: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    (sdist,) = dist.glob("*.tar.gz")
    assert [wheel.name for wheel in dist.glob("*.whl")] == [f"peacetrack-{PYPROJECT_VERSION}-py3-none-any.whl"]
    prefix = f"peacetrack-{PYPROJECT_VERSION}/"
    with tarfile.open(sdist) as archive:
        shipped = {m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()}
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    wanted = {os.fsdecode(name) for name in tracked.split(b"\0") if name} - NOT_SHIPPED
    assert wanted - shipped == set()  # tests, seeds, releases, schema, examples: all there
    assert {name for name in shipped - wanted if not name.startswith("src/peacetrack.egg-info/")} == {
        "PKG-INFO",
        "setup.cfg",
    }


def run(installed: Path, command: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [str(installed / "bin" / command), *args], capture_output=True, text=True, cwd=cwd, env=clean_environment(cwd)
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_installed_toolkit_works_outside_any_checkout(installed: Path, tmp_path: Path) -> None:
    assert run(installed, "peacetrack", "--version", cwd=tmp_path) == f"peacetrack {PYPROJECT_VERSION}\n"
    assert "Usage: peacetrack" in run(installed, "python", "-m", "peacetrack", "--help", cwd=tmp_path)
    assert "1.0.0" in run(installed, "peacetrack", "info", cwd=tmp_path)
    assert "1.0.0" in run(installed, "peacetrack", "versions", cwd=tmp_path)
    assert "actors: 0 added, 0 removed, 0 changed" in run(
        installed, "peacetrack", "diff", "latest", "1.0.0", cwd=tmp_path
    )
    run(installed, "peacetrack", "report", "--release", "latest", "--out", str(tmp_path / "card"), cwd=tmp_path)
    assert (tmp_path / "card" / "DATACARD.md").is_file()
    loaded = run(
        installed,
        "python",
        "-c",
        (
            "import json, peacetrack; t = peacetrack.load('actors');"
            "print(json.dumps([len(t), peacetrack.__version__, peacetrack.__file__]))"
        ),
        cwd=tmp_path,
    )
    rows, version, module = json.loads(loaded)
    assert rows > 0 and version == PYPROJECT_VERSION
    assert Path(module).is_relative_to(installed) and not Path(module).is_relative_to(ROOT)


def test_the_action_script_installs_and_validates_hostile_names(
    installed: Path, tagged_source: Path, tmp_path: Path
) -> None:
    """scripts/action.sh as action.yml runs it from the action's folder (the tagged checkout),
    reusing the job's venv (here, the fresh one, so that only peacetrack is installed again)."""
    repo = scratch_repository(tmp_path, HOSTILE)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    (runner_temp / "peacetrack-action").symlink_to(installed)
    env = clean_environment() | {
        "RUNNER_TEMP": str(runner_temp),
        "ACTION_PATH": str(tagged_source),
        "GITHUB_BASE_REF": "main",
        "INPUT_FORMAT": "json",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    done = subprocess.run(
        ["bash", str(tagged_source / "scripts" / "action.sh")], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr  # each file holds `x`: some cannot be read
    assert not list(tmp_path.rglob("PWNED*"))
    files = {fault["file"] for fault in json.loads(done.stdout)["faults"]}
    assert {str(Path(name).parent) for name in files} == {str(Path(name).parent) for name in HOSTILE}
