"""Validate contributed rows against the contract and a release, reporting every fault.

Two passes. The first streams each file chunk by chunk and runs every rule that needs only
the row (cells, schema, dates, quotes, row rules, collisions with released rows), keeping
the key columns of each row. The second runs the rules across rows and tables on those keys
plus the release: unique keys, foreign keys, canonical ids and evidence. So memory grows
with the key columns (and the evidence rows), not with the files. Faults go to sorted runs in
temporary files as they are found, merged in file order when the report is written: memory
does not grow with the faults either.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
import os
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from peacetrack.checks import (
    TAKE_ROWS,
    RowData,
    arrow_values,
    check_canonical_ids,
    check_dates,
    check_evidence_links,
    check_foreign_keys,
    check_quotes,
    check_row_rules,
    check_schema,
    check_sources,
    check_spans,
    check_threads,
    check_values,
    is_in,
    repeated,
    sha256_text,
    shorten,
    taken,
)
from peacetrack.errors import CallError, Refused, Unreadable
from peacetrack.faults import Fault
from peacetrack.links import check_inside, input_root, names_inside
from peacetrack.release import csv_frame, read_tables
from peacetrack.tables import (
    ARTICLE,
    CLAIM_TABLES,
    CODING_FILE,
    TABLES,
    Kind,
    Table,
    arrow_type,
)
from peacetrack.validator.cells import as_frame, parse_arrow
from peacetrack.validator.readers import READERS, Chunk, Progress, prefetched

# Parents before children, and evidence before the claims whose quotes it must contain.
TABLE_ORDER = ("sources", "actors", "evidence", *CLAIM_TABLES)
PROGRESS_BYTES = 50_000_000
RUN_FAULTS = 100_000  # faults held before a sorted run goes to disk
MERGE_RUNS = 200  # runs merged into one beyond this: open files stay few
RUN_BATCH = 1_000  # faults pickled together in a run: one at a time costs a hundred times more
FAULT_FIELDS = [f.name for f in fields(Fault)]
fault_fields = operator.attrgetter(*FAULT_FIELDS)


@dataclass
class Stopped:
    """What a run stopped by `max_faults` did not check."""

    max_faults: int
    file: str | None = None  # the file being read: its rows after `rows_read` were not
    rows_read: int = 0
    files_not_read: list[str] = field(default_factory=list)
    across_rows: bool = False  # whether the rules across rows and tables were run

    def record(self) -> dict[str, object]:
        return {
            "max_faults": self.max_faults, "file": self.file, "rows_read": self.rows_read,
            "files_not_read": self.files_not_read, "across_rows_checked": self.across_rows,
        }  # fmt: skip

    def __str__(self) -> str:
        parts = [f"stopped early after {self.max_faults:,} error(s) (--max-faults)"]
        if self.file is not None:
            parts.append(f"{self.file}: rows after the first {self.rows_read:,} not read")
        if self.files_not_read:
            parts.append(f"{len(self.files_not_read)} file(s) not read")
        if not self.across_rows:
            parts.append("rules across rows and tables not checked")
        return "; ".join(parts)


@dataclass
class Report:
    """Faults in file order (at most `max_faults` errors) and per-rule totals of every fault found.

    From `checking`, `faults` streams from temporary files, readable until it exits."""

    faults: Iterable[Fault] = ()
    rows: int = 0
    files: int = 0
    unreadable: bool = False  # some input could not be read at all
    totals: Counter[tuple[str, str]] = field(default_factory=Counter)  # (severity, rule): faults found
    stopped: Stopped | None = None

    def count(self, severity: str) -> int:
        return sum(n for (kind, _), n in self.totals.items() if kind == severity)

    @property
    def valid(self) -> bool:
        return not self.unreadable and not self.count("error")

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.count("error") else 0


class Spool:
    """Faults in file order without holding them: sorted runs of them in a folder, merged when read.

    Files rank as their first fault comes, a file's faults by line, faults of one line as they
    came (a fault of a whole file, line 0, first). The runs are pickled: written and read only
    by this process, in a folder of its own that no other user may write to."""

    def __init__(self, folder: Path, max_errors: int | None = None) -> None:
        self.folder, self.max_errors = folder, max_errors
        self.ranks: dict[str | None, int] = {}
        self.held: list[tuple[object, ...]] = []
        self.runs: list[Path] = []
        self.totals: Counter[tuple[str, str]] = Counter()
        self.count = self.errors = self.written = 0

    def add(self, fault: Fault) -> None:
        rank = self.ranks.setdefault(fault.file, len(self.ranks))
        self.held.append((rank, fault.line or 0, self.count, *fault_fields(fault)))
        self.count += 1
        self.totals[fault.severity, fault.rule] += 1
        self.errors += fault.severity == "error"
        if len(self.held) >= RUN_FAULTS:
            self.spill()

    def add_all(self, faults: Iterable[Fault]) -> None:
        """Until there are enough errors: the rest is not looked at."""
        for fault in faults:
            if self.enough:
                return
            self.add(fault)

    @property
    def enough(self) -> bool:
        return self.max_errors is not None and self.errors >= self.max_errors

    def spill(self) -> None:
        if self.held:
            self.held.sort()  # the third item is unique: no comparison goes past it
            self.runs.append(self._write(self.held))
            self.held = []
        if len(self.runs) > MERGE_RUNS:
            runs, self.runs = self.runs, [self._write(self._merged(self.runs))]
            for run in runs:
                run.unlink()

    def _write(self, records: Iterable[tuple[object, ...]]) -> Path:
        self.written += 1
        path = self.folder / f"run-{self.written}.pickle"
        records = iter(records)
        with path.open("wb") as out:
            while batch := list(itertools.islice(records, RUN_BATCH)):
                pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    @staticmethod
    def _read(path: Path) -> Iterator[tuple[object, ...]]:
        with path.open("rb") as stream:
            while True:
                try:
                    yield from pickle.load(stream)
                except EOFError:
                    return

    @classmethod
    def _merged(cls, runs: list[Path]) -> Iterator[tuple[object, ...]]:
        readers = [cls._read(run) for run in runs]
        try:
            yield from heapq.merge(*readers)
        finally:
            for reader in readers:  # each closes its file
                reader.close()

    def __iter__(self) -> Iterator[Fault]:
        """Every fault in file order, up to the `max_errors`th error."""
        self.spill()
        errors = 0
        for record in self._merged(self.runs):
            fault = object.__new__(Fault)  # as Fault.but makes one: far faster than __init__
            fault.__dict__.update(zip(FAULT_FIELDS, record[3:], strict=True))
            yield fault
            errors += fault.severity == "error"
            if self.max_errors is not None and errors >= self.max_errors:
                return


# --- where rows come from ---------------------------------------------------------------------


class Locate(Protocol):
    """Gives a fault about the row at a position of a chunk the file and line the row came
    from, and `changes` too: one copy of the fault, as there may be many."""

    def __call__(self, fault: Fault, position: int, /, **changes: object) -> Fault: ...


def key_columns(table: Table) -> list[str]:
    """What the second pass needs of a row: its key, foreign keys, canonical id and a
    source's length; all of evidence."""
    if table.name == "evidence":
        return [c.name for c in table.columns]
    wanted = {table.primary_key, *table.foreign_keys, "canonical_id", "char_count"}  # char_count: spans' bounds
    return [c.name for c in table.columns if c.name in wanted]


