"""Table-level and cross-table rules, vectorised over whole tables: pandas frames (the build,
coding files) or Arrow data (the validator's chunks), each rule one definition for both.

`check_tables` returns every fault it finds, not the first, each naming the table, the row
and the column, so a caller (the build, the validator) can point a contributor at it.
Each rule's name and message are in `rules`.

Over 400 lines: one function per rule across rows or tables (keys, links, evidence, dates,
quotes), each on pandas frames and on Arrow data alike.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.faults import VALUE_WIDTH, Fault, shorten
from peacetrack.rules import (
    BASIS_WITHOUT_DATE,
    CANONICAL_ID,
    CHAR_COUNT,
    COLUMN_ORDER,
    DATE_ORDER,
    DATE_WITHOUT_BASIS,
    DIRECT_QUOTE,
    DISTINCT,
    EVIDENCE_REQUIRED,
    EVIDENCE_SOURCE,
    EVIDENCE_TARGET,
    FOREIGN_KEY,
    MEDIATOR_PARTY,
    MISSING_COLUMN,
    MONTH_END,
    MONTH_START,
    NO_DATES,
    ONE_MONTH,
    ONE_YEAR,
    PARAPHRASE,
    QUOTE_IN_EVIDENCE,
    QUOTE_MISMATCH,
    REQUIRED,
    SELF_REFERENCE,
    SELF_TRANSFER,
    SPAN_BOUNDS,
    SPAN_ORDER,
    TEXT_HASH,
    UNIQUE,
    UNKNOWN_COLUMN,
    UNKNOWN_DATES,
    UNVERIFIED,
    column_rules,
    pandera_schema,
    series_values,
)
from peacetrack.tables import CLAIM_TABLES, TABLES, Column, Table

# Rows as a pandas frame (the build, coding files) or as Arrow data (the validator's chunks):
# the rules within a row take either, so each has one definition.
RowData: TypeAlias = pd.DataFrame | pa.Table
TAKE_ROWS = 65_536  # ids and values of failing rows taken as Python objects at a time


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


def _display(value: object) -> str | None:
    if type(value) is str:  # most values: spare the tests below, made by the ten thousand
        return value if len(value) <= VALUE_WIDTH else shorten(value)
    if isinstance(value, list | tuple | np.ndarray):
        return shorten(";".join(map(str, value)))
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else shorten(value)


def check_schema(table: Table, frame: pd.DataFrame) -> list[Fault]:
    """Columns, types, required values, patterns, enums, ranges and unique keys (pandera)."""
    import pandera.errors  # imported when first needed: it takes a while

    try:
        pandera_schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        return list(_pandera_faults(table, frame, error.failure_cases))
    return []


def check_values(table: Table, data: pa.Table) -> Iterator[Fault]:
    """Required values and the column rules of Arrow data in the contract's columns and types.

    What `check_schema` finds in such a frame (bar unique keys), in the same order and by the
    same rule functions, without pandas or pandera: the validator's path for large inputs.
    """

    def failing(column: Column) -> list[tuple[str, str, np.ndarray]]:
        values = one_array(data.column(column.name))
        found = []
        if not column.nullable and values.null_count:
            found.append((REQUIRED.name, REQUIRED.message, values.is_null().to_numpy(zero_copy_only=False)))
        for rule in column_rules(column):
            found.append((rule.name, rule.message, ~rule.passes(values)))
        return found

    # Arrow's kernels release the GIL: columns are checked side by side.
    for column, found in zip(table.columns, check_threads().map(failing, table.columns), strict=True):
        for rule_name, message, failed in found:
            yield from _row_faults(table, data, failed, column.name, rule_name, message)


def one_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as one array: without a copy when it is one chunk, as readers make it."""
    if isinstance(values, pa.Array):
        return values
    return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()


