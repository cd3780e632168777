"""The command line: one small function per verb over the library, no logic of its own."""

from __future__ import annotations

import csv
import gc
import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, NoReturn

# The libraries below make about a million objects as they load, and no garbage: the collector,
# walking them again and again, would take a fifth of the start. It is off while they load;
# then they are frozen, out of its way, and it is as it was.
_collecting = gc.isenabled()
gc.disable()
try:
    import typer
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    from peacetrack import release as releases
    from peacetrack.terminal import printable
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

# Each command imports the rest of what it needs when it runs: `peacetrack validate` should
# not wait for duckdb, pooch and requests to load.

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Build, check, release and load the peacetrack dataset.",
)
out_console = Console()
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_version(value: bool) -> None:
    if value:
        from peacetrack import __version__

        out_console.print(f"peacetrack {__version__}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=print_version, is_eager=True, help="Print the toolkit's version and exit."),
    ] = False,
) -> None:
    """peacetrack: the Armenia–Azerbaijan peace-process dataset and its toolkit."""


SeedsOption = Annotated[Path, typer.Option("--seeds", help="Folder of coded sources, one sub-folder each.")]


@app.command()
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables into.")] = Path("datasets/build"),
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Build every table from the seeds; write Parquet and CSV only when all is valid."""
    from peacetrack.coding import build_tables
    from peacetrack.release import write_build

    result = build_tables(seeds)
    for fault in result.faults:
        err_console.print(printable(fault), markup=False)  # file names come from the seeds
    if not result.ok:
        err_console.print(f"{len(result.errors)} error(s): nothing written.", markup=False)
        raise typer.Exit(1)
    try:
        write_build(result.frames, out)
    except releases.ReleaseError as error:
        _fail(error)
    summary = RichTable(title=Text(f"peacetrack build → {out}"))  # Text: a path is no markup
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for name, frame in result.frames.items():
        summary.add_row(name, str(len(frame)))
    out_console.print(summary)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="Folder of the published contract.")] = Path("schema"),
) -> None:
    """Regenerate the published contract (JSON Schema, Frictionless, DuckDB DDL)."""
    from peacetrack.schema import write_schema

    for path in write_schema(out):
        out_console.print(str(path), markup=False, soft_wrap=True)


RootOption = Annotated[Path, typer.Option("--root", help="Folder of the releases, index.json and CHANGELOG.md.")]


@app.command()
def release(
    version: Annotated[str | None, typer.Argument(help="Semantic version to cut, e.g. 1.0.0.")] = None,
    bump: Annotated[
        releases.Bump | None,
        typer.Option("--bump", help="Cut the next major, minor or patch version after the latest."),
    ] = None,
    seeds: SeedsOption = Path("seeds"),
    root: RootOption = Path("datasets"),
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Package folder to copy the latest release into.")
    ] = Path("src/peacetrack/bundled"),
    no_bundle: Annotated[bool, typer.Option("--no-bundle", help="Do not copy the release into the package.")] = False,
    clean: Annotated[
        bool,
        typer.Option(
            "--clean",
            help="Remove what interrupted releases left (staging files, release folders the index does not list), and nothing else.",
        ),
    ] = False,
) -> None:
    """Cut an immutable, checksummed release from the seeds (needs its CHANGELOG.md entry)."""
    try:
        if clean:
            if version is not None or bump is not None:
                raise releases.ReleaseError("give --clean alone, without VERSION or --bump")
            removed = releases.clean_releases(root, None if no_bundle else bundle)
            for path in removed:
                out_console.print(f"removed {path}", markup=False)
            out_console.print(f"{len(removed)} leftover(s) of interrupted releases removed", markup=False)
            return
        if (version is None) == (bump is None):
            raise releases.ReleaseError("give either VERSION or --bump major|minor|patch (or --clean alone)")
        if bump is not None:
            latest = releases.read_index(root).latest()
            version = releases.bump_version(latest.version if latest else None, bump)
        assert version is not None
        if not no_bundle and bundle is not None:
            releases.check_bundle(root, bundle)
        entry = releases.cut_release(version, seeds, root)
    except releases.ReleaseError as error:
        err_console.print(f"error: {printable(error)}", markup=False)
        raise typer.Exit(1) from None
    try:
        bundled = None if no_bundle or bundle is None else releases.bundle_latest(root, bundle)
    except releases.ReleaseError as error:
        err_console.print(
            f"error: release {entry.version} is cut and registered, but not bundled: {printable(error)}", markup=False
        )
        raise typer.Exit(1) from None
    summary = RichTable(
        title=Text(
            f"peacetrack release {entry.version} ({entry.date}) → {releases.release_folder(root, entry.version)}"
        )
    )
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for name, rows in entry.rows.items():
        summary.add_row(name, str(rows))
    out_console.print(summary)
    if bundled is not None:
        out_console.print(f"bundled release {bundled.name} into {bundled.parent.parent}", markup=False)


ReleaseRootOption = Annotated[
    Path | None,
    typer.Option(
        "--root", help="Read versions from this folder's index (e.g. datasets) instead of as `load` finds them."
    ),
]
RemoteOption = Annotated[
    bool | None,
    typer.Option(
        "--remote/--no-remote", help="Let `latest` be a newer release on the mirror (default: $PEACETRACK_REMOTE)."
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Mirror: a web folder laid out like datasets/ (default: $PEACETRACK_BASE_URL, then config.toml).",
    ),
]


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Older release: a version, latest, or a folder's path.")],
    new: Annotated[str, typer.Argument(help="Newer release: a version, latest, or a folder's path.")],
    format: Annotated[Literal["text", "json"], typer.Option("--format", help="text or json.")] = "text",
    root: ReleaseRootOption = None,
    remote: RemoteOption = None,
) -> None:
    """Rows added, removed and changed per table between two releases, by primary key."""
    try:
        old_folder = releases.resolve_release(old, root, remote=remote)
        new_folder = releases.resolve_release(new, root, remote=remote)
        diffs = releases.diff_releases(old_folder, new_folder)
    except releases.ReleaseError as error:
        _fail(error)
    if format == "json":
        typer.echo(
            json.dumps({"old": old, "new": new, "tables": releases.diff_json(diffs)}, indent=2, ensure_ascii=False)
        )
    else:
        typer.echo(printable(releases.diff_text(diffs)), nl=False)  # keys and column names are data


ReleaseOption = Annotated[
    str | None, typer.Option("--release", "-r", help="Release: a version (e.g. 1.0.0) or latest (the default).")
]
# `--version` was the spelling of `--release` on `sql` and `info`: still understood, not shown.
OldVersionOption = Annotated[str | None, typer.Option("--version", hidden=True)]
# A positional VERSION was the spelling of `--release` on `download` and `report`: likewise.
OldVersionArgument = Annotated[str | None, typer.Argument(hidden=True, show_default=False)]


def _one_release(release: str | None, old_spelling: str | None) -> str | None:
    if release is not None and old_spelling is not None and release != old_spelling:
        _fail(f"two releases given ({release} and {old_spelling}): give one, with --release")
    return release or old_spelling


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(error: Exception | str) -> NoReturn:
    err_console.print(f"error: {printable(error)}", markup=False)
    raise typer.Exit(1)


@contextmanager
def _stale_warnings_said() -> Iterator[None]:
    """A mirror's index used as cached, because the mirror did not answer, is said on stderr."""
    from peacetrack import data

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", data.StaleIndexWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, data.StaleIndexWarning):
            err_console.print(f"warning: {printable(warning.message)}", markup=False)
        else:  # not ours to word
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)


