"""Read a JSON Lines file (one JSON object a line) in chunks of CSV cells, each row at its line.

A value of the wrong JSON type (a number for a text column, say) is a fault of its cell; a
line that is not one JSON object with unique keys is a fault of its line.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.rules import UNKNOWN_COLUMN, broken_type_rule
from peacetrack.tables import LIST_DELIMITER, Column, Kind, Table
from peacetrack.validator.readers.chunks import BATCH_ROWS, Chunk, Progress, max_columns, reading_fault


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()  # a set, not a count per key: a line may hold 100,000 keys
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key {shorten(key)!r} appears more than once")
        seen.add(key)
    return dict(pairs)


def _json_cell(column: Column, value: Any) -> tuple[str | None, bool]:
    """The CSV cell of a JSON value, and whether its JSON type fits the column."""
    if value is None:
        return None, True
    if column.is_list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (LIST_DELIMITER.join(value) if ok else json.dumps(value)), ok
    if column.kind is Kind.boolean:
        return ("true" if value else "false") if isinstance(value, bool) else json.dumps(value), isinstance(value, bool)
    if column.kind is Kind.integer:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (str(value) if ok else json.dumps(value)), ok
    return (value if isinstance(value, str) else json.dumps(value)), isinstance(value, str)


def _parse_line(text: bytes, line: int) -> tuple[dict[str, Any] | None, str, str]:
    """The line's object, or None with the rule and message of why it is none."""
    try:
        row = json.loads(text.decode("utf-8-sig" if line == 1 else "utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as error:
        return None, "encoding", f"not UTF-8 (byte {error.start + 1} of the line): save the file as UTF-8"
    except ValueError as error:
        return None, "json", f"not a JSON object: {shorten(error, MESSAGE_WIDTH)}"
    except RecursionError:
        return None, "json", "nested too deeply to read: a row's values are strings, numbers and lists of strings"
    if not isinstance(row, dict):
        return None, "json", "each line must be one JSON object"
    return row, "", ""


def read_jsonl(path: Path, table: Table, progress: Progress | None = None) -> Generator[Chunk | Fault, None, None]:
    file = str(path)
    contract = {c.name: c for c in table.columns}
    cells: dict[str, list[bytes | None]] = {n: [] for n in contract}
    row_lines: list[int] = []
    faults: list[Fault] = []
    first = 0

    def chunk() -> Chunk:
        data = pa.table({n: pa.array(v, pa.binary()) for n, v in cells.items()})
        return Chunk(file, table, data, np.array(row_lines, dtype=np.int64), first, faults=faults)

    with path.open("rb") as raw:
        for line, text in enumerate(raw, start=1):
            if not text.strip():
                continue
            row, rule, message = _parse_line(text, line)
            if row is None:
                yield reading_fault(file, line, rule, message, table=table.name)
                continue
            if len(row) > max_columns(table):
                message = f"{len(row)} keys: the contract has {len(contract)} columns"
                yield reading_fault(file, line, "too_many_columns", message, table=table.name)
                continue
            for key in row:
                if key not in contract:
                    message = UNKNOWN_COLUMN.says(column=shorten(key))
                    yield reading_fault(file, line, UNKNOWN_COLUMN.name, message, str(key), table=table.name)
            position = len(row_lines)
            for name, column in contract.items():
                value = row.get(name)
                cell, ok = _json_cell(column, value)
                if not ok:  # in the words of the contract's type rule, as a coding file's value
                    wrong = broken_type_rule(column, value)
                    faults.append(
                        Fault(
                            table=table.name,
                            row_id=None,
                            column=name,
                            rule=wrong.name,
                            message=wrong.message,
                            value=shorten(cell),
                            position=position,
                        )
                    )
                cells[name].append(None if cell in (None, "") else cell.encode("utf-8", "surrogateescape"))
            row_lines.append(line)
            if len(row_lines) == BATCH_ROWS:
                yield chunk()
                first += len(row_lines)
                cells, row_lines, faults = {n: [] for n in contract}, [], []
                if progress:
                    progress(raw.tell())
    if row_lines:
        yield chunk()
