"""The registry of releases, `index.json`: one definition for the writer and the readers."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

import semver
from pydantic import BaseModel, ConfigDict, Field, field_validator

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class FileEntry(BaseModel):
    """One file of a release, as the index publishes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="Path inside the release folder, `/`-separated.")
    sha256: str = Field(pattern=SHA256_PATTERN)
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _inside_release(cls, path: str) -> str:
        """A path from a downloaded index must never climb out of the release folder."""
        parts = PurePosixPath(path).parts
        if not parts or path.startswith("/") or ".." in parts or "\\" in path:
            raise ValueError(f"not a relative path inside the release folder: {path!r}")
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

    @field_validator("version", "schema_version")
    @classmethod
    def _semantic(cls, version: str) -> str:
        if not semver.Version.is_valid(version):
            raise ValueError(f"not a semantic version: {version!r}")
        return version

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

    def latest(self) -> ReleaseEntry | None:
        return max(self.releases, key=lambda r: r.key, default=None)

    def find(self, version: str) -> ReleaseEntry | None:
        return next((r for r in self.releases if r.version == version), None)
