"""Where a release's files are: the data folder (the bundled release, or `PEACETRACK_DATA_DIR`)
and the download cache; whether the mirror is asked for a newer release; and a file of a
release's folder, a link out of it refused.

Only the standard library (platformdirs when the cache has no folder set): `connect` reads a
release it has read before without the imports of the index, the mirror and the contract
(pydantic, pyarrow: 0.6 s; see `viewplan.py`). `data.py` and `mirror.py` use these too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from peacetrack.errors import DataError
from peacetrack.files import sha256_file

DATA_DIR_ENV = "PEACETRACK_DATA_DIR"
CACHE_DIR_ENV = "PEACETRACK_CACHE_DIR"
REMOTE_ENV = "PEACETRACK_REMOTE"


def data_dir() -> Path:
    """The folder laid out like `datasets/` that holds the index and any local releases."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).parent / "bundled"


def cache_dir() -> Path:
    """Where downloaded releases are kept, one folder per version."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("peacetrack"))


def wants_remote(remote: bool | None) -> bool:
    """Whether to look for a newer release on the mirror: `remote`, else `PEACETRACK_REMOTE`."""
    if remote is not None:
        return remote
    text = os.environ.get(REMOTE_ENV, "").strip().lower()
    if text not in ("", "0", "1", "false", "true", "no", "yes"):
        raise DataError(f"{REMOTE_ENV} must be 1 or 0 (true or false), not {text[:20]!r}")
    return text in ("1", "true", "yes")


def release_file_path(folder: Path, name: str) -> Path | None:
    """The file `name` (a path the index publishes) of the release folder `folder`; None when it
    is not there. A link out of `folder`, or anything but a regular file, is refused, never followed."""
    path = folder / name
    try:
        state = path.stat()
        inside = path.resolve().is_relative_to(folder.resolve())
        if inside and stat.S_ISREG(state.st_mode):
            return path
    except FileNotFoundError:
        return None
    except OSError as error:  # e.g. a name too long for the file system, or unreadable
        raise DataError(f"{path}: cannot read the file of release: {error.strerror}") from None
    except ValueError as error:  # a NUL in the name
        raise DataError(f"{name!r}: not a file name this system can read: {error}") from None
    raise DataError(f"{path}: not a regular file inside {folder}: refused (links out are never followed)")


def release_file_sha256(folder: Path, name: str) -> str | None:
    """The SHA-256 of the file `name` of the release folder `folder`, None when it is not there;
    refused as `release_file_path` refuses it."""
    path = release_file_path(folder, name)
    if path is None:
        return None
    try:
        return sha256_file(path)
    except FileNotFoundError:  # gone since
        return None
    except OSError as error:
        raise DataError(f"{path}: cannot read the file of release: {error.strerror}") from None
