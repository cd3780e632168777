"""Cross-table and row rules: each passes on the seed and fails on a broken copy of it."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetrack.checks import check_canonical_ids, check_dates, check_foreign_keys, check_row_rules, check_tables
from peacetrack.evidence import check_quotes, check_sources
from peacetrack.faults import Fault
from peacetrack.rowdata import RowData, taken
from peacetrack.seeds import Build
from peacetrack.tables import TABLES, arrow_from_frame

Frames = dict[str, pd.DataFrame]


def faults(frames: Frames, texts: dict[str, str]) -> list[Fault]:
    return check_tables(frames, texts)


def found(frames: Frames, texts: dict[str, str]) -> set[tuple[str | None, str | None, str | None, str]]:
    return {(f.table, f.row_id, f.column, f.rule) for f in faults(frames, texts)}


def row(frame: pd.DataFrame, column: str, value: str) -> int:
    return int(frame.index[frame[column] == value][0])


def test_the_seed_has_no_fault(seed_build: Build) -> None:
    assert faults(seed_build.frames, seed_build.texts) == []


def test_a_foreign_key_must_resolve(frames: Frames, seed_build: Build) -> None:
    statements = frames["statements"]
    i = row(statements, "statement_id", "aliyev-2024-09-23-no-need-for-mediators")
    statements.at[i, "target_id"] = "nobody"
    fault = next(f for f in faults(frames, seed_build.texts) if f.rule == "foreign_key")
    assert (fault.table, fault.row_id, fault.column, fault.value) == (
        "statements",
        "aliyev-2024-09-23-no-need-for-mediators",
        "target_id",
        "nobody",
    )
    assert "no row in actors" in fault.message


def test_a_list_of_foreign_keys_must_resolve(frames: Frames, seed_build: Build) -> None:
    rounds = frames["negotiation_rounds"]
    rounds["parties"] = pd.Series(
        [["arm", "aze"]] * (len(rounds) - 1) + [["arm", "narnia"]], index=rounds.index, dtype=rounds["parties"].dtype
    )
    last = rounds["round_id"].iloc[-1]
    assert ("negotiation_rounds", last, "parties", "foreign_key") in found(frames, seed_build.texts)


def test_a_parent_must_be_an_actor(frames: Frames, seed_build: Build) -> None:
    actors = frames["actors"]
    actors.at[row(actors, "actor_id", "us-air-force"), "parent_id"] = "pentagon"
    assert ("actors", "us-air-force", "parent_id", "foreign_key") in found(frames, seed_build.texts)


def test_evidence_must_point_at_a_row_of_the_table_it_names(frames: Frames, seed_build: Build) -> None:
    evidence = frames["evidence"]
    i = int(evidence.index[evidence["table_name"] == "statements"][0])
    evidence.at[i, "row_id"] = "fra"  # an actor's id, but the evidence says `statements`
    result = found(frames, seed_build.texts)
    assert ("evidence", evidence.at[i, "evidence_id"], "row_id", "evidence_target") in result


def test_every_row_needs_evidence(frames: Frames, seed_build: Build) -> None:
    evidence = frames["evidence"]
    frames["evidence"] = evidence[evidence["row_id"] != "fra-arm-mistral"].reset_index(drop=True)
    assert ("military_transfers", "fra-arm-mistral", None, "evidence_required") in found(frames, seed_build.texts)


def test_evidence_of_a_claim_comes_from_its_own_source(frames: Frames, seed_build: Build) -> None:
    frames["sources"] = pd.concat(
        [frames["sources"], frames["sources"].assign(source_id="another-source")], ignore_index=True
    )
    evidence = frames["evidence"]
    i = row(evidence, "row_id", "fra-arm-mistral")
    evidence.at[i, "source_id"] = "another-source"
    rules = {f.rule for f in faults(frames, seed_build.texts) if f.row_id == evidence.at[i, "evidence_id"]}
    assert "evidence_source" in rules


def test_an_evidence_quote_equals_its_span(frames: Frames, seed_build: Build) -> None:
    evidence = frames["evidence"]
    evidence.loc[0, "char_start"] += 1
    assert ("evidence", evidence.at[0, "evidence_id"], "quote", "quote_mismatch") in found(frames, seed_build.texts)


def test_a_span_must_not_be_empty(frames: Frames, seed_build: Build) -> None:
    evidence = frames["evidence"]
    evidence.loc[0, "char_end"] = evidence.loc[0, "char_start"]
    assert ("evidence", evidence.at[0, "evidence_id"], "char_end", "span_order") in found(frames, seed_build.texts)


def test_without_the_text_evidence_is_unverified_not_wrong(seed_build: Build) -> None:
    result = faults(seed_build.frames, {})
    assert [(f.severity, f.rule) for f in result] == [("warning", "unverified")]
    assert "not verified" in result[0].message


def test_a_source_text_must_match_its_hash(frames: Frames, seed_build: Build) -> None:
    source_id, text = next(iter(seed_build.texts.items()))
    rules = {f.rule for f in faults(frames, {source_id: text + " "})}
    assert {"text_hash", "char_count"} <= rules


def test_a_direct_quote_lies_inside_its_evidence(frames: Frames, seed_build: Build) -> None:
    statements = frames["statements"]
    i = row(statements, "statement_id", "aliyev-2024-09-23-artificially-delaying")
    statements.at[i, "quote"] = "Armenia is deliberately delaying this issue"
    assert ("statements", "aliyev-2024-09-23-artificially-delaying", "quote", "quote_in_evidence") in found(
        frames, seed_build.texts
    )


def test_a_paraphrase_has_no_quote_and_a_direct_quote_has_one(frames: Frames, seed_build: Build) -> None:
    statements = frames["statements"]
    para = row(statements, "statement_id", "aliyev-2024-09-23-no-need-for-mediators")
    direct = row(statements, "statement_id", "aliyev-2024-09-23-artificially-delaying")
    statements.at[para, "quote"] = "mediators"
    statements.at[direct, "quote"] = None
    result = found(frames, seed_build.texts)
    assert ("statements", "aliyev-2024-09-23-no-need-for-mediators", "quote", "paraphrase") in result
    assert ("statements", "aliyev-2024-09-23-artificially-delaying", "quote", "direct_quote") in result


def set_date(
    frame: pd.DataFrame, at: int, edtf: str | None, start: date | None, end: date | None, precision: str
) -> None:
    """A row's four date columns, as a table file writes them (date_basis with a date)."""
    frame.at[at, "date_edtf"], frame.at[at, "date_start"], frame.at[at, "date_end"] = edtf, start, end
    frame.at[at, "date_precision"] = precision
    frame.at[at, "date_basis"] = None if edtf is None else "stated"


