"""Every fault of a coding file in one run, in the same words from `peacetrack build` and
`peacetrack validate`, each at its YAML line; a released actor extended by a new source (issue 13,
items 9 and 10).

The source is an article written for these tests, coded beside a copy of the seed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.faults import Fault
from peacetrack.quotes import NEAREST_HINT
from peacetrack.rules import ACTOR_CONFLICT, ACTOR_EXTENDED, RELEASE_CONFLICT, RELEASED_ROWS
from peacetrack.seeds import build_tables

from .helpers import SEED_ID

runner = CliRunner()
SOURCE_ID = "harbour-wire-2024-10-05"
ARTICLE = (
    "TBILISI, 5 October 2024 (Harbour Wire). Armenia and Azerbaijan will hold another round of border\n"
    "talks next month, Armenia's foreign ministry said on Saturday.\n\n"
    '"We are ready to sign the treaty this year," the ministry said in a statement. A diplomatic\n'
    "source said France would deliver more armoured vehicles to Armenia before the winter, the\n"
    "ministry said.\n"
)
SOURCE = "title: Border talks to resume\npublisher: Harbour Wire\nurl: null\npublished_on: 2024-10-05\nlanguage: en\n"
# The article coded as it should be: every test below breaks it in its own way.
CODING = """\
defaults:
  statements:
    speaker_id: arm
    when: 2024-10-05
    date_basis: inferred

actors:
  - actor_id: fra
    name: France
    actor_type: state
    country: FRA
    aliases: [France]
    evidence:
      - France would deliver

statements:
  - statement_id: harbour-2024-10-05-ready-to-sign
    target_id: aze
    kind: direct_quote
    quote: We are ready to sign the treaty this year
    summary: Armenia's foreign ministry said it is ready to sign the peace treaty this year.
    topic: peace_process
    evidence:
      - '"We are ready to sign the treaty this year," the ministry said'

  - statement_id: harbour-2024-10-05-border-talks
    target_id: aze
    kind: paraphrase
    summary: Armenia's foreign ministry said another round of border talks is to be held next month.
    topic: border_delimitation
    evidence:
      - Armenia and Azerbaijan will hold another round of border
