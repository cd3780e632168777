"""A validation report as text, as one JSON object, or as GitHub Actions annotations: each
written as the faults stream from the validator, memory flat in their number."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from peacetrack.faults import Fault
from peacetrack.markdown import md_text
from peacetrack.terminal import printable
from peacetrack.validator.validate import Report

GITHUB_ANNOTATIONS = 10  # GitHub shows at most 10 annotations of each kind per step
STEP_SUMMARY_BYTES = 1 << 20  # GitHub refuses a step summary over 1 MiB
SUMMARY_ROOM = 1024  # kept for the lines after the table
encode_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for the millions of faults


def fault_record(fault: Fault) -> dict[str, Any]:
    return {
        "severity": fault.severity,
        "file": fault.file,
        "line": fault.line,
        "column": fault.column,
        "row_id": fault.row_id,
        "rule": fault.rule,
        "value": fault.value,
        "message": fault.message,
    }


def totals_record(report: Report) -> dict[str, dict[str, int]]:
    """Faults found per severity and rule, most first: every one, however many are listed."""
    found: dict[str, dict[str, int]] = {"errors": {}, "warnings": {}}
    for (severity, rule), count in report.totals.most_common():
        found[f"{severity}s"][rule] = count
    return found


def summary(report: Report, listed: int | None = None) -> str:
    """The verdict, the count of faults of each rule (errors first, most first), and what was
    not checked or not listed (of `listed` faults shown)."""
    verdict = "cannot be read" if report.unreadable else "valid" if report.valid else "not valid"
    rules = sorted(report.totals.items(), key=lambda item: (item[0][0] != "error", -item[1], item[0][1]))
    by_rule = ", ".join(
        f"{rule} {count:,}" + ("" if severity == "error" else " (warning)") for (severity, rule), count in rules
    )
    text = (
        f"{report.rows:,} rows in {report.files} file(s): {verdict}; "
        f"{report.count('error'):,} error(s), {report.count('warning'):,} warning(s)"
        + (f" (by rule: {by_rule})" if by_rule else "")
    )
    if report.stopped is not None:
        text += f"; {report.stopped}"
    unlisted = 0 if listed is None else report.totals.total() - listed
    return text + (f"; {unlisted:,} fault(s) found but not listed" if unlisted else "")


def render_text(report: Report, out: TextIO) -> None:
    listed = 0
    for fault in report.faults:
        out.write(f"{fault}\n")
        listed += 1
    out.write(printable(summary(report, listed), keep="") + "\n")


def render_json(report: Report, out: TextIO) -> None:
    """One JSON object, written as the faults stream: `faults` one a line, then the totals and
    what was not checked (`truncated`: false, or what --max-faults left out)."""
    out.write(f'{{"valid": {json.dumps(report.valid)}, "rows": {report.rows}, "faults": [')
    listed = 0
    for fault in report.faults:
        out.write(("," if listed else "") + "\n" + encode_json(fault_record(fault)))
        listed += 1
    truncated: dict[str, object] | bool = False
    if report.stopped is not None:
        truncated = report.stopped.record() | {"faults_not_listed": report.totals.total() - listed}
    out.write(f'\n], "totals": {json.dumps(totals_record(report))}, "truncated": {encode_json(truncated)}}}\n')


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def cell_column(path: Path, line: int, column: str) -> int | None:
    """1-based character column where `column`'s cell starts on `line` of a CSV file."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
            header = next(csv.reader(stream))
            stream.seek(0)
            text = next((t for number, t in enumerate(stream, start=1) if number == line), None)
    except (OSError, StopIteration, csv.Error):
        return None
    if text is None or column not in header:
        return None
    wanted, field, quoted, start = header.index(column), 0, False, 0
    for index, char in enumerate(text):
        if field == wanted:
            return start + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field, start = field + 1, index + 1
    return start + 1 if field == wanted else None