@pytest.mark.parametrize(
    ("edtf", "start", "end", "precision", "column", "rule"),
    [
        ("2024-08", date(2024, 8, 2), date(2024, 8, 31), "month", "date_start", "date_edtf"),
        ("2024-08", date(2024, 8, 1), date(2024, 8, 30), "month", "date_end", "date_edtf"),
        ("2024-08", date(2024, 8, 1), date(2024, 9, 30), "month", "date_end", "date_edtf"),
        ("2024-08", date(2024, 8, 1), date(2024, 8, 31), "day", "date_precision", "date_edtf"),
        # a 92-day interval is not day precision: "this summer" is a season
        ("2024-22", date(2024, 6, 1), date(2024, 8, 31), "day", "date_precision", "date_edtf"),
        ("2024", date(2024, 1, 1), date(2024, 6, 30), "year", "date_end", "date_edtf"),
        ("../2024-09-23", date(2024, 9, 1), date(2024, 9, 23), "day", "date_start", "date_edtf"),  # open: no start
        (None, date(2024, 8, 1), None, "unknown", "date_start", "date_edtf"),  # no date: no bounds
        (None, None, None, "day", "date_precision", "date_edtf"),
        ("2024-09-23/2024-09-01", date(2024, 9, 23), date(2024, 9, 1), "day", "date_edtf", "date_order"),
        ("2024-13", date(2024, 1, 1), date(2024, 12, 31), "year", "date_edtf", "edtf"),
    ],
)
def test_dates_are_what_their_edtf_gives(
    frames: Frames,
    seed_build: Build,
    edtf: str | None,
    start: date | None,
    end: date | None,
    precision: str,
    column: str,
    rule: str,
) -> None:
    transfers = frames["military_transfers"]
    set_date(transfers, row(transfers, "transfer_id", "usa-arm-sniper-rifles-2024-08"), edtf, start, end, precision)
    result = [f for f in faults(frames, seed_build.texts) if f.row_id == "usa-arm-sniper-rifles-2024-08"]
    assert [(f.column, f.rule) for f in result] == [(column, rule)]


