"""The contract's rules, each one definition run on every path: the build of a seed, a coding
file and table files (CSV, JSON Lines, Parquet) through `peacetrack validate`, and
`publish_release` given frames. Each case must give the same rule and message on each path.

Two tables of cases: `RULE_CASES`, one or more per kind of rule (type, pattern, enum, range,
formula, required, row rule, key, link), and `CASES`, every rule on text's characters."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from peacetrack import release as release_module
from peacetrack.cli import app
from peacetrack.errors import ReleaseError
from peacetrack.release import publish_release
from peacetrack.rules import (
    COMPUTED,
    CONTROL_CHARACTER,
    DATE_EDTF,
    DATE_ORDER,
    DIRECT_QUOTE,
    DISPLAY_CONTROL,
    DRAFT,
    EDTF,
    FOREIGN_KEY,
    FORMULA,
    INVISIBLE_CHARACTER,
    NOT_A_PARTY,
    PART_OF,
    QUANTITY_BOUND,
    REQUIRED,
    ROUND_COUNT,
    RULE_MESSAGES,
    SELF_TRANSFER,
    TYPE_RULES,
    UNIQUE,
    Rule,
    column_rules,
)
from peacetrack.seeds import Build, build_tables
from peacetrack.tablefiles import csv_frame, write_parquet
from peacetrack.tables import TABLES, Kind, arrow_schema

from .helpers import SEED_ID

runner = CliRunner()
TEXT_RULES = {rule.name: rule.message for rule in (CONTROL_CHARACTER, DISPLAY_CONTROL, FORMULA, INVISIBLE_CHARACTER)}
TEXT_RULES["pattern_text"] = RULE_MESSAGES[Kind.text]
STATEMENT = "aliyev-2024-09-23-artificially-delaying"  # a direct quote, proven by one evidence span
SUMMARY = "    summary: Aliyev said Armenia is artificially delaying the issue (the peace process).\n"
QUOTE = "    quote: Armenia is artificially delaying this issue\n"
EVIDENCE = "      - '\"Armenia is artificially delaying this issue,\" said President Aliyev.'\n"


@dataclass(frozen=True)
class Case:
    table: str
    column: str
    value: str
    rules: tuple[Rule, ...]  # the rules the value breaks; none: it keeps every rule on text


def coder(value: str, *rules: Rule) -> Case:
    """Text a coder writes (a statement's summary); by default, with an invisible character."""
    return Case("statements", "summary", value, rules if rules else (INVISIBLE_CHARACTER,))


def quoted(value: str, *rules: Rule, table: str = "evidence") -> Case:
    """A verbatim quote of the source (an evidence span, or a statement's own words); by
    default, with a character that displays it otherwise."""
    return Case(table, "quote", value, rules if rules else (DISPLAY_CONTROL,))


OK = ()  # keeps every rule


def allowed(value: str, table: str = "evidence") -> Case:
    """A verbatim quote that keeps every rule."""
    return Case(table, "quote", value, OK)


# Cases run through every path; the others through the build and the validator (a CSV file).
EVERY_PATH_CASES = {
    "formula =",
    "formula +",
    "formula -",
    "formula @",
    "formula tab",
    "formula carriage return",
    "not first",
    "direction override",
    "quote: direction override",
    "statement quote: direction override",
    "quote: joiners",
}
CASES = {
    # Item 3: a spreadsheet would run these as formulas.
    "formula =": coder('=HYPERLINK("http://x.example","y")', FORMULA),
    "formula +": coder("+1+2", FORMULA),
    "formula -": coder("-2+3", FORMULA),
    "formula @": coder("@SUM(1+1)", FORMULA),
    "formula in a quote": quoted("=1+2 as he said", FORMULA),
    "formula tab": quoted("\t=1+2", FORMULA),  # a quote may hold a tab, but not first
    "formula carriage return": quoted("\r=1+2", CONTROL_CHARACTER, FORMULA),
    "not first": Case("statements", "summary", "Aliyev said 1+1=2, -3 and @ are fine inside", OK),
    # Item 13: what text a coder writes may not hold...
    "soft hyphen": coder("Aliyev said\u00adit"),
    "zero-width space": coder("Aliyev\u200bsaid it"),
    "zero-width non-joiner": coder("Aliyev\u200csaid it"),
    "zero-width joiner": coder("Aliyev\u200dsaid it"),
    "direction mark": coder("Aliyev\u200fsaid it"),
    "direction override": coder("Aliyev said \u202edias"),
    "direction embedding": coder("Aliyev said \u202ait\u202c"),
    "direction isolate": coder("Aliyev said \u2067it\u2069"),
    "word joiner": coder("Aliyev\u2060said it"),
    "byte-order mark": coder("Aliyev said\ufeff it"),
    "tag": coder("Aliyev said it\U000e0041\U000e007f"),
    "line separator": coder("Aliyev said\u2028it"),
    "paragraph separator": coder("Aliyev said\u2029it"),
    "hangul filler": coder("Aliyev said \u3164"),
    "variation selector": coder("Aliyev said it\ufe0f"),
    # ... what a verbatim quote may not hold ...
    "quote: direction override": quoted("Aliyev said \u202edias"),
    "quote: direction embedding": quoted("Aliyev said \u202bit\u202c"),
    "quote: direction isolate": quoted("Aliyev said \u2066it\u2069"),
    "quote: tag": quoted("Aliyev said it\U000e0001"),
    "quote: line separator": quoted("Aliyev said\u2028it"),
    "quote: paragraph separator": quoted("Aliyev said\u2029it"),
    "quote: interlinear annotation": quoted("Aliyev said \ufff9it\ufffa\ufffb"),
    "quote: escape": quoted("Aliyev said \x1b[2Jit", CONTROL_CHARACTER),
    "statement quote: direction override": quoted("Aliyev said \u202edias", table="statements"),
    # ... and what it may, as its source does.
    "quote: joiners": allowed("Aliyev said \u200c\u200dit"),
    "quote: soft hyphen": allowed("Aliyev said\u00adit"),
    "quote: direction marks": allowed("Aliyev said \u200f\u200e\u061cit"),
    "quote: zero-width space and word joiner": allowed("Aliyev\u200bsaid\u2060it"),
    "quote: lines and tabs": allowed("Aliyev said\n\tit\n\x0c"),
    "quote: carriage return": quoted("Aliyev said\r\nit", CONTROL_CHARACTER),
    "statement quote: joiners": allowed("Aliyev said \u200c\u200dit", table="statements"),
}


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar, everything but printable ASCII escaped."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in value) + '"'


def seed_with(seeds: Path, case: Case) -> Path:
    """The seed copy with the case's value in the statement (and the article, for a quote)."""
    folder = seeds / SEED_ID
    coding = folder / "coding.yaml"
    text = coding.read_text(encoding="utf-8")
    if case.column == "summary":
        text = text.replace(SUMMARY, f"    summary: {yaml_string(case.value)}\n")
    else:  # a quote: the article holds it, as a new evidence span of the statement
        with (folder / "article.txt").open("a", encoding="utf-8", newline="") as article:
            article.write(f"\n{case.value}\n")
        text = text.replace(EVIDENCE, f"{EVIDENCE}      - {yaml_string(case.value)}\n")
        if case.table == "statements":
            text = text.replace(QUOTE, f"    quote: {yaml_string(case.value)}\n")
    coding.write_text(text, encoding="utf-8")
    return coding


def found(faults: list[tuple[str | None, str | None, str, str]], case: Case) -> set[tuple[str, str]]:
    """The rules on text (and their messages) that faults of (table, column, rule, message) break
    in the case's column (a report names no table: a column of that name, then)."""
    return {
        (rule, re.sub(r"^row [0-9]+: ", "", message))  # a Parquet file has no lines: a fault names the row
        for table, column, rule, message in faults
        if table in (None, case.table) and column == case.column and rule in TEXT_RULES
    }


def validated(path: Path, release: Path) -> list[tuple[str | None, str | None, str, str]]:
    result = runner.invoke(app, ["validate", str(path), "--against", str(release), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return [(None, f["column"], f["rule"], f["message"]) for f in json.loads(result.stdout)["faults"]]


def write_jsonl(table: str, frame: pd.DataFrame, path: Path) -> None:
    """Rows as JSON Lines: strings, whole numbers as numbers, null for an empty cell."""
    integers = {c.name for c in TABLES[table].columns if c.kind is Kind.integer}
    with path.open("w", encoding="utf-8") as out:
        for row in csv_frame(TABLES[table], frame).to_dict("records"):
            out.write(
                json.dumps({k: None if v == "" else int(v) if k in integers else v for k, v in row.items()}) + "\n"
            )


def changed_frames(seed_build: Build, case: Case) -> dict[str, pd.DataFrame]:
    """The seed's tables with the case's value in the statement's row (or its first evidence)."""
    frames = {name: frame.copy() for name, frame in seed_build.frames.items()}
    frame = frames[case.table]
    key = "statement_id" if case.table == "statements" else "row_id"
    frame.loc[frame.index[frame[key] == STATEMENT][0], case.column] = case.value
    return frames


TABLE_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    # Every cell quoted: CSV writers leave a carriage return unquoted (see CONTROL_CHARACTER).
    "csv": lambda frame, path: csv_frame(TABLES[path.stem], frame).to_csv(
        path, index=False, lineterminator="\n", quoting=csv.QUOTE_ALL
    ),
    "parquet": lambda frame, path: write_parquet(TABLES[path.stem], frame, path),
    "jsonl": lambda frame, path: write_jsonl(path.stem, frame, path),
}


def through(
    path_name: str,
    case: Case,
    seeds: Path,
    release: Path,
    seed_build: Build,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> set[tuple[str, str]]:
    """The rules on text the case's value breaks, as one path into the data reports them."""
    if path_name in ("build", "coding file"):
        coding = seed_with(seeds, case)
        if path_name == "coding file":
            return found(validated(coding, release), case)
        build = build_tables(seeds)
        assert build.ok or case.rules, build.errors
        return found([(f.table, f.column, f.rule, f.message) for f in build.faults], case)
    frames = changed_frames(seed_build, case)
    if path_name in TABLE_WRITERS:
        path = tmp_path / f"{case.table}.{path_name}"
        TABLE_WRITERS[path_name](frames[case.table], path)
        return found(validated(path, release), case)
    monkeypatch.setattr(release_module, "write_release", lambda *args: [])  # the tables are checked before
    try:
        publish_release(frames, "9.9.9", date(2026, 1, 1), tmp_path / "datasets", "0" * 64)
    except ReleaseError as error:
        lines = [
            line
            for line in str(error).splitlines()
            if f"{case.table} row" in line and f"column {case.column!r}" in line
        ]
        return {
            (rule, message)
            for rule, message in TEXT_RULES.items()
            if any(line.endswith(f"[{rule}]") and message in line for line in lines)
        }
    return set()


EVERY_PATH = ("build", "coding file", "csv", "parquet", "jsonl", "release")
# A character class has the same rule as the others in its rule: the build and the validator.
CLASS_PATHS = ("build", "csv")
# A coding file's quote spans the text from its first to its last character that is not
# whitespace (issue 13, item 5): no span of the build starts with a carriage return.
TABLE_FILE_CASES = {"formula carriage return"}
RUNS = [
    pytest.param(case, path, id=f"{name}, {path}")
    for name, case in CASES.items()
    for path in (EVERY_PATH if name in EVERY_PATH_CASES else CLASS_PATHS)
    if not (name in TABLE_FILE_CASES and path in ("build", "coding file"))
]


@pytest.mark.parametrize(("case", "path_name"), RUNS)
def test_a_text_rule_is_one_rule_on_every_path(
    case: Case,
    path_name: str,
    seeds_copy: Path,
    release: Path,
    seed_build: Build,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found_here = through(path_name, case, seeds_copy, release, seed_build, tmp_path, monkeypatch)
    assert found_here == {(rule.name, rule.message) for rule in case.rules}


# --- every kind of rule, on every path it can reach ------------------------------------------

TRANSFER = "fra-arm-radar-systems"  # quantity 3, undated
ROUND = "arm-aze-peace-treaty-exchanges-by-2024-09-23"  # ten rounds as one row, every value written
OTHER_STATEMENT = "aliyev-2024-09-23-armenia-does-not-want-peace"
TABLE_FILES = ("csv", "parquet")
EVERY = ("build", "coding file", *TABLE_FILES, "release")
# A cell of the wrong type is text that does not parse: a typed frame (release) or a typed
# Parquet column cannot hold one.
TEXT_CELLS = ("build", "coding file", "csv")


def column_rule(table: str, column: str, name: str) -> tuple[str, str]:
    """The name and message of the column's rule called `name`, as rules.py defines them."""
    rule = next(r for r in column_rules(TABLES[table].column(column)) if r.name == name)
    return rule.name, rule.message


@dataclass(frozen=True)
class RuleCase:
    """One value at fault in one row and column, written as a coder and as a table file would."""

    table: str
    row_id: str
    column: str
    yaml: tuple[str, str]  # the change to coding.yaml: (old, new), old found once
    value: object  # the frame's new value (a cell's text where `cell` is None)
    expected: tuple[str, str]  # rule name and message, as rules.py defines them
    paths: tuple[str, ...] = EVERY
    cell: str | None = None  # a table file's cell, where the frame cannot hold the value
    coded_as: str | None = None  # the key a coding file writes for the column, where it is another (`when`)


def after_row(row_id: str, key: str, lines: str) -> tuple[str, str]:
    """Lines added to a row of coding.yaml, just after its id (a row's own value beats a default)."""
    old = f"  - {key}: {row_id}\n"
    return old, old + lines


RULE_CASES = {
    "type: integer": RuleCase(
        "military_transfers", TRANSFER, "quantity", ("    quantity: 3\n", "    quantity: three\n"), None,
        (TYPE_RULES[Kind.integer].name, TYPE_RULES[Kind.integer].message), TEXT_CELLS, cell="three",
    ),
    "type: date": RuleCase(  # a coding file writes no date column: the build computes them from `when:`
        "statements", STATEMENT, "date_end", ("", ""), None, (TYPE_RULES[Kind.date].name, TYPE_RULES[Kind.date].message),
        ("csv",), cell="2024-09-31",
    ),
    "pattern: slug": RuleCase(  # a slug with no other rule on it: no key, no link
        "negotiation_rounds", ROUND, "process",
        ("    process: armenia-azerbaijan-peace-treaty\n", "    process: Not-A-Slug\n"),
        "Not-A-Slug", ("pattern_slug", RULE_MESSAGES[Kind.slug]),
    ),
    "enum": RuleCase(
        "statements", STATEMENT, "topic", (SUMMARY + "    topic: peace_process\n", SUMMARY + "    topic: peace\n"),
        "peace", column_rule("statements", "topic", "enum"),
    ),
    "range": RuleCase(
        "military_transfers", TRANSFER, "quantity", ("    quantity: 3\n", "    quantity: 0\n"), 0,
        column_rule("military_transfers", "quantity", "minimum"),
    ),
    "formula": RuleCase(
        "statements", STATEMENT, "summary", (SUMMARY, "    summary: '=1+2'\n"), "=1+2", (FORMULA.name, FORMULA.message)
    ),
    "required": RuleCase(
        "statements", STATEMENT, "summary", (SUMMARY, "    summary: null\n"), None, (REQUIRED.name, REQUIRED.message)
    ),
    "row rule: EDTF": RuleCase(  # not a real day: not EDTF
        "statements", STATEMENT, "date_edtf", after_row(STATEMENT, "statement_id", "    when: 2024-09-31\n"),
        "2024-09-31", EDTF.words, coded_as="when",
    ),
    "row rule: dates": RuleCase(
        "statements", STATEMENT, "date_edtf", after_row(STATEMENT, "statement_id", "    when: 2024-09-23/2024-09-22\n"),
        "2024-09-23/2024-09-22", DATE_ORDER.words, coded_as="when",
    ),
    "row rule: date_edtf": RuleCase(  # a table file's bounds must be what its date_edtf gives
        "statements", STATEMENT, "date_end", ("", ""), date(2024, 9, 22),
        (DATE_EDTF.name, DATE_EDTF.says(column="date_end")), (*TABLE_FILES, "release"),
    ),
    "row rule: quantity_bound": RuleCase(
        "military_transfers", TRANSFER, "quantity_bound",
        ('    quantity_bound: exact   # "three radar systems"\n', "    quantity_bound: null\n"), None,
        QUANTITY_BOUND.words,
    ),
    "row rule: part_of": RuleCase(
        "military_transfers", TRANSFER, "part_of", after_row(TRANSFER, "transfer_id", f"    part_of: {TRANSFER}\n"),
        TRANSFER, PART_OF.words,
    ),
    "row rule: round_count": RuleCase(
        "negotiation_rounds", ROUND, "round_number",
        ("    round_number: null   # which is which is not given\n", "    round_number: 1\n"), 1, ROUND_COUNT.words,
    ),
    "row rule: direction": RuleCase(
        "negotiation_rounds", ROUND, "sender_id", ("    sender_id: null      # no direction is given\n", "    sender_id: fra\n"),
        "fra", (NOT_A_PARTY.name, NOT_A_PARTY.says(column="sender_id")),
    ),
    "computed": RuleCase(  # a coding file gives `when:`, never the columns computed from it
        "statements", STATEMENT, "date_end", after_row(STATEMENT, "statement_id", "    date_end: 2024-09-23\n"),
        None, (COMPUTED.name, COMPUTED.says(column="date_end")), ("build", "coding file"),
    ),
    "draft": RuleCase(  # a drafted row not yet reviewed is never built nor released, its other values all valid
        "statements", STATEMENT, "draft",
        after_row(STATEMENT, "statement_id", "    draft: {confidence: 0.9, reason: a quote said by Aliyev}\n"),
        None, DRAFT.words, ("build", "coding file"),
    ),
    "row rule: direct quote": RuleCase(
        "statements", STATEMENT, "quote", (QUOTE, "    quote: null\n"), None, DIRECT_QUOTE.words
    ),
    "row rule: two columns": RuleCase(
        "military_transfers", TRANSFER, "recipient_id", after_row(TRANSFER, "transfer_id", "    recipient_id: fra\n"),
        "fra", SELF_TRANSFER.words,
    ),
    "key": RuleCase(
        "statements", STATEMENT, "statement_id",
        (f"  - statement_id: {STATEMENT}\n", f"  - statement_id: {OTHER_STATEMENT}\n"), OTHER_STATEMENT, UNIQUE.words,
    ),
    "link": RuleCase(
        "statements", STATEMENT, "target_id", (f"  - statement_id: {STATEMENT}\n    target_id: arm\n", f"  - statement_id: {STATEMENT}\n    target_id: nobody\n"),
        "nobody", (FOREIGN_KEY.name, FOREIGN_KEY.says(parent="actors")),
    ),
}  # fmt: skip


def rule_faults(
    case: RuleCase, faults: list[tuple[str | None, str | None, str, str]], coded: bool = False
) -> set[tuple[str, str]]:
    """(rule, message) of the faults in the case's column (a table file's report names no table),
    or in the key a coding file writes for it (`coded`). A table file changes a released row: that
    the release holds it otherwise is a rule of its own (`release_conflict`), besides the case's."""
    wanted = (case.coded_as or case.column) if coded else case.column
    return {
        (rule, re.sub(r"^row [0-9]+: ", "", message))  # a Parquet file has no lines: a fault names the row
        for table, column, rule, message in faults
        if table in (None, case.table) and column == wanted and rule != "release_conflict"
    }


def rule_frames(seed_build: Build, case: RuleCase) -> dict[str, pd.DataFrame]:
    frames = {name: frame.copy() for name, frame in seed_build.frames.items()}
    frame = frames[case.table]
    if isinstance(frame[case.column].dtype, pd.CategoricalDtype):  # a category cannot hold a new value
        frame[case.column] = frame[case.column].astype(object)
    at = frame.index[frame[TABLES[case.table].primary_key] == case.row_id][0]
    frame.loc[at, case.column] = case.value
    return frames


def rule_through(
    path_name: str, case: RuleCase, seeds: Path, release: Path, seed_build: Build, tmp_path: Path
) -> set[tuple[str, str]]:
    """The (rule, message) pairs one path into the data reports in the case's column."""
    if path_name in ("build", "coding file"):
        coding = seeds / SEED_ID / "coding.yaml"
        text = coding.read_text(encoding="utf-8")
        old, new = case.yaml
        assert text.count(old) == 1, old
        coding.write_text(text.replace(old, new), encoding="utf-8")
        if path_name == "coding file":
            return rule_faults(case, validated(coding, release), coded=True)
        return rule_faults(
            case, [(f.table, f.column, f.rule, f.message) for f in build_tables(seeds).errors], coded=True
        )
    frames = rule_frames(seed_build, case)
    if path_name == "release":
        with pytest.raises(ReleaseError) as raised:
            publish_release(frames, "9.9.9", date(2026, 1, 1), tmp_path / "datasets", "0" * 64)
        pattern = re.compile(r"(?:^|: )error: (\w+) row .* column '(\w+)': (.*?)(?: \(value: .*\))? \[(\w+)\]$")
        lines = [pattern.search(line) for line in str(raised.value).splitlines()]
        return rule_faults(case, [(m[1], m[2], m[4], m[3]) for m in lines if m])
    table = TABLES[case.table]
    cells = csv_frame(table, frames[case.table])
    if case.cell is not None:
        cells.loc[frames[case.table][table.primary_key] == case.row_id, case.column] = case.cell
    path = tmp_path / f"{case.table}.{path_name}"
    if path_name == "csv":
        cells.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
    else:  # every column nullable: a file may hold a null where the contract has none
        frame = frames[case.table]
        schema = pa.schema([field.with_nullable(True) for field in arrow_schema(table)])
        data = {c.name: frame[c.name].astype(object) if c.kind is Kind.enum else frame[c.name] for c in table.columns}
        pq.write_table(pa.Table.from_pandas(pd.DataFrame(data), schema=schema, preserve_index=False), path)
    return rule_faults(case, validated(path, release))


RULE_RUNS = [pytest.param(case, path, id=f"{name}, {path}") for name, case in RULE_CASES.items() for path in case.paths]


def test_the_table_of_rule_cases_covers_every_kind_of_rule_and_path() -> None:
    kinds = {name.split(":")[0] for name in RULE_CASES}
    assert kinds == {
        "type", "pattern", "enum", "range", "formula", "required", "row rule", "key", "link", "computed", "draft"
    }  # fmt: skip
    assert len(RULE_RUNS) == 15 * len(EVERY) + len(TEXT_CELLS) + 1 + 3 + 2 + 2 == 86
    assert {path for case in RULE_CASES.values() for path in case.paths} == set(EVERY)


@pytest.mark.parametrize(("case", "path_name"), RULE_RUNS)
def test_a_rule_is_one_rule_on_every_path(
    case: RuleCase, path_name: str, seeds_copy: Path, release: Path, seed_build: Build, tmp_path: Path
) -> None:
    assert rule_through(path_name, case, seeds_copy, release, seed_build, tmp_path) == {case.expected}


# --- the faster kernels behind the text rules find what their definitions find ---------------


def test_nfc_finds_the_one_value_not_in_nfc_among_many_that_are() -> None:
    """A whole array in NFC is checked at once; one value that is not, or that holds a
    character this Python's Unicode does not know (Arrow's newer one may make it combining:
    U+10EFD, which keeps U+0301 from joining the `a` before), is still found, as Arrow finds it."""
    from peacetrack.rules import NFC

    values = ["Əliyev, Mirzoyan, Փաշինյան: “sülh” – Qəbələ…"] * 5000
    values[7] = "Qe\u0301bələ"  # e and a combining acute: NFC has é
    values[4000] = "a\U00010efd\u0301"
    values[4001] = "«Երևան»\n"
    found = pa.array(values)
    assert list(map(int, (~NFC.passes(found)).nonzero()[0])) == [7, 4000]
    assert NFC.passes(pa.array(values[:7] + values[8:4000])).all()


def test_a_c1_control_is_found_beside_armenian_quotation_marks() -> None:
    """« and » are 0xC2 then a byte from 0xA0, as no C1 control is: the control screen passes
    them by and still finds U+0085 (0xC2 0x85)."""
    values = ["«Ստեփանակերտ» — Xankəndi"] * 5000
    values[123] = "«Երևան»\x85"
    assert list(map(int, (~CONTROL_CHARACTER.passes(pa.array(values))).nonzero()[0])) == [123]


# --- the plain-text screen: rules on text run only on the values it cannot vouch for ---------


def _plain_characters() -> list[str]:
    from peacetrack.rules import PLAIN_RANGE, plain_text_pattern

    characters = pa.array([chr(code) for code in range(*PLAIN_RANGE)])
    plain = pc.match_substring_regex(characters, plain_text_pattern()).to_numpy(zero_copy_only=False)
    return [c for c, keep in zip(characters.to_pylist(), plain, strict=True) if keep]


def test_plain_text_keeps_every_rule_said_to_keep_it() -> None:
    """Each plain character, alone, after any other and after a starter of each script it may
    join, keeps every rule marked `keeps_plain_text`; NFC leaves each such pair as it is."""
    import unicodedata

    from peacetrack.rules import NFC

    plain = _plain_characters()
    assert len(plain) > 5000 and "Ə" in plain and "“" in plain and "ա" in plain
    assert not {"\u0301", "\u200b", "\x85", "\u2028", "\u1161", "\u09be", "\xad", "\t"} & set(plain)
    starters = ["a", "e", "Ə", "ա", "α", "и", "ع", "ক", "\u1100", "\uac00", *plain[::97]]
    values = [*plain, "".join(plain), *(s + c for s in starters for c in plain)]
    assert all(unicodedata.is_normalized("NFC", v) for v in values)
    rules = [
        CONTROL_CHARACTER,
        INVISIBLE_CHARACTER,
        DISPLAY_CONTROL,
        NFC,
        column_rules(TABLES["statements"].column("summary"))[0],
    ]
    assert all(rule.keeps_plain_text for rule in rules)
    assert {r.name for r in column_rules(TABLES["statements"].column("summary")) if r.keeps_plain_text} == {
        "pattern_text", "invisible_character", "nfc"
    }  # fmt: skip
    for rule in rules:
        assert rule.passes(pa.array(values)).all(), rule.name


def test_no_composition_beyond_the_plain_range_ends_in_a_plain_character() -> None:
    """`plain_text_pattern` finds the characters that join one before them in PLAIN_RANGE only:
    no canonical composition anywhere else in Unicode ends in a character it takes as plain."""
    import unicodedata

    plain = set(_plain_characters())
    seconds = {
        chr(int(parts[1], 16))
        for code in range(0x110000)
        if len(parts := unicodedata.decomposition(chr(code)).split()) == 2 and not parts[0].startswith("<")
    }
    assert len(seconds) > 50
    assert not seconds & plain


def test_the_plain_text_screen_finds_what_the_rules_find() -> None:
    """Among many values of plain text, each value one of the text rules fails (in blocks of
    their own and in blocks beside plain ones, nulls among them, a null slot holding bytes) is
    found by `rule_failures` as each rule alone finds it."""
    from peacetrack.rules import PLAIN_BLOCK, rule_failures

    odd = [
        "Qe\u0301bələ", "zero\u200bwidth", "«Երևան»\x85", "line\u2028separator", "a\U00010efd\u0301",
        "tab\there", "new\nline", "中文 text", "=1+1", "soft\xadhyphen", "\u1100\u1161", "\u202eright",
    ]  # fmt: skip
    values: list[str | None] = ["Əliyev, Mirzoyan, Փաշինյան: “sülh” – Qəbələ…", "plain ASCII", None] * 4000
    for index, value in enumerate(odd):
        values[index * 997 % len(values)] = value
        values[3 * PLAIN_BLOCK + index] = value  # a block of little else
    array = pa.array(values)
    # One more value, a null whose slot holds a zero-width space: the screen may look at it, the rules do not.
    data = "".join(v or "" for v in values).encode()
    offsets = pa.array([0, *itertools.accumulate(len((v or "").encode()) for v in values), len(data) + 3], pa.int32())
    valid = pa.array([v is not None for v in values] + [False])
    holding = pa.Array.from_buffers(
        pa.string(), len(values) + 1, [valid.buffers()[1], offsets.buffers()[1], pa.py_buffer(data + "\u200b".encode())]
    )
    for name in ("quote", "summary"):
        column = TABLES["statements"].column(name)
        for case in (array, holding):
            found = rule_failures(column, case)
            assert [rule for rule, _ in found] == list(column_rules(column))
            for rule, failed in found:
                assert failed.tolist() == (~rule.passes(case)).tolist(), (name, rule.name)
    failing = {
        i for _, failed in rule_failures(TABLES["statements"].column("summary"), array) for i in failed.nonzero()[0]
    }
    assert {values[i] for i in failing} == set(odd) - {"中文 text"}  # beyond PLAIN_RANGE, yet it keeps every rule


def test_repeated_dates_parse_once_each_as_they_parse_alone() -> None:
    """Dates that repeat are parsed once per distinct value (`_by_distinct`): the same days,
    the same bad cells, nulls left null, as parsing every cell finds."""
    from peacetrack.rules import TYPE_RULES, _days_read_back

    text = pa.array(["2024-09-23", "2024-09-31", None, "2024-9-1", "2024-02-29"] * 2000)
    parse = TYPE_RULES[Kind.date].parse
    assert parse is not None
    ok, parsed = parse(text)
    each_ok, each_parsed = _days_read_back(text)
    valid = text.is_valid().to_numpy(zero_copy_only=False)
    assert ok[valid].tolist() == each_ok[valid].tolist() and int(ok[valid].sum()) == 4000
    assert parsed.equals(each_parsed) and parsed.null_count == 6000