def annotation(fault: Fault) -> str:
    props = []
    if fault.file:
        props.append(f"file={_escape(fault.file, True)}")
    if fault.line:
        props.append(f"line={fault.line}")
        if fault.column and fault.file and fault.file.endswith(".csv"):
            col = cell_column(Path(fault.file), fault.line, fault.column)
            if col:
                props.append(f"col={col}")
    props.append(f"title={_escape(f'peacetrack {fault.rule}', True)}")
    where = " ".join(
        p
        for p in (fault.table, fault.row_id and f"row {fault.row_id!r}", fault.column and f"column {fault.column!r}")
        if p
    )
    value = f" (value: {fault.value!r})" if fault.value is not None else ""
    return f"::{fault.severity} {','.join(props)}::{_escape(f'{where}: {fault.message}{value}')}"


def call_error_annotation(message: str) -> str:
    """A wrong call (unknown table, say), as an annotation: CI shows it, not only its log."""
    return f"::error title={_escape('peacetrack validate', True)}::{_escape(message)}"


def render_github(report: Report, out: TextIO) -> None:
    """At most 10 annotations, errors first, then the summary; a table of the faults, cut
    under GitHub's limit, goes to the step summary ($GITHUB_STEP_SUMMARY) when there is one."""
    first: dict[str, list[Fault]] = {"error": [], "warning": []}  # the first few of each, in file order
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        budget = STEP_SUMMARY_BYTES - (os.path.getsize(step_summary) if os.path.exists(step_summary) else 0)
        with open(step_summary, "a", encoding="utf-8", errors="backslashreplace") as summary_file:
            listed, tabled = write_markdown(report, summary_file, first, budget)
    else:
        listed, tabled = sum(1 for _ in _keep_first(report.faults, first)), 0
    shown = (first["error"] + first["warning"])[:GITHUB_ANNOTATIONS]
    lines = [annotation(fault) for fault in shown]
    found = report.totals.total()
    if found > len(shown):
        if step_summary and tabled == found:
            where = "see the step summary"
        elif tabled:
            where = f"the step summary lists the first {tabled:,} of {found:,}; --format json lists them all"
        else:
            where = "--format json lists them all"
        lines.append(f"… and {found - len(shown):,} more fault(s): {where}")
    lines.append(summary(report, listed))
    out.write("\n".join(printable(line, keep="") for line in lines) + "\n")  # a name cannot start a line


def _keep_first(faults: Iterable[Fault], first: dict[str, list[Fault]]) -> Iterator[Fault]:
    """The faults, keeping the first few of each severity in `first` for the annotations."""
    for fault in faults:
        if len(first[fault.severity]) < GITHUB_ANNOTATIONS:
            first[fault.severity].append(fault)
        yield fault


def _cell(value: object) -> str:
    return "" if value is None else md_text(value)  # names, values and messages echo the input


def write_markdown(
    report: Report, out: TextIO, first: dict[str, list[Fault]], budget: int = STEP_SUMMARY_BYTES
) -> tuple[int, int]:
    """The summary and a Markdown table of the faults, cut to fit in `budget` bytes with the
    count of what it leaves out; keeps the first faults of each severity in `first`.
    Returns how many faults were listed and how many of them are in the table."""
    head = f"## peacetrack validate\n\n{summary(report)}\n\n"
    table_head = (
        "| severity | file | line | column | row | rule | value | message |\n|---|---|---|---|---|---|---|---|\n"
    )
    out.write(head)
    budget -= len(head.encode("utf-8", "backslashreplace")) + len(table_head) + SUMMARY_ROOM
    listed = tabled = 0
    for fault in _keep_first(report.faults, first):
        listed += 1
        if tabled < listed - 1:
            continue  # cut already: a later row that fits would be out of order
        cells = (
            fault.severity,
            fault.file,
            fault.line,
            fault.column,
            fault.row_id,
            fault.rule,
            fault.value,
            fault.message,
        )
        row = "| " + " | ".join(_cell(v) for v in cells) + " |\n"
        size = len(row.encode("utf-8", "backslashreplace"))
        if size <= budget:
            out.write(("" if tabled else table_head) + row)
            budget -= size
            tabled += 1
    left_out = report.totals.total() - tabled
    if left_out:
        out.write(
            f"\n… and {left_out:,} more fault(s) not in this table (a step summary holds 1 MiB): --format json lists them all\n"
        )
    out.write("\n")
    return listed, tabled


FORMATS: dict[str, Callable[[Report, TextIO], None]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