@cache
def key_schema(table: Table) -> pa.Schema:
    """The key columns' Arrow types, every one nullable: a missing value is a fault, not an error."""
    names = key_columns(table)
    return pa.schema([pa.field(c.name, arrow_type(c)) for c in table.columns if c.name in names])


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
    positions: list[np.ndarray] = field(default_factory=list)  # each row's position in its chunk
    count: int = 0
    _data: pa.Table | None = None

    def add(self, keys: pa.Table, positions: np.ndarray, locate: Locate) -> None:
        self.parts.append(keys)
        self.positions.append(positions)
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
        local = int(self.positions[part][fault.position - self.offsets[part]])
        return self.locates[part](fault, local)


# --- the release and the texts -------------------------------------------------------------------


def load_release(against: str | Path | None) -> tuple[dict[str, pd.DataFrame], list[Fault]]:
    """The release to check against: a version or `latest` (None: latest), found as `load`
    finds it, or a folder of Parquet tables given as a path (`./1.0.0` for one named so)."""
    from peacetrack.index import is_release_name

    if against is not None and not is_release_name(str(against)):
        if not Path(against).is_dir():
            message = f"--against {str(against)[:80]!r}: neither a release version (or latest) nor a folder"
            raise Unreadable(Fault(rule="release", message=message, file=str(against)[:80]))
        folder = Path(os.path.abspath(against))  # `..` taken out by its name: each folder on the way is then checked
        try:
            for name in TABLES:  # a table may be a link to a file of the machine: none is followed
                check_inside(folder / f"{name}.parquet", input_root(folder))
        except Refused as refused:
            raise Unreadable(
                Fault(
                    rule=refused.rule,
                    message=f"cannot read the release: {refused.message}",
                    file=str(folder),
                )
            ) from None
        except OSError:
            pass  # read_tables says what is missing
    else:  # found as `load` finds it: its files are checked against their published hashes, links refused
        try:
            folder = _release_path(None if against is None else str(against))
        except Exception as error:  # noqa: BLE001 - any failure to find a release is reported
            if against is None:
                warning = Fault(
                    rule="no_release",
                    message=f"no release to check against ({error}): keys are checked within the input only",
                    severity="warning",
                )
                return {}, [warning]
            raise Unreadable(
                Fault(
                    rule="release",
                    message=f"cannot find release {against!r}: {error}",
                    file=str(against),
                )
            ) from None
    try:
        return read_tables(folder), []
    except Exception as error:  # noqa: BLE001 - a broken release folder is reported, not raised
        raise Unreadable(
            Fault(
                rule="release",
                message=f"cannot read the release: {error}",
                file=str(folder),
            )
        ) from None


