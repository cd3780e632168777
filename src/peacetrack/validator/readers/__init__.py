"""Read contributed files (CSV, Parquet, JSON Lines) in chunks of raw cells, keeping where
each row came from: the physical line of a CSV or JSON Lines record, the row of a Parquet file.

A reader yields `Chunk`s and located `Fault`s (ragged rows, bad JSON, wrong headers). It
raises `Unreadable` when a file cannot be read at all. It never writes to its input.

    chunks.py     what every reader yields; the checks of column names all formats share
    csv.py        CSV: pyarrow, and the csv module where pyarrow gives up
    csv_lines.py  the physical line of each CSV record
    parquet.py    Parquet
    jsonl.py      JSON Lines
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from peacetrack.faults import Fault
from peacetrack.tables import Table
from peacetrack.validator.readers.chunks import Chunk, Progress, Rows, check_header, max_columns
from peacetrack.validator.readers.csv import read_csv
from peacetrack.validator.readers.jsonl import read_jsonl
from peacetrack.validator.readers.parquet import read_parquet

Reader = Callable[[Path, Table, Progress | None], Generator[Chunk | Fault, None, None]]

READERS: dict[str, Reader] = {
    ".csv": read_csv,
    ".parquet": read_parquet,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}

__all__ = ["READERS", "Chunk", "Progress", "Reader", "Rows", "check_header", "max_columns"]
