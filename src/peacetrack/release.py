"""Tables to files: Parquet and CSV written the same way every time, and atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from peacetrack.tables import LIST_DELIMITER, SCHEMA_VERSION, TABLES, Kind, Table, arrow_from_frame, frame_from_arrow

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
    """The frame as CSV cells: ISO dates, `;`-joined lists, `true`/`false`, empty for null."""
    cells = {}
    for column in table.columns:
        values = frame[column.name].astype(object)
        if column.is_list:
            values = values.map(lambda v: LIST_DELIMITER.join(v), na_action="ignore")
        elif column.kind is Kind.boolean:
            values = values.map(lambda v: "true" if v else "false", na_action="ignore")
        elif column.kind is Kind.date:
            values = values.map(lambda v: v.isoformat(), na_action="ignore")
        cells[column.name] = values
    return pd.DataFrame(cells)


def write_csv(table: Table, frame: pd.DataFrame, path: Path) -> None:
    csv_frame(table, sorted_frame(table, frame)).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_tables(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each table as `<name>.parquet` and `<name>.csv` in `folder`, in contract order."""
    written = []
    for name, table in TABLES.items():
        for suffix, writer in ((".parquet", write_parquet), (".csv", write_csv)):
            path = folder / f"{name}{suffix}"
            writer(table, frames[name], path)
            written.append(path)
    return written


@contextmanager
def atomic_folder(target: Path, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `target` and move it into place only on success.

    An interrupted write leaves `target` as it was. With `replace`, an existing `target`
    is swapped out; without, an existing `target` is an error.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        if target.exists():
            if not replace:
                raise FileExistsError(target)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(staging, target)
            shutil.rmtree(old)
        else:
            os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def write_build(frames: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write a build's tables into `out`, replacing an earlier build there."""
    with atomic_folder(out, replace=True) as staging:
        written = write_tables(frames, staging)
    return [out / p.name for p in written]


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of a build or release folder, from its Parquet files, with contract dtypes."""
    return {name: frame_from_arrow(table, pq.read_table(folder / f"{name}.parquet")) for name, table in TABLES.items()}
