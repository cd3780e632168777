"""Loading releases into pandas and DuckDB; downloading them from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import shlex
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import peacetrack
from peacetrack import data
from peacetrack.cli import app
from peacetrack.index import FileEntry, ReleaseEntry
from peacetrack.release import sorted_frame
from peacetrack.tables import TABLES, pandas_dtype

from .conftest import ROOT
from .release_fixture import seed_frames, write_release

README = ROOT / "README.md"
SERVER_LIFETIME_SECONDS = 30
CLOSED_PORT_URL = "http://127.0.0.1:9/"


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An empty data folder and cache, made current through the environment.

    The mirror defaults to a closed local port, so no test can reach the real network.
    """
    paths = {"data": tmp_path / "data", "cache": tmp_path / "cache"}
    paths["data"].mkdir()
    monkeypatch.setenv(data.DATA_DIR_ENV, str(paths["data"]))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(paths["cache"]))
    monkeypatch.setenv(data.BASE_URL_ENV, CLOSED_PORT_URL)
    monkeypatch.setenv(data.CONFIG_ENV, str(tmp_path / "no-config.toml"))
    monkeypatch.delenv(data.REMOTE_ENV, raising=False)
    return paths


@pytest.fixture
def local_release(dirs: dict[str, Path]) -> ReleaseEntry:
    """Release 1.0.0 at hand in the data folder, as the bundled release is."""
    return write_release(dirs["data"])


@pytest.fixture
def published(tmp_path: Path, dirs: dict[str, Path]) -> Path:
    """Release 1.0.0 on a would-be mirror; the data folder holds only its index."""
    site = tmp_path / "site"
    write_release(site)
    shutil.copy(site / "index.json", dirs["data"] / "index.json")
    return site / "releases"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class CutHandler(QuietHandler):
    """Promises the whole file in Content-Length, sends half, and hangs up."""

    def do_GET(self) -> None:
        body = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True


@contextmanager
def serve(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 until the block ends (or, at the latest, for 30 seconds)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    watchdog = threading.Timer(SERVER_LIFETIME_SECONDS, server.shutdown)
    watchdog.daemon = True
    thread.start()
    watchdog.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def cached_files(cache: Path) -> list[str]:
    """The files in the cache, without the lock files that keep two downloads apart."""
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and p.suffix != ".lock")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the index ------------------------------------------------------------------------------------


def test_versions_are_newest_first_by_semantic_version(dirs: dict[str, Path]) -> None:
    for version in ("1.9.0", "1.10.0", "0.2.1"):
        write_release(dirs["data"], version)
    assert peacetrack.versions() == ["1.10.0", "1.9.0", "0.2.1"]
    assert data.find_release().version == "1.10.0"


def test_unknown_version_names_the_known_ones(local_release: ReleaseEntry) -> None:
    with pytest.raises(data.DataError, match=r"no release '9\.9\.9' in the index; known releases: 1\.0\.0"):
        peacetrack.load("actors", version="9.9.9")


def test_missing_index_says_where_it_looked(dirs: dict[str, Path]) -> None:
    with pytest.raises(data.DataError, match=r"no release index at .*index\.json.*PEACETRACK_DATA_DIR"):
        peacetrack.versions()


def test_invalid_index_is_refused_with_its_path(dirs: dict[str, Path]) -> None:
    (dirs["data"] / "index.json").write_text(json.dumps({"releases": [{"version": "one"}]}))
    with pytest.raises(data.DataError, match=r"index\.json: not a valid release index"):
        peacetrack.versions()


def test_index_paths_must_stay_inside_the_release() -> None:
    with pytest.raises(ValueError, match="not a relative path"):
        FileEntry(path="../../etc/passwd", sha256="0" * 64, bytes=1)


def test_bundled_release_is_the_default_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    assert data.data_dir() == Path(peacetrack.__file__).parent / "bundled"