"""
# The row of item 9's example: a value of the wrong type, a quote not in the article and an
# unknown speaker, all three in one row.
THREE_FAULTS = (
    ("    topic: peace_process\n", "    topic: [peace_process]\n"),
    ('''      - '"We are ready to sign''', '''      - '"We were ready to sign'''),
    ("    target_id: aze\n    kind: direct_quote\n", "    speaker_id: arm-foreign-office\n    target_id: aze\n    kind: direct_quote\n"),
)  # fmt: skip


def new_source(seeds: Path, *changes: tuple[str, str]) -> Path:
    """The article coded beside the seed, with `changes` (old, new: each old found once) made
    to its coding file; returns the coding file."""
    folder = seeds / SOURCE_ID
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "source.yaml").write_text(SOURCE, encoding="utf-8")
    coding = CODING
    for old, new in changes:
        assert coding.count(old) == 1, old
        coding = coding.replace(old, new)
    (folder / "coding.yaml").write_text(coding, encoding="utf-8")
    return folder / "coding.yaml"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def built(seeds: Path) -> list[Fault]:
    return build_tables(seeds).faults


def validated(coding: Path, release: Path) -> list[dict]:
    result = runner.invoke(app, ["validate", str(coding), "--against", str(release), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["faults"]


def what(faults: list[dict] | list[Fault], severity: str = "error") -> set[tuple[object, ...]]:
    """(file, line, column, rule, message) of the faults of a severity, from either path."""
    records = [vars(f) if isinstance(f, Fault) else f for f in faults]
    return {(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in records if f["severity"] == severity}


# --- item 9 (a): a row with a wrong type is checked for all the rest -----------------------------


def test_a_row_with_a_wrong_type_gets_all_its_faults_in_the_first_run(
    seeds_copy: Path, release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coding = new_source(seeds_copy, *THREE_FAULTS)
    expected = {
        (str(coding), line_of(coding, "topic: [peace_process]"), "topic", "type"),
        (str(coding), line_of(coding, "We were ready"), "evidence", "evidence_quote"),
        (str(coding), line_of(coding, "speaker_id: arm-foreign-office"), "speaker_id", "foreign_key"),
    }
    assert {(file, line, column, rule) for file, line, column, rule, _ in what(built(seeds_copy))} == expected
    monkeypatch.chdir(seeds_copy.parent)  # the validator finds no other seeds: the release's actors
    faults = validated(coding, release)
    assert {(file, line, column, rule) for file, line, column, rule, _ in what(faults)} == expected
    # A second run, once the three are mended, finds nothing new.
    coding.unlink()
    (seeds_copy / SOURCE_ID).joinpath("coding.yaml").write_text(CODING, encoding="utf-8")
    assert not what(built(seeds_copy)) and not what(validated(coding, release))


# --- item 9 (b, c): build and validate say a fault alike, each at its line --------------------------

MANY_FAULTS = (
    *THREE_FAULTS,
    ("    topic: border_delimitation\n", "    topic: border_delimitation\n    canonical_id: no-such-row\n"),
    ("    kind: paraphrase\n", "    kind: reported\n    mood: calm\n"),
    ("      - France would deliver\n", "      - ministry said\n"),  # three times in the article
    ("      - Armenia and Azerbaijan will", "      - quote: Armenia and Azerbaijan will"),
    ("hold another round of border\n", "hold another round of border\n        char_start: 3\n"),
    ("    when: 2024-10-05\n", "    when: 2024-13-45\n"),  # under defaults: one fault, said once
)


def error_lines(output: str) -> set[str]:
    return {line for line in output.splitlines() if ": error: " in line}


def test_build_and_validate_say_each_fault_in_the_same_words_at_its_line(
    seeds_copy: Path, release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_source(seeds_copy, *MANY_FAULTS)
    monkeypatch.chdir(seeds_copy.parent)
    coding = f"seeds/{SOURCE_ID}/coding.yaml"
    build = runner.invoke(app, ["build", "--seeds", "seeds", "--out", str(tmp_path / "out")])
    validate = runner.invoke(app, ["validate", coding, "--against", str(release)])
    assert (build.exit_code, validate.exit_code) == (1, 1)
    said = error_lines(build.output)
    assert said == error_lines(validate.output)
    where = re.compile(rf"^{re.escape(coding)}:([0-9]+): error: .* \[(\w+)\]$")
    lines = [where.match(line) for line in said]
    assert all(lines), said  # every fault of the coding file at a line of it
    assert sorted(m[2] for m in lines if m) == sorted(
        ["type", "evidence_quote", "foreign_key", "canonical_id", "enum", "unknown_column", "evidence_quote",
         "evidence_quote", "edtf"]
    )  # fmt: skip


# --- item 9 (d): a fault under defaults: is one fault -------------------------------------------------


@pytest.mark.parametrize(
    ("right", "wrong"),
    [("speaker_id: arm", "speakr_id: arm"), ("when: 2024-10-05", "wen: 2024-10-05")],
    ids=["required: not one fault a row without it", "a date: not one fault a row with a basis and no date"],
)
def test_a_misspelt_default_is_one_fault_at_its_line(
    seeds_copy: Path, release: Path, monkeypatch: pytest.MonkeyPatch, right: str, wrong: str
) -> None:
    coding = new_source(seeds_copy, (f"    {right}\n", f"    {wrong}\n"))
    key = wrong.split(":")[0]
    expected = {(str(coding), line_of(coding, wrong), key, "unknown_column", f"column '{key}' is not in the contract")}
    assert what(built(seeds_copy)) == expected
    monkeypatch.chdir(seeds_copy.parent)
    assert what(validated(coding, release)) == expected


# --- item 9 (e): released rows are said in one line; a changed one is an error --------------------


def test_released_rows_are_one_warning_and_each_changed_one_an_error(release: Path, seeds_copy: Path) -> None:
    coding = seeds_copy / SEED_ID / "coding.yaml"
    text = coding.read_text(encoding="utf-8")
    summaries = re.findall(r"^    summary: .*$", text, flags=re.MULTILINE)[:2]
    for summary in summaries:
        text = text.replace(summary + "\n", summary + " (changed)\n", 1)
    coding.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(coding), "--against", str(release), "--format", "json"])
    report = json.loads(result.stdout)
    warnings = [f for f in report["faults"] if f["severity"] == "warning"]
    assert [(f["file"], f["line"], f["rule"]) for f in warnings] == [(str(coding), None, RELEASED_ROWS.name)]
    assert warnings[0]["message"] == RELEASED_ROWS.says(count=f"{report['rows'] - 2:,}")
    conflicts = [f for f in report["faults"] if f["severity"] == "error"]
    assert [(f["rule"], f["column"]) for f in conflicts] == [(RELEASE_CONFLICT.name, "summary")] * 2
    assert [f["line"] for f in conflicts] == [line_of(coding, s) for s in summaries]


# --- item 10: a released actor gains an alias; a changed name is refused -------------------------------


def test_an_alias_added_to_a_released_actor_extends_it_in_build_and_validate(
    seeds_copy: Path, release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coding = new_source(seeds_copy, ("    aliases: [France]\n", "    aliases: [France, Paris]\n"))
    build = build_tables(seeds_copy)
    assert build.ok
    actors = build.frames["actors"]
    aliases = dict(zip(actors["actor_id"], actors["aliases"], strict=True))
    assert list(aliases["fra"]) == ["France", "Paris"]  # merged, in order
    [extended] = [f for f in build.faults if f.severity == "warning"]
    monkeypatch.chdir(seeds_copy.parent)
    [said] = [f for f in validated(coding, release) if f["rule"] != RELEASED_ROWS.name]
    for fault in (vars(extended), said):
        assert (fault["file"], fault["line"], fault["row_id"], fault["column"], fault["rule"], fault["severity"]) == (
            str(coding), line_of(coding, "aliases: [France, Paris]"), "fra", "aliases", ACTOR_EXTENDED.name, "warning"
        )  # fmt: skip
    assert said["message"] == ACTOR_EXTENDED.says(aliases="'Paris'", where="as released")
    seed_coding = seeds_copy / SEED_ID / "coding.yaml"
    where = f"as defined in {seed_coding}:{line_of(seed_coding, 'actor_id: fra')}"
    assert extended.message == ACTOR_EXTENDED.says(aliases="'Paris'", where=where)


def test_coding_files_that_define_one_actor_are_merged_by_validate_as_by_the_build(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sources naming France in one pull request: one actor with the aliases of both, as
    the build makes it, not a `unique` fault per repeat."""
    coding = new_source(seeds_copy, ("    aliases: [France]\n", "    aliases: [France, Paris]\n"))
    monkeypatch.chdir(seeds_copy.parent)
    seed_coding = seeds_copy / SEED_ID / "coding.yaml"
    build = build_tables(seeds_copy)
    assert build.ok
    [extended] = [f for f in build.faults if f.rule == ACTOR_EXTENDED.name]
    result = runner.invoke(app, ["validate", str(seed_coding), str(coding), "--format", "json"])
    said = json.loads(result.stdout)["faults"]
    assert not [f for f in said if f["severity"] == "error"], said
    [merged] = [f for f in said if f["rule"] == ACTOR_EXTENDED.name]
    assert (merged["file"], merged["line"], merged["message"]) == (extended.file, extended.line, extended.message)


