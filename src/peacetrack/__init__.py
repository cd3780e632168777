"""peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process.

The public API: `load`, `load_all`, `connect` (a release's tables in pandas, polars or
DuckDB), `versions`, `download` and `release_path` (its files), `validate` (check
contributed files, as `peacetrack validate` does), and the errors they raise on purpose,
`PeacetrackError` and its subclass `DataError`.

    >>> import peacetrack
    >>> "1.0.0" in peacetrack.versions()
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from peacetrack.errors import DataError, PeacetrackError

if TYPE_CHECKING:
    from peacetrack.data import download, load, load_all, release_path, versions
    from peacetrack.database import connect
    from peacetrack.validator import validate

    __version__: str

__all__ = [
    "DataError",
    "PeacetrackError",
    "__version__",
    "connect",
    "download",
    "load",
    "load_all",
    "release_path",
    "validate",
    "versions",
]

# Where each name is defined, imported on first use (PEP 562): `import peacetrack` stays cheap,
# and the command line and the validator do not wait for duckdb, pooch and requests.
_LAZY = {
    "connect": "peacetrack.database",
    "download": "peacetrack.data",
    "load": "peacetrack.data",
    "load_all": "peacetrack.data",
    "release_path": "peacetrack.data",
    "versions": "peacetrack.data",
    "validate": "peacetrack.validator",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'peacetrack' has no attribute {name!r}")


def _version() -> str:
    """pyproject.toml's version, as installed: one source of truth. Read on first use, as
    importlib.metadata takes longer to import than the rest of `import peacetrack`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peacetrack")
    except PackageNotFoundError:  # run from a source folder that was never installed
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
