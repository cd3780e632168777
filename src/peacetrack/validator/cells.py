"""From raw cells to the contract's types, one column at a time, with a fault per bad cell.

Every input (CSV, Parquet, JSON Lines) is first brought to the same shape: one binary column
per contract column, as CSV would write it (empty cell = null, `;`-joined lists, ISO dates,
`true`/`false`). Here each column is decoded and parsed with Arrow kernels, so that a bad
cell becomes a fault at its row and column instead of an exception, and the rest is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.checks import one_array, taken
from peacetrack.faults import Fault, shorten
from peacetrack.tables import LIST_DELIMITER, Column, Kind, Table, _types_mapper, arrow_type, value_bytes

MAX_CELL_BYTES = 65_536
INTEGER = r"^-?[0-9]{1,18}$"
ISO_DATE = "%Y-%m-%d"

TYPE_MESSAGES: dict[Kind, str] = {
    Kind.integer: "not a whole number",
    Kind.date: "not a date: write YYYY-MM-DD (a real day)",
    Kind.boolean: "not a boolean: write true or false",
}


def _mask(array: pa.Array) -> np.ndarray:
    """A boolean mask as numpy, nulls false."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _cell_faults(table: Table, column: str, raw: pa.Array, bad: np.ndarray, rule: str, message: str) -> Iterator[Fault]:
    positions = np.flatnonzero(bad)
    for position, value in zip(positions.tolist(), taken(raw, positions), strict=True):
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        yield Fault(
            table=table.name,
            row_id=None,
            column=column,
            rule=rule,
            message=message,
            value=None if value is None else shorten(value),
            position=position,
        )


def _over(raw: pa.Array, size: int) -> np.ndarray:
    """Cells of more than `size` bytes, from the offsets alone."""
    buffers = value_bytes(raw)
    return np.zeros(len(raw), dtype=bool) if buffers is None else np.diff(buffers[0]) > size


def _decode(table: Table, column: Column, raw: pa.Array, faults: list[Fault]) -> pa.Array:
    """Binary cells to UTF-8 strings; oversized or undecodable cells become faults and nulls."""
    if pa.types.is_binary(raw.type) or pa.types.is_large_binary(raw.type):
        too_big = _over(raw, MAX_CELL_BYTES)
        if too_big.any():
            faults += _cell_faults(
                table, column.name, raw, too_big, "cell_size", f"cell is over {MAX_CELL_BYTES:,} bytes"
            )
            raw = pc.if_else(pa.array(too_big), pa.scalar(None, raw.type), raw)
        try:
            return raw.cast(pa.string())
        except pa.ArrowInvalid:
            cells = raw.to_pylist()
            for position, cell in enumerate(cells):
                try:
                    cell is None or cell.decode("utf-8")
                except UnicodeDecodeError as error:
                    faults.append(
                        Fault(
                            table=table.name,
                            row_id=None,
                            column=column.name,
                            rule="encoding",
                            message=f"not UTF-8 (byte {error.start + 1} of the cell): save the file as UTF-8",
                            value=shorten(cell.decode("utf-8", "replace")),
                            position=position,
                        )  # fmt: skip
                    )
                    cells[position] = None
            return pa.array([None if c is None else c.decode("utf-8") for c in cells], pa.string())
    return raw.cast(pa.string())


def _sure_dates(text: pa.Array) -> np.ndarray:
    """Cells sure to be real days in ISO form: YYYY-MM-DD from year 1000, day 01 to 28."""
    sure = np.zeros(len(text), dtype=bool)
    buffers = value_bytes(text)
    if buffers is None or not len(buffers[1]):
        return sure
    offsets, data = buffers
    ten = np.flatnonzero(np.diff(offsets) == 10)
    if not len(ten):
        return sure
    if len(ten) == len(text):  # all cells of ten bytes, side by side: no gathering
        cells = data.reshape(-1, 10)
    else:
        cells = data[offsets[ten][:, None] + np.arange(10)]
    digits = cells - np.uint8(ord("0"))  # a byte that is no digit wraps above 9
    shape = digits <= 9
    shape[:, 4], shape[:, 7] = cells[:, 4] == ord("-"), cells[:, 7] == ord("-")
    month, day = digits[:, 5] * 10 + digits[:, 6], digits[:, 8] * 10 + digits[:, 9]
    sure[ten] = shape.view(np.uint8).sum(axis=1, dtype=np.uint8) == 10
    sure[ten] &= (digits[:, 0] >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 28)
    return sure


