"""peacetrack as a user outside this repository gets it: the sdist and wheel built by `build`
from a tagged copy of this checkout, the wheel installed into a fresh virtual environment and
used from a folder outside any checkout.

The fresh environment gets the wheel alone (`pip install --no-deps`, nothing downloaded). Its
dependencies are the ones the wheel declares (and theirs, and pip, which a venv comes with),
taken from the environment running the tests: a folder of links to just those distributions'
files, put on the path by a `.pth` file. A dependency the package imports but does not declare
is missing there, as on a user's machine. So what is under test is the wheel: its package data
(the bundled release, the data card's templates, `py.typed`), entry points and dependencies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .helpers import HOSTILE, PYPROJECT_VERSION, ROOT, checkout_files, scratch_repository, shared_folder, tagged_copy

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
NOT_SHIPPED = {".ci/run", ".gitattributes", ".gitignore"}  # the sdist's own files aside
WHEEL = f"peacetrack-{PYPROJECT_VERSION}-py3-none-any.whl"


def clean_environment(home: Path | None = None) -> dict[str, str]:
    """This process's environment less what points at this checkout; with `home`, caches and
    configuration there too, as on a fresh machine."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PEACETRACK_")}
    if home is not None:
        env |= {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config")}
    return env


@pytest.fixture(scope="session")
def tagged_source() -> Path:
    """A tagged copy of this checkout, made once per run (for every xdist worker)."""
    return shared_folder("install-source", tagged_copy) / "peacetrack"


@pytest.fixture(scope="session")
def dist(tagged_source: Path) -> Path:
    """The sdist, and the wheel built from it, as `python -m build` makes them (once per run)."""
    pytest.importorskip("build")

    def build(out: Path) -> None:
        source = out / "source"
        shutil.copytree(tagged_source, source)  # builds write into their source
        done = subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
            capture_output=True,
            text=True,
            env=clean_environment(),
        )
        assert done.returncode == 0, done.stdout + done.stderr
        shutil.rmtree(source)

    return shared_folder("dist", build)


def requirements(texts: list[str] | None, extras: frozenset[str] = frozenset()) -> list[Requirement]:
    """The requirements among `texts` that apply here, with `extras` asked for."""
    applying = []
    for requirement in map(Requirement, texts or []):
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras)):
            applying.append(requirement)
    return applying


def required_distributions(wheel: Path) -> list[metadata.Distribution]:
    """The distributions (installed here) that the wheel requires, and those they require; and pip."""
    with zipfile.ZipFile(wheel) as archive:
        info = zipfile.Path(archive, f"peacetrack-{PYPROJECT_VERSION}.dist-info/")
        queue = requirements([*(metadata.PathDistribution(info).requires or []), "pip"])
    found: dict[str, metadata.Distribution] = {}
    asked: set[tuple[str, frozenset[str]]] = set()
    while queue:
        requirement = queue.pop()
        name, extras = canonicalize_name(requirement.name), frozenset(requirement.extras)
        if (name, extras) in asked:
            continue
        asked.add((name, extras))
        found.setdefault(name, metadata.distribution(requirement.name))
        queue += requirements(found[name].requires, extras)
    return list(found.values())


def link_distributions(distributions: list[metadata.Distribution], folder: Path) -> None:
    """In `folder`, a link to each top-level file or folder of each distribution (its modules,
    packages, compiled libraries and metadata), so that `folder` on the path imports them alone."""
    for distribution in distributions:
        site = Path(str(distribution.locate_file("")))
        for top in {file.parts[0] for file in distribution.files or [] if file.parts[0] != ".."}:
            if not (folder / top).exists() and (site / top).exists():
                (folder / top).symlink_to(site / top)


@pytest.fixture(scope="session")
def dependencies(dist: Path) -> Path:
    """A folder of links to the distributions the wheel requires (see the module's docstring)."""
    return shared_folder(
        "dependencies", lambda folder: link_distributions(required_distributions(dist / WHEEL), folder)
    )


