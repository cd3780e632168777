"""The `release` and `diff` commands: exit codes, messages, and what they write."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peacetrack import report
from peacetrack.cli import app
from peacetrack.datapackage import file_entries, folder_files
from peacetrack.errors import ReleaseError
from peacetrack.files import sha256_file, staging_leftovers
from peacetrack.index import ReleaseEntry, ReleaseIndex, read_index, write_index
from peacetrack.release import bundle_latest
from peacetrack.seeds import Build, build_tables
from peacetrack.tablefiles import write_tables

from .helpers import ROOT, SEEDS, card_without_figures, snapshot
from .release_driver import KILL_STEPS

runner = CliRunner()


@pytest.fixture
def no_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Releases without figures: drawing them takes seconds, and these tests are not about them."""
    monkeypatch.setattr(report, "write_report", card_without_figures)


def build_seeds_once(monkeypatch: pytest.MonkeyPatch, seed_build: Build) -> None:
    """`build` and `release` of SEEDS (in this process) take the session's build of them:
    building takes seconds, and these tests are about what is done with the tables."""
    monkeypatch.setattr(
        "peacetrack.seeds.build_tables", lambda seeds: seed_build if seeds == SEEDS else build_tables(seeds)
    )


@pytest.fixture
def seeds_built_once(monkeypatch: pytest.MonkeyPatch, seed_build: Build) -> None:
    build_seeds_once(monkeypatch, seed_build)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the committed datasets/ (releases 1.0.0 and 2.0.0) with changelog entries for 2.1.0 and 2.2.0."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy, ignore=shutil.ignore_patterns("build"))  # `make dataset`'s output
    changelog = copy / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            "## [Unreleased]\n\n## [2.2.0] - 2026-12-02\n\n## [2.1.0] - 2026-12-01\n\n- Nothing new.\n",
        ),
        encoding="utf-8",
    )
    return copy