def _parse_dates(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Whether each cell is a date, and the dates: sure dates cast at once, the others parsed
    and checked one by one (there are few)."""
    sure = _sure_dates(text)
    try:
        sure_days = text.filter(sure).cast(pa.date32())
    except pa.ArrowInvalid:  # not so sure after all: check them all
        sure[:] = False
        sure_days = pa.array([], pa.date32())
    others = text.filter(~sure)
    days = pc.strptime(others, ISO_DATE, "s", error_is_null=True).cast(pa.date32())
    # strptime rolls 2024-09-31 over to October and takes 2024-9-1: insist on a round trip
    # (a date's cast to text is ISO 8601, and much faster than strftime).
    other_ok = pc.fill_null(pc.equal(days.cast(pa.string()), others), False)
    ok = np.ones(len(text), dtype=bool)
    ok[~sure] = other_ok.to_numpy(zero_copy_only=False)
    parsed = np.full(len(text), np.datetime64("NaT"), dtype="M8[D]")
    parsed[sure] = sure_days.to_numpy(zero_copy_only=False)
    parsed[~sure] = pc.if_else(other_ok, days, pa.scalar(None, pa.date32())).to_numpy(zero_copy_only=False)
    return pa.array(ok), pa.array(parsed, pa.date32(), from_pandas=True)


def _parse(table: Table, column: Column, text: pa.Array, faults: list[Fault]) -> pa.Array:
    """Strings to the column's Arrow type; a cell that does not parse is a fault and a null."""
    if column.is_list:
        # An empty cell is an empty list.
        return pc.fill_null(pc.split_pattern(text, LIST_DELIMITER), pa.scalar([], pa.list_(pa.string()))).cast(
            arrow_type(column)
        )
    if column.kind is Kind.integer:
        ok = pc.match_substring_regex(text, INTEGER)
        parsed = pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.int64())
    elif column.kind is Kind.date:
        try:
            return text.cast(pa.date32())  # strict ISO 8601, and real days only
        except pa.ArrowInvalid:
            pass  # find which cells are bad
        ok, parsed = _parse_dates(text)
    elif column.kind is Kind.boolean:
        ok = pc.is_in(text, pa.array(["true", "false"]))
        parsed = pc.if_else(ok, pc.equal(text, "true"), pa.scalar(None, pa.bool_()))
    else:
        return text
    bad = _mask(pc.and_(text.is_valid(), pc.invert(pc.fill_null(ok, False))))
    if bad.any():
        faults += _cell_faults(table, column.name, text, bad, "type", TYPE_MESSAGES[column.kind])
    return parsed


def parse_arrow(table: Table, data: pa.Table) -> tuple[pa.Table, list[Fault], np.ndarray]:
    """Arrow data in the contract's types (enums kept as plain strings, so a bad value stays
    visible), the faults of single cells, and a mask of blank rows (every cell empty). The
    contract's rules on values (text among them) are checked afterwards, on the typed data."""
    faults: list[Fault] = []
    arrays, blank = [], np.ones(data.num_rows, dtype=bool)
    for column in table.columns:
        raw = one_array(data.column(column.name))
        text = _decode(table, column, raw, faults)
        if text.null_count and blank.any():
            blank &= text.is_null().to_numpy(zero_copy_only=False)
        elif not text.null_count:
            blank[:] = False
        arrays.append(_parse(table, column, text, faults))
    return pa.Table.from_arrays(arrays, names=[c.name for c in table.columns]), faults, blank


def as_frame(typed: pa.Table) -> pd.DataFrame:
    return typed.to_pandas(types_mapper=_types_mapper, ignore_metadata=True)
