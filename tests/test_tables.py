"""The contract: one definition per table gives the row model and the table schema."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pyarrow as pa
import pycountry
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from peacetrack.checks import check_schema
from peacetrack.rules import RUN_MIN_ROWS, Rule, column_rules, pandera_schema
from peacetrack.schema import vocabularies
from peacetrack.tables import TABLES, Actor, Column, Kind, MilitaryTransfer, arrow_schema, columns, frame_from_rows

DESIGN_COLUMNS = {
    "sources": "source_id title publisher url published_on language text_sha256 text_in_repo char_count notes",
    "actors": "actor_id name actor_type country parent_id role aliases",
    "statements": "statement_id source_id canonical_id speaker_id target_id kind quote summary topic event_type "
    "occasion date_edtf date_start date_end date_precision date_basis",
    "military_transfers": "transfer_id source_id canonical_id supplier_id recipient_id end_user_id item item_category "
    "manufacturer_id quantity quantity_bound status certainty carrier part_of notes "
    "date_edtf date_start date_end date_precision date_basis",
    "negotiation_rounds": "round_id source_id canonical_id process round_number round_count parties sender_id "
    "receiver_id mediator_id format place outcome notes date_edtf date_start date_end date_precision date_basis",
    "evidence": "evidence_id table_name row_id source_id char_start char_end quote",
}


def test_tables_keep_the_design_names() -> None:
    assert list(TABLES) == list(DESIGN_COLUMNS)
    for name, expected in DESIGN_COLUMNS.items():
        assert {c.name for c in TABLES[name].columns} == set(expected.split()), name


def test_one_definition_feeds_every_view() -> None:
    for table in TABLES.values():
        names = [c.name for c in table.columns]
        assert names[0] == table.primary_key
        assert set(names) == set(table.model.model_fields)
        assert list(pandera_schema(table).columns) == names
        assert arrow_schema(table).names == names


def test_foreign_keys_are_read_from_the_models() -> None:
    assert TABLES["actors"].foreign_keys == {"parent_id": "actors"}
    assert TABLES["negotiation_rounds"].foreign_keys["parties"] == "actors"
    assert TABLES["military_transfers"].foreign_keys["manufacturer_id"] == "actors"
    assert TABLES["evidence"].foreign_keys == {"source_id": "sources"}


def test_country_codes_are_the_iso_list() -> None:
    country = next(c for c in columns(Actor) if c.name == "country")
    assert country.enum is not None
    assert set(country.enum) == {c.alpha_3 for c in pycountry.countries}
    assert {"AZE", "ARM", "FRA", "USA"} <= set(country.enum)


GOOD_ACTOR = {
    "actor_id": "us-air-force",
    "name": "United States Air Force",
    "actor_type": "armed_force",
    "country": "USA",
    "parent_id": "usa",
    "role": None,
    "aliases": ["US Air Force"],
}


def test_row_model_accepts_a_good_row() -> None:
    assert Actor.model_validate(GOOD_ACTOR).country == "USA"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("actor_id", "US_Air_Force", "should match pattern"),
        ("actor_id", "us--air-force", "should match pattern"),
        ("actor_type", "army", "Input should be"),
        ("country", "XYZ", "Input should be"),
        ("country", "US", "Input should be"),
        ("name", "Tab\there", "should match pattern"),
        ("aliases", ["ok", ""], "at least 1 character"),
    ],
)
def test_row_model_rejects_a_bad_value(column: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        Actor.model_validate(GOOD_ACTOR | {column: value})
    assert error.value.errors()[0]["loc"][0] == column
    assert message in str(error.value)


def test_row_model_rejects_an_unknown_column() -> None:
    with pytest.raises(ValidationError, match=r"extra_forbidden|Extra inputs"):
        Actor.model_validate(GOOD_ACTOR | {"colour": "blue"})


def test_quantity_is_at_least_one() -> None:
    fields = MilitaryTransfer.model_fields
    quantity = next(c for c in columns(MilitaryTransfer) if c.name == "quantity")
    assert quantity.minimum == 1 and quantity.kind is Kind.integer and quantity.nullable
    assert "quantity" in fields


def actors_frame(*overrides: dict[str, object]) -> pd.DataFrame:
    """Good rows, then one row per override. A bad enum value or a null in a required column
    is set after the frame is made, as Arrow would refuse to make it."""
    enums = {c.name for c in TABLES["actors"].columns if c.enum}

    def later(column: str, value: object) -> bool:
        return column in enums or value is None

    rows = [GOOD_ACTOR | {"actor_id": "usa", "parent_id": None}]
    rows += [GOOD_ACTOR | {k: v for k, v in o.items() if not later(k, v)} for o in overrides]
    frame = frame_from_rows(TABLES["actors"], rows)
    for position, override in enumerate(overrides, start=1):
        for column, value in override.items():
            if later(column, value):
                if column in enums:
                    frame[column] = frame[column].astype(object)
                frame.at[position, column] = value
    return frame


def rules(frame: pd.DataFrame, table: str = "actors") -> set[tuple[str | None, str, str]]:
    return {(f.row_id, f.column or "", f.rule) for f in check_schema(TABLES[table], frame)}


def test_table_schema_accepts_good_rows() -> None:
    assert rules(actors_frame({})) == set()


@pytest.mark.parametrize(
    ("override", "column", "rule", "message"),
    [
        ({"actor_id": "Bad Slug"}, "actor_id", "pattern_slug", "not a slug"),
        ({"actor_type": "army"}, "actor_type", "enum", "not one of"),
        ({"country": "XYZ"}, "country", "enum", "ISO 3166-1 alpha-3"),
        ({"name": "Cafe\u0301"}, "name", "nfc", "NFC"),
        ({"name": "line\nbreak"}, "name", "pattern_text", "control character"),
        ({"aliases": ["fine", "tab\tin"]}, "aliases", "pattern_text", "control character"),
        ({"name": "=HYPERLINK(1)"}, "name", "formula", "formula"),
        ({"role": "-1+1"}, "role", "formula", "formula"),
        ({"aliases": ["fine", "@cmd"]}, "aliases", "formula", "formula"),
        ({"name": "Ilham\u200dAliyev"}, "name", "invisible_character", "displays as nothing"),
        ({"aliases": ["fine", "\u202everoiliA"]}, "aliases", "invisible_character", "override"),
        ({"name": None}, "name", "required", "required"),
    ],
)
def test_table_schema_rejects_a_bad_cell(override: dict[str, object], column: str, rule: str, message: str) -> None:
    frame = actors_frame(override)
    faults = check_schema(TABLES["actors"], frame)
    assert [(f.column, f.rule) for f in faults] == [(column, rule)]
    assert message in faults[0].message
    assert faults[0].position == 1


def test_a_column_of_nulls_keeps_the_rules_on_its_values() -> None:
    frame = actors_frame({})
    frame["role"] = pd.Series([None] * len(frame), dtype=object)  # Arrow has no type for it: nothing to test
    assert rules(frame) == set()


def test_table_schema_rejects_a_duplicate_key() -> None:
    frame = actors_frame({"actor_id": "usa", "parent_id": None})
    assert ("usa", "actor_id", "unique") in rules(frame)


def test_table_schema_rejects_quantity_below_one(frames: dict[str, pd.DataFrame]) -> None:
    transfers = frames["military_transfers"]
    transfers.loc[0, "quantity"] = 0
    faults = check_schema(TABLES["military_transfers"], transfers)
    assert [(f.column, f.rule, f.value) for f in faults] == [("quantity", "minimum", "0")]


def test_table_schema_rejects_a_missing_and_an_unknown_column() -> None:
    frame = actors_frame({}).drop(columns=["role"]).assign(colour="blue")
    found = {f.rule for f in check_schema(TABLES["actors"], frame)}
    assert {"missing_column", "unknown_column"} <= found


def test_frame_dtypes_follow_the_contract() -> None:
    frame = frame_from_rows(
        TABLES["military_transfers"],
        [
            {
                "transfer_id": "t",
                "source_id": "s",
                "canonical_id": "t",
                "supplier_id": "fra",
                "recipient_id": "arm",
                "end_user_id": None,
                "item": "Bastion",
                "item_category": "armoured_vehicle",
                "manufacturer_id": None,
                "quantity": None,
                "status": "delivered",
                "certainty": "stated",
                "carrier": None,
                "notes": None,
                "date_start": date(2023, 11, 1),
                "date_end": None,
                "date_precision": "month",
                "date_basis": "stated",
            }
        ],
    )
    assert str(frame["quantity"].dtype) == "Int64"
    assert isinstance(frame["item_category"].dtype, pd.CategoricalDtype)
    assert next(iter(frame["item_category"].cat.categories)) == "armoured_vehicle"
    assert frame["date_start"].iloc[0] == date(2023, 11, 1)


# Bytes the pattern screens treat apart: slug characters, hyphens, controls (C0, DEL, C1),
# other ASCII and non-ASCII text, characters that display as nothing or otherwise (soft hyphen,
# joiners, direction marks and overrides, separators, BOM, tags), and their neighbours.
CELL_TEXT = (
    st.text(
        alphabet="az09--_ Z\t\n\r\x0b\x0c\x0e\x00\x7f\x85\x9f\xa0\xad\xaeéԱ\u200b\u200d\u200e\u2010\u2019\u2028"
        "\u202e\u202f\u2069\ufeff\ufffa\U000e0041\U000e0100\U0001f600",
        max_size=6,
    )
    | st.none()
)
PATTERN_RULES = [
    (TABLES[table].column(name), rule)
    for table, name, rule in (
        ("statements", "speaker_id", "pattern_slug"),
        ("statements", "summary", "pattern_text"),
        ("statements", "summary", "invisible_character"),
        ("statements", "quote", "display_control"),
        ("evidence", "quote", "control_character"),
    )
]


def _expected(pattern: str | None, values: list[str | None]) -> list[bool]:
    return [value is None or re.fullmatch(pattern or "", value) is not None for value in values]


def _pattern_rule(column: Column, name: str) -> Rule:
    return next(rule for rule in column_rules(column) if rule.name == name)


@settings(max_examples=150, deadline=None)
@given(values=st.lists(CELL_TEXT, max_size=40))
@example(values=["a", "-"]).via("a hyphen alone, last")
@example(values=["-a", "a-", "a--b", "", None, "a-b"]).via("hyphens first, last, doubled; empty; null")
def test_pattern_screens_agree_with_the_pattern(values: list[str | None]) -> None:
    for column, name in PATTERN_RULES:
        rule = _pattern_rule(column, name)
        assert rule.passes(pa.array(values, pa.string())).tolist() == _expected(rule.pattern, values), (name, values)


@settings(max_examples=30, deadline=None)
@given(runs=st.lists(st.tuples(CELL_TEXT, st.integers(min_value=1, max_value=RUN_MIN_ROWS)), min_size=1, max_size=6))
def test_values_in_runs_are_judged_as_one_by_one(runs: list[tuple[str | None, int]]) -> None:
    values = [value for value, count in runs for _ in range(count)]
    for column, name in PATTERN_RULES:
        rule = _pattern_rule(column, name)
        assert rule.passes(pa.array(values, pa.string())).tolist() == _expected(rule.pattern, values), name


def test_every_value_of_every_vocabulary_has_a_one_line_definition() -> None:
    found = vocabularies()
    assert {"actor_type", "topic", "transfer_status", "quantity_bound", "date_precision", "negotiation_format"} <= set(
        found
    )
    for enum_name, definitions in found.items():
        for value, definition in definitions.items():
            assert definition and "\n" not in definition and len(definition) <= 120, (enum_name, value)
    assert {"media", "expert", "anonymous"} <= set(found["actor_type"])
    assert {"in_production", "offered", "declined", "cancelled"} <= set(found["transfer_status"])
    assert list(found["date_precision"]) == ["day", "month", "season", "year", "decade", "unknown"]