def taken(values: pa.Array | pa.ChunkedArray, positions: np.ndarray) -> list[object]:
    """The values at some positions, as Python objects. Chunk by chunk: Arrow's `take` of a
    chunked array first joins its chunks, copying every value."""
    if isinstance(values, pa.Array) or values.num_chunks == 1:
        return one_array(values).take(positions).to_pylist()
    found: list[object] = [None] * len(positions)
    ends = np.cumsum([len(chunk) for chunk in values.chunks])
    chunk_of = np.searchsorted(ends, positions, side="right")
    for index in np.unique(chunk_of).tolist():
        mine = np.flatnonzero(chunk_of == index)
        start = int(ends[index]) - len(values.chunk(index))
        for at, value in zip(mine.tolist(), values.chunk(index).take(positions[mine] - start).to_pylist(), strict=True):
            found[at] = value
    return found


@cache
def check_threads() -> ThreadPoolExecutor:
    """Threads for Arrow work, which releases the GIL: checks side by side."""
    return ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="check")


def _pandera_faults(table: Table, frame: pd.DataFrame, cases: pd.DataFrame) -> Iterator[Fault]:
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
            value=_display(failure_case),
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
    """Every foreign key resolves to a row of the table it names (list columns too)."""
    for name, data in frames.items():
        table = TABLES[name]
        for column, parent in table.foreign_keys.items():
            if parent not in frames or column not in _column_names(data):
                continue
            keys = frames[parent][TABLES[parent].primary_key]
            values = arrow_values(data[column])
            if table.column(column).is_list:
                missing = np.zeros(len(values), dtype=bool)
                items_missing = _missing(pc.list_flatten(values), keys)
                missing[pc.list_parent_indices(values).to_numpy()[items_missing]] = True
            else:
                missing = _missing(values, keys)
            yield from _row_faults(table, data, missing, column, FOREIGN_KEY.name, FOREIGN_KEY.says(parent=parent))


def _column_names(data: RowData) -> list[str]:
    return data.column_names if isinstance(data, pa.Table) else list(data.columns)