def test_dates_their_edtf_gives_pass(frames: Frames, seed_build: Build) -> None:
    transfers = frames["military_transfers"]
    i = row(transfers, "transfer_id", "usa-arm-sniper-rifles-2024-08")
    for edtf, start, end, precision in [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("2024-22", date(2024, 6, 1), date(2024, 8, 31), "season"),
        ("../2024-09-23", None, date(2024, 9, 23), "day"),
        ("2023-11/..", date(2023, 11, 1), None, "month"),
        (None, None, None, "unknown"),
    ]:
        set_date(transfers, i, edtf, start, end, precision)
        assert faults(frames, seed_build.texts) == [], (edtf, start, end, precision)


@pytest.mark.parametrize(("dated", "basis"), [(False, "stated"), (True, None)])
def test_a_date_basis_goes_with_a_date(frames: Frames, seed_build: Build, dated: bool, basis: str | None) -> None:
    transfers = frames["military_transfers"]
    i = row(transfers, "transfer_id", "fra-arm-bastion-2023-11" if dated else "fra-arm-mistral")
    transfers.at[i, "date_basis"] = basis
    assert [(f.column, f.rule) for f in faults(frames, seed_build.texts)] == [("date_basis", "date_basis")]


def test_a_lone_canonical_id_is_the_row_id(frames: Frames, seed_build: Build) -> None:
    transfers = frames["military_transfers"]
    i = row(transfers, "transfer_id", "fra-arm-mistral")
    transfers.at[i, "canonical_id"] = "mistral-deal"
    assert ("military_transfers", "fra-arm-mistral", "canonical_id", "canonical_id") in found(frames, seed_build.texts)


def test_two_row_rules(frames: Frames, seed_build: Build) -> None:
    transfers, actors = frames["military_transfers"], frames["actors"]
    transfers.at[row(transfers, "transfer_id", "fra-arm-mistral"), "recipient_id"] = "fra"
    actors.at[row(actors, "actor_id", "milli-majlis"), "parent_id"] = "milli-majlis"
    result = found(frames, seed_build.texts)
    assert ("military_transfers", "fra-arm-mistral", "recipient_id", "self_transfer") in result
    assert ("actors", "milli-majlis", "parent_id", "self_reference") in result


