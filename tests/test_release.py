"""Releases: complete, checksummed, immutable, atomic, reproducible; and the diff of two."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from peacetrack import release, report, tablefiles
from peacetrack.changelog import changelog_date
from peacetrack.datapackage import SUMS_FILE, folder_files
from peacetrack.descriptor import DATAPACKAGE_FILE
from peacetrack.diff import diff_releases, diff_text
from peacetrack.errors import ReleaseError
from peacetrack.files import sha256_file
from peacetrack.index import INDEX_FILE, ReleaseEntry, ReleaseIndex, read_index, write_index
from peacetrack.release import (
    bump_version,
    bundle_latest,
    clean_releases,
    cut_release,
    inputs_sha256,
    parse_version,
    resolve_release,
)
from peacetrack.seeds import Build
from peacetrack.tablefiles import read_tables, write_build, write_tables
from peacetrack.tables import SCHEMA_VERSION, TABLES

from .helpers import ROOT, SEEDS, card_without_figures, changelog, snapshot

DATASETS = ROOT / "datasets"
BUNDLED = ROOT / "src" / "peacetrack" / "bundled"
RELEASE_DATE = date(2026, 11, 27)
TABLE_FILES = {f"{name}.{fmt}" for name in TABLES for fmt in ("csv", "parquet")}


@pytest.fixture(scope="module")
def build(seed_build: Build) -> Build:
    return seed_build  # built once per session (conftest)


@pytest.fixture
def root(released: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "datasets"
    shutil.copytree(released, copy)
    return copy


# --- what a release holds ------------------------------------------------------------------


def test_release_folder_has_tables_datapackage_and_checksums(released: Path) -> None:
    folder = released / "releases" / "1.0.0"
    assert TABLE_FILES | {DATAPACKAGE_FILE, SUMS_FILE} <= set(folder_files(folder))
    assert read_tables(folder)["actors"]["actor_id"].is_monotonic_increasing


def test_index_registers_the_release(released: Path, build: Build) -> None:
    index = json.loads((released / INDEX_FILE).read_text(encoding="utf-8"))
    (entry,) = index["releases"]
    assert list(entry) == ["version", "date", "schema_version", "inputs_sha256", "rows", "files"]
    assert entry["version"] == "1.0.0"
    assert entry["date"] == "2026-11-27"
    assert entry["schema_version"] == SCHEMA_VERSION
    assert entry["inputs_sha256"] == inputs_sha256(SEEDS)
    assert entry["rows"] == {name: len(build.frames[name]) for name in TABLES}
    folder = released / "releases" / "1.0.0"
    paths = [f["path"] for f in entry["files"]]
    assert paths == sorted(paths) == folder_files(folder)
    for f in entry["files"]:
        assert f == {
            "path": f["path"],
            "sha256": sha256_file(folder / f["path"]),
            "bytes": (folder / f["path"]).stat().st_size,
        }


def test_sha256sums_pass_sha256sum_check(released: Path) -> None:
    folder = released / "releases" / "1.0.0"
    listed = [line.split("  ", 1)[1] for line in (folder / SUMS_FILE).read_text(encoding="utf-8").splitlines()]
    assert listed == sorted(listed) == [p for p in folder_files(folder) if p != SUMS_FILE]
    check = subprocess.run(["sha256sum", "--check", "--strict", SUMS_FILE], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_datapackage_describes_every_file(released: Path) -> None:
    folder = released / "releases" / "1.0.0"
    package = json.loads((folder / DATAPACKAGE_FILE).read_text(encoding="utf-8"))
    assert package["version"] == "1.0.0"
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    assert "created" not in package  # no wall-clock time
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)) == 2 * len(TABLES)
    assert {r["path"] for r in package["resources"]} == TABLE_FILES
    for resource in package["resources"]:
        path = folder / resource["path"]
        assert resource["hash"] == f"sha256:{sha256_file(path)}"
        assert resource["bytes"] == path.stat().st_size
        table = TABLES[resource["name"].removesuffix("-parquet")]
        assert [f["name"] for f in resource["schema"]["fields"]] == [c.name for c in table.columns]
        assert resource["schema"]["primaryKey"] == [table.primary_key]


# --- reproducible ----------------------------------------------------------------------------


def test_same_inputs_give_the_same_bytes(released: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    changelog(again, ("1.0.0", RELEASE_DATE.isoformat()))
    cut_release("1.0.0", SEEDS, again)
    first, second = snapshot(released / "releases"), snapshot(again / "releases")
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert (released / INDEX_FILE).read_bytes() == (again / INDEX_FILE).read_bytes()


def test_latest_committed_release_rebuilds_to_the_same_bytes(tmp_path: Path) -> None:
    assert (DATASETS / INDEX_FILE).is_file(), "datasets/index.json is missing: cut and commit a release"
    latest = read_index(DATASETS).latest()
    assert latest is not None, "datasets/index.json lists no release"
    committed = DATASETS / "releases" / latest.version
    assert [f.path for f in latest.files] == folder_files(committed)
    for f in latest.files:
        assert (sha256_file(committed / f.path), (committed / f.path).stat().st_size) == (f.sha256, f.bytes), f.path
    if latest.inputs_sha256 != inputs_sha256(SEEDS):
        pytest.skip(f"seeds changed since release {latest.version}: nothing to compare until the next release")
    root = tmp_path / "datasets"
    root.mkdir()
    shutil.copy(DATASETS / "CHANGELOG.md", root / "CHANGELOG.md")
    entry = cut_release(latest.version, SEEDS, root)
    assert entry == latest
    rebuilt = snapshot(root / "releases" / latest.version)
    assert [name for name, data in snapshot(committed).items() if rebuilt.get(name) != data] == []


def test_bundled_copy_is_the_latest_release() -> None:
    index = read_index(DATASETS)
    latest = index.latest()
    assert latest is not None
    assert (BUNDLED / INDEX_FILE).read_bytes() == (DATASETS / INDEX_FILE).read_bytes()
    assert snapshot(BUNDLED / "releases") == {
        f"{latest.version}/{name}": data for name, data in snapshot(DATASETS / "releases" / latest.version).items()
    }


def test_inputs_hash_follows_every_seed_byte_and_path(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    original = inputs_sha256(seeds)
    assert original == inputs_sha256(SEEDS)
    article = next(seeds.glob("*/article.txt"))
    article.write_bytes(article.read_bytes() + b" ")
    changed = inputs_sha256(seeds)
    assert changed != original
    article.rename(article.with_name("renamed.txt"))
    assert inputs_sha256(seeds) not in (original, changed)


@pytest.mark.parametrize("linked", ["folder", "file", "nested folder"])
def test_inputs_hash_refuses_a_symbolic_link_in_the_seeds(tmp_path: Path, linked: str) -> None:
    """The hash would not see into a linked folder, and a linked file's bytes lie outside the seeds."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    source = next(p for p in seeds.iterdir() if p.is_dir())
    outside = tmp_path / "outside"
    shutil.copytree(source, outside)
    link = {
        "folder": seeds / "linked-source",
        "file": source / "notes.txt",
        "nested folder": source / "extra",
    }[linked]
    link.symlink_to(outside / "article.txt" if linked == "file" else outside)
    with pytest.raises(ReleaseError, match=rf"{link}: a symbolic link in the seeds"):
        inputs_sha256(seeds)
    (seeds / ".cache").symlink_to(outside)  # hidden entries are outside the hash, as before
    link.unlink()
    assert inputs_sha256(seeds) == inputs_sha256(SEEDS)


