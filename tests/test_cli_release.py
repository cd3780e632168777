"""The `release` and `diff` commands: exit codes, messages, and what they write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.coding import build_tables
from peacetrack.release import folder_files, read_index, write_tables

from .conftest import ROOT, SEEDS

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the committed datasets/ (release 1.0.0) with a changelog entry for 1.1.0."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    changelog = copy / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]\n", "## [Unreleased]\n\n## [1.1.0] - 2026-12-01\n\n- Nothing new.\n"),
        encoding="utf-8",
    )
    return copy


def test_release_bump_cuts_the_next_version_and_bundles_it(root: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundled"
    result = runner.invoke(app, ["release", "--bump", "minor", "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(bundle)])
    assert result.exit_code == 0, result.output
    assert [r.version for r in read_index(root).releases] == ["1.0.0", "1.1.0"]
    assert (bundle / "index.json").read_bytes() == (root / "index.json").read_bytes()
    assert folder_files(bundle) == ["index.json"] + [f"releases/1.1.0/{p}" for p in folder_files(root / "releases" / "1.1.0")]


def test_release_prints_its_folder_as_given(root: Path, tmp_path: Path) -> None:
    odd = root.rename(tmp_path / "odd[red]x")
    result = runner.invoke(app, ["release", "1.1.0", "--root", str(odd), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 0, result.output
    assert str(odd / "releases" / "1.1.0") in "".join(result.output.split())  # the title wraps


def test_release_of_an_existing_version_fails_and_changes_nothing(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    result = runner.invoke(app, ["release", "1.0.0", "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert "release 1.0.0 already exists" in result.output
    assert "Traceback" not in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either VERSION or --bump"),
        (["1.1.0", "--bump", "patch"], "give either VERSION or --bump"),
        (["one"], "not a semantic version: 'one'"),
        (["2.0.0"], "no entry for 2.0.0"),
    ],
)
def test_release_refuses_bad_requests(root: Path, args: list[str], message: str) -> None:
    before = snapshot(root)
    result = runner.invoke(app, ["release", *args, "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert message in result.output
    assert snapshot(root) == before


def test_diff_between_two_versions(tmp_path: Path) -> None:
    frames = build_tables(SEEDS).frames
    root = tmp_path / "datasets"
    old, new = root / "releases" / "1.0.0", root / "releases" / "1.1.0"
    old.mkdir(parents=True), new.mkdir(parents=True)
    write_tables(frames, old)
    transfers = frames["military_transfers"].copy()
    row = transfers.index[transfers["quantity"].notna() & (transfers["status"] != "unknown")][0]
    changed = transfers.at[row, "transfer_id"]
    transfers.loc[row, ["quantity", "status"]] = [pd.NA, "unknown"]
    write_tables(frames | {"military_transfers": transfers, "sources": frames["sources"].iloc[0:0]}, new)
    result = runner.invoke(app, ["diff", "1.0.0", "1.1.0", "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["tables"]["military_transfers"] == {
        "added": [],
        "removed": [],
        "changed": [{"key": changed, "columns": ["quantity", "status"]}],
    }
    assert report["tables"]["sources"]["removed"] == frames["sources"]["source_id"].tolist()
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert text.exit_code == 0
    assert f"military_transfers: 0 added, 0 removed, 1 changed\n  ~ {changed}: quantity, status\n" in text.output


def test_diff_of_an_unknown_release_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", "9.9.9", "1.0.0", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "9.9.9: neither a release in" in result.output
