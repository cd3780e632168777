"""The command line: one small function per verb over the library, no logic of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from peacetrack.coding import build_tables
from peacetrack.release import write_build
from peacetrack.schema import write_schema

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False, help="Build, check, release and load the peacetrack dataset.")
out_console = Console()
err_console = Console(stderr=True, highlight=False, soft_wrap=True)



@app.callback()
def main() -> None:
    """peacetrack: the Armenia–Azerbaijan peace-process dataset and its toolkit."""


SeedsOption = Annotated[Path, typer.Option("--seeds", help="Folder of coded sources, one sub-folder each.")]


@app.command()
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables into.")] = Path("datasets/build"),
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Build every table from the seeds; write Parquet and CSV only when all is valid."""
    result = build_tables(seeds)
    for fault in result.faults:
        err_console.print(str(fault), markup=False)
    if not result.ok:
        err_console.print(f"{len(result.errors)} error(s): nothing written.", markup=False)
        raise typer.Exit(1)
    write_build(result.frames, out)
    summary = RichTable(title=f"peacetrack build → {out}")
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
    for path in write_schema(out):
        out_console.print(str(path), markup=False)


@app.command()
def report(
    version: Annotated[
        str | None, typer.Argument(help="Release to describe; default: the newest under --releases, or a build from --seeds if none.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for DATACARD.md and figures/; default: datasets/build/report-<VERSION>.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Release date printed on the card; default: the one datasets/index.json records.")
    ] = None,
    releases: Annotated[Path, typer.Option("--releases", help="Folder of releases, one sub-folder per version.")] = Path("datasets/releases"),
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Write the data card (DATACARD.md and figures) of a release, never into the release itself."""
    # Imported here: matplotlib is slow to load and only this command needs it.
    from peacetrack.release import read_tables
    from peacetrack.report import UNRELEASED, recorded_release_date, release_versions, write_report

    known = release_versions(releases)
    version = version or (known[-1] if known else None)
    if version is None:
        result = build_tables(seeds)
        for fault in result.errors:
            err_console.print(str(fault), markup=False)
        if not result.ok:
            err_console.print(f"No release under {releases}, and the build from {seeds} has {len(result.errors)} error(s).", markup=False)
            raise typer.Exit(1)
        frames, version, release_date = result.frames, UNRELEASED, date or f"none (built from {seeds}, not released)"
    elif version not in known:
        err_console.print(f"No release {version!r} under {releases}; releases there: {', '.join(known) or 'none'}.", markup=False)
        raise typer.Exit(1)
    else:
        try:
            frames = read_tables(releases / version)
        except (OSError, ValueError) as error:
            err_console.print(f"Cannot read release {version} in {releases / version}: {error}", markup=False)
            raise typer.Exit(1) from None
        release_date = date or recorded_release_date(version, releases.parent / "index.json") or "unknown"
    out = out or Path("datasets/build") / f"report-{version}"
    if out.resolve().is_relative_to(releases.resolve()):
        err_console.print(f"Refusing to write into {out}: a release is immutable; `peacetrack release` writes its card.", markup=False)
        raise typer.Exit(1)
    for path in write_report(frames, version, release_date, out):
        out_console.print(str(path), markup=False)


if __name__ == "__main__":
    app()
