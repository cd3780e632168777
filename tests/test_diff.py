"""`diff` shows evidence by the rows it proves, and a changed canonical_id as the link it makes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from peacetrack.cli import app
from peacetrack.diff import EvidenceChange, Link, diff_json, diff_releases, diff_text
from peacetrack.tablefiles import write_tables

from .helpers import runner, seed_frames

Frames = dict[str, pd.DataFrame]
# A quote over a line break, holding a terminal escape, longer than a diff line shows.
QUOTE = "Armenia must sign\nthe  treaty \x1b[2J now, said the President, and he said it at some length."
SHOWN = r"“Armenia must sign the treaty \x1b[2J now, said the Presiden…”"


def two_folders(tmp_path: Path, change: Callable[[Frames], None]) -> tuple[Path, Path]:
    """`old` holds the seed's tables; `new` the same after `change`."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    write_tables(seed_frames(), old)
    frames = {name: frame.copy() for name, frame in seed_frames().items()}
    change(frames)
    write_tables(frames, new)
    return old, new


def first_ids(frames: Frames, table: str, key: str) -> list[str]:
    return sorted(frames[table][key])[:2]


def test_evidence_is_shown_by_the_row_it_proves(tmp_path: Path) -> None:
    statement, other = first_ids(seed_frames(), "statements", "statement_id")
    evidence = seed_frames()["evidence"]
    gone = evidence[(evidence["table_name"] == "statements") & (evidence["row_id"] == other)].iloc[0]

    def change(frames: Frames) -> None:
        kept = frames["evidence"][frames["evidence"]["evidence_id"] != gone["evidence_id"]]
        added = kept.iloc[[0]].assign(
            evidence_id="stm-new-proof", table_name="statements", row_id=statement, quote=QUOTE
        )
        frames["evidence"] = pd.concat([kept, added.astype(kept.dtypes.to_dict())], ignore_index=True)

    old, new = two_folders(tmp_path, change)
    diffs = {d.table: d for d in diff_releases(old, new)}
    assert diffs["statements"].evidence == [
        EvidenceChange("removed", gone["evidence_id"], "statements", other, gone["quote"]),
        EvidenceChange("added", "stm-new-proof", "statements", statement, QUOTE),
    ]
    assert (diffs["evidence"].added, diffs["evidence"].removed) == (["stm-new-proof"], [gone["evidence_id"]])
    text = diff_text(list(diffs.values()))
    assert (
        f"statements: 0 added, 0 removed, 0 changed\n  + evidence for statements/{statement}: {SHOWN}\n"
        f"  - evidence for statements/{other}: “"
    ) in text
    assert "evidence: 1 added, 1 removed, 0 changed\n" in text
    assert "stm-new-proof" not in text and gone["evidence_id"] not in text  # no opaque ids
    assert "\x1b" not in text
    shown = diff_json(list(diffs.values()))["statements"]["evidence"]
    assert shown[1] == {
        "change": "added",
        "evidence_id": "stm-new-proof",
        "table": "statements",
        "row_id": statement,
        "quote": QUOTE,
        "columns": [],
    }
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["tables"]["statements"]["evidence"] == shown
    printed = runner.invoke(app, ["diff", str(old), str(new)])
    assert f"  + evidence for statements/{statement}: {SHOWN}\n" in printed.output


def test_a_changed_quote_of_evidence_is_shown_by_its_row(tmp_path: Path) -> None:
    def change(frames: Frames) -> None:
        frames["evidence"].loc[frames["evidence"].index[0], "quote"] = "A shorter quote."

    old, new = two_folders(tmp_path, change)
    first = seed_frames()["evidence"].iloc[0]
    text = diff_text(diff_releases(old, new))
    assert f"  ~ evidence for {first['table_name']}/{first['row_id']} (quote): “A shorter quote.”\n" in text


def test_a_changed_canonical_id_is_shown_as_the_link_it_makes(tmp_path: Path) -> None:
    statement, other = first_ids(seed_frames(), "statements", "statement_id")

    def change(frames: Frames) -> None:
        statements = frames["statements"]
        statements.loc[statements["statement_id"] == other, "canonical_id"] = statement

    old, new = two_folders(tmp_path, change)
    diffs = {d.table: d for d in diff_releases(old, new)}
    assert diffs["statements"].changed == {other: ["canonical_id"]}
    assert diffs["statements"].links == [Link(other, statement, other, [statement], [])]
    assert f"  ~ {other}: canonical_id\n  = statements/{other} now the same as {statement}\n" in diff_text(
        list(diffs.values())
    )
    assert diff_json(list(diffs.values()))["statements"]["links"] == [
        {"key": other, "canonical_id": statement, "was": other, "same_as": [statement], "was_same_as": []}
    ]
    back = diff_text(diff_releases(new, old))
    assert f"  = statements/{other} no longer the same as {statement}\n" in back
