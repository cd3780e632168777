"""The mirror: where it is (config), its index (cached an hour), and a release's files downloaded
into the cache, each verified against the SHA-256 its index publishes.

A mirror is any web folder laid out like `datasets/` (`index.json`, `releases/<version>/`);
there is no default one. Everything a mirror sends is hostile: an index is parsed strictly
and refused when too large, a file is refused when larger than published or of other bytes,
and an address's credentials are never printed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import tomllib
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from peacetrack.errors import DataError, StaleIndexWarning
from peacetrack.files import write_atomic
from peacetrack.index import FileEntry, ReleaseEntry, ReleaseIndex
from peacetrack.places import CACHE_DIR_ENV as CACHE_DIR_ENV  # importable from here too, where they were defined first
from peacetrack.places import REMOTE_ENV as REMOTE_ENV
from peacetrack.places import cache_dir
from peacetrack.places import release_file_sha256 as file_sha256
from peacetrack.terminal import printable

# requests, pooch, filelock and rich.progress are imported by the functions that go to the
# mirror: reading the bundled release (`peacetrack validate`, `load`) does not wait for them.

BASE_URL_ENV = "PEACETRACK_BASE_URL"
TIMEOUT_ENV = "PEACETRACK_TIMEOUT"
CONFIG_ENV = "PEACETRACK_CONFIG"
# A mirror's index is asked for again once the cached copy is this old.
MIRROR_INDEX_LIFETIME_SECONDS = 3600
# A mirror's index larger than this is refused unread: an index of thousands of releases is smaller.
MIRROR_INDEX_MAX_BYTES = 8 * 1024 * 1024
# Seconds a mirror may take to accept the connection, and then to send each next chunk.
TIMEOUT_SECONDS = 30.0
# Files at least this large get a progress bar while they download.
PROGRESS_BAR_BYTES = 1_000_000
DOWNLOAD_CHUNK_BYTES = 65_536


# --- the mirror and its index ------------------------------------------------------------------


class Config(BaseModel):
    """`config.toml`: settings made once for every command and program."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base_url: str | None = None


def config_path() -> Path:
    """`PEACETRACK_CONFIG`, else `config.toml` in the platform's user config folder."""
    return Path(os.environ.get(CONFIG_ENV) or platformdirs.user_config_path("peacetrack") / "config.toml")


def read_config() -> Config:
    """The config file's settings; none when there is no file."""
    path = config_path()
    try:
        return Config.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise DataError(f"{path}: not a valid peacetrack config file: {error}") from None


def mirror_url(base_url: str | None = None) -> str | None:
    """The mirror's address: `base_url` (--base-url), else `PEACETRACK_BASE_URL`, else the
    config file's `base_url`; None when none is set (there is no default mirror)."""
    return base_url or os.environ.get(BASE_URL_ENV) or read_config().base_url or None


def _require_mirror(base_url: str | None, why: str) -> str:
    base = mirror_url(base_url)
    if not base:
        raise DataError(
            f"{why}, and no mirror is set: pass --base-url (base_url=), set {BASE_URL_ENV}, or "
            f"set base_url in {config_path()}, to a web folder laid out like datasets/"
        )
    return base


def index_url(base: str) -> str:
    """Where a mirror publishes its index: `<base>/index.json`."""
    if "{version}" in base:
        raise DataError(
            f"{redact(base)}: a mirror address with {{version}} names a release folder, not the "
            f"mirror's root; give the folder that holds index.json to read its releases"
        )
    return f"{base.rstrip('/')}/index.json"


def _index_copy(url: str) -> Path:
    """The cached copy of a mirror's index: one per mirror address."""
    return cache_dir() / "mirrors" / hashlib.sha256(url.encode()).hexdigest()[:32] / "index.json"


def _parse_mirror_index(body: bytes, where: str) -> ReleaseIndex:
    """A mirror's index, parsed strictly: types as published, nothing coerced."""
    if len(body) > MIRROR_INDEX_MAX_BYTES:
        raise DataError(f"{where}: an index over {MIRROR_INDEX_MAX_BYTES} bytes: refused")
    try:
        return ReleaseIndex.model_validate_json(body, strict=True)
    except ValidationError as error:
        raise DataError(f"{where}: not a valid release index, refused:\n{error}") from None


