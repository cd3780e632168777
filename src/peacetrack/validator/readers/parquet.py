"""Read a Parquet file in chunks of CSV cells; rows are located by their number in the file.

A column whose Parquet type is not the contract's is a fault of the whole column; its values
are still read as text where Arrow can cast them, so the rules on values are checked too.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from peacetrack.errors import Unreadable
from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.tables import LIST_DELIMITER, Column, Table, arrow_type
from peacetrack.validator.readers.chunks import BATCH_ROWS, Chunk, Progress, check_header, reading_fault


def _same_type(column: Column, actual: pa.DataType) -> bool:
    if pa.types.is_dictionary(actual):
        actual = actual.value_type
    expected = arrow_type(column)
    if column.is_list:
        return (pa.types.is_list(actual) or pa.types.is_large_list(actual)) and _same_type(
            replace(column, is_list=False), actual.value_type
        )
    if pa.types.is_string(expected):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual)
    if pa.types.is_int64(expected):
        return pa.types.is_integer(actual)
    return bool(actual == expected)


def _as_text(column: Column, array: pa.Array) -> pa.Array:
    """A Parquet column as CSV cells."""
    if column.is_list:
        items = array.cast(pa.list_(pa.string()))
        return pc.binary_join(items, LIST_DELIMITER)
    return array.cast(pa.string())


def read_parquet(path: Path, table: Table, progress: Progress | None = None) -> Generator[Chunk | Fault, None, None]:
    with path.open("rb") as source:  # opened by Python: Arrow cannot open a name that is not UTF-8
        yield from _read_parquet(source, path, table, progress)


def _unreadable(file: str, table: Table, message: str, error: Exception) -> Unreadable:
    return Unreadable(
        reading_fault(file, None, "parquet", f"{message}: {shorten(error, MESSAGE_WIDTH)}", table=table.name)
    )


def _read_parquet(
    source: BinaryIO, path: Path, table: Table, progress: Progress | None
) -> Generator[Chunk | Fault, None, None]:
    file = str(path)
    try:
        parquet = pq.ParquetFile(source)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError) as error:
        raise _unreadable(file, table, "not a readable Parquet file", error) from None
    faults, readable = check_header(table, schema.names, file, None)
    yield from faults
    if not readable:
        return
    wanted = [c for c in table.columns if c.name in schema.names]
    for column in wanted:
        actual = schema.field(column.name).type
        if not _same_type(column, actual):
            message = f"column type is {shorten(actual, MESSAGE_WIDTH)}, the contract says {arrow_type(column)}"
            yield reading_fault(file, None, "parquet_type", message, column.name, table=table.name)
    first = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[c.name for c in wanted]):
            try:
                data = pa.table({c.name: _as_text(c, batch.column(c.name)) for c in wanted})
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                message = f"values cannot be read as the contract's types: {shorten(error, MESSAGE_WIDTH)}"
                yield reading_fault(file, None, "parquet_type", message, table=table.name)
                return
            yield Chunk(file, table, data, None, first)
            first += batch.num_rows
            if progress:  # bytes, about: the share of the rows read
                progress(path.stat().st_size * first // max(parquet.metadata.num_rows, 1))
    except (pa.ArrowException, OSError) as error:
        raise _unreadable(file, table, f"the Parquet file is corrupt after row {first}", error) from None
