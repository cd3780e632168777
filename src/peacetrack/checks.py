"""Rules across rows and tables, vectorised over whole tables: pandas frames (the build,
coding files) or Arrow data (the validator's chunks), each rule one definition for both
(`rowdata`). Keys, links, dates and rules between columns of a row are here; the rules of
evidence are in `evidence`.

`check_tables` returns every fault it finds, not the first, each naming the table, the row
and the column, so a caller (the build, the validator) can point a contributor at it.
Each rule's name and message are in `rules`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.dates import NO_DATE, DateFault, Dates, read_edtf
from peacetrack.evidence import check_evidence, check_quotes, check_sources
from peacetrack.faults import Fault, shorten
from peacetrack.rowdata import (
    TAKE_ROWS,
    RowData,
    arrow_values,
    check_threads,
    column_names,
    display_value,
    is_in,
    one_array,
    present,
    repeated,
    row_faults,
    same_value,
    taken,
)
from peacetrack.rules import (
    BASIS_WITHOUT_DATE,
    CANONICAL_ID,
    COLUMN_ORDER,
    DATE_EDTF,
    DATE_ORDER,
    DATE_WITHOUT_BASIS,
    DISTINCT,
    EDTF,
    FOREIGN_KEY,
    MEDIATOR_PARTY,
    MISSING_COLUMN,
    NOT_A_PARTY,
    PART_OF,
    QUANTITY_BOUND,
    REQUIRED,
    ROUND_COUNT,
    SAME_DIRECTION,
    SELF_REFERENCE,
    SELF_TRANSFER,
    UNIQUE,
    UNKNOWN_COLUMN,
    Suggestions,
    TableRule,
    pandera_schema,
    rule_failures,
    series_values,
)
from peacetrack.tables import CLAIM_TABLES, TABLES, Column, Table

if TYPE_CHECKING:  # pandas is imported where a frame is checked: Arrow data needs none
    import pandas as pd


def check_tables(frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str]) -> list[Fault]:
    """Every fault in a set of tables; `texts` maps source ids to the texts at hand."""
    faults: list[Fault] = []
    for name, frame in frames.items():
        faults += check_schema(TABLES[name], frame)
    faults += check_foreign_keys(frames)
    faults += check_evidence(frames, texts)
    faults += check_sources(frames.get("sources"), texts)
    for name in CLAIM_TABLES:
        if name in frames:
            faults += check_dates(TABLES[name], frames[name])
            faults += check_canonical_ids(TABLES[name], frames[name])
    if "statements" in frames:
        faults += check_quotes(frames["statements"], frames.get("evidence"))
    faults += check_row_rules(frames)
    return faults


def check_schema(table: Table, frame: pd.DataFrame) -> list[Fault]:
    """Columns, types, required values, patterns, enums, ranges and unique keys (pandera)."""
    import pandera.errors  # imported when first needed: it takes a while

    try:
        pandera_schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        return list(_pandera_faults(table, frame, error.failure_cases))
    return []


def check_values(table: Table, data: pa.Table, plain: Mapping[str, np.ndarray] | None = None) -> Iterator[Fault]:
    """Required values and the column rules of Arrow data in the contract's columns and types.

    What `check_schema` finds in such a frame (bar unique keys), in the same order and by the
    same rule functions, without pandas or pandera: the validator's path for large inputs.
    `plain` has the cells of some text columns that are plain text, known already (`rule_failures`).
    """

    def failing(column: Column) -> list[tuple[str, str, np.ndarray]]:
        values = one_array(data.column(column.name))
        found = []
        if not column.nullable and values.null_count:
            found.append((REQUIRED.name, REQUIRED.message, values.is_null().to_numpy(zero_copy_only=False)))
        for rule, failed in rule_failures(column, values, None if plain is None else plain.get(column.name)):
            found.append((rule.name, rule.message, failed))
        return found

    # Arrow's kernels release the GIL: columns are checked side by side.
    for column, found in zip(table.columns, check_threads().map(failing, table.columns), strict=True):
        for rule_name, message, failed in found:
            yield from row_faults(table, data, failed, column.name, rule_name, message)


def _pandera_faults(table: Table, frame: pd.DataFrame, cases: pd.DataFrame) -> Iterator[Fault]:
    import pandas as pd

    ids = frame[table.primary_key].astype("string") if table.primary_key in frame else None  # a null: NA
    columns = ("check", "column", "index", "failure_case", "schema_context")
    for check, column, index, failure_case, context in zip(*(cases[c] for c in columns), strict=True):
        check = str(check)
        index = None if pd.isna(index) else index  # a fault of the whole column has none
        key = None if index is None or ids is None else ids.at[index]
        row_id = key if isinstance(key, str) else None
        rule, message = _describe_pandera(check, str(column), failure_case)
        yield Fault(
            table=table.name,
            row_id=row_id,
            column=None if context == "DataFrameSchema" and check.startswith("column_in") else str(column),
            rule=rule,
            message=message,
            value=display_value(failure_case),
            position=None if index is None else _position(frame, index),
        )


def _position(frame: pd.DataFrame, label: object) -> int:
    """The position of a row label of a frame whose labels are unique."""
    found = frame.index.get_loc(label)
    if not isinstance(found, int):
        raise TypeError(f"row label {label!r} is not unique")
    return found


def _describe_pandera(check: str, column: str, case: object) -> tuple[str, str]:
    if check == "not_nullable":
        return REQUIRED.name, REQUIRED.message
    if check == "field_uniqueness":
        return UNIQUE.name, UNIQUE.message
    if check.startswith("dtype("):
        return "type", f"wrong type: {check}"
    if check == "column_in_schema":
        return UNKNOWN_COLUMN.name, UNKNOWN_COLUMN.says(column=shorten(case))
    if check == "column_in_dataframe":
        return MISSING_COLUMN.name, MISSING_COLUMN.says(column=shorten(case))
    if check == "column_ordered":
        return COLUMN_ORDER.name, COLUMN_ORDER.message
    rule, _, message = check.partition(": ")
    return rule, message or rule


def check_foreign_keys(frames: Mapping[str, RowData]) -> Iterator[Fault]:
    """Every foreign key resolves to a row of the table it names (list columns too); a fault
    suggests the ids of that table nearest to the unknown one."""
    for name, data in frames.items():
        table = TABLES[name]
        for column, parent in table.foreign_keys.items():
            if parent not in frames or column not in column_names(data):
                continue
            keys = frames[parent][TABLES[parent].primary_key]
            values = arrow_values(data[column])
            if table.column(column).is_list:
                missing = np.zeros(len(values), dtype=bool)
                items_missing = _missing(pc.list_flatten(values), keys)
                missing[pc.list_parent_indices(values).to_numpy()[items_missing]] = True
            else:
                missing = _missing(values, keys)
            if not missing.any():
                continue
            nearest = Suggestions(arrow_values(keys).to_pylist())
            faults = row_faults(table, data, missing, column, FOREIGN_KEY.name, FOREIGN_KEY.says(parent=parent))
            for fault, value in zip(faults, _values_at(values, np.flatnonzero(missing)), strict=True):
                unknown = _unknown(value, nearest.known)
                yield fault.but(message=FOREIGN_KEY.suggesting(nearest(unknown), parent=parent))


def _values_at(values: pa.Array | pa.ChunkedArray, positions: np.ndarray) -> Iterator[object]:
    """The values at `positions`, in order, taken a slice at a time (as `row_faults` takes them)."""
    for start in range(0, len(positions), TAKE_ROWS):
        yield from taken(values, positions[start : start + TAKE_ROWS])


def _unknown(value: object, known: list[str]) -> list[str]:
    """The ids of a key's value (an id, or a list of them) that are not among `known` (sorted)."""
    ids = [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
    return [v for v in ids if (at := bisect.bisect_left(known, v)) == len(known) or known[at] != v]


def _missing(values: pa.Array | pa.ChunkedArray, keys: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Values (nulls aside) that are not among `keys`."""
    return pc.is_valid(values).to_numpy(zero_copy_only=False) & ~is_in(values, keys)


def _stamps(values: pd.Series | pa.ChunkedArray) -> np.ndarray:
    """Dates or times as numpy datetimes, NaT for null or unreadable. Arrow data needs no pandas."""
    if isinstance(values, pa.ChunkedArray):
        return one_array(values).cast(pa.date32()).to_numpy(zero_copy_only=False)
    import pandas as pd

    if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_date(values.dtype.pyarrow_dtype):
        values = series_values(values)  # pandas converts Arrow dates one Python object at a time
    else:
        return pd.to_datetime(values.astype(object), errors="coerce").to_numpy()
    return values.cast(pa.date32()).to_numpy(zero_copy_only=False)


def check_dates(table: Table, data: RowData) -> Iterator[Fault]:
    """Each date_edtf is an EDTF date the contract takes, the bounds and precision are what it
    gives (`dates`), and date_basis is there exactly when a date is.

    On a pandas frame or on Arrow data (the validator's chunks): each distinct expression is
    read once, and what it gives is compared with every row's columns by Arrow and numpy."""
    expressions = one_array(arrow_values(data["date_edtf"])).cast(pa.string())
    distinct = pc.unique(expressions)
    read: list[Dates | None] = []
    broken: dict[TableRule, list[str]] = {}  # each rule an expression breaks: the expressions
    for text in distinct.to_pylist():
        try:
            read.append(read_edtf(text))
        except DateFault as fault:
            read.append(None)
            broken.setdefault(fault.rule, []).append(text)
    for rule in (EDTF, DATE_ORDER):
        if rule in broken:
            failing = is_in(expressions, pa.array(broken[rule], pa.string()))
            yield from row_faults(table, data, failing, "date_edtf", *rule.words)
    positions = pc.index_in(expressions, value_set=distinct, skip_nulls=False).to_numpy(zero_copy_only=False)
    readable = np.array([dates is not None for dates in read], dtype=bool)[positions]
    given = [dates or NO_DATE for dates in read]
    for column, expected in (
        ("date_start", np.array([d.start or "NaT" for d in given], dtype="M8[D]")[positions]),
        ("date_end", np.array([d.end or "NaT" for d in given], dtype="M8[D]")[positions]),
    ):
        actual = _stamps(data[column]).astype("M8[D]")
        differs = ~((actual == expected) | (np.isnat(actual) & np.isnat(expected)))
        yield from row_faults(table, data, readable & differs, column, *_date_edtf_words(column))
    precision = one_array(arrow_values(data["date_precision"])).cast(pa.string())
    expected_precision = pa.array([d.precision.value for d in given], pa.string()).take(pa.array(positions))
    differs = pc.fill_null(pc.not_equal(precision, expected_precision), False).to_numpy(zero_copy_only=False)
    yield from row_faults(table, data, readable & differs, "date_precision", *_date_edtf_words("date_precision"))
    dated, has_basis = present(data["date_edtf"]), present(data["date_basis"])
    yield from row_faults(table, data, ~dated & has_basis, "date_basis", *BASIS_WITHOUT_DATE.words)
    yield from row_faults(table, data, dated & ~has_basis, "date_basis", *DATE_WITHOUT_BASIS.words)


def _date_edtf_words(column: str) -> tuple[str, str]:
    return DATE_EDTF.name, DATE_EDTF.says(column=column)


def check_canonical_ids(table: Table, data: RowData) -> Iterator[Fault]:
    """A canonical_id no other row shares is the row's own id."""
    canonical, own = (arrow_values(data[c]).cast(pa.string()) for c in ("canonical_id", table.primary_key))
    other = pc.fill_null(pc.not_equal(canonical, own), False).to_numpy(zero_copy_only=False)
    shared = np.zeros(len(canonical), dtype=bool)
    if other.any():  # count only the canonical ids in question, over the whole column
        wanted = pc.unique(canonical.filter(pa.array(other)))
        held = pc.fill_null(pc.is_in(canonical, value_set=wanted), False)
        shared[np.flatnonzero(held.to_numpy(zero_copy_only=False))] = repeated(
            canonical.filter(held)
        )  # a filter keeps chunks
    alone = other & ~shared
    if not alone.any():
        return
    # What a canonical_id may name: a row's own id, or a canonical_id rows share.
    nearest = Suggestions(own.to_pylist() + canonical.filter(pa.array(~alone)).to_pylist())
    faults = row_faults(table, data, alone, "canonical_id", *CANONICAL_ID.words)
    for fault, value in zip(faults, _values_at(canonical, np.flatnonzero(alone)), strict=True):
        suggested = [k for k in nearest([str(value)]) if k != value]
        yield fault.but(message=CANONICAL_ID.suggesting(suggested))


def check_row_rules(frames: Mapping[str, RowData]) -> Iterator[Fault]:
    """Rules within one row that involve two columns."""
    if "actors" in frames:
        actors = frames["actors"]
        yield from row_faults(
            TABLES["actors"],
            actors,
            same_value(actors, "parent_id", "actor_id"),
            "parent_id",
            *SELF_REFERENCE.words,
        )
    if "military_transfers" in frames:
        transfers, table = frames["military_transfers"], TABLES["military_transfers"]
        yield from row_faults(
            table, transfers, same_value(transfers, "supplier_id", "recipient_id"), "recipient_id", *SELF_TRANSFER.words,
        )  # fmt: skip
        unbound = present(transfers["quantity"]) != present(transfers["quantity_bound"])
        yield from row_faults(table, transfers, unbound, "quantity_bound", *QUANTITY_BOUND.words)
        yield from row_faults(
            table, transfers, same_value(transfers, "part_of", "transfer_id"), "part_of", *PART_OF.words
        )
    if "negotiation_rounds" in frames:
        rounds = frames["negotiation_rounds"]
        parties = [p or [] for p in arrow_values(rounds["parties"]).to_pylist()]
        twice = np.array([len(set(p)) != len(p) for p in parties], dtype=bool)
        yield from row_faults(TABLES["negotiation_rounds"], rounds, twice, "parties", *DISTINCT.words)
        mediators = arrow_values(rounds["mediator_id"]).to_pylist()
        mediator_party = np.array(
            [m is not None and m in p for m, p in zip(mediators, parties, strict=True)], dtype=bool
        )
        yield from row_faults(
            TABLES["negotiation_rounds"],
            rounds,
            mediator_party,
            "mediator_id",
            *MEDIATOR_PARTY.words,
        )
        yield from _check_direction(rounds, parties)
        counted = pc.fill_null(pc.greater(arrow_values(rounds["round_count"]), 1), False).to_numpy(zero_copy_only=False)
        yield from row_faults(
            TABLES["negotiation_rounds"], rounds, counted & present(rounds["round_number"]), "round_number",
            *ROUND_COUNT.words,
        )  # fmt: skip


def _check_direction(rounds: RowData, parties: list[list[str]]) -> Iterator[Fault]:
    """A draft's sender and receiver are two of the round's parties."""
    table = TABLES["negotiation_rounds"]
    for column in ("sender_id", "receiver_id"):
        ends = arrow_values(rounds[column]).to_pylist()
        outside = np.array([e is not None and e not in p for e, p in zip(ends, parties, strict=True)], dtype=bool)
        yield from row_faults(table, rounds, outside, column, NOT_A_PARTY.name, NOT_A_PARTY.says(column=column))
    yield from row_faults(
        table, rounds, same_value(rounds, "sender_id", "receiver_id"), "receiver_id", *SAME_DIRECTION.words
    )