def _release_path(version: str | None) -> Path:
    """The verified tables' folder of a release, found as `load` finds it."""
    from peacetrack.data import table_folder  # written beside this module; imported only when asked

    return table_folder(version)[1]


def find_texts(inputs: Iterable[tuple[Path, Path]], sources: pd.DataFrame | None) -> tuple[dict[str, str], list[Fault]]:
    """Source texts at hand: seeds/<source_id>/article.txt next to an input (an input and
    the folder it is checked inside), or in ./seeds. None is reached through a link.

    A text whose hash differs from the released source row is not the same text: not used.
    The seed folder of a coding file given is left to that file's reading.
    """
    from peacetrack.coding import read_article
    from peacetrack.errors import FileFault

    inputs, cwd = list(inputs), Path.cwd()
    candidates = [(Path("seeds"), cwd)] + [(p.parent / "seeds", root) for p, root in inputs]
    candidates += [(p.parent.parent, root) for p, root in inputs if p.name == CODING_FILE]
    folders = {cwd / folder: (folder, root) for folder, root in reversed(candidates)}  # each once
    coded = {cwd / p.parent for p, _ in inputs if p.name == CODING_FILE}
    known = (
        {}
        if sources is None
        else dict(zip(sources["source_id"].astype(str), sources["text_sha256"].astype(str), strict=True))
    )
    texts: dict[str, str] = {}
    faults: list[Fault] = []
    for folder, root in (folders[key] for key in sorted(folders)):
        try:
            names = names_inside(folder, root)
        except Refused as refused:
            if refused.rule != "not_a_file":  # a file named seeds is no seeds folder: not ours
                faults.append(
                    Fault(
                        rule=refused.rule,
                        message=refused.message,
                        file=str(folder),
                    )
                )
            continue
        except OSError:
            continue
        for name in names:
            article = folder / name / ARTICLE
            if name.startswith(".") or name in texts or cwd / folder / name in coded:
                continue
            try:
                text = read_article(article, root)
            except FileFault as error:
                faults.append(error.fault)
                continue
            if text is None:
                continue
            if name in known and sha256_text(text) != known[name]:
                faults.append(
                    Fault(
                        table="sources",
                        row_id=name,
                        column="text_sha256",
                        rule="text_mismatch",
                        message="this text differs from the released source's text_sha256: not used to verify evidence",
                        file=str(article),
                        severity="warning",
                    )
                )
                continue
            texts[name] = text
    return texts, faults


# --- the validator --------------------------------------------------------------------------------


@dataclass
class ParsedChunk:
    """A chunk's cells in the contract's types, the faults of single cells and its blank rows."""

    chunk: Chunk
    typed: pa.Table
    faults: list[Fault]
    blank: np.ndarray


def parse_chunk(item: Chunk | Fault) -> ParsedChunk | Fault:
    """Needs nothing but the chunk: so it runs in the reading thread, beside the checks."""
    if isinstance(item, Fault):
        return item
    typed, faults, blank = parse_arrow(item.table, item.data)
    return ParsedChunk(item, typed, item.faults + faults, blank)


