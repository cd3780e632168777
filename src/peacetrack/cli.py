"""The command line: one small function per verb over the library, no logic of its own.

Over 400 lines because each option is declared, with its help, where typer reads it: the
commands themselves are short. Output for scripts (paths, versions, CSV, JSON) goes out as
plain lines; tables for people through rich, every cell as text, never as markup.

Start-up (scripts/bench_startup.py): rich is imported when something is first printed through
it, not with the module (a `validate` that finds nothing to say never loads it), and the
annotations are evaluated once, at definition, not deferred (no `from __future__ import
annotations`): typer reads every command's signature on each run and would evaluate each
deferred annotation twice; 17 ms of CPU on every command (including `--help`), measured.
"""

import csv
import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from peacetrack.errors import CallError, DataError, PeacetrackError, ReleaseError, StaleIndexWarning
from peacetrack.terminal import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Each command imports the rest of what it needs when it runs: `peacetrack --help` and
# `peacetrack validate` should not wait for pandas, duckdb and requests to load
# (tests/test_entry_points.py checks which modules they load; scripts/bench_startup.py times it).

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Build, check, release and load the peacetrack dataset.",
)


@cache
def _out() -> "Console":
    """The console for tables and lines on stdout, made on first use."""
    from rich.console import Console

    return Console()


@cache
def _err() -> "Console":
    """The console for errors, warnings and notes on stderr, made on first use."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_version(value: bool) -> None:
    if value:
        from peacetrack import __version__

        _out().print(f"peacetrack {__version__}", markup=False, highlight=False)
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
    from peacetrack.seeds import build_tables
    from peacetrack.tablefiles import write_build

    result = build_tables(seeds)
    for fault in result.faults:
        _err().print(printable(fault), markup=False)  # file names come from the seeds
    if not result.ok:
        _err().print(f"{len(result.errors)} error(s): nothing written.", markup=False)
        raise typer.Exit(1)
    try:
        write_build(result.frames, out)
    except ReleaseError as error:
        _fail(error)
    _print_counts(f"peacetrack build → {out}", {name: len(frame) for name, frame in result.frames.items()})


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="Folder of the published contract.")] = Path("schema"),
) -> None:
    """Regenerate the published contract (JSON Schema, Frictionless, DuckDB DDL)."""
    from peacetrack.schema import write_schema

    for path in write_schema(out):
        _print_path(path)


RootOption = Annotated[Path, typer.Option("--root", help="Folder of the releases, index.json and CHANGELOG.md.")]


@app.command()
def release(
    version: Annotated[str | None, typer.Argument(help="Semantic version to cut, e.g. 1.0.0.")] = None,
    bump: Annotated[
        Literal["major", "minor", "patch"] | None,  # release.Bump: typer reads it before `release` is imported
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
    from peacetrack import release as releases
    from peacetrack.index import read_index, release_folder

    bundle = None if no_bundle else bundle
    try:
        if clean:
            if version is not None or bump is not None:
                raise ReleaseError("give --clean alone, without VERSION or --bump")
            _clean(root, bundle)
            return
        if (version is None) == (bump is None):
            raise ReleaseError("give either VERSION or --bump major|minor|patch (or --clean alone)")
        if bump is not None:
            latest = read_index(root).latest()
            version = releases.bump_version(latest.version if latest else None, bump)
        if bundle is not None:
            releases.check_bundle(root, bundle)
        assert version is not None  # given, or bumped from the latest
        entry = releases.cut_release(version, seeds, root)
    except ReleaseError as error:
        _fail(error)
    try:
        bundled = None if bundle is None else releases.bundle_latest(root, bundle)
    except ReleaseError as error:
        _fail(f"release {entry.version} is cut and registered, but not bundled: {printable(error)}")
    where = release_folder(root, entry.version)
    _print_counts(f"peacetrack release {entry.version} ({entry.date}) → {where}", entry.rows)
    if bundled is not None:
        _out().print(f"bundled release {bundled.name} into {bundled.parent.parent}", markup=False)


def _clean(root: Path, bundle: Path | None) -> None:
    from peacetrack import release as releases

    removed = releases.clean_releases(root, bundle)
    for path in removed:
        typer.echo(f"removed {printable(path, keep='')}")
    typer.echo(f"{len(removed)} leftover(s) of interrupted releases removed")


def _print_counts(title: str, rows: dict[str, int]) -> None:
    """A table of row counts, titled; the title is text (a path in it is no markup)."""
    from rich.table import Table as RichTable
    from rich.text import Text

    summary = RichTable(title=Text(title))
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for name, count in rows.items():
        summary.add_row(name, str(count))
    _out().print(summary)


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
    from peacetrack import release as releases
    from peacetrack.diff import diff_json, diff_releases, diff_text

    try:
        old_folder = releases.resolve_release(old, root, remote=remote)
        new_folder = releases.resolve_release(new, root, remote=remote)
        diffs = diff_releases(old_folder, new_folder)
    except ReleaseError as error:
        _fail(error)
    if format == "json":
        typer.echo(json.dumps({"old": old, "new": new, "tables": diff_json(diffs)}, indent=2, ensure_ascii=False))
    else:
        typer.echo(printable(diff_text(diffs)), nl=False)  # keys and column names are data


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


def _print_path(path: Path) -> None:
    """A path on a line of its own, whole: scripts read it (`$(peacetrack download)`), so it is
    never wrapped at the terminal's width, and a control character in it is written out."""
    typer.echo(printable(path, keep=""))


