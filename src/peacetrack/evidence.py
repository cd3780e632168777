"""Rules of evidence: each span points at an existing row of its own source and quotes its
text exactly, every row but sources has some, a source text at hand is the one its row
describes, and a direct quote lies inside its evidence.

Whitespace does not count between a statement's quote and its evidence: the evidence is the
text exactly (it may cross a line break), the statement's quote is kept on one line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np

from peacetrack.faults import Fault, shorten
from peacetrack.rowdata import RowData, arrow_values, is_value, present, row_faults
from peacetrack.rules import (
    CHAR_COUNT,
    DIRECT_QUOTE,
    EVIDENCE_REQUIRED,
    EVIDENCE_SOURCE,
    EVIDENCE_TARGET,
    PARAPHRASE,
    QUOTE_IN_EVIDENCE,
    QUOTE_MISMATCH,
    SPAN_BOUNDS,
    SPAN_ORDER,
    TEXT_HASH,
    UNVERIFIED,
    Suggestions,
)
from peacetrack.tables import CLAIM_TABLES, TABLES

if TYPE_CHECKING:  # pandas is imported by the rules on frames: Arrow data needs none
    import pandas as pd


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
    import pandas as pd

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
        yield from row_faults(TABLES[name], proven_table, unproven, None, *EVIDENCE_REQUIRED.words)
        if name in CLAIM_TABLES:
            own_source = evidence.loc[mine, ["row_id", "source_id"]].merge(
                proven_table[[pk, "source_id"]], left_on="row_id", right_on=pk, suffixes=("", "_row")
            )
            foreign = own_source["source_id"] != own_source["source_id_row"]
            for row_id in own_source.loc[foreign, "row_id"]:
                failing = mine & (evidence["row_id"] == row_id)
                yield from row_faults(
                    table,
                    evidence,
                    failing,
                    "source_id",
                    *EVIDENCE_SOURCE.words,
                )
    yield from _unknown_targets(frames, evidence, ~targets)
    order = evidence["char_start"] >= evidence["char_end"]
    yield from row_faults(table, evidence, order, "char_end", *SPAN_ORDER.words)
    yield from check_span_bounds(evidence, frames.get("sources"))


def _unknown_targets(frames: Mapping[str, pd.DataFrame], evidence: pd.DataFrame, unknown: pd.Series) -> Iterator[Fault]:
    """Evidence of a row its table has not: each fault suggests the nearest ids of that table."""
    if not unknown.any():
        return
    nearest = {name: Suggestions(frames[name][TABLES[name].primary_key].tolist()) for name in TABLES if name in frames}
    faults = row_faults(TABLES["evidence"], evidence, unknown, "row_id", *EVIDENCE_TARGET.words)
    rows = evidence.loc[unknown, ["table_name", "row_id"]]
    for fault, name, row_id in zip(faults, rows["table_name"].astype(object), rows["row_id"], strict=True):
        suggested = nearest[name]([row_id]) if name in nearest and isinstance(row_id, str) else []
        yield fault.but(message=EVIDENCE_TARGET.suggesting(suggested))


def check_span_bounds(evidence: pd.DataFrame, sources: pd.DataFrame | None) -> Iterator[Fault]:
    """A span lies within its source's text: it ends by the source's char_count. Checked on
    the rows, so it holds for a text that is not at hand (not in the repository) too."""
    import pandas as pd

    if sources is None or "char_count" not in sources:
        return
    table = TABLES["evidence"]
    counts = sources.dropna(subset=["char_count"]).drop_duplicates("source_id").set_index("source_id")["char_count"]
    count = pd.to_numeric(evidence["source_id"].astype(object).map(counts), errors="coerce")
    starts, ends = (pd.to_numeric(evidence[c], errors="coerce") for c in ("char_start", "char_end"))
    start_out = (starts >= count).fillna(False).astype(bool)
    end_out = (ends > count).fillna(False).astype(bool) & ~start_out
    for column, out in (("char_start", start_out), ("char_end", end_out)):
        yield from row_faults(table, evidence, out, column, SPAN_BOUNDS.name, SPAN_BOUNDS.says(column=column))


def check_spans(evidence: pd.DataFrame, texts: Mapping[str, str]) -> Iterator[Fault]:
    """Each quote equals its source text at char_start:char_end, where the text is at hand."""
    import pandas as pd

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
        if not wrong.any():  # the whole table's mask, made for each source, made a build quadratic
            continue
        yield from row_faults(
            table, evidence, wrong.reindex(evidence.index, fill_value=False), "quote", *QUOTE_MISMATCH.words,
        )  # fmt: skip


def whitespace_collapsed(text: str) -> str:
    """`text` with each run of whitespace (line breaks too) one space, none at either end: how a
    statement's quote is stored, and how quotes are compared with their evidence."""
    return " ".join(text.split())


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
    yield from row_faults(table, sources, other_hash, "text_sha256", *TEXT_HASH.words)
    yield from row_faults(table, sources, other_count, "char_count", *CHAR_COUNT.words)


def check_quotes(statements: RowData, evidence: pd.DataFrame | None) -> Iterator[Fault]:
    """A direct quote has its words, and they lie inside its evidence; a paraphrase has none."""
    table = TABLES["statements"]
    direct, quoted = is_value(statements["kind"], "direct_quote"), present(statements["quote"])
    yield from row_faults(table, statements, direct & ~quoted, "quote", *DIRECT_QUOTE.words)
    yield from row_faults(table, statements, ~direct & quoted, "quote", *PARAPHRASE.words)
    if evidence is None:
        return
    statement_spans = evidence[evidence["table_name"].astype(object) == "statements"]
    spans: dict[str, list[str]] = {}
    for row_id, span in zip(statement_spans["row_id"], statement_spans["quote"], strict=True):
        if isinstance(span, str):  # a missing one is evidence's own fault (`required`)
            spans.setdefault(row_id, []).append(whitespace_collapsed(span))
    ids, quotes = (arrow_values(statements[c]).to_pylist() for c in ("statement_id", "quote"))
    inside = np.array(
        [
            q is None or any(whitespace_collapsed(q) in span for span in spans.get(i, []))
            for i, q in zip(ids, quotes, strict=True)
        ],
        dtype=bool,
    )
    yield from row_faults(
        table,
        statements,
        direct & ~inside,
        "quote",
        *QUOTE_IN_EVIDENCE.words,
    )
