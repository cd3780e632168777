"""What the first pass keeps of each input row for the second: its keys and where it came from.

The rules across rows and tables (unique ids, foreign keys, canonical ids, evidence) need only
the key columns of every row, plus the release's; kept as Arrow data, a few buffers per chunk,
memory grows with the keys, not with the files.

The foreign keys (a statement's speaker, target and source) repeat from row to row: they are
kept dictionary-encoded, each chunk's distinct ids once and a 4-byte index a row. Buys: the
kept keys of `scripts/bench_validate.py`'s statements take 50 bytes a row instead of 94
(`--memory` prints the peak).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pyarrow as pa

from peacetrack.faults import Fault
from peacetrack.rowdata import RowData, is_in
from peacetrack.tables import TABLES, Table, arrow_type

if TYPE_CHECKING:
    pass


class Locate(Protocol):
    """Gives a fault about the row at a position of a chunk the file and line the row came
    from, and `changes` too: one copy of the fault, as there may be many."""

    def __call__(self, fault: Fault, position: int, /, **changes: object) -> Fault: ...


ENCODED = pa.dictionary(pa.int32(), pa.string())


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


@dataclass
class Keys:
    """The key columns of every input row of one table, and where each row came from."""

    table: Table
    parts: list[pa.Table] = field(default_factory=list)
    locates: list[Locate] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # first position of each part
    # Each row's position in its chunk; None for a part of every row of its chunk, in order.
    positions: list[np.ndarray | None] = field(default_factory=list)
    count: int = 0
    _data: pa.Table | None = None

    def add(self, keys: pa.Table, positions: np.ndarray, locate: Locate) -> None:
        self.parts.append(keys)
        every_row = len(positions) == 0 or (positions[0] == 0 and positions[-1] == len(positions) - 1)
        self.positions.append(None if every_row else positions)  # as usual: no row left out
        self.locates.append(locate)
        self.offsets.append(self.count)
        self.count += keys.num_rows
        self._data = None

    def data(self) -> pa.Table:
        """Every part as one table (its chunks are the parts: nothing is copied)."""
        if self._data is None:
            self._data = pa.concat_tables(self.parts) if self.parts else key_schema(self.table).empty_table()
        return self._data

    def locate(self, fault: Fault) -> Fault:
        assert fault.position is not None
        part = bisect.bisect_right(self.offsets, fault.position) - 1
        index, positions = fault.position - self.offsets[part], self.positions[part]
        local = index if positions is None else int(positions[index])
        return self.locates[part](fault, local)


class KeptRows:
    """The keys of every input row, by table, beside the release they are checked against."""

    def __init__(self, release: Mapping[str, pa.Table]) -> None:
        self.release = release
        self.keys: dict[str, Keys] = {name: Keys(table) for name, table in TABLES.items()}
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
        """Input rows first, then released rows whose ids the input does not use."""
        table, mine = TABLES[name], self.keys[name].data()
        if name not in self.release:
            return mine
        released = self.released_keys(name)
        if name == "evidence" and self.recoded:
            released = released.filter(pa.array(~is_in(released["source_id"], pa.array(sorted(self.recoded)))))
        # Which released ids the input uses: hashing the few released ids, not the many input ones.
        used = mine[table.primary_key].filter(pa.array(is_in(mine[table.primary_key], released[table.primary_key])))
        return pa.concat_tables([mine, released.filter(pa.array(~is_in(released[table.primary_key], used)))])

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