def _fail(error: PeacetrackError | str) -> NoReturn:
    _err().print(f"error: {printable(error)}", markup=False)
    raise typer.Exit(1)


@contextmanager
def _stale_warnings_said() -> Iterator[None]:
    """A mirror's index used as cached, because the mirror did not answer, is said on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaleIndexWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, StaleIndexWarning):
            _err().print(f"warning: {printable(warning.message)}", markup=False)
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
    except DataError as error:
        _fail(error)
    _print_path(folder)


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
            listed = data.listed_releases(remote, base_url)
    except DataError as error:
        _fail(error)
    for entry, where in listed:
        typer.echo(f"{entry.version}\t{entry.date}\t{where}")  # a semantic version and a date


def _plain(value: object) -> "Text":
    """A cell or header as literal text: data is never read as rich markup."""
    from rich.text import Text

    return Text(printable(value))


def _print_rows(columns: list[str], rows: list[tuple[object, ...]], output: TableFormat) -> None:
    """Rows as CSV, JSON records or a table; every cell as text, never as markup."""
    if output is TableFormat.csv:
        from peacetrack.csvcell import csv_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
    elif output is TableFormat.json:
        twice = sorted({column for column in columns if columns.count(column) > 1})
        if twice:  # a JSON object keeps one value per name: the others would be lost unsaid
            _fail(f"more than one column named {', '.join(map(repr, twice))}: name them apart (AS) for --format json")
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        from rich.table import Table as RichTable

        result = RichTable()
        for column in columns:
            result.add_column(_plain(column))
        for row in rows:
            result.add_row(*map(_plain, row))
        _out().print(result)


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
    from peacetrack import database

    try:
        with _stale_warnings_said():
            connection = database.connect(_one_release(release, version), allow_files=allow_files, remote=remote)
        columns, rows = database.run_query(connection, query)
    except DataError as error:
        _fail(error)
    _print_rows(columns, rows, output)


@app.command()
def info(release: ReleaseOption = None, version: OldVersionOption = None, remote: RemoteOption = None) -> None:
    """Show a release's tables, row counts and column descriptions, and what each value of an enum
    means, in the release's own schema."""
    from rich.table import Table as RichTable

    from peacetrack import data
    from peacetrack.schema import duckdb_type, vocabularies

    try:
        with _stale_warnings_said():
            release_entry = data.find_release(_one_release(release, version), remote=remote)
            tables = data.release_tables(release_entry)
    except DataError as error:
        _fail(error)
    _out().print(
        f"peacetrack release {release_entry.version} ({release_entry.date}), schema {release_entry.schema_version}",
        markup=False,
    )
    for name, table in tables.items():
        title = _plain(f"{name}: {release_entry.rows.get(name, 0)} rows")
        columns = RichTable("column", "type", "description", title=title, title_justify="left")
        for column in table.columns:
            kind = duckdb_type(column) + ("" if column.nullable else " NOT NULL")
            columns.add_row(*map(_plain, (column.name, kind, column.description)))
        _out().print(columns)
    for enum_name, definitions in vocabularies(tables).items():
        values = RichTable("value", "definition", title=_plain(enum_name), title_justify="left")
        for value, definition in definitions.items():
            values.add_row(_plain(value), _plain(definition))
        _out().print(values)


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
    from peacetrack import release as releases

    try:
        with _stale_warnings_said():
            written = releases.write_card(_one_release(release, version), root, seeds, out, remote=remote)
    except ReleaseError as error:
        _fail(error)
    for path in written:
        _print_path(path)


