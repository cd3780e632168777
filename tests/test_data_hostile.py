"""Reading releases as an attacker would feed them: hostile cells and column names, changed
local files, mirrors that send too much, stall or are given with secrets, and SQL that reaches
for the machine."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import filelock
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import peacetrack
from peacetrack import data, mirror
from peacetrack.cli import app
from peacetrack.diff import diff_releases
from peacetrack.errors import ReleaseError
from peacetrack.index import ReleaseEntry, read_index
from peacetrack.validator.against import _release_path as validator_release_path

from .helpers import CutHandler, QuietHandler, cached_files, runner, serve

WAIT_SECONDS = 60


def squeezed(text: str) -> str:
    """`text` without white space: rich wraps long lines where it likes."""
    return "".join(text.split())


# --- item 4: diff and sql run only what the user asked ---------------------------------------------------


def with_column(path: Path, name: str, values: list[object]) -> None:
    table = pq.read_table(path)
    pq.write_table(table.append_column(name, pa.array(values)), path)


@pytest.mark.parametrize(
    "hostile",
    ['a"b', 'x" IS DISTINCT FROM b."x" OR true OR a."x', "name\" FROM read_csv('/etc/passwd') --"],
)
def test_diff_reads_a_hostile_column_name_as_a_name(
    tmp_path: Path, local_release: ReleaseEntry, dirs: dict[str, Path], hostile: str
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(dirs["data"] / "releases" / "1.0.0", old)
    shutil.copytree(old, new)
    rows = local_release.rows["actors"]
    with_column(old / "actors.parquet", hostile, ["same"] * rows)
    with_column(new / "actors.parquet", hostile, ["same"] * (rows - 1) + ["changed"])
    (actors,) = [d for d in diff_releases(old, new) if d.table == "actors"]
    last = pq.read_table(new / "actors.parquet").column("actor_id")[rows - 1].as_py()
    assert (actors.added, actors.removed, actors.changed) == ([], [], {last: [hostile]})


def test_diff_shows_terminal_escapes_from_a_folder_escaped(
    tmp_path: Path, local_release: ReleaseEntry, dirs: dict[str, Path]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(dirs["data"] / "releases" / "1.0.0", old)
    shutil.copytree(old, new)
    rows = local_release.rows["actors"]
    hostile = "x\x1b]0;owned\x07y"
    with_column(old / "actors.parquet", hostile, ["same"] * rows)
    with_column(new / "actors.parquet", hostile, ["same"] * (rows - 1) + ["changed"])
    result = runner.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"x\x1b]0;owned\x07y" in result.output


def test_sql_prints_cells_and_headers_as_plain_text(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", """SELECT '[sic] [bold]x[/bold] [/italic]' AS "[red]head[/red]" """])
    assert result.exit_code == 0, result.output
    assert "[sic] [bold]x[/bold] [/italic]" in result.output
    assert "[red]head[/red]" in result.output


def test_sql_shows_terminal_escapes_escaped(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", "SELECT 'a' || chr(27) || ']0;owned' || chr(7) || 'b' AS c"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"a\x1b]0;owned\x07b" in result.output


def test_sql_errors_show_terminal_escapes_escaped(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["sql", 'SELECT * FROM "x\x1b[2Jy"'])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and r"x\x1b[2Jy" in result.output


def test_download_labels_are_plain_text() -> None:
    bar = mirror.RichDownloadBar("1.0.0/[/bold]\x1b[2J.csv")  # a file name from the index
    bar.total = 10
    bar.update(10)
    bar.close()
    assert bar.total == 10


def test_info_prints_descriptions_as_plain_text(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "text[char_start:char_end]" in squeezed(result.output)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "COPY (SELECT 1) TO '{out}'",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
    ],
)
def test_sql_sees_only_the_release(local_release: ReleaseEntry, tmp_path: Path, query: str) -> None:
    out = tmp_path / "written"
    result = runner.invoke(app, ["sql", query.format(out=out)])
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and "--allow-files" in result.output
    assert "Traceback" not in result.output and "root:" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "query",
    ["COPY (SELECT 1) TO '.tmp/written'", "SELECT * FROM glob('.tmp/*')", "SELECT * FROM read_text('.tmp/mine')"],
)
def test_sql_cannot_use_duckdbs_temporary_folder(
    local_release: ReleaseEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """DuckDB lets a locked connection use its temporary folder (`.tmp` in the current folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "mine").write_text("not the release's")
    result = runner.invoke(app, ["sql", query])
    assert result.exit_code == 1, result.output
    assert "--allow-files" in result.output and "not the release's" not in result.output
    assert not (tmp_path / ".tmp" / "written").exists()


