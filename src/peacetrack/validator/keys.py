"""What the first pass keeps of each input row for the second: its keys and where it came from.

The rules across rows and tables (unique ids, foreign keys, canonical ids, evidence) need only
the key columns of every row, plus the release's. They are written to a file in the run's
private folder, each chunk's as an Arrow IPC stream of its own, and read back a part at a time
by the second pass (`second_pass`): memory does not grow with the rows. In memory stay a few
numbers a chunk (where its part is, where its rows came from) and, in the second pass, an
8-byte hash of each id (`hash64`, for the repeated ids). Buys, measured with
`scripts/bench_validate.py --memory`: the kept keys took 52 bytes a row in memory (106 MB of
2 million rows), and the peak grew by 80 bytes a row; it is now flat (400 MB at 500,000 and at
2 million rows). Costs: a part written and read back a few times, 0.05 s of 500,000 rows.

Foreign keys (a statement's speaker, target and source) repeat from row to row: they are
kept dictionary-encoded, each chunk's distinct ids once and a 4-byte index a row, so their
distinct values are found without making a string a row.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa

from peacetrack.faults import Fault
from peacetrack.rowdata import RowData, is_in, one_array
from peacetrack.tables import TABLES, Table, arrow_type


class Locate(Protocol):
    """Gives a fault about the row at a position of a chunk the file and line the row came
    from, and `changes` too: one copy of the fault, as there may be many."""

    def __call__(self, fault: Fault, position: int, /, **changes: object) -> Fault: ...


ENCODED = pa.dictionary(pa.int32(), pa.string())


NULL_HASH = np.uint64(0)  # a null's hash: no value has it
LONG_BYTES = 64  # values longer than this are hashed one by one (hashlib), shorter ones 8 bytes at a time
_MIX = np.uint64(0x9E3779B97F4A7C15)
_FINAL = np.uint64(0xBF58476D1CE4E5B9)


def hash64(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each string (NULL_HASH for a null), by numpy over Arrow's buffers:
    8 bytes of every value at a time, so a chunk of short ids takes a few array operations.

    Two different values may have the same hash (with ids of a file, about one pair in 10^7
    files of 2 million rows; more if someone makes them so): a hash only says which values may be
    equal, and whoever finds two equal hashes compares the values themselves."""
    values = one_array(values)
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    values = values.cast(pa.large_string())
    count = len(values)
    hashed = np.full(count, NULL_HASH, dtype=np.uint64)
    if values.null_count == count:
        return hashed
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset : values.offset + count + 1]
    starts, lengths = offsets[:-1], np.diff(offsets)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]] if offsets[-1] else None
    padded = np.zeros((0 if data is None else len(data)) + 8, dtype=np.uint8)  # every 8-byte read inside
    if data is not None:
        padded[: len(data)] = data
    starts = starts - offsets[0]
    # The 8 bytes at each byte offset, as one little-endian number (a view: nothing copied).
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded.data, strides=(1,))
    short = lengths <= LONG_BYTES
    hashed[:] = lengths.astype(np.uint64) * _MIX
    active = np.flatnonzero(short & (lengths > 0))
    step = 0
    while len(active):
        left = lengths[active] - step
        word = words[starts[active] + step]
        partial = left < 8
        word[partial] &= (np.uint64(1) << (left[partial].astype(np.uint64) * np.uint64(8))) - np.uint64(1)
        mixed = (hashed[active] ^ word) * _MIX
        hashed[active] = mixed ^ (mixed >> np.uint64(29))
        active, step = active[left > 8], step + 8
    for at in np.flatnonzero(~short).tolist():
        start = int(starts[at])
        digest = hashlib.blake2b(padded[start : start + int(lengths[at])].tobytes(), digest_size=8).digest()
        hashed[at] = np.frombuffer(digest, dtype="<u8")[0]
    hashed ^= hashed >> np.uint64(31)
    hashed *= _FINAL
    hashed ^= hashed >> np.uint64(32)
    hashed[hashed == NULL_HASH] = 1
    if values.null_count:
        hashed[values.is_null().to_numpy(zero_copy_only=False)] = NULL_HASH
    return hashed