def test_the_rules_find_the_same_faults_in_pandas_and_in_arrow(frames: Frames, seed_build: Build) -> None:
    """The validator checks Arrow chunks, the build pandas frames: one definition, same faults."""
    statements, transfers, actors, rounds = (
        frames[n] for n in ("statements", "military_transfers", "actors", "negotiation_rounds")
    )
    statements.at[row(statements, "statement_id", "aliyev-2024-09-23-no-need-for-mediators"), "target_id"] = "nobody"
    statements.at[row(statements, "statement_id", "aliyev-2024-09-23-no-need-for-mediators"), "quote"] = "mediators"
    statements.at[row(statements, "statement_id", "aliyev-2024-09-23-artificially-delaying"), "quote"] = (
        "deliberately delaying"
    )
    transfers.at[row(transfers, "transfer_id", "fra-arm-mistral"), "recipient_id"] = "fra"
    transfers.at[row(transfers, "transfer_id", "fra-arm-mistral"), "canonical_id"] = "mistral-deal"
    transfers.at[row(transfers, "transfer_id", "usa-arm-sniper-rifles-2024-08"), "date_end"] = date(2024, 1, 1)
    transfers.at[row(transfers, "transfer_id", "usa-arm-night-vision-devices-2024-08"), "date_edtf"] = "2024-13"
    transfers.at[row(transfers, "transfer_id", "usa-arm-body-armor-2024-08"), "date_edtf"] = "2024-08-31/2024-08-01"
    transfers.at[row(transfers, "transfer_id", "fra-arm-radar-systems"), "quantity_bound"] = None
    transfers.at[row(transfers, "transfer_id", "fra-arm-mistral"), "part_of"] = "fra-arm-mistral"
    actors.at[row(actors, "actor_id", "milli-majlis"), "parent_id"] = "milli-majlis"
    rounds = frames["negotiation_rounds"] = pd.concat([rounds] * 4, ignore_index=True)
    rounds["round_id"] = [f"round-{n}" for n in range(len(rounds))]
    rounds["canonical_id"] = rounds["round_id"]
    parties = [["arm", "aze"]] * (len(rounds) - 2) + [["arm", "narnia"], ["arm", "arm"]]
    rounds["parties"] = pd.Series(parties, index=rounds.index, dtype=rounds["parties"].dtype)
    rounds["sender_id"] = pd.Series(["fra", "arm", None, None], dtype=rounds["sender_id"].dtype)
    rounds["receiver_id"] = pd.Series([None, "arm", None, None], dtype=rounds["receiver_id"].dtype)
    rounds["round_number"] = pd.Series([1, None, None, None], dtype=rounds["round_number"].dtype)
    source_id, text = next(iter(seed_build.texts.items()))
    texts = {source_id: text + " "}

    def run(data: dict[str, RowData]) -> list[tuple[object, ...]]:
        found = (
            list(check_foreign_keys(data)) + list(check_row_rules(data)) + list(check_sources(data["sources"], texts))
        )
        found += check_quotes(data["statements"], frames["evidence"])
        for name in ("statements", "military_transfers", "negotiation_rounds"):
            found += list(check_dates(TABLES[name], data[name])) + list(check_canonical_ids(TABLES[name], data[name]))
        return [(f.table, f.row_id, f.column, f.rule, f.value, f.position) for f in found]

    in_pandas = run(dict(frames))
    assert {rule for *_, rule, _, _ in in_pandas} >= {
        "foreign_key", "paraphrase", "quote_in_evidence", "self_transfer", "canonical_id", "date_order",
        "self_reference", "distinct", "text_hash", "char_count", "date_edtf", "edtf", "quantity_bound", "part_of",
        "direction", "round_count",
    }  # fmt: skip
    assert run({name: arrow_from_frame(TABLES[name], frame) for name, frame in frames.items()}) == in_pandas


@given(chunks=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=4)), max_size=5), max_size=4), data=st.data())
def test_taken_gives_what_arrows_take_gives(chunks: list[list[str | None]], data: st.DataObject) -> None:
    values = pa.chunked_array([pa.array(chunk, pa.string()) for chunk in chunks], pa.string())
    positions = data.draw(st.lists(st.integers(0, len(values) - 1), max_size=8)) if len(values) else []
    expected = values.take(pa.array(positions, pa.int64())).to_pylist()
    assert taken(values, np.array(positions, dtype=np.int64)) == expected
    assert taken(values.combine_chunks(), np.array(positions, dtype=np.int64)) == expected


def test_row_rules_take_a_loosely_typed_frame() -> None:
    """A column of nulls read by pandas as floats: nothing equal, as pandas compares it."""
    actors = pd.DataFrame({"actor_id": ["x", "y"], "parent_id": [float("nan")] * 2})
    assert list(check_row_rules({"actors": actors})) == []


def test_fault_is_made_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        Fault("actors", "aze", "name", "enum", "not one of: ...")  # type: ignore[misc]  # the call under test is wrong on purpose
    fault = Fault(rule="enum", message="not one of: a", table="actors", row_id="aze", column="name")
    assert (fault.table, fault.row_id, fault.column, fault.rule) == ("actors", "aze", "name", "enum")
