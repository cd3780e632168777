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

from peacetrack.checks import Fault, shorten
from peacetrack.tables import LIST_DELIMITER, Column, Kind, Table, _types_mapper, arrow_type

MAX_CELL_BYTES = 65_536
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_START = pa.array(["=", "+", "@", "\t", "\r"])
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
    for position in np.flatnonzero(bad):
        value = raw[int(position)].as_py()
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        yield Fault(table.name, None, column, rule, message, value=None if value is None else shorten(value), position=int(position))


def _decode(table: Table, column: Column, raw: pa.Array, faults: list[Fault]) -> pa.Array:
    """Binary cells to UTF-8 strings; oversized or undecodable cells become faults and nulls."""
    if pa.types.is_binary(raw.type) or pa.types.is_large_binary(raw.type):
        too_big = _mask(pc.greater(pc.binary_length(raw), MAX_CELL_BYTES))
        if too_big.any():
            faults += _cell_faults(table, column.name, raw, too_big, "cell_size", f"cell is over {MAX_CELL_BYTES:,} bytes")
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
                            table.name, None, column.name, "encoding",
                            f"not UTF-8 (byte {error.start + 1} of the cell): save the file as UTF-8",
                            value=shorten(cell.decode("utf-8", "replace")), position=position,
                        )  # fmt: skip
                    )
                    cells[position] = None
            return pa.array([None if c is None else c.decode("utf-8") for c in cells], pa.string())
    return raw.cast(pa.string())


def _parse(table: Table, column: Column, text: pa.Array, faults: list[Fault]) -> pa.Array:
    """Strings to the column's Arrow type; a cell that does not parse is a fault and a null."""
    if column.is_list:
        # An empty cell is an empty list.
        return pc.fill_null(pc.split_pattern(text, LIST_DELIMITER), pa.scalar([], pa.list_(pa.string()))).cast(arrow_type(column))
    if column.kind is Kind.integer:
        ok = pc.match_substring_regex(text, INTEGER)
        parsed = pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.int64())
    elif column.kind is Kind.date:
        try:
            return text.cast(pa.date32())  # strict ISO 8601, and real days only
        except pa.ArrowInvalid:
            pass  # find which cells are bad
        days = pc.strptime(text, ISO_DATE, "s", error_is_null=True).cast(pa.date32())
        # strptime rolls 2024-09-31 over to October and takes 2024-9-1: insist on a round trip
        # (a date's cast to text is ISO 8601, and much faster than strftime).
        ok = pc.equal(days.cast(pa.string()), text)
        parsed = pc.if_else(ok, days, pa.scalar(None, pa.date32()))
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
    visible), the faults of single cells, and a mask of blank rows (every cell empty)."""
    faults: list[Fault] = []
    arrays, blank = [], np.ones(data.num_rows, dtype=bool)
    for column in table.columns:
        raw = data.column(column.name).combine_chunks()
        text = _decode(table, column, raw, faults)
        blank &= ~_mask(text.is_valid())
        if column.kind is Kind.text:
            formula = _mask(pc.is_in(pc.utf8_slice_codeunits(text, 0, 1), FORMULA_START))
            faults += _cell_faults(
                table, column.name, text, formula, "formula",
                "starts with =, +, @, a tab or a carriage return: a spreadsheet would run it as a formula",
            )  # fmt: skip
            if not column.pattern:  # a pattern of the contract rejects control characters already
                nul = _mask(pc.match_substring(text, "\x00"))
                faults += _cell_faults(table, column.name, text, nul, "nul_byte", "contains a NUL byte")
        arrays.append(_parse(table, column, text, faults))
    return pa.Table.from_arrays(arrays, names=[c.name for c in table.columns]), faults, blank


def as_frame(typed: pa.Table) -> pd.DataFrame:
    return typed.to_pandas(types_mapper=_types_mapper, ignore_metadata=True)


def parse_cells(table: Table, data: pa.Table) -> tuple[pd.DataFrame, list[Fault], np.ndarray]:
    """`parse_arrow`, as a pandas frame."""
    typed, faults, blank = parse_arrow(table, data)
    return as_frame(typed), faults, blank
