"""Loading releases into pandas and DuckDB; downloading them from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime
import json
import re
import shlex
import shutil
import socket
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import peacetrack
from peacetrack import cli as cli_module
from peacetrack import data, mirror, report
from peacetrack.cli import app
from peacetrack.index import FileEntry, ReleaseEntry, ReleaseIndex, write_index
from peacetrack.rules import RELEASED_ROWS
from peacetrack.schema import vocabularies
from peacetrack.tablefiles import sorted_frame
from peacetrack.tables import TABLES, Kind, analysis_dtype

from .helpers import (
    ROOT,
    CutHandler,
    cached_files,
    card_without_figures,
    runner,
    seed_frames,
    serve,
    sha256,
    write_release,
)

README = ROOT / "README.md"


# --- the index ------------------------------------------------------------------------------------


def test_versions_are_newest_first_by_semantic_version(dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "write_report", card_without_figures)  # the card is not what this is about
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
    monkeypatch.delenv(mirror.BASE_URL_ENV, raising=False)
    assert mirror.release_url("1.0.0", "https://m.example/data") == "https://m.example/data/releases/1.0.0/"
    assert mirror.release_url("1.0.0", "https://m.example/v{version}/files") == "https://m.example/v1.0.0/files/"
    monkeypatch.setenv(mirror.BASE_URL_ENV, "https://env.example/")
    assert mirror.release_url("2.0.0") == "https://env.example/releases/2.0.0/"
    monkeypatch.delenv("PEACETRACK_BASE_URL")
    with pytest.raises(data.DataError, match="no mirror is set"):
        mirror.release_url("2.0.0")


# --- pandas -----------------------------------------------------------------------------------------


def test_load_gives_the_documented_dtypes_and_the_released_rows(local_release: ReleaseEntry) -> None:
    statements = peacetrack.load("statements")
    table = TABLES["statements"]
    assert list(statements.columns) == [c.name for c in table.columns]
    for column in table.columns:
        assert statements[column.name].dtype == analysis_dtype(column), column.name
    assert list(statements["topic"].cat.categories) == list(table.column("topic").enum or ())
    assert statements["date_start"].dtype == "datetime64[s]"
    expected = sorted_frame(table, seed_frames()["statements"])
    expected = expected.astype({c.name: analysis_dtype(c) for c in table.columns})
    pd.testing.assert_frame_equal(statements, expected)


def test_load_answers_what_analysts_write(local_release: ReleaseEntry, recwarn: pytest.WarningsRecorder) -> None:
    """Filters on dates by string and Timestamp, `.dt`, groupby on enums, merges on ids."""
    statements, actors = peacetrack.load("statements"), peacetrack.load("actors")
    rows = len(statements)
    assert len(statements[statements.date_start >= "2020-01-01"]) == rows
    assert statements[statements.date_start >= pd.Timestamp("2999-01-01")].empty
    assert (statements.date_start.dt.year >= 2020).all()
    assert statements.groupby("kind").size().sum() == rows  # observed values only
    every_kind = statements.groupby("kind", observed=False).size()
    assert list(every_kind.index) == list(TABLES["statements"].column("kind").enum or ())
    said = statements.merge(actors, left_on="speaker_id", right_on="actor_id")
    assert len(said) == rows and set(said["name"]) == {"Ilham Aliyev"}
    mine = pd.DataFrame({"kind": ["direct_quote"], "label": ["quoted"]})  # an analyst's own strings
    assert set(statements.merge(mine, on="kind")["label"]) == {"quoted"}
    rounds = peacetrack.load("negotiation_rounds")
    same_enum = statements.merge(rounds, on="date_precision")
    assert isinstance(same_enum["date_precision"].dtype, pd.CategoricalDtype)
    assert isinstance(pd.concat([statements, statements])["kind"].dtype, pd.CategoricalDtype)
    assert not [w for w in recwarn if issubclass(w.category, (FutureWarning, DeprecationWarning))]


def test_load_keeps_dates_outside_the_nanosecond_range(dirs: dict[str, Path]) -> None:
    frames = dict(seed_frames())
    statements = frames["statements"].copy()
    day = datetime.date(1648, 10, 24)
    statements.loc[statements.index[0], ["date_edtf", "date_start", "date_end", "date_precision"]] = [
        day.isoformat(),
        day,
        day,
        "day",
    ]
    frames["statements"] = statements
    write_release(dirs["data"], frames=frames)
    loaded = peacetrack.load("statements")
    assert (loaded.date_start == pd.Timestamp("1648-10-24")).sum() == 1


def test_load_with_polars_gives_the_contract_types(local_release: ReleaseEntry) -> None:
    pl = pytest.importorskip("polars")
    frames = peacetrack.load_all(backend="polars")
    statements, rounds = frames["statements"], frames["negotiation_rounds"]
    assert statements.schema["date_start"] == pl.Date
    assert statements.schema["kind"] == pl.Enum(list(TABLES["statements"].column("kind").enum or ()))
    assert rounds.schema["parties"] == pl.List(pl.String)
    assert rounds.schema["round_number"] == pl.Int64
    assert {name: frame.height for name, frame in frames.items()} == local_release.rows
    pandas_rows = peacetrack.load("statements").sort_values("statement_id")["statement_id"].tolist()
    assert statements.sort("statement_id")["statement_id"].to_list() == pandas_rows


def test_polars_refuses_a_value_outside_its_enum_without_quoting_it(local_release: ReleaseEntry) -> None:
    pytest.importorskip("polars")
    statements = pa.Table.from_pandas(peacetrack.load("statements").astype({"kind": "string"}), preserve_index=False)
    statements = statements.set_column(
        statements.column_names.index("kind"), "kind", pa.array(["\x1b[2Jnope"] * len(statements))
    )
    with pytest.raises(data.DataError, match=r"^statements: an enum column holds a value it does not allow") as error:
        data._polars_frame(TABLES["statements"], statements, local_release.schema_version)
    assert "nope" not in str(error.value)


def test_unknown_backend_names_the_backends(local_release: ReleaseEntry) -> None:
    with pytest.raises(data.DataError, match=r"no backend 'spark'; the backends are: pandas, polars"):
        peacetrack.load("actors", backend="spark")  # type: ignore[arg-type]


def test_polars_reads_the_released_parquet_in_the_contract_types(
    local_release: ReleaseEntry, dirs: dict[str, Path]
) -> None:
    """A user reading the files with polars alone, without peacetrack."""
    pl = pytest.importorskip("polars")
    folder = dirs["data"] / "releases" / local_release.version
    expected = {Kind.date: pl.Date, Kind.integer: pl.Int64, Kind.boolean: pl.Boolean}
    for name, table in TABLES.items():
        schema = pl.read_parquet(folder / f"{name}.parquet").schema
        for column in table.columns:
            base = expected.get(column.kind, pl.String)
            assert schema[column.name] == (pl.List(base) if column.is_list else base), (name, column.name)


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
        peacetrack.connect(strict=True)


def test_connect_gives_what_the_full_ddl_gives_without_checking_keys_again(local_release: ReleaseEntry) -> None:
    """Names, column types (enums included), rows and comments as `strict=True` makes them;
    only the constraints, already checked when the release was cut, are left undeclared."""
    fast, strict = peacetrack.connect(), peacetrack.connect(strict=True)

    def seen(db: Any) -> dict[str, Any]:
        relations = (
            "SELECT table_name, comment FROM duckdb_tables() "
            "UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
        )
        columns = "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() ORDER BY ALL"
        rows = {name: db.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in TABLES}
        types = db.execute("SELECT type_name FROM duckdb_types() WHERE NOT internal ORDER BY ALL").fetchall()
        return {
            "relations": db.execute(relations).fetchall(),
            "columns": db.execute(columns).fetchall(),
            "rows": rows,
            "types": types,
        }

    assert seen(fast) == seen(strict)
    assert fast.execute("SELECT typeof(kind) FROM statements LIMIT 1").fetchone() == (
        strict.execute("SELECT typeof(kind) FROM statements LIMIT 1").fetchone()
    )
    assert fast.execute("SELECT count(*) FROM duckdb_constraints()").fetchone() == (0,)


def test_connect_makes_read_only_views_and_strict_makes_tables(local_release: ReleaseEntry) -> None:
    """By default the rows stay in the verified files, read at query time, not copied in."""
    views = "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name"
    fast = peacetrack.connect()
    assert fast.execute(views).fetchall() == sorted((name,) for name in TABLES)
    assert fast.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    with pytest.raises(duckdb.Error):
        fast.execute("DELETE FROM actors")
    strict = peacetrack.connect(strict=True)
    assert strict.execute(views).fetchall() == []
    strict.execute("DELETE FROM evidence")
    assert strict.execute("SELECT count(*) FROM evidence").fetchone() == (0,)


def test_locked_connect_makes_the_same_views_and_copies_nothing(local_release: ReleaseEntry) -> None:
    """`allow_files=False` (`peacetrack sql`): views read through Arrow, not tables the rows are
    copied into; each with the same enum types, comments and rows as the open connection's."""
    open_, locked = peacetrack.connect(), peacetrack.connect(allow_files=False)
    views = "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
    columns = "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() ORDER BY ALL"
    assert locked.execute(views).fetchall() == open_.execute(views).fetchall()
    assert [name for name, _ in locked.execute(views).fetchall()] == sorted(TABLES)
    assert locked.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    assert locked.execute(columns).fetchall() == open_.execute(columns).fetchall()
    assert locked.execute("SELECT typeof(kind) FROM statements LIMIT 1").fetchone()[0].startswith("ENUM(")
    for name in TABLES:
        query = f"SELECT * FROM {name} ORDER BY ALL"
        assert locked.execute(query).fetchall() == open_.execute(query).fetchall()
    with pytest.raises(duckdb.Error):
        locked.execute("DELETE FROM actors")


