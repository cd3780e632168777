"""A mirror publishes its index; installed copies learn of its releases, only when asked.

Every mirror here is a real HTTP server on 127.0.0.1 serving a folder laid out like datasets/.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import peacetrack
from peacetrack import data, mirror
from peacetrack.cli import app
from peacetrack.index import ReleaseEntry

from .helpers import ROOT, cached_files, runner, seed_frames, serve, sha256, write_release

TWO_HOURS = 7200


def renamed_frames() -> dict[str, pd.DataFrame]:
    """The seed's tables with one actor renamed: what a newer release may change."""
    frames = {name: frame.copy(deep=True) for name, frame in seed_frames().items()}
    frames["actors"].loc[frames["actors"]["actor_id"] == "arm", "name"] = "Republic of Armenia"
    return frames


@pytest.fixture
def site(tmp_path: Path, local_release: ReleaseEntry) -> Path:
    """A mirror's folder: release 1.0.0, which the data folder also holds, and a newer 1.1.0."""
    site = tmp_path / "site"
    write_release(site, "1.0.0")
    write_release(site, "1.1.0", "2026-12-01", frames=renamed_frames())
    return site


def armenia(frame: pd.DataFrame) -> str:
    return str(frame.loc[frame["actor_id"] == "arm", "name"].iloc[0])


def age_index_copy(url: str, seconds: float) -> Path:
    copy = mirror._index_copy(mirror.index_url(url))
    then = time.time() - seconds
    os.utime(copy, (then, then))
    return copy


# --- a newer release appears ---------------------------------------------------------------------


