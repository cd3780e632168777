"""Claims from several sources: two made-up articles about one delivery."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peacetrack.seeds import Build, build_tables

from .helpers import FIXTURES

TWO_SOURCES = FIXTURES / "two-sources" / "seeds"
CANONICAL = "fra-arm-armoured-vehicles-2024-10-01"


@pytest.fixture(scope="module")
def two_sources() -> Build:
    build = build_tables(TWO_SOURCES)
    assert build.ok, "\n".join(map(str, build.faults))
    return build


def test_each_source_keeps_its_own_row_under_one_canonical_id(two_sources: Build) -> None:
    transfers = two_sources.frames["military_transfers"].set_index("transfer_id")
    assert len(transfers) == 2
    assert set(transfers["canonical_id"]) == {CANONICAL}
    assert set(transfers["source_id"]) == {"kavkaz-daily-2024-10-02", "yerevan-wire-2024-10-02"}


def test_sources_that_disagree_are_both_kept(two_sources: Build) -> None:
    transfers = two_sources.frames["military_transfers"].set_index("source_id")
    assert transfers.at["kavkaz-daily-2024-10-02", "quantity"] == 24
    assert transfers.at["kavkaz-daily-2024-10-02", "quantity_bound"] == "exact"  # "24 armoured vehicles"
    # "More than 20": the number as printed, and that it is a lower bound, never a guessed exact number
    assert transfers.at["yerevan-wire-2024-10-02", "quantity"] == 20
    assert transfers.at["yerevan-wire-2024-10-02", "quantity_bound"] == "lower_bound"
    assert transfers.at["kavkaz-daily-2024-10-02", "certainty"] == "stated"
    assert transfers.at["yerevan-wire-2024-10-02", "certainty"] == "reported"


def test_each_row_has_evidence_from_its_own_source(two_sources: Build) -> None:
    evidence = two_sources.frames["evidence"]
    transfers = two_sources.frames["military_transfers"]
    assert len(transfers) == 2
    for transfer_id, source_id in zip(transfers["transfer_id"], transfers["source_id"], strict=True):
        mine = evidence[evidence["row_id"] == transfer_id]
        assert len(mine) == 1 and set(mine["source_id"]) == {source_id}
        quote, start, end = mine.iloc[0][["quote", "char_start", "char_end"]]
        assert two_sources.texts[source_id][start:end] == quote


def test_an_actor_named_by_both_sources_is_one_row_with_both_proofs(two_sources: Build) -> None:
    actors = two_sources.frames["actors"].set_index("actor_id")
    assert list(actors.index) == ["arm", "fra"]
    assert list(actors.at["fra", "aliases"]) == ["France", "French"]
    evidence = two_sources.frames["evidence"]
    assert set(evidence.loc[evidence["row_id"] == "fra", "source_id"]) == {
        "kavkaz-daily-2024-10-02",
        "yerevan-wire-2024-10-02",
    }


def test_grouping_by_canonical_id_merges_without_losing_a_source(two_sources: Build) -> None:
    merged = two_sources.frames["military_transfers"].groupby("canonical_id")["source_id"].agg(sorted)
    assert merged.to_dict() == {CANONICAL: ["kavkaz-daily-2024-10-02", "yerevan-wire-2024-10-02"]}


def test_an_actor_defined_differently_by_two_sources_is_refused(tmp_path: Path) -> None:
    shutil.copytree(TWO_SOURCES, tmp_path / "seeds")
    coding = tmp_path / "seeds" / "yerevan-wire-2024-10-02" / "coding.yaml"
    coding.write_text(coding.read_text(encoding="utf-8").replace("country: FRA", "country: BEL"), encoding="utf-8")
    [fault] = build_tables(tmp_path / "seeds").errors
    assert (fault.file, fault.row_id, fault.column, fault.rule) == (str(coding), "fra", "country", "actor_conflict")
    assert "kavkaz-daily-2024-10-02/coding.yaml" in fault.message
