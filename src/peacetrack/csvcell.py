"""A value as a cell of the CSV files peacetrack writes (a release's tables, `peacetrack sql
--format csv`), and the delimiter of a list's items in one cell.

Only the standard library: `peacetrack sql --format csv` wrote its rows through `tablefiles`,
whose imports (pandas, numpy, pyarrow) took 0.5 s of the 1.8 s it spent on 1M statements.
"""

from __future__ import annotations

import math
import sys
from datetime import date

LIST_DELIMITER = ";"


def csv_cell(value: object) -> str:
    """A value as a CSV cell: empty for null, ISO dates, `;`-joined lists, `true`/`false`.

    pandas' NA and numpy's arrays are told apart by the modules that make them: a value cannot
    be one of theirs before they are imported, so this imports neither."""
    pandas, numpy = sys.modules.get("pandas"), sys.modules.get("numpy")
    if value is None or (pandas is not None and value is pandas.NA) or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple) or (numpy is not None and isinstance(value, numpy.ndarray)):
        return LIST_DELIMITER.join(csv_cell(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
