"""A release's tables as files: Parquet and CSV, written the same way every time, and read back.

The same rows give the same bytes (sorted by primary key, every writer option fixed), so a
release can be re-derived and checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from peacetrack.csvcell import csv_cell
from peacetrack.errors import ReleaseError
from peacetrack.files import atomic_folder, reported_as_release_error
from peacetrack.tables import SCHEMA_VERSION, TABLES, Table, arrow_from_frame, frame_from_arrow

# Every writer option is fixed so that the same rows give the same bytes.
PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=9,
    use_dictionary=True,
    write_statistics=True,
    version="2.6",
    data_page_version="1.0",
    row_group_size=1_000_000,
)


def sorted_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(table.primary_key, kind="stable", ignore_index=True)


def write_parquet(table: Table, frame: pd.DataFrame, path: Path) -> None:
    data = arrow_from_frame(table, sorted_frame(table, frame))
    data = data.replace_schema_metadata({"peacetrack.table": table.name, "peacetrack.schema_version": SCHEMA_VERSION})
    pq.write_table(data, path, **PARQUET_OPTIONS)


def csv_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as CSV cells, column by column in the contract's order."""
    return pd.DataFrame({c.name: frame[c.name].astype(object).map(csv_cell) for c in table.columns})


def write_csv(table: Table, frame: pd.DataFrame, path: Path) -> None:
    csv_frame(table, sorted_frame(table, frame)).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


TABLE_SUFFIXES = (".parquet", ".csv")
BUILD_FILES = frozenset(f"{name}{suffix}" for name in TABLES for suffix in TABLE_SUFFIXES)  # what a build holds


def write_tables(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each table as `<name>.parquet` and `<name>.csv` in `folder`, in contract order."""
    written = []
    for name, table in TABLES.items():
        for suffix, writer in zip(TABLE_SUFFIXES, (write_parquet, write_csv), strict=True):
            path = folder / f"{name}{suffix}"
            writer(table, frames[name], path)
            written.append(path)
    return written


def write_build(frames: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write a build's tables into `out`, replacing an earlier build there, and nothing else:
    `out` replaced whole may not be a file or a folder holding more (the releases, the seeds)."""
    with reported_as_release_error(f"write the build into {out}"):
        if out.is_symlink() or out.exists():
            kept = (
                [p.name for p in out.iterdir() if p.name not in BUILD_FILES]
                if out.is_dir() and not out.is_symlink()
                else [out.name]
            )
            if kept:
                raise ReleaseError(
                    f"refusing to replace {out}: it is not a build folder (it holds {', '.join(sorted(kept)[:3])}); "
                    "give --out a new folder or an earlier build's"
                )
        with atomic_folder(out, replace=True) as staging:
            written = write_tables(frames, staging)
    return [out / p.name for p in written]


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of a build or release folder, from its Parquet files, with contract dtypes."""
    return {name: frame_from_arrow(table, pq.read_table(folder / f"{name}.parquet")) for name, table in TABLES.items()}