def _get_index(url: str) -> bytes:
    """A mirror's index as sent, at most MIRROR_INDEX_MAX_BYTES + 1 bytes of it."""
    import requests

    timeout = _timeout()
    with requests.get(url, stream=True, timeout=(timeout, timeout)) as response:
        response.raise_for_status()
        body = bytearray()
        for chunk in response.iter_content(DOWNLOAD_CHUNK_BYTES):
            body += chunk
            if len(body) > MIRROR_INDEX_MAX_BYTES:
                break
        return bytes(body)


def mirror_index(base_url: str | None = None) -> ReleaseIndex:
    """The mirror's index: the cached copy while under an hour old, else asked for again.

    A mirror that does not answer leaves the cached copy in use, with a StaleIndexWarning
    saying how old it is; an index that is not a valid one is refused, never cached."""
    import requests

    url = index_url(_require_mirror(base_url, "cannot read the mirror's index"))
    copy = _index_copy(url)
    try:
        age = time.time() - copy.stat().st_mtime
    except FileNotFoundError:
        age = None
    if age is not None and age < MIRROR_INDEX_LIFETIME_SECONDS:
        return _parse_mirror_index(copy.read_bytes(), str(copy))
    try:
        body = _get_index(url)
    except requests.exceptions.RequestException as error:
        if age is None:
            raise DataError(redact(f"could not read the mirror's index {url}: {error}")) from None
        warnings.warn(
            redact(
                f"the mirror did not answer ({error}); using its index as cached {age / 60:.0f} "
                f"minute(s) ago, which may be stale: {copy}"
            ),
            StaleIndexWarning,
            stacklevel=2,
        )
        return _parse_mirror_index(copy.read_bytes(), str(copy))
    index = _parse_mirror_index(body, redact(url))
    try:
        write_atomic(copy, body)
    except OSError as error:
        raise DataError(f"could not cache the mirror's index in {copy}: {error}") from None
    return index


# --- a release's files, verified and downloaded --------------------------------------------------

# What a URL may carry besides where it points: `user:password@` and a `?query` (often a token).
# A password may hold `/`, `?`, `#` or `@` unescaped: all up to the URL's last `@` is hidden.
_USERINFO = re.compile(r"(?<=://)[^\s'\"]*@")
_QUERY = re.compile(r"\?[^\s#'\"]+")


def redact(text: str) -> str:
    """`text` with the credentials of any URL in it hidden: mirror addresses may hold secrets."""
    return _QUERY.sub("?***", _USERINFO.sub("***@", text))


def release_url(version: str, base_url: str | None = None) -> str:
    """The mirror folder of a release. A mirror is any web folder laid out like `datasets/`
    (`index.json`, `releases/<version>/<file>`); there is no default one. An address holding
    `{version}` names each release's folder instead (its index cannot be read)."""
    base = _require_mirror(base_url, f"release {version} is neither bundled nor cached")
    if "{version}" in base:
        return base.replace("{version}", version).rstrip("/") + "/"
    return f"{base.rstrip('/')}/releases/{version}/"


def release_file(release: ReleaseEntry, path: str) -> FileEntry:
    """The index's entry of the file `path` of `release`."""
    entry = release.file(path)
    if entry is None:
        raise DataError(f"release {release.version} has no file {path!r} in the index")
    return entry


def release_file_sha256(folder: Path, entry: FileEntry) -> str | None:
    """The SHA-256 of a release file in `folder`, None when it is not there.

    A link out of `folder` is refused, never followed."""
    return file_sha256(folder, entry.path)


