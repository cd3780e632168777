"""The data card of a release written into a folder: DATACARD.md (`card`) and its figures (`figures`).

Both are pure functions of (frames, version, release_date), so a release's card and figures
come out the same to the byte on the same machine and library versions.

`read_report_tables` reads a release for its card without the columns the card only counts
the nulls of (the quotes, summaries and sources of a million statements, and their evidence): their null
counts come from the Parquet footers' statistics, which the release's writer keeps. On a
release of a million statements (scripts/bench_report.py, a busy machine) reading the
statements took 7.5 s whole and 3.0 s without them, the evidence 1.1 s and 0.5 s.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from peacetrack.card import CARD_NAME, NullCounts, datacard_text
from peacetrack.figures import FIGURE_FOLDER, FIGURES, png_bytes
from peacetrack.files import write_atomic
from peacetrack.tablefiles import read_tables
from peacetrack.tables import SCHEMA_VERSION, TABLES, Column, arrow_type, frame_from_arrow

# Columns neither the card nor the figures read a value of (only how many are null).
NULLS_ONLY = {
    "statements": ("target_id", "quote", "summary", "source_id", "date_edtf"),
    "evidence": ("evidence_id", "row_id", "source_id", "char_start", "char_end", "quote"),
}


def footer_null_counts(path: Path) -> dict[str, int] | None:
    """Each column's null count from a Parquet file's footer; None where a row group has none."""
    metadata = pq.read_metadata(path)
    counts: dict[str, int] = {}
    for j in range(metadata.num_columns):
        stats = [metadata.row_group(i).column(j).statistics for i in range(metadata.num_row_groups)]
        if any(s is None or not s.has_null_count for s in stats):
            return None
        counts[metadata.schema.column(j).name] = sum(s.null_count for s in stats)
    return counts


def written_schema(path: Path) -> str | None:
    """The schema version a release's writer recorded in a Parquet file."""
    metadata = pq.read_schema(path).metadata or {}
    version = metadata.get(b"peacetrack.schema_version")
    return version.decode() if version else None


def stand_in(column: Column, rows: int) -> pa.Array:
    """A column not read: null, or empty (0 or "") where the contract allows no null."""
    kind = arrow_type(column)
    value = None if column.nullable else 0 if pa.types.is_integer(kind) else ""
    return pa.repeat(pa.scalar(value, kind), rows)


def read_report_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], NullCounts]:
    """A release's tables as the card needs them: the columns in NULLS_ONLY not read (their
    null counts from the footers), unless a footer lacks the counts, then read whole. A
    release of another schema version is read whole by `read_tables`."""
    frames: dict[str, pd.DataFrame] = {}
    nulls: dict[str, dict[str, int]] = {}
    if any(written_schema(folder / f"{name}.parquet") != SCHEMA_VERSION for name in NULLS_ONLY):
        return read_tables(folder), nulls  # an older release: read as its schema says
    for name, table in TABLES.items():
        path = folder / f"{name}.parquet"
        counts = footer_null_counts(path) if name in NULLS_ONLY else None
        skipped = NULLS_ONLY[name] if counts is not None else ()
        data = pq.read_table(path, columns=[c.name for c in table.columns if c.name not in skipped])
        for column in (table.column(c) for c in skipped):
            data = data.append_column(column.name, stand_in(column, data.num_rows))
        frames[name] = frame_from_arrow(table, data)
        if counts is not None:
            nulls[name] = counts
    return frames, nulls


def write_report(
    frames: Mapping[str, pd.DataFrame],
    version: str,
    release_date: str,
    folder: Path,
    null_counts: NullCounts | None = None,
) -> list[Path]:
    """Write `folder/DATACARD.md` and `folder/figures/*.png`; return the paths written.
    `null_counts` (table → column → count) stands for the frames' own where given."""
    written = []
    for name, draw in FIGURES.items():
        path = folder / FIGURE_FOLDER / name
        write_atomic(path, png_bytes(draw(frames)))
        written.append(path)
    card = folder / CARD_NAME
    write_atomic(card, datacard_text(frames, version, release_date, null_counts).encode("utf-8"))
    return [card, *written]