def among(hashes: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Whether each hash is one of `ordered` (sorted): by binary search, as numpy's `isin` of
    a few hashes among many takes 60 times longer (0.6 s among 500,000)."""
    if not len(ordered):
        return np.zeros(len(hashes), dtype=bool)
    return ordered[np.minimum(np.searchsorted(ordered, hashes), len(ordered) - 1)] == hashes


def key_columns(table: Table) -> list[str]:
    """What the second pass needs of a row: its key, foreign keys, canonical id and a
    source's length; all of evidence."""
    if table.name == "evidence":
        return [c.name for c in table.columns]
    wanted = {table.primary_key, *table.foreign_keys, "canonical_id", "char_count"}  # char_count: spans' bounds
    return [c.name for c in table.columns if c.name in wanted]


@cache
def key_schema(table: Table) -> pa.Schema:
    """The key columns' Arrow types, every one nullable: a missing value is a fault, not an
    error; a foreign key (not a list of them, nor evidence's, kept whole) dictionary-encoded."""
    names = key_columns(table)
    return pa.schema(
        [
            pa.field(c.name, ENCODED if c.references and not c.is_list and table.name != "evidence" else arrow_type(c))
            for c in table.columns
            if c.name in names
        ]
    )


def key_data(table: Table, data: RowData) -> pa.Table:
    """The key columns of rows, as Arrow data: a few buffers per chunk, not an object per value."""
    schema = key_schema(table)
    if isinstance(data, pa.Table):
        return data.select(schema.names).cast(schema)
    return pa.Table.from_pandas(data[schema.names], preserve_index=False).cast(schema)  # categories to strings too


class Keys:
    """The key columns of every input row of one table, in a file of the validation's private
    folder, and where each row came from. Each part (a chunk's rows) is its own Arrow IPC stream
    at the file's end, read back a part at a time: what stays in memory is a few numbers a part,
    however many rows the file has."""

    def __init__(self, table: Table, folder: Path) -> None:
        self.table, self.path = table, folder / f"keys-{table.name}.arrows"
        self.spans: list[tuple[int, int]] = []  # where each part's stream is in the file: start, length
        self.locates: list[Locate] = []
        self.offsets: list[int] = []  # first position of each part
        # Each row's position in its chunk; None for a part of every row of its chunk, in order.
        self.positions: list[np.ndarray | None] = []
        self.count = 0
        self._hashes: np.ndarray | None = None
        self._hashing = threading.Lock()  # the second pass asks from two threads: hashed once

    def add(self, keys: pa.Table, positions: np.ndarray, locate: Locate) -> None:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, keys.schema) as writer:
            writer.write_table(keys)
        stream = sink.getvalue()
        with self.path.open("ab") as out:
            self.spans.append((out.tell(), stream.size))
            out.write(stream)
        every_row = len(positions) == 0 or (positions[0] == 0 and positions[-1] == len(positions) - 1)
        self.positions.append(None if every_row else positions)  # as usual: no row left out
        self.locates.append(locate)
        self.offsets.append(self.count)
        self.count += keys.num_rows
        self._hashes = None

    def parts(self) -> Iterator[pa.Table]:
        """Each part in turn, read from the file."""
        if not self.spans:
            return
        with self.path.open("rb") as stream:
            for start, length in self.spans:
                stream.seek(start)
                yield pa.ipc.open_stream(stream.read(length)).read_all()

    def data(self) -> pa.Table:
        """Every part as one table, in memory: for the rules that need all of them at once."""
        parts = list(self.parts())
        return pa.concat_tables(parts) if parts else key_schema(self.table).empty_table()

    def take(self, positions: np.ndarray) -> pa.Table:
        """The rows at some positions (in increasing order), read a part at a time."""
        ends = np.array([*self.offsets[1:], self.count], dtype=np.int64)
        wanted = np.searchsorted(ends, positions, side="right")  # the part of each position
        rows = [key_schema(self.table).empty_table()]
        for index, (offset, part) in enumerate(zip(self.offsets, self.parts(), strict=True)):
            mine = positions[wanted == index]
            if len(mine):
                rows.append(part.take(pa.array(mine - offset)))
        return pa.concat_tables(rows, promote_options="permissive")

    def hashes(self) -> np.ndarray:
        """The `hash64` of every row's primary key: 8 bytes a row, kept for the second pass."""
        with self._hashing:
            if self._hashes is None:
                pk = self.table.primary_key
                self._hashes = np.concatenate([np.empty(0, np.uint64), *(hash64(part[pk]) for part in self.parts())])
            return self._hashes

    def locate(self, fault: Fault) -> Fault:
        assert fault.position is not None
        part = bisect.bisect_right(self.offsets, fault.position) - 1
        index, positions = fault.position - self.offsets[part], self.positions[part]
        local = index if positions is None else int(positions[index])
        return self.locates[part](fault, local)