def test_release_bump_cuts_the_next_version_and_bundles_it(
    root: Path, tmp_path: Path, seeds_built_once: None, no_figures: None
) -> None:
    bundle = tmp_path / "bundled"
    result = runner.invoke(
        app, ["release", "--bump", "minor", "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(bundle)]
    )
    assert result.exit_code == 0, result.output
    assert [r.version for r in read_index(root).releases] == ["1.0.0", "2.0.0", "2.1.0"]
    assert (bundle / "index.json").read_bytes() == (root / "index.json").read_bytes()
    assert folder_files(bundle) == ["index.json"] + [
        f"releases/2.1.0/{p}" for p in folder_files(root / "releases" / "2.1.0")
    ]


def test_release_prints_its_folder_as_given(
    root: Path, tmp_path: Path, seeds_built_once: None, no_figures: None
) -> None:
    odd = root.rename(tmp_path / "odd[red]x")
    result = runner.invoke(app, ["release", "2.1.0", "--root", str(odd), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 0, result.output
    assert str(odd / "releases" / "2.1.0") in "".join(result.output.split())  # the title wraps


@pytest.mark.parametrize("bundle", ["releases/1.0.0", "releases", ".", "index.json", ".."])
def test_release_refuses_a_bundle_that_overlaps_the_root(root: Path, bundle: str) -> None:
    """Bundling replaces its folder whole: inside or around the root, it would replace releases."""
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    args = ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(root / bundle)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "overlaps the data folder" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    with pytest.raises(ReleaseError, match="overlaps the data folder"):
        bundle_latest(root, root / bundle)


def test_release_refuses_a_bundle_folder_that_holds_more_than_a_bundle(root: Path, tmp_path: Path) -> None:
    """`--bundle seeds` (or any folder of other things) would be replaced whole."""
    other = tmp_path / "mine"
    (other / "releases").mkdir(parents=True)
    (other / "notes.txt").write_text("mine")
    args = ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(other)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "holdsmorethanabundle" in "".join(result.output.split())  # rich wraps long lines
    assert (other / "notes.txt").read_text() == "mine"
    assert "2.1.0" not in {r.version for r in read_index(root).releases}


@pytest.mark.parametrize("command", ["build", "release"])
def test_build_and_release_show_terminal_escapes_in_seed_names_escaped(
    root: Path, tmp_path: Path, command: str
) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "x\x1b]0;owned\x07y").mkdir(parents=True)
    args = (
        ["build", "--out", str(tmp_path / "build")]
        if command == "build"
        else ["release", "2.1.0", "--root", str(root), "--no-bundle"]
    )
    result = runner.invoke(app, [*args, "--seeds", str(seeds)])
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"x\x1b]0;owned\x07y" in result.output


@pytest.mark.parametrize("out", [".", "releases", "releases/1.0.0", "index.json"])
def test_build_never_replaces_what_is_not_a_build(root: Path, out: str, seeds_built_once: None) -> None:
    """A build replaces its folder whole: `--out datasets` took the changelog, index and releases."""
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = runner.invoke(app, ["build", "--seeds", str(SEEDS), "--out", str(root / out)])
    assert result.exit_code == 1, result.output
    assert "isnotabuildfolder" in "".join(result.output.split())  # rich wraps long lines
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    again = runner.invoke(app, ["build", "--seeds", str(SEEDS), "--out", str(root / "build")])
    assert again.exit_code == 0, again.output
    assert runner.invoke(app, ["build", "--seeds", str(SEEDS), "--out", str(root / "build")]).exit_code == 0


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
        (["2.1.0", "--bump", "patch"], "give either VERSION or --bump"),
        (["one"], "not a semantic version: 'one'"),
        (["3.0.0"], "no entry for 3.0.0"),
    ],
)
def test_release_refuses_bad_requests(root: Path, args: list[str], message: str) -> None:
    before = snapshot(root)
    result = runner.invoke(app, ["release", *args, "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert message in result.output
    assert snapshot(root) == before


def index_listing(root: Path, *versions: str) -> None:
    """An index that lists `versions` with the files their folders hold (as `diff` checks them)."""
    entries = [
        ReleaseEntry(
            version=v,
            date="2026-11-27",
            schema_version="1.0.0",
            inputs_sha256="0" * 64,
            rows={},
            files=tuple(file_entries(root / "releases" / v)),
        )
        for v in versions
    ]
    write_index(root, ReleaseIndex(releases=tuple(entries)))


def test_diff_between_two_versions(tmp_path: Path) -> None:
    frames = build_tables(SEEDS).frames
    root = tmp_path / "datasets"
    old, new = root / "releases" / "1.0.0", root / "releases" / "2.1.0"
    old.mkdir(parents=True), new.mkdir(parents=True)
    write_tables(frames, old)
    transfers = frames["military_transfers"].copy()
    row = transfers.index[transfers["quantity"].notna() & (transfers["status"] != "unknown")][0]
    changed = transfers.at[row, "transfer_id"]
    transfers.loc[row, ["quantity", "status"]] = [pd.NA, "unknown"]
    write_tables(frames | {"military_transfers": transfers, "sources": frames["sources"].iloc[0:0]}, new)
    index_listing(root, "1.0.0", "2.1.0")
    result = runner.invoke(app, ["diff", "1.0.0", "2.1.0", "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["tables"]["military_transfers"] == {
        "added": [],
        "removed": [],
        "changed": [{"key": changed, "columns": ["quantity", "status"]}],
        "added_columns": [],
        "removed_columns": [],
        "links": [],
        "evidence": [],
    }
    assert report["tables"]["sources"]["removed"] == frames["sources"]["source_id"].tolist()
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert text.exit_code == 0
    assert f"military_transfers: 0 added, 0 removed, 1 changed\n  ~ {changed}: quantity, status\n" in text.output


def test_diff_of_an_unknown_release_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", "9.9.9", "1.0.0", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "9.9.9: no release 9.9.9 in" in result.output


def test_diff_accepts_only_versions_the_index_lists(root: Path) -> None:
    """A folder under releases/ that the index does not list was left by an interrupted
    release: `diff` refuses it by version (and says how to clear it), takes it as a path."""
    orphan = root / "releases" / "2.1.0"
    shutil.copytree(root / "releases" / "1.0.0", orphan)
    result = runner.invoke(app, ["diff", "1.0.0", "2.1.0", "--root", str(root)])
    assert result.exit_code == 1
    assert "no release 2.1.0 in" in result.output
    assert f"peacetrack release --clean --root {root}" in result.output
    assert "Traceback" not in result.output
    by_path = runner.invoke(app, ["diff", str(root / "releases" / "1.0.0"), str(orphan)])
    assert by_path.exit_code == 0, by_path.output


def changed_in_place(path: Path) -> None:
    """The same size, other bytes: what a check by size alone would serve as the release."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["diff", "1.0.0", "1.0.0"], ["report", "1.0.0"]])
@pytest.mark.parametrize("how", ["changed", "linked"])
def test_a_listed_release_whose_files_changed_is_refused(
    root: Path, tmp_path: Path, command: list[str], how: str
) -> None:
    """`diff` and `report` read a listed release only as published: each table's SHA-256 is checked."""
    actors = root / "releases" / "1.0.0" / "actors.parquet"
    if how == "changed":
        changed_in_place(actors)
    else:  # the very bytes published, but a link out of the release folder
        outside = tmp_path / "outside.parquet"
        actors.rename(outside)
        actors.symlink_to(outside)
    result = runner.invoke(
        app, [*command, "--root", str(root), *(["--out", str(tmp_path / "card")] if command[0] == "report" else [])]
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    said = "SHA-256 differs from the index's" if how == "changed" else "not a regular file of release 1.0.0"
    assert f"{actors}: " in result.output and said in result.output
    assert not (tmp_path / "card").exists()


def test_diff_of_a_name_too_long_for_a_path_is_a_clear_error(root: Path) -> None:
    result = runner.invoke(app, ["diff", "x" * 300, "1.0.0", "--root", str(root)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "neither a release version (or latest) nor a folder" in result.output


# --- errors that are the machine's, not the data's (item 12) --------------------------------


def deny_writes_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make `folder` read-only for this process, as it would be for a user who is not root.

    A real read-only folder does not stop root, who runs these tests: instead, the two calls
    through which peacetrack creates every file and folder (`tempfile.mkstemp` and `mkdtemp`,
    for atomic writes) fail as the system would, with EACCES, in `folder`.
    """
    for name in ("mkstemp", "mkdtemp"):
        original = getattr(tempfile, name)

        def refuse(*args: object, _original=original, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
            if Path(str(kwargs.get("dir"))).resolve() == folder.resolve():
                raise PermissionError(13, "Permission denied", str(folder))
            return _original(*args, **kwargs)

        monkeypatch.setattr(tempfile, name, refuse)


@pytest.mark.parametrize("read_only", ["releases", "root"])
def test_release_into_a_read_only_folder_is_a_clear_error(
    root: Path, monkeypatch: pytest.MonkeyPatch, no_figures: None, read_only: str
) -> None:
    deny_writes_in(monkeypatch, root / "releases" if read_only == "releases" else root)
    before = snapshot(root)
    result = runner.invoke(app, ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "cannot write release 2.1.0" in result.output and "Permission denied" in result.output
    assert snapshot(root) == before


def test_release_where_a_folder_is_a_file_is_a_clear_error(root: Path, no_figures: None) -> None:
    """A file where the releases folder should be: a write that fails for root too."""
    shutil.rmtree(root / "releases")
    (root / "releases").write_text("not a folder\n", encoding="utf-8")
    (root / "index.json").unlink()
    before = snapshot(root)
    result = runner.invoke(app, ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "cannot write release 2.1.0" in result.output
    assert snapshot(root) == before


def test_bundle_into_a_read_only_folder_is_a_clear_error(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_figures: None
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    deny_writes_in(monkeypatch, package)
    result = runner.invoke(
        app, ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(package / "bundled")]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "release 2.1.0 is cut and registered, but not bundled: cannot bundle the latest release" in result.output
    assert [r.version for r in read_index(root).releases] == ["1.0.0", "2.0.0", "2.1.0"]  # the release itself stands


@pytest.mark.parametrize(
    ("where", "message"),
    [("index", "cannot read the release index"), ("long-root", "File name too long")],
)
def test_release_with_an_unreadable_root_is_a_clear_error(root: Path, where: str, message: str) -> None:
    if where == "index":
        (root / "index.json").unlink()
        (root / "index.json").mkdir()
    else:
        root = root / ("x" * 300)
    result = runner.invoke(app, ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert message in result.output


def test_report_of_a_listed_release_whose_folder_is_gone_is_a_clear_error(root: Path, tmp_path: Path) -> None:
    shutil.rmtree(root / "releases" / "1.0.0")
    result = runner.invoke(app, ["report", "1.0.0", "--root", str(root), "--out", str(tmp_path / "card")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "sources.parquet: missing from release 1.0.0" in result.output


def test_changelog_that_is_not_utf8_is_a_clear_error(root: Path) -> None:
    changelog = root / "CHANGELOG.md"
    changelog.write_bytes(changelog.read_bytes().replace(b"Nothing new.", b"Nothing n\xe9w."))
    result = runner.invoke(app, ["release", "2.1.0", "--root", str(root), "--seeds", str(SEEDS), "--no-bundle"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "CHANGELOG.md:16: not UTF-8 (byte offset" in result.output


# --- concurrent and killed releases (item 5), in real processes -------------------------------


def start(args: list[str], go: Path, kill: str | None = None) -> subprocess.Popen[str]:
    """`peacetrack ARGS` in a process of its own (see release_driver), started when `go` exists."""
    env = os.environ | {"PEACETRACK_TEST_GO": str(go)} | ({"PEACETRACK_TEST_KILL": kill} if kill else {})
    command = [sys.executable, "-m", "tests.release_driver", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def release_args(version: str, root: Path, bundle: Path) -> list[str]:
    return ["release", version, "--root", str(root), "--seeds", str(SEEDS), "--bundle", str(bundle)]


def go_when_ready(go: Path, runs: list[subprocess.Popen[str]]) -> None:
    """Start every run at once, once each has loaded (or ended, if it failed to load)."""
    while len(list(go.parent.glob(f"{go.name}.*.ready"))) < len(runs) and all(run.poll() is None for run in runs):
        time.sleep(0.01)
    go.touch()


def assert_index_and_folders_agree(root: Path) -> None:
    """The index lists exactly the release folders, each with the files and hashes it publishes;
    no staging file or folder is left anywhere under `root`."""
    index = read_index(root)
    assert sorted(p.name for p in root.iterdir()) == ["CHANGELOG.md", "index.json", "releases"]
    assert sorted(p.name for p in (root / "releases").iterdir()) == sorted(r.version for r in index.releases)
    for entry in index.releases:
        folder = root / "releases" / entry.version
        assert entry.files and [f.path for f in entry.files] == folder_files(folder)
        assert all(sha256_file(folder / f.path) == f.sha256 for f in entry.files), entry.version


def assert_bundle_is_latest(root: Path, bundle: Path) -> None:
    latest = read_index(root).latest()
    assert latest is not None
    assert (bundle / "index.json").read_bytes() == (root / "index.json").read_bytes()
    assert folder_files(bundle) == ["index.json"] + [
        f"releases/{latest.version}/{p}" for p in folder_files(root / "releases" / latest.version)
    ]
    assert staging_leftovers(bundle.parent, bundle.name) == []


def test_two_releases_at_once_are_both_registered(root: Path, tmp_path: Path) -> None:
    bundle, go = tmp_path / "bundled", tmp_path / "go"
    runs = [start(release_args(version, root, bundle), go) for version in ("2.1.0", "2.2.0")]
    go_when_ready(go, runs)
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, out + err
    assert [r.version for r in read_index(root).releases] == ["1.0.0", "2.0.0", "2.1.0", "2.2.0"]
    assert_index_and_folders_agree(root)
    assert_bundle_is_latest(root, bundle)


def test_the_same_release_twice_at_once_is_cut_once_and_refused_once(root: Path, tmp_path: Path) -> None:
    bundle, go = tmp_path / "bundled", tmp_path / "go"
    runs = [start(release_args("2.1.0", root, bundle), go) for _ in range(2)]
    go_when_ready(go, runs)
    results = [(run.wait(timeout=300), run.stdout.read(), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    ((_, _, refusal),) = [(code, out, err) for code, out, err in results if code == 1]
    assert "release 2.1.0 already exists" in refusal and "Traceback" not in refusal
    assert [r.version for r in read_index(root).releases] == ["1.0.0", "2.0.0", "2.1.0"]
    assert_index_and_folders_agree(root)
    assert_bundle_is_latest(root, bundle)


def recover_and_release_again(root: Path, bundle: Path, monkeypatch: pytest.MonkeyPatch, seed_build: Build) -> None:
    """After a release was killed: the index and the folders agree, or `release` refuses and
    names the command that clears what was left; after it, the next release goes through."""
    monkeypatch.setattr(report, "write_report", card_without_figures)
    build_seeds_once(monkeypatch, seed_build)
    listed = [r.version for r in read_index(root).releases]
    version = "2.2.0" if "2.1.0" in listed else "2.1.0"
    args = release_args(version, root, bundle)
    first = runner.invoke(app, args)
    if first.exit_code != 0:
        assert first.exit_code == 1 and isinstance(first.exception, SystemExit), first.output
        assert "an interrupted release left files" in first.output
        assert f"`peacetrack release --clean --root {root}`" in first.output
        cleaned = runner.invoke(app, ["release", "--clean", "--root", str(root), "--bundle", str(bundle)])
        assert cleaned.exit_code == 0, cleaned.output
        assert [r.version for r in read_index(root).releases] == listed  # a listed release is never cleaned away
        assert_index_and_folders_agree(root)
        first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert [r.version for r in read_index(root).releases] == sorted([*listed, version])
    assert_index_and_folders_agree(root)
    assert_bundle_is_latest(root, bundle)


@pytest.mark.parametrize("step", list(KILL_STEPS))
def test_release_killed_at_each_step_is_reported_and_cleared(
    root: Path, tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch, seed_build: Build
) -> None:
    bundle, go = tmp_path / "bundled", tmp_path / "go"
    bundle_latest(root, bundle)
    go.touch()
    run = start(release_args("2.1.0", root, bundle), go, kill=step)
    out, err = run.communicate(timeout=300)
    assert run.returncode == -signal.SIGKILL, out + err  # the step was reached
    recover_and_release_again(root, bundle, monkeypatch, seed_build)


def test_release_killed_at_any_moment_is_reported_and_cleared(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_build: Build
) -> None:
    """SIGKILL at moments spread over a release's run, measured on a first run that is not killed.
    Three moments (early, middle, late): the named steps of a release are killed one by one above."""
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    bundle, go = tmp_path / "bundled", tmp_path / "go"
    run = start(release_args("2.1.0", root, bundle), go)
    go_when_ready(go, [run])
    began = time.monotonic()
    assert run.wait(timeout=300) == 0
    run_time = time.monotonic() - began
    for n, share in enumerate((0.2, 0.55, 0.9)):
        shutil.rmtree(root), shutil.rmtree(bundle)
        shutil.copytree(pristine, root)
        bundle_latest(root, bundle)
        go = tmp_path / f"go{n}"
        run = start(release_args("2.1.0", root, bundle), go)
        go_when_ready(go, [run])
        time.sleep(share * run_time)
        run.kill()
        run.communicate(timeout=300)
        recover_and_release_again(root, bundle, monkeypatch, seed_build)