def test_release_url_layout_and_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data.BASE_URL_ENV, raising=False)
    assert data.release_url("1.0.0", "https://m.example/data") == "https://m.example/data/releases/1.0.0/"
    assert data.release_url("1.0.0", "https://m.example/v{version}/files") == "https://m.example/v1.0.0/files/"
    monkeypatch.setenv(data.BASE_URL_ENV, "https://env.example/")
    assert data.release_url("2.0.0") == "https://env.example/releases/2.0.0/"
    monkeypatch.delenv("PEACETRACK_BASE_URL")
    with pytest.raises(data.DataError, match="no mirror is set"):
        data.release_url("2.0.0")


# --- pandas -----------------------------------------------------------------------------------------


def test_load_gives_the_documented_dtypes_and_the_released_rows(local_release: ReleaseEntry) -> None:
    statements = peacetrack.load("statements")
    table = TABLES["statements"]
    assert list(statements.columns) == [c.name for c in table.columns]
    for column in table.columns:
        assert statements[column.name].dtype == pandas_dtype(column), column.name
    assert list(statements["topic"].cat.categories) == list(table.column("topic").enum or ())
    assert isinstance(statements["date_start"].dropna().iloc[0], datetime.date)
    pd.testing.assert_frame_equal(statements, sorted_frame(table, seed_frames()["statements"]))


def test_list_columns_load_as_lists(local_release: ReleaseEntry) -> None:
    rounds = peacetrack.load("negotiation_rounds")
    assert rounds["parties"].iloc[0] == ["arm", "aze"]
    assert rounds["round_number"].dtype == pd.Int64Dtype()


def test_load_all_gives_every_table_with_the_index_row_counts(local_release: ReleaseEntry) -> None:
    frames = peacetrack.load_all()
    assert list(frames) == list(TABLES)
    assert {name: len(frame) for name, frame in frames.items()} == local_release.rows


def test_unknown_table_names_the_tables(local_release: ReleaseEntry) -> None:
    with pytest.raises(data.DataError, match=r"no table 'speeches'; the tables are: sources, actors"):
        peacetrack.load("speeches")


def test_release_of_another_major_schema_is_refused(dirs: dict[str, Path]) -> None:
    write_release(dirs["data"])
    index = json.loads((dirs["data"] / "index.json").read_text())
    index["releases"][0]["schema_version"] = "2.0.0"
    (dirs["data"] / "index.json").write_text(json.dumps(index))
    with pytest.raises(data.DataError, match=r"uses schema 2\.0\.0; this peacetrack reads schema 1\."):
        peacetrack.load("actors")


# --- DuckDB -----------------------------------------------------------------------------------------


def test_connect_answers_a_join_with_the_published_types_and_comments(local_release: ReleaseEntry) -> None:
    db = peacetrack.connect()
    speakers = db.execute(
        "SELECT a.name, count(*) FROM statements s JOIN actors a ON a.actor_id = s.speaker_id GROUP BY a.name"
    ).fetchall()
    assert speakers == [("Ilham Aliyev", local_release.rows["statements"])]
    for name, rows in local_release.rows.items():
        assert db.execute(f"SELECT count(*) FROM {name}").fetchone() == (rows,)
    assert db.execute("SELECT typeof(kind) FROM statements LIMIT 1").fetchone()[0].startswith("ENUM(")
    comment = db.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'actors' AND column_name = 'parent_id'"
    ).fetchone()
    assert comment == (TABLES["actors"].column("parent_id").description,)


def test_connect_loads_children_sorted_before_their_parents(local_release: ReleaseEntry) -> None:
    # `us-air-force` sorts before its parent `usa`: a single INSERT would break the foreign key.
    db = peacetrack.connect()
    assert db.execute("SELECT parent_id FROM actors WHERE actor_id = 'us-air-force'").fetchone() == ("usa",)


def test_connect_refuses_actors_whose_parent_never_loads(dirs: dict[str, Path]) -> None:
    frames = dict(seed_frames())
    actors = frames["actors"].copy()
    actors.loc[actors["actor_id"] == "usa", "parent_id"] = "us-air-force"  # a cycle
    frames["actors"] = actors
    write_release(dirs["data"], frames=frames)
    with pytest.raises(data.DataError, match=r"actors\.parquet: 2 row\(s\) of actors point at rows that never load"):
        peacetrack.connect()


