"""The command line: one small function per verb over the library, no logic of its own."""

from __future__ import annotations

import sys
from enum import StrEnum
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


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Data files (<table>.csv, .parquet, .jsonl) or seeds/*/coding.yaml.")],
    table: Annotated[str | None, typer.Option("--table", help="Table of the files; default: from each file name.")] = None,
    against: Annotated[str | None, typer.Option("--against", help="Release version or folder of <table>.parquet files; default: the latest release.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text, json (one object) or github (annotations).")] = OutputFormat.text,
) -> None:
    """Check contributed rows; report every fault. Exit 0 valid, 1 faults, 2 unreadable input or wrong call."""
    from peacetrack.contrib import FORMATS, CallError
    from peacetrack.contrib import validate as run_validate

    try:
        report = run_validate(paths, table=table, against=against, progress=output is OutputFormat.text)
    except CallError as error:
        err_console.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    sys.stdout.buffer.write(FORMATS[output.value](report).encode("utf-8", "backslashreplace"))
    sys.stdout.flush()
    raise typer.Exit(report.exit_code)


if __name__ == "__main__":
    app()
