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


if __name__ == "__main__":
    app()
