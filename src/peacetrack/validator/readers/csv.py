"""Read a CSV file in chunks of raw cells, each row at the physical line it starts on.

pyarrow parses the file (ragged records skipped and reported, cells kept as bytes); when it
gives up (a record of megabytes, a ragged record that is not UTF-8, a path that is not UTF-8)
the csv module reads on from the last record delivered: slower, but it takes any file.

pyarrow's streaming reader (`open_csv`) parses a block when the one before is taken, so the
blocks in memory are the few being checked whatever the file's size. Its dataset scanner, used
before, read on as fast as it could parse: its blocks waiting for the checks grew with the
file (peak Arrow memory 198 MB at 500,000 rows of `scripts/bench_validate.py`'s file, 381 MB
at 1,000,000, against 36 MB for the streaming reader). It reads in one thread, as only then
does it number the records it skips: 5.4 s of the 1,000,000 rows instead of 3.8 s, in the
thread of `prefetched`, beside the checks, which take several times longer.
"""

from __future__ import annotations

import csv
import io
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from peacetrack.errors import Unreadable
from peacetrack.faults import Fault
from peacetrack.tables import Table
from peacetrack.validator.prefetch import prefetched
from peacetrack.validator.readers.chunks import BATCH_ROWS, Chunk, Progress, check_header, reading_fault
from peacetrack.validator.readers.csv_lines import CsvLines, cell_line_breaks, may_break_lines

BLOCK_BYTES = 1 << 20  # CSV bytes parsed at once: larger blocks parse slower (CPU caches)
CHUNK_BYTES = 16 << 20  # CSV cells checked at once: smaller chunks cost more per row
HEADER_BYTES = 1 << 20  # a header longer than this is refused
CSV_FIELD_LIMIT = 16 << 20  # the csv module's own limit; cells over MAX_CELL_BYTES are faults anyway


