"""A built table's rows as plain Python, by primary key, for tests that assert what a row says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from peacetrack.seeds import Build
from peacetrack.tables import TABLES

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """A cell as Python: a list for a list, None for any null."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    return None if pd.isna(value) else value


def rows(built: Build, table: str, source_id: str | None = None) -> dict[str, Row]:
    """A table's rows (of one source, or all) by primary key."""
    key = TABLES[table].primary_key
    records = built.frames[table].to_dict("records")
    return {
        str(r[key]): {str(c): plain(v) for c, v in r.items()}
        for r in records
        if source_id is None or r["source_id"] == source_id
    }