def test_connect_trusts_a_verified_release_and_strict_checks_it(
    local_release: ReleaseEntry, dirs: dict[str, Path]
) -> None:
    """A row the release's keys refuse, in a file whose hash the index publishes: the views read it
    as published (a release is checked when it is cut); `strict=True` checks it again and refuses."""
    path = dirs["data"] / "releases" / local_release.version / "statements.parquet"
    rows = pq.read_table(path)
    speakers = rows.column("speaker_id").to_pylist()
    speakers[0] = "nobody-known"
    pq.write_table(rows.set_column(rows.schema.get_field_index("speaker_id"), "speaker_id", pa.array(speakers)), path)
    files = tuple(
        FileEntry(path=f.path, sha256=sha256(path), bytes=path.stat().st_size) if f.path == path.name else f
        for f in local_release.files
    )
    write_index(dirs["data"], ReleaseIndex(releases=(local_release.model_copy(update={"files": files}),)))
    query = "SELECT count(*) FROM statements WHERE speaker_id = 'nobody-known'"
    assert peacetrack.connect().execute(query).fetchone() == (1,)
    assert peacetrack.connect(allow_files=False).execute(query).fetchone() == (1,)
    with pytest.raises(data.DataError, match=r"statements\.parquet: cannot load into DuckDB table statements"):
        peacetrack.connect(strict=True)