def _header(path: Path, table: Table, file: str) -> tuple[list[str], int]:
    """The header's names and the number of physical lines it takes."""
    with path.open("rb") as raw:
        start = raw.read(HEADER_BYTES + 1)
    if not start.removeprefix(b"\xef\xbb\xbf").strip():
        raise _Stop(
            [
                reading_fault(
                    file, 1, "empty", "the file is empty: it needs a header line naming the columns", table=table.name
                )
            ]
        )
    text = start[:HEADER_BYTES].decode("utf-8-sig", errors="surrogateescape")
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    try:
        names = next(reader)
    except csv.Error as error:
        raise _Stop(
            [reading_fault(file, 1, "csv_syntax", f"the header cannot be parsed: {error}", table=table.name)]
        ) from None
    if len(start) > HEADER_BYTES and buffer.tell() == len(text) and not text.endswith(("\n", "\r")):
        message = f"the header is over {HEADER_BYTES >> 20} MB: is this a {table.name} file, or is a quote left open?"
        raise _Stop([reading_fault(file, 1, "header_size", message, table=table.name)])
    for index, name in enumerate(names):
        if any("\udc80" <= ch <= "\udcff" for ch in name):
            raise Unreadable(
                reading_fault(
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


def read_csv(path: Path, table: Table, progress: Progress | None = None) -> Generator[Chunk | Fault, None, None]:
    with _csv_field_limit():
        yield from _read_csv(path, table, progress)


@contextmanager
def _csv_field_limit() -> Iterator[None]:
    """The csv module's limit on a cell raised while a file is read (a header name up to
    HEADER_BYTES, a cell over MAX_CELL_BYTES is a fault of its own), and put back after: the
    limit is the whole process's."""
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _read_csv(path: Path, table: Table, progress: Progress | None) -> Generator[Chunk | Fault, None, None]:
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
    lines = CsvLines(header_lines)
    delivered = 0
    try:
        for chunk in prefetched(_pyarrow_chunks(path, table, names, lines, progress)):
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
        yield from _csv_module_chunks(path, table, names, after_record=last, first_row=delivered)


def _ragged(file: str, table: Table, line: int, text: str, expected: int) -> Fault:
    if _open_quote(text):
        return reading_fault(
            file,
            line,
            "csv_syntax",
            "a quoted cell opened in this row is never closed: the row was not checked",
            value=text,
            table=table.name,
        )
    fields = len(next(csv.reader(io.StringIO(text, newline="")), []))
    return reading_fault(
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


def _pyarrow_chunks(
    path: Path, table: Table, names: list[str], lines: CsvLines, progress: Progress | None
) -> Generator[Chunk, None, None]:
    """Chunks parsed by pyarrow, each row's line counted (`CsvLines`); a ragged record is
    skipped and kept in `lines` to be reported. Read in the thread of `prefetched`, beside
    the checks of the chunk before."""

    def on_invalid(row: Any) -> str:
        if row.number is None:
            return "error"
        lines.skip(row.number, row.text)
        return "skip"

    fields = [f"f{i}" for i in range(len(names))]
    with _UNDECODABLE.quiet(on_invalid):
        reader = pa_csv.open_csv(
            str(path.resolve()),
            read_options=pa_csv.ReadOptions(
                block_size=BLOCK_BYTES, column_names=fields, skip_rows_after_names=1, use_threads=False
            ),  # in one thread: it tells the number of a skipped record only so
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
        with closing(reader):
            yield from _csv_chunks(path, table, names, fields, reader, lines, progress)


class _UndecodableRecords:
    """Keeps pyarrow's complaint about a ragged record that is not UTF-8 off the screen.

    pyarrow decodes a skipped record's text before it calls the handler; when the record is
    not UTF-8 it prints the error (as "Exception ignored") and gives up, and the csv module
    reads on and reports the record. The printed traceback would only confuse a user. So while
    a read is under way `sys.unraisablehook` drops that one error of that read's handler and
    hands every other one to the hook it replaced; the last read to end puts that hook back.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.handlers: set[Callable[..., Any]] = set()  # of the reads under way
        self.previous: Callable[[Any], object] = sys.unraisablehook

    def __call__(self, unraisable: Any) -> None:
        if not (isinstance(unraisable.exc_value, UnicodeDecodeError) and unraisable.object in self.handlers):
            self.previous(unraisable)

    @contextmanager
    def quiet(self, handler: Callable[..., Any]) -> Iterator[None]:
        with self.lock:
            if not self.handlers:
                self.previous = sys.unraisablehook
                sys.unraisablehook = self
            self.handlers.add(handler)
        try:
            yield
        finally:
            with self.lock:
                self.handlers.discard(handler)
                if not self.handlers and sys.unraisablehook is self:  # a hook set since is left alone
                    sys.unraisablehook = self.previous


_UNDECODABLE = _UndecodableRecords()


def _csv_chunks(
    path: Path,
    table: Table,
    names: list[str],
    fields: list[str],
    batches_read: Iterator[pa.RecordBatch],
    lines: CsvLines,
    progress: Progress | None,
) -> Iterator[Chunk]:
    index = {name: fields[names.index(name)] for name in (c.name for c in table.columns) if name in names}
    # Small blocks parse fastest, large chunks check fastest: gather blocks into chunks.
    batches: list[pa.RecordBatch] = []
    done = 0  # bytes of the file read, about: cells, and a delimiter or newline after each
    for batch in batches_read:
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
    path: Path, table: Table, names: list[str], index: dict[str, str], batches: list[pa.RecordBatch], lines: CsvLines
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


def _csv_module_chunks(
    path: Path, table: Table, names: list[str], after_record: int = 1, first_row: int = 0
) -> Generator[Chunk | Fault, None, None]:
    """Chunks read by the csv module, record by record, after record `after_record`: it takes
    any file pyarrow gives up on, and knows every record's line; slower, in one thread."""
    file = str(path)
    wanted = [c.name for c in table.columns if c.name in names]
    positions = [names.index(n) for n in wanted]
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
            yield reading_fault(
                file, last_line + 1, rule, f"the CSV cannot be parsed from this row on: {why}", table=table.name
            )
    if rows:
        yield chunk()
