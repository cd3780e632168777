"""The second pass: the rules across rows and tables, on the keys the first pass kept.

Unique ids, foreign keys and canonical ids on the input's keys joined with the release's;
evidence links and spans when the input has evidence rows (else a warning per table that
needed them). Faults about released rows are not the contributor's: only the input's are kept.

The keys are in a file (`keys.Keys`), read back a part at a time; each rule holds what grows
with the distinct values it looks for, or with the rows at fault, not with the rows:
- unique ids: an 8-byte hash of each id (`keys.hash64`); the rows whose hash another row has
  too are read back and their ids compared, so a collision never makes a fault (nor hides one:
  equal ids have equal hashes);
- foreign keys: the distinct values of each key column, looked for among the parent's ids;
  only the rows holding a value that is not there are read back, and given to
  `check_foreign_keys` with the parent's ids, which says what it would say of every row;
- canonical ids: the canonical ids that are not the row's own, then the rows holding one of
  them; only when one is shared by no other row is every id read, for `check_canonical_ids`.
Rows at fault are held, and, when a key is unknown or a canonical id is shared by no other
row, every id of the table it names: its faults suggest the ids nearest to the wrong one.
Buys, measured with `scripts/bench_validate.py --memory`: the peak of validating 2 million
rows 400 MB instead of 505-529 MB, the same as of 500,000 rows; the second pass itself takes
0.95 s of CPU instead of 1.17 s at 2 million rows (it sorted every id as a string).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.checks import check_canonical_ids, check_foreign_keys
from peacetrack.evidence import check_evidence_links, check_spans
from peacetrack.faults import Fault
from peacetrack.rowdata import TAKE_ROWS, check_threads, is_in, one_array, repeated, taken
from peacetrack.rules import UNIQUE
from peacetrack.tables import CLAIM_TABLES, TABLES
from peacetrack.validator.cells import as_frame
from peacetrack.validator.first_pass import Validator
from peacetrack.validator.keys import NULL_HASH, KeptRows, Keys, among


def check_across(validator: Validator) -> None:
    """Every rule across rows and tables, its faults to the validator's spool."""
    kept = validator.kept
    tables = [name for name in TABLES if kept.keys[name].count]
    in_union = [name for name in TABLES if kept.keys[name].count or name in kept.release]
    # Hashing and sorting every id (numpy, mostly without the GIL) goes on beside the other checks.
    twice = {name: check_threads().submit(repeated_positions, kept.keys[name]) for name in tables}
    for name in tables:
        validator.spool.add_all(kept.mine(foreign_key_faults(kept, name, in_union)))
    for name in CLAIM_TABLES:
        if kept.keys[name].count:
            validator.spool.add_all(kept.mine(canonical_id_faults(kept, name)))
    for name in tables:
        validator.spool.add_all(repeated_ids(kept, name, twice[name].result()))
    proven = [n for n in ("actors", *CLAIM_TABLES) if kept.keys[n].count]
    if validator.spool.enough:
        return
    if validator.has_evidence:
        frames = {name: as_frame(kept.union(name)) for name in in_union} | {"evidence": validator.evidence()}
        validator.spool.add_all(kept.mine(check_evidence_links(frames)))
        evidence = as_frame(kept.keys["evidence"].data())
        whole = evidence[["char_start", "char_end", "quote", "source_id"]].notna().all(axis=1)
        spans = evidence[whole]
        in_evidence = (
            f if f.position is None else f.but(position=int(spans.index[f.position]))
            for f in check_spans(spans, validator.texts)
        )
        validator.spool.add_all(kept.mine(in_evidence))
    elif proven:
        validator.spool.add_all(
            Fault(
                table=name,
                row_id=None,
                column=None,
                rule="evidence_unchecked",
                message=f"no evidence rows in the input: {kept.keys[name].count} {name} rows not checked for "
                "evidence; pass evidence rows too",
                severity="warning",
            )
            for name in proven
        )


def repeated_positions(keys: Keys) -> np.ndarray:
    """The positions of the rows whose id another row has too: rows whose hash another row's
    is (sorted hashes, side by side), then of those, rows whose id is another's (compared)."""
    hashes = keys.hashes()
    ordered = np.sort(hashes)
    same = ordered[1:] == ordered[:-1]
    doubled = np.unique(ordered[1:][same])
    del ordered, same
    doubled = doubled[doubled != NULL_HASH]  # nulls never repeat
    if not len(doubled):
        return np.empty(0, dtype=np.int64)
    maybe = np.flatnonzero(among(hashes, doubled))  # np.unique sorts
    return maybe[repeated(keys.take(maybe)[keys.table.primary_key])]


def repeated_ids(kept: KeptRows, name: str, positions: np.ndarray) -> Iterator[Fault]:
    """A fault for each row whose id another row has too; ids taken a slice at a time."""
    table, keys = TABLES[name], kept.keys[name]
    for start in range(0, len(positions), TAKE_ROWS):
        some = positions[start : start + TAKE_ROWS]
        ids = keys.take(some)[table.primary_key]
        for position, row_id in zip(some.tolist(), map(str, taken(ids, np.arange(len(some)))), strict=True):
            yield keys.locate(
                Fault(
                    table=name,
                    row_id=row_id,
                    column=table.primary_key,
                    rule=UNIQUE.name,
                    message=UNIQUE.message,
                    value=row_id,
                    position=position,
                )
            )


