"""From raw cells to the contract's types, one column at a time, with a fault per bad cell.

Every input (CSV, Parquet, JSON Lines) is first brought to the same shape: one binary column
per contract column, as CSV would write it (empty cell = null, `;`-joined lists, ISO dates,
`true`/`false`). Here each column is decoded and parsed with Arrow kernels, so that a bad
cell becomes a fault at its row and column instead of an exception, and the rest is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.faults import Fault, shorten
from peacetrack.rowdata import one_array, taken
from peacetrack.rules import plain_screened, plain_text, type_rule, value_bytes
from peacetrack.tables import LIST_DELIMITER, Column, Table, _types_mapper, arrow_type

if TYPE_CHECKING:
    import pandas as pd

MAX_CELL_BYTES = 65_536


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


def _decode(table: Table, column: Column, raw: pa.Array, faults: list[Fault]) -> tuple[pa.Array, np.ndarray | None]:
    """Binary cells to UTF-8 strings; oversized or undecodable cells become faults and nulls.
    For a column whose rules on text `plain_text` screens, also which cells are plain text.

    The screen runs on the cells' bytes before they are known to be UTF-8: RE2 matches a cell
    whole only when it is the UTF-8 of plain characters, so when every cell is plain, no cell
    needs decoding apart. Buys: on 500,000 statements of `scripts/bench_validate.py --text
    contributor`, 0.12 s of CPU (UTF-8 validation of quote, summary and occasion); and the
    screen runs here, in the reading thread, beside the checks of the chunk before."""
    screened = plain_screened(column)
    if pa.types.is_binary(raw.type) or pa.types.is_large_binary(raw.type):
        too_big = _over(raw, MAX_CELL_BYTES)
        if too_big.any():
            faults += _cell_faults(
                table, column.name, raw, too_big, "cell_size", f"cell is over {MAX_CELL_BYTES:,} bytes"
            )
            raw = pc.if_else(pa.array(too_big), pa.scalar(None, raw.type), raw)
        unchecked = raw.view(pa.large_string() if pa.types.is_large_binary(raw.type) else pa.string())
        plain = plain_text(unchecked) if screened else None
        if plain is not None and plain.all():
            return unchecked, plain
        try:
            return raw.cast(pa.string()), plain
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
                        )
                    )
                    cells[position] = None
            return pa.array([None if c is None else c.decode("utf-8") for c in cells], pa.string()), plain
    text = raw.cast(pa.string())
    return text, plain_text(text) if screened else None


def _parse(table: Table, column: Column, text: pa.Array, faults: list[Fault]) -> pa.Array:
    """Strings to the column's Arrow type by its type rule; a cell that does not parse is a
    fault and a null."""
    if column.is_list:
        # An empty cell is an empty list.
        return pc.fill_null(pc.split_pattern(text, LIST_DELIMITER), pa.scalar([], pa.list_(pa.string()))).cast(
            arrow_type(column)
        )
    rule = type_rule(column)
    if rule.parse is None:
        return text
    ok, parsed = rule.parse(text)
    bad = ~ok & text.is_valid().to_numpy(zero_copy_only=False)
    if bad.any():
        faults += _cell_faults(table, column.name, text, bad, rule.name, rule.message)
    return parsed


def parse_arrow(table: Table, data: pa.Table) -> tuple[pa.Table, list[Fault], np.ndarray, dict[str, np.ndarray]]:
    """Arrow data in the contract's types (enums kept as plain strings, so a bad value stays
    visible), the faults of single cells, a mask of blank rows (every cell empty), and of the
    text columns' cells that are plain text (`plain_text`, where it screens). The contract's
    rules on values (text among them) are checked afterwards, on the typed data."""
    faults: list[Fault] = []
    arrays, blank, plain = [], np.ones(data.num_rows, dtype=bool), {}
    for column in table.columns:
        raw = one_array(data.column(column.name))
        text, plain_cells = _decode(table, column, raw, faults)
        if plain_cells is not None:
            plain[column.name] = plain_cells
        if text.null_count and blank.any():
            blank &= text.is_null().to_numpy(zero_copy_only=False)
        elif not text.null_count:
            blank[:] = False
        arrays.append(_parse(table, column, text, faults))
    return pa.Table.from_arrays(arrays, names=[c.name for c in table.columns]), faults, blank, plain


def as_frame(typed: pa.Table) -> pd.DataFrame:
    """Arrow data as a frame, for the rules on frames (pandas is imported then); dictionary-
    encoded keys (`keys.key_schema`) as the plain strings they stand for."""
    plain = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in typed.schema]
    typed = typed.cast(pa.schema(plain))
    return typed.to_pandas(types_mapper=_types_mapper, ignore_metadata=True)
