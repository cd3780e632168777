"""The second pass: the rules across rows and tables, on the keys the first pass kept.

Unique ids, foreign keys and canonical ids on the input's keys joined with the release's;
evidence links and spans when the input has evidence rows (else a warning per table that
needed them). Faults about released rows are not the contributor's: only the input's are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from peacetrack.checks import check_canonical_ids, check_foreign_keys
from peacetrack.evidence import check_evidence_links, check_spans
from peacetrack.faults import Fault
from peacetrack.rowdata import TAKE_ROWS, check_threads, repeated, taken
from peacetrack.rules import UNIQUE
from peacetrack.tables import CLAIM_TABLES, TABLES
from peacetrack.validator.cells import as_frame
from peacetrack.validator.first_pass import Validator
from peacetrack.validator.keys import KeptRows


def check_across(validator: Validator) -> None:
    """Every rule across rows and tables, its faults to the validator's spool."""
    kept = validator.kept
    tables = [name for name in TABLES if kept.keys[name].count]
    # Sorting every id (Arrow, without the GIL) goes on beside the other checks.
    twice = {
        name: check_threads().submit(repeated, kept.keys[name].data()[TABLES[name].primary_key]) for name in tables
    }
    union = {name: kept.union(name) for name in TABLES if kept.keys[name].count or name in kept.release}
    validator.spool.add_all(kept.mine(check_foreign_keys(union)))
    for name in CLAIM_TABLES:
        if kept.keys[name].count:
            validator.spool.add_all(kept.mine(check_canonical_ids(TABLES[name], union[name])))
    for name in tables:
        validator.spool.add_all(repeated_ids(kept, name, twice[name].result()))
    proven = [n for n in ("actors", *CLAIM_TABLES) if kept.keys[n].count]
    if validator.spool.enough:
        return
    if validator.has_evidence:
        frames = {name: as_frame(data) for name, data in union.items()} | {"evidence": validator.evidence()}
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


def repeated_ids(kept: KeptRows, name: str, twice: np.ndarray) -> Iterator[Fault]:
    """A fault for each row whose id another row has too; ids taken a slice at a time."""
    table, keys = TABLES[name], kept.keys[name]
    positions = np.flatnonzero(twice)
    for start in range(0, len(positions), TAKE_ROWS):
        some = positions[start : start + TAKE_ROWS]
        for position, row_id in zip(some.tolist(), map(str, taken(keys.data()[table.primary_key], some)), strict=True):
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