def _plain(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A key column as one array of its plain values (a dictionary's decoded)."""
    values = one_array(values)
    return values.dictionary_decode() if pa.types.is_dictionary(values.type) else values


def _items(values: pa.Array) -> tuple[pa.Array, np.ndarray | None]:
    """The ids of a key column, and for a list column the row of each item (None: one a row)."""
    if pa.types.is_list(values.type):
        return pc.list_flatten(values), pc.list_parent_indices(values).to_numpy()
    return values, None


def foreign_key_faults(kept: KeptRows, name: str, in_union: list[str]) -> Iterator[Fault]:
    """`check_foreign_keys` of the input rows of one table, without holding every row: its
    distinct values of each key column are looked for among the parent's ids, and only the
    rows with a value not found are given to it, beside every id of the parent."""
    table, keys = TABLES[name], kept.keys[name]
    for column, parent in table.foreign_keys.items():
        if parent not in in_union:
            continue
        distinct = _distinct(part[column] for part in keys.parts())
        found = np.zeros(len(distinct), dtype=bool)
        for ids in _parent_ids(kept, parent):
            found |= is_in(distinct, ids)
        unknown = distinct.filter(pa.array(~found))
        if not len(unknown):
            continue
        positions, rows = _rows_holding(keys, column, unknown)
        pk, parent_pk = table.primary_key, TABLES[parent].primary_key
        parent_ids = pa.chunked_array(list(_parent_ids(kept, parent)), pa.string())
        if parent == name:  # the parent's ids are rows of the same table, their key null
            blank = pa.nulls(len(parent_ids), rows.schema.field(column).type)
            frames = {name: pa.concat_tables([rows, pa.table({pk: parent_ids, column: blank}, schema=rows.schema)])}
        else:
            frames = {name: rows, parent: pa.table({parent_pk: parent_ids})}
        for fault in check_foreign_keys(frames):
            if fault.table == name and fault.position is not None and fault.position < len(positions):
                yield fault.but(position=int(positions[fault.position]))


def _distinct(columns: Iterable[pa.ChunkedArray]) -> pa.Array:
    """The distinct values (items, of a list column) of a key column's parts, nulls aside. A
    dictionary-encoded part's by its indices: its values are not made one a row."""
    values = [pa.array([], pa.string())]
    for column in columns:
        array = one_array(column)
        if pa.types.is_dictionary(array.type):
            values.append(pc.unique(array).dictionary_decode())
        else:
            values.append(pc.unique(_items(array)[0]))
    return pc.unique(pa.concat_arrays(values)).drop_null()


def _parent_ids(kept: KeptRows, parent: str) -> Iterator[pa.Array]:
    """Every id of a parent table, input's and release's, a part at a time."""
    pk = TABLES[parent].primary_key
    for part in kept.keys[parent].parts():
        yield _plain(part[pk]).cast(pa.string())
    if parent in kept.release:
        yield _plain(kept.released_keys(parent)[pk]).cast(pa.string())


def _rows_holding(keys: Keys, column: str, values: pa.Array) -> tuple[np.ndarray, pa.Table]:
    """The positions of the rows whose `column` holds one of `values` (an item of it, for a
    list), and their primary key and `column`, its values plain."""
    pk = keys.table.primary_key
    positions: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    rows: list[pa.Table] = []
    for offset, part in zip(keys.offsets, keys.parts(), strict=True):
        plain = _plain(part[column])
        items, parents = _items(plain)
        holds = is_in(items, values)
        if parents is not None:
            holds = np.isin(np.arange(len(plain)), parents[holds])
        at = np.flatnonzero(holds)
        positions.append(offset + at)
        rows.append(pa.table({pk: _plain(part[pk]).take(at), column: plain.take(at)}))
    return np.concatenate(positions), pa.concat_tables(rows)


def canonical_id_faults(kept: KeptRows, name: str) -> Iterator[Fault]:
    """`check_canonical_ids` of a claim table's rows, input's then release's, without holding
    every row when it finds nothing: the canonical ids that are not their row's own, then
    whether another row shares each; only if one is shared by none are all read, for it."""
    table = TABLES[name]
    pk = table.primary_key
    wanted: list[pa.Array] = [pa.array([], pa.string())]
    for part in kept.union_parts(name):
        canonical, own = (_plain(part[c]).cast(pa.string()) for c in ("canonical_id", pk))
        other = pc.fill_null(pc.not_equal(canonical, own), False)
        wanted.append(pc.unique(canonical.filter(other)))
    distinct = pc.unique(pa.concat_arrays(wanted))
    if not len(distinct):
        return
    held: list[pa.Array] = [pa.array([], pa.string())]
    other_held: list[np.ndarray] = [np.empty(0, dtype=bool)]
    for part in kept.union_parts(name):
        canonical, own = (_plain(part[c]).cast(pa.string()) for c in ("canonical_id", pk))
        holds = pa.array(is_in(canonical, distinct))
        held.append(canonical.filter(holds))
        other = pc.fill_null(pc.not_equal(canonical.filter(holds), own.filter(holds)), False)
        other_held.append(other.to_numpy(zero_copy_only=False))
    alone = np.concatenate(other_held) & ~repeated(pa.concat_arrays(held))
    if alone.any():
        yield from check_canonical_ids(table, kept.union(name))