# --- downloads ---------------------------------------------------------------------------------------


def test_download_then_load_from_the_cache_with_the_server_gone(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(published.parent) as url:
        folder = peacetrack.download(base_url=url)
    assert folder == dirs["cache"] / "1.0.0"
    release = data.find_release()
    assert cached_files(dirs["cache"]) == sorted(f"1.0.0/{f.path}" for f in release.files)
    for entry in release.files:
        assert sha256(folder / entry.path) == entry.sha256
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("the network was used"))
    assert len(peacetrack.load("statements")) == release.rows["statements"]
    assert peacetrack.release_path() == folder
    monkeypatch.delenv(data.BASE_URL_ENV)  # with every file cached, no mirror is needed at all
    assert len(peacetrack.load("actors")) == release.rows["actors"]
    assert peacetrack.release_path() == folder


def test_load_downloads_only_the_table_it_needs(published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(published.parent) as url:
        monkeypatch.setenv(data.BASE_URL_ENV, url + "releases/{version}")
        actors = peacetrack.load("actors")
    assert len(actors) == data.find_release().rows["actors"]
    assert cached_files(dirs["cache"]) == ["1.0.0/actors.parquet"]


def test_tampered_file_is_refused_and_not_kept(published: Path, dirs: dict[str, Path]) -> None:
    target = published / "1.0.0" / "statements.parquet"
    target.write_bytes(target.read_bytes()[:-1] + b"\x00")
    with serve(published.parent) as url, pytest.raises(data.DataError) as caught:
        peacetrack.download(base_url=url)
    message = str(caught.value)
    assert f"{url}releases/1.0.0/statements.parquet" in message
    assert "hash" in message
    assert "statements.parquet" not in " ".join(cached_files(dirs["cache"]))
    assert all(not name.split("/")[-1].startswith("tmp") for name in cached_files(dirs["cache"]))


def test_tampered_cached_file_is_not_loaded(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent) as url:
        folder = peacetrack.download(base_url=url)
    (folder / "actors.parquet").write_bytes(b"not the published bytes")
    with pytest.raises(data.DataError, match=r"could not download .*1\.0\.0/actors\.parquet"):
        peacetrack.load("actors")  # the server is gone: the cache is not trusted blindly


def test_missing_file_is_a_clear_error_leaving_nothing(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (published / "1.0.0" / "evidence.parquet").unlink()
    with serve(published.parent) as url, pytest.raises(data.DataError) as caught:
        monkeypatch.setenv(data.BASE_URL_ENV, url)
        peacetrack.load("evidence", version="1.0.0")
    assert f"could not download {url}releases/1.0.0/evidence.parquet: 404" in str(caught.value)
    assert cached_files(dirs["cache"]) == []


def test_connection_cut_mid_file_is_a_clear_error_leaving_nothing(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent, CutHandler) as url, pytest.raises(data.DataError) as caught:
        peacetrack.download(base_url=url)
    assert re.search(rf"could not download {re.escape(url)}releases/1\.0\.0/\S+: .*(IncompleteRead|Connection broken)", str(caught.value))
    assert cached_files(dirs["cache"]) == []


def test_unreachable_mirror_names_the_url(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent) as url:
        pass  # the port is closed again
    with pytest.raises(data.DataError, match=rf"could not download {re.escape(url)}releases/1\.0\.0/"):
        peacetrack.download(base_url=url)


def test_large_files_get_a_progress_bar(published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    bars: list[data.RichDownloadBar] = []
    monkeypatch.setattr(data, "PROGRESS_BAR_BYTES", 2_000)
    monkeypatch.setattr(data.RichDownloadBar, "close", lambda self: bars.append(self) or self._progress.stop())
    with serve(published.parent) as url:
        folder = peacetrack.download(base_url=url)
    large = [f for f in data.find_release().files if f.bytes >= 2_000]
    assert large and len(bars) >= len(large)
    assert {bar.total for bar in bars} >= {f.bytes for f in large}
    assert all(sha256(folder / f.path) == f.sha256 for f in large)


# --- no network ---------------------------------------------------------------------------------------


def test_local_release_needs_no_network(local_release: dict, no_network: None) -> None:
    assert len(peacetrack.load("statements")) == local_release.rows["statements"]
    assert peacetrack.connect().execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)
    assert peacetrack.release_path() == data.data_dir() / "releases" / "1.0.0"


def test_without_network_a_missing_release_is_a_clear_error(published: Path, no_network: None) -> None:
    with pytest.raises(data.DataError, match=r"could not download http://127\.0\.0\.1:9/releases/1\.0\.0/.*network disabled"):
        peacetrack.download()


# --- the CLI -------------------------------------------------------------------------------------------


runner = CliRunner()


def test_cli_info_lists_tables_rows_and_descriptions(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "peacetrack release 1.0.0 (2026-11-27), schema 1.0.0" in result.output
    for name, rows in local_release.rows.items():
        assert f"{name}: {rows} rows" in result.output
    assert "Canonical English name." in result.output


def test_cli_sql_formats(local_release: ReleaseEntry) -> None:
    query = "SELECT actor_id, aliases, parent_id FROM actors WHERE actor_id IN ('arm', 'western-powers') ORDER BY actor_id"
    csv_out = runner.invoke(app, ["sql", query, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.output == "actor_id,aliases,parent_id\narm,Armenia,\nwestern-powers,Western powers;Western countries,\n"
    json_out = runner.invoke(app, ["sql", "SELECT date_start FROM statements LIMIT 1", "--format", "json"])
    assert json.loads(json_out.output) == [{"date_start": "2024-09-23"}]
    for spelling in ("--release", "-r", "--version"):  # --version: the old spelling, still understood
        table_out = runner.invoke(app, ["sql", query, spelling, "1.0.0"])
        assert table_out.exit_code == 0 and "western-powers" in table_out.output


def test_cli_sql_error_is_a_message_not_a_traceback(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", "SELECT * FROM speeches"])
    assert result.exit_code == 1
    assert "error:" in result.output and "speeches" in result.output
    assert "Traceback" not in result.output


def test_cli_download_failure_names_the_url(published: Path) -> None:
    (published / "1.0.0" / "actors.csv").unlink()
    with serve(published.parent) as url:
        result = runner.invoke(app, ["download", "1.0.0", "--base-url", url])
    assert result.exit_code == 1
    assert f"{url}releases/1.0.0/actors.csv: 404" in result.output
    assert "Traceback" not in result.output


def test_cli_download_prints_the_folder(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent) as url:
        result = runner.invoke(app, ["download", "--base-url", url])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(dirs["cache"] / "1.0.0")


# --- the README runs ------------------------------------------------------------------------------------


def readme_blocks(language: str) -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Use the data\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


def test_readme_python_examples_run(local_release: ReleaseEntry) -> None:
    pandas_example, duckdb_example = readme_blocks("python")
    namespace: dict = {}
    exec(pandas_example, namespace)
    said = namespace["said"]
    assert len(said) == local_release.rows["statements"]
    assert set(said["name"]) == {"Ilham Aliyev"}
    exec(duckdb_example, namespace)
    to_armenia = namespace["to_armenia"]
    assert to_armenia[["supplier", "transfers"]].values.tolist() == [["United States", 7], ["France", 4]]
    assert "Mistral" in list(to_armenia["items"].iloc[1])


def test_readme_shell_examples_run(local_release: ReleaseEntry) -> None:
    (block,) = readme_blocks("sh")
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert {c[:2][1] for c in commands} == {"info", "sql", "download"}
    for command in commands:
        assert command[0] == "peacetrack"
        result = runner.invoke(app, command[1:])
        assert result.exit_code == 0, result.output
        if command[1] == "sql":
            assert "Ilham Aliyev,23" in result.output