def table_of(path: Path, table: str | None) -> Table:
    name = table or path.name.split(".")[0]
    if name not in TABLES:
        raise CallError(
            f"{path}: cannot tell the table: name the file <table>{path.suffix} or pass --table ({', '.join(TABLES)})"
        )
    return TABLES[name]


class Validator:
    def __init__(self, release: Mapping[str, pd.DataFrame], texts: Mapping[str, str], spool: Spool) -> None:
        self.release, self.texts, self.spool = release, texts, spool
        self.keys: dict[str, Keys] = {name: Keys(table) for name, table in TABLES.items()}
        self.rows = 0
        self.has_evidence = False
        self._evidence: pd.DataFrame | None = None
        self._released_keys: dict[str, pa.Table] = {}

    # first pass ---------------------------------------------------------------------------

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
        self.check_rows(chunk.table, parsed.typed, parsed.faults, locate, skip=parsed.blank)

    def check_rows(
        self, table: Table, data: RowData, cell_faults: list[Fault], locate: Locate, skip: np.ndarray | None = None
    ) -> None:
        """Every rule within a row, then keep the row's keys for the second pass. Arrow data
        (a file's chunk, in the contract's types) is checked by the rules' own Arrow functions,
        without pandas or pandera; a pandas frame (a coding file's rows) by pandera.
        The rules' faults go to the spool as they come: only the cells' own are held."""
        skip = np.zeros(len(data), dtype=bool) if skip is None else skip
        column_faults = (
            check_values(table, data)
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
        later = (f for f in itertools.chain.from_iterable(rules) if (f.position, f.column) not in seen)
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
        self.keys[table.name].add(keys.filter(pa.array(~skip)) if skip.any() else keys, np.flatnonzero(~skip), locate)
        self.rows += int((~skip).sum())
        if table.name == "evidence":
            self.has_evidence = True
            self._evidence = None  # more evidence: the union is made again when next asked

    def check_released(self, table: Table, data: RowData) -> Iterator[Fault]:
        """A row whose id is released: identical is a warning, different is an error."""
        released = self.release.get(table.name)
        pk = table.primary_key
        if released is None or not len(data):
            return
        found = np.flatnonzero(is_in(arrow_values(data[pk]), released[pk]))
        if not len(found):  # as usual: spare taking no rows of every column
            return
        mine = as_frame(data.take(found)) if isinstance(data, pa.Table) else data.iloc[found].reset_index(drop=True)
        old = released.set_index(released[pk].astype(str)).loc[mine[pk].astype(str)].reset_index(drop=True)
        new, old = csv_frame(table, mine).reset_index(drop=True), csv_frame(table, old)
        differs = new.fillna("\0").astype(str) != old.fillna("\0").astype(str)
        for index, position in enumerate(found.tolist()):
            columns = [c for c in differs.columns if differs.at[index, c]]
            row_id = str(mine.at[index, pk])
            if not columns:
                yield Fault(
                    table=table.name,
                    row_id=row_id,
                    column=None,
                    rule="released_row",
                    message="this row is already released, unchanged",
                    severity="warning",
                    position=position,
                )
            else:
                yield Fault(
                    table=table.name, row_id=row_id, column=columns[0], rule="release_conflict",
                    message=f"this id is released with other values in {', '.join(columns)}: a released id keeps its meaning; use a new id",
                    value=None if pd.isna(new.at[index, columns[0]]) else shorten(new.at[index, columns[0]]), position=position,
                )  # fmt: skip

    def evidence(self) -> pd.DataFrame:
        """Input evidence so far plus released evidence the input does not replace."""
        if self._evidence is None:
            self._evidence = as_frame(self.union("evidence"))
        return self._evidence

    # second pass --------------------------------------------------------------------------

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
        # Which released ids the input uses: hashing the few released ids, not the many input ones.
        used = mine[table.primary_key].filter(pa.array(is_in(mine[table.primary_key], released[table.primary_key])))
        return pa.concat_tables([mine, released.filter(pa.array(~is_in(released[table.primary_key], used)))])

    def mine(self, faults: Iterable[Fault]) -> Iterator[Fault]:
        """Faults about input rows only, located in their files."""
        for fault in faults:
            if fault.position is None:
                yield fault
            elif fault.table and fault.position < self.keys[fault.table].count:
                yield self.keys[fault.table].locate(fault)

    def check_across(self) -> None:
        tables = [name for name in TABLES if self.keys[name].count]
        # Sorting every id (Arrow, without the GIL) goes on beside the other checks.
        twice = {
            name: check_threads().submit(repeated, self.keys[name].data()[TABLES[name].primary_key]) for name in tables
        }
        union = {name: self.union(name) for name in TABLES if self.keys[name].count or name in self.release}
        self.spool.add_all(self.mine(check_foreign_keys(union)))
        for name in CLAIM_TABLES:
            if self.keys[name].count:
                self.spool.add_all(self.mine(check_canonical_ids(TABLES[name], union[name])))
        for name in tables:
            self.spool.add_all(self.repeated_ids(name, twice[name].result()))
        proven = [n for n in ("actors", *CLAIM_TABLES) if self.keys[n].count]
        if self.spool.enough:
            return
        if self.has_evidence:
            frames = {name: as_frame(data) for name, data in union.items()} | {"evidence": self.evidence()}
            self.spool.add_all(self.mine(check_evidence_links(frames)))
            evidence = as_frame(self.keys["evidence"].data())
            whole = evidence[["char_start", "char_end", "quote", "source_id"]].notna().all(axis=1)
            spans = evidence[whole]
            in_evidence = (
                f if f.position is None else f.but(position=int(spans.index[f.position]))
                for f in check_spans(spans, self.texts)
            )
            self.spool.add_all(self.mine(in_evidence))
        elif proven:
            self.spool.add_all(
                Fault(
                    table=name,
                    row_id=None,
                    column=None,
                    rule="evidence_unchecked",
                    message=f"no evidence rows in the input: {self.keys[name].count} {name} rows not checked for evidence; pass evidence rows too",
                    severity="warning",
                )  # fmt: skip
                for name in proven
            )

    def repeated_ids(self, name: str, twice: np.ndarray) -> Iterator[Fault]:
        """A fault for each row whose id another row has too; ids taken a slice at a time."""
        table, keys = TABLES[name], self.keys[name]
        positions = np.flatnonzero(twice)
        for start in range(0, len(positions), TAKE_ROWS):
            some = positions[start : start + TAKE_ROWS]
            for position, row_id in zip(
                some.tolist(), map(str, taken(keys.data()[table.primary_key], some)), strict=True
            ):
                yield keys.locate(
                    Fault(
                        table=name,
                        row_id=row_id,
                        column=table.primary_key,
                        rule="unique",
                        message="this id is used by more than one row",
                        value=row_id,
                        position=position,
                    )
                )


def _inputs(paths: Sequence[Path], table: str | None) -> tuple[list[tuple[Path, Table | None]], list[Fault]]:
    """Each readable path with its table (None for a coding file), parents first. A path that
    is or goes through a link, or leads out of the folder it is checked inside, is refused."""
    inputs: list[tuple[Path, Table | None]] = []
    faults: list[Fault] = []
    for path in paths:
        try:
            check_inside(path, input_root(path))
        except Refused as refused:
            faults.append(Fault(rule=refused.rule, message=refused.message, file=str(path)))
            continue
        except (FileNotFoundError, NotADirectoryError):
            faults.append(Fault(rule="missing_file", message="no such file", file=str(path)))
            continue
        except OSError as error:
            faults.append(
                Fault(
                    rule="unreadable",
                    message=f"cannot read: {error.strerror}",
                    file=str(path),
                )
            )
            continue
        if path.name == CODING_FILE:
            inputs.append((path, None))
        elif path.suffix.lower() not in READERS:
            faults.append(
                Fault(
                    rule="file_type",
                    message=f"cannot read {shorten(path.suffix) or 'this'} files: use .csv, .parquet, .jsonl or coding.yaml",
                    file=str(path),
                )
            )
        else:
            inputs.append((path, table_of(path, table)))
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    inputs.sort(key=lambda item: -1 if item[1] is None else rank[item[1].name])
    return inputs, faults


def validate(
    paths: Sequence[Path],
    table: str | None = None,
    against: str | Path | None = None,
    progress: bool = False,
    max_faults: int | None = None,
) -> Report:
    """Check contributed files against the contract and a release; report every fault, or
    stop once `max_faults` errors are found. Holds the faults in a list: `checking` streams them.

    Raises CallError when the call itself is wrong. Never writes to the inputs.
    """
    with checking(paths, table, against, progress, max_faults) as report:
        report.faults = list(report.faults)
    return report


@contextmanager
def checking(
    paths: Sequence[Path],
    table: str | None = None,
    against: str | Path | None = None,
    progress: bool = False,
    max_faults: int | None = None,
) -> Iterator[Report]:
    """`validate`, its report's faults read from a temporary folder deleted on leaving."""
    if table is not None and table not in TABLES:
        raise CallError(f"unknown table {table!r}: one of {', '.join(TABLES)}")
    if max_faults is not None and max_faults < 1:
        raise CallError(f"max_faults must be at least 1, not {max_faults}")
    with tempfile.TemporaryDirectory(prefix="peacetrack-faults-") as folder:
        spool = Spool(Path(folder), max_faults)
        report = Report(spool, files=len(paths), totals=spool.totals)
        _check(paths, table, against, progress, report, spool)
        yield report


def _check(
    paths: Sequence[Path], table: str | None, against: str | Path | None, progress: bool, report: Report, spool: Spool
) -> None:
    inputs, faults = _inputs(paths, table)
    spool.add_all(faults)
    report.unreadable = bool(faults)
    try:
        release, faults = load_release(against)
    except Unreadable as error:
        spool.add(error.fault)
        report.unreadable = True
        return
    spool.add_all(faults)
    texts, faults = find_texts([(p, input_root(p)) for p, _ in inputs], release.get("sources"))
    spool.add_all(faults)
    validator = Validator(release, texts, spool)
    for index, (path, table_) in enumerate(inputs):
        rows = validator.rows
        try:
            finished = (
                _read_coding(path, validator) if table_ is None else _read_rows(path, table_, validator, progress)
            )
        except Unreadable as error:
            spool.add(error.fault)
            report.unreadable, finished = True, True
        if spool.enough:
            assert spool.max_errors is not None
            rest = [str(p) for p, _ in inputs[index + 1 :]]
            report.stopped = Stopped(spool.max_errors, None if finished else str(path), validator.rows - rows, rest)
            break
    else:
        validator.check_across()
        if spool.enough:
            assert spool.max_errors is not None
            report.stopped = Stopped(spool.max_errors)
    report.rows = validator.rows


def _read_rows(path: Path, table: Table, validator: Validator, progress: bool) -> bool:
    """Check a file chunk by chunk; False when enough errors stopped it before its end."""
    with ExitStack() as stack:
        advance = _progress_bar(path, stack) if progress else None
        rows, read_faults = validator.rows, 0
        items = stack.enter_context(
            closing(prefetched(parse_chunk(item) for item in READERS[path.suffix.lower()](path, table, advance)))
        )
        for item in items:
            if isinstance(item, Fault):
                validator.spool.add(item)
                read_faults += 1
            else:
                validator.check_chunk(item)
            if validator.spool.enough:
                return next(items, None) is None  # the next chunk is read already
        if validator.rows == rows and not read_faults:
            line = 1 if path.suffix.lower() == ".csv" else None
            validator.spool.add(
                Fault(
                    table=table.name,
                    row_id=None,
                    column=None,
                    rule="no_rows",
                    message="the file has no rows",
                    file=str(path),
                    line=line,
                )
            )
    return True


def _progress_bar(path: Path, stack: ExitStack) -> Progress | None:
    """A progress bar on stderr, for a large file on a terminal."""
    size = path.stat().st_size
    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, DownloadColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    from peacetrack.terminal import printable

    bar = stack.enter_context(
        Bar(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    )
    task = bar.add_task(escape(printable(path.name, keep="")), total=size)  # the description is markup: a name is text
    return lambda done: bar.update(task, completed=done)


def _read_coding(path: Path, validator: Validator) -> bool:
    """A coding file: its seed folder read as the build reads it, then checked like rows."""
    from peacetrack.coding import Coded, SeedReader

    coded = Coded()

    def locate(fault: Fault, _position: int, /, **changes: object) -> Fault:  # by the YAML, not a position
        return coded.locate(fault.but(**changes))

    SeedReader(path.parent, coded, input_root(path)).read()
    validator.spool.add_all(coded.faults)
    validator.texts = {**validator.texts, **coded.texts}
    frames = coded.frames()
    for name in TABLE_ORDER:
        frame = frames[name]
        if not len(frame):
            continue
        table = TABLES[name]
        frame = frame.astype({c.name: "string" for c in table.columns if c.kind is Kind.enum})
        validator.check_rows(table, frame, [], locate)
    return True
