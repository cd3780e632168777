"""Dates as sources give them: one EDTF expression, its bounds and a precision that never claims
more than the expression, the same in `dates`, the build of a coding file and `peacetrack validate`.

The fixture (tests/fixtures/dates) is a made-up article giving a date in each way the issue lists;
its coding file writes each as `when:`.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.dates import PLAIN_DATE, DateFault, parsed_spans, plain_spans, read_edtf
from peacetrack.rules import DATE_EDTF, DATE_ORDER, EDTF, TableRule
from peacetrack.seeds import Build, build_tables
from peacetrack.tablefiles import csv_frame, write_tables
from peacetrack.tables import TABLES

from .helpers import FIXTURES

runner = CliRunner()
DATES_SEEDS = FIXTURES / "dates" / "seeds"
SOURCE_ID = "caspian-ledger-2024-09-30"

# What a source says, as EDTF: first day, last day (None where open) and precision.
PHRASINGS: dict[str, tuple[date | None, date | None, str]] = {
    "2024-09-23": (date(2024, 9, 23), date(2024, 9, 23), "day"),  # "on 23 September 2024"
    "2024-09": (date(2024, 9, 1), date(2024, 9, 30), "month"),  # "in September 2024"
    "2024": (date(2024, 1, 1), date(2024, 12, 31), "year"),  # "in 2024"
    "2024-22": (date(2024, 6, 1), date(2024, 8, 31), "season"),  # "this summer": 92 days, not "day"
    "../2024-09-23": (None, date(2024, 9, 23), "day"),  # "by 23 September"
    "2023-11/..": (date(2023, 11, 1), None, "month"),  # "since November 2023"
    "2024-03/2024-05": (date(2024, 3, 1), date(2024, 5, 31), "month"),  # "from March to May 2024"
    "2024-06?": (date(2024, 6, 1), date(2024, 6, 30), "month"),  # "possibly in June 2024"
    "2024-06~": (date(2024, 6, 1), date(2024, 6, 30), "month"),  # "around June 2024"
}
MORE_PHRASINGS: dict[str, tuple[date | None, date | None, str]] = {
    "2024-24": (date(2024, 12, 1), date(2025, 2, 28), "season"),  # winter runs into the next year
    "202X": (date(2020, 1, 1), date(2029, 12, 31), "decade"),  # "in the 2020s"
    "2024-XX": (date(2024, 1, 1), date(2024, 12, 31), "year"),  # a month not given: the year
    "2024-06-01/2024-08-31": (date(2024, 6, 1), date(2024, 8, 31), "day"),  # two days given
    "2024/2025-06": (date(2024, 1, 1), date(2025, 6, 30), "year"),  # the coarsest known end
}
BAD: dict[str, TableRule] = {
    "2024-13": EDTF,  # no month 13
    "2024-02-30": EDTF,  # no such day
    "yesterday": EDTF,
    "": EDTF,
    "[2024,2025]": EDTF,  # a set of dates: one date or interval only
    "20XX": EDTF,  # a century: coarser than the contract says
    "2024-33": EDTF,  # a quarter (EDTF level 2): write 2024-01/2024-03
    "../..": EDTF,  # no end known
    "2024-09-23/2024-09-01": DATE_ORDER,
}


@pytest.mark.parametrize("expression", [*PHRASINGS, *MORE_PHRASINGS])
def test_an_edtf_date_gives_its_bounds_and_precision(expression: str) -> None:
    dates = read_edtf(expression)
    assert (dates.start, dates.end, dates.precision) == {**PHRASINGS, **MORE_PHRASINGS}[expression]
    assert dates.edtf == expression


def test_no_date_is_unknown() -> None:
    dates = read_edtf(None)
    assert (dates.edtf, dates.start, dates.end, dates.precision) == (None, None, None, "unknown")


@pytest.mark.parametrize("expression", list(BAD))
def test_an_expression_the_contract_cannot_take_is_refused_by_its_rule(expression: str) -> None:
    with pytest.raises(DateFault) as raised:
        read_edtf(expression)
    assert raised.value.rule == BAD[expression]


@pytest.fixture(scope="module")
def dates_build() -> Build:
    build = build_tables(DATES_SEEDS)
    assert build.ok, "\n".join(map(str, build.faults))
    return build


def test_the_build_computes_every_phrasing_from_when(dates_build: Build) -> None:
    statements = dates_build.frames["statements"]
    assert sorted(statements["date_edtf"]) == sorted(PHRASINGS)  # each phrasing once, as written
    for row in statements.to_dict("records"):
        start, end, precision = PHRASINGS[row["date_edtf"]]
        assert (row["date_start"], row["date_end"], row["date_precision"]) == (start, end, precision)


def coded_with(tmp_path: Path, line: str, instead: str) -> Path:
    """The dates article's seeds copied, one line of its coding file written otherwise; returns
    the coding file."""
    shutil.copytree(DATES_SEEDS, tmp_path / "seeds")
    coding = tmp_path / "seeds" / SOURCE_ID / "coding.yaml"
    text = coding.read_text(encoding="utf-8")
    assert text.count(line) == 1, line
    coding.write_text(text.replace(line, instead), encoding="utf-8")
    return coding


def test_a_bad_when_is_a_fault_at_its_line(tmp_path: Path) -> None:
    coding = coded_with(tmp_path, "    when: 2024-06?\n", "    when: 2024-13\n")
    [fault] = build_tables(tmp_path / "seeds").errors
    line = coding.read_text(encoding="utf-8").splitlines().index("    when: 2024-13") + 1
    assert (fault.row_id, fault.column, fault.rule, fault.message) == ("text-possibly-agreed", "when", *EDTF.words)
    assert (fault.file, fault.line, fault.value) == (str(coding), line, "2024-13")


def test_a_coding_file_gives_when_never_the_columns_it_fills(tmp_path: Path) -> None:
    coded_with(tmp_path, "    when: 2024-09\n", "    date_precision: month\n")
    faults = build_tables(tmp_path / "seeds").errors
    assert [(f.row_id, f.column, f.rule) for f in faults] == [("commissions-met-twice", "date_precision", "computed")]


def validated(path: Path, release: Path) -> list[tuple[str | None, str, str, str]]:
    result = runner.invoke(app, ["validate", str(path), "--against", str(release), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    faults = json.loads(result.stdout)["faults"]
    return [
        (f["row_id"], f["column"], f["rule"], re.sub(r"^(row|line) [0-9]+: ", "", f["message"]))
        for f in faults
        if f["severity"] == "error" and f["rule"] != "release_conflict"  # a released row changed: besides
    ]


def test_a_table_file_is_checked_against_its_edtf_as_the_build_is(dates_build: Build, tmp_path: Path) -> None:
    """Every phrasing's columns pass `validate`; a precision the expression does not give, an
    expression that is not EDTF and an interval that ends before it starts fail, in the build's words."""
    release = tmp_path / "release"
    release.mkdir()
    write_tables(dates_build.frames, release)
    table = TABLES["statements"]
    cells = csv_frame(table, dates_build.frames["statements"])
    good = tmp_path / "good" / "statements.csv"
    good.parent.mkdir()
    cells.to_csv(good, index=False, lineterminator="\n")
    assert validated(good, release) == []
    ids = cells["statement_id"].tolist()
    summer = ids.index("villages-demined")
    cells.loc[summer, "date_precision"] = "day"  # 92 days are not "day"
    cells.loc[ids.index("talks-continue"), "date_edtf"] = "2024-09-31"
    cells.loc[ids.index("road-open"), "date_edtf"] = "2024-11/2023-11"
    bad = tmp_path / "bad" / "statements.csv"
    bad.parent.mkdir()
    cells.to_csv(bad, index=False, lineterminator="\n")
    assert set(validated(bad, release)) == {
        ("villages-demined", "date_precision", DATE_EDTF.name, DATE_EDTF.says(column="date_precision")),
        ("talks-continue", "date_edtf", *EDTF.words),
        ("road-open", "date_edtf", *DATE_ORDER.words),
    }


