"""peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process."""

from peacetrack.data import DataError, connect, download, load, load_all, release_path, versions

__all__ = ["DataError", "connect", "download", "load", "load_all", "release_path", "versions"]