def test_a_released_actor_renamed_is_refused_in_build_and_validate(
    seeds_copy: Path, release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coding = new_source(seeds_copy, ("    name: France\n", "    name: French Republic\n"))
    [built_fault] = build_tables(seeds_copy).errors
    monkeypatch.chdir(seeds_copy.parent)
    [said] = [f for f in validated(coding, release) if f["severity"] == "error"]
    for fault in (vars(built_fault), said):
        assert (fault["file"], fault["line"], fault["column"], fault["rule"], fault["value"]) == (
            str(coding), line_of(coding, "name: French Republic"), "name", ACTOR_CONFLICT.name, "French Republic"
        )  # fmt: skip
    assert said["message"] == ACTOR_CONFLICT.says(where="as released", columns="name")


def test_a_quote_at_fault_is_one_fault_and_the_row_s_other_quotes_are_still_found(seeds_copy: Path) -> None:
    coding = new_source(
        seeds_copy,
        ("      - France would deliver\n", "      - {quote: France would deliver, occurence: 2}\n      - Paris\n"),
    )
    assert {(f.line, f.column, f.rule, f.message) for f in built(seeds_copy)} == {
        (line_of(coding, "occurence"), "evidence", "extra_forbidden", "unknown field 'occurence'"),
        (line_of(coding, "- Paris"), "evidence", "evidence_quote", "quote not found in the article" + NEAREST_HINT),
    }


def test_a_released_row_left_without_evidence_is_said_so_by_validate_as_by_build(
    release: Path, seeds_copy: Path
) -> None:
    """A coding file proves its source's rows: the release's evidence of that source does not."""
    coding = seeds_copy / SEED_ID / "coding.yaml"
    text = coding.read_text(encoding="utf-8")
    proof = "    evidence:\n      - He reiterated that Azerbaijan has no need for mediators in the peace process\n"
    assert text.count(proof) == 1
    coding.write_text(text.replace(proof, ""), encoding="utf-8")
    row = "aliyev-2024-09-23-no-need-for-mediators"
    expected = {
        (str(coding), line_of(coding, f"statement_id: {row}"), None, "evidence_required", "row has no evidence")
    }
    assert what(built(seeds_copy)) == expected
    assert what(validated(coding, release)) == expected
