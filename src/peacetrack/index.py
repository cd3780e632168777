"""The registry of releases, `index.json`: one definition for the writer and the readers,
and its reading and writing under a data folder (`root/index.json`, `root/releases/VERSION/`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath

import semver
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from peacetrack.errors import ReleaseError
from peacetrack.files import reported_as_release_error, write_atomic
from peacetrack.schema import dump_json

INDEX_FILE = "index.json"
RELEASES_DIR = "releases"

SHA256_PATTERN = r"^[0-9a-f]{64}$"
MAX_NAME_BYTES = 255  # the longest file name most file systems hold
LATEST = "latest"  # names the newest release that is not a pre-release, wherever a version does


def is_release_name(ref: str) -> bool:
    """Whether `ref` names a release (a semantic version or `latest`) rather than a folder.

    The one rule for every command: a folder named like a version is given as `./1.0.0`."""
    return ref == LATEST or semver.Version.is_valid(ref)


def release_version(text: str) -> semver.Version:
    """A release's version: semantic, without build metadata (`+b1`), which semver leaves
    unordered, so `1.1.0+b1` and `1.1.0+b2` would tie for the same place."""
    if not semver.Version.is_valid(text):
        raise ValueError(f"not a semantic version: {text!r} (write MAJOR.MINOR.PATCH, e.g. 1.0.0)")
    version = semver.Version.parse(text)
    if version.build is not None:
        raise ValueError(
            f"{text!r}: build metadata (+{version.build}) is not allowed in a release version; "
            f"cut {version.replace(build=None)} or a pre-release such as {version.replace(build=None, prerelease='rc.1')}"
        )
    return version


def _refuse_repeats(kind: str, names: list[str]) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"more than one entry for {kind} {', '.join(map(repr, repeated))[:MAX_NAME_BYTES]}")


class FileEntry(BaseModel):
    """One file of a release, as the index publishes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="Path inside the release folder, `/`-separated.")
    sha256: str = Field(pattern=SHA256_PATTERN)
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _inside_release(cls, path: str) -> str:
        """A path from a downloaded index must never climb out of the release folder, and must
        name a file this system can hold: no part over 255 bytes, no control character."""
        parts = PurePosixPath(path).parts
        if not parts or path.startswith("/") or ".." in parts or "\\" in path:
            raise ValueError(f"not a relative path inside the release folder: {path[:MAX_NAME_BYTES]!r}")
        if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in parts):
            raise ValueError(f"a file name over {MAX_NAME_BYTES} bytes: {path[:80]!r}…")
        if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in path):
            raise ValueError(f"a control character in a file name: {path[:MAX_NAME_BYTES]!r}")
        return path


class ReleaseEntry(BaseModel):
    """One release: enough to find, verify and re-derive it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str
    date: date
    schema_version: str
    inputs_sha256: str = Field(pattern=SHA256_PATTERN)
    rows: dict[str, int]
    files: tuple[FileEntry, ...]

    @field_validator("version")
    @classmethod
    def _release_version(cls, version: str) -> str:
        release_version(version)
        return version

    @field_validator("schema_version")
    @classmethod
    def _semantic(cls, version: str) -> str:
        if not semver.Version.is_valid(version):
            raise ValueError(f"not a semantic version: {version!r}")
        return version

    @field_validator("files")
    @classmethod
    def _one_entry_per_file(cls, files: tuple[FileEntry, ...]) -> tuple[FileEntry, ...]:
        """Two entries of one path would publish two hashes for one file."""
        _refuse_repeats("file", [entry.path for entry in files])
        return files

    @property
    def key(self) -> semver.Version:
        """Sort key: versions compare as semantic versions (1.10.0 after 1.9.0)."""
        return semver.Version.parse(self.version)

    def file(self, path: str) -> FileEntry | None:
        return next((entry for entry in self.files if entry.path == path), None)


class ReleaseIndex(BaseModel):
    """Every release, oldest first."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    releases: tuple[ReleaseEntry, ...] = ()

    @field_validator("releases")
    @classmethod
    def _one_entry_per_version(cls, releases: tuple[ReleaseEntry, ...]) -> tuple[ReleaseEntry, ...]:
        """Two entries of one version would be two releases in one folder."""
        _refuse_repeats("release", [release.version for release in releases])
        return releases

    def latest(self) -> ReleaseEntry | None:
        """The newest release that is not a pre-release (`2.0.0-rc.1` is never the latest)."""
        stable = (r for r in self.releases if r.key.prerelease is None)
        return max(stable, key=lambda r: r.key, default=None)

    def find(self, version: str) -> ReleaseEntry | None:
        return next((r for r in self.releases if r.version == version), None)


def parse_index(data: bytes) -> ReleaseIndex:
    """An index from its bytes; ValueError says what is wrong and where, never quoting the
    file (an index may be any file a link or a setting points at)."""
    try:
        return ReleaseIndex.model_validate_json(data)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        raise ValueError(
            "\n".join(f"  {'.'.join(map(str, p['loc'])) or 'file'}: {p['msg']}" for p in problems)
        ) from None


def read_index_bytes(root: Path) -> tuple[ReleaseIndex, bytes]:
    """The registry of releases under `root` and the bytes it was read from; empty when there is none yet."""
    path = root / INDEX_FILE
    with reported_as_release_error(f"read the release index {path}"):
        if not path.exists():
            return ReleaseIndex(), b""
        data = path.read_bytes()
    try:
        return parse_index(data), data
    except ValueError as error:
        raise ReleaseError(f"{path}: not a peacetrack release index:\n{error}") from None


def read_index(root: Path) -> ReleaseIndex:
    """The registry of releases under `root`; empty when there is none yet."""
    return read_index_bytes(root)[0]


def sorted_index(index: ReleaseIndex) -> ReleaseIndex:
    return ReleaseIndex(releases=tuple(sorted(index.releases, key=lambda r: r.key)))


def write_index(root: Path, index: ReleaseIndex) -> None:
    write_atomic(root / INDEX_FILE, dump_json(sorted_index(index).model_dump(mode="json")))


def release_folder(root: Path, version: str) -> Path:
    return root / RELEASES_DIR / version
