"""The ways in: `peacetrack --version`, `python -m peacetrack`, shell completion and
`peacetrack.__version__`, each as a user would call it, in a subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import peacetrack

from .helpers import PYPROJECT_VERSION, ROOT


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
    assert "--install-completion" in done.stdout  # shell completion is offered (tested below)


def test_shell_completion_completes_commands(tmp_path: Path) -> None:
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


# Prints what a program may have set for itself, before and after peacetrack is imported and
# after commands run: a library that changes it changes every program that imports it.
INTERPRETER_STATE = r"""
import csv, gc, logging, signal, sys, warnings

def state():
    signals = {}
    for number in signal.valid_signals():
        try:
            signals[int(number)] = signal.getsignal(number)
        except (OSError, ValueError):
            pass
    return {
        "gc.isenabled": gc.isenabled(),
        "gc.get_freeze_count": gc.get_freeze_count(),
        "gc.get_threshold": gc.get_threshold(),
        "sys.unraisablehook": sys.unraisablehook,
        "sys.excepthook": sys.excepthook,
        "sys.displayhook": sys.displayhook,
        "sys.getrecursionlimit": sys.getrecursionlimit(),
        "warnings.filters": list(warnings.filters),
        "warnings.showwarning": warnings.showwarning,
        "logging root": (logging.root.level, list(logging.root.handlers), logging.root.manager.disable),
        "signal handlers": signals,
        "csv.field_size_limit": csv.field_size_limit(),
    }

def changed(before, after):
    return sorted(name for name in before if before[name] != after[name])

# Libraries that set warnings filters of their own as they load (numpy, ruamel.yaml): loaded
# first, so that only what peacetrack itself changes is seen.
import duckdb, numpy, pandas, pandera.pandas, pooch, pyarrow, requests, rich, ruamel.yaml, typer
before = state()
import peacetrack, peacetrack.cli
print("import", changed(before, state()))
from typer.testing import CliRunner
for args in COMMANDS:
    result = CliRunner().invoke(peacetrack.cli.app, args)
    assert result.exit_code in (0, 1), (args, result.output)
    print(args[0], changed(before, state()))
from peacetrack.__main__ import main  # the installed script's entry: it pauses the collector
try:
    main(["versions"])
except SystemExit as done:
    assert done.code == 0, done.code
# typer's app(), the program itself, sets sys.excepthook for its own tracebacks: its business.
print("main", [name for name in changed(before, state()) if name != "sys.excepthook"])
"""


def test_importing_peacetrack_and_running_commands_changes_no_interpreter_state(tmp_path: Path) -> None:
    seed = str(ROOT / "seeds" / "aliyev-milli-majlis-2024-09-23" / "coding.yaml")
    commands = [["--version"], ["versions"], ["info"], ["download"], ["sql", "SELECT 1"], ["validate", seed]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEACETRACK_")}
    env["PEACETRACK_CACHE_DIR"] = str(tmp_path / "cache")
    env["PEACETRACK_CONFIG"] = str(tmp_path / "no-config.toml")
    done = subprocess.run(
        [sys.executable, "-c", f"COMMANDS = {commands!r}\n{INTERPRETER_STATE}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if line.endswith("]")] == [
        "import []",
        *(f"{args[0]} []" for args in commands),
        "main []",
    ]


PUBLIC = ["DataError", "PeacetrackError", "__version__", "connect", "download", "load", "load_all", "release_path"]


def test_the_public_api_is_listed_shown_and_documented() -> None:
    assert sorted(peacetrack.__all__) == sorted([*PUBLIC, "validate", "versions"])
    assert set(peacetrack.__all__) <= set(dir(peacetrack))
    for name in peacetrack.__all__:
        if name != "__version__":
            assert getattr(peacetrack, name).__doc__, name
    for name in ("load", "load_all", "connect", "download", "versions", "release_path"):
        doc = getattr(peacetrack, name).__doc__
        for section in ("Parameters", "Returns", "Raises", "Examples"):
            assert f"\n    {section}\n    --" in doc, (name, section)
    assert issubclass(peacetrack.DataError, peacetrack.PeacetrackError)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        peacetrack.nothing  # noqa: B018 - the attribute lookup is what is tested


def test_importing_peacetrack_loads_no_data_library() -> None:
    """The command line and the validator need neither duckdb, pooch nor requests: `import
    peacetrack` leaves them unloaded until a function that needs them is used."""
    code = "import sys, peacetrack; print(sorted({'duckdb', 'pooch', 'requests', 'pandas'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


def loaded_modules(*args: str, cwd: Path) -> set[str]:
    """The modules `python -m peacetrack ARGS` imports, read from `-X importtime` on stderr."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "peacetrack", *args], capture_output=True, text=True, cwd=cwd
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}  # the first line is the header


def test_help_loads_no_data_library(tmp_path: Path) -> None:
    """`peacetrack --help` says what the commands are: it waits for no library a command uses
    (scripts/bench_startup.py times it against `import duckdb`)."""
    loaded = loaded_modules("--help", cwd=tmp_path)
    assert "typer" in loaded  # the modules are read
    heavy = {"pandas", "numpy", "pyarrow", "pandera", "matplotlib", "duckdb", "requests", "pooch", "edtf"}
    assert heavy & loaded == set()


def write_ten_released_rows(folder: Path, suffix: str) -> Path:
    """The first ten rows of the bundled release's statements, as a `statements<suffix>` file."""
    released = peacetrack.release_path(remote=False)
    path = folder / f"statements{suffix}"
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(pq.read_table(released / "statements.parquet").slice(0, 10), path)
        return path
    with (released / "statements.csv").open(newline="", encoding="utf-8") as csv_file:
        rows = list(csv.reader(csv_file))[:11]
    with path.open("w", newline="", encoding="utf-8") as out:
        if suffix == ".csv":
            csv.writer(out).writerows(rows)
        else:
            out.writelines(
                json.dumps({k: v or None for k, v in zip(rows[0], row, strict=True)}) + "\n" for row in rows[1:]
            )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_validating_a_small_table_file_loads_only_what_it_needs(tmp_path: Path, suffix: str) -> None:
    """Ten released rows, checked against the bundled release: pyarrow reads and checks them;
    nothing that draws, downloads or queries is loaded, nor what only a coding file (the YAML
    reader), a rule on a frame (pandera) or an EDTF expression beyond a plain date needs.
    (pandas is loaded all the same: pyarrow imports it the first time it converts a Python
    value, to ask whether it is a pandas object; pydantic by typer, for the command's options.)"""
    write_ten_released_rows(tmp_path, suffix)
    loaded = loaded_modules("validate", f"statements{suffix}", cwd=tmp_path)
    assert "pyarrow.compute" in loaded
    heavy = {"pandera", "ruamel.yaml", "edtf", "matplotlib", "duckdb", "requests", "pooch", "filelock"}
    assert heavy & loaded == set()
