"""The keys the validator keeps for the rules across rows: in a file, hashed, and exact.

A collision of `hash64` must never make a fault nor hide one: the faults of a file with
repeated ids, unknown foreign keys and lone canonical ids are the same when every id hashes
alike as when none do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from peacetrack.tables import TABLES
from peacetrack.validator import keys, validate
from peacetrack.validator.keys import NULL_HASH, Keys, hash64, key_columns, key_data


def _rows(release: Path) -> list[dict[str, str]]:
    """Released statements, then new rows with every fault across rows: a repeated new id, a
    new row with a released row's id changed, unknown speakers and targets, a canonical id
    no other row has, a canonical id shared by two new rows."""
    frame = pd.read_csv(release / "statements.csv", dtype=str, keep_default_na=False)
    released = [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
    template = released[0]
    new = [{**template, "statement_id": f"new-{i}", "canonical_id": f"new-{i}"} for i in range(40)]
    new[3]["statement_id"] = new[3]["canonical_id"] = "new-7"  # new-7 twice
    new[5]["speaker_id"] = "nobody-known"
    new[6]["target_id"] = "nowhere-known"
    new[8]["canonical_id"] = "never-a-row"  # no other row shares it
    new[9]["canonical_id"] = new[10]["canonical_id"] = "shared-by-two"
    new[11]["statement_id"] = new[12]["statement_id"] = ""  # missing ids never repeat
    new[13]["speaker_id"] = "nobody-known"
    return [*released, *new]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _faults(path: Path, release: Path) -> list[tuple[object, ...]]:
    report = validate([path], against=release)
    return [(f.line, f.column, f.rule, f.row_id, f.value, f.message) for f in report.faults]


def test_a_collision_of_hashes_neither_makes_nor_hides_a_fault(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "statements.csv", _rows(release))
    expected = _faults(path, release)
    rules = {(line, rule) for line, _, rule, *_ in expected}
    assert {(28, "unique"), (32, "unique"), (30, "foreign_key"), (31, "foreign_key"), (38, "foreign_key")} <= rules
    assert (33, "canonical_id") in rules
    assert (34, "canonical_id") not in rules and (35, "canonical_id") not in rules  # shared by two
    assert not any(rule == "unique" and line in (36, 37) for line, rule in rules)  # missing ids

    def every_id_alike(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
        hashed = hash64(values)
        return np.where(hashed == NULL_HASH, NULL_HASH, np.uint64(7))

    monkeypatch.setattr(keys, "hash64", every_id_alike)
    assert _faults(path, release) == expected


def test_hash64_of_equal_values_is_equal_however_they_are_stored() -> None:
    values = ["a", "", "x" * 100, "x" * 99 + "y", "abcdefgh", "abcdefgh\0", "Əliyev", "a", None, "x" * 100]
    plain = hash64(pa.array(values))
    assert plain[8] == NULL_HASH and (np.delete(plain, 8) != NULL_HASH).all()
    assert plain[0] == plain[7] and plain[2] == plain[9]
    assert len(set(np.delete(plain, [7, 8, 9]).tolist())) == 7  # different values: different hashes here
    assert (hash64(pa.array(values).dictionary_encode()) == plain).all()
    assert (hash64(pa.chunked_array([values[:3], values[3:]])) == plain).all()
    assert (hash64(pa.array(["pad", *values]).slice(1)) == plain).all()


def test_kept_keys_are_in_a_file_and_read_back_a_part_at_a_time(tmp_path: Path) -> None:
    table = TABLES["statements"]
    kept = Keys(table, tmp_path)
    frame = pa.table({name: [f"{name}-{i}" for i in range(5)] for name in key_columns(table)})
    first, second = key_data(table, frame.slice(0, 3)), key_data(table, frame.slice(3))
    kept.add(first, np.arange(3), lambda fault, position, /, **changes: fault)
    kept.add(second, np.array([0, 2]), lambda fault, position, /, **changes: fault)
    assert [p.num_rows for p in kept.parts()] == [3, 2] and kept.count == 5
    assert list(tmp_path.iterdir()) == [kept.path]
    assert kept.data().equals(pa.concat_tables([first, second]))
    assert kept.take(np.array([1, 4]))["statement_id"].to_pylist() == ["statement_id-1", "statement_id-4"]
    assert (kept.hashes() == hash64(frame["statement_id"])).all()
