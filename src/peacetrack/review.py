"""The review page of a coding: one static HTML file showing the article with every evidence
span highlighted, coloured by table, and each row's fields beside it; what a person opens
before accepting a draft's rows (`coding.draft.yaml`) or a contributed coding.

The page is read on a maintainer's machine, and every character of it but its own chrome
comes from a stranger: article, cells, ids, reasons, file names. So nothing of theirs is ever
markup: the data travels as JSON inside a `<script type="application/json">` (its `<`, `>`
and `&` escaped, so it cannot close the element), and the page's own script puts it in the
DOM as text (`textContent`) only. A Content-Security-Policy allows the page's one style and
one script (by their hashes) and nothing else: no connection, no image, no other script.

The coding is read as the build reads it (`seeds.SeedReader`), so the spans are the build's
and the faults listed at the top are those of reading the file (values, quotes, `draft`
marks); `peacetrack validate` checks it further, against a release.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from peacetrack.coding import CODED_TABLES
from peacetrack.errors import CallError
from peacetrack.faults import Fault
from peacetrack.files import write_atomic
from peacetrack.links import input_root
from peacetrack.rules import DRAFT
from peacetrack.seeds import Coded, SeedReader
from peacetrack.tables import CODING_FILE, DRAFT_FILE, TABLES

REVIEW_FOLDER = Path("datasets/build/review")  # ignored by git: a page is never committed by accident
# Not shown beside a row: its source is the page's, and the date's bounds and precision are
# what its date_edtf (shown) gives.
HIDDEN_COLUMNS = ("source_id", "date_start", "date_end", "date_precision")


@dataclass(frozen=True)
class Span:
    """Evidence of row `row` (an index into the page's rows), characters `start` to `end`."""

    start: int
    end: int
    row: int


def segments(text: str, spans: list[Span]) -> list[dict[str, Any]]:
    """The text cut at every span's ends, each piece with the rows whose evidence covers it:
    overlapping spans become pieces that carry all their rows."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        rows = sorted({s.row for s in spans if s.start <= start and end <= s.end})
        pieces.append({"start": start, "text": text[start:end], "rows": rows})
    return pieces


def cell_text(value: Any) -> str | None:
    """A row's value as the page shows it, or None for no value."""
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return "; ".join(str(cell_text(item)) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fault_record(fault: Fault) -> dict[str, Any]:
    return {
        "severity": fault.severity,
        "rule": fault.rule,
        "message": fault.message,
        "where": ":".join(str(p) for p in (fault.file, fault.line) if p is not None),
        "about": " ".join(str(p) for p in (fault.table, fault.row_id, fault.column) if p),
        "value": fault.value,
    }


def review_data(folder: Path, coding_file: str) -> dict[str, Any]:
    """What the page shows of a seed's coding file, as plain JSON data."""
    coded = Coded()
    SeedReader(folder, coded, input_root(folder), coding_file=coding_file).read()
    source_id = folder.name
    text = coded.texts.get(source_id, "")
    source = next(iter(coded.rows["sources"]), {})
    rows: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    for table in CODED_TABLES:
        key = TABLES[table].primary_key
        for values in coded.rows[table]:
            row_id = str(values[key])
            index[(table, row_id)] = len(rows)
            fields = [
                [column.name, shown]
                for column in TABLES[table].columns
                if column.name not in HIDDEN_COLUMNS
                and not (column.name == "canonical_id" and values.get(column.name) == row_id)
                and (shown := cell_text(values.get(column.name))) is not None
            ]
            draft = coded.drafts.get((table, row_id))
            rows.append({"table": table, "id": row_id, "fields": fields, "draft": draft, "faults": [], "spans": 0})
    spans = []
    for evidence in coded.rows["evidence"]:
        row = index.get((evidence["table_name"], evidence["row_id"]))
        if row is not None and evidence["source_id"] == source_id and text:
            spans.append(Span(evidence["char_start"], evidence["char_end"], row))
            rows[row]["spans"] += 1
    faults = [fault_record(f) for f in coded.faults]
    for number, fault in enumerate(coded.faults):
        row = index.get((str(fault.table), str(fault.row_id)))
        if row is not None:
            rows[row]["faults"].append(number)
    return {
        "source_id": source_id,
        "tables": list(CODED_TABLES),
        "draft_rule": DRAFT.name,
        "title": cell_text(source.get("title")),
        "published_on": cell_text(source.get("published_on")),
        "coding_file": str(folder / coding_file),
        "segments": segments(text, spans),
        "rows": rows,
        "faults": faults,
    }


def script_json(data: Any) -> Markup:
    """JSON that can stand inside a <script> element: no `<`, `>` or `&` to end it or start markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def csp_hash(content: str) -> str:
    """The Content-Security-Policy source allowing an inline element of exactly this content."""
    return "sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peacetrack", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["csp_hash"] = csp_hash
    return env


def render_review(data: dict[str, Any]) -> str:
    return environment().get_template("review.html.j2").render(data_json=script_json(data))


def chosen_coding(folder: Path, coding: str | None) -> str:
    """The coding file to review: the one named (a file name in the folder), else coding.yaml,
    else the draft when it is all there is."""
    if coding is not None:
        if Path(coding).name != coding or coding in ("", ".", ".."):
            raise CallError(f"--coding {coding[:80]!r}: give the name of a file in the seed folder, e.g. {DRAFT_FILE}")
        return coding
    if not (folder / CODING_FILE).exists() and (folder / DRAFT_FILE).exists():
        return DRAFT_FILE
    return CODING_FILE


def write_review(folder: Path, coding: str | None = None, out: Path | None = None) -> Path:
    """Write the review page of `folder`'s coding file to `out` (default:
    datasets/build/review/<source_id>.html), whole or not at all; return its path."""
    if folder.name in ("", ".", ".."):
        folder = Path(os.path.abspath(folder))  # `.`: the seed folder is the current one
    if not folder.is_dir():
        raise CallError(f"{folder}: no such seed folder")
    coding_file = chosen_coding(folder, coding)
    if not (folder / coding_file).is_file():
        raise CallError(f"{folder / coding_file}: no such coding file")
    path = out if out is not None else REVIEW_FOLDER / f"{folder.name}.html"
    write_atomic(path, render_review(review_data(folder, coding_file)))
    return path
