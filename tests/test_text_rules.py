"""The contract's rules on text, each one definition run on every path: the build of a seed,
a coding file and table files (CSV, JSON Lines, Parquet) through `peacetrack validate`, and
`publish_release` given frames. Each case must give the same rule and message on each path."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peacetrack import release as release_module
from peacetrack.cli import app
from peacetrack.coding import Build, build_tables
from peacetrack.errors import ReleaseError
from peacetrack.release import csv_frame, publish_release, write_parquet
from peacetrack.tables import (
    CONTROL_CHARACTER,
    DISPLAY_CONTROL,
    FORMULA,
    INVISIBLE_CHARACTER,
    RULE_MESSAGES,
    TABLES,
    Kind,
    Rule,
)

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
RUNS = [
    pytest.param(case, path, id=f"{name}, {path}")
    for name, case in CASES.items()
    for path in (EVERY_PATH if name in EVERY_PATH_CASES else CLASS_PATHS)
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
