"""Variants of issue 11 tried as an attacker would, on the validator's side: names and
values that would forge lines of the report, and formula cells in every shape."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.faults import Fault
from peacetrack.validator.readers import jsonl as readers_jsonl

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
FORGED = "a\n::error title=forged::INJECTED\x1b[2J\r::add-mask::x\n.csv"  # a file name a pull request may hold


def forged_lines(text: str) -> list[str]:
    """Lines the runner would take for the name's own commands, or that hold a raw escape or CR."""
    return [
        line
        for line in text.split("\n")
        if line.lstrip().startswith(("::error title=forged", "::add-mask")) or "\x1b" in line or "\r" in line
    ]


@pytest.mark.parametrize("output", ["text", "github"])
def test_a_file_name_cannot_start_a_line_or_send_an_escape(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    """Every line of the report, the summary with what --max-faults left unread included."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(readers_jsonl, "BATCH_ROWS", 2)  # chunks of 2 rows: --max-faults stops inside the file
    name = FORGED.replace(".csv", ".jsonl")
    lines = (release / "actors.csv").read_text(encoding="utf-8").splitlines()[1:]
    Path(name).write_text(
        "".join(f'{{"actor_id": "x-{i}", "actor_type": "bad"}}\n' for i, _ in enumerate(lines)), encoding="utf-8"
    )
    result = runner.invoke(
        app, ["validate", name, "--table", "actors", "--against", str(release), "--format", output, "--max-faults", "1"]
    )
    assert result.exit_code == 1
    assert "rows after the first" in result.stdout  # the stopped file is named
    assert not forged_lines(result.stdout), result.stdout


def test_a_fault_is_one_line_without_escapes() -> None:
    """`build` prints faults as text: a seed folder's name is the contributor's."""
    text = str(
        Fault(
            rule="yaml",
            message="bad\nline",
            value="v\n",
            file=f"seeds/{FORGED}/coding.yaml",
            line=3,
        )
    )
    assert "\n" not in text and "\x1b" not in text and "\r" not in text
    assert "seeds/a\\n::error" in text


@pytest.mark.parametrize("linked", ["table", "folder"])
def test_a_release_folder_given_to_against_is_read_without_following_links(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: str
) -> None:
    """`--against FOLDER` may name a folder of the pull request (datasets/releases/x): a table
    linked to a file of the runner, or the folder linked elsewhere, is refused, not read."""
    monkeypatch.chdir(tmp_path)
    if linked == "table":
        shutil.copytree(release, "against")
        Path("against/actors.parquet").unlink()
        Path("against/actors.parquet").symlink_to(release / "actors.parquet")
    else:
        Path("against").symlink_to(release)
    result = runner.invoke(app, ["validate", str(release / "actors.csv"), "--against", "against"])
    assert result.exit_code == 2
    assert "symbolic link" in result.stdout and "[symlink]" in result.stdout


def test_a_release_folder_given_to_against_may_be_named_with_dots(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's own `--against ../release` is read (its folders checked for links all the same)."""
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    shutil.copytree(release, tmp_path / "against")
    result = runner.invoke(app, ["validate", str(release / "actors.csv"), "--against", "../against"])
    assert result.exit_code == 0, result.stdout


def test_a_coding_file_of_many_keys_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """Under the size limit, 250,000 `k: v` lines took four minutes to parse (and passed)."""
    from peacetrack.errors import FileFault
    from peacetrack.yamlfile import MAX_YAML_NODES, read_yaml

    path = tmp_path / "coding.yaml"
    keys = MAX_YAML_NODES // 2 + 1  # a key and its value each
    path.write_text("defaults:\n  statements:\n" + "".join(f"    k{i}: {i}\n" for i in range(keys)), encoding="utf-8")
    with pytest.raises(FileFault) as refused:
        read_yaml(path, tmp_path)
    assert refused.value.fault.rule == "too_large" and refused.value.fault.line is not None


@pytest.mark.parametrize("name", ["x [bold]a.csv", "x [link=evil.example]a.csv", "x \x1b[2Ja.csv"])
def test_the_progress_bar_shows_a_file_name_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A large file on a terminal gets a progress bar, described by the file's name: rich
    markup in it was applied (a link, say) and an escape sequence was sent."""
    import importlib
    import io
    from contextlib import ExitStack

    validate_module = importlib.import_module("peacetrack.validator.validate")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(validate_module, "PROGRESS_BYTES", 0)
    monkeypatch.setattr("sys.stderr", Terminal())
    path = tmp_path / name
    path.write_text("x\n", encoding="utf-8")
    with ExitStack() as stack:
        advance = validate_module._progress_bar(path, stack)
        assert advance is not None
        advance(1)
    shown = __import__("sys").stderr.getvalue()
    assert name.replace("\x1b", "\\x1b") in shown and "\x1b[2J" not in shown


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_a_file_whose_name_is_not_utf8_is_read(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """git carries any bytes in a name: a Parquet file named so crashed with a traceback."""
    import os

    import pandas as pd

    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"actors-\xff") + suffix
    frame = pd.read_parquet(release / "actors.parquet")
    frame["actor_id"] = "new-" + frame["actor_id"]
    if suffix == ".parquet":
        with open(name, "wb") as out:  # Arrow cannot open the name either
            frame.to_parquet(out, index=False)
    elif suffix == ".csv":
        frame.assign(aliases=frame["aliases"].str.join(";")).to_csv(name, index=False)
    else:
        frame.assign(aliases=frame["aliases"].map(list)).to_json(name, orient="records", lines=True)
    result = runner.invoke(app, ["validate", name, "--table", "actors", "--against", str(release), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert '"rows": 10' in result.stdout


def test_the_latest_release_is_found_through_a_linked_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal of links is for what a contributor gives: a release found as `load` finds it
    (a virtual environment reached through a link, say) is checked by its hashes instead."""
    from .helpers import write_release

    write_release(tmp_path / "data")
    (tmp_path / "linked").symlink_to(tmp_path / "data")
    monkeypatch.setenv("PEACETRACK_DATA_DIR", str(tmp_path / "linked"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "actors.csv").write_text("x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "actors.csv", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "symbolic link" not in result.output and "missing_column" in result.output
