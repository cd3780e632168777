"""Read contributed files (CSV, Parquet, JSON Lines) in chunks of raw cells, keeping where
each row came from: the physical line of a CSV or JSON Lines record, the row of a Parquet file.

A reader yields `Chunk`s and located `Fault`s (ragged rows, bad JSON, wrong headers). It
raises `Unreadable` when a file cannot be read at all. It never writes to its input.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import threading
import weakref
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from queue import Empty, Queue
from typing import Any, BinaryIO, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from pyarrow.fs import LocalFileSystem

from peacetrack.checks import check_schema
from peacetrack.errors import Unreadable
from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.rules import value_bytes
from peacetrack.tables import LIST_DELIMITER, Column, Kind, Table, arrow_type, pandas_dtype

BLOCK_BYTES = 1 << 20  # CSV bytes parsed at once: larger blocks parse slower (CPU caches)
BATCH_READAHEAD = 16  # blocks parsed ahead of the checks
CHUNK_BYTES = 16 << 20  # CSV cells checked at once: smaller chunks cost more per row
BATCH_ROWS = 100_000  # rows per chunk of Parquet and JSON Lines, and of the slow CSV path
HEADER_BYTES = 1 << 20  # a header longer than this is refused
COLUMNS_FACTOR = 10  # a file with more than this many times the contract's columns is refused
CSV_FIELD_LIMIT = 16 << 20  # the csv module's own limit; cells over MAX_CELL_BYTES are faults anyway
Progress = Callable[[int], None]


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
        return Rows(self.file, self.lines, self.first_row)


@dataclass(frozen=True)
class Rows:
    """Where a chunk's rows came from, without the chunk's cells: kept for every chunk until
    the end, so memory grows with the rows' lines, not with their cells."""

    file: str
    lines: np.ndarray | None
    first_row: int

    def locate(self, fault: Fault, position: int, /, **changes: object) -> Fault:
        if self.lines is not None:
            return fault.but(file=self.file, line=int(self.lines[position]), position=None, **changes)
        row = self.first_row + position + 1
        return fault.but(file=self.file, line=None, position=None, message=f"row {row}: {fault.message}", **changes)


def _fault(
    file: str,
    line: int | None,
    rule: str,
    message: str,
    column: str | None = None,
    value: Any = None,
    table: str | None = None,
    severity: str = "error",
) -> Fault:
    if isinstance(value, str):  # undecodable bytes read with surrogateescape: show them replaced
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    column = None if column is None else shorten(column)  # a file's own name for a column may be long
    return Fault(
        table=table,
        row_id=None,
        column=column,
        rule=rule,
        message=message,
        value=None if value is None else shorten(value),
        file=file,
        line=line,
        severity=severity,
    )  # type: ignore[arg-type]


# --- headers ---------------------------------------------------------------------------------


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
        return [_fault(file, line, "too_many_columns", message, table=table.name)], False
    faults: list[Fault] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            faults.append(
                _fault(
                    file,
                    line,
                    "duplicate_column",
                    f"column {shorten(name)!r} appears more than once",
                    name,
                    table=table.name,
                )
            )
        elif name not in contract:
            faults.append(
                _fault(
                    file,
                    line,
                    "unknown_column",
                    f"column {shorten(name)!r} is not in the contract",
                    name,
                    table=table.name,
                )
            )
        seen.add(name)
    if len(names) == 1 and len(contract) > 1:
        for delimiter in (";", "\t", "|"):
            if sum(part.strip() in contract for part in names[0].split(delimiter)) >= 2:
                faults = [
                    _fault(
                        file,
                        line,
                        "delimiter",
                        f"fields are separated by {delimiter!r}: peacetrack CSV files use commas",
                        table=table.name,
                    )
                ]
                return faults, False
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


# --- CSV -------------------------------------------------------------------------------------