def test_a_newer_release_on_the_mirror_is_found_downloaded_verified_and_loaded(
    site: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        assert peacetrack.versions() == ["1.0.0"]  # never silently
        assert armenia(peacetrack.load("actors", version="latest")) == "Armenia"
        assert peacetrack.versions(remote=True) == ["1.1.0", "1.0.0"]
        assert armenia(peacetrack.load("actors", version="latest", remote=True)) == "Republic of Armenia"
        monkeypatch.setenv(mirror.REMOTE_ENV, "1")
        assert data.find_release("latest").version == "1.1.0"
        assert runner.invoke(app, ["versions"]).output.startswith("1.1.0\t2026-12-01\tmirror\n")
        assert runner.invoke(app, ["versions", "--no-remote"]).output == "1.0.0\t2026-11-27\tlocal\n"
        assert peacetrack.connect().execute("SELECT name FROM actors WHERE actor_id = 'arm'").fetchone() == (
            "Republic of Armenia",
        )
    release = data.find_release("1.1.0")
    assert {f.split("/")[0] for f in cached_files(dirs["cache"])} == {"1.1.0", "mirrors"}
    for entry in release.files:
        if entry.path.endswith(".parquet"):
            assert sha256(dirs["cache"] / "1.1.0" / entry.path) == entry.sha256


def test_a_version_only_the_mirror_lists_is_found_by_name(site: Path, dirs: dict[str, Path]) -> None:
    with serve(site) as url:
        result = runner.invoke(app, ["download", "--release", "1.1.0", "--base-url", url])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(dirs["cache"] / "1.1.0")


def test_with_the_mirror_gone_the_cached_copy_still_loads_and_says_it_is_stale(
    site: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        peacetrack.load("actors", version="latest", remote=True)
    assert armenia(peacetrack.load("actors", version="latest", remote=True)) == "Republic of Armenia"
    age_index_copy(url, TWO_HOURS)
    with pytest.warns(data.StaleIndexWarning, match=r"did not answer.*120 minute\(s\) ago, which may be stale"):
        assert armenia(peacetrack.load("actors", version="latest", remote=True)) == "Republic of Armenia"
    result = runner.invoke(app, ["versions", "--remote"])
    assert result.exit_code == 0, result.output
    assert "warning: the mirror did not answer" in result.output
    assert "1.1.0\t2026-12-01\tmirror" in result.output and "1.0.0\t2026-11-27\tlocal" in result.output


def test_without_a_cached_index_an_unreachable_mirror_is_a_clear_error(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["versions", "--remote"])  # the dirs fixture's mirror is a closed port
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "could not read the mirror's index http://127.0.0.1:9/index.json" in result.output


# --- the cached index expires ----------------------------------------------------------------------


def test_the_mirrors_index_is_cached_for_an_hour(
    site: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        assert peacetrack.versions(remote=True) == ["1.1.0", "1.0.0"]
        write_release(site, "1.2.0", "2026-12-02")
        assert peacetrack.versions(remote=True) == ["1.1.0", "1.0.0"]  # the copy is fresh
        age_index_copy(url, mirror.MIRROR_INDEX_LIFETIME_SECONDS - 60)
        assert peacetrack.versions(remote=True) == ["1.1.0", "1.0.0"]
        copy = age_index_copy(url, mirror.MIRROR_INDEX_LIFETIME_SECONDS + 1)
        assert peacetrack.versions(remote=True) == ["1.2.0", "1.1.0", "1.0.0"]
    assert copy.read_bytes() == (site / "index.json").read_bytes()
    assert [p.name for p in copy.parent.iterdir()] == ["index.json"]  # no temporary file left


# --- a tampered mirror is refused ------------------------------------------------------------------


def tamper_index(site: Path, change: str) -> None:
    index = json.loads((site / "index.json").read_text())
    newest = index["releases"][-1]
    if change == "a count as text":
        newest["rows"]["actors"] = str(newest["rows"]["actors"])
    elif change == "a path out of the release":
        newest["files"][0]["path"] = "../../../../outside.parquet"
    elif change == "oversized":
        index["padding"] = "x" * mirror.MIRROR_INDEX_MAX_BYTES
    (site / "index.json").write_text(json.dumps(index))


@pytest.mark.parametrize("change", ["a count as text", "a path out of the release", "oversized"])
def test_a_tampered_mirror_index_is_refused_and_not_cached(
    site: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    tamper_index(site, change)
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        with pytest.raises(data.DataError, match=rf"{url}index\.json: (not a valid release index|an index over)"):
            peacetrack.load("actors", version="latest", remote=True)
    assert not (dirs["cache"] / "mirrors").exists()


def test_a_tampered_file_on_the_mirror_is_refused_and_not_kept(
    site: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    actors = site / "releases" / "1.1.0" / "actors.parquet"
    actors.write_bytes(actors.read_bytes()[:-1] + b"\x00")
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        with pytest.raises(data.DataError, match=rf"refused {url}releases/1\.1\.0/actors\.parquet, not kept"):
            peacetrack.load("actors", version="latest", remote=True)
    assert not (dirs["cache"] / "1.1.0" / "actors.parquet").exists()


def test_a_mirror_address_naming_a_release_folder_has_no_index(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["versions", "--remote", "--base-url", "http://127.0.0.1:9/r/{version}?token=s3cret"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "a mirror address with {version} names a release folder" in result.output and "s3cret" not in result.output


def test_peacetrack_remote_must_say_yes_or_no(local_release: ReleaseEntry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(mirror.REMOTE_ENV, "sometimes")
    with pytest.raises(data.DataError, match="PEACETRACK_REMOTE must be 1 or 0"):
        peacetrack.load("actors")


# --- where the mirror is set: option > environment > config file -----------------------------------


def test_the_mirror_is_the_option_else_the_environment_else_the_config_file(
    tmp_path: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('base_url = "https://config.example/"\n')
    monkeypatch.setenv(mirror.CONFIG_ENV, str(config))
    monkeypatch.delenv(mirror.BASE_URL_ENV)
    assert mirror.mirror_url() == "https://config.example/"
    monkeypatch.setenv(mirror.BASE_URL_ENV, "https://env.example/")
    assert mirror.mirror_url() == "https://env.example/"
    assert mirror.mirror_url("https://option.example/") == "https://option.example/"


def test_the_config_file_is_read_from_the_user_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mirror.CONFIG_ENV, raising=False)
    monkeypatch.setattr(mirror.platformdirs, "user_config_path", lambda app: tmp_path / app)
    assert mirror.config_path() == tmp_path / "peacetrack" / "config.toml"


@pytest.mark.parametrize(
    ("text", "said"),
    [("base_url = [", "Invalid"), ("base_url = 3", "valid string"), ("mirror = 'x'", "Extra inputs")],
)
def test_a_bad_config_file_is_a_clear_error(
    tmp_path: Path,
    dirs: dict[str, Path],
    local_release: ReleaseEntry,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    said: str,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    monkeypatch.setenv(mirror.CONFIG_ENV, str(config))
    monkeypatch.delenv(mirror.BASE_URL_ENV)
    result = runner.invoke(app, ["versions", "--remote"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{config}: not a valid peacetrack config file" in result.output.replace("\n", "") and said in result.output


# --- one way to name a release --------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["info", "--release", "latest"],
        ["info", "--version", "1.0.0"],
        ["sql", "SELECT count(*) FROM actors", "-r", "latest"],
        ["download", "--release", "latest"],
        ["download", "1.0.0"],
        ["diff", "1.0.0", "latest"],
        ["report", "--release", "latest", "--out", "card"],
        ["report", "1.0.0", "--out", "card"],
        ["report", "--release", "RELEASE_FOLDER", "--out", "card"],
    ],
)
def test_every_command_names_a_release_the_same_way_outside_a_checkout(
    local_release: ReleaseEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no datasets/ here: releases are found as `load` finds them
    folder = str(data.data_dir() / "releases" / "1.0.0")
    result = runner.invoke(app, [folder if word == "RELEASE_FOLDER" else word for word in command])
    assert result.exit_code == 0, result.output
    if command[0] == "report":
        assert (tmp_path / "card" / "DATACARD.md").is_file()


def test_two_different_releases_in_one_call_are_refused(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["download", "1.0.0", "--release", "latest"])
    assert result.exit_code == 1 and "two releases given" in result.output


def test_diff_and_report_read_a_newer_release_on_the_mirror(
    site: Path, dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with serve(site) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        result = runner.invoke(app, ["diff", "1.0.0", "latest", "--remote", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["tables"]["actors"]["changed"] == [{"key": "arm", "columns": ["name"]}]
        result = runner.invoke(app, ["report", "--release", "latest", "--remote"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "report-1.1.0" / "DATACARD.md").is_file()


def test_diff_refuses_a_changed_file_of_a_release_found_as_load_finds_it(
    local_release: ReleaseEntry, dirs: dict[str, Path]
) -> None:
    actors = dirs["data"] / "releases" / "1.0.0" / "actors.parquet"
    actors.write_bytes(actors.read_bytes()[:-1] + b"\x00")
    for command in (["diff", "1.0.0", "latest"], ["report", "--out", "card"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "not the file published as release 1.0.0" in result.output


def test_validate_against_latest(local_release: ReleaseEntry, tmp_path: Path) -> None:
    actors = tmp_path / "actors.csv"
    actors.write_text("actor_id,name\n")
    result = runner.invoke(app, ["validate", str(actors), "--against", "latest", "--format", "json"])
    assert "cannot find release" not in result.output and "no_release" not in result.output
    result = runner.invoke(app, ["validate", str(actors), "--against", "no-such-folder"])
    assert result.exit_code == 2 and "neither a release version (or latest) nor a folder" in result.output


def test_diff_outside_a_checkout_reads_the_bundled_release(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEACETRACK_")}
    env["PEACETRACK_CONFIG"] = str(tmp_path / "none.toml")
    result = subprocess.run(
        [sys.executable, "-m", "peacetrack.cli", "diff", "latest", "latest"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "actors: 0 added, 0 removed, 0 changed" in result.stdout


# --- the README's commands run as written --------------------------------------------------------------


def anywhere_blocks(language: str) -> list[str]:
    section = (
        (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Use it from anywhere\n", 1)[1].split("\n## ", 1)[0]
    )
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


def test_readme_use_it_from_anywhere_commands_run(
    site: Path, dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (config_text,) = [block for block in anywhere_blocks("toml") if "base_url" in block]
    (block,) = [block for block in anywhere_blocks("sh") if "peacetrack versions --remote" in block]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(mirror.BASE_URL_ENV)
    with serve(site) as url:
        config = tmp_path / "config.toml"
        config.write_text(re.sub(r'"https://[^"]+"', f'"{url}"', config_text))
        monkeypatch.setenv(mirror.CONFIG_ENV, str(config))
        outputs = {}
        for command in commands:
            assert command[0] == "peacetrack"
            result = runner.invoke(app, command[1:])
            assert result.exit_code == 0, (command, result.output)
            outputs[command[1]] = result.output
    assert outputs["versions"] == "1.1.0\t2026-12-01\tmirror\n1.0.0\t2026-11-27\tlocal\n"
    assert outputs["download"].strip() == str(dirs["cache"] / "1.1.0")
    assert outputs["sql"] == f"statements\n{data.find_release('1.1.0').rows['statements']}\n"
    assert "actors: 0 added, 0 removed, 1 changed" in outputs["diff"]
    assert "\n# peacetrack 1.1.0: data card\n" in (tmp_path / "card" / "DATACARD.md").read_text(encoding="utf-8")