# --- immutable and atomic --------------------------------------------------------------------


def test_existing_release_is_refused_and_nothing_changes(root: Path) -> None:
    before = snapshot(root)
    with pytest.raises(ReleaseError, match=r"1\.0\.0 already exists"):
        cut_release("1.0.0", SEEDS, root)
    assert snapshot(root) == before


def test_release_folder_without_index_entry_is_refused(root: Path) -> None:
    changelog(root, ("1.0.1", "2026-11-28"))
    (root / "releases" / "1.0.1").mkdir()
    before = snapshot(root)
    with pytest.raises(
        ReleaseError, match=rf"(?s)left files.*releases/1\.0\.1\n.*`peacetrack release --clean --root {root}`"
    ):
        cut_release("1.0.1", SEEDS, root)
    assert snapshot(root) == before


def test_clean_removes_what_interrupted_releases_left_and_nothing_else(root: Path, tmp_path: Path) -> None:
    """Staging folders and files, and release folders the index does not list, are reported by
    every release until `clean_releases` removes them; what else is there stays."""
    releases = root / "releases"
    left = [
        releases / ".1.1.0.abcd_123.partial",
        root / ".index.json.x1y2z3w4.partial",
        releases / "1.1.0",
        releases / "2.0.0-rc.1",
    ]
    for path in left:
        (path.mkdir() if path.name != ".index.json.x1y2z3w4.partial" else path.write_text("{"))
    (releases / "1.1.0" / "actors.csv").write_text("actor_id\n")
    os.symlink(tmp_path, releases / "1.2.0")  # a link is removed, never what it points at
    left.append(releases / "1.2.0")
    kept = [releases / "notes.txt", releases / "draft", root / "README.md"]
    kept[0].write_text("mine\n"), kept[1].mkdir(), kept[2].write_text("mine\n")
    bundle = tmp_path / "bundled"
    bundle_leftover = tmp_path / ".bundled.q1w2e3r4.old"
    bundle_leftover.mkdir()
    changelog(root, ("1.3.0", "2026-12-01"))
    with pytest.raises(ReleaseError, match="an interrupted release left files") as refused:
        cut_release("1.3.0", SEEDS, root)
    assert sorted(line.strip() for line in str(refused.value).splitlines()[1:-1]) == sorted(map(str, left))
    index = (root / INDEX_FILE).read_bytes()
    assert clean_releases(root, bundle) == [*sorted(left), bundle_leftover]
    assert not any(os.path.lexists(path) for path in [*left, bundle_leftover])
    assert all(path.exists() for path in kept) and tmp_path.is_dir()
    assert (root / INDEX_FILE).read_bytes() == index
    assert (releases / "1.0.0").is_dir()
    assert clean_releases(root, bundle) == []