def test_connect_reads_a_release_in_a_folder_whose_name_holds_a_quote(
    dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The view's path is an SQL string literal: a `'` in it must not end the string."""
    folder = dirs["data"].parent / "it's here'); SELECT ('"
    dirs["data"].rename(folder)
    monkeypatch.setenv(data.DATA_DIR_ENV, str(folder))
    release = write_release(folder)
    db = peacetrack.connect()
    assert db.execute("SELECT count(*) FROM actors").fetchone() == (release.rows["actors"],)


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
    monkeypatch.delenv(mirror.BASE_URL_ENV)  # with every file cached, no mirror is needed at all
    assert len(peacetrack.load("actors")) == release.rows["actors"]
    assert peacetrack.release_path() == folder


def test_load_downloads_only_the_table_it_needs(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(published.parent) as url:
        monkeypatch.setenv(mirror.BASE_URL_ENV, url + "releases/{version}")
        actors = peacetrack.load("actors")
    assert len(actors) == data.find_release().rows["actors"]
    assert cached_files(dirs["cache"]) == ["1.0.0/actors.parquet", "1.0.0/datapackage.json"]  # and its schema


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
        monkeypatch.setenv(mirror.BASE_URL_ENV, url)
        peacetrack.load("evidence", version="1.0.0")
    assert f"could not download {url}releases/1.0.0/evidence.parquet: 404" in str(caught.value)
    assert cached_files(dirs["cache"]) == ["1.0.0/datapackage.json"]  # the schema, verified; nothing of the table


def test_connection_cut_mid_file_is_a_clear_error_leaving_nothing(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent, CutHandler) as url, pytest.raises(data.DataError) as caught:
        peacetrack.download(base_url=url)
    assert re.search(
        rf"could not download {re.escape(url)}releases/1\.0\.0/\S+: .*(IncompleteRead|Connection broken)",
        str(caught.value),
    )
    assert cached_files(dirs["cache"]) == []


def test_unreachable_mirror_names_the_url(published: Path, dirs: dict[str, Path]) -> None:
    with serve(published.parent) as url:
        pass  # the port is closed again
    with pytest.raises(data.DataError, match=rf"could not download {re.escape(url)}releases/1\.0\.0/"):
        peacetrack.download(base_url=url)


def test_large_files_get_a_progress_bar(
    published: Path, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    bars: list[mirror.RichDownloadBar] = []
    monkeypatch.setattr(mirror, "PROGRESS_BAR_BYTES", 2_000)
    monkeypatch.setattr(mirror.RichDownloadBar, "close", lambda self: bars.append(self) or self._progress.stop())
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
    with pytest.raises(
        data.DataError, match=r"could not download http://127\.0\.0\.1:9/releases/1\.0\.0/.*network disabled"
    ):
        peacetrack.download()


# --- the CLI -------------------------------------------------------------------------------------------


def test_cli_info_lists_tables_rows_and_descriptions(local_release: ReleaseEntry) -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "peacetrack release 1.0.0 (2026-11-27), schema 2.0.0" in result.output  # the fixture cuts the build
    for name, rows in local_release.rows.items():
        assert f"{name}: {rows} rows" in result.output
    assert "Canonical English name." in result.output


def test_cli_sql_formats(local_release: ReleaseEntry) -> None:
    query = (
        "SELECT actor_id, aliases, parent_id FROM actors WHERE actor_id IN ('arm', 'western-powers') ORDER BY actor_id"
    )
    csv_out = runner.invoke(app, ["sql", query, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    assert (
        csv_out.output == "actor_id,aliases,parent_id\narm,Armenia,\nwestern-powers,Western powers;Western countries,\n"
    )
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


def test_cli_sql_json_refuses_two_columns_of_one_name(local_release: ReleaseEntry) -> None:
    """A JSON object keeps one value per name: a join's two `actor_id`s would lose one unsaid."""
    query = "SELECT a.actor_id, b.actor_id FROM actors a JOIN actors b ON a.parent_id = b.actor_id"
    result = runner.invoke(app, ["sql", query, "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "more than one column named 'actor_id'" in result.output and "AS" in result.output


@pytest.mark.parametrize("query", ["", "  ", "/* nothing */"])
def test_cli_sql_of_no_statement_is_a_message_not_a_traceback(local_release: ReleaseEntry, query: str) -> None:
    result = runner.invoke(app, ["sql", query])
    assert result.exit_code == 1
    assert "no SQL statement" in result.output and "Traceback" not in result.output


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


def test_cli_download_prints_a_long_folder_on_one_line(
    local_release: ReleaseEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scripts read the folder (`$(peacetrack download)`): never wrapped at the terminal's width."""
    deep = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 8, "data")
    shutil.copytree(tmp_path / "data", deep)
    monkeypatch.setenv(data.DATA_DIR_ENV, str(deep))
    monkeypatch.setenv("COLUMNS", "40")
    result = runner.invoke(app, ["download"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{deep / 'releases' / '1.0.0'}\n"


# --- the README runs ------------------------------------------------------------------------------------


def readme_blocks(language: str, heading: str = "Use the data") -> list[str]:
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
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


def test_readme_validate_from_python_runs(
    dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's `peacetrack.validate` example gives the command's exit code and faults."""
    write_release(dirs["data"], version="2.0.0")  # the release the example names, at hand
    (example,) = readme_blocks("python", "Validate contributed rows")
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(example, namespace)
    report = namespace["report"]
    assert (report.exit_code, namespace["errors"]) == (0, [])
    # Every row of the seed is released: one warning says how many, in both.
    assert report.rows == 106 and report.totals == {("warning", "released_row"): 1}
    assert [f.message for f in report.faults] == [RELEASED_ROWS.says(count="106")]
    command = ["validate", "seeds/aliyev-milli-majlis-2024-09-23/coding.yaml", "--against", "2.0.0", "--format", "json"]
    result = runner.invoke(app, command)
    assert result.exit_code == report.exit_code
    said = json.loads(result.output)
    assert (said["rows"], said["totals"]) == (106, {"errors": {}, "warnings": {"released_row": 1}})


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


def test_cli_info_says_what_each_value_of_every_vocabulary_means(
    local_release: ReleaseEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module._out(), "width", 300)  # one line a value, however long its definition
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for enum_name, definitions in vocabularies().items():
        assert enum_name in [line.strip() for line in lines], enum_name
        for value, definition in definitions.items():
            assert any(value in line and definition in line for line in lines), (enum_name, value)
    assert "A source the report does not name" in result.output  # actor_type anonymous, new in 2.0.0
