"""What every reader yields, and the checks of a file's column names that all formats share.

A reader turns a file into `Chunk`s of raw cells, one binary column per contract column as
CSV would write it, each row with the place it came from, plus located `Fault`s of what could
not become cells (ragged rows, bad JSON, wrong headers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from peacetrack.checks import check_schema
from peacetrack.faults import Fault, Severity, shorten
from peacetrack.rules import UNKNOWN_COLUMN
from peacetrack.tables import Kind, Table, pandas_dtype

BATCH_ROWS = 100_000  # rows per chunk of Parquet and JSON Lines, and of the csv module's path
COLUMNS_FACTOR = 10  # a file with more than this many times the contract's columns is refused
Progress = Callable[[int], None]  # told the bytes of the file read so far


@dataclass
class Chunk:
    """Raw cells of some rows of one file, with where each row is.

    `data` has one column per contract column, as CSV text (binary or string). `lines` gives
    each row's physical line (CSV, JSON Lines); without it rows are numbered from `first_row`.
    `faults` are faults of single cells found while reading, by position in the chunk.
    """

    file: str
    table: Table
    data: pa.Table
    lines: np.ndarray | None
    first_row: int
    header: tuple[str, ...] = ()
    faults: list[Fault] = field(default_factory=list)

    def rows(self) -> Rows:
        lines = self.lines
        if lines is not None and len(lines) and lines[-1] - lines[0] == len(lines) - 1:
            return Rows(self.file, None, self.first_row, int(lines[0]))  # a row a line: the first says all
        return Rows(self.file, lines, self.first_row)


@dataclass(frozen=True)
class Rows:
    """Where a chunk's rows came from, without the chunk's cells: kept for every chunk until
    the end, so memory grows with the rows' lines, not with their cells; and not even with
    those when each row is on the line after the one before (`first_line`, as usual)."""

    file: str
    lines: np.ndarray | None
    first_row: int
    first_line: int | None = None  # the line of the first row, each row on the next line

    def locate(self, fault: Fault, position: int, /, **changes: object) -> Fault:
        if self.first_line is not None:
            return fault.but(file=self.file, line=self.first_line + position, position=None, **changes)
        if self.lines is not None:
            return fault.but(file=self.file, line=int(self.lines[position]), position=None, **changes)
        row = self.first_row + position + 1
        return fault.but(file=self.file, line=None, position=None, message=f"row {row}: {fault.message}", **changes)


def reading_fault(
    file: str | None,
    line: int | None,
    rule: str,
    message: str,
    column: str | None = None,
    value: object = None,
    table: str | None = None,
    severity: Severity = "error",
) -> Fault:
    """A fault found while reading a file, its column name and value shortened (both are the
    file's own: a name may be long), undecodable bytes in the value shown replaced."""
    if isinstance(value, str):  # undecodable bytes read with surrogateescape
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return Fault(
        table=table,
        row_id=None,
        column=None if column is None else shorten(column),
        rule=rule,
        message=message,
        value=None if value is None else shorten(value),
        file=file,
        line=line,
        severity=severity,
    )


def max_columns(table: Table) -> int:
    """More columns than this is not a contributed table, and too many to check one by one."""
    return COLUMNS_FACTOR * len(table.columns)


def check_header(table: Table, names: list[str], file: str, line: int | None) -> tuple[list[Fault], bool]:
    """Faults of a file's column names, and whether its rows can be read at all.

    Missing and misordered columns are the contract's own rules (pandera, on an empty frame
    of the file's contract columns: a name such as `dask` would make pandera take the frame
    for another library's); unknown and duplicated names are reading faults.
    """
    contract = {c.name: c for c in table.columns}
    if names == list(contract):  # the usual case, and nothing to find: spare loading pandera
        return [], True
    if len(names) > max_columns(table):
        message = f"{len(names)} columns: the contract has {len(contract)}; is this a {table.name} file?"
        return [reading_fault(file, line, "too_many_columns", message, table=table.name)], False
    faults: list[Fault] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            message = f"column {shorten(name)!r} appears more than once"
            faults.append(reading_fault(file, line, "duplicate_column", message, name, table=table.name))
        elif name not in contract:
            message = UNKNOWN_COLUMN.says(column=shorten(name))
            faults.append(reading_fault(file, line, UNKNOWN_COLUMN.name, message, name, table=table.name))
        seen.add(name)
    if len(names) == 1 and len(contract) > 1:
        for delimiter in (";", "\t", "|"):
            if sum(part.strip() in contract for part in names[0].split(delimiter)) >= 2:
                message = f"fields are separated by {delimiter!r}: peacetrack CSV files use commas"
                return [reading_fault(file, line, "delimiter", message, table=table.name)], False
    import pandas as pd

    known = [n for n in dict.fromkeys(names) if n in contract]
    empty = pd.DataFrame(
        {
            n: pd.Series([], dtype=pandas_dtype(contract[n]) if contract[n].kind is not Kind.enum else "string")
            for n in known
        }
    )
    for fault in check_schema(table, empty):
        if fault.rule == "missing_column":
            fault = fault.but(column=fault.value)
        faults.append(fault.located(file, line))
    readable = not any(f.rule in ("duplicate_column", "missing_column") for f in faults)
    return faults, readable
