"""The first pass: every rule within a row, run on each chunk as it is read.

Cells parsed to the contract's types, then the rules on values, dates, quotes, sources, row
rules and collisions with released rows (those released unchanged are counted: one warning an
input; an actor may gain aliases, as in the build); each fault located at its file and line.
The keys of each row are kept (`KeptRows`) for the second pass.

Arrow data (a table file's chunks) is checked without pandas; a coding file's rows, and the
rows that differ from their released rows (to say how), are made pandas frames: pandas is
imported then, and a table file of new or unchanged rows is validated without it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.checks import check_dates, check_row_rules, check_schema, check_values
from peacetrack.evidence import check_quotes, check_sources
from peacetrack.faults import Fault, shorten
from peacetrack.rowdata import RowData, arrow_values, is_in, is_missing, one_array, taken
from peacetrack.rules import ACTOR_CONFLICT, ACTOR_EXTENDED, RELEASE_CONFLICT, RELEASED_ROWS
from peacetrack.tables import CLAIM_TABLES, Table, frame_from_arrow
from peacetrack.validator.cells import as_frame, parse_arrow
from peacetrack.validator.keys import KeptRows, Locate, key_data
from peacetrack.validator.readers import Chunk
from peacetrack.validator.spool import Spool

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ParsedChunk:
    """A chunk's cells in the contract's types, the faults of single cells, its blank rows and
    the plain text cells of its text columns (`parse_arrow`)."""

    chunk: Chunk
    typed: pa.Table
    faults: list[Fault]
    blank: np.ndarray
    plain: dict[str, np.ndarray]


def parse_chunk(item: Chunk | Fault) -> ParsedChunk | Fault:
    """Needs nothing but the chunk: so it runs in the reading thread, beside the checks."""
    if isinstance(item, Fault):
        return item
    typed, faults, blank, plain = parse_arrow(item.table, item.data)
    return ParsedChunk(item, typed, item.faults + faults, blank, plain)


class Validator:
    """The state of one validation: the faults' spool, the rows kept for the second pass, the
    texts at hand, the rows counted."""

    def __init__(self, release: Mapping[str, pa.Table], texts: Mapping[str, str], spool: Spool) -> None:
        self.texts, self.spool = texts, spool
        self.kept = KeptRows(release, spool.folder)
        self.rows = 0
        self.released_unchanged = 0  # rows of the input being read that a release holds as they are
        self.has_evidence = False
        self._evidence: pd.DataFrame | None = None

    def check_chunk(self, parsed: ParsedChunk) -> None:
        chunk = parsed.chunk
        locate = chunk.rows().locate  # not the chunk's: its cells are let go
        for position in np.flatnonzero(parsed.blank):
            self.spool.add(
                locate(
                    Fault(
                        table=chunk.table.name,
                        row_id=None,
                        column=None,
                        rule="blank_row",
                        message="an empty row: ignored",
                        severity="warning",
                    ),
                    int(position),
                )
            )
        self.check_rows(chunk.table, parsed.typed, parsed.faults, locate, skip=parsed.blank, plain=parsed.plain)

    def check_rows(
        self,
        table: Table,
        data: RowData,
        cell_faults: list[Fault],
        locate: Locate,
        skip: np.ndarray | None = None,
        plain: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        """Every rule within a row, then keep the row's keys for the second pass. Arrow data
        (a file's chunk, in the contract's types) is checked by the rules' own Arrow functions,
        without pandas or pandera; a pandas frame (a coding file's rows) by pandera.
        The rules' faults go to the spool as they come: only the cells' own are held."""
        skip = np.zeros(len(data), dtype=bool) if skip is None else skip
        column_faults = (
            check_values(table, data, plain)
            if isinstance(data, pa.Table)
            else (f for f in check_schema(table, data) if f.rule != "unique")
        )
        rules: list[Iterable[Fault]] = [column_faults]
        if table.name in CLAIM_TABLES:
            rules.append(check_dates(table, data))
        if table.name == "statements":
            rules.append(check_quotes(data, self.evidence() if self.has_evidence else None))
        if table.name == "sources":
            rules.append(check_sources(data, self.texts))
        rules.append(check_row_rules({table.name: data}))
        rules.append(self.check_released(table, data))
        # A cell's own fault (say, not a date) stands for the rules on its value after it.
        seen = {(f.position, f.column) for f in cell_faults}
        said = self.kept.said  # and a coding file's fault for the rules on the value it left null
        if said:
            from peacetrack.entries import said_key
        later = (
            f
            for f in itertools.chain.from_iterable(rules)
            if (f.position, f.column) not in seen and not (said and said_key(f) in said)
        )
        # The rules name their rows; the cells' faults are named here, at once: faster.
        unnamed = sorted({f.position for f in cell_faults if f.position is not None and f.row_id is None})
        row_ids = dict(
            zip(unnamed, taken(arrow_values(data[table.primary_key]), np.array(unnamed, dtype=np.int64)), strict=True)
        )
        for fault in itertools.chain(cell_faults, later):
            if fault.position is None:
                self.spool.add(fault)
            elif not skip[fault.position]:
                row_id = None if fault.row_id is not None else row_ids.get(fault.position)
                self.spool.add(
                    locate(fault, fault.position)
                    if row_id is None
                    else locate(fault, fault.position, row_id=str(row_id))
                )
        keys = key_data(table, data)  # the few key columns, then the rows: less to copy
        self.kept.keys[table.name].add(
            keys.filter(pa.array(~skip)) if skip.any() else keys, np.flatnonzero(~skip), locate
        )
        self.rows += int((~skip).sum())
        if table.name == "evidence":
            self.has_evidence = True
            self._evidence = None  # more evidence: the union is made again when next asked

    def check_released(self, table: Table, data: RowData) -> Iterator[Fault]:
        """A row whose id is released: identical is counted (`say_released`), different is an
        error; an actor may gain aliases (a warning says so), as in the build (`merged_actor`)."""
        released = self.kept.release.get(table.name)
        pk = table.primary_key
        if released is None or not len(data):
            return
        found = np.flatnonzero(is_in(arrow_values(data[pk]), released[pk]))
        if not len(found):  # as usual: spare taking no rows of every column
            return
        ids = one_array(arrow_values(data[pk])).take(pa.array(found))
        old = released.take(pc.index_in(ids, value_set=one_array(released[pk])))
        if isinstance(data, pa.Table):  # rows released as they are need no frame: pandas is not loaded
            same = _same_rows(table, data.take(found), old)
            self.released_unchanged += int(same.sum())
            found, old = found[~same], old.filter(pa.array(~same))
            if not len(found):
                return
        yield from self._released_differences(table, data, found, frame_from_arrow(table, old))

    def _released_differences(
        self, table: Table, data: RowData, found: np.ndarray, old: pd.DataFrame
    ) -> Iterator[Fault]:
        """How each row at `found` differs from its released row `old` (the same row: counted)."""
        import pandas as pd

        from peacetrack.entries import merged_actor
        from peacetrack.tablefiles import csv_frame

        pk = table.primary_key
        mine = as_frame(data.take(found)) if isinstance(data, pa.Table) else data.iloc[found].reset_index(drop=True)
        new = csv_frame(table, mine).reset_index(drop=True)
        cells = [frame.fillna("\0").astype(str) for frame in (new, csv_frame(table, old))]
        for index, position in enumerate(found.tolist()):
            row_id = str(mine.at[index, pk])
            said = {c for c in new.columns if (table.name, row_id, c) in self.kept.said}
            again, defined = ({c: str(row.at[index, c]) for c in row.columns if c not in said} for row in cells)
            added: list[str] = []
            if table.name == "actors":
                columns, added = merged_actor(
                    defined | {"aliases": _items(old.at[index, "aliases"])},
                    again | {"aliases": _items(mine.at[index, "aliases"])},
                )
            else:
                columns = [c for c in again if again[c] != defined[c]]
            value: Any = new.at[index, columns[0]] if columns else None
            fault = Fault(
                table=table.name, row_id=row_id, column=columns[0] if columns else None, rule="", message="",
                value=None if pd.isna(value) else shorten(value), position=position,
            )  # fmt: skip
            if columns and table.name == "actors":
                yield fault.but(
                    rule=ACTOR_CONFLICT.name,
                    message=ACTOR_CONFLICT.says(where="as released", columns=", ".join(columns)),
                )
            elif columns:
                yield fault.but(rule=RELEASE_CONFLICT.name, message=RELEASE_CONFLICT.says(columns=", ".join(columns)))
            elif added:
                yield fault.but(
                    column="aliases", rule=ACTOR_EXTENDED.name, severity="warning", value=shorten("; ".join(added)),
                    message=ACTOR_EXTENDED.says(aliases=", ".join(map(repr, added)), where="as released"),
                )  # fmt: skip
            else:
                self.released_unchanged += 1

    def say_released(self, file: str, table: str | None) -> None:
        """One warning for the rows of an input that are released unchanged, not one a row."""
        if self.released_unchanged:
            self.spool.add(
                Fault(
                    table=table, rule=RELEASED_ROWS.name, message=RELEASED_ROWS.says(count=f"{self.released_unchanged:,}"),
                    file=file, severity="warning",
                )
            )  # fmt: skip
        self.released_unchanged = 0

    def evidence(self) -> pd.DataFrame:
        """Input evidence so far plus released evidence the input does not replace."""
        if self._evidence is None:
            self._evidence = as_frame(self.kept.union("evidence"))
        return self._evidence


def _same_rows(table: Table, mine: pa.Table, old: pa.Table) -> np.ndarray:
    """Which rows of Arrow data equal their released rows in every column (a null equals a
    null): what `_released_differences` would find the same. Lists are compared as Python
    lists, the rest by Arrow; a row it cannot tell is left to `_released_differences`."""
    same = np.ones(mine.num_rows, dtype=bool)
    for column in table.columns:
        a, b = (one_array(data.column(column.name)) for data in (mine, old))
        if column.is_list:
            same &= np.array(
                [x is not None and x == y for x, y in zip(a.to_pylist(), b.to_pylist(), strict=True)], dtype=bool
            )
            continue
        if a.type != b.type:
            return np.zeros(mine.num_rows, dtype=bool)
        equal = pc.fill_null(pc.equal(a, b), False)
        same &= pc.or_(equal, pc.and_(a.is_null(), b.is_null())).to_numpy(zero_copy_only=False)
    return same


def _items(value: Any) -> list[str]:
    """A list cell's items; none for a null."""
    return [] if value is None or (not hasattr(value, "__len__") and is_missing(value)) else [str(v) for v in value]