@app.command()
def draft(
    seed: Annotated[Path, typer.Argument(help="A seed folder (seeds/<source_id>/) with article.txt and source.yaml.")],
    replace: Annotated[bool, typer.Option("--replace", help="Write over an earlier coding.draft.yaml.")] = False,
) -> None:
    """Draft a coding of a seed's article: coding.draft.yaml beside it, every row with its evidence.

    Never writes coding.yaml. Review the draft (`peacetrack review`), then `validate` it."""
    from peacetrack.draft import DraftError, draft_seed, drafted_counts

    try:
        path = draft_seed(seed, replace=replace)
    except DraftError as error:
        _fail(error)
    _print_path(path)
    counts = drafted_counts(path)
    for table in ("actors", "statements", "military_transfers", "negotiation_rounds"):
        typer.echo(f"{table}: {counts[table]}")


@app.command()
def quote(
    source: Annotated[Path, typer.Argument(help="A seed folder (seeds/<source_id>/) or its article.txt.")],
    text: Annotated[str, typer.Argument(help="The quote as copied: its spaces and line breaks need not match.")],
    format: Annotated[Literal["text", "json"], typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Where a quote is in a source: offsets, line, the `occurrence` to give, or the nearest passages.

    Exit 0 found, 1 not found, 2 the source cannot be read."""
    from peacetrack.errors import FileFault
    from peacetrack.lookup import describe, look_up, read_source

    try:
        article = read_source(source)
    except FileFault as error:
        _err().print(printable(f"error: {error.fault.file}: {error.fault.message}", keep=""), markup=False)
        raise typer.Exit(2) from None
    found = look_up(article, text)
    if format == "json":
        typer.echo(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(printable(describe(found)))
    raise typer.Exit(0 if found.found else 1)


@app.command()
def find(
    text: Annotated[str, typer.Argument(help="Words to look for: a name, an alias, words of a summary or a quote.")],
    table: Annotated[str | None, typer.Option("--table", help="Search this table only.")] = None,
    seeds: SeedsOption = Path("seeds"),
    release: ReleaseOption = None,
    output: Annotated[Literal["text", "json"], typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Find the id to link to: actors by name or alias, rows by their words, in the release and the seeds.

    Case and accents do not count. Exit 0 found, 1 nothing found, 2 wrong call."""
    from peacetrack.find import describe
    from peacetrack.find import find as find_rows

    try:
        hits, notes = find_rows(text, seeds, [table] if table else None, release)
    except CallError as error:
        _err().print(f"error: {printable(error)}", markup=False)
        raise typer.Exit(2) from None
    for note in notes:
        _err().print(f"note: {printable(note)}", markup=False)
    if output == "json":
        typer.echo(json.dumps([hit.as_json() for hit in hits], indent=2, ensure_ascii=False))
    elif hits:
        typer.echo(printable(describe(hits)))
    raise typer.Exit(0 if hits else 1)


class FaultFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def review(
    folder: Annotated[Path, typer.Argument(help="A seed folder, seeds/<source_id>/.")],
    coding: Annotated[
        str | None,
        typer.Option(
            "--coding", help="The coding file in it; default coding.yaml (coding.draft.yaml if it is all there is)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="The page to write; default datasets/build/review/<source_id>.html."),
    ] = None,
) -> None:
    """Write one static HTML page to review a coding: the article with its evidence highlighted, each row beside it."""
    from peacetrack.review import write_review

    try:
        path = write_review(folder, coding, out)
    except (CallError, OSError) as error:
        _fail(str(error))
    _print_path(path)


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Data files (<table>.csv, .parquet, .jsonl), seeds/*/coding.yaml or coding.draft.yaml."),
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
        _err().print(f"error: {error}", markup=False)
        if output is FaultFormat.github:
            out.write(call_error_annotation(str(error)) + "\n")
            out.flush()
        raise typer.Exit(2) from None
    finally:
        out.detach()  # sys.stdout's buffer stays open
    raise typer.Exit(report.exit_code)


if __name__ == "__main__":
    app()