class RichDownloadBar:
    """A download's progress bar, drawn by rich on stderr."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = self._progress.add_task(printable(label), total=None)

    @property
    def total(self) -> float | None:
        return self._progress.tasks[0].total

    @total.setter
    def total(self, value: int) -> None:
        """Set once the server answers: the bar appears then, not before."""
        self._progress.update(self._task, total=value or None)
        self._progress.start()

    def update(self, advance: int) -> None:
        self._progress.update(self._task, advance=advance)

    def close(self) -> None:
        self._progress.stop()


@contextmanager
def _download_bar(release: ReleaseEntry, entry: FileEntry) -> Iterator[RichDownloadBar | None]:
    if entry.bytes < PROGRESS_BAR_BYTES:
        yield None
        return
    bar = RichDownloadBar(f"{release.version}/{entry.path}")
    try:
        yield bar
    finally:
        bar.close()


def _timeout() -> float:
    text = os.environ.get(TIMEOUT_ENV)
    try:
        seconds = float(text) if text else TIMEOUT_SECONDS
    except ValueError:
        seconds = 0
    if not seconds > 0:
        raise DataError(f"{TIMEOUT_ENV} must be a number of seconds above 0, not {text!r}")
    return seconds


def _capped_downloader(entry: FileEntry, bar: RichDownloadBar | None) -> Callable[[str, str, object], None]:
    """A pooch downloader that writes at most the published size, and gives up on a stalled mirror.

    More bytes than published can only be the wrong file: refused before they are written."""
    import requests

    timeout = _timeout()

    def download(url: str, output_file: str, _pooch: object) -> None:
        with requests.get(url, stream=True, timeout=(timeout, timeout)) as response:
            response.raise_for_status()
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > entry.bytes:
                raise ValueError(f"the mirror announced {announced} bytes; {entry.bytes} are published")
            if bar is not None:
                bar.total = entry.bytes
            written = 0
            with open(output_file, "wb") as out:
                for chunk in response.iter_content(DOWNLOAD_CHUNK_BYTES):
                    written += len(chunk)
                    if written > entry.bytes:
                        raise ValueError(f"the mirror sent more than the {entry.bytes} bytes published")
                    out.write(chunk)
                    if bar is not None:
                        bar.update(len(chunk))

    return download


@contextmanager
def _download_lock(folder: Path, release: ReleaseEntry) -> Iterator[None]:
    """One download into a cache folder at a time, across processes.

    pooch downloads into `tmp*` files beside their targets; a killed download leaves its one
    behind. Whoever holds the lock downloads alone, so every such file is a leftover: removed."""
    from filelock import FileLock

    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.with_name(f"{folder.name}.lock")):
        published = {folder / entry.path for entry in release.files}
        for leftover in folder.rglob("tmp*"):
            if leftover not in published and not leftover.is_dir():
                leftover.unlink(missing_ok=True)
        yield


def fetch(release: ReleaseEntry, paths: list[str], base_url: str | None) -> Path:
    """The cache folder of `release`, holding `paths` verified; missing ones are downloaded.

    pooch downloads into a temporary file beside the target, checks the hash, and only then
    moves it into place: a failed, cut or tampered download leaves nothing behind.
    """
    import pooch
    import requests

    folder = cache_dir() / release.version
    entries = [release_file(release, path) for path in paths]
    wanted = [entry for entry in entries if release_file_sha256(folder, entry) != entry.sha256]
    if not wanted:
        return folder
    try:
        url = release_url(release.version, base_url)
    except DataError:
        corrupt = [folder / entry.path for entry in wanted if release_file_sha256(folder, entry) is not None]
        if corrupt:
            raise DataError(
                f"{corrupt[0]}: the cached file is corrupt (its SHA-256 is not the published one): "
                f"fetch it again with `peacetrack download --release {release.version} --base-url URL` "
                f"(or set {BASE_URL_ENV}), or delete {folder} to clear the cache of this release"
            ) from None
        raise
    store = pooch.create(
        path=folder,
        base_url=url,
        registry={entry.path: f"sha256:{entry.sha256}" for entry in release.files},
        retry_if_failed=0,
    )
    shown = redact(url)
    pooch_log = pooch.get_logger()
    level = pooch_log.level
    pooch_log.setLevel(logging.WARNING)  # pooch would print the mirror's address, secrets and all
    try:
        with _download_lock(folder, release):
            for entry in wanted:
                with _download_bar(release, entry) as bar:
                    try:
                        store.fetch(entry.path, downloader=_capped_downloader(entry, bar))
                    except requests.exceptions.RequestException as error:
                        raise DataError(redact(f"could not download {shown}{entry.path}: {error}")) from None
                    except ValueError as error:  # the bytes sent are not the published ones
                        raise DataError(redact(f"refused {shown}{entry.path}, not kept: {error}")) from None
    except OSError as error:
        raise DataError(f"could not store release {release.version} in {folder}: {error}") from None
    finally:
        pooch_log.setLevel(level)
    return folder
