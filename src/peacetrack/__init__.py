"""peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process."""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peacetrack.data import connect, download, load, load_all, release_path, versions
    from peacetrack.errors import DataError, PeacetrackError

try:
    __version__ = version("peacetrack")  # one source of truth: pyproject.toml's version
except PackageNotFoundError:  # run from a source folder that was never installed
    __version__ = "0+unknown"

__all__ = ["DataError", "__version__", "connect", "download", "load", "load_all", "release_path", "versions"]


def __getattr__(name: str) -> Any:
    """Import the data layer (duckdb, pooch, requests) on first use, not on `import peacetrack`:
    the command line and the validator need none of it (PEP 562)."""
    if name in __all__ and name != "__version__":
        return getattr(importlib.import_module("peacetrack.data"), name)
    raise AttributeError(f"module 'peacetrack' has no attribute {name!r}")
