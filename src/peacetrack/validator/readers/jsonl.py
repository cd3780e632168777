"""Read a JSON Lines file (one JSON object a line) in chunks of CSV cells, each row at its line.

A value of the wrong JSON type (a number for a text column, say) is a fault of its cell; a
line that is not one JSON object with unique keys is a fault of its line.

The file is read in blocks of `BATCH_ROWS` lines (`_line_blocks`). A block is read by Arrow's
JSON reader when it is sure to read it as `json` does: as it is, when each line is one object
alone (`_block_chunk`), as a valid file's are; else in parts (`_part_by_part`), each read so
if it can, else line by line, spaces around an object and blank lines taken out
(`_arrow_chunk`), else by `json`, a line at a time, so that a bad line is a fault of its own,
its neighbours still read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.rules import UNKNOWN_COLUMN, broken_type_rule
from peacetrack.tables import LIST_DELIMITER, Column, Kind, Table
from peacetrack.validator.readers.chunks import BATCH_ROWS, Chunk, Progress, max_columns, reading_fault

BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark, allowed before the first line
READ_BYTES = 1 << 22  # a file is read in pieces of 4 MB
PART_LINES = 5_000  # lines of a part of a block that Arrow does not read as a whole


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    row = dict(pairs)
    if len(row) == len(pairs):  # as usual: no key twice
        return row
    seen: set[str] = set()  # a set, not a count per key: a line may hold 100,000 keys
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key {shorten(key)!r} appears more than once")
        seen.add(key)
    raise AssertionError("unreachable: a dict of fewer keys than pairs has a key twice")


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates)  # `json.loads` would make one a line


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
        row = _DECODER.decode(text.decode("utf-8-sig" if line == 1 else "utf-8"))
    except UnicodeDecodeError as error:
        return None, "encoding", f"not UTF-8 (byte {error.start + 1} of the line): save the file as UTF-8"
    except ValueError as error:
        return None, "json", f"not a JSON object: {shorten(error, MESSAGE_WIDTH)}"
    except RecursionError:
        return None, "json", "nested too deeply to read: a row's values are strings, numbers and lists of strings"
    if not isinstance(row, dict):
        return None, "json", "each line must be one JSON object"
    return row, "", ""


def jsonl_column(table: Table, column: Column, values: list[Any], faults: list[Fault]) -> pa.Array:
    """The CSV cells (binary, empty as null) of one column's JSON values, a chunk's at once; a
    value of the wrong JSON type is a fault of its cell, in the words of the contract's type
    rule (as a coding file's value).

    A text column's values, all strings or nulls as a valid file's are, become cells in one
    Arrow conversion; any other column, or a text column holding a value of another type, a
    value at a time. Buys, with the one decoder and the duplicate keys found by a dict's
    length: 100,000 statements of `scripts/bench_validate.py --text contributor --format
    jsonl` read line by line in 3.3 to 3.9 s of CPU instead of 4.7 s (a busy machine)."""
    if not column.is_list and column.kind not in (Kind.boolean, Kind.integer):
        try:
            text = pa.array(values, pa.string())  # refuses a number, a boolean, a list, an object
        except (pa.ArrowException, TypeError, ValueError):
            pass  # a value of another type (or text Arrow cannot hold): one by one, below
        else:
            return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text).cast(pa.binary())
    cells: list[bytes | None] = []
    for position, value in enumerate(values):
        cell, ok = _json_cell(column, value)
        if not ok:  # in the words of the contract's type rule, as a coding file's value
            wrong = broken_type_rule(column, value)
            faults.append(
                Fault(
                    table=table.name,
                    row_id=None,
                    column=column.name,
                    rule=wrong.name,
                    message=wrong.message,
                    value=shorten(cell),
                    position=position,
                )
            )
        cells.append(None if cell in (None, "") else cell.encode("utf-8", "surrogateescape"))
    return pa.array(cells, pa.binary())


def _json_type(column: Column) -> pa.DataType:
    """The JSON type a column's values have (`_json_cell`), as Arrow reads it."""
    if column.is_list:
        return pa.list_(pa.string())
    return {Kind.boolean: pa.bool_(), Kind.integer: pa.int64()}.get(column.kind, pa.string())


def _arrow_cells(column: Column, values: pa.Array) -> pa.Array:
    """`_json_cell` of Arrow's values of one column: CSV cells, binary, empty as null.

    Text without an empty string (a file that writes null for nothing, as most do) is taken
    as it is: the cast to binary copies nothing. Buys: 0.06 s of CPU instead of 0.64 s for the
    1,000,000 statements of `scripts/bench_validate.py --format jsonl` (a copy of every cell)."""
    if column.is_list:
        values = pc.binary_join(values, LIST_DELIMITER)
    text = values.cast(pa.string())
    if pc.min(pc.binary_length(text)).as_py() == 0:  # told by the offsets alone
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return text.cast(pa.binary())


def _arrow_chunk(file: str, table: Table, lines: list[bytes], first_line: int, first_row: int) -> Chunk | None:
    """A batch of lines read by Arrow's JSON reader, or None when it is not sure to read them
    as `json` does line by line: then that reads them, each fault at its line.

    Arrow takes one object of the contract's columns and JSON types a line (no key twice, no
    other key, no list item that is not a string, UTF-8 throughout) or refuses the batch. A
    line that is not one object is refused too: every line must start with `{` and end with
    `}`; that `}` closes the line's object (a string cannot run past a line's end, and no
    value of the contract is an object), so as many rows as lines are one row a line.

    Buys: the 100,000 statements of `scripts/bench_validate.py --text contributor --format
    jsonl` are read in 1.3 s of CPU instead of 3.3 to 3.9 s line by line (4.7 s before either)."""
    numbers, texts = [], []
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():  # skipped, as `_json_chunks` skips it
            continue
        text = (line.removeprefix(BOM) if number == 1 else line).strip(b" \t\r\n")  # JSON's spaces
        if not (text.startswith(b"{") and text.endswith(b"}")):
            return None
        numbers.append(number)
        texts.append(text)
    if not texts:
        return None
    return _arrow_rows(file, table, b"\n".join(texts), np.array(numbers, dtype=np.int64), first_row)


def _block_chunk(
    file: str, table: Table, block: memoryview, ends: np.ndarray, first_line: int, first_row: int
) -> Chunk | None:
    """`_arrow_chunk` of a block of whole lines ending at `ends`, given to Arrow as read when
    each line is an object alone (`{` first, `}` last, before a Windows `\\r`), as told by
    array operations on the block, never a line at a time; else None (then `_arrow_chunk` of
    its lines, which takes spaces around an object and blank lines).

    Buys, with `_line_blocks`: the reader alone takes 8.5 s of CPU instead of 12.5 s (peak
    450 MB instead of 596) on the 1,000,000 statements of `scripts/bench_validate.py --text
    contributor --format jsonl` (farm-bench, medians of 3, a busy machine)."""
    start = len(BOM) if first_line == 1 and block[: len(BOM)] == BOM else 0
    view = np.frombuffer(block, np.uint8)
    starts = np.concatenate(([start], ends[:-1] + 1))
    if not (ends > starts).all():  # an empty line
        return None
    last = ends - 1
    last -= (view[last] == ord("\r")) & (last > starts)
    if not ((view[starts] == ord("{")) & (view[last] == ord("}"))).all():
        return None
    numbers = np.arange(first_line, first_line + len(ends), dtype=np.int64)
    return _arrow_rows(file, table, block[start:], numbers, first_row)


def _arrow_rows(file: str, table: Table, text: bytes | memoryview, numbers: np.ndarray, first_row: int) -> Chunk | None:
    """Lines of one object each, read by Arrow: the chunk of their rows at `numbers`, or None
    when Arrow refuses them or does not read one row a line."""
    schema = pa.schema([(c.name, _json_type(c)) for c in table.columns])
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    try:
        data = pa_json.read_json(pa.BufferReader(pa.py_buffer(text)), parse_options=options)
        data.validate(full=True)  # UTF-8 in every string
    except (pa.ArrowException, ValueError):
        return None
    if data.num_rows != len(numbers):
        return None
    columns = []
    for column in table.columns:
        values = data.column(column.name).combine_chunks()
        if column.is_list and pc.list_flatten(values).null_count:
            return None  # a null item: `json` reads the list as not a list of strings
        columns.append(_arrow_cells(column, values))
    return Chunk(file, table, pa.Table.from_arrays(columns, names=schema.names), numbers, first_row)


def _line_blocks(
    raw: io.RawIOBase | io.BufferedIOBase, lines: int, piece: int = READ_BYTES
) -> Iterator[tuple[memoryview, np.ndarray]]:
    """The file's bytes `lines` lines at a time, as `itertools.islice(raw, lines)` takes them
    (the last block: what is left), each with where its lines end (their newlines; the file's
    end for a last line without one). A block is valid until the next is asked for.

    Read into one buffer, reused from block to block, the newlines of each piece found by one
    array operation: not a `bytes` object a line, nor fresh memory a block (the kernel's
    zeroing of new pages cost as much as finding the newlines). Buys: the 1,000,000 lines of
    `scripts/bench_validate.py --format jsonl` in blocks in 0.7 to 0.8 s of CPU, instead of
    1.5 to 1.9 s joined from pieces in new memory and 1.1 s split a line at a time."""
    buffer = bytearray(piece)
    size, kept = 0, np.empty(0, dtype=np.int64)  # bytes in the buffer, and its newlines
    while True:
        ends, found = [kept], len(kept)
        while found < lines:
            if len(buffer) - size < piece:  # grown to what `lines` lines like these take
                buffer = _grown(buffer, size, size // found * lines + piece if found else 0, piece)
            with memoryview(buffer) as free:
                read = raw.readinto(free[size : size + piece])
            if not read:
                break
            newlines = np.flatnonzero(np.frombuffer(buffer, np.uint8, read, size) == ord("\n"))
            ends.append(newlines + size)
            size, found = size + read, found + len(newlines)
        newlines = np.concatenate(ends)
        if found < lines:  # the file's end
            if size:
                last = buffer[size - 1] != ord("\n")  # a last line without its newline
                yield memoryview(buffer)[:size], np.append(newlines, size) if last else newlines
            return
        cut = int(newlines[lines - 1]) + 1
        yield memoryview(buffer)[:cut], newlines[:lines]
        buffer[: size - cut] = buffer[cut:size]  # the next lines to the front, by a copy: they may overlap
        size, kept = size - cut, newlines[lines:] - cut


def _grown(buffer: bytearray, size: int, wanted: int, piece: int) -> bytearray:
    """A larger buffer starting with the first `size` bytes of `buffer`, with room for a
    `piece` more: of `wanted` bytes, but half as large again as `buffer` at least and four
    times at most (a guess from a few long lines does not take the memory of a thousand)."""
    grown = bytearray(max(min(max(wanted, len(buffer) * 3 // 2), len(buffer) * 4), size + piece))
    grown[:size] = memoryview(buffer)[:size]
    return grown


def read_jsonl(path: Path, table: Table, progress: Progress | None = None) -> Generator[Chunk | Fault, None, None]:
    file = str(path)
    first_line, first_row, done = 1, 0, 0
    with path.open("rb", buffering=0) as raw:  # read into `_line_blocks` buffer
        for block, ends in _line_blocks(raw, BATCH_ROWS):
            chunk = _block_chunk(file, table, block, ends, first_line, first_row)
            for item in (
                [chunk] if chunk is not None else _part_by_part(file, table, block, ends, first_line, first_row)
            ):
                if isinstance(item, Chunk):
                    first_row += item.data.num_rows
                yield item
            first_line += len(ends)
            done += len(block)
            if progress:
                progress(done)


def _part_by_part(
    file: str, table: Table, block: memoryview, ends: np.ndarray, first_line: int, first_row: int
) -> Iterator[Chunk | Fault]:
    """A block Arrow does not read as a whole, in parts of `PART_LINES` lines, each read as
    fast as it allows (`_block_chunk`, else `_arrow_chunk`, else `json` a line at a time):
    the faults of its lines, then one chunk of its rows, as `_json_chunks` gives them.

    Buys: a bad line among 100,000 good ones costs the reading by `json` of its part alone.
    Reading the 100,000 statements of `scripts/bench_validate.py --format jsonl`, one line of
    them not JSON, takes 1.3 s of CPU (1.1 s without the bad line; 1,000 or 10,000 lines a
    part cost as much), where the block read whole by `json` took 4.0 to 4.6 s."""
    parts: list[Chunk] = []
    rows = 0
    for start in range(0, len(ends), PART_LINES):
        begin = 0 if start == 0 else int(ends[start - 1]) + 1
        part_ends = ends[start : start + PART_LINES]
        part = block[begin : int(part_ends[-1]) + 1]
        line = first_line + start
        chunk = _block_chunk(file, table, part, part_ends - begin, line, first_row + rows)
        if chunk is None:
            lines = list(io.BytesIO(part))
            chunk = _arrow_chunk(file, table, lines, line, first_row + rows)
        for item in [chunk] if chunk is not None else _json_chunks(file, table, lines, line, first_row + rows):
            if isinstance(item, Fault):
                yield item
            else:
                item.faults = [fault.but(position=(fault.position or 0) + rows) for fault in item.faults]
                parts.append(item)
                rows += item.data.num_rows
    if parts:
        lines_at = [part.lines for part in parts if part.lines is not None]
        yield Chunk(
            file, table, pa.concat_tables([part.data for part in parts]), np.concatenate(lines_at), first_row,
            faults=[fault for part in parts for fault in part.faults],
        )  # fmt: skip


def _json_chunks(
    file: str, table: Table, lines: list[bytes], first_line: int, first_row: int
) -> Generator[Chunk | Fault, None, None]:
    """Lines read one by one by `json`: each that is not a row is a fault of its own."""
    contract = {c.name: c for c in table.columns}
    rows: list[dict[str, Any]] = []
    row_lines: list[int] = []
    for line, text in enumerate(lines, start=first_line):
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
        if row.keys() - contract.keys():
            for key in row:
                if key not in contract:
                    message = UNKNOWN_COLUMN.says(column=shorten(key))
                    yield reading_fault(file, line, UNKNOWN_COLUMN.name, message, str(key), table=table.name)
        rows.append(row)
        row_lines.append(line)
    if rows:
        faults: list[Fault] = []
        columns = [jsonl_column(table, c, [row.get(c.name) for row in rows], faults) for c in table.columns]
        faults.sort(key=lambda fault: fault.position or 0)  # by row, each row's in the contract's order
        data = pa.Table.from_arrays(columns, names=list(contract))
        yield Chunk(file, table, data, np.array(row_lines, dtype=np.int64), first_row, faults=faults)