def _header(path: Path, table: Table, file: str) -> tuple[list[str], int]:
    """The header's names and the number of physical lines it takes."""
    with path.open("rb") as raw:
        start = raw.read(HEADER_BYTES + 1)
    if not start.removeprefix(b"\xef\xbb\xbf").strip():
        raise _Stop(
            [_fault(file, 1, "empty", "the file is empty: it needs a header line naming the columns", table=table.name)]
        )
    text = start[:HEADER_BYTES].decode("utf-8-sig", errors="surrogateescape")
    csv.field_size_limit(CSV_FIELD_LIMIT)  # a name up to HEADER_BYTES: longer is a fault below
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    try:
        names = next(reader)
    except csv.Error as error:
        raise _Stop(
            [_fault(file, 1, "csv_syntax", f"the header cannot be parsed: {error}", table=table.name)]
        ) from None
    if len(start) > HEADER_BYTES and buffer.tell() == len(text) and not text.endswith(("\n", "\r")):
        message = f"the header is over {HEADER_BYTES >> 20} MB: is this a {table.name} file, or is a quote left open?"
        raise _Stop([_fault(file, 1, "header_size", message, table=table.name)])
    for index, name in enumerate(names):
        if any("\udc80" <= ch <= "\udcff" for ch in name):
            raise Unreadable(
                _fault(
                    file,
                    1,
                    "encoding",
                    f"the header is not UTF-8 (field {index + 1}): save the file as UTF-8",
                    table=table.name,
                )
            )
    return names, reader.line_num


class _Stop(Exception):
    def __init__(self, faults: list[Fault]) -> None:
        super().__init__("stop")
        self.faults = faults


class _Lines:
    """Physical line of each record, from record numbers and newlines inside records.

    pyarrow skips ragged records (reporting their record numbers) and does not count lines,
    so a row's line is its record number plus every newline inside earlier records.
    """

    def __init__(self, header_lines: int) -> None:
        self.extra = header_lines - 1  # newlines inside the header
        self.kept = 0  # rows delivered so far
        self.kept_newlines = 0
        self.sparse_index: list[np.ndarray] = []  # kept rows with newlines in them, and how many
        self.sparse_count: list[np.ndarray] = []
        self._skipped: dict[int, tuple[int, int, str]] = {}  # by record number: newlines, text

    def skip(self, number: int, text: str) -> None:
        """A record pyarrow skipped (it may report one twice: it reads the first block twice).
        Called from pyarrow's threads: one item set at a time is safe under the GIL."""
        self._skipped.setdefault(number, (number, line_breaks(text), text))

    def skipped(self) -> list[tuple[int, int, str]]:
        """Record number, line breaks and text of each skipped record so far, in order (a
        sorted copy: pyarrow's threads may be adding to them)."""
        return sorted(self._skipped.copy().values())

    def skipped_lines(self) -> list[tuple[int, int, str]]:
        """Record number, physical line and text of each skipped record, all at once."""
        skipped = self.skipped()
        numbers = np.array([s[0] for s in skipped], dtype=np.int64)
        breaks = np.array([s[1] for s in skipped], dtype=np.int64)
        earlier = np.concatenate(([0], np.cumsum(breaks)[:-1])) if len(skipped) else breaks
        kept_before = numbers - 2 - np.arange(len(skipped))  # kept rows before each
        rows = np.concatenate(self.sparse_index) if self.sparse_index else np.zeros(0, dtype=np.int64)
        counts = (
            np.concatenate(([0], np.cumsum(np.concatenate(self.sparse_count))))
            if self.sparse_count
            else np.zeros(1, dtype=np.int64)
        )
        kept_breaks = counts[np.searchsorted(rows, kept_before)]
        lines = numbers + self.extra + earlier + kept_breaks
        return [(number, int(line), text) for (number, _, text), line in zip(skipped, lines, strict=True)]

    def rows(self, newlines: np.ndarray) -> np.ndarray:
        """Lines of the next rows, given how many newlines each holds."""
        n = len(newlines)
        kept = np.arange(self.kept, self.kept + n)
        records_skipped = self.skipped()
        skipped = np.array([s[0] for s in records_skipped], dtype=np.int64)
        skipped_nl = np.array([s[1] for s in records_skipped], dtype=np.int64)
        shifted = skipped - np.arange(len(skipped))
        records = kept + 2 + np.searchsorted(shifted, kept + 2, side="right")
        before = np.concatenate(([0], np.cumsum(newlines)[:-1])) if n else np.zeros(0, dtype=np.int64)
        skipped_before = np.concatenate(([0], np.cumsum(skipped_nl)))[np.searchsorted(skipped, records)]
        lines = records + self.extra + self.kept_newlines + before + skipped_before
        has = np.flatnonzero(newlines)
        if len(has):
            self.sparse_index.append(kept[has])
            self.sparse_count.append(newlines[has])
        self.kept += n
        self.kept_newlines += int(newlines.sum())
        return lines

    def record_of(self, index: int) -> int:
        """Record number (header = 1) of the kept row at `index`."""
        skipped = self.skipped()
        shifted = np.array([s[0] for s in skipped], dtype=np.int64) - np.arange(len(skipped))
        return int(index + 2 + np.searchsorted(shifted, index + 2, side="right"))