def fresh_venv(folder: Path, dependencies: Path) -> Path:
    """A new virtual environment in `folder` whose only packages are `dependencies`."""
    venv.create(folder, with_pip=False, symlinks=True)
    purelib = subprocess.run(
        [str(folder / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_environment(),
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def installed(dist: Path, dependencies: Path) -> Path:
    """A fresh venv with the wheel installed (not editable), made once per run."""

    def install(folder: Path) -> None:
        python = fresh_venv(folder, dependencies) / "bin" / "python"
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
        done = subprocess.run(
            [*pip, "--no-index", str(dist / WHEEL)], capture_output=True, text=True, env=clean_environment(), cwd=folder
        )
        assert done.returncode == 0, done.stderr

    return shared_folder("installed", install)


def test_the_sdist_holds_the_repository_and_builds_the_wheel(dist: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    (sdist,) = dist.glob("*.tar.gz")
    assert [wheel.name for wheel in dist.glob("*.whl")] == [WHEEL]
    prefix = f"peacetrack-{PYPROJECT_VERSION}/"
    with tarfile.open(sdist) as archive:
        shipped = {m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()}
    wanted = set(checkout_files()) - NOT_SHIPPED
    assert wanted - shipped == set()  # tests, seeds, releases, schema, examples: all there
    assert {name for name in shipped - wanted if not name.startswith("src/peacetrack.egg-info/")} == {
        "PKG-INFO",
        "setup.cfg",
    }


def test_the_wheel_holds_the_package_and_its_data(dist: Path) -> None:
    """Every file of src/peacetrack/ but caches (the bundled release, templates, `py.typed`),
    and the `peacetrack` command, are in the wheel."""
    package = {name for name in checkout_files() if name.startswith("src/peacetrack/")}
    assert {"src/peacetrack/py.typed", "src/peacetrack/bundled/index.json"} <= package
    with zipfile.ZipFile(dist / WHEEL) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(f"peacetrack-{PYPROJECT_VERSION}.dist-info/entry_points.txt").decode()
    assert {name.removeprefix("src/") for name in package} <= names
    assert "peacetrack = peacetrack.__main__:main" in entry_points


def run(installed: Path, command: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [str(installed / "bin" / command), *args], capture_output=True, text=True, cwd=cwd, env=clean_environment(cwd)
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


INSTALLED_COMMANDS = """
import json, sys
from typer.testing import CliRunner
import peacetrack
from peacetrack.cli import app
commands = [["info"], ["versions"], ["diff", "latest", "2.0.0"], ["report", "--release", "latest", "--out", sys.argv[1]]]
outputs = []
for args in commands:
    result = CliRunner().invoke(app, args)
    outputs.append([result.exit_code, result.output])
t = peacetrack.load("actors")
print(json.dumps([outputs, len(t), peacetrack.__version__, peacetrack.__file__]))
"""


def test_the_installed_toolkit_works_outside_any_checkout(installed: Path, tmp_path: Path) -> None:
    assert run(installed, "peacetrack", "--version", cwd=tmp_path) == f"peacetrack {PYPROJECT_VERSION}\n"
    assert "Usage: peacetrack" in run(installed, "python", "-m", "peacetrack", "--help", cwd=tmp_path)
    # The commands and the API, in one process of the installed Python (the entry script and
    # `-m` are proven above): each command's output, and what `load` gives.
    loaded = run(installed, "python", "-c", INSTALLED_COMMANDS, str(tmp_path / "card"), cwd=tmp_path)
    outputs, rows, version, module = json.loads(loaded)
    assert [code for code, _ in outputs] == [0, 0, 0, 0], outputs
    info, versions, diff, _report = (output for _, output in outputs)
    assert "2.0.0" in info and "2.0.0" in versions and "1.0.0" in versions
    assert "actors: 0 added, 0 removed, 0 changed" in diff
    assert (tmp_path / "card" / "DATACARD.md").is_file()
    assert rows > 0 and version == PYPROJECT_VERSION
    assert Path(module).is_relative_to(installed) and not Path(module).is_relative_to(ROOT)


def test_the_action_script_installs_and_validates_hostile_names(
    dependencies: Path, tagged_source: Path, tmp_path: Path
) -> None:
    """scripts/action.sh as action.yml runs it from the action's folder (the tagged checkout),
    reusing the job's venv (here, a fresh one with the dependencies, so that only peacetrack is
    installed, from the action's folder)."""
    repo = scratch_repository(tmp_path, HOSTILE)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    fresh_venv(runner_temp / "peacetrack-action", dependencies)
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