def is_in(values: pd.Series | pa.Array | pa.ChunkedArray, keys: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """`values.isin(keys)` by Arrow (a null is in nothing): pandas turns a large `keys` into
    Python objects one by one."""
    value_set = one_array(arrow_values(keys).cast(pa.string()))
    found = pc.is_in(arrow_values(values).cast(pa.string()), value_set=value_set)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def _missing(values: pa.Array | pa.ChunkedArray, keys: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Values (nulls aside) that are not among `keys`."""
    return pc.is_valid(values).to_numpy(zero_copy_only=False) & ~is_in(values, keys)


def check_evidence(frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str]) -> Iterator[Fault]:
    """Evidence points at existing rows of its own source, quotes its text exactly, and
    every row but sources has some."""
    evidence = frames.get("evidence")
    if evidence is None:
        return
    yield from check_evidence_links(frames)
    yield from check_spans(evidence, texts)


def check_evidence_links(frames: Mapping[str, pd.DataFrame]) -> Iterator[Fault]:
    """Evidence points at existing rows of its own source, and every row but sources has some."""
    evidence = frames.get("evidence")
    if evidence is None:
        return
    table = TABLES["evidence"]
    targets = pd.Series(False, index=evidence.index)
    for name in (*CLAIM_TABLES, "actors"):
        if name not in frames:
            continue
        proven_table, pk = frames[name], TABLES[name].primary_key
        mine = evidence["table_name"].astype(object) == name
        targets |= mine & evidence["row_id"].isin(proven_table[pk])
        proven = evidence.loc[mine, "row_id"]
        unproven = ~proven_table[pk].isin(proven)
        yield from _row_faults(TABLES[name], proven_table, unproven, None, *EVIDENCE_REQUIRED.words)
        if name in CLAIM_TABLES:
            own_source = evidence.loc[mine, ["row_id", "source_id"]].merge(
                proven_table[[pk, "source_id"]], left_on="row_id", right_on=pk, suffixes=("", "_row")
            )
            foreign = own_source["source_id"] != own_source["source_id_row"]
            for row_id in own_source.loc[foreign, "row_id"]:
                failing = mine & (evidence["row_id"] == row_id)
                yield from _row_faults(
                    table,
                    evidence,
                    failing,
                    "source_id",
                    *EVIDENCE_SOURCE.words,
                )
    yield from _row_faults(table, evidence, ~targets, "row_id", *EVIDENCE_TARGET.words)
    order = evidence["char_start"] >= evidence["char_end"]
    yield from _row_faults(table, evidence, order, "char_end", *SPAN_ORDER.words)
    yield from check_span_bounds(evidence, frames.get("sources"))


def check_span_bounds(evidence: pd.DataFrame, sources: pd.DataFrame | None) -> Iterator[Fault]:
    """A span lies within its source's text: it ends by the source's char_count. Checked on
    the rows, so it holds for a text that is not at hand (not in the repository) too."""
    if sources is None or "char_count" not in sources:
        return
    table = TABLES["evidence"]
    counts = sources.dropna(subset=["char_count"]).drop_duplicates("source_id").set_index("source_id")["char_count"]
    count = pd.to_numeric(evidence["source_id"].astype(object).map(counts), errors="coerce")
    starts, ends = (pd.to_numeric(evidence[c], errors="coerce") for c in ("char_start", "char_end"))
    start_out = (starts >= count).fillna(False).astype(bool)
    end_out = (ends > count).fillna(False).astype(bool) & ~start_out
    for column, out in (("char_start", start_out), ("char_end", end_out)):
        yield from _row_faults(table, evidence, out, column, SPAN_BOUNDS.name, SPAN_BOUNDS.says(column=column))


def check_spans(evidence: pd.DataFrame, texts: Mapping[str, str]) -> Iterator[Fault]:
    """Each quote equals its source text at char_start:char_end, where the text is at hand."""
    table = TABLES["evidence"]
    for source_id, group in evidence.groupby("source_id", sort=True, observed=True):
        text = texts.get(str(source_id))
        if text is None:
            yield Fault(
                table="evidence", row_id=None, column="quote", rule=UNVERIFIED.name,
                message=UNVERIFIED.says(source=shorten(source_id), count=str(len(group))),
                value=shorten(source_id), severity="warning",
            )  # fmt: skip
            continue
        actual = pd.Series(
            [text[s:e] for s, e in zip(group["char_start"], group["char_end"], strict=True)], index=group.index
        )
        wrong = actual != group["quote"]
        yield from _row_faults(
            table, evidence, wrong.reindex(evidence.index, fill_value=False), "quote", *QUOTE_MISMATCH.words,
        )  # fmt: skip


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_sources(sources: RowData | None, texts: Mapping[str, str]) -> Iterator[Fault]:
    """A source text at hand must be the one the source row describes."""
    if sources is None:
        return
    table = TABLES["sources"]
    ids = arrow_values(sources["source_id"]).to_pylist()
    hashes, counts = (arrow_values(sources[c]).to_pylist() for c in ("text_sha256", "char_count"))
    at_hand = [texts.get(i) if i is not None else None for i in ids]
    other_hash = np.array(
        [t is not None and h is not None and sha256_text(t) != h for t, h in zip(at_hand, hashes, strict=True)],
        dtype=bool,
    )
    other_count = np.array(
        [t is not None and c is not None and len(t) != c for t, c in zip(at_hand, counts, strict=True)], dtype=bool
    )
    yield from _row_faults(table, sources, other_hash, "text_sha256", *TEXT_HASH.words)
    yield from _row_faults(table, sources, other_count, "char_count", *CHAR_COUNT.words)


def _stamps(values: pd.Series | pa.ChunkedArray) -> np.ndarray:
    """Dates or times as numpy datetimes, NaT for null or unreadable."""
    if isinstance(values, pa.ChunkedArray):
        values = one_array(values)
    elif isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_date(values.dtype.pyarrow_dtype):
        values = series_values(values)  # pandas converts Arrow dates one Python object at a time
    else:
        return pd.to_datetime(values.astype(object), errors="coerce").to_numpy()
    return values.cast(pa.date32()).to_numpy(zero_copy_only=False)


def arrow_values(values: pd.Series | pa.ChunkedArray | pa.Array) -> pa.Array | pa.ChunkedArray:
    """A column of either kind of rows as Arrow values; an Arrow column keeps its chunks, uncopied."""
    return series_values(values) if isinstance(values, pd.Series) else values


def _is(values: pd.Series | pa.ChunkedArray, value: str) -> np.ndarray:
    """`values == value` as a numpy mask, a null unequal."""
    if isinstance(values, pd.Series):
        return _equals(values, value).to_numpy()
    return pc.fill_null(pc.equal(one_array(values), value), False).to_numpy(zero_copy_only=False)


def _present(values: pd.Series | pa.ChunkedArray) -> np.ndarray:
    """Whether each value is there (not null), as a numpy mask."""
    if isinstance(values, pd.Series):
        return values.notna().to_numpy()
    return one_array(values).is_valid().to_numpy(zero_copy_only=False)


def _same(data: RowData, first: str, second: str) -> np.ndarray:
    """Whether two columns of a row hold the same value (a null never does)."""
    one, other = arrow_values(data[first]), arrow_values(data[second])
    if one.type != other.type:  # a column of nulls that pandas read as floats, say: as pandas compares
        return np.zeros(len(one), dtype=bool)
    return pc.fill_null(pc.equal(one, other), False).to_numpy(zero_copy_only=False)


def _row_faults(
    table: Table, data: RowData, failing: np.ndarray | pd.Series, column: str | None, rule: str, message: str
) -> Iterator[Fault]:
    """A fault for each row where `failing` is true (a null is not), with the row's id and value.

    Ids and values of the failing rows are taken many at once, as a lookup per row is slow on
    large inputs, but not all at once: memory stays bounded however many rows fail."""
    if isinstance(failing, pd.Series):  # aligned on the frame's index, as pandas masks are
        failing = failing.reindex(data.index).fillna(False).to_numpy(dtype=bool)
    all_positions = np.flatnonzero(failing)
    for start in range(0, len(all_positions), TAKE_ROWS):
        positions = all_positions[start : start + TAKE_ROWS]
        ids = taken(arrow_values(data[table.primary_key]), positions)
        values = taken(arrow_values(data[column]), positions) if column else [None] * len(positions)
        for position, row_id, value in zip(positions.tolist(), ids, values, strict=True):
            yield Fault(
                table=table.name, row_id=None if row_id is None else str(row_id), column=column, rule=rule, message=message,
                value=None if column is None else _display(value), position=position,
            )  # fmt: skip


def check_dates(table: Table, data: RowData) -> Iterator[Fault]:
    """Date intervals are ordered and no more precise than their stated precision.

    On a pandas frame or on Arrow data (the validator's chunks): numpy does the calendar."""
    start, end = _stamps(data["date_start"]), _stamps(data["date_end"])
    has_start, has_end = ~np.isnat(start), ~np.isnat(end)
    both = has_start & has_end
    unknown = _is(data["date_precision"], "unknown")
    no_basis = ~_present(data["date_basis"])
    yield from _row_faults(table, data, both & (start > end), "date_end", *DATE_ORDER.words)
    yield from _row_faults(
        table, data, unknown & (has_start | has_end), "date_precision", *UNKNOWN_DATES.words,
    )  # fmt: skip
    yield from _row_faults(
        table, data, ~unknown & ~has_start & ~has_end, "date_precision", *NO_DATES.words,
    )  # fmt: skip
    yield from _row_faults(
        table, data, unknown & ~no_basis, "date_basis", *BASIS_WITHOUT_DATE.words
    )  # fmt: skip
    yield from _row_faults(
        table, data, ~unknown & no_basis, "date_basis", *DATE_WITHOUT_BASIS.words
    )  # fmt: skip
    month, year = _is(data["date_precision"], "month"), _is(data["date_precision"], "year")
    if not (month.any() or year.any()):
        return
    first, last = start.astype("M8[D]"), end.astype("M8[D]")
    same_year = both & (first.astype("M8[Y]") == last.astype("M8[Y]"))
    same_month = same_year & (first.astype("M8[M]") == last.astype("M8[M]"))
    month_start = ~has_start | (first == first.astype("M8[M]").astype("M8[D]"))
    month_end = ~has_end | ((last + 1).astype("M8[M]") != last.astype("M8[M]"))
    yield from _row_faults(
        table,
        data,
        month & ~month_start,
        "date_start",
        *MONTH_START.words,
    )
    yield from _row_faults(
        table,
        data,
        month & ~month_end,
        "date_end",
        *MONTH_END.words,
    )
    yield from _row_faults(
        table,
        data,
        month & both & ~same_month,
        "date_end",
        *ONE_MONTH.words,
    )
    year_start = ~has_start | (first == first.astype("M8[Y]").astype("M8[D]"))
    year_end = ~has_end | ((last + 1).astype("M8[Y]") != last.astype("M8[Y]"))
    yield from _row_faults(
        table, data, year & ~(year_start & year_end & (~both | same_year)), "date_precision", *ONE_YEAR.words,
    )  # fmt: skip


def repeated(values: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Whether each value occurs more than once (nulls never do). By sorting, then comparing
    neighbours: faster than hashing a million strings (Arrow's or pandas' `duplicated`)."""
    values = one_array(arrow_values(values))  # one array sorts faster
    found = np.zeros(len(values), dtype=bool)
    if len(values) - values.null_count < 2:
        return found
    order = pc.sort_indices(values)  # nulls last, never equal to a neighbour
    ordered = values.take(order)
    same = pc.fill_null(pc.equal(ordered.slice(0, len(values) - 1), ordered.slice(1)), False).to_numpy(
        zero_copy_only=False
    )
    if same.any():
        twice = np.zeros(len(values), dtype=bool)
        twice[:-1] |= same
        twice[1:] |= same
        found[order.to_numpy()] = twice
    return found


def _equals(series: pd.Series, value: str) -> pd.Series:
    """`series == value` as plain booleans, a null unequal: as comparing Python objects
    gives, without making a Python object of every value."""
    return (series == value).fillna(False).astype(bool)


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
    yield from _row_faults(
        table, data, other & ~shared, "canonical_id", *CANONICAL_ID.words,
    )  # fmt: skip


def check_quotes(statements: RowData, evidence: pd.DataFrame | None) -> Iterator[Fault]:
    """A direct quote has its words, and they lie inside its evidence; a paraphrase has none."""
    table = TABLES["statements"]
    direct, quoted = _is(statements["kind"], "direct_quote"), _present(statements["quote"])
    yield from _row_faults(table, statements, direct & ~quoted, "quote", *DIRECT_QUOTE.words)
    yield from _row_faults(table, statements, ~direct & quoted, "quote", *PARAPHRASE.words)
    if evidence is None:
        return
    spans = evidence[evidence["table_name"].astype(object) == "statements"].groupby("row_id")["quote"].agg(list)
    ids, quotes = (arrow_values(statements[c]).to_pylist() for c in ("statement_id", "quote"))
    inside = np.array(
        [
            q is None or any(span is not None and q in span for span in spans.get(i, []))
            for i, q in zip(ids, quotes, strict=True)
        ],
        dtype=bool,
    )  # a missing evidence quote is evidence's own fault (`required`)
    yield from _row_faults(
        table,
        statements,
        direct & ~inside,
        "quote",
        *QUOTE_IN_EVIDENCE.words,
    )


def check_row_rules(frames: Mapping[str, RowData]) -> Iterator[Fault]:
    """Rules within one row that involve two columns."""
    if "actors" in frames:
        actors = frames["actors"]
        yield from _row_faults(
            TABLES["actors"],
            actors,
            _same(actors, "parent_id", "actor_id"),
            "parent_id",
            *SELF_REFERENCE.words,
        )
    if "military_transfers" in frames:
        transfers = frames["military_transfers"]
        yield from _row_faults(
            TABLES["military_transfers"], transfers, _same(transfers, "supplier_id", "recipient_id"),
            "recipient_id", *SELF_TRANSFER.words,
        )  # fmt: skip
    if "negotiation_rounds" in frames:
        rounds = frames["negotiation_rounds"]
        parties = [p or [] for p in arrow_values(rounds["parties"]).to_pylist()]
        twice = np.array([len(set(p)) != len(p) for p in parties], dtype=bool)
        yield from _row_faults(TABLES["negotiation_rounds"], rounds, twice, "parties", *DISTINCT.words)
        mediators = arrow_values(rounds["mediator_id"]).to_pylist()
        mediator_party = np.array(
            [m is not None and m in p for m, p in zip(mediators, parties, strict=True)], dtype=bool
        )
        yield from _row_faults(
            TABLES["negotiation_rounds"],
            rounds,
            mediator_party,
            "mediator_id",
            *MEDIATOR_PARTY.words,
        )