@app.command()
def download(
    release: ReleaseOption = None,
    version: OldVersionArgument = None,
    base_url: BaseUrlOption = None,
    remote: RemoteOption = None,
) -> None:
    """Fetch every file of a release into the cache, verified against its published hash."""
    from peacetrack import data

    try:
        with _stale_warnings_said():
            folder = data.download(_one_release(release, version), base_url, remote=remote)
    except data.DataError as error:
        _fail(error)
    out_console.print(str(folder), markup=False, soft_wrap=True)


@app.command()
def versions(
    remote: Annotated[
        bool | None,
        typer.Option(
            "--remote/--no-remote",
            help="Also list the releases on the mirror (its index, cached an hour; default: $PEACETRACK_REMOTE).",
        ),
    ] = None,
    base_url: BaseUrlOption = None,
) -> None:
    """List the releases, newest first: version, date, and where it is (local or mirror)."""
    from peacetrack import data

    try:
        with _stale_warnings_said():
            local = data.read_index().releases
            mirrored = data.mirror_index(base_url).releases if data.wants_remote(remote) else ()
    except data.DataError as error:
        _fail(error)
    where = {r.version: "mirror" for r in mirrored} | {r.version: "local" for r in local}
    entries = {r.version: r for r in (*mirrored, *local)}  # the data folder's entry wins
    for entry in sorted(entries.values(), key=lambda r: r.key, reverse=True):
        typer.echo(f"{entry.version}\t{entry.date}\t{where[entry.version]}")  # a semantic version and a date


