"""Many faults: streamed in file order with memory flat in their number, cut cleanly by
--max-faults, counted per rule, and kept under GitHub's step summary limit."""

from __future__ import annotations

import csv
import importlib
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacetrack import rowdata
from peacetrack.cli import app
from peacetrack.validator import checking, report, second_pass, spool, validate
from peacetrack.validator.readers import csv as readers_csv
from peacetrack.validator.readers import jsonl as readers_jsonl
from peacetrack.validator.readers import parquet as readers_parquet

validate_module = importlib.import_module("peacetrack.validator.validate")  # the package's `validate` is the function

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where temporary files go during the test: empty unless something is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def faulty_statements(release: Path, path: Path, rows: int, prefix: str = "new") -> None:
    """New statements as JSON Lines, one a line: each with a wrong canonical id (found in the
    second pass); every other one with a topic not in the enum (first pass); every third one
    with an unknown speaker (second pass); rows 5 and 6 share an id (second pass)."""
    with (release / "statements.csv").open(encoding="utf-8", newline="") as stream:
        released = [{k: v or None for k, v in row.items()} for row in csv.DictReader(stream)]
    lines = []
    for i in range(rows):
        row = released[i % len(released)] | {
            "statement_id": f"{prefix}-{i if i != 6 else 5}",
            "canonical_id": f"other-{prefix}-{i}",
        }
        if i % 2 == 0:
            row["topic"] = "bad topic"
        if i % 3 == 0:
            row["speaker_id"] = "nobody-here"
        lines.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(release: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *args, "--against", str(release)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout


def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 rows, sorted runs of 3 faults, runs merged beyond 2, failing rows' ids and
    values taken 2 at a time: every path taken."""
    for reader in (readers_csv, readers_jsonl, readers_parquet):
        monkeypatch.setattr(reader, "BATCH_ROWS", 4)
    monkeypatch.setattr(rowdata, "TAKE_ROWS", 2)
    monkeypatch.setattr(second_pass, "TAKE_ROWS", 2)
    monkeypatch.setattr(spool, "RUN_FAULTS", 3)
    monkeypatch.setattr(spool, "MERGE_RUNS", 2)


def test_many_faults_come_in_file_and_line_order_across_chunks_and_passes(
    release: Path, tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    faulty_statements(release, first, 30)
    faulty_statements(release, second, 11, prefix="more")
    args = (str(first), str(second), "--table", "statements", "--format", "json")
    code, whole = run(release, *args)  # one chunk a file, one run
    small_chunks(monkeypatch)
    code_small, text = run(release, *args)
    assert code == code_small == 1
    chunked = json.loads(text)
    assert chunked == json.loads(whole)
    faults = chunked["faults"]
    places = [(f["file"], f["line"]) for f in faults if f["file"]]
    assert places == sorted(places, key=lambda place: (place[0] != str(first), place[1]))
    assert [f["rule"] for f in faults[len(places) :]] == ["evidence_unchecked"]  # of no file: it came last
    rules = [f["rule"] for f in faults if f["file"] == str(first) and f["line"] == 1]
    assert rules == ["enum", "foreign_key", "canonical_id"]  # first pass, then second, on one line
    assert {f["rule"] for f in faults if f["line"] in (6, 7)} >= {"unique"}
    assert not list(private_tmp.iterdir())


def test_json_report_is_complete_and_counts_every_rule(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    faulty_statements(release, path, 40)
    small_chunks(monkeypatch)
    code, text = run(release, str(path), "--format", "json")
    assert code == 1
    found = json.loads(text)
    assert found["valid"] is False and found["rows"] == 40 and found["truncated"] is False
    counted = Counter((f["severity"], f["rule"]) for f in found["faults"])
    totals = {(severity[:-1], rule): n for severity, rules in found["totals"].items() for rule, n in rules.items()}
    assert totals == counted
    assert (totals["error", "enum"], totals["error", "canonical_id"], totals["error", "foreign_key"]) == (20, 40, 14)
    assert totals["error", "unique"] == 2


def test_max_faults_stops_and_says_what_was_not_checked(
    release: Path, tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tmp_path / f"{name}.jsonl" for name in "abc"]
    for path in paths:
        faulty_statements(release, path, 30)
    small_chunks(monkeypatch)
    code, text = run(release, *map(str, paths), "--table", "statements", "--format", "json", "--max-faults", "3")
    assert code == 1
    found = json.loads(text)
    errors = [f for f in found["faults"] if f["severity"] == "error"]
    assert len(errors) == 3 and found["valid"] is False
    stopped = found["truncated"]
    # Two chunks of four rows, two topics wrong in each: it stops after the second chunk.
    assert stopped["file"] == str(paths[0]) and stopped["rows_read"] == 8 and found["rows"] == 8
    assert stopped["files_not_read"] == [str(paths[1]), str(paths[2])]
    assert stopped["max_faults"] == 3 and stopped["across_rows_checked"] is False
    assert found["totals"] == {"errors": {"enum": 4}, "warnings": {}}
    assert stopped["faults_not_listed"] == 1
    code, text = run(release, *map(str, paths), "--table", "statements", "--max-faults", "3")
    assert code == 1 and "stopped early after 3 error(s)" in text.splitlines()[-1]
    assert not list(private_tmp.iterdir())


def test_max_faults_in_the_second_pass_and_from_python(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    faulty_statements(release, path, 30)
    found = validate([path], against=release, max_faults=17)  # 15 enum faults in the first pass
    assert found.stopped is not None and found.stopped.file is None and not found.stopped.across_rows
    assert found.rows == 30 and sum(f.severity == "error" for f in found.faults) == 17
    assert found.exit_code == 1


def test_step_summary_is_cut_with_the_count_left_out(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "statements.jsonl"
    faulty_statements(release, path, 40)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step text\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(report, "STEP_SUMMARY_BYTES", 5000)
    code, text = run(release, str(path), "--format", "github")
    assert code == 1
    written = summary.read_bytes()
    assert len(written) < 5000
    tabled = written.count(b"\n| error |")
    found = 20 + 40 + 14 + 2 + 1  # and a warning: no evidence
    assert 0 < tabled < found
    assert f"… and {found - tabled:,} more fault(s) not in this table".encode() in written
    annotations = [line for line in text.splitlines() if line.startswith("::")]
    assert len(annotations) == 10
    assert "see the step summary" not in text
    assert f"the step summary lists the first {tabled:,} of {found:,}" in text
    by_rule = "(by rule: canonical_id 40, enum 20, foreign_key 14, unique 2, evidence_unchecked 1 (warning))"
    assert by_rule in text.splitlines()[-1]  # every rule's count, though most faults are not shown


def test_no_temporary_file_is_left_even_on_error(release: Path, tmp_path: Path, private_tmp: Path) -> None:
    path = tmp_path / "statements.jsonl"
    faulty_statements(release, path, 10)
    with pytest.raises(RuntimeError), checking([path], against=release) as found:
        assert list(private_tmp.iterdir())  # the runs are there while the report is read
        next(iter(found.faults))
        raise RuntimeError("the reader of the report fails")
    assert not list(private_tmp.iterdir())