def read_csv(path: Path, table: Table, progress: Progress | None = None) -> Iterator[Chunk | Fault]:
    file = str(path)
    try:
        names, header_lines = _header(path, table, file)
    except _Stop as stop:
        yield from stop.faults
        return
    faults, readable = check_header(table, names, file, 1)
    yield from faults
    if not readable:
        return
    lines = _Lines(header_lines)
    delivered = 0
    try:
        for chunk in prefetched(_fast_csv(path, table, names, lines, progress)):
            delivered = chunk.first_row + chunk.data.num_rows
            yield chunk
        for _, line, text in lines.skipped_lines():
            yield _ragged(file, table, line, text, len(names))
    except (pa.ArrowInvalid, OSError, UnicodeEncodeError):
        # pyarrow gave up (a record of megabytes, say, or a path that is not UTF-8): go on
        # with the exact, slower reader after the last record delivered.
        last = lines.record_of(delivered - 1) if delivered else 1
        for number, line, text in lines.skipped_lines():
            if number < last:
                yield _ragged(file, table, line, text, len(names))
        yield from _slow_csv(path, table, names, after_record=last, first_row=delivered)


T = TypeVar("T")


def prefetched(items: Generator[T, None, None]) -> Iterator[T]:
    """The items, made one ahead in a thread of their own: pyarrow parses the next block
    while the caller checks this one (both release the GIL). An exception comes in turn."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                queue.put((True, item))
                if stop.is_set():
                    return
            queue.put((False, None))
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, raised there
            queue.put((False, error))
        finally:
            items.close()

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            more, item = queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a producer blocked on a full queue see `stop`
            with contextlib.suppress(Empty):
                queue.get(timeout=0.05)
        thread.join()


def _ragged(file: str, table: Table, line: int, text: str, expected: int) -> Fault:
    if _open_quote(text):
        return _fault(
            file,
            line,
            "csv_syntax",
            "a quoted cell opened in this row is never closed: the row was not checked",
            value=text,
            table=table.name,
        )
    csv.field_size_limit(CSV_FIELD_LIMIT)
    fields = len(next(csv.reader(io.StringIO(text, newline="")), []))
    return _fault(
        file,
        line,
        "ragged",
        f"{fields} fields where the header has {expected}: the row was not checked",
        value=text,
        table=table.name,
    )


def _open_quote(text: str) -> bool:
    """Whether a record's text leaves a quoted cell open (an odd number of `"`): pyarrow then
    takes the rest of the file for one record, which starts on the line that opened it."""
    return text.count('"') % 2 == 1


def line_breaks(text: str) -> int:
    """Line breaks in a record's text as the csv module counts lines: `\n`, and a `\r` not
    followed by `\n` (pyarrow also loses the `\n` of a `\r\n` split between two blocks of
    a quoted cell: apache/arrow#51368)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def cell_line_breaks(cells: pa.Array) -> np.ndarray:
    """`line_breaks` of each cell."""

    def count(pattern: str) -> np.ndarray:
        return pc.fill_null(pc.count_substring(cells, pattern), 0).to_numpy(zero_copy_only=False).astype(np.int64)

    return count("\n") + count("\r") - count("\r\n")


def may_break_lines(values: pa.Array) -> bool:
    """Whether a cell of a string or binary array may hold a line break: only when some byte
    is below 0x0E (`\n` is 0x0A, `\r` 0x0D). Finding the smallest byte makes no array, as a
    comparison of every byte would: eight times faster, and cells seldom break lines."""
    buffers = value_bytes(values)
    return buffers is not None and len(buffers[1]) > 0 and int(buffers[1].min()) <= 0x0D


def _fast_csv(
    path: Path, table: Table, names: list[str], lines: _Lines, progress: Progress | None
) -> Generator[Chunk, None, None]:
    """pyarrow's dataset scanner: it parses ahead in threads of its own, so a busy caller
    (holding Python's GIL) does not stall the parsing, as it stalls a plain CSV reader."""

    def on_invalid(row: Any) -> str:
        if row.number is None:
            return "error"
        lines.skip(row.number, row.text)
        return "skip"

    fields = [f"f{i}" for i in range(len(names))]
    csv_format = ds.CsvFileFormat(
        read_options=pa_csv.ReadOptions(block_size=BLOCK_BYTES, column_names=fields, skip_rows_after_names=1),
        parse_options=pa_csv.ParseOptions(
            newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={field: pa.binary() for field in fields},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    fragment = csv_format.make_fragment(str(path.resolve()), filesystem=LocalFileSystem())
    _quiet_undecodable(on_invalid)
    yield from _csv_chunks(path, table, names, fields, fragment, lines, progress)


_QUIET_HANDLERS: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()
_HOOK_LOCK = threading.Lock()


def _quiet_undecodable(handler: Callable[..., Any]) -> None:
    """pyarrow decodes a skipped record's text before it calls `handler`: when the record is
    not UTF-8, the error is printed (as ignored) and pyarrow gives up, so the exact reader
    takes over and reports the record. The printed traceback would only confuse a user: a
    hook, set once, keeps it off the screen and hands every other error to the hook before."""
    with _HOOK_LOCK:
        if not getattr(sys.unraisablehook, "quiets_pyarrow_handlers", False):
            previous = sys.unraisablehook

            def hook(unraisable: Any) -> None:
                if not (isinstance(unraisable.exc_value, UnicodeDecodeError) and unraisable.object in _QUIET_HANDLERS):
                    previous(unraisable)

            hook.quiets_pyarrow_handlers = True  # type: ignore[attr-defined]
            sys.unraisablehook = hook
        _QUIET_HANDLERS.add(handler)


def _csv_chunks(
    path: Path,
    table: Table,
    names: list[str],
    fields: list[str],
    fragment: ds.FileFragment,
    lines: _Lines,
    progress: Progress | None,
) -> Iterator[Chunk]:
    index = {name: fields[names.index(name)] for name in (c.name for c in table.columns) if name in names}
    # Small blocks parse fastest, large chunks check fastest: gather blocks into chunks.
    batches: list[pa.RecordBatch] = []
    done = 0  # bytes of the file read, about: cells, and a delimiter or newline after each
    for batch in fragment.to_batches(batch_readahead=BATCH_READAHEAD):
        if not batch.num_rows:
            continue
        batches.append(batch)
        if progress:
            done += sum(
                b.size for column in batch.columns if (b := column.buffers()[2]) is not None
            ) + batch.num_rows * len(names)
            progress(done)
        if len(batches) * BLOCK_BYTES >= CHUNK_BYTES:
            yield _csv_chunk(path, table, names, index, batches, lines)
            batches = []
    if batches:
        yield _csv_chunk(path, table, names, index, batches, lines)
    if progress:
        progress(path.stat().st_size)


def _csv_chunk(
    path: Path, table: Table, names: list[str], index: dict[str, str], batches: list[pa.RecordBatch], lines: _Lines
) -> Chunk:
    data = pa.Table.from_batches(batches).combine_chunks()
    newlines = np.zeros(data.num_rows, dtype=np.int64)
    for column in data.columns:  # every column, those not in the contract too
        cells = column.chunk(0)
        if may_break_lines(cells):
            newlines += cell_line_breaks(cells)
    first = lines.kept
    row_lines = lines.rows(newlines)
    data = data.select(list(index.values())).rename_columns(list(index))
    return Chunk(str(path), table, data, row_lines, first, tuple(names))


def _slow_csv(
    path: Path, table: Table, names: list[str], after_record: int = 1, first_row: int = 0
) -> Iterator[Chunk | Fault]:
    """The csv module, record by record: slower, but it knows every record's line."""
    file = str(path)
    wanted = [c.name for c in table.columns if c.name in names]
    positions = [names.index(n) for n in wanted]
    csv.field_size_limit(CSV_FIELD_LIMIT)
    rows: list[list[str]] = []
    row_lines: list[int] = []
    first = first_row

    def chunk() -> Chunk:
        columns = {
            name: pa.array([r[p].encode("utf-8", "surrogateescape") or None for r in rows], pa.binary())
            for name, p in zip(wanted, positions, strict=True)
        }
        return Chunk(
            file,
            table,
            pa.table(columns) if rows else pa.table({n: pa.array([], pa.binary()) for n in wanted}),
            np.array(row_lines, dtype=np.int64),
            first,
            tuple(names),
        )

    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text, strict=True)
        record = 0
        last_line = 0
        try:
            for cells in reader:
                record += 1
                line, last_line = last_line + 1, reader.line_num
                if record <= after_record:
                    continue
                if not cells:
                    cells = [""] * len(names)
                if len(cells) != len(names):
                    yield _ragged(file, table, line, ",".join(cells), len(names))
                    continue
                rows.append(cells)
                row_lines.append(line)
                if len(rows) == BATCH_ROWS:
                    yield chunk()
                    first += len(rows)
                    rows, row_lines = [], []
        except csv.Error as error:  # at the line the failing record starts: a quote opened there
            rule = "cell_size" if "field larger" in str(error) else "csv_syntax"
            why = (
                "a quoted cell opened in this row is never closed"
                if "unexpected end of data" in str(error)
                else str(error)
            )
            yield _fault(
                file, last_line + 1, rule, f"the CSV cannot be parsed from this row on: {why}", table=table.name
            )
    if rows:
        yield chunk()


# --- Parquet -----------------------------------------------------------------------------------


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
    return actual == expected


def _as_text(column: Column, array: pa.Array) -> pa.Array:
    """A Parquet column as CSV cells."""
    if column.is_list:
        items = array.cast(pa.list_(pa.string()))
        return pc.binary_join(items, LIST_DELIMITER)
    return array.cast(pa.string())


def read_parquet(path: Path, table: Table, progress: Progress | None = None) -> Iterator[Chunk | Fault]:
    with path.open("rb") as source:  # opened by Python: Arrow cannot open a name that is not UTF-8
        yield from _read_parquet(source, path, table, progress)


def _read_parquet(source: BinaryIO, path: Path, table: Table, progress: Progress | None) -> Iterator[Chunk | Fault]:
    file = str(path)
    try:
        parquet = pq.ParquetFile(source)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError) as error:
        raise Unreadable(
            _fault(
                file, None, "parquet", f"not a readable Parquet file: {shorten(error, MESSAGE_WIDTH)}", table=table.name
            )
        ) from None
    faults, readable = check_header(table, schema.names, file, None)
    yield from faults
    if not readable:
        return
    wanted = [c for c in table.columns if c.name in schema.names]
    for column in wanted:
        actual = schema.field(column.name).type
        if not _same_type(column, actual):
            yield _fault(
                file,
                None,
                "parquet_type",
                f"column type is {shorten(actual, MESSAGE_WIDTH)}, the contract says {arrow_type(column)}",
                column.name,
                table=table.name,
            )
    first = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[c.name for c in wanted]):
            try:
                data = pa.table({c.name: _as_text(c, batch.column(c.name)) for c in wanted})
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                yield _fault(
                    file,
                    None,
                    "parquet_type",
                    f"values cannot be read as the contract's types: {shorten(error, MESSAGE_WIDTH)}",
                    table=table.name,
                )
                return
            yield Chunk(file, table, data, None, first)
            first += batch.num_rows
            if progress:  # bytes, about: the share of the rows read
                progress(path.stat().st_size * first // max(parquet.metadata.num_rows, 1))
    except (pa.ArrowException, OSError) as error:
        raise Unreadable(
            _fault(
                file,
                None,
                "parquet",
                f"the Parquet file is corrupt after row {first}: {shorten(error, MESSAGE_WIDTH)}",
                table=table.name,
            )
        ) from None


# --- JSON Lines ----------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()  # a set, not a count per key: a line may hold 100,000 keys
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key {shorten(key)!r} appears more than once")
        seen.add(key)
    return dict(pairs)


_JSON_TYPES: dict[Kind, tuple[type, ...]] = {Kind.integer: (int,), Kind.boolean: (bool,)}


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


def read_jsonl(path: Path, table: Table, progress: Progress | None = None) -> Iterator[Chunk | Fault]:
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
            try:
                row = json.loads(text.decode("utf-8-sig" if line == 1 else "utf-8"), object_pairs_hook=_no_duplicates)
            except UnicodeDecodeError as error:
                yield _fault(
                    file,
                    line,
                    "encoding",
                    f"not UTF-8 (byte {error.start + 1} of the line): save the file as UTF-8",
                    table=table.name,
                )
                continue
            except ValueError as error:
                yield _fault(
                    file, line, "json", f"not a JSON object: {shorten(error, MESSAGE_WIDTH)}", table=table.name
                )
                continue
            except RecursionError:
                yield _fault(
                    file,
                    line,
                    "json",
                    "nested too deeply to read: a row's values are strings, numbers and lists of strings",
                    table=table.name,
                )
                continue
            if not isinstance(row, dict):
                yield _fault(file, line, "json", "each line must be one JSON object", table=table.name)
                continue
            if len(row) > max_columns(table):
                yield _fault(
                    file,
                    line,
                    "too_many_columns",
                    f"{len(row)} keys: the contract has {len(contract)} columns",
                    table=table.name,
                )
                continue
            for key in row:
                if key not in contract:
                    yield _fault(
                        file,
                        line,
                        "unknown_column",
                        f"column {shorten(key)!r} is not in the contract",
                        str(key),
                        table=table.name,
                    )
            position = len(row_lines)
            for name, column in contract.items():
                cell, ok = _json_cell(column, row.get(name))
                if not ok:
                    faults.append(
                        Fault(
                            table=table.name,
                            row_id=None,
                            column=name,
                            rule="type",
                            message=f"wrong JSON type for a {column.kind}{' list' if column.is_list else ''} column",
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


READERS: dict[str, Callable[[Path, Table, Progress | None], Iterator[Chunk | Fault]]] = {
    ".csv": read_csv,
    ".parquet": read_parquet,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