def _plain(value: object) -> Text:
    """A cell or header as literal text: data is never read as rich markup."""
    return Text(printable(value))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help='SQL over the tables, e.g. "SELECT * FROM actors".')],
    release: ReleaseOption = None,
    version: OldVersionOption = None,
    remote: RemoteOption = None,
    output: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.table,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the query read and write files, reach the network and load extensions "
            "(by default it sees only the release's tables).",
        ),
    ] = False,
) -> None:
    """Run SQL (DuckDB) over a release's tables and print the result.

    The query can read only the release's tables unless --allow-files is given."""
    import duckdb

    from peacetrack import data

    try:
        with _stale_warnings_said():
            connection = data.connect(_one_release(release, version), allow_files=allow_files, remote=remote)
        cursor = connection.execute(query)
        if cursor is None:  # DuckDB's answer to a query of only blanks or comments
            _fail("no SQL statement in the query")
        columns, rows = [d[0] for d in cursor.description or []], cursor.fetchall()
    except data.DataError as error:
        _fail(error)
    except duckdb.Error as error:
        locked = isinstance(error, duckdb.PermissionException) or "configuration has been locked" in str(error)
        _fail(
            f"{error}\nthe query sees only the release's tables: --allow-files lets it use files" if locked else error
        )
    if output is TableFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([releases.csv_cell(value) for value in row] for row in rows)
    elif output is TableFormat.json:
        twice = sorted({column for column in columns if columns.count(column) > 1})
        if twice:  # a JSON object keeps one value per name: the others would be lost unsaid
            _fail(f"more than one column named {', '.join(map(repr, twice))}: name them apart (AS) for --format json")
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        result = RichTable()
        for column in columns:
            result.add_column(_plain(column))
        for row in rows:
            result.add_row(*map(_plain, row))
        out_console.print(result)


@app.command()
def info(release: ReleaseOption = None, version: OldVersionOption = None, remote: RemoteOption = None) -> None:
    """Show a release's tables, row counts and column descriptions."""
    from peacetrack import data
    from peacetrack.schema import duckdb_type
    from peacetrack.tables import TABLES

    try:
        with _stale_warnings_said():
            release_entry = data.find_release(_one_release(release, version), remote=remote)
    except data.DataError as error:
        _fail(error)
    out_console.print(
        f"peacetrack release {release_entry.version} ({release_entry.date}), schema {release_entry.schema_version}",
        markup=False,
    )
    for name, table in TABLES.items():
        title = _plain(f"{name}: {release_entry.rows.get(name, 0)} rows")
        columns = RichTable("column", "type", "description", title=title, title_justify="left")
        for column in table.columns:
            kind = duckdb_type(column) + ("" if column.nullable else " NOT NULL")
            columns.add_row(*map(_plain, (column.name, kind, column.description)))
        out_console.print(columns)


@app.command()
def report(
    release: ReleaseOption = None,
    version: OldVersionArgument = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for DATACARD.md and figures/; default: report-<VERSION> (ROOT/build/report-<VERSION> with --root).",
        ),
    ] = None,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            help="Read the release from this folder's index (e.g. datasets); with no release there, describe the current build of --seeds.",
        ),
    ] = None,
    seeds: SeedsOption = Path("seeds"),
    remote: RemoteOption = None,
) -> None:
    """Write the data card (DATACARD.md and figures) of a release, never into the release itself."""
    try:
        with _stale_warnings_said():
            written = releases.write_card(_one_release(release, version), root, seeds, out, remote=remote)
    except releases.ReleaseError as error:
        _fail(error)
    for path in written:
        out_console.print(str(path), markup=False, soft_wrap=True)


class FaultFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Data files (<table>.csv, .parquet, .jsonl) or seeds/*/coding.yaml.")
    ],
    table: Annotated[
        str | None, typer.Option("--table", help="Table of the files; default: from each file name.")
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against", help="Release: a version, latest (the default), or a folder's path of <table>.parquet files."
        ),
    ] = None,
    output: Annotated[
        FaultFormat, typer.Option("--format", help="text, json (one object) or github (annotations).")
    ] = FaultFormat.text,
    max_faults: Annotated[
        int | None,
        typer.Option("--max-faults", min=1, help="Stop once this many errors are found (warnings do not count)."),
    ] = None,
) -> None:
    """Check contributed rows; report every fault. Exit 0 valid, 1 faults, 2 unreadable input or wrong call."""
    import io

    from peacetrack.errors import CallError
    from peacetrack.validator import FORMATS, checking
    from peacetrack.validator.report import call_error_annotation

    out = io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=False
    )
    try:
        with checking(
            paths, table=table, against=against, progress=output is FaultFormat.text, max_faults=max_faults
        ) as report:
            FORMATS[output.value](report, out)
            out.flush()
    except CallError as error:
        err_console.print(f"error: {error}", markup=False)
        if output is FaultFormat.github:
            out.write(call_error_annotation(str(error)) + "\n")
            out.flush()
        raise typer.Exit(2) from None
    finally:
        out.detach()  # sys.stdout's buffer stays open
    raise typer.Exit(report.exit_code)


if __name__ == "__main__":
    app()