def test_sql_with_allow_files_reads_a_file(local_release: ReleaseEntry, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("actor_id,score\narm,1\naze,2\n")
    query = f"SELECT a.name, m.score FROM read_csv('{mine}') m JOIN actors a USING (actor_id) ORDER BY m.score"
    result = runner.invoke(app, ["sql", query, "--format", "csv", "--allow-files"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["Armenia,1", "Azerbaijan,2"]


def test_connect_joins_files_unless_locked(local_release: ReleaseEntry, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("actor_id\narm\n")
    query = f"SELECT count(*) FROM read_csv('{mine}') JOIN actors USING (actor_id)"
    assert peacetrack.connect().execute(query).fetchone() == (1,)
    locked = peacetrack.connect(allow_files=False)
    assert locked.execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)
    with pytest.raises(duckdb.PermissionException):
        locked.execute(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_parquet('{folder}/actors.parquet')",
        "SELECT * FROM read_csv('{folder}/actors.csv')",
        "SELECT * FROM read_text('{folder}/datapackage.json')",
        "COPY (SELECT 1 AS a) TO '{folder}/actors.parquet' (USE_TMP_FILE false)",
        "COPY (SELECT 1 AS a) TO '{folder}/actors.csv' (FORMAT csv, USE_TMP_FILE false)",
    ],
)
def test_locked_connect_can_neither_read_nor_write_the_releases_own_files(
    local_release: ReleaseEntry, dirs: dict[str, Path], query: str
) -> None:
    """The release's tables are queried by name only; DuckDB's `allowed_paths`, which would let
    views read their files under the lock, would let this query overwrite them too."""
    folder = dirs["data"] / "releases" / local_release.version
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    locked = peacetrack.connect(allow_files=False)
    with pytest.raises(duckdb.PermissionException):
        locked.execute(query.format(folder=str(folder).replace("'", "''")))
    assert locked.execute("SELECT count(*) FROM actors").fetchone() == (local_release.rows["actors"],)
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()} == before


# --- item 6: a local file is served only if it is the published one -------------------------------------------


def flip_a_byte(path: Path) -> None:
    """Put a copy of the same size with one byte changed in place of `path`: what a size check cannot see."""
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    copy = path.with_name("copy")
    copy.write_bytes(bytes(content))
    copy.replace(path)


READERS: dict[str, Callable[[], object]] = {
    "load": lambda: peacetrack.load("actors"),
    "load_all": lambda: peacetrack.load_all(),
    "connect": lambda: peacetrack.connect(),
    "release_path": lambda: peacetrack.release_path(),
    "download": lambda: peacetrack.download(),
    "validator": lambda: validator_release_path(None),
}


@pytest.mark.parametrize("reader", READERS)
def test_a_changed_local_file_is_refused(local_release: ReleaseEntry, dirs: dict[str, Path], reader: str) -> None:
    actors = dirs["data"] / "releases" / "1.0.0" / "actors.parquet"
    flip_a_byte(actors)
    with pytest.raises(data.DataError, match=rf"{actors}: not the file published as release 1\.0\.0"):
        READERS[reader]()


def test_a_local_file_is_hashed_once_per_state(
    local_release: ReleaseEntry, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    file_digest = hashlib.file_digest
    monkeypatch.setattr(hashlib, "file_digest", lambda file, name: hashed.append(file.name) or file_digest(file, name))
    actors = dirs["data"] / "releases" / "1.0.0" / "actors.parquet"
    peacetrack.load("actors")
    peacetrack.load("actors")
    descriptor = actors.parent / "datapackage.json"
    assert hashed == [str(descriptor), str(actors)]  # the schema, then the table
    flip_a_byte(actors)
    with pytest.raises(data.DataError, match="not the file published"):
        peacetrack.load("actors")
    assert hashed == [str(descriptor), str(actors), str(actors)]


def test_a_link_out_of_the_release_folder_is_refused(
    local_release: ReleaseEntry, dirs: dict[str, Path], tmp_path: Path
) -> None:
    actors = dirs["data"] / "releases" / "1.0.0" / "actors.parquet"
    outside = tmp_path / "outside.parquet"
    actors.rename(outside)
    actors.symlink_to(outside)  # the very bytes published, but not in the release folder
    with pytest.raises(data.DataError, match=rf"{actors}: not a regular file inside .*links out are never followed"):
        peacetrack.load("actors")


# --- item 12: clear errors when reading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("x" * 300 + ".csv", "not a valid release index"),
        ("x" * 300 + ".csv", "a file name over 255 bytes"),
        ("a\0b.csv", "a control character in a file name"),
        ("a\x1b[2Jb.csv", "a control character in a file name"),
    ],
)
def test_a_file_name_the_system_cannot_read_is_a_clear_error(
    local_release: ReleaseEntry, dirs: dict[str, Path], name: str, said: str
) -> None:
    index_path = dirs["data"] / "index.json"
    index = json.loads(index_path.read_text())
    index["releases"][0]["files"].append({"path": name, "sha256": "0" * 64, "bytes": 1})
    index_path.write_text(json.dumps(index))
    result = runner.invoke(app, ["download"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert squeezed(said) in squeezed(result.output)


def test_a_corrupt_cache_is_called_corrupt(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(published.parent) as url:
        folder = peacetrack.download(base_url=url)
    (folder / "actors.parquet").write_bytes(b"not the published bytes")
    monkeypatch.delenv(mirror.BASE_URL_ENV)
    with pytest.raises(data.DataError) as caught:
        peacetrack.load("actors")
    message = str(caught.value)
    assert f"{folder / 'actors.parquet'}: the cached file is corrupt" in message
    assert "peacetrack download --release 1.0.0 --base-url" in message and f"delete {folder}" in message


def test_only_releases_in_the_index_are_read(local_release: ReleaseEntry, dirs: dict[str, Path]) -> None:
    shutil.copytree(dirs["data"] / "releases" / "1.0.0", dirs["data"] / "releases" / "1.1.0")
    for reader in (lambda: peacetrack.load("actors", version="1.1.0"), lambda: peacetrack.connect("1.1.0")):
        with pytest.raises(data.DataError, match=r"no release '1\.1\.0' in the index"):
            reader()


def index_with(dirs: dict[str, Path], change: Callable[[dict], None]) -> None:
    path = dirs["data"] / "index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    change(index)
    path.write_text(json.dumps(index), encoding="utf-8")


def repeat_release(index: dict) -> None:
    index["releases"].append(dict(index["releases"][0], date="2030-01-01"))


def repeat_file(index: dict) -> None:
    files = index["releases"][0]["files"]
    files.append(dict(files[0], sha256="0" * 64))


@pytest.mark.parametrize(("change", "said"), [(repeat_release, "release '1.0.0'"), (repeat_file, "file 'DATACARD.md'")])
def test_an_index_with_two_entries_for_one_name_is_refused(
    local_release: ReleaseEntry, dirs: dict[str, Path], change: Callable[[dict], None], said: str
) -> None:
    """Two entries would publish two hashes for one file, or two releases for one folder."""
    index_with(dirs, change)
    with pytest.raises(data.DataError, match=f"more than one entry for {said}"):
        peacetrack.load("actors")
    with pytest.raises(ReleaseError, match=f"more than one entry for {said}"):
        read_index(dirs["data"])


@pytest.mark.parametrize("content", [b"TOPSECRET token=abc", b'{"releases": [{"token": "TOPSECRET"}]}'])
def test_an_invalid_index_is_not_quoted(local_release: ReleaseEntry, dirs: dict[str, Path], content: bytes) -> None:
    """An index may be any file a setting or a link points at: its errors say where, not what it holds."""
    (dirs["data"] / "index.json").write_bytes(content)
    for read, error in ((peacetrack.versions, data.DataError), (lambda: read_index(dirs["data"]), ReleaseError)):
        with pytest.raises(error, match=r"not a .*release index") as caught:
            read()
        assert "TOPSECRET" not in str(caught.value)


def test_an_index_of_only_pre_releases_says_so(local_release: ReleaseEntry, dirs: dict[str, Path]) -> None:
    index_with(dirs, lambda index: index["releases"][0].update(version="2.0.0-rc.1"))
    with pytest.raises(data.DataError, match=r"lists only pre-releases \(2\.0\.0-rc\.1\): name one as the version"):
        peacetrack.load("actors")


# --- item 11: downloads take the published bytes and nothing more ------------------------------------------


class OversizedHandler(QuietHandler):
    """Sends each file followed by 20 MB more, as a mirror gone wrong or hostile may."""

    announce = False

    def do_GET(self) -> None:
        body = Path(self.translate_path(self.path)).read_bytes()
        extra = 20_000_000
        self.send_response(200)
        if self.announce:
            self.send_header("Content-Length", str(len(body) + extra))
        self.end_headers()
        try:
            self.wfile.write(body)
            for _ in range(extra // 1_000_000):
                self.wfile.write(b"\0" * 1_000_000)
        except OSError:
            pass  # the client hung up, as it should
        self.close_connection = True


class AnnouncedOversizedHandler(OversizedHandler):
    announce = True


@pytest.mark.parametrize("handler", [OversizedHandler, AnnouncedOversizedHandler])
def test_a_reply_larger_than_published_is_refused_unwritten(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, handler: type[QuietHandler]
) -> None:
    written: list[int] = []
    remove = os.remove
    monkeypatch.setattr(os, "remove", lambda path: written.append(os.path.getsize(path)) or remove(path))
    with serve(published.parent, handler) as url, pytest.raises(data.DataError) as caught:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        peacetrack.load("actors", version="1.0.0")
    # The first file a load fetches is the release's descriptor, which says the tables' schema.
    published_size = data.find_release().file("datapackage.json").bytes
    assert f"refused {url}releases/1.0.0/datapackage.json, not kept" in str(caught.value)
    assert "published" in str(caught.value)
    assert written and max(written) <= published_size
    assert cached_files(dirs["cache"]) == []


class StallingHandler(CutHandler):
    """Sends the headers and half of a file, then nothing until the test ends."""

    release = threading.Event()

    def after_half(self) -> None:
        self.release.wait(WAIT_SECONDS)


@pytest.fixture
def stalling() -> Iterator[type[StallingHandler]]:
    StallingHandler.release.clear()
    yield StallingHandler
    StallingHandler.release.set()


def test_a_stalled_mirror_times_out(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, stalling: type[StallingHandler]
) -> None:
    monkeypatch.setenv(mirror.TIMEOUT_ENV, "0.5")
    with (
        serve(published.parent, stalling) as url,
        pytest.raises(data.DataError, match=r"could not download .*timed out"),
    ):
        peacetrack.download(base_url=url)
    assert cached_files(dirs["cache"]) == []


def test_a_bad_timeout_setting_is_a_clear_error(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(mirror.TIMEOUT_ENV, "soon")
    with pytest.raises(data.DataError, match=r"PEACETRACK_TIMEOUT must be a number of seconds above 0, not 'soon'"):
        peacetrack.download()


def test_a_killed_download_is_cleaned_by_the_next_one_and_never_during_it(
    published: Path, dirs: dict[str, Path], stalling: type[StallingHandler]
) -> None:
    folder = dirs["cache"] / "1.0.0"
    with serve(published.parent, stalling) as url:
        killed = subprocess.Popen(
            [sys.executable, "-c", f"import peacetrack; peacetrack.download(base_url={url!r})"], env=dict(os.environ)
        )
        try:
            deadline = time.monotonic() + WAIT_SECONDS
            while not list(folder.glob("tmp*")) and killed.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert list(folder.glob("tmp*")), "the download never started"
            with pytest.raises(filelock.Timeout):  # a download under way holds the cache folder
                filelock.FileLock(folder.with_name("1.0.0.lock")).acquire(timeout=0)
        finally:
            killed.send_signal(signal.SIGKILL)
            killed.wait()
    assert list(folder.glob("tmp*"))  # what SIGKILL leaves behind
    with serve(published.parent) as url:
        peacetrack.download(base_url=url)
    release = data.find_release()
    assert cached_files(dirs["cache"]) == sorted(f"1.0.0/{f.path}" for f in release.files)


@pytest.mark.parametrize("password", ["pa/ss", "p?w", "p#w", "p@w", "p%2Fw"])
def test_a_password_with_url_characters_is_hidden(password: str) -> None:
    """A password pasted unescaped, as requests then reports the address in its errors."""
    url = f"https://reader:{password}@mirror.example:9/1.0.0/a.csv"
    for message in (f"could not download {url}: refused", f"No connection adapters were found for '{url}'"):
        shown = mirror.redact(message)
        assert "https://***@mirror.example:9/1.0.0/a.csv" in shown, shown


SECRET_URLS = [
    "http://reader:s3cret-pw@127.0.0.1:{port}/",
    "http://127.0.0.1:{port}/releases/{{version}}/?token=s3cret-token&x=1",
]


@pytest.mark.parametrize("mirror", SECRET_URLS)
@pytest.mark.parametrize("case", ["served", "missing file", "closed port"])
def test_credentials_in_a_mirror_address_are_never_printed(
    published: Path, dirs: dict[str, Path], mirror: str, case: str
) -> None:
    if case == "missing file":
        (published / "1.0.0" / "actors.csv").unlink()
    with serve(published.parent) as url:
        port = url.rstrip("/").rsplit(":", 1)[1]
        if case == "closed port":
            port = "9"
        base_url = mirror.format(port=port)
        result = subprocess.run(
            [sys.executable, "-m", "peacetrack.cli", "download", "--base-url", base_url],
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
        )
    said = result.stdout + result.stderr
    assert "s3cret" not in said
    assert "Traceback" not in said
    if case == "served" and "token" not in mirror:
        assert result.returncode == 0, said
    else:
        assert result.returncode == 1 and "error:" in said and "***" in said