QUALIFIED_SEASON = re.compile(r"[0-9]{4}-2[1-4][?~%]")
plain_dates = st.builds(
    lambda year, month, day, parts, mark: "-".join([f"{year:04d}", f"{month:02d}", f"{day:02d}"][:parts]) + mark,
    st.integers(0, 9999), st.integers(0, 25), st.integers(0, 32), st.integers(1, 3), st.sampled_from(["", "", "?", "~", "%"]),
)  # fmt: skip


@settings(max_examples=100, deadline=None)  # the parser takes some 0.1 s an expression
@given(lower=st.one_of(st.just(".."), plain_dates), upper=st.one_of(st.none(), st.just(".."), plain_dates))
@example(lower="0001-21?", upper="..")  # a qualified season the parser reads only in an interval
def test_plain_dates_are_read_as_the_edtf_package_reads_them(lower: str, upper: str | None) -> None:
    """The calendar's shortcut for plain dates and their intervals agrees with the parser."""
    expression = lower if upper is None else f"{lower}/{upper}"
    shortcut = plain_spans(expression)
    try:
        parsed: list[object] | type[DateFault] = parsed_spans(expression)
    except DateFault:
        parsed = DateFault
    if shortcut is not None:
        assert shortcut == parsed, expression
    else:  # not a plain expression, no real day, or a qualified season: the parser has the last word
        # (EDTF level 1 qualifies no season, yet the `edtf` package reads `2024-21?` as an
        # interval's end, not alone: the shortcut leaves every qualified season to it.)
        ends = [end for end in (lower, upper) if end not in (None, "..")]
        qualified_season = any(QUALIFIED_SEASON.fullmatch(end) for end in ends)
        assert parsed is DateFault or qualified_season or not PLAIN_DATE.fullmatch(lower), expression


def test_a_long_expression_is_refused_unread() -> None:
    with pytest.raises(DateFault):
        read_edtf("2024-09-23/" + "9" * 1_000_000)


def test_a_when_that_is_not_text_is_no_edtf_date(tmp_path: Path) -> None:
    coded_with(tmp_path, "    when: 2024-09\n", "    when: [2024, 9]\n")
    [fault] = build_tables(tmp_path / "seeds").errors
    assert (fault.row_id, fault.column, fault.rule, fault.message) == ("commissions-met-twice", "when", *EDTF.words)