def test_release_needs_its_changelog_entry(root: Path) -> None:
    before = snapshot(root)
    with pytest.raises(ReleaseError, match=r"no entry for 1\.1\.0"):
        cut_release("1.1.0", SEEDS, root)
    assert snapshot(root) == before


def test_invalid_seeds_are_refused_with_their_faults(root: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    coding = next(seeds.glob("*/coding.yaml"))
    coding.write_text(
        coding.read_text(encoding="utf-8").replace("speaker_id: ilham-aliyev", "speaker_id: nobody", 1),
        encoding="utf-8",
    )
    changelog(root, ("1.1.0", "2026-12-01"))
    before = snapshot(root)
    with pytest.raises(ReleaseError, match=r"(?s)nobody.*error\(s\).*no release written"):
        cut_release("1.1.0", seeds, root)
    assert snapshot(root) == before


@pytest.mark.parametrize("broken", ["sha256sums", "write_index"])
def test_interrupted_release_leaves_no_partial_release_and_the_index_unchanged(
    root: Path, build: Build, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    changelog(root, ("1.0.0", "2026-11-27"), ("1.1.0", "2026-12-01"))
    before = snapshot(root)

    def fail(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(release, "build_tables", lambda seeds: build)
    monkeypatch.setattr(report, "write_report", card_without_figures)  # the card is not what this is about
    monkeypatch.setattr(release, broken, fail)
    with pytest.raises(KeyboardInterrupt):
        cut_release("1.1.0", SEEDS, root)
    assert snapshot(root) == before  # no release 1.1.0, no staging folder, same index


def test_builds_written_at_once_swap_in_turn(tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writers of the same folder (two `peacetrack build` at once) all finish; one's tables stay."""
    out = tmp_path / "build"
    write_build(build.frames, out)
    writers = 4
    together = threading.Barrier(writers)

    def write_tables(frames: object, folder: Path) -> list[Path]:
        (folder / "mark").write_text("x")
        together.wait()  # every writer then swaps its folder in at once
        return [folder / "mark"]

    monkeypatch.setattr(tablefiles, "write_tables", write_tables)
    rename = os.replace

    def slow_rename(source: object, target: object) -> None:
        time.sleep(0.02)  # a slow disk: the writers' renames interleave
        rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", slow_rename)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            write_build(build.frames, out)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion below
            failures.append(error)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    assert folder_files(out) == ["mark"]


# --- versions, changelog, index ----------------------------------------------------------------


def test_versions_are_semantic() -> None:
    assert str(parse_version("1.10.0")) == "1.10.0"
    assert str(parse_version("2.0.0-rc.1")) == "2.0.0-rc.1"
    for bad in ("v1.0.0", "1.0", "latest"):
        with pytest.raises(ReleaseError, match="not a semantic version"):
            parse_version(bad)
    assert bump_version(None, "major") == "1.0.0"
    assert bump_version("1.2.3", "major") == "2.0.0"
    assert bump_version("1.2.3", "minor") == "1.3.0"
    assert bump_version("1.2.3", "patch") == "1.2.4"


def test_changelog_date_comes_from_the_entry(tmp_path: Path) -> None:
    changelog(tmp_path, ("1.1.0", "2026-12-01"), ("1.0.0", "2026-11-27"))
    assert changelog_date(tmp_path / "CHANGELOG.md", "1.0.0") == RELEASE_DATE
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [2.0.0]\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"CHANGELOG.md:3: entry for 2.0.0 needs a date"):
        changelog_date(tmp_path / "CHANGELOG.md", "2.0.0")
    with pytest.raises(ReleaseError, match="no changelog"):
        changelog_date(tmp_path / "missing.md", "1.0.0")


@pytest.mark.parametrize(
    "heading",
    [
        "## [1.1.0] 2026-12-01",
        "## 1.1.0 - 2026-12-01",
        "## [1.1.0] - 2026-12-01 (yanked)",
        "##[1.1.0] - 2026-12-01",
        "## v1.1.0",
    ],
)
def test_malformed_changelog_heading_is_reported_at_its_line(tmp_path: Path, heading: str) -> None:
    text = f"# Changelog\n\n## [Unreleased]\n\n{heading}\n\n- Rows.\n\n## [1.1.0-rc.1] - 2026-11-30\n\n## [1.0.0] - 2026-11-27\n"
    (tmp_path / "CHANGELOG.md").write_text(text, encoding="utf-8")
    with pytest.raises(
        ReleaseError, match=r"CHANGELOG.md:5: malformed heading for 1\.1\.0; write it as `## \[1\.1\.0\] - YYYY-MM-DD`"
    ):
        changelog_date(tmp_path / "CHANGELOG.md", "1.1.0")
    with pytest.raises(ReleaseError, match=r"no entry for 1\.2\.0"):  # other versions are not mistaken for it
        changelog_date(tmp_path / "CHANGELOG.md", "1.2.0")
    assert changelog_date(tmp_path / "CHANGELOG.md", "1.0.0") == RELEASE_DATE


def test_changelog_with_two_entries_for_a_version_is_refused(tmp_path: Path) -> None:
    changelog(tmp_path, ("1.1.0", "2026-12-01"), ("1.0.0", "2026-11-27"), ("1.1.0", "2026-12-02"))
    with pytest.raises(ReleaseError, match=r"2 entries for 1\.1\.0 \(lines 5, 17\); keep one"):
        changelog_date(tmp_path / "CHANGELOG.md", "1.1.0")


def test_changelog_that_is_not_utf8_says_where(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_bytes(b"# Changelog\n\n## [1.0.0] - 2026-11-27\n\n- Caf\xe9.\n")
    with pytest.raises(
        ReleaseError, match=r"CHANGELOG.md:5: not UTF-8 \(byte offset 43\); save the changelog as UTF-8"
    ):
        changelog_date(tmp_path / "CHANGELOG.md", "1.0.0")


@pytest.mark.parametrize("text", ["\ufeff## [1.0.0] - 2026-11-27\n", "# C\r\n\r\n## [1.0.0] - 2026-11-27  \r\n"])
def test_changelog_with_a_byte_order_mark_or_crlf_line_ends_is_read(tmp_path: Path, text: str) -> None:
    (tmp_path / "CHANGELOG.md").write_bytes(text.encode("utf-8"))
    assert changelog_date(tmp_path / "CHANGELOG.md", "1.0.0") == RELEASE_DATE


def test_changelog_entry_with_a_wrong_date_says_what_it_found(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("## [1.0.0] - 2026-13-01\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"CHANGELOG.md:1: entry for 1.0.0 needs a date, not '2026-13-01'"):
        changelog_date(tmp_path / "CHANGELOG.md", "1.0.0")


def test_index_is_sorted_by_semantic_version(tmp_path: Path) -> None:
    entries = [
        ReleaseEntry(version=v, date=RELEASE_DATE, schema_version="1.0.0", inputs_sha256="0" * 64, rows={}, files=[])
        for v in ("1.10.0", "1.2.0", "1.9.1", "1.10.0-rc.1")
    ]
    write_index(tmp_path, ReleaseIndex(releases=entries))
    assert [r.version for r in read_index(tmp_path).releases] == ["1.2.0", "1.9.1", "1.10.0-rc.1", "1.10.0"]
    assert read_index(tmp_path).latest().version == "1.10.0"  # type: ignore[union-attr]


def fake_entry(version: str) -> ReleaseEntry:
    return ReleaseEntry(
        version=version, date=RELEASE_DATE, schema_version="1.0.0", inputs_sha256="0" * 64, rows={}, files=[]
    )


def test_latest_is_the_newest_release_that_is_not_a_pre_release() -> None:
    index = ReleaseIndex(releases=[fake_entry(v) for v in ("1.0.0", "1.1.0", "2.0.0-rc.1", "2.0.0-alpha")])
    assert index.latest().version == "1.1.0"  # type: ignore[union-attr]
    assert bump_version(index.latest().version, "minor") == "1.2.0"  # type: ignore[union-attr]
    assert ReleaseIndex(releases=[fake_entry("1.0.0-rc.1")]).latest() is None
    assert bump_version(None, "major") == "1.0.0"  # the first release after a pre-release of it


def test_a_pre_release_is_never_bundled(tmp_path: Path) -> None:
    root = tmp_path / "datasets"
    write_index(root, ReleaseIndex(releases=[fake_entry("1.0.0"), fake_entry("2.0.0-rc.1")]))
    for version in ("1.0.0", "2.0.0-rc.1"):
        (root / "releases" / version).mkdir(parents=True)
        (root / "releases" / version / "actors.csv").write_text(f"{version}\n")
    assert bundle_latest(root, tmp_path / "bundled") == tmp_path / "bundled" / "releases" / "1.0.0"
    assert folder_files(tmp_path / "bundled") == ["index.json", "releases/1.0.0/actors.csv"]


@pytest.mark.parametrize("version", ["1.1.0+b1", "1.1.0-rc.1+build.5"])
def test_build_metadata_is_refused_when_cut_and_in_an_index(root: Path, version: str) -> None:
    changelog(root, (version, "2026-12-01"))
    before = snapshot(root)
    with pytest.raises(ReleaseError, match=r"build metadata \(\+.*\) is not allowed in a release version"):
        cut_release(version, SEEDS, root)
    assert snapshot(root) == before
    index = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
    index["releases"].append(dict(index["releases"][0], version=version))
    (root / INDEX_FILE).write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"not a peacetrack release index(?s:.*)build metadata"):
        read_index(root)


def test_diff_resolves_only_listed_versions(root: Path) -> None:
    assert resolve_release("1.0.0", root) == root / "releases" / "1.0.0"
    shutil.copytree(root / "releases" / "1.0.0", root / "releases" / "1.1.0")
    with pytest.raises(ReleaseError, match=r"no release 1\.1\.0 in .*interrupted release.*--clean"):
        resolve_release("1.1.0", root)
    assert resolve_release(str(root / "releases" / "1.1.0"), root) == root / "releases" / "1.1.0"


def test_broken_index_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / INDEX_FILE).write_text('{"releases": [{"version": "1.0.0"}]}', encoding="utf-8")
    with pytest.raises(ReleaseError, match="not a peacetrack release index"):
        read_index(tmp_path)


# --- diff ------------------------------------------------------------------------------------


def with_row(frame: pd.DataFrame, row: dict[str, object]) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([row]).astype(frame.dtypes.to_dict())], ignore_index=True)


@pytest.fixture
def two_releases(build: Build, tmp_path: Path) -> tuple[Path, Path]:
    """Folder `old` from the seed; `new` with one actor added and one statement's summary changed."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    write_tables(build.frames, old)
    frames = {name: frame.copy() for name, frame in build.frames.items()}
    frames["actors"] = with_row(
        frames["actors"],
        {
            "actor_id": "eu",
            "name": "European Union",
            "actor_type": "international_org",
            "country": None,
            "parent_id": None,
            "role": None,
            "aliases": ["EU"],
        },
    )
    statements = frames["statements"]
    statements.loc[statements.index[0], "summary"] = "A corrected summary."
    write_tables(frames, new)
    return old, new


def test_diff_reports_one_added_and_one_changed_row(build: Build, two_releases: tuple[Path, Path]) -> None:
    old, new = two_releases
    changed_statement = build.frames["statements"]["statement_id"].iloc[0]
    diffs = {d.table: d for d in diff_releases(old, new)}
    assert list(diffs) == list(TABLES)
    assert (diffs["actors"].added, diffs["actors"].removed, diffs["actors"].changed) == (["eu"], [], {})
    assert (diffs["statements"].added, diffs["statements"].removed) == ([], [])
    assert diffs["statements"].changed == {changed_statement: ["summary"]}
    for name in set(TABLES) - {"actors", "statements"}:
        assert (diffs[name].added, diffs[name].removed, diffs[name].changed) == ([], [], {}), name
    text = diff_text(list(diffs.values()))
    assert "actors: 1 added, 0 removed, 0 changed\n  + eu\n" in text
    assert f"  ~ {changed_statement}: summary\n" in text


def test_diff_sees_removed_rows_lists_and_nulls(build: Build, two_releases: tuple[Path, Path]) -> None:
    old, new = two_releases
    frames = read_tables(new)
    actors = frames["actors"]
    first = actors.index[actors["actor_id"] == "ilham-aliyev"][0]
    actors.at[first, "aliases"] = ["Ilham Aliyev"]
    actors.at[first, "role"] = pd.NA
    frames["evidence"] = frames["evidence"].iloc[1:]
    write_tables(frames, new)
    diffs = {d.table: d for d in diff_releases(old, new)}
    assert diffs["actors"].changed == {"ilham-aliyev": ["role", "aliases"]}
    assert diffs["evidence"].removed == [build.frames["evidence"].sort_values("evidence_id")["evidence_id"].iloc[0]]
    assert [d.table for d in diff_releases(new, new) if d.added or d.removed or d.changed] == []


def test_diff_refuses_a_folder_without_tables(tmp_path: Path, two_releases: tuple[Path, Path]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReleaseError, match="not a release or build folder"):
        diff_releases(two_releases[0], empty)
