"""A validation report as text, as one JSON object, or as GitHub Actions annotations."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from peacetrack.checks import Fault
from peacetrack.contrib.validate import Report
from peacetrack.markdown import md_text

GITHUB_ANNOTATIONS = 10  # GitHub shows at most 10 annotations of each kind per step


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


def summary(report: Report) -> str:
    verdict = "cannot be read" if report.unreadable else "valid" if report.valid else "not valid"
    rules = Counter(f.rule for f in report.errors)
    common = ", ".join(f"{rule} {count}" for rule, count in rules.most_common(5))
    return (
        f"{report.rows:,} rows in {report.files} file(s): {verdict}; "
        f"{len(report.errors):,} error(s), {len(report.warnings):,} warning(s)" + (f" (most: {common})" if common else "")
    )


def render_text(report: Report) -> str:
    return "".join(f"{fault}\n" for fault in report.faults) + summary(report) + "\n"


def render_json(report: Report) -> str:
    return json.dumps({"valid": report.valid, "rows": report.rows, "faults": [fault_record(f) for f in report.faults]}, ensure_ascii=False) + "\n"


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


def render_github(report: Report) -> str:
    """At most 10 annotations, errors first, then the summary; the full table goes to the step summary."""
    lines = []
    ordered = report.errors + report.warnings
    for fault in ordered[:GITHUB_ANNOTATIONS]:
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
        where = " ".join(p for p in (fault.table, fault.row_id and f"row {fault.row_id!r}", fault.column and f"column {fault.column!r}") if p)
        value = f" (value: {fault.value!r})" if fault.value is not None else ""
        lines.append(f"::{fault.severity} {','.join(props)}::{_escape(f'{where}: {fault.message}{value}')}")
    if len(ordered) > GITHUB_ANNOTATIONS:
        lines.append(f"… and {len(ordered) - GITHUB_ANNOTATIONS:,} more: see the step summary")
    lines.append(summary(report))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as out:
            out.write(markdown(report))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return "" if value is None else md_text(value)  # names, values and messages echo the input


def markdown(report: Report) -> str:
    rows = [f"## peacetrack validate\n\n{summary(report)}\n"]
    if report.faults:
        rows.append("\n| severity | file | line | column | row | rule | value | message |\n|---|---|---|---|---|---|---|---|")
        rows += [
            "| " + " | ".join(_cell(v) for v in (f.severity, f.file, f.line, f.column, f.row_id, f.rule, f.value, f.message)) + " |"
            for f in report.faults
        ]
    return "\n".join(rows) + "\n\n"


FORMATS = {"text": render_text, "json": render_json, "github": render_github}
