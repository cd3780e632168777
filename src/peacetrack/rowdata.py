"""Rows as a pandas frame (the build, coding files) or as Arrow data (the validator's chunks):
what every rule across rows works with, so each rule has one definition for both. Column
values as Arrow, masks of rows, and a fault for each failing row with its id and value.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.faults import VALUE_WIDTH, Fault, shorten
from peacetrack.rules import series_values
from peacetrack.tables import Table

if TYPE_CHECKING:
    import pandas as pd

# Rows as a pandas frame (the build, coding files) or as Arrow data (the validator's chunks):
# the rules within a row take either, so each has one definition. Arrow data is told apart
# first, so that Arrow data needs no pandas imported (a table file's validation loads none).
RowData: TypeAlias = "pd.DataFrame | pa.Table"
ArrowValues = (pa.Array, pa.ChunkedArray)
TAKE_ROWS = 65_536  # ids and values of failing rows taken as Python objects at a time


def display_value(value: object) -> str | None:
    if type(value) is str:  # most values: spare the tests below, made by the ten thousand
        return value if len(value) <= VALUE_WIDTH else shorten(value)
    if isinstance(value, list | tuple | np.ndarray):
        return shorten(";".join(map(str, value)))
    return None if is_missing(value) else shorten(value)


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA. pandas is not imported to ask: none of its values exists before it is."""
    pandas = sys.modules.get("pandas")
    return (
        value is None or (isinstance(value, float) and math.isnan(value)) or (pandas is not None and value is pandas.NA)
    )


def one_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as one array: without a copy when it is one chunk, as readers make it."""
    if isinstance(values, pa.Array):
        return values
    return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()


def taken(values: pa.Array | pa.ChunkedArray, positions: np.ndarray) -> list[object]:
    """The values at some positions, as Python objects. Chunk by chunk: Arrow's `take` of a
    chunked array first joins its chunks, copying every value."""
    if isinstance(values, pa.Array) or values.num_chunks == 1:
        return one_array(values).take(positions).to_pylist()
    found: list[object] = [None] * len(positions)
    ends = np.cumsum([len(chunk) for chunk in values.chunks])
    chunk_of = np.searchsorted(ends, positions, side="right")
    for index in np.unique(chunk_of).tolist():
        mine = np.flatnonzero(chunk_of == index)
        start = int(ends[index]) - len(values.chunk(index))
        for at, value in zip(mine.tolist(), values.chunk(index).take(positions[mine] - start).to_pylist(), strict=True):
            found[at] = value
    return found


@cache
def check_threads() -> ThreadPoolExecutor:
    """Threads for Arrow work, which releases the GIL: checks side by side."""
    return ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="check")


def column_names(data: RowData) -> list[str]:
    return data.column_names if isinstance(data, pa.Table) else list(data.columns)


def is_in(values: pd.Series | pa.Array | pa.ChunkedArray, keys: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """`values.isin(keys)` by Arrow (a null is in nothing): pandas turns a large `keys` into
    Python objects one by one."""
    value_set = one_array(arrow_values(keys).cast(pa.string()))
    found = pc.is_in(arrow_values(values).cast(pa.string()), value_set=value_set)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def arrow_values(values: pd.Series | pa.ChunkedArray | pa.Array) -> pa.Array | pa.ChunkedArray:
    """A column of either kind of rows as Arrow values; an Arrow column keeps its chunks, uncopied."""
    return values if isinstance(values, ArrowValues) else series_values(values)


def is_value(values: pd.Series | pa.ChunkedArray, value: str) -> np.ndarray:
    """`values == value` as a numpy mask, a null unequal."""
    if isinstance(values, ArrowValues):
        return pc.fill_null(pc.equal(one_array(values), value), False).to_numpy(zero_copy_only=False)
    return _equals(values, value).to_numpy()


def present(values: pd.Series | pa.ChunkedArray) -> np.ndarray:
    """Whether each value is there (not null), as a numpy mask."""
    if isinstance(values, ArrowValues):
        return one_array(values).is_valid().to_numpy(zero_copy_only=False)
    return values.notna().to_numpy()


def same_value(data: RowData, first: str, second: str) -> np.ndarray:
    """Whether two columns of a row hold the same value (a null never does)."""
    one, other = arrow_values(data[first]), arrow_values(data[second])
    if one.type != other.type:  # a column of nulls that pandas read as floats, say: as pandas compares
        return np.zeros(len(one), dtype=bool)
    return pc.fill_null(pc.equal(one, other), False).to_numpy(zero_copy_only=False)


def row_faults(
    table: Table, data: RowData, failing: np.ndarray | pd.Series, column: str | None, rule: str, message: str
) -> Iterator[Fault]:
    """A fault for each row where `failing` is true (a null is not), with the row's id and value.

    Ids and values of the failing rows are taken many at once, as a lookup per row is slow on
    large inputs, but not all at once: memory stays bounded however many rows fail."""
    if not isinstance(failing, np.ndarray):  # a pandas mask: aligned on the frame's index
        failing = failing.reindex(data.index).fillna(False).to_numpy(dtype=bool)
    all_positions = np.flatnonzero(failing)
    for start in range(0, len(all_positions), TAKE_ROWS):
        positions = all_positions[start : start + TAKE_ROWS]
        ids = taken(arrow_values(data[table.primary_key]), positions)
        values = taken(arrow_values(data[column]), positions) if column else [None] * len(positions)
        for position, row_id, value in zip(positions.tolist(), ids, values, strict=True):
            yield Fault(
                table=table.name, row_id=None if row_id is None else str(row_id), column=column, rule=rule, message=message,
                value=None if column is None else display_value(value), position=position,
            )  # fmt: skip


def repeated(values: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Whether each value occurs more than once (nulls never do). By sorting, then comparing
    neighbours: faster than hashing a million strings (Arrow's or pandas' `duplicated`)."""
    values = one_array(arrow_values(values))  # one array sorts faster
    found = np.zeros(len(values), dtype=bool)
    if len(values) - values.null_count < 2:
        return found
    order = pc.sort_indices(values)  # nulls last, never equal to a neighbour
    ordered = values.take(order)
    same = pc.fill_null(pc.equal(ordered.slice(0, len(values) - 1), ordered.slice(1)), False).to_numpy(
        zero_copy_only=False
    )
    if same.any():
        twice = np.zeros(len(values), dtype=bool)
        twice[:-1] |= same
        twice[1:] |= same
        found[order.to_numpy()] = twice
    return found


def _equals(series: pd.Series, value: str) -> pd.Series:
    """`series == value` as plain booleans, a null unequal: as comparing Python objects
    gives, without making a Python object of every value."""
    return (series == value).fillna(False).astype(bool)
