"""The physical line each CSV record starts on, found after pyarrow has parsed the records.

pyarrow numbers records, not lines, and skips ragged records (telling their numbers and
text). A record's line is its number, plus the line breaks inside the records before it
(quoted cells may hold line breaks), plus those inside the header. `CsvLines` keeps the sums
as chunks come, the line breaks of kept records only where there are some.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.rules import value_bytes


class CsvLines:
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
    is below 0x0E (`\n` is 0x0A, `\r` 0x0D).

    A screen before `cell_line_breaks`, as cells seldom break lines: the smallest byte of
    100,000 cells of scripts/bench_validate.py's file is found in about 1 ms a column; counting
    their line breaks takes about 120 ms a column (measured: 0.016 s against 1.85 s for the 15
    columns): more than the rest of the validation of those rows takes."""
    buffers = value_bytes(values)
    return buffers is not None and len(buffers[1]) > 0 and int(buffers[1].min()) <= 0x0D
