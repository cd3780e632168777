"""Finding the id to link to (issue 13, item 8): an unknown id gets a "did you mean" with the
nearest known ids, in build and validate alike; `peacetrack find` searches the release and
the local seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from peacetrack.cli import app
from peacetrack.seeds import build_tables

from .helpers import SEED_ID, runner


def edit(seeds: Path, old: str, new: str) -> Path:
    """Replace the first occurrence of `old` in the seed's coding file; return the file."""
    path = seeds / SEED_ID / "coding.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- did you mean -------------------------------------------------------------------------------


def test_an_unknown_actor_in_a_coding_file_gets_the_nearest_ids(seeds_copy: Path) -> None:
    edit(seeds_copy, "    target_id: arm\n", "    target_id: armm\n")
    [fault] = build_tables(seeds_copy).errors
    assert (fault.column, fault.rule, fault.value) == ("target_id", "foreign_key", "armm")
    assert fault.message == "no row in actors has this id: did you mean arm?"


def test_an_unknown_party_of_a_list_gets_the_ids_nearest_to_it(seeds_copy: Path) -> None:
    edit(seeds_copy, "    parties: [arm, aze]\n", "    parties: [arm, azerbajan-state, aez]\n")
    faults = build_tables(seeds_copy).errors
    assert {f.rule for f in faults} == {"foreign_key"} and faults
    assert all(f.message.endswith("did you mean aze?") for f in faults)


def test_an_id_near_nothing_gets_no_suggestion(seeds_copy: Path) -> None:
    edit(seeds_copy, "    target_id: arm\n", "    target_id: osce-minsk-group\n")
    [fault] = build_tables(seeds_copy).errors
    assert fault.message == "no row in actors has this id"


def test_a_lone_canonical_id_gets_the_nearest_ids_it_may_name(seeds_copy: Path) -> None:
    edit(
        seeds_copy,
        "  - transfer_id: fra-arm-mistral\n",
        "  - transfer_id: fra-arm-mistral\n    canonical_id: fra-arm-mistrel\n",
    )
    [fault] = build_tables(seeds_copy).errors
    assert (fault.row_id, fault.rule, fault.value) == ("fra-arm-mistral", "canonical_id", "fra-arm-mistrel")
    assert fault.message.startswith("no other row shares this canonical_id: it must equal the row's own id: ")
    assert ": did you mean fra-arm-mistral, " in fault.message  # the nearest first


def test_validate_suggests_the_released_ids_nearest_to_an_unknown_one(release: Path, tmp_path: Path) -> None:
    statements = tmp_path / "statements.csv"
    frame = pd.read_csv(release / "statements.csv", dtype=str, keep_default_na=False).iloc[[0]]
    frame = frame.assign(statement_id="new-statement", canonical_id="new-statement", speaker_id="ilham-aliev")
    frame.to_csv(statements, index=False, lineterminator="\n")
    result = runner.invoke(app, ["validate", str(statements), "--against", str(release), "--format", "json"])
    [fault] = [f for f in json.loads(result.stdout)["faults"] if f["severity"] == "error"]
    assert (fault["column"], fault["rule"]) == ("speaker_id", "foreign_key")
    assert fault["message"] == "no row in actors has this id: did you mean ilham-aliyev?"


def test_validating_a_coding_file_suggests_as_the_build_does(seeds_copy: Path, release: Path) -> None:
    coding = edit(seeds_copy, "    target_id: arm\n", "    target_id: armm\n")
    [built] = build_tables(seeds_copy).errors
    result = runner.invoke(app, ["validate", str(coding), "--against", str(release), "--format", "json"])
    validated = [f for f in json.loads(result.stdout)["faults"] if f["rule"] == "foreign_key"]
    assert [(f["line"], f["message"]) for f in validated] == [(built.line, built.message)]
