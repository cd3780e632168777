"""peacetrack validate: every bad input gets exit 1 or 2, a located message, and unchanged bytes."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.tables import TABLES
from peacetrack.validator import validate
from peacetrack.validator.cells import MAX_CELL_BYTES
from peacetrack.validator.readers import Chunk
from peacetrack.validator.readers import csv as readers_csv
from peacetrack.validator.readers.csv import BLOCK_BYTES
from peacetrack.validator.readers.csv_lines import may_break_lines
from peacetrack.validator.report import fault_record, totals_record

from .helpers import seed_without_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "aliyev-milli-majlis-2024-09-23"
runner = CliRunner()


@pytest.fixture
def statements(release: Path, tmp_path: Path) -> Path:
    """The released statements as a contributor's CSV file."""
    target = tmp_path / "statements.csv"
    target.write_bytes((release / "statements.csv").read_bytes())
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(release: Path, *args: str) -> tuple[int, dict]:
    """Validate with --format json; return the exit code and the report."""
    result = runner.invoke(app, ["validate", *args, "--against", str(release), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


def errors(report: dict) -> list[dict]:
    return [f for f in report["faults"] if f["severity"] == "error"]


def check(
    release: Path, path: Path, code: int, rule: str, line: int | None = None, column: str | None = None, *extra: str
) -> dict:
    """Validate `path`: assert the exit code, a fault of `rule` at line and column, unchanged bytes."""
    before = digest(path) if path.exists() else None
    exit_code, report = run(release, str(path), *extra)
    assert exit_code == code, report
    found = [f for f in report["faults"] if f["rule"].startswith(rule)]
    assert found, report["faults"]
    assert any(
        f["file"] == str(path) and (line is None or f["line"] == line) and (column is None or f["column"] == column)
        for f in found
    ), found
    assert all(f["message"] for f in report["faults"])
    if before is not None:
        assert digest(path) == before
    return report


def edit(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (line counts the header as 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.at[line - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


# --- clean input ----------------------------------------------------------------------------------


def test_released_rows_are_valid_with_warnings(release: Path, statements: Path) -> None:
    code, report = run(release, str(statements))
    assert code == 0 and report["valid"] and report["rows"] == 23
    assert {f["rule"] for f in report["faults"]} == {"released_row", "evidence_unchecked"}


def test_whole_release_as_input_is_valid_and_verifies_evidence(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [
        str(release / f"{name}.csv")
        for name in ("sources", "actors", "evidence", "statements", "military_transfers", "negotiation_rounds")
    ]
    monkeypatch.chdir(ROOT)  # ./seeds holds the article: evidence is verified
    code, report = run(release, *paths)
    assert code == 0, errors(report)
    assert not [f for f in report["faults"] if f["rule"] in ("unverified", "evidence_unchecked")]


def test_new_row_is_clean_and_a_changed_released_row_is_an_error(release: Path, statements: Path) -> None:
    frame = pd.read_csv(statements, dtype=str, keep_default_na=False)
    new = frame.iloc[[0]].copy()
    new["statement_id"] = new["canonical_id"] = "aliyev-2024-09-23-new-row"
    frame.at[1, "summary"] = "A different summary."
    pd.concat([frame, new]).to_csv(statements, index=False, lineterminator="\n")
    code, report = run(release, str(statements))
    assert code == 1
    (conflict,) = errors(report)
    assert (conflict["rule"], conflict["line"], conflict["column"]) == ("release_conflict", 3, "summary")


def test_every_fault_is_reported_with_line_and_column(release: Path, statements: Path) -> None:
    edit(statements, 3, "topic", "peace process")
    edit(statements, 5, "date_start", "2024-09-31")
    edit(statements, 7, "speaker_id", "nobody-known")
    code, report = run(release, str(statements))
    assert code == 1
    located = {(f["line"], f["column"], f["rule"]) for f in errors(report)}
    assert (3, "topic", "enum") in located
    assert (5, "date_start", "type") in located
    assert (7, "speaker_id", "foreign_key") in located


def test_lines_are_physical_when_a_quoted_field_holds_newlines(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    frame = pd.read_csv(release / "statements.csv", dtype=str, keep_default_na=False)
    frame.at[0, "summary"] = "two\nlines"
    frame.at[2, "topic"] = "bad"
    frame.to_csv(path, index=False, lineterminator="\n")
    report = check(release, path, 1, "enum", 5, "topic")
    assert any(f["line"] == 2 and f["column"] == "summary" for f in errors(report))


# --- bad input, one by one ------------------------------------------------------------------------


def test_not_utf8_names_line_and_column(release: Path, statements: Path) -> None:
    lines = statements.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Aliyev", b"Aliy\xe9v", 1)
    statements.write_bytes(b"\n".join(lines))
    check(release, statements, 1, "encoding", 4, "summary")


def test_cells_not_utf8_among_many_of_plain_text_are_each_found(release: Path, statements: Path) -> None:
    """Enough rows for the plain-text screen (`rules.plain_text`), which reads the cells'
    bytes before they are decoded: a cell that is not UTF-8 (a stray byte, an overlong form, a
    surrogate, a cut sequence) is never taken for plain text, and is an `encoding` fault at its
    line, beside cells of plain text, as in a small file."""
    from peacetrack.rules import PLAIN_BLOCK, PLAIN_MIN_VALUES

    header, first = statements.read_bytes().split(b"\n")[:2]
    bad = [b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x80", b"\x80", b"\xff", b"\xf4\x90\x80\x80", b"\xe0\x80\xaf"]
    rows = [
        first.replace(b"Aliyev said", b"\xc6\x8fliyev said \xe2\x80\x9c%d\xe2\x80\x9d" % i, 1)
        for i in range(PLAIN_MIN_VALUES + 2000)
    ]
    where = {}  # line: byte of the cell where UTF-8 breaks
    for k, sequence in enumerate(bad):
        for index in (k * 613 + 5, 2 * PLAIN_BLOCK + k):  # blocks of plain text, and one of little else
            rows[index] = rows[index].replace(b"said", b"sa" + sequence + b"id", 1)
            summary = next(csv.reader(io.StringIO(rows[index].decode("utf-8", "surrogateescape"))))[5]
            try:
                summary.encode("utf-8", "surrogateescape").decode("utf-8")
            except UnicodeDecodeError as error:
                where[index + 2] = error.start + 1
    statements.write_bytes(b"\n".join([header, *rows, b""]))
    _code, report = run(release, str(statements))
    found = {(f["line"], f["column"], f["message"]) for f in report["faults"] if f["rule"] == "encoding"}
    message = "not UTF-8 (byte {} of the cell): save the file as UTF-8"
    assert len(where) == 2 * len(bad)
    assert found == {(line, "summary", message.format(byte)) for line, byte in where.items()}


def test_byte_order_mark_is_accepted(release: Path, statements: Path) -> None:
    statements.write_bytes(b"\xef\xbb\xbf" + statements.read_bytes())
    code, report = run(release, str(statements))
    assert code == 0, errors(report)


def test_other_delimiter(release: Path, statements: Path) -> None:
    pd.read_csv(statements, dtype=str, keep_default_na=False).to_csv(statements, sep=";", index=False)
    report = check(release, statements, 1, "delimiter", 1)
    assert "';'" in next(f["message"] for f in report["faults"] if f["rule"] == "delimiter")


def test_ragged_rows(release: Path, statements: Path) -> None:
    lines = statements.read_text().split("\n")
    lines[4] += ",extra"
    lines[6] = lines[6].rsplit(",", 2)[0]
    statements.write_text("\n".join(lines))
    report = check(release, statements, 1, "ragged", 5)
    assert {f["line"] for f in report["faults"] if f["rule"] == "ragged"} == {5, 7}


def test_ragged_row_that_is_not_utf8_is_reported_without_a_traceback(
    release: Path, statements: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[object] = []  # what Python would print as "Exception ignored in ..."
    monkeypatch.setattr(sys, "unraisablehook", printed.append)
    lines = statements.read_bytes().split(b"\n")
    lines.insert(3, b"bad,\xff\xfe,row")
    statements.write_bytes(b"\n".join(lines))
    report = check(release, statements, 1, "ragged", 4)
    assert {f["line"] for f in report["faults"] if f["rule"] == "ragged"} == {4}
    assert not printed


@pytest.mark.parametrize(
    ("change", "rule", "code"),
    [
        (lambda f: f.drop(columns=["topic"]), "missing_column", 1),
        (lambda f: f.assign(mood="happy"), "unknown_column", 1),
        (lambda f: pd.concat([f, f[["topic"]]], axis=1), "duplicate_column", 1),
    ],
    ids=["missing", "unknown", "duplicated"],
)
def test_columns(release: Path, statements: Path, change, rule: str, code: int) -> None:
    change(pd.read_csv(statements, dtype=str, keep_default_na=False)).to_csv(
        statements, index=False, lineterminator="\n"
    )
    check(release, statements, code, rule, 1)


def test_empty_file(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    path.write_bytes(b"")
    check(release, path, 1, "empty", 1)


def test_header_only_file(release: Path, statements: Path) -> None:
    statements.write_text(statements.read_text().split("\n")[0] + "\n")
    check(release, statements, 1, "no_rows", 1)


def test_nul_bytes(release: Path, statements: Path) -> None:
    edit(statements, 4, "summary", "bad\x00summary")
    check(release, statements, 1, "pattern_text", 4, "summary")


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x85"], ids=["nul", "escape", "c1"])
def test_control_character_in_an_evidence_quote(release: Path, tmp_path: Path, control: str) -> None:
    path = tmp_path / "evidence.csv"
    path.write_bytes((release / "evidence.csv").read_bytes())
    edit(path, 2, "quote", f"a{control}b")
    check(release, path, 1, "control_character", 2, "quote")


def test_cell_over_the_size_limit(release: Path, statements: Path) -> None:
    edit(statements, 3, "summary", "x" * (MAX_CELL_BYTES + 1))
    check(release, statements, 1, "cell_size", 3, "summary")


def _record_lines(data: bytes) -> list[int]:
    """The physical line each record starts on (header = 1), as the csv module counts."""
    csv.field_size_limit(readers_csv.CSV_FIELD_LIMIT)  # records of megabytes: not only after the reader set it
    reader, starts, last = csv.reader(io.StringIO(data.decode("utf-8"), newline="")), [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts


def _new_rows(release: Path, count: int) -> list[dict[str, str]]:
    template = pd.read_csv(release / "statements.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    return [{**template, "statement_id": f"new-{i}", "canonical_id": f"new-{i}"} for i in range(count)]


def _csv_bytes(rows: list[dict[str, str]], terminator: str = "\n") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator=terminator)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_record_of_megabytes_is_read_exactly_after_delivered_rows(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pyarrow gives up on a record of megabytes: the exact reader takes over after the rows
    # already checked (small chunks here, so some are), and every later line stays right.
    monkeypatch.setattr(readers_csv, "CHUNK_BYTES", 2 * BLOCK_BYTES)
    rows = _new_rows(release, 12_000)
    rows[9_000]["summary"] = "x" * (3 * BLOCK_BYTES)
    rows[11_000]["topic"] = "peace process"
    data = _csv_bytes(rows).split(b"\n")
    data.insert(5_001, b"a,ragged,row")  # record 5002, before the big one
    path = tmp_path / "statements.csv"
    path.write_bytes(b"\n".join(data))
    starts = _record_lines(path.read_bytes())
    report = check(release, path, 1, "cell_size", starts[9_002], "summary")
    assert [(f["line"], f["column"], f["rule"]) for f in errors(report)] == [
        (starts[5_001], None, "ragged"), (starts[9_002], "summary", "cell_size"), (starts[11_002], "topic", "enum")
    ]  # fmt: skip


def test_crlf_in_a_quoted_cell_across_parse_blocks_keeps_lines(release: Path, tmp_path: Path) -> None:
    # pyarrow loses the \n of a \r\n split between two blocks (apache/arrow#51368).
    rows = _new_rows(release, 8_000)
    row_bytes = len(_csv_bytes(rows[:2], "\r\n")) - len(_csv_bytes(rows[:1], "\r\n"))
    before = (
        BLOCK_BYTES - 50_000
    ) // row_bytes  # rows well before the boundary (ids grow longer); the next one reaches it
    head = len(_csv_bytes(rows[:before], "\r\n"))
    rows[before]["summary"] = "PLACEHOLDER\r\n"
    prefix = _csv_bytes(rows[: before + 1], "\r\n")[head:].index(b"PLACEHOLDER")
    rows[before]["summary"] = "x" * (BLOCK_BYTES - 1 - head - prefix) + "\r\ny"  # \r on the block's last byte
    rows[before + 100]["topic"] = "peace process"
    path = tmp_path / "statements.csv"
    path.write_bytes(_csv_bytes(rows, "\r\n"))
    assert path.read_bytes()[BLOCK_BYTES - 1 : BLOCK_BYTES + 1] == b"\r\n"
    starts = _record_lines(path.read_bytes())
    report = check(release, path, 1, "enum", starts[before + 101], "topic")
    assert [f["line"] for f in errors(report)] == [starts[before + 1], starts[before + 101]]


def test_path_that_is_not_utf8(release: Path, statements: Path, tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"\xff\xfe")
    folder.mkdir()
    path = folder / "statements.csv"
    path.write_bytes(statements.read_bytes())
    lines = path.read_text().split("\n")
    lines[4] += ",extra"
    path.write_text("\n".join(lines))
    check(release, path, 1, "ragged", 5)


@pytest.mark.parametrize("start", ["=", "+", "@", "\t", "\r"])
def test_formula_injection(release: Path, statements: Path, start: str) -> None:
    edit(statements, 6, "summary", f'{start}HYPERLINK("http://x")')
    check(release, statements, 1, "formula", 6, "summary")


def test_negative_number_is_not_a_formula(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "military_transfers.csv"
    path.write_bytes((release / "military_transfers.csv").read_bytes())
    edit(path, 2, "quantity", "-3")
    report = check(release, path, 1, "minimum", 2, "quantity")
    assert not [f for f in report["faults"] if f["rule"] == "formula"]


def test_corrupt_parquet(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.parquet"
    path.write_bytes((release / "statements.parquet").read_bytes()[:-100])
    check(release, path, 2, "parquet")


def test_wrongly_typed_parquet(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "military_transfers.parquet"
    data = pq.read_table(release / "military_transfers.parquet")
    index = data.schema.get_field_index("quantity")
    data = data.set_column(index, "quantity", pa.array([str(v) if v else "many" for v in data["quantity"].to_pylist()]))
    pq.write_table(data, path)
    report = check(release, path, 1, "parquet_type", None, "quantity")
    assert any(
        f["rule"] == "type" and f["value"] == "many" and f["message"].startswith("row ") for f in report["faults"]
    )


def test_parquet_and_jsonl_of_released_rows_are_valid(release: Path, tmp_path: Path) -> None:
    frame = pd.read_parquet(release / "actors.parquet")
    jsonl = tmp_path / "actors.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps({k: (list(v) if hasattr(v, "tolist") else v) for k, v in row.items()}) + "\n"
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
        )
    )
    for path in (release / "actors.parquet", jsonl):
        code, report = run(release, str(path))
        assert code == 0, errors(report)


def test_jsonl_faults_name_their_line(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_text(
        '{"actor_id": "x-1", "name": "X", "actor_type": "state", "aliases": []}\n\n{"actor_id": "x-2", "actor_id": "x-3"}\n{"actor_id": 5, "name": "Y", "actor_type": "state", "aliases": "Y"}\nnot json\n'
    )
    code, report = run(release, str(path))
    assert code == 1
    located = {(f["line"], f["rule"]) for f in report["faults"]}
    assert {(3, "json"), (4, "type"), (5, "json")} <= located


def test_a_jsonl_value_of_the_wrong_type_is_worded_by_the_contract_type_rule(release: Path, tmp_path: Path) -> None:
    """A JSON Lines value of the wrong type says what a coding file's would: the type rule's words."""
    from peacetrack.rules import LIST_TYPE, TYPE_RULES
    from peacetrack.tables import Kind

    path = tmp_path / "actors.jsonl"
    path.write_text('{"actor_id": 5, "name": "Y", "actor_type": "state", "aliases": "Y"}\n')
    _code, report = run(release, str(path))
    said = {(f["column"], f["rule"], f["message"]) for f in report["faults"] if f["rule"] == "type"}
    assert said == {("actor_id", "type", TYPE_RULES[Kind.slug].message), ("aliases", "type", LIST_TYPE.message)}


def test_missing_path(release: Path, tmp_path: Path) -> None:
    check(release, tmp_path / "statements.csv", 2, "missing_file")


def test_unknown_table_is_a_wrong_call(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["validate", str(path), "--against", str(release)])
    assert result.exit_code == 2 and "--table" in result.output


# --- coding files ------------------------------------------------------------------------------


def coding_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds" / SEED_ID
    folder.mkdir(parents=True)
    for name in ("article.txt", "source.yaml", "coding.yaml"):
        (folder / name).write_bytes((SEEDS / SEED_ID / name).read_bytes())
    return folder / "coding.yaml"


def test_seed_coding_file_is_valid(release: Path, tmp_path: Path) -> None:
    code, report = run(release, str(coding_copy(tmp_path)))
    assert code == 0, errors(report)


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("  - actor_id: aze\n", "  - actor_id: aze\n    actor_id: aze\n", "yaml"),
        ("  - actor_id: aze\n", "  - actor_id: aze\n    mood: calm\n", "unknown_column"),
        ("  - actor_id: aze\n", "  - actor_id: [aze]\n", "type"),
        ("defaults:\n", "bomb: &a [x, x, x]\nbomb2: [*a, *a, *a]\ndefaults:\n", "yaml_alias"),
    ],
    ids=["duplicate_key", "unknown_key", "wrong_type", "alias_bomb"],
)
def test_bad_coding_files(release: Path, tmp_path: Path, old: str, new: str, rule: str) -> None:
    path = coding_copy(tmp_path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    report = check(release, path, 1, rule)
    assert all(f["line"] for f in report["faults"] if f["rule"] == rule)


def _new_quote_with_evidence(release: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A new direct-quote statement (a copy of a released one) and its evidence, as CSV files."""
    statements, evidence = (
        pd.read_csv(release / f"{name}.csv", dtype=str, keep_default_na=False) for name in ("statements", "evidence")
    )
    quote = statements[statements["kind"] == "direct_quote"].iloc[[0]].copy()
    proof = (
        evidence[(evidence["table_name"] == "statements") & (evidence["row_id"] == quote["statement_id"].iloc[0])]
        .iloc[[0]]
        .copy()
    )
    quote["statement_id"] = quote["canonical_id"] = proof["row_id"] = "aliyev-2024-09-23-new-quote"
    proof["evidence_id"] = "aliyev-2024-09-23-new-quote-evidence"
    paths = tmp_path / "statements.csv", tmp_path / "evidence.csv"
    for frame, path in zip((quote, proof), paths, strict=True):
        frame.to_csv(path, index=False, lineterminator="\n")
    return paths


def test_evidence_in_a_csv_file_counts_beside_a_coding_file(release: Path, tmp_path: Path) -> None:
    """The coding file's rows are read first: evidence read after them still proves later rows."""
    statements, evidence = _new_quote_with_evidence(release, tmp_path)
    code, report = run(release, str(coding_copy(tmp_path)), str(statements), str(evidence))
    assert code == 0, errors(report)


def test_an_evidence_row_without_its_quote_is_a_fault_not_a_crash(release: Path, tmp_path: Path) -> None:
    statements, evidence = _new_quote_with_evidence(release, tmp_path)
    edit(evidence, 2, "quote", "")
    check(release, evidence, 1, "required", 2, "quote", str(statements))


# --- formats ------------------------------------------------------------------------------------


def test_github_format(release: Path, statements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for line in range(2, 15):
        edit(statements, line, "topic", "bad")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = runner.invoke(app, ["validate", str(statements), "--against", str(release), "--format", "github"])
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 10
    assert annotations[0].startswith(f"::error file={statements},line=2,col=")
    assert summary.read_text().count("| enum |") == 13


def test_step_summary_keeps_values_as_text(
    release: Path, statements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from markdown_it import MarkdownIt

    edit(statements, 2, "summary", "=1` <img src=x onerror=alert(1)> [l](http://x.example) | **b**")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    runner.invoke(app, ["validate", str(statements), "--against", str(release), "--format", "github"])
    html = MarkdownIt("commonmark").enable("table").render(summary.read_text(encoding="utf-8"))
    assert not re.search(r"<(img|a|strong)\b", html)
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    assert rows and {row.count("<t") for row in rows} == {8}  # a cell of its own for each of 8 columns


def test_text_format_names_file_line_and_column(release: Path, statements: Path) -> None:
    edit(statements, 4, "kind", "quote")
    result = runner.invoke(app, ["validate", str(statements), "--against", str(release)])
    assert result.exit_code == 1
    assert f"{statements}:4: error: statements row" in result.stdout and "column 'kind'" in result.stdout
    assert "not valid" in result.stdout.splitlines()[-1]


# --- never a traceback ---------------------------------------------------------------------------


def _answer(release: Path, path: Path) -> None:
    before = digest(path)
    result = runner.invoke(app, ["validate", str(path), "--against", str(release), "--format", "json"])
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    report = json.loads(result.stdout)
    assert result.exit_code == 0 or report["faults"]
    assert all(f["message"] for f in report["faults"])
    assert digest(path) == before


# As many examples as the profile says (tests/conftest.py): each one is a whole validation.
SETTINGS = settings(deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".parquet", ".jsonl"]))
def test_random_bytes_never_crash(
    release: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("random") / f"statements{suffix}"
    path.write_bytes(data)
    _answer(release, path)


@SETTINGS
@given(position=st.integers(min_value=0), chunk=st.binary(min_size=0, max_size=8), cut=st.booleans())
def test_mutated_valid_files_never_crash(
    release: Path, tmp_path_factory: pytest.TempPathFactory, position: int, chunk: bytes, cut: bool
) -> None:
    original = (release / "statements.csv").read_bytes()
    at = position % (len(original) + 1)
    data = original[:at] + chunk + original[at + (len(chunk) if cut else 0) :]
    path = tmp_path_factory.mktemp("mutated") / "statements.csv"
    path.write_bytes(data)
    _answer(release, path)


def test_bench_script_smoke(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_validate.py"), "--rows", "1000", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "× floor" in result.stdout and "same rows: True" in result.stdout


@pytest.mark.parametrize(
    ("cells", "may"),
    [(["a", "b"], False), (["a\nb"], True), (["a\rb", "c"], True), (["\t"], True), ([None, ""], False), ([], False)],
)
def test_line_breaks_are_screened_by_the_smallest_byte(cells: list[str | None], may: bool) -> None:
    """A screen: a tab (below 0x0E) makes the reader count line breaks, and it finds none."""
    values = pa.array([None if c is None else c.encode() for c in cells], pa.binary())
    assert may_break_lines(values) is may


# --- links and paths out of the folder being checked (issue 11, item 2) --------------------------

SECRET = "TOPSECRET,of the runner\nnot the contributor's file: never read, never printed\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout to validate in (the current folder, as in CI), and beside it a file of the
    machine's own that a link in the checkout points at."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text(SECRET)
    folder = tmp_path / "repo"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    return folder


def every_output(release: Path, *paths: str) -> tuple[int, list[dict], str]:
    """Exit code, faults, and all that is printed in every format, the step summary too."""
    printed, faults, codes = [], [], set()
    for output in ("text", "json", "github"):
        result = runner.invoke(app, ["validate", *paths, "--against", str(release), "--format", output])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        codes.add(result.exit_code)
        printed.append(result.output)
        if output == "json":
            faults = json.loads(result.stdout)["faults"]
    summary = Path(os.environ["GITHUB_STEP_SUMMARY"])
    printed.append(summary.read_text() if summary.exists() else "")
    (code,) = codes
    return code, faults, "\n".join(printed)


def assert_nothing_leaks(printed: str, secret: Path, named: bool = False) -> None:
    """Nothing of the secret, nor (unless the input `named` it) where it is."""
    assert "TOPSECRET" not in printed and "runner" not in printed
    assert hashlib.sha256(SECRET.encode()).hexdigest() not in printed
    assert named or (str(secret) not in printed and "elsewhere" not in printed)  # not even where a link points


def refused(faults: list[dict], file: str, rule: str = "symlink") -> dict:
    found = [f for f in faults if f["rule"] == rule and f["file"] == file]
    assert found, faults
    assert found[0]["severity"] == "error" and found[0]["value"] is None
    return found[0]


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_a_linked_table_file_is_refused_unread(release: Path, repo: Path, absolute: bool) -> None:
    secret = repo.parent / "elsewhere" / "secret.txt"
    (repo / "statements.csv").symlink_to(secret)
    path = str(repo / "statements.csv") if absolute else "statements.csv"
    code, faults, printed = every_output(release, path)
    assert code == 2
    assert "is a symbolic link: not followed" in refused(faults, path)["message"]
    assert_nothing_leaks(printed, secret)


def test_a_table_file_in_a_linked_folder_is_refused_unread(release: Path, repo: Path) -> None:
    outside = repo.parent / "elsewhere"
    (outside / "statements.csv").write_text(SECRET)
    (repo / "data").symlink_to(outside)
    code, faults, printed = every_output(release, "data/statements.csv")
    assert code == 2
    assert "its folder data is a symbolic link" in refused(faults, "data/statements.csv")["message"]
    assert_nothing_leaks(printed, outside / "statements.csv")


def test_an_absolute_path_through_a_linked_folder_is_refused_unread(release: Path, repo: Path) -> None:
    """Outside the current folder, every folder on the way is checked: none is known to be the user's."""
    outside = repo.parent / "elsewhere"
    (outside / "statements.csv").write_text(SECRET)
    (repo.parent / "link").symlink_to(outside)
    path = str(repo.parent / "link" / "statements.csv")
    code, faults, printed = every_output(release, path)
    assert code == 2
    assert f"its folder {repo.parent / 'link'} is a symbolic link" in refused(faults, path)["message"]
    assert_nothing_leaks(printed, outside / "statements.csv")


@pytest.mark.parametrize(
    "path",
    ["../elsewhere/statements.csv", "data/../../elsewhere/statements.csv", "./data/./../../elsewhere/statements.csv"],
)
def test_a_path_climbing_out_of_the_folder_is_refused_unread(release: Path, repo: Path, path: str) -> None:
    outside = repo.parent / "elsewhere"
    (outside / "statements.csv").write_text(SECRET)
    (repo / "data").mkdir()
    code, faults, printed = every_output(release, path)
    assert code == 2
    assert "has `..` in it" in refused(faults, str(Path(path)), "outside")["message"]
    assert_nothing_leaks(printed, outside / "statements.csv", named=True)


def seed_in(folder: Path) -> Path:
    """The seed's files in `folder`; its coding file proves a row with a one-letter quote
    at a wrong offset too: before, the fault listed where the letter is in the article."""
    folder.mkdir(parents=True)
    for name in ("source.yaml", "coding.yaml"):
        (folder / name).write_bytes((SEEDS / SEED_ID / name).read_bytes())
    coding = folder / "coding.yaml"
    old = "      - despite 10 rounds of exchange on the peace treaty\n"
    coding.write_text(coding.read_text().replace(old, old + "      - {quote: 'e', char_start: 1}\n", 1))
    source = folder / "source.yaml"
    source.write_text(source.read_text() + "text_sha256: " + "0" * 64 + "\nchar_count: 5\n")
    return coding


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_a_linked_article_is_refused_and_nothing_of_it_printed(release: Path, repo: Path, absolute: bool) -> None:
    secret = repo.parent / "elsewhere" / "secret.txt"
    coding = seed_in(repo / "seeds" / SEED_ID)
    (coding.parent / "article.txt").symlink_to(secret)
    path = str(coding) if absolute else f"seeds/{SEED_ID}/coding.yaml"
    code, faults, printed = every_output(release, path)
    assert code in (1, 2)
    refused(faults, str(Path(path).parent / "article.txt"))
    assert not [f for f in faults if f["rule"] == "missing_text"]
    assert "found at" not in printed
    assert_nothing_leaks(printed, secret)


@pytest.mark.parametrize("name", ["coding.yaml", "source.yaml"])
def test_a_linked_seed_file_is_refused_unread(release: Path, repo: Path, name: str) -> None:
    secret = repo.parent / "elsewhere" / "secret.txt"
    coding = seed_in(repo / "seeds" / SEED_ID)
    (coding.parent / "article.txt").write_bytes((SEEDS / SEED_ID / "article.txt").read_bytes())
    (coding.parent / name).unlink()
    (coding.parent / name).symlink_to(secret)
    path = f"seeds/{SEED_ID}/coding.yaml"
    code, faults, printed = every_output(release, path)
    assert code in (1, 2)
    refused(faults, f"seeds/{SEED_ID}/{name}")
    assert_nothing_leaks(printed, secret)


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_a_linked_seed_folder_is_refused_unread(release: Path, repo: Path, absolute: bool) -> None:
    secret = repo.parent / "elsewhere" / "secret.txt"
    coding = seed_in(repo.parent / "elsewhere" / SEED_ID)
    (coding.parent / "article.txt").write_text(SECRET)
    (repo / "seeds").mkdir()
    (repo / "seeds" / SEED_ID).symlink_to(coding.parent)
    path = str(repo / "seeds" / SEED_ID / "coding.yaml") if absolute else f"seeds/{SEED_ID}/coding.yaml"
    code, faults, printed = every_output(release, path)
    assert code == 2
    assert f"its folder {Path(path).parent} is a symbolic link" in refused(faults, path)["message"]
    assert_nothing_leaks(printed, secret)


@pytest.mark.parametrize("linked", ["article", "seed folder", "seeds folder"])
def test_texts_beside_inputs_are_not_read_through_links(release: Path, repo: Path, linked: str) -> None:
    statements, evidence = _new_quote_with_evidence(release, repo)
    statements, evidence = statements.relative_to(repo), evidence.relative_to(repo)
    outside = repo.parent / "elsewhere"
    (outside / "seeds" / SEED_ID).mkdir(parents=True)
    (outside / "seeds" / SEED_ID / "article.txt").write_text(SECRET)
    if linked == "article":
        (repo / "seeds" / SEED_ID).mkdir(parents=True)
        (repo / "seeds" / SEED_ID / "article.txt").symlink_to(outside / "secret.txt")
        file = f"seeds/{SEED_ID}/article.txt"
    elif linked == "seed folder":
        (repo / "seeds").mkdir()
        (repo / "seeds" / SEED_ID).symlink_to(outside / "seeds" / SEED_ID)
        file = f"seeds/{SEED_ID}/article.txt"
    else:
        (repo / "seeds").symlink_to(outside / "seeds")
        file = "seeds"
    code, faults, printed = every_output(release, str(statements), str(evidence))
    assert code == 1
    refused(faults, file)
    assert not [f for f in faults if f["rule"] in ("quote_mismatch", "text_mismatch")]  # the secret was not used
    assert_nothing_leaks(printed, outside / "secret.txt")


def test_a_fifo_article_is_refused_without_waiting_for_a_writer(release: Path, repo: Path) -> None:
    """Before, reading a FIFO beside the inputs waited for a writer that never comes."""
    _statements, _ = _new_quote_with_evidence(release, repo)
    (repo / "seeds" / SEED_ID).mkdir(parents=True)
    os.mkfifo(repo / "seeds" / SEED_ID / "article.txt")
    command = [
        sys.executable,
        "-m",
        "peacetrack.cli",
        "validate",
        "statements.csv",
        "--against",
        str(release),
        "--format",
        "json",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the validator waited on a FIFO")
    assert result.returncode == 1, result.stderr
    refused(json.loads(result.stdout)["faults"], f"seeds/{SEED_ID}/article.txt", "not_a_file")


# --- messages echo no more than the contributor's own values, capped ------------------------------


@pytest.mark.parametrize("twice", [False, True], ids=["unknown", "duplicated"])
def test_a_long_column_name_is_echoed_shortened(release: Path, statements: Path, twice: bool) -> None:
    lines = statements.read_text().splitlines(keepends=True)
    name = "n" * 5000
    header = lines[0].rstrip("\n") + f",{name}" * (2 if twice else 1)
    statements.write_text(
        header + "\n" + "".join(line.rstrip("\n") + ",x" * (2 if twice else 1) + "\n" for line in lines[1:])
    )
    code, report = run(release, str(statements))
    assert code in (1, 2)
    rule = "duplicate_column" if twice else "unknown_column"
    assert [f for f in report["faults"] if f["rule"] == rule]
    assert all(
        len(f["message"]) < 300 and len(f["value"] or "") <= 80 and len(f["column"] or "") <= 80
        for f in report["faults"]
    )


# --- small inputs that were slow or crashed (issue 11, item 10) ----------------------------------


def test_a_jsonl_line_of_many_keys_is_one_fault(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_text(json.dumps({f"k{i}": i for i in range(5000)}) + "\n")
    code, report = run(release, str(path))
    assert code == 1
    (fault,) = [f for f in report["faults"] if f["rule"] != "no_rows"]
    assert (fault["rule"], fault["line"]) == ("too_many_columns", 1)


@pytest.mark.parametrize("nested", ["[" * 100_000, '{"a": ' * 100_000], ids=["lists", "objects"])
def test_deeply_nested_json_is_a_fault(release: Path, tmp_path: Path, nested: str) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_text('{"actor_id": "x", "name": ' + nested + "\n")
    check(release, path, 1, "json", 1)


def contract_header() -> list[str]:
    from peacetrack.tables import TABLES

    return [c.name for c in TABLES["statements"].columns]


def test_a_header_of_too_many_columns_is_one_fault(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    names = contract_header() + [f"c{i}" for i in range(3000)]
    path.write_text(",".join(names) + "\n" + ",".join("x" for _ in names) + "\n")
    code, report = run(release, str(path))
    assert code == 1
    (fault,) = report["faults"]
    assert (fault["rule"], fault["line"]) == ("too_many_columns", 1)


def test_a_header_over_a_megabyte_is_refused_not_cut(release: Path, tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    path.write_text(",".join(contract_header()) + "," + "x" * (readers_csv.HEADER_BYTES + 10) + "\nrow\n")
    code, report = run(release, str(path))
    assert code == 1
    (fault,) = report["faults"]
    assert (fault["rule"], fault["line"]) == ("header_size", 1)


def test_a_column_named_dask_is_unknown_not_a_crash(release: Path, statements: Path) -> None:
    """pandera took a frame with a column `dask` for a dask frame: unknown columns stay out of it."""
    name = "dask"
    lines = statements.read_text().splitlines()
    statements.write_text("\n".join([lines[0] + f",{name}"] + [line + ",x" for line in lines[1:]]) + "\n")
    code, report = run(release, str(statements))
    assert code == 1
    assert [(f["rule"], f["column"], f["line"]) for f in errors(report)] == [("unknown_column", name, 1)]


# --- where a fault is (issue 11, item 12) ---------------------------------------------------------


SMALL_BLOCK_BYTES = 1 << 16


@pytest.mark.parametrize(
    "after_blocks", [0, 3], ids=["within_a_block", "after_three_blocks"]
)  # both found on pyarrow's ragged-row path
def test_an_unterminated_quote_is_reported_where_it_opens(
    release: Path, statements: Path, after_blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the quote, less than a parse block or three blocks (the open record straddles
    them). Blocks of 64 KiB here instead of 1 MiB: the same file in blocks, a twentieth of the bytes."""
    monkeypatch.setattr(readers_csv, "BLOCK_BYTES", SMALL_BLOCK_BYTES)
    after_bytes = after_blocks * SMALL_BLOCK_BYTES or 1000
    lines = statements.read_text().splitlines(keepends=True)
    cells = next(csv.reader([lines[3]]))
    cells[5] = '"never closed'
    lines[3] = ",".join(cells) + "\n"
    filler = lines[2] * (after_bytes // len(lines[2]) + 1)
    statements.write_text("".join(lines) + filler)
    report = check(release, statements, 1, "csv_syntax", 4)
    assert "never closed" in next(f["message"] for f in report["faults"] if f["rule"] == "csv_syntax")


def test_a_csv_file_is_parsed_only_a_few_chunks_ahead_of_its_checks(
    statements: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat in the file's size: the reader parses a block when the checks come to
    it, a few chunks ahead, never the whole file while the first chunk is checked (pyarrow's
    dataset scanner, used before, read on without bound). A ragged last record tells how far
    pyarrow has parsed: it reports it as it parses it."""
    monkeypatch.setattr(readers_csv, "BLOCK_BYTES", SMALL_BLOCK_BYTES)
    monkeypatch.setattr(readers_csv, "CHUNK_BYTES", SMALL_BLOCK_BYTES)
    lines = statements.read_text().splitlines(keepends=True)
    body = "".join(lines[1:])
    statements.write_text(lines[0] + body * (100 * SMALL_BLOCK_BYTES // len(body) + 1) + "a,ragged,record\n")
    skipped: list[str] = []
    monkeypatch.setattr(readers_csv.CsvLines, "skip", lambda _lines, _number, text: skipped.append(text))
    reader = readers_csv.read_csv(statements, TABLES["statements"])
    try:
        assert isinstance(next(reader), Chunk)
        time.sleep(1)  # what a reader without bound would parse meanwhile: the whole file
        assert skipped == []
    finally:
        reader.close()


def test_an_article_beside_the_inputs_that_is_not_utf8_is_named(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements, evidence = _new_quote_with_evidence(release, tmp_path)
    article = tmp_path / "seeds" / SEED_ID / "article.txt"
    article.parent.mkdir(parents=True)
    article.write_bytes(b"first line\nsecond \xff line\n")
    monkeypatch.chdir(tmp_path)
    _code, report = run(release, str(statements), str(evidence))
    found = [f for f in report["faults"] if f["rule"] == "encoding"]
    assert len(found) == 1, report["faults"]
    fault = found[0]
    assert tmp_path / fault["file"] == article
    assert (fault["rule"], fault["line"]) == ("encoding", 2)
    assert "byte 19" in fault["message"] and "byte 8 of its line" in fault["message"]


# --- spans within their source (issue 11, item 8) -------------------------------------------------


@pytest.mark.parametrize(("column", "beyond"), [("char_end", 1), ("char_start", 5000)])
def test_evidence_beyond_its_source_is_refused_without_the_text(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, beyond: int
) -> None:
    monkeypatch.chdir(tmp_path)  # no seeds here: the text is not at hand
    statements, evidence = _new_quote_with_evidence(release, tmp_path)
    count = int(pd.read_parquet(release / "sources.parquet")["char_count"].iloc[0])
    frame = pd.read_csv(evidence, dtype=str, keep_default_na=False)
    frame["char_end"] = str(count + beyond + (10 if column == "char_start" else 0))
    frame["char_start"] = str(count + beyond) if column == "char_start" else str(count - 3)
    frame.to_csv(evidence, index=False, lineterminator="\n")
    check(release, evidence, 1, "span_bounds", 2, column, str(statements))


def test_a_coding_file_quoting_beyond_its_text_not_in_the_repository(release: Path, tmp_path: Path) -> None:
    check(
        release, seed_without_text(tmp_path / "seeds", char_start=3000), 1, "span_bounds", 7, "char_start"
    )  # its key's line


# --- from Python (issue 12) -----------------------------------------------------------------------


def test_python_gives_the_faults_and_counts_of_the_command_line(release: Path, tmp_path: Path) -> None:
    """`validate` from Python and `peacetrack validate --format json`: the same report."""
    statements = tmp_path / "statements.csv"
    statements.write_bytes((release / "statements.csv").read_bytes())
    edit(statements, 3, "topic", "peace process")
    edit(statements, 5, "speaker_id", "Not A Slug")
    coding = coding_copy(tmp_path)
    paths = [statements, coding]
    code, cli = run(release, *map(str, paths))
    report = validate(paths, against=release)
    assert {"enum", "pattern_slug"} <= {f["rule"] for f in errors(cli)}, cli["faults"]  # faults to compare
    assert any(f["file"] == str(coding) for f in cli["faults"]) or cli["rows"] > 23  # the coding file was read
    assert [fault_record(f) for f in report.faults] == cli["faults"]
    assert totals_record(report) == cli["totals"]
    assert (report.exit_code, report.valid, report.rows) == (code, cli["valid"], cli["rows"])


def test_validate_takes_paths_as_strings(release: Path, statements: Path) -> None:
    by_path = validate([statements], against=release)
    by_text = validate(str(statements), against=str(release))
    assert [fault_record(f) for f in by_text.faults] == [fault_record(f) for f in by_path.faults]
    assert by_text.rows == by_path.rows == 23


def test_validate_leaves_the_interpreter_as_it_found_it(release: Path, statements: Path) -> None:
    """A ragged row that is not UTF-8 makes pyarrow complain through `sys.unraisablehook`
    and the csv module read the file (its cell limit raised): both put back after the read;
    the garbage collector is left alone."""
    lines = statements.read_bytes().split(b"\n")
    lines.insert(3, b"bad,\xff\xfe,row")
    statements.write_bytes(b"\n".join(lines))
    hook, field_limit = sys.unraisablehook, csv.field_size_limit()
    collecting = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    report = validate([statements], against=release)
    assert [f.line for f in report.faults if f.rule == "ragged"] == [4]
    assert sys.unraisablehook is hook
    assert csv.field_size_limit() == field_limit  # raised for the csv module's read, then put back
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == collecting


@pytest.mark.parametrize(
    ("where", "against"),
    [
        ("peacetrack.validator.against._release_path", None),  # finding the release
        ("peacetrack.validator.against.read_release", "release"),  # reading a release folder
        ("peacetrack.validator.first_pass.parse_arrow", "release"),  # in the reading thread
        ("peacetrack.validator.readers.csv.CsvLines.rows", "release"),  # pyarrow's path, not the csv module's
    ],
)
def test_a_bug_is_raised_not_reported_as_a_fault(
    release: Path, statements: Path, monkeypatch: pytest.MonkeyPatch, where: str, against: str | None
) -> None:
    """Only the failures the validator expects (no release, a corrupt file) become faults."""

    def bug(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug")

    monkeypatch.setattr(where, bug)
    with pytest.raises(TypeError, match="a bug"):
        validate([statements], against=release if against else None)


def test_jsonl_lines_arrow_would_misread_are_read_and_located_line_by_line(release: Path, tmp_path: Path) -> None:
    """Arrow's JSON reader reads a batch only when it reads it as `json` reads each line: two
    objects on a line, an object over two lines and a list with a null item make the batch
    read line by line, each fault at its line, the valid lines around them read too."""
    good = '{"actor_id": "x-%d", "name": "X", "actor_type": "state", "aliases": ["a"]}\n'
    path = tmp_path / "actors.jsonl"
    path.write_text(
        good % 1
        + '{"actor_id": "x-2", "name": "X", "actor_type": "state"} {"actor_id": "x-3"}\n'
        + '{"actor_id": "x-4", "name": "X",\n"actor_type": "state"}\n'
        + '{"actor_id": "x-5", "name": "X", "actor_type": "state", "aliases": ["a", null]}\n'
        + good % 6
    )
    code, report = run(release, str(path))
    assert code == 1
    located = {(f["line"], f["rule"]) for f in errors(report)}
    assert located == {(2, "json"), (3, "json"), (4, "json"), (5, "type")}
    assert report["rows"] == 3


def test_jsonl_read_by_arrow_gives_the_cells_json_gives(tmp_path: Path) -> None:
    """The two ways a JSON Lines batch is read make the same cells, lines and rows."""
    from peacetrack.tables import TABLES
    from peacetrack.validator.readers import Chunk
    from peacetrack.validator.readers.jsonl import _arrow_chunk, _json_chunks

    lines = [
        b'\xef\xbb\xbf{"actor_id": "x-1", "name": "\\u0259liyev \xe2\x80\x9cX\xe2\x80\x9d", "aliases": ["a", "b"]}\r\n',
        b"\n",
        b'  {"actor_id": "x-2", "name": "", "aliases": [], "parent_id": null}  \n',
        b'{"actor_id": "x-3", "role": "Mirzoyan\\n", "country": "ARM"}',
    ]
    table = TABLES["actors"]
    by_arrow = _arrow_chunk("f", table, lines, 1, 0)
    (by_json,) = _json_chunks("f", table, lines, 1, 0)
    assert by_arrow is not None and isinstance(by_json, Chunk)
    assert by_arrow.data.equals(by_json.data)
    assert by_arrow.lines.tolist() == by_json.lines.tolist() == [1, 3, 4]