class KeptRows:
    """The keys of every input row, by table, beside the release they are checked against."""

    def __init__(self, release: Mapping[str, pa.Table], folder: Path) -> None:
        self.release = release
        self.keys: dict[str, Keys] = {name: Keys(table, folder) for name, table in TABLES.items()}
        self._released_keys: dict[str, pa.Table] = {}
        # What coding files' faults said already (`seeds.said_key`): the rules on it are not said.
        self.said: set[tuple[str | None, str | None, str | None]] = set()
        # Sources whose coding file is in the input: it proves their rows, not their released evidence.
        self.recoded: set[str] = set()

    def released_keys(self, name: str) -> pa.Table:
        if name not in self._released_keys:
            self._released_keys[name] = key_data(TABLES[name], self.release[name])
        return self._released_keys[name]

    def union(self, name: str) -> pa.Table:
        """Input rows first, then released rows whose ids the input does not use: in memory."""
        mine = self.keys[name].data()
        return mine if name not in self.release else pa.concat_tables([mine, self.released_rest(name)])

    def union_parts(self, name: str) -> Iterator[pa.Table]:
        """The rows of `union`, a part at a time."""
        yield from self.keys[name].parts()
        if name in self.release:
            yield self.released_rest(name)

    def released_rest(self, name: str) -> pa.Table:
        """The released rows whose ids the input does not use."""
        table, released = TABLES[name], self.released_keys(name)
        if name == "evidence" and self.recoded:
            released = released.filter(pa.array(~is_in(released["source_id"], pa.array(sorted(self.recoded)))))
        ids = released[table.primary_key]
        # Which released ids the input uses: those whose hash an input id has, then those an input id is.
        maybe = among(hash64(ids), np.sort(self.keys[name].hashes()))
        maybe[ids.is_null().to_numpy(zero_copy_only=False)] = False
        if not maybe.any():
            return released
        candidates = one_array(ids).filter(pa.array(maybe))
        used = np.zeros(len(candidates), dtype=bool)
        for part in self.keys[name].parts():
            used |= is_in(candidates, part[table.primary_key])
        return released.filter(pa.array(~is_in(ids, candidates.filter(pa.array(used)))))

    def mine(self, faults: Iterable[Fault]) -> Iterator[Fault]:
        """Faults about input rows only, located in their files, but those said already."""
        if self.said:
            from peacetrack.entries import said_key
        for fault in faults:
            if self.said and said_key(fault) in self.said:
                continue
            if fault.position is None:
                yield fault
            elif fault.table and fault.position < self.keys[fault.table].count:
                yield self.keys[fault.table].locate(fault)
