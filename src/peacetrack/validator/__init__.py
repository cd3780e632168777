"""Validate contributed rows: every fault, with file, line and column, against a release.

`validate` (from Python) and `peacetrack validate` (the command line, through `checking`)
run the same checks and give the same report. The package, in the order a file goes through:

    validate.py     the entry: inputs sorted parents first, the two passes, the `Report`
    readers/        a file (CSV, Parquet, JSON Lines) as chunks of raw cells, each row located
    prefetch.py     the next chunk read while this one is checked
    cells.py        raw cells to the contract's types, a fault per bad cell
    against.py      what rows are checked against: the release, the source texts at hand
    first_pass.py   the rules within a row, chunk by chunk; the keys of each row kept
    keys.py         those keys, and their union with the release's
    second_pass.py  the rules across rows and tables (unique, foreign keys, evidence)
    spool.py        the faults, in file order, on disk rather than in memory
    report.py       the report as text, JSON or GitHub annotations
"""

from peacetrack.errors import CallError
from peacetrack.validator.report import FORMATS, render_github, render_json, render_text
from peacetrack.validator.validate import Report, Stopped, checking, validate

__all__ = [
    "FORMATS",
    "CallError",
    "Report",
    "Stopped",
    "checking",
    "render_github",
    "render_json",
    "render_text",
    "validate",
]
